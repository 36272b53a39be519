"""Numeric settings: a value that is not a number is refused with the setting's name, never a traceback."""

from __future__ import annotations

import pytest

from kg.cli import main
from kg.config import Settings


@pytest.mark.parametrize(("name", "value", "says"), [
    ("KG_COMMIT_SECONDS", "ten", "KG_COMMIT_SECONDS must be a number, not 'ten'"),
    ("KG_WORKERS", "2.5", "KG_WORKERS must be a whole number, not '2.5'"),
])
def test_a_setting_that_is_not_a_number_is_refused_by_name(monkeypatch, capsys, name, value, says):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=says):
        Settings()
    assert main(["stats"]) == 1
    assert capsys.readouterr().err.strip() == f"error: {says}"
