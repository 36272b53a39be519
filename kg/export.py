"""Dumps of the graph in the standard RDF formats, streamed from the store."""

from __future__ import annotations

import gzip as gzip_module
import sys
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.store import GraphStore

#: name -> (format, file extension)
FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "turtle": (ox.RdfFormat.TURTLE, "ttl"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "nt"),
    "nquads": (ox.RdfFormat.N_QUADS, "nq"),
    "trig": (ox.RdfFormat.TRIG, "trig"),
    "jsonld": (ox.RdfFormat.JSON_LD, "jsonld"),
}


def export(store: GraphStore, fmt: str, output: Path | None = None, *, gzip: bool = False) -> None:
    """Write the store as ``fmt`` to a file (or standard output)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    rdf_format = FORMATS[fmt][0]
    if output is None:
        write(store, rdf_format, sys.stdout.buffer, gzip=gzip)
        sys.stdout.buffer.flush()
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as out:
        write(store, rdf_format, out, gzip=gzip)


def write(store: GraphStore, rdf_format: ox.RdfFormat, out: BinaryIO, *, gzip: bool = False) -> None:
    if gzip:
        with gzip_module.GzipFile(fileobj=out, mode="wb", mtime=0) as zipped:
            store.dump(zipped, rdf_format)
    else:
        store.dump(out, rdf_format)


__all__ = ["FORMATS", "PREFIXES", "export", "write"]
