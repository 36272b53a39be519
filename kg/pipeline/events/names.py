"""What an event is called: the phrase around its trigger (modifiers before it, an "of the ..." chain or a
genitive chain after it), a quoted title that follows, and descriptions built from who took part
("Meeting of A with B") the way a reader would name it."""

from __future__ import annotations

import re
from functools import cache

from kg.pipeline.context import Context
from kg.pipeline.coreference import names_a_group
from kg.pipeline.dates import MONTHS
from kg.pipeline.events.triggers import trigger, words
from kg.pipeline.model import ORG, PERSON, Token
from kg.pipeline.tokens import english_name, parse, tokenize

_ORDINAL = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)?|[IVXLC]+|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth|eleventh|twelfth)$",
    re.I,
)
_EN_ADJ = re.compile(r"(?:al|ic|ary|ive|ed|ing|ous|ful|ern|ite|ial|ual|ar|level|regional|lateral)$")
_QUOTE = re.compile(r"[\"“«]([^\"”»\n]{4,160})[\"”»]")
_QUOTE_REACH = 110  # characters between an event noun and its quoted title
# a word for the topic, then (after a few words of its clause: "тему, крайне важную для ... —") the quoted title
_TOPIC = re.compile(r"\b(?:topic|theme|title|тем[аеуыой]|тақырыб\w*)\b[^\"“«.!?;\n]{0,60}?(?=[\"“«])", re.I)
TRIGGER_WORDS = re.compile(r"\b(?:conference|congress|seminar|forum|meeting|session|training)\b", re.I)
_KIND_WORD = {"Negotiation": "Talks"}
# Kazakh endings of words that modify a noun: genitive, adjectival (-лық, -дағы, -ғы) and ordinal
_KK_MODIFIER_ENDINGS = (
    "ның", "нің", "дың", "дің", "тың", "тің", "лық", "лік", "дық", "дік", "тық", "тік", "ғы", "гі", "қы", "кі",
    "дағы", "дегі", "тағы", "тегі", "ншы", "нші", "ыншы", "інші", "ары", "ері",
)
_RU_FUNCTION_WORDS = frozenset({"PREP", "CONJ", "PRCL"})
_RU_KIND_WORD = {"Meeting": "встреча", "Visit": "визит", "Negotiation": "переговоры"}


def extent(ctx: Context, toks: list[Token], i: int) -> tuple[int, int]:
    """Indices of the first and last token of the event's name around the trigger toks[i]."""
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
    return start_i, end_i


#: where a sentence goes on after the occasion: its verb, or a phrase of place or time
_PREDICATE = re.compile(
    r"\s+(?:took|takes|take|was|were|is|are|will|has|have|had|held|opened|began|in|at|on|from|"
    r"прош\w*|состоял\w*|состоится|пройд\w*|открыл\w*|в|во|на|с)\b",
    re.I,
)


@cache
def _dedication() -> re.Pattern[str]:
    phrases = sorted(words()["dedications"], key=len, reverse=True)
    return re.compile(r"\s*,?\s*(?:" + "|".join(map(re.escape, phrases)) + r")\s+[^,;:.()\n]{3,100}", re.I)


def dedicated(ctx: Context, phrase: str, end: int, b: int) -> str | None:
    """The event's name with the occasion it marks, when a dedication follows it ("celebrations marking the
    100th anniversary of the ILO", "торжественные мероприятия, посвящённые 25-летию Федерации")."""
    m = _dedication().match(ctx.text, end, b)
    if m is None:
        return None
    occasion = _PREDICATE.split(ctx.text[end : m.end()], 1)[0]  # not "... took place in Astana"
    return f"{phrase} {occasion.strip(' ,')}"


def quoted_title(ctx: Context, toks: list[Token], i: int, a: int, b: int) -> str | None:
    """The quoted title of the event noun toks[i] in its sentence a..b: after the noun ("the forum “Title”"),
    in Kazakh before it ("«Title» тақырыбына арналған конференция"), or after a word for the topic in the
    same or the next sentence of the paragraph ("обсудить тему «Title»")."""
    t = toks[i]
    if ctx.lang == "kk":
        before = ctx.text[max(a, t.start - _QUOTE_REACH) : t.start]
        found = list(_QUOTE.finditer(before))
        q = found[-1] if found else None
        lo = t.start - len(before)
        if q and "," not in before[q.end() :]:
            later = [k for k in range(i) if toks[k].start >= lo + q.end()]
            if not any(trigger(ctx, toks, k) for k in later):  # no other event noun in between
                return _title(ctx, lo, q)
        return _topic(ctx, t.end, b)
    after = ctx.text[t.end : min(b, t.end + 200)]
    q = _QUOTE.search(after)
    if q and (q.start() >= _QUOTE_REACH or TRIGGER_WORDS.search(after[: q.start()])):
        return _topic(ctx, t.end, b)  # too far, or the title of another event named in between
    return _title(ctx, t.end, q) if q else _topic(ctx, t.end, b)


def _title(ctx: Context, at: int, q: re.Match[str]) -> str | None:
    """The title a quotation (matched in the text from at) gives, unless it quotes an organisation's name."""
    if ctx.in_span(at + q.start(1) - 1, at + q.end(1) + 1, ORG):
        return None  # the quoted name of an organisation ("the trade union «Aqyl»"), not a title
    return q.group(1).strip()


def _topic(ctx: Context, at: int, b: int) -> str | None:
    """A quoted title introduced by a word for the topic, later in the sentence or in the next one of the
    paragraph: "... to discuss the topic “Title”", "на тему «Title»"."""
    nxt = next(((a2, b2) for a2, b2 in ctx.sentences if a2 >= b), None)
    if nxt and "\n" not in ctx.text[b : nxt[0]]:
        b = nxt[1]
    m = _TOPIC.search(ctx.text, at, b)
    q = _QUOTE.match(ctx.text[m.end() : b]) if m else None
    return _title(ctx, m.end(), q) if m and q else None


def content_words(ctx: Context, phrase: str) -> frozenset[str]:
    stop = words()["name_stop"]
    return frozenset(t.key for t in tokenize(phrase, ctx.lang) if t.key not in stop)


def _modifier(ctx: Context, t: Token) -> bool:
    """A word that can stand before an event noun: a name, an ordinal or an adjective."""
    w = t.text
    low = w.lower()
    if _ORDINAL.match(w):
        return True
    if ctx.lang == "en":
        if low in words()["name_stop"] or low in MONTHS or w[:1].isdigit():
            return False
        if low in words()["en_gerunds"]:
            return False  # "holding negotiations": a verb and its object
        return w[:1].isupper() or bool(_EN_ADJ.search(low)) or low in words()["en_modifiers"]
    if ctx.lang == "ru":
        # "рабочий визит": an adjective that pymorphy3 also reads as a noun ("рабочий", a worker)
        return any(p.tag.POS in ("ADJF", "PRTF", "NUMR") for p in parse(w)[:2]) or (w.isupper() and len(w) > 1)
    # Kazakh puts the whole phrase before its head: names, genitives, adjectives and ordinals by their endings,
    # and the words that tell one occurrence apart ("көшпелі отырыс")
    return (
        w[:1].isupper()
        or w[:1].isdigit()
        or low.endswith(_KK_MODIFIER_ENDINGS)
        or low.startswith(tuple(words()["kk_particular"]))
    )


def _noun_modifier(ctx: Context, toks: list[Token], k: int) -> bool:
    """A lower-case noun between an article and the event noun: "a solidarity meeting", "the coordination
    meeting" (English only)."""
    w = toks[k].text
    lists = words()
    return (
        ctx.lang == "en"
        and k > 0
        and toks[k - 1].text.lower() in ("a", "an", "the")
        and w.isalpha()
        and w.islower()
        and w not in lists["name_stop"]
        and w not in lists["quantifiers"]
        and w not in lists["demonstratives"]
        and w not in MONTHS
    )


def _genitive(word: str) -> bool:
    if not re.search(r"[а-яё]", word, re.I):
        return word[:1].isupper()
    parses = parse(word)[:2]
    if parses[0].tag.POS in _RU_FUNCTION_WORDS:
        return False  # "визит в Бишкек": a preposition, not the abbreviation pymorphy3 also reads in "в"
    return any(p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF", "PRTF") for p in parses)


def described(ctx: Context, kind: str, local: str, a: int, b: int, bare_verb: bool) -> list[str]:
    """English descriptions built from who took part: "Meeting of A with B", "Talks between A and B"; a bare
    verb trigger ("met") is named by its kind."""
    who = list(dict.fromkeys(m.entity for m in ctx.named(a, b)))
    if not who:
        return []
    names = list(
        dict.fromkeys(
            short_label(ctx, w, long=False, lang="en") if ctx.entities[w].kind == ORG else english_name(ctx.entities[w])
            for w in who[:5]
        )
    )
    head = local if ctx.lang == "en" and not bare_verb else _KIND_WORD.get(kind, kind)
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


def _as_written(ctx: Context, kind: str, head: str, a: int, b: int, who: list[str]) -> list[str]:
    """Descriptions with the participants as the text writes them ("Talks of B. Abdirayym with Guy Rayderem",
    "встреча Гражданского альянса Казахстана и Федерации профсоюзов"): how a reader would name the event."""
    surface: dict[str, str] = {}
    for m in ctx.in_span(a, b):
        if not names_a_group(ctx, m):  # "the delegation" is written for someone the text names elsewhere
            surface.setdefault(m.entity, ctx.text[m.start : m.end])
    who = [w for w in who if w in surface]
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


def nominative_head(phrase: str) -> str:
    """A Russian name with its first word (the head noun) in the nominative: "Годом охраны труда" -> "Год охраны
    труда" (the words after it are a genitive chain and stay as written)."""
    head, _, rest = phrase.partition(" ")
    parsed = parse(head)[0].inflect({"nomn", "sing"}) if head else None
    word = parsed.word if parsed else head
    return f"{word[:1].upper() + word[1:] if head[:1].isupper() else word} {rest}".strip()


def short_label(ctx: Context, iri: str, long: bool, lang: str | None = None) -> str:
    """An organisation's acronym (or its name when long, or without one), in lang (default the document's)."""
    labels = ctx.entities[iri].labels
    pref = [lab.text for lab in labels if lab.lang == (lang or ctx.lang)] or [labels[0].text]
    if long:
        return pref[0]
    acr = [lab.text for lab in labels if lab.text.isupper() and len(lab.text) <= 8]
    return acr[0] if acr else pref[0]
