"""webapp.protocol answers /sparql queries before Flask sees them: methods, limits and headers hold there too."""

from __future__ import annotations

import urllib.parse

from flask.testing import FlaskClient

from tests import test_webapp as web
from webapp import MAX_REQUEST_BYTES

app, client = web.app, web.client  # the shared fixtures
ASK = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
JSON = "application/sparql-results+json"


def test_other_methods_get_405_with_a_reason(client: FlaskClient) -> None:
    r = client.put(ASK)
    assert r.status_code == 405
    assert "GET, HEAD and POST" in r.get_data(as_text=True)
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_head_gives_the_headers_of_get_without_a_body(client: FlaskClient) -> None:
    got = client.get(ASK, headers={"Accept": JSON})
    head = client.head(ASK, headers={"Accept": JSON})
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"] == JSON
    assert head.headers["Content-Length"] == str(len(got.data))


def test_a_body_over_the_cap_gets_413_from_the_handler(client: FlaskClient) -> None:
    r = client.post("/sparql", data={"query": "ASK {}", "pad": "x" * (MAX_REQUEST_BYTES + 1)})
    assert r.status_code == 413
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_answers_carry_cors_and_limits_once(client: FlaskClient) -> None:
    r = client.get(ASK, headers={"Accept": JSON})
    assert r.get_json() == {"head": {}, "boolean": True}
    assert r.headers.getlist("Access-Control-Allow-Origin") == ["*"]
    assert r.headers.getlist("X-KG-Max-Rows") and r.headers.getlist("X-KG-Time-Limit")
    assert r.headers["Vary"] == "Accept"


def test_pages_of_sparql_still_come_from_flask(client: FlaskClient) -> None:
    editor = client.get(ASK, headers={"Accept": "text/html"})
    assert editor.status_code == 200 and b"<textarea" in editor.data
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert b"sparql-service-description" in description.data
    assert description.headers.getlist("Access-Control-Allow-Origin") == ["*"]
