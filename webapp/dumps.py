"""Dumps of the whole graph (/dumps/) and its VoID description (/.well-known/void).

``kg build`` (and ``add``, ``remove``) writes the files with kg.export.write_dumps; the site only reads them,
served from disk: streamed, with their own ETag and Last-Modified (the files') and ranges; Cache-Control comes
from webapp.caching, as for every read, and the listing's validators are made from the files as well as the
store's version (:func:`files_stamp`). The VoID description gets this site's addresses (endpoint, download
links) added as it is served.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request, send_file

from kg.export import DUMP_STEM
from kg.void import with_addresses
from webapp.store import get_settings

dumps = Blueprint("dumps", __name__)
VOID = "void.ttl"
#: Where the dumps and their description are served (path prefixes).
PATHS = ("/dumps/", "/.well-known/void")
#: What a missing file's answer says.
NOT_WRITTEN = "no dumps have been written yet: kg build writes them (to the folder KG_DUMPS names)"


def _dump_files(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"{DUMP_STEM}.*.gz"))


def files_stamp(directory: Path) -> tuple[str, float]:
    """What the listing shows of the files (names, sizes, times) as a token, and the newest time: the build writes
    the dumps after its commit, so the pages about them are validated by the files too (webapp.caching)."""
    seen, newest = [], 0.0
    for path in [*_dump_files(directory), directory / VOID]:
        try:
            found = path.stat()
        except FileNotFoundError:
            continue
        seen.append(f"{path.name}:{found.st_size}:{found.st_mtime_ns}")
        newest = max(newest, found.st_mtime)
    return "|".join(seen), newest


@dumps.get("/dumps/")
def listing() -> str:
    directory = get_settings().dumps_dir
    paths = _dump_files(directory) + [p for p in (directory / VOID,) if p.exists()]
    files = [{"name": p.name, "size": len(_served_void(p)) if p.name == VOID else p.stat().st_size,
              "modified": datetime.fromtimestamp(p.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")}
             for p in paths]
    return render_template("dumps.html", files=files)


@dumps.get("/dumps/<name>")
def download(name: str) -> Response:
    directory = get_settings().dumps_dir
    if name == VOID:
        return void()
    if name not in {p.name for p in _dump_files(directory)}:
        abort(404)
    return send_file(directory / name, mimetype="application/gzip", conditional=True, etag=True, as_attachment=True)


@dumps.get("/.well-known/void")
def void() -> Response:
    path = get_settings().dumps_dir / VOID
    try:
        stat = path.stat()
    except FileNotFoundError:
        return Response(NOT_WRITTEN + "\n", status=404, mimetype="text/plain")
    response = Response(_served_void(path, stat), mimetype="text/turtle")
    response.last_modified = datetime.fromtimestamp(stat.st_mtime, UTC)
    response.add_etag()
    return response.make_conditional(request)


def _served_void(path: Path, stat: os.stat_result | None = None) -> bytes:
    """void.ttl as this site serves it."""
    stat = stat or path.stat()
    return _described(str(path), stat.st_mtime_ns, stat.st_size, request.host_url)


@lru_cache(maxsize=16)
def _described(path: str, _mtime_ns: int, _size: int, base_url: str) -> bytes:
    """void.ttl with this site's addresses, remade when the file changes (its time and size are the key)."""
    return with_addresses(Path(path).read_bytes(), base_url)
