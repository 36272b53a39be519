"""IRI minting is readable and deterministic, whatever the script."""

from kg.namespaces import SCHEMA, document_graph, document_iri, entity_iri, slug, sparql_prefixes


def test_schema_org_is_the_http_form():
    assert SCHEMA == "http://schema.org/"
    assert "PREFIX schema: <http://schema.org/>" in sparql_prefixes()


def test_slugs_are_readable_ascii_for_latin_and_cyrillic():
    assert slug("Federation of Trade Unions of Kazakhstan") == "federation-of-trade-unions-of-kazakhstan"
    assert slug("Федерация профсоюзов") == "federatsiya-profsoyuzov"
    assert slug("Қазақстан") == "qazaqstan"
    assert slug("Maria Helena André") == "maria-helena-andre"
    assert slug("!!!") == "x"


def test_document_and_entity_iris():
    assert document_iri("seed-001") == "https://w3id.org/labour-kg/id/doc/seed-001"
    assert document_graph("seed-001") == "https://w3id.org/labour-kg/graph/doc/seed-001"
    assert document_graph("a b/c") == "https://w3id.org/labour-kg/graph/doc/a-b-c"
    assert entity_iri("person", "Nina Osmanova") == "https://w3id.org/labour-kg/id/person/nina-osmanova"
