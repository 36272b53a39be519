"""The dumps folder's life cycle (kg.dumps): written when first wanted for a version and kept until the version
changes, once however many ask at a time, never half-replaced, and refused with the folder and the reason."""

from __future__ import annotations

import errno
import gzip
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import dumps
from kg.build import BuildReport, write_build_metadata
from kg.cli import main
from kg.dumps import STAGING, DumpsError, current, dump_names, ensure, read_stamp
from kg.export import Snapshot
from kg.search import rebuild_index
from kg.store import GraphStore
from kg.store.embedded import EmbeddedStore
from kg.store.published import PublishedStore, publish
from kg.store.remote import RemoteStore
from tests.servers import oxigraph_server

E = "http://example.org/"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def commit(store: GraphStore, name: str) -> None:
    """A commit as the build makes one: a graph naming an entity, then the build graph (a new version); published
    for readers when the store is a folder."""
    store.replace_graph(E + "graph/" + name, [ox.Quad(ox.NamedNode(E + name), LABEL, ox.Literal(name))])
    write_build_metadata(store, BuildReport())
    if isinstance(store, EmbeddedStore):
        publish(store, rebuild_index)


def labels_in_dump(directory: Path) -> set[str]:
    quads = ox.parse(gzip.decompress((directory / "labour-kg.nq.gz").read_bytes()), ox.RdfFormat.N_QUADS)
    return {q.object.value for q in quads if q.predicate == LABEL}


def files_of(directory: Path) -> dict[str, tuple[int, int]]:
    """Each file's modification time and inode: both change when a file is written again."""
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in directory.iterdir()}


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """A store folder with one commit, published; open for writing more."""
    store = EmbeddedStore(tmp_path / "store")
    commit(store, "first")
    yield store
    store.close()


def test_the_dumps_are_written_once_per_version_and_again_after_a_commit(writer: EmbeddedStore,
                                                                          tmp_path: Path) -> None:
    reader, folder = PublishedStore(writer.path), tmp_path / "dumps"
    assert not current(reader, folder)
    stamp = ensure(reader, folder)
    version = reader.version()
    assert stamp is not None and version is not None
    assert (stamp.version, stamp.built) == (version.id, version.built)
    assert read_stamp(folder) == stamp and current(reader, folder)
    assert labels_in_dump(folder) == {"first"}
    written = files_of(folder)
    assert ensure(reader, folder) is None
    assert files_of(folder) == written
    commit(writer, "second")
    assert not current(reader, folder)
    assert files_of(folder) == written  # nothing is written until something asks
    again = ensure(reader, folder)
    assert again is not None and again.version == reader.version().id != stamp.version
    assert labels_in_dump(folder) == {"first", "second"}
    assert all(files_of(folder)[name] != written[name] for name in dump_names())


def test_a_dump_deleted_by_hand_is_made_again(writer: EmbeddedStore, tmp_path: Path) -> None:
    folder = tmp_path / "dumps"
    ensure(writer, folder)
    (folder / "labour-kg.ttl.gz").unlink()
    assert not current(writer, folder)
    assert ensure(writer, folder) is not None and (folder / "labour-kg.ttl.gz").is_file()


def test_forcing_writes_current_dumps_again(writer: EmbeddedStore, tmp_path: Path) -> None:
    folder = tmp_path / "dumps"
    ensure(writer, folder)
    written = files_of(folder)
    stamp = ensure(writer, folder, force=True)
    assert stamp is not None and stamp.version == writer.version().id
    assert all(files_of(folder)[name] != written[name] for name in dump_names())


def blocked_on(lock: Path) -> int:
    """How many processes wait for the flock on ``lock`` (Linux lists them in /proc/locks with "->")."""
    inode = f":{lock.stat().st_ino} "
    return sum(1 for line in Path("/proc/locks").read_text().splitlines() if "->" in line and inode in line)


def test_two_processes_that_ask_at_once_write_the_dumps_once(writer: EmbeddedStore, tmp_path: Path) -> None:
    import fcntl

    if not Path("/proc/locks").exists():
        pytest.skip("needs Linux's /proc/locks to see the processes wait")
    folder = tmp_path / "dumps"
    folder.mkdir()
    script = ("import sys; from kg.dumps import ensure; from kg.store.published import PublishedStore; "
              "from pathlib import Path; "
              "print('wrote' if ensure(PublishedStore(sys.argv[1]), Path(sys.argv[2])) else 'current')")
    with (folder / dumps.LOCK).open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # both find the dumps missing, then wait here
        askers = [subprocess.Popen([sys.executable, "-c", script, str(writer.path), str(folder)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        deadline = time.monotonic() + 60
        while blocked_on(folder / dumps.LOCK) < 2:
            assert time.monotonic() < deadline and all(a.poll() is None for a in askers), \
                [a.communicate() for a in askers if a.poll() is not None]
            time.sleep(0.05)
    said = sorted(a.communicate(timeout=120)[0].strip() for a in askers)
    assert said == ["current", "wrote"]
    assert current(writer, folder)


def test_a_write_that_fails_leaves_the_previous_versions_files_and_stamp_as_they_were(
    writer: EmbeddedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dumps"
    ensure(writer, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    commit(writer, "second")
    version = writer.version()
    writes = []
    real_write = Snapshot.write

    def disk_full_at_the_third(snapshot: Snapshot, *args: object, **kwargs: object) -> None:
        writes.append(args[0])
        if len(writes) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(snapshot, *args, **kwargs)

    monkeypatch.setattr(Snapshot, "write", disk_full_at_the_third)
    with pytest.raises(DumpsError, match=f"^cannot write the dumps to {folder}: No space left on device$"):
        ensure(writer, folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing staged is left either
    assert not list(folder.glob(f"{STAGING}*"))
    assert writer.version() == version
    monkeypatch.setattr(Snapshot, "write", real_write)
    assert ensure(writer, folder) is not None and labels_in_dump(folder) == {"first", "second"}


def test_kg_dumps_writes_stale_dumps_and_says_so(writer: EmbeddedStore, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "dumps"
    monkeypatch.setenv("KG_DUMPS", str(folder))
    version = writer.version().id
    assert main(["--store", str(writer.path), "dumps"]) == 0
    assert capsys.readouterr().out == f"dumps of version {version} written to {folder}\n"
    assert main(["--store", str(writer.path), "dumps"]) == 0
    assert capsys.readouterr().out == f"dumps already current in {folder}\n"
    assert main(["--store", str(writer.path), "dumps", "--force"]) == 0
    assert capsys.readouterr().out == f"dumps of version {version} written to {folder}\n"


def test_kg_dumps_that_cannot_be_written_fail_with_the_folder_and_the_reason(
    writer: EmbeddedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way")
    monkeypatch.setenv("KG_DUMPS", str(blocked / "dumps"))
    version, graphs = writer.version(), writer.graphs()
    assert main(["--store", str(writer.path), "dumps"]) == 1
    said = capsys.readouterr()
    assert said.err == f"error: cannot write the dumps to {blocked / 'dumps'}: Not a directory\n" and not said.out
    assert writer.version() == version and writer.graphs() == graphs
    assert blocked.read_text() == "in the way"


def test_a_store_no_build_wrote_to_gets_its_dumps_once(tmp_path: Path) -> None:
    store = EmbeddedStore.in_memory()
    store.replace_graph(E + "graph/a", [ox.Quad(ox.NamedNode(E + "a"), LABEL, ox.Literal("a"))])
    stamp = ensure(store, tmp_path)
    assert stamp is not None and stamp.version == stamp.built == ""
    assert labels_in_dump(tmp_path) == {"a"}
    assert ensure(store, tmp_path) is None  # no version to follow: `kg dumps --force` remakes them


@pytest.mark.slow
def test_a_remote_stores_dumps_follow_its_commits(tmp_path: Path) -> None:
    folder = tmp_path / "dumps"
    with oxigraph_server(tmp_path / "served") as server:
        store = RemoteStore(server.query)
        commit(store, "first")
        assert ensure(store, folder) is not None and ensure(store, folder) is None
        assert labels_in_dump(folder) == {"first"}
        commit(store, "second")
        assert not current(store, folder)
        stamp = ensure(store, folder)
        assert stamp is not None and stamp.version == store.version().id
        assert labels_in_dump(folder) == {"first", "second"}
