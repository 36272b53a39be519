"""deploy/nginx.conf, the README's reverse proxy, run for real: nginx (Debian's, installed by `make test`) caching
`kg serve`. Fresh copies are served by nginx, stale ones are checked with the app's ETags, variants follow
``Vary``, and POST, errors and cut answers always reach the server."""

from __future__ import annotations

import getpass
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from kg.config import ROOT
from tests.conftest import free_port, require_tool
from tests.test_webapp import ID, load_store
from tests.test_webapp_server import running

pytestmark = pytest.mark.slow

CONFIG = ROOT / "deploy" / "nginx.conf"
#: What the example says that a test must change: the address of kg serve, where nginx listens, the cache.
PLACES = ("server 127.0.0.1:8000;", "listen 80;", "/var/cache/nginx/labour-kg")
#: The freshness lifetime kg serve gives its answers here: long enough to see hits, short enough to wait out.
FRESH_SECONDS = 2
MAIN = """
user {user};
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    include {site};
}}
"""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def cache(self) -> str:
        return self.headers.get("x-cache-status", "")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx with deploy/nginx.conf in front of kg serve over the fixture graph (row cap 5); its base URL."""
    nginx = require_tool("/usr/sbin/nginx")
    tmp = tmp_path_factory.mktemp("proxy")
    with running(tmp, load_store(tmp / "store"), KG_MAX_ROWS="5", KG_CACHE_SECONDS=str(FRESH_SECONDS)) as served:
        port = free_port()
        site = CONFIG.read_text()
        for place, mine in zip(PLACES, (f"server {served.url.removeprefix('http://')};",
                                        f"listen 127.0.0.1:{port};", str(tmp / "cache")), strict=True):
            assert site.count(place) == 1, f"deploy/nginx.conf no longer holds {place!r} once"
            site = site.replace(place, mine)
        (tmp / "site.conf").write_text(site)
        (tmp / "nginx.conf").write_text(MAIN.format(user=getpass.getuser(), tmp=tmp, site=tmp / "site.conf"))
        process = subprocess.Popen([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D", timeout=5).close()
                    break
                except (urllib.error.URLError, ConnectionError):
                    if process.poll() is not None or time.monotonic() > deadline:
                        log = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
                        raise RuntimeError(f"nginx did not start: {process.stderr.read().decode()} {log}") from None
                    time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            process.wait(10)


def get(url: str, method: str = "GET", data: bytes | None = None, **headers: str) -> Answer:
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={k.replace("_", "-"): v for k, v in headers.items()})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as exc:  # urllib reports 304 and errors alike
        return Answer(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())


def sparql(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def test_fresh_copies_come_from_nginx_and_clients_revalidate_there(proxy: str) -> None:
    page = proxy + "/id/org/ilo"
    first = get(page, Accept="text/html")
    assert first.status == 200 and first.cache in ("MISS", "EXPIRED")
    again = get(page, Accept="text/html")
    assert again.cache == "HIT" and again.body == first.body and again.headers["etag"] == first.headers["etag"]
    conditional = get(page, Accept="text/html", If_None_Match=first.headers["etag"])
    assert conditional.status == 304 and conditional.body == b""


def test_a_stale_copy_is_revalidated_with_the_apps_etag(proxy: str) -> None:
    url = proxy + sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ <{ID}org/fturk> ?p ?o }}")
    accept = {"Accept": "application/sparql-results+json"}
    first = get(url, **accept)
    assert first.status == 200 and first.headers["cache-control"] == f"public, max-age={FRESH_SECONDS}"
    time.sleep(FRESH_SECONDS + 1)
    revalidated = get(url, **accept)
    assert revalidated.cache == "REVALIDATED"  # nginx asked kg serve with If-None-Match and got a 304
    assert revalidated.body == first.body


def test_each_variant_named_by_vary_is_cached_apart(proxy: str) -> None:
    page = proxy + "/id/org/fturk"
    english = get(page, Accept="text/html", Accept_Language="en")
    russian = get(page, Accept="text/html", Accept_Language="ru")
    turtle = get(page, Accept="text/turtle")
    assert len({english.headers["etag"], russian.headers["etag"], turtle.headers["etag"]}) == 3
    assert b"<html" in english.body and b"<html" in russian.body and b"<html" not in turtle.body
    assert english.body != russian.body
    assert get(page, Accept="text/html", Accept_Language="ru").body == russian.body
    assert get(page, Accept="text/turtle").body == turtle.body


def test_post_errors_and_cut_answers_always_reach_the_server(proxy: str) -> None:
    cut = proxy + sparql("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    missing = proxy + "/id/org/no-such-organisation"
    for _ in range(2):
        posted = get(proxy + "/sparql", "POST", urllib.parse.urlencode({"query": "ASK {}"}).encode(),
                     Content_Type="application/x-www-form-urlencoded", Accept="application/sparql-results+json")
        assert posted.status == 200 and posted.cache in ("", "BYPASS")
        truncated = get(cut, Accept="application/sparql-results+json")
        assert truncated.headers["x-kg-truncated"] == "true" and truncated.cache == "MISS"
        assert get(missing, Accept="text/html").status == 404
        assert get(missing, Accept="text/html").cache == "MISS"
