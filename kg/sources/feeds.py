"""RSS and Atom feeds (``.xml``, ``.rss``, ``.atom``): one record per entry that carries its full text.

Feeds often carry only a summary of each article; such an entry is reported as skipped (save the
article's page and add that), never added with a partial text. A feed that is not well-formed XML is
refused whole: feedparser would recover some entries and silently lose others.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import feedparser

from kg.corpus import CorpusError, Origin, Record, Skipped, parse_record
from kg.sources.encoding import EncodingProblem, decode_markup
from kg.sources.html import article_text, paragraphs
from kg.sources.language import language_code, language_problem
from kg.sources.urls import canonical_url, id_from_key, id_from_url

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_feed(path: Path, raw: bytes) -> Iterator[Record | CorpusError]:
    """The entries of one feed file with their full text; errors and skipped entries as values."""
    src = str(path)
    try:
        decoded = decode_markup(raw)
    except EncodingProblem as exc:
        yield CorpusError(src, str(exc))
        return
    # The encoding is settled above (declaration checked against the bytes): feedparser is told it, as a
    # server's Content-Type would, so an undeclared windows-1251 feed is not read as windows-1252.
    parsed = feedparser.parse(raw, response_headers={"content-type": f"application/xml; charset={decoded.encoding}"})
    if parsed.get("bozo"):
        yield CorpusError(src, f"the feed does not parse: {_problem(parsed.get('bozo_exception'))}; nothing was added "
                               "from it")
        return
    if not parsed.get("version"):
        yield CorpusError(src, "not an RSS or Atom feed")
        return
    feed = parsed.get("feed", {})
    feed_url = canonical_url(_self_link(feed) or feed.get("link"))
    if not parsed.entries:
        yield Skipped(src, "the feed has no entries")
    for n, entry in enumerate(parsed.entries, 1):
        yield _entry_record(entry, f"{src} entry {n}", decoded.encoding, feed_url, feed.get("language"))


def _entry_record(entry: Any, src: str, encoding: str, feed_url: str | None, feed_lang: str | None
                  ) -> Record | CorpusError:
    url = canonical_url(entry.get("link"))
    key = url or entry.get("id")
    who = url or entry.get("id") or entry.get("title")
    content = next((c for c in entry.get("content", ()) if (c.get("value") or "").strip()), None)
    if content is None:
        return Skipped(src, "the feed gives only a summary of this entry, not its full text: not added "
                            "(save the article's page and add that)", who)
    if not key:
        return CorpusError(src, "the entry has neither a link nor an id", who)
    value = content["value"]
    text = article_text(value) if content.get("type") in _HTML_TYPES else paragraphs(value, None)
    if not text:
        return CorpusError(src, "the entry's content has no text", who)
    declared = content.get("language") or entry.get("language") or feed_lang
    problem = language_problem(declared, text)
    if problem:
        return CorpusError(src, f"the entry is {problem}", who)
    published = _entry_date(entry)
    origin = Origin("feed", date_found="feed" if published else None, encoding=encoding, feed=feed_url)
    data = {"id": id_from_url(url) if url else id_from_key(key), "text": text, "url": url,
            "published": published, "lang": language_code(declared), "title": entry.get("title") or None}
    return parse_record(data, src, origin)


def _entry_date(entry: Any) -> str | None:
    """The publication date as the feed wrote it (its own time zone), else the last update's."""
    for field in ("published", "updated"):
        value = (entry.get(field) or "").strip()
        if not value:
            continue
        try:
            return parsedate_to_datetime(value).date().isoformat()  # RSS: RFC 822
        except (TypeError, ValueError):
            pass
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()  # Atom: RFC 3339
        except ValueError:
            pass
        parsed = entry.get(f"{field}_parsed")  # other spellings feedparser understood (in UTC)
        if parsed:
            return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    return None


def _self_link(feed: Any) -> str | None:
    return next((link.get("href") for link in feed.get("links", ()) if link.get("rel") == "self"), None)


def _problem(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    line = getattr(exc, "getLineNumber", None)
    message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    return f"line {line()}: {message}" if line else message
