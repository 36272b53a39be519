"""Word tables of the rule steps, kept as JSON data beside the step that reads them and loaded once."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path


@cache
def table(step_file: str, name: str) -> dict:
    """The JSON object ``name`` in the folder of ``step_file`` (a step module's ``__file__``)."""
    path = Path(step_file).with_name(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"cannot read the word table {path}: {exc}") from exc


def words(step_file: str, name: str, key: str) -> frozenset[str]:
    """One list of a table as a set of words."""
    return frozenset(table(step_file, name)[key])
