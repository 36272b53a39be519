"""The conventions step: a number is a convention's number only in the forms that name one."""

from __future__ import annotations

import pytest

from kg.corpus import Record
from kg.pipeline import extract


def numbers(text: str, lang: str) -> list[int]:
    x = extract(Record(id="c", text=text, lang=lang))
    return sorted(e.number for e in x.entities if e.kind == "convention" and e.number is not None)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Ratification of C087 and C98 is pending; Convention 190 comes next.", [87, 98, 190]),
        ("en", "ILO Conventions Nos. 81, 129 and 144 were reviewed with Recommendation No. 195.", [81, 129, 144]),
        ("en", "The Occupational Safety and Health Convention, 1981 (No. 155) was on the agenda.", [155]),
        ("en", "Lisbon ratified ILO convention 176 on safety in mines, its 55th ratification.", [176]),
        ("ru", "Обсуждались Конвенция МОТ 144 и конвенция № 87 о свободе объединения.", [87, 144]),
        ("ru", "Профсоюзы призвали ратифицировать Конвенции МОТ № 155 и 187.", [155, 187]),
        ("ru", "Эксперты обсудили 190-ю конвенцию МОТ о насилии.", [190]),
        ("kk", "Семинарда ХЕҰ-ның 190-шы Конвенциясы талқыланды.", [190]),
        ("kk", "ХЕҰ-ның 144 Конвенциясы бойынша кеңес өтті, № 87 Конвенция да айтылды.", [87, 144]),
    ],
)
def test_forms_that_name_a_convention(lang: str, text: str, expected: list[int]) -> None:
    assert numbers(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Portugal has ratified 12 ILO conventions, the eight fundamental ones among them.", []),
        ("en", "The island joined 3 conventions of the United Nations in 2015.", []),
        ("en", "The ILO adopted 190 conventions and 206 recommendations.", []),
        ("en", "Unions asked for Convention No. 87 and 98 and 5 other instruments.", [87, 98]),
        ("en", "Parliament ratified the Convention 2 weeks ago.", []),
        ("ru", "Страна ратифицировала 24 конвенции МОТ, а также 2 конвенции ООН.", []),
        ("kk", "Ел ХЕҰ-ның 24 конвенциясын ратификациялады.", []),
        ("en", "Convention No. 250 does not exist.", []),
    ],
)
def test_a_number_that_counts_is_no_convention(lang: str, text: str, expected: list[int]) -> None:
    assert numbers(text, lang) == expected


def test_a_title_that_fixes_the_number_names_the_convention() -> None:
    assert numbers("The Violence and Harassment Convention was discussed by the delegates.", "en") == [190]


def test_a_title_that_several_conventions_share_names_none() -> None:
    assert numbers("The Maternity Protection Convention was discussed by the delegates.", "en") == []
