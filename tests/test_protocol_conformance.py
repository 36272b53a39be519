"""The W3C SPARQL 1.1 Protocol test suite (tests/data/conformance/sparql11-protocol) run against /sparql.

Every request of every test is sent as written. The endpoint is read-only by design, so the update tests
are checked for a clear refusal (403) instead of their effect; everything else must pass as the suite says.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from flask import Flask
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


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    path = tmp_path_factory.mktemp("protocol") / "store"
    store = ox.Store(str(path))
    for name, file in GRAPHS.items():
        store.load(path=str(file), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    store.flush()
    del store
    settings = Settings().with_(store=str(path), queries_dir=ROOT / "queries", query_timeout=5.0)
    app = create_app(settings, EmbeddedStore(path, read_only=True))
    yield app
    app.extensions["kg_runner"].close()


def test_the_suite_is_all_here() -> None:
    assert len(CASES) == 34
    assert len(GRAPHS) == 3


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_protocol(app: Flask, case: Case) -> None:
    client = app.test_client()
    for request in case.requests:
        response = client.open(request.path, method=request.method, headers=request.headers, data=request.body)
        if case.is_update:
            assert response.status_code == 403, case.title
            assert "read-only" in response.data.decode()
            return  # the requests that would check the update's effect do not apply
        assert response.status_code // 100 in request.statuses, (case.title, response.status_code, response.data)
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
