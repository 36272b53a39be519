"""The query worker: a child process that opens the store read-only and answers queries sent over a socket.

It lives apart from the web process so that a query over its time limit can be stopped by killing the
process: pyoxigraph cannot interrupt a query that computes its whole answer before the first row.
This module imports nothing but pyoxigraph (and kg.dataset, which imports only pyoxigraph) so that a new worker
starts fast.
"""

from __future__ import annotations

import os
import pickle
import socket
import struct
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.dataset import query_options

#: What a worker says once its store is open, before its first job.
READY = "ready"
#: The status of an answer whose store could not be read (its files are gone or damaged): the store's failure.
UNREADABLE = 503
JSON_RESULTS = "application/sparql-results+json"


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
    #: the store folder to read (a published version, kg.store.published); "" for the one the worker opened first
    store: str = ""


@dataclass(frozen=True)
class Answer:
    """What a query gave: ``kind`` is select, ask, graph or error (with the message in ``error`` and the HTTP
    status that fits it in ``status``: 400 for a malformed or refused query, 502 for a remote store that
    failed, 503 (UNREADABLE) for a store whose files could not be read, 500 for anything else)."""

    kind: str
    variables: tuple[str, ...] = ()
    rows: list[tuple[ox.Term | None, ...]] = field(default_factory=list)
    triples: list[ox.Triple] = field(default_factory=list)
    boolean: bool = False
    truncated: bool = False
    error: str = ""
    status: int = 500
    #: the answer written in ``media_type`` when the job asked for it (``Job.write_as``)
    body: bytes = b""
    media_type: str = ""


def run(store: ox.Store, job: Job) -> Answer:
    """Run one job against a pyoxigraph store, keeping at most ``job.max_rows`` rows or triples."""
    kwargs: dict = {
        "substitutions": {ox.Variable(k): v for k, v in job.substitutions.items()} or None,
        "base_iri": job.base_iri,
        **query_options(job.default_graphs, job.named_graphs, union=job.union),
    }
    try:
        result = store.query(job.query, **kwargs)
        if job.write_as:
            return write(result, job.write_as, job.max_rows)
        if isinstance(result, ox.QueryBoolean):
            return Answer("ask", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            triples = _take(result, job.max_rows)
            return Answer("graph", triples=triples[: job.max_rows], truncated=len(triples) > job.max_rows)
        names = tuple(v.value for v in result.variables)
        rows = [tuple(solution) for solution in _take(result, job.max_rows)]
        return Answer("select", variables=names, rows=rows[: job.max_rows], truncated=len(rows) > job.max_rows)
    except SyntaxError as exc:
        return Answer("error", error=f"malformed query: {exc}", status=400)
    except OSError as exc:  # pyoxigraph's storage errors
        return Answer("error", error=f"the store could not be read: {exc}", status=UNREADABLE)
    except (ValueError, TypeError, RuntimeError) as exc:
        return Answer("error", error=str(exc))


def _take(items: object, limit: int) -> list:
    """The first ``limit + 1`` items: one more than the cap tells that the answer was cut."""
    out = []
    for item in items:  # type: ignore[attr-defined]
        out.append(item)
        if len(out) > limit:
            break
    return out


def write(result: ox.QueryBoolean | ox.QueryTriples | ox.QuerySolutions, write_as: tuple[str, str],
          max_rows: int) -> Answer:
    """A query's answer written by pyoxigraph in the asked media type (only the bytes travel back).

    Rows and triples are first written as TSV or N-Triples, where every row or triple is one line, so the row
    cap is kept by counting lines instead of handling each term in Python; other formats are then written from
    those lines, also by pyoxigraph. An ASK asked for as CSV or TSV comes as JSON (those formats have no
    boolean); a kind whose media type is "" gets no body, and the caller refuses it (406).
    """
    results, graph = write_as
    if isinstance(result, ox.QueryBoolean):
        media_type = JSON_RESULTS if results in ("text/csv", "text/tab-separated-values") else results
        body = result.serialize(format=ox.QueryResultsFormat.from_media_type(media_type)) if media_type else b""
        return Answer("ask", boolean=bool(result), body=body, media_type=media_type)
    if isinstance(result, ox.QueryTriples):
        if not graph:
            return Answer("graph")
        nt = ox.RdfFormat.N_TRIPLES
        lines, truncated = _lines(result, nt, max_rows)
        fmt = ox.RdfFormat.from_media_type(graph)
        body = lines if fmt == nt else write_graph(ox.parse(lines, format=nt), fmt)
        return Answer("graph", truncated=truncated, body=body, media_type=graph)
    if not results:
        return Answer("select")
    lines, truncated = _lines(result, ox.QueryResultsFormat.TSV, 1 + max_rows)  # the header is a line too
    fmt = ox.QueryResultsFormat.from_media_type(results)
    if fmt != ox.QueryResultsFormat.TSV:
        lines = ox.parse_query_results(lines, format=ox.QueryResultsFormat.TSV).serialize(format=fmt)
    return Answer("select", truncated=truncated, body=lines, media_type=results)


class _Full(Exception):
    """Raised inside pyoxigraph's writer to stop it: the answer has more lines than may be kept."""


class _FirstLines:
    """A binary file for pyoxigraph's writers that keeps the first ``keep`` lines and stops the writing when
    there are more. Once stopped it keeps nothing more: pyoxigraph hands its buffer over again when it drops
    the stopped writer."""

    def __init__(self, keep: int) -> None:
        self.parts: list[bytes] = []
        self.left = keep

    def write(self, chunk: bytes) -> int:
        data = bytes(chunk)
        lines = data.count(b"\n")
        if lines < self.left:
            self.left -= lines
            self.parts.append(data)
            return len(data)
        end = 0
        for _ in range(self.left):
            end = data.index(b"\n", end) + 1
        self.parts.append(data[:end])
        self.left = 0
        if end < len(data):  # a line past the last one kept has begun
            raise _Full
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered here."""


def _lines(result: ox.QueryTriples | ox.QuerySolutions, fmt: ox.RdfFormat | ox.QueryResultsFormat,
           keep: int) -> tuple[bytes, bool]:
    """The first ``keep`` lines of ``result`` written in a line-per-item ``fmt``, and whether more were cut."""
    sink = _FirstLines(keep)
    try:
        result.serialize(sink, format=fmt)
    except _Full:
        return b"".join(sink.parts), True
    return b"".join(sink.parts), False


def write_graph(triples: Iterable[ox.Triple | ox.Quad], fmt: ox.RdfFormat) -> bytes:
    """Triples in ``fmt``; Turtle and RDF/XML with the project's prefixes."""
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


class _Opened:
    """The store folders a worker has open: the two its jobs named last (jobs of requests that began before a new
    version was published may still name the previous one); older handles are closed, so that the disk space
    of versions deleted since is given back."""

    KEPT = 2

    def __init__(self, path: str) -> None:
        self.first = path
        self.stores = {path: ox.Store.read_only(path)}

    def answer(self, job: Job) -> Answer:
        path = job.store or self.first
        store = self.stores.pop(path, None)
        if store is None:
            try:
                store = ox.Store.read_only(path)
            except OSError as exc:
                return Answer("error", error=f"the store at {path} could not be opened: {exc}", status=UNREADABLE)
        answer = run(store, job)
        if answer.status != UNREADABLE:  # else the next job naming it opens it afresh
            self.stores[path] = store  # the most recently used last
            while len(self.stores) > self.KEPT:
                del self.stores[next(iter(self.stores))]
        return answer


def serve(path: str, channel: Channel) -> None:
    """Worker main loop: open the store once, then answer jobs until the channel closes."""
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    opened = _Opened(path)
    channel.send(READY)
    while True:
        try:
            job = channel.recv()
        except EOFError:
            return
        channel.send(opened.answer(job))


if __name__ == "__main__":
    # started by webapp.executor as `python -m webapp.worker STORE FD`; the classes come from the module
    # itself (not __main__) so that the parent can unpickle the answers
    import sys

    from webapp.worker import Channel as ChannelClass
    from webapp.worker import serve as serve_module

    serve_module(sys.argv[1], ChannelClass(socket.socket(fileno=int(sys.argv[2]))))
