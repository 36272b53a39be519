"""Published versions of an embedded store: what readers (``kg serve``, ``kg query``...) read while a build writes.

A RocksDB read-only handle sees the folder as it was when it opened, and pyoxigraph calls opening one while another
process writes undefined behaviour: a compaction by the writer deletes table files that the reader has not opened
yet, and the reader's next query fails ("No such file ... .sst"). So readers never open the folder that
``kg build``, ``add`` and ``remove`` write. Each of those ends by publishing the store: a checkpoint
(pyoxigraph's ``Store.backup``: hard links to RocksDB's immutable files, a few milliseconds) and the search index
made from it, written under a temporary name and renamed into ``<store>-versions/<time>-<version id>/``. Nothing
writes a published version again, so a read-only handle on it stays valid for as long as the folder exists.

:class:`PublishedStore` reads the newest version and notices a newer one with one ``stat`` of the versions folder
per request, so every process of a server moves to a new commit on its next request, without a restart. A version
superseded more than :data:`KEEP_SECONDS` ago is deleted by the next publish (requests still reading it have
long finished); a read that fails all the same is retried once on a fresh handle (webapp.reading).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.store.base import GraphStore, QueryResult, StoreError, StoreVersion
from kg.store.embedded import EmbeddedStore, check_folder

#: How long a superseded version is kept for the requests that may still read it (seconds).
KEEP_SECONDS = 120
#: Inside a version folder: the checkpoint, and the search index made from it.
DATABASE = "db"
INDEX = "search.sqlite"
#: Versions being written (and left by a publish that crashed) start with this; readers never list them.
PARTIAL = "."


def versions_dir(store_path: str | Path) -> Path:
    """Where the versions of the store at ``store_path`` are published: a folder beside it."""
    path = Path(store_path)
    return path.with_name(path.name + "-versions")


def newest(store_path: str | Path) -> Path | None:
    """The newest complete published version of a store (None if there is none)."""
    try:
        names = [e.name for e in os.scandir(versions_dir(store_path)) if not e.name.startswith(PARTIAL)]
    except FileNotFoundError:
        return None
    return versions_dir(store_path) / max(names) if names else None


def publish(store: EmbeddedStore, write_index: Callable[[GraphStore, Path], object]) -> Path:
    """Make what ``store`` (open for writing) holds now the version readers see; returns its folder.

    ``write_index`` writes the search index of the store to the path it is given (kg.search.rebuild_index): the
    index is published with the data it was made from, so that a reader's search and queries always agree.
    """
    if store.read_only:
        raise StoreError(f"the store at {store.path} is open read-only: only its writer can publish it")
    folder = versions_dir(store.path)
    version = store.version()
    name = f"{time.time_ns():020d}-{version.id if version else 'unversioned'}"
    partial = folder / (PARTIAL + name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial.mkdir()
        store.oxigraph.backup(str(partial / DATABASE))
        write_index(store, partial / INDEX)
        partial.rename(folder / name)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise StoreError(f"cannot publish the store at {store.path} to {folder}: {exc}") from exc
    prune(folder)
    return folder / name


def ensure_published(path: str | Path, write_index: Callable[[GraphStore, Path], object]) -> None:
    """Publish the store folder at ``path`` if it has no published version yet (a store made before versions were
    published), so that it has one to read; a store a build is writing at that moment is refused with the reason."""
    if newest(path) is not None:
        return
    check_folder(Path(path), read_only=True)
    try:
        store = EmbeddedStore(path)
    except StoreError as exc:
        raise StoreError(f"the store at {path} has no published version yet, and cannot be published now: {exc}"
                         ) from exc
    with store:
        publish(store, write_index)


def prune(folder: Path, now: float | None = None) -> None:
    """Delete the versions (and abandoned partial ones) superseded more than KEEP_SECONDS ago; never the newest."""
    now = time.time() if now is None else now
    names = sorted(os.listdir(folder))
    complete = [n for n in names if not n.startswith(PARTIAL)]
    for older, newer in zip(complete, complete[1:], strict=False):
        if now - _published_at(newer) > KEEP_SECONDS:
            shutil.rmtree(folder / older, ignore_errors=True)
    for name in names:
        if name.startswith(PARTIAL) and now - _published_at(name[len(PARTIAL):]) > KEEP_SECONDS:
            shutil.rmtree(folder / name, ignore_errors=True)


def _published_at(name: str) -> float:
    try:
        return int(name.split("-", 1)[0]) / 1e9
    except ValueError:  # not ours: never counted as old
        return float("inf")


class Version(EmbeddedStore):
    """One published version, open read-only; it never changes, so its version is read once."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder / DATABASE, read_only=True)
        self.folder = folder
        #: the search index made from this version
        self.index = folder / INDEX


class PublishedStore(GraphStore):
    """The newest published version of the store at ``path``, followed: :meth:`current` notices a newer one with
    one ``stat`` and opens it; the other methods read whatever is newest when they are called."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.read_only = True
        self._folder = versions_dir(self.path)
        self._seen: tuple[int, int] | None = None
        self._version: Version | None = None
        self._lock = threading.Lock()
        self.current()

    def current(self) -> Version:
        """The newest version (the same object until a newer one is published): what one request reads."""
        seen = self._stamp()
        if seen != self._seen or self._version is None:
            with self._lock:
                if seen != self._seen or self._version is None:
                    self._open(reopen=False)
                    self._seen = seen
        return self._version  # type: ignore[return-value]  # _open set it or raised

    def reopen(self) -> Version:
        """A fresh handle on the newest version, after a read failed (the same version if no newer one exists)."""
        with self._lock:
            seen = self._stamp()
            version = self._open(reopen=True)
            self._seen = seen
            return version

    def _open(self, *, reopen: bool) -> Version:
        folder = newest(self.path)
        if folder is None:
            raise StoreError(f"no published version of the store at {self.path}: run `kg build` first")
        if reopen or self._version is None or self._version.folder != folder:
            self._version = Version(folder)
        return self._version

    def _stamp(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self._folder)
        except FileNotFoundError:
            return None
        return found.st_mtime_ns, found.st_nlink

    def query(self, sparql: str, *, substitutions: dict[ox.Variable, ox.Term] | None = None,
              default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (), union: bool = True) -> QueryResult:
        return self.current().query(sparql, substitutions=substitutions, default_graphs=default_graphs,
                                    named_graphs=named_graphs, union=union)

    def version(self) -> StoreVersion | None:
        return self.current().version()

    def graphs(self) -> list[str]:
        return self.current().graphs()

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        return self.current().quads(graph)

    def dump(self, output: BinaryIO, fmt: ox.RdfFormat, graph: str | None = None) -> None:
        self.current().dump(output, fmt, graph)

    def update(self, sparql: str) -> None:
        raise self._read_only()

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad | ox.Triple]) -> None:
        raise self._read_only()

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        raise self._read_only()

    def _read_only(self) -> StoreError:
        return StoreError(f"the store at {self.path} is open read-only")
