"""The lists readers browse (/organisations, /people, /events, /memoranda, /conventions, /documents), each as
a page, CSV or JSON of exactly what the page shows; and, for engineers, every class (/classes, /browse)."""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request

from kg.namespaces import sparql_prefixes
from webapp import listing
from webapp.labels import labels, local_url, short, ui_language
from webapp.lists import EVENT_KINDS, EVENTS_LIST, LISTINGS, ORGANISATION_KINDS
from webapp.protocol import error
from webapp.store import get_settings, get_store
from webapp.timeline import timeline

browse = Blueprint("browse", __name__)

NAMES = ", ".join(LISTINGS)
DOWNLOADS = {"csv": "text/csv", "json": "application/json"}
CLASS_PAGE = 50
KIND_NAMES = {**EVENT_KINDS, **ORGANISATION_KINDS}


@browse.get(f"/<any({NAMES}):name>")
@browse.get(f"/<any({NAMES}):name>.<ext>")
def show(name: str, ext: str | None = None) -> Response | str | tuple[str, int]:
    fmt = ext or request.args.get("format") or "html"
    if fmt not in (*DOWNLOADS, "html"):
        return error(404 if ext else 400, f"no such format {fmt!r}; this list comes as html, csv or json")
    store, settings, lang = get_store(), get_settings(), ui_language()
    the_list = LISTINGS[name]
    try:
        view = listing.read_view(the_list, request.args, store, settings.base, allow_all=fmt != "html")
        found = listing.facets(store, view, settings.base) if fmt == "html" else []
        also = {t.value for f in found for t, _n in f["values"] if isinstance(t, ox.NamedNode)}
        also |= {term.value for _raw, term in view.filters.values() if isinstance(term, ox.NamedNode)}
        page = listing.load(store, view, lang, settings.max_rows, also)
    except listing.BadParameter as exc:
        if fmt != "html":
            return error(exc.status, str(exc))
        return render_template("list_error.html", listing=the_list, reason=str(exc)), exc.status
    rows = page.rows(settings.base, lang, lambda key, value: _link(name, view, **{key: value, "page": None}))
    if fmt != "html":
        body = listing.as_csv(page, rows) if fmt == "csv" else listing.as_json(page, rows)
        response = Response(body, mimetype=DOWNLOADS[fmt])
        response.headers["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
        if view.page is None and page.total > len(rows):
            response.headers["X-KG-Truncated"] = "true"
        return response
    facets, facet_names = found, page.names
    picture = None
    if the_list is EVENTS_LIST:
        picture = timeline(store, view, EVENT_KINDS, EVENTS_LIST.column("kind").pattern, page.total)
    return render_template("list.html", listing=the_list, view=view, page=page, rows=rows,
                           facets=_facets(facets, view, facet_names), active=_active(view, facet_names),
                           link=lambda **changes: _link(name, view, **changes), picture=picture,
                           downloads={f: _link(name, view, fmt=f) for f in DOWNLOADS},
                           everything={f: _link(name, view, fmt=f, page="all") for f in DOWNLOADS})


def _link(name: str, view: listing.View, fmt: str | None = None, **changes: str | None) -> str:
    args = view.args(**changes)
    return f"/{name}{'.' + fmt if fmt else ''}" + (f"?{urlencode(args)}" if args else "")


def _facets(found: list[dict], view: listing.View, names: dict[str, str]) -> list[dict]:
    base, lang = get_settings().base, ui_language()
    out = []
    for f in found:
        flt = f["filter"]
        values = []
        for term, n in f["values"]:
            param = listing.param_of(flt, term, base)
            values.append({"text": _value_text(flt, term, names), "n": n, "param": param,
                           "on": f["active"] == param or (flt.kind == "country" and f["active"] == param.lower())})
        if values and not (len(values) == 1 and values[0]["on"]):
            out.append({"key": flt.key, "title": flt.title, "values": values, "more": f["more"], "lang": lang})
    return out


def _active(view: listing.View, names: dict[str, str]) -> list[dict]:
    """The filters in use, each with its readable value (a label, not an IRI) and a link that drops it."""
    out = []
    for flt in view.listing.filters:
        if flt.key in view.filters:
            raw, term = view.filters[flt.key]
            out.append({"title": flt.title, "text": _value_text(flt, term, names), "key": flt.key})
    return out


def _value_text(flt: listing.Filter, term: ox.Term, names: dict[str, str]) -> str:
    if flt.kind == "choice":
        return KIND_NAMES.get(term.value) or names.get(term.value) or short(term.value)
    if isinstance(term, ox.NamedNode):
        return names.get(term.value) or short(term.value)
    return term.value


@browse.get("/classes")
def classes() -> str:
    """Every class in use with its number of instances: the engineers' way in."""
    rows = get_store().select(sparql_prefixes() + """SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {
        ?s a ?c FILTER(isIRI(?s)) } GROUP BY ?c ORDER BY DESC(?n) ?c""")
    names = labels(get_store(), [r["c"].value for r in rows], ui_language())
    items = [{"iri": r["c"].value, "n": int(r["n"].value), "text": names.get(r["c"].value) or short(r["c"].value),
              "short": short(r["c"].value)} for r in rows]
    return render_template("classes.html", classes=items)


@browse.get("/browse")
def by_class() -> str:
    """Instances of one class, a page at a time."""
    cls = request.args.get("class", "")
    try:
        node = str(ox.NamedNode(cls))
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        abort(404)
    rows = get_store().select(f"SELECT ?s WHERE {{ ?s a {node} FILTER(isIRI(?s)) }} ORDER BY ?s "
                              f"LIMIT {CLASS_PAGE + 1} OFFSET {(page - 1) * CLASS_PAGE}")
    more = len(rows) > CLASS_PAGE
    iris = [r["s"].value for r in rows[:CLASS_PAGE]]
    names = labels(get_store(), [*iris, cls], ui_language())
    base = get_settings().base
    items = [{"href": local_url(i, base), "text": names.get(i) or short(i)} for i in iris]
    return render_template("browse.html", cls=cls, title=names.get(cls) or short(cls), items=items, page=page,
                           more=more)
