"""Any SPARQL 1.1 store over HTTP, behind the same interface and result types as the embedded store.

Queries and updates go through SPARQLWrapper (SPARQL 1.1 Protocol); answers are parsed by pyoxigraph
so callers get ``QuerySolutions``, ``QueryBoolean`` or ``QueryTriples`` exactly as from the embedded
store. Whole graphs move through the SPARQL 1.1 Graph Store Protocol: ``replace_graph`` is one PUT
(the server replaces the graph in one transaction), ``quads``/``dump`` stream a GET per graph.

Endpoints. Given only the query endpoint, the others are derived from its last path segment:

==========================  ======================  ===================  ==================
server                      query (``KG_STORE``)    update               graph store (GSP)
==========================  ======================  ===================  ==================
Oxigraph (``oxigraph serve``) ``http://host:7878/query``  ``.../update``   ``.../store``
Apache Jena Fuseki          ``http://host:3030/ds/sparql``  ``.../ds/update``  ``.../ds/data``
==========================  ======================  ===================  ==================

Anything else needs ``KG_STORE_UPDATE`` and ``KG_STORE_GSP``; without a graph store endpoint
``replace_graph`` falls back to one SPARQL update (``DROP`` + ``INSERT DATA``), atomic on the stores
we know.

Union default graph. labour-kg's queries expect the default graph to be the union of all graphs.
Stores differ here, so the mode is explicit (``union=``):

- ``"oxigraph"`` (default): every query carries Oxigraph's ``union-default-graph`` protocol parameter.
- ``"server"``: the server already answers over the union and nothing is sent. Use it for Fuseki with
  ``tdb2:unionDefaultGraph true`` in the dataset's configuration, or ``oxigraph serve --union-default-graph``.

A dataset given with the query (the protocol's ``default-graph-uri`` and ``named-graph-uri``) is passed
through to the server, and then the union flag is not sent: Oxigraph refuses the two together, and the
dataset replaces the default graph anyway. Nor is it sent for a query with its own ``FROM`` (``union=False``),
which Oxigraph's flag would override.

Errors. A server that will not answer a request (an HTTP 4xx: a malformed query, a dataset it cannot use)
raises SyntaxError (400) or :class:`StoreRefused` with the server's reason; one that cannot be reached or
fails (5xx, timeouts, a wrong address) raises StoreError.

Rewriting queries into ``GRAPH ?g`` patterns was rejected: it changes the answers (a triple held by two
graphs would be counted twice).
"""

from __future__ import annotations

import ast
import re
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO
from urllib.response import addinfourl

import pyoxigraph as ox
from SPARQLWrapper import CONSTRUCT, DESCRIBE, INSERT, JSON, POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException, URITooLong

from kg.store.base import DEFAULT_GRAPH, GraphStore, QueryResult, StoreError, StoreRefused, as_triple

UNION_MODES = ("oxigraph", "server")
#: last segment of the query endpoint -> (update segment, graph store segment)
_SIBLINGS = {"query": ("update", "store"), "sparql": ("update", "data")}
_N_TRIPLES = ox.RdfFormat.N_TRIPLES.media_type


class RemoteStore(GraphStore):
    def __init__(
        self,
        query_endpoint: str,
        update_endpoint: str | None = None,
        gsp_endpoint: str | None = None,
        *,
        union: str = "oxigraph",
        timeout: float = 60.0,
    ) -> None:
        if not query_endpoint.startswith(("http://", "https://")):
            raise StoreError(f"a remote store needs an http(s) SPARQL query endpoint, not {query_endpoint!r}")
        if union not in UNION_MODES:
            raise StoreError(f"unknown union mode {union!r}; expected one of {', '.join(UNION_MODES)}")
        self.query_endpoint = query_endpoint
        self.update_endpoint = update_endpoint or _sibling(query_endpoint, 0)
        self.gsp_endpoint = gsp_endpoint or _sibling(query_endpoint, 1)
        self.union = union
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_endpoint!r})"

    # --- SPARQL protocol, through SPARQLWrapper ---------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[ox.Variable, ox.Term] | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        union: bool = True,
    ) -> QueryResult:
        if substitutions:
            sparql = bind_values(sparql, substitutions)
        wrapper = self._wrapper()
        with warnings.catch_warnings():  # SPARQLWrapper warns when it cannot tell the query form: the server will say
            warnings.simplefilter("ignore")
            wrapper.setQuery(sparql)
        graph_answer = wrapper.queryType in (CONSTRUCT, DESCRIBE)
        if graph_answer:
            wrapper.addCustomHttpHeader("Accept", f"{_N_TRIPLES}, text/turtle;q=0.5")
        else:
            wrapper.setReturnFormat(JSON)
        for graph in default_graphs:
            wrapper.addParameter("default-graph-uri", graph)
        for graph in named_graphs:
            wrapper.addParameter("named-graph-uri", graph)
        if union and self.union == "oxigraph" and not default_graphs and not named_graphs:
            wrapper.addParameter("union-default-graph", "true")
        data, media_type = self._send(wrapper, self.query_endpoint)
        if graph_answer:
            return _as_query_triples(data, media_type, self.query_endpoint)
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
        if fmt is None:
            raise StoreError(f"{self.query_endpoint} answered with {media_type or 'no media type'}, not SPARQL results")
        return ox.parse_query_results(data, fmt)

    def update(self, sparql: str) -> None:
        if not self.update_endpoint:
            raise StoreError(f"no update endpoint for {self.query_endpoint}: set KG_STORE_UPDATE")
        wrapper = self._wrapper()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wrapper.setQuery(sparql)
        # SPARQLWrapper guesses the operation from the first keyword; an update may start with WITH or a
        # PREFIX-less DELETE, so say it is one.
        wrapper.queryType = INSERT
        wrapper.setRequestMethod(POSTDIRECTLY)
        self._send(wrapper, self.update_endpoint)

    def _wrapper(self) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.query_endpoint, updateEndpoint=self.update_endpoint)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.timeout = self.timeout  # the documented attribute; setTimeout() would round to whole seconds
        return wrapper

    def _send(self, wrapper: SPARQLWrapper, url: str) -> tuple[bytes, str]:
        try:
            result = wrapper.query()
            with result.response as response:
                return response.read(), response.headers.get("Content-Type", "")
        except QueryBadFormed as exc:
            raise SyntaxError(f"{url} rejected the request: {_server_message(exc)}") from exc
        except URITooLong as exc:
            raise StoreRefused(f"{url} refused the request: {_server_message(exc)}") from exc
        except SPARQLWrapperException as exc:  # 401, 404 (a wrong address or credentials) and 500
            raise StoreError(f"{url} failed: {_server_message(exc)}") from exc
        except urllib.error.HTTPError as exc:  # SPARQLWrapper passes on the codes it has no exception for
            refused = 400 <= exc.code < 500 and exc.code != 407  # 407: a proxy wants credentials
            raise (StoreRefused if refused else StoreError)(
                f"{url} answered HTTP {exc.code}: {_read_error(exc)}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(_unreachable(url, exc, self.timeout)) from exc

    # --- Graph Store Protocol ---------------------------------------------------------------------------

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad | ox.Triple]) -> None:
        g = ox.NamedNode(graph)
        with tempfile.SpooledTemporaryFile(max_size=16 << 20) as body:
            ox.serialize((as_triple(q) for q in quads), body, ox.RdfFormat.N_TRIPLES)
            size = body.tell()
            body.seek(0)
            if size == 0:  # an empty graph is no graph, as in the embedded store
                self.drop_graphs([graph])
            elif self.gsp_endpoint:
                headers = {"Content-Type": _N_TRIPLES, "Content-Length": str(size)}
                self._http("PUT", self._graph_url(graph), data=body, headers=headers).close()
            else:
                text = body.read().decode()
                self.update(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{text}}} }}")

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        ops = " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs)
        if ops:
            self.update(ops)

    def graphs(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")
        assert isinstance(result, ox.QuerySolutions)
        return sorted(row["g"].value for row in result if isinstance(row["g"], ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        names = [DEFAULT_GRAPH, *self.graphs()] if graph is None else [graph]
        for name in names:
            g = ox.DefaultGraph() if name == DEFAULT_GRAPH else ox.NamedNode(name)
            with self._get(name, _N_TRIPLES) as response:
                for q in ox.parse(response, ox.RdfFormat.N_TRIPLES):
                    yield ox.Quad(q.subject, q.predicate, q.object, g)

    def dump(self, output: BinaryIO, fmt: ox.RdfFormat, graph: str | None = None) -> None:
        # re-serialised by pyoxigraph whatever the server's own style, so dumps match the embedded store's
        if fmt.supports_datasets:
            ox.serialize(self.quads(graph), output, fmt)
        else:
            ox.serialize((q.triple for q in self.quads(graph)), output, fmt)

    def _get(self, graph: str, media_type: str) -> addinfourl:
        return self._http("GET", self._graph_url(graph), headers={"Accept": media_type})

    def _graph_url(self, graph: str) -> str:
        if not self.gsp_endpoint:
            raise StoreError(f"no graph store endpoint for {self.query_endpoint}: set KG_STORE_GSP")
        query = "default" if graph == DEFAULT_GRAPH else urllib.parse.urlencode({"graph": graph})
        return f"{self.gsp_endpoint}?{query}"

    def _http(self, method: str, url: str, *, data: BinaryIO | None = None, headers: dict[str, str]) -> addinfourl:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            raise StoreError(f"{method} {url} answered HTTP {exc.code}: {_read_error(exc)}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(_unreachable(url, exc, self.timeout)) from exc


def _sibling(query_endpoint: str, which: int) -> str | None:
    head, _, last = query_endpoint.rstrip("/").rpartition("/")
    siblings = _SIBLINGS.get(last)
    return f"{head}/{siblings[which]}" if siblings else None


def _as_query_triples(data: bytes, media_type: str, url: str) -> ox.QueryTriples:
    """The triples as a real ``QueryTriples``: loaded into a scratch store and read back."""
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None or fmt.supports_datasets:
        raise StoreError(f"{url} answered a graph query with {media_type or 'no media type'}, not an RDF graph")
    scratch = ox.Store()
    scratch.load(data, fmt)
    return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")


def _server_message(exc: SPARQLWrapperException) -> str:
    """The server's own words, which SPARQLWrapper keeps only inside its message."""
    text = str(exc)
    _, found, body = text.partition("Response:\n")
    if found:
        try:
            text = ast.literal_eval(body).decode("utf-8", "replace")
        except (ValueError, SyntaxError, AttributeError):
            text = body
    return text.strip()[:2000]


def _read_error(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read().decode("utf-8", "replace").strip()[:2000] or exc.reason
    except OSError:
        return str(exc.reason)


def _unreachable(url: str, exc: BaseException, timeout: float) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"{url} did not answer within {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return f"cannot reach {url}: connection refused (is the SPARQL server running?)"
    return f"cannot reach {url}: {reason}"


# --- substitutions -----------------------------------------------------------------------------------

_TOKENS = re.compile(
    r'''(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*)'''
    r"|(?P<open>\{)|(?P<close>\})|(?<![\w:?$])(?P<where>WHERE)(?![\w:-])",
    re.IGNORECASE | re.DOTALL,
)


def bind_values(sparql: str, substitutions: dict[ox.Variable, ox.Term]) -> str:
    """The query with a ``VALUES`` block opening its WHERE clause: pyoxigraph's substitutions, portably.

    Strings, IRIs and comments are skipped when looking for the clause, so braces inside them are safe.
    """
    for term in substitutions.values():
        if isinstance(term, ox.BlankNode):
            raise StoreError("a blank node cannot be substituted into a query sent to a remote store")
    names = " ".join(str(v) for v in substitutions)
    values = " ".join(str(t) for t in substitutions.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    depth, after_where = 0, False
    first = after = None
    for match in _TOKENS.finditer(sparql):
        if match.group("where") and depth == 0:
            after_where = True
        elif match.group("open"):
            if depth == 0:
                first = match.end() if first is None else first
                if after_where and after is None:
                    after = match.end()
            depth += 1
        elif match.group("close"):
            depth -= 1
    at = after if after_where else first
    if at is None:
        raise StoreError("cannot substitute values: the query has no WHERE clause")
    return sparql[:at] + block + sparql[at:]
