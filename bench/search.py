"""Search latency: the text index (kg.search) against a SPARQL substring filter on the same store.

    python -m bench.search [--names 100000]

The target is a p50 of 50 ms or less. The SPARQL filter (every match, as ranking needs them all) is what
a search would cost without the index.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import INSTANCE_BASE, RDFS, SKOS
from kg.search import rebuild_index, search
from kg.store.embedded import EmbeddedStore

SYLLABLES = ["ka", "za", "kh", "stan", "fed", "ra", "tsi", "ya", "pro", "sou", "uz", "ov", "ali", "bek", "nur",
             "union", "trade", "work", "er", "al", "ma", "ty", "as", "ta", "na"]


def names_store(count: int, seed: int) -> EmbeddedStore:
    """An in-memory store of ``count`` entities, each with an English label and a short Russian alias."""
    rng = random.Random(seed)
    store = EmbeddedStore.in_memory()
    label, alt = ox.NamedNode(RDFS + "label"), ox.NamedNode(SKOS + "altLabel")
    quads = []
    for i in range(count):
        s = ox.NamedNode(f"{INSTANCE_BASE}org/x{i}")
        name = " ".join("".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(3))
        quads.append(ox.Quad(s, label, ox.Literal(name.title(), language="en")))
        quads.append(ox.Quad(s, alt, ox.Literal(name.upper()[:12], language="ru")))
    store.oxigraph.extend(quads)
    return store


def timings(fn, queries: list[str]) -> list[float]:
    out = []
    for q in queries:
        start = time.perf_counter()
        fn(q)
        out.append(time.perf_counter() - start)
    return out


def measure(count: int, seed: int = 7, samples: int = 200) -> list[str]:
    rng = random.Random(seed + 1)
    store = names_store(count, seed)
    queries = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(samples)]
    with tempfile.TemporaryDirectory(prefix="kg-bench-search-") as tmp:
        path = Path(tmp) / "search.sqlite"
        start = time.perf_counter()
        rebuild_index(store, path)
        built = time.perf_counter() - start
        ours = timings(lambda q: search(path, q), queries)
    sparql = timings(
        lambda q: list(store.query(
            f'SELECT ?s WHERE {{ ?s <{RDFS}label>|<{SKOS}altLabel> ?n '
            f'FILTER(CONTAINS(LCASE(STR(?n)), "{q}")) }}')),
        queries[:20],
    )
    p50, p95 = statistics.median(ours), statistics.quantiles(ours, n=20)[18]
    base = statistics.median(sparql)
    return [
        f"### Search, {count:,} entities ({2 * count:,} names)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| index build | {built:.2f} s |",
        f"| search p50 (target <= 50 ms) | {p50 * 1000:.1f} ms |",
        f"| search p95 | {p95 * 1000:.1f} ms |",
        f"| SPARQL CONTAINS filter p50, same store | {base * 1000:.1f} ms |",
        f"| ratio index / SPARQL filter | {p50 / base:.3f} |",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, default=100_000, help="entities to index (default 100000)")
    args = parser.parse_args(argv)
    print("\n".join(measure(args.names)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
