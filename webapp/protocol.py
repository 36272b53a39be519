"""The SPARQL 1.1 Protocol at /sparql as a plain WSGI handler in front of the Flask app.

Queries are the endpoint's hot path, and Flask's request context, routing and response hooks cost about a
third of a small query's time (BENCHMARKS.md), so protocol requests are answered here with werkzeug's
request and response objects alone. What needs pages (the query editor, the Service Description for a GET
without a query) is passed on to the Flask app (webapp.sparql).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus

import pyoxigraph as ox
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request

from kg.config import Settings
from kg.store import StoreError
from webapp import MAX_REQUEST_BYTES, formats
from webapp.executor import QueryTimeout, Runner, ServerBusy
from webapp.guard import Refused, check
from webapp.reading import pinned
from webapp.worker import Answer, Job

#: Where the endpoint answers.
PATHS = ("/sparql", "/sparql/")
#: Longest query text accepted (characters); request bodies are capped at MAX_REQUEST_BYTES.
MAX_QUERY_CHARS = 100_000
#: Any web page may query the endpoint (it is read-only and public).
CORS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Content-Type, Accept, If-None-Match, If-Modified-Since"),
    ("Access-Control-Expose-Headers", "ETag, X-KG-Max-Rows, X-KG-Truncated, X-KG-Time-Limit"),
)

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
#: The Flask app's logger (its name is the package's), so the endpoint's failures are logged with the pages'.
LOG = logging.getLogger("webapp")


class ProtocolError(Exception):
    """A request the protocol does not allow; carries the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Request(Request):
    max_content_length = MAX_REQUEST_BYTES


@dataclass(frozen=True)
class Reply:
    """An answer as WSGI wants it: werkzeug's Response would cost a fifth of a small query's time."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        """Send it (a WSGI app, like werkzeug's and Flask's responses, so Flask views may return one)."""
        status = HTTPStatus(self.status)
        start_response(f"{status.value} {status.phrase}", [*self.headers, ("Content-Length", str(len(self.body)))])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [self.body]


def error(status: int, message: str) -> Reply:
    return Reply(status, [("Content-Type", "text/plain; charset=utf-8")], (message.rstrip() + "\n").encode())


class Endpoint:
    """WSGI middleware: answers SPARQL protocol requests at :data:`PATHS`, passes everything else to ``app``."""

    def __init__(self, app: WSGIApp, settings: Settings, runner: Runner) -> None:
        self.app = app
        self.settings = settings
        self.runner = runner

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") in PATHS:
            request = _Request(environ)
            try:
                response = self.answer(request)
            except HTTPException as exc:  # e.g. a body over MAX_REQUEST_BYTES
                response = error(exc.code or 400, exc.description or exc.name)
            except Exception as exc:  # a defect: logged with its traceback, told to the client in plain text
                LOG.exception("Exception on %s [%s]", request.path, request.method)
                response = error(500, f"internal error ({type(exc).__name__}); it was logged")
            if response is not None:
                return Reply(response.status, response.headers + list(CORS), response.body)(environ, start_response)
        return self.app(environ, start_response)

    def answer(self, request: Request) -> Reply | None:
        """The protocol's answer, or None for what a page answers (no query, or a browser asking for HTML)."""
        if request.method == "OPTIONS":
            return Reply(204, [])
        if request.method not in ("GET", "HEAD", "POST"):
            return error(405, "the SPARQL endpoint takes GET, HEAD and POST")
        try:
            text, default_graphs, named_graphs = read_request(request)
        except ProtocolError as exc:
            return error(exc.status, str(exc))
        if text is None:
            return None
        chosen = negotiate(request)
        if request.method != "POST" and "format" not in request.args and chosen.html:
            return None  # a shared link opened in a browser: the editor shows the query and runs it there
        try:
            words = check(text)
        except Refused as exc:
            return error(403, str(exc))
        try:
            timeout = time_limit(request, self.settings.query_timeout)
        except ProtocolError as exc:
            return error(exc.status, str(exc))
        max_rows = self.settings.max_rows
        # the union of all graphs is the default graph, unless the query names its own dataset (FROM)
        job = Job(text, default_graphs=default_graphs, named_graphs=named_graphs, max_rows=max_rows,
                  base_iri=endpoint_iri(request), union="FROM" not in words,
                  write_as=(chosen.results, chosen.graph))
        try:
            answer = self.runner.run(job, timeout, pinned(request.environ, self.runner.store))
        except (QueryTimeout, ServerBusy) as exc:
            return error(503, str(exc))
        except StoreError as exc:  # no version of the store could be opened
            return error(503, str(exc))
        return respond(answer, max_rows, timeout, chosen)


def endpoint_iri(request: Request) -> str:
    """This endpoint's own IRI (the base of relative IRIs in queries): werkzeug's ``base_url`` is the same
    but converts the URL to an IRI piece by piece, a tenth of a small query's time."""
    return f"{request.scheme}://{request.host}{request.root_path}{request.path}"


def read_request(request: Request) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """The query text and protocol dataset of a GET, form POST or direct POST (SPARQL 1.1 Protocol 2.1)."""
    args = request.args
    if "update" in args or "using-graph-uri" in args or "using-named-graph-uri" in args:
        raise ProtocolError(403, "this endpoint is read-only: SPARQL updates are refused")
    if request.method != "POST":
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


def time_limit(request: Request, limit: float) -> float:
    """The server's ``limit``, or a lower one asked for with ``timeout=`` (seconds)."""
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


def negotiate(request: Request) -> Negotiated:
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


def respond(answer: Answer, max_rows: int, timeout: float, chosen: Negotiated) -> Reply:
    if answer.kind == "error":
        return error(answer.status, answer.error)
    if not answer.media_type:
        return error(406, dict(chosen.refusals)["graph" if answer.kind == "graph" else "results"])
    media_type = answer.media_type
    headers = [("Content-Type", media_type + "; charset=utf-8" if media_type.startswith("text/") else media_type),
               ("X-KG-Max-Rows", str(max_rows)), ("X-KG-Time-Limit", f"{timeout:g}"), ("Vary", "Accept")]
    if answer.truncated:
        headers += [("X-KG-Truncated", "true"),
                    ("Warning", f'199 labour-kg "answer cut to the first {max_rows} rows (the row cap)"')]
    return Reply(200, headers, answer.body)
