"""Score an extracted graph against gold annotations (``kg eval GOLD_DIR``).

The figures are those of the project's shared scorer: per category (organisations, persons,
places, events, memoranda, conventions) precision, recall and F1 from a greedy one-to-one matching
of names, accuracy of event and memorandum attributes, and overall F1 = the mean of the category F1s.
The graph is read through the public contract only (schema:mentions, classes and their subclasses,
names), so any graph that follows the contract can be scored. Gold files follow shared GUIDE.md.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rapidfuzz import fuzz

from kg.namespaces import sparql_prefixes

NAME_PROPS = "rdfs:label|skos:prefLabel|skos:altLabel|schema:name|schema:alternateName|foaf:name"
CLASSES = {
    "organizations": "org:Organization",
    "persons": "schema:Person foaf:Person",
    "places": "schema:Place",
    "events": "schema:Event",
    "memoranda": "lkg:Memorandum",
    "conventions": "lkg:Convention",
}
ATTRIBUTES = ("start", "end", "location", "organizers", "participants", "parties")
_FORMATS = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


def norm(s: str) -> str:
    """Names compared without case, quotes, punctuation, dashes and a leading article."""
    s = unicodedata.normalize("NFKC", s).casefold().replace("ё", "е")
    s = re.sub(r"[\"'«»“”‘’`()\[\]{}.,:;!?]", " ", s)
    s = re.sub(r"[-–—/]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"^(the|a|an) ", "", s)


def similarity(gold_names: list[str], names: list[str]) -> float:
    best = 0.0
    for g in map(norm, gold_names):
        if not g:
            continue
        for n in map(norm, names):
            if not n:
                continue
            if g == n:
                return 100.0
            best = max(best, fuzz.token_sort_ratio(g, n))
    return best


@dataclass
class DocScore:
    doc: str
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    missed: dict[str, list[str]] = field(default_factory=dict)  # gold names not found
    spurious: dict[str, list[str]] = field(default_factory=dict)  # found names not in gold


class _Graph:
    """Read access through SPARQL to a pyoxigraph store or a project store (kg.store.GraphStore)."""

    def __init__(self, store: object):
        self.store = store
        self.prefixes = sparql_prefixes() + "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"

    def rows(self, query: str) -> list[tuple]:
        if isinstance(self.store, ox.Store):
            res = self.store.query(self.prefixes + query, use_default_graph_as_union=True)
            return [tuple(None if v is None else v.value for v in row) for row in res]
        return [tuple(t.value for t in row.values()) for row in self.store.select(self.prefixes + query)]

    def doc_node(self, doc_id: str) -> str | None:
        rows = self.rows(f"SELECT ?d WHERE {{ ?d schema:identifier ?i . FILTER(STR(?i) = {json.dumps(doc_id)}) }}")
        return rows[0][0] if rows else None

    def names(self, node: str) -> list[str]:
        return [r[0] for r in self.rows(f"SELECT ?n WHERE {{ <{node}> {NAME_PROPS} ?n }}")]

    def mentioned(self, doc: str, cls: str) -> list[str]:
        q = f"""SELECT DISTINCT ?e WHERE {{ <{doc}> schema:mentions ?e .
                 ?e rdf:type/rdfs:subClassOf* ?c . VALUES ?c {{ {cls} }} }}"""
        return sorted(r[0] for r in self.rows(q))

    def values(self, node: str, prop: str) -> list[str]:
        return [r[0] for r in self.rows(f"SELECT ?v WHERE {{ <{node}> {prop} ?v }}")]

    def linked_names(self, node: str, prop: str) -> list[list[str]]:
        out = []
        for target in self.values(node, prop):
            if not target.startswith(("http", "urn:")):
                out.append([target])
                continue
            names = self.names(target)
            if names:
                names += [
                    r[0]
                    for r in self.rows(
                        f"""SELECT ?n WHERE {{ <{target}> (schema:location|schema:address|schema:addressCountry|
                        org:hasSite|schema:containedInPlace|schema:areaServed|lkg:country)/({NAME_PROPS}) ?n }}"""
                    )
                ]
            out.append(names)
        return out


def load_store(files: list[Path]) -> ox.Store:
    """An in-memory store of RDF files (schema.org's https form read as http, as the contract uses)."""
    store = ox.Store()
    for f in files:
        fmt = _FORMATS.get(f.suffix.lower())
        if fmt is None:
            raise ValueError(f"unsupported RDF file type: {f} (use one of {', '.join(_FORMATS)})")
        if not f.is_file():
            raise FileNotFoundError(f"no such file: {f}")
        store.bulk_load(f.read_bytes().replace(b"https://schema.org/", b"http://schema.org/"), format=fmt)
    return store


def _match(gold: list[dict], found: dict[str, list[str]], threshold: float):
    scored = []
    for gi, g in enumerate(gold):
        gnames = [g["name"], *g.get("aliases", [])]
        for node, names in found.items():
            s = similarity(gnames, names)
            if s >= threshold:
                scored.append((s, gi, node))
    scored.sort(reverse=True)
    used_g, used_n, pairs = set(), set(), []
    for _s, gi, node in scored:
        if gi in used_g or node in used_n:
            continue
        used_g.add(gi)
        used_n.add(node)
        pairs.append((gold[gi], node))
    tp = sum(1 for g, _ in pairs if not g.get("optional"))
    missed = [g["name"] for gi, g in enumerate(gold) if gi not in used_g and not g.get("optional")]
    extra = [n for n in found if n not in used_n]
    return tp, len(extra), len(missed), pairs, missed, extra


def _date_ok(gold: str | None, got: list[str]) -> bool | None:
    if not gold:
        return None
    return any(str(v).startswith(gold) or gold.startswith(str(v)) and len(str(v)) >= 4 for v in got)


def _name_hit(gold_name: str, names: list[str]) -> bool:
    m = re.match(r"^trade unions of (.+)$", gold_name)
    if m:
        country = norm(m.group(1))
        return any(re.search(rf"\b{re.escape(country)}", norm(n)) for n in names)
    return similarity([gold_name], names) >= 85


def _names_ok(gold_names: list[str], got: list[list[str]]) -> float | None:
    gold_names = [g for g in gold_names if g]
    if not gold_names:
        return None
    return sum(1 for g in gold_names if any(_name_hit(g, names) for names in got)) / len(gold_names)


def evaluate_store(store: object, gold_dir: Path | str, verbose: bool = False) -> str:
    """The printable report for a project store (what ``kg eval GOLD_DIR`` prints)."""
    return format_report(evaluate(store, gold_dir), verbose=verbose)


def evaluate(files: list[Path | str] | object, gold_dir: Path | str) -> dict:
    """Score the graph in RDF files, a pyoxigraph store or a project store against every gold file in gold_dir.

    Returns {"categories": {cat: {p, r, f1, tp, fp, fn}}, "attributes": {name: accuracy},
    "attribute_counts": {...}, "overall_f1": float, "missing_docs": [...], "docs": [DocScore]}.
    """
    gold_dir = Path(gold_dir)
    gold_files = sorted(gold_dir.glob("*.json"))
    if not gold_files:
        raise FileNotFoundError(f"no gold .json files in {gold_dir}")
    store = load_store([Path(f) for f in files]) if isinstance(files, list | tuple) else files
    g = _Graph(store)
    totals = {k: [0, 0, 0] for k in CLASSES}
    attrs: dict[str, list[float]] = {k: [] for k in ATTRIBUTES}
    missing_docs, docs = [], []
    for gold_file in gold_files:
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        doc = g.doc_node(gold["doc"])
        if doc is None:
            missing_docs.append(gold["doc"])
        score = DocScore(gold["doc"])
        for cat, cls in CLASSES.items():
            nodes = g.mentioned(doc, cls) if doc else []
            missed: list[str] = []
            extra: list[str] = []
            if cat == "conventions":
                nums = {n: [str(int(float(v)))] for n in nodes for v in g.values(n, "lkg:conventionNumber")}
                items = [{"name": str(c["number"]), "optional": c.get("optional", False)} for c in gold.get(cat, [])]
                tp, fp, fn, _, missed, extra = _match(items, nums, 100)
                extra = [nums[n][0] if n in nums else n for n in extra]
            elif cat == "memoranda":
                found = {n: g.linked_names(n, "lkg:party") for n in nodes}
                tp = fn = 0
                used: set[str] = set()
                for m in gold.get(cat, []):
                    best, best_node = 0.0, None
                    for n, parties in found.items():
                        if n in used:
                            continue
                        s = _names_ok(list(m["parties"]), parties) or 0
                        if s > best:
                            best, best_node = s, n
                    if best_node and best >= 0.99:
                        used.add(best_node)
                        tp += 0 if m.get("optional") else 1
                        attrs["parties"].append(best)
                    elif not m.get("optional"):
                        fn += 1
                        missed.append(" + ".join(m["parties"]))
                extra = [" + ".join(p[0] if p else "?" for p in found[n]) for n in found if n not in used]
                fp = len(extra)
            else:
                found = {n: g.names(n) for n in nodes}
                tp, fp, fn, pairs, missed, extra_nodes = _match(gold.get(cat, []), found, 70 if cat == "events" else 88)
                extra = [(found[n] or [n])[0] for n in extra_nodes]
                if cat == "events":
                    _event_attributes(g, pairs, attrs)
            t = totals[cat]
            t[0], t[1], t[2] = t[0] + tp, t[1] + fp, t[2] + fn
            score.counts[cat] = (tp, fp, fn)
            score.missed[cat] = missed
            score.spurious[cat] = extra
        docs.append(score)
    categories, f1s = {}, []
    for cat, (tp, fp, fn) in totals.items():
        p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
        r = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if tp + fp + fn:
            f1s.append(f1)
        categories[cat] = {"p": p, "r": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}
    return {
        "categories": categories,
        "attributes": {k: sum(v) / len(v) for k, v in attrs.items() if v},
        "attribute_counts": {k: len(v) for k, v in attrs.items() if v},
        "overall_f1": sum(f1s) / len(f1s) if f1s else 0.0,
        "missing_docs": missing_docs,
        "docs": docs,
    }


def _event_attributes(g: _Graph, pairs, attrs: dict[str, list[float]]) -> None:
    for ge, node in pairs:
        if ge.get("optional"):
            continue
        for key, prop in (("start", "schema:startDate"), ("end", "schema:endDate")):
            ok = _date_ok(ge.get(key), g.values(node, prop))
            if ok is not None:
                attrs[key].append(1.0 if ok else 0.0)
        loc = _names_ok([ge.get("location")], g.linked_names(node, "schema:location"))
        if loc is not None:
            attrs["location"].append(loc)
        for key, prop in (("organizers", "schema:organizer"), ("participants", "schema:attendee")):
            v = _names_ok(ge.get(key, []), g.linked_names(node, prop))
            if v is not None:
                attrs[key].append(v)


def format_report(result: dict, verbose: bool = False) -> str:
    """The printable report; its last line is ``overall-F1 <value>``."""
    lines = []
    if verbose:
        for d in result["docs"]:
            for cat, (tp, fp, fn) in d.counts.items():
                lines.append(f"  {d.doc:<12} {cat:<14} tp={tp} fp={fp} fn={fn}")
                lines += [f"      missed:   {n}" for n in d.missed.get(cat, [])]
                lines += [f"      spurious: {n}" for n in d.spurious.get(cat, [])]
    lines.append(f"{'category':<14} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for cat, c in result["categories"].items():
        lines.append(f"{cat:<14} {c['p']:6.3f} {c['r']:6.3f} {c['f1']:6.3f} {c['tp']:4d}{c['fp']:4d}{c['fn']:4d}")
    for key, acc in result["attributes"].items():
        lines.append(f"event/memo attribute {key:<13} accuracy {acc:.3f} over {result['attribute_counts'][key]}")
    if result["missing_docs"]:
        lines.append(f"documents not found in the graph: {', '.join(result['missing_docs'])}")
    lines.append(f"overall-F1 {result['overall_f1']:.3f}")
    return "\n".join(lines)


def write_nquads(corpus: list[Path | str], out: Path | str, workers: int = 1) -> int:
    """Extract every document of the corpus files or folders into one N-Quads file; returns the quad count.

    What the next engineer needs to score a folder quickly (no store, no validation): the file plus
    ontology/lkg.ttl can be given to the shared scorer or to :func:`evaluate`.
    """
    from concurrent.futures import ProcessPoolExecutor

    from kg.corpus import read_corpus

    parsed = read_corpus([Path(p) for p in corpus])
    for err in parsed.errors:
        print(f"skipped: {err}", file=sys.stderr)
    if workers > 1 and len(parsed.records) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunks = list(pool.map(_document_nquads, parsed.records, chunksize=1))
    else:
        chunks = [_document_nquads(r) for r in parsed.records]
    Path(out).write_bytes(b"".join(data for data, _ in chunks))
    return sum(n for _, n in chunks)


def _document_nquads(record: object) -> tuple[bytes, int]:
    from kg.docgraph import document_quads
    from kg.pipeline import extract

    quads = document_quads(record, extract(record))
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS), len(quads)


def main(argv: list[str] | None = None) -> int:
    """``python -m kg.evaluate --corpus DIR [DIR ...] --gold DIR [--out FILE]``: extract, write N-Quads, score."""
    import argparse

    from kg.config import ROOT

    parser = argparse.ArgumentParser(prog="python -m kg.evaluate", description=main.__doc__)
    parser.add_argument("--corpus", nargs="+", required=True, type=Path, help="corpus files or folders")
    parser.add_argument("--gold", type=Path, help="gold folder to score against (omit to only write the file)")
    parser.add_argument("--out", type=Path, default=Path("extracted.nq"), help="N-Quads file (default extracted.nq)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--verbose", "-v", action="store_true", help="per document misses and spurious names")
    args = parser.parse_args(argv)
    n = write_nquads(args.corpus, args.out, args.workers)
    print(f"wrote {n} quads to {args.out}", file=sys.stderr)
    if args.gold:
        print(format_report(evaluate([args.out, ROOT / "ontology" / "lkg.ttl"], args.gold), verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
