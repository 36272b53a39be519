"""Where an event was held: a place of its sentence, of the brackets after its name, of the next sentence
when that sentence only says where, else the place the document names most."""

from __future__ import annotations

import re

from kg.pipeline.context import Context
from kg.pipeline.events.names import TRIGGER_WORDS
from kg.pipeline.events.triggers import trigger
from kg.pipeline.model import PLACE, Mention

_HELD = re.compile(
    r"\b(?:took place|takes place|was held|were held|is held|will be held|will take place|прош[её]л|прошл[аи]|"
    r"пройд[её]т|состоял[аи]?с[ья]|состоится|өтті|өтеді)\b",
    re.I,
)


_KK_LOCATIVE = re.compile(r"(?:да|де|та|те|нда|нде)$")
_IN = re.compile(r"\b(?:in|at|в|во)\s+$", re.I)


def best(ctx: Context, places: list[str]) -> str | None:
    """The most precise of the places (a city before a region before a country), the first named on a tie."""
    return min(places, key=lambda p: (ctx.place_rank(p), places.index(p))) if places else None


def bracket_after(ctx: Context, at: int, b: int) -> tuple[int, int] | None:
    """The span inside the brackets that follow an event's name in its clause: its dates and place."""
    m = re.match(r"[^();\n]{0,80}?\(([^()\n]*)\)", ctx.text[at:b])
    if not m or TRIGGER_WORDS.search(ctx.text[at : at + m.start(1)]):
        return None
    return at + m.start(1), at + m.end(1)


def held_in_next(ctx: Context, sentence: tuple[int, int]) -> str | None:
    """A city or region from the next sentence when it only says where ("It took place in Nur-Sultan ...")."""
    following = [(a, b) for a, b in ctx.sentences if a >= sentence[1]]
    if not following:
        return None
    a, b = following[0]
    held = _HELD.search(ctx.text, a, b)
    if "\n\n" in ctx.text[sentence[1] : a] or not held:
        return None
    toks = ctx.tokens_in(a, held.start())
    if any(trigger(ctx, toks, i) for i in range(len(toks))):
        return None  # the sentence tells of an event of its own
    return best(ctx, [p for p in event_places(ctx, held.end(), b) if ctx.place_rank(p) < 2])


def town_in(ctx: Context, country: str, sentences: list[tuple[int, int]]) -> str | None:
    """A city of the country named where an event is told ("a visit to Kyrgyzstan", then "the visit in
    Bishkek"): the more precise answer to where it was held."""
    for a, b in sentences:
        for p in event_places(ctx, a, b):
            if ctx.is_city(p) and ctx.entities[p].country == country:
                return p
    return None


def event_places(ctx: Context, a: int, b: int) -> list[str]:
    """Places of a sentence where its events can be; a quoted name ("the sanatorium “Merke” in Zhambyl region")
    names a venue whose town or region, when also named, is the better answer."""
    mentions = [m for m in ctx.in_span(a, b, PLACE) if ctx.is_venue(m.entity)]
    mentions.sort(key=lambda m: not _where(ctx, m))  # "in X", "в X", "X-та" first: best() keeps the first of a rank
    plain = [m.entity for m in mentions if not _quoted(ctx.text, m.start, m.end)]
    return plain or [m.entity for m in mentions]


def _where(ctx: Context, m: Mention) -> bool:
    """Whether a place is named as where something happens: after "in"/"в", or in the Kazakh locative
    ("Федоров ауданында"), not as a part of a name ("the Kostanay region branch")."""
    if ctx.lang == "kk":
        return bool(_KK_LOCATIVE.search(m.exact))
    return bool(_IN.search(ctx.text, max(0, m.start - 4), m.start))


def _quoted(text: str, start: int, end: int) -> bool:
    return text[start - 1 : start] in "«\"“'" and text[end : end + 1] in "»\"”'" and start > 0 and end < len(text)


def main_place(ctx: Context) -> str | None:
    """Where the document's events happen when a sentence does not say: its most named city (else region)."""
    counts: dict[str, int] = {}
    for m in ctx.mentions:
        if ctx.entities[m.entity].kind == PLACE and "/country/" not in m.entity and ctx.is_venue(m.entity):
            counts[m.entity] = counts.get(m.entity, 0) + 1
    if not counts:
        return None
    return max(
        counts, key=lambda p: (ctx.place_rank(p) == 0, counts[p], -min(m.start for m in ctx.mentions if m.entity == p))
    )
