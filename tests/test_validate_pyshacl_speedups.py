"""kg.validate's speed-ups inside pyshacl change nothing it reports: a forbidden SPARQL constraint is still
refused (every time, not only the first), and results quote the data exactly as before."""

from __future__ import annotations

import shutil

import pytest
import rdflib

from kg.config import ROOT
from kg.validate import Validator

EX = "https://w3id.org/labour-kg/id/"

FORBIDDEN = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <http://schema.org/> .
<urn:test:shapes> sh:declare [ sh:prefix "schema" ; sh:namespace "http://schema.org/" ] .
<urn:test:MinusShape> a sh:NodeShape ;
    sh:targetClass schema:Person ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "never" ; sh:prefixes <urn:test:shapes> ;
        sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this schema:name ?o } }" ] .
"""


@pytest.fixture(scope="module")
def ontology(tmp_path_factory):
    root = tmp_path_factory.mktemp("ontology")
    shutil.copy(ROOT / "ontology" / "lkg.ttl", root / "lkg.ttl")
    (root / "reference").mkdir()
    return root


def people(count: int) -> rdflib.Graph:
    graph = rdflib.Graph()
    for i in range(count):
        person = rdflib.URIRef(f"{EX}person/p{i}")
        graph.add((person, rdflib.RDF.type, rdflib.URIRef("http://schema.org/Person")))
        graph.add((person, rdflib.RDFS.label, rdflib.Literal(f"Person {i}", lang="en")))
    return graph


def test_a_forbidden_sparql_constraint_is_refused_on_every_validation(ontology, tmp_path):
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "minus.ttl").write_text(FORBIDDEN, encoding="utf-8")
    validator = Validator(shapes, ontology)
    for _ in range(2):
        with pytest.raises(ValueError, match="must not contain a MINUS clause"):
            validator.validate(people(3))


def test_sparql_results_name_each_focus_node_in_their_message(ontology):
    validator = Validator(ROOT / "shapes", ontology)
    report = validator.validate(people(30))
    russian = [r for r in report.results if "No Russian label" in r.message]
    assert sorted(r.focus for r in russian) == sorted(f"{EX}person/p{i}" for i in range(30))
    assert all(r.focus in r.message for r in russian)
