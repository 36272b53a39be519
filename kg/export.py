"""Dumps of the graph in the standard RDF formats: sorted, duplicate-free, streamed.

The same store always gives byte-identical dumps, whichever store (embedded or remote) holds it:
every graph is read as N-Triples (pyoxigraph's canonical form) into a scratch file, and the lines are
put in byte order with an external merge sort, so memory stays flat however large the store grows
(at most ``CHUNK_BYTES`` of lines are sorted in memory at a time).

- ``ntriples``, ``turtle``: the union of the graphs, each triple once, grouped by subject.
- ``nquads``, ``trig``, ``jsonld``: the named graphs kept, graph by graph in IRI order (the default graph
  first), so that every fact still says which document stated it. JSON-LD 1.1 writes a named graph as a
  node object holding its own ``@graph``.

Turtle and TriG use the project prefixes; JSON-LD uses the published context
(``ontology/context.jsonld``, the same prefixes), written inline so the dump reads offline.
"""

from __future__ import annotations

import bisect
import gzip as gzip_module
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.config import ROOT
from kg.namespaces import PREFIXES, RDF, XSD
from kg.store import GraphStore
from kg.store.base import DEFAULT_GRAPH

#: name -> (format, file extension)
FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "turtle": (ox.RdfFormat.TURTLE, "ttl"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "nt"),
    "nquads": (ox.RdfFormat.N_QUADS, "nq"),
    "trig": (ox.RdfFormat.TRIG, "trig"),
    "jsonld": (ox.RdfFormat.JSON_LD, "jsonld"),
}
#: The JSON-LD context the dumps use; the web app serves this file.
CONTEXT_FILE = ROOT / "ontology" / "context.jsonld"
#: Largest slice of N-Triples sorted in memory at once (peak memory is a few times this).
CHUNK_BYTES = 16 << 20
#: What the merge reads from each sorted run at a time.
MERGE_BLOCK_BYTES = 1 << 20


def export(store: GraphStore, fmt: str, output: Path | None = None, *, gzip: bool = False) -> None:
    """Write the store as ``fmt`` to a file (or standard output)."""
    _check_format(fmt)
    if output is None:
        write(store, fmt, sys.stdout.buffer, gzip=gzip)
        sys.stdout.buffer.flush()
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    with _replacing(output) as out:
        write(store, fmt, out, gzip=gzip)


def write(store: GraphStore, fmt: str, out: BinaryIO, *, gzip: bool = False) -> None:
    """Write the store as ``fmt`` to a binary stream."""
    _check_format(fmt)
    with Snapshot(store) as snapshot:
        snapshot.write(fmt, out, gzip=gzip)


@dataclass(frozen=True)
class Counts:
    """What the sorted union tells for free: distinct triples and distinct subjects."""

    triples: int
    distinct_subjects: int


class Snapshot:
    """The store's graphs read once into scratch files, sorted on demand, for writing any format."""

    def __init__(self, store: GraphStore) -> None:
        """Read every graph (each one whole; a store opened read-only is a fixed view of all of them)."""
        self._dir = tempfile.TemporaryDirectory(prefix="kg-export-")
        self.workdir = Path(self._dir.name)
        self._ranges: list[tuple[str, int, int]] = []  # graph, start, end in the spool
        self._spool = (self.workdir / "spool.nt").open("w+b")
        with_blank_nodes: list[tuple[str, bytes]] = []
        try:
            for graph in [DEFAULT_GRAPH, *store.graphs()]:
                start = self._spool.tell()
                store.dump(self._spool, ox.RdfFormat.N_TRIPLES, graph)
                self._spool.flush()
                end = self._spool.seek(0, os.SEEK_END)
                if end > start and _has_blank_nodes(self._spool, start, end):
                    self._spool.seek(start)
                    with_blank_nodes.append((graph, self._spool.read(end - start)))
                    self._spool.seek(start)
                    self._spool.truncate()
                elif end > start:
                    self._ranges.append((graph, start, end))
            for graph, data in _canonical_blank_nodes(with_blank_nodes):
                start = self._spool.tell()
                self._spool.write(data)
                self._ranges.append((graph, start, self._spool.tell()))
            self._spool.flush()
        except BaseException:
            self.__exit__()
            raise
        self._union: Path | None = None
        self._dataset: Path | None = None
        self._dataset_ranges: list[tuple[str, int, int]] = []  # graph, start, end in the dataset file
        self._counts: Counts | None = None

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self._spool.close()
        self._dir.cleanup()

    def union(self) -> Path:
        """Sorted N-Triples of the union of the graphs, each triple once, kept for the next format."""
        if self._union is None:
            path = self.workdir / "union.nt"
            with path.open("wb") as out:
                for block in self._union_blocks():
                    out.write(b"".join(block))
            self._union = path
        return self._union

    def dataset(self) -> Path:
        """Sorted N-Quads, graph by graph in IRI order (the default graph first), kept for the next format."""
        if self._dataset is None:
            path = self.workdir / "dataset.nq"
            with path.open("wb") as out:
                for graph, data in self._dataset_blocks():
                    start = out.tell()
                    out.write(data)
                    if self._dataset_ranges and self._dataset_ranges[-1][0] == graph:
                        start = self._dataset_ranges.pop()[1]
                    self._dataset_ranges.append((graph, start, out.tell()))
            self._dataset = path
        return self._dataset

    def graph_quads(self) -> Iterator[tuple[str, Iterator[bytes]]]:
        """Each graph of the sorted dataset (default graph first) with its N-Quads lines, read one after the other."""
        path = self.dataset()
        with path.open("rb") as quads:
            for graph, start, end in self._dataset_ranges:
                quads.seek(start)
                yield graph, _lines_up_to(quads, end)

    def _union_blocks(self) -> Iterator[list[bytes]]:
        end = max((r[2] for r in self._ranges), default=0)  # the ranges tile the spool from 0
        return _sorted_blocks(self._spool, 0, end, self.workdir)

    def _dataset_blocks(self) -> Iterator[tuple[str, bytes]]:
        for graph, start, end in sorted(self._ranges):
            blocks = _sorted_blocks(self._spool, start, end, self.workdir)
            if graph == DEFAULT_GRAPH:
                yield from ((graph, b"".join(block)) for block in blocks)
                continue
            # pyoxigraph ends every N-Triples line with " .\n", and nowhere else has a raw newline
            suffix = _quad_suffix(graph)
            for block in blocks:
                yield graph, b"".join(block).replace(b" .\n", suffix)

    def counts(self) -> Counts:
        """Distinct triples and distinct subjects, read off the sorted union (subjects come grouped)."""
        if self._counts is None:
            triples = subjects = 0
            last = None
            with self.union().open("rb") as lines:
                for line in lines:
                    triples += 1
                    subject = line[: line.index(b" ")]
                    if subject != last:
                        subjects, last = subjects + 1, subject
            self._counts = Counts(triples, subjects)
        return self._counts

    def write(self, fmt: str, out: BinaryIO, *, gzip: bool = False) -> None:
        if gzip:
            # no file name and no time in the header: the same store gives the same bytes
            with gzip_module.GzipFile(filename="", fileobj=out, mode="wb", mtime=0, compresslevel=6) as zipped:
                self._write(fmt, zipped)
        else:
            self._write(fmt, out)

    def _write(self, fmt: str, out: BinaryIO) -> None:
        # a sorted file already made for another format is reused; otherwise lines stream straight out
        if fmt == "ntriples":
            if self._union is not None:
                _copy(self._union, out)
            else:
                for block in self._union_blocks():
                    out.write(b"".join(block))
        elif fmt == "nquads":
            if self._dataset is not None:
                _copy(self._dataset, out)
            else:
                for _, data in self._dataset_blocks():
                    out.write(data)
        elif fmt == "turtle":
            ox.serialize(ox.parse(path=self.union(), format=ox.RdfFormat.N_TRIPLES), out, ox.RdfFormat.TURTLE,
                         prefixes=PREFIXES)
        elif fmt == "trig":
            ox.serialize(ox.parse(path=self.dataset(), format=ox.RdfFormat.N_QUADS), out, ox.RdfFormat.TRIG,
                         prefixes=PREFIXES)
        elif fmt == "jsonld":
            write_jsonld(self.graph_quads(), out)
        else:
            _check_format(fmt)


def _quad_suffix(graph: str) -> bytes:
    """How an N-Quads line of ``graph`` ends."""
    return b" .\n" if graph == DEFAULT_GRAPH else f" {ox.NamedNode(graph)} .\n".encode()


def _lines_up_to(lines: BinaryIO, end: int) -> Iterator[bytes]:
    """The lines from where ``lines`` stands up to the offset ``end`` (a line boundary)."""
    while lines.tell() < end:
        data = lines.read(min(MERGE_BLOCK_BYTES, end - lines.tell()))
        if not data.endswith(b"\n"):
            data += lines.readline()
        yield from data.splitlines(keepends=True)


def _has_blank_nodes(spool: BinaryIO, start: int, end: int) -> bool:
    """Whether ``spool[start:end]`` may hold a blank node (a "_:" inside a literal or IRI is a harmless yes)."""
    spool.seek(start)
    tail = b""
    while spool.tell() < end:
        data = tail + spool.read(min(CHUNK_BYTES, end - spool.tell()))
        if b"_:" in data:
            return True
        tail = data[-1:]
    return False


def _canonical_blank_nodes(graphs: list[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
    """The graphs with their blank nodes relabelled by RDFC-1.0, jointly (a blank node may span graphs).

    A store names blank nodes at random when it loads them, so without this the same data would dump
    differently from two stores or two builds. labour-kg has blank nodes only in the ontology graph (OWL
    axioms); graphs that hold any are read into memory for this.
    """
    if not graphs:
        return
    dataset = ox.Dataset()
    for graph, data in graphs:
        name = ox.DefaultGraph() if graph == DEFAULT_GRAPH else ox.NamedNode(graph)
        for q in ox.parse(data, ox.RdfFormat.N_TRIPLES):
            dataset.add(ox.Quad(q.subject, q.predicate, q.object, name))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    for graph, _ in graphs:
        name = ox.DefaultGraph() if graph == DEFAULT_GRAPH else ox.NamedNode(graph)
        triples = [q.triple for q in dataset.quads_for_graph_name(name)]
        yield graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _copy(path: Path, out: BinaryIO) -> None:
    with path.open("rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)


class _replacing:
    """A file written under a temporary name and renamed into place only when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")

    def __enter__(self) -> BinaryIO:
        self.file = self.tmp.open("wb")
        return self.file

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.file.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


# --- external merge sort of N-Triples lines ------------------------------------------------------------
# Lines go in blocks (lists) rather than one by one, so that sorting, merging and writing run in C.


def _sorted_blocks(spool: BinaryIO, start: int, end: int, workdir: Path) -> Iterator[list[bytes]]:
    """The lines of ``spool[start:end]`` in byte order without duplicates, in blocks, each after the last."""
    runs: list[Path] = []
    lines: list[bytes] | None = None
    spool.seek(start)
    while spool.tell() < end:
        if lines is not None:  # a second slice: the sorted first one goes to disk before reading on
            runs.append(_write_run(lines, workdir))
            lines = None
        data = spool.read(min(CHUNK_BYTES, end - spool.tell()))
        if not data.endswith(b"\n"):
            data += spool.readline()
        lines = sorted(data.splitlines(keepends=True))
        del data
        lines = _unique(lines)
    if not runs:
        if lines:
            yield lines
        return
    runs.append(_write_run(lines, workdir))
    del lines
    yield from _merge(runs)


def _unique(lines: list[bytes]) -> list[bytes]:
    """A sorted list without its repeats (C-speed: groupby compares neighbours)."""
    return list(map(itemgetter(0), groupby(lines)))


def _write_run(lines: list[bytes], workdir: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=workdir, suffix=".run")
    with os.fdopen(fd, "wb") as run:
        run.writelines(lines)
    return Path(name)


def _merge(runs: list[Path]) -> Iterator[list[bytes]]:
    """Merge sorted runs a block at a time: every line up to the smallest last line read is safe to emit."""
    files = [run.open("rb") for run in runs]
    buffers: list[list[bytes]] = [[] for _ in files]
    live = [True] * len(files)
    last = None
    try:
        while True:
            for i, f in enumerate(files):
                if live[i] and not buffers[i]:
                    buffers[i] = f.readlines(MERGE_BLOCK_BYTES)
                    live[i] = bool(buffers[i])
            pending = [buf for buf in buffers if buf]
            if not pending:
                return
            bound = min(buf[-1] for buf in pending)
            block: list[bytes] = []
            for i, buf in enumerate(buffers):
                cut = bisect.bisect_right(buf, bound)
                block += buf[:cut]
                buffers[i] = buf[cut:]
            block = _unique(sorted(block))
            if block[0] == last:
                del block[0]
            if block:
                last = block[-1]
                yield block
    finally:
        for f in files:
            f.close()
        for run in runs:
            run.unlink(missing_ok=True)


# --- JSON-LD -------------------------------------------------------------------------------------------
# Written straight from sorted N-Triples lines, without parsing them into terms: pyoxigraph writes
# canonical N-Triples, whose string escapes are all valid in JSON and whose IRIs need no escaping.


@cache
def context() -> dict[str, str]:
    """The published JSON-LD context (prefix -> namespace)."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def write_jsonld(graphs: Iterable[tuple[str, Iterable[bytes]]], out: BinaryIO) -> None:
    """A JSON-LD 1.1 document with the published context: the default graph's node objects at the top, then
    each named graph as a node object (the graph's IRI) holding its own ``@graph``, one node object per subject.

    ``graphs`` are (graph, lines) in order, the lines the graph's canonical N-Quads as pyoxigraph writes them
    (N-Triples for the default graph), sorted (so grouped by subject, then predicate); the document follows
    their order, so the same input gives the same bytes. Blank node labels are the document's, so a blank node
    shared by two graphs stays one node.
    """
    compact = _compactor(context())
    out.write(b'{"@context": ' + json.dumps(context(), indent=1).encode() + b',\n "@graph": [')
    first, between = b"\n  ", b",\n  "
    written = False
    for graph, lines in graphs:
        cut = len(_quad_suffix(graph))
        if graph == DEFAULT_GRAPH:
            written = _write_nodes(lines, cut, out, compact, between if written else first, between) or written
            continue
        out.write((between if written else first) + b'{"@id": "' + compact(graph.encode()) + b'", "@graph": [')
        _write_nodes(lines, cut, out, compact, b"\n   ", b",\n   ")
        out.write(b"\n  ]}")
        written = True
    out.write(b"\n ]\n}\n")


def _write_nodes(lines: Iterable[bytes], cut: int, out: BinaryIO, compact: Callable[[bytes], bytes], first: bytes,
                 between: bytes) -> bool:
    """One node object per subject of the sorted ``lines`` (the last ``cut`` bytes of each are its graph name, if
    any, and the closing " ."); whether any was written."""
    separator = first
    subject = predicate = None
    node: list[bytes] = []
    types: list[bytes] = []
    values: list[bytes] = []

    def close_predicate() -> None:
        if values:
            node.append(b', "' + compact(predicate[1:-1]) + b'": [' + b", ".join(values) + b"]")
            values.clear()

    def close_node() -> None:
        nonlocal separator
        close_predicate()
        if types:
            node.insert(1, b', "@type": [' + b", ".join(types) + b"]")
            types.clear()
        out.write(separator + b"".join(node) + b"}")
        separator = between
        node.clear()

    for line in lines:
        s, p, o = line[:-cut].split(b" ", 2)  # "<s> <p> object <g> .\n": IRIs and blank node labels hold no spaces
        if s != subject:
            if subject is not None:
                close_node()
            subject, predicate = s, None
            node.append(b'{"@id": "' + _node_id(s, compact) + b'"')
        if p != predicate:
            close_predicate()
            predicate = p
        if p == RDF_TYPE and o[:1] != b'"':
            types.append(b'"' + _node_id(o, compact) + b'"')
        else:
            values.append(_value(o, compact))
    if subject is None:
        return False
    close_node()
    return True


RDF_TYPE = f"<{RDF}type>".encode()
XSD_STRING = f"<{XSD}string>".encode()


def _compactor(prefixes: dict[str, str]) -> Callable[[bytes], bytes]:
    namespaces = {namespace.encode(): prefix.encode() for prefix, namespace in prefixes.items()}
    # one regex match finds the longest namespace an IRI starts with
    pattern = re.compile(b"|".join(re.escape(n) for n in sorted(namespaces, key=len, reverse=True)))

    @lru_cache(maxsize=1 << 14)  # bounded: vocabulary IRIs recur, instance IRIs mostly do not
    def compact(iri: bytes) -> bytes:
        match = pattern.match(iri)
        # a compact IRI whose rest starts with "//" would read as an absolute IRI
        if match is None or iri.startswith(b"//", match.end()):
            return iri
        return namespaces[match.group()] + b":" + iri[match.end():]

    return compact


def _node_id(term: bytes, compact: Callable[[bytes], bytes]) -> bytes:
    if term[:1] == b"<" and term[:2] != b"<<":
        return compact(term[1:-1])
    if term[:2] == b"_:":
        return term
    raise ValueError(f"JSON-LD 1.1 has no form for {term.decode()}")


def _value(term: bytes, compact: Callable[[bytes], bytes]) -> bytes:
    if term[:1] != b'"':
        return b'{"@id": "' + _node_id(term, compact) + b'"}'
    end = term.rindex(b'"')
    value, tail = term[: end + 1], term[end + 1:]
    if tail[:1] == b"@":
        return b'{"@value": ' + value + b', "@language": "' + tail[1:] + b'"}'
    if tail and tail[2:] != XSD_STRING:
        return b'{"@value": ' + value + b', "@type": "' + compact(tail[3:-1]) + b'"}'
    return b'{"@value": ' + value + b"}"
