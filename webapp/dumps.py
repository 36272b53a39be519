"""Dumps of the whole graph (/dumps/) and its VoID description (/.well-known/void).

The files are those of the version of the store the request reads: each page first has kg.dumps make them if they
are of another version (the first request after a commit writes them, others wait for it), then reads them while no
one may replace them. So the site's validators, made from the store's version (webapp.caching), cover these pages
as they cover the others. Files are served from disk: streamed, with their own ETag and Last-Modified and ranges.
The VoID description gets this site's addresses (endpoint, download links) added as it is served. Dumps that
cannot be written get a 503 with the reason (webapp.errors).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request, send_file

from kg.dumps import VOID, Stamp, dump_names, reading
from kg.void import with_addresses
from webapp.store import get_settings, get_store

dumps = Blueprint("dumps", __name__)


@dumps.get("/dumps/")
def listing() -> str:
    directory = get_settings().dumps_dir
    with reading(get_store(), directory) as stamp:
        files = [{"name": name, "size": (directory / name).stat().st_size} for name in dump_names()]
        files.append({"name": VOID, "size": len(_served_void(directory, stamp))})
    return render_template("dumps.html", files=files, stamp=stamp)


@dumps.get("/dumps/<name>")
def download(name: str) -> Response:
    if name == VOID:
        return void()
    if name not in dump_names():
        abort(404)
    directory = get_settings().dumps_dir
    with reading(get_store(), directory):
        # opened here, under the lock: the file streamed is this version's even if the next one replaces it
        return send_file(directory / name, mimetype="application/gzip", conditional=True, etag=True,
                         as_attachment=True)


@dumps.get("/.well-known/void")
def void() -> Response:
    directory = get_settings().dumps_dir
    with reading(get_store(), directory) as stamp:
        return Response(_served_void(directory, stamp), mimetype="text/turtle")


def _served_void(directory: Path, stamp: Stamp) -> bytes:
    """void.ttl as this site serves it."""
    return _described(str(directory / VOID), stamp, request.host_url)


@lru_cache(maxsize=16)
def _described(path: str, _stamp: Stamp, base_url: str) -> bytes:
    """void.ttl with this site's addresses, remade when the files are written again (the stamp is the key)."""
    return with_addresses(Path(path).read_bytes(), base_url)
