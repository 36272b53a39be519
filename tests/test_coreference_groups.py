"""A group an organisation sends ("the delegation", "the guests") stands for it once the text says whose it is."""

from __future__ import annotations

import pytest

from kg.corpus import Record
from kg.namespaces import INSTANCE_BASE as ID
from kg.pipeline import extract

ITUC = ID + "org/ituc"


def group_mentions(text: str, lang: str) -> list[tuple[str, str]]:
    x = extract(Record(id="t", text=text, lang=lang, published="2023-05-10"))
    words = ("delegation", "guests", "делегац", "гост", "қонақ")
    return [(m.exact, m.entity) for m in x.mentions if m.exact.lower().split()[-1].startswith(words)]


@pytest.mark.parametrize(
    ("lang", "text", "alone"),
    [
        ("en", "A delegation of the ITUC came to Almaty. The guests met students.", "guests"),
        ("en", "The ITUC delegation came to Almaty. The delegation met students.", "delegation"),
        ("ru", "Делегация МКП приехала в Алматы. Гости встретились со студентами.", "Гости"),
        ("kk", "ХКК делегациясы Алматыға келді. Делегация студенттермен кездесті.", "Делегация"),
    ],
)
def test_a_group_word_alone_stands_for_the_organisation_it_was_introduced_with(lang: str, text: str, alone: str):
    assert (alone, ITUC) in group_mentions(text, lang)


def test_a_group_nobody_owns_and_another_groups_article_stand_for_no_one() -> None:
    assert group_mentions("A delegation came to Almaty. The delegation met students.", "en") == []
    # "a delegation" after the ITUC's is another group (and the ITUC's own is named with it: no mention of its own)
    assert group_mentions("The ITUC delegation came to Almaty. A delegation of students met it.", "en") == []


def test_a_person_beside_the_delegation_holds_no_post_in_its_organisation() -> None:
    x = extract(Record(
        id="t", lang="en", published="2023-05-10",
        text="A delegation of the ITUC came to Almaty. With Anna Berg, Director of the Legal Department, the "
             "delegation discussed labour standards.",
    ))
    assert not any(p.organization == ITUC and p.role == "Director" for p in x.posts)
