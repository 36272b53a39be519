"""`kg query`: every output format, answers of each query form, and clear errors."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from kg.query import QueryError, run_query
from kg.store.embedded import EmbeddedStore

E = "http://example.org/"


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    store = EmbeddedStore.in_memory()
    store.replace_graph(E + "g1", [ox.Triple(ox.NamedNode(E + "fturk"), ox.NamedNode(ox_rdfs("label")),
                                             ox.Literal("FTURK, Kazakhstan", language="en"))])
    store.replace_graph(E + "g2", [ox.Triple(ox.NamedNode(E + "ilo"), ox.NamedNode(ox_rdfs("label")),
                                             ox.Literal("ILO"))])
    return store


def ox_rdfs(name: str) -> str:
    return "http://www.w3.org/2000/01/rdf-schema#" + name


def run(store: EmbeddedStore, query: str, fmt: str) -> str:
    out = io.BytesIO()
    run_query(store, query, fmt, out)
    return out.getvalue().decode()


SELECT = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label"


def test_table_lists_rows_over_the_union_of_graphs(store: EmbeddedStore) -> None:
    text = run(store, SELECT, "table")
    assert text.splitlines()[0].split() == ["s", "label"]
    assert "FTURK, Kazakhstan" in text and "ILO" in text and text.endswith("(2 rows)\n")


def test_csv_tsv_and_json_are_the_standard_result_formats(store: EmbeddedStore) -> None:
    rows = list(csv.reader(io.StringIO(run(store, SELECT, "csv"))))
    assert rows == [["s", "label"], [E + "fturk", "FTURK, Kazakhstan"], [E + "ilo", "ILO"]]
    assert run(store, SELECT, "tsv").splitlines()[1] == f'<{E}fturk>\t"FTURK, Kazakhstan"@en'
    bindings = json.loads(run(store, SELECT, "json"))["results"]["bindings"]
    assert [b["label"]["value"] for b in bindings] == ["FTURK, Kazakhstan", "ILO"]


def test_ask_and_construct_answers(store: EmbeddedStore) -> None:
    assert run(store, "ASK { ?s rdfs:label 'ILO' }", "table") == "true\n"
    assert json.loads(run(store, "ASK { ?s rdfs:label 'nothing' }", "json")) == {"boolean": False}
    turtle = run(store, "CONSTRUCT WHERE { ?s rdfs:label ?l }", "turtle")
    assert "@prefix rdfs:" in turtle
    assert len(list(ox.parse(turtle.encode(), ox.RdfFormat.TURTLE))) == 2


@pytest.mark.parametrize(("query", "fmt", "message"), [
    ("SELEC ?s", "table", "malformed query"),
    (SELECT, "turtle", "a SELECT answer is a table"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "csv", "use --format turtle"),
])
def test_errors_say_what_is_wrong(store: EmbeddedStore, query: str, fmt: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        run(store, query, fmt)


def test_kg_query_command_reads_a_query_file_and_reports_errors(tmp_path, capsys) -> None:  # noqa: ANN001
    from kg.cli import main

    store = EmbeddedStore(tmp_path / "store")
    store.replace_graph(E + "g", [ox.Triple(ox.NamedNode(E + "a"), ox.NamedNode(ox_rdfs("label")), ox.Literal("A"))])
    store.close()
    del store
    query = tmp_path / "labels.rq"
    query.write_text("SELECT ?label WHERE { ?s rdfs:label ?label }")
    assert main(["--store", str(tmp_path / "store"), "query", str(query), "-f", "csv"]) == 0
    assert capsys.readouterr().out == "label\r\nA\r\n"
    query.write_text("SELECT nonsense")
    assert main(["--store", str(tmp_path / "store"), "query", str(query)]) == 1
    assert "malformed query" in capsys.readouterr().err
