"""Sessions of the International Labour Conference: the number a mention gives ("the 107th session",
"107 ILO International Labour Conference"), or the session of the year a mention is dated in."""

from __future__ import annotations

import re

from kg.pipeline.context import Context
from kg.pipeline.gazetteer import gazetteer
from kg.pipeline.model import ORG, Token

# "the 107th session", "107-я сессия", "110-сессиясы"
_SESSION_NO = re.compile(r"\b(\d{2,3})(?:st|nd|rd|th|-я|-й|-ші|-шы)?(?:\s+|-)(?:session|сесси|сессия)", re.I)
ILC_NO = re.compile(
    r"\b(\d{2,3})(?:st|nd|rd|th|-я|-й)?\s+(?:(?:session\s+of\s+the\s+)?(?:ILO\s+)?International\s+"
    r"Lab\w+\s+Conference|ILC|(?:сесси\w+\s+)?Международн\w+\s+конференци\w+\s+труда|МКТ)",
    re.I,
)
# "the 109th annual Conference of the ILO": the Conference named by the organisation it belongs to
_ILO_CONFERENCE_NO = re.compile(
    r"\b(\d{2,3})(?:st|nd|rd|th)?\s+(?:annual\s+|general\s+)?Conference\s+of\s+the\s+(?:International\s+"
    r"Labou?r\s+Organi[sz]ation|ILO)\b",
)
ILC = "/org/ilc"


def session_number(ctx: Context, kind: str, t: Token, a: int, b: int) -> int | None:
    """The number of the ILC session that the trigger t (in the sentence a..b) names, if it names one."""
    low = t.text.lower()
    if not (kind == "Session" or "conference" in low or "конференц" in low):
        return None
    m = _SESSION_NO.search(ctx.text[max(a, t.start - 12) : t.end + 2])
    m = m or ILC_NO.search(ctx.text[max(a, t.start - 60) : min(b, t.end + 12)])
    ilc = [x for x in ctx.in_span(a, b, ORG) if x.entity.endswith(ILC)]
    if m and ilc:
        return int(m.group(1))
    own = _ILO_CONFERENCE_NO.search(ctx.text, max(a, t.start - 24), min(b, t.end + 60))
    if own and own.start() <= t.start < own.end():
        return int(own.group(1))
    if ilc and any(x.start <= t.start < x.end for x in ilc):
        return dated_session(ctx, a, b, t.start)  # "the International Labour Conference (5-16 June)"
    return None


def dated_session(ctx: Context, a: int, b: int, at: int) -> int | None:
    """The number of the ILC session held in the year of the date nearest to text[at] in the sentence
    (the Conference meets once a year, so a dated mention of it without a number is that year's session)."""
    dates = ctx.dates_in(a, b)
    if not dates:
        return None
    year = min(dates, key=lambda d: abs(d.start - at)).begin[:4]
    return next((n for n, (_, start, _) in gazetteer().ilc_sessions.items() if start and start[:4] == year), None)


def reference_session(number: int) -> tuple[str, str | None, str | None] | None:
    """The reference session's IRI, start and end, when the reference knowledge has it."""
    return gazetteer().ilc_sessions.get(number)
