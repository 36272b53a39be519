"""The RDF dataset a SPARQL query runs over, as pyoxigraph's query options: one rule for the store and the
web app's query workers (which import nothing heavier than pyoxigraph and this module).

A dataset given with the query (the protocol's ``default-graph-uri`` and ``named-graph-uri``) is the whole
dataset: without ``default-graph-uri`` its default graph is empty, without ``named-graph-uri`` it has no named
graphs (SPARQL 1.1 Protocol, 2.1.4; Oxigraph's server does the same). Otherwise the
default graph is the union of the graphs, unless ``union`` is false (a query with its own ``FROM``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox


def query_options(default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (), *,
                  union: bool = True) -> dict:
    """Keyword arguments for ``pyoxigraph.Store.query``."""
    if not default_graphs and not named_graphs:
        return {"use_default_graph_as_union": union}
    return {"default_graph": [ox.NamedNode(g) for g in default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in named_graphs]}
