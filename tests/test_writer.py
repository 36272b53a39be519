"""kg.writer: new document graphs go in bulk with their fingerprints after them; changed ones are replaced whole."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg import namespaces as ns
from kg.store.embedded import EmbeddedStore
from kg.writer import (
    BATCH_TRIPLES,
    FINGERPRINT,
    DocumentGraph,
    DocumentWriter,
    drop_unfinished,
    stored_fingerprints,
)

E = "https://example.org/"


def doc(doc_id: str, *objects: str, fingerprint: str = "f1") -> DocumentGraph:
    lines = [f"<{E}{doc_id}> <{E}says> {ox.Literal(o)} .\n" for o in objects]
    return DocumentGraph(doc_id, "".join(lines).encode(), fingerprint, len(lines) + 1)


def said(store: EmbeddedStore, doc_id: str) -> list[str]:
    return sorted(q.object.value for q in store.quads(ns.document_graph(doc_id)) if q.predicate.value == E + "says")


def test_new_graphs_wait_for_a_batch_and_get_their_fingerprints_after_them(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        writer = DocumentWriter(store, 60)
        assert writer.write(doc("a", "x")) == []
        assert store.document_graphs() == []  # waiting for the batch
        written = writer.flush()
        assert [d.id for d in written] == ["a"]
        assert said(store, "a") == ["x"]
        assert stored_fingerprints(store) == {ns.document_graph("a"): "f1"}


def test_a_full_batch_is_written_without_waiting_for_the_end(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        writer = DocumentWriter(store, 60)
        big = DocumentGraph("big", b"", "f", BATCH_TRIPLES)
        assert [d.id for d in writer.write(doc("a", "x"))] == []
        assert [d.id for d in writer.write(big)] == ["a", "big"]


def test_a_document_already_stored_is_replaced_whole_in_one_step(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        writer = DocumentWriter(store, 60)
        writer.write(doc("a", "old one", "old two"))
        writer.flush()
        written = DocumentWriter(store, 60).write(doc("a", "new", fingerprint="f2"))
        assert [d.id for d in written] == ["a"]  # not kept waiting
        assert said(store, "a") == ["new"]
        assert stored_fingerprints(store) == {ns.document_graph("a"): "f2"}


def test_the_same_document_twice_in_one_run_keeps_only_the_second(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        writer = DocumentWriter(store, 60)
        writer.write(doc("a", "first"))
        written = writer.write(doc("a", "second", fingerprint="f2"))
        assert [d.id for d in written] == ["a", "a"]
        assert said(store, "a") == ["second"]
        assert stored_fingerprints(store) == {ns.document_graph("a"): "f2"}


def test_literals_that_look_like_line_ends_survive_the_bulk_load(tmp_path):
    tricky = ["ends with a dot .", "two\nlines .\nhere", 'quoted " . "', "tab\t."]
    with EmbeddedStore(tmp_path / "store") as store:
        writer = DocumentWriter(store, 60)
        writer.write(doc("a", *tricky))
        writer.flush()
        assert said(store, "a") == sorted(tricky)


def killed_before_the_fingerprints(store: EmbeddedStore, *docs: DocumentGraph) -> None:
    """What a run killed between a bulk write and its fingerprints leaves in the store."""
    write = store.update

    def update(sparql: str) -> None:
        if str(FINGERPRINT) in sparql:
            raise KeyboardInterrupt
        write(sparql)

    store.update = update
    writer = DocumentWriter(store, 60)
    for d in docs:
        writer.write(d)
    with pytest.raises(KeyboardInterrupt):
        writer.flush()
    store.update = write


def test_only_graphs_a_run_left_in_the_middle_of_writing_are_unfinished(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        writer = DocumentWriter(store, 60)
        writer.write(doc("whole", "x"))
        writer.flush()
        # a graph without a fingerprint that no run was writing (loaded by other means) is not touched
        store.replace_graph_ntriples(ns.document_graph("loaded"), doc("loaded", "z").ntriples)
        killed_before_the_fingerprints(store, doc("half", "y"))
        assert said(store, "half") == ["y"]
        assert drop_unfinished(store) == [ns.document_graph("half")]
        assert store.document_graphs() == [ns.document_graph("loaded"), ns.document_graph("whole")]
        assert ns.WRITING_GRAPH not in store.graphs()
        assert drop_unfinished(store) == []


def test_a_finished_batch_leaves_no_writing_graph(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        writer = DocumentWriter(store, 60)
        writer.write(doc("a", "x"))
        writer.flush()
        assert ns.WRITING_GRAPH not in store.graphs()


def test_new_graphs_wait_no_longer_than_the_batch_time(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        writer = DocumentWriter(store, 0)
        assert [d.id for d in writer.write(doc("a", "x"))] == ["a"]
        assert said(store, "a") == ["x"]


def test_a_negative_batch_time_is_refused(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store, pytest.raises(ValueError, match="0 seconds or more"):
        DocumentWriter(store, -1)
