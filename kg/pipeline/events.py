"""Step: events (conferences, congresses, sessions, seminars, trainings, meetings, forums, visits).

An event is anchored on a trigger word; its names are the phrase around the trigger (modifiers
before it, an "of the ..." chain after it) and a quoted title that follows; its dates, place,
organisers and participants come from the same sentence. Later bare mentions ("the Congress") are
the same event. Sessions of the International Labour Conference get their reference IRI and, when
the text gives no year, the year of that session.
"""

from __future__ import annotations

import re

from kg.namespaces import LKG, SCHEMA, entity_iri
from kg.pipeline.context import Context
from kg.pipeline.dates import MONTHS
from kg.pipeline.lexicon import EN_EVENTS, KK_EVENTS, RU_EVENTS
from kg.pipeline.model import ORG, PERSON, PLACE, Event, Label, Token
from kg.pipeline.tokens import english_name, parse, ru_lemma, tokenize

_LEFT_STOP = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "its",
    "his",
    "her",
    "their",
    "our",
    "of",
    "in",
    "at",
    "on",
    "to",
    "for",
    "with",
    "by",
    "from",
    "and",
    "or",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "held",
    "hold",
    "holds",
    "took",
    "take",
    "attended",
    "attend",
    "during",
    "after",
    "before",
    "within",
    "as",
    "part",
    "into",
    "about",
    "next",
    "while",
    "which",
    "who",
    "also",
    "will",
    "has",
    "have",
    "had",
    "organized",
    "organised",
    "hosted",
    "opened",
    "participated",
    "participate",
    "said",
    "where",
    "when",
    "whose",
}
_ORDINAL = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)?|[IVXLC]+|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth|eleventh|twelfth)$",
    re.I,
)
# verbs that report a meeting or a visit between the people and organisations of their sentence
_VERB_TRIGGERS = {
    "met": "Meeting",
    "visited": "Visit",
    "встретиться": "Meeting",
    "посетить": "Visit",
    "кездесті": "Meeting",
}
_QUOTE_REACH = 110  # characters between an event noun and its quoted title
_TRIGGER_WORDS = re.compile(r"\b(?:conference|congress|seminar|forum|meeting|session|training)\b", re.I)
_SIGNING = re.compile(r"\bsigning\b|\bподписани\w*|\bқол қою", re.I)
_DEMONSTRATIVES = {
    "this",
    "that",
    "these",
    "those",
    "этот",
    "эта",
    "это",
    "этом",
    "этой",
    "этого",
    "данный",
    "данном",
    "осы",
    "бұл",
}
_QUANTIFIERS = {
    "any",
    "every",
    "each",
    "some",
    "such",
    "other",
    "many",
    "several",
    "all",
    "future",
    "similar",
    "любой",
    "каждый",
    "такие",
    "подобные",
    "аналогичные",
    "будущие",
    "кез",
    "әрбір",
}
_EN_ADJ = re.compile(r"(?:al|ic|ary|ive|ed|ing|ous|ful|ern|ite|ial|ual|ar|level|regional|lateral)$")
_EN_MODIFIERS = {
    "solemn",
    "round",
    "joint",
    "annual",
    "general",
    "open",
    "field",
    "youth",
    "women's",
    "work",
    "study",
    "board",
    "summer",
    "winter",
    "online",
    "offsite",
    "final",
    "first",
    "next",
    "last",
    "new",
}
_GERUND_VERBS = {
    "holding",
    "conducting",
    "organizing",
    "organising",
    "attending",
    "hosting",
    "having",
    "joining",
    "arranging",
    "preparing",
}
_QUOTE = re.compile(r"[\"“«]([^\"”»\n]{4,160})[\"”»]")
_ORGANISED_BY = re.compile(
    r"\b(?:organi[sz]ed|hosted|convened|held|initiated)\s+by\b|организ|проводит|провела|"
    r"провёл|провел|ұйымдаст",
    re.I,
)
_SESSION_NO = re.compile(r"\b(\d{2,3})(?:st|nd|rd|th|-я|-й|-ші|-шы)?\s+(?:session|сесси|сессия)", re.I)
_ILC_NO = re.compile(
    r"\b(\d{2,3})(?:st|nd|rd|th|-я|-й)?\s+(?:(?:session\s+of\s+the\s+)?(?:ILO\s+)?International\s+"
    r"Lab\w+\s+Conference|ILC|(?:сесси\w+\s+)?Международн\w+\s+конференци\w+\s+труда|МКТ)",
    re.I,
)
_EN_TRIGGER_PLURAL = {
    "meetings": "meeting",
    "conferences": "conference",
    "seminars": "seminar",
    "visits": "visit",
    "trainings": "training",
    "sessions": "session",
    "forums": "forum",
    "congresses": "congress",
    "workshops": "workshop",
}


def find_events(ctx: Context) -> list[Event]:
    events: list[dict] = []
    for a, b in ctx.sentences:
        letters = list(filter(str.isalpha, ctx.text[a:b]))
        if letters and sum(map(str.isupper, letters)) > 0.8 * len(letters):
            continue  # a headline in capitals: the body tells the same events in full
        toks = ctx.tokens_in(a, b)
        for i, t in enumerate(toks):
            kind = _trigger(ctx, toks, i)
            if not kind:
                continue
            inside = [
                m for m in ctx.mentions if m.start <= t.start and t.end <= m.end and ctx.entities[m.entity].kind == ORG
            ]
            if inside and not (
                inside[0].entity.endswith("/org/ilc")
                and (_ILC_NO.search(ctx.text[a : inside[0].end]) or _ilc_session_dated(ctx, a, b, t.start))
            ):
                continue  # "International Labour Conference" the organisation, "Congress of ... Unions"
            _add_event(ctx, events, toks, i, kind, a, b)
    fallback = _main_place(ctx)
    for e in events:
        if e["location"] is None or ctx.place_rank(e["location"]) == 2:
            e["location"] = next(filter(None, (_held_in_next(ctx, s) for s in e["told_in"])), e["location"])
        if e["location"] is None:
            e["location"] = fallback
    return [_freeze(ctx, e) for e in events]


_HELD = re.compile(
    r"\b(?:took place|takes place|was held|were held|is held|will be held|will take place|прош[её]л|прошл[аи]|"
    r"пройд[её]т|состоял[аи]?с[ья]|состоится|өтті|өтеді)\b",
    re.I,
)


def _bracket_after(ctx: Context, at: int, b: int) -> tuple[int, int] | None:
    """The span inside the brackets that follow an event's name in its clause: its dates and place."""
    m = re.match(r"[^();\n]{0,80}?\(([^()\n]*)\)", ctx.text[at:b])
    if not m or _TRIGGER_WORDS.search(ctx.text[at : at + m.start(1)]):
        return None
    return at + m.start(1), at + m.end(1)


def _ilc_session_dated(ctx: Context, a: int, b: int, at: int) -> int | None:
    """The number of the ILC session held in the year of the date nearest to text[at] in the sentence
    (the Conference meets once a year, so a dated mention of it without a number is that year's session)."""
    dates = ctx.dates_in(a, b)
    if not dates:
        return None
    year = min(dates, key=lambda d: abs(d.start - at)).begin[:4]
    from kg.pipeline.gazetteer import gazetteer

    return next((n for n, (_, start, _) in gazetteer().ilc_sessions.items() if start and start[:4] == year), None)


def _held_in_next(ctx: Context, sentence: tuple[int, int]) -> str | None:
    """A city or region from the next sentence when it only says where ("It took place in Nur-Sultan ...")."""
    following = [(a, b) for a, b in ctx.sentences if a >= sentence[1]]
    if not following:
        return None
    a, b = following[0]
    held = _HELD.search(ctx.text, a, b)
    if "\n\n" in ctx.text[sentence[1] : a] or not held:
        return None
    toks = ctx.tokens_in(a, held.start())
    if any(_trigger(ctx, toks, i) for i in range(len(toks))):
        return None  # the sentence tells of an event of its own
    places = [p for p in _event_places(ctx, held.end(), b) if ctx.place_rank(p) < 2]
    return min(places, key=lambda p: (ctx.place_rank(p), places.index(p))) if places else None


def _event_places(ctx: Context, a: int, b: int) -> list[str]:
    """Places of a sentence where its events can be; a quoted name ("the sanatorium “Merke” in Zhambyl region")
    names a venue whose town or region, when also named, is the better answer."""
    mentions = [m for m in ctx.in_span(a, b, PLACE) if ctx.is_venue(m.entity)]
    plain = [m.entity for m in mentions if not _quoted(ctx.text, m.start, m.end)]
    return plain or [m.entity for m in mentions]


def _quoted(text: str, start: int, end: int) -> bool:
    return text[start - 1 : start] in "«\"“'" and text[end : end + 1] in "»\"”'" and start > 0 and end < len(text)


def _main_place(ctx: Context) -> str | None:
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


def _trigger(ctx: Context, toks: list[Token], i: int) -> str | None:
    t = toks[i]
    verb = _VERB_TRIGGERS.get(t.text.lower() if ctx.lang != "ru" else ru_lemma(t.text))
    if verb:
        return verb if _participants(ctx, toks) >= 2 else None
    if ctx.lang == "en":
        w = t.text.lower()
        w = _EN_TRIGGER_PLURAL.get(w, w)
        if w == "table" and i > 0 and toks[i - 1].text.lower() == "round":
            return "Meeting"
        kind = EN_EVENTS.get(w)
        before = EN_EVENTS.get(toks[i - 1].text.lower()) if i > 0 else None
        if kind and before in ("Training", "Seminar", "Forum", "Conference"):
            return before  # "training session", "seminar meeting": the first noun says what it is
        return kind
    if ctx.lang == "ru":
        lemma = ru_lemma(t.text)
        if lemma == "стол":
            return "Meeting" if i > 0 and toks[i - 1].text.lower().startswith("кругл") else None
        return RU_EVENTS.get(lemma)
    low = t.text.lower()
    return next((k for stem, k in KK_EVENTS.items() if low.startswith(stem)), None)


def _participants(ctx: Context, toks: list[Token]) -> int:
    if not toks:
        return 0
    found = ctx.in_span(toks[0].start, toks[-1].end)
    return len({m.entity for m in found if ctx.entities[m.entity].kind in (ORG, PERSON)})


def _add_event(ctx: Context, events: list[dict], toks: list[Token], i: int, kind: str, a: int, b: int) -> None:
    t = toks[i]
    if ctx.lang == "en" and i > 0 and toks[i - 1].text.lower() in ("to", "will", "would", "can", "could", "must"):
        return  # "to visit", "will meet": a verb
    before = {x.text.lower() for x in toks[max(0, i - 2) : i]}
    if before & _QUANTIFIERS:
        return  # "any international forum", "such meetings": no particular event
    start_i = i
    while start_i > 0 and i - start_i < 5:
        p = toks[start_i - 1]
        if ctx.text[p.end : toks[start_i].start].strip(" -'’"):
            break
        if not _modifier(ctx, p) and not _noun_modifier(ctx, toks, start_i - 1):
            break
        start_i -= 1
    end_i = i
    # "... of the Youth Committee of the ETUC" / a genitive chain in Russian
    j = i + 1
    while j < len(toks) and j - i < 12:
        gap = ctx.text[toks[j - 1].end : toks[j].start]
        if gap.strip() not in ("", "-", "'", "’"):
            break
        w = toks[j].text
        if ctx.lang == "en":
            if w.lower() in ("of", "the", "for") and j + 1 < len(toks) or w == "s" and gap in ("'", "’"):
                j += 1
                continue
            if not w[:1].isupper() or w.lower() in MONTHS:
                break
        elif ctx.lang == "ru":
            if not _genitive(w) or w.lower() in MONTHS:
                break
        else:
            break
        end_i = j
        j += 1
    while end_i > i and toks[end_i].text.lower() in ("of", "the", "on", "for"):
        end_i -= 1
    phrase = ctx.text[toks[start_i].start : toks[end_i].end]
    local = ctx.text[toks[start_i].start : t.end]
    names = [phrase, local]
    after = ctx.text[t.end : min(b, t.end + 200)]
    q = _QUOTE.search(after)
    if q and (q.start() >= _QUOTE_REACH or _TRIGGER_WORDS.search(after[: q.start()])):
        q = None  # too far, or the title of another event named in between
    if q:
        names.insert(0, q.group(1).strip())
    generic = start_i == i and end_i == i and not q
    if i > 0 and toks[i - 1].text.lower() in _DEMONSTRATIVES:
        generic, start_i = True, i  # "this seminar", "этот семинар": the event named before
    named = bool(q) or any(x.text[:1].isupper() or x.text[:1].isdigit() for x in toks[start_i : end_i + 1])
    sent_dates = ctx.dates_in(a, b)
    date = min(sent_dates, key=lambda d: abs(d.start - t.start)) if sent_dates else None
    session_no = None
    if kind == "Session" or "conference" in t.text.lower() or "конференц" in t.text.lower():
        m = _SESSION_NO.search(ctx.text[max(a, t.start - 12) : t.end + 2])
        m = m or _ILC_NO.search(ctx.text[max(a, t.start - 60) : min(b, t.end + 12)])
        ilc = [x for x in ctx.in_span(a, b, ORG) if x.entity.endswith("/org/ilc")]
        if m and ilc:
            session_no = int(m.group(1))
        elif ilc and any(x.start <= t.start < x.end for x in ilc):
            session_no = _ilc_session_dated(ctx, a, b, t.start)  # "the International Labour Conference (5-16 June)"
    if ctx.lang == "en" and t.text.lower() in _EN_TRIGGER_PLURAL:
        return  # "sessions", "meetings": several or generic events
    verb_trigger = (t.text.lower() if ctx.lang != "ru" else ru_lemma(t.text)) in _VERB_TRIGGERS
    with_whom = verb_trigger or (
        re.match(r"\s+(?:with|between|of|с|со|между)\s", ctx.text[t.end : t.end + 10])
        and any(ctx.entities[m.entity].kind in (ORG, PERSON) for m in ctx.in_span(t.end, min(b, t.end + 80)))
    )
    signing = _SIGNING.search(ctx.text, t.end, b)
    if signing:
        names.append(re.split(r"[,;:.]", ctx.text[signing.start() : b])[0])  # "signing of a Memorandum on ..."
    prev = _same_as_previous(ctx, events, kind, phrase, generic and not with_whom, session_no, date)
    places = _event_places(ctx, a, b)
    headline = events[0] if events and events[0]["sentence"][0] == ctx.sentences[0][0] else None
    if (
        prev is None
        and headline is not None
        and headline["kind"] == kind
        and session_no is None
        and (headline["date"] is None or date is None or headline["date"].begin == date.begin)
        and (headline["location"] is None or not places or headline["location"] in places)
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
    ):
        prev = events[-1]  # "Constructive talks ..." right after the visit they were part of
    if (with_whom or signing) and not named:
        named = True  # "a meeting with FPRK Chairman ...": a particular meeting
    if prev is None and not named and events and events[-1]["sentence"] == (a, b):
        prev = events[-1]
    if prev is None and (
        generic
        and date is None
        and not with_whom
        and not signing
        or not named
        and date is None
        and not places
        or kind == "Programme"
        and (date is None or len(date.begin) < 7)
    ):
        return  # a programme is an event only with its dates ("JILAF programme, 19 August-1 September")
    org_mentions = [m for m in ctx.in_span(a, b, ORG) if not (toks[start_i].start <= m.start < toks[end_i].end)]
    if org_mentions and ctx.lang == "en" and end_i == i:
        names.append(f"{phrase} of the {_short_label(ctx, org_mentions[0].entity, long=True)}")
        names.append(f"{phrase} of the {_short_label(ctx, org_mentions[0].entity, long=False)}")
    item = re.match(r"\s*[–—•*-]+\s*([^(\n]{6,200}?)\s*(?:\(|$)", ctx.text[a:b]) or re.match(
        r"\s*([^(\n]{6,200}?)\s*\([^()\n]*\d[^()\n]*\)\)?;?$", ctx.text[a:b]
    )
    if item and toks[start_i].start < a + item.end(1):
        names.append(item.group(1).strip(" ;,."))  # a list item: "– <event name> (dates, place);"
    clause = re.split(r"[,;:.()]|\s(?:which|who|where|that|and)\s", ctx.text[toks[start_i].start : b])[0]
    if len(clause.split()) > len(phrase.split()) + 1:
        names.append(" ".join(clause.split()[:16]))
    orgs = [m.entity for m in ctx.in_span(a, b, ORG)]
    in_name = [m.entity for m in ctx.in_span(toks[start_i].start, toks[end_i].end, ORG)]
    organised = _ORGANISED_BY.search(ctx.text[a:b])
    organizers = list(in_name)
    if organised:
        after_org = [m.entity for m in ctx.in_span(a + organised.end(), b, ORG)][:2]
        organizers += after_org
    people = [m.entity for m in ctx.in_span(a, b, PERSON)]
    attendees = [o for o in orgs if o not in organizers] + people
    location = min(places, key=lambda p: (ctx.place_rank(p), places.index(p))) if places else None
    bracket = _bracket_after(ctx, toks[end_i].end, b)
    if bracket and (ctx.dates_in(*bracket) or location is None):  # not "Copenhagen (Denmark)"
        # "the ETUC Congress (21-24 May 2019, Vienna, Austria); the 108th session (10-21 June, Geneva)"
        own = _event_places(ctx, *bracket)
        if own:
            location = min(own, key=lambda p: (ctx.place_rank(p), own.index(p)))
        own_dates = ctx.dates_in(*bracket)
        if own_dates:
            date = own_dates[0]
    names += _described(ctx, kind, local, a, b, t.start)
    if verb_trigger:  # "met", "встретились в", "met of the FTURK": no name
        names = [n for n in names if n not in (phrase, local) and not n.startswith(local + " ")] + [phrase]
    if prev is not None:
        _merge(prev, names if not generic else [], date, location, organizers, attendees)
        prev["told_in"].append((a, b))
        return
    events.append(
        {
            "kind": kind,
            "names": names,
            "date": date,
            "location": location,
            "organizers": organizers,
            "attendees": attendees,
            "span": (toks[start_i].start, toks[end_i].end),
            "session": session_no,
            "sentence": (a, b),
            "told_in": [(a, b)],  # every sentence that mentions it
        }
    )


def _same_as_previous(
    ctx: Context, events: list[dict], kind: str, phrase: str, generic: bool, session_no: int | None, date
):
    """The event a new mention repeats: same ILC session, or same kind with names that contain one another
    (and no conflicting dates)."""
    words = _content_words(ctx, phrase)
    for e in reversed(events):
        if session_no is not None:
            if e["session"] == session_no:
                return e
            continue
        if e["kind"] != kind or e["session"] is not None:
            continue
        if date is not None and e["date"] is not None and date.begin != e["date"].begin:
            continue
        if generic:
            return e
        for n in e["names"]:
            other = _content_words(ctx, n)
            if (
                words
                and other
                and (words == other or len(min(words, other, key=len)) >= 2 and (words <= other or other <= words))
            ):
                return e
    return None


def _content_words(ctx: Context, phrase: str) -> frozenset[str]:
    return frozenset(t.key for t in tokenize(phrase, ctx.lang) if t.key not in _LEFT_STOP)


def _modifier(ctx: Context, t: Token) -> bool:
    """A word that can stand before an event noun: a name, an ordinal or an adjective."""
    w = t.text
    low = w.lower()
    if _ORDINAL.match(w):
        return True
    if ctx.lang == "en":
        if low in _LEFT_STOP or low in MONTHS or w[:1].isdigit():
            return False
        if low in _GERUND_VERBS:
            return False  # "holding negotiations": a verb and its object
        return w[:1].isupper() or bool(_EN_ADJ.search(low)) or low in _EN_MODIFIERS
    if ctx.lang == "ru":
        return _adjective(ctx, w) or (w.isupper() and len(w) > 1)
    return w[:1].isupper()


def _noun_modifier(ctx: Context, toks: list[Token], k: int) -> bool:
    """A lower-case noun between an article and the event noun: "a solidarity meeting", "the coordination
    meeting" (English only)."""
    w = toks[k].text
    return (
        ctx.lang == "en"
        and k > 0
        and toks[k - 1].text.lower() in ("a", "an", "the")
        and w.isalpha()
        and w.islower()
        and w not in _LEFT_STOP
        and w not in _QUANTIFIERS
        and w not in _DEMONSTRATIVES
        and w not in MONTHS
    )


_KIND_WORD = {
    "Meeting": "Meeting",
    "Visit": "Visit",
    "Conference": "Conference",
    "Seminar": "Seminar",
    "Training": "Training",
    "Forum": "Forum",
    "Congress": "Congress",
    "Session": "Session",
    "Negotiation": "Talks",
    "Programme": "Programme",
}


def _described(ctx: Context, kind: str, local: str, a: int, b: int, at: int) -> list[str]:
    """English descriptions built from who took part: "Meeting of A with B", "Talks between A and B"."""
    who = []
    for m in ctx.in_span(a, b):
        e = ctx.entities[m.entity]
        if e.kind in (ORG, PERSON) and m.entity not in who:
            who.append(m.entity)
    if not who:
        return []
    names = list(
        dict.fromkeys(
            _short_label(ctx, w, long=False) if ctx.entities[w].kind == ORG else english_name(ctx.entities[w])
            for w in who[:5]
        )
    )
    head = local if ctx.lang == "en" and local.lower() not in _VERB_TRIGGERS else _KIND_WORD.get(kind, kind)
    first, rest = names[0], " and ".join(names[1:])
    out = _as_written(ctx, kind, head, a, b, who)
    out.append(f"{head} of {first}")
    if rest and kind == "Meeting":
        out.append(f"Talks of {first} with {rest}")
    if rest:
        out += [
            f"{head} of {first} with {rest}",
            f"{head} between {first} and {rest}",
            f"{head} with {' and '.join(names)}",
        ]
    return out


_RU_KIND_WORD = {"Meeting": "встреча", "Visit": "визит", "Negotiation": "переговоры"}


def _as_written(ctx: Context, kind: str, head: str, a: int, b: int, who: list[str]) -> list[str]:
    """Descriptions with the participants as the text writes them ("Talks of B. Abdirayym with Guy Rayderem",
    "встреча Гражданского альянса Казахстана и Федерации профсоюзов"): how a reader would name the event."""
    surface: dict[str, str] = {}
    for m in ctx.in_span(a, b):
        surface.setdefault(m.entity, ctx.text[m.start : m.end])
    people = [surface[w] for w in who if ctx.entities[w].kind == PERSON]
    parts = [surface[w] for w in who]
    if ctx.lang == "ru":
        word = _RU_KIND_WORD.get(kind)
        return [f"{word} {' и '.join(parts)}"] if word and len(parts) >= 2 else []
    if ctx.lang != "en" or len(parts) < 2:
        return []
    out = []
    if len(people) >= 2:
        others = " and ".join(people[1:])
        out += [f"Talks of {people[0]} with {others}", f"{head} of {people[0]} with {others}"]
    out.append(f"{head} of {parts[0]} with {' and '.join(parts[1:])}")
    return out


def _previous_start(ctx: Context, a: int) -> int:
    starts = [s for s, _ in ctx.sentences if s < a]
    return starts[-1] if starts else a


def _short_label(ctx: Context, iri: str, long: bool) -> str:
    labels = ctx.entities[iri].labels
    pref = [lab.text for lab in labels if lab.lang == ctx.lang] or [labels[0].text]
    if long:
        return pref[0]
    acr = [lab.text for lab in labels if lab.text.isupper() and len(lab.text) <= 8]
    return acr[0] if acr else pref[0]


def _merge(e: dict, names: list[str], date, location, organizers, attendees) -> None:
    e["names"] += [n for n in names if n not in e["names"]]
    if e["date"] is None and date is not None:
        e["date"] = date
    if e["location"] is None and location is not None:
        e["location"] = location
    e["organizers"] += [o for o in organizers if o not in e["organizers"]]
    e["attendees"] += [o for o in attendees if o not in e["attendees"] and o not in e["organizers"]]


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s.casefold()).strip()


def _adjective(ctx: Context, word: str) -> bool:
    if ctx.lang != "ru":
        return False
    return parse(word)[0].tag.POS in ("ADJF", "PRTF", "NUMR")


def _genitive(word: str) -> bool:
    if not re.search(r"[а-яё]", word, re.I):
        return word[:1].isupper()
    return any(p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF", "PRTF") for p in parse(word)[:2])


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
    super_event = None
    iri = None
    reference_names: list[Label] = []
    types: tuple[str, ...]
    if e["session"] is not None:
        cls = "ILCSession"
        from kg.pipeline.gazetteer import gazetteer

        gaz = gazetteer()
        session = gaz.ilc_sessions.get(e["session"])
        if session:
            # the reference session is the authority on its dates and names
            iri = session[0]
            start, end = (session[1], session[2]) if session[1] else (start, end)
            reference_names = gaz.other_labels.get(iri, [])
        else:
            iri = f"{ctx.base}ilc/{e['session']}"
    if start is None:
        start = _document_year(ctx)
    names = [n for n in dict.fromkeys(e["names"]) if n]
    if iri is None:
        iri = entity_iri("event", f"{names[0]} {start or ''}", ctx.base)
    labels = tuple(reference_names) + tuple(Label(n, ctx.lang) for n in names)
    types = (LKG + cls, SCHEMA + "Event")
    return Event(
        iri=iri,
        types=types,
        names=labels,
        start=start,
        end=end,
        location=e["location"],
        organizers=tuple(dict.fromkeys(e["organizers"])),
        attendees=tuple(dict.fromkeys(x for x in e["attendees"] if x not in e["organizers"])),
        super_event=super_event,
        session_number=e["session"],
        span=e["span"],
    )
