"""The labour-kg web app: Flask application factory; each part of the site is a blueprint.

Imports happen inside the factory so that the query workers (``python -m webapp.worker``) start without
loading Flask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from kg.config import Settings
    from kg.store import GraphStore

#: Largest request body accepted (a query POSTed as a form or directly), in bytes.
MAX_REQUEST_BYTES = 256 * 1024


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> Flask:
    """Build the app over a store (opened read-only from the settings unless one is given)."""
    import atexit

    from flask import Flask

    from kg.config import Settings
    from kg.store import open_store
    from webapp.executor import make_runner

    settings = settings or Settings()
    app = Flask(__name__)
    app.config["KG_SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.extensions["kg_store"] = store if store is not None else open_store(settings, read_only=True)
    runner = make_runner(app.extensions["kg_store"], size=max(2, min(4, settings.workers)))
    app.extensions["kg_runner"] = runner
    atexit.register(runner.close)

    from webapp.browse import browse
    from webapp.dumps import dumps
    from webapp.entities import entities
    from webapp.pages import pages
    from webapp.queries import queries
    from webapp.sparql import sparql

    for blueprint in (pages, browse, sparql, queries, entities, dumps):
        app.register_blueprint(blueprint)
    from webapp.caching import HttpCache
    from webapp.protocol import CORS, PATHS, Endpoint
    from webapp.reading import Reading

    endpoint = Endpoint(app.wsgi_app, settings, runner)
    cache = HttpCache(endpoint, app.extensions["kg_store"], settings, path_headers={path: CORS for path in PATHS})
    app.wsgi_app = Reading(cache, app.extensions["kg_store"])  # type: ignore[method-assign]

    @app.context_processor
    def helpers() -> dict:
        from kg.namespaces import sparql_prefixes
        from webapp.labels import ui_language
        from webapp.urls import pager

        return {"ui_lang": ui_language(), "pager": pager, "sparql_prefixes": sparql_prefixes}

    from webapp.errors import register

    register(app, MAX_REQUEST_BYTES)
    return app
