"""The site answers from the newest commit without a restart, never mixes two commits in one answer, tries a
request once more when the store could not be read, says 503 with the reason when it still cannot, and makes
the dumps of a new commit on the first request for them."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask

from kg.build import BuildReport, write_build_metadata
from kg.config import ROOT, Settings
from kg.dumps import read_stamp
from kg.search import rebuild_index
from kg.store.embedded import EmbeddedStore
from kg.store.published import PublishedStore, ensure_published, publish
from tests.test_webapp import HTML, ID, load_store
from webapp import create_app
from webapp.reading import STORE, UNREADABLE, Reading

LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ORG = ox.NamedNode("http://www.w3.org/ns/org#Organization")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.fixture
def served(tmp_path: Path) -> Iterable[tuple[Flask, Settings]]:
    """An app over the fixture graph as `kg serve` opens it (following published versions)."""
    path = load_store(tmp_path / "store")
    ensure_published(path, rebuild_index)
    settings = Settings().with_(store=str(path), dumps_dir=tmp_path / "dumps", queries_dir=ROOT / "queries", base=ID)
    app = create_app(settings)
    yield app, settings
    app.extensions["kg_runner"].close()


def commit_organisation(settings: Settings, name: str) -> None:
    """A commit as `kg add` makes one, published for readers."""
    org = ox.NamedNode(ID + "org/" + name.lower())
    with EmbeddedStore(settings.store) as writer:
        writer.replace_graph(ID + "graph/" + name, [ox.Quad(org, TYPE, ORG), ox.Quad(org, LABEL, ox.Literal(name))])
        write_build_metadata(writer, BuildReport())
        publish(writer, rebuild_index)


def test_search_pages_and_queries_follow_a_new_commit(served: tuple[Flask, Settings]) -> None:
    app, settings = served
    client = app.test_client()
    assert client.get("/search?q=Zheltoksan&format=json").json == []
    before = client.get("/organisations", headers=HTML)
    commit_organisation(settings, "Zheltoksan")
    assert [h["label"] for h in client.get("/search?q=Zheltoksan&format=json").json] == ["Zheltoksan"]
    after = client.get("/organisations", headers=HTML)
    assert b"Zheltoksan" in after.data and b"Zheltoksan" not in before.data
    assert after.headers["ETag"] != before.headers["ETag"]
    asked = client.get(f"/sparql?query=ASK{{<{ID}org/zheltoksan>?p?o}}",
                       headers={"Accept": "application/sparql-results+json"})
    assert asked.json["boolean"] is True  # the query workers read the new version too
    assert client.get("/id/org/zheltoksan", headers=HTML).status_code == 200


def test_a_store_that_cannot_be_read_gets_503_with_the_reason(served: tuple[Flask, Settings]) -> None:
    app, settings = served
    client = app.test_client()
    assert client.get("/", headers=HTML).status_code == 200
    shutil.rmtree(Path(settings.store).with_name("store-versions"))
    page = client.get("/organisations", headers=HTML)
    assert page.status_code == 503 and b"no published version of the store" in page.data
    assert page.headers["Cache-Control"] == "no-store"
    query = client.get("/sparql?query=ASK{}", headers={"Accept": "application/sparql-results+json"})
    assert query.status_code == 503 and b"no published version of the store" in query.data


def test_a_page_that_could_not_read_the_store_is_answered_again_from_a_fresh_handle(tmp_path: Path) -> None:
    path = load_store(tmp_path / "store")
    ensure_published(path, rebuild_index)
    store = PublishedStore(path)
    seen = []

    def site(environ: dict, start_response: Callable) -> list[bytes]:
        seen.append(environ[STORE] if STORE in environ else store.current())
        if len(seen) == 1:
            environ[UNREADABLE] = True  # what webapp.errors does when a page finds the store unreadable
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"first try"]
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"second try"]

    statuses = []
    body = Reading(site, store)({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda s, h, e=None: statuses.append(s))
    assert list(body) == [b"second try"] and statuses == ["200 OK"]
    assert len(seen) == 2 and seen[1] is not seen[0] and seen[1].folder == seen[0].folder


def test_the_dumps_are_made_again_by_the_first_request_after_a_commit_and_not_before(
    served: tuple[Flask, Settings]
) -> None:
    app, settings = served
    client = app.test_client()
    first = client.get("/dumps/", headers=HTML)
    assert first.status_code == 200
    before = read_stamp(settings.dumps_dir)
    dump = settings.dumps_dir / "labour-kg.nq.gz"
    written = dump.stat().st_mtime_ns, dump.stat().st_ino
    commit_organisation(settings, "Zheltoksan")
    new = PublishedStore(settings.store).version()
    assert new is not None and before is not None and new.id != before.version
    for path in ("/", "/organisations", "/search?q=zheltoksan"):  # pages other than the dumps' leave them alone
        assert client.get(path, headers=HTML).status_code == 200
    assert read_stamp(settings.dumps_dir) == before and (dump.stat().st_mtime_ns, dump.stat().st_ino) == written
    again = client.get("/dumps/", headers={**HTML, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]
    after = read_stamp(settings.dumps_dir)
    assert after is not None and after.version == new.id and after.built == new.built
    assert f"(version <code>{new.id}</code>)" in again.text
    quads = ox.parse(gzip.decompress(client.get("/dumps/labour-kg.nq.gz").data), ox.RdfFormat.N_QUADS)
    assert ox.NamedNode(ID + "org/zheltoksan") in {q.subject for q in quads}
    void = ox.parse(client.get("/.well-known/void").data, ox.RdfFormat.TURTLE)
    modified = {t.object.value for t in void if t.predicate.value == "http://purl.org/dc/terms/modified"}
    assert modified == {new.built}
    assert client.get("/dumps/", headers={**HTML, "If-None-Match": again.headers["ETag"]}).status_code == 304
    assert read_stamp(settings.dumps_dir) == after  # written once for the version
