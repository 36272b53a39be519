"""The default store: pyoxigraph (RocksDB) in a folder on disk.

RocksDB lets one process at a time open a folder for writing; a second writer (another build, or
a server opened read-write) gets a StoreError that says so. Readers open the versions the writer publishes
(kg.store.published), never the folder being written; a read-only handle on the folder itself is for stores
no build has published (a store made before versions were published, or written by tests directly).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.dataset import query_options
from kg.store.base import DEFAULT_GRAPH, GraphStore, QueryResult, StoreError, StoreUnreadable, StoreVersion, as_triple

#: RocksDB writes this file first and keeps it for the life of the database.
_MARKER = "CURRENT"


class EmbeddedStore(GraphStore):
    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        check_folder(self.path, read_only)
        try:
            if read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise (StoreUnreadable if read_only else StoreError)(_explain(self.path, exc)) from exc

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        """A throw-away store (tests, validation scratch space)."""
        self = cls.__new__(cls)
        self.path = Path(":memory:")
        self._store = ox.Store()
        self.read_only = False
        return self

    @property
    def on_disk(self) -> bool:
        """Whether the store lives in a folder (not in memory)."""
        return self.path.name != ":memory:"

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store underneath, for bulk work that needs its native API."""
        return self._store

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[ox.Variable, ox.Term] | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        union: bool = True,
    ) -> QueryResult:
        options = query_options(default_graphs, named_graphs, union=union)
        try:
            return self._store.query(sparql, substitutions=substitutions, **options)
        except OSError as exc:
            raise self.unreadable(exc) from exc

    def select(self, sparql: str, **kwargs: object) -> list[dict[str, ox.Term]]:
        try:  # answers are read as they are iterated: a failure may come after query() returned
            return super().select(sparql, **kwargs)
        except OSError as exc:
            raise self.unreadable(exc) from exc

    def triples(self, sparql: str) -> list[ox.Triple]:
        try:
            return super().triples(sparql)
        except OSError as exc:
            raise self.unreadable(exc) from exc

    def unreadable(self, exc: OSError) -> StoreUnreadable:
        return StoreUnreadable(f"the store at {self.path} could not be read: {exc}")

    def version(self) -> StoreVersion | None:
        """Read once for a read-only handle: it sees the store as it was when opened, whatever is written later
        (readers follow new commits through kg.store.published)."""
        if not self.read_only:
            return super().version()
        if not hasattr(self, "_version"):
            self._version = super().version()
        return self._version

    def update(self, sparql: str) -> None:
        self._writable()
        try:
            self._store.update(sparql)
        except OSError as exc:
            raise StoreError(f"the store at {self.path} failed: {exc}") from exc

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad | ox.Triple]) -> None:
        self.replace_graph_ntriples(graph, ox.serialize((as_triple(q) for q in quads), format=ox.RdfFormat.N_TRIPLES))

    def replace_graph_ntriples(self, graph: str, data: bytes) -> None:
        # One transaction either way: readers see the old graph or the new one, never a mix. (pyoxigraph's bulk
        # loaders are faster still but commit in pieces, so they cannot give this.)
        g = ox.NamedNode(graph)
        if self._store.contains_named_graph(g):  # one SPARQL update
            self.update(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{data.decode()}}} }}")
            return
        self._writable()
        try:  # a new graph: one transactional load, a third cheaper than the update
            self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=g)
        except OSError as exc:
            raise StoreError(f"the store at {self.path} failed: {exc}") from exc

    def add_new_graphs(self, graphs: Sequence[tuple[str, bytes]]) -> None:
        # pyoxigraph's bulk loader: sorted table files ingested whole, three times faster than a transaction per
        # graph for document graphs, with far less compaction after. N-Triples lines all end " .\n" (a literal's
        # line breaks are escaped), so each one becomes an N-Quads line by naming its graph there.
        data = b"".join(nt.replace(b" .\n", f" {ox.NamedNode(graph)} .\n".encode()) for graph, nt in graphs)
        self._writable()
        try:
            self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        except OSError as exc:
            raise StoreError(f"the store at {self.path} failed: {exc}") from exc

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        ops = " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs)
        if ops:
            self.update(ops)

    def graphs(self) -> list[str]:
        try:
            return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))
        except OSError as exc:
            raise self.unreadable(exc) from exc

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        return iter(self._store.quads_for_pattern(None, None, None, _graph_term(graph)))

    def dump(self, output: BinaryIO, fmt: ox.RdfFormat, graph: str | None = None) -> None:
        if graph is None and not fmt.supports_datasets:
            ox.serialize((q.triple for q in self._store), output, fmt)
        elif graph is None:
            self._store.dump(output, fmt)
        else:
            self._store.dump(output, fmt, from_graph=_graph_term(graph))

    def close(self) -> None:
        if not self.read_only:
            self._store.flush()

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only")


def _graph_term(graph: str | None) -> ox.NamedNode | ox.DefaultGraph | None:
    if graph is None:
        return None
    return ox.DefaultGraph() if graph == DEFAULT_GRAPH else ox.NamedNode(graph)


def check_folder(path: Path, read_only: bool) -> None:
    """Refuse what is not a store before RocksDB writes its files into someone's folder."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store folder")
    is_store = (path / _MARKER).is_file()
    if read_only and not is_store:
        raise StoreError(f"no store at {path}: run `kg build` first")
    if not read_only and path.is_dir() and not is_store and any(path.iterdir()):
        raise StoreError(f"{path} is not a store: it holds other files (choose an empty or new folder)")


def _explain(path: Path, exc: OSError) -> str:
    text = str(exc)
    if "lock" in text.lower():
        return (f"the store at {path} is in use by another process (a running build or server?); "
                f"wait for it to finish, or open the store read-only")
    return f"cannot open the store at {path}: {text}"
