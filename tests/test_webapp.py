"""The web app's pages over a small fixture graph: home, search, browsing, entities, documents, map, dumps.

The fixtures here (a store loaded from tests/data/webapp-fixture.trig and an app over it) are shared by
the other web app test files.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from kg.config import ROOT, Settings
from kg.dumps import LOCK, STAMP, VOID, dump_names, read_stamp
from kg.namespaces import BUILD_GRAPH
from kg.store.embedded import EmbeddedStore
from tests.conftest import DATA
from webapp import create_app

FIXTURE = DATA / "webapp-fixture.trig"
ID = "https://w3id.org/labour-kg/id/"
HTML = {"Accept": "text/html"}


def load_store(path: Path, source: Path = FIXTURE) -> Path:
    """A store folder holding the fixture graph; closed again, so read-only openers can share it."""
    store = EmbeddedStore(path)
    store.oxigraph.load(path=str(source), format=ox.RdfFormat.TRIG)
    store.close()
    del store
    return path


def make_app(tmp: Path, **settings: object) -> Flask:
    path = load_store(tmp / "store")
    defaults = {"dumps_dir": tmp / "dumps", "queries_dir": ROOT / "queries", "query_timeout": 5.0, "max_rows": 1000,
                "base": ID}
    config = Settings().with_(store=str(path), **{**defaults, **settings})
    return create_app(config, EmbeddedStore(path, read_only=True))


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = make_app(tmp_path_factory.mktemp("webapp"))
    yield app
    app.extensions["kg_runner"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def text_of(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def test_browse_pages_through_a_class(client: FlaskClient) -> None:
    r = client.get("/browse", query_string={"class": "http://schema.org/Person"})
    assert r.status_code == 200
    assert 'href="/id/person/satybaldy-dauletalin"' in r.data.decode()
    assert "Gilbert F. Houngbo" in text_of(r.data)
    assert client.get("/browse", query_string={"class": "not an iri"}).status_code == 400


@pytest.mark.parametrize(
    "query",
    ["FTURK", "fturk", "ФПРК", "Федерация профсоюзов", "federatsiya profsoyuzov", "ҚРКФ", "Kazakhstan", "Казахстан"],
)
def test_search_finds_names_in_any_case_script_and_language(client: FlaskClient, query: str) -> None:
    hits = client.get("/search", query_string={"q": query, "format": "json"}).get_json()
    assert hits, query
    iris = [h["iri"] for h in hits]
    assert iris[0] in (ID + "org/fturk", ID + "country/KZ")


def test_search_results_come_as_csv_and_json_of_the_page_shown(client: FlaskClient) -> None:
    html = client.get("/search", query_string={"q": "Geneva", "format": "html"}, headers=HTML).text
    assert ('as <a href="/search?q=Geneva&amp;format=csv">CSV</a> '
            '<a href="/search?q=Geneva&amp;format=json">JSON</a>') in html
    r = client.get("/search?q=Geneva&format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["name_iri"] for row in rows] == [hit["iri"] for hit in client.get("/search?q=Geneva&format=json").json]
    assert rows[0] == {"name": "Geneva", "name_iri": ID + "city/2660646", "matched": "Geneva", "types": "schema:City",
                       "types_iri": "http://schema.org/City"}
    bad = client.get("/search?q=Geneva&format=xml")
    assert bad.status_code == 400 and "search comes as html, csv or json" in bad.text


def test_search_page_links_hits_and_labels_them_in_the_readers_language(client: FlaskClient) -> None:
    r = client.get("/search", query_string={"q": "Geneva", "lang": "ru"}, headers=HTML)
    assert r.status_code == 200
    assert 'href="/id/city/2660646"' in r.data.decode()
    assert "Женева" in r.data.decode()
    assert "Nothing found" in text_of(client.get("/search?q=zzzqqq").data)


def test_language_switch_sets_a_cookie_and_labels_follow_it(client: FlaskClient) -> None:
    r = client.get("/lang/kk", headers={"Referer": "http://localhost/id/org/fturk"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/id/org/fturk")
    assert "lang=kk" in r.headers["Set-Cookie"]
    page = client.get("/id/org/fturk", headers=HTML).data.decode()
    assert "<h1>Қазақстан Республикасы Кәсіподақтар Федерациясы</h1>" in page
    # no Kazakh label: falls back to English
    assert "<h1>Satybaldy Dauletalin</h1>" in client.get("/id/person/satybaldy-dauletalin", headers=HTML).data.decode()
    assert client.get("/lang/xx").status_code == 404


def test_entity_page_shows_labels_types_properties_posts_events_memoranda_and_evidence(client: FlaskClient) -> None:
    r = client.get("/id/org/fturk", headers=HTML)
    assert r.status_code == 200
    html = r.data.decode()
    page = text_of(r.data)
    for label in ("Federation of Trade Unions of the Republic of Kazakhstan",
                  "Федерация профсоюзов Республики Казахстан",
                  "Қазақстан Республикасы Кәсіподақтар Федерациясы", "FTURK, ФПРК, ҚРКФ"):
        assert label in page
    assert "trade union centre" in page
    assert 'href="/id/country/KZ"' in html and "Kazakhstan" in page  # linked, labelled value
    assert "Chairman of FTURK" in page and 'href="/id/person/satybaldy-dauletalin"' in html  # posts
    timeline = html[html.index('class="timeline"'):]
    assert timeline.index("2021-11") < timeline.index("2023-06-05") < timeline.index("2023-06-12")
    assert "Memorandum of cooperation between FTURK and GCTU" in page
    assert "<svg" in html and 'href="/id/org/ituc"' in html  # neighbourhood picture
    assert "<mark>FTURK</mark>" in html  # evidence, highlighted
    assert 'href="/id/doc/en-2021-007#m-' in html
    assert 'href="/id/org/bold-union"' in html  # incoming links


def test_incoming_links_are_paged(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import webapp.entities

    monkeypatch.setattr(webapp.entities, "INCOMING_PAGE", 2)
    first = client.get("/id/org/fturk", headers=HTML).data.decode()
    assert "in_page=2" in first
    second = client.get("/id/org/fturk?in_page=2", headers=HTML).data.decode()
    assert "in_page=1" in second


@pytest.mark.parametrize(
    ("how", "mimetype", "fmt"),
    [
        ({"headers": {"Accept": "text/turtle"}}, "text/turtle", ox.RdfFormat.TURTLE),
        ({"headers": {"Accept": "application/ld+json"}}, "application/ld+json", ox.RdfFormat.JSON_LD),
        ({"headers": {"Accept": "application/n-triples"}}, "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ({"headers": {"Accept": "application/rdf+xml"}}, "application/rdf+xml", ox.RdfFormat.RDF_XML),
        ({"suffix": ".ttl"}, "text/turtle", ox.RdfFormat.TURTLE),
        ({"suffix": ".jsonld"}, "application/ld+json", ox.RdfFormat.JSON_LD),
        ({"suffix": ".nt"}, "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ({"query_string": {"format": "turtle"}, "headers": HTML}, "text/turtle", ox.RdfFormat.TURTLE),
    ],
)
def test_entity_data_by_content_negotiation_and_suffix(client: FlaskClient, how: dict, mimetype: str,
                                                       fmt: ox.RdfFormat) -> None:
    url = "/id/org/ilo" + how.get("suffix", "")
    r = client.get(url, headers=how.get("headers", {}), query_string=how.get("query_string"))
    assert r.status_code == 200
    assert r.mimetype == mimetype
    triples = list(ox.parse(r.data, format=fmt))
    subjects = {t.subject.value for t in triples}
    objects = {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)}
    assert ID + "org/ilo" in subjects
    assert ID + "org/ilo" in objects  # incoming triples too (org/ilc is a sub-organisation)


def test_entity_responses_name_their_alternates_and_vary_by_accept(client: FlaskClient) -> None:
    # the page is in the reader's language too; the data is not
    for accept, vary in (("text/html", "Accept, Accept-Language, Cookie"), ("text/turtle", "Accept")):
        r = client.get("/id/org/ilo", headers={"Accept": accept})
        assert r.headers["Vary"] == vary
        assert '</id/org/ilo.ttl>; rel="alternate"; type="text/turtle"' in r.headers["Link"]


def test_unknown_iris_get_a_404_page(client: FlaskClient) -> None:
    for url in ("/id/org/no-such-thing", "/id/org/no-such-thing.ttl", "/id/bad%20iri", "/nowhere"):
        r = client.get(url, headers=HTML)
        assert r.status_code == 404, url
        assert "Not found" in r.data.decode()


def test_document_page_highlights_and_links_every_mention(client: FlaskClient) -> None:
    r = client.get("/id/doc/en-2023-001", headers=HTML)
    assert r.status_code == 200
    html = r.data.decode()
    mentions = re.findall(r'<a class="mention" id="m-(\d+)-(\d+)" href="([^"]+)"[^>]*>([^<]*)</a>', html)
    assert len(mentions) == 7
    assert ("/id/person/gilbert-f-houngbo", "Gilbert F. Houngbo") in {(m[2], m[3]) for m in mentions}
    assert ("/id/city/2660646", "Geneva") in {(m[2], m[3]) for m in mentions}
    assert "en-2023-001" in html and "2023-06-13" in html and "https://fprk.kz/en/news/2023-001" in html
    assert "schema:mentions" in html  # its triples
    ru = client.get("/id/doc/ru-2022-014", headers=HTML).data.decode()
    assert '>Федерация профсоюзов Республики Казахстан</a>' in ru


def test_html_in_labels_and_texts_is_escaped_everywhere(client: FlaskClient) -> None:
    pages = ["/", "/id/doc/en-2023-001", "/id/doc/en-2021-007", "/id/org/bold-union", "/id/org/fturk",
             "/search?q=bold", "/browse?class=https%3A%2F%2Fw3id.org%2Flabour-kg%2Fontology%23SectoralUnion",
             "/queries/posts-in-organisations", "/queries/organisations-by-class?class=lkg:SectoralUnion",
             "/queries/documents-mentioning-entity?entity=https://w3id.org/labour-kg/id/org/bold-union"]
    for url in pages:
        html = client.get(url, headers=HTML).data.decode()
        assert "<script>alert" not in html, url
        assert "<b>Bold</b>" not in html and "<i>during</i>" not in html, url
    assert "&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;" in client.get("/id/doc/en-2023-001", headers=HTML).text
    assert "Union of &lt;b&gt;Bold&lt;/b&gt; Workers" in client.get("/id/org/bold-union", headers=HTML).text


def test_map_plots_event_cities_offline(client: FlaskClient) -> None:
    r = client.get("/map")
    assert r.status_code == 200
    html = r.data.decode()
    assert "<svg" in html and 'href="/id/city/2660646"' in html and 'href="/id/city/1526384"' in html
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace('xmlns="http://www.w3.org', "")
    # Geneva (6.1 E, 46.2 N) lies west of and north of Almaty (76.9 E, 43.3 N)
    geneva = re.search(r'href="/id/city/2660646"><circle cx="([\d.]+)" cy="([\d.]+)"', html)
    almaty = re.search(r'href="/id/city/1526384"><circle cx="([\d.]+)" cy="([\d.]+)"', html)
    assert geneva and almaty
    assert float(geneva[1]) < float(almaty[1]) and float(geneva[2]) < float(almaty[2])


def test_ontology_page_lists_classes_and_properties(client: FlaskClient) -> None:
    r = client.get("/ontology")
    assert r.status_code == 200
    assert "TradeUnionCentre" in r.text and "party" in r.text


def test_dumps_are_listed_and_served_with_validators(client: FlaskClient) -> None:
    listing = client.get("/dumps/")
    assert listing.status_code == 200
    for ext in ("ttl", "nt", "nq", "trig", "jsonld"):
        assert f'href="/dumps/labour-kg.{ext}.gz"' in listing.text
    assert 'href="/dumps/void.ttl"' in listing.text
    r = client.get("/dumps/labour-kg.nq.gz")
    assert r.status_code == 200 and r.mimetype == "application/gzip"
    assert r.headers["ETag"] and r.headers["Last-Modified"]
    quads = list(ox.parse(gzip.decompress(r.data), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(list(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG)))
    again = client.get("/dumps/labour-kg.nq.gz", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/dumps/../store").status_code == 404
    assert client.get("/dumps/secret.txt").status_code == 404


def test_void_is_served_at_the_well_known_address_with_this_sites_addresses(client: FlaskClient) -> None:
    r = client.get("/.well-known/void", base_url="https://kg.example.org")
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    triples = list(ox.parse(r.data, format=ox.RdfFormat.TURTLE))
    assert any(t.object.value == "http://rdfs.org/ns/void#Dataset" for t in triples)
    endpoint = {t.object.value for t in triples if t.predicate.value == "http://rdfs.org/ns/void#sparqlEndpoint"}
    assert endpoint == {"https://kg.example.org/sparql"}
    downloads = {t.object.value for t in triples if t.predicate.value == "http://www.w3.org/ns/dcat#downloadURL"}
    assert "https://kg.example.org/dumps/labour-kg.jsonld.gz" in downloads and len(downloads) == 5
    assert client.get("/dumps/void.ttl", base_url="https://kg.example.org").data == r.data
    listing = client.get("/dumps/", base_url="https://kg.example.org").text
    assert f"{len(r.data):,} bytes" in listing, "the size listed is the size served"
    again = client.get("/.well-known/void", base_url="https://kg.example.org",
                       headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304


def test_the_first_request_writes_the_dumps_and_the_next_ones_read_them(tmp_path: Path) -> None:
    app = make_app(tmp_path, dumps_dir=tmp_path / "never-written")
    client = app.test_client()
    try:
        assert not (tmp_path / "never-written").exists()
        listing = client.get("/dumps/")
        assert listing.status_code == 200
        folder = tmp_path / "never-written"
        assert sorted(p.name for p in folder.iterdir()) == sorted([*dump_names(), VOID, STAMP, LOCK])
        written = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
        stamp = read_stamp(folder)
        assert stamp is not None and stamp.built == "2026-11-23T10:00:00Z"  # the fixture's build graph
        assert "the graph as of the build of 2026-11-23 10:00:00Z" in text_of(listing.data)
        for path in ("/dumps/", "/.well-known/void", "/dumps/labour-kg.ttl.gz", "/dumps/void.ttl"):
            assert client.get(path).status_code == 200, path
        assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == written
        assert read_stamp(folder) == stamp
    finally:
        app.extensions["kg_runner"].close()


def test_the_dumps_of_a_store_no_build_wrote_to_say_when_they_were_made(tmp_path: Path) -> None:
    path = load_store(tmp_path / "store")
    store = EmbeddedStore(path)
    store.drop_graphs([BUILD_GRAPH])
    store.close()
    del store
    config = Settings().with_(store=str(path), dumps_dir=tmp_path / "dumps", queries_dir=ROOT / "queries", base=ID)
    app = create_app(config, EmbeddedStore(path, read_only=True))
    try:
        listing = app.test_client().get("/dumps/")
    finally:
        app.extensions["kg_runner"].close()
    stamp = read_stamp(tmp_path / "dumps")
    assert stamp is not None and stamp.version == stamp.built == ""
    assert f"the graph as it was on {stamp.written.replace('T', ' ')}" in text_of(listing.data)
    assert "kg dumps --force" in listing.text and "ETag" not in listing.headers


def test_dumps_that_cannot_be_written_get_503_with_the_reason_and_the_graph_is_served(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way")
    app = make_app(tmp_path, dumps_dir=blocked / "dumps")
    client = app.test_client()
    reason = f"cannot write the dumps to {blocked / 'dumps'}: Not a directory"
    try:
        listing = client.get("/dumps/", headers=HTML)
        assert listing.status_code == 503 and listing.mimetype == "text/html"
        assert reason in listing.text and listing.headers["Cache-Control"] == "no-store"
        for path in ("/.well-known/void", "/dumps/labour-kg.nq.gz", "/dumps/void.ttl"):
            answer = client.get(path)
            assert answer.status_code == 503 and answer.mimetype == "text/plain", path
            assert answer.text == reason + "\n"
        assert client.get("/dumps/nothing.gz").status_code == 404  # not a dump: no attempt to write
        assert client.get("/", headers=HTML).status_code == 200
        assert client.get("/id/org/fturk", headers=HTML).status_code == 200
    finally:
        app.extensions["kg_runner"].close()
    assert blocked.read_text() == "in the way"


def test_relative_paths_are_resolved_against_the_current_folder_whatever_the_package_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_store(tmp_path / "store")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KG_STORE", "store")
    monkeypatch.setenv("KG_DUMPS", "dumps")
    app = create_app()
    try:
        client = app.test_client()
        assert client.get("/.well-known/void").status_code == 200
        assert client.get("/dumps/labour-kg.ttl.gz").status_code == 200
    finally:
        app.extensions["kg_runner"].close()
    assert (tmp_path / "dumps" / "labour-kg.ttl.gz").is_file()


def test_openapi_describes_every_saved_query(client: FlaskClient) -> None:
    spec = client.get("/api/openapi.json").get_json()
    names = {p.stem for p in (ROOT / "queries").glob("*.rq")}
    assert {path.rsplit("/", 1)[1] for path in spec["paths"] if path.startswith("/queries/")} == names
    assert "/sparql" in spec["paths"] and "/search" in spec["paths"]
    op = spec["paths"]["/queries/organisations-by-class"]["get"]
    cls = next(p for p in op["parameters"] if p["name"] == "class")
    assert cls["schema"]["default"] == "lkg:TradeUnionCentre" and "lkg:ILOBody" in cls["schema"]["enum"]
    assert json.dumps(spec)  # plain JSON


@pytest.mark.parametrize(
    ("text", "mention", "sentence"),
    [
        ("Intro here. On 12 June Gilbert F. Houngbo met FTURK in Geneva. Next one.", "FTURK",
         "On 12 June Gilbert F. Houngbo met FTURK in Geneva."),
        ("5 марта ФПРК подписала. Стороны призвали ратифицировать Конвенцию.\nДалее.", "Стороны",
         "Стороны призвали ратифицировать Конвенцию."),
        ("no full stop at all FTURK", "FTURK", "no full stop at all FTURK"),
    ],
)
def test_evidence_is_the_whole_sentence_around_a_mention(text: str, mention: str, sentence: str) -> None:
    from webapp.entities import sentence_bounds

    start = text.index(mention)
    left, right = sentence_bounds(text, start, start + len(mention))
    assert text[left:right] == sentence


def test_a_fact_stated_in_several_graphs_is_shown_once(tmp_path: Path) -> None:
    # the same statement in a second document graph (the union of graphs repeats it)
    fturk, kz = ox.NamedNode(ID + "org/fturk"), ox.NamedNode(ID + "country/KZ")
    path = load_store(tmp_path / "store")
    store = ox.Store(str(path))
    store.add(ox.Quad(fturk, ox.NamedNode("https://w3id.org/labour-kg/ontology#country"), kz,
                      ox.NamedNode("https://w3id.org/labour-kg/graph/doc/another")))
    store.flush()
    del store
    config = Settings().with_(store=str(path), dumps_dir=tmp_path / "dumps", base=ID, queries_dir=ROOT / "queries")
    app = create_app(config, EmbeddedStore(path, read_only=True))
    try:
        page = text_of(app.test_client().get("/id/org/fturk", headers=HTML).data)
    finally:
        app.extensions["kg_runner"].close()
    assert len(re.findall(r"country Kazakhstan", page)) == 1
