"""Saved query pages (/queries, /queries/<name>) and their OpenAPI description (/api/openapi.json)."""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request

from kg.namespaces import sparql_prefixes
from kg.search import search
from webapp import formats
from webapp.cells import cell
from webapp.executor import QueryTimeout, ServerBusy
from webapp.labels import label_literals, labels, pick, ui_language
from webapp.pages import search_index
from webapp.protocol import error
from webapp.saved import IRI, Parameter, ParameterError, SavedQuery, expand, load_all
from webapp.store import get_runner, get_settings, get_store
from webapp.worker import Answer, Job

queries = Blueprint("queries", __name__)

DOWNLOADS = ("csv", "json", "tsv")


def catalogue() -> dict[str, SavedQuery]:
    """The saved queries, read once per app: answers' validators take them as they were at start
    (webapp.caching.site_stamp), so edits are served after a restart, as code is."""
    found = current_app.extensions.get("kg_queries")
    if found is None:
        found = current_app.extensions["kg_queries"] = {q.name: q for q in load_all(get_settings().queries_dir)}
    return found


@queries.get("/queries")
def index() -> str:
    tag = request.args.get("tag")
    all_queries = list(catalogue().values())
    tags = sorted({t for q in all_queries for t in q.tags})
    shown = [q for q in all_queries if not tag or tag in q.tags]
    by_tag = {t: [q for q in shown if t in q.tags] for t in tags if not tag or t == tag}
    return render_template("queries.html", by_tag=by_tag, tags=tags, tag=tag, count=len(shown))


@queries.get("/queries/<name>.<ext>")
def download(name: str, ext: str) -> Response | str:
    if ext not in DOWNLOADS:
        abort(404)
    return show(name, explicit=ext)


@queries.get("/queries/<name>")
def show(name: str, explicit: str | None = None) -> Response | str | tuple[str, int, dict]:
    query = catalogue().get(name)
    if query is None:
        abort(404)
    explicit = explicit or request.args.get("format")
    try:
        fmt = formats.choose(request, "results", explicit=explicit, html=True)
    except formats.NotAcceptable as exc:
        return error(406, str(exc))
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        return error(400, "page must be a whole number")
    if fmt == "html":
        try:
            named = _iris_for_names(query)
        except ParameterError as exc:
            return _form(query, str(exc)), 400
        if named:
            return redirect(f"/queries/{name}?{urlencode({**request.args.to_dict(), **named})}", 303)
    try:
        bindings = query.bindings(request.args)
    except ParameterError as exc:
        if fmt != "html":
            return error(400, str(exc))
        return _form(query, str(exc)), 400
    paged = fmt == "html" or "page" in request.args
    text = sparql_prefixes() + (query.paged(page) if paged else query.text)
    settings = get_settings()
    download = fmt != "html"
    # a download is written by the query worker (pyoxigraph) and keeps a page's rows (the one more that
    # query.paged asks for only tells that a next page exists); a page on screen needs the terms, to label them
    keep = min(query.page_size, settings.max_rows) if download and paged and query.page_size else settings.max_rows
    job = Job(text, substitutions=bindings, max_rows=keep,
              write_as=(formats.RESULT_FORMATS[fmt][0], "") if download else None)
    try:
        answer = get_runner().run(job, settings.query_timeout, get_store())
    except (QueryTimeout, ServerBusy) as exc:
        return error(503, str(exc))
    if answer.kind != "select":  # a saved query that fails is our defect, unless a remote store failed (502)
        status = 502 if answer.status == 502 else 500
        return error(status, f"saved query {name} failed: {answer.error or 'it is not a SELECT query'}")
    if download:
        response = Response(answer.body, mimetype=answer.media_type)
        response.headers["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
        response.headers["Vary"] = "Accept"
        if answer.truncated and keep == settings.max_rows:  # cut by the row cap, not at the end of a page
            response.headers["X-KG-Truncated"] = "true"
        return response
    rows = answer.rows
    more = bool(query.page_size) and len(rows) > query.page_size
    if more:
        rows = rows[: query.page_size]
    html = _form(query, None, **table(query, bindings, answer, rows, page, more))
    return html, 200, {"X-KG-Truncated": "true"} if answer.truncated else {}


def _form(query: SavedQuery, problem: str | None, **results: object) -> str:
    """The query's page: its form (IRI parameters shown by their labels), then the problem or the results."""
    iris = [expand(request.args.get(p.name) or p.default or "") for p in query.parameters if p.type == "iri"]
    names = labels(get_store(), [i for i in iris if IRI.match(i)], ui_language())
    defaults = {"variables": (), "rows": [], "page": 1, "more": False, "truncated": False}
    return render_template("query.html", q=query, error=problem, args=request.args, iri_labels=names,
                           expand=expand, **{**defaults, **results})


def _iris_for_names(query: SavedQuery) -> dict[str, str]:
    """IRI parameters given as names (typed in the form without picking a suggestion): the IRI of the best
    match of each, so that the page can be asked for again with IRIs in its URL."""
    found = {}
    for p in query.parameters:
        raw = (request.args.get(p.name) or "").strip()
        if p.type != "iri" or p.values or not raw or IRI.match(expand(raw)):
            continue
        hits = search(search_index(), raw, lang=ui_language(), limit=1, types=(p.cls,) if p.cls else ())
        if not hits:
            raise ParameterError(f"{p.label}: nothing in the graph is called {raw!r}")
        found[p.name] = hits[0].iri
    return found


def table(query: SavedQuery, bound: dict[str, ox.Term], answer: Answer, rows: list, page: int, more: bool) -> dict:
    """Rows as cells ready for the template, each value once: IRIs as their linked label, dates as dates,
    empty cells as "—". A parameter's column is left out when the form already shows its value (or it is
    empty throughout), and so is a column of names that only repeats the labels of the row's links."""
    base, lang = get_settings().base, ui_language()
    iris = {t.value for row in rows for t in row if isinstance(t, ox.NamedNode)}
    names_of = label_literals(get_store(), iris)
    names = {iri: text for iri, lits in names_of.items() if (text := pick(lits, lang))}
    cells = [[cell(term, names, base, lang) for term in row] for row in rows]
    params = {p.name for p in query.parameters}
    shown = []
    for i, var in enumerate(answer.variables):
        column = [row[i] for row in rows]
        if var in params and (var in bound or all(t is None for t in column)):
            continue
        if any(t is not None for t in column) and all(
                t is None or _names_a_link(t, row, names_of) for t, row in zip(column, rows, strict=True)):
            continue
        shown.append(i)
    return {"variables": [answer.variables[i] for i in shown], "rows": [[line[i] for i in shown] for line in cells],
            "page": page, "more": more, "truncated": answer.truncated}


def _names_a_link(term: ox.Term, row: list, names_of: dict[str, list[ox.Literal]]) -> bool:
    """Whether a literal is one of the names of an IRI in the same row (shown there as its label)."""
    if not isinstance(term, ox.Literal):
        return False
    return any(isinstance(t, ox.NamedNode) and term.value in {n.value for n in names_of.get(t.value, ())}
               for t in row)


@queries.get("/api/openapi.json")
def openapi() -> Response:
    """OpenAPI 3 description: one GET operation per saved query."""
    paths = {}
    for q in catalogue().values():
        params = [_param(p) for p in q.parameters]
        params.append({"name": "page", "in": "query", "required": False, "description": "page of results (1-based)",
                       "schema": {"type": "integer", "minimum": 1, "default": 1}})
        params.append({"name": "format", "in": "query", "required": False, "description": "answer format",
                       "schema": {"type": "string", "enum": [*DOWNLOADS, "xml", "html"]}})
        paths[f"/queries/{q.name}"] = {"get": {
            "operationId": q.name.replace("-", "_"),
            "summary": q.title,
            "description": q.description,
            "tags": list(q.tags),
            "parameters": params,
            "responses": {
                "200": {"description": "the answer rows", "content": {
                    "application/sparql-results+json": {}, "text/csv": {}, "text/tab-separated-values": {},
                    "application/sparql-results+xml": {}, "text/html": {}}},
                "400": {"description": "a parameter value does not fit its type or allowed values"},
                "503": {"description": "the query ran past the time limit"},
            },
        }}
    paths["/sparql"] = {"get": {
        "operationId": "sparql",
        "summary": "SPARQL 1.1 Protocol query endpoint (read-only)",
        "description": "Any SPARQL query; also POST (form or application/sparql-query). Answers are row-capped "
                       "(X-KG-Max-Rows, X-KG-Truncated) and time-limited (503 past the limit).",
        "tags": ["sparql"],
        "parameters": [
            {"name": "query", "in": "query", "required": True, "schema": {"type": "string"}},
            {"name": "default-graph-uri", "in": "query", "required": False, "schema": {"type": "string"}},
            {"name": "named-graph-uri", "in": "query", "required": False, "schema": {"type": "string"}},
            {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": [
                *formats.RESULT_FORMATS, *formats.GRAPH_FORMATS]}},
            {"name": "timeout", "in": "query", "required": False, "description": "seconds; may only lower the limit",
             "schema": {"type": "number"}},
        ],
        "responses": {"200": {"description": "the answer"}, "400": {"description": "malformed query"},
                      "403": {"description": "updates and SERVICE are refused"},
                      "503": {"description": "the query ran past the time limit"}},
    }}
    paths["/search"] = {"get": {
        "operationId": "search",
        "summary": "Entities by name, in any language or script",
        "tags": ["search"],
        "parameters": [
            {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
            {"name": "type", "in": "query", "required": False, "description": "only entities of this class "
             "(full or prefixed IRI; repeatable)", "schema": {"type": "string"}},
            {"name": "format", "in": "query", "required": False,
             "schema": {"type": "string", "enum": ["json", "csv", "html"]}},
            {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}},
        ],
        "responses": {"200": {"description": "hits: iri, label, matched name, types, local url (CSV: name, "
                                             "name_iri, matched, types, types_iri)",
                              "content": {"application/json": {}, "text/csv": {}}},
                      "400": {"description": "an unknown format"}},
    }}
    return jsonify({
        "openapi": "3.0.3",
        "info": {"title": "labour-kg saved queries", "version": "1",
                 "description": "Canned SPARQL queries over the labour-kg knowledge graph."},
        "servers": [{"url": request.host_url.rstrip("/")}],
        "paths": paths,
    })


def _param(p: Parameter) -> dict:
    schema: dict = {"type": {"integer": "integer", "decimal": "number"}.get(p.type, "string")}
    if p.type == "iri":
        schema["format"] = "iri"
    if p.type == "date":
        schema["format"] = "date"
    if p.default:
        schema["default"] = p.default
    if p.values:
        schema["enum"] = list(p.values)
    return {"name": p.name, "in": "query", "required": False, "description": f"{p.label} ({p.type})",
            "schema": schema}
