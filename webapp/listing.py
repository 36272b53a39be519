"""Browsable lists of what the graph knows (organisations, people, events...): filters, facets with counts,
sorting, pages and CSV/JSON of exactly what is shown; SPARQL does the work.

A page is found in two queries: the first picks the page's items in order (filters and the sort key only),
the second fetches every column of those items alone (VALUES). A column with many values (an event's
participants) thus never multiplies the rows of another, and the cost follows the page, not the graph.

Patterns are SPARQL over ``?item`` that bind ``$v`` (the value) and may use ``$h`` and ``$g`` (helper
variables); each use gives them fresh variable names.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from string import Template
from urllib.parse import quote

import pyoxigraph as ox

from kg.namespaces import PREFIXES, sparql_prefixes
from kg.store import GraphStore
from webapp.cells import cell
from webapp.labels import LABEL_PREDICATES, LANGUAGES, labels, short
from webapp.saved import expand

#: Items whose columns are fetched in one query (a VALUES block of this many IRIs).
CHUNK = 500


class BadParameter(ValueError):
    """A list's URL parameter names something the list cannot show; the message says why."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    #: how a list finds the column's values (see the module's docstring); empty in a table made by its own query
    #: (the map's cities), which only uses the column to show and write its cells
    pattern: str = ""
    #: entity, entities (several, each linked), date, count, number, text, iri (the value's IRI itself, as a
    #: prefixed name where a project prefix fits: for engineers)
    kind: str = "entity"
    sortable: bool = True
    #: a filter of the same list that each value links to (a kind links to the list of that kind)
    links_to_filter: str | None = None
    #: where each value links to instead of its own page: a URL with ``{}`` for the value's IRI (a class links
    #: to the list of its instances)
    link: str = ""


@dataclass(frozen=True)
class Filter:
    key: str
    title: str
    pattern: str
    #: year (four digits), choice (a class of ``choices``, by local name), country (ISO 3166 alpha-2),
    #: entity (an IRI, full or prefixed), class (the IRI of a class, full or prefixed), lang (one of ``choices``)
    kind: str
    choices: tuple[str, ...] = ()
    #: how many of its values (by number of items) the list shows as facets (0: none)
    facet_size: int = 12
    #: the pattern that keeps the items with the chosen value ``$value`` (and helpers ``$h``, ``$g``); without
    #: it, ``pattern`` binds every value and a FILTER keeps the chosen one, which pyoxigraph can plan far worse
    match: str = ""
    #: the list shows nothing without this filter; ``choose_from`` is the page that lists its values
    required: bool = False
    choose_from: str = ""


@dataclass(frozen=True)
class Listing:
    name: str
    title: str
    description: str
    members: str
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...] = ()
    sort: str = "name"
    page_size: int = 50

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass
class View:
    """What one request asks of a list: filter values (as given and as RDF terms), sort, page."""

    listing: Listing
    filters: dict[str, tuple[str, ox.Term]] = field(default_factory=dict)
    sort: str = ""
    descending: bool = False
    page: int | None = 1  # None: every row (downloads only)

    def args(self, **changes: str | None) -> dict[str, str]:
        """The view's URL parameters with some changed (None removes one)."""
        out = {key: raw for key, (raw, _term) in self.filters.items()}
        if self.sort != self.listing.sort.lstrip("-") or self.descending != self.listing.sort.startswith("-"):
            out["sort"] = ("-" if self.descending else "") + self.sort
        if self.page not in (None, 1):
            out["page"] = str(self.page)
        for key, value in changes.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = value
        return out


def read_view(listing: Listing, args: Mapping[str, str], store: GraphStore, base: str,
              allow_all: bool = False) -> View:
    """The view a request's parameters ask for; BadParameter names the first that does not fit."""
    view = View(listing)
    for f in listing.filters:
        raw = (args.get(f.key) or "").strip()
        if raw:
            view.filters[f.key] = (raw, _filter_term(f, raw, store, base))
        elif f.required:
            raise BadParameter(f"{f.key} is required: {_expected(f)}")
    sort = args.get("sort") or listing.sort
    view.descending = sort.startswith("-")
    view.sort = sort.lstrip("-")
    sortable = [c.key for c in listing.columns if c.sortable]
    if view.sort not in sortable:
        raise BadParameter(f"cannot sort by {view.sort!r}; sort by one of: {', '.join(sortable)} "
                           "(a leading - sorts in descending order)")
    page = (args.get("page") or "1").strip()
    if page == "all" and allow_all:
        view.page = None
    elif not re.fullmatch(r"\d{1,6}", page) or int(page) < 1:
        raise BadParameter(f"page must be a whole number from 1{' or all' if allow_all else ''}, not {page!r}")
    else:
        view.page = int(page)
    return view


def _filter_term(f: Filter, raw: str, store: GraphStore, base: str) -> ox.Term:
    if f.kind == "year":
        if not re.fullmatch(r"\d{4}", raw):
            raise BadParameter(f"{f.key} must be a year of four digits, not {raw!r}")
        return ox.Literal(raw)
    if f.kind == "choice":
        by_name = {c.rsplit("#", 1)[-1].rsplit("/", 1)[-1]: c for c in f.choices}
        if raw not in by_name:
            raise BadParameter(f"unknown {f.key} {raw!r}; one of: {', '.join(by_name)}")
        return ox.NamedNode(by_name[raw])
    if f.kind == "lang":
        if raw not in f.choices:
            raise BadParameter(f"unknown {f.key} {raw!r}; one of: {', '.join(f.choices)}")
        return ox.Literal(raw)
    if f.kind == "country":
        node = ox.NamedNode(f"{base}country/{raw.upper()}") if re.fullmatch(r"[A-Za-z]{2}", raw) else None
        if node is None or not store.query(f"ASK {{ {node} a <{PREFIXES['schema']}Country> }}"):
            raise BadParameter(f"{f.key} must be the two-letter code of a country the graph knows "
                               f"(ISO 3166, such as KZ), not {raw!r}")
        return node
    iri = expand(raw)
    try:
        node = ox.NamedNode(iri) if re.match(r"^[a-z][a-z0-9+.-]*:", iri, re.I) else None
    except ValueError:
        node = None
    if f.kind == "class":
        # a class with instances, or one the ontology declares (whose list is then empty)
        if node is None or not store.query(f"ASK {{ {{ ?s a {node} }} UNION {{ {node} a ?t }} }}"):
            raise BadParameter(f"{f.key}: the graph has no class with the IRI {raw!r}; {_expected(f)}")
    elif node is None or not store.query(f"ASK {{ {node} ?p ?o }}"):
        raise BadParameter(f"{f.key}: nothing in the graph has the IRI {raw!r}")
    return node


def _expected(f: Filter) -> str:
    """What a required filter takes, in words, with the page that lists its values."""
    what = {"class": "the IRI of a class, full or prefixed (such as schema:Event)",
            "entity": "an IRI, full or prefixed"}.get(f.kind, f"a {f.title.lower()}")
    return what + (f"; {f.choose_from} lists them" if f.choose_from else "")


def fill(pattern: str, value: str, helper: str) -> str:
    """The pattern with its value and helper variables named (``$g`` is a second helper)."""
    return Template(pattern).substitute(v=value, h=helper, g=helper + "g")


def where(view: View) -> str:
    """The group pattern of the view's items: the list's members and every filter (ended by a dot)."""
    parts = [view.listing.members]
    for f in view.listing.filters:
        if f.key in view.filters:
            var, term = f"?f_{f.key}", view.filters[f.key][1]
            if f.match:
                parts.append(Template(f.match).substitute(value=str(term), h=var + "_h", g=var + "_g"))
            else:
                parts.append(f"{fill(f.pattern, var, var + '_h')} FILTER({var} = {term})")
    return "".join(f"{part} .\n" for part in parts)  # ends with a dot: a pattern may follow


def _select(store: GraphStore, sparql: str) -> list[dict[str, ox.Term]]:
    return store.select(sparql_prefixes() + sparql)


def total(store: GraphStore, view: View) -> int:
    rows = _select(store, f"SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {where(view)} }}")
    return int(rows[0]["n"].value) if rows else 0


def label_key(var: str, lang: str) -> tuple[str, str]:
    """A pattern and an aggregate giving the lower-cased label of ``var`` in the reader's language (else
    English, Russian, Kazakh, untagged): for sorting by name in SPARQL."""
    preds = "|".join(f"<{p}>" for p in LABEL_PREDICATES)
    order = list(dict.fromkeys((lang, *LANGUAGES, "")))
    rank = "".join(f'IF(LANG({var}_l) = "{lg}", "{i}", ' for i, lg in enumerate(order)) + f'"{len(order)}"'
    rank += ")" * len(order)
    pattern = f"OPTIONAL {{ {var} {preds} {var}_l FILTER(isLiteral({var}_l)) }}"
    return pattern, f"SUBSTR(MIN(CONCAT({rank}, LCASE(STR({var}_l)))), 2)"


def page_items(store: GraphStore, view: View, lang: str, limit: int | None) -> list[str]:
    """The IRIs of the view's page, in order (or of every item up to ``limit`` when the page is None)."""
    column = view.listing.column(view.sort)
    order = "DESC(?item)" if view.descending else "ASC(?item)"
    size = view.listing.page_size
    window = f"LIMIT {size} OFFSET {(view.page - 1) * size}" if view.page else f"LIMIT {limit}"
    if column.kind == "iri":  # the items' own IRIs: no key to compute (a class can have 100,000 instances)
        rows = _select(store, f"SELECT ?item WHERE {{ {{ SELECT DISTINCT ?item WHERE {{ {where(view)} }} }} }} "
                              f"ORDER BY {order} {window}")
        return [r["item"].value for r in rows]
    pattern = fill(column.pattern, "?s", "?sh")
    if column.kind == "count":
        key = "COUNT(DISTINCT ?s)"
    elif column.kind in ("date", "text"):
        key = "MIN(STR(?s))"
    elif column.kind == "number":
        key = "MIN(?s)"
    else:
        label_pattern, key = label_key("?s", lang)
        pattern += "\n" + label_pattern
    order = "DESC(?key)" if view.descending else "ASC(?key)"
    # a pattern that only renames the item (BIND) must follow it in the same group: inside OPTIONAL it would
    # be evaluated on its own, with ?item unbound
    joined = pattern if column.pattern.lstrip().startswith("BIND(") else f"OPTIONAL {{ {pattern} }}"
    rows = _select(store, f"""SELECT ?item ({key} AS ?key) WHERE {{
        {{ SELECT DISTINCT ?item WHERE {{ {where(view)} }} }}
        {joined}
    }} GROUP BY ?item ORDER BY (!BOUND(?key) || ?key = "") {order} ?item {window}""")
    return [r["item"].value for r in rows]


def columns_of(store: GraphStore, listing: Listing, items: list[str]) -> dict[str, dict[str, list[ox.Term]]]:
    """Every column's values for the given items: item -> column key -> values (sorted, distinct)."""
    found: dict[str, dict[str, list[ox.Term]]] = {i: {} for i in items}
    for start in range(0, len(items), CHUNK):
        values = " ".join(str(ox.NamedNode(i)) for i in items[start:start + CHUNK])
        branches = []
        for c in listing.columns:
            if c.kind == "count":
                branches.append(f"""{{ SELECT ?item ("{c.key}" AS ?c) (COUNT(DISTINCT ?x) AS ?v) WHERE {{
                    VALUES ?item {{ {values} }} {fill(c.pattern, "?x", "?xh")} }} GROUP BY ?item }}""")
            else:
                pattern = fill(c.pattern, "?v", "?h")
                branches.append(f'{{ VALUES ?item {{ {values} }} {pattern} BIND("{c.key}" AS ?c) }}')
        for r in _select(store, f"SELECT DISTINCT ?item ?c ?v WHERE {{ {' UNION '.join(branches)} }}"):
            if "v" in r:
                found[r["item"].value].setdefault(r["c"].value, []).append(r["v"])
    for by_column in found.values():
        for key, terms in by_column.items():
            by_column[key] = sorted(set(terms), key=lambda t: (t.value, str(t)))
    return found


def facets(store: GraphStore, view: View, base: str) -> list[dict]:
    """Each filter's most frequent values among the view's items, with their counts and the links that add
    (or, for a filter in use, remove) them."""
    out = []
    for f in view.listing.filters:
        if not f.facet_size:
            continue
        rows = _select(store, f"""SELECT ?v (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {where(view)}
            {fill(f.pattern, "?v", "?h")} }} GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT {f.facet_size + 1}""")
        values = [(r["v"], int(r["n"].value)) for r in rows if "v" in r]
        out.append({"filter": f, "values": values[: f.facet_size], "more": len(values) > f.facet_size,
                    "active": view.filters.get(f.key, (None,))[0]})
    return out


def param_of(f: Filter, term: ox.Term, base: str) -> str:
    """The URL parameter value that selects ``term`` in filter ``f``."""
    if f.kind == "choice":
        return term.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    if f.kind == "country" and term.value.startswith(base + "country/"):
        return term.value[len(base + "country/"):]
    return term.value


@dataclass
class Page:
    """One page of a list, ready for a template or a download."""

    view: View
    total: int
    pages: int
    items: list[str]
    values: dict[str, dict[str, list[ox.Term]]]
    names: dict[str, str]

    def rows(self, base: str, lang: str, filter_href: Callable[[str, str], str]) -> list[dict[str, object]]:
        """Cells by column: a single cell, a list of cells (entities, kinds) or a number. A column that
        links to a filter gets ``filter_href(filter key, value)`` as its links."""
        out = []
        for item in self.items:
            row: dict[str, object] = {}
            for c in self.view.listing.columns:
                terms = self.values[item].get(c.key, [])
                if c.kind == "count":
                    row[c.key] = int(terms[0].value) if terms else 0
                elif c.kind == "iri":
                    row[c.key] = {"text": short(terms[0].value), "code": True} if terms else None
                elif c.kind == "entities" or c.links_to_filter:
                    row[c.key] = [self._cell(t, c, base, lang, filter_href) for t in terms]
                else:
                    row[c.key] = self._cell(terms[0], c, base, lang, filter_href) if terms else None
            out.append(row)
        return out

    def _cell(self, term: ox.Term, column: Column, base: str, lang: str,
              filter_href: Callable[[str, str], str]) -> dict | None:
        shown = cell(term, self.names, base, lang)
        if column.links_to_filter and shown:
            f = next(f for f in self.view.listing.filters if f.key == column.links_to_filter)
            shown["href"] = filter_href(f.key, param_of(f, term, base))
        elif column.link and shown and isinstance(term, ox.NamedNode):
            shown["href"] = column.link.format(quote(term.value, safe=""))
        return shown

    def about(self) -> dict[str, object]:
        """What the page is (list, filters, sort, page, total) for the head of a JSON download."""
        view = self.view
        return {"list": view.listing.name, "title": view.listing.title,
                "filters": {key: raw for key, (raw, _term) in view.filters.items()},
                "sort": ("-" if view.descending else "") + view.sort, "page": view.page or "all",
                "pages": self.pages, "total": self.total}


def load(store: GraphStore, view: View, lang: str, max_rows: int, also: set[str] = frozenset()) -> Page:
    """The view's page; BadParameter (404) when the page is past the last one. The labels of ``also`` are
    fetched with the page's (one query for both)."""
    size = view.listing.page_size
    items = page_items(store, view, lang, max_rows)
    if view.page is None:
        count = len(items) if len(items) < max_rows else total(store, view)
    elif len(items) < size and (items or view.page == 1):
        count = (view.page - 1) * size + len(items)  # the last page: no need to count (a scan of the whole list)
    else:
        count = total(store, view)
    pages = max(1, math.ceil(count / size))
    if view.page is not None and view.page > pages:
        raise BadParameter(f"page {view.page} is past the last page ({pages}) of this list", status=404)
    values = columns_of(store, view.listing, items)
    iris = {t.value for by_col in values.values() for terms in by_col.values() for t in terms
            if isinstance(t, ox.NamedNode)}
    return Page(view, count, pages, items, values, labels(store, iris | set(also), lang))


def table_header(column: Column) -> list[str]:
    """A column's headings in a CSV file: an entity gives its label and its IRI."""
    if column.kind in ("entity", "entities"):
        return [column.key, f"{column.key}_iri"]
    return [column.key]


def _plain(value: object) -> object:
    """A cell as plain data: an entity as {label, iri}, a date as its ISO form, a text as itself."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        if "iri" in value:
            return {"label": value["text"], "iri": value["iri"]}
        return value.get("date") or value["text"]
    return value


def as_csv(columns: Sequence[Column], rows: list[dict[str, object]]) -> str:
    """A table of cells (as Page.rows makes them) as CSV: an entity in two columns, its label and its IRI;
    several values joined by "; "."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([h for c in columns for h in table_header(c)])
    for row in rows:
        line: list[object] = []
        for c in columns:
            value = _plain(row[c.key])
            if len(table_header(c)) == 2:
                entities = value if isinstance(value, list) else [value] if value else []
                line += ["; ".join(e["label"] for e in entities), "; ".join(e["iri"] for e in entities)]
            elif isinstance(value, list):
                line.append("; ".join(str(v) for v in value))
            else:
                line.append("" if value is None else value)
        writer.writerow(line)
    return out.getvalue()


def as_json(about: Mapping[str, object], columns: Sequence[Column], rows: list[dict[str, object]]) -> str:
    """A table of cells as JSON: ``about`` (what the table is), its columns and its rows as plain data."""
    return json.dumps({
        **about,
        "columns": [{"key": c.key, "title": c.title} for c in columns],
        "rows": [{c.key: _plain(row[c.key]) for c in columns} for row in rows],
    }, ensure_ascii=False, indent=1)
