"""Memoranda: parties from the signing clause, short forms and "we" resolved, the publisher's organisation."""

from __future__ import annotations

import pytest

from kg.corpus import Record
from kg.pipeline import extract
from kg.pipeline.publisher import publisher_of

ID = "https://w3id.org/labour-kg/id/"
SITE = "https://kasipodaq.kz/2022/05/05/news"  # the Federation of Trade Unions of Kazakhstan's own site


def parties(text: str, lang: str = "en", url: str | None = None) -> list[set[str]]:
    x = extract(Record(id="m", text=text, lang=lang, url=url))
    names = {e.iri: e.labels[0].text for e in x.entities}
    return [{names[p] for p in m.parties} for m in x.memoranda]


def test_the_publisher_is_the_organisation_whose_site_the_record_is_on() -> None:
    assert publisher_of(SITE) == ID + "org/fturk"
    assert publisher_of("https://perc.ituc-csi.org/item") == ID + "org/perc"  # the longest site wins
    assert publisher_of("https://www.ituc-csi.org/item") == ID + "org/ituc"
    assert publisher_of("https://news.example.org/a") is None
    assert publisher_of("http://[broken") is None and publisher_of(None) is None


def test_we_signed_makes_the_publisher_a_party() -> None:
    (memo,) = parties("Today we signed a memorandum with the Lithuanian Trade Union Confederation.", url=SITE)
    assert memo == {"Federation of Trade Unions of the Republic of Kazakhstan", "Lithuanian Trade Union Confederation"}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "On 4 May the Federation signed a memorandum of cooperation with the Trade Union Confederation of Georgia.",
        ),
        ("en", "Our Federation and the Trade Union Confederation of Georgia signed a memorandum of understanding."),
        ("ru", "Федерация подписала меморандум о сотрудничестве с Объединением профсоюзов Грузии."),
    ],
)
def test_a_short_form_stands_for_the_publishers_organisation(lang: str, text: str) -> None:
    (memo,) = parties(text, lang, SITE)
    assert "Federation of Trade Unions of the Republic of Kazakhstan" in memo and len(memo) == 2


def test_a_short_form_stands_for_the_organisation_named_before() -> None:
    text = (
        "The Federation of Trade Unions of Uzbekistan held its plenum in May. "
        "Later the Federation signed a memorandum with the Confederation of Trade Unions of Armenia."
    )
    assert parties(text, url=SITE) == [
        {"Federation of Trade Unions of Uzbekistan", "Confederation of Trade Unions of Armenia"}
    ]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "With the support of the Friedrich Ebert Foundation, the Federation of Trade Unions of Uzbekistan "
            "signed a memorandum with the Confederation of Trade Unions of Armenia.",
        ),
        (
            "en",
            "At the meeting of the ITUC General Council, the Federation of Trade Unions of Uzbekistan and the "
            "Confederation of Trade Unions of Armenia signed a memorandum of cooperation.",
        ),
        (
            "en",
            "The memorandum was signed by the Federation of Trade Unions of Uzbekistan and the Confederation of "
            "Trade Unions of Armenia in the presence of ILO experts.",
        ),
        (
            "ru",
            "В присутствии представителей МОТ Федерация профсоюзов Узбекистана и Конфедерация профсоюзов Армении "
            "подписали меморандум о сотрудничестве.",
        ),
    ],
)
def test_who_hosts_supports_or_attends_the_signing_is_no_party(lang: str, text: str) -> None:
    (memo,) = parties(text, lang)
    assert len(memo) == 2 and all(("Uzbekistan" in p or "Armenia" in p) for p in memo), memo


def test_a_general_agreement_is_an_agreement_even_beside_a_memorandum() -> None:
    x = extract(
        Record(
            id="g",
            lang="en",
            text=(
                "Under the memorandum, the Government of Norway, the Confederation of Norwegian Enterprise and the "
                "Norwegian Confederation of Trade Unions signed a tripartite agreement for 2024-2026."
            ),
        )
    )
    (memo,) = x.memoranda
    assert memo.types[0].endswith("CooperationAgreement") and len(memo.parties) == 3


def test_russian_social_partners_are_named_in_the_nominative_and_as_written() -> None:
    x = extract(
        Record(
            id="r",
            lang="ru",
            text=(
                "Генеральное соглашение между Правительством Республики Казахстан, республиканскими объединениями "
                "работодателей и республиканскими объединениями профсоюзов подписано в Астане."
            ),
        )
    )
    (memo,) = x.memoranda
    labels = {e.iri: [lab.text for lab in e.labels] for e in x.entities}
    employers = next(p for p in memo.parties if "работодател" in labels[p][0])
    assert labels[employers][:2] == [
        "Республиканские объединения работодателей",
        "республиканскими объединениями работодателей",
    ]
    assert ID + "org/government-kz" in memo.parties and len(memo.parties) == 3


def test_russian_unions_of_listed_countries_in_the_genitive_give_one_memorandum_each() -> None:
    x = extract(
        Record(
            id="l",
            lang="ru",
            url=SITE,
            text=("Федерация подписала меморандумы о сотрудничестве с профсоюзами Армении, Грузии и Монголии."),
        )
    )
    assert sorted(p for m in x.memoranda for p in m.parties if "trade-unions-of" in p) == [
        ID + "org/trade-unions-of-armenia",
        ID + "org/trade-unions-of-georgia",
        ID + "org/trade-unions-of-mongolia",
    ]
