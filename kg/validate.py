"""The SHACL gate (pyshacl): does a document's graph, or a file, keep to the shapes in shapes/?

Speed matters (every document graph passes here), so pyshacl runs without inference on a small graph:
the data, the facts of the reference entities it links to (marked as reference knowledge for the
provenance shape) and the supertypes of every type, computed from the ontology beforehand. A document
graph is thus checked as it will be in the store, next to the reference knowledge. The graph is built
with pyoxigraph and handed to pyshacl in a pyoxigraph store, so that SPARQL constraints run on oxigraph
(pyshacl would re-parse each SPARQL constraint for every focus node with rdflib, 15 times slower).
Results are kept for the data's own resources only: linked reference entities are validated with the
reference knowledge (``is_reference=True``), not with every document.

pyshacl itself costs nearly all the time (most of it its own Python for each focus node and constraint), so
the shapes graph lives in rdflib's context-free SimpleMemory store (pyshacl reads it for every focus node),
its shapes are collected once for every run, and kg.pyshacl_speedups has pyshacl evaluate the same constraints
on the same nodes in fewer, larger steps. The results are unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import rdflib
from pyshacl.errors import ValidationFailure
from pyshacl.shapes_graph import ShapesGraph
from rdflib import RDF, Literal, URIRef

from kg import namespaces as ns
from kg.config import Settings
from kg.namespaces import DOCUMENT_GRAPH_PREFIX, REFERENCE_GRAPH, SH
from kg.ontology import ontology_path, reference_paths, superclasses
from kg.pyshacl_speedups import DataGraph, speed_up_pyshacl
from kg.rdfio import read_graph
from kg.store import GraphStore

_SH = rdflib.Namespace(SH)
#: How the validator marks reference entities in the data it validates (never stored).
REFERENCE_MARK = (ox.NamedNode(ns.RDFS + "isDefinedBy"), ox.NamedNode(REFERENCE_GRAPH))
SEVERITIES = {_SH.Violation: "Violation", _SH.Warning: "Warning", _SH.Info: "Info"}

Data = rdflib.Graph | Iterable[ox.Quad | ox.Triple]
Facts = dict[ox.NamedNode, tuple[tuple[ox.NamedNode, ox.NamedNode | ox.Literal], ...]]

_TYPE = ox.NamedNode(ns.RDF + "type")
_LABEL = ox.NamedNode(ns.RDFS + "label")


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: which resource, which property, how bad, and why in plain words."""

    focus: str
    severity: str
    message: str
    path: str | None = None
    value: str | None = None
    shape: str | None = None

    def text(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" = {self.value}" if self.value and self.value != self.focus else ""
        focus = self.focus if self.focus.startswith("_:") else f"<{self.focus}>"
        return f"{self.severity}: {focus}{where}{value}: {self.message}"


@dataclass
class ValidationReport:
    """All results of one validation; `conforms` means no violations (warnings are listed, not fatal)."""

    results: list[ValidationResult]
    report_graph: rdflib.Graph = field(repr=False)
    seconds: float = 0.0

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def to_turtle(self) -> str:
        """The standard SHACL validation report, as Turtle."""
        return self.report_graph.serialize(format="turtle")

    def write_turtle(self, path: str | Path) -> None:
        Path(path).write_text(self.to_turtle(), encoding="utf-8")

    def text(self, *, violations_only: bool = False) -> str:
        """A readable summary: verdict, counts, then violations and warnings sorted by resource."""
        verdict = "conforms" if self.conforms else "does NOT conform"
        lines = [f"SHACL: {verdict}: {len(self.violations)} violations, {len(self.warnings)} warnings"]
        order = {"Violation": 0, "Warning": 1, "Info": 2}
        shown = self.violations if violations_only else self.results
        for r in sorted(shown, key=lambda r: (order.get(r.severity, 3), r.focus, r.path or "", r.message)):
            lines.append("  " + r.text())
        return "\n".join(lines)

    def merged(self, other: ValidationReport) -> ValidationReport:
        """One report with the results of both (one sh:ValidationReport in the Turtle as well)."""
        graph = rdflib.Graph()
        for triple in self.report_graph:
            graph.add(triple)
        main = graph.value(predicate=RDF.type, object=_SH.ValidationReport)
        extra = other.report_graph.value(predicate=RDF.type, object=_SH.ValidationReport)
        if main is None:
            main = rdflib.BNode()
            graph.add((main, RDF.type, _SH.ValidationReport))
        for s, p, o in other.report_graph:
            if s == extra:
                if p == _SH.result:
                    graph.add((main, p, o))
            else:
                graph.add((s, p, o))
        report = ValidationReport(self.results + other.results, graph, self.seconds + other.seconds)
        graph.set((main, _SH.conforms, Literal(report.conforms)))
        return report


class Validator:
    """Shapes, ontology and reference facts, loaded once; validates any number of graphs."""

    def __init__(self, shapes_dir: Path, ontology_dir: Path) -> None:
        speed_up_pyshacl()
        shape_files = sorted(Path(shapes_dir).glob("*.ttl"))
        if not shape_files:
            raise FileNotFoundError(f"no SHACL shapes (*.ttl) in {shapes_dir}")
        self.shapes = rdflib.Graph(store="SimpleMemory")
        for path in shape_files:
            self.shapes.parse(path)
        # pyshacl collects the shapes of a shapes graph on its first run; kept, they serve every run after it
        self._shapes_graph = ShapesGraph(self.shapes)
        self.ontology_file = ontology_path(ontology_dir)
        self.reference = _reference_facts(tuple(reference_paths(ontology_dir)))
        self._reference_cache: dict[ox.NamedNode, tuple[tuple[ox.Quad, ...], tuple[ox.Quad, ...]]] = {}
        self.supertypes = {
            ox.NamedNode(c): tuple(ox.NamedNode(s) for s in sorted(sups))
            for c, sups in superclasses(self.ontology_file).items()
        }

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Validator:
        settings = settings or Settings()
        return _cached_validator(settings.shapes_dir, settings.ontology_dir)

    def prepare(self, data: Data, *, is_reference: bool = False) -> set[ox.Triple]:
        """The graph pyshacl sees: the data, what the reference knowledge says about the entities it links to
        (all their facts, and the types and labels of what those facts point to), and all supertypes."""
        quads = _quads(data)
        return {q.triple for q in (*quads, *self._context(quads, is_reference=is_reference))}

    def _context(self, quads: list[ox.Quad], *, is_reference: bool) -> list[ox.Quad]:
        """What :meth:`prepare` adds to the data (some of it may be in the data already)."""
        linked = {t for q in quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
        described = linked & self.reference.keys()
        second_hop = {o for node in described for _, o in self.reference[node] if isinstance(o, ox.NamedNode)}
        second_hop = (second_hop & self.reference.keys()) - described
        added = [q for node in described for q in self._reference_quads(node)[0]]
        added += [q for node in second_hop for q in self._reference_quads(node)[1]]
        if is_reference:
            added += [ox.Quad(q.subject, *REFERENCE_MARK) for q in quads if q.predicate == _TYPE]
        typed = [(q.subject, q.object) for q in (*quads, *added) if q.predicate == _TYPE]
        added += [ox.Quad(s, _TYPE, sup) for s, o in typed for sup in self.supertypes.get(o, ())]
        return added

    def _reference_quads(self, node: ox.NamedNode) -> tuple[tuple[ox.Quad, ...], tuple[ox.Quad, ...]]:
        """What a linked reference entity adds to the data: all its facts, or (reached through another one) its
        types and labels; each with the reference mark. Made once per entity: the same ones recur in every
        document graph."""
        found = self._reference_cache.get(node)
        if found is None:
            mark = ox.Quad(node, *REFERENCE_MARK)
            facts = [ox.Quad(node, p, o) for p, o in self.reference[node]]
            found = self._reference_cache[node] = (
                (*facts, mark), (*(q for q in facts if q.predicate in (_TYPE, _LABEL)), mark))
        return found

    def validate(self, data: Data, *, is_reference: bool = False) -> ValidationReport:
        """Validate data (a document graph, a file's triples); `is_reference` for curated reference knowledge."""
        start = time.perf_counter()
        quads = _quads(data)
        described = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
        report_graph = self._run([*quads, *self._context(quads, is_reference=is_reference)])
        # pyshacl's focus_nodes option would be the natural way to skip the reference entities, but with it
        # sh:or stops checking value nodes (pyshacl 0.40); so everything is validated and results are filtered.
        _keep_results_about(report_graph, described)
        results = [_result(report_graph, node) for node in report_graph.subjects(RDF.type, _SH.ValidationResult)]
        return ValidationReport(results, report_graph, time.perf_counter() - start)

    def _run(self, statements: Iterable[ox.Quad | ox.Triple]) -> rdflib.Graph:
        """pyshacl over these statements (in a pyoxigraph store, graph names ignored): the standard report graph."""
        options = {"inference": "none", "allow_warnings": True, "allow_infos": True, "inplace": True}
        validator = pyshacl.Validator(DataGraph.of(statements), shacl_graph=self.shapes, options=options)
        validator.shacl_graph = self._shapes_graph
        try:
            _, report_graph, _ = validator.run()
        except ValidationFailure as exc:  # a shape pyshacl cannot use
            raise ValueError(f"the SHACL shapes cannot be used: {exc}") from exc
        return report_graph


@lru_cache(maxsize=2)
def _cached_validator(shapes_dir: Path, ontology_dir: Path) -> Validator:
    return Validator(shapes_dir, ontology_dir)


def validate_graph(data: Data, validator: Validator | None = None, *, is_reference: bool = False) -> ValidationReport:
    """Validate one graph (rdflib.Graph, or pyoxigraph quads/triples; graph names are ignored)."""
    return (validator or Validator.from_settings()).validate(data, is_reference=is_reference)


def validate_document(quads: Data, settings: Settings | None = None) -> ValidationReport:
    """The build's gate: one document's quads, validated with the shapes and ontology of the settings."""
    return Validator.from_settings(settings).validate(quads)


def validate_file(path: str | Path, settings: Settings | None = None) -> ValidationReport:
    """`kg validate FILE`: one RDF file (a document graph, a dump, a reference file)."""
    return validate_files([path], Validator.from_settings(settings))


def validate_store(store: GraphStore, settings: Settings | None = None) -> ValidationReport:
    """`kg validate` without a file: all document graphs together, then the reference knowledge on its own."""
    validator = Validator.from_settings(settings)
    documents = [g for g in store.graphs() if g.startswith(DOCUMENT_GRAPH_PREFIX)]
    data = validator.validate(q for g in documents for q in store.quads(g))
    reference = validator.validate(store.quads(REFERENCE_GRAPH), is_reference=True)
    return data.merged(reference)


def validate_files(
    paths: Iterable[str | Path], validator: Validator | None = None, *, is_reference: bool = False
) -> ValidationReport:
    """Validate RDF files together (any syntax rdflib reads, by extension; quads formats are merged): `kg validate`."""
    graph = read_graph(paths)
    return validate_graph(graph, validator, is_reference=is_reference)


# --- helpers ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _reference_facts(paths: tuple[Path, ...]) -> Facts:
    """Every fact of the reference knowledge by subject (IRIs only): the context of a document's entities."""
    facts: dict[ox.NamedNode, list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]]] = {}
    for path in paths:
        for t in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            if isinstance(t.subject, ox.NamedNode) and not isinstance(t.object, ox.BlankNode):
                facts.setdefault(t.subject, []).append((t.predicate, t.object))
    return {k: tuple(v) for k, v in facts.items()}


def _quads(data: Data) -> list[ox.Quad]:
    """The data as a new list of pyoxigraph quads: quads as they are, triples and an rdflib graph's in the default
    graph (the caller's data is never changed)."""
    if isinstance(data, rdflib.Graph):
        return [ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in data]
    return [q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in data]


def _to_ox(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(term)
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(term.datatype) if term.datatype else None)
    raise TypeError(f"not an RDF term: {term!r}")


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _keep_results_about(report: rdflib.Graph, subjects: set[str]) -> None:
    """Drop results about resources the data does not describe (linked reference entities), in place.

    ``subjects`` are the IRIs the data describes. Blank nodes are always the data's (reference entities have
    IRIs); their ids change on the way through pyoxigraph, so they are kept without comparing.
    """
    main = report.value(predicate=RDF.type, object=_SH.ValidationReport)
    for result in list(report.objects(main, _SH.result)):
        focus = report.value(result, _SH.focusNode)
        if not isinstance(focus, rdflib.BNode) and not (isinstance(focus, URIRef) and str(focus) in subjects):
            report.remove((main, _SH.result, result))
            report.remove((result, None, None))
    violation = any(
        report.value(result, _SH.resultSeverity) == _SH.Violation for result in report.objects(main, _SH.result)
    )
    report.set((main, _SH.conforms, Literal(not violation)))


def _result(report: rdflib.Graph, node: rdflib.term.Node) -> ValidationResult:
    def one(p: URIRef) -> str | None:
        value = report.value(node, p)
        if value is None:
            return None
        return f"_:{value}" if isinstance(value, rdflib.BNode) else str(value)

    severity = report.value(node, _SH.resultSeverity)
    return ValidationResult(
        focus=one(_SH.focusNode) or "",
        severity=SEVERITIES.get(severity, str(severity)),
        message=one(_SH.resultMessage) or "",
        path=one(_SH.resultPath),
        value=one(_SH.value),
        shape=one(_SH.sourceShape),
    )
