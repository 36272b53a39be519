"""Reading corpus records from files and folders.

Formats: ``.json`` (one record), ``.jsonl`` (one record a line), ``.txt`` / ``.md`` (id = file name
without suffix), and through kg.sources saved web pages (``.html``, ``.htm``) and RSS/Atom feeds
(``.xml``, ``.rss``, ``.atom``). Folders are read recursively in sorted order so builds are deterministic.
A bad file or record never stops the others: it becomes a :class:`CorpusError` in the result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

RECORD_SUFFIXES = (".json", ".jsonl", ".txt", ".md")
PAGE_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
SUFFIXES = RECORD_SUFFIXES + PAGE_SUFFIXES + FEED_SUFFIXES
LANGS = ("en", "ru", "kk")
#: Larger documents are refused: news articles are a few kilobytes.
MAX_TEXT_CHARS = 1_000_000


@dataclass(frozen=True)
class Origin:
    """Where a document's text came from; it goes into the document graph and onto the document page."""

    format: str = "record"  # how the text was read: "record", "text" (.txt/.md), "page" or "feed"
    date_found: str | None = None  # where the date was: "record", "url", "page" or "feed" (None: no date)
    title: str | None = None  # a web page's own title (its <title>), which may differ from the headline
    encoding: str | None = None  # the character encoding a page or feed was read in
    feed: str | None = None  # the address of the feed an entry came from


@dataclass(frozen=True)
class Record:
    """One document of the corpus, as read and checked."""

    id: str
    text: str
    url: str | None = None
    published: str | None = None  # ISO date
    lang: str | None = None
    title: str | None = None
    source: str = ""  # file (and line) it came from
    origin: Origin = Origin()


@dataclass(frozen=True)
class CorpusError:
    """A record or file that could not be read, and why."""

    source: str
    message: str
    id: str | None = None

    def __str__(self) -> str:
        who = f"{self.source} [{self.id}]" if self.id else self.source
        return f"{who}: {self.message}"


@dataclass(frozen=True)
class Skipped(CorpusError):
    """Something left out on purpose (a feed entry with only a summary): reported, but not a failure."""


@dataclass
class Corpus:
    records: list[Record] = field(default_factory=list)
    errors: list[CorpusError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def read_corpus(paths: Iterable[Path | str]) -> Corpus:
    """Read every record under the given files and folders; duplicate ids are errors."""
    corpus = Corpus()
    seen: dict[str, str] = {}
    for item in _read_all(paths):
        if isinstance(item, Skipped):
            corpus.skipped.append(item)
        elif isinstance(item, CorpusError):
            corpus.errors.append(item)
        elif item.id in seen:
            corpus.errors.append(
                CorpusError(item.source, f"duplicate id (first read from {seen[item.id]})", item.id)
            )
        else:
            seen[item.id] = item.source
            corpus.records.append(item)
    return corpus


def _read_all(paths: Iterable[Path | str]) -> Iterator[Record | CorpusError]:
    for p in map(Path, paths):
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            for f in files:
                yield from read_file(f)
        elif p.is_file():
            yield from read_file(p)
        else:
            yield CorpusError(str(p), "no such file or folder")


def read_file(path: Path) -> Iterator[Record | CorpusError]:
    """Records of one file; the file's format is told by its suffix."""
    src = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield CorpusError(src, f"unsupported file type {suffix!r} (expected one of {', '.join(SUFFIXES)})")
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield CorpusError(src, f"cannot read: {exc.strerror or exc}")
        return
    if b"\x00" in raw[:8192]:
        yield CorpusError(src, "binary file (contains NUL bytes), not a text document")
        return
    if suffix in PAGE_SUFFIXES:
        from kg.sources.html import read_page

        yield read_page(path, raw)
        return
    if suffix in FEED_SUFFIXES:
        from kg.sources.feeds import read_feed

        yield from read_feed(path, raw)
        return
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield CorpusError(src, f"not valid UTF-8 (byte {exc.start})")
        return
    if suffix in (".txt", ".md"):
        yield _check({"id": path.stem, "text": content}, src, Origin("text"))
    elif suffix == ".json":
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            yield CorpusError(src, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
            return
        yield _check(data, src)
    else:
        for n, line in enumerate(content.splitlines(), 1):
            if not line.strip():
                continue
            where = f"{src}:{n}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield CorpusError(where, f"malformed JSON: {exc.msg} at column {exc.colno}")
                continue
            yield _check(data, where)


def parse_record(data: object, source: str = "<record>", origin: Origin | None = None) -> Record | CorpusError:
    """Check one decoded record: a JSON record, or the fields a page or feed reader found.

    ``origin`` says how the text was read; its ``date_found`` is filled in here when the reader left it
    open (a date given in the record, or taken from the URL)."""
    return _check(data, source, origin)


def _check(data: object, src: str, origin: Origin | None = None) -> Record | CorpusError:
    if not isinstance(data, dict):
        return CorpusError(src, f"a record must be a JSON object, not {type(data).__name__}")
    rid = data.get("id")
    if not isinstance(rid, str | int) or not str(rid).strip():
        return CorpusError(src, "missing or empty 'id'")
    rid = str(rid).strip()
    text = data.get("text")
    if not isinstance(text, str):
        return CorpusError(src, "missing 'text' (a string)", rid)
    if not text.strip():
        return CorpusError(src, "empty text", rid)
    if len(text) > MAX_TEXT_CHARS:
        return CorpusError(src, f"text too long ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,})", rid)
    for key in ("url", "published", "lang", "title"):
        if data.get(key) is not None and not isinstance(data[key], str):
            return CorpusError(src, f"'{key}' must be a string or null", rid)
    published = data.get("published") or None
    if published is not None:
        try:
            published = date.fromisoformat(published[:10]).isoformat()
        except ValueError:
            return CorpusError(src, f"'published' is not an ISO date: {published!r}", rid)
    lang = (data.get("lang") or "").strip().lower() or None
    if lang is not None and lang not in LANGS:
        return CorpusError(src, f"unsupported 'lang' {lang!r} (expected one of {', '.join(LANGS)})", rid)
    url = data.get("url") or None
    origin = origin or Origin()
    if published is None and date_from_url(url):
        published, origin = date_from_url(url), replace(origin, date_found="url")
    elif published is not None and origin.date_found is None:
        origin = replace(origin, date_found="record")
    return Record(
        id=rid,
        text=text,
        url=url,
        published=published,
        lang=lang,
        title=(data.get("title") or None),
        source=src,
        origin=origin,
    )


def date_from_url(url: str | None) -> str | None:
    """News sites put the date in the path (``/2019/01/28/``): use it when no date is given."""
    if not url:
        return None
    m = re.search(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/", url)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None
