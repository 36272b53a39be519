"""Saved web pages (``.html``, ``.htm``): the article's main text and metadata, found by trafilatura.

trafilatura leaves out navigation, menus, share buttons, cookie notices, comments and related-article
lists; htmldate (through trafilatura) finds the publication date in the page's metadata, else in its
URL, else in the page's markup; kg.sources.language checks the language. The text keeps one paragraph a
line with a blank line between them, as records do, without the headline (that is the record's title).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from kg.corpus import CorpusError, Origin, Record, date_from_url, parse_record
from kg.sources.encoding import EncodingProblem, decode_markup
from kg.sources.language import language_code, language_problem
from kg.sources.urls import canonical_url, id_from_url

# The readers report every problem per file themselves; the libraries' own log lines would only repeat
# them on standard error.
for _name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

#: Precision over recall: facts are extracted from this text, so a menu or cookie notice taken for the
#: article does more harm than a missed line. (In its balanced mode trafilatura falls back to the whole
#: page's text when the article is short, and to a cookie notice when a page has no article at all.)
#: Tables are left out: older sites (the windows-1251 kind) lay whole pages out with them, and trafilatura
#: would return the layout as one table row; a data table inside an article reads badly as text anyway.
_EXTRACTION = {"favor_precision": True, "include_comments": False, "include_tables": False}
#: htmldate: the page's metadata first (meta tags, JSON-LD), then the URL, then dates in the markup;
#: never free-text guessing, and the original publication date rather than the last update.
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "deferred_url_extractor": True}
#: The address a browser writes into a page it saves ("Mark of the Web").
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)


def read_page(path: Path, raw: bytes) -> Record | CorpusError:
    """The article of one saved page, or why it cannot be read."""
    src = str(path)
    try:
        decoded = decode_markup(raw)
    except EncodingProblem as exc:
        return CorpusError(src, str(exc))
    tree = load_html(decoded.text)
    if tree is None:
        return CorpusError(src, "not an HTML page")
    saved_from = _SAVED_FROM.search(decoded.text[:4096])
    doc = bare_extraction(tree, url=saved_from[1] if saved_from else None, with_metadata=True,
                          date_extraction_params=dict(_DATE_PARAMS), **_EXTRACTION)
    text = paragraphs(doc.text, doc.title) if doc is not None and doc.text else ""
    if not text:
        return CorpusError(src, "no main text found: the page holds only navigation or lists, or its article "
                                "is loaded by a script (save the page after it has loaded)")
    declared = declared_language(tree)
    problem = language_problem(declared, text)
    if problem:
        return CorpusError(src, f"the page is {problem}")
    url = canonical_url(doc.url)
    date_found = None
    if doc.date:
        date_found = "url" if doc.date == date_from_url(url) else "page"
    origin = Origin("page", date_found=date_found, title=_clean(tree.findtext(".//title")),
                    encoding=decoded.encoding)
    data = {"id": id_from_url(url) if url else path.stem, "text": text, "url": url, "published": doc.date,
            "lang": language_code(declared), "title": _clean(doc.title)}
    return parse_record(data, src, origin)


def article_text(fragment: str) -> str:
    """The text of an HTML fragment that is a whole article (a feed entry's content)."""
    tree = load_html(f"<html><body><article>{fragment}</article></body></html>")
    doc = bare_extraction(tree, **_EXTRACTION) if tree is not None else None
    return paragraphs(doc.text, None) if doc is not None and doc.text else ""


def paragraphs(text: str, headline: str | None) -> str:
    """One paragraph a line, a blank line between them; a first line repeating the headline is dropped."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if headline and lines and _folded(lines[0]) == _folded(headline):
        lines = lines[1:]
    return "\n\n".join(lines)


def declared_language(tree: HtmlElement) -> str | None:
    """The language the page says it is in: <html lang>, else its Content-Language or og:locale."""
    root = tree.getroottree().getroot()
    tag = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not tag:
        for meta in tree.iterfind(".//meta"):
            if (meta.get("http-equiv") or "").lower() == "content-language" or meta.get("property") == "og:locale":
                tag = meta.get("content")
                break
    return (tag or "").strip() or None


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _clean(text: str | None) -> str | None:
    return " ".join((text or "").split()) or None
