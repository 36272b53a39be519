"""HTTP caching of every read: ETag, Last-Modified, Cache-Control and Vary, and 304 answers made before any work.

Between two commits of the store (``kg build``, ``add``, ``remove``) the same request gets the same answer, so
an answer's validator is a hash of the store's version (kg.store.StoreVersion), of what else the site's answers
are made from (code, templates, saved queries, ontology file, settings: :func:`site_stamp`, read when the app
starts) and of what the request says that an answer may depend on: host, path, query string, ``Accept`` and the
reader's language (``Accept-Language`` and the ``lang`` cookie). All of it is known before the request is
answered, so a matching ``If-None-Match`` (or ``If-Modified-Since``) gets its 304 here, in front of the SPARQL
endpoint and of Flask, without a query or a template.

One WSGI middleware covers every route, today's and later ones, by default: GET and HEAD answers with status
200 get the headers; errors, answers cut by the row cap (``X-KG-Truncated``) and answers that set a cookie
never get a validator or a freshness lifetime (errors and cut answers are marked ``no-store``); POST is left
alone. A view's own validator (``send_file``'s ETag, which range requests rely on) is kept.

An answer varies by the reader's language only if it asked for it, through :func:`webapp.labels.ui_language`
(every template does): only then does its ETag include the language and its ``Vary`` name ``Accept-Language``
and ``Cookie``. Whether an answer asks is settled by the rest of the request, so both ETags are made up front
and the one a client sends back tells which ``Vary`` its 304 carries.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from email.utils import format_datetime

from werkzeug.http import parse_date

from kg.config import ROOT, Settings
from kg.store import GraphStore, StoreError, StoreVersion
from webapp.reading import pinned

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
Headers = list[tuple[str, str]]

#: Set in the WSGI environ by webapp.labels.ui_language: the answer depends on the reader's language.
LANGUAGE_USED = "labour_kg.language_used"
#: The store version the request is answered from (None for a store no build wrote to).
VERSION = "labour_kg.version"

VARY = ("Accept",)
VARY_LANGUAGE = ("Accept", "Accept-Language", "Cookie")
#: Statuses whose answers may be reused; the rest get ``no-store`` (errors) or are left alone (redirects).
REUSABLE = ("200", "206", "304")
_LANG_COOKIE = re.compile(r"(?:^|;)\s*lang=\"?([^;\"]*)")
#: Most requests whose ETags are remembered (then forgotten all at once), and the longest remembered (in
#: characters of URL and headers): at most ~8 MB per server process, whatever clients send.
ETAGS_KEPT = 2048
ETAG_KEY_CHARS = 4096


def site_stamp(settings: Settings) -> tuple[str, float]:
    """A hash of what the answers are made from besides the graph (the code of kg and of the site, templates,
    static files, saved queries, the ontology folder's own files, the settings that shape answers), and the
    newest modification time among its files. Read once when the app starts: after a deploy or an edit of a
    saved query, restart the server (``kill -HUP``), as after a rebuild."""
    import pyoxigraph

    import kg

    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((kg.__version__, pyoxigraph.__version__, settings.base, settings.max_rows,
                        settings.query_timeout)).encode())
    files = [*sorted((ROOT / "kg").rglob("*.py")), *sorted(p for p in (ROOT / "webapp").rglob("*") if p.is_file()),
             *sorted(settings.queries_dir.glob("*.rq")), *sorted(settings.ontology_dir.glob("*.*"))]
    newest = 0.0
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(path.anchor)).encode() + b"\0" + path.read_bytes())
            newest = max(newest, path.stat().st_mtime)
    return digest.hexdigest(), newest


class HttpCache:
    """WSGI middleware in front of the whole site (see the module's docstring).

    ``cache_seconds`` is the freshness lifetime of answers (``public, max-age``); 0 sends ``no-cache``, so that
    caches ask every time, still with the validators. ``path_headers`` are headers a 304 for that path repeats
    from the answer it stands for (the endpoint's CORS headers).
    """

    def __init__(self, app: WSGIApp, store: GraphStore, settings: Settings, *,
                 path_headers: Mapping[str, Sequence[tuple[str, str]]] = ()) -> None:
        if settings.cache_seconds < 0:
            raise ValueError(f"the cache time must be 0 seconds or more, not {settings.cache_seconds}")
        self.app = app
        self.store = store
        self.site, self.site_time = site_stamp(settings)
        self.cache_control = f"public, max-age={settings.cache_seconds}" if settings.cache_seconds else "no-cache"
        self.path_headers = dict(path_headers)
        self._last_modified: tuple[str, str] = ("", "")
        self._etags: dict[tuple[str, ...], tuple[str, str]] = {}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        try:
            version = pinned(environ, self.store).version()
        except (StoreError, OSError):  # the store is unreachable: the view will say so, unvalidated
            version = None
        environ[VERSION] = version
        tags = self.etags(environ, version) if version else None
        modified = self.last_modified(version) if version else ""
        if tags:
            answer = self.not_modified(environ, tags, modified)
            if answer is not None:
                start_response("304 Not Modified", answer)
                return []

        def start(status: str, headers: Headers, exc_info: object = None) -> Callable:
            return start_response(status, self.decorate(status, headers, environ, tags, modified), exc_info)

        return self.app(environ, start)

    def etags(self, environ: dict, version: StoreVersion) -> tuple[str, str]:
        """The ETag of the answer if it does not depend on the reader's language, and if it does (remembered for
        the requests clients repeat, as conditional requests are)."""
        key = (version.id, environ.get("wsgi.url_scheme", ""), environ.get("HTTP_HOST", ""),
               environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
               environ.get("HTTP_ACCEPT", ""), environ.get("HTTP_ACCEPT_LANGUAGE", ""), environ.get("HTTP_COOKIE", ""))
        found = self._etags.get(key)
        if found is None:
            cookie = _LANG_COOKIE.search(key[-1])
            plain = hashlib.blake2b("\0".join((self.site, *key[:7])).encode("utf-8", "surrogatepass"), digest_size=12)
            language = plain.copy()
            language.update(f"\0{key[7]}\0{cookie[1] if cookie else ''}".encode("utf-8", "surrogatepass"))
            found = (_weak(plain), _weak(language))
            if sum(map(len, key)) <= ETAG_KEY_CHARS:
                if len(self._etags) >= ETAGS_KEPT:
                    self._etags.clear()
                self._etags[key] = found
        return found

    def last_modified(self, version: StoreVersion) -> str:
        """The HTTP date of the later of the commit and the site's files (empty if the commit has no date)."""
        if self._last_modified[0] != version.built:
            built = version.built_at
            when = "" if built is None else format_datetime(
                datetime.fromtimestamp(max(built.timestamp(), self.site_time), built.tzinfo), usegmt=True)
            self._last_modified = (version.built, when)
        return self._last_modified[1]

    def not_modified(self, environ: dict, tags: tuple[str, str], modified: str) -> Headers | None:
        """The headers of a 304 when the request's preconditions say the client's copy is current."""
        sent = environ.get("HTTP_IF_NONE_MATCH")
        if sent is not None:  # when both are sent, If-None-Match decides (RFC 9110, 13.2.2)
            plain, language = tags
            held = {sent} if sent in tags else {t.strip().removeprefix("W/") for t in sent.split(",")}
            if language in held or language.removeprefix("W/") in held:
                return self.headers_304(environ, language, VARY_LANGUAGE, modified)
            if plain in held or plain.removeprefix("W/") in held:
                return self.headers_304(environ, plain, VARY, modified)
            return None
        since = environ.get("HTTP_IF_MODIFIED_SINCE")
        if since and modified:
            asked, last = parse_date(since), parse_date(modified)
            if asked is not None and last is not None and last <= asked:
                # which Vary the copy was sent with is unknown: the language's ETag and Vary hold either way
                return self.headers_304(environ, tags[1], VARY_LANGUAGE, modified)
        return None

    def headers_304(self, environ: dict, tag: str, vary: Sequence[str], modified: str) -> Headers:
        headers = [("ETag", tag), ("Cache-Control", self.cache_control), ("Vary", ", ".join(vary))]
        if modified:
            headers.append(("Last-Modified", modified))
        return headers + list(self.path_headers.get(environ.get("PATH_INFO", ""), ()))

    def decorate(self, status: str, headers: Headers, environ: dict, tags: tuple[str, str] | None,
                 modified: str) -> Headers:
        """The answer's headers with the caching ones set (or, for errors and cut answers, forbidden); one pass
        over them, as every answer comes through here."""
        code = status[:3]
        if code[0] == "3" and code != "304":
            return headers
        out: Headers = []
        vary: list[str] = []
        own_control = ""
        has_etag = has_modified = cut = False
        for name, value in headers:
            low = name.lower()
            if low == "vary":
                vary += [v.strip() for v in value.split(",") if v.strip()]
                continue
            if low == "cache-control":
                own_control = value.lower()
                continue
            if low == "set-cookie":
                return headers
            if low == "etag":
                has_etag = True
            elif low == "last-modified":
                has_modified = True
            elif low == "x-kg-truncated":
                cut = value == "true"
            out.append((name, value))
        if code not in REUSABLE or cut:
            out = [(n, v) for n, v in out if n.lower() not in ("etag", "last-modified")]
            return out + ([("Vary", ", ".join(vary))] if vary else []) + [("Cache-Control", "no-store")]
        if "no-store" in own_control or "private" in own_control:
            return headers
        language = LANGUAGE_USED in environ
        wanted = VARY_LANGUAGE if language else VARY
        if vary:
            seen = {v.lower() for v in vary}
            vary += [v for v in wanted if v.lower() not in seen]
        out += [("Cache-Control", self.cache_control), ("Vary", ", ".join(vary or wanted))]
        if code == "304":  # a view's own 304 (send_file's), for its own validator
            return out
        if tags and not has_etag:
            out.append(("ETag", tags[1] if language else tags[0]))
        if modified and not has_modified:
            out.append(("Last-Modified", modified))
        return out


def _weak(digest: hashlib.blake2b) -> str:
    """A weak ETag: the same answer again, not promised byte for byte (a proxy may compress it)."""
    return f'W/"{digest.hexdigest()}"'


def uses_language(environ: dict) -> None:
    """Mark the answer as depending on the reader's language (called by webapp.labels.ui_language)."""
    environ[LANGUAGE_USED] = True
