"""Web pages and feeds are decoded as browsers would, and a declaration the bytes contradict is refused."""

from __future__ import annotations

import codecs

import pytest

from kg.sources.encoding import EncodingProblem, declared_encoding, decode_markup

RUSSIAN = "<p>Федерация профсоюзов Республики Казахстан подписала соглашение о сотрудничестве.</p>" * 3


def page(charset_tag: str, body: str = RUSSIAN) -> str:
    return f"<!DOCTYPE html><html><head>{charset_tag}<title>Новости</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("tag", "label"),
    [
        ('<meta charset="windows-1251">', "windows-1251"),
        ("<meta charset=cp1251>", "cp1251"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251" />', "windows-1251"),
        ('<META HTTP-EQUIV="content-type" CONTENT="text/html;charset=WINDOWS-1251">', "WINDOWS-1251"),
    ],
)
def test_a_declared_windows_1251_page_is_decoded(tag: str, label: str) -> None:
    raw = page(tag).encode("cp1251")
    assert declared_encoding(raw) == label
    decoded = decode_markup(raw)
    assert decoded.text == page(tag) and decoded.encoding == "windows-1251" and decoded.declared


def test_the_xml_declaration_is_read_for_feeds() -> None:
    raw = '<?xml version="1.0" encoding="koi8-r"?><rss><channel><title>Новости</title></channel></rss>'
    decoded = decode_markup(raw.encode("koi8-r"))
    assert decoded.encoding == "koi8-r" and "Новости" in decoded.text


def test_undeclared_pages_are_utf8_when_valid_else_detected() -> None:
    utf8 = decode_markup(page("").encode("utf-8"))
    assert utf8.text == page("") and utf8.encoding == "utf-8" and not utf8.declared
    detected = decode_markup(page("").encode("cp1251"))
    assert detected.encoding == "windows-1251" and not detected.declared and "Федерация" in detected.text


def test_a_byte_order_mark_wins_over_the_declaration() -> None:
    raw = codecs.BOM_UTF8 + page('<meta charset="windows-1251">').encode("utf-8")
    assert decode_markup(raw).encoding == "utf-8"


@pytest.mark.parametrize(("label", "name"), [("latin1", "windows-1252"), ("us-ascii", "windows-1252"),
                                             ("x-mac-cyrillic", "mac-cyrillic"), ("utf-16", "utf-8")])
def test_labels_mean_what_they_mean_to_browsers(label: str, name: str) -> None:
    raw = f'<html><head><meta charset="{label}"><title>News</title></head><body><p>plain</p></body></html>'.encode()
    assert decode_markup(raw).encoding == name


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (page('<meta charset="utf-8">').encode("cp1251"), "declares the encoding 'utf-8' but is not valid utf-8"),
        (page('<meta charset="windows-1251">').encode(), "declares the encoding 'windows-1251' but its text is UTF-8"),
        (page('<meta charset="klingon-7">').encode("utf-8"), "unknown character encoding 'klingon-7'"),
    ],
)
def test_a_wrong_declaration_is_refused_with_the_reason(raw: bytes, message: str) -> None:
    with pytest.raises(EncodingProblem, match=message):
        decode_markup(raw)


def test_the_refusal_of_a_wrong_utf8_declaration_names_the_likely_encoding() -> None:
    with pytest.raises(EncodingProblem, match="it looks like windows-1251"):
        decode_markup(page('<meta charset="utf-8">').encode("cp1251"))
