"""The benchmark's synthetic graph is deterministic and sized as asked, and `python -m bench` runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import synth
from kg.config import ROOT
from kg.namespaces import DOCUMENT_GRAPH_PREFIX, INFERRED_GRAPH, REFERENCE_GRAPH


def test_same_seed_same_quads_other_seed_other_quads() -> None:
    assert list(synth.quads(3000, seed=1)) == list(synth.quads(3000, seed=1))
    assert list(synth.quads(3000, seed=1)) != list(synth.quads(3000, seed=2))


def test_size_is_met_with_document_reference_and_inferred_graphs() -> None:
    graphs = dict(synth.graphs(10_000))
    total = sum(len(q) for q in graphs.values())
    assert 10_000 <= total <= 10_500
    assert REFERENCE_GRAPH in graphs and INFERRED_GRAPH in graphs
    assert sum(g.startswith(DOCUMENT_GRAPH_PREFIX) for g in graphs) > 50


@pytest.mark.parametrize(("text", "n"), [("10k", 10_000), ("1M", 1_000_000), ("2500", 2500), ("1.5k", 1500)])
def test_sizes_read_like_people_write_them(text: str, n: int) -> None:
    assert synth.parse_size(text) == n


@pytest.mark.slow
def test_bench_runs_and_reports_every_step(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bench", "--sizes", "2k", "--repeat", "1", "--results", str(tmp_path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for step in ("load", "bulk_load", "kg export turtle", "kg export jsonld", "kg stats", "query: graphs"):
        assert step in done.stdout
    assert [p.read_text() for p in tmp_path.iterdir()] == [done.stdout]
