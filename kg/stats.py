"""Counts that tell what a store holds: triples, graphs, documents, entities per class."""

from __future__ import annotations

import json

from kg import namespaces as ns
from kg.store import GraphStore


def stats(store: GraphStore) -> dict:
    """Counts by SPARQL only, so they mean the same on the embedded and on a remote store."""
    one = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    # the union of the graphs, each triple once (a fact found in two documents counts once)
    triples = store.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    graphs = store.graphs()
    docs = store.select(f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a <{ns.SCHEMA}NewsArticle> }}")
    classes = store.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c"
    )
    return {
        "triples": int(triples[0]["n"].value),
        "quads": int(one[0]["n"].value),
        "graphs": len(graphs),
        "documents": int(docs[0]["n"].value),
        "classes": {r["c"].value: int(r["n"].value) for r in classes},
    }


def format_stats(data: dict, *, as_json: bool = False) -> str:
    """A plain-text summary, or the same data as JSON."""
    if as_json:
        return json.dumps(data, indent=2)
    lines = [f"triples    {data['triples']:>10,}", f"quads      {data['quads']:>10,}",
             f"graphs     {data['graphs']:>10,}", f"documents  {data['documents']:>10,}", "entities per class:"]
    lines += [f"  {n:>8,}  {_short(c)}" for c, n in data["classes"].items()]
    return "\n".join(lines)


def _short(iri: str) -> str:
    for prefix, base in ns.PREFIXES.items():
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    return f"<{iri}>"
