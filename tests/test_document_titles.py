"""What a document is called: the record's title, else the first line when it reads as a headline, else a
short lead; written into the document graph at build time (schema:headline, rdfs:label)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.corpus import Record
from kg.docgraph import document_quads
from kg.namespaces import INSTANCE_BASE, RDFS, SCHEMA
from kg.pipeline.model import Extraction
from kg.titles import first_line_headline, headline, lead, name


def test_the_record_title_wins() -> None:
    record = Record(id="a", text="First line here\n\nBody text.", title="  The title ")
    assert headline(record) == "The title"


@pytest.mark.parametrize("first, rest", [
    ("Memorandum on mutual cooperation signed", "\n\nToday the unions signed..."),
    ("СОВМЕСТНО СТРОИТЬ ГРАЖДАНСКОЕ ОБЩЕСТВО", "\nВ Алматы прошла встреча."),
    ("ILO Training in Turin: Striving for gender equality", "\n\nThe training..."),
    ("Talks with Gilbert F. Houngbo in Geneva", "\n\nThe chairman met..."),
])
def test_a_short_first_line_followed_by_text_is_the_headline(first: str, rest: str) -> None:
    assert first_line_headline(first + rest) == first


@pytest.mark.parametrize("text", [
    "Only one line, nothing after it.",
    "The 111th Conference is taking place in Geneva. Delegates are discussing many issues.\n\nMore text.",
    "In the presence of the delegates of all regions of the country the chairman opened the congress and "
    "read the report of the council on the work done over the five years since the last congress\n\nMore.",
    "The following unions signed:\nFTURK, ITUC.",
])
def test_a_lead_paragraph_is_not_a_headline(text: str) -> None:
    assert first_line_headline(text) is None


def test_the_lead_is_the_first_sentence_cut_at_a_word() -> None:
    text = ("The 111th annual Conference of the International Labour Organization is taking place in Geneva from "
            "5 to 16 June. Delegates are discussing.")
    assert lead(text) == ("The 111th annual Conference of the International Labour Organization is taking place in "
                          "Geneva from…")
    assert lead("Brussels hosted the 5th PERC General Assembly on 5 December 2023. The meeting was chaired.") == (
        "Brussels hosted the 5th PERC General Assembly on 5 December 2023.")
    assert lead("Сегодня в г. Алматы проходит семинар для профсоюзных работников. Сегодня все собрались.") == (
        "Сегодня в г. Алматы проходит семинар для профсоюзных работников.")


def test_a_stray_full_stop_does_not_make_a_stub_lead() -> None:
    text = "Today the Foundation. Friedrich Ebert in Kazakhstan introduced its new head to the leaders of unions."
    assert lead(text).startswith("Today the Foundation. Friedrich Ebert in Kazakhstan")


def test_name_never_comes_back_empty() -> None:
    assert name(Record(id="x", text="Короткий текст без заголовка.")) == "Короткий текст без заголовка."


def _graph(record: Record) -> ox.Store:
    store = ox.Store()
    store.extend(document_quads(record, Extraction(doc_id=record.id, lang="en", published=None)))
    return store


def _values(store: ox.Store, predicate: str) -> list[str]:
    return [t.object.value for t in store.quads_for_pattern(ox.NamedNode(INSTANCE_BASE + "doc/d1"),
                                                           ox.NamedNode(predicate), None)]


def test_the_document_graph_carries_the_first_line_headline_and_a_label() -> None:
    store = _graph(Record(id="d1", text="Kazakh unions call for decent pay\n\nThe federation said...", lang="en"))
    assert _values(store, SCHEMA + "headline") == ["Kazakh unions call for decent pay"]
    assert _values(store, RDFS + "label") == ["Kazakh unions call for decent pay"]


def test_a_document_without_headline_is_labelled_by_its_lead() -> None:
    text = "The chairman of the federation met the delegation of the ITUC today. They discussed the agreement."
    store = _graph(Record(id="d1", text=text, lang="en"))
    assert _values(store, SCHEMA + "headline") == []
    assert _values(store, RDFS + "label") == ["The chairman of the federation met the delegation of the ITUC today."]
