"""Running queries under a time limit that really holds.

An embedded store on disk is queried by a small pool of worker processes (webapp.worker), each with the
store open read-only; a query over its limit gets its worker killed and replaced, so no request thread
hangs and no GROUP BY runs on unseen. Other stores (in memory, or remote over HTTP) are queried in the
request thread: a remote store enforces its own limits.

Each job names the version of the store its request reads (kg.store.published): workers open the versions they
are asked for. A job that finds its version unreadable (status 503) is run once more on a fresh handle on the
newest version before its failure is told.
"""

from __future__ import annotations

import dataclasses
import queue
import socket
import subprocess
import sys
import threading
import time

import pyoxigraph as ox

from kg.store import GraphStore, StoreError
from kg.store.base import StoreRefused
from kg.store.embedded import EmbeddedStore
from webapp.worker import READY, UNREADABLE, Answer, Channel, Job, run

#: Longest wait for a new worker to open the store (seconds).
STARTUP_LIMIT = 60.0


class QueryTimeout(Exception):
    """The query ran past its time limit and was stopped."""


class ServerBusy(Exception):
    """Every worker stayed busy for the whole time limit."""


class Runner:
    """Runs jobs in the request thread (stores that cannot be shared with other processes)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def run(self, job: Job, timeout: float, reading: GraphStore | None = None) -> Answer:
        """Answer ``job`` from ``reading``, the version of the store the request reads (default: the newest),
        within ``timeout`` seconds; once more from a fresh handle if that version could not be read."""
        reading = reading if reading is not None else self.store.current()
        answer = self.answer(job, timeout, reading)
        if answer.status == UNREADABLE:
            answer = self.answer(job, timeout, self.store.reopen())
        return answer

    def answer(self, job: Job, timeout: float, reading: GraphStore) -> Answer:
        if isinstance(reading, EmbeddedStore):
            return run(reading.oxigraph, job)
        try:
            substitutions = {ox.Variable(k): v for k, v in job.substitutions.items()}
            result = reading.query(job.query, substitutions=substitutions, default_graphs=job.default_graphs,
                                   named_graphs=job.named_graphs, union=job.union)
        except SyntaxError as exc:
            return Answer("error", error=f"malformed query: {exc}", status=400)
        except StoreRefused as exc:
            return Answer("error", error=str(exc), status=400)
        except (OSError, StoreError) as exc:  # the store is down or failed: a bad gateway, not our defect
            return Answer("error", error=str(exc), status=502)
        return run(_Answered(result), job)

    def warm(self) -> None:
        """Nothing to start: queries run in the request thread."""

    def close(self) -> None:
        """Nothing to release: the store belongs to the app."""


class _Answered:
    """A stand-in store that hands back an answer already computed elsewhere (the remote store's)."""

    def __init__(self, result: object) -> None:
        self.result = result

    def query(self, *_args: object, **_kwargs: object) -> object:
        return self.result


class _Worker:
    """A ``python -m webapp.worker`` child joined by a socket pair (no multiprocessing bootstrapping, so
    it works whatever the main module of the server is)."""

    def __init__(self, path: str) -> None:
        self.path = path
        mine, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "webapp.worker", path, str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.channel = Channel(mine)
        self.ready = False

    def wait_ready(self) -> bool:
        """Wait (once) until the worker has opened the store: starting is not part of any query's time."""
        if not self.ready:
            try:
                self.ready = self.channel.recv(STARTUP_LIMIT) == READY
            except (EOFError, OSError):  # OSError includes TimeoutError
                self.ready = False
        return self.ready

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.channel.close()


class ProcessRunner(Runner):
    """A pool of ``size`` worker processes; each opens the newest version of the store when it starts (the folder
    at ``path`` for a store that publishes none), and the folder a job names when it differs; workers start on
    first use."""

    def __init__(self, store: GraphStore, path: str, size: int = 2) -> None:
        super().__init__(store)
        self.path = path
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._started = 0
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Start every worker now (they open the store in the background), so first queries do not wait."""
        with self._lock:
            while self._started < self.size:
                self._started += 1
                self._idle.put(_Worker(self.path))

    def start_path(self) -> str:
        """The folder a new worker opens: the newest version (the one the pool began with may be deleted since)."""
        try:
            reading = self.store.current()
        except StoreError:  # the worker will say what it cannot open
            return self.path
        return str(reading.path) if isinstance(reading, EmbeddedStore) and reading.on_disk else self.path

    def _acquire(self, deadline: float) -> _Worker:
        with self._lock:
            if self._idle.empty() and self._started < self.size:
                self._started += 1
                return _Worker(self.start_path())
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise ServerBusy("all query workers stayed busy for the whole time limit; try again later") from None

    def answer(self, job: Job, timeout: float, reading: GraphStore) -> Answer:
        """Wait at most ``timeout`` for a free worker, then give the query ``timeout`` to run."""
        if isinstance(reading, EmbeddedStore) and reading.on_disk:
            job = dataclasses.replace(job, store=str(reading.path))
        worker = self._acquire(time.monotonic() + timeout)
        if not worker.wait_ready():
            self._replace(worker, restart=False)
            return Answer("error", error=f"a query worker could not open the store at {worker.path}", status=UNREADABLE)
        try:
            worker.channel.send(job)
            answer = worker.channel.recv(timeout)
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout(f"the query ran longer than its time limit of {timeout:g} s and was stopped") from None
        except (EOFError, OSError):
            self._replace(worker)
            return Answer("error", error="the query worker died; the query was not answered")
        self._idle.put(worker)
        return answer

    def _replace(self, worker: _Worker, *, restart: bool = True) -> None:
        """Kill a worker (stuck in a query, or dead) and start a fresh one in its place at once."""
        worker.stop()
        with self._lock:
            if restart:
                self._idle.put(_Worker(self.start_path()))
            else:
                self._started -= 1

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return


def make_runner(store: GraphStore, size: int) -> Runner:
    """Worker processes for an embedded store on disk (its published versions, or the folder itself); in-thread
    for anything else."""
    reading = store.current()
    if isinstance(reading, EmbeddedStore) and reading.on_disk and reading.path.exists():
        return ProcessRunner(store, str(reading.path), size)
    return Runner(store)

