"""HTTP caching (webapp/caching.py): validators and freshness on every read, 304s made before any work, nothing
reusable on errors, time-outs, cut answers or POST, and new validators after every commit of the store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kg.build import remove
from kg.config import ROOT, Settings
from kg.search import rebuild_index
from kg.store.embedded import EmbeddedStore
from kg.store.published import ensure_published
from tests import test_webapp as web
from tests.test_security_endpoint import PATHOLOGICAL
from tests.test_webapp import HTML, ID, load_store, make_app
from webapp import create_app

app, client = web.app, web.client  # the shared fixtures

TURTLE = {"Accept": "text/turtle"}
JSON = {"Accept": "application/sparql-results+json"}
LOOKUP = f"SELECT ?p ?o WHERE {{ <{ID}org/ilo> ?p ?o }}"
#: One request for each read route, as (path, headers).
READS = [
    ("/", HTML),
    ("/search?q=ilo", HTML),
    ("/search?q=ilo&format=json", {}),
    ("/search?q=ilo&format=csv", {}),
    ("/browse?class=http://schema.org/Person", HTML),
    ("/classes", HTML),
    ("/organisations", HTML),
    ("/events?page=1", HTML),
    ("/people.csv", {}),
    ("/events.json", {}),
    ("/classes.json", {}),
    ("/browse.csv?class=schema:Person", {}),
    ("/map", HTML),
    ("/map.csv?year=2023", {}),
    ("/ontology", HTML),
    ("/queries", HTML),
    ("/queries/posts-in-organisations", HTML),
    ("/queries/posts-in-organisations.csv", {}),
    ("/queries/posts-in-organisations?format=json", {}),
    ("/api/openapi.json", {}),
    ("/id/org/ilo", HTML),
    ("/id/org/ilo", TURTLE),
    ("/id/org/ilo.jsonld", {}),
    ("/id/doc/en-2023-001", HTML),
    ("/sparql", {}),
    ("/sparql", HTML),
    ("/sparql?query=" + LOOKUP, JSON),
    ("/sparql?query=" + LOOKUP, HTML),
    ("/dumps/", HTML),
    ("/.well-known/void", {}),
    ("/static/site.css", {}),
]


def validators(response) -> dict[str, str | None]:
    return {name: response.headers.get(name) for name in ("ETag", "Last-Modified", "Cache-Control")}


@pytest.mark.parametrize(("path", "headers"), READS)
def test_every_read_sends_validators_and_answers_a_repeat_with_304(client: FlaskClient, path: str,
                                                                    headers: dict) -> None:
    first = client.get(path, headers=headers)
    assert first.status_code == 200, first.data[:300]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get(path, headers=headers)
    assert again.headers["ETag"] == first.headers["ETag"]
    repeat = client.get(path, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert repeat.status_code == 304 and repeat.data == b""
    assert repeat.headers["ETag"] == first.headers["ETag"]
    assert repeat.headers["Vary"] == first.headers["Vary"]
    assert repeat.headers["Cache-Control"] == first.headers["Cache-Control"]
    head = client.head(path, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert head.status_code == 304


def test_etags_differ_across_representations_and_languages(client: FlaskClient) -> None:
    def etag(path: str, **headers: str) -> str:
        return client.get(path, headers=headers).headers["ETag"]

    page = etag("/id/org/ilo", Accept="text/html")
    assert len({page, etag("/id/org/ilo", Accept="text/turtle"), etag("/id/org/ilo.jsonld"),
                etag("/id/org/ilo", Accept="application/n-triples")}) == 4
    sparql = "/sparql?query=" + LOOKUP
    assert etag(sparql, Accept="text/csv") != etag(sparql, Accept="application/sparql-results+json")
    # the reader's language: Accept-Language, the cookie, ?lang=
    russian = etag("/id/org/ilo", Accept="text/html", **{"Accept-Language": "ru"})
    assert len({page, russian, etag("/id/org/ilo?lang=ru", Accept="text/html")}) == 3
    client.set_cookie("lang", "kk")
    assert etag("/id/org/ilo", Accept="text/html") not in (page, russian)
    # data do not depend on the language: one ETag, and no Vary on it
    turtle = client.get("/id/org/ilo", headers={**TURTLE, "Accept-Language": "ru"})
    assert turtle.headers["ETag"] == etag("/id/org/ilo", Accept="text/turtle")
    assert turtle.headers["Vary"] == "Accept"
    client.delete_cookie("lang")


def test_vary_names_the_language_only_where_the_answer_depends_on_it(client: FlaskClient) -> None:
    assert client.get("/", headers=HTML).headers["Vary"] == "Accept, Accept-Language, Cookie"
    assert client.get("/search?q=ilo&format=json").headers["Vary"] == "Accept, Accept-Language, Cookie"
    assert client.get("/sparql?query=" + LOOKUP, headers=JSON).headers["Vary"] == "Accept"
    assert client.get("/id/org/ilo.ttl").headers["Vary"] == "Accept"


def test_a_304_is_answered_without_a_query_or_a_page(app: Flask, client: FlaskClient,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    tags = {path: client.get(path, headers=headers).headers["ETag"] for path, headers in
            (("/id/org/ilo", HTML), ("/sparql?query=" + LOOKUP, JSON), ("/search?q=ilo", HTML))}

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a conditional request with a current ETag did work")

    monkeypatch.setattr(app.extensions["kg_store"], "query", refuse)
    monkeypatch.setattr(app.extensions["kg_runner"], "run", refuse)
    monkeypatch.setattr("flask.templating._render", refuse)
    for path, headers in (("/id/org/ilo", HTML), ("/sparql?query=" + LOOKUP, JSON), ("/search?q=ilo", HTML)):
        assert client.get(path, headers={**headers, "If-None-Match": tags[path]}).status_code == 304


def test_if_none_match_takes_lists_and_weak_comparison(client: FlaskClient) -> None:
    tag = client.get("/", headers=HTML).headers["ETag"]
    assert tag.startswith('W/"')
    for sent in (f'"nope", {tag}', tag.removeprefix("W/"), f"{tag},W/\"other\""):
        assert client.get("/", headers={**HTML, "If-None-Match": sent}).status_code == 304, sent
    for sent in ('W/"nope"', '"nope", W/"other"', ""):
        assert client.get("/", headers={**HTML, "If-None-Match": sent}).status_code == 200, sent


def test_if_modified_since_when_no_etag_is_sent(client: FlaskClient) -> None:
    first = client.get("/id/org/ilo", headers=HTML)
    modified = first.headers["Last-Modified"]
    assert client.get("/id/org/ilo", headers={**HTML, "If-Modified-Since": modified}).status_code == 304
    earlier = format_datetime(parsedate_to_datetime(modified) - timedelta(seconds=1), usegmt=True)
    assert client.get("/id/org/ilo", headers={**HTML, "If-Modified-Since": earlier}).status_code == 200
    assert client.get("/id/org/ilo", headers={**HTML, "If-Modified-Since": "yesterday"}).status_code == 200
    # If-None-Match decides when both are sent
    both = {**HTML, "If-Modified-Since": modified, "If-None-Match": 'W/"nope"'}
    assert client.get("/id/org/ilo", headers=both).status_code == 200


def assert_not_reusable(response) -> None:
    assert response.headers.get("ETag") is None
    assert response.headers.get("Last-Modified") is None
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/id/org/no-such-thing", HTML, 404),
        ("/id/org/ilo", {"Accept": "image/png"}, 406),
        ("/sparql?query=SELECT%20WHERE%20%7B", JSON, 400),
        ("/sparql?query=CLEAR%20ALL", JSON, 403),
        ("/queries/no-such-query", HTML, 404),
        ("/queries/posts-in-organisations.csv?org=not%20an%20iri", {}, 400),
        ("/browse.csv?class=nope:Nothing", {}, 400),
        ("/dumps/nothing.gz", {}, 404),
    ],
)
def test_errors_get_no_validators(client: FlaskClient, path: str, headers: dict, status: int) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert_not_reusable(response)


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """An app with a row cap of 2 and a time limit of 0.5 s."""
    app = make_app(tmp_path_factory.mktemp("tight"), max_rows=2, query_timeout=0.5)
    yield app.test_client()
    app.extensions["kg_runner"].close()


def test_answers_cut_by_the_row_cap_are_never_reusable(tight: FlaskClient) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    for path, headers in (("/sparql?query=" + query, JSON), ("/queries/most-mentioned-entities", HTML),
                          ("/queries/most-mentioned-entities.csv", {}), ("/classes.csv?page=all", {}),
                          ("/browse.json?class=oa:Annotation&page=all", {})):
        response = tight.get(path, headers=headers)
        assert response.status_code == 200 and response.headers["X-KG-Truncated"] == "true", path
        assert_not_reusable(response)
    whole = tight.get("/sparql?query=ASK%20%7B%7D", headers=JSON)
    assert whole.headers["ETag"]


def test_answers_stopped_by_the_time_limit_are_never_reusable(tight: FlaskClient) -> None:
    response = tight.get("/sparql", query_string={"query": PATHOLOGICAL}, headers=JSON)
    assert response.status_code == 503
    assert_not_reusable(response)


def test_post_is_never_cached(client: FlaskClient) -> None:
    tag = client.get("/sparql", query_string={"query": LOOKUP}, headers=JSON).headers["ETag"]
    posted = client.post("/sparql", data={"query": LOOKUP}, headers={**JSON, "If-None-Match": tag})
    assert posted.status_code == 200 and posted.data
    assert {name: posted.headers.get(name) for name in ("ETag", "Last-Modified", "Cache-Control")} == {
        "ETag": None, "Last-Modified": None, "Cache-Control": None}


def test_a_304_of_the_endpoint_keeps_its_cors_headers(client: FlaskClient) -> None:
    tag = client.get("/sparql", query_string={"query": LOOKUP}, headers=JSON).headers["ETag"]
    repeat = client.get("/sparql", query_string={"query": LOOKUP}, headers={**JSON, "If-None-Match": tag})
    assert repeat.status_code == 304
    assert repeat.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in repeat.headers["Access-Control-Expose-Headers"]


def test_cache_seconds_sets_the_freshness_and_zero_makes_caches_ask_every_time(tmp_path: Path) -> None:
    for name in ("short", "never", "negative"):
        (tmp_path / name).mkdir()
    short = make_app(tmp_path / "short", cache_seconds=60).test_client()
    assert short.get("/", headers=HTML).headers["Cache-Control"] == "public, max-age=60"
    never = make_app(tmp_path / "never", cache_seconds=0).test_client()
    first = never.get("/", headers=HTML)
    assert first.headers["Cache-Control"] == "no-cache"
    assert never.get("/", headers={**HTML, "If-None-Match": first.headers["ETag"]}).status_code == 304
    with pytest.raises(ValueError, match="0 seconds or more"):
        make_app(tmp_path / "negative", cache_seconds=-1)


def test_a_new_commit_changes_every_etag_without_a_restart(tmp_path: Path) -> None:
    path = load_store(tmp_path / "store")
    ensure_published(path, rebuild_index)
    settings = Settings().with_(store=str(path), dumps_dir=tmp_path / "dumps", queries_dir=ROOT / "queries", base=ID)
    reads = [(p, h) for p, h in READS if p != "/static/site.css"]  # a file with its own ETag
    app = create_app(settings)  # as `kg serve` opens it: following the published versions
    client = app.test_client()

    def etags() -> list[str]:
        return [client.get(p, headers=h).headers["ETag"] for p, h in reads]

    old = etags()
    writer = EmbeddedStore(path)
    remove(writer, ["en-2021-007"], settings)  # a commit, as `kg remove` makes it
    writer.close()
    new = etags()
    assert not set(new) & set(old)
    assert client.get("/id/org/ilo", headers={**HTML, "If-None-Match": old[reads.index(
        ("/id/org/ilo", HTML))]}).status_code == 200
    assert client.get("/id/doc/en-2021-007", headers=HTML).status_code == 404
    app.extensions["kg_runner"].close()


def test_long_requests_are_validated_without_being_remembered(app: Flask, client: FlaskClient) -> None:
    long = "/sparql?query=" + LOOKUP + "%23" + "x" * 5000  # a comment makes the query long
    kept = len(app.wsgi_app.app._etags)
    tag = client.get(long, headers=JSON).headers["ETag"]
    assert client.get(long, headers={**JSON, "If-None-Match": tag}).status_code == 304
    assert len(app.wsgi_app.app._etags) == kept


def test_the_site_itself_is_part_of_the_etag(tmp_path: Path) -> None:
    import shutil

    queries = tmp_path / "queries"
    shutil.copytree(ROOT / "queries", queries)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = make_app(tmp_path / "one", queries_dir=queries)
    before = first.test_client().get("/queries", headers=HTML)
    edited = queries / "posts-in-organisations.rq"
    edited.write_text(edited.read_text().replace("#+ title: ", "#+ title: Edited: ", 1))
    # the running app serves the saved queries it started with, under the same ETag
    again = first.test_client().get("/queries", headers=HTML)
    assert again.headers["ETag"] == before.headers["ETag"] and again.data == before.data
    restarted = make_app(tmp_path / "two", queries_dir=queries).test_client().get("/queries", headers=HTML)
    assert b"Edited: " in restarted.data and restarted.headers["ETag"] != before.headers["ETag"]
