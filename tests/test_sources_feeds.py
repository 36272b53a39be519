"""RSS and Atom feeds: entries with their full text become records; summaries are skipped and said so."""

from __future__ import annotations

from pathlib import Path

from kg.corpus import read_corpus

DATA = Path(__file__).resolve().parent / "data"
FEEDS = DATA / "feeds"
RSS, ATOM = FEEDS / "union-herald.rss", FEEDS / "profvestnik.atom"


def test_every_rss_entry_with_full_content_is_a_record_with_its_metadata():
    corpus = read_corpus([RSS])
    assert not corpus.errors
    first, second = corpus.records
    assert first.title == "FTURK and GTUC sign a memorandum in Tbilisi"
    assert first.url == "https://union-herald.example.org/en/2023/03/14/fturk-gtuc-memorandum/"
    assert (first.published, first.lang) == ("2023-03-15", "en")
    assert first.text == (DATA / "pages" / "en-memorandum.body").read_text(encoding="utf-8").strip()
    origin = first.origin
    assert (origin.format, origin.date_found, origin.feed, origin.encoding) == (
        "feed", "feed", "https://union-herald.example.org/en/rss/", "utf-8")
    # published at 01:15 in Almaty: the feed's own date, not the previous day in UTC
    assert (second.published, second.title) == ("2023-03-02", "Youth council meets in Almaty")
    assert second.text.startswith("On 1 March 2023 the Youth Council") and "\n\nYoung trade unionists" in second.text


def test_an_entry_with_only_a_summary_is_reported_and_skipped_not_half_added():
    corpus = read_corpus([RSS])
    assert "women-day" not in " ".join(r.id for r in corpus.records)
    (skipped,) = corpus.skipped
    assert skipped.id == "https://union-herald.example.org/en/2023/02/27/women-day/"
    assert "only a summary" in skipped.message and skipped.source.endswith("union-herald.rss entry 3")


def test_an_atom_entry_and_the_saved_page_of_the_same_article_are_one_document():
    (entry,) = read_corpus([ATOM]).records
    (page,) = read_corpus([DATA / "pages" / "ru-windows-1251.html"]).records
    assert (entry.id, entry.text, entry.title, entry.url, entry.lang) == (page.id, page.text, page.title, page.url,
                                                                           page.lang)
    assert entry.published == "2022-04-21"  # 01:30 at +06:00 (20 April in UTC); the update of 2 May is not it
    both = read_corpus([ATOM, DATA / "pages" / "ru-windows-1251.html"])
    assert len(both.records) == 1 and "duplicate id" in str(both.errors[0])


def test_an_undeclared_windows_1251_feed_is_decoded(tmp_path):
    text = ATOM.read_text(encoding="utf-8").replace(' encoding="utf-8"', "")
    (tmp_path / "legacy.xml").write_bytes(text.encode("cp1251"))
    (entry,) = read_corpus([tmp_path]).records
    assert entry.origin.encoding == "windows-1251" and entry.title.startswith("Профсоюзы Казахстана")


def test_every_bad_feed_gets_its_own_clear_message_and_the_others_are_read(tmp_path):
    rss = RSS.read_text(encoding="utf-8")
    (tmp_path / "good.rss").write_text(rss, encoding="utf-8")
    (tmp_path / "broken.xml").write_text(rss.replace("</channel>", ""), encoding="utf-8")
    (tmp_path / "page.xml").write_text("<html><body><p>Not a feed at all.</p></body></html>", encoding="utf-8")
    (tmp_path / "mislabelled.atom").write_bytes(ATOM.read_text(encoding="utf-8").encode("cp1251"))
    (tmp_path / "french.atom").write_text(
        ATOM.read_text(encoding="utf-8").replace('xml:lang="ru"', 'xml:lang="fr"'), encoding="utf-8")
    (tmp_path / "empty.rss").write_text('<rss version="2.0"><channel><title>t</title></channel></rss>')
    corpus = read_corpus([tmp_path])
    assert {r.source.rsplit("/", 1)[-1] for r in corpus.records} == {"good.rss entry 1", "good.rss entry 2"}
    messages = {e.source.rsplit("/", 1)[-1]: e.message for e in corpus.errors}
    assert messages["broken.xml"].startswith("the feed does not parse: line ") and "nothing was added" in \
        messages["broken.xml"]
    assert messages["page.xml"] == "not an RSS or Atom feed"
    assert "declares the encoding 'utf-8' but is not valid utf-8" in messages["mislabelled.atom"]
    assert "language labour-kg does not read ('fr'" in messages["french.atom entry 1"]
    skipped = {s.source.rsplit("/", 1)[-1]: s.message for s in corpus.skipped}
    assert skipped["empty.rss"] == "the feed has no entries" and "good.rss entry 3" in skipped


def test_an_entry_of_a_feed_declaring_no_language_is_refused_when_its_text_is_surely_in_another_one(tmp_path):
    def item(n: int, text: str) -> str:
        return (f"<item><title>Entry {n}</title><link>https://example.org/news/{n}</link>"
                f"<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>")

    english = ("The Federation of Trade Unions of the Republic of Kazakhstan and the Georgian Trade Union "
               "Confederation signed a memorandum of cooperation in Tbilisi for five years.")
    turkish = ("Kazakistan Sendikalar Federasyonu ile Gürcistan Sendikalar Konfederasyonu Tiflis'te bir işbirliği "
               "mutabakatı imzaladı. Taraflar toplu pazarlık ve iş güvenliği konularında deneyim paylaşacak.")
    (tmp_path / "undeclared.rss").write_text(
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>News</title>'
        f"{item(1, english)}{item(2, turkish)}</channel></rss>", encoding="utf-8")
    corpus = read_corpus([tmp_path])
    assert [(r.title, r.lang) for r in corpus.records] == [("Entry 1", None)]
    (error,) = corpus.errors
    assert error.source.endswith("undeclared.rss entry 2") and "('tr', detected with probability" in error.message
