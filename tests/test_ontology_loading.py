"""kg.ontology: the TBox and every reference file become quads; materialisation adds supertypes and inverses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import ROOT
from kg.namespaces import INFERRED_GRAPH, LKG, ONTOLOGY_GRAPH, ORG, RDF, REFERENCE_GRAPH, SCHEMA
from kg.ontology import load_into, materialise, ontology_quads, reference_quads, superclasses

DOC_GRAPH = ox.NamedNode("https://w3id.org/labour-kg/graph/doc/t")
TYPE = ox.NamedNode(RDF + "type")


def node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@pytest.fixture(scope="module")
def ontology_dir(tmp_path_factory) -> Path:
    """lkg.ttl plus two small reference files, one of which another helper could have written."""
    root = tmp_path_factory.mktemp("ontology")
    shutil.copy(ROOT / "ontology" / "lkg.ttl", root / "lkg.ttl")
    (root / "reference").mkdir()
    shutil.copy(ROOT / "ontology" / "reference" / "ilc-sessions.ttl", root / "reference")
    (root / "reference" / "extra.ttl").write_text(
        "<https://w3id.org/labour-kg/id/org/x> a <https://w3id.org/labour-kg/ontology#TradeUnionCentre> .\n"
    )
    return root


@pytest.fixture(scope="module")
def store(ontology_dir) -> ox.Store:
    store = ox.Store()
    load_into(store, ontology_dir)
    store.add(ox.Quad(node("https://w3id.org/labour-kg/id/org/a"), TYPE, node(LKG + "TradeUnionCentre"), DOC_GRAPH))
    store.add(ox.Quad(node("https://w3id.org/labour-kg/id/memorandum/m"), node(LKG + "party"),
                      node("https://w3id.org/labour-kg/id/org/a"), DOC_GRAPH))
    store.add(ox.Quad(node("https://w3id.org/labour-kg/id/org/body"), node(ORG + "unitOf"),
                      node("https://w3id.org/labour-kg/id/org/a"), DOC_GRAPH))
    materialise(store)
    return store


def inferred(store: ox.Store, s: str, p: str, o: str) -> bool:
    return any(store.quads_for_pattern(node(s), node(p), node(o), node(INFERRED_GRAPH)))


def test_quads_land_in_the_ontology_and_reference_graphs(ontology_dir):
    assert {q.graph_name.value for q in ontology_quads(ontology_dir)} == {ONTOLOGY_GRAPH}
    reference = list(reference_quads(ontology_dir))
    assert {q.graph_name.value for q in reference} == {REFERENCE_GRAPH}
    subjects = {q.subject.value for q in reference}
    assert "https://w3id.org/labour-kg/id/org/x" in subjects  # every *.ttl, not only the known files
    assert "https://w3id.org/labour-kg/id/ilc/111" in subjects


def test_a_trade_union_centre_becomes_an_organisation(store):
    union = "https://w3id.org/labour-kg/id/org/a"
    for cls in (ORG + "Organization", ORG + "FormalOrganization", SCHEMA + "Organization", SCHEMA + "WorkersUnion",
                LKG + "TradeUnion"):
        assert inferred(store, union, RDF + "type", cls), cls
    assert inferred(store, "https://w3id.org/labour-kg/id/org/x", RDF + "type", ORG + "Organization")


def test_reference_events_get_their_supertypes(store):
    assert inferred(store, "https://w3id.org/labour-kg/id/ilc/111", RDF + "type", SCHEMA + "Event")


def test_inverse_and_super_properties_are_materialised(store):
    assert inferred(store, "https://w3id.org/labour-kg/id/org/a", LKG + "partyTo",
                    "https://w3id.org/labour-kg/id/memorandum/m")
    body, union = "https://w3id.org/labour-kg/id/org/body", "https://w3id.org/labour-kg/id/org/a"
    assert inferred(store, body, ORG + "subOrganizationOf", union)
    assert inferred(store, union, ORG + "hasUnit", body)
    assert inferred(store, union, ORG + "hasSubOrganization", body)


def test_materialisation_is_idempotent_and_adds_nothing_already_asserted(store):
    before = len(list(store.quads_for_pattern(None, None, None, node(INFERRED_GRAPH))))
    materialise(store)
    assert len(list(store.quads_for_pattern(None, None, None, node(INFERRED_GRAPH)))) == before
    union = "https://w3id.org/labour-kg/id/org/a"
    assert not inferred(store, union, RDF + "type", LKG + "TradeUnionCentre")


def test_superclasses_are_the_transitive_closure_of_subclass_of():
    closure = {str(c): {str(s) for s in sups} for c, sups in superclasses(ROOT / "ontology" / "lkg.ttl").items()}
    assert {LKG + "TradeUnion", ORG + "Organization"} <= closure[LKG + "PrimaryUnionOrganization"]
    assert LKG + "PrimaryUnionOrganization" not in closure[LKG + "PrimaryUnionOrganization"]


def test_a_missing_ontology_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="lkg.ttl"):
        list(ontology_quads(tmp_path))
