"""Events inside larger ones: a committee sitting or a meeting held "on the margins of" a session, a visit
"в рамках" a regional meeting, a meeting "during" a visit. The phrases are a table (frames.tsv); the larger
event is the one named right after the phrase in the same clause (Kazakh: right before it), or the session
of the International Labour Conference when the phrase names the Conference itself. A report of a session
also tells its sittings without a phrase ("On 8 June, the delegation took part in a sitting of the
Committee"): a meeting dated within the session, where the session is held, is one of its parts."""

from __future__ import annotations

import csv
import re
from functools import cache

from kg.pipeline.context import Context
from kg.pipeline.events.sessions import ILC, reference_session
from kg.pipeline.events.triggers import HERE, trigger

_REACH = 80  # characters between the phrase and the larger event's name
_CLAUSE_END = re.compile(r"[,;:]")


@cache
def frames() -> dict[str, tuple[tuple[str, str, re.Pattern[str]], ...]]:
    """The framing phrases of each language: the side their larger event stands on, their use, the pattern."""
    out: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {}
    with open(HERE / "frames.tsv", encoding="utf-8") as f:
        for r in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            out.setdefault(r["lang"], []).append((r["side"], r["use"], re.compile(r["cue"], re.I)))
    return {lang: tuple(rows) for lang, rows in out.items()}


_ALL = ("margins", "part", "during")


def framing(ctx: Context, a: int, b: int, uses: tuple[str, ...] = _ALL) -> list[tuple[int, int]]:
    """Where the larger events of the sentence a..b are named: the text each framing phrase points at."""
    out = []
    for side, use, cue in frames().get(ctx.lang, ()):
        if use not in uses:
            continue
        for m in cue.finditer(ctx.text, a, b):
            if side == "after":
                stop = _CLAUSE_END.search(ctx.text, m.end(), b)
                hi = min(b, m.end() + _REACH, stop.start() if stop else b)
                end = _first_name_end(ctx, m.end(), hi)
                if end is not None:  # "в ходе дискуссии выступил X": no event named, nothing framed
                    out.append((m.end(), end))
            else:
                starts = [x.end() for x in _CLAUSE_END.finditer(ctx.text, max(a, m.start() - _REACH), m.start())]
                out.append((max([a, m.start() - _REACH, *starts]), m.start()))
    return sorted(out)


def _first_name_end(ctx: Context, lo: int, hi: int) -> int | None:
    """Where the name of the larger event after a framing phrase ends: at the end of the first event word
    (and the organisation name it starts, "the International Labour Conference") or of the Conference's
    acronym; None when it names no event."""
    toks = ctx.tokens_in(lo, hi)
    at = next((t.end for i, t in enumerate(toks) if trigger(ctx, toks, i)), None)
    if at is None:  # "on the margins of the ILC": the Conference by its acronym
        return next((m.end for m in ctx.in_span(lo, hi) if m.entity.endswith(ILC)), None)
    return max([at, *(m.end for m in ctx.in_span(lo, hi) if m.start < at)])


def framed(ctx: Context, a: int, b: int, at: int) -> bool:
    """Whether the event named at text[at] is framed by a larger event of its sentence ("on the margins of
    the Conference, a delegation took part in a meeting"): then even a bare "a meeting" is one event."""
    return any(
        not lo <= at < hi
        and (
            any(m.entity.endswith(ILC) for m in ctx.in_span(lo, hi))
            or any(trigger(ctx, toks, i) for toks in [ctx.tokens_in(lo, hi)] for i in range(len(toks)))
        )
        for lo, hi in framing(ctx, a, b, ("margins",))
    )


def link_parts(ctx: Context, events: list[dict]) -> None:
    """Set "super" on every event that a framing phrase puts inside another event."""
    sessions = [e for e in events if e["session"] is not None]
    for e in events:
        for told in e["told"]:
            for lo, hi in framing(ctx, *told.sentence):
                named = sorted((t.trigger[0], id(f), f) for f in events for t in f["told"] if lo <= t.trigger[0] < hi)
                outer = named[0][2] if named else None
                if outer is None and sessions and any(m.entity.endswith(ILC) for m in ctx.in_span(lo, hi)):
                    outer = min(sessions, key=lambda s: abs(s["told"][0].trigger[0] - told.trigger[0]))
                if outer is not None and outer is not e and outer.get("super") is not e:
                    e["super"] = outer
                    break
            else:
                continue
            break


#: kinds of event that take place inside a session of the Conference (its sittings, its groups' meetings)
_SITTINGS = frozenset({"Meeting", "Session"})


def link_sittings(events: list[dict]) -> None:
    """Set "super" on the meetings that the one session a document reports holds within its dates and place."""
    sessions = [e for e in events if e["session"] is not None]
    if len(sessions) != 1:
        return
    session = sessions[0]
    start, end = _span(session)
    if start is None or end is None:
        return
    for e in events:
        day = e["date"].begin if e["date"] is not None else ""
        if (
            e is session
            or e.get("super") is not None
            or e["kind"] not in _SITTINGS
            or e["session"] is not None
            or len(day) < 10
            or not start <= day <= end
            or e["location"] not in (None, session["location"])
        ):
            continue
        e["super"] = session


def _span(session: dict) -> tuple[str | None, str | None]:
    """First and last day of a session: the reference knowledge's, else the text's."""
    known = reference_session(session["session"])
    if known and known[1] and known[2]:
        return known[1], known[2]
    date = session["date"]
    if date is None or len(date.begin) < 10:
        return None, None
    return date.begin, date.until or date.begin


def absorb_visit_meetings(ctx: Context, events: list[dict]) -> list[dict]:
    """A meeting told only by a verb or a bare noun during a visit ("during the visit the guest met ...") is
    what the visit consisted of, not an event of its own: its mentions become the visit's."""
    kept = []
    for e in events:
        outer = e.get("super")
        bare = all(t.name == t.trigger for t in e["told"])
        if outer is not None and outer["kind"] == "Visit" and e["kind"] == "Meeting" and bare:
            outer["told"] += e["told"]
            outer["told_in"] += [s for s in e["told_in"] if s not in outer["told_in"]]
            for f in events:
                if f.get("super") is e:
                    f["super"] = outer
            continue
        kept.append(e)
    return kept
