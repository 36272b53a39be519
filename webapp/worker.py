"""The query worker: a child process that opens the store read-only and answers queries sent over a socket.

It lives apart from the web process so that a query over its time limit can be stopped by killing the
process: pyoxigraph cannot interrupt a query that computes its whole answer before the first row.
This module imports nothing but pyoxigraph so that a new worker starts fast.
"""

from __future__ import annotations

import json
import os
import pickle
import socket
import struct
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from json.encoder import encode_basestring as _json_string  # C speed, keeps non-ASCII as is
from typing import Any

import pyoxigraph as ox

#: What a worker says once its store is open, before its first job.
READY = "ready"
JSON_RESULTS = "application/sparql-results+json"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Job:
    """One query to run; graphs are IRIs; ``union`` makes the default graph the union of all graphs."""

    query: str
    substitutions: dict[str, ox.Term] = field(default_factory=dict)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union: bool = True
    max_rows: int = 10_000
    base_iri: str | None = None
    #: media types to write the answer in (tabular answers, graph answers): the worker then sends the bytes
    #: ready to serve instead of terms; "" for a kind the client cannot take (no body is written)
    write_as: tuple[str, str] | None = None


@dataclass(frozen=True)
class Answer:
    """What a query gave: ``kind`` is select, ask, graph or error (with the message in ``error``)."""

    kind: str
    variables: tuple[str, ...] = ()
    rows: list[tuple[ox.Term | None, ...]] = field(default_factory=list)
    triples: list[ox.Triple] = field(default_factory=list)
    boolean: bool = False
    truncated: bool = False
    error: str = ""
    syntax_error: bool = False
    #: the answer written in ``media_type`` when the job asked for it (``Job.write_as``)
    body: bytes = b""
    media_type: str = ""


def run(store: ox.Store, job: Job) -> Answer:
    """Run one job against a pyoxigraph store, keeping at most ``job.max_rows`` rows or triples."""
    kwargs: dict = {
        "substitutions": {ox.Variable(k): v for k, v in job.substitutions.items()} or None,
        "base_iri": job.base_iri,
    }
    if job.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = job.union
    if job.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        result = store.query(job.query, **kwargs)
        if isinstance(result, ox.QueryBoolean):
            answer = Answer("ask", boolean=bool(result))
        elif isinstance(result, ox.QueryTriples):
            triples = _take(result, job.max_rows)
            answer = Answer("graph", triples=triples[: job.max_rows], truncated=len(triples) > job.max_rows)
        else:
            names = tuple(v.value for v in result.variables)
            rows = _take(result, job.max_rows)  # solutions iterate as rows; only pickled answers need tuples
            if not job.write_as:
                rows = [tuple(solution) for solution in rows]
            answer = Answer("select", variables=names, rows=rows[: job.max_rows], truncated=len(rows) > job.max_rows)
        return write(answer, job.write_as) if job.write_as else answer
    except SyntaxError as exc:
        return Answer("error", error=str(exc), syntax_error=True)
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        return Answer("error", error=str(exc))


def _take(items: object, limit: int) -> list:
    """The first ``limit + 1`` items: one more than the cap tells that the answer was cut."""
    out = []
    for item in items:  # type: ignore[attr-defined]
        out.append(item)
        if len(out) > limit:
            break
    return out


def write(answer: Answer, write_as: tuple[str, str]) -> Answer:
    """The answer with its bytes in the asked media type (the terms dropped: only the bytes travel back).

    An ASK asked for as CSV or TSV comes as JSON (those formats have no boolean); a kind whose media type
    is "" gets no body, and the caller refuses it (406).
    """
    results, graph = write_as
    media_type = graph if answer.kind == "graph" else results
    if answer.kind == "ask" and media_type in ("text/csv", "text/tab-separated-values"):
        media_type = JSON_RESULTS
    if not media_type:
        return Answer(answer.kind, truncated=answer.truncated)
    if answer.kind == "graph":
        body = _write_graph(answer.triples, ox.RdfFormat.from_media_type(media_type))
    else:
        is_ask = answer.kind == "ask"
        document = boolean_json(answer.boolean) if is_ask else results_json(answer.variables, answer.rows)
        body = document
        if media_type != JSON_RESULTS:
            parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
            body = parsed.serialize(format=ox.QueryResultsFormat.from_media_type(media_type))
    return Answer(answer.kind, boolean=answer.boolean, truncated=answer.truncated, body=body, media_type=media_type)


def term_json(term: ox.Term) -> str:
    """A term in the SPARQL 1.1 JSON results encoding, as JSON text (written directly: this runs for every
    value of every answer, and building dicts for ``json.dumps`` costs twice as much)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return '{"type":"uri","value":' + _json_string(term.value) + "}"
    if kind is ox.Literal:
        value = '{"type":"literal","value":' + _json_string(term.value)
        if term.language:
            return value + ',"xml:lang":' + _json_string(term.language) + "}"
        datatype = term.datatype.value
        return value + "}" if datatype == _XSD_STRING else value + ',"datatype":' + _json_string(datatype) + "}"
    if kind is ox.BlankNode:
        return '{"type":"bnode","value":' + _json_string(term.value) + "}"
    parts = (f'"{k}":' + term_json(getattr(term, k)) for k in ("subject", "predicate", "object"))
    return '{"type":"triple","value":{' + ",".join(parts) + "}}"


def results_json(variables: tuple[str, ...], rows: Iterable[Iterable[ox.Term | None]]) -> bytes:
    """A SELECT answer as a SPARQL 1.1 JSON results document; a row holds a term or None per variable."""
    keys = [_json_string(v) + ":" for v in variables]
    bindings = ",".join(
        "{" + ",".join(k + term_json(t) for k, t in zip(keys, row, strict=True) if t is not None) + "}"
        for row in rows
    )
    head = ",".join(_json_string(v) for v in variables)
    return ('{"head":{"vars":[' + head + ']},"results":{"bindings":[' + bindings + "]}}").encode()


def boolean_json(value: bool) -> bytes:
    """An ASK answer as a SPARQL 1.1 JSON results document."""
    return json.dumps({"head": {}, "boolean": value}).encode()


def _write_graph(triples: list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        from kg.namespaces import PREFIXES  # only graphs in these formats need it: workers start without it

        return ox.serialize(triples, format=fmt, prefixes=PREFIXES)
    return ox.serialize(triples, format=fmt)


def _exit_with_parent() -> None:
    """Stop when the web process is gone (even killed), even in the middle of a query."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


_LENGTH = struct.Struct("!I")


class Channel:
    """Pickled messages over a stream socket, each after its length: one system call a message each way when
    it is small, so a request thread waiting for an answer wakes once (multiprocessing's Connection polls,
    then reads the length and the message apart)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._pending = bytearray()

    def send(self, message: object) -> None:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        self.sock.settimeout(None)  # only idle workers get jobs: no send waits long; a recv's limit must not cut it
        self.sock.sendall(_LENGTH.pack(len(data)) + data)

    def recv(self, timeout: float | None = None) -> Any:
        """The next message; TimeoutError when it is not all there within ``timeout`` seconds, EOFError when
        the other side is gone."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if len(self._pending) >= _LENGTH.size:
                end = _LENGTH.size + _LENGTH.unpack_from(self._pending)[0]
                if len(self._pending) >= end:
                    message = pickle.loads(self._pending[_LENGTH.size:end])
                    del self._pending[:end]
                    return message
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no answer within the time limit")
                self.sock.settimeout(left)
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise EOFError("the other side closed the channel")
            self._pending += chunk

    def close(self) -> None:
        self.sock.close()


def serve(path: str, channel: Channel) -> None:
    """Worker main loop: open the store once, then answer jobs until the channel closes."""
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    store = ox.Store.read_only(path)
    channel.send(READY)
    while True:
        try:
            job = channel.recv()
        except EOFError:
            return
        channel.send(run(store, job))


if __name__ == "__main__":
    # started by webapp.executor as `python -m webapp.worker STORE FD`; the classes come from the module
    # itself (not __main__) so that the parent can unpickle the answers
    import sys

    from webapp.worker import Channel as ChannelClass
    from webapp.worker import serve as serve_module

    serve_module(sys.argv[1], ChannelClass(socket.socket(fileno=int(sys.argv[2]))))
