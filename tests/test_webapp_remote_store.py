"""The same app over a remote store (a real `oxigraph serve` holding the fixture graph): endpoint, saved
queries with parameters, entity and document pages, search, dumps, all through SPARQL over HTTP."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kg.config import ROOT, Settings
from kg.dumps import read_stamp
from tests.conftest import free_port
from tests.servers import oxigraph_server
from tests.test_webapp import HTML, ID, load_store
from webapp import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def remote_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("remote")
    with oxigraph_server(load_store(tmp / "store")) as server:
        settings = Settings().with_(store=server.query, dumps_dir=tmp / "dumps", queries_dir=ROOT / "queries", base=ID)
        yield create_app(settings)


@pytest.fixture
def remote(remote_app: Flask) -> FlaskClient:
    return remote_app.test_client()


def test_endpoint_answers_over_the_union_of_graphs(remote: FlaskClient) -> None:
    r = remote.get("/sparql", query_string={"query": "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a "
                                                     "<http://schema.org/NewsArticle> }"})
    assert r.status_code == 200
    assert r.get_json()["results"]["bindings"][0]["n"]["value"] == "4"
    assert remote.get("/sparql", query_string={"query": "SELECT WHERE {"}).status_code == 400
    assert remote.get("/sparql", query_string={"query": "CLEAR ALL"}).status_code == 403


@pytest.mark.parametrize(
    ("name", "params", "column", "expected"),
    [
        ("events-attended-by-organisation", {"year": "2021"}, "event", {ID + "event/gender-seminar-2021"}),
        ("conventions-mentioned", {"category": "lkg:Fundamental"}, "instrument", {ID + "convention/C087"}),
        ("most-mentioned-entities", {"class": "schema:Person"}, "entity",
         {ID + "person/satybaldy-dauletalin", ID + "person/gilbert-f-houngbo"}),
        ("memoranda-by-partner-country", {"country": ID + "country/CH"}, "memorandum", set()),
        ("posts-in-organisations", {"org": ID + "org/ilo"}, "person", {ID + "person/gilbert-f-houngbo"}),
    ],
)
def test_saved_queries_bind_parameters_portably(remote: FlaskClient, name: str, params: dict, column: str,
                                                expected: set[str]) -> None:
    r = remote.get(f"/queries/{name}.csv", query_string=params)
    assert r.status_code == 200, r.data
    assert {row[column] for row in csv.DictReader(io.StringIO(r.data.decode()))} == expected


def test_pages_over_a_remote_store(remote: FlaskClient, remote_app: Flask) -> None:
    for url in ("/", "/id/org/fturk", "/id/doc/en-2023-001", "/map", "/queries/organisations-by-class"):
        assert remote.get(url, headers=HTML).status_code == 200, url
    hits = remote.get("/search", query_string={"q": "ФПРК", "format": "json"}).get_json()
    assert hits[0]["iri"] == ID + "org/fturk"
    index = Path(remote_app.config["KG_SETTINGS"].dumps_dir) / "search.sqlite"
    assert index.exists()


def test_a_commit_to_a_remote_store_changes_the_etags_without_a_restart(tmp_path: Path) -> None:
    from kg.build import BuildReport, write_build_metadata
    from kg.store import open_store

    with oxigraph_server(load_store(tmp_path / "store")) as server:
        settings = Settings().with_(store=server.query, dumps_dir=tmp_path / "dumps", queries_dir=ROOT / "queries",
                                    base=ID)
        client = create_app(settings).test_client()
        urls = ("/", "/id/org/fturk", "/search?q=ilo", "/dumps/")
        first = {url: client.get(url, headers=HTML).headers["ETag"] for url in urls}
        assert client.get("/", headers={**HTML, "If-None-Match": first["/"]}).status_code == 304
        store = open_store(settings)
        old = read_stamp(settings.dumps_dir)
        assert old is not None and old.version == store.version().id
        write_build_metadata(store, BuildReport())  # what every kg build, add and remove ends with
        assert read_stamp(settings.dumps_dir) == old  # until the dumps are asked for
        for url, tag in first.items():
            answer = client.get(url, headers={**HTML, "If-None-Match": tag})
            assert answer.status_code == 200 and answer.headers["ETag"] != tag, url
        assert read_stamp(settings.dumps_dir).version == store.version().id != old.version


def app_over(tmp: Path, endpoint: str) -> Flask:
    return create_app(Settings().with_(store=endpoint, dumps_dir=tmp / "dumps", queries_dir=ROOT / "queries", base=ID))


@contextmanager
def refusing_server(status: int, reason: str) -> Iterator[str]:
    """A SPARQL server (of someone else's making) that refuses every query with ``status`` and ``reason``."""

    class Refuse(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = reason.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("status", [403, 405, 415, 422])
def test_what_the_server_refuses_is_a_400_with_its_reason(tmp_path: Path, status: int) -> None:
    reason = "named-graph-uri is not supported here"
    with refusing_server(status, reason) as endpoint:
        r = app_over(tmp_path, endpoint).test_client().get(
            "/sparql", query_string={"query": "ASK {}", "named-graph-uri": "http://example.org/g"})
    assert r.status_code == 400 and r.mimetype == "text/plain"
    assert reason in r.text and f"HTTP {status}" in r.text


def test_a_store_that_is_down_gives_a_502_naming_it_on_the_endpoint_and_on_pages(tmp_path: Path) -> None:
    client = app_over(tmp_path, f"http://127.0.0.1:{free_port()}/query").test_client()
    r = client.get("/sparql", query_string={"query": "ASK {}"})
    assert r.status_code == 502 and r.mimetype == "text/plain" and "connection refused" in r.text
    page = client.get("/", headers=HTML)
    assert page.status_code == 502 and page.mimetype == "text/html"
    assert "The triple store did not answer" in page.text and "connection refused" in page.text
    saved = client.get("/queries/posts-in-organisations.csv")
    assert saved.status_code == 502 and "connection refused" in saved.text
    for path in ("/dumps/", "/.well-known/void", "/dumps/labour-kg.nq.gz"):
        dumps = client.get(path, headers=HTML)
        assert dumps.status_code == 502 and "connection refused" in dumps.text, path
