"""Step: membership of organisations in organisations, units of organisations, and membership figures.

Articles state affiliation in a handful of ways: "KTUESW, a member organisation of ETUCE", "the union
is a member of the FTURK", "affiliated to IndustriALL", "входит в состав ФПРК", "членская организация
ФПРК". The member is the organisation named just before the cue, the organisation the one named
right after it, both in the same sentence. Units are found the same way ("the Youth Council created
under the FTURK", "Молодёжный совет, созданный при ФПРК", "a regional branch of the union"). A figure
("unites 1.6 million trade union members", "объединяет более 2 млн членов профсоюзов") belongs to the
organisation that is the sentence's subject: the last one named before the verb, outside appositions.
"""

from __future__ import annotations

import re

from kg.pipeline.context import Context
from kg.pipeline.model import ORG, PERSON, Mention

_MEMBER_CUES = re.compile(
    r"(?:,\s*|\bis\s+|\bare\s+|\bas\s+|\bbecame\s+)(?:a|an|the)\s+(?:full\s+|founding\s+)?(?:member|affiliate)"
    r"(?:\s+organi[sz]ation)?\s+of(?:\s+the)?\s*$|"
    r"\b(?:is|are|was|were)\s+affiliated\s+(?:to|with)(?:\s+the)?\s*$|\bjoined(?:\s+the)?\s*$|"
    r"\b(?:входит|входят|входил[аи]?|вошл[аи]|вош[её]л)\s+в\s+(?:состав\s+)?$|"
    r"(?:,\s*|\bявляется\s+|\bстала?\s+)(?:член(?:ом)?|членской\s+организацией|членская\s+организация|"
    r"членской\s+организации)\s+$|\bвступил[аи]?\s+в\s+$|"
    r"\b(?:мүшесі|құрамына\s+кіреді)\s*$",
    re.I,
)
_COUNT = re.compile(
    r"(?P<num>\d{1,3}(?:[ \u00a0,.]\d{3})+|\d+(?:[.,]\d+)?)\s*(?P<scale>million|thousand|млн\.?|тыс\.?|миллион\w*|"
    r"тысяч\w*|мың)?\s+(?:(?:trade[ -]union|union|individual|профсоюзн\w+|кәсіподақ)\s+)?"
    r"(?P<noun>members|членов|человек|мүше\w*)",
    re.I,
)
_SCALES = {
    "million": 1_000_000,
    "млн": 1_000_000,
    "миллион": 1_000_000,
    "thousand": 1_000,
    "тыс": 1_000,
    "тысяч": 1_000,
    "мың": 1_000,
}
# the verb that makes a figure the organisation's own membership, before the figure
_UNITES = re.compile(
    r"\b(?:unites|brings\s+together|represents|has|counts|comprises|numbers|with|объединяет|насчитывает|"
    r"представляет|объединяющ\w+|біріктіреді)\b[^.;]{0,60}$",
    re.I,
)


_UNIT_CUES = re.compile(
    r"(?:,\s*|\b)(?:(?:which|that)\s+(?:was|were|is|are)\s+)?(?:created|established|set\s+up|formed|founded)\s+"
    r"(?:by|under|at|within)(?:\s+the)?\s*$|"
    r",\s*(?:a|the)\s+(?:regional\s+|local\s+|territorial\s+)?(?:branch|division|unit|committee|department)\s+"
    r"of(?:\s+the)?\s*$|"
    r"(?:,\s*|\b)(?:созданн\w+|образованн\w+|действующ\w+|функционирующ\w+)\s+(?:при|в\s+составе|в\s+рамках)\s+$|"
    r"(?:,\s*|\b)(?:являющ\w+\s+)?(?:филиал\w*|подразделени\w+|структурн\w+\s+подразделени\w+)\s+$|"
    r"\b(?:жанынан\s+құрылған|жанындағы)\s*$",
    re.I,
)


def find_memberships(ctx: Context) -> list[tuple[str, str]]:
    """(member organisation, organisation) pairs stated in the text, in order, without repeats."""
    return _pairs(ctx, _MEMBER_CUES)


def find_units(ctx: Context) -> list[tuple[str, str]]:
    """(unit, parent) pairs: a committee, council or branch created by or under an organisation."""
    return _pairs(ctx, _UNIT_CUES)


def _pairs(ctx: Context, cues: re.Pattern) -> list[tuple[str, str]]:
    """(first, second) for "<org> <cue> <org>" in one sentence, the first being the one named just before."""
    out: list[tuple[str, str]] = []
    for a, b in ctx.sentences:
        orgs = _org_mentions(ctx, a, b)
        for k, whole in enumerate(orgs[1:], start=1):
            before = [m for m in orgs[:k] if m.end <= whole.start]
            if not before:
                continue
            member = before[-1]
            gap = ctx.text[member.end : whole.start]
            if "\n" in gap or len(gap) > 60 or not cues.search(gap):
                continue
            if gap.lstrip().startswith(",") and ctx.in_span(max(a, member.start - 60), member.start, PERSON):
                continue  # "Mikhail Shmakov, Chairman of the FNPR, member of the Governing Body": the person is

            pair = (member.entity, whole.entity)
            if member.entity != whole.entity and pair not in out:
                out.append(pair)
    return out


def find_member_counts(ctx: Context) -> list[tuple[str, int]]:
    """(organisation, number of members) for each clear statement; the first statement per organisation wins."""
    out: dict[str, int] = {}
    for a, b in ctx.sentences:
        for m in _COUNT.finditer(ctx.text, a, b):
            lead = ctx.text[a : m.start()]
            verb = _UNITES.search(lead)
            if not verb:
                continue
            verb_at = a + verb.start()
            # the subject, not an organisation inside an apposition ("The FTURK, a member of the ITUC, unites")
            orgs = [
                o
                for o in _org_mentions(ctx, a, verb_at)
                if o.end <= verb_at and ctx.text[o.end : verb_at].count(",") % 2 == 0
            ]
            if not orgs:
                continue
            count = _number(m.group("num"), m.group("scale"))
            if count is not None:
                out.setdefault(orgs[-1].entity, count)
    return list(out.items())


def _org_mentions(ctx: Context, a: int, b: int) -> list[Mention]:
    """The organisations named in text[a:b], outermost only (not "Kazakhstan" inside a union's name)."""
    found = ctx.in_span(a, b, ORG)
    return [m for m in found if not any(o is not m and o.start <= m.start and m.end <= o.end for o in found)]


def _number(digits: str, scale: str | None) -> int | None:
    factor = 1
    if scale:
        key = scale.lower().rstrip(".")
        factor = next((v for k, v in _SCALES.items() if key.startswith(k)), 1)
    if factor > 1 and re.fullmatch(r"\d+[.,]\d+", digits):
        value = float(digits.replace(",", "."))  # "1.6 million", "1,6 млн"
    else:
        value = float(re.sub(r"[ \u00a0,.]", "", digits))
    n = int(round(value * factor))
    return n if n > 0 else None
