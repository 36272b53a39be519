"""kg.ontology_doc: the HTML page documents every class and property with both languages."""

from __future__ import annotations

from html.parser import HTMLParser

import rdflib
from rdflib import OWL, RDF

from kg.config import ROOT
from kg.ontology_doc import _anchor, ontology_html, write_ontology_html

ONTOLOGY = ROOT / "ontology" / "lkg.ttl"


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if attrs.get("href", "").startswith("#"):
            self.hrefs.add(attrs["href"][1:])


def test_every_term_has_a_section_and_every_link_resolves():
    html = ontology_html(ONTOLOGY)
    parser = _Ids()
    parser.feed(html)
    graph = rdflib.Graph().parse(ONTOLOGY)
    terms = {t for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
             for t in graph.subjects(RDF.type, kind) if isinstance(t, rdflib.URIRef)}
    assert {_anchor(t) for t in terms} <= parser.ids
    assert parser.hrefs <= parser.ids


def test_the_page_shows_labels_definitions_domains_and_ranges_in_both_languages():
    html = ontology_html(ONTOLOGY)
    assert "меморандум о сотрудничестве" in html
    assert "An organisation that signed the memorandum" in html
    assert '<dt>domain</dt><dd><a href="#lkg-Memorandum">' in html
    assert "<!DOCTYPE html>" in html and 'charset="utf-8"' in html


def test_the_page_can_be_written_to_a_file(tmp_path):
    out = write_ontology_html(tmp_path / "ontology.html", ONTOLOGY)
    assert out.read_text(encoding="utf-8") == ontology_html(ONTOLOGY)
