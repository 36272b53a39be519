"""kg.validate + shapes/: each defective graph in tests/data/shapes/ is caught with the right focus node,
severity and message; a valid document graph conforms, fast; reports render as text and Turtle."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.config import ROOT
from kg.validate import ValidationReport, Validator, validate_files, validate_graph

DATA = ROOT / "tests" / "data" / "shapes"
ID = "https://w3id.org/labour-kg/id/"
MENTION = ID + "doc/t/mention/"
BLANK = "_:"


@pytest.fixture(scope="module")
def validator(tmp_path_factory) -> Validator:
    """Shapes of the project, with the ontology and the places, conventions and ILC reference files only
    (the organisations gazetteer changes as it grows; these tests must not depend on it)."""
    root = tmp_path_factory.mktemp("ontology")
    shutil.copy(ROOT / "ontology" / "lkg.ttl", root / "lkg.ttl")
    (root / "reference").mkdir()
    for name in ("places.ttl", "conventions.ttl", "ilc-sessions.ttl"):
        shutil.copy(ROOT / "ontology" / "reference" / name, root / "reference" / name)
    return Validator(ROOT / "shapes", root)


#: fixture file -> every result it must give: (focus node, severity, part of the message).
DEFECTS: dict[str, list[tuple[str, str, str]]] = {
    "person_and_organisation": [(ID + "person/x", "Violation", "never overlap")],
    "label_two_english": [(ID + "org/a", "Violation", "More than one rdfs:label in the same language")],
    "label_without_language": [
        (ID + "org/a", "Violation", "must carry a language tag"),
        (ID + "org/a", "Warning", "other than English, Russian or Kazakh"),
    ],
    "missing_russian_label": [(ID + "org/a", "Warning", "No Russian label")],
    "event_without_date": [(ID + "event/e", "Warning", "without a date")],
    "event_ends_before_start": [(ID + "event/e", "Violation", "ends (2024-05) before it starts (2024-06-03)")],
    "event_date_as_text": [(ID + "event/e", "Violation", "a date must be one of these")],
    "event_location_not_place": [(ID + "event/e", "Violation", "location of an event must be a place")],
    "event_attendee_is_country": [(ID + "event/e", "Violation", "attendees of an event must be organisations")],
    "memorandum_one_party": [(ID + "memorandum/m", "Violation", "at least two parties")],
    "memorandum_party_is_person": [(ID + "memorandum/m", "Violation", "parties to a memorandum must be organisations")],
    "memorandum_same_party_twice": [(ID + "memorandum/m", "Violation", "have the same name")],
    "convention_number_out_of_range": [
        (ID + "convention/C250", "Violation", "from 1 to 200"),
        (ID + "convention/C250", "Warning", "without a category"),
    ],
    "convention_code_mismatch": [(ID + "convention/x", "Violation", "does not match its number 88")],
    "normlex_bad_link": [(ID + "convention/test-98", "Violation", "NORMLEX page is one IRI")],
    "entity_not_mentioned": [(ID + "person/ghost", "Violation", "neither mentioned by a document")],
    "blank_node_entity": [
        (BLANK, "Violation", "must have an IRI"),
        (BLANK, "Violation", "neither mentioned by a document"),
    ],
    "post_without_organisation": [(ID + "post/chairman", "Violation", "exactly one organisation (org:postIn)")],
    "member_count_negative": [(ID + "org/a", "Violation", "lkg:memberCount")],
    "country_bad_code": [
        (ID + "country/XK", "Violation", "alpha-2 code"),
        (ID + "country/XK", "Violation", "does not end with its ISO code"),
    ],
    "city_without_country": [(ID + "city/1", "Violation", "A city lies in a country")],
    "region_bad_code": [(ID + "region/x", "Violation", "ISO 3166-2 code")],
    "venue_without_place": [(ID + "venue/palace", "Warning", "A venue without the city or country")],
    "ilc_session_without_number": [(ID + "ilc/x", "Violation", "exactly one number (lkg:sessionNumber")],
    "ratification_without_country": [(ID + "ratification/r", "Violation", "exactly one country")],
    "document_bad_language": [(ID + "doc/t", "Violation", "language of a document")],
    "annotation_end_before_start": [
        (MENTION + "27-21/position", "Violation", "starts before it ends"),
        (MENTION + "27-21/target", "Violation", "is not the text at offsets"),
    ],
    "annotation_empty_quote": [
        (MENTION + "21-21/quote", "Violation", "non-empty quote"),
        (MENTION + "21-21/position", "Violation", "starts before it ends"),
    ],
    "annotation_quote_mismatch": [(MENTION + "21-27/target", "Violation", "\"Genf\"")],
    "annotation_wrong_motivation": [(MENTION + "21-27", "Violation", "motivated by oa:identifying")],
}


def matches(result, expected: tuple[str, str, str]) -> bool:
    focus, severity, text = expected
    same_focus = result.focus.startswith(BLANK) if focus == BLANK else result.focus == focus
    return same_focus and result.severity == severity and text in result.message


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_each_defect_is_reported_exactly(validator, name):
    report = validate_files([DATA / f"{name}.ttl"], validator)
    expected = DEFECTS[name]
    for e in expected:
        assert any(matches(r, e) for r in report.results), f"{name}: missing {e}\n{report.text()}"
    for r in report.results:
        assert any(matches(r, e) for e in expected), f"{name}: unexpected {r.text()}"
    assert report.conforms == all(severity != "Violation" for _, severity, _ in expected)


def test_at_least_fifteen_defective_graphs_exist():
    files = {p.stem for p in DATA.glob("*.ttl") if not p.stem.startswith("owl_")} - {"valid_document"}
    assert files == set(DEFECTS)
    assert len(files) >= 15


def test_a_valid_document_graph_conforms_without_warnings(validator):
    # its speed is measured by `make bench` (validation of one document graph)
    report = validator.validate(rdflib.Graph().parse(DATA / "valid_document.ttl"))
    assert report.conforms and report.results == [], report.text()


def test_pyoxigraph_quads_are_accepted(validator):
    quads = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("https://w3id.org/labour-kg/graph/doc/t"))
             for q in ox.parse(path=DATA / "entity_not_mentioned.ttl", format=ox.RdfFormat.TURTLE)]
    report = validate_graph(quads, validator)
    assert [r.focus for r in report.violations] == [ID + "person/ghost"]


def test_the_data_given_is_not_changed(validator):
    graph = rdflib.Graph().parse(DATA / "valid_document.ttl")
    before = len(graph)
    validator.validate(graph)
    assert len(graph) == before


def test_the_report_is_readable_and_writes_standard_shacl_turtle(validator, tmp_path):
    report = validate_files([DATA / "event_ends_before_start.ttl"], validator)
    assert isinstance(report, ValidationReport)
    text = report.text()
    assert "does NOT conform: 1 violations" in text and ID + "event/e" in text
    out = tmp_path / "report.ttl"
    report.write_turtle(out)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    written = rdflib.Graph().parse(out)
    assert len(list(written.subjects(rdflib.RDF.type, sh.ValidationResult))) == 1
    assert (None, sh.conforms, rdflib.Literal(False)) in written


def test_warnings_do_not_break_conformance(validator):
    report = validate_files([DATA / "missing_russian_label.ttl"], validator)
    assert report.conforms and len(report.warnings) == 1 and report.violations == []


def test_bad_input_is_a_clear_error(validator, tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="missing.ttl"):
        validate_files([tmp_path / "missing.ttl"], validator)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .")
    with pytest.raises(ValueError, match="not readable as RDF"):
        validate_files([bad], validator)


def test_every_shape_has_a_message_and_a_severity():
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    shapes = rdflib.Graph()
    for path in (ROOT / "shapes").glob("*.ttl"):
        shapes.parse(path)
    constraints = set(shapes.objects(None, sh.property)) | set(shapes.objects(None, sh.sparql))
    constraints |= {s for s in shapes.subjects(rdflib.RDF.type, sh.NodeShape) if (s, sh.nodeKind, None) in shapes
                    or (s, sh["or"], None) in shapes}
    assert len(constraints) > 60
    for c in constraints:
        assert shapes.value(c, sh.message) is not None, c
        owner = next(shapes.subjects(sh.sparql, c), c)
        assert shapes.value(c, sh.severity) or shapes.value(owner, sh.severity), c
