"""Which version of the store a request reads, and one more try when it could not be read.

A request reads one version of the store from start to end: the store's ``current()`` when the request first
reads (:func:`pinned`: the cache's version check, the endpoint or a page, whichever comes first). For an embedded
store that is the newest published version (kg.store.published), so a server's processes move to a new commit
on their next request and a page, its ETag and its search results never mix two commits.

A GET or HEAD whose page found the store unreadable (webapp.errors marks it) is answered once more from a fresh
handle on the newest version (``reopen()``): a version deleted under a request that outlived its keeping time, or
a handle gone bad, then costs the reader nothing. If that fails too, its answer (a 503 page with the reason) is
sent. The endpoint's queries get the same second try in webapp.executor.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable

from kg.store import GraphStore, StoreError

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]

#: In the WSGI environ: the store version the request reads, and the mark of a page that could not read it.
STORE = "labour_kg.store"
UNREADABLE = "labour_kg.store_unreadable"


def pinned(environ: dict, store: GraphStore) -> GraphStore:
    """The version of ``store`` this request reads (chosen on its first call)."""
    reading = environ.get(STORE)
    if reading is None:
        reading = environ[STORE] = store.current()
    return reading


class Reading:
    """WSGI middleware around the whole site: answers a GET or HEAD again when its page could not read the store."""

    def __init__(self, app: WSGIApp, store: GraphStore) -> None:
        self.app = app
        self.store = store

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):  # a body is read once: no second try
            return self.app(environ, start_response)
        first = [True]

        def start(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable:
            if first[0] and environ.get(UNREADABLE):
                return _unused_write  # this answer is replaced by the second try's
            return start_response(status, headers, exc_info)

        body = self.app(environ, start)
        first[0] = False
        if not environ.pop(UNREADABLE, False):
            return body
        if hasattr(body, "close"):
            body.close()
        environ.pop(STORE, None)
        with contextlib.suppress(StoreError):  # not even the newest version opens: the second try reports it
            environ[STORE] = self.store.reopen()
        return self.app(environ, start_response)


def _unused_write(_data: bytes) -> None:
    raise RuntimeError("the answer of a first try that could not read the store is never sent")
