"""Failures get the site's own pages (logged with their traceback), never werkzeug's default text; the SPARQL
endpoint answers its machine clients in plain text."""

from __future__ import annotations

import itertools
import logging
import re

import pytest
from flask import Flask
from werkzeug.exceptions import HTTPException

import tests.test_webapp as web
from tests.test_webapp import HTML
from webapp.protocol import Endpoint

app = web.app  # the shared fixture

WERKZEUG_TEXT = "The server encountered an internal error"


class Boom(RuntimeError):
    """Stands for any defect inside a page."""


def boom(*_args: object, **_kwargs: object) -> None:
    raise Boom("a defect")


def page_urls(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every page of the site: each rule's arguments filled with a value its converter
    takes (the first choice of an ``any(...)``, else a word or a number), checked by routing the URL back."""
    adapter = app.url_map.bind("localhost")
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS"})[0]
        candidates = []
        for name in rule.arguments:
            choices = re.search(rf"<any\(([^)]*)\):{name}>", rule.rule)
            candidates.append([c.strip() for c in choices.group(1).split(",")][:1] if choices else ["x", "1"])
        for values in itertools.product(*candidates):
            url = rule.rule
            for name, value in zip(rule.arguments, values, strict=True):
                url = re.sub(rf"<(?:[^<>]*:)?{name}>", value, url)
            try:
                if adapter.match(url, method=method, return_rule=True)[0] is rule:
                    out.append((rule.endpoint, method, url))
                    break
            except HTTPException:
                continue
        else:
            raise AssertionError(f"no URL found for {rule.rule}")
    return out


def test_every_page_is_covered(app: Flask) -> None:
    endpoints = {e for e, _, _ in page_urls(app)}
    assert {"pages.home", "dumps.listing", "queries.index", "entities.entity"} <= endpoints, endpoints


def test_an_exception_inside_any_page_gives_the_site_error_page_and_a_logged_traceback(
    app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client = app.test_client()
    for endpoint, method, url in page_urls(app):
        monkeypatch.setitem(app.view_functions, endpoint, boom)
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="webapp"):
            r = client.open(url, method=method, headers=HTML)
        assert r.status_code == 500, (endpoint, url)
        assert r.mimetype == "text/html"
        page = r.data.decode()
        assert "Something went wrong" in page and "Boom" in page and 'href="/"' in page, url
        assert WERKZEUG_TEXT not in page
        assert "a defect" not in page, "the exception's own message stays in the log"
        records = [rec for rec in caplog.records if rec.exc_info and rec.exc_info[0] is Boom]
        assert records, f"no traceback logged for {url}"
        assert records[0].getMessage().startswith("Exception on")


def test_http_errors_of_pages_get_the_site_page_with_their_reason(app: Flask) -> None:
    r = app.test_client().post("/", headers=HTML)
    assert r.status_code == 405 and r.mimetype == "text/html"
    assert "Method Not Allowed" in r.data.decode() and "labour-kg" in r.data.decode()
    assert 'href="/search"' in r.data.decode()


def test_the_error_page_survives_a_broken_template(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    import webapp.errors

    monkeypatch.setitem(app.view_functions, "pages.home", boom)
    monkeypatch.setattr(webapp.errors, "render_template", boom)
    r = app.test_client().get("/", headers=HTML)
    assert r.status_code == 500 and "Something went wrong" in r.data.decode() and "Boom" in r.data.decode()


def test_the_endpoint_answers_a_defect_in_plain_text_and_logs_it(
    app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    layer = app.wsgi_app  # the endpoint, under whatever middleware wraps it
    while not isinstance(layer, Endpoint):
        layer = layer.app
    monkeypatch.setattr(layer, "answer", boom)
    with caplog.at_level(logging.ERROR, logger="webapp"):
        r = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
    assert r.status_code == 500 and r.mimetype == "text/plain"
    assert r.data.decode() == "internal error (Boom); it was logged\n"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert any(rec.exc_info and rec.exc_info[0] is Boom for rec in caplog.records)
