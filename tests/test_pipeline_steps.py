"""Each pipeline step on its own: language, sentences, dates, normalisation, Russian nominative forms."""

from __future__ import annotations

import pytest

from kg.pipeline.dates import find_dates
from kg.pipeline.language import detect_language
from kg.pipeline.mentions.people import name_to_nominative
from kg.pipeline.mentions.russian import to_nominative
from kg.pipeline.sentences import split_sentences
from kg.pipeline.tokens import kk_stem, tokenize, word_key


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The Federation of Trade Unions met the ILO delegation in Astana.", "en"),
        ("Федерация профсоюзов Республики Казахстан провела встречу в Астане.", "ru"),
        ("Қазақстан Республикасы Кәсіподақтар Федерациясының төрағасы кездесу өткізді.", "kk"),
    ],
)
def test_language_is_detected_from_letters(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_declared_language_wins() -> None:
    assert detect_language("Some English words", "ru") == "ru"


def test_sentences_keep_offsets_and_skip_abbreviations() -> None:
    text = "Convention No. 87 was discussed. Mr. Smith spoke.\n\nA new paragraph"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["Convention No. 87 was discussed.", "Mr. Smith spoke.", "A new paragraph"]


@pytest.mark.parametrize(
    ("text", "begin", "until"),
    [
        ("13-16 February 2018", "2018-02-13", "2018-02-16"),
        ("from 5 to 16 June", "2023-06-05", "2023-06-16"),
        ("31 May to 8 June", "2023-05-31", "2023-06-08"),
        ("August 19-September 1", "2023-08-19", "2023-09-01"),
        ("on March 26-27", "2023-03-26", "2023-03-27"),
        ("21-22 февраля 2019 года", "2019-02-21", "2019-02-22"),
        ("с 31 мая по 8 июня 2018 года", "2018-05-31", "2018-06-08"),
        ("on December 2, 2018", "2018-12-02", None),
        ("2 декабря 2018 года", "2018-12-02", None),
        ("in February 2018", "2018-02", None),
        ("в июне 2016 года", "2016-06", None),
        ("2017 жылғы 28 шілде", "2017-07-28", None),
        ("2021 жылғы 9 наурызда", "2021-03-09", None),  # a Kazakh month with its case ending
        ("14 қазандағы жиында", "2023-10-14", None),
        ("2022 жылғы 27 мамыр мен 11 маусым аралығында", "2022-05-27", "2022-06-11"),  # between one day and another
        ("27 мамыр мен 11 маусым 2022 жыл", "2022-05-27", "2022-06-11"),
        ("Today the congress opened", "2023-04-20", None),
    ],
)
def test_dates_and_ranges_are_normalised(text: str, begin: str, until: str | None) -> None:
    found = find_dates(text, "2023-04-20")
    assert [(d.begin, d.until) for d in found] == [(begin, until)]


def test_missing_year_comes_from_the_last_year_named_before() -> None:
    text = "In 2018 the delegation took part in events: a congress (5-6 February, Baku)."
    assert find_dates(text, "2019-01-28")[-1].begin == "2018-02-05"


def test_no_year_and_no_document_date_gives_no_date() -> None:
    assert find_dates("on 5 June", None) == []


def test_russian_words_match_on_lemmas() -> None:
    inflected = [t.key for t in tokenize("Федерации профсоюзов Республики Казахстан", "ru")]
    base = [t.key for t in tokenize("Федерация профсоюзов Республика Казахстан", "ru")]
    assert inflected == base


def test_kazakh_case_endings_are_stripped() -> None:
    assert kk_stem("федерациясының") == kk_stem("федерациясы")


def test_english_spellings_are_merged() -> None:
    assert word_key("Labor", "en") == word_key("labour", "en")
    assert word_key("Türk", "en") == "turk"


def test_russian_organisation_names_go_to_the_nominative() -> None:
    assert (
        to_nominative("Федерации независимых профсоюзов Таджикистана", 0)
        == "Федерация независимых профсоюзов Таджикистана"
    )
    assert to_nominative("Казахстанского отраслевого профсоюза нефтегазового комплекса", 2) == (
        "Казахстанский отраслевой профсоюз нефтегазового комплекса"
    )


def test_russian_person_names_go_to_the_nominative() -> None:
    assert name_to_nominative("Сатыбалды Даулеталиным") == "Сатыбалды Даулеталин"
    assert name_to_nominative("Ларисы Харьковой") == "Лариса Харькова"


@pytest.mark.parametrize(
    ("written", "nominative"),
    [
        ("Нурлан Султанов", "Нурлан Султанов"),  # a surname, not the genitive plural of "султан"
        ("Нурланом Султановым", "Нурлан Султанов"),
        ("Ивана Иванова", "Иван Иванов"),  # agrees with the man's first name, not a woman's "Иванова"
        ("Анна Иванова", "Анна Иванова"),
        ("Марии Ивановой", "Мария Иванова"),
    ],
)
def test_a_russian_surname_is_one_persons_and_agrees_with_the_first_name(written: str, nominative: str) -> None:
    assert name_to_nominative(written) == nominative
