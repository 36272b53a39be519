"""Extraction quality on two fixed halves of the development documents, scored by the shared scorer.

    python -m bench.halves                    # ../shared: seeds + dev, halves 0 and 1
    python -m bench.halves --shared DIR -v    # also the scorer's per-document counts

The documents (``corpus/seeds/*.json`` and ``corpus/dev/*.json`` of the shared folder, sorted by path)
are split by position, even into half 0 and odd into half 1, the same rule the before-stop hook uses.
Rules are written looking at one half only; the other half stands for articles nobody has read, so the
gap between the two is what unseen text will show. Each half is built into its own temporary store
with ``kg build`` (the SHACL gate included), exported as N-Quads and scored with
``tools/eval_extraction.py`` against the matching gold files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).with_name("kg")


def halves(shared: Path) -> list[list[Path]]:
    """The two halves of the shared documents, by even and odd position in sorted path order."""
    docs = sorted([*shared.glob("corpus/seeds/*.json"), *shared.glob("corpus/dev/*.json")], key=str)
    return [docs[0::2], docs[1::2]]


def score(docs: list[Path], shared: Path, work: Path, verbose: bool) -> str:
    """The scorer's report for a store built from ``docs`` alone."""
    corpus, gold = work / "corpus", work / "gold"
    corpus.mkdir(parents=True)
    gold.mkdir()
    for doc in docs:
        shutil.copy(doc, corpus)
        gold_file = shared / "gold" / doc.relative_to(shared / "corpus")
        if gold_file.exists():
            shutil.copy(gold_file, gold)
    env = {"KG_STORE": str(work / "store"), "KG_DUMPS": str(work / "dumps"), "KG_WORKERS": "1"}
    run = dict(check=True, capture_output=True, text=True, cwd=ROOT, env={**os.environ, **env})
    subprocess.run([str(KG), "build", "--corpus", str(corpus)], **run)
    graph = work / "graph.nq"
    subprocess.run([str(KG), "export", "--format", "nquads", "-o", str(graph)], **run)
    ontology = sorted(ROOT.glob("ontology/*.ttl")) + sorted(ROOT.glob("ontology/reference/*.ttl"))
    scorer = [sys.executable, str(shared / "tools" / "eval_extraction.py"), "--gold", str(gold), str(graph),
              *map(str, ontology)]
    return subprocess.run(scorer + (["-v"] if verbose else []), **run).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.halves", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (../shared)")
    parser.add_argument("-v", "--verbose", action="store_true", help="the scorer's per-document counts too")
    args = parser.parse_args(argv)
    shared = args.shared.resolve()
    if not (shared / "tools" / "eval_extraction.py").exists():
        parser.error(f"{shared} holds no tools/eval_extraction.py")
    parts = halves(shared)
    with tempfile.TemporaryDirectory(prefix="kg-halves-") as tmp, ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda i: score(parts[i], shared, Path(tmp) / f"h{i}", args.verbose), (0, 1)))
    for i, report in enumerate(reports):
        print(f"## half {i} ({len(parts[i])} documents: {', '.join(p.stem for p in parts[i][:3])}, ...)\n")
        print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
