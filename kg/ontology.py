"""The TBox and reference knowledge as quads, and materialised supertypes so queries need no reasoner.

`materialise` recomputes the inferred graph inside the store with SPARQL UPDATE: every typed resource
gets every superclass (rdfs:subClassOf+), and triples are copied to super-properties
(rdfs:subPropertyOf+) and inverse properties (owl:inverseOf), so that a query written with org:,
schema: or the inverse property finds what extraction wrote with lkg: terms.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
import rdflib

from kg.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, OWL, RDFS, REFERENCE_GRAPH

ONTOLOGY_FILE = "lkg.ttl"
REFERENCE_DIR = "reference"


class Updatable(Protocol):
    """Anything that runs SPARQL UPDATE: a pyoxigraph.Store or a kg.store.GraphStore."""

    def update(self, sparql: str) -> None: ...


def ontology_path(ontology_dir: Path) -> Path:
    path = Path(ontology_dir) / ONTOLOGY_FILE
    if not path.is_file():
        raise FileNotFoundError(f"ontology not found: {path}")
    return path


def reference_paths(ontology_dir: Path) -> list[Path]:
    """Every Turtle file of reference knowledge, sorted so that loads are deterministic."""
    return sorted((Path(ontology_dir) / REFERENCE_DIR).glob("*.ttl"))


def _quads(path: Path, graph: str) -> Iterator[ox.Quad]:
    """A file's triples in ``graph``, blank nodes skolemised to stable IRIs (so builds are deterministic)."""
    target = ox.NamedNode(graph)
    try:
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, target)
                             for t in ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise SyntaxError(f"{path}: {exc}") from exc
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    genid = f"{graph}/.well-known/genid/{path.stem}-"

    def skolem(term):
        return ox.NamedNode(genid + term.value) if isinstance(term, ox.BlankNode) else term

    for q in sorted(dataset, key=str):
        yield ox.Quad(skolem(q.subject), q.predicate, skolem(q.object), target)


def ontology_quads(ontology_dir: Path) -> Iterator[ox.Quad]:
    """The TBox (lkg.ttl) as quads of the ontology graph."""
    yield from _quads(ontology_path(ontology_dir), ONTOLOGY_GRAPH)


def reference_quads(ontology_dir: Path) -> Iterator[ox.Quad]:
    """Every reference/*.ttl file (places, conventions, ILC sessions, organisations, ...) as reference-graph quads."""
    for path in reference_paths(ontology_dir):
        yield from _quads(path, REFERENCE_GRAPH)


def load_into(store: ox.Store, ontology_dir: Path) -> int:
    """Replace the ontology and reference graphs of a pyoxigraph store; returns the number of quads loaded.

    (A kg.store.GraphStore does the same with ``replace_graph(ONTOLOGY_GRAPH, ontology_quads(dir))``.)
    """
    quads = [*ontology_quads(ontology_dir), *reference_quads(ontology_dir)]
    for graph in (ONTOLOGY_GRAPH, REFERENCE_GRAPH):
        store.update(f"DROP SILENT GRAPH <{graph}>")
    store.extend(quads)
    return len(quads)


_NOT_INFERRED = f"FILTER(?g != <{INFERRED_GRAPH}>)"

#: Triples copied to every super-property (org:unitOf -> org:subOrganizationOf, ...).
_SUPER_PROPERTIES = f"""
INSERT {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?super ?o }} }}
WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?p <{RDFS}subPropertyOf>+ ?super FILTER(isIRI(?super) && ?super != ?p) }}
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?super ?o }} }}
}}"""

#: Triples mirrored through owl:inverseOf, both ways (lkg:party <-> lkg:partyTo, ...).
_INVERSES = f"""
INSERT {{ GRAPH <{INFERRED_GRAPH}> {{ ?o ?inverse ?s }} }}
WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{ {{ ?p <{OWL}inverseOf> ?inverse }} UNION {{ ?inverse <{OWL}inverseOf> ?p }} }}
  GRAPH ?g {{ ?s ?p ?o FILTER(!isLiteral(?o)) }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?o ?inverse ?s }} }}
}}"""

#: Every superclass of every asserted or inferred type. The class pairs are found once, and each resource and
#: superclass is checked once, however many graphs type the resource (half the time of a 1,000-document store).
_SUPERTYPES = f"""
INSERT {{ GRAPH <{INFERRED_GRAPH}> {{ ?s a ?super }} }}
WHERE {{
  {{ SELECT DISTINCT ?s ?super WHERE {{
    {{ SELECT ?c ?super WHERE {{
      GRAPH <{ONTOLOGY_GRAPH}> {{ ?c <{RDFS}subClassOf>+ ?super FILTER(isIRI(?super) && ?super != ?c) }} }} }}
    GRAPH ?g {{ ?s a ?c }} {_NOT_INFERRED}
  }} }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s a ?super }} }}
}}"""


def materialise(store: Updatable) -> None:
    """Recompute the inferred graph from scratch (call after every change to the other graphs).

    Property rules run twice so that an inverse of a super-property (and a super-property of an inverse,
    org:unitOf -> org:hasUnit -> org:hasSubOrganization) is found; types come last, from every graph.
    """
    # one update request is one transaction: readers never see a partial inferred graph
    steps = [f"DROP SILENT GRAPH <{INFERRED_GRAPH}>", *[_SUPER_PROPERTIES, _INVERSES] * 2, _SUPERTYPES]
    store.update(" ;\n".join(steps))


# --- the same supertypes for one rdflib graph (the SHACL gate works on rdflib graphs) -------------------


@lru_cache(maxsize=4)
def superclasses(ontology_file: Path) -> dict[rdflib.URIRef, frozenset[rdflib.URIRef]]:
    """Each named class of the ontology with all its named superclasses (transitive)."""
    graph = rdflib.Graph().parse(ontology_file)
    direct: dict[rdflib.URIRef, set[rdflib.URIRef]] = {}
    for c, sup in graph.subject_objects(rdflib.RDFS.subClassOf):
        if isinstance(c, rdflib.URIRef) and isinstance(sup, rdflib.URIRef):
            direct.setdefault(c, set()).add(sup)
    closure: dict[rdflib.URIRef, frozenset[rdflib.URIRef]] = {}
    for c in direct:
        seen: set[rdflib.URIRef] = set()
        todo = list(direct[c])
        while todo:
            s = todo.pop()
            if s not in seen and s != c:
                seen.add(s)
                todo.extend(direct.get(s, ()))
        closure[c] = frozenset(seen)
    return closure
