"""Start and stop a real ``oxigraph serve`` on 127.0.0.1 for tests that need a remote SPARQL store."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import free_port

#: The server the `oxigraph` dev dependency installs next to the interpreter.
OXIGRAPH = Path(sys.executable).with_name("oxigraph")


@dataclass(frozen=True)
class Server:
    """Where a running server answers."""

    base: str

    @property
    def query(self) -> str:
        return self.base + "/query"

    @property
    def update(self) -> str:
        return self.base + "/update"

    @property
    def gsp(self) -> str:
        return self.base + "/store"


@contextmanager
def oxigraph_server(location: Path, *, startup_timeout: float = 20.0) -> Iterator[Server]:
    """An ``oxigraph serve`` over the folder ``location`` on a free port; always stopped on exit."""
    if not OXIGRAPH.exists():
        raise FileNotFoundError(f"{OXIGRAPH} is missing: install the dev dependencies (make install)")
    port = free_port()
    log = location.parent / f"oxigraph-{port}.log"
    with log.open("wb") as log_file:
        proc = subprocess.Popen(
            [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
            stdout=log_file, stderr=subprocess.STDOUT,
        )
    try:
        server = Server(f"http://127.0.0.1:{port}")
        _wait_until_up(server, proc, log, startup_timeout)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_up(server: Server, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    probe = server.query + "?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited with {proc.returncode}: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(probe, timeout=1):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    raise RuntimeError(f"oxigraph serve did not answer within {timeout} s: {log.read_text(errors='replace')}")
