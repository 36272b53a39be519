"""A real `oxigraph serve` behind RemoteStore answers exactly as the embedded store does, and fails clearly."""

from __future__ import annotations

import io
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench import synth
from kg.export import FORMATS, write
from kg.query import run_query
from kg.stats import stats
from kg.store import StoreError
from kg.store.embedded import EmbeddedStore
from kg.store.remote import RemoteStore, bind_values
from tests.conftest import free_port
from tests.servers import oxigraph_server

pytestmark = pytest.mark.slow
E = "http://example.org/"
QUERIES = [
    "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c",
    "SELECT ?doc ?e WHERE { ?doc schema:mentions ?e ; schema:identifier \"synth-0000003\" } ORDER BY ?e",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g LIMIT 5",
    "ASK { ?s a lkg:Memorandum }",
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a schema:Person ; rdfs:label ?l }",
]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedStore, RemoteStore]]:
    embedded = EmbeddedStore.in_memory()
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "db") as server:
        remote = RemoteStore(server.query, timeout=30)
        for graph, quads in synth.graphs(2500):
            embedded.replace_graph(graph, quads)
            remote.replace_graph(graph, quads)
        yield embedded, remote


def answer(store, query: str, fmt: str) -> bytes:  # noqa: ANN001 - either store
    out = io.BytesIO()
    run_query(store, query, fmt, out)
    return out.getvalue()


def test_default_endpoints_are_derived_for_oxigraph_and_fuseki() -> None:
    ox_store = RemoteStore("http://h:7878/query")
    assert (ox_store.update_endpoint, ox_store.gsp_endpoint) == ("http://h:7878/update", "http://h:7878/store")
    fuseki = RemoteStore("http://h:3030/ds/sparql")
    assert (fuseki.update_endpoint, fuseki.gsp_endpoint) == ("http://h:3030/ds/update", "http://h:3030/ds/data")


def test_graphs_quads_and_stats_match_the_embedded_store(stores: tuple[EmbeddedStore, RemoteStore]) -> None:
    embedded, remote = stores
    assert remote.graphs() == embedded.graphs()
    assert set(remote.quads()) == set(embedded.quads())
    assert stats(remote) == stats(embedded)


@pytest.mark.parametrize("query", QUERIES)
def test_query_answers_match_the_embedded_store(stores: tuple[EmbeddedStore, RemoteStore], query: str) -> None:
    embedded, remote = stores
    for fmt in ("json", "csv", "tsv", "table", "turtle"):
        try:
            expected = answer(embedded, query, fmt)
        except Exception as exc:  # the remote store must refuse the same way
            with pytest.raises(type(exc)):
                answer(remote, query, fmt)
            continue
        got = answer(remote, query, fmt)
        if query.startswith("CONSTRUCT"):
            assert set(ox.parse(got, ox.RdfFormat.TURTLE)) == set(ox.parse(expected, ox.RdfFormat.TURTLE))
        else:
            assert got == expected, fmt


def test_answers_have_the_embedded_store_types(stores: tuple[EmbeddedStore, RemoteStore]) -> None:
    _, remote = stores
    assert isinstance(remote.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1"), ox.QuerySolutions)
    assert isinstance(remote.query("ASK { ?s ?p ?o }"), ox.QueryBoolean)
    assert isinstance(remote.query("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"), ox.QueryTriples)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_dumps_are_byte_identical_to_the_embedded_store(stores: tuple[EmbeddedStore, RemoteStore], fmt: str) -> None:
    embedded, remote = stores
    expected, got = io.BytesIO(), io.BytesIO()
    write(embedded, fmt, expected)
    write(remote, fmt, got)
    assert got.getvalue() == expected.getvalue()


def test_substitutions_match_the_embedded_store(stores: tuple[EmbeddedStore, RemoteStore]) -> None:
    embedded, remote = stores
    doc = ox.NamedNode("https://w3id.org/labour-kg/id/doc/synth-0000002")
    query = "SELECT ?doc ?e WHERE { ?doc <http://schema.org/mentions> ?e } ORDER BY ?e"
    subs = {ox.Variable("doc"): doc}
    assert remote.select(query, substitutions=subs) == embedded.select(query, substitutions=subs)
    assert len(remote.select(query, substitutions=subs)) >= 3


@pytest.mark.parametrize(
    ("query", "dataset"),
    [
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {"default_graphs": ["doc/synth-0000001"]}),
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {"default_graphs": ["doc/synth-0000001", "doc/synth-0000002"]}),
        ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
         {"named_graphs": ["doc/synth-0000003"]}),
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {"named_graphs": ["doc/synth-0000003"]}),
        ("SELECT ?g (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g ORDER BY ?g",
         {"default_graphs": ["doc/synth-0000001"], "named_graphs": ["doc/synth-0000002"]}),
        ("SELECT (COUNT(*) AS ?n) FROM <G/doc/synth-0000004> WHERE { ?s ?p ?o }", {"union": False}),
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {"union": False}),
    ],
)
def test_a_protocol_dataset_is_passed_through_to_the_server(stores: tuple[EmbeddedStore, RemoteStore], query: str,
                                                            dataset: dict) -> None:
    embedded, remote = stores
    graph = "https://w3id.org/labour-kg/graph/"
    query = query.replace("<G/", f"<{graph}")
    dataset = {k: [graph + g for g in v] if isinstance(v, list) else v for k, v in dataset.items()}
    expected = embedded.select(query, **dataset)
    assert remote.select(query, **dataset) == expected
    assert expected != embedded.select(re.sub(r"FROM <[^>]*>", "", query)), "the dataset changes the answer"


def test_bind_values_skips_braces_in_strings_iris_and_comments() -> None:
    query = 'PREFIX a: <http://x/#{> # where {\nSELECT ?s WHERE { ?s ?p "}{ WHERE" . { SELECT ?s WHERE { ?s ?q ?o } } }'
    bound = bind_values(query, {ox.Variable("s"): ox.NamedNode(E + "s")})
    assert bound.startswith(query[: query.index("WHERE {") + 7] + f" VALUES (?s) {{ (<{E}s>) }} ")
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert bind_values(construct, {ox.Variable("s"): ox.NamedNode(E)}) == \
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES (?s) {{ (<{E}>) }}  ?s ?p ?o }}"


def test_replace_and_drop_graphs_on_the_server(stores: tuple[EmbeddedStore, RemoteStore]) -> None:
    _, remote = stores
    g = E + "scratch"
    triple = ox.Triple(ox.NamedNode(E + "a"), ox.NamedNode(E + "p"), ox.Literal('quote " and { brace', language="en"))
    remote.replace_graph(g, [triple])
    remote.replace_graph(g, [triple, ox.Triple(ox.NamedNode(E + "a"), ox.NamedNode(E + "p"), ox.NamedNode(E + "b"))])
    assert len(list(remote.quads(g))) == 2
    remote.drop_graphs([g])
    assert g not in remote.graphs()


def test_a_malformed_query_is_a_syntax_error(stores: tuple[EmbeddedStore, RemoteStore]) -> None:
    _, remote = stores
    with pytest.raises(SyntaxError, match="rejected"):
        remote.query("SELECT WHERE nonsense")


def test_connection_refused_is_a_store_error() -> None:
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=5)
    with pytest.raises(StoreError, match="connection refused"):
        store.graphs()


def test_a_silent_server_times_out_with_a_store_error() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        store = RemoteStore(f"http://127.0.0.1:{listener.getsockname()[1]}/query", timeout=0.5)
        with pytest.raises(StoreError, match="did not answer within 0.5 s"):
            store.query("ASK {}")


def test_http_errors_are_store_errors(stores: tuple[EmbeddedStore, RemoteStore]) -> None:
    _, remote = stores
    wrong = RemoteStore(remote.query_endpoint.replace("/query", "/nothing-here"),
                        gsp_endpoint=remote.gsp_endpoint + "-missing")
    with pytest.raises(StoreError, match="404|failed"):
        wrong.query("ASK {}")
    with pytest.raises(StoreError, match="HTTP 404"):
        list(wrong.quads(E + "g"))


def test_the_kg_command_works_against_the_server(stores: tuple[EmbeddedStore, RemoteStore], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    _, remote = stores
    out = tmp_path / "dump.nq"
    assert main(["--store", remote.query_endpoint, "export", "-f", "nquads", "-o", str(out)]) == 0
    assert set(ox.parse(out.read_bytes(), ox.RdfFormat.N_QUADS)) == set(remote.quads())
    assert main(["--store", remote.query_endpoint, "stats", "--json"]) == 0
    assert '"documents"' in capsys.readouterr().out
