"""Access to the app's store from request handlers."""

from __future__ import annotations

from flask import current_app

from kg.config import Settings
from kg.store import GraphStore


def get_store() -> GraphStore:
    return current_app.extensions["kg_store"]


def get_settings() -> Settings:
    return current_app.config["KG_SETTINGS"]
