"""Canonical URLs of articles and the document ids derived from them.

The same article saved twice, reached by http or https, with or without ``www.``, a trailing slash, a
``#fragment`` or tracking parameters (``utm_*``, ``fbclid``...), gets the same id, so adding it again
replaces it instead of adding a copy. Different articles never share an id: a short hash of the
normalised address follows the readable part.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote, urlsplit, urlunsplit

from courlan import normalize_url

from kg.namespaces import slug

#: Longest readable part of an id before its hash (ids end up in IRIs and file names).
_READABLE_CHARS = 80
_WEB_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)


def canonical_url(url: str | None) -> str | None:
    """The address to keep for an article: absolute http(s), tracking parameters and fragment removed."""
    if not url or not _WEB_URL.fullmatch(url.strip()):
        return None
    try:
        parts = urlsplit(normalize_url(url.strip()))
    except ValueError:  # a malformed port or host
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def id_from_url(url: str) -> str:
    """A readable, IRI-safe document id that is the same for every spelling of the same address."""
    parts = urlsplit(canonical_url(url) or url)
    host = parts.netloc.lower().removeprefix("www.")
    key = host + unquote(parts.path).rstrip("/") + (f"?{unquote(parts.query)}" if parts.query else "")
    return id_from_key(key)


def id_from_key(key: str) -> str:
    """A document id for any identifying string (a feed entry's guid when it has no link)."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    return f"{slug(key)[:_READABLE_CHARS].rstrip('-')}-{digest}"
