"""kg.reasoning: HermiT (via owlready2) finds the ontology consistent and catches disjointness violations."""

from __future__ import annotations

import pytest

from kg.config import ROOT
from kg.reasoning import check

ONTOLOGY = ROOT / "ontology" / "lkg.ttl"
DATA = ROOT / "tests" / "data" / "shapes"


def test_the_ontology_is_consistent_without_unsatisfiable_classes():
    report = check(ONTOLOGY)
    assert report.consistent
    assert report.unsatisfiable_classes == ()
    assert report.ok
    assert report.class_count > 50
    assert report.subsumptions > report.class_count  # HermiT computed the hierarchy, not just read it
    assert "consistent" in report.text()


def test_a_person_that_is_also_an_organisation_is_inconsistent():
    report = check(ONTOLOGY, [DATA / "owl_person_and_organisation.ttl"])
    assert not report.consistent
    assert not report.ok
    assert "INCONSISTENT" in report.text()


def test_hermit_infers_the_type_of_a_memorandum_party():
    report = check(ONTOLOGY, [DATA / "owl_party_is_inferred_organisation.ttl"])
    assert report.consistent
    assert report.inferred_facts >= 1


def test_valid_data_with_dates_is_consistent():
    """Dates (xsd:date, xsd:gYearMonth) are outside HermiT's datatypes: they are checked as strings."""
    report = check(ONTOLOGY, [DATA / "valid_document.ttl"])
    assert report.consistent, report.text()
    assert report.literals_as_strings > 0


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.ttl"):
        check(ONTOLOGY, [tmp_path / "nothing.ttl"])


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    with pytest.raises(ValueError, match="not readable as RDF"):
        check(ONTOLOGY, [bad])
