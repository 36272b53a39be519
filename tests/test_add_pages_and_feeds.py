"""`kg add` of saved pages and feeds: the articles are added with their metadata and the document pages
say where each text came from; bad files are reported one by one and lose nothing already stored."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from kg.cli import main
from kg.config import ROOT, Settings
from kg.store.embedded import EmbeddedStore
from webapp import create_app

DATA = Path(__file__).resolve().parent / "data"
PAGES, FEEDS = DATA / "pages", DATA / "feeds"
RU_ID = "profvestnik-example-kz-ru-news-2022-04-soglashenie-minsk-html-081c7fdb"
KK_ID = "kasipodaq-example-kz-kk-2023-06-06-zhenevadagy-111-sessiya-f6e61796"
EN_ID = "union-herald-example-org-en-2023-03-14-fturk-gtuc-memorandum-a6bb2b71"
YOUTH_ID = "union-herald-example-org-en-2023-03-02-youth-council-f9dd1531"

pytestmark = pytest.mark.slow


def kg(store: Path, *args: str | Path) -> int:
    return main(["--store", str(store), "add", "--quiet", "--workers", "1", *map(str, args)])


def document_page(store: Path, tmp_path: Path, doc_id: str) -> str:
    settings = Settings().with_(store=str(store), dumps_dir=tmp_path / "dumps", queries_dir=ROOT / "queries")
    app = create_app(settings, EmbeddedStore(store, read_only=True))
    try:
        response = app.test_client().get(f"/id/doc/{doc_id}", headers={"Accept": "text/html"})
    finally:
        app.extensions["kg_runner"].close()
    assert response.status_code == 200
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.data.decode())))


def documents(store: Path) -> set[str]:
    with EmbeddedStore(store, read_only=True) as s:
        return {g.rsplit("/", 1)[-1] for g in s.document_graphs()}


def test_kg_add_of_pages_and_a_feed_adds_the_articles_and_their_pages_show_where_they_came_from(tmp_path, capsys):
    store = tmp_path / "store"
    assert kg(store, PAGES / "ru-windows-1251.html", PAGES / "kk-session.html", FEEDS / "union-herald.rss") == 0
    out = capsys.readouterr().out
    assert "4 documents added, 0 unchanged, 0 failed, 0 removed, 1 skipped" in out
    assert "skipped: " in out and "union-herald.rss entry 3" in out and "only a summary" in out
    assert documents(store) == {RU_ID, KK_ID, EN_ID, YOUTH_ID}

    ru = document_page(store, tmp_path, RU_ID)
    assert "Профсоюзы Казахстана и Беларуси подписали соглашение о сотрудничестве" in ru
    assert "published 2022-04-21 (found in the page's metadata)" in ru
    assert "http://www.profvestnik.example.kz/ru/news/2022/04/soglashenie-minsk.html" in ru
    assert "read from saved web page (windows-1251)" in ru
    assert "page title Профсоюзы Казахстана и Беларуси подписали соглашение о сотрудничестве — Профсоюзный" in ru
    assert "Поделиться" not in ru and "Читайте также" not in ru
    kk = document_page(store, tmp_path, KK_ID)
    assert "published 2023-06-06 (found in the address (URL))" in kk and "language kk" in kk
    youth = document_page(store, tmp_path, YOUTH_ID)
    assert "published 2023-03-02 (found in the feed entry)" in youth and "read from feed entry (utf-8)" in youth
    assert "feed https://union-herald.example.org/en/rss/" in youth


def test_adding_a_page_again_changes_nothing_and_the_saved_page_replaces_the_feed_entry(tmp_path, capsys):
    store = tmp_path / "store"
    assert kg(store, FEEDS / "union-herald.rss") == 0
    assert kg(store, FEEDS / "union-herald.rss") == 0
    assert "0 documents added, 2 unchanged" in capsys.readouterr().out
    assert kg(store, PAGES / "en-memorandum.html") == 0  # the same article (same canonical address) as entry 1
    assert "1 documents added" in capsys.readouterr().out
    assert documents(store) == {EN_ID, YOUTH_ID}
    assert "read from saved web page (utf-8)" in document_page(store, tmp_path, EN_ID)


def test_id_names_the_document_a_page_replaces_and_bad_files_are_reported_one_by_one(tmp_path, capsys):
    store = tmp_path / "store"
    record = tmp_path / "kk.json"
    record.write_text('{"id": "kk-article", "text": "Placeholder text about the Federation.", "lang": "en"}')
    assert kg(store, record) == 0
    assert kg(store, "--id", "kk-article", PAGES / "kk-session.html") == 0
    assert documents(store) == {"kk-article"}
    assert "read from saved web page" in document_page(store, tmp_path, "kk-article")
    capsys.readouterr()

    assert kg(store, "--id", "x", PAGES / "kk-session.html", PAGES / "en-memorandum.html") == 1
    assert "--id names one document, but the files hold 2" in capsys.readouterr().err
    broken = tmp_path / "broken.rss"
    broken.write_text((FEEDS / "union-herald.rss").read_text(encoding="utf-8").replace("</item>", "", 1))
    french = tmp_path / "french.html"
    french.write_text((PAGES / "en-memorandum.html").read_text(encoding="utf-8").replace('lang="en-GB"', 'lang="fr"'))
    assert kg(store, broken, french, PAGES / "ru-windows-1251.html") == 1
    err = capsys.readouterr().err
    assert f"error: {broken}: the feed does not parse" in err
    assert f"error: {french}: the page is in a language labour-kg does not read" in err
    assert documents(store) == {"kk-article", RU_ID}
