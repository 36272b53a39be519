"""What a reader sees when a request fails: the site's own pages, never werkzeug's default text.

An unexpected exception in a page gives a 500 page that says which page failed, with what kind of error,
and when; Flask has logged it with its traceback just before (``app.logger``, ``Exception on <path>``), so
the time on the page finds it in the log. HTTP errors raised by pages (405, 400, ...) get the same page
with their own reason; a remote store that fails (down, or refusing) gives a 502 page with its reason, an embedded
store whose files cannot be read a 503 page with its reason, after one more try (webapp.reading), and dumps
that cannot be written (kg.dumps) a 503 with the reason (a page on /dumps/, plain text for the files and VoID).
The SPARQL endpoint answers its clients in plain text (webapp.protocol).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from flask import render_template, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

from kg.dumps import DumpsError
from kg.store import StoreError, StoreUnreadable
from webapp.reading import UNREADABLE
from webapp.store import get_settings

if TYPE_CHECKING:
    from flask import Flask

#: Shown if even the error page cannot be rendered (its template needs the context processors to work).
BARE_PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} · labour-kg</title>"
             "</head><body><h1>{title}</h1><p>{message}</p><p><a href=\"/\">labour-kg home page</a></p></body></html>")


def register(app: Flask, max_request_bytes: int) -> None:
    """Install the site's error pages on ``app``."""
    app.logger  # noqa: B018 - made now, so Flask gives it its handler before any failure has to be logged

    @app.errorhandler(404)
    def not_found(_error: Exception) -> tuple[str, int]:
        return render_template("404.html"), 404

    @app.errorhandler(413)
    def too_large(_error: Exception) -> tuple[str, int, dict]:
        return f"the request is larger than {max_request_bytes} bytes\n", 413, {"Content-Type": "text/plain"}

    @app.errorhandler(InternalServerError)
    def failed(error: InternalServerError) -> tuple[str, int]:
        original = error.original_exception
        what = type(original).__name__ if original is not None else "an internal error"
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        message = (f"The page {request.path} could not be made: {what}. The error was logged with its details "
                   f"at {when}; please report it with that time.")
        return _page(500, "Something went wrong", message), 500

    @app.errorhandler(StoreError)
    def store_failed(error: StoreError) -> tuple[str, int]:
        app.logger.error("the store failed on %s [%s]: %s", request.path, request.method, error)
        if isinstance(error, StoreUnreadable) or not get_settings().is_remote:
            # the embedded store's files could not be read: webapp.reading tries once more, else this is sent
            request.environ[UNREADABLE] = True
            return _page(503, "The graph could not be read", f"{error}. Please try again in a moment."), 503
        # a remote store that is down or failed: a bad gateway, with its reason, not a defect of ours
        return _page(502, "The triple store did not answer", f"{error}."), 502

    @app.errorhandler(DumpsError)
    def dumps_not_written(error: DumpsError) -> tuple[str, int, dict[str, str]]:
        # the folder cannot be written (or the disk is full): the server's condition, not the request's
        app.logger.error("%s [%s]: %s", request.path, request.method, error)
        if request.endpoint == "dumps.listing":
            return _page(503, "The dumps could not be written", f"{error}."), 503, {}
        return f"{error}\n", 503, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> HTTPException | tuple[str, int]:
        if error.code is None or error.code < 400:
            return error
        return _page(error.code, error.name, error.description or error.name), error.code


def _page(code: int, title: str, message: str) -> str:
    try:
        return render_template("error.html", code=code, title=title, message=message)
    except Exception:  # the page itself failed (a broken template or context processor): still say something
        return BARE_PAGE.format(title=escape(title), message=escape(message))
