"""The dumps folder (``KG_DUMPS``): every dump and its VoID description, made for one store version when first wanted.

The dumps are a pure function of the store's version (kg.store.StoreVersion, new with every commit), so no
command writes them as it commits: the first one to want the files of a version (a visit to the site's /dumps/
or VoID, ``kg serve`` as it starts, ``kg dumps``) writes them, and they serve until the version changes.

The folder says which version its files are of in :data:`STAMP`, replaced last, after every file is in place.
All the files of a version are written beside the old ones first, under temporary names, and only then renamed
over them: a failure (a folder that cannot be written, a full disk) leaves the previous version's files and stamp
as they were. Writers hold an exclusive ``flock`` on :data:`LOCK`, so two processes (server workers, a
``kg dumps``) never write at once and the second, once it has waited, finds the files current; readers hold a
shared one while they read, so the files they serve stay those of the version they were asked for.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from kg.export import FORMATS, Snapshot
from kg.store import GraphStore, StoreVersion

#: File names of the dumps: labour-kg.<ext>.gz
DUMP_STEM = "labour-kg"
#: The version the files are of (JSON: version, built, written).
STAMP = "version.json"
#: Locked (flock) by whoever writes the files, exclusively, or reads them, shared.
LOCK = ".lock"
#: The description of the dumps, beside them.
VOID = "void.ttl"
#: Where the files of a new version are written before they are renamed into place.
STAGING = ".writing-"
#: How often a version's files are made and looked for again when another version's writer keeps getting in first,
#: or a remote store commits while it is read.
TRIES = 3


class DumpsError(Exception):
    """The dumps cannot be written (or kept in step); the message names the folder and the reason."""


@dataclass(frozen=True)
class Stamp:
    """Which version the folder's files are of: the store version's id ("" for a store no build wrote to), when
    that version was committed, and when the files were written (ISO 8601, UTC)."""

    version: str
    built: str
    written: str


def dump_names() -> list[str]:
    """The file names of the dumps, one per format: ``labour-kg.<ext>.gz``."""
    return [f"{DUMP_STEM}.{ext}.gz" for _, ext in FORMATS.values()]


def read_stamp(directory: Path) -> Stamp | None:
    """The version the folder's files are of (None when no complete set of files was ever written there)."""
    try:
        return Stamp(**json.loads((directory / STAMP).read_bytes()))
    except (OSError, ValueError, TypeError):  # missing, or not ours: the files are not known to be of any version
        return None


def current(store: GraphStore, directory: Path) -> bool:
    """Whether the folder holds the dumps of the store's version."""
    return _holds(directory, read_stamp(directory), store.current().version())


def ensure(store: GraphStore, directory: Path, *, force: bool = False) -> Stamp | None:
    """Write the dumps of the store's version unless the folder holds them already (``force``: in any case).
    Returns the stamp of the files written, or None when they were current; raises DumpsError when they cannot
    be written (the previous files are left as they were)."""
    store = store.current()  # one version, read from start to end
    if not force and current(store, directory):
        return None
    with _locked(directory, exclusive=True):
        # another process may have written them while this one waited (or a remote store moved on)
        if not force and current(store, directory):
            return None
        return _write(store, directory)


@contextmanager
def reading(store: GraphStore, directory: Path) -> Iterator[Stamp]:
    """The folder's files, made current first if need be, and kept from being replaced while the caller reads
    them: what a page about the dumps of the store's version reads."""
    store = store.current()
    for _ in range(TRIES):
        version = store.version()  # the same each time for a published version; a remote store may move on
        with _locked(directory, exclusive=False):
            found = read_stamp(directory)
            if found is not None and _holds(directory, found, version):
                yield found
                return
        ensure(store, directory)
    raise DumpsError(f"the dumps in {directory} were replaced by another version's {TRIES} times while this one "
                     "was asked for; try again")


def summary(written: Stamp | None, directory: Path) -> str:
    """What ``kg dumps`` and ``kg serve`` say of :func:`ensure`'s work."""
    if written is None:
        return f"dumps already current in {directory}"
    return f"dumps of version {written.version or '(none: no build wrote the store)'} written to {directory}"


def _version_id(version: StoreVersion | None) -> str:
    return version.id if version else ""


def _holds(directory: Path, found: Stamp | None, version: StoreVersion | None) -> bool:
    """Whether the folder, stamped ``found``, holds every file of ``version`` (one deleted by hand is made again)."""
    return (found is not None and found.version == _version_id(version)
            and all((directory / name).is_file() for name in [*dump_names(), VOID]))


@contextmanager
def _locked(directory: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold the folder's lock. A reader that cannot even open it (a folder it may not write, where no writer ever
    made the lock) reads without: nothing can replace the files there anyway."""
    try:
        if exclusive:
            directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(directory / LOCK, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError as exc:
        if exclusive:
            raise _cannot_write(directory, exc) from exc
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # releases the lock


def _write(store: GraphStore, directory: Path) -> Stamp:
    """Every dump and void.ttl of ``store`` staged beside the folder's files, then renamed over them, the stamp
    last. Called with the folder locked, so any staging folder found is a dead writer's."""
    from kg.void import Dump, describe

    staging = directory / f"{STAGING}{os.getpid()}"
    try:
        for left in directory.glob(f"{STAGING}*"):
            shutil.rmtree(left, ignore_errors=True)
        staging.mkdir()
        snapshot, version = _snapshot(store)
        with snapshot:
            snapshot.union()  # sorted once each, for all five formats
            snapshot.dataset()
            dumps = []
            for fmt, (rdf_format, ext) in FORMATS.items():
                path = staging / f"{DUMP_STEM}.{ext}.gz"
                with path.open("wb") as out:
                    snapshot.write(fmt, out, gzip=True)
                dumps.append(Dump(path.name, rdf_format, path.stat().st_size))
            (staging / VOID).write_bytes(describe(store, dumps, snapshot.counts()))
        stamp = Stamp(_version_id(version), version.built if version else "",
                      datetime.now(UTC).replace(microsecond=0).isoformat())
        (staging / STAMP).write_text(json.dumps(asdict(stamp)) + "\n", encoding="utf-8")
        (directory / STAMP).unlink(missing_ok=True)  # the files are of no known version until all are in place
        for name in [*dump_names(), VOID, STAMP]:
            os.replace(staging / name, directory / name)
    except OSError as exc:
        raise _cannot_write(directory, exc) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return stamp


def _snapshot(store: GraphStore) -> tuple[Snapshot, StoreVersion | None]:
    """The store read whole, and the version it was read at: a remote store that commits meanwhile is read again."""
    for _ in range(TRIES):
        version = store.version()
        snapshot = Snapshot(store)
        try:
            unchanged = store.version() == version
        except BaseException:
            snapshot.__exit__()
            raise
        if unchanged:
            return snapshot, version
        snapshot.__exit__()
    raise DumpsError(f"the store changed {TRIES} times while its dumps were being made; try again")


def _cannot_write(directory: Path, exc: OSError) -> DumpsError:
    reason = exc.strerror or str(exc)
    if exc.filename and not str(exc.filename).startswith(str(directory)):
        reason += f" ({exc.filename})"  # scratch space elsewhere (the system's temporary folder)
    return DumpsError(f"cannot write the dumps to {directory}: {reason}")
