"""`kg stats`: triples once each across graphs, quads per graph, documents and entities per class."""

from __future__ import annotations

import json

import pyoxigraph as ox

from kg.namespaces import LKG, RDF, SCHEMA, document_graph
from kg.stats import format_stats, stats
from kg.store.embedded import EmbeddedStore

A = ox.NamedNode(RDF + "type")


def test_stats_count_shared_triples_once_and_per_graph() -> None:
    store = EmbeddedStore.in_memory()
    fturk = ox.NamedNode("https://w3id.org/labour-kg/id/org/fturk")
    for doc in ("d1", "d2"):
        article = ox.NamedNode(f"https://w3id.org/labour-kg/id/doc/{doc}")
        store.replace_graph(document_graph(doc), [
            ox.Triple(article, A, ox.NamedNode(SCHEMA + "NewsArticle")),
            ox.Triple(fturk, A, ox.NamedNode(LKG + "TradeUnionCentre")),
        ])
    data = stats(store)
    assert data == {"triples": 3, "quads": 4, "graphs": 2, "documents": 2,
                    "classes": {SCHEMA + "NewsArticle": 2, LKG + "TradeUnionCentre": 1}}
    assert json.loads(format_stats(data, as_json=True)) == data
    text = format_stats(data)
    assert "triples             3" in text and "lkg:TradeUnionCentre" in text and "schema:NewsArticle" in text
