"""The pipeline's fast paths give exactly what the plain computations they replace give: the month-name
alternation, date patterns tried only where a month begins, token ranges by bisection, natasha's words
of a name found without tokenising its whole paragraph, and the gazetteer's demonym rule (a city label
that begins a country's name is not indexed)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import razdel

from kg.pipeline import dates
from kg.pipeline.context import Context
from kg.pipeline.gazetteer import build_gazetteer
from kg.pipeline.ner import words_in
from kg.pipeline.tokens import tokenize

TEXTS = [
    "Held on 13-16 February 2018 and again from MARCH 26-27, 2019; decent markets in Decembers.",
    "С 31 мая по 8 июня 2018 года, затем 21-22 февраля. Маймақ, 2017 жылғы 28 шілде, 12.03.2021.",
    "August 19-September 1, 2018: janitors in June 2016, sept. 5 to oct 7 2020 and nov2, 2019",
    "xmay 5 2018 - may 6 2018 Mayday may5 мая 2019 г. ",
    "May 5 to June 6 to July 7, 2019 and March 3-4-5",
]


def _random_texts(n: int) -> list[str]:
    rnd = random.Random(3)
    pieces = [*dates.MONTHS, "MAY", "Sept.", "x", "5", "13", "2018", "-", " to ", ", ", " ", "\n", "года", "и"]
    return ["".join(rnd.choice(pieces) + rnd.choice(["", " "]) for _ in range(12)) for _ in range(n)]


def test_month_alternation_matches_like_the_plain_list() -> None:
    forms = sorted(dates.MONTHS, key=len, reverse=True)
    plain = re.compile("|".join(forms), re.I)
    tree = re.compile(dates._MONTH_LEAD + dates._MONTH_FORMS, re.I)
    for text in TEXTS + _random_texts(300):
        for i in range(len(text)):
            a, b = plain.match(text, i), tree.match(text, i)
            assert (a and a.group()) == (b and b.group()), (text, i)


@pytest.mark.parametrize("text", TEXTS + _random_texts(200))
def test_month_patterns_tried_at_month_starts_find_what_a_full_scan_finds(text: str) -> None:
    starts = [m.start() for m in dates._MONTH_START.finditer(text)]
    month_first = [p for p in dates._PATTERNS if p.pattern.startswith(dates._MONTH_LEAD)]
    assert len(month_first) == 4
    for pat in dates._PATTERNS:
        assert [m.span() for m in dates._matches(pat, text, starts)] == [m.span() for m in pat.finditer(text)]


def test_tokens_in_a_range_are_those_wholly_inside_it() -> None:
    text = "The FTURK, the ILO and  ITUC met in Astana on 5 June."
    tokens = tokenize(text, "en")
    ctx = Context("d", text, "en", None, "", [], tokens, [], {}, [])
    for a in range(len(text) + 1):
        for b in range(a, len(text) + 2):
            assert ctx.tokens_in(a, b) == [t for t in tokens if a <= t.start and t.end <= b]


def test_words_of_a_stretch_are_those_the_whole_paragraph_gives() -> None:
    rnd = random.Random(5)
    pieces = ["Иванов", "-", "Петров", "ab", "1", ".", ",", "5", "/", "—", "«", "»", "Жаныл", "қ", "x", "_", "!",
              "?", "...", ":)", "Yahoo", "-то", "т.е.", "Δ", "(", ")"]  # fmt: skip
    for _ in range(300):
        chunk = "".join(rnd.choice(pieces) + rnd.choice(["", "", " ", "  "]) for _ in range(rnd.randint(1, 14)))
        whole = [(t.start, t.stop, t.text) for t in razdel.tokenize(chunk)]
        bounds = sorted({0, len(chunk)} | {t[0] for t in whole} | {t[1] for t in whole})
        ranges = [(rnd.randint(0, len(chunk)), rnd.randint(0, len(chunk))) for _ in range(4)]
        ranges += [tuple(sorted(rnd.sample(bounds, 2))) for _ in range(4) if len(bounds) > 1]
        for a, b in ranges:
            assert words_in(chunk, a, b) == [w for w in whole if a <= w[0] and w[1] <= b], (chunk, a, b)


def test_city_label_that_begins_a_country_name_is_not_indexed(tmp_path: Path) -> None:
    ttl = tmp_path / "places.ttl"
    ttl.write_text(
        "@prefix schema: <http://schema.org/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/labour-kg/id/country/KZ> a schema:Country ; rdfs:label 'Kazakhstan'@en .\n"
        "<https://w3id.org/labour-kg/id/city/1> a schema:City ; rdfs:label 'Kazakh'@en, 'Petropavl'@en ;\n"
        "    schema:containedInPlace <https://w3id.org/labour-kg/id/country/KZ> .\n",
        encoding="utf-8",
    )
    gaz = build_gazetteer([ttl])
    assert "petropavl" in gaz.index
    assert "kazakh" not in gaz.index
    assert "kazakhstan" in gaz.index
