"""Who organised an event and who took part in it, read from the clauses that report it.

Roles come from the structure of the sentence, not from proximity: an organisation in the event's own
name ("the ILO seminar", "a meeting of the Council") organised it, unless the name says with whom
("a meeting of A with B": both took part); a clause cue (roles.tsv: "organised by", "at the invitation
of", "with the participation of", "X took part", "при поддержке", "X-тың қатысуымен") gives its role to
the names on its side of the clause, for the nearest event that the sentence reports. Then what the
discourse says: a list introduced by "X took part in these events:" gives X to every event listed; people
who speak in the sentences that follow an event spoke at it; whoever took part in a meeting held on the
margins of a session took part in the session.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from kg.pipeline.context import Context
from kg.pipeline.events.frames import framing
from kg.pipeline.events.sessions import ILC
from kg.pipeline.events.triggers import HERE, words
from kg.pipeline.lexicon import EN_SPEECH
from kg.pipeline.model import ORG, PERSON, Mention
from kg.pipeline.tokens import ru_lemma

# where a clause ends inside a sentence: a semicolon or colon, or a relative clause that starts
_BOUNDARY = re.compile(
    r"[;:]|,\s+(?:which|where|who|when|while|whose|где|который|которая|которое|которые|когда)\b", re.I
)
# a list item: a line that starts with a dash or a bullet, or ends with a semicolon
_ITEM = re.compile(r"^\s*(?:[–—•*-]|\d+[.)])|;\s*$")
# English prepositions that put a name in a phrase of time or place, not in the subject ("at the ILC, X took part")
_EN_FRAME_PREPOSITIONS = frozenset({"at", "in", "during", "on", "within", "under", "after", "before", "following"})


# "of"/"by" and up to five words before the organisation an event's name ends with
_OF_PHRASE = re.compile(r"\s+(?:of|by)\s+(?:[\w'’-]+\s+){0,5}", re.I)
# what may follow the last name of a list that ends an event's name: a preposition or a punctuation mark
_PHRASE_GOES_ON = re.compile(r"\s*(?:$|[,;:.()]|(?:on|in|for|at|from|to|with|о|по|в|на)\b)", re.I)
# words that tell a signing
_SIGNED = re.compile(r"\bsign(?:s|ed|ing|ature|atures|atory|atories)?\b|подпис\w*|қол\s+қой\w*", re.I)
# kinds of event at which the body that holds them meets
_GATHERINGS = frozenset({"Meeting", "Session", "Congress"})


@dataclass(frozen=True)
class Cue:
    role: str  # "organizer" or "participant"
    side: str  # "after", "before", "around" or "with" (roles.tsv)
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Told:
    """One mention of an event: its sentence, its trigger word, the extent of its name, and whether the name
    says with whom it was held ("a meeting with ...", "A met B")."""

    sentence: tuple[int, int]
    trigger: tuple[int, int]
    name: tuple[int, int]
    bilateral: bool


@cache
def cues() -> dict[str, tuple[Cue, ...]]:
    """The role cues of each language (roles.tsv)."""
    out: dict[str, list[Cue]] = {}
    with open(HERE / "roles.tsv", encoding="utf-8") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            out.setdefault(row["lang"], []).append(Cue(row["role"], row["side"], re.compile(row["cue"], re.I)))
    return {lang: tuple(c) for lang, c in out.items()}


def assign_roles(ctx: Context, events: list[dict]) -> None:
    """Set the "organizers" and "attendees" of each event (dicts of the events step, with their "told")."""
    for e in events:
        e["organizers"], e["attendees"] = [], []
        for told in e["told"]:
            _from_name(ctx, e, told)
    for sentence in dict.fromkeys(t.sentence for e in events for t in e["told"]):
        _from_clauses(ctx, events, sentence)
    _from_list_intros(ctx, events)
    _from_following(ctx, events)
    _from_signing(ctx, events)
    main = ctx.main_org()
    for e in events:
        if e["session"] is not None:  # "took part in the work of the Conference": the Conference is the session
            e["attendees"] = [w for w in e["attendees"] if not w.endswith(ILC)]
        if main in e["organizers"]:
            _add(e, "attendees", [main])  # the reporting organisation was at what it organised
        if e["session"] is not None:
            # a session is convened by the organisation whose organ meets ("the ILO's Conference")
            parents = [ctx.entities[o].parent for o in e["organizers"] if o in ctx.entities]
            _add(e, "organizers", [p for p in parents if p and p in ctx.entities])
    posts: dict[str, list[str]] = {}
    for p in ctx.posts:
        posts.setdefault(p.person, []).append(p.organization)
    for e in events:
        # a person who took part in an event represented the organisation whose post the text gives
        _add(e, "attendees", [o for w in list(e["attendees"]) for o in posts.get(w, [])])
    changed = True
    while changed:  # whoever took part in a part of an event took part in the event ("on the margins of")
        changed = False
        for e in events:
            outer = e.get("super")
            # not a body at its own sitting (a committee of the Conference is not a delegation to it)
            guests = [w for w in e["attendees"] if w not in e["organizers"] or not _is_body(ctx, w)]
            if outer is not None and any(w not in outer["attendees"] for w in guests):
                _add(outer, "attendees", guests)
                changed = True


def _is_body(ctx: Context, iri: str) -> bool:
    """Whether the organisation is a unit of another (a committee, a group, a department)."""
    entity = ctx.entities.get(iri)
    return entity is not None and entity.parent is not None


def _add(e: dict, role: str, who: list[str]) -> None:
    e[role] += [w for w in who if w not in e[role]]


def _from_name(ctx: Context, e: dict, told: Told) -> None:
    """Organisations in the event's name organised it ("ILO seminar", "Congress of the ITUC, the ILO and the
    FNPR"); in a name that says with whom ("Meeting of A with B", "talks between A and B") they took part."""
    a, b = _name_reach(ctx, told)
    inside = [m for m in ctx.named(*told.sentence) if a <= m.start < b or m.start < a < m.end]
    inside += _coordinated(ctx, inside, told.sentence[1])
    orgs = [m.entity for m in inside if ctx.entities[m.entity].kind == ORG]
    people = [m.entity for m in inside if ctx.entities[m.entity].kind == PERSON]
    if told.bilateral or e["kind"] in ("Visit", "Negotiation"):
        _add(e, "attendees", orgs + people)
        return
    _add(e, "organizers", orgs)
    # a body's own meeting, session or congress ("a meeting of the Council"): its members meet there
    _add(e, "attendees", people + (orgs if e["kind"] in _GATHERINGS else []))


def _name_reach(ctx: Context, told: Told) -> tuple[int, int]:
    """The event's whole noun phrase: its name, the words before it back to an article, a preposition or a
    verb ("ILO high-level sub-regional conference", "ХЕҰ-ның семинары"), and an "of"/"by" phrase after it up
    to the organisation it names ("Congress of trade unions of the Confederation of ...")."""
    a, b = told.name
    toks = ctx.tokens_in(*told.sentence)
    stop = words()["name_stop"]
    k = next((i for i, t in enumerate(toks) if t.start >= a), len(toks))
    steps = 0
    while k > 0 and steps < 6:
        prev = toks[k - 1]
        gap = ctx.text[prev.end : toks[k].start] if k < len(toks) else " "
        if gap.strip(" -/–—'’") or prev.text.lower() in stop or prev.text[:1].isdigit():
            break
        a, k, steps = prev.start, k - 1, steps + 1
    end = told.sentence[1]
    follows = [x for x in ctx.named(b, end) if ctx.entities[x.entity].kind == ORG][:1]
    if follows and _OF_PHRASE.fullmatch(ctx.text[b : follows[0].start]):
        b = follows[0].end
    return a, b


def _coordinated(ctx: Context, named: list[Mention], end: int) -> list[Mention]:
    """Names joined to the last of these by commas or "and" ("of the ITUC, the ILO, the FNPR on ..."); a list
    joined by commas alone must end where the phrase does (not "..., the ITUC held")."""
    if not named:
        return []
    out: list[Mention] = []
    at = named[-1].end
    for m in ctx.named(at, end):
        if not re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*и|және)?\s*(?:the\s+)?", ctx.text[at : m.start], re.I):
            break
        out.append(m)
        at = m.end
    joined_by_and = re.search(r"\band\b|\sи\s|және", ctx.text[named[-1].end : at], re.I)
    if out and not joined_by_and and not _PHRASE_GOES_ON.match(ctx.text[at:end]):
        return []
    return out


def _from_clauses(ctx: Context, events: list[dict], sentence: tuple[int, int]) -> None:
    """Roles that the cues of a sentence give to the event each cue speaks of."""
    a, b = sentence
    here = [(t, e) for e in events for t in e["told"] if t.sentence == sentence]
    text = ctx.text
    found = sorted(
        ((m.start(), m.end(), cue) for cue in cues().get(ctx.lang, ()) for m in cue.pattern.finditer(text, a, b)),
        key=lambda x: x[0],
    )
    found = [f for k, f in enumerate(found) if not any(o[0] <= f[0] < o[1] for o in found[:k])]  # overlaps
    bounds = [m.start() for m in _BOUNDARY.finditer(text, a, b)]
    names_of_others = [t.name for t, _ in here] + framing(ctx, a, b)  # names of other events
    cued: set[int] = set()
    def clause_start(k: int) -> int:
        start = found[k][0]
        return max([a, *(x[1] for x in found[:k]), *(x + 1 for x in bounds if x < start)])

    def joined(k: int) -> bool:
        """Whether cue k is a partner phrase that a verb cue of its clause follows ("X, together with Y, held")."""
        nxt = found[k + 1] if k + 1 < len(found) else None
        return (
            found[k][2].side == "with" and nxt is not None and nxt[2].side in ("before", "around")
            and not any(found[k][1] <= x < nxt[0] for x in bounds)
        )

    for k, (start, end, cue) in enumerate(found):
        if joined(k):
            continue  # the verb after it says what both sides did
        prev_end = clause_start(k - 1) if k > 0 and joined(k - 1) else clause_start(k)
        next_start = min([b, *(x[0] for x in found[k + 1 :]), *(x for x in bounds if x >= end)])
        after = ctx.named(end, next_start)
        before = [m for m in ctx.named(prev_end, start) if not _framed(ctx, m, prev_end)]
        side = "after" if cue.side == "with" else cue.side if cue.side != "around" else ("after" if after else "before")
        who = after if side == "after" else before
        target = _nearest(here, start, end, side)
        if target is None or not who:
            continue
        told, e = target
        if told.bilateral:
            who = before + after  # "A held talks with B", "A провёл переговоры с B": both sides took part
        who = [m for m in who if not any(n[0] <= m.start < n[1] for n in names_of_others if n != told.name)]
        cued.add(id(e))
        if cue.role == "participant" or told.bilateral:
            _add(e, "attendees", [m.entity for m in who])
            continue
        orgs = [m.entity for m in who if ctx.entities[m.entity].kind == ORG]
        _add(e, "organizers", orgs or [m.entity for m in who])
    alone = len({id(e) for _, e in here}) == 1
    for told, e in here:
        if id(e) in cued or not (alone or told.bilateral):
            continue
        # the one event of a sentence without cues, or a meeting that says with whom ("A met B", "talks with
        # B"): the people and organisations the sentence names took part in it
        others = [n for n in names_of_others if n != told.name]
        named = [m for m in ctx.named(a, b) if not any(n[0] <= m.start < n[1] for n in others)]
        _add(e, "attendees", [m.entity for m in named if m.entity not in e["organizers"]])


def _framed(ctx: Context, m: Mention, a: int) -> bool:
    """Whether an English name before a verb stands in a phrase of time or place ("at the Congress, X ...")."""
    if ctx.lang != "en":
        return False
    before = re.findall(r"[\w']+", ctx.text[a : m.start].lower())[-3:]
    return bool(set(before) & _EN_FRAME_PREPOSITIONS) and not {"of", "from"} & set(before[-2:])


def _nearest(here: list[tuple[Told, dict]], start: int, end: int, side: str) -> tuple[Told, dict] | None:
    """The event a cue speaks of: the nearest reported before an "after" cue ("a seminar organised by"), the
    nearest reported after a "before" cue ("X held a seminar"), else the nearest on the other side."""
    if not here:
        return None
    earlier = sorted((x for x in here if x[0].trigger[1] <= start), key=lambda x: -x[0].trigger[0])
    later = sorted((x for x in here if x[0].trigger[0] >= end), key=lambda x: x[0].trigger[0])
    first, second = (earlier, later) if side == "after" else (later, earlier)
    if first or second:
        return (first or second)[0]
    return None


def _from_list_intros(ctx: Context, events: list[dict]) -> None:
    """ "X took part in the following events:" and a list: X took part in every event of the list."""
    first_told = {e["told"][0].sentence: e for e in events}
    sentences = ctx.sentences
    for k, (a, b) in enumerate(sentences):
        if not ctx.text[a:b].rstrip().endswith(":"):
            continue
        takers = []
        for cue in cues().get(ctx.lang, ()):
            if cue.role != "participant" or cue.side == "after":
                continue
            m = cue.pattern.search(ctx.text, a, b)
            if m:
                takers += [x.entity for x in ctx.named(a, m.start()) if ctx.entities[x.entity].kind == ORG]
        if not takers:
            continue
        for a2, b2 in sentences[k + 1 :]:
            if not _ITEM.search(ctx.text[a2:b2]):
                break
            if (a2, b2) in first_told:
                _add(first_told[(a2, b2)], "attendees", takers)


def _from_following(ctx: Context, events: list[dict]) -> None:
    """Sentences that report no event of their own speak of the event reported last: who speaks there
    ("X said", "X greeted the participants") took part, and so did the organisations named before the verb
    (those they speak for); so did whom a participation cue names ("Taking part were X; Y", "X and Y were
    among the participants", "Among those attending were X"); whom a passive agent names organised it ("The
    event was organised by X")."""
    told_at = sorted((t.sentence[0], id(e), e) for e in events for t in e["told"])
    told_sentences = {t.sentence for e in events for t in e["told"]}
    taking_part = [c for c in cues().get(ctx.lang, ()) if c.role == "participant"]
    agents = [c for c in cues().get(ctx.lang, ()) if c.role == "organizer" and c.side == "after"]
    for a, b in ctx.sentences:
        current = [e for start, _, e in told_at if start < a]
        if (a, b) in told_sentences or not current:
            continue
        who: list[Mention] = []
        verb = _speech_verb(ctx, a, b)
        if verb is not None and any(ctx.entities[m.entity].kind == PERSON for m in ctx.named(a, verb)):
            who += ctx.named(a, verb) + [m for m in ctx.named(verb, b) if ctx.entities[m.entity].kind == PERSON]
        for cue in taking_part:
            m = cue.pattern.search(ctx.text, a, b)
            if m is None:
                continue
            before, after = ctx.named(a, m.start()), ctx.named(m.end(), b)
            # "Taking part were X": a cue that opens its sentence names those after it
            who += after if cue.side == "after" or not before else before
        _add(current[-1], "attendees", [m.entity for m in who])
        for cue in agents:  # "The event was organised by X together with Y", "It was held with the support of X"
            m = cue.pattern.search(ctx.text, a, b)
            if m is not None:
                stop = min([b, *(x.start() for x in _BOUNDARY.finditer(ctx.text, m.end(), b))])
                _add(current[-1], "organizers", [x.entity for x in ctx.named(m.end(), stop)
                                                 if ctx.entities[x.entity].kind == ORG])


def _from_signing(ctx: Context, events: list[dict]) -> None:
    """An event at which a memorandum was signed (a ceremony "saw the signing of" it; "it was signed during the
    events marking ..."; a joint meeting, then "the agreement was signed by ...") had the memorandum's parties,
    and the people who signed for them, among its participants."""
    sentences = ctx.sentences
    signing = {k for k, (a, b) in enumerate(sentences) if _SIGNED.search(ctx.text, a, b)}
    index = {s: k for k, s in enumerate(sentences)}
    for memo in ctx.memoranda:
        k = next((k for k, (a, b) in enumerate(sentences) if a <= memo.span[0] < b), None)
        if k is None:
            continue
        run = {k}  # the sentences that tell this signing: the memorandum's and the signing ones next to it
        for step in (-1, 1):
            j = k + step
            while j in signing:
                run.add(j)
                j += step
        told = [(e, {index[t.sentence] for t in e["told"] if t.sentence in index}) for e in events]
        at = [e for e, ks in told if ks & run] or [e for e, ks in told if min(run) - 1 in ks]
        named = [m for j in sorted(run) for m in ctx.named(*sentences[j])]
        signers = [m.entity for m in named if ctx.entities[m.entity].kind == PERSON]
        for e in at:
            _add(e, "attendees", [*memo.parties, *signers])


def _speech_verb(ctx: Context, a: int, b: int) -> int | None:
    """Where the verb of speaking of a sentence stands, if it has one."""
    if ctx.lang == "en":
        speech = EN_SPEECH
        found = (t for t in ctx.tokens_in(a, b) if t.text.lower() in speech)
    elif ctx.lang == "ru":
        speech = words()["ru_speech"]
        found = (t for t in ctx.tokens_in(a, b) if ru_lemma(t.text) in speech)
    else:
        stems = tuple(words()["kk_speech"])
        found = (t for t in ctx.tokens_in(a, b) if t.text.lower().startswith(stems))
    t = next(found, None)
    return t.start if t else None
