"""The query worker pool: answers like the store itself, writes answers ready to serve, survives dead workers,
reports a store it cannot open."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import BuildReport, write_build_metadata
from kg.search import rebuild_index
from kg.store.embedded import EmbeddedStore
from kg.store.published import PublishedStore, ensure_published, publish
from tests.test_webapp import ID, load_store
from webapp.executor import ProcessRunner, Runner, make_runner
from webapp.worker import READY, Channel, Job


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_store(tmp_path_factory.mktemp("executor") / "store")


@pytest.fixture
def runner(store_path: Path) -> Iterator[ProcessRunner]:
    runner = ProcessRunner(EmbeddedStore(store_path, read_only=True), str(store_path), size=2)
    yield runner
    runner.close()


def test_workers_answer_every_query_form(runner: ProcessRunner) -> None:
    alt = "<http://www.w3.org/2004/02/skos/core#altLabel>"
    select = runner.run(Job(f"SELECT ?l WHERE {{ <{ID}org/ilo> {alt} ?l }}"), 10)
    assert select.kind == "select" and select.variables == ("l",)
    assert ox.Literal("МОТ", language="ru") in {row[0] for row in select.rows}
    assert runner.run(Job("ASK { ?s ?p ?o }"), 10).boolean is True
    graph = runner.run(Job(f"DESCRIBE <{ID}org/ilo>"), 10)
    assert graph.kind == "graph" and all(t.subject == ox.NamedNode(ID + "org/ilo") for t in graph.triples)
    bad = runner.run(Job("SELECT nonsense"), 10)
    assert bad.kind == "error" and bad.status == 400 and bad.error.startswith("malformed query: ")


def test_substitutions_and_row_cap(runner: ProcessRunner) -> None:
    job = Job("SELECT ?s ?t WHERE { ?s a ?t }", substitutions={"t": ox.NamedNode("http://schema.org/Person")})
    answer = runner.run(job, 10)
    people = {ID + "person/gilbert-f-houngbo", ID + "person/satybaldy-dauletalin"}
    assert {row[0].value for row in answer.rows} == people
    capped = runner.run(Job("SELECT * WHERE { ?s ?p ?o }", max_rows=3), 10)
    assert len(capped.rows) == 3 and capped.truncated


def test_a_worker_killed_from_outside_is_replaced(runner: ProcessRunner) -> None:
    assert runner.run(Job("ASK {}"), 10).boolean is True
    worker = runner._idle.get_nowait()
    worker.process.kill()
    worker.process.wait(5)
    runner._idle.put(worker)
    died = runner.run(Job("ASK {}"), 10)
    assert died.kind == "error" and "died" in died.error
    assert runner.run(Job("ASK {}"), 10).boolean is True


def test_warming_starts_every_worker_at_once(store_path: Path) -> None:
    runner = ProcessRunner(EmbeddedStore(store_path, read_only=True), str(store_path), size=2)
    try:
        runner.warm()
        workers = [runner._idle.get_nowait(), runner._idle.get_nowait()]
        assert all(w.wait_ready() for w in workers)
        for w in workers:
            runner._idle.put(w)
        assert runner.run(Job("ASK {}"), 10).boolean is True
    finally:
        runner.close()


def test_a_store_the_worker_cannot_open_is_reported(tmp_path: Path) -> None:
    not_a_store = tmp_path / "nothing"
    not_a_store.write_text("not a RocksDB folder")
    runner = ProcessRunner(EmbeddedStore.in_memory(), str(not_a_store), size=1)
    try:
        answer = runner.run(Job("ASK {}"), 10)
        assert answer.kind == "error" and str(not_a_store) in answer.error
    finally:
        runner.close()


def test_stores_that_cannot_be_shared_run_in_the_request_thread(store_path: Path) -> None:
    memory = EmbeddedStore.in_memory()
    memory.oxigraph.load(path=str(Path(__file__).parent / "data" / "webapp-fixture.trig"), format=ox.RdfFormat.TRIG)
    inline = make_runner(memory, size=2)
    assert type(inline) is Runner
    assert inline.run(Job("ASK { ?s ?p ?o }"), 10).boolean is True
    on_disk = make_runner(EmbeddedStore(store_path, read_only=True), size=2)
    try:
        assert isinstance(on_disk, ProcessRunner)
    finally:
        on_disk.close()


JSON, TURTLE = "application/sparql-results+json", "text/turtle"


def test_workers_write_the_answer_in_the_asked_media_type(runner: ProcessRunner) -> None:
    alt = "<http://www.w3.org/2004/02/skos/core#altLabel>"
    select = runner.run(Job(f"SELECT ?l WHERE {{ <{ID}org/ilo> {alt} ?l }}", write_as=(JSON, TURTLE)), 10)
    assert select.media_type == JSON and not select.rows
    labels = {(b["l"]["value"], b["l"].get("xml:lang")) for b in json.loads(select.body)["results"]["bindings"]}
    assert ("МОТ", "ru") in labels
    tsv = runner.run(Job(f"SELECT ?l WHERE {{ <{ID}org/ilo> {alt} ?l }}", write_as=("text/tab-separated-values", "")),
                     10)
    assert tsv.body.decode().splitlines()[0] == "?l" and '"МОТ"@ru' in tsv.body.decode()
    graph = runner.run(Job(f"DESCRIBE <{ID}org/ilo>", write_as=(JSON, TURTLE)), 10)
    assert graph.media_type == TURTLE and b"@prefix" in graph.body and not graph.triples
    assert {t.subject for t in ox.parse(graph.body, format=ox.RdfFormat.TURTLE)} == {ox.NamedNode(ID + "org/ilo")}


def test_an_ask_asked_for_as_csv_comes_as_json(runner: ProcessRunner) -> None:
    answer = runner.run(Job("ASK { ?s ?p ?o }", write_as=("text/csv", TURTLE)), 10)
    assert answer.media_type == JSON and json.loads(answer.body) == {"head": {}, "boolean": True}


def test_a_kind_the_client_cannot_take_gets_no_body(runner: ProcessRunner) -> None:
    graph = runner.run(Job(f"DESCRIBE <{ID}org/ilo>", write_as=(JSON, "")), 10)
    assert graph.kind == "graph" and graph.media_type == "" and graph.body == b""


def test_the_row_cap_holds_for_written_answers(runner: ProcessRunner) -> None:
    capped = runner.run(Job("SELECT * WHERE { ?s ?p ?o }", max_rows=3, write_as=(JSON, TURTLE)), 10)
    assert capped.truncated and len(json.loads(capped.body)["results"]["bindings"]) == 3
    triples = runner.run(Job("CONSTRUCT WHERE { ?s ?p ?o }", max_rows=3, write_as=(JSON, "application/n-triples")), 10)
    assert triples.truncated and len(triples.body.decode().splitlines()) == 3


def test_the_channel_carries_large_messages_and_keeps_time() -> None:
    mine, theirs = socket.socketpair()
    here, there = Channel(mine), Channel(theirs)
    try:
        with pytest.raises(TimeoutError):
            here.recv(0.05)
        big = Job("ASK {} #" + "x" * 300_000)
        sender = threading.Thread(target=there.send, args=(big,))
        sender.start()
        assert here.recv(10) == big
        sender.join()
        there.send(READY)
        there.send(Job("ASK {}"))
        assert here.recv(10) == READY and here.recv(10) == Job("ASK {}")
        there.close()
        with pytest.raises(EOFError):
            here.recv(10)
    finally:
        here.close()


def test_workers_read_each_new_version_and_a_replaced_worker_starts_on_the_newest(tmp_path: Path) -> None:
    path = load_store(tmp_path / "store")
    ensure_published(path, rebuild_index)
    store = PublishedStore(path)
    first = store.current().folder
    runner = make_runner(store, size=1)
    asked = Job(f"ASK {{ <{ID}org/newcomer> ?p ?o }}")
    try:
        assert runner.run(asked, 10).boolean is False
        with EmbeddedStore(path) as writer:
            writer.replace_graph(ID + "graph/newcomer", [ox.Quad(ox.NamedNode(ID + "org/newcomer"), ox.NamedNode(
                "http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Newcomer"))])
            write_build_metadata(writer, BuildReport())
            publish(writer, rebuild_index)
        del writer
        assert runner.run(asked, 10).boolean is True
        shutil.rmtree(first)  # the version the pool began with, deleted as the next publish prunes it
        worker = runner._idle.get_nowait()
        worker.process.kill()
        worker.process.wait(5)
        runner._idle.put(worker)
        assert "died" in runner.run(asked, 10).error
        assert runner.run(asked, 10).boolean is True
    finally:
        runner.close()
