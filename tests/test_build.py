"""Building the store: every document in its own graph, committed whole or not at all, resumable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest
import rdflib

from kg import namespaces as ns
from kg.build import add, build, remove
from kg.store.embedded import EmbeddedStore
from kg.writer import DocumentGraph, stored_fingerprints
from tests.conftest import SEEDS
from tests.test_writer import killed_before_the_fingerprints


def sorted_nquads(store: EmbeddedStore, *, skip: tuple[str, ...] = (ns.BUILD_GRAPH,)) -> list[str]:
    return sorted(str(q) for q in store.quads() if q.graph_name.value not in skip)


def record(doc_id: str, text: str, **extra: str) -> dict:
    return {"id": doc_id, "text": text, "lang": "en", **extra}


def test_build_gives_one_graph_per_document_plus_knowledge_graphs(settings):
    with EmbeddedStore(settings.store) as store:
        report = build(store, settings, progress=False)
        assert report.ok, report.lines()
        assert report.count("added") == 5
        graphs = store.graphs()
        g, doc = ns.document_graph("seed-003"), ns.document_iri("seed-003")
        assert store.query(f"ASK {{ GRAPH <{g}> {{ <{g}> a <{ns.PROV}Entity> ; <{ns.PROV}wasDerivedFrom> <{doc}> }} }}")
        assert store.query(f"ASK {{ GRAPH <{ns.BUILD_GRAPH}> {{ <{g}> <{ns.PROV}wasGeneratedBy> ?run }} }}")
    assert [g for g in graphs if g.startswith(ns.DOCUMENT_GRAPH_PREFIX)] == [
        ns.document_graph(f"seed-00{i}") for i in range(5)
    ]
    for g in (ns.ONTOLOGY_GRAPH, ns.REFERENCE_GRAPH, ns.INFERRED_GRAPH, ns.BUILD_GRAPH):
        assert g in graphs


def test_export_of_the_built_corpus_is_turtle_that_rdflib_parses(built_store_path, tmp_path):
    out = tmp_path / "graph.ttl"
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "--store", str(built_store_path), "export", "--format", "turtle",
         "-o", str(out)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    graph = rdflib.Graph().parse(out, format="turtle")
    docs = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(ns.SCHEMA + "NewsArticle")))
    assert len(docs) == 5


def test_rebuilding_an_unchanged_corpus_changes_nothing_and_is_deterministic(settings, tmp_path):
    with EmbeddedStore(settings.store) as store:
        build(store, settings, progress=False)
        first = sorted_nquads(store)
        again = build(store, settings, progress=False)
        assert again.count("unchanged") == 5 and again.count("added") == 0
        assert sorted_nquads(store) == first
    other = settings.with_(store=str(tmp_path / "other"), workers=2)
    with EmbeddedStore(other.store) as store:
        build(store, other, progress=False)
        assert sorted_nquads(store) == first


def test_bad_documents_are_reported_and_the_rest_is_built_without_losing_the_store(settings, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.json").write_text(json.dumps(record("good", "The ILO met the FTURK in Geneva.")))
    (corpus / "empty.json").write_text(json.dumps(record("empty", " ")))
    (corpus / "broken.json").write_text('{"id": "broken", ')
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02")
    with EmbeddedStore(settings.store) as store:
        build(store, settings, progress=False)
        before = sorted_nquads(store, skip=(ns.BUILD_GRAPH, ns.INFERRED_GRAPH))
        report = add(store, [corpus], settings, progress=False)
        assert not report.ok
        assert report.count("added") == 1
        assert len(report.input_errors) == 3
        after = sorted_nquads(store, skip=(ns.BUILD_GRAPH, ns.INFERRED_GRAPH))
    kept = [q for q in after if ns.document_graph("good") not in q]
    assert kept == before


def test_a_document_that_violates_a_shape_is_not_committed(settings, tmp_path, monkeypatch):
    import kg.docgraph

    real = kg.docgraph.document_quads

    def with_a_defect(rec, extraction, base=ns.INSTANCE_BASE):
        quads = real(rec, extraction, base=base)
        g = ox.NamedNode(ns.document_graph(rec.id))
        event = ox.NamedNode(base + "event/broken")
        date = ox.NamedNode(ns.XSD + "date")
        quads += [
            ox.Quad(event, ox.NamedNode(ns.RDF + "type"), ox.NamedNode(ns.SCHEMA + "Event"), g),
            ox.Quad(event, ox.NamedNode(ns.RDFS + "label"), ox.Literal("Broken", language="en"), g),
            ox.Quad(event, ox.NamedNode(ns.SCHEMA + "startDate"), ox.Literal("2020-05-02", datatype=date), g),
            ox.Quad(event, ox.NamedNode(ns.SCHEMA + "endDate"), ox.Literal("2020-05-01", datatype=date), g),
            ox.Quad(ox.NamedNode(ns.document_iri(rec.id)), ox.NamedNode(ns.SCHEMA + "mentions"), event, g),
        ]
        return quads

    with EmbeddedStore(settings.store) as store:
        build(store, settings, progress=False)
        before = sorted_nquads(store, skip=(ns.BUILD_GRAPH,))
        monkeypatch.setattr(kg.docgraph, "document_quads", with_a_defect)
        changed = tmp_path / "seed-001.json"
        data = json.loads(SEEDS[1].read_text(encoding="utf-8"))
        data["text"] += "\nOne more sentence."
        changed.write_text(json.dumps(data), encoding="utf-8")
        report = add(store, [changed], settings, progress=False)
        assert [o.id for o in report.failed] == ["seed-001"]
        assert "conform" in report.failed[0].message
        assert sorted_nquads(store, skip=(ns.BUILD_GRAPH,)) == before


def test_add_replaces_exactly_one_graph_and_remove_drops_what_only_it_supported(settings, tmp_path):
    doc = tmp_path / "extra.json"
    doc.write_text(json.dumps(record("extra", "Nina Osmanova met Aigerim Zhaksybekova in Astana.")))
    with EmbeddedStore(settings.store) as store:
        build(store, settings, progress=False)
        versions = [store.version()]
        others = {g: sorted(map(str, store.quads(g))) for g in store.document_graphs()}
        assert add(store, [doc], settings, progress=False).ok
        versions.append(store.version())
        assert set(store.document_graphs()) == set(others) | {ns.document_graph("extra")}
        for g, quads in others.items():
            assert sorted(map(str, store.quads(g))) == quads
        only_here = store.select(
            f"""SELECT DISTINCT ?e WHERE {{ GRAPH <{ns.document_graph('extra')}> {{ ?d <{ns.SCHEMA}mentions> ?e }}
                FILTER NOT EXISTS {{ GRAPH ?g {{ ?x <{ns.SCHEMA}mentions> ?e }}
                                     FILTER(?g != <{ns.document_graph('extra')}>) }}
                FILTER NOT EXISTS {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ ?e ?p ?o }} }} }}"""
        )
        assert only_here, "the extra document should introduce at least one entity of its own"
        report = remove(store, ["extra", "no-such-doc"], settings)
        assert report.removed == [ns.document_graph("extra")]
        assert [o.id for o in report.failed] == ["no-such-doc"]
        for row in only_here:
            assert not store.query(f"ASK {{ {row['e']} ?p ?o }}")
        versions.append(store.version())
    # every commit is a new version of the store (what the web app's ETags are made from), even within a second
    assert len({v.id for v in versions}) == 3
    assert all(v.built_at is not None for v in versions)


def committed_documents(store_dir) -> int:
    try:
        store = EmbeddedStore(store_dir, read_only=True)
    except Exception:  # not created yet
        return 0
    return len(stored_fingerprints(store))


def test_a_build_killed_midway_leaves_a_consistent_store_that_a_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = [json.loads(p.read_text(encoding="utf-8")) for p in SEEDS]
    total = 240
    for i in range(total):
        data = dict(texts[i % len(texts)], id=f"copy-{i:03d}")
        (corpus / f"copy-{i:03d}.json").write_text(json.dumps(data), encoding="utf-8")
    store_dir = tmp_path / "store"
    cmd = [sys.executable, "-m", "kg.cli", "--store", str(store_dir), "build", "--corpus", str(corpus), "--quiet"]
    # short batches of new graphs (kg.writer), so that the build is killed between two of them
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            cwd=tmp_path, env={**os.environ, "KG_COMMIT_SECONDS": "0.5"})
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None and committed_documents(store_dir) < 2:
            time.sleep(0.2)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    with EmbeddedStore(store_dir) as store:
        committed = stored_fingerprints(store)
        assert 0 < len(committed) < total, "the build should have been killed midway"
        # every document graph with its fingerprint is whole: it has its document node
        for g in committed:
            doc_id = g.rsplit("/", 1)[1]
            assert store.query(f"ASK {{ GRAPH <{g}> {{ <{ns.document_iri(doc_id)}> a <{ns.SCHEMA}NewsArticle> }} }}")
    del store  # release the store's lock for the next build
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    # graphs left without a fingerprint are not taken as done: written again, whole
    assert summary.startswith(f"{total - len(committed)} documents added, {len(committed)} unchanged, 0 failed")
    with EmbeddedStore(store_dir) as store:
        assert len(store.document_graphs()) == len(stored_fingerprints(store)) == total


def test_graphs_an_interrupted_run_left_unfinished_are_removed_by_the_next_run(settings):
    with EmbeddedStore(settings.store) as store:
        build(store, settings.with_(corpus=SEEDS[:1]), progress=False)
        left = ns.document_graph("left-behind")
        article = f"<{ns.document_iri('left-behind')}> <{ns.RDF}type> <{ns.SCHEMA}NewsArticle> .\n".encode()
        killed_before_the_fingerprints(store, DocumentGraph("left-behind", article, "f", 2))
        report = add(store, [SEEDS[1]], settings, progress=False)
        assert left not in store.document_graphs()
        assert len(store.document_graphs()) == 2  # the two seeds: nothing else removed
    assert report.unfinished == [left]
    assert f"warning: removed {left}: an interrupted run had not finished writing it; add its document again" \
        in report.lines()
    assert report.ok


@pytest.mark.parametrize("workers", [1, 2])
def test_build_reports_progress_counts(settings, workers):
    settings = settings.with_(workers=workers)
    with EmbeddedStore(settings.store) as store:
        report = build(store, settings, progress=False)
    assert report.lines()[-1].startswith("5 documents added, 0 unchanged, 0 failed")


def test_build_add_and_remove_commit_without_writing_the_dumps(settings):
    """The dumps follow the store's version when they are first wanted (kg.dumps), not every commit."""
    settings = settings.with_(corpus=SEEDS[:2])
    with EmbeddedStore(settings.store) as store:
        reports = [build(store, settings, progress=False), remove(store, ["seed-000"], settings),
                   add(store, SEEDS[:1], settings, progress=False)]
    for report in reports:
        assert report.ok, report.lines()
        assert not [line for line in report.lines() if "dumps" in line] and "dumps" not in report.seconds
    assert not settings.dumps_dir.exists()
