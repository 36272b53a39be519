"""Human-facing pages: home (statistics, search box, classes), search, browsing a class, the map, the ontology."""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, jsonify, make_response, redirect, render_template, request

from kg import search as name_search
from kg.namespaces import DOCUMENT_GRAPH_PREFIX, sparql_prefixes
from webapp.labels import LANGUAGES, labels, local_url, short, ui_language
from webapp.store import get_settings, get_store, get_version

pages = Blueprint("pages", __name__)

BROWSE_PAGE = 50
SEARCH_PAGE = 20
_index_lock = threading.Lock()


def _q(sparql: str) -> list[dict[str, ox.Term]]:
    return get_store().select(sparql_prefixes() + sparql)


def dataset_stats() -> dict:
    """Counts and latest documents for the home page, computed once per version of the store."""
    version = get_version()
    cached = current_app.extensions.get("kg_stats")
    if cached and cached[0] == version:
        return cached[1]
    quads = int(_q("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"].value)
    docs = int(_q("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a schema:NewsArticle }")[0]["n"].value)
    graphs = sum(1 for g in get_store().graphs() if g.startswith(DOCUMENT_GRAPH_PREFIX))
    classes = [(r["c"].value, int(r["n"].value)) for r in _q(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?s)) } GROUP BY ?c ORDER BY DESC(?n) ?c")]
    recent = _q("""SELECT ?doc ?id ?title ?date WHERE { ?doc a schema:NewsArticle .
                   OPTIONAL { ?doc schema:identifier ?id } OPTIONAL { ?doc schema:headline ?title }
                   OPTIONAL { ?doc schema:datePublished ?date } }
                   ORDER BY DESC(?date) ?doc LIMIT 10""")
    latest = [{"iri": r["doc"].value, "id": r["id"].value if "id" in r else "",
               "title": r["title"].value if "title" in r else "(untitled)",
               "date": r["date"].value if "date" in r else ""} for r in recent]
    stats = {"quads": quads, "documents": docs, "document_graphs": graphs, "classes": classes,
             "built": version.built if version else "", "latest": latest}
    current_app.extensions["kg_stats"] = (version, stats)
    return stats


@pages.get("/")
def home() -> str:
    stats = dataset_stats()
    names = labels(get_store(), [c for c, _ in stats["classes"]], ui_language())
    classes = [{"iri": c, "n": n, "text": names.get(c) or short(c)} for c, n in stats["classes"]]
    base = get_settings().base
    recent = [{**d, "href": local_url(d["iri"], base)} for d in stats["latest"]]
    return render_template("home.html", stats=stats, classes=classes, recent=recent)


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
    """The name index, rebuilt here if it was not made from the store version this request is answered from
    (normally the build did it), so that search answers and their validators agree."""
    path = name_search.index_path(get_settings())
    version = get_version()
    if current_app.extensions.get("kg_index_version", False) == version and path.exists():
        return path
    with _index_lock:
        if not name_search.is_current(get_store(), path):
            name_search.rebuild_index(get_store(), path)
        current_app.extensions["kg_index_version"] = version
    return path


@pages.get("/search")
def search() -> Response | str:
    text = request.args.get("q", "").strip()
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    lang = ui_language()
    hits = name_search.search(search_index(), text, lang=lang, limit=SEARCH_PAGE + 1,
                              offset=(page - 1) * SEARCH_PAGE) if text else []
    more = len(hits) > SEARCH_PAGE
    hits = hits[:SEARCH_PAGE]
    base = get_settings().base
    if request.args.get("format") == "json" or request.accept_mimetypes.best == "application/json":
        return jsonify([{"iri": h.iri, "label": h.label, "matched": h.matched, "types": list(h.types),
                         "url": local_url(h.iri, base)} for h in hits])
    type_names = labels(get_store(), {t for h in hits for t in h.types}, lang)
    rows = [{"href": local_url(h.iri, base), "label": h.label, "matched": h.matched,
             "types": [type_names.get(t) or short(t) for t in h.types]} for h in hits]
    return render_template("search.html", search_q=text, hits=rows, page=page, more=more)


@pages.get("/browse")
def browse() -> str:
    """Instances of one class, a page at a time."""
    cls = request.args.get("class", "")
    try:
        node = str(ox.NamedNode(cls))
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        abort(404)
    rows = _q(f"SELECT ?s WHERE {{ ?s a {node} FILTER(isIRI(?s)) }} ORDER BY ?s "
              f"LIMIT {BROWSE_PAGE + 1} OFFSET {(page - 1) * BROWSE_PAGE}")
    more = len(rows) > BROWSE_PAGE
    iris = [r["s"].value for r in rows[:BROWSE_PAGE]]
    lang = ui_language()
    names = labels(get_store(), [*iris, cls], lang)
    base = get_settings().base
    items = [{"href": local_url(i, base), "text": names.get(i) or short(i)} for i in iris]
    return render_template("browse.html", cls=cls, title=names.get(cls) or short(cls), items=items, page=page,
                           more=more)


@pages.get("/map")
def event_map() -> str:
    """Where events took place: an equirectangular plot of city coordinates, drawn server-side (no tiles)."""
    rows = _q("""SELECT ?city (SAMPLE(?la) AS ?lat) (SAMPLE(?lo) AS ?lon) (COUNT(DISTINCT ?e) AS ?events) WHERE {
                   ?e a schema:Event ; schema:location ?city . ?city schema:latitude ?la ; schema:longitude ?lo }
                 GROUP BY ?city ORDER BY DESC(?events)""")
    width, height = 1000, 500
    base = get_settings().base
    names = labels(get_store(), [r["city"].value for r in rows], ui_language())
    points = []
    for r in rows:
        lat, lon, n = float(r["lat"].value), float(r["lon"].value), int(r["events"].value)
        points.append({"x": round((lon + 180) / 360 * width, 1), "y": round((90 - lat) / 180 * height, 1),
                       "r": round(3 + 3 * n ** 0.5, 1), "n": n, "href": local_url(r["city"].value, base),
                       "text": names.get(r["city"].value) or short(r["city"].value)})
    # every known city, faint: the world's settled land shows through without any map data
    places = _q("""SELECT ?la ?lo WHERE { ?c a schema:City ; schema:latitude ?la ; schema:longitude ?lo }""")
    background = []
    for r in places:
        try:
            lat, lon = float(r["la"].value), float(r["lo"].value)
        except ValueError:
            continue
        background.append((round((lon + 180) / 360 * width, 1), round((90 - lat) / 180 * height, 1)))
    grid = {"lons": [round((lon + 180) / 360 * width, 1) for lon in range(-180, 181, 30)],
            "lats": [round((90 - lat) / 180 * height, 1) for lat in range(-90, 91, 30)]}
    return render_template("map.html", points=points, width=width, height=height, grid=grid, background=background)


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
