"""The site in its readers' terms: the home page (organisations by kind, people, events by kind and year,
memoranda, conventions, documents; no technical class), the browsable lists and the events view (filters,
facets, sorting, pages, timeline, CSV/JSON of exactly what is shown), the engineers' lists of all classes and
of the instances of one (the same, downloads included), and a reasoned 4xx for every bad parameter."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from html import unescape

import pytest
from flask.testing import FlaskClient

from tests import test_webapp as web
from tests.test_webapp import HTML, ID, text_of
from webapp import lists

app, client = web.app, web.client  # the shared fixtures
FTURK = ID + "org/fturk"


def test_home_speaks_in_readers_terms_with_counts_and_links(client: FlaskClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    html, page = r.text, text_of(r.data)
    for link in ('href="/events"', 'href="/organisations"', 'href="/people"', 'href="/memoranda"',
                 'href="/conventions"', 'href="/documents"', 'href="/organisations?kind=TradeUnionCentre"',
                 'href="/events?year=2023"', 'href="/events?kind=Seminar"', 'href="/classes"'):
        assert link in html, link
    assert "Trade union centres 3" in page and "Sectoral unions 1" in page
    assert "Events 3" in page and "People 2" in page and "ILO conventions 2" in page
    assert "All 4 documents" in page
    assert "Gender equality seminar in Almaty" in page


def test_no_technical_class_is_on_the_home_page(client: FlaskClient) -> None:
    html = client.get("/").text
    assert "/browse?class=" not in html
    for technical in ("owl:", "oa:", "prov:", "Annotation", "owl#", "ontology (", "Selector"):
        assert technical not in html, technical


def test_no_document_is_untitled(client: FlaskClient) -> None:
    for url in ("/", "/documents"):
        assert "(untitled)" not in client.get(url).text


def test_all_classes_page_lists_the_technical_ones_for_engineers(client: FlaskClient) -> None:
    r = client.get("/classes")
    assert r.status_code == 200
    assert "owl:Ontology" in r.text and "oa:Annotation" in r.text and "prov:Activity" in r.text
    assert 'href="/browse?class=http%3A%2F%2Fwww.w3.org%2Fns%2Foa%23Annotation"' in r.text
    assert '<td class="iri"><code>lkg:TradeUnion</code></td>' in r.text  # a labelled class keeps its IRI in view
    body = r.text.split("<tbody>", 1)[1]
    assert body.index("oa:Annotation") < body.index("owl:Ontology")  # the most instances first


def rows_of(html: str) -> list[str]:
    """The cells' text of each row of a list page's table."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [" ".join(text_of(row.encode()).split()) for row in body.split("<tr>") if row.strip()]


def test_classes_come_as_csv_and_json_of_exactly_what_the_page_shows(client: FlaskClient) -> None:
    html = client.get("/classes?sort=name").text
    assert 'this page as <a href="/classes.csv?sort=name">CSV</a> <a href="/classes.json?sort=name">JSON</a>' in html
    rows = list(csv.DictReader(io.StringIO(client.get("/classes.csv?sort=name").text)))
    assert [f"{r['name']} {r['prefixed']} {r['instances']}" for r in rows] == rows_of(html)
    union = next(r for r in rows if r["prefixed"] == "lkg:TradeUnion")
    assert union == {"name": "trade union", "name_iri": "https://w3id.org/labour-kg/ontology#TradeUnion",
                     "prefixed": "lkg:TradeUnion", "instances": "4"}
    data = client.get("/classes.json", query_string={"sort": "name"}).json
    assert data["list"] == "classes" and data["sort"] == "name" and data["total"] == len(rows)
    assert [c["key"] for c in data["columns"]] == ["name", "prefixed", "instances"]
    assert [r["name"]["iri"] for r in data["rows"]] == [r["name_iri"] for r in rows]
    assert {"name": {"label": "trade union", "iri": union["name_iri"]}, "prefixed": "lkg:TradeUnion",
            "instances": 4} in data["rows"]


def test_instances_of_a_class_are_a_list_with_downloads(client: FlaskClient) -> None:
    r = client.get("/browse", query_string={"class": "schema:Person", "sort": "-name"})
    assert r.status_code == 200
    page = text_of(r.data)
    assert "2 items" in page and "Class: schema:Person" in page
    satybaldy, gilbert = ID + "person/satybaldy-dauletalin", ID + "person/gilbert-f-houngbo"
    assert rows_of(r.text) == [f"Satybaldy Dauletalin {satybaldy} 1", f"Gilbert F. Houngbo {gilbert} 1"]
    assert 'href="/browse.csv?class=schema%3APerson&amp;sort=-name"' in r.text
    assert 'aria-label="remove the filter Class"' not in r.text  # the class cannot be dropped
    rows = list(csv.DictReader(io.StringIO(client.get("/browse.csv?class=schema%3APerson&sort=-name").text)))
    assert rows == [{"name": "Satybaldy Dauletalin", "name_iri": satybaldy, "prefixed": satybaldy, "documents": "1"},
                    {"name": "Gilbert F. Houngbo", "name_iri": gilbert, "prefixed": gilbert, "documents": "1"}]
    full = client.get("/browse.json", query_string={"class": "http://schema.org/Person", "page": "all"}).json
    assert full["filters"] == {"class": "http://schema.org/Person"} and full["page"] == "all"
    assert full["sort"] == "prefixed"  # in order of IRI by default
    assert [row["name"]["label"] for row in full["rows"]] == ["Gilbert F. Houngbo", "Satybaldy Dauletalin"]
    down = client.get("/browse.json", query_string={"class": "schema:Person", "sort": "-prefixed"}).json
    assert [row["prefixed"] for row in down["rows"]] == [satybaldy, gilbert]


def test_the_last_page_of_a_list_is_counted_without_a_count_query(client: FlaskClient,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("webapp.listing.total", lambda *_args: pytest.fail("counted"))
    assert "2 items" in text_of(client.get("/browse?class=schema:Person").data)
    assert client.get("/events.json?page=all").json["total"] == 3


def test_a_declared_class_without_instances_is_an_empty_list(client: FlaskClient) -> None:
    r = client.get("/browse.json", query_string={"class": "lkg:Session"})  # declared, never used
    assert r.status_code == 200 and r.json["total"] == 0 and r.json["rows"] == []


def test_organisations_of_a_kind_are_counted_and_linked(client: FlaskClient) -> None:
    r = client.get("/organisations?kind=TradeUnionCentre")
    assert r.status_code == 200
    page = text_of(r.data)
    assert "3 items" in page
    assert 'href="/id/org/fturk"' in r.text and 'href="/id/org/ituc"' in r.text and "bold-union" not in r.text
    # the most mentioned first (the default sort is by documents, descending)
    assert r.text.index("/id/org/fturk") < r.text.index("/id/org/gctu")


def test_events_view_shows_date_kind_place_country_organisers_and_participants(client: FlaskClient) -> None:
    r = client.get("/events")
    assert r.status_code == 200
    rows = [row for row in r.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>") if row.strip()]
    assert len(rows) == 3
    first, second, third = (text_of(row.encode()) for row in rows)  # in order of date
    assert first.startswith(" November 2021 Seminar on gender equality seminar Almaty Kazakhstan Federation")
    assert "Federation of Trade Unions of the Republic of Kazakhstan" in first  # organiser
    assert "International Trade Union Confederation" in first  # participant
    assert second.startswith(" 5 June 2023 111th session") and third.startswith(" 12 June 2023 Meeting of FTURK")
    assert '<time datetime="2023-06-12">12 June 2023</time>' in r.text


def test_events_view_filters_by_year_and_organisation_with_readable_chips(client: FlaskClient) -> None:
    r = client.get("/events", query_string={"year": "2023", "org": FTURK})
    assert r.status_code == 200
    page = text_of(r.data)
    assert "2 items" in page
    assert "Year: 2023" in page and "Organisation: Federation of Trade Unions of the Republic of Kazakhstan" in page
    assert "Seminar on gender equality" not in page
    assert FTURK not in page  # the filter shows the label, the IRI stays in the URL


def test_events_view_facets_link_to_the_filtered_views(client: FlaskClient) -> None:
    html = client.get("/events").text
    assert 'href="/events?year=2021"' in html and 'href="/events?year=2023"' in html
    assert 'href="/events?country=KZ"' in html and 'href="/events?country=CH"' in html
    assert 'href="/events?kind=Seminar"' in html
    assert "href=\"/events?org=https%3A%2F%2Fw3id.org%2Flabour-kg%2Fid%2Forg%2Ffturk\"" in html
    by_country = client.get("/events?country=kz")
    assert by_country.status_code == 200 and "1 item" in text_of(by_country.data)


def test_events_view_draws_a_timeline_of_the_filtered_events(client: FlaskClient) -> None:
    html = client.get("/events").text
    svg = html.split('<figure class="timeline-picture">', 1)[1].split("</figure>", 1)[0]
    assert svg.count("<rect") == 3  # 2021: a seminar; 2023: a session of the ILC and a meeting, stacked
    assert 'href="/events?year=2021"' in svg and ">2022<" in svg  # the empty year is shown as a gap
    by_month = client.get("/events?year=2023").text.split('<figure class="timeline-picture">', 1)[1]
    assert ">Jun<" in by_month.split("</figure>", 1)[0]


def test_lists_sort_by_any_column_both_ways(client: FlaskClient) -> None:
    up = client.get("/events?sort=name").text.split("<tbody>", 1)[1]
    down = client.get("/events?sort=-name").text.split("<tbody>", 1)[1]
    assert up.index("111th session") < up.index("Seminar on gender equality")
    assert down.index("111th session") > down.index("Seminar on gender equality")
    assert 'class="sorted"' in client.get("/events?sort=name").text


def test_lists_are_paged(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    small = dataclasses.replace(lists.EVENTS_LIST, page_size=2)
    monkeypatch.setitem(lists.LISTINGS, "events", small)
    monkeypatch.setattr("webapp.browse.EVENTS_LIST", small)
    first = client.get("/events")
    assert "page 1 of 2" in text_of(first.data) and 'href="/events?page=2"' in first.text
    second = client.get("/events?page=2")
    assert second.status_code == 200 and "Meeting of FTURK and the ILO" in second.text
    assert "Seminar on gender equality" not in second.text.split("<tbody>", 1)[1]


@pytest.mark.parametrize("url, reason", [
    ("/events?year=18", "year must be a year of four digits"),
    ("/events?year=abcd", "year must be a year of four digits"),
    ("/events?kind=Party", "unknown kind 'Party'"),
    ("/organisations?kind=Event", "unknown kind 'Event'"),
    ("/events?country=ZZ", "two-letter code of a country"),
    ("/events?org=not%20an%20iri", "nothing in the graph has the IRI"),
    ("/events?org=https://example.org/nobody", "nothing in the graph has the IRI"),
    ("/events?sort=colour", "cannot sort by 'colour'"),
    ("/events?page=0", "page must be a whole number"),
    ("/events?page=x", "page must be a whole number"),
    ("/documents?lang=de", "unknown lang 'de'"),
    ("/classes?sort=colour", "cannot sort by 'colour'"),
    ("/classes?page=0", "page must be a whole number"),
    ("/browse?sort=name", "class is required: the IRI of a class, full or prefixed (such as schema:Event); "
                          "/classes lists them"),
    ("/browse?class=not%20an%20iri", "class: the graph has no class with the IRI 'not an iri'"),
    ("/browse?class=https://example.org/Nothing", "the graph has no class with the IRI"),
    ("/browse?class=nope:Person", "the graph has no class with the IRI 'nope:Person'"),
    ("/browse?class=schema:Person&sort=colour", "cannot sort by 'colour'"),
])
def test_bad_parameters_get_400_with_the_reason(client: FlaskClient, url: str, reason: str) -> None:
    for how in (HTML, {"Accept": "text/csv"}):
        r = client.get(url, headers=how)
        assert r.status_code == 400, url
        assert reason in unescape(r.text), url
    path, _, query = url.partition("?")
    for fmt in ("json", "csv"):
        r = client.get(f"{path}.{fmt}?{query}")
        assert r.status_code == 400 and r.mimetype == "text/plain" and reason in r.text, (url, fmt)


def test_the_error_page_of_a_list_that_needs_a_class_points_to_the_classes(client: FlaskClient) -> None:
    r = client.get("/browse", headers=HTML)
    assert r.status_code == 400 and 'href="/classes">Choose a class</a>' in r.text


def test_a_page_past_the_end_is_404_with_the_reason(client: FlaskClient) -> None:
    r = client.get("/events?page=7")
    assert r.status_code == 404 and "page 7 is past the last page (1)" in r.text
    assert client.get("/events.csv?page=7").status_code == 404
    assert client.get("/events.xml").status_code == 404
    assert client.get("/events?format=xml").status_code == 400
    assert client.get("/classes?page=2").status_code == 404
    assert client.get("/browse.json?class=schema:Person&page=2").status_code == 404
    assert client.get("/classes.xml").status_code == 404


def test_csv_is_exactly_what_the_page_shows(client: FlaskClient) -> None:
    query = {"year": "2023", "org": FTURK, "sort": "-date"}
    html = client.get("/events", query_string=query).text
    fturk = "https%3A%2F%2Fw3id.org%2Flabour-kg%2Fid%2Forg%2Ffturk"
    assert f'href="/events.csv?year=2023&amp;org={fturk}&amp;sort=-date"' in html
    r = client.get("/events.csv", query_string=query)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["name"] for row in rows] == ["Meeting of FTURK and the ILO",
                                              "111th session of the International Labour Conference"]
    assert rows[0]["date"] == "2023-06-12" and rows[0]["place"] == "Geneva" and rows[0]["country"] == "Switzerland"
    assert rows[0]["name_iri"] == ID + "event/fturk-ilo-meeting-2023"
    assert rows[0]["participants"].split("; ")[0] == "Federation of Trade Unions of the Republic of Kazakhstan"
    assert rows[1]["organisers"] == "International Labour Organization"


def test_json_is_exactly_what_the_page_shows(client: FlaskClient) -> None:
    r = client.get("/events.json", query_string={"country": "KZ"})
    assert r.status_code == 200 and r.mimetype == "application/json"
    data = json.loads(r.text)
    assert data["total"] == 1 and data["filters"] == {"country": "KZ"} and data["page"] == 1
    (row,) = data["rows"]
    assert row["name"] == {"label": "Seminar on gender equality", "iri": ID + "event/gender-seminar-2021"}
    assert row["date"] == "2021-11" and row["kind"] == [{"label": "seminar", "iri": row["kind"][0]["iri"]}]
    assert {p["label"] for p in row["participants"]} == {"International Trade Union Confederation",
                                                       "Union of <b>Bold</b> Workers <script>alert('label')</script>"}
    assert client.get("/events", query_string={"country": "KZ", "format": "json"}).json == data
    every = client.get("/events.json?page=all").json
    assert every["page"] == "all" and len(every["rows"]) == 3


def test_an_organisations_events_and_memoranda_link_to_the_lists_that_hold_them(client: FlaskClient) -> None:
    html = client.get("/id/org/fturk", headers=HTML).text
    fturk = "https%3A%2F%2Fw3id.org%2Flabour-kg%2Fid%2Forg%2Ffturk"
    assert f'href="/events?org={fturk}">these events as a list</a>' in html
    assert f'href="/memoranda?party={fturk}">these memoranda as a list</a>' in html
    events = html.split("<h2>Events</h2>", 1)[1].split("</ol>", 1)[0]
    listed = client.get("/events.json", query_string={"org": FTURK, "page": "all"}).json["rows"]
    shown = re.findall(r'href="/id/([^"]+)"', events)
    assert len(shown) == 3 and sorted(e["name"]["iri"].removeprefix(ID) for e in listed) == sorted(shown)
    memoranda = client.get("/memoranda.json", query_string={"party": FTURK}).json["rows"]
    assert [m["name"]["iri"] for m in memoranda] == [ID + "memorandum/fturk-gctu-2022"]
    assert "these events as a list" not in client.get("/id/person/satybaldy-dauletalin", headers=HTML).text


@pytest.mark.parametrize("url, expected", [
    ("/people", "Satybaldy Dauletalin"),
    ("/memoranda", "Memorandum"),
    ("/conventions", "Freedom of Association and Protection of the Right to Organise Convention"),
    ("/documents", "FTURK and ILO meet in Geneva"),
    ("/documents?lang=ru", "ru-2022-014"),
    ("/organisations?country=KZ", "Federation of Trade Unions of the Republic of Kazakhstan"),
    ("/classes", "schema:Event"),
    ("/browse?class=lkg:TradeUnionCentre", "International Trade Union Confederation"),
])
def test_every_list_answers(client: FlaskClient, url: str, expected: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, url
    assert expected in r.text or expected in text_of(r.data), url
    assert client.get(url.replace("?", ".csv?") if "?" in url else url + ".csv").status_code == 200
