"""``make bench``: load, export, stats, validation and queries on synthetic stores, against raw pyoxigraph.

    python -m bench                       # 10k and 100k triples (about a minute)
    python -m bench --sizes 10k,100k,1M   # adds 1M (ten minutes or so)
    python -m bench --extract             # adds extraction speed (bench.extract, 1 and 2 workers)

Every measured step but the load runs in a fresh process (``bench.step``) so that its peak RSS is its
own; dumps and exports count the fastest of ``--repeat`` runs. The report (Markdown) goes to standard
output and to ``bench/results/<time>.md`` (``--results``).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from bench import extract, search, synth
from kg.corpus import read_corpus
from kg.export import FORMATS
from kg.store.embedded import EmbeddedStore

RESULTS = Path(__file__).resolve().parent / "results"
#: our export format -> the raw pyoxigraph dump it is compared with (same store, store order, no sorting)
RAW_OF = {"ntriples": "nq", "nquads": "nq", "turtle": "trig", "trig": "trig", "jsonld": "jsonld"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated triple counts (default 10k,100k)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each dump and export; the fastest counts (default 3)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for the report (default bench/results)")
    parser.add_argument("--extract", action="store_true",
                        help="also measure extraction speed on the bundled documents (python -m bench.extract)")
    args = parser.parse_args(argv)
    sizes = [(label.strip(), synth.parse_size(label)) for label in args.sizes.split(",")]
    lines = [f"Command: `python -m bench --sizes {args.sizes}`  ", f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC  ",
             f"Machine: {platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}, "
             f"pyoxigraph {ox.__version__}", ""]
    for label, size in sizes:
        with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
            lines += measure(label, size, args.seed, Path(tmp), args.repeat)
            print(f"measured {label}", file=sys.stderr)
    lines += search.measure(100_000, args.seed)
    if args.extract:
        corpus = read_corpus(extract.DEFAULT_CORPUS)
        lines += ["## extraction (extract, document_quads, validate per document)", "",
                  *extract.report(corpus.records, [1, 2], rounds=3), ""]
    report = "\n".join(lines) + "\n"
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{datetime.now(UTC):%Y%m%dT%H%M%S}.md").write_text(report)
    print(report, end="")
    return 0


def measure(label: str, size: int, seed: int, tmp: Path, repeat: int) -> list[str]:
    store_path, raw_path, nq = tmp / "store", tmp / "raw", tmp / "synth.nq"
    store = EmbeddedStore(store_path)
    loaded, quads, docs, sample_docs = 0.0, 0, 0, []
    for graph, graph_quads in synth.graphs(size, seed):
        t = time.perf_counter()
        store.replace_graph(graph, graph_quads)
        loaded += time.perf_counter() - t
        quads += len(graph_quads)
        if "/doc/" in graph:
            docs += 1
            if len(sample_docs) < 4:
                sample_docs.append(graph)
    store.close()
    del store
    with nq.open("wb") as f:
        ox.serialize(synth.quads(size, seed), f, ox.RdfFormat.N_QUADS)
    raw = ox.Store(str(raw_path))
    t = time.perf_counter()
    raw.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    raw.flush()
    bulk = time.perf_counter() - t
    del raw

    rows = [("load (replace_graph per document)", loaded, None, f"{loaded / bulk:.1f}x bulk_load"),
            ("pyoxigraph bulk_load (reference)", bulk, None, "")]
    raw_dumps = {}
    for ext in sorted(set(RAW_OF.values())):
        r = best_of(repeat, "raw-dump", store_path, ext, str(tmp / f"raw.{ext}"))
        raw_dumps[ext] = r["seconds"]
        rows.append((f"pyoxigraph dump {ext} (reference, unsorted)", r["seconds"], r["peak_rss_mb"], ""))
    for fmt, (_, ext) in FORMATS.items():
        out = tmp / f"export.{ext}"
        r = best_of(repeat, "export", store_path, fmt, str(out))
        ratio = r["seconds"] / raw_dumps[RAW_OF[fmt]]
        rows.append((f"kg export {fmt} ({out.stat().st_size / 1e6:.1f} MB)", r["seconds"], r["peak_rss_mb"],
                     f"{ratio:.1f}x dump {RAW_OF[fmt]}"))
        out.unlink()
    r = step("stats", store_path)
    rows.append((f"kg stats ({r['stats']['triples']:,} triples)", r["seconds"], r["peak_rss_mb"], ""))
    if _has_validator():
        r = step("validate", store_path, *sample_docs)
        verdict = "conforms" if r["conforms"] else "synthetic data has violations"
        rows.append((f"validate one document graph ({r['quads']} quads), first call", r["seconds"],
                     r["peak_rss_mb"], f"loads the shapes; {verdict}"))
        rows.append(("validate one document graph, warm", r["warm_seconds"], None, "median of 3 more"))
    else:
        rows.append(("validate one document graph", None, None, "kg.validate not available yet"))
    r = step("queries", store_path)
    for name, q in r["queries"].items():
        rows.append((f"query: {name} ({q['rows']} rows)", q["seconds"], None, "median of 3"))

    out = [f"## {label}: {quads:,} quads in {docs:,} document graphs", "",
           "| step | seconds | peak RSS (MB) | note |", "|---|---:|---:|---|"]
    for name, seconds, rss, note in rows:
        out.append(f"| {name} | {'' if seconds is None else f'{seconds:.3f}'} | {'' if rss is None else rss} "
                   f"| {note} |")
    return [*out, ""]


def best_of(repeat: int, op: str, store: Path, *args: str) -> dict:
    """The fastest of ``repeat`` runs (the least disturbed by other work on the machine), with the largest RSS."""
    runs = [step(op, store, *args) for _ in range(max(1, repeat))]
    fastest = min(runs, key=lambda r: r["seconds"])
    return {**fastest, "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def step(op: str, store: Path, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.step", op, str(store), *args], capture_output=True,
                          text=True, cwd=Path(__file__).resolve().parent.parent)
    if done.returncode:
        raise SystemExit(f"bench step {op} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _has_validator() -> bool:
    try:
        from kg.validate import validate_document  # noqa: F401
    except ImportError:
        return False
    return True


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
