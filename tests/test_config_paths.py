"""Paths in the settings mean what they mean in a shell: relative to the directory the command runs in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.config import ROOT, Settings


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory that is neither the project root nor a package folder, with no KG_* set."""
    for name in [n for n in os.environ if n.startswith("KG_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults_are_under_the_current_directory(elsewhere: Path) -> None:
    settings = Settings()
    assert settings.store == str(elsewhere / "data" / "store")
    assert settings.dumps_dir == elsewhere / "data" / "dumps"
    # the curated sources ship with the code
    assert settings.corpus == (ROOT / "corpus",)
    assert settings.ontology_dir == ROOT / "ontology"


def test_relative_variables_are_resolved_against_the_current_directory(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_STORE", "stores/../my-store")
    monkeypatch.setenv("KG_DUMPS", "out/dumps")
    monkeypatch.setenv("KG_CORPUS", os.pathsep.join(["a", "", "b/c.json"]))
    monkeypatch.setenv("KG_QUERIES", "~/q")
    settings = Settings()
    assert settings.store == str(elsewhere / "my-store")
    assert settings.dumps_dir == elsewhere / "out" / "dumps"
    assert settings.corpus == (elsewhere / "a", elsewhere / "b" / "c.json")
    assert settings.queries_dir == Path.home() / "q"


def test_flags_are_resolved_too_and_stay_put_when_the_directory_changes(elsewhere: Path) -> None:
    settings = Settings().with_(store="s", corpus=(Path("docs"),), dumps_dir="d")
    assert settings.store == str(elsewhere / "s")
    assert settings.corpus == (elsewhere / "docs",)
    assert settings.dumps_dir == elsewhere / "d"
    os.chdir(ROOT)
    assert settings.with_(workers=1).store == str(elsewhere / "s")


def test_a_remote_store_is_a_url_not_a_path(elsewhere: Path) -> None:
    url = "http://127.0.0.1:7878/query"
    assert Settings().with_(store=url).store == url

