"""A reader's path through the site in Debian's headless chromium: home -> search -> entity page -> saved query
-> CSV download, and the SPARQL editor running a query. Never downloads a browser: skipped without
/usr/bin/chromium on a developer's machine, a failure in CI."""

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
        page.locator("input[name=org]").press_sequentially("Federation of Trade")  # suggestions by name
        page.wait_for_selector("datalist option[value='https://w3id.org/labour-kg/id/org/fturk']", state="attached")
        page.fill("input[name=org]", "https://w3id.org/labour-kg/id/org/fturk")
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
