"""kg.validate entry points the build and the CLI use: one document's quads, one file, a whole store."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from kg.config import ROOT, Settings
from kg.namespaces import REFERENCE_GRAPH, document_graph
from kg.ontology import reference_quads
from kg.store.embedded import EmbeddedStore
from kg.validate import validate_document, validate_file, validate_store

DATA = ROOT / "tests" / "data" / "shapes"


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    """The project's shapes and ontology with one tiny reference file (fast to validate)."""
    root = tmp_path_factory.mktemp("ontology")
    shutil.copy(ROOT / "ontology" / "lkg.ttl", root / "lkg.ttl")
    (root / "reference").mkdir()
    (root / "reference" / "tiny.ttl").write_text(
        "@prefix schema: <http://schema.org/> .\n"
        "@prefix lkg: <https://w3id.org/labour-kg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/labour-kg/id/country/KZ> a schema:Country ; lkg:iso3166Alpha2 \"KZ\" ;\n"
        "    rdfs:label \"Kazakhstan\"@en , \"Казахстан\"@ru .\n",
        encoding="utf-8",
    )
    return Settings(ontology_dir=root, shapes_dir=ROOT / "shapes")


def quads(name: str, doc_id: str) -> list[ox.Quad]:
    graph = ox.NamedNode(document_graph(doc_id))
    return [ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(path=DATA / f"{name}.ttl", format=ox.RdfFormat.TURTLE)]


def test_validate_document_is_the_build_gate(settings):
    assert validate_document(quads("missing_russian_label", "a"), settings).conforms
    report = validate_document(quads("memorandum_one_party", "b"), settings)
    assert not report.conforms
    text = report.text(violations_only=True)
    assert "at least two parties" in text and "Warning" not in text


def test_validate_file(settings):
    report = validate_file(DATA / "event_ends_before_start.ttl", settings)
    assert [r.focus for r in report.violations] == ["https://w3id.org/labour-kg/id/event/e"]


def test_validate_store_checks_documents_and_reference_in_one_report(settings, tmp_path):
    store = EmbeddedStore.in_memory()
    store.replace_graph(document_graph("good"), quads("event_without_date", "good"))
    store.replace_graph(document_graph("bad"), quads("entity_not_mentioned", "bad"))
    store.replace_graph(REFERENCE_GRAPH, reference_quads(settings.ontology_dir))
    report = validate_store(store, settings)
    assert [r.focus for r in report.violations] == ["https://w3id.org/labour-kg/id/person/ghost"]
    assert len(report.warnings) == 1
    out = tmp_path / "report.ttl"
    report.write_turtle(out)
    assert out.read_text(encoding="utf-8").count("sh:ValidationReport") == 1
