"""What a query text asks for, read before it runs: updates and federated SERVICE calls are refused.

pyoxigraph would really send a SERVICE call over HTTP, so the endpoint must never hand it one. The
check works on the query's tokens with strings, IRIs and comments taken out, so a keyword inside a
literal or an IRI does not count, and one in the query itself cannot hide.
"""

from __future__ import annotations

import re

_HIDDEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)
_TOKEN = re.compile(r"[?$][\w]+|[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.-]*|[A-Za-z]+")
_QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_UPDATE_OPS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


class Refused(Exception):
    """The query asks for something this read-only, offline endpoint does not do."""


def keywords(text: str) -> list[str]:
    """The bare words of a query in upper case (no variables, prefixed names, strings, IRIs or comments)."""
    skeleton = _HIDDEN.sub(" ", text)
    return [t.upper() for t in _TOKEN.findall(skeleton) if t[0] not in "?$:" and ":" not in t]


def check(text: str) -> list[str]:
    """Raise :class:`Refused` for an update or a query with SERVICE; otherwise return the query's keywords."""
    words = keywords(text)
    for word in words:
        if word in _UPDATE_OPS:
            raise Refused(f"this endpoint is read-only: SPARQL updates ({word}) are refused")
        if word in _QUERY_FORMS:
            break
    if "SERVICE" in words:
        raise Refused("federated queries (SERVICE) are disabled: this endpoint never makes outbound requests")
    return words
