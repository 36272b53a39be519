"""A reader's path through the site in Debian's headless chromium: home -> search -> entity page -> saved query
-> CSV download; home -> events of a year -> an organisation's -> event page; a saved query run through the
picker without typing an IRI; maps drawn with no request leaving the site; the SPARQL editor running a query.
Never downloads a browser: skipped without /usr/bin/chromium on a developer's machine, a failure in CI."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import test_webapp_server as served

server = served.server  # the shared fixture
CHROMIUM = Path("/usr/bin/chromium")
FTURK = "https://w3id.org/labour-kg/id/org/fturk"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make system-deps` installs it")
        pytest.skip(f"{CHROMIUM} is not installed (make system-deps installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            yield browser
        finally:
            browser.close()


def test_home_search_entity_saved_query_csv(browser, server: served.Running, tmp_path: Path) -> None:
    page = browser.new_page(accept_downloads=True)
    try:
        page.goto(server.url + "/")
        assert "labour-kg" in page.title()
        page.fill("form.big-search input[name=q]", "ФПРК")
        page.press("form.big-search input[name=q]", "Enter")
        page.wait_for_url("**/search?q=*")
        page.click("ul.search-results a >> nth=0")
        page.wait_for_url("**/id/org/fturk")
        assert page.inner_text("h1") == "Federation of Trade Unions of the Republic of Kazakhstan"
        assert page.locator("svg.neighbourhood").count() == 1
        assert page.locator(".evidence mark").count() >= 3

        page.click("header nav >> text=Queries")
        page.click("text=Who holds which post in which organisation")
        page.wait_for_url("**/queries/posts-in-organisations")
        page.locator("form.params .picker-text").press_sequentially("Federation of Trade")  # suggestions by name
        page.click(f"[role=option][data-iri='{FTURK}']")
        page.click("form.params button")
        page.wait_for_url("**/queries/posts-in-organisations?org=*")
        assert "Satybaldy Dauletalin" in page.inner_text("table.results")
        with page.expect_download() as info:
            page.click("p.downloads >> text=CSV")
        target = tmp_path / "posts.csv"
        info.value.save_as(target)
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
        assert [r["person"] for r in rows] == ["https://w3id.org/labour-kg/id/person/satybaldy-dauletalin"]
    finally:
        page.close()


def test_language_switch_changes_labels(browser, server: served.Running) -> None:
    page = browser.new_page()
    try:
        page.goto(server.url + "/id/org/ilo")
        page.click("header .langs >> text=ru")
        page.wait_for_url("**/id/org/ilo")
        assert page.inner_text("h1") == "Международная организация труда"
    finally:
        page.close()


def test_sparql_editor_runs_a_query_and_links_entities(browser, server: served.Running) -> None:
    page = browser.new_page()
    try:
        page.goto(server.url + "/sparql")
        assert page.locator("#highlight .kw").count() > 0  # syntax highlighting
        page.fill("#query", "SELECT ?p WHERE { ?p a <http://schema.org/Person> } ORDER BY ?p")
        page.click("#run")
        page.wait_for_selector("table.results td a")
        links = page.locator("table.results td a")
        assert links.count() == 2
        assert links.nth(0).get_attribute("href") == "/id/person/gilbert-f-houngbo"
        assert "query=" in page.url  # shareable
        assert page.locator("#download-links a").count() == 4
    finally:
        page.close()


def test_home_to_the_events_of_a_year_to_an_event_in_three_clicks(browser, server: served.Running) -> None:
    """Which international events did FTURK attend in 2023, where, and with whom: no IRI, no SPARQL."""
    page = browser.new_page()
    try:
        page.goto(server.url + "/")
        page.click("#events .years >> text=2023")  # 1
        page.wait_for_url("**/events?year=2023")
        assert page.locator("table.list tbody tr").count() == 2
        page.click("[data-facet=org] >> text=Federation of Trade Unions of the Republic of Kazakhstan")  # 2
        page.wait_for_url("**/events?year=2023&org=*")
        table = page.inner_text("table.list")
        assert "Geneva" in table and "Switzerland" in table  # where
        assert "Gilbert F. Houngbo" in table and "International Labour Organization" in table  # with whom
        assert page.locator(".timeline-picture rect").count() == 2
        page.click("table.list >> text=Meeting of FTURK and the ILO")  # 3
        page.wait_for_url("**/id/event/fturk-ilo-meeting-2023")
        assert page.inner_text("h1") == "Meeting of FTURK and the ILO"
    finally:
        page.close()


def test_a_saved_query_runs_through_the_picker_without_typing_an_iri(browser, server: served.Running) -> None:
    page = browser.new_page()
    try:
        page.goto(server.url + "/queries/events-attended-by-organisation")
        picker = page.locator("form.params .picker-text")
        assert picker.input_value() == "Federation of Trade Unions of the Republic of Kazakhstan"  # the default
        picker.fill("")
        picker.press_sequentially("МОТ")  # the ILO, by its Russian acronym
        page.wait_for_selector("[role=option][data-iri$='/org/ilo']")
        picker.press("ArrowDown")
        picker.press("Enter")  # chooses the highlighted suggestion, does not submit
        assert picker.input_value() == "International Labour Organization"
        page.fill("input[name=year]", "2023")
        page.click("form.params button")
        page.wait_for_url("**/queries/events-attended-by-organisation?org=https%3A%2F%2Fw3id.org%2F*ilo&year=2023")
        assert "Meeting of FTURK and the ILO" in page.inner_text("table.results")
        assert page.locator("form.params .picker-text").input_value() == "International Labour Organization"
    finally:
        page.close()


def test_maps_draw_outlines_and_no_request_leaves_the_site(browser, server: served.Running) -> None:
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        for path in ("/map", "/id/country/KZ", "/id/org/fturk", "/events"):
            page.goto(server.url + path)
            if path != "/events":
                assert page.locator("svg.map .countries path").count() >= 8, path
                box = page.locator("svg.map").bounding_box()
                assert box and box["width"] > 300 and box["height"] > 100, path
        page.goto(server.url + "/map")
        page.click("svg.map a[href='/id/city/2660646']")  # a city is clickable
        page.wait_for_url("**/id/city/2660646")
    finally:
        page.close()
    outside = [url for url in requested if not url.startswith(server.url + "/")]
    assert not outside, outside
