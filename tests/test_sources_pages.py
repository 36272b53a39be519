"""Saved web pages: the article's text and metadata, never the site's menus, and the same graph as a record."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.corpus import parse_record, read_corpus
from kg.docgraph import document_quads
from kg.namespaces import LKG, SCHEMA
from kg.pipeline import extract
from kg.sources.urls import canonical_url, id_from_url

PAGES = Path(__file__).resolve().parent / "data" / "pages"
#: page -> (title, canonical URL, published, how the date was found, language, the page's <title>, encoding)
EXPECTED = {
    "en-memorandum": ("FTURK and GTUC sign a memorandum in Tbilisi",
                      "https://union-herald.example.org/en/2023/03/14/fturk-gtuc-memorandum/", "2023-03-15", "page",
                      "en", "FTURK and GTUC sign a memorandum in Tbilisi | Union Herald", "utf-8"),
    "ru-windows-1251": ("Профсоюзы Казахстана и Беларуси подписали соглашение о сотрудничестве",
                        "http://www.profvestnik.example.kz/ru/news/2022/04/soglashenie-minsk.html", "2022-04-21",
                        "page", "ru", "Профсоюзы Казахстана и Беларуси подписали соглашение о сотрудничестве — "
                        "Профсоюзный вестник", "windows-1251"),
    "kk-session": ("Федерация делегациясы Женевадағы сессияға қатысты",
                   "https://kasipodaq-example.kz/kk/2023/06/06/zhenevadagy-111-sessiya/", "2023-06-06", "url", "kk",
                   "Федерация делегациясы Женевадағы сессияға қатысты - Кәсіподақ жаршысы", "utf-8"),
}
#: what the test pages put around their articles; none of it may reach the text
BOILERPLATE = ("cookie", "Home", "Share", "Related", "All rights", "Privacy", "Tags", "signing ceremony", "Поделиться",
               "Читайте также", "Просмотров", "Главная", "Горячая линия", "Бөлісу", "Соңғы жаңалықтар", "Басты бет",
               "10.03.2023", "01.06.2023", "|")


def read_page(name: str):
    corpus = read_corpus([PAGES / f"{name}.html"])
    assert not corpus.errors, [str(e) for e in corpus.errors]
    (record,) = corpus.records
    return record


def body(name: str) -> str:
    return (PAGES / f"{name}.body").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_text_is_the_articles_body_without_menus_share_buttons_cookie_notices_or_related_links(name):
    record = read_page(name)
    assert record.text == body(name)
    assert not [b for b in BOILERPLATE if b in record.text]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_title_url_date_language_and_origin_come_from_the_page(name):
    title, url, published, found, lang, page_title, encoding = EXPECTED[name]
    record = read_page(name)
    assert (record.title, record.url, record.published, record.lang) == (title, url, published, lang)
    origin = record.origin
    assert (origin.format, origin.date_found, origin.title, origin.encoding) == ("page", found, page_title, encoding)
    assert record.id == id_from_url(url)


def test_the_date_comes_from_the_metadata_first_then_the_url_then_the_markup(tmp_path):
    html = (PAGES / "en-memorandum.html").read_text(encoding="utf-8")
    metadata = '<meta property="article:published_time" content="2023-03-15T09:30:00+06:00">'
    (tmp_path / "no-meta.html").write_text(html.replace(metadata, ""), encoding="utf-8")
    # no metadata date and no date in the address: the page's byline date, not a related article's
    no_url_date = html.replace(metadata, "").replace("/en/2023/03/14/fturk", "/en/news/fturk")
    no_url_date = no_url_date.replace("<span>3 min read</span>", '<time datetime="2023-03-16">16 March 2023</time>')
    (tmp_path / "byline.html").write_text(no_url_date, encoding="utf-8")
    records = {r.source.rsplit("/", 1)[-1]: r for r in read_corpus([tmp_path]).records}
    assert (records["no-meta.html"].published, records["no-meta.html"].origin.date_found) == ("2023-03-14", "url")
    assert (records["byline.html"].published, records["byline.html"].origin.date_found) == ("2023-03-16", "page")


def test_the_same_page_saved_twice_keeps_its_id_and_a_page_without_an_address_takes_its_file_name(tmp_path):
    html = (PAGES / "en-memorandum.html").read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)[1]
    again = html.replace(canonical, "http://www.union-herald.example.org/en/2023/03/14/fturk-gtuc-memorandum#top")
    (tmp_path / "again.html").write_text(again, encoding="utf-8")
    nowhere = re.sub(r'<link rel="canonical"[^>]+>', "", html)
    (tmp_path / "nowhere.html").write_text(nowhere, encoding="utf-8")
    ids = {r.source.rsplit("/", 1)[-1]: r.id for r in read_corpus([tmp_path]).records}
    assert ids["again.html"] == read_page("en-memorandum").id
    assert ids["nowhere.html"] == "nowhere"


def test_addresses_differing_only_in_tracking_or_spelling_share_an_id_and_other_articles_do_not():
    same = ["https://www.example.kz/ru/2019/01/28/article/?utm_source=rss&fbclid=x#comments",
            "http://example.kz/ru/2019/01/28/article", "HTTPS://EXAMPLE.KZ/ru/2019/01/28/article/"]
    assert len({id_from_url(u) for u in same}) == 1
    different = ["https://example.kz/news.php?id=1", "https://example.kz/news.php?id=2", "https://example.kz/a-b/c",
                 "https://example.kz/a/b-c"]
    assert len({id_from_url(u) for u in different}) == len(different)
    assert re.fullmatch(r"[a-z0-9-]+", id_from_url("https://пример.kz/новости/статья-1"))
    assert canonical_url("javascript:alert(1)") is None and canonical_url("/relative/path") is None


def test_an_undeclared_windows_1251_page_is_detected(tmp_path):
    raw = (PAGES / "ru-windows-1251.html").read_bytes()
    raw = raw.replace(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251" />', b"")
    (tmp_path / "undeclared.html").write_bytes(raw)
    (record,) = read_corpus([tmp_path]).records
    assert record.text == body("ru-windows-1251") and record.origin.encoding == "windows-1251"


def test_every_bad_page_gets_its_own_clear_message_and_the_others_are_read(tmp_path):
    good = (PAGES / "en-memorandum.html").read_text(encoding="utf-8")
    (tmp_path / "good.html").write_text(good, encoding="utf-8")
    menus_only = re.sub(r"<article.*</article>", "", good, flags=re.S)
    (tmp_path / "menus-only.html").write_text(menus_only, encoding="utf-8")
    (tmp_path / "french.html").write_text(good.replace('lang="en-GB"', 'lang="fr"'), encoding="utf-8")
    ru = (PAGES / "ru-windows-1251.html").read_bytes()
    (tmp_path / "wrong-declaration.htm").write_bytes(ru.replace(b"charset=windows-1251", b"charset=utf-8"))
    (tmp_path / "mojibake.html").write_bytes(ru.decode("cp1251").encode("utf-8"))  # says windows-1251, is UTF-8
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    corpus = read_corpus([tmp_path])
    assert [r.source.rsplit("/", 1)[-1] for r in corpus.records] == ["good.html"]
    messages = {e.source.rsplit("/", 1)[-1]: e.message for e in corpus.errors}
    assert "no main text" in messages["menus-only.html"]
    assert "language labour-kg does not read ('fr'" in messages["french.html"]
    assert "declares the encoding 'utf-8' but is not valid utf-8" in messages["wrong-declaration.htm"]
    assert "declares the encoding 'windows-1251' but its text is UTF-8" in messages["mojibake.html"]
    assert "not an HTML page" in messages["empty.html"] or "no main text" in messages["empty.html"]
    assert "binary file" in messages["picture.html"]


def _graph(record) -> set[str]:
    """The document graph without the node saying what the text was read from (which is meant to differ)."""
    quads = document_quads(record, extract(record))
    return {str(ox.Triple(q.subject, q.predicate, q.object)) for q in quads
            if not q.subject.value.endswith("/source") and q.predicate.value != "http://www.w3.org/ns/prov#wasDerivedFrom"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_page_gives_the_same_graph_as_the_same_article_as_a_json_record(name, tmp_path):
    page = read_page(name)
    title, url, published, _, lang, _, _ = EXPECTED[name]
    path = tmp_path / "article.json"
    path.write_text(json.dumps({"id": page.id, "title": title, "url": url, "published": published, "lang": lang,
                                "text": body(name)}, ensure_ascii=False), encoding="utf-8")
    (record,) = read_corpus([path]).records
    assert _graph(page) == _graph(record)
    kinds = {t.split(" ")[2] for t in _graph(page) if " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " in t}
    assert f"<{SCHEMA}Event>" in kinds or f"<{LKG}Session>" in kinds
    if name != "kk-session":
        assert f"<{LKG}Memorandum>" in kinds


def test_the_document_graph_says_the_text_was_read_from_a_saved_page():
    record = read_page("ru-windows-1251")
    quads = document_quads(record, extract(record))
    source = {(q.predicate.value, q.object.value) for q in quads if q.subject.value.endswith("/source")}
    assert (LKG + "sourceFormat", LKG + "SavedWebPage") in source
    assert (LKG + "dateSource", LKG + "DateInPage") in source
    assert (LKG + "characterEncoding", "windows-1251") in source
    assert ("http://purl.org/dc/terms/title", EXPECTED["ru-windows-1251"][5]) in source
    assert parse_record({"id": "x", "text": "t"}).origin.format == "record"


def test_a_page_declaring_no_language_is_refused_only_when_its_text_is_surely_in_another_one(tmp_path):
    html = (PAGES / "en-memorandum.html").read_text(encoding="utf-8").replace(' lang="en-GB"', "")
    (tmp_path / "english.html").write_text(html, encoding="utf-8")
    french = ("<p>Le 14 mars 2023 à Tbilissi, la Fédération des syndicats de la République du Kazakhstan et la "
              "Confédération géorgienne des syndicats ont signé un mémorandum de coopération pour cinq ans.</p>"
              "<p>Les parties ont convenu d'échanger leur expérience en matière de négociation collective.</p>")
    (tmp_path / "french.html").write_text(re.sub(r'<div class="post-body">.*?</div>', f"<div>{french}</div>", html,
                                                 flags=re.S), encoding="utf-8")
    corpus = read_corpus([tmp_path])
    (english,) = corpus.records
    assert english.text == body("en-memorandum") and english.lang is None  # left to the pipeline's detection
    (error,) = corpus.errors
    assert error.source.endswith("french.html") and "does not read ('fr', detected with probability" in error.message
