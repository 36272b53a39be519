"""OWL reasoning with HermiT (through owlready2): is the ontology, with optional data, consistent?

This is the `kg check` command's engine. SHACL (kg.validate) checks the shape of data; HermiT checks
that the ontology's axioms (disjointness, domains, ranges) can all hold together. owlready2 reads
Turtle unreliably, so files are parsed with rdflib and handed over as N-Triples.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import owlready2
import rdflib
from rdflib import XSD, Literal
from rdflib.namespace import RDF, RDFS

from kg.namespaces import OWL
from kg.rdfio import read_graph

#: Datatypes HermiT accepts (the OWL 2 datatype map); literals of other datatypes (xsd:date, xsd:gYear, ...)
#: are handed over as plain strings: the ontology puts no OWL range on them, SHACL checks them instead.
OWL2_DATATYPES = frozenset(
    {RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, rdflib.URIRef(OWL + "real"),
     rdflib.URIRef(OWL + "rational")}
    | {XSD[name] for name in (
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger", "negativeInteger",
        "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
        "double", "float", "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN",
        "boolean", "hexBinary", "base64Binary", "anyURI", "dateTime", "dateTimeStamp")}
)


@dataclass(frozen=True)
class CheckReport:
    """What HermiT found. `consistent` is False when no model of ontology + data exists."""

    consistent: bool
    unsatisfiable_classes: tuple[str, ...] = ()
    #: Named classes of ontology + data.
    class_count: int = 0
    #: Entailed (class, named superclass) pairs after reasoning, the class hierarchy HermiT computed.
    subsumptions: int = 0
    #: Facts HermiT added beyond the asserted ones (new class memberships of individuals, new subclass links).
    inferred_facts: int = 0
    files: tuple[str, ...] = ()
    literals_as_strings: int = 0

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable_classes

    def text(self) -> str:
        """A readable account for the command line."""
        lines = [f"Checked with HermiT: {', '.join(self.files)}"]
        if not self.consistent:
            lines.append("INCONSISTENT: no interpretation satisfies the ontology and the data together.")
            lines.append("HermiT does not say which resources clash; `kg validate` names them (shape DisjointKinds).")
        else:
            lines.append(
                f"consistent: {self.class_count} classes, {self.subsumptions} subclass relations entailed, "
                f"{self.inferred_facts} facts inferred"
            )
        lines += [f"unsatisfiable class: {c}" for c in self.unsatisfiable_classes]
        if self.literals_as_strings:
            lines.append(f"{self.literals_as_strings} literals of datatypes outside OWL 2 (dates) checked as strings")
        return "\n".join(lines)


def check(ontology_path: str | Path, data_paths: Iterable[str | Path] = ()) -> CheckReport:
    """Run HermiT on the ontology and, optionally, data files (any RDF syntax rdflib reads; quads are merged)."""
    paths = [Path(ontology_path), *(Path(p) for p in data_paths)]
    graph = read_graph(paths)
    converted = _owl2_literals(graph)
    return _run_hermit(graph, tuple(str(p) for p in paths), converted)


def _owl2_literals(graph: rdflib.Graph) -> int:
    """Replace literals HermiT cannot parse by plain strings, in place; returns how many."""
    bad = [(s, p, o) for s, p, o in graph if isinstance(o, Literal) and o.datatype and o.datatype not in OWL2_DATATYPES]
    for s, p, o in bad:
        graph.remove((s, p, o))
        graph.add((s, p, Literal(str(o))))
    return len(bad)


def _run_hermit(graph: rdflib.Graph, files: tuple[str, ...], converted: int) -> CheckReport:
    with tempfile.TemporaryDirectory(prefix="kg-check-") as tmp:
        nt = Path(tmp) / "input.nt"
        graph.serialize(nt, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(nt.as_uri()).load(format="ntriples")
        classes = list(world.classes())
        asserted = sum(1 for _ in onto.get_triples())
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return CheckReport(False, (), len(classes), 0, 0, files, converted)
        unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes()))
        subsumptions = sum(
            1 for c in world.classes() for a in c.ancestors() if a is not c and a is not owlready2.Thing
        )
        # Inside `with onto:` owlready2 writes what HermiT infers into the loaded ontology itself.
        inferred_facts = sum(1 for _ in onto.get_triples()) - asserted
        world.close()
        return CheckReport(True, unsatisfiable, len(classes), subsumptions, inferred_facts, files, converted)
