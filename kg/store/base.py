"""The interface every store offers; the embedded and remote stores implement it."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO, Final

import pyoxigraph as ox

from kg.namespaces import BUILD_GRAPH, DCT, DOCUMENT_GRAPH_PREFIX, PROV

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

#: Stands for the default graph where a graph name is expected: it has no IRI, and labour-kg writes
#: nothing there, but a store may hold triples in it (``update`` without ``GRAPH``) and dumps keep them.
DEFAULT_GRAPH: Final = ""


class StoreError(Exception):
    """The store cannot be opened or refused an operation; the message says why."""


class StoreUnreadable(StoreError):
    """An embedded store's files could not be read (gone, damaged, not readable): the store's failure, not the
    request's, and perhaps a passing one (a web answer says 503)."""


class StoreRefused(StoreError):
    """A remote store understood a request and will not answer it (an HTTP 4xx); the message is its reason."""


@dataclass(frozen=True)
class StoreVersion:
    """Which commit of the graph a store holds, from its build graph: ``id`` is new with every ``kg build``,
    ``add`` and ``remove`` (the build graph is written after everything else a commit changes), ``built`` is
    when that commit ended (the ``prov:endedAtTime`` literal, ISO 8601)."""

    id: str
    built: str

    @property
    def built_at(self) -> datetime | None:
        """``built`` as an aware datetime (UTC when the literal names no zone); None if it is not a date."""
        try:
            when = datetime.fromisoformat(self.built)
        except ValueError:
            return None
        return when if when.tzinfo else when.replace(tzinfo=UTC)


#: The last commit's identifier and end; stores built before identifiers were written have only the end.
_VERSION_QUERY = (f"SELECT ?t ?id WHERE {{ GRAPH <{BUILD_GRAPH}> {{ ?run <{PROV}endedAtTime> ?t "
                  f"OPTIONAL {{ ?run <{DCT}identifier> ?id }} }} }} ORDER BY DESC(?t) LIMIT 1")


class GraphStore(abc.ABC):
    """A quad store of named graphs; queries see the union of all graphs as their default graph."""

    @abc.abstractmethod
    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[ox.Variable, ox.Term] | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        union: bool = True,
    ) -> QueryResult:
        """Run a SPARQL query; a malformed query raises SyntaxError.

        The default graph is the union of the graphs (``union=False``: the store's default graph, or the
        query's own ``FROM``), unless ``default_graphs`` or ``named_graphs`` give the dataset as the SPARQL
        protocol's ``default-graph-uri`` and ``named-graph-uri`` do: they replace the query's own.
        """

    @abc.abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update atomically; a malformed update raises SyntaxError."""

    @abc.abstractmethod
    def replace_graph(self, graph: str, quads: Iterable[ox.Quad | ox.Triple]) -> None:
        """Atomically make ``graph`` hold exactly the given triples (graph names of quads are ignored)."""

    def replace_graph_ntriples(self, graph: str, data: bytes) -> None:
        """``replace_graph`` with the triples written as N-Triples (as the build's workers send them)."""
        self.replace_graph(graph, ox.parse(data, format=ox.RdfFormat.N_TRIPLES))

    def add_new_graphs(self, graphs: Sequence[tuple[str, bytes]]) -> None:
        """Add graphs the store does not hold, each given as N-Triples, as fast as the store can write them.

        Not atomic: a failure may leave some of them written in part. kg.writer tells a whole graph by what it
        writes after it. Here, one ``replace_graph_ntriples`` each (a store with a faster way overrides this)."""
        for graph, data in graphs:
            self.replace_graph_ntriples(graph, data)

    @abc.abstractmethod
    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Remove named graphs, atomically."""

    @abc.abstractmethod
    def graphs(self) -> list[str]:
        """Names of the named graphs, sorted (the default graph is not listed)."""

    @abc.abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad (of one graph if named; ``DEFAULT_GRAPH`` for the default graph), streamed."""

    @abc.abstractmethod
    def dump(self, output: BinaryIO, fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """Serialise the store (or one graph) to a binary stream, streamed, in the store's own order.

        A triple format without a graph gets the union of the graphs (duplicates not removed);
        ``kg.export`` is the place for sorted, duplicate-free dumps.
        """

    def close(self) -> None:  # noqa: B027 - stores without resources need nothing here
        """Release the store (flush pending writes)."""

    def current(self) -> GraphStore:
        """The store to read one request from, start to end: a reader of published versions
        (kg.store.published) gives the newest one, which then stays as it is; other stores are themselves."""
        return self

    def reopen(self) -> GraphStore:
        """What to read from after a read of :meth:`current` failed: a fresh handle on the newest published
        version; other stores are themselves."""
        return self

    def version(self) -> StoreVersion | None:
        """The commit the store holds now (None for a store no build wrote to); one small query."""
        rows = self.select(_VERSION_QUERY)
        if not rows:
            return None
        built = rows[0]["t"].value
        return StoreVersion(rows[0]["id"].value if "id" in rows[0] else built, built)

    def document_graphs(self) -> list[str]:
        return [g for g in self.graphs() if g.startswith(DOCUMENT_GRAPH_PREFIX)]

    def select(self, sparql: str, **kwargs: object) -> list[dict[str, ox.Term]]:
        """A SELECT query's rows as dicts of variable name -> term (unbound variables left out)."""
        result = self.query(sparql, **kwargs)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        # a solution iterates as its terms in variable order: cheaper than looking each name up twice
        return [{n: t for n, t in zip(names, row, strict=True) if t is not None} for row in result]

    def triples(self, sparql: str) -> list[ox.Triple]:
        """A CONSTRUCT or DESCRIBE query's triples."""
        result = self.query(sparql)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("triples() needs a CONSTRUCT or DESCRIBE query")
        return list(result)

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def as_triple(statement: ox.Quad | ox.Triple) -> ox.Triple:
    """The triple of a quad (a triple stays as it is)."""
    return statement.triple if isinstance(statement, ox.Quad) else statement
