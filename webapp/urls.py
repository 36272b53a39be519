"""Links that keep the current request's parameters (pagers, format switches)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request


def pager(page: int, key: str = "page") -> str:
    """The current query string with ``key`` set to ``page``."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != key]
    return urlencode([*args, (key, str(page))])
