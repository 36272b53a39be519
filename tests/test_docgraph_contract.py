"""The document graph follows the public contract: article node, mentions, labels, annotations with
exact offsets, no blank nodes, one named graph, and the same quads for the same input."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.corpus import read_corpus
from kg.docgraph import document_quads
from kg.namespaces import DOCUMENT_GRAPH_PREFIX, INSTANCE_BASE, OA, SCHEMA, document_graph
from kg.pipeline import extract
from tests.conftest import DEV


@pytest.fixture(scope="module")
def record():
    return read_corpus([DEV / "dev-061.json"]).records[0]


@pytest.fixture(scope="module")
def store(record):
    s = ox.Store()
    s.extend(document_quads(record, extract(record)))
    return s


def ask(store: ox.Store, where: str) -> list:
    q = f"PREFIX schema: <{SCHEMA}> PREFIX oa: <{OA}> SELECT * WHERE {{ {where} }}"
    return list(store.query(q, use_default_graph_as_union=True))


def test_article_node(store, record) -> None:
    doc = f"<{INSTANCE_BASE}doc/{record.id}>"
    rows = ask(
        store,
        f"{doc} a schema:NewsArticle ; schema:identifier ?i ; schema:url ?u ; schema:datePublished ?d ;"
        f" schema:inLanguage ?l ; schema:headline ?h ; schema:text ?t",
    )
    (row,) = rows
    assert row["i"].value == record.id and row["d"].value == "2018-12-03" and row["l"].value == "en"
    assert row["t"].value == record.text


def test_every_quad_is_in_the_document_graph_and_has_no_blank_nodes(record) -> None:
    quads = document_quads(record, extract(record))
    assert {q.graph_name.value for q in quads} == {document_graph(record.id)}
    assert document_graph(record.id).startswith(DOCUMENT_GRAPH_PREFIX)
    assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))


def test_mentions_link_entities_with_types_and_labels(store) -> None:
    rows = ask(store, "?d schema:mentions ?e . ?e a ?c . ?e <http://www.w3.org/2000/01/rdf-schema#label> ?n")
    by_entity = {r["e"].value for r in rows}
    assert INSTANCE_BASE + "org/fturk" in by_entity
    assert INSTANCE_BASE + "city/2618425" in by_entity  # Copenhagen
    memo = ask(
        store, "?m a <https://w3id.org/labour-kg/ontology#Memorandum> ; <https://w3id.org/labour-kg/ontology#party> ?p"
    )
    assert {r["p"].value for r in memo} >= {INSTANCE_BASE + "org/fturk", INSTANCE_BASE + "org/ctua"}


def test_annotations_point_at_the_exact_text(store, record) -> None:
    rows = ask(
        store,
        "?a a oa:Annotation ; oa:hasBody ?e ; oa:motivatedBy oa:identifying ; oa:hasTarget ?t . "
        "?t oa:hasSource ?d ; oa:hasSelector ?p, ?q . ?p a oa:TextPositionSelector ; oa:start ?s ; "
        "oa:end ?end . ?q a oa:TextQuoteSelector ; oa:exact ?x ; oa:prefix ?pre ; oa:suffix ?suf",
    )
    assert len(rows) >= 5
    for r in rows:
        start, end = int(r["s"].value), int(r["end"].value)
        assert record.text[start:end] == r["x"].value
        assert record.text[:start].endswith(r["pre"].value) and record.text[end:].startswith(r["suf"].value)
        assert r["a"].value.endswith(f"/mention/{start}-{end}")


def test_same_input_gives_identical_sorted_quads(record) -> None:
    first = document_quads(record, extract(record))
    second = document_quads(record, extract(record))
    assert first == second and first == sorted(first, key=str)


def test_base_is_applied_to_every_instance_iri(record) -> None:
    quads = document_quads(record, extract(record), base="http://example.org/kg/")
    iris = {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
    assert not any(i.startswith(INSTANCE_BASE) for i in iris)
    assert "http://example.org/kg/org/fturk" in iris


def test_mismatched_extraction_is_refused(record) -> None:
    other = read_corpus([DEV / "dev-198.json"]).records[0]
    with pytest.raises(ValueError, match="extraction of"):
        document_quads(record, extract(other))
