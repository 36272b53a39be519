"""The W3C SPARQL 1.1 Protocol test suite (tests/data/conformance/sparql11-protocol) run against /sparql, over
the embedded store and over a remote one (`kg serve` in front of a real `oxigraph serve`).

Every request of every test is sent as written. The endpoint is read-only by design, so the update tests
are checked for a clear refusal (403) instead of their effect; everything else must pass as the suite says.
"""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection

from kg.config import ROOT, Settings
from kg.store.embedded import EmbeddedStore
from tests.conftest import DATA
from webapp import create_app

SUITE = DATA / "conformance" / "sparql11-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML}
TABULAR = {*RESULTS, "text/csv", "text/tab-separated-values"}
RDF = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]
    fmt: str | None
    boolean: bool | None


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    requests: tuple[Request, ...]

    @property
    def is_update(self) -> bool:
        first = self.requests[0]
        return self.name.startswith("update_") or "sparql-update" in first.headers.get("content-type", "")


def _manifest() -> tuple[rdflib.Graph, list[Case], dict[str, Path]]:
    g = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=SUITE.as_uri() + "/manifest.ttl")
    manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
    cases, graphs = [], {}
    for test in Collection(g, g.value(manifest, MF.entries)):
        for data in g.objects(test, UT.graphData):
            file = Path(str(g.value(data, UT.graph)).removeprefix("file://"))
            graphs[str(g.value(data, rdflib.RDFS.label))] = SUITE / file.name
        action = g.value(test, MF.action)
        requests = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue))
                       for h in Collection(g, g.value(req, HT.headers))} if g.value(req, HT.headers) else {}
            body_node = g.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(encoding)
            resp = g.value(req, HT.resp)
            statuses = frozenset(int(str(s)[len(HTS)]) for s in g.objects(resp, MF.expectedStatus))
            fmt = g.value(resp, MF.expectedFormat)
            boolean = g.value(resp, MF.expectedBoolean)
            requests.append(Request(str(g.value(req, HT.methodName)), str(g.value(req, HT.absolutePath)), headers,
                                    body, statuses, str(fmt) if fmt else None,
                                    boolean.toPython() if boolean is not None else None))
        name = str(test).rsplit("#", 1)[1]
        cases.append(Case(name, str(g.value(test, MF.name)), tuple(requests)))
    return g, cases, graphs


_, CASES, GRAPHS = _manifest()


def load_graphs(path: Path) -> Path:
    """A store folder holding the suite's graphs (closed again, for readers and servers to open)."""
    store = ox.Store(str(path))
    for name, file in GRAPHS.items():
        store.load(path=str(file), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    store.flush()
    del store
    return path


@dataclass(frozen=True)
class Reply:
    status: int
    mimetype: str
    data: bytes


Send = Callable[[Request], Reply]


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Send]:
    """The app over the embedded store, through Flask's test client."""
    path = load_graphs(tmp_path_factory.mktemp("protocol") / "store")
    settings = Settings().with_(store=str(path), queries_dir=ROOT / "queries", query_timeout=5.0)
    app = create_app(settings, EmbeddedStore(path, read_only=True))
    client = app.test_client()

    def send(request: Request) -> Reply:
        response = client.open(request.path, method=request.method, headers=request.headers, data=request.body)
        return Reply(response.status_code, response.mimetype, response.data)

    yield send
    app.extensions["kg_runner"].close()


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Send]:
    """`kg serve` over a real `oxigraph serve` holding the suite's graphs, through real HTTP."""
    from tests.servers import oxigraph_server
    from tests.test_webapp_server import running

    tmp = tmp_path_factory.mktemp("protocol-remote")
    with oxigraph_server(load_graphs(tmp / "oxigraph")) as oxigraph, running(tmp, oxigraph.query) as served:

        def send(request: Request) -> Reply:
            # http.client sends the request as written (urllib would add a Content-Type to a body without one)
            connection = http.client.HTTPConnection(urllib.parse.urlsplit(served.url).netloc, timeout=30)
            try:
                connection.request(request.method, request.path, body=request.body, headers=request.headers)
                response = connection.getresponse()
                return Reply(response.status, response.headers.get_content_type(), response.read())
            finally:
                connection.close()

        yield send


def test_the_suite_is_all_here() -> None:
    assert len(CASES) == 34
    assert len(GRAPHS) == 3


def check(case: Case, send: Send) -> None:
    for request in case.requests:
        response = send(request)
        if case.is_update:
            assert response.status == 403, case.title
            assert "read-only" in response.data.decode()
            return  # the requests that would check the update's effect do not apply
        assert response.status // 100 in request.statuses, (case.title, response.status, response.data)
        if request.fmt == "boolean":
            assert response.mimetype in RESULTS, case.title
            parsed = ox.parse_query_results(response.data, format=RESULTS[response.mimetype])
            assert isinstance(parsed, ox.QueryBoolean), case.title
            if request.boolean is not None:
                assert bool(parsed) is request.boolean, case.title
        elif request.fmt == "tabular":
            assert response.mimetype in TABULAR, case.title
        elif request.fmt == "RDF":
            assert response.mimetype in RDF, case.title


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_protocol(embedded: Send, case: Case) -> None:
    check(case, embedded)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_protocol_over_a_remote_oxigraph_server(remote: Send, case: Case) -> None:
    check(case, remote)
