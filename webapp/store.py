"""Access to the app's store, settings and query runner from request handlers."""

from __future__ import annotations

from flask import current_app, request

from kg.config import Settings
from kg.store import GraphStore, StoreVersion
from webapp.caching import VERSION
from webapp.executor import Runner
from webapp.reading import pinned


def get_store() -> GraphStore:
    """The version of the store this request reads (webapp.reading)."""
    return pinned(request.environ, current_app.extensions["kg_store"])


def get_settings() -> Settings:
    return current_app.config["KG_SETTINGS"]


def get_runner() -> Runner:
    return current_app.extensions["kg_runner"]


def get_version() -> StoreVersion | None:
    """The store version this request is answered from: the one its validators were made from, if any."""
    if VERSION in request.environ:
        return request.environ[VERSION]
    return get_store().version()
