"""Reading RDF files of any syntax into one rdflib graph (for the SHACL and OWL checks of user files)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import rdflib

QUAD_SUFFIXES = (".trig", ".nq")


def read_graph(paths: Iterable[str | Path]) -> rdflib.Graph:
    """All triples of the files in one graph; the graphs of quad formats are merged.

    Raises FileNotFoundError for a missing file and ValueError, naming the file, for unreadable RDF.
    """
    graph = rdflib.Graph()
    for path in map(Path, paths):
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {path}")
        try:
            if path.suffix in QUAD_SUFFIXES:
                dataset = rdflib.Dataset()
                dataset.parse(path)
                for s, p, o, _ in dataset.quads():
                    graph.add((s, p, o))
            else:
                graph.parse(path)
        except Exception as exc:  # rdflib raises many parser-specific types
            raise ValueError(f"{path}: not readable as RDF: {exc}") from exc
    return graph
