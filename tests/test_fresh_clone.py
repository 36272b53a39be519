"""The product run the way a new user runs it: a fresh clone of the committed tree, `kg build` and `kg serve`
from its root with no settings at all (no KG_* variables, defaults only), then a crawler that follows the
site's links the way a browser would. Nothing may answer >= 500 and no link may lead to a 404; every dump
listed on /dumps/ downloads and parses to the counts `kg stats` gives; /.well-known/void states them too.

It tests what is committed (git clone of HEAD): commit before running it.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib

from kg.config import ROOT
from tests.conftest import free_port
from tests.crawl import Crawl, crawl, fetch

pytestmark = pytest.mark.slow

#: Dump formats: file extension -> (rapper's syntax name, or None where only rdflib reads it; counted as)
DUMP_SYNTAX = {"ttl": ("turtle", "triples"), "nt": ("ntriples", "triples"), "nq": ("nquads", "quads"),
               "trig": ("trig", "quads"), "jsonld": (None, "quads")}
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


def user_env() -> dict[str, str]:
    """The environment without any labour-kg setting."""
    return {k: v for k, v in os.environ.items() if not k.startswith("KG_")}


def kg(clone: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """`kg ...` in the clone's root, running the clone's own code (``-m`` puts the folder first on the path)."""
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=clone, env=user_env(), capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    git = shutil.which("git")
    if not git or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout")
    head = subprocess.run([git, "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    dest = tmp_path_factory.mktemp("fresh") / "labour-kg"
    subprocess.run([git, "clone", "--quiet", str(ROOT), str(dest)], check=True, capture_output=True)
    subprocess.run([git, "checkout", "--quiet", "--detach", head.strip()], cwd=dest, check=True, capture_output=True)
    return dest


@dataclass(frozen=True)
class Site:
    url: str
    clone: Path
    stats: dict


@pytest.fixture(scope="module")
def site(clone: Path) -> Iterator[Site]:
    built = kg(clone, "build", timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    counted = kg(clone, "stats", "--json")
    assert counted.returncode == 0, counted.stderr
    port = free_port()  # a flag, not a setting: never the fixed default port on a shared machine
    log = (clone.parent / "serve.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=clone, env=user_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while fetch(url, url, timeout=5).status != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((clone.parent / "serve.log").read_text(errors="replace"))
            time.sleep(0.2)
        yield Site(url, clone, json.loads(counted.stdout))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def crawled(site: Site) -> Crawl:
    """Every link from / two levels deep, then every link on /dumps/, /queries, one entity and one document page."""
    done = crawl(site.url, [site.url], depth=2)
    pages = [u for u, p in done.fetched.items() if p.status == 200 and p.content_type == "text/html"]
    entity = next((u for u in pages if "/id/" in u and "/id/doc/" not in u), None)
    document = next((u for u in pages if "/id/doc/" in u), None)
    assert entity and document, "the crawl found no entity or no document page"
    extra = [site.url + "dumps/", site.url + "queries", entity, document]
    return crawl(site.url, extra, depth=1, crawl=done)


def test_the_clone_runs_its_own_code_and_writes_under_its_root(site: Site) -> None:
    where = kg(site.clone, "--help")
    assert where.returncode == 0
    code = subprocess.run([sys.executable, "-c", "import kg.config; print(kg.config.ROOT)"], cwd=site.clone,
                          env=user_env(), capture_output=True, text=True, check=True)
    assert Path(code.stdout.strip()) == site.clone
    assert (site.clone / "data" / "store").is_dir()
    dumps = sorted(p.name for p in (site.clone / "data" / "dumps").glob("labour-kg.*.gz"))
    assert dumps == sorted(f"labour-kg.{ext}.gz" for ext in DUMP_SYNTAX)
    assert (site.clone / "data" / "dumps" / "void.ttl").is_file()
    assert site.stats["documents"] == 46


def test_no_page_fails_and_no_link_is_broken(site: Site, crawled: Crawl) -> None:
    assert len(crawled.fetched) > 100, sorted(crawled.fetched)
    assert crawled.failures() == []
    log = (site.clone.parent / "serve.log").read_text(errors="replace")
    assert "Traceback" not in log and "ERROR" not in log, log[-5000:]


def test_every_dump_listed_downloads_and_parses_to_the_counts_of_kg_stats(site: Site, tmp_path: Path) -> None:
    listing = fetch(site.url + "dumps/", site.url)
    dumps = [u for u in listing.links if u.endswith(".gz")]
    assert sorted(u.rsplit("/", 1)[1] for u in dumps) == sorted(f"labour-kg.{ext}.gz" for ext in DUMP_SYNTAX)
    rapper = shutil.which("rapper")
    for url in dumps:
        ext = url.rsplit("/", 1)[1].split(".")[1]
        syntax, counted_as = DUMP_SYNTAX[ext]
        with urllib.request.urlopen(url, timeout=120) as response:
            assert response.status == 200
            data = gzip.decompress(response.read())
        if syntax and rapper:
            path = tmp_path / f"dump.{ext}"
            path.write_bytes(data)
            done = subprocess.run([rapper, "-q", "-i", syntax, "-o", "nquads", str(path), "http://base/"],
                                  capture_output=True, check=True)
            count = done.stdout.count(b"\n")
        else:
            fmt = {"jsonld": "json-ld", "ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig"}[ext]
            count = len(set(rdflib.Dataset().parse(data=data, format=fmt).quads()))
        assert count == site.stats[counted_as], url


def test_void_is_turtle_with_the_counts_and_working_download_links(site: Site) -> None:
    void = fetch(site.url + ".well-known/void", site.url)
    assert void.status == 200 and void.content_type == "text/turtle"
    graph = rdflib.Graph().parse(data=void.body, format="turtle")
    assert int(next(graph.objects(None, VOID.triples))) == site.stats["triples"]
    assert int(next(graph.objects(None, VOID.entities))) > 0
    downloads = sorted(str(o) for o in graph.objects(None, VOID.dataDump))
    assert len(downloads) == len(DUMP_SYNTAX)
    for url in downloads:
        request = urllib.request.Request(url, method="HEAD")
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200, url
    assert re.fullmatch(rf"{re.escape(site.url)}sparql", str(next(graph.objects(None, VOID.sparqlEndpoint))))
