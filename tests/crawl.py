"""A small crawler for tests: fetches pages of a running site with a real HTTP client (urllib) and follows
the links it finds, so that every page the site links to is checked, whatever pages the site has."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: What a browser sends: pages as HTML, anything else accepted.
BROWSER_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"


@dataclass(frozen=True)
class Fetched:
    """One URL as the server answered it (``status`` 0: no answer at all, the reason in ``error``)."""

    url: str
    status: int
    content_type: str
    body: bytes
    links: tuple[str, ...] = ()
    error: str = ""


@dataclass
class Crawl:
    """Everything fetched so far, by URL, and which page linked to each URL first."""

    root: str
    fetched: dict[str, Fetched] = field(default_factory=dict)
    referrers: dict[str, str] = field(default_factory=dict)

    def failures(self) -> list[str]:
        """Answers >= 500, no answer, and links that lead nowhere (404): one line each, naming the page that
        links there."""
        out = []
        for url, page in sorted(self.fetched.items()):
            if page.status == 0 or page.status >= 500 or page.status == 404:
                what = page.error or page.body[:300].decode("utf-8", "replace").strip()
                out.append(f"{page.status} {url} (linked from {self.referrers.get(url, 'the test')}): {what}")
        return out


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "href" or (name == "src" and tag in ("img", "script", "iframe"))):
                self.found.append(value)


def links_of(url: str, html: bytes, root: str) -> tuple[str, ...]:
    """The absolute URLs on the site under ``root`` that the page at ``url`` links to (fragments dropped)."""
    parser = _Links()
    parser.feed(html.decode("utf-8", "replace"))
    out = []
    for href in parser.found:
        absolute = urllib.parse.urldefrag(urllib.parse.urljoin(url, href)).url
        if absolute.startswith(root) and absolute not in out:
            out.append(absolute)
    return tuple(out)


def fetch(url: str, root: str, *, timeout: float = 120) -> Fetched:
    request = urllib.request.Request(url, headers={"Accept": BROWSER_ACCEPT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, ctype, body = response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        status, ctype, body = exc.code, exc.headers.get_content_type(), exc.read()
    except (urllib.error.URLError, OSError) as exc:
        return Fetched(url, 0, "", b"", error=f"no answer: {exc}")
    links = links_of(url, body, root) if ctype == "text/html" else ()
    return Fetched(url, status, ctype, body, links)


def crawl(root: str, starts: Iterable[str], depth: int, *, crawl: Crawl | None = None, threads: int = 4) -> Crawl:
    """Fetch ``starts`` and follow their links ``depth`` levels deep (0: the starts and nothing more), each URL
    once, ``threads`` at a time; adds to ``crawl`` when one is given (the links of starts it already holds are
    followed all the same)."""
    done = crawl or Crawl(root)
    level = list(dict.fromkeys(starts))
    with ThreadPoolExecutor(threads) as pool:
        for remaining in range(depth, -1, -1):
            for page in pool.map(lambda u: fetch(u, root), [u for u in level if u not in done.fetched]):
                done.fetched[page.url] = page
            if not remaining:
                break
            following = []
            for url in level:
                for link in done.fetched[url].links:
                    if link not in done.fetched and link not in following:
                        done.referrers.setdefault(link, url)
                        following.append(link)
            level = following
    return done
