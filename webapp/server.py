"""Serving the app with granian, a production WSGI server (never Flask's development server).

Granian reads and writes HTTP in Rust and runs the app in ``processes`` worker processes, each with its own
store handle and query workers; measured against waitress on the same app it serves about 1.5-2x the
requests per second (BENCHMARKS.md). Its processes follow new commits of the store by themselves
(webapp.reading); ``kill -HUP`` on the server restarts them one by one, without dropping the listening socket,
to serve new code, templates or saved queries.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from collections.abc import Callable

from granian import Granian
from granian.constants import Interfaces
from granian.log import LogLevels

from kg.config import Settings


def load_app(settings: Settings, _target: str) -> Callable:
    """Build the app inside a worker process (granian's target loader): each process opens its own store."""
    from webapp import create_app

    app = create_app(settings)
    app.extensions["kg_runner"].warm()
    return app


class CannotListen(ValueError):
    """``kg serve`` cannot listen on the address it was given."""


def check_address(host: str, port: int) -> None:
    """Refuse an address that cannot be listened on, taken ones above all: granian listens with SO_REUSEPORT, so a
    second server on a taken port would start without a word and take a share of the first one's requests
    (over whatever store that one has open)."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        socket.create_server((host, port), family=family).close()
    except OSError as exc:  # create_server reports a failed name lookup as an OSError with a negative errno
        reason = os.strerror(exc.errno) if exc.errno and exc.errno > 0 else "no such host"
        hint = " (is another kg serve running there?)" if exc.errno == errno.EADDRINUSE else ""
        raise CannotListen(f"cannot listen on {host}:{port}: {reason}{hint}") from None


def check_store(settings: Settings) -> None:
    """Refuse a store that cannot be read: a folder without a store, a remote store that does not answer
    (StoreError). A folder that has no published version yet gets one (kg.store.published)."""
    from kg.search import rebuild_index
    from kg.store import open_store
    from kg.store.published import ensure_published

    if not settings.is_remote:
        ensure_published(settings.store, rebuild_index)
    with open_store(settings, read_only=True) as store:
        store.version()  # one small query: a remote store that is down or refuses says so here


def prepare_dumps(settings: Settings) -> None:
    """Make the dumps current before the first visitor asks for them; if they cannot be written, say why and serve
    all the same (the dump pages then answer 503 with the reason until they can be)."""
    from kg.dumps import DumpsError, ensure, summary
    from kg.store import open_store

    with open_store(settings, read_only=True) as store:
        try:
            print(summary(ensure(store, settings.dumps_dir), settings.dumps_dir), flush=True)
        except DumpsError as exc:
            print(f"warning: {exc}; serving without them", file=sys.stderr, flush=True)


def serve(settings: Settings, *, processes: int, threads: int) -> None:
    """Serve until interrupted; ``threads`` requests at a time per process. A store that cannot be read
    (StoreError) or an address that cannot be listened on (CannotListen) is reported here, before any worker
    starts, instead of as a crash loop of workers, a 502 on every page or a silently shared port; the dumps are
    made current here too, so the first visitor of /dumps/ does not wait for them."""
    from functools import partial

    check_store(settings)
    prepare_dumps(settings)
    check_address(settings.host, settings.port)  # last: right before granian listens

    server = Granian(
        "webapp:create_app",  # what the logs name; the app itself comes from load_app
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        workers=processes,
        blocking_threads=threads,
        respawn_failed_workers=True,
        log_level=LogLevels.warning,
    )
    print(f"serving labour-kg at http://{settings.host}:{settings.port}/", flush=True)
    server.serve(target_loader=partial(load_app, settings))
