"""Published versions of an embedded store: every commit of kg build/add/remove is published with its search
index, readers follow the newest without reopening by hand, old versions are kept for a while then deleted."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import BuildReport, finish, write_build_metadata
from kg.config import Settings
from kg.search import rebuild_index, search
from kg.store import StoreError, open_store
from kg.store.embedded import EmbeddedStore
from kg.store.published import (
    KEEP_SECONDS,
    PARTIAL,
    PublishedStore,
    Version,
    ensure_published,
    newest,
    prune,
    publish,
    versions_dir,
)

E = "http://example.org/"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def commit(store: EmbeddedStore, name: str) -> None:
    """A commit as the build makes one: a graph naming an entity, then the build graph (a new store version)."""
    store.replace_graph(E + "graph/" + name, [ox.Quad(ox.NamedNode(E + name), LABEL, ox.Literal(name, language="en"))])
    write_build_metadata(store, BuildReport())


def labels(store: EmbeddedStore | PublishedStore) -> set[str]:
    return {r["l"].value for r in store.select(f"SELECT ?l WHERE {{ ?s <{LABEL.value}> ?l }}")}


def test_a_build_publishes_its_commit_with_the_search_index_and_readers_read_it(tmp_path: Path) -> None:
    settings = Settings().with_(store=str(tmp_path / "store"), dumps_dir=tmp_path / "dumps", workers=1)
    with EmbeddedStore(settings.store) as store:
        commit(store, "Solidarity")
        report = BuildReport()
        finish(store, settings, report)
        written = store.version()
    assert report.ok, report.lines()
    folder = newest(settings.store)
    assert folder is not None and folder.parent == tmp_path / "store-versions" and written.id in folder.name
    reader = open_store(settings, read_only=True)
    assert isinstance(reader, PublishedStore) and reader.version() == written
    assert [h.label for h in search(reader.current().index, "solidar")] == ["Solidarity"]
    with sqlite3.connect(reader.current().index) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'build'").fetchone() == (written.id,)


def test_readers_follow_new_commits_while_a_request_keeps_its_version(tmp_path: Path) -> None:
    writer = EmbeddedStore(tmp_path / "store")
    commit(writer, "first")
    publish(writer, rebuild_index)
    reader = PublishedStore(tmp_path / "store")
    pinned = reader.current()
    assert reader.current() is pinned  # nothing new: the same handle, no reopening
    commit(writer, "second")
    publish(writer, rebuild_index)
    following = reader.current()
    assert following is not pinned and following.version() == writer.version() != pinned.version()
    assert labels(following) == {"first", "second"}
    assert labels(pinned) == {"first"}  # a request that began before keeps reading what it began with
    assert [h.label for h in search(following.index, "second")] == ["second"]
    assert search(pinned.index, "second") == []
    writer.close()


def test_a_fresh_handle_on_the_newest_version_after_a_failed_read(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store") as writer:
        commit(writer, "only")
        publish(writer, rebuild_index)
    reader = PublishedStore(tmp_path / "store")
    before = reader.current()
    fresh = reader.reopen()
    assert fresh is not before and fresh.folder == before.folder and reader.current() is fresh


def test_readers_never_see_a_version_being_written(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store") as writer:
        commit(writer, "done")
        done = publish(writer, rebuild_index)
    (versions_dir(tmp_path / "store") / f"{PARTIAL}99999999999999999999-half-written").mkdir()
    assert newest(tmp_path / "store") == done


def test_a_version_is_kept_for_a_while_after_it_is_superseded_then_deleted(tmp_path: Path) -> None:
    folder = tmp_path / "store-versions"
    second = 1_000_000_000
    names = [f"{t * second:020d}-v{t}" for t in (100, 200, 200 + KEEP_SECONDS + 50)]
    for name in names:
        (folder / name).mkdir(parents=True)
    abandoned = folder / f"{PARTIAL}{150 * second:020d}-crashed"
    abandoned.mkdir()
    prune(folder, now=200 + KEEP_SECONDS + 60)
    # the first was superseded KEEP_SECONDS + 60 s ago; the second only 10 s ago; the newest is always kept
    assert sorted(os.listdir(folder)) == names[1:]
    prune(folder, now=10**12)
    assert sorted(os.listdir(folder)) == names[2:]


def test_a_commit_that_cannot_be_published_fails_the_build_and_keeps_what_readers_see(tmp_path: Path) -> None:
    settings = Settings().with_(store=str(tmp_path / "store"), dumps_dir=tmp_path / "dumps", workers=1)
    versions_dir(settings.store).write_text("in the way")
    with EmbeddedStore(settings.store) as store:
        commit(store, "unseen")
        report = BuildReport()
        finish(store, settings, report)
    assert not report.ok
    assert any(line.startswith(f"error: cannot publish the store at {settings.store}") and
               line.endswith("readers still see the previous commit") for line in report.lines())


def test_a_store_no_build_published_is_published_once_for_its_readers(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as writer:
        writer.oxigraph.add(ox.Quad(ox.NamedNode(E + "a"), LABEL, ox.Literal("older")))
    del writer  # RocksDB lets the folder go when the handle goes
    assert newest(path) is None
    assert isinstance(open_store(Settings().with_(store=str(path)), read_only=True), EmbeddedStore)
    ensure_published(path, rebuild_index)
    published = newest(path)
    assert published is not None and labels(Version(published)) == {"older"}
    ensure_published(path, rebuild_index)
    assert newest(path) == published  # already published: left alone


def test_publishing_refuses_what_is_not_a_store_or_is_being_written(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        ensure_published(tmp_path / "missing", rebuild_index)
    assert not (tmp_path / "missing").exists()
    with EmbeddedStore(tmp_path / "busy") as writer:
        writer.oxigraph.add(ox.Quad(ox.NamedNode(E + "a"), LABEL, ox.Literal("x")))
        with pytest.raises(StoreError, match="no published version yet, and cannot be published now"):
            ensure_published(tmp_path / "busy", rebuild_index)


def test_a_reader_of_a_store_whose_versions_are_gone_says_so(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store") as writer:
        commit(writer, "gone")
        folder = publish(writer, rebuild_index)
    reader = PublishedStore(tmp_path / "store")
    shutil.rmtree(folder.parent)
    with pytest.raises(StoreError, match="no published version of the store"):
        reader.current()
