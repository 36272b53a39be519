"""The /sparql endpoint: SPARQL 1.1 Protocol requests, answer formats, errors, caps, CORS, the editor page."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from tests import test_webapp as web
from tests.test_webapp import HTML, ID, make_app

app, client = web.app, web.client  # the shared fixtures

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://schema.org/Person> }"
PEOPLE = "SELECT ?s ?l WHERE { ?s a <http://schema.org/Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }"


def count_of(response) -> int:
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def test_get_form_post_and_direct_post_give_the_same_answer(client: FlaskClient) -> None:
    get = client.get("/sparql", query_string={"query": COUNT})
    form = client.post("/sparql", data={"query": COUNT})
    direct = client.post("/sparql", data=COUNT.encode(), content_type="application/sparql-query")
    for r in (get, form, direct):
        assert r.status_code == 200
        assert r.mimetype == "application/sparql-results+json"
        assert count_of(r) == 2


@pytest.mark.parametrize(
    ("accept", "fmt", "mimetype"),
    [
        ("application/sparql-results+json", None, "application/sparql-results+json"),
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv", None, "text/csv"),
        ("text/tab-separated-values", None, "text/tab-separated-values"),
        (None, "json", "application/sparql-results+json"),
        (None, "xml", "application/sparql-results+xml"),
        (None, "csv", "text/csv"),
        (None, "tsv", "text/tab-separated-values"),
        ("text/csv", "tsv", "text/tab-separated-values"),  # format= wins over Accept
    ],
)
def test_select_answers_in_every_results_format(client: FlaskClient, accept: str | None, fmt: str | None,
                                                mimetype: str) -> None:
    r = client.get("/sparql", query_string={"query": PEOPLE, **({"format": fmt} if fmt else {})},
                   headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    assert r.mimetype == mimetype
    if mimetype == "text/csv":
        rows = list(csv.DictReader(io.StringIO(r.data.decode())))
        assert {row["l"] for row in rows} >= {"Gilbert F. Houngbo", "Сатыбалды Даулеталин"}
    else:
        name = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                "text/tab-separated-values": ox.QueryResultsFormat.TSV}[mimetype]
        parsed = ox.parse_query_results(r.data, format=name)
        labels = {row["l"] for row in parsed}
        assert ox.Literal("Сатыбалды Даулеталин", language="ru") in labels


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ask_answers_true_and_false(client: FlaskClient, fmt: str) -> None:
    yes = client.get("/sparql", query_string={"query": f"ASK {{ <{ID}org/ilo> ?p ?o }}", "format": fmt})
    no = client.get("/sparql", query_string={"query": f"ASK {{ <{ID}org/none> ?p ?o }}", "format": fmt})
    qrf = ox.QueryResultsFormat.JSON if fmt == "json" else ox.QueryResultsFormat.XML
    assert bool(ox.parse_query_results(yes.data, format=qrf)) is True
    assert bool(ox.parse_query_results(no.data, format=qrf)) is False


@pytest.mark.parametrize(
    ("accept", "fmt", "mimetype", "rdf"),
    [
        ("text/turtle", None, "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", None, "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", None, "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", None, "application/rdf+xml", ox.RdfFormat.RDF_XML),
        (None, "turtle", "text/turtle", ox.RdfFormat.TURTLE),
        (None, "nt", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        (None, "jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
        (None, "json", "application/ld+json", ox.RdfFormat.JSON_LD),
        (None, "xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        (None, None, "text/turtle", ox.RdfFormat.TURTLE),
    ],
)
@pytest.mark.parametrize("form", ["CONSTRUCT WHERE { ?s a <http://schema.org/Person> }",
                                  f"DESCRIBE <{ID}person/gilbert-f-houngbo>"])
def test_graph_answers_in_every_rdf_format(client: FlaskClient, form: str, accept: str | None, fmt: str | None,
                                           mimetype: str, rdf: ox.RdfFormat) -> None:
    r = client.get("/sparql", query_string={"query": form, **({"format": fmt} if fmt else {})},
                   headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    assert r.mimetype == mimetype
    subjects = {t.subject.value for t in ox.parse(r.data, format=rdf)}
    assert ID + "person/gilbert-f-houngbo" in subjects


def test_protocol_dataset_chooses_the_graphs(client: FlaskClient) -> None:
    doc_graph = "https://w3id.org/labour-kg/graph/doc/ru-2022-014"
    query = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <http://schema.org/NewsArticle> }"
    assert count_of(client.get("/sparql", query_string={"query": query})) == 4
    assert count_of(client.get("/sparql", query_string={"query": query, "default-graph-uri": doc_graph})) == 1
    named = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", query_string=[("query", named), ("named-graph-uri", doc_graph),
                                            ("named-graph-uri", "https://w3id.org/labour-kg/graph/reference")])
    assert count_of(r) == 2


def test_from_in_the_query_names_the_default_graph(client: FlaskClient) -> None:
    query = "SELECT (COUNT(DISTINCT ?d) AS ?n) FROM <https://w3id.org/labour-kg/graph/doc/ru-2022-014> " \
            "WHERE { ?d a <http://schema.org/NewsArticle> }"
    assert count_of(client.get("/sparql", query_string={"query": query})) == 1


def test_service_description_when_rdf_is_asked_without_a_query(client: FlaskClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    triples = list(ox.parse(r.data, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(t.object == ox.NamedNode(sd + "Service") for t in triples)
    assert any(t.predicate == ox.NamedNode(sd + "resultFormat") for t in triples)


def test_browsers_get_the_query_editor(client: FlaskClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.data.decode()
    assert 'id="query"' in html and "PREFIX lkg: &lt;https://w3id.org/labour-kg/ontology#&gt;" in html
    assert "Organisations that met most often" in html  # examples are the saved queries
    assert "/static/sparql.js" in html
    shared = client.get("/sparql?query=" + quote("ASK { ?s ?p ?o }"), headers=HTML)
    assert "ASK { ?s ?p ?o }" in shared.data.decode()  # a shareable URL opens the query in the editor
    assert client.get("/static/sparql.js").status_code == 200


def test_malformed_queries_get_400_with_the_parsers_message(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert r.status_code == 400
    assert r.data.decode().startswith("malformed query: error at 1:")


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"method": "PUT", "query_string": {"query": "ASK {}"}}, 405),
        ({"method": "GET", "query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
        ({"method": "POST", "data": b"ASK {}", "content_type": "text/plain"}, 415),
        ({"method": "POST", "data": b"query=ASK%20%7B%7D"}, 415),
        ({"method": "POST", "data": "ASK { FILTER('\u00e9') }".encode("latin-1"),
          "content_type": "application/sparql-query"}, 400),
        ({"method": "GET", "query_string": {"query": "ASK {}", "timeout": "soon"}}, 400),
        ({"method": "GET", "query_string": {"query": "ASK {}", "timeout": "nan"}}, 400),
        ({"method": "GET", "query_string": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400),
        ({"method": "POST", "data": {"format": "json"}}, 400),
        ({"method": "GET", "query_string": {"query": "ASK {}", "format": "turtle"}}, 406),
    ],
)
def test_bad_requests_are_refused_with_a_reason(client: FlaskClient, kwargs: dict, status: int) -> None:
    r = client.open("/sparql", **kwargs)
    assert r.status_code == status
    if status != 405:
        assert len(r.data.decode().strip()) > 10


def test_cors_is_on(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "http://elsewhere.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    pre = client.options("/sparql", headers={"Origin": "http://elsewhere.example",
                                             "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 204 and "POST" in pre.headers["Access-Control-Allow-Methods"]


def test_row_cap_is_stated_in_the_response(tmp_path) -> None:
    capped = make_app(tmp_path, max_rows=5)
    try:
        r = capped.test_client().get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert r.status_code == 200
        assert len(r.get_json()["results"]["bindings"]) == 5
        assert r.headers["X-KG-Truncated"] == "true" and r.headers["X-KG-Max-Rows"] == "5"
        assert "5 rows" in r.headers["Warning"]
        small = capped.test_client().get("/sparql", query_string={"query": COUNT})
        assert "X-KG-Truncated" not in small.headers
    finally:
        capped.extensions["kg_runner"].close()


def test_request_size_is_capped(client: FlaskClient) -> None:
    big = "ASK {}" + " " * 300_000
    assert client.post("/sparql", data={"query": big}).status_code == 413
    assert client.post("/sparql", data=big.encode(), content_type="application/sparql-query").status_code == 413
    long_get = "ASK {}" + "#" * 120_000
    assert client.get("/sparql", query_string={"query": long_get}).status_code == 413


def test_json_results_keep_language_tags_and_datatypes(client: FlaskClient) -> None:
    q = f"SELECT ?n ?l WHERE {{ <{ID}org/fturk> <https://w3id.org/labour-kg/ontology#memberCount> ?n ; " \
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANG(?l) = 'kk') }"
    row = json.loads(client.get("/sparql", query_string={"query": q}).data)["results"]["bindings"][0]
    assert row["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert row["l"]["xml:lang"] == "kk"

