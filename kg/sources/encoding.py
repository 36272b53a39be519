"""Bytes of a web page or feed to text: the declared encoding when it is right, else detection.

Legacy Cyrillic encodings (windows-1251, KOI8-R) are common on the sites the corpus comes from. A
declaration is honoured only when the bytes agree with it: a page declared windows-1251 whose bytes are
UTF-8 (or the reverse) would otherwise be read as mojibake, so it is refused with the reason instead.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

#: Where a declaration may be: the HTML standard's prescan looks at the first 1,024 bytes; saved pages
#: put a comment or two before <head>, so a little more is read.
_PRESCAN_BYTES = 4096
_XML_DECLARATION = re.compile(r"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']\s*([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(r"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
#: Labels that browsers read as another encoding (WHATWG Encoding Standard): latin-1 and ASCII labels
#: mean windows-1252, and a UTF-16 label inside an ASCII-compatible file means UTF-8.
_WHATWG_ALIASES = {"iso8859-1": "windows-1252", "ascii": "windows-1252", "utf-16": "utf-8", "utf-16-le": "utf-8",
                   "utf-16-be": "utf-8"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


class EncodingProblem(ValueError):
    """The file's encoding is declared wrongly, unknown, or cannot be told."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the name users know: "utf-8", "windows-1251", "koi8-r"
    declared: bool  # by a byte order mark, an XML declaration or a <meta> charset


def decode_markup(raw: bytes) -> Decoded:
    """Decode an HTML or XML file as a browser would, refusing a declaration that the bytes contradict."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return Decoded(_strict(raw[len(bom):], name), name, True)
    label = declared_encoding(raw)
    if label is None:
        return _undeclared(raw)
    try:
        name = _browser_name(label)
    except LookupError:
        raise EncodingProblem(f"declares an unknown character encoding {label!r}") from None
    try:
        text = raw.decode(name)
    except UnicodeDecodeError as exc:
        raise EncodingProblem(
            f"declares the encoding {label!r} but is not valid {name} (byte {exc.start}){_guess(raw)}; "
            "correct the declaration or save the file again as UTF-8"
        ) from None
    if name != "utf-8" and not raw.isascii() and _is_utf8(raw):
        raise EncodingProblem(
            f"declares the encoding {label!r} but its text is UTF-8; correct the declaration"
        )
    return Decoded(text, name, True)


def declared_encoding(raw: bytes) -> str | None:
    """The encoding label of the XML declaration or of a <meta> charset, as written."""
    head = raw[:_PRESCAN_BYTES].decode("latin-1")
    match = _XML_DECLARATION.match(head) or _META_CHARSET.search(head)
    return match[1] if match else None


def _undeclared(raw: bytes) -> Decoded:
    if _is_utf8(raw):
        return Decoded(raw.decode("utf-8"), "utf-8", False)
    best = from_bytes(raw).best()
    if best is None:
        raise EncodingProblem("declares no character encoding and none could be detected; save the file again as UTF-8")
    name = _browser_name(best.encoding)
    return Decoded(_strict(raw, name), name, False)


def _guess(raw: bytes) -> str:
    best = from_bytes(raw).best()
    return f"; it looks like {_browser_name(best.encoding)}" if best is not None else ""


def _browser_name(label: str) -> str:
    """Python's codec for a label, named as browsers name it; LookupError for an unknown label."""
    label = label.strip().lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        if not label.startswith("x-"):  # x-mac-cyrillic and the like
            raise
        name = codecs.lookup(label[2:]).name
    name = name.replace("_", "-")
    name = _WHATWG_ALIASES.get(name, name)
    return re.sub(r"^cp(125\d)$", r"windows-\1", name)


def _strict(raw: bytes, name: str) -> str:
    try:
        return raw.decode(name)
    except UnicodeDecodeError as exc:
        raise EncodingProblem(f"is not valid {name} (byte {exc.start})") from None


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
