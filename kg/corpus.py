"""Reading corpus records from files and folders.

Formats: ``.json`` (one record), ``.jsonl`` (one record a line), ``.txt`` / ``.md`` (id = file name
without suffix). Folders are read recursively in sorted order so builds are deterministic.
A bad file or record never stops the others: it becomes a :class:`CorpusError` in the result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SUFFIXES = (".json", ".jsonl", ".txt", ".md")
LANGS = ("en", "ru", "kk")
#: Larger documents are refused: news articles are a few kilobytes.
MAX_TEXT_CHARS = 1_000_000


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


@dataclass(frozen=True)
class CorpusError:
    """A record or file that could not be read, and why."""

    source: str
    message: str
    id: str | None = None

    def __str__(self) -> str:
        who = f"{self.source} [{self.id}]" if self.id else self.source
        return f"{who}: {self.message}"


@dataclass
class Corpus:
    records: list[Record] = field(default_factory=list)
    errors: list[CorpusError] = field(default_factory=list)


def read_corpus(paths: Iterable[Path | str]) -> Corpus:
    """Read every record under the given files and folders; duplicate ids are errors."""
    corpus = Corpus()
    seen: dict[str, str] = {}
    for item in _read_all(paths):
        if isinstance(item, CorpusError):
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
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield CorpusError(src, f"not valid UTF-8 (byte {exc.start})")
        return
    if suffix in (".txt", ".md"):
        yield _check({"id": path.stem, "text": content}, src)
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


def parse_record(data: object, source: str = "<record>") -> Record | CorpusError:
    """Check one decoded JSON record (also used by ``kg add`` for single records)."""
    return _check(data, source)


def _check(data: object, src: str) -> Record | CorpusError:
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
    return Record(
        id=rid,
        text=text,
        url=url,
        published=published or date_from_url(url),
        lang=lang,
        title=(data.get("title") or None),
        source=src,
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
