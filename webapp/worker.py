"""The query worker: a child process that opens the store read-only and answers queries sent over a pipe.

It lives apart from the web process so that a query over its time limit can be stopped by killing the
process: pyoxigraph cannot interrupt a query that computes its whole answer before the first row.
This module imports nothing but pyoxigraph so that a new worker starts fast.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import pyoxigraph as ox

#: What a worker says once its store is open, before its first job.
READY = "ready"


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
            return Answer("ask", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            triples = _take(result, job.max_rows)
            return Answer("graph", triples=triples[: job.max_rows], truncated=len(triples) > job.max_rows)
        names = tuple(v.value for v in result.variables)
        rows = [tuple(s[n] for n in names) for s in _take(result, job.max_rows)]
        return Answer("select", variables=names, rows=rows[: job.max_rows], truncated=len(rows) > job.max_rows)
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


def _exit_with_parent() -> None:
    """Stop when the web process is gone (even killed), even in the middle of a query."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def serve(path: str, conn: Connection) -> None:
    """Worker main loop: open the store once, then answer jobs until the pipe closes."""
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    store = ox.Store.read_only(path)
    conn.send(READY)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        conn.send(run(store, job))


if __name__ == "__main__":
    # started by webapp.executor as `python -m webapp.worker STORE FD`; the classes come from the module
    # itself (not __main__) so that the parent can unpickle the answers
    import sys

    from webapp.worker import serve as serve_module

    serve_module(sys.argv[1], Connection(int(sys.argv[2])))
