"""Benchmarks of the store, dumps and queries on synthetic data: `python -m bench` (see BENCHMARKS.md)."""
