"""Human-facing pages: home (what the graph knows, in its readers' terms), search, the map, the ontology."""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, jsonify, make_response, redirect, render_template, request

from kg import search as name_search
from kg.namespaces import DOCUMENT_GRAPH_PREFIX, LKG, ORG, SCHEMA, sparql_prefixes
from kg.store.published import Version
from webapp.browse import DOWNLOADS, answer_format, download
from webapp.cells import cell, human_date
from webapp.labels import LANGUAGES, labels, local_url, short, ui_language
from webapp.listing import BadParameter, Column, read_view
from webapp.lists import EVENT_KINDS, EVENTS_LIST, ORGANISATION_KINDS
from webapp.maps import CITY_COLUMNS, city_rows, draw, event_cities
from webapp.protocol import error
from webapp.saved import expand
from webapp.store import get_settings, get_store, get_version

pages = Blueprint("pages", __name__)

SEARCH_PAGE = 20
_index_lock = threading.Lock()


def _q(sparql: str) -> list[dict[str, ox.Term]]:
    return get_store().select(sparql_prefixes() + sparql)


#: What the home page counts, in its readers' terms: section -> the class whose instances it counts.
SECTIONS = {"organisations": ORG + "Organization", "people": SCHEMA + "Person", "events": SCHEMA + "Event",
            "memoranda": LKG + "Memorandum", "conventions": LKG + "Convention", "documents": SCHEMA + "NewsArticle"}


def dataset_stats() -> dict:
    """Counts and latest documents for the home page, computed once per version of the store."""
    version = get_version()
    cached = current_app.extensions.get("kg_stats")
    if cached and cached[0] == version:
        return cached[1]
    quads = int(_q("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"].value)
    graphs = sum(1 for g in get_store().graphs() if g.startswith(DOCUMENT_GRAPH_PREFIX))
    wanted = " ".join(f"<{c}>" for c in (*SECTIONS.values(), *ORGANISATION_KINDS, *EVENT_KINDS))
    counts = {r["c"].value: int(r["n"].value) for r in _q(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {wanted} }} ?s a ?c FILTER(isIRI(?s)) }} "
        "GROUP BY ?c")}
    classes = int(_q("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?s)) }")[0]["n"].value)
    years = [(r["y"].value, int(r["n"].value)) for r in _q(
        """SELECT ?y (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a schema:Event ; schema:startDate ?d
           BIND(SUBSTR(STR(?d), 1, 4) AS ?y) } GROUP BY ?y ORDER BY ?y""")]
    mentioned = int(_q("""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a lkg:Convention .
                          ?d a schema:NewsArticle ; schema:mentions ?c }""")[0]["n"].value)
    recent = _q("""SELECT ?doc (SAMPLE(?i) AS ?id) (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?date) WHERE {
                   ?doc a schema:NewsArticle OPTIONAL { ?doc schema:identifier ?i }
                   OPTIONAL { ?doc schema:headline|rdfs:label ?t } OPTIONAL { ?doc schema:datePublished ?d } }
                   GROUP BY ?doc ORDER BY DESC(?date) ?doc LIMIT 10""")
    latest = [{"iri": r["doc"].value, "id": r["id"].value if "id" in r else "",
               "title": r["title"].value if "title" in r else r["id"].value if "id" in r else r["doc"].value,
               "date": r["date"].value if "date" in r else ""} for r in recent]
    stats = {"quads": quads, "document_graphs": graphs, "classes": classes,
             "built": version.built if version else "", "latest": latest,
             "sections": {name: counts.get(c, 0) for name, c in SECTIONS.items()},
             "organisation_kinds": [(c.rsplit("#", 1)[-1], title, counts[c])
                                    for c, title in ORGANISATION_KINDS.items() if counts.get(c)],
             "event_kinds": [(c.rsplit("#", 1)[-1], title, counts[c]) for c, title in EVENT_KINDS.items()
                             if counts.get(c)],
             "event_years": years, "conventions_mentioned": mentioned}
    current_app.extensions["kg_stats"] = (version, stats)
    return stats


@pages.get("/")
def home() -> str:
    stats = dataset_stats()
    base, lang = get_settings().base, ui_language()
    recent = [{**d, "href": local_url(d["iri"], base), "date": human_date(d["date"], lang) if d["date"] else ""}
              for d in stats["latest"]]
    return render_template("home.html", stats=stats, recent=recent)


@pages.get("/lang/<code>")
def set_language(code: str) -> Response:
    """Remember the reader's language and go back where they were (same site only)."""
    if code not in LANGUAGES:
        abort(404)
    back = request.referrer or "/"
    if not back.startswith(request.host_url):
        back = "/"
    response = make_response(redirect(back))
    response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def search_index() -> Path:
    """The name index made from the store version this request reads, so that search answers and their validators
    agree: a published version carries its own (kg.store.published); for other stores (remote, or a folder no
    build published) the shared index is remade here if it was not made from that version (normally the build
    did it)."""
    store = get_store()
    if isinstance(store, Version):
        return store.index
    path = name_search.index_path(get_settings())
    version = get_version()
    if current_app.extensions.get("kg_index_version", False) == version and path.exists():
        return path
    with _index_lock:
        if not name_search.is_current(store, path):
            name_search.rebuild_index(store, path)
        current_app.extensions["kg_index_version"] = version
    return path


#: The search page's table, as its CSV writes it (its JSON keeps the shape scripts and the picker read).
HIT_COLUMNS = (Column("name", "Name"), Column("matched", "Matched name", kind="text"),
               Column("types", "Kinds", kind="entities"))


@pages.get("/search")
def search() -> Response | str:
    """Names in every language; the page's hits also as JSON (for scripts and the pickers) and CSV."""
    try:
        fmt = answer_format(None, "search")
    except BadParameter as exc:
        return error(exc.status, str(exc))
    text = request.args.get("q", "").strip()
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    lang = ui_language()
    types = tuple(expand(t.strip()) for t in request.args.getlist("type") if t.strip())
    hits = name_search.search(search_index(), text, lang=lang, limit=SEARCH_PAGE + 1,
                              offset=(page - 1) * SEARCH_PAGE, types=types) if text else []
    more = len(hits) > SEARCH_PAGE
    hits = hits[:SEARCH_PAGE]
    base = get_settings().base
    if fmt == "json" or (fmt == "html" and request.accept_mimetypes.best == "application/json"):
        return jsonify([{"iri": h.iri, "label": h.label, "matched": h.matched, "types": list(h.types),
                         "url": local_url(h.iri, base)} for h in hits])
    type_names = labels(get_store(), {t for h in hits for t in h.types}, lang)
    if fmt == "csv":
        names = {**type_names, **{h.iri: h.label for h in hits}}
        cells = [{"name": cell(ox.NamedNode(h.iri), names, base, lang), "matched": {"text": h.matched},
                  "types": [cell(ox.NamedNode(t), names, base, lang) for t in h.types]} for h in hits]
        return download("csv", "search", HIT_COLUMNS, cells, {})
    rows = [{"href": local_url(h.iri, base), "label": h.label, "matched": h.matched,
             "types": [type_names.get(t) or short(t) for t in h.types]} for h in hits]
    asked = [(k, v) for k, v in request.args.items(multi=True) if k != "format"]
    return render_template("search.html", search_q=text, hits=rows, page=page, more=more,
                           downloads={f: "/search?" + urlencode([*asked, ("format", f)]) for f in DOWNLOADS})


@pages.get("/map")
@pages.get("/map.<ext>")
def event_map(ext: str | None = None) -> Response | str | tuple[str, int]:
    """Where events took place, on country outlines, and the table of their cities (also as CSV and JSON); the
    events view's filters (year, kind, country, organisation) narrow it."""
    store, settings, lang = get_store(), get_settings(), ui_language()
    try:
        fmt = answer_format(ext, "the map's table")
    except BadParameter as exc:
        return error(exc.status, str(exc))
    try:
        view = read_view(EVENTS_LIST, {k: v for k, v in request.args.items() if k not in ("sort", "page")},
                         store, settings.base)
    except BadParameter as exc:
        if fmt != "html":
            return error(exc.status, str(exc))
        return render_template("list_error.html", listing=EVENTS_LIST, reason=str(exc)), exc.status
    cities = event_cities(store, view)
    shown = {key: raw for key, (raw, _term) in view.filters.items()}
    if fmt != "html":
        rows = city_rows(store, cities, settings.base, lang)
        about = {"list": "map", "title": "Where events took place", "filters": shown, "total": len(rows)}
        return download(fmt, "map", CITY_COLUMNS, rows, about)
    drawn = draw(store, cities, settings.base, lang, highlight=view.filters.get("country", ("",))[0].upper())
    query = f"?{urlencode(shown)}" if shown else ""
    return render_template("map.html", map=drawn, filters=shown, events="/events" + query,
                           downloads={f: f"/map.{f}{query}" for f in DOWNLOADS})


@pages.get("/ontology")
def ontology() -> str:
    """The ontology documentation (kg.ontology_doc), made once per version of the ontology file."""
    from kg.ontology import ontology_path
    from kg.ontology_doc import ontology_html

    path = ontology_path(get_settings().ontology_dir)
    key = (str(path), path.stat().st_mtime_ns)
    cached = current_app.extensions.get("kg_ontology_html")
    if not cached or cached[0] != key:
        cached = (key, ontology_html(path))
        current_app.extensions["kg_ontology_html"] = cached
    return cached[1]
