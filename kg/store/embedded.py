"""The default store: pyoxigraph (RocksDB) in a folder on disk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.store.base import GraphStore, QueryResult, StoreError


class EmbeddedStore(GraphStore):
    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        try:
            if read_only:
                if not self.path.exists():
                    raise StoreError(f"no store at {self.path}: run `kg build` first")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc
        self.read_only = read_only

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        """A throw-away store (tests, validation scratch space)."""
        self = cls.__new__(cls)
        self.path = Path(":memory:")
        self._store = ox.Store()
        self.read_only = False
        return self

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store underneath, for bulk work that needs its native API."""
        return self._store

    def query(self, sparql: str, *, substitutions: dict[ox.Variable, ox.Term] | None = None) -> QueryResult:
        return self._store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)

    def update(self, sparql: str) -> None:
        self._store.update(sparql)

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        g = ox.NamedNode(graph)
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
        # one SPARQL update is one transaction: readers see the old graph or the new one, never a mix
        self._store.update(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        ops = " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs)
        if ops:
            self._store.update(ops)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        g = ox.NamedNode(graph) if graph else None
        return iter(self._store.quads_for_pattern(None, None, None, g))

    def dump(self, output: BinaryIO, fmt: ox.RdfFormat, graph: str | None = None) -> None:
        if graph is None and not fmt.supports_datasets:
            # a triple format gets the union of all graphs
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in self._store), output, fmt)
            return
        kwargs = {"from_graph": ox.NamedNode(graph)} if graph else {}
        self._store.dump(output, fmt, **kwargs)

    def close(self) -> None:
        if not self.read_only:
            self._store.flush()
