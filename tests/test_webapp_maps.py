"""Maps of event places: country outlines shipped with the project (Natural Earth), cities sized by events
and linked to their pages, the view fitted to the events, the same map on country and organisation pages;
nothing on them points outside the site."""

from __future__ import annotations

import csv
import io
import re

from flask.testing import FlaskClient

from tests import test_webapp as web
from tests.test_webapp import HTML
from webapp.maps import outlines
from webapp.tools.make_outlines import convert

app, client = web.app, web.client  # the shared fixtures


def svg_of(html: str) -> str:
    return html.split('<svg class="map"', 1)[1].split("</svg>", 1)[0]


def test_the_shipped_outlines_cover_the_world_with_iso_codes() -> None:
    countries = outlines()
    assert len(countries) > 170
    codes = {c["iso2"] for c in countries}
    assert {"KZ", "CH", "IT", "DK", "BE", "RU", "UZ", "US", "BR", "AU"} <= codes
    kz = next(c for c in countries if c["iso2"] == "KZ")
    west, south, east, north = kz["bbox"]
    assert 45 < west < 48 and 86 < east < 88 and 40 < south < 41.5 and 55 < north < 56


def test_the_map_draws_country_outlines_and_cities_sized_by_events(client: FlaskClient) -> None:
    r = client.get("/map")
    assert r.status_code == 200
    svg = svg_of(r.text)
    assert svg.count("<path") > 20  # Europe and Central Asia around the cities
    assert 'data-country="KZ"' in svg and 'data-country="CH"' in svg
    assert 'data-country="BR"' not in svg  # the view fits the events: South America is left out
    geneva = re.search(r'href="/id/city/2660646"><circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)
    almaty = re.search(r'href="/id/city/1526384"><circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)
    assert geneva and almaty
    assert float(geneva[3]) > float(almaty[3])  # two events in Geneva, one in Almaty
    assert "Geneva: 2 events" in svg


def test_countries_link_to_their_events_and_hosts_are_shaded(client: FlaskClient) -> None:
    svg = svg_of(client.get("/map").text)
    assert re.search(r'<a href="/events\?country=KZ"><path d="M[^"]+" class="hosts', svg)
    assert not re.search(r'<a href="/events\?country=CN"><path d="M[^"]+" class="hosts', svg)


def test_nothing_on_a_map_points_outside_the_site(client: FlaskClient) -> None:
    for url in ("/map", "/id/country/KZ", "/id/org/fturk"):
        svg = svg_of(client.get(url, headers=HTML).text)
        assert "http://" not in svg and "https://" not in svg and "//" not in svg.replace("</", ""), url


def test_the_map_takes_the_events_views_filters(client: FlaskClient) -> None:
    only_2021 = svg_of(client.get("/map?year=2021").text)
    assert 'href="/id/city/1526384"' in only_2021 and 'href="/id/city/2660646"' not in only_2021
    r = client.get("/map?year=twenty")
    assert r.status_code == 400 and "year must be a year of four digits" in r.text


def test_the_maps_table_of_cities_comes_as_csv_and_json(client: FlaskClient) -> None:
    html = client.get("/map?year=2023").text
    assert 'as <a href="/map.csv?year=2023">CSV</a> <a href="/map.json?year=2023">JSON</a>' in html
    table = html.split('<table class="results">', 1)[1]
    r = client.get("/map.csv?year=2023")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    (geneva,) = csv.DictReader(io.StringIO(r.text))
    assert f'<a href="/id/city/2660646">{geneva["city"]}</a></td><td>{geneva["events"]}</td>' in table
    assert geneva == {"city": "Geneva", "city_iri": web.ID + "city/2660646", "events": "2",
                      "latitude": "46.20222", "longitude": "6.14569"}
    every = client.get("/map", query_string={"format": "json"}).json
    assert every["list"] == "map" and every["total"] == 2 and every["filters"] == {}
    assert [(row["city"]["label"], row["events"]) for row in every["rows"]] == [("Geneva", 2), ("Almaty", 1)]
    assert every["rows"][1]["latitude"] == 43.25667


def test_bad_map_downloads_get_a_4xx_with_the_reason(client: FlaskClient) -> None:
    r = client.get("/map.csv?year=twenty")
    assert r.status_code == 400 and r.mimetype == "text/plain" and "year must be a year of four digits" in r.text
    assert client.get("/map.xml").status_code == 404
    r = client.get("/map?format=xml")
    assert r.status_code == 400 and "comes as html, csv or json" in r.text


def test_country_and_organisation_pages_show_their_events_on_the_map(client: FlaskClient) -> None:
    kz = client.get("/id/country/KZ", headers=HTML).text
    svg = svg_of(kz)
    assert 'href="/id/city/1526384"' in svg and 'href="/id/city/2660646"' not in svg
    assert re.search(r'<path d="M[^"]+" class="hosts on" data-country="KZ"', svg)
    assert 'href="/events?country=KZ"' in kz
    fturk = svg_of(client.get("/id/org/fturk", headers=HTML).text)
    assert 'href="/id/city/1526384"' in fturk and 'href="/id/city/2660646"' in fturk
    assert '<svg class="map"' not in client.get("/id/person/satybaldy-dauletalin", headers=HTML).text


def test_topojson_arcs_are_decoded_into_rings() -> None:
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 40]},
        "arcs": [[[0, 0], [4, 0], [0, 8]], [[4, 8], [-4, 0], [0, -8]]],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "id": "398", "properties": {"name": "Kazakhstan"}},
            {"type": "Polygon", "arcs": [[~1, ~0]], "properties": {"name": "Nowhere land"}},
        ]}},
    }
    kz, nowhere = convert(topology)["countries"]
    assert kz["iso2"] == "KZ" and kz["rings"] == [[10, 40, 12, 40, 12, 42, 10, 42, 10, 40]]
    assert kz["bbox"] == [10, 40, 12, 42]
    assert nowhere["iso2"] is None and nowhere["rings"][0][:4] == [10, 40, 10, 42]
