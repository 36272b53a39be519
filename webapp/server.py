"""Serving the app with waitress, a production WSGI server (never Flask's development server)."""

from __future__ import annotations

import waitress

from kg.config import Settings
from webapp import create_app


def serve(settings: Settings, *, threads: int = 8) -> None:
    app = create_app(settings)
    app.extensions["kg_runner"].warm()
    print(f"serving labour-kg at http://{settings.host}:{settings.port}/", flush=True)
    waitress.serve(app, host=settings.host, port=settings.port, threads=threads, ident="labour-kg")
