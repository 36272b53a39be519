"""The kg command: help on every sub-command, exit code 2 for bad usage, a quiet end when its reader goes away."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main, make_parser
from tests.test_webapp import load_store

COMMANDS = ["build", "add", "remove", "export", "dumps", "validate", "query", "stats", "check", "eval", "serve"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "usage: kg" in capsys.readouterr().out


def test_all_commands_are_registered():
    sub = next(a for a in make_parser()._actions if a.dest == "==SUPPRESS==" or a.metavar == "COMMAND")
    assert sorted(sub.choices) == sorted(COMMANDS)


def test_bad_usage_exits_2(capsys):
    assert main([]) == 2
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--format", "yaml"])
    assert exit_.value.code == 2


def test_console_script_is_installed():
    kg = Path(sys.executable).parent / "kg"
    out = subprocess.run([str(kg), "--help"], capture_output=True, text=True, check=True)
    assert "build" in out.stdout and "serve" in out.stdout


def test_validate_and_check_of_a_missing_or_unreadable_file_say_so(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.ttl")]) == 2
    assert "no such file" in capsys.readouterr().err
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    assert main(["validate", str(broken)]) == 1
    assert "not readable as RDF" in capsys.readouterr().err
    assert main(["check", str(broken)]) == 1
    assert "broken.ttl" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["stats"], ["export", "--format", "ntriples"], ["query", "-"]])
def test_a_reader_that_stops_reading_ends_the_command_quietly(tmp_path: Path, command: list[str]) -> None:
    """`kg stats | head` and the like: no BrokenPipeError traceback when the reader goes away."""
    store = load_store(tmp_path / "store")
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "--store", str(store), *command],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # gone before the command writes a byte
    _, err = process.communicate(b"SELECT * WHERE { ?s ?p ?o }", timeout=120)
    assert process.returncode == 1
    assert err == b""
