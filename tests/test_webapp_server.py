"""The app behind a real granian server (`kg serve`) on 127.0.0.1, used by real clients: SPARQLWrapper for
the endpoint and rdflib dereferencing an entity IRI by content negotiation.

The ``server`` fixture here is shared with the security and browser tests.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, TURTLE, SPARQLWrapper

from kg.config import ROOT
from kg.store.published import PublishedStore
from tests.conftest import free_port
from tests.test_webapp import ID, load_store

pytestmark = pytest.mark.slow
TIME_LIMIT = 2.0


@dataclass(frozen=True)
class Running:
    url: str
    store: Path
    process: subprocess.Popen


@contextmanager
def running(tmp: Path, store: Path | str, **settings: str) -> Iterator[Running]:
    """`kg serve` over ``store`` (a folder or a remote endpoint) on a free port (query time limit 2 s, 2 processes,
    other ``KG_*`` settings as given); always stopped."""
    port = free_port()
    env = {**os.environ, "KG_QUERY_TIMEOUT": str(TIME_LIMIT), "KG_DUMPS": str(tmp / "dumps"),
           "KG_QUERIES": str(ROOT / "queries"), "KG_WORKERS": "2", **settings}
    env.pop("KG_BASE", None)
    log = (tmp / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "--store", str(store), "serve", "--host", "127.0.0.1",
                                "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp / "server.log").read_text(errors="replace")) from None
                time.sleep(0.1)
        yield Running(url, store, process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The shared server over the fixture graph."""
    tmp = tmp_path_factory.mktemp("served")
    with running(tmp, load_store(tmp / "store")) as served:
        yield served


def _children(pid: int) -> set[int]:
    return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def restart(served: Running) -> None:
    """``kill -HUP`` the server and wait until new processes answer."""
    ask = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }", "format": "json"})
    before = _children(served.process.pid)
    served.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 30
    while _children(served.process.pid) & before:
        assert time.monotonic() < deadline, "the server processes were not restarted"
        time.sleep(0.2)
    while True:
        try:
            assert json.load(urllib.request.urlopen(served.url + ask, timeout=10))["boolean"] is True
            break
        except (urllib.error.URLError, ConnectionError):
            assert time.monotonic() < deadline, "the restarted server does not answer"
            time.sleep(0.2)


def test_sighup_restarts_the_server_processes_which_reopen_the_store(tmp_path: Path) -> None:
    with running(tmp_path, load_store(tmp_path / "store")) as served:
        restart(served)
        assert served.process.poll() is None


def test_after_a_commit_every_answer_has_a_new_etag_without_a_restart(tmp_path: Path) -> None:
    def etag(url: str, tag: str = "") -> tuple[int, str]:
        request = urllib.request.Request(url, headers={"Accept": "text/html", "If-None-Match": tag})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers["ETag"]
        except urllib.error.HTTPError as exc:  # urllib reports a 304 as an error
            return exc.code, exc.headers["ETag"]

    with running(tmp_path, load_store(tmp_path / "store")) as served:
        urls = [served.url + path for path in ("/", "/id/org/ilo", "/id/org/ilo.ttl", "/queries",
                                               "/sparql?query=ASK%7B%7D")]
        before = [etag(url)[1] for url in urls]
        assert [etag(url, tag) for url, tag in zip(urls, before, strict=True)] == [(304, t) for t in before]
        command = [sys.executable, "-m", "kg.cli", "--store", str(served.store), "remove", "en-2021-007"]
        removed = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "KG_BASE": ID})
        assert removed.returncode == 0, removed.stderr
        after = [etag(url, tag) for url, tag in zip(urls, before, strict=True)]
        assert all(status == 200 for status, _ in after)
        assert not {tag for _, tag in after} & set(before)


def test_sparqlwrapper_select_ask_construct(server: Running) -> None:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery("SELECT ?s WHERE { ?s a <http://schema.org/Person> } ORDER BY ?s")
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert [b["s"]["value"] for b in bindings] == [ID + "person/gilbert-f-houngbo", ID + "person/satybaldy-dauletalin"]

    client.setQuery(f"ASK {{ <{ID}org/fturk> ?p ?o }}")
    assert client.query().convert()["boolean"] is True

    client.setReturnFormat(CSV)
    client.setQuery("SELECT ?s WHERE { ?s a <http://schema.org/Country> } ORDER BY ?s")
    assert client.query().convert().decode().split() == ["s", ID + "country/CH", ID + "country/KZ", ID + "country/RU"]

    client.setMethod("POST")
    client.setReturnFormat(TURTLE)
    client.setQuery(f"CONSTRUCT WHERE {{ <{ID}org/ilo> ?p ?o }}")
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert (rdflib.URIRef(ID + "org/ilo"), rdflib.RDFS.label, rdflib.Literal("МОТ", lang="ru")) not in graph
    assert (rdflib.URIRef(ID + "org/ilo"), rdflib.SKOS.altLabel, rdflib.Literal("МОТ", lang="ru")) in graph


def test_sparqlwrapper_sees_a_malformed_query_as_a_bad_request(server: Running) -> None:
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery("SELECT WHERE {")
    with pytest.raises(QueryBadFormed):
        client.query()


def test_rdflib_dereferences_an_entity_by_content_negotiation(server: Running) -> None:
    graph = rdflib.Graph().parse(server.url + "/id/org/fturk")
    fturk = rdflib.URIRef(ID + "org/fturk")
    assert (fturk, rdflib.RDFS.label, rdflib.Literal("Қазақстан Республикасы Кәсіподақтар Федерациясы", lang="kk")) \
        in graph
    assert (fturk, rdflib.URIRef("https://w3id.org/labour-kg/ontology#country"), rdflib.URIRef(ID + "country/KZ")) \
        in graph
    request = urllib.request.Request(server.url + "/id/org/fturk", headers={"Accept": "application/ld+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers.get_content_type() == "application/ld+json"
        assert len(rdflib.Graph().parse(data=response.read(), format="json-ld")) == len(graph)


def test_pages_are_served(server: Running) -> None:
    for path in ("/", "/search?q=ilo", "/queries", "/queries/posts-in-organisations.csv", "/map", "/dumps/",
                 "/.well-known/void", "/api/openapi.json", "/id/doc/en-2023-001"):
        request = urllib.request.Request(server.url + path, headers={"Accept": "text/html"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200, path


def test_serve_makes_the_dumps_current_before_it_serves(server: Running) -> None:
    log = (server.store.parent / "server.log").read_text()
    version = PublishedStore(server.store).version()
    made = f"dumps of version {version.id} written to {server.store.parent / 'dumps'}\n"
    assert made in log and log.index(made) < log.index("serving labour-kg at")


def test_serve_serves_without_dumps_it_cannot_write_and_says_why(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way")
    reason = f"cannot write the dumps to {blocked / 'dumps'}: Not a directory"
    with running(tmp_path, load_store(tmp_path / "store"), KG_DUMPS=str(blocked / "dumps")) as served:
        assert f"warning: {reason}; serving without them" in (tmp_path / "server.log").read_text()
        with urllib.request.urlopen(served.url + "/", timeout=30) as response:
            assert response.status == 200
        for path in ("/dumps/", "/.well-known/void"):
            with pytest.raises(urllib.error.HTTPError) as failed:
                urllib.request.urlopen(served.url + path, timeout=30)
            assert failed.value.code == 503 and reason in failed.value.read().decode(), path


def test_serving_a_missing_store_fails_at_once_with_a_clear_message(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(tmp_path / "none"), "serve", "--port",
                           str(free_port())], capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert "no store at" in done.stderr and "kg build" in done.stderr
    assert "Traceback" not in done.stderr


def test_serving_a_remote_store_that_is_down_fails_at_once_with_a_clear_message(tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    done = subprocess.run([sys.executable, "-m", "kg.cli", "--store", down, "serve", "--port", str(free_port())],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "KG_STORE_TIMEOUT": "5"})
    assert done.returncode == 1
    assert f"cannot reach {down}: connection refused" in done.stderr and "Traceback" not in done.stderr


def test_a_negative_cache_time_is_refused_at_once(tmp_path: Path) -> None:
    for how in (["--cache-seconds", "-5"], []):
        env = {**os.environ, "KG_CACHE_SECONDS": "-5"} if not how else dict(os.environ)
        done = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(tmp_path / "none"), "serve", "--port",
                               str(free_port()), *how], capture_output=True, text=True, timeout=30, env=env)
        assert done.returncode == 1
        assert "the cache time must be 0 seconds or more, not -5" in done.stderr
        assert "Traceback" not in done.stderr


def test_serving_on_a_taken_port_fails_at_once_instead_of_sharing_it(server: Running) -> None:
    port = urllib.parse.urlsplit(server.url).port
    done = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(server.store), "serve", "--port", str(port)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in done.stderr
    assert "another kg serve" in done.stderr and "Traceback" not in done.stderr
