"""Writing document graphs to the store: new ones in bulk, changed ones one transaction each, fingerprints last.

A document graph is whole when it holds its fingerprint (kg.build.record_fingerprint), the last thing written of
it. A changed document replaces its graph in one transaction, fingerprint included, so it is always as it was or
replaced whole. New documents, nearly all of a large ``kg add``, are gathered and written together with the
store's fastest way (``GraphStore.add_new_graphs``, the bulk loader of the embedded store: three times faster
than a transaction each): first their names go into the writing graph (``WRITING_GRAPH``), then their triples,
then, in one update, their fingerprints and the writing graph's removal. A run that dies in between leaves the
names there: :func:`drop_unfinished` removes those graphs as the next run starts, which then writes them again
if they are among its documents (they are not known as done). Nothing else is ever removed for lacking a
fingerprint. Readers never see unfinished graphs: they read only what a run publishes when it ends
(kg.store.published).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyoxigraph as ox

from kg import namespaces as ns
from kg.store import GraphStore

FINGERPRINT = ox.NamedNode(ns.LKG + "fingerprint")
_WRITING = ox.NamedNode(ns.WRITING_GRAPH)
_TYPE = ox.NamedNode(ns.RDF + "type")
_UNFINISHED = ox.NamedNode(ns.LKG + "UnfinishedGraph")  # only ever in the writing graph
#: New graphs are written when this many triples wait (or when the oldest has waited the writer's seconds).
BATCH_TRIPLES = 250_000


@dataclass(frozen=True)
class DocumentGraph:
    """One document's validated graph: its triples as N-Triples, without the fingerprint, which comes apart."""

    id: str
    ntriples: bytes
    fingerprint: str
    triples: int

    @property
    def graph(self) -> str:
        return ns.document_graph(self.id)

    def fingerprint_line(self) -> bytes:
        return f"{fingerprint_quad(self.id, self.fingerprint).triple} .\n".encode()


def fingerprint_quad(doc_id: str, fingerprint: str) -> ox.Quad:
    """The statement that a document's graph is whole, in that graph."""
    graph = ox.NamedNode(ns.document_graph(doc_id))
    return ox.Quad(graph, FINGERPRINT, ox.Literal(fingerprint), graph)


class DocumentWriter:
    """Takes document graphs one at a time and writes them; :meth:`flush` before the run ends.

    New graphs wait until ``batch_seconds`` have passed since the first of them (or ``BATCH_TRIPLES`` wait): each
    batch written makes work for the store's compaction, so fewer, larger batches cost less (a 1,000-page run:
    half the compaction with 10-second batches than with 2-second ones), while a run that dies loses at most
    that long of its work."""

    def __init__(self, store: GraphStore, batch_seconds: float) -> None:
        if batch_seconds < 0:
            raise ValueError(f"a batch of new documents lasts 0 seconds or more, not {batch_seconds}")
        self.store = store
        self.batch_seconds = batch_seconds
        self.present = set(store.document_graphs())
        self.waiting: dict[str, DocumentGraph] = {}  # by graph
        self.waiting_triples = 0
        self.since = 0.0

    def write(self, doc: DocumentGraph) -> list[DocumentGraph]:
        """Write (or keep for the next batch) one document graph; returns the documents written by this call."""
        if doc.graph in self.present or doc.graph in self.waiting:
            written = self.flush()  # the same graph twice in a batch would be merged by the bulk loader
            self.store.replace_graph_ntriples(doc.graph, doc.ntriples + doc.fingerprint_line())
            self.present.add(doc.graph)
            return [*written, doc]
        if not self.waiting:
            self.since = time.monotonic()
        self.waiting[doc.graph] = doc
        self.waiting_triples += doc.triples
        if self.waiting_triples >= BATCH_TRIPLES or time.monotonic() - self.since >= self.batch_seconds:
            return self.flush()
        return []

    def flush(self) -> list[DocumentGraph]:
        """Write the new graphs waiting, then their fingerprints; returns them."""
        written, self.waiting, self.waiting_triples = list(self.waiting.values()), {}, 0
        if written:
            self.store.update(f"INSERT DATA {{ GRAPH {_WRITING} {{\n" + "".join(
                f"{ox.NamedNode(d.graph)} {_TYPE} {_UNFINISHED} .\n" for d in written) + "} }")
            self.store.add_new_graphs([(d.graph, d.ntriples) for d in written])
            self.store.update("INSERT DATA {\n" + "".join(
                f"GRAPH {ox.NamedNode(d.graph)} {{ {d.fingerprint_line().decode()} }}\n" for d in written)
                + f"}} ;\nDROP SILENT GRAPH {_WRITING}")
            self.present.update(d.graph for d in written)
        return written


def stored_fingerprints(store: GraphStore) -> dict[str, str]:
    """The fingerprint of every whole document graph in the store, by graph."""
    rows = store.select(
        f"SELECT ?g ?f WHERE {{ GRAPH ?g {{ ?g {FINGERPRINT} ?f }} "
        f'FILTER(STRSTARTS(STR(?g), "{ns.DOCUMENT_GRAPH_PREFIX}")) }}'
    )
    return {r["g"].value: r["f"].value for r in rows}


def drop_unfinished(store: GraphStore) -> list[str]:
    """Remove the document graphs a run stopped writing, named in the writing graph; returns them."""
    rows = store.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH {_WRITING} {{ ?g {_TYPE} {_UNFINISHED} }} }}")
    unfinished = sorted(r["g"].value for r in rows)
    if unfinished:
        store.drop_graphs([*unfinished, _WRITING.value])
    return unfinished
