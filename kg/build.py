"""Building the store: documents -> extraction -> SHACL gate -> the store, each document graph whole.

Extraction and validation run in worker processes (all cores); the parent alone writes to the store
(kg.writer: a changed document in one transaction, new ones in bulk with their fingerprints last), so a crash
leaves every document as it was, replaced whole, or (new, its fingerprint not yet written) for the next run to
remove.
A document whose fingerprint (its record + the extraction code and reference data) is already in the store is
skipped, which is what lets an interrupted build finish when run again.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from tqdm import tqdm

import kg
from kg import namespaces as ns
from kg.config import ROOT, Settings
from kg.corpus import CorpusError, Record, read_corpus
from kg.store import GraphStore, StoreError
from kg.writer import DocumentGraph, DocumentWriter, drop_unfinished, fingerprint_quad, stored_fingerprints


@dataclass
class DocumentOutcome:
    """What happened to one document."""

    id: str
    status: str  # "added", "unchanged", "failed"
    message: str = ""
    triples: int = 0


@dataclass
class BuildReport:
    outcomes: list[DocumentOutcome] = field(default_factory=list)
    input_errors: list[CorpusError] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[CorpusError] = field(default_factory=list)  # left out on purpose (summary-only feed entries)
    #: graphs an interrupted run had not finished writing, removed as this one starts (kg.writer)
    unfinished: list[str] = field(default_factory=list)
    #: why readers of an embedded store cannot see the commit (kg.store.published), if they cannot
    publish_error: str = ""
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step of the run

    @contextmanager
    def timed(self, step: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[step] = self.seconds.get(step, 0.0) + time.perf_counter() - start

    @property
    def failed(self) -> list[DocumentOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.input_errors and not self.publish_error

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def lines(self) -> list[str]:
        out = [f"skipped: {s}" for s in self.skipped]
        out += [f"warning: removed {g}: an interrupted run had not finished writing it; add its document again"
                for g in self.unfinished]
        out += [f"error: {e}" for e in self.input_errors]
        out += [f"error: {o.id}: {o.message}" for o in self.failed]
        if self.publish_error:
            out.append(f"error: {self.publish_error}")
        out.append(
            f"{self.count('added')} documents added, {self.count('unchanged')} unchanged, "
            f"{len(self.failed) + len(self.input_errors)} failed, {len(self.removed)} removed"
            + (f", {len(self.skipped)} skipped" if self.skipped else "")
        )
        return out


@cache
def code_fingerprint() -> str:
    """Hash of everything that shapes a document's graph besides the document itself."""
    h = hashlib.sha256(kg.__version__.encode())
    sources = sorted((ROOT / "kg" / "pipeline").rglob("*.py")) + [ROOT / "kg" / "docgraph.py"]
    sources += sorted((ROOT / "ontology").rglob("*.ttl")) + sorted((ROOT / "shapes").rglob("*.ttl"))
    for path in sources:
        if path.is_file():
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def record_fingerprint(record: Record, base: str) -> str:
    fields = {k: v for k, v in asdict(record).items() if k != "source"}
    payload = json.dumps([fields, base, code_fingerprint()], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def process_document(record: Record, base: str) -> tuple[str, DocumentGraph | None, str]:
    """Worker: extract, turn into quads, validate. Returns (id, the document graph or None, why not)."""
    from kg.docgraph import document_quads
    from kg.pipeline import extract
    from kg.validate import validate_document

    try:
        quads = document_quads(record, extract(record), base=base)
    except Exception as exc:  # a bug on one document must not stop the build: report it
        return record.id, None, f"extraction failed: {type(exc).__name__}: {exc}"
    quads += provenance_quads(record, base)
    fingerprint = record_fingerprint(record, base)
    report = validate_document([*quads, fingerprint_quad(record.id, fingerprint)])
    if not report.conforms:
        return record.id, None, "does not conform to the shapes:\n" + report.text(violations_only=True)
    data = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    return record.id, DocumentGraph(record.id, data, fingerprint, len(quads) + 1), ""


def provenance_quads(record: Record, base: str) -> list[ox.Quad]:
    """The document graph describes itself: derived from its document (kg.writer adds the fingerprint of its
    inputs, last)."""
    graph = ox.NamedNode(ns.document_graph(record.id))
    return [
        ox.Quad(graph, ox.NamedNode(ns.RDF + "type"), ox.NamedNode(ns.PROV + "Entity"), graph),
        ox.Quad(graph, ox.NamedNode(ns.PROV + "wasDerivedFrom"), ox.NamedNode(ns.document_iri(record.id, base)), graph),
    ]


def _process_star(args: tuple[Record, str]) -> tuple[str, DocumentGraph | None, str]:
    return process_document(*args)


def ingest(
    store: GraphStore,
    records: Sequence[Record],
    settings: Settings,
    *,
    progress: bool = True,
    force: bool = False,
) -> list[DocumentOutcome]:
    """Add or replace documents; each one is committed only when it conforms to the shapes."""
    known = {} if force else stored_fingerprints(store)
    todo, outcomes = [], []
    for r in records:
        if known.get(ns.document_graph(r.id)) == record_fingerprint(r, settings.base):
            outcomes.append(DocumentOutcome(r.id, "unchanged"))
        else:
            todo.append(r)
    bar = tqdm(total=len(todo), unit="doc", desc="extracting", disable=not progress, file=sys.stderr)
    writer = DocumentWriter(store, settings.commit_seconds)

    def written(docs: list[DocumentGraph]) -> None:
        outcomes.extend(DocumentOutcome(d.id, "added", triples=d.triples) for d in docs)

    for doc_id, doc, message in _map(_process_star, [(r, settings.base) for r in todo], settings.workers):
        if doc is None:
            outcomes.append(DocumentOutcome(doc_id, "failed", message))
        else:
            written(writer.write(doc))
        bar.update()
    written(writer.flush())
    bar.close()
    return outcomes


def _map(fn: Callable, items: list, workers: int) -> Iterable:
    if workers <= 1 or len(items) <= 1:
        return map(fn, items)
    pool = ProcessPoolExecutor(max_workers=min(workers, len(items)))
    return _close_after(pool, pool.map(fn, items, chunksize=1))


def _close_after(pool: ProcessPoolExecutor, results: Iterable) -> Iterable:
    with pool:
        yield from results


def build(store: GraphStore, settings: Settings, *, progress: bool = True) -> BuildReport:
    """(Re)build the store from the settings' corpus: documents not in it are removed."""
    start = time.perf_counter()
    corpus = read_corpus(settings.corpus)
    report = BuildReport(input_errors=corpus.errors, skipped=corpus.skipped, unfinished=drop_unfinished(store))
    report.seconds["read"] = time.perf_counter() - start
    with report.timed("knowledge"):
        load_knowledge(store, settings)
    with report.timed("documents"):
        report.outcomes = ingest(store, corpus.records, settings, progress=progress)
    wanted = {ns.document_graph(r.id) for r in corpus.records}
    report.removed = [g for g in store.document_graphs() if g not in wanted]
    store.drop_graphs(report.removed)
    finish(store, settings, report)
    return report


def add(
    store: GraphStore, paths: Sequence[Path], settings: Settings, *, progress: bool = True, doc_id: str | None = None
) -> BuildReport:
    """Add or replace the documents of the given files by id, keeping the others.

    ``doc_id`` gives the one document the files hold that id instead of the one derived from its file or
    URL (to replace a document added earlier from another format)."""
    start = time.perf_counter()
    corpus = read_corpus(paths)
    if doc_id is not None:
        if len(corpus.records) + len(corpus.errors) != 1:
            raise ValueError(f"--id names one document, but the files hold {len(corpus.records) + len(corpus.errors)}")
        corpus.records = [replace(r, id=doc_id) for r in corpus.records]
    report = BuildReport(input_errors=corpus.errors, skipped=corpus.skipped, unfinished=drop_unfinished(store))
    report.seconds["read"] = time.perf_counter() - start
    if not store.graphs():
        with report.timed("knowledge"):
            load_knowledge(store, settings)
    with report.timed("documents"):
        report.outcomes = ingest(store, corpus.records, settings, progress=progress)
    finish(store, settings, report)
    return report


def remove(store: GraphStore, doc_ids: Sequence[str], settings: Settings) -> BuildReport:
    """Drop documents by id; what only they supported goes with their graphs."""
    present = set(store.document_graphs())
    report = BuildReport(unfinished=drop_unfinished(store))
    for doc_id in doc_ids:
        g = ns.document_graph(doc_id)
        if g in present:
            report.removed.append(g)
        else:
            report.outcomes.append(DocumentOutcome(doc_id, "failed", "no such document in the store"))
    store.drop_graphs(report.removed)
    finish(store, settings, report)
    return report


def load_knowledge(store: GraphStore, settings: Settings) -> None:
    """(Re)load the ontology and the reference knowledge into their own graphs."""
    from kg.ontology import ontology_quads, reference_quads

    store.replace_graph(ns.ONTOLOGY_GRAPH, ontology_quads(settings.ontology_dir))
    store.replace_graph(ns.REFERENCE_GRAPH, reference_quads(settings.ontology_dir))


def finish(store: GraphStore, settings: Settings, report: BuildReport) -> None:
    """Recompute the inferences, record what this run did, and then show the commit to readers with its search
    index: an embedded store publishes it (kg.store.published). The dumps follow the new version when first
    wanted (kg.dumps)."""
    from kg.ontology import materialise
    from kg.search import index_path, rebuild_index
    from kg.store.embedded import EmbeddedStore
    from kg.store.published import publish

    with report.timed("inferences"):
        materialise(store)
    with report.timed("build graph"):
        write_build_metadata(store, report)
    with report.timed("search index and publishing"):
        if isinstance(store, EmbeddedStore) and store.on_disk:
            try:
                publish(store, rebuild_index)
            except StoreError as exc:
                report.publish_error = f"{exc}; readers still see the previous commit"
        else:
            rebuild_index(store, index_path(settings))


def write_build_metadata(store: GraphStore, report: BuildReport) -> None:
    """The build graph: what this run did and when, under a new identifier, the store's version
    (kg.store.base.StoreVersion) that the web app's validators are made from. Written last, so a version is
    never seen before the data it stands for."""
    import importlib.metadata as md
    import uuid

    g = ox.NamedNode(ns.BUILD_GRAPH)
    run = ox.NamedNode(ns.BUILD_GRAPH + "#activity")
    prov, xsd = ns.PROV, ns.XSD
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    quads = [
        ox.Quad(run, ox.NamedNode(ns.RDF + "type"), ox.NamedNode(prov + "Activity"), g),
        ox.Quad(run, ox.NamedNode(prov + "endedAtTime"), ox.Literal(now, datatype=ox.NamedNode(xsd + "dateTime")), g),
        ox.Quad(run, ox.NamedNode(ns.RDFS + "comment"), ox.Literal("; ".join(report.lines()[-1:])), g),
        ox.Quad(run, ox.NamedNode(ns.DCT + "identifier"), ox.Literal(uuid.uuid4().hex), g),
    ]
    for dist in ("labour-kg", "pyoxigraph", "rdflib", "pyshacl", "owlready2"):
        try:
            version = md.version(dist)
        except md.PackageNotFoundError:
            continue
        quads.append(ox.Quad(run, ox.NamedNode(ns.LKG + "softwareVersion"), ox.Literal(f"{dist} {version}"), g))
    for doc_graph in store.document_graphs():
        quads.append(ox.Quad(ox.NamedNode(doc_graph), ox.NamedNode(prov + "wasGeneratedBy"), run, g))
    store.replace_graph(ns.BUILD_GRAPH, quads)
