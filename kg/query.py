"""Running a SPARQL query from the command line and printing its answer."""

from __future__ import annotations

import json
from typing import BinaryIO

import pyoxigraph as ox

from kg.namespaces import PREFIXES, sparql_prefixes
from kg.store import GraphStore


class QueryError(Exception):
    """The query is malformed or the store refused it."""


def run_query(store: GraphStore, text: str, fmt: str, out: BinaryIO) -> None:
    """Run ``text`` (the project's prefixes are predeclared) and write the answer as ``fmt``."""
    try:
        result = store.query(sparql_prefixes() + text)
    except SyntaxError as exc:
        raise QueryError(f"malformed query: {exc}") from exc
    except OSError as exc:
        raise QueryError(str(exc)) from exc
    if isinstance(result, ox.QueryTriples):
        if fmt not in ("turtle", "table"):
            raise QueryError(f"a CONSTRUCT or DESCRIBE answer is a graph: use --format turtle, not {fmt}")
        ox.serialize(result, out, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        return
    if isinstance(result, ox.QueryBoolean):
        out.write((json.dumps({"boolean": bool(result)}) if fmt == "json" else str(bool(result)).lower()).encode())
        out.write(b"\n")
        return
    if fmt == "turtle":
        raise QueryError("a SELECT answer is a table: use --format table, csv, tsv or json")
    if fmt == "table":
        out.write(table(result).encode())
        return
    native = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}
    result.serialize(out, native[fmt])


def table(result: ox.QuerySolutions) -> str:
    """A plain-text table for people at a terminal."""
    names = [v.value for v in result.variables]
    rows = [[_cell(row[n]) for n in names] for row in result]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines) + "\n"


def _cell(term: ox.Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)
