"""Answers the query worker writes itself (webapp.worker.write): pyoxigraph writes them, the row cap is kept by
counting lines, and nothing is lost on the way through TSV or N-Triples."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from webapp.worker import Job, run

JSON, TSV, XML, CSV = ("application/sparql-results+json", "text/tab-separated-values",
                       "application/sparql-results+xml", "text/csv")
NT, TURTLE, JSONLD = "application/n-triples", "text/turtle", "application/ld+json"
EX = "http://example.org/"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """Rows long enough that an answer spans many of pyoxigraph's write chunks, and terms that are hard to write."""
    store = ox.Store()
    graph = ox.NamedNode(EX + "g")
    for i in range(3000):
        store.add(ox.Quad(ox.NamedNode(f"{EX}item/{i:05d}"), ox.NamedNode(EX + "label"),
                          ox.Literal(f"item {i} " + "x" * (i % 50), language="en"), graph))
    odd = [ox.Literal("two\nlines\tand \"quotes\" \\ é"), ox.Literal("қазақша", language="kk"),
           ox.Literal("", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
           ox.Literal("abc", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
           ox.Literal("1.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")), ox.BlankNode("b1")]
    for value in odd:
        store.add(ox.Quad(ox.BlankNode("odd"), ox.NamedNode(EX + "odd"), value, graph))
    return store


def written(store: ox.Store, query: str, max_rows: int = 10_000, results: str = JSON, graph: str = TURTLE):
    return run(store, Job(query, max_rows=max_rows, write_as=(results, graph)))


QUERY = f"SELECT ?s ?l WHERE {{ ?s <{EX}label> ?l }} ORDER BY ?s"


@pytest.mark.parametrize("max_rows", [0, 1, 2999, 3000, 3001])
def test_the_row_cap_keeps_the_first_rows(store: ox.Store, max_rows: int) -> None:
    expected = [(r["s"].value, r["l"].value) for r in store.query(QUERY, use_default_graph_as_union=True)]
    answer = written(store, QUERY, max_rows)
    rows = [(b["s"]["value"], b["l"]["value"]) for b in json.loads(answer.body)["results"]["bindings"]]
    assert rows == expected[:max_rows]
    assert answer.truncated == (len(expected) > max_rows)


def test_the_row_cap_keeps_whole_lines_and_nothing_twice_for_any_cap(store: ox.Store) -> None:
    expected = [f'<{r["s"].value}>\t"{r["l"].value}"@en' for r in store.query(QUERY, use_default_graph_as_union=True)]
    for max_rows in range(400):  # pyoxigraph writes ~8 KiB at a time: the cap falls in several chunks
        answer = written(store, QUERY, max_rows, results=TSV)
        assert answer.body.decode().split("\n")[1:] == [*expected[:max_rows], ""], max_rows
        assert answer.truncated


def test_the_triple_cap_keeps_whole_triples(store: ox.Store) -> None:
    answer = written(store, f"CONSTRUCT WHERE {{ ?s <{EX}label> ?l }}", 1000, graph=NT)
    assert answer.truncated and len(list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))) == 1000
    whole = written(store, f"CONSTRUCT WHERE {{ ?s <{EX}label> ?l }}", 3000, graph=NT)
    assert not whole.truncated and len(whole.body.splitlines()) == 3000


@pytest.mark.parametrize("media_type", [JSON, XML, CSV, TSV])
def test_hard_terms_come_out_as_pyoxigraph_writes_them_directly(store: ox.Store, media_type: str) -> None:
    query = f"SELECT ?o ?none WHERE {{ ?s <{EX}odd> ?o OPTIONAL {{ ?s <{EX}none> ?none }} }} ORDER BY STR(?o)"
    direct = store.query(query, use_default_graph_as_union=True).serialize(
        format=ox.QueryResultsFormat.from_media_type(media_type))
    answer = written(store, query, results=media_type)
    assert (answer.kind, answer.media_type, answer.truncated) == ("select", media_type, False)
    assert answer.body == direct


@pytest.mark.parametrize("media_type", [TURTLE, NT, JSONLD, "application/rdf+xml"])
def test_graph_answers_keep_every_triple(store: ox.Store, media_type: str) -> None:
    answer = written(store, f"CONSTRUCT WHERE {{ ?s <{EX}odd> ?o }}", graph=media_type)
    got = canonical(ox.parse(answer.body, format=ox.RdfFormat.from_media_type(media_type)))
    query = f"CONSTRUCT WHERE {{ ?s <{EX}odd> ?o }}"
    expected = (ox.Quad(t.subject, t.predicate, t.object) for t in store.query(query, use_default_graph_as_union=True))
    assert got == canonical(expected) and len(got) == 6


def canonical(quads: object) -> set[ox.Quad]:
    """The quads with blank nodes named canonically (RDFC-1.0), to compare graphs that name them differently."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def test_a_select_without_variables_keeps_its_one_empty_row(store: ox.Store) -> None:
    answer = written(store, "SELECT * WHERE {}")
    assert json.loads(answer.body) == {"head": {"vars": []}, "results": {"bindings": [{}]}}


def test_an_ask_is_written_in_json_or_xml(store: ox.Store) -> None:
    assert json.loads(written(store, "ASK { ?s ?p ?o }").body)["boolean"] is True
    xml = written(store, "ASK { ?s <http://nowhere/> ?o }", results=XML)
    assert xml.media_type == XML and b"<boolean>false</boolean>" in xml.body
