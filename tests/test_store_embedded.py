"""The embedded store: atomic graph replacement, drops, union queries, and clear errors when it cannot open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store import StoreError
from kg.store.embedded import EmbeddedStore

E = "http://example.org/"


def q(s: str, p: str, o: ox.Term | str, g: str | None = None) -> ox.Quad:
    obj = o if not isinstance(o, str) else ox.NamedNode(E + o)
    return ox.Quad(ox.NamedNode(E + s), ox.NamedNode(E + p), obj, ox.NamedNode(E + g) if g else ox.DefaultGraph())


def triples(store: EmbeddedStore, graph: str) -> set[ox.Triple]:
    return {x.triple for x in store.quads(E + graph)}


def test_replace_graph_swaps_the_whole_graph_and_ignores_given_graph_names() -> None:
    store = EmbeddedStore.in_memory()
    store.replace_graph(E + "g", [q("a", "p", "b"), q("a", "p", "c", "elsewhere")])
    store.replace_graph(E + "g", [q("x", "p", ox.Literal("y"))])
    assert triples(store, "g") == {q("x", "p", ox.Literal("y")).triple}
    assert store.graphs() == [E + "g"]


def test_replace_graph_that_fails_midway_leaves_the_old_graph() -> None:
    store = EmbeddedStore.in_memory()
    store.replace_graph(E + "g", [q("a", "p", "b")])

    def broken():
        yield q("x", "p", "y")
        raise RuntimeError("extraction crashed")

    with pytest.raises(RuntimeError):
        store.replace_graph(E + "g", broken())
    assert triples(store, "g") == {q("a", "p", "b").triple}


def test_replace_graph_with_nothing_removes_it() -> None:
    store = EmbeddedStore.in_memory()
    store.replace_graph(E + "g", [q("a", "p", "b")])
    store.replace_graph(E + "g", [])
    assert store.graphs() == []


def test_graphs_written_as_n_triples_are_new_or_replaced_whole(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graph_ntriples(E + "g", f"<{E}a> <{E}p> <{E}b> .\n<{E}a> <{E}p> \"c\" .\n".encode())
    assert triples(store, "g") == {q("a", "p", "b").triple, q("a", "p", ox.Literal("c")).triple}
    store.replace_graph_ntriples(E + "g", f"<{E}x> <{E}p> <{E}y> .\n".encode())
    assert triples(store, "g") == {q("x", "p", "y").triple}


@pytest.mark.parametrize("existing", [False, True])
def test_n_triples_that_do_not_parse_change_nothing(tmp_path: Path, existing: bool) -> None:
    store = EmbeddedStore(tmp_path / "store")
    if existing:
        store.replace_graph(E + "g", [q("a", "p", "b")])
    with pytest.raises(SyntaxError):
        store.replace_graph_ntriples(E + "g", f"<{E}x> <{E}p> <{E}y> .\n<{E}x> <{E}p> broken .\n".encode())
    assert triples(store, "g") == ({q("a", "p", "b").triple} if existing else set())


def test_drop_graphs_removes_only_the_named_ones() -> None:
    store = EmbeddedStore.in_memory()
    for g in ("g1", "g2", "g3"):
        store.replace_graph(E + g, [q("a", "p", g)])
    store.drop_graphs([E + "g1", E + "g3", E + "missing"])
    assert store.graphs() == [E + "g2"]


def test_queries_see_the_union_of_the_graphs() -> None:
    store = EmbeddedStore.in_memory()
    store.replace_graph(E + "g1", [q("a", "p", "b")])
    store.replace_graph(E + "g2", [q("b", "p", "c")])
    rows = store.select(f"SELECT ?z WHERE {{ <{E}a> <{E}p> ?y . ?y <{E}p> ?z }}")
    assert rows == [{"z": ox.NamedNode(E + "c")}]


def test_queries_take_substitutions() -> None:
    store = EmbeddedStore.in_memory()
    store.replace_graph(E + "g", [q("a", "p", "b"), q("c", "p", "d")])
    rows = store.select("SELECT ?s ?o WHERE { ?s ?p ?o }", substitutions={ox.Variable("s"): ox.NamedNode(E + "c")})
    assert rows == [{"s": ox.NamedNode(E + "c"), "o": ox.NamedNode(E + "d")}]


def test_a_store_on_disk_survives_reopening(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graph(E + "g", [q("a", "p", "b")])
    store.close()
    del store
    again = EmbeddedStore(tmp_path / "store", read_only=True)
    assert triples(again, "g") == {q("a", "p", "b").triple}
    with pytest.raises(StoreError, match="read-only"):
        again.update("CLEAR ALL")


def test_a_store_held_by_another_process_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "store"
    EmbeddedStore(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import pyoxigraph, sys, time; s = pyoxigraph.Store({str(path)!r}); "
                               "print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="in use by another process"):
            EmbeddedStore(path)
    finally:
        holder.kill()
        holder.wait()


def test_a_folder_of_other_files_is_not_taken_for_a_store(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a store"):
        EmbeddedStore(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_file_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        EmbeddedStore(tmp_path / "file")
    with pytest.raises(StoreError, match="kg build"):
        EmbeddedStore(tmp_path / "missing", read_only=True)
