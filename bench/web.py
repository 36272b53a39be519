"""The web endpoint against a raw ``oxigraph serve-read-only`` on the same store, same queries, same run.

    python -m bench.web                      # 1M synthetic triples, 8 clients
    python -m bench.web --size 100k --seconds 3 --clients 4
    python -m bench.web --store data/store   # an existing store instead of a synthetic one

Bounded load on 127.0.0.1, measured two ways, each in ``--rounds`` slices in which the servers take turns (the
machine's other load then weighs on both alike):

- ``ab -c CLIENTS`` (Apache Bench, from Debian's apache2-utils): a new connection per request, as SPARQLWrapper
  and rdflib's SPARQLStore make them; each slice asks for one entity (or the medium query) ``--ab-requests`` times;
- ``--clients`` Python processes, each with one keep-alive connection, sending requests back to back for
  ``--seconds`` per server, entities drawn at random: what browsers and pooling clients do.

The report gives p50/p95 latency and throughput of both servers and their ratios, and the p50 of entity pages.
Both servers open the store read-only. A third server, granian with a WSGI app that answers every request with
a fixed body and no work, gives the ceiling of any Python front end under the same load.

Then conditional repeats: each lookup and entity page is asked for once to learn its ETag, then again and again
with ``If-None-Match``, so that every answer is a 304 (webapp/caching.py), under the same load, against
oxigraph answering the same lookups in full. A synthetic store gets build metadata (a store version) as
``kg build`` writes it; an existing store without one has no ETags, and the conditional figures are left out.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import sparql_prefixes

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
AB = shutil.which("ab")
JSON = "application/sparql-results+json"
#: server processes of ``kg serve`` and of the empty app
WORKERS = os.cpu_count() or 1
#: a medium query: a GROUP BY over every located event (~1.7 ms in pyoxigraph at 1M synthetic triples, 25 rows)
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


@dataclass(frozen=True)
class Target:
    """A server and what to ask it: paths drawn at random, with ``Accept``; with ``etags`` (path -> ETag) every
    request sends ``If-None-Match`` and only a 304 counts as answered."""

    port: int
    paths: list[str]
    accept: str = JSON
    etags: dict[str, str] | None = None

    def headers(self, path: str) -> dict[str, str]:
        return {"Accept": self.accept, **({"If-None-Match": self.etags[path]} if self.etags else {})}

    @property
    def expected(self) -> int:
        return 304 if self.etags else 200


def _client(target: Target, seconds: float, out: multiprocessing.Queue) -> None:
    """One client process: requests back to back on one keep-alive connection; reports its latencies."""
    port, paths = target.port, target.paths
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rng = random.Random(os.getpid())
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        path = rng.choice(paths)
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers=target.headers(path))
            response = conn.getresponse()
            response.read()
            if response.status != target.expected:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - start)
    out.put((latencies, errors))


def load(target: Target, seconds: float, clients: int) -> tuple[list[float], int]:
    """The latencies (s) and error count of ``clients`` concurrent clients over ``seconds``."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    args = (target, seconds, queue)
    procs = [multiprocessing.Process(target=_client, args=args) for _ in range(clients)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    return [x for lat, _ in results for x in lat], sum(e for _, e in results)


def compare(targets: list[Target], seconds: float, clients: int, rounds: int) -> list[dict]:
    """p50/p95 latency (ms) and throughput (req/s) of each target, measured in ``rounds`` slices that take
    turns, so that a change in the machine's other load touches every target alike."""
    latencies: list[list[float]] = [[] for _ in targets]
    errors = [0] * len(targets)
    for _ in range(rounds):
        for i, target in enumerate(targets):
            got, failed = load(target, seconds / rounds, clients)
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


def ab(url: str, requests: int, clients: int, headers: dict[str, str], conditional: bool = False) -> dict:
    """One ``ab`` run: throughput (req/s), p50/p95 latency (ms), failed requests and unexpected statuses (ab
    counts a 304 as non-2xx: a conditional run expects nothing else), seconds taken."""
    sent = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    with tempfile.NamedTemporaryFile(suffix=".csv") as percentiles:
        done = subprocess.run([AB, "-q", "-c", str(clients), "-n", str(requests), *sent,
                               "-e", percentiles.name, url], capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"ab failed: {done.stderr.strip() or done.stdout.strip()}")
        times = dict(line.split(",") for line in Path(percentiles.name).read_text().splitlines()[1:])

    def number(label: str) -> float:
        found = re.search(label + r":\s+([\d.]+)", done.stdout)
        return float(found[1]) if found else 0.0

    other = requests - number("Non-2xx responses") if conditional else number("Non-2xx responses")
    return {"rps": number("Requests per second"), "p50": float(times["50"]), "p95": float(times["95"]),
            "errors": int(number("Failed requests") + other), "seconds": number("Time taken for tests")}


def compare_ab(targets: list[Target], requests: int, clients: int, rounds: int) -> list[dict]:
    """Like :func:`compare` with ``ab``: in round ``i`` every target answers its path ``i`` (one entity, or the
    same query) ``requests`` times; throughput over all rounds, latency the median of the rounds'."""
    runs: list[list[dict]] = [[] for _ in targets]
    for i in range(rounds):
        for target, done in zip(targets, runs, strict=True):
            path = target.paths[i % len(target.paths)]
            done.append(ab(f"http://127.0.0.1:{target.port}{path}", requests, clients, target.headers(path),
                           conditional=bool(target.etags)))
    return [{"rps": requests * len(done) / sum(r["seconds"] for r in done),
             "p50": statistics.median(r["p50"] for r in done), "p95": statistics.median(r["p95"] for r in done),
             "errors": sum(r["errors"] for r in done)} for done in runs]


def _row(name: str, base: dict, ours: dict) -> str:
    return (f"| {name} | {base['p50']:.2f} | {ours['p50']:.2f} | {ours['p50'] / base['p50']:.2f} | "
            f"{base['rps']:.0f} | {ours['rps']:.0f} | {ours['rps'] / base['rps']:.2f} | "
            f"{base['errors']}/{ours['errors']} |")


TABLE_HEAD = ["| workload | oxigraph p50 ms | ours p50 ms | p50 ratio | oxigraph req/s | ours req/s | "
              "throughput ratio | errors (ox/ours) |", "|---|---|---|---|---|---|---|---|"]


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
    """A synthetic store, with the build metadata (and so the version) that every commit of ``kg build`` writes."""
    from bench import synth
    from kg.build import BuildReport, write_build_metadata
    from kg.store.embedded import EmbeddedStore

    path = folder / "store"
    store = ox.Store(str(path))
    store.bulk_extend(synth.quads(size))
    store.flush()
    del store
    with EmbeddedStore(path) as built:
        write_build_metadata(built, BuildReport())
    return path


def sample_entities(store: Path, count: int) -> list[str]:
    """``count`` entities spread evenly over every kind (organisations, people, events, ...), documents and
    mentions left out: what people look up and browse."""
    raw = ox.Store.read_only(str(store))
    found = sorted(r["s"].value for r in raw.query(
        "SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(STRSTARTS(STR(?s), 'https://w3id.org/labour-kg/id/') "
        "&& !CONTAINS(STR(?s), '/mention/') && !CONTAINS(STR(?s), '/doc/')) }", use_default_graph_as_union=True))
    return found[:: max(1, len(found) // count)][:count]


def etags_of(port: int, paths: list[str], accept: str) -> dict[str, str] | None:
    """Each path's ETag, from one full answer each (None when the server sends none: a store without version)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    found = {}
    for path in paths:
        conn.request("GET", path, headers={"Accept": accept})
        response = conn.getresponse()
        response.read()
        if response.status != 200 or not response.headers.get("ETag"):
            return None
        found[path] = response.headers["ETag"]
    conn.close()
    return found


def run(store: Path, seconds: float, clients: int, rounds: int, ab_requests: int) -> list[str]:
    from kg.search import rebuild_index
    from kg.store.published import ensure_published

    # before any server opens the store: `kg serve` would publish a store no build published, writing into the
    # folder that oxigraph serve-read-only reads
    ensure_published(store, rebuild_index)
    entities = sample_entities(store, 500)
    lookups = [f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}" for iri in entities]
    pages = ["/id/" + iri.split("/id/", 1)[1] for iri in entities]
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
        fresh, kept = [], []
        for name, queries in (("entity lookup", lookups), ("medium query", [MEDIUM])):
            ox_paths = ["/query?" + urllib.parse.urlencode({"query": q}) for q in queries]
            kg_paths = ["/sparql?" + urllib.parse.urlencode({"query": q}) for q in queries]
            load(Target(kg_port, kg_paths[:20]), 1.0, clients)  # warm up the query workers
            targets = [Target(ox_port, ox_paths), Target(kg_port, kg_paths)]
            if name == "entity lookup":
                targets.append(Target(empty_port, kg_paths))
            requests = ab_requests if name == "entity lookup" else max(clients, ab_requests // 8)
            for table, measured in ((fresh, compare_ab(targets, requests, clients, 2 * rounds) if AB else []),
                                    (kept, compare(targets, seconds, clients, rounds))):
                if measured:
                    base, ours, *ceiling = measured
                    table.append(_row(name, base, ours))
                    table += [_row("empty WSGI app (ceiling)", base, bare) for bare in ceiling]
        (html,) = compare([Target(kg_port, pages, "text/html")], seconds, clients, 1)
        (alone,) = compare([Target(kg_port, pages, "text/html")], seconds, 1, 1)
        conditional = _conditional(ox_port, kg_port, lookups, pages, seconds, clients, rounds, ab_requests)
    finally:
        _stop(empty)
        _stop(web)
        _stop(oxigraph)
    if fresh:
        fresh = [f"`ab -c {clients}`, a new connection per request, {2 * rounds} slices of {ab_requests} lookups "
                 f"(one entity each) or {max(clients, ab_requests // 8)} medium queries per server, taking turns:",
                 "", *TABLE_HEAD, *fresh, ""]
    else:
        fresh = ["(`ab` is missing, so no measure with a new connection per request: install apache2-utils.)", ""]
    return [
        f"Bounded load on 127.0.0.1. {clients} clients at a time throughout.",
        "",
        *fresh,
        f"{clients} Python clients (processes) with one keep-alive connection each, {seconds:g} s per workload and "
        f"server in {rounds} slices taking turns:",
        "",
        *TABLE_HEAD,
        *kept,
        "",
        f"Entity pages (HTML, {len(pages)} entities), {clients} keep-alive clients: p50 {html['p50']:.1f} ms, p95 "
        f"{html['p95']:.1f} ms, {html['rps']:.0f} req/s, {html['errors']} errors; one client: p50 "
        f"{alone['p50']:.1f} ms, p95 {alone['p95']:.1f} ms, {alone['errors']} errors.",
        "",
        *conditional,
    ]


def _conditional(ox_port: int, kg_port: int, lookups: list[str], pages: list[str], seconds: float, clients: int,
                 rounds: int, ab_requests: int) -> list[str]:
    """Conditional repeats of lookups and entity pages (every answer a 304) against oxigraph answering the same
    lookups in full, with both load generators."""
    ox_paths = ["/query?" + urllib.parse.urlencode({"query": q}) for q in lookups]
    kg_paths = ["/sparql?" + urllib.parse.urlencode({"query": q}) for q in lookups]
    lookup_tags, page_tags = etags_of(kg_port, kg_paths, JSON), etags_of(kg_port, pages, "text/html")
    if not lookup_tags or not page_tags:
        return ["(No ETags: the store has no version, as `kg build` writes it; no conditional figures.)"]
    targets = [Target(ox_port, ox_paths), Target(kg_port, kg_paths, JSON, lookup_tags),
               Target(kg_port, pages, "text/html", page_tags)]
    out = [f"Conditional repeats: every request sends `If-None-Match` with the ETag of an earlier answer and gets a "
           f"304 (a different status counts as an error); oxigraph answers the same lookups in full. {clients} "
           "clients at a time.", ""]
    if AB:
        base, lookup, page = compare_ab(targets, ab_requests, clients, 2 * rounds)
        out += [f"`ab -c {clients}`, {2 * rounds} slices of {ab_requests} requests (one entity each) per server:", "",
                *TABLE_HEAD, _row("entity lookup, 304", base, lookup), _row("entity page (HTML), 304", base, page), ""]
    base, lookup, page = compare(targets, seconds, clients, rounds)
    out += [f"{clients} keep-alive Python clients, {seconds:g} s per server in {rounds} slices:", "",
            *TABLE_HEAD, _row("entity lookup, 304", base, lookup), _row("entity page (HTML), 304", base, page)]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an existing store folder (default: a synthetic one)")
    parser.add_argument("--size", default="1M", help="synthetic store size, e.g. 100k or 1M (default 1M)")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5, help="slices per workload, servers taking turns (default 5;"
                        " ab gets twice as many)")
    parser.add_argument("--ab-requests", type=int, default=2000,
                        help="entity lookups per ab slice; the medium query gets an eighth (default 2000)")
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
        print("\n".join(run(store, args.seconds, args.clients, args.rounds, args.ab_requests)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
