"""Fixtures shared across the suite: settings pointing at temporary stores, and one built store."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.config import ROOT, Settings

DATA = Path(__file__).resolve().parent / "data"
#: The five seed documents of the bundled corpus: small enough for the stores most tests build.
SEEDS = tuple(sorted((ROOT / "corpus").glob("seed-*.json")))
#: The development articles bundled with them (gold annotations in DATA / "gold" / "dev").
DEV = ROOT / "corpus" / "dev"


@pytest.fixture(autouse=True, scope="session")
def checkout_stays_clean(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never write into the checkout: where a test names no store or dumps folder (KG_STORE, KG_DUMPS,
    default data/ under the current directory), it gets temporary ones. The defaults themselves are tested
    where that is the point, with KG_* cleared: test_config_paths, test_fresh_clone."""
    scratch = tmp_path_factory.mktemp("defaults")
    saved = {name: os.environ.get(name) for name in ("KG_STORE", "KG_DUMPS")}
    os.environ.setdefault("KG_STORE", str(scratch / "store"))
    os.environ.setdefault("KG_DUMPS", str(scratch / "dumps"))
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def require_tool(path_or_name: str) -> str:
    """The tool's path; skipped when missing on a developer's machine, a failure in CI."""
    found = shutil.which(path_or_name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{path_or_name} is missing: `make test` installs it")
    pytest.skip(f"{path_or_name} is not installed (make system-deps installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a fresh store in a temporary folder, over the seed documents, built in-process."""
    return Settings().with_(store=str(tmp_path / "store"), corpus=SEEDS, workers=1,
                            dumps_dir=tmp_path / "dumps")


@pytest.fixture(scope="session")
def built_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once from the seed documents; tests open it read-only."""
    from kg.build import build
    from kg.store.embedded import EmbeddedStore

    path = tmp_path_factory.mktemp("built") / "store"
    settings = Settings().with_(store=str(path), corpus=SEEDS, workers=2, dumps_dir=path.parent / "dumps")
    store = EmbeddedStore(path)
    report = build(store, settings, progress=False)
    store.close()
    del store
    assert report.ok, report.lines()
    return path
