"""Answer formats: choosing one (``format=``, a suffix or ``Accept``) and writing query answers in it."""

from __future__ import annotations

import pyoxigraph as ox
from werkzeug.wrappers import Request

from webapp import worker


class NotAcceptable(Exception):
    """No format the client asked for can carry this kind of answer."""


#: Tabular answers (SELECT, ASK): name -> (media type, pyoxigraph format).
RESULT_FORMATS: dict[str, tuple[str, ox.QueryResultsFormat]] = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": ("text/csv", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
}
#: Graph answers (CONSTRUCT, DESCRIBE, entity data): name -> (media type, pyoxigraph format).
GRAPH_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
#: Other names and media types clients use for the same formats.
_ALIASES = {
    "application/json": "json", "application/sparql-results+json": "json", "application/xml": "xml",
    "text/xml": "xml", "application/sparql-results+xml": "xml", "text/csv": "csv",
    "text/tab-separated-values": "tsv", "ttl": "turtle", "text/turtle": "turtle", "application/x-turtle": "turtle",
    "nt": "ntriples", "n-triples": "ntriples", "application/n-triples": "ntriples", "text/plain": "ntriples",
    "json-ld": "jsonld", "application/ld+json": "jsonld", "rdf": "rdfxml", "rdf/xml": "rdfxml",
    "application/rdf+xml": "rdfxml",
}
#: A graph asked for as "json" or "xml" gets JSON-LD or RDF/XML.
_GRAPH_FALLBACK = {"json": "jsonld", "xml": "rdfxml"}

HTML = "text/html"


def canonical(name: str) -> str:
    name = name.strip().lower()
    return _ALIASES.get(name, name)


def choose(request: Request, kind: str, *, explicit: str | None = None, html: bool = False) -> str:
    """The format name for an answer of ``kind`` ("results" or "graph"); "html" only when ``html`` is allowed.

    An explicit name (``format=`` or a suffix) wins over ``Accept``.
    """
    table = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    if explicit:
        name = canonical(explicit)
        if kind == "graph":
            name = _GRAPH_FALLBACK.get(name, name)
        if name in table or (html and name == "html"):
            return name
        raise NotAcceptable(f"format {explicit!r} cannot carry this answer; use one of: {', '.join(table)}")
    offers = ([HTML] if html else []) + [mt for mt, _ in table.values()]
    offers += [a for a, n in _ALIASES.items() if "/" in a and n in table and a not in offers]
    if not request.accept_mimetypes or request.accept_mimetypes.best in ("*/*", None):
        return next(iter(table))
    best = request.accept_mimetypes.best_match(offers)
    if best is None:
        raise NotAcceptable(f"none of the accepted media types fits; this answer comes as: {', '.join(offers)}")
    return "html" if best == HTML else canonical(best)


def wants_html(request: Request) -> bool:
    """Whether the client names text/html and prefers it to every data format (browsers do; tools do not)."""
    accept = request.accept_mimetypes
    if not any(value == HTML for value, _q in accept):
        return False
    offers = [HTML, *(mt for mt, _ in RESULT_FORMATS.values()), *(mt for mt, _ in GRAPH_FORMATS.values())]
    return accept.best_match(offers) == HTML


def write_graph(name: str, triples: list[ox.Triple]) -> bytes:
    """Triples in the graph format called ``name`` (the query workers' writer, which pages share)."""
    return worker.write_graph(triples, GRAPH_FORMATS[name][1])
