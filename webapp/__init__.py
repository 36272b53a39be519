"""The labour-kg web app: Flask application factory; each part of the site is a blueprint."""

from __future__ import annotations

from flask import Flask

from kg.config import Settings
from kg.store import GraphStore, open_store


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> Flask:
    """Build the app over a store (opened read-only from the settings unless one is given)."""
    settings = settings or Settings()
    app = Flask(__name__)
    app.config["KG_SETTINGS"] = settings
    app.extensions["kg_store"] = store if store is not None else open_store(settings, read_only=True)

    from webapp.pages import pages

    app.register_blueprint(pages)
    return app
