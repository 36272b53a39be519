"""A real `kg serve` keeps answering, correctly, while `kg add`, `kg remove` and `kg build` commit to its store in
other processes: a crawler that reads the site the whole time gets no answer >= 500, and every commit is served
as soon as the command that made it has ended, without `kill -HUP`."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.config import ROOT
from tests.conftest import SEEDS
from tests.crawl import Crawl, crawl, fetch
from tests.test_webapp import load_store
from tests.test_webapp_server import running

pytestmark = pytest.mark.slow
#: A development article added under an id of its own, then removed again.
ARTICLE = ROOT / "corpus" / "dev" / "dev-004.json"
PROBE = "rebuild-probe"
#: Besides the pages linked from the home page: the endpoint (answered by the query workers), search, dumps.
ALSO = ("/sparql?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "format": "json"}),
        "/search?q=federation", "/search?q=ilo&format=json", "/dumps/", "/.well-known/void", "/documents")


def kg(store: Path, tmp: Path, *args: str) -> None:
    env = {**os.environ, "KG_DUMPS": str(tmp / "dumps"), "KG_WORKERS": "1"}
    env.pop("KG_BASE", None)
    done = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(store), *args], capture_output=True,
                          text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/html"}), timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_site_answers_while_its_store_is_rebuilt_and_serves_each_commit_at_once(tmp_path: Path) -> None:
    store = load_store(tmp_path / "store")
    with running(tmp_path, store) as served:
        probe = f"{served.url}/id/doc/{PROBE}"
        seen: list[Crawl] = []
        writing = threading.Event()
        writing.set()

        def read_the_site() -> None:
            while writing.is_set():
                seen.append(crawl(served.url, [served.url + "/", *(served.url + p for p in ALSO)], 1, threads=2))

        reader = threading.Thread(target=read_the_site)
        reader.start()
        try:
            assert status(probe) == 404
            for _ in range(2):
                kg(store, tmp_path, "add", "--quiet", "--id", PROBE, str(ARTICLE))
                assert status(probe) == 200  # served as soon as `kg add` has ended
                kg(store, tmp_path, "remove", PROBE)
                assert status(probe) == 404
            kg(store, tmp_path, "build", "--quiet", "--corpus", str(SEEDS[0]))
            assert status(f"{served.url}/id/doc/en-2023-001") == 404  # the fixture's documents: gone with the build
            assert status(f"{served.url}/id/doc/{SEEDS[0].stem}") == 200
        finally:
            writing.clear()
            reader.join()
        fetched = [page for one in seen for page in one.fetched.values()]
        failed = [f"{page.status} {page.url}: {page.error or page.body[:200]!r}" for page in fetched
                  if page.status == 0 or page.status >= 500]
        assert not failed, failed
        assert len(fetched) > 100  # the site was read all along
        last = fetch(served.url + ALSO[0], served.url)
        assert last.status == 200
        assert served.process.poll() is None
