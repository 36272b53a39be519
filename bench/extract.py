"""Extraction speed: documents/s and triples/s of extract + document_quads + validate, per worker count.

    python -m bench.extract                       # the bundled corpus (seeds + dev articles), 1 and 2 workers
    python -m bench.extract --workers 1,2,4 --rounds 5 --corpus DIR [DIR ...]

The documents are processed ``--rounds`` times (the same work kg build does per document, through
kg.build.process_document) in a ProcessPoolExecutor whose workers are warmed up first (gazetteer,
pymorphy3, natasha and the shapes loaded), so the figures are steady-state throughput. The issue's
yardstick is documents of about 2,000 characters: the report also gives that rate (characters/s / 2,000).
The header states a fresh worker's start-up: the time to load those resources before its first document.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from kg.build import process_document
from kg.corpus import Record, read_corpus
from kg.docgraph import document_quads
from kg.namespaces import INSTANCE_BASE
from kg.pipeline import extract

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = (ROOT / "corpus",)
YARDSTICK_CHARS = 2_000


def _full(record: Record) -> int:
    doc_id, doc, message = process_document(record, INSTANCE_BASE)
    if doc is None:
        raise RuntimeError(f"{doc_id}: {message}")
    return doc.triples


def _extract_only(record: Record) -> int:
    return len(document_quads(record, extract(record)))


#: what is timed: the whole per-document work of kg build, or extraction and quads without SHACL validation
STAGES = {"extract + quads + validate": _full, "extract + quads": _extract_only}


def _warm(records: list[Record]) -> int:
    return sum(_full(r) for r in records)


def measure(records: list[Record], workers: int, rounds: int, stage: str) -> dict:
    """Throughput of ``workers`` processes over ``rounds`` passes of the records (after a warm-up pass)."""
    work = records * rounds
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_warm, [records] * workers))  # every worker loads its resources before timing
        t = time.perf_counter()
        triples = sum(pool.map(STAGES[stage], work, chunksize=1))
        seconds = time.perf_counter() - t
    chars = sum(len(r.text) for r in work)
    return {
        "workers": workers,
        "docs": len(work),
        "seconds": seconds,
        "docs_per_s": len(work) / seconds,
        "triples_per_s": triples / seconds,
        "yardstick_docs_per_s": chars / YARDSTICK_CHARS / seconds,
    }


def startup() -> tuple[float, float]:
    """Seconds a fresh worker spends loading the extraction resources: (gazetteer, first Russian document).

    The first Russian document loads pymorphy3 and natasha's models; the gazetteer is built from
    ontology/reference. Measured in a new process, as kg build's workers start."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        return pool.submit(_load_resources).result()


def _load_resources() -> tuple[float, float]:
    from kg.pipeline.gazetteer import gazetteer

    t = time.perf_counter()
    gazetteer()
    loaded = time.perf_counter()
    extract(Record(id="startup", text="Председатель Федерации профсоюзов Иван Петров выступил.", lang="ru"))
    return loaded - t, time.perf_counter() - loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extract", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", nargs="+", type=Path, default=list(DEFAULT_CORPUS), help="corpus files or folders")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the documents (default 3)")
    args = parser.parse_args(argv)
    corpus = read_corpus(args.corpus)
    if corpus.errors:
        raise SystemExit("unreadable documents: " + "; ".join(str(e) for e in corpus.errors))
    if not corpus.records:
        raise SystemExit(f"no documents in {', '.join(map(str, args.corpus))}")
    header = [
        f"Command: `python -m bench.extract --workers {args.workers} --rounds {args.rounds}`  ",
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}  ",
    ]
    gaz_s, first_s = startup()
    header.append(
        f"Worker start-up: {gaz_s + first_s:.2f} s (gazetteer {gaz_s:.2f} s, "
        f"first Russian document with pymorphy3 and natasha {first_s:.2f} s)  "
    )
    print("\n".join(header + report(corpus.records, [int(w) for w in args.workers.split(",")], args.rounds)))
    return 0


def report(records: list[Record], workers: list[int], rounds: int) -> list[str]:
    """The Markdown table of every stage and worker count."""
    mean_chars = sum(len(r.text) for r in records) / len(records)
    lines = [
        f"Documents: {len(records)} (mean {mean_chars:,.0f} characters) x {rounds} rounds",
        "",
        "| work per document | workers | documents | seconds | documents/s | triples/s | 2,000-character docs/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for stage in STAGES:
        for w in workers:
            r = measure(records, w, rounds, stage)
            print(f"measured {stage}, {w} worker(s)", file=sys.stderr)
            lines.append(
                f"| {stage} | {w} | {r['docs']} | {r['seconds']:.2f} | {r['docs_per_s']:.1f} "
                f"| {r['triples_per_s']:,.0f} | {r['yardstick_docs_per_s']:.1f} |"
            )
    return lines


if __name__ == "__main__":
    sys.exit(main())
