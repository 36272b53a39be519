"""Saved queries: their headers, what they answer over the fixture graph, parameters bound as RDF terms,
paging, and CSV/JSON/TSV at the same URL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from kg.config import ROOT
from tests import test_webapp as web
from tests.test_webapp import HTML, ID
from webapp.saved import Parameter, ParameterError, QueryFileError, load_all, parse

app, client = web.app, web.client  # the shared fixtures
QUERIES = load_all(ROOT / "queries")


def rows(client: FlaskClient, name: str, **params: str) -> list[dict[str, str]]:
    r = client.get(f"/queries/{name}.csv", query_string=params)
    assert r.status_code == 200, r.data
    return list(csv.DictReader(io.StringIO(r.data.decode())))


def test_at_least_twelve_queries_each_with_title_description_tags() -> None:
    assert len(QUERIES) >= 12
    for q in QUERIES:
        assert q.title and q.description and q.tags, q.name
        assert q.page_size > 0, q.name


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_saved_query_runs_and_renders(client: FlaskClient, query) -> None:
    r = client.get(f"/queries/{query.name}", headers=HTML)
    assert r.status_code == 200
    assert query.title in r.data.decode()
    assert "<table" in r.data.decode()


def test_events_an_organisation_attended_in_a_year(client: FlaskClient) -> None:
    found = rows(client, "events-attended-by-organisation", year="2023")
    assert {r["event"] for r in found} == {ID + "event/ilc-111", ID + "event/fturk-ilo-meeting-2023"}
    assert {r["city"] for r in found} == {ID + "city/2660646"}
    every_year = rows(client, "events-attended-by-organisation")
    assert ID + "event/gender-seminar-2021" in {r["event"] for r in every_year}
    assert rows(client, "events-attended-by-organisation", year="1999") == []


def test_memoranda_conventions_posts_and_sessions(client: FlaskClient) -> None:
    memo = rows(client, "memoranda-by-partner-country", country=ID + "country/RU")
    assert {(r["party"], r["partyCountry"]) for r in memo} == {(ID + "org/gctu", ID + "country/RU"),
                                                                (ID + "org/fturk", ID + "country/KZ")}
    assert rows(client, "memoranda-by-partner-country", country=ID + "country/CH") == []
    conventions = {r["instrument"]: r for r in rows(client, "conventions-mentioned")}
    assert conventions[ID + "convention/C087"]["instrumentCategory"].endswith("#Fundamental")
    assert set(conventions) == {ID + "convention/C087", ID + "convention/C190"}
    fundamental = rows(client, "conventions-mentioned", category="lkg:Fundamental")
    assert [r["instrument"] for r in fundamental] == [ID + "convention/C087"]
    posts = rows(client, "posts-in-organisations", org=ID + "org/fturk")
    assert [(r["person"], r["role"]) for r in posts] == [(ID + "person/satybaldy-dauletalin", ID + "role/chairman")]
    sessions = rows(client, "ilc-sessions-attended")
    assert [(r["session"], r["number"]) for r in sessions] == [(ID + "event/ilc-111", "111")]


def test_meetings_mentions_kinds_and_topics(client: FlaskClient) -> None:
    met = rows(client, "organisations-that-met-most")
    assert {(r["a"], r["b"], r["events"]) for r in met} >= {(ID + "org/fturk", ID + "org/ilo", "2")}
    docs = rows(client, "documents-mentioning-entity", entity=ID + "org/ilo")
    assert [r["doc"] for r in docs] == [ID + "doc/en-2023-001", ID + "doc/kk-2021-003"]  # newest first
    kinds = {(r["year"], r["kind"].rsplit("#", 1)[1], r["events"]) for r in rows(client, "events-by-kind-per-year")}
    assert kinds == {("2023", "ILCSession", "1"), ("2023", "Meeting", "1"), ("2021", "Seminar", "1")}
    gender = rows(client, "gender-equality-events")
    assert {r["event"] for r in gender} == {ID + "event/gender-seminar-2021"}
    by_year = {(r["year"], r["language"], r["documents"]) for r in rows(client, "documents-by-year-and-language")}
    assert by_year == {("2023", "en", "1"), ("2022", "ru", "1"), ("2021", "en", "1"), ("2021", "kk", "1")}
    people = rows(client, "most-mentioned-entities", **{"class": "schema:Person"})
    assert {r["entity"] for r in people} == {ID + "person/satybaldy-dauletalin", ID + "person/gilbert-f-houngbo"}


def test_parameters_are_bound_as_terms_never_pasted(client: FlaskClient) -> None:
    hostile = '"))) } INSERT DATA { <x:a> <x:b> <x:c> } #'
    assert rows(client, "gender-equality-events", topic=hostile) == []
    r = client.get("/queries/documents-mentioning-entity.csv", query_string={"entity": "> } SELECT * { ?s ?p ?o"})
    assert r.status_code == 400
    assert "entity" in r.data.decode()


@pytest.mark.parametrize(
    ("param", "raw", "term"),
    [
        (Parameter("x", "iri"), "lkg:Convention", ox.NamedNode("https://w3id.org/labour-kg/ontology#Convention")),
        (Parameter("x", "integer"), "2023", ox.Literal("2023", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        (Parameter("x", "year"), "2023", ox.Literal("2023", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))),
        (Parameter("x", "date"), "2023-06-12", ox.Literal("2023-06-12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))),
        (Parameter("x", "string"), "a \"quoted\" word", ox.Literal('a "quoted" word')),
        (Parameter("x", "string", default="gender"), "", ox.Literal("gender")),
        (Parameter("x", "iri"), "", None),
    ],
)
def test_parameter_values_become_typed_terms(param: Parameter, raw: str, term: ox.Term | None) -> None:
    assert param.bind(raw) == term


@pytest.mark.parametrize(
    ("param", "raw"),
    [(Parameter("x", "integer"), "twenty"), (Parameter("x", "date"), "12/06/2023"),
     (Parameter("x", "iri"), "no scheme"), (Parameter("x", "iri", values=("lkg:Fundamental",)), "lkg:Technical")],
)
def test_bad_parameter_values_are_refused(param: Parameter, raw: str) -> None:
    with pytest.raises(ParameterError, match="x"):
        param.bind(raw)


def test_bad_values_get_a_400_with_the_form_again(client: FlaskClient) -> None:
    r = client.get("/queries/events-attended-by-organisation", query_string={"year": "last year"}, headers=HTML)
    assert r.status_code == 400
    assert "year" in r.data.decode() and "<form" in r.data.decode()
    r = client.get("/queries/conventions-mentioned", query_string={"category": "lkg:Nonsense"}, headers=HTML)
    assert r.status_code == 400


def test_paging(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from webapp import queries as blueprint

    shrunk = {q.name: q.__class__(**{**q.__dict__, "page_size": 3}) for q in QUERIES}
    monkeypatch.setattr(blueprint, "catalogue", lambda: shrunk)
    first = client.get("/queries/most-mentioned-entities", headers=HTML).data.decode()
    assert first.count('<td><a href="/id/') == 3 and 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get("/queries/most-mentioned-entities?page=2", headers=HTML).data.decode()
    assert 'rel="prev"' in second
    page2 = rows(client, "most-mentioned-entities", page="2")
    assert len(page2) == 3
    assert "X-KG-Truncated" not in client.get("/queries/most-mentioned-entities.csv?page=2").headers  # more pages
    assert len(rows(client, "most-mentioned-entities")) == 16  # downloads without page= carry every row


def test_a_download_cut_at_the_row_cap_says_so(tmp_path: Path) -> None:
    capped = web.make_app(tmp_path, max_rows=5)
    try:
        r = capped.test_client().get("/queries/most-mentioned-entities.json")
        assert r.status_code == 200 and r.headers["X-KG-Truncated"] == "true"
        assert len(json.loads(r.data)["results"]["bindings"]) == 5
    finally:
        capped.extensions["kg_runner"].close()


@pytest.mark.parametrize(
    ("how", "mimetype"),
    [
        ({"suffix": ".csv"}, "text/csv"),
        ({"suffix": ".tsv"}, "text/tab-separated-values"),
        ({"suffix": ".json"}, "application/sparql-results+json"),
        ({"headers": {"Accept": "text/csv"}}, "text/csv"),
        ({"headers": {"Accept": "application/sparql-results+json"}}, "application/sparql-results+json"),
        ({"query_string": {"format": "tsv"}}, "text/tab-separated-values"),
        ({"headers": HTML}, "text/html"),
    ],
)
def test_downloads_at_the_same_url(client: FlaskClient, how: dict, mimetype: str) -> None:
    r = client.get("/queries/posts-in-organisations" + how.get("suffix", ""), headers=how.get("headers", {}),
                   query_string=how.get("query_string"))
    assert r.status_code == 200
    assert r.mimetype == mimetype
    assert "satybaldy-dauletalin" in r.data.decode()


def test_html_table_shows_iris_as_linked_labels(client: FlaskClient) -> None:
    html = client.get("/queries/posts-in-organisations", headers=HTML, query_string={"lang": "ru"}).data.decode()
    iri = ID + "person/satybaldy-dauletalin"
    assert f'<a href="/id/person/satybaldy-dauletalin" title="{iri}">Сатыбалды Даулеталин</a>' in html


def test_query_index_groups_by_tag(client: FlaskClient) -> None:
    html = client.get("/queries").data.decode()
    assert 'id="tag-events"' in html and 'href="/queries/gender-equality-events"' in html
    only = client.get("/queries?tag=ilo").data.decode()
    assert 'href="/queries/conventions-mentioned"' in only and 'href="/queries/gender-equality-events"' not in only
    assert client.get("/queries/nothing-like-this").status_code == 404
    assert client.get("/queries/posts-in-organisations.xlsx").status_code == 404


def test_malformed_headers_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("#+ description: no title\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(QueryFileError, match="title"):
        parse(bad)
    bad.write_text("#+ title: t\n#+ param x: colour\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(QueryFileError, match="unknown type"):
        parse(bad)
