"""The web endpoint against a raw ``oxigraph serve-read-only`` on the same store, same queries, same run.

    python -m bench.web                      # 1M synthetic triples, 5 s per workload, 8 clients
    python -m bench.web --size 100k --seconds 3 --clients 4
    python -m bench.web --store data/store   # an existing store instead of a synthetic one

Bounded load on 127.0.0.1: ``--clients`` processes, each with one keep-alive connection, send requests
back to back for ``--seconds`` per server, in ``--rounds`` slices in which the servers take turns (the
machine's other load then weighs on both alike); the report gives p50/p95 latency and throughput of both
servers and their ratios, and the p50 of entity pages. Both servers open the store read-only. A third server,
granian with a WSGI app that answers every request with a fixed body and no work, gives the ceiling of any
Python front end under the same load.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import sparql_prefixes

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
JSON = "application/sparql-results+json"
#: server processes of ``kg serve`` and of the empty app
WORKERS = os.cpu_count() or 1
#: a medium query: a GROUP BY over every located event (~8 ms in pyoxigraph at 1M synthetic triples)
MEDIUM = sparql_prefixes() + "SELECT ?place (COUNT(?e) AS ?n) WHERE { ?e schema:location ?place } GROUP BY ?place"
#: the ceiling: granian with as many processes and threads as ``kg serve`` and an app that does nothing
EMPTY_SERVER = """
import sys
from granian import Granian
from granian.constants import Interfaces
from granian.log import LogLevels
Granian("bench.web:empty_app", address="127.0.0.1", port=int(sys.argv[1]), interface=Interfaces.WSGI,
        workers=int(sys.argv[2]), blocking_threads=4, log_level=LogLevels.warning).serve()
"""


def empty_app(_environ: dict, start_response: Callable) -> list[bytes]:
    """A WSGI app that answers every request with ``{}``: what the front end costs on its own."""
    start_response("200 OK", [("Content-Type", JSON), ("Content-Length", "2")])
    return [b"{}"]


def _client(port: int, paths: list[str], accept: str, seconds: float, out: multiprocessing.Queue) -> None:
    """One client process: requests back to back on one keep-alive connection; reports its latencies."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rng = random.Random(os.getpid())
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        path = rng.choice(paths)
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept": accept})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - start)
    out.put((latencies, errors))


def load(port: int, paths: list[str], accept: str, seconds: float, clients: int) -> tuple[list[float], int]:
    """The latencies (s) and error count of ``clients`` concurrent clients over ``seconds``."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    args = (port, paths, accept, seconds, queue)
    procs = [multiprocessing.Process(target=_client, args=args) for _ in range(clients)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    return [x for lat, _ in results for x in lat], sum(e for _, e in results)


def compare(targets: list[tuple[int, list[str]]], accept: str, seconds: float, clients: int, rounds: int) -> list[dict]:
    """p50/p95 latency (ms) and throughput (req/s) of each (port, paths) target, measured in ``rounds`` slices
    that take turns, so that a change in the machine's other load touches every target alike."""
    latencies: list[list[float]] = [[] for _ in targets]
    errors = [0] * len(targets)
    for _ in range(rounds):
        for i, (port, paths) in enumerate(targets):
            got, failed = load(port, paths, accept, seconds / rounds, clients)
            latencies[i] += got
            errors[i] += failed
    out = []
    for lat, failed in zip(latencies, errors, strict=True):
        lat.sort()
        if not lat:
            out.append({"p50": float("nan"), "p95": float("nan"), "rps": 0.0, "errors": failed})
            continue
        out.append({"p50": statistics.median(lat) * 1000, "p95": lat[int(len(lat) * 0.95)] * 1000,
                    "rps": len(lat) / seconds, "errors": failed})
    return out


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, path: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start within 60 s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _synthetic(size: int, folder: Path) -> Path:
    from bench import synth

    path = folder / "store"
    store = ox.Store(str(path))
    store.bulk_extend(synth.quads(size))
    store.flush()
    del store
    return path


def sample_entities(store: Path, count: int) -> list[str]:
    """``count`` entities spread evenly over every kind (organisations, people, events, ...), documents and
    mentions left out: what people look up and browse."""
    raw = ox.Store.read_only(str(store))
    found = sorted(r["s"].value for r in raw.query(
        "SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(STRSTARTS(STR(?s), 'https://w3id.org/labour-kg/id/') "
        "&& !CONTAINS(STR(?s), '/mention/') && !CONTAINS(STR(?s), '/doc/')) }", use_default_graph_as_union=True))
    return found[:: max(1, len(found) // count)][:count]


def run(store: Path, seconds: float, clients: int, rounds: int) -> list[str]:
    entities = sample_entities(store, 500)
    lookups = [f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}" for iri in entities]
    ox_port, kg_port, empty_port = _free_port(), _free_port(), _free_port()
    oxigraph = subprocess.Popen([str(OXIGRAPH), "serve-read-only", "--location", str(store), "--bind",
                                 f"127.0.0.1:{ox_port}", "--union-default-graph"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    web = subprocess.Popen([sys.executable, "-m", "kg.cli", "--store", str(store), "serve", "--port", str(kg_port),
                            "--workers", str(WORKERS)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    empty = subprocess.Popen([sys.executable, "-c", EMPTY_SERVER, str(empty_port), str(WORKERS)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(ox_port, "/query?query=ASK%7B%7D", oxigraph)
        _wait(kg_port, "/sparql?query=ASK%7B%7D", web)
        _wait(empty_port, "/", empty)
        rows = []
        for name, queries in (("entity lookup", lookups), ("medium query", [MEDIUM])):
            ox_paths = ["/query?" + urllib.parse.urlencode({"query": q}) for q in queries]
            kg_paths = ["/sparql?" + urllib.parse.urlencode({"query": q}) for q in queries]
            load(kg_port, kg_paths[:20], JSON, 1.0, clients)  # warm up the query workers
            targets = [(ox_port, ox_paths), (kg_port, kg_paths)]
            if name == "entity lookup":
                targets.append((empty_port, kg_paths))
            base, ours, *ceiling = compare(targets, JSON, seconds, clients, rounds)
            rows.append(f"| {name} | {base['p50']:.2f} | {ours['p50']:.2f} | {ours['p50'] / base['p50']:.2f} | "
                        f"{base['rps']:.0f} | {ours['rps']:.0f} | {ours['rps'] / base['rps']:.2f} | "
                        f"{base['errors']}/{ours['errors']} |")
            for bare in ceiling:
                rows.append(f"| empty WSGI app (ceiling) | {base['p50']:.2f} | {bare['p50']:.2f} | "
                            f"{bare['p50'] / base['p50']:.2f} | {base['rps']:.0f} | {bare['rps']:.0f} | "
                            f"{bare['rps'] / base['rps']:.2f} | {base['errors']}/{bare['errors']} |")
        pages = ["/id/" + iri.split("/id/", 1)[1] for iri in entities]
        (html,) = compare([(kg_port, pages)], "text/html", seconds, clients, 1)
        (alone,) = compare([(kg_port, pages)], "text/html", seconds, 1, 1)
    finally:
        _stop(empty)
        _stop(web)
        _stop(oxigraph)
    return [
        f"Bounded load: {clients} clients (processes, keep-alive), {seconds:g} s per workload and server in "
        f"{rounds} slices taking turns, 127.0.0.1.",
        "",
        "| workload | oxigraph p50 ms | ours p50 ms | p50 ratio | oxigraph req/s | ours req/s | throughput ratio "
        "| errors (ox/ours) |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Entity pages (HTML, {len(pages)} entities), {clients} clients: p50 {html['p50']:.1f} ms, p95 "
        f"{html['p95']:.1f} ms, {html['rps']:.0f} req/s, {html['errors']} errors; one client: p50 "
        f"{alone['p50']:.1f} ms, p95 {alone['p95']:.1f} ms, {alone['errors']} errors.",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an existing store folder (default: a synthetic one)")
    parser.add_argument("--size", default="1M", help="synthetic store size, e.g. 100k or 1M (default 1M)")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5, help="slices per workload, servers taking turns (default 5)")
    args = parser.parse_args(argv)
    if not OXIGRAPH.exists():
        print(f"error: {OXIGRAPH} is missing: install the dev dependencies (make install)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="kg-bench-web-") as tmp:
        if args.store:
            store = args.store
        else:
            from bench import synth

            store = _synthetic(synth.parse_size(args.size), Path(tmp))
        label = str(args.store) if args.store else f"synthetic {args.size}"
        print(f"# Web endpoint vs oxigraph serve ({label})\n")
        print("\n".join(run(store, args.seconds, args.clients, args.rounds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
