"""Saved-query pages read by people: each value once (a linked label, never the label again beside it), no
column that only repeats the form, dates as dates, empty cells as "—"; IRI parameters picked by name (the
label shown, the IRI kept in the URL) while API callers keep giving IRIs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests import test_webapp as web
from tests.test_webapp import HTML, ID
from webapp.saved import QueryFileError, parse

app, client = web.app, web.client  # the shared fixtures
FTURK = ID + "org/fturk"


def header(html: str) -> list[str]:
    head = html.split('<table class="results">', 1)[1].split("</thead>", 1)[0]
    return re.findall(r"<th>([^<]*)</th>", head)


def test_each_value_is_shown_once(client: FlaskClient) -> None:
    html = client.get("/queries/events-attended-by-organisation", headers=HTML,
                      query_string={"org": FTURK, "year": "2023"}).text
    # ?name repeats the event's label, ?org and ?year repeat the form: none of them is a column
    assert header(html) == ["event", "kind", "start", "city", "country"]
    body = html.split("<tbody>", 1)[1]
    assert body.count("Meeting of FTURK and the ILO") == 1
    assert ">en<" not in body  # no language tag of a repeated name


def test_an_unbound_parameter_column_that_stays_empty_is_left_out_but_data_is_kept(client: FlaskClient) -> None:
    html = client.get("/queries/events-attended-by-organisation", headers=HTML).text
    assert "year" not in header(html)  # the year was not asked: the column would be empty
    csv = client.get("/queries/events-attended-by-organisation.csv").text
    assert csv.splitlines()[0] == "event,name,kind,start,city,country,org,year"  # downloads keep every column


def test_dates_are_dates_and_empty_cells_a_dash(client: FlaskClient) -> None:
    html = client.get("/queries/events-attended-by-organisation", headers=HTML, query_string={"org": FTURK}).text
    assert '<time datetime="2023-06-12">12 June 2023</time>' in html
    assert '<time datetime="2021-11">November 2021</time>' in html
    ru = client.get("/queries/events-attended-by-organisation", headers=HTML,
                    query_string={"org": FTURK, "lang": "ru"}).text
    assert '<time datetime="2023-06-12">12 июня 2023</time>' in ru
    centres = client.get("/queries/organisations-by-class", headers=HTML).text  # the ITUC has no country
    row = next(r for r in centres.split("<tr>") if "/id/org/ituc" in r)
    assert '<td><span class="empty" title="not known">—</span></td>' in row and "<td></td>" not in centres


def test_the_form_shows_the_label_of_the_chosen_iri(client: FlaskClient) -> None:
    html = client.get("/queries/events-attended-by-organisation", headers=HTML, query_string={"org": FTURK}).text
    field = re.search(r'<input name="org"[^>]*>', html)[0]
    assert f'value="{FTURK}"' in field and 'data-type="iri"' in field
    assert 'data-label="Federation of Trade Unions of the Republic of Kazakhstan"' in field
    assert 'data-class="http://www.w3.org/ns/org#Organization"' in field


@pytest.mark.parametrize("name", ["FTURK", "ФПРК", "federation of trade unions of the republic"])
def test_a_name_typed_for_an_iri_goes_to_the_iri_of_its_best_match(client: FlaskClient, name: str) -> None:
    r = client.get("/queries/events-attended-by-organisation", headers=HTML,
                   query_string={"org": name, "year": "2023"})
    assert r.status_code == 303
    assert r.headers["Location"] == ("/queries/events-attended-by-organisation?org=https%3A%2F%2Fw3id.org"
                                     "%2Flabour-kg%2Fid%2Forg%2Ffturk&year=2023")


def test_a_name_matching_nothing_gets_400_with_the_form(client: FlaskClient) -> None:
    r = client.get("/queries/events-attended-by-organisation", headers=HTML, query_string={"org": "Qwxzyk"})
    assert r.status_code == 400
    assert "nothing in the graph is called &#39;Qwxzyk&#39;" in r.text and "<form" in r.text


def test_api_callers_give_iris(client: FlaskClient) -> None:
    assert client.get("/queries/events-attended-by-organisation.csv", query_string={"org": FTURK}).status_code == 200
    r = client.get("/queries/events-attended-by-organisation.csv", query_string={"org": "FTURK"})
    assert r.status_code == 400 and "an IRI needs a scheme" in r.text


def test_search_suggests_only_entities_of_the_parameters_class(client: FlaskClient) -> None:
    anything = {h["iri"] for h in client.get("/search?format=json&q=Kazakhstan").json}
    assert ID + "country/KZ" in anything and FTURK in anything
    orgs = {h["iri"] for h in client.get("/search?format=json&q=Kazakhstan&type=org:Organization").json}
    assert FTURK in orgs and ID + "country/KZ" not in orgs
    full = client.get("/search", query_string={"format": "json", "q": "Kazakhstan",
                                               "type": "http://schema.org/Country"}).json
    assert [h["iri"] for h in full] == [ID + "country/KZ"]


def test_a_class_is_for_iri_parameters_only(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("#+ title: t\n#+ param x: string ; class: org:Organization\nSELECT ?x WHERE { ?x ?p ?o }\n")
    with pytest.raises(QueryFileError, match="class"):
        parse(bad)
    bad.write_text("#+ title: t\n#+ param x: iri ; class: org:Organization\nSELECT ?x WHERE { ?x ?p ?o }\n")
    assert parse(bad).parameters[0].cls == "http://www.w3.org/ns/org#Organization"
