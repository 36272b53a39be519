"""Step: events (conferences, congresses, sessions, seminars, trainings, meetings, forums, visits).

An event is anchored on a trigger word (triggers.tsv); its names are the phrase around the trigger and a
quoted title that follows (names.py); its dates, place (places.py), organisers and participants come from
the same sentence. Later bare mentions ("the Congress") are the same event. Sessions of the International
Labour Conference get their reference IRI and, when the text gives no year, the year of that session
(sessions.py).
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.namespaces import LKG, SCHEMA, entity_iri
from kg.pipeline.context import Context
from kg.pipeline.coreference import names_a_group
from kg.pipeline.dates import YEAR, DateSpan, year_alone
from kg.pipeline.events import names as naming
from kg.pipeline.events.frames import absorb_visit_meetings, framed, link_parts, link_sittings
from kg.pipeline.events.places import best, bracket_after, event_places, held_in_next, main_place, town_in
from kg.pipeline.events.roles import Told, assign_roles
from kg.pipeline.events.sessions import ILC, ILC_NO, dated_session, reference_session, session_number
from kg.pipeline.events.triggers import happened, tables, trigger, with_whom, words
from kg.pipeline.gazetteer import gazetteer
from kg.pipeline.model import ORG, PERSON, Event, Label, Token
from kg.pipeline.tokens import ru_lemma

__all__ = ["find_events"]

_SIGNING = re.compile(r"\bsigning\b|\bподписани\w*|\bқол қою", re.I)


def find_events(ctx: Context) -> list[Event]:
    events: list[dict] = []
    for a, b in ctx.sentences:
        letters = list(filter(str.isalpha, ctx.text[a:b]))
        if letters and sum(map(str.isupper, letters)) > 0.8 * len(letters):
            continue  # a headline in capitals: the body tells the same events in full
        toks = ctx.tokens_in(a, b)
        for i, t in enumerate(toks):
            found = trigger(ctx, toks, i)
            if not found:
                continue
            inside = [
                m for m in ctx.mentions if m.start <= t.start and t.end <= m.end and ctx.entities[m.entity].kind == ORG
            ]
            if inside and not (
                inside[0].entity.endswith(ILC)
                and (ILC_NO.search(ctx.text[a : inside[0].end]) or dated_session(ctx, a, b, t.start))
            ):
                continue  # "International Labour Conference" the organisation, "Congress of ... Unions"
            _add_event(ctx, events, toks, i, found.kind, found.use, a, b)
    fallback = main_place(ctx)
    for e in events:
        if e["location"] is None or ctx.place_rank(e["location"]) == 2:
            e["location"] = next(filter(None, (held_in_next(ctx, s) for s in e["told_in"])), e["location"])
        if e["location"] is not None and ctx.place_rank(e["location"]) == 2:
            e["location"] = town_in(ctx, e["location"], e["told_in"]) or e["location"]
        if e["location"] is None:
            e["location"] = fallback
    link_parts(ctx, events)
    link_sittings(events)
    events = absorb_visit_meetings(ctx, events)
    for e in events:
        outer = e.get("super")
        if outer and outer["location"] and (e["location"] is None or ctx.place_rank(e["location"]) == 2):
            e["location"] = outer["location"]  # a meeting on the margins of a session is where the session is
    assign_roles(ctx, events)
    frozen: dict[int, Event] = {}
    for e in events:
        event = _freeze(ctx, e)
        taken = {x.iri for x in frozen.values()}
        n = 1
        while event.session_number is None and event.iri in taken:
            # two events of one document with the same first name: their kinds (then a number) tell them apart
            n += 1
            name = f"{e['kind']} {event.names[0].text} {event.start}" + (f" {n}" if n > 2 else "")
            event = replace(event, iri=entity_iri("event", name, ctx.base))
        frozen[id(e)] = event
    return [
        replace(frozen[id(e)], super_event=frozen[id(e["super"])].iri) if e.get("super") else frozen[id(e)]
        for e in events
    ]


def _add_event(
    ctx: Context, events: list[dict], toks: list[Token], i: int, kind: str, use: str, a: int, b: int
) -> None:
    t = toks[i]
    lists = words()
    if ctx.lang == "en" and i > 0 and toks[i - 1].text.lower() in lists["en_verb_before"]:
        return  # "to visit", "will meet": a verb
    if {x.text.lower() for x in toks[max(0, i - 2) : i]} & lists["quantifiers"]:
        return  # "any international forum", "such meetings": no particular event
    if use == "plural":
        return  # "sessions", "meetings": several or generic events
    start_i, end_i = (i, i) if use == "verb" else naming.extent(ctx, toks, i)  # a verb has no modifiers
    phrase = ctx.text[toks[start_i].start : toks[end_i].end]
    local = ctx.text[toks[start_i].start : t.end]
    names = [phrase, local]
    if use == "year" and ctx.lang == "ru":  # "объявлен Годом охраны труда": the year's name is "Год охраны труда"
        names.insert(0, naming.nominative_head(phrase))
    occasion = naming.dedicated(ctx, phrase, toks[end_i].end, b)
    if occasion and kind == "Celebration":
        names.insert(0, occasion)  # a celebration is called after what it marks
    elif occasion:
        names.append(occasion)
    title = naming.quoted_title(ctx, toks, i, a, b)
    if title:
        names.insert(0, title)
    generic = start_i == i and end_i == i and not title
    if i > 0 and toks[i - 1].text.lower() in lists["demonstratives"]:
        generic, start_i = True, i  # "this seminar", "этот семинар": the event named before
    named = bool(title) or any(x.text[:1].isupper() or x.text[:1].isdigit() for x in toks[start_i : end_i + 1])
    sent_dates = ctx.dates_in(a, b)
    date = min(sent_dates, key=lambda d: abs(d.start - t.start)) if sent_dates else None
    if use == "year":  # a declared year runs through the year the sentence names
        number = YEAR.search(ctx.text, a, b)
        date = DateSpan(number.start(), number.end(), number.group(), number.group())
    session_no = session_number(ctx, kind, t, a, b)
    places = event_places(ctx, a, b)
    bare = start_i == i and end_i == i
    if session_no is None and kind == "Conference" and (t.text.islower() or bare) and not title and date is None:
        # "представлял на конференции трудящихся ...", "at the conference", "в рамках Конференции": the session
        # the text reports
        session = next((e for e in reversed(events) if e["session"] is not None), None)
        elsewhere = [p for p in places if ctx.place_rank(p) < 2 and p != (session or {}).get("location")]
        if session is not None and not elsewhere:  # held in no other town
            session_no, generic = session["session"], True
    verb_trigger = use == "verb"
    says_whom = verb_trigger or (
        re.match(r"\s+(?:with|between|of|с|со|между)\s", ctx.text[t.end : t.end + 10])
        and any(ctx.entities[m.entity].kind in (ORG, PERSON) for m in ctx.in_span(t.end, min(b, t.end + 80)))
    )
    signing = _SIGNING.search(ctx.text, t.end, b)
    if signing:
        names.append(re.split(r"[,;:.]", ctx.text[signing.start() : b])[0])  # "signing of a Memorandum on ..."
    occurred = happened(ctx, toks, i)  # "has held its final meeting", "проходит семинар"
    partners = _partners(ctx, t, b) if says_whom else frozenset()
    prev = _same_as_previous(ctx, events, kind, phrase, generic and not says_whom, session_no, date, partners)
    inside_another = framed(ctx, a, b, t.start)  # "on the margins of the Conference, ... a meeting"
    headline = events[0] if events and events[0]["sentence"][0] == ctx.sentences[0][0] else None
    if headline is not None and _introduced(ctx, toks, start_i) and not _title_line(ctx, ctx.sentences[0]):
        headline = None  # "a delegation went on a working visit" after a lead that told a visit: another one
    if (
        prev is None
        and headline is not None
        and headline["kind"] == kind
        and session_no is None
        and (headline["date"] is None or date is None or headline["date"].begin == date.begin)
        and (headline["location"] is None or not places or headline["location"] in places)
        and not (partners and headline["partners"] and not partners & headline["partners"])
        and not _held_by_another(ctx, toks[start_i].start, toks[end_i].end, headline)
    ):
        prev = headline  # the headline names the event the article is about
    if (
        prev is None
        and not named
        and date is None
        and events
        and events[-1]["sentence"][0] >= _previous_start(ctx, a)
        and kind in ("Meeting", "Negotiation")
        and events[-1]["kind"] not in ("Meeting", "Negotiation")
        and not inside_another
    ):
        prev = events[-1]  # "Constructive talks ..." right after the visit they were part of
    particular = any(_characterises(ctx, x) for x in toks[min(start_i, max(0, i - 1)) : i])  # "a bilateral meeting"
    if (says_whom or signing or inside_another or occurred or particular) and not named:
        named = True  # "a meeting with FPRK Chairman ...", "held its final meeting": a particular meeting
    if prev is None and not named and events and events[-1]["sentence"] == (a, b):
        prev = events[-1]
    if prev is None and (
        generic
        and date is None
        and not says_whom
        and not signing
        and not inside_another
        and not occurred
        or not named
        and date is None
        and not places
        or kind == "Programme"
        and use != "year"
        and (date is None or len(date.begin) < 7)
    ):
        return  # a programme is an event only with its dates ("JILAF programme, 19 August-1 September")
    org_mentions = [
        m
        for m in ctx.in_span(a, b, ORG)
        if not (toks[start_i].start <= m.start < toks[end_i].end) and not names_a_group(ctx, m)
    ]
    if org_mentions and ctx.lang == "en" and end_i == i:
        names.append(f"{phrase} of the {naming.short_label(ctx, org_mentions[0].entity, long=True)}")
        names.append(f"{phrase} of the {naming.short_label(ctx, org_mentions[0].entity, long=False)}")
    item = re.match(r"\s*[–—•*-]+\s*([^(\n]{6,200}?)\s*(?:\(|$)", ctx.text[a:b]) or re.match(
        r"\s*([^(\n]{6,200}?)\s*\([^()\n]*\d[^()\n]*\)\)?;?$", ctx.text[a:b]
    )
    if item and toks[start_i].start < a + item.end(1):
        names.append(item.group(1).strip(" ;,."))  # a list item: "– <event name> (dates, place);"
    clause = re.split(r"[,;:.()]|\s(?:which|who|where|that|and)\s", ctx.text[toks[start_i].start : b])[0]
    if len(clause.split()) > len(phrase.split()) + 1:
        names.append(" ".join(clause.split()[:16]))
    if says_whom:  # "consultations with the ministry's delegation, headed by ...": with whom, in full
        whole = re.split(r"[;:.()]|,?\s(?:which|who|where|when|that)\s", ctx.text[toks[start_i].start : b])[0]
        if whole.strip(" ,") != clause.strip(" ,"):
            names.append(" ".join(whole.strip(" ,").split()[:16]))
    location = best(ctx, places)
    bracket = bracket_after(ctx, toks[end_i].end, b)
    if bracket and (ctx.dates_in(*bracket) or location is None):  # not "Copenhagen (Denmark)"
        # "the ETUC Congress (21-24 May 2019, Vienna, Austria); the 108th session (10-21 June, Geneva)"
        own = event_places(ctx, *bracket)
        if own:
            location = best(ctx, own)
        own_dates = ctx.dates_in(*bracket)
        if own_dates:
            date = own_dates[0]
    bare_verb = local.lower() in {f for f, x in tables()[ctx.lang].single.items() if x.use == "verb"}
    names += naming.described(ctx, kind, local, a, b, bare_verb)
    if verb_trigger:  # "met", "встретились в", "met of the FTURK": no name
        names = [n for n in names if n not in (phrase, local) and not n.startswith(local + " ")] + [phrase]
    told = Told((a, b), (t.start, t.end), (toks[start_i].start, toks[end_i].end), verb_trigger or with_whom(ctx, t, b))
    if prev is not None:
        _merge(prev, names if not generic else [], date, location)
        prev["told_in"].append((a, b))
        prev["told"].append(told)
        prev["partners"] = prev.get("partners", frozenset()) | partners
        return
    events.append(
        {
            "kind": kind,
            "names": names,
            "date": date,
            "location": location,
            "span": (toks[start_i].start, toks[end_i].end),
            "session": session_no,
            "sentence": (a, b),
            # when no date is told: "which will take place in 2020"
            "year": year_alone(ctx.text, a, b, t.start) if date is None else None,
            "told_in": [(a, b)],  # every sentence that mentions it
            "told": [told],
            "partners": partners,
        }
    )


def _introduced(ctx: Context, toks: list[Token], start_i: int) -> bool:
    """Whether an English event noun phrase opens with an indefinite article: a new event of the discourse."""
    return ctx.lang == "en" and start_i > 0 and toks[start_i - 1].text.lower() in ("a", "an", "another")


def _title_line(ctx: Context, sentence: tuple[int, int]) -> bool:
    """Whether a sentence is a headline: a line of its own without a full stop."""
    line = ctx.text[sentence[0] : sentence[1]].strip()
    return "\n" not in line and not line.endswith((".", "!", "?")) and ctx.text[sentence[1] : sentence[1] + 1] in "\n"


def _characterises(ctx: Context, t: Token) -> bool:
    """Whether a modifier tells one occurrence of an event apart ("bilateral", "working", "выездное",
    "көшпелі"): with it, even an event named by its kind is a particular event."""
    listed = words()[f"{ctx.lang}_particular"]
    if ctx.lang == "kk":
        return t.text.lower().startswith(tuple(listed))
    return (ru_lemma(t.text) if ctx.lang == "ru" else t.text.lower()) in listed


def _partners(ctx: Context, t: Token, b: int) -> frozenset[str]:
    """With whom a meeting was held: the people and organisations named after its trigger in the clause, and
    the organisations those are units of (a meeting "with the ILO" and one with an ILO office are one)."""
    end = re.search(r"[;:]|\.\s", ctx.text[t.end : b])
    stop = t.end + end.start() if end else b
    named = {m.entity for m in ctx.in_span(t.end, stop) if ctx.entities[m.entity].kind in (ORG, PERSON)}
    return _with_parents(ctx, named)


def _held_by_another(ctx: Context, a: int, b: int, headline: dict) -> bool:
    """Whether the event named text[a:b] is held by a body the headline does not name ("the Tripartite
    Commission meeting" after a headline about a meeting with the ILO): then it is not the headline's event."""
    own = {m.entity for m in ctx.in_span(a, b, ORG)}
    return bool(own) and not own & _with_parents(ctx, {m.entity for m in ctx.in_span(*headline["sentence"], ORG)})


def _with_parents(ctx: Context, iris: set[str]) -> frozenset[str]:
    """These organisations and people, and the organisations the units among them belong to."""
    return frozenset(iris | {ctx.entities[i].parent for i in iris if ctx.entities[i].parent})


def _same_as_previous(
    ctx: Context,
    events: list[dict],
    kind: str,
    phrase: str,
    generic: bool,
    session_no: int | None,
    date,
    partners: frozenset[str] = frozenset(),
):
    """The event a new mention repeats: same ILC session, or same kind with names that contain one another
    (and no conflicting dates); a meeting with other partners is another meeting ("then met B")."""
    words_ = naming.content_words(ctx, phrase)
    for e in reversed(events):
        if session_no is not None:
            if e["session"] == session_no:
                return e
            continue
        if e["kind"] != kind or e["session"] is not None:
            continue
        if date is not None and e["date"] is not None and date.begin != e["date"].begin:
            continue
        if partners and e.get("partners") and not partners & e["partners"]:
            continue
        if generic:
            return e
        for n in e["names"]:
            other = naming.content_words(ctx, n)
            if (
                words_
                and other
                and (words_ == other or len(min(words_, other, key=len)) >= 2 and (words_ <= other or other <= words_))
            ):
                return e
    return None


def _previous_start(ctx: Context, a: int) -> int:
    starts = [s for s, _ in ctx.sentences if s < a]
    return starts[-1] if starts else a


def _merge(e: dict, names: list[str], date, location) -> None:
    e["names"] += [n for n in names if n not in e["names"]]
    if e["date"] is None and date is not None:
        e["date"] = date
    if e["location"] is None and location is not None:
        e["location"] = location


def _document_year(ctx: Context) -> str | None:
    """The year of an event the text does not date: the document's date, else that of its first full date
    (an article without a publication date dates what it reports early on: "on 11 December 2013 ...")."""
    if ctx.published:
        return ctx.published[:4]
    full = next((d.begin for d in ctx.dates if len(d.begin) == 10), None)
    return full[:4] if full else None


def _freeze(ctx: Context, e: dict) -> Event:
    start = end = None
    if e["date"] is not None:
        start, end = e["date"].begin, e["date"].until
    cls = e["kind"]
    iri = None
    reference_names: list[Label] = []
    if e["session"] is not None:
        cls = "ILCSession"
        session = reference_session(e["session"])
        if session:
            # the reference session is the authority on its dates and names
            iri = session[0]
            start, end = (session[1], session[2]) if session[1] else (start, end)
            reference_names = gazetteer().other_labels.get(iri, [])
        else:
            iri = f"{ctx.base}ilc/{e['session']}"
    if start is None:
        start = e["year"].begin if e["year"] else _document_year(ctx)
    names = [n for n in dict.fromkeys(e["names"]) if n]
    if iri is None:
        iri = entity_iri("event", f"{names[0]} {start or ''}", ctx.base)
    labels = tuple(reference_names) + tuple(Label(n, ctx.lang) for n in names)
    return Event(
        iri=iri,
        types=(LKG + cls, SCHEMA + "Event"),
        names=labels,
        start=start,
        end=end,
        location=e["location"],
        organizers=tuple(dict.fromkeys(e["organizers"])),
        attendees=tuple(dict.fromkeys(e["attendees"])),
        session_number=e["session"],
        span=e["span"],
    )
