"""The lists readers browse (/organisations, /people, /events, /memoranda, /conventions, /documents) and the
engineers' ones (every class at /classes, the instances of one at /browse?class=), each as a page, CSV or
JSON of exactly what the page shows."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from webapp import listing
from webapp.labels import short, ui_language
from webapp.lists import EVENT_KINDS, EVENTS_LIST, LISTINGS, ORGANISATION_KINDS
from webapp.protocol import error
from webapp.store import get_settings, get_store
from webapp.timeline import timeline

browse = Blueprint("browse", __name__)

NAMES = ", ".join(LISTINGS)
DOWNLOADS = {"csv": "text/csv", "json": "application/json"}
KIND_NAMES = {**EVENT_KINDS, **ORGANISATION_KINDS}


@browse.get(f"/<any({NAMES}):name>")
@browse.get(f"/<any({NAMES}):name>.<ext>")
def show(name: str, ext: str | None = None) -> Response | str | tuple[str, int]:
    try:
        fmt = answer_format(ext, "this list")
    except listing.BadParameter as exc:
        return error(exc.status, str(exc))
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
        return download(fmt, name, the_list.columns, rows, page.about(),
                        truncated=view.page is None and page.total > len(rows))
    facets, facet_names = found, page.names
    picture = None
    if the_list is EVENTS_LIST:
        picture = timeline(store, view, EVENT_KINDS, EVENTS_LIST.column("kind").pattern, page.total)
    removable = {f.key: None for f in the_list.filters if not f.required}
    return render_template("list.html", listing=the_list, view=view, page=page, rows=rows,
                           facets=_facets(facets, view, facet_names), active=_active(view, facet_names),
                           link=lambda **changes: _link(name, view, **changes), picture=picture,
                           show_all=_link(name, view, **removable, page=None),
                           downloads={f: _link(name, view, fmt=f) for f in DOWNLOADS},
                           everything={f: _link(name, view, fmt=f, page="all") for f in DOWNLOADS})


def answer_format(ext: str | None, what: str) -> str:
    """html, csv or json, as the suffix (``ext``) or ``format=`` asks; BadParameter otherwise (404 for a suffix:
    no such page; 400 for a parameter)."""
    fmt = ext or request.args.get("format") or "html"
    if fmt not in (*DOWNLOADS, "html"):
        raise listing.BadParameter(f"no such format {fmt!r}; {what} comes as html, csv or json",
                                   status=404 if ext else 400)
    return fmt


def download(fmt: str, name: str, columns: Sequence[listing.Column], rows: list[dict[str, object]],
             about: dict[str, object], truncated: bool = False) -> Response:
    """A table as a CSV or JSON download (the lists' and the map's); ``truncated`` when cut at the row cap, so
    that no cache keeps it (webapp.caching)."""
    body = listing.as_csv(columns, rows) if fmt == "csv" else listing.as_json(about, columns, rows)
    response = Response(body, mimetype=DOWNLOADS[fmt])
    response.headers["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    if truncated:
        response.headers["X-KG-Truncated"] = "true"
    return response


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
            out.append({"title": flt.title, "text": _value_text(flt, term, names), "key": flt.key,
                        "iri": term.value if isinstance(term, ox.NamedNode) else "", "required": flt.required})
    return out


def _value_text(flt: listing.Filter, term: ox.Term, names: dict[str, str]) -> str:
    if flt.kind == "choice":
        return KIND_NAMES.get(term.value) or names.get(term.value) or short(term.value)
    if isinstance(term, ox.NamedNode):
        return names.get(term.value) or short(term.value)
    return term.value
