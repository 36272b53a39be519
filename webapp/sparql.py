"""The pages of /sparql: the query editor, and the Service Description (SPARQL 1.1 SD) for a GET without a
query. Queries themselves are answered by webapp.protocol before a request reaches Flask."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from kg.namespaces import sparql_prefixes
from webapp import formats
from webapp.protocol import CORS, PATHS, endpoint_iri, error
from webapp.store import get_settings

sparql = Blueprint("sparql", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"


@sparql.after_request
def cors(response: Response) -> Response:
    response.headers.extend(CORS)
    return response


@sparql.route(PATHS[0], methods=["GET"], strict_slashes=False)
@sparql.route(PATHS[1], methods=["GET"])
def page() -> Response | str:
    """What webapp.protocol passes on: a browser's shared query link (the editor), or no query at all."""
    if "query" in request.args:
        return editor()
    explicit = request.args.get("format")
    try:
        name = formats.choose(request, "graph", explicit=explicit, html=True)
    except formats.NotAcceptable as exc:
        return error(406, str(exc))
    if name == "html":
        return editor()
    body = formats.write_graph(name, service_description(endpoint_iri(request)))
    return Response(body, mimetype=formats.GRAPH_FORMATS[name][0])


def service_description(url: str) -> list[ox.Triple]:
    """SPARQL 1.1 Service Description of this endpoint."""
    me = ox.NamedNode(url)
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [
        ox.Triple(me, a, ox.NamedNode(SD + "Service")),
        ox.Triple(me, ox.NamedNode(SD + "endpoint"), me),
        ox.Triple(me, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Query")),
        ox.Triple(me, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "UnionDefaultGraph")),
        ox.Triple(me, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
                  ox.Literal("Read-only; SERVICE is disabled; answers are row-capped and queries time-limited.")),
    ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        triples.append(ox.Triple(me, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(FORMATS_NS + name)))
    dataset = ox.NamedNode(url + "#dataset")
    triples += [
        ox.Triple(me, ox.NamedNode(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, a, ox.NamedNode(SD + "Dataset")),
    ]
    return triples


def editor() -> str:
    from webapp.queries import catalogue

    examples = [{"title": q.title, "text": q.text} for q in catalogue().values()]
    initial = request.args.get("query") or sparql_prefixes() + "\nSELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20\n"
    return render_template("sparql.html", query=initial, examples=examples, prefixes=sparql_prefixes(),
                           max_rows=get_settings().max_rows, time_limit=get_settings().query_timeout)
