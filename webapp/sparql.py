"""The SPARQL 1.1 Protocol endpoint (/sparql): read-only, offline, time-limited, row-capped; with an editor page."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from kg.namespaces import sparql_prefixes
from webapp import formats
from webapp.executor import QueryTimeout, Runner, ServerBusy
from webapp.guard import Refused, check
from webapp.store import get_settings
from webapp.worker import Answer, Job

sparql = Blueprint("sparql", __name__)

#: Longest query text accepted (characters); request bodies are capped by the app (MAX_CONTENT_LENGTH).
MAX_QUERY_CHARS = 100_000
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"


class ProtocolError(Exception):
    """A request the protocol does not allow; carries the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def get_runner() -> Runner:
    return current_app.extensions["kg_runner"]


def error(status: int, message: str) -> Response:
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain")


@sparql.after_request
def cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response.headers["Access-Control-Expose-Headers"] = "X-KG-Max-Rows, X-KG-Truncated, X-KG-Time-Limit"
    return response


@sparql.route("/sparql", methods=["GET", "POST", "OPTIONS"], strict_slashes=False)
@sparql.route("/sparql/", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response | str:
    if request.method == "OPTIONS":
        return Response(status=204)
    try:
        text, default_graphs, named_graphs = read_request()
    except ProtocolError as exc:
        return error(exc.status, str(exc))
    if text is None:
        return no_query()
    chosen = negotiate()
    if request.method == "GET" and "format" not in request.args and chosen.html:
        return editor()  # a shared link opened in a browser: show the query in the editor and run it there
    try:
        words = check(text)
    except Refused as exc:
        return error(403, str(exc))
    try:
        timeout = time_limit()
    except ProtocolError as exc:
        return error(exc.status, str(exc))
    max_rows = get_settings().max_rows
    # the union of all graphs is the default graph, unless the query names its own dataset (FROM)
    job = Job(text, default_graphs=default_graphs, named_graphs=named_graphs, max_rows=max_rows,
              base_iri=request.base_url, union="FROM" not in words, write_as=(chosen.results, chosen.graph))
    try:
        answer = get_runner().run(job, timeout)
    except (QueryTimeout, ServerBusy) as exc:
        return error(503, str(exc))
    return respond(answer, max_rows, timeout, chosen)


def read_request() -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """The query text and protocol dataset of a GET, form POST or direct POST (SPARQL 1.1 Protocol 2.1)."""
    args = request.args
    if "update" in args or "using-graph-uri" in args or "using-named-graph-uri" in args:
        raise ProtocolError(403, "this endpoint is read-only: SPARQL updates are refused")
    if request.method == "GET":
        queries = args.getlist("query")
        params = args
    else:
        ctype = (request.mimetype or "").lower()
        if ctype == "application/x-www-form-urlencoded":
            if "update" in request.form:
                raise ProtocolError(403, "this endpoint is read-only: SPARQL updates are refused")
            queries = request.form.getlist("query") + args.getlist("query")
            params = request.values
        elif ctype == "application/sparql-query":
            try:
                queries = [request.get_data().decode("utf-8")]
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query must be encoded in UTF-8") from None
            params = args
        elif ctype == "application/sparql-update":
            raise ProtocolError(403, "this endpoint is read-only: SPARQL updates are refused")
        else:
            raise ProtocolError(
                415,
                f"a POSTed query needs Content-Type application/x-www-form-urlencoded or application/sparql-query"
                f" (got {request.content_type or 'none'})",
            )
    if len(queries) > 1:
        raise ProtocolError(400, "give exactly one query parameter")
    if not queries:
        if request.method == "POST":
            raise ProtocolError(400, "the request holds no query")
        return None, (), ()
    if len(queries[0]) > MAX_QUERY_CHARS:
        raise ProtocolError(413, f"the query is longer than {MAX_QUERY_CHARS} characters")
    graphs = tuple(params.getlist("default-graph-uri")), tuple(params.getlist("named-graph-uri"))
    for iri in (*graphs[0], *graphs[1]):
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise ProtocolError(400, f"{iri!r} is not a graph IRI: {exc}") from None
    return queries[0], *graphs


def time_limit() -> float:
    """The server's limit, or a lower one asked for with ``timeout=`` (seconds)."""
    limit = get_settings().query_timeout
    asked = request.values.get("timeout")
    if not asked:
        return limit
    try:
        value = float(asked)
    except ValueError:
        raise ProtocolError(400, f"timeout must be a number of seconds, not {asked!r}") from None
    if not value > 0:  # also refuses NaN
        raise ProtocolError(400, "timeout must be more than 0 seconds")
    return min(value, limit)


@dataclass(frozen=True)
class Negotiated:
    """What a request's ``Accept`` and ``format=`` ask for: whether a browser prefers HTML, and the media type of
    a tabular and of a graph answer ("" with the reason in ``refusals`` when none fits). Chosen before the
    query runs, so that the worker writes the answer."""

    html: bool
    results: str
    graph: str
    refusals: tuple[tuple[str, str], ...]


#: Negotiations already made, by (Accept, format=): clients send the same few headers again and again, and
#: matching media ranges is a good part of a small query's cost. Emptied when full.
_NEGOTIATED: dict[tuple[str | None, str | None], Negotiated] = {}
_NEGOTIATED_MAX = 256


def negotiate() -> Negotiated:
    explicit = request.values.get("format")
    key = (request.headers.get("Accept"), explicit)
    found = _NEGOTIATED.get(key)
    if found is None:
        chosen, refusals = [], []
        for kind, table in (("results", formats.RESULT_FORMATS), ("graph", formats.GRAPH_FORMATS)):
            try:
                chosen.append(table[formats.choose(request, kind, explicit=explicit)][0])
            except formats.NotAcceptable as exc:
                chosen.append("")
                refusals.append((kind, str(exc)))
        found = Negotiated(formats.wants_html(request), chosen[0], chosen[1], tuple(refusals))
        if len(_NEGOTIATED) >= _NEGOTIATED_MAX:
            _NEGOTIATED.clear()
        _NEGOTIATED[key] = found
    return found


def respond(answer: Answer, max_rows: int, timeout: float, chosen: Negotiated) -> Response:
    if answer.kind == "error":
        if answer.syntax_error:
            return error(400, "malformed query: " + answer.error)
        return error(500, answer.error)
    if not answer.media_type:
        return error(406, dict(chosen.refusals)["graph" if answer.kind == "graph" else "results"])
    response = Response(answer.body, mimetype=answer.media_type)
    if answer.media_type.startswith("text/"):
        response.charset = "utf-8"
    response.headers["X-KG-Max-Rows"] = str(max_rows)
    response.headers["X-KG-Time-Limit"] = f"{timeout:g}"
    response.headers["Vary"] = "Accept"
    if answer.truncated:
        response.headers["X-KG-Truncated"] = "true"
        response.headers["Warning"] = f'199 labour-kg "answer cut to the first {max_rows} rows (the row cap)"'
    return response


def no_query() -> Response | str:
    """GET without a query: the Service Description for RDF clients, the query editor for browsers."""
    explicit = request.args.get("format")
    try:
        name = formats.choose(request, "graph", explicit=explicit, html=True)
    except formats.NotAcceptable as exc:
        return error(406, str(exc))
    if name == "html":
        return editor()
    body = formats.write_graph(name, service_description(request.base_url))
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
    from webapp.saved import load_all

    examples = [{"title": q.title, "text": q.text} for q in load_all(get_settings().queries_dir)]
    initial = request.args.get("query") or sparql_prefixes() + "\nSELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20\n"
    return render_template("sparql.html", query=initial, examples=examples, prefixes=sparql_prefixes(),
                           max_rows=get_settings().max_rows, time_limit=get_settings().query_timeout)
