"""The endpoint is safe by default: read-only, never calls out, stops long queries, escapes what it shows."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from tests import test_webapp as web
from tests import test_webapp_server as served
from tests.test_webapp import HTML, ID
from webapp.guard import Refused, check, keywords

app, client, server = web.app, web.client, served.server  # the shared fixtures
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
#: 527^4 rows to group: runs for hours, and pyoxigraph computes the whole GROUP BY before the first row.
PATHOLOGICAL = "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } GROUP BY ?a"


def total(client: FlaskClient) -> int:
    answer = client.get("/sparql", query_string={"query": COUNT_ALL}).get_json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "query_string": {"query": "INSERT DATA { <x:a> <x:b> <x:c> }"}},
        {"method": "POST", "data": {"query": "PREFIX x: <x:> # comment\nDELETE WHERE { ?s ?p ?o }"}},
        {"method": "POST", "data": {"update": "CLEAR ALL"}},
        {"method": "POST", "data": b"DROP ALL", "content_type": "application/sparql-update"},
        {"method": "POST", "data": b"LOAD <http://127.0.0.1:9/x.ttl>", "content_type": "application/sparql-query"},
        {"method": "GET", "query_string": {"query": "WITH <x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"}},
        {"method": "GET", "query_string": {"update": "CLEAR ALL"}},
        {"method": "GET", "query_string": {"query": "ASK {}", "using-graph-uri": "x:g"}},
    ],
)
def test_updates_are_refused_with_403(client: FlaskClient, request_kwargs: dict) -> None:
    before = total(client)
    r = client.open("/sparql", **request_kwargs)
    assert r.status_code == 403
    assert "read-only" in r.data.decode()
    assert total(client) == before


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A local TCP listener recording every connection it receives."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    seen.append(conn.recv(1024) or b"(connected)")
                except TimeoutError:
                    seen.append(b"(connected)")
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], seen
    stop.set()
    thread.join(2)
    sock.close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SeRvIcE # hidden\n <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}",
        "PREFIX r: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_and_makes_no_request(client: FlaskClient, listener: tuple[int, list[bytes]],
                                                 template: str) -> None:
    port, seen = listener
    r = client.get("/sparql", query_string={"query": template.format(port=port)})
    assert r.status_code == 403
    assert "SERVICE" in r.data.decode()
    time.sleep(0.3)
    assert seen == []


def test_remote_from_and_named_graphs_are_not_fetched(client: FlaskClient, listener: tuple[int, list[bytes]]) -> None:
    port, seen = listener
    query = f"SELECT * FROM <http://127.0.0.1:{port}/a.ttl> FROM NAMED <http://127.0.0.1:{port}/b.ttl> " \
            "WHERE { ?s ?p ?o }"
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 200
    assert r.get_json()["results"]["bindings"] == []
    r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", "default-graph-uri": f"http://127.0.0.1:{port}/c"})
    assert r.status_code == 200
    time.sleep(0.3)
    assert seen == []


@pytest.mark.parametrize(
    ("query", "refused"),
    [
        ('SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }', False),
        ("SELECT * WHERE { ?s <http://x/SERVICE> ?o }", False),
        ("PREFIX ex: <http://x/> SELECT ?service WHERE { ?service ex:SERVICE ?o } # SERVICE", False),
        ('SELECT * WHERE { ?s ?p """INSERT DATA""" }', False),
        ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", True),
        ("# a comment\nINSERT DATA { <x:a> <x:b> <x:c> }", True),
        ("BASE <http://x/> PREFIX a: <http://a/> CLEAR DEFAULT", True),
    ],
)
def test_guard_reads_keywords_not_strings_iris_or_comments(query: str, refused: bool) -> None:
    if refused:
        with pytest.raises(Refused):
            check(query)
    else:
        check(query)
    assert "SERVICE" not in keywords('SELECT * { ?s ?p "SERVICE" }')


def test_editor_escapes_a_shared_query(client: FlaskClient) -> None:
    evil = "</textarea><script>alert(1)</script>"
    html = client.get("/sparql", query_string={"query": evil}, headers=HTML).data.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;" in html


def test_error_messages_are_plain_text(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT <script> WHERE {"})
    assert r.status_code == 400 and r.mimetype == "text/plain"


def _get(url: str, timeout: float = 30) -> tuple[int, str, float]:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode(), time.monotonic() - start
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), time.monotonic() - start


@pytest.mark.slow
def test_a_pathological_query_is_stopped_while_other_requests_are_served(server: served.Running) -> None:
    slow: dict[str, tuple[int, str, float]] = {}
    url = server.url + "/sparql?" + urllib.parse.urlencode({"query": PATHOLOGICAL})
    thread = threading.Thread(target=lambda: slow.setdefault("r", _get(url)))
    thread.start()
    time.sleep(0.3)
    # meanwhile: the endpoint, an entity page and a saved query answer at once
    ask = _get(server.url + "/sparql?" + urllib.parse.urlencode({"query": f"ASK {{ <{ID}org/ilo> ?p ?o }}"}))
    page = _get(server.url + "/id/org/fturk.ttl")
    saved = _get(server.url + "/queries/posts-in-organisations.csv")
    for status, _body, seconds in (ask, page, saved):
        assert status == 200 and seconds < 1.5
    thread.join(30)
    status, body, seconds = slow["r"]
    assert status == 503
    assert "time limit" in body
    assert served.TIME_LIMIT <= seconds < served.TIME_LIMIT + 2.5
    # the worker was replaced: the endpoint still answers
    assert _get(server.url + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200


@pytest.mark.slow
def test_timeout_parameter_may_only_lower_the_limit(server: served.Running) -> None:
    lower = _get(server.url + "/sparql?" + urllib.parse.urlencode({"query": PATHOLOGICAL, "timeout": "0.5"}))
    assert lower[0] == 503 and lower[2] < 1.8
    higher = _get(server.url + "/sparql?" + urllib.parse.urlencode({"query": PATHOLOGICAL, "timeout": "60"}))
    assert higher[0] == 503 and higher[2] < served.TIME_LIMIT + 2.5


def test_when_every_worker_is_busy_a_query_is_refused_within_its_own_limit(tmp_path) -> None:
    from kg.store.embedded import EmbeddedStore
    from webapp.executor import ProcessRunner, QueryTimeout, ServerBusy
    from webapp.worker import Job

    path = web.load_store(tmp_path / "store")
    runner = ProcessRunner(EmbeddedStore(path, read_only=True), str(path), size=1)
    try:
        assert runner.run(Job("ASK {}"), 30).boolean is True  # the worker is up
        stuck: list[BaseException] = []

        def hog() -> None:
            try:
                runner.run(Job(PATHOLOGICAL), 3)
            except QueryTimeout as exc:
                stuck.append(exc)
        thread = threading.Thread(target=hog)
        thread.start()
        time.sleep(0.3)
        start = time.monotonic()
        with pytest.raises(ServerBusy):
            runner.run(Job("ASK {}"), 0.5)
        assert time.monotonic() - start < 1.5
        thread.join(10)
        assert stuck  # the hog was stopped at its limit ...
        assert runner.run(Job("ASK {}"), 30).boolean is True  # ... and a fresh worker took its place
    finally:
        runner.close()
