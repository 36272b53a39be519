"""Dumps of the whole graph (/dumps/) and its VoID description (/.well-known/void).

The files are written by kg.export.write_dumps, here on first request when they are missing or older than
the store's last build, and served from disk as files: streamed, with their own ETag and Last-Modified (the files'),
and ranges; Cache-Control comes from webapp.caching, as for every read.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request, send_file

from kg.search import build_stamp
from webapp.store import get_settings, get_store

dumps = Blueprint("dumps", __name__)
_lock = threading.Lock()
VOID = "void.ttl"


def _stale(directory: Path) -> bool:
    files = list(directory.glob("labour-kg.*.gz"))
    void = directory / VOID
    if not files or not void.exists():
        return True
    stamp = build_stamp(get_store())
    if not stamp:
        return False
    built = datetime.fromisoformat(stamp)
    if built.tzinfo is None:
        built = built.replace(tzinfo=UTC)
    oldest = min(p.stat().st_mtime for p in [*files, void])
    return datetime.fromtimestamp(oldest, UTC) < built


def current_dumps() -> Path:
    """The dumps folder, (re)written first if it does not match the store's last build."""
    from kg.export import write_dumps

    directory = get_settings().dumps_dir
    with _lock:
        if _stale(directory):
            write_dumps(get_store(), directory, base_url=request.host_url)
    return directory


@dumps.get("/dumps/")
def listing() -> str:
    directory = current_dumps()
    files = [{"name": p.name, "size": p.stat().st_size,
              "modified": datetime.fromtimestamp(p.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")}
             for p in sorted(directory.glob("labour-kg.*.gz")) + [directory / VOID]]
    return render_template("dumps.html", files=files)


@dumps.get("/dumps/<name>")
def download(name: str) -> Response:
    directory = current_dumps()
    allowed = {p.name for p in directory.glob("labour-kg.*.gz")} | {VOID}
    if name not in allowed:
        abort(404)
    mimetype = "text/turtle" if name == VOID else "application/gzip"
    return send_file(directory / name, mimetype=mimetype, conditional=True, etag=True,
                     as_attachment=name != VOID)


@dumps.get("/.well-known/void")
def void() -> Response:
    return send_file(current_dumps() / VOID, mimetype="text/turtle", conditional=True, etag=True)
