"""`make run` on this checkout installs (a no-op when up to date), builds the bundled corpus (46 documents) and
serves it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request

import pytest

from kg.config import ROOT
from tests.conftest import free_port


@pytest.mark.slow
def test_make_run_serves_the_home_page_counting_the_bundled_documents(tmp_path):
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    port = free_port()
    env = dict(os.environ, KG_STORE=str(tmp_path / "store"), KG_DUMPS=str(tmp_path / "dumps"))
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        page = ""
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(1)
        assert page, f"no home page; make said:\n{proc.stdout.read().decode() if proc.poll() is not None else ''}"
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
        assert re.search(r"\b46 documents\b", text), text[:2000]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
