"""Gazetteer places that are not places of the text: a city name that is someone's first name, a part of
the world that a unit or a title covers."""

from __future__ import annotations

import re

from kg.pipeline.gazetteer import part_of_the_world
from kg.pipeline.mentions.candidate import Candidate
from kg.pipeline.model import PLACE


def drop_name_like_places(text: str, cands: list[Candidate]) -> list[Candidate]:
    """A one-word city right before another capitalised word is a first name ("Larisa Kharkova")."""
    starts = {c.start for c in cands}
    out = []
    for c in cands:
        if c.kind == PLACE and c.iris and "/city/" in c.iris[0] and " " not in text[c.start : c.end]:
            nxt = re.match(r" (?:[A-ZА-ЯЁ][a-zа-яё]+\b|[A-ZА-ЯЁ]\.)", text[c.end : c.end + 30])
            prev = re.search(r"\b[A-ZА-ЯЁ][a-zа-яё]+ $", text[max(0, c.start - 30) : c.start])
            if nxt and c.end + 1 not in starts and not prev:
                continue
        out.append(c)
    return out


#: "Central Asia and Eastern Europe Section", "the Europe Desk": a unit named for the part of the world it covers
_UNIT_AFTER = re.compile(
    r"(?:\s+(?:and|&)\s+(?:[A-Z][\w-]*\s+){0,2}?[A-Z][\w-]*)?\s+"
    r"(?:Section|Department|Unit|Desk|Team|Division|Bureau|Programme|Program)\b"
)
#: "отдела Европы и Центральной Азии", "департамента Центральной Азии"
_UNIT_BEFORE = re.compile(r"(?:отдел|департамент|сектор|бюро|подразделени)\w*\s+(?:[А-ЯЁ]\w+\s+(?:и\s+)?){0,3}$", re.I)


def drop_unit_scopes(text: str, cands: list[Candidate], country_of: dict) -> list[Candidate]:
    """A part of the world named as what a unit or a titled seminar covers is no place of the text ("Head of
    the Central Asia Section", "руководитель отдела Европы и Центральной Азии", a training “... in the trade
    union movement of Central Asia”); "Regional Director for Europe" and "unions of Central Asia met" still are."""
    out = []
    for c in cands:
        if c.kind == PLACE and c.iris and part_of_the_world(country_of, c.iris[0]):
            before = text[max(0, c.start - 80) : c.start]
            if _UNIT_AFTER.match(text, c.end) or _UNIT_BEFORE.search(before) or _in_title(text, c.start, c.end):
                continue
        out.append(c)
    return out


def _in_title(text: str, start: int, end: int) -> bool:
    """Inside a quoted title on one line (“...”, «...»)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before, after = text[line_start:start], text[end : line_end if line_end >= 0 else len(text)]
    for left, right in (("“", "”"), ("«", "»")):
        closes, reopens = after.find(right), after.find(left)
        if before.rfind(left) > before.rfind(right) and closes >= 0 and (reopens < 0 or closes < reopens):
            return True
    return False
