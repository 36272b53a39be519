"""lkg.ttl: parses, documents every term in English and Russian, and defines every class of the contract."""

from __future__ import annotations

import re

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, URIRef

from kg.config import ROOT
from kg.namespaces import LKG, ORG, SCHEMA, SKOS

ONTOLOGY = ROOT / "ontology" / "lkg.ttl"
README = ROOT / "ontology" / "README.md"
DEFINITION = URIRef(SKOS + "definition")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY)


def terms(graph: rdflib.Graph) -> list[URIRef]:
    return sorted({t for kind in TERM_TYPES for t in graph.subjects(RDF.type, kind) if isinstance(t, URIRef)})


def test_ontology_has_version_and_a_reasonable_number_of_terms(graph):
    onto = URIRef("https://w3id.org/labour-kg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in graph
    assert graph.value(onto, OWL.versionInfo) is not None
    assert len(terms(graph)) > 100


@pytest.mark.parametrize("prop", [RDFS.label, DEFINITION])
def test_every_class_and_property_is_described_in_english_and_russian(graph, prop):
    def has(term: URIRef, lang: str) -> bool:
        values = graph.objects(term, prop)
        return any(isinstance(v, rdflib.Literal) and v.language == lang and str(v).strip() for v in values)

    missing = [(str(t), lang) for t in terms(graph) for lang in ("en", "ru") if not has(t, lang)]
    assert missing == []


def test_every_lkg_term_used_in_the_contract_is_declared(graph):
    used = set(re.findall(r"`lkg:([A-Za-z0-9]+)`", README.read_text(encoding="utf-8")))
    declared = {str(t)[len(LKG):] for t in graph.subjects() if str(t).startswith(LKG)}
    assert used - declared - {"mentionsInstrument"} == set()  # the contract says that one is not used


def test_own_organisation_classes_are_organisations(graph):
    organisation = URIRef(ORG + "Organization")
    for name in ("TradeUnion", "TradeUnionCentre", "SectoralUnion", "RegionalUnionAssociation",
                 "PrimaryUnionOrganization", "UnionBody", "IntergovernmentalOrganization", "ILOBody", "UNBody",
                 "GovernmentBody", "EmployersOrganization", "Foundation", "PoliticalParty", "Company",
                 "OtherOrganization"):
        assert organisation in graph.transitive_objects(URIRef(LKG + name), RDFS.subClassOf), name
    assert URIRef(SCHEMA + "WorkersUnion") in graph.objects(URIRef(LKG + "TradeUnion"), RDFS.subClassOf)


def test_events_and_instruments_align_with_schema_org(graph):
    event = URIRef(SCHEMA + "Event")
    for name in ("Conference", "Congress", "Session", "ILCSession", "Seminar", "Training", "Meeting", "Forum",
                 "Visit", "Negotiation", "Celebration", "Programme"):
        assert event in graph.transitive_objects(URIRef(LKG + name), RDFS.subClassOf), name
    assert URIRef(SCHEMA + "Legislation") in graph.transitive_objects(URIRef(LKG + "Convention"), RDFS.subClassOf)


def test_inverse_properties_are_declared(graph):
    assert (URIRef(LKG + "party"), OWL.inverseOf, URIRef(LKG + "partyTo")) in graph
    assert (URIRef(ORG + "subOrganizationOf"), OWL.inverseOf, URIRef(ORG + "hasSubOrganization")) in graph


def test_people_and_organisations_are_declared_disjoint(graph):
    person, organisation = URIRef(SCHEMA + "Person"), URIRef(ORG + "Organization")
    groups = [list(rdflib.collection.Collection(graph, m)) for m in graph.objects(None, OWL.members)]
    assert any(person in g and organisation in g for g in groups)
