"""ontology/reference/: conventions complete and well linked, ILC sessions, places; sources; SHACL conformance."""

from __future__ import annotations

import re

import pytest
import rdflib
from rdflib import RDF, RDFS, SKOS, URIRef

from kg.config import ROOT
from kg.namespaces import DCT, INSTANCE_BASE, LKG, SCHEMA
from kg.validate import Validator, validate_files

REFERENCE = ROOT / "ontology" / "reference"
OWN_FILES = ("conventions.ttl", "ilc-sessions.ttl", "places.ttl")
L = rdflib.Namespace(LKG)
S = rdflib.Namespace(SCHEMA)
NORMLEX = re.compile(
    r"^https://normlex\.ilo\.org/dyn/nrmlx_en/f\?p=NORMLEXPUB:12100:0::NO::P12100_ILO_CODE:([CPR]\d{3})$"
)


@pytest.fixture(scope="module")
def conventions() -> rdflib.Graph:
    return rdflib.Graph().parse(REFERENCE / "conventions.ttl")


@pytest.fixture(scope="module")
def places() -> rdflib.Graph:
    return rdflib.Graph().parse(REFERENCE / "places.ttl")


def label(graph: rdflib.Graph, node: URIRef, lang: str) -> str | None:
    return next((str(o) for o in graph.objects(node, RDFS.label) if o.language == lang), None)


def test_conventions_are_complete_from_1_to_190(conventions):
    numbers = sorted(int(n) for n in conventions.objects(None, L.conventionNumber))
    assert numbers[:190] == list(range(1, 191))
    assert len(numbers) == len(set(numbers))
    for n in numbers:
        node = URIRef(f"{INSTANCE_BASE}convention/C{n:03d}")
        assert (node, RDF.type, L.Convention) in conventions
        assert label(conventions, node, "en")
        assert conventions.value(node, L.adoptionYear).datatype == rdflib.XSD.gYear


def test_titles_and_years_of_well_known_conventions(conventions):
    def c(n: int) -> URIRef:
        return URIRef(f"{INSTANCE_BASE}convention/C{n:03d}")

    assert label(conventions, c(87), "en") == (
        "Freedom of Association and Protection of the Right to Organise Convention, 1948"
    )
    assert label(conventions, c(190), "en") == "Violence and Harassment Convention, 2019"
    assert str(conventions.value(c(190), L.adoptionYear)) == "2019"
    assert "свободе ассоциации" in label(conventions, c(87), "ru")


def test_categories_follow_the_ilo(conventions):
    def with_category(category: URIRef) -> set[int]:
        return {int(conventions.value(s, L.conventionNumber)) for s in conventions.subjects(L.category, category)}

    assert with_category(L.Fundamental) == {29, 87, 98, 100, 105, 111, 138, 155, 182, 187}
    assert with_category(L.Governance) == {81, 122, 129, 144}
    assert len(with_category(L.Technical)) == len(set(conventions.subjects(RDF.type, L.Convention))) - 14


def test_normlex_links_are_well_formed_and_match_the_code(conventions):
    links = list(conventions.subject_objects(L.normlexPage))
    assert len(links) >= 196
    for instrument, page in links:
        match = NORMLEX.match(str(page))
        assert match, page
        assert match.group(1) == str(conventions.value(instrument, L.instrumentCode))
        assert str(instrument).endswith("/" + match.group(1))


def test_protocols_point_to_their_conventions(conventions):
    protocols = set(conventions.subjects(RDF.type, L.ILOProtocol))
    assert {str(p).rsplit("/", 1)[1] for p in protocols} == {"P029", "P081", "P089", "P110", "P147", "P155"}
    for p in protocols:
        convention = conventions.value(p, L.protocolTo)
        assert str(convention).endswith("/C" + str(p)[-3:])


def test_ilc_sessions_100_to_113():
    graph = rdflib.Graph().parse(REFERENCE / "ilc-sessions.ttl")
    sessions = {int(n): s for s, n in graph.subject_objects(L.sessionNumber)}
    assert sorted(sessions) == list(range(100, 114))
    s111 = URIRef(INSTANCE_BASE + "ilc/111")
    assert sessions[111] == s111
    assert label(graph, s111, "en") == "111th Session of the International Labour Conference"
    assert label(graph, s111, "ru") == "111-я сессия Международной конференции труда"
    assert str(graph.value(s111, S.startDate)) == "2023-06-05"
    assert str(graph.value(sessions[101], S.startDate)).startswith("2012")
    assert graph.value(sessions[109], S.location) is None  # held online


def test_countries_have_iso_codes_and_russian_names(places):
    kz = URIRef(INSTANCE_BASE + "country/KZ")
    assert (kz, RDF.type, S.Country) in places
    assert str(places.value(kz, L.iso3166Alpha3)) == "KAZ"
    assert label(places, kz, "ru") == "Казахстан"
    assert label(places, kz, "kk") == "Қазақстан"
    assert label(places, URIRef(INSTANCE_BASE + "country/RU"), "en") == "Russia"
    assert len(set(places.subjects(RDF.type, S.Country))) >= 249


def test_cities_are_linked_to_their_country_and_geonames(places):
    astana = URIRef(INSTANCE_BASE + "city/1526273")
    assert places.value(astana, S.containedInPlace) == URIRef(INSTANCE_BASE + "country/KZ")
    assert places.value(astana, RDFS.seeAlso) == URIRef("http://sws.geonames.org/1526273/")
    assert label(places, astana, "ru") == "Астана"
    aliases = {str(a) for a in places.objects(astana, rdflib.SKOS.altLabel)}
    assert {"Nur-Sultan", "Akmola"} <= aliases
    geneva = URIRef(INSTANCE_BASE + "city/2660646")
    assert label(places, geneva, "ru") == "Женева"
    cities = {str(places.value(c, RDFS.label)) for c in places.subjects(RDF.type, S.City)}
    assert {"Almaty", "Shymkent", "Bishkek", "Cholpon-Ata", "Tashkent", "Moscow", "Turin"} <= cities


def test_regions_of_kazakhstan(places):
    karaganda = URIRef(INSTANCE_BASE + "region/KZ-35")
    assert (karaganda, RDF.type, L.Region) in places
    assert label(places, karaganda, "ru") == "Карагандинская область"
    assert places.value(karaganda, S.containedInPlace) == URIRef(INSTANCE_BASE + "country/KZ")
    kz_regions = {r for r in places.subjects(RDF.type, L.Region) if str(r).startswith(INSTANCE_BASE + "region/KZ-")}
    assert len(kz_regions) == 17


def test_parts_of_the_world_are_regions_in_no_country(places):
    central_asia = URIRef(INSTANCE_BASE + "region/central-asia")
    assert (central_asia, RDF.type, L.Region) in places
    assert label(places, central_asia, "ru") == "Центральная Азия"
    assert places.value(central_asia, S.containedInPlace) is None
    assert (URIRef(INSTANCE_BASE + "region/eastern-europe-and-central-asia"), RDF.type, L.Region) in places


def test_wrong_names_from_the_sources_are_dropped(places):
    petropavl = next(places.subjects(RDFS.label, rdflib.Literal("Petropavl", lang="en")))
    assert rdflib.Literal("Kazakh", lang="en") not in set(places.objects(petropavl, SKOS.altLabel))


def test_every_reference_file_records_its_sources():
    for path in sorted(REFERENCE.glob("*.ttl")):
        graph = rdflib.Graph().parse(path)
        assert any(graph.objects(None, URIRef(DCT + "source"))), path.name


def test_places_file_stays_small():
    assert (REFERENCE / "places.ttl").stat().st_size < 5_000_000


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(ROOT / "shapes", ROOT / "ontology")


@pytest.mark.parametrize("name", sorted({*OWN_FILES, *(p.name for p in REFERENCE.glob("*.ttl"))}))
def test_reference_file_conforms_to_the_shapes(validator, name):
    """Each file alone: entities it links to in other reference files are seen with their types."""
    report = validate_files([REFERENCE / name], validator, is_reference=True)
    assert report.conforms, report.text()[:3000]
