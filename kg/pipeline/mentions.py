"""Step: find mentions of organisations, people, places and instruments.

Two sources: the gazetteer (every label and alias of the reference files, matched on normalised
tokens) and patterns for names the gazetteer does not know: organisation names built around a head
noun ("Confederation of Trade Unions of <Country>", "Федерация независимых профсоюзов ..."), person
names next to a post or a speech verb, and regions ("Zhambyl region", "Костанайской области").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.namespaces import slug
from kg.pipeline.events.triggers import event_nouns
from kg.pipeline.gazetteer import Gazetteer, part_of_the_world
from kg.pipeline.lexicon import (
    EN_ORG_HEADS,
    EN_POSTS,
    EN_SPEECH,
    KK_ORG_HEADS,
    KK_POSTS,
    RU_ORG_HEADS,
    RU_POSTS,
)
from kg.pipeline.model import ORG, PERSON, PLACE, Token
from kg.pipeline.tokens import fold, kk_stem, parse

_CONNECT = {"of", "for", "on", "and", "the", "in", "under", "de", "to"}
_NAME_STOP = {
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "of",
    "and",
    "for",
    "with",
    "by",
    "from",
    "to",
    "as",
    "this",
    "that",
    "these",
    "his",
    "her",
    "its",
    "their",
    "our",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "also",
    "after",
    "during",
    "today",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "trade",
    "unions",
    "union",
    "labour",
    "labor",
    "workers",
    "work",
    "decent",
    "national",
    "international",
    "republic",
    "general",
    "secretary",
    "world",
    "global",
    "european",
    "youth",
    "women",
    "day",
    "year",
    "new",
    "first",
    "second",
    "third",
    "deputy",
    "vice",
    "head",
    "chief",
    "executive",
    "regional",
    "state",
    "public",
    "social",
    "human",
    "rights",
    "session",
    "conference",
    "congress",
    "forum",
    "meeting",
    "seminar",
    "training",
    "programme",
    "program",
    "agreement",
    "memorandum",
    "convention",
    "protocol",
    "declaration",
    "law",
    "code",
    "article",
    "committee",
    "council",
    "federation",
    "confederation",
    "ministry",
    "department",
    "office",
    "bureau",
    "centre",
    "center",
    "kazakh",
    "kazakhstan",
    "russian",
    "online",
    "according",
    "however",
    "moreover",
    "then",
    "there",
    "here",
    "next",
    "last",
    "all",
    "both",
    "each",
    "every",
    "some",
    "many",
    "such",
    "other",
    "one",
    "two",
    "three",
    "photo",
    "read",
    "more",
    "mr",
    "mrs",
    "ms",
    "dr",
    "director",
    "chairman",
    "president",
    "expert",
    "minister",
    "meanwhile",
    "besides",
    "staff",
    "city",
    "asia",
    "europe",
    "africa",
    "america",
    "eastern",
    "western",
    "northern",
    "southern",
    "central",
    "speaking",
    "addressing",
    "welcoming",
    "summing",
    "opening",
    "closing",
    "following",
    "within",
    "under",
}


@dataclass
class Candidate:
    """A span that names an entity: known (iris from the gazetteer) or new (a name and a class)."""

    start: int
    end: int
    kind: str
    iris: list[str] = field(default_factory=list)
    name: str = ""  # label of a new entity (nominative for Russian)
    lang: str = "en"
    cls: str = ""  # lkg class name for new organisations / places
    country: str | None = None
    parent: str | None = None
    short: str = ""  # the name without "of the <parent>" ("Committee for Youth and Family Affairs")


def gazetteer_mentions(tokens: list[Token], lang: str, gaz: Gazetteer) -> list[Candidate]:
    """Longest, left-to-right matches of reference labels ("the" is ignored on both sides, so "Federation of
    the Trade Unions of the Republic ..." matches too)."""
    tokens = [t for t in tokens if t.key != "the"]
    keys = [t.key for t in tokens]
    surfaces = [t.text for t in tokens]
    out: list[Candidate] = []
    i = 0
    while i < len(tokens):
        n, iris = gaz.lookup(keys, surfaces, i, lang)
        if n:
            kind = gaz.entries[iris[0]].kind
            iris = [x for x in iris if gaz.entries[x].kind == kind]
            out.append(Candidate(tokens[i].start, tokens[i + n - 1].end, kind, iris))
            i += n
        else:
            i += 1
    return out


def _joined(text: str, a: Token, b: Token) -> bool:
    """Tokens a and b are adjacent words of one name (only spaces, a hyphen or an apostrophe between)."""
    gap = text[a.end : b.start]
    return gap in (" ", "-", "'", "’", "' ", "’ ", "'s ", "’s ", " - ", "- ") or (
        gap.strip() == "" and "\n" not in gap and len(gap) <= 2
    )


def _cap(t: Token) -> bool:
    return t.text[:1].isupper() or t.text[:1].isdigit()


def english_org_mentions(text: str, tokens: list[Token], known: list[Candidate], country_of: dict) -> list[Candidate]:
    """Capitalised names built around an organisation head noun, e.g. "Georgian Trade Union Confederation"."""
    covered = _covering(known)
    out: list[Candidate] = []
    runs = _cap_runs(text, tokens)
    for run in runs:
        for piece in _split_run(run, tokens, covered):
            cand = _english_org(text, tokens, piece, covered, country_of)
            if cand:
                out.append(cand)
    return out


_ENUMERATED = re.compile(
    r"[A-Z][\w-]*(?: [A-Z][\w-]*)*(?:, [A-Z][\w-]*(?: [A-Z][\w-]*)*)*,? and "
    r"[A-Z][\w-]*(?: [A-Z][\w-]*)*(?: of [A-Z]|\b)"
)
_LOWER_HEADS = {
    "centre",
    "center",
    "management",
    "organization",
    "organisation",
    "department",
    "committee",
    "society",
    "fund",
    "branch",
    "association",
    "ministry",
    "akimat",
    "administration",
    "chamber",
}
_TAIL_STOP = {
    "is",
    "was",
    "were",
    "are",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "signed",
    "held",
    "on",
    "in",
    "at",
    "with",
    "by",
    "to",
    "from",
    "as",
    "that",
    "which",
    "who",
    "a",
    "an",
    "this",
    "its",
    "their",
    "his",
    "her",
    "said",
    "also",
    "within",
    "between",
    "under",
    "about",
    "after",
    "before",
    "during",
}


def lowercase_org_mentions(text: str, tokens: list[Token], taken: list[Candidate], country_of: dict) -> list[Candidate]:
    """Names that translations write half in lower case: "Management of education of Karaganda region",
    "trade Union centre of Karaganda region", "National Centre for public health"."""
    blocked = [(c.start, c.end) for c in taken if c.kind == ORG]
    out: list[Candidate] = []
    for h, t in enumerate(tokens):
        if t.key not in _LOWER_HEADS or any(a <= t.start < b for a, b in blocked):
            continue
        s = h
        while (
            s > 0
            and h - s < 3
            and _joined(text, tokens[s - 1], tokens[s])
            and tokens[s - 1].text.lower()
            not in _NAME_STOP
            - {"trade", "national", "regional", "republican", "public", "state", "international", "union", "unions"}
            | _TAIL_STOP
        ):
            s -= 1
        if not tokens[s].text[:1].isupper() and tokens[s].text.lower() != "trade":
            continue
        e = h
        k = h + 1
        while (
            k + 1 < len(tokens) and tokens[k].text.lower() in ("of", "for") and _joined(text, tokens[k - 1], tokens[k])
        ):
            j = k + 1
            if tokens[j].text.lower() == "the":
                j += 1
            m = j
            while (
                m < len(tokens)
                and m - j < 5
                and _joined(text, tokens[m - 1], tokens[m])
                and tokens[m].text.lower() not in _TAIL_STOP | {"of", "for"}
                and (tokens[m].text.lower() != "and" or m + 1 < len(tokens) and tokens[m + 1].text.lower() != "the")
            ):
                m += 1
            if m == j:
                break
            e, k = m - 1, m
        if e == h or tokens[e].text.lower() == "and":
            continue
        start, end = tokens[s].start, tokens[e].end
        if any(a < end and start < b and not (start <= a and b <= end) for a, b in blocked):
            continue
        inner = [c for c in taken if start <= c.start and c.end <= end]
        country = next((country_of.get(c.iris[0]) for c in inner if c.kind == PLACE and c.iris), None)
        parent = next((c.iris[0] for c in inner if c.kind == ORG and c.iris), None)
        name = text[start:end]
        name = name[:1].upper() + name[1:]
        cls = EN_ORG_HEADS.get(t.key, "OtherOrganization")
        out.append(Candidate(start, end, ORG, name=name, lang="en", cls=cls, country=country, parent=parent))
        blocked.append((start, end))
    return out


def _cap_runs(text: str, tokens: list[Token]) -> list[list[int]]:
    runs, cur = [], []
    for i, t in enumerate(tokens):
        low = t.text.lower()
        ok = _cap(t) or (low in _CONNECT and cur) or (low == "s" and cur and text[t.start - 1] in "'’")
        if (
            ok
            and cur
            and text[tokens[cur[-1]].end : t.start] == ", "
            and len(cur) >= 2
            and "of" in [tokens[x].text.lower() for x in cur[-4:-1]]
            and (_ENUMERATED.match(text, t.start) or re.match(r"and [A-Z]", text[t.start : t.start + 6]))
        ):
            cur.append(i)  # "Union of Workers of Transport, Roads and Communications of X"
            continue
        if ok and cur and not _joined(text, tokens[cur[-1]], t):
            runs.append(cur)
            cur = []
            ok = _cap(t)
        if ok:
            cur.append(i)
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    out = []
    for run in runs:
        while run and tokens[run[-1]].text.lower() in _CONNECT:
            run = run[:-1]
        if run:
            out.append(run)
    return out


def _covering(known: list[Candidate]) -> dict[int, Candidate]:
    return {c.start: c for c in known}


def _split_run(run: list[int], tokens: list[Token], covered: dict[int, Candidate]) -> list[list[int]]:
    """Cut a capitalised run where one name ends and another begins ("X and the Y", "<ORG> <Person>")."""
    pieces, cur = [], []
    ends = {c.end: c for c in covered.values()}
    for pos, i in enumerate(run):
        t = tokens[i]
        low = t.text.lower()
        nxt = tokens[run[pos + 1]] if pos + 1 < len(run) else None
        if low == "and" and nxt is not None and (nxt.text.lower() == "the" or nxt.key in EN_ORG_HEADS):
            pieces.append(cur)
            cur = []
            continue
        cur.append(i)
        unit_follows = ends.get(t.end) is not None and ends[t.end].kind == ORG and _ends_in_unit(run[pos + 1 :], tokens)
        if (
            t.end in ends
            and nxt is not None
            and nxt.text.lower() not in _CONNECT
            and ends[t.end].kind in (ORG, PLACE)
            and not unit_follows  # "PERC Youth Committee", "ETUC Executive Committee": a unit of the organisation
        ):
            pieces.append(cur)
            cur = []
    if cur:
        pieces.append(cur)
    return [p for p in pieces if p]


_TAIL = ("of", "for", "on", "under", "in")  # words that carry a name on after its head
_UNIT_HEADS = {"committee", "council", "commission", "secretariat", "board", "department"}


def _ends_in_unit(rest: list[int], tokens: list[Token]) -> bool:
    """The run goes on with one to three capitalised words ending in a unit noun ("Youth Committee")."""
    words: list[str] = []
    stop = ""
    for i in rest:
        if not tokens[i].text[:1].isupper() or len(words) == 3:
            stop = tokens[i].text.lower()
            break
        words.append(tokens[i].text.lower())
    # not "FPRK Commission on Working Women": a unit whose own name goes on after the unit noun
    return bool(words) and words[-1] in _UNIT_HEADS and stop not in _TAIL


_LEAD_STOP = _NAME_STOP - {
    "central",
    "eastern",
    "western",
    "northern",
    "southern",
    "city",
    "asia",
    "europe",
    "national",
    "international",
    "european",
    "world",
    "global",
    "regional",
    "state",
    "public",
    "republic",
    "social",
    "youth",
    "women",
    "trade",
    "general",
    "kazakhstan",
    "kazakh",
    "russian",
    "union",
    "unions",
    "federation",
    "confederation",
    "council",
    "committee",
    "ministry",
    "department",
    "office",
    "bureau",
    "centre",
    "center",
    "labour",
    "labor",
    "workers",
    "new",
}
_GENERIC = {
    "trade",
    "national",
    "international",
    "public",
    "professional",
    "global",
    "general",
    "city",
    "central",
    "regional",
    "republican",
    "state",
    "european",
    "world",
    "youth",
    "women",
    "labour",
    "labor",
    "workers",
    "social",
    "new",
    "main",
    "joint",
    "local",
    "district",
    "executive",
    "steering",
    "legal",
    "the",
    "s",
    "independent",
    "sectoral",
    "branch",
    "industry",
    "free",
    "democratic",
    "territorial",
    "primary",
    "media",
}


def _english_org(text, tokens, piece, covered, country_of) -> Candidate | None:
    """Modifiers + head noun (+ further heads) + "of/for/on ..." chains, e.g. "Lebap Trade Union Association
    of Turkmenistan", "ILO Department of Multinational Enterprises"."""
    toks = [tokens[i] for i in piece]
    low = [t.text.lower() for t in toks]
    heads = [k for k, t in enumerate(toks) if t.key in EN_ORG_HEADS and t.text[:1].isupper()]
    if not heads:
        return None
    h = heads[0]
    s = h
    while (
        s > 0
        and low[s - 1] not in _CONNECT
        and (_cap(toks[s - 1]) or low[s - 1] == "s" and s > 1)
        and not toks[s - 1].text[:1].isdigit()
    ):
        s -= 1
    while s < h and (low[s] in _LEAD_STOP or toks[s].key in EN_POSTS):
        s += 1
    e = h
    k = h + 1
    while k < len(toks) and low[k] not in _CONNECT:
        if toks[k].key in EN_ORG_HEADS:
            e = k
        k += 1
    k = e + 1
    while k < len(toks) and low[k] in _TAIL:
        j = k + 1
        if j < len(toks) and low[j] == "the":
            j += 1
        m = j
        while m < len(toks) and (
            low[m] not in _CONNECT or (low[m] == "and" and m + 1 < len(toks) and low[m + 1] not in _CONNECT)
        ):
            m += 1
        if m == j:
            break
        e, k = m - 1, m
    if e == s and toks[s].key not in EN_ORG_HEADS:
        return None
    if toks[e].text.lower() in event_nouns("en") or (e == h and s == h):
        return None  # "Trade Union Congress" is an event; a bare head noun is no name
    start, end = toks[s].start, toks[e].end
    nxt = re.match(r"\s+(region|oblast|district)\b", text[end : end + 12])
    if nxt and toks[e].text[:1].isupper():
        end += nxt.end()
    quoted = re.match(r"\s*[“\"«]([^”\"»\n]{2,60})[”\"»]", text[end : end + 64])
    if quoted and quoted.group(1)[:1].isupper():
        end += quoted.end()
    elif all(x in _GENERIC or toks[s + n].key in EN_ORG_HEADS for n, x in enumerate(low[s : e + 1])):
        return None  # "Trade Union", "National Centre", "Public Fund": a description, not a name
    inner = [c for c in covered.values() if start <= c.start and c.end <= end]
    if any(c.start <= start and end <= c.end for c in covered.values()):
        return None
    last = [c for c in inner if c.kind == ORG and c.end == end and c.start > toks[h].end]
    if last and not quoted and text[last[0].start - 1] == " " and toks[e].end == end:
        # "Industry Trade Union of ... Industries Qazhimprofsoyuz": the proper name at the end says which one
        prev_word = text[: last[0].start].split()[-1].lower()
        if prev_word not in _CONNECT:
            return Candidate(start, end, ORG, iris=list(last[0].iris))
    if quoted:
        named = [c for c in inner if c.kind == ORG and c.start >= end - quoted.end() + quoted.start(1)]
        if named:  # Youth Council "KELESHEK": the quoted proper name says which organisation
            return Candidate(start, end, ORG, iris=list(named[0].iris))
    orgs_inside = [c for c in inner if c.kind == ORG]
    head_tok = toks[h]
    if any(c.start == start and c.start <= head_tok.start < c.end for c in orgs_inside):
        return None  # the head belongs to a known name at the start: nothing new
    parent = next((c.iris[0] for c in orgs_inside if not c.start <= head_tok.start < c.end), None)
    country = next((country_of.get(c.iris[0]) for c in inner if c.kind == PLACE), None)
    name = text[start:end]
    cls = EN_ORG_HEADS[toks[e].key] if toks[e].key in EN_ORG_HEADS else EN_ORG_HEADS[head_tok.key]
    if re.search(r"\b(federation|confederation)\b", name, re.I) and cls in ("TradeUnion", "UnionBody"):
        cls = "TradeUnionCentre" if not parent else "UnionBody"
    if parent and cls in ("OtherOrganization", "TradeUnionCentre"):
        cls = "UnionBody"
    short = ""
    tail_parent = next((c for c in orgs_inside if c.start > head_tok.start), None)
    if tail_parent is not None:
        short = re.sub(r"\s+(?:of|for|under)(?:\s+the)?\s*$", "", text[start : tail_parent.start]).strip()
    return Candidate(
        start,
        end,
        ORG,
        name=name,
        lang="en",
        cls=cls,
        country=country,
        parent=parent,
        short=short if short != name else "",
    )


def russian_org_mentions(text: str, tokens: list[Token], known: list[Candidate], country_of: dict) -> list[Candidate]:
    """Names such as "Федерации независимых профсоюзов Таджикистана": [Adj]* Head [genitive words]*."""
    out: list[Candidate] = []
    starts = {c.start: c for c in known}
    i = 0
    while i < len(tokens):
        j = i
        # adjectives before the head, the first one capitalised
        while j < len(tokens) and _is_adj(tokens[j].text) and (j == i or _joined(text, tokens[j - 1], tokens[j])):
            j += 1
        if (
            j < len(tokens)
            and tokens[j].key in RU_ORG_HEADS
            and (j == i or _joined(text, tokens[j - 1], tokens[j]))
            and tokens[i].text[:1].isupper()
            and tokens[i].start not in starts
        ):
            head = j
            k = j + 1
            while (
                k < len(tokens)
                and k - head <= 7
                and _joined_ru(text, tokens[k - 1], tokens[k])
                and (_is_gent(tokens[k].text) or tokens[k].text in ("РК", "МОТ") or _quoted(text, tokens[k]))
            ):
                k += 1
            end_tok = k - 1
            if end_tok > i or (j > i):
                start, end = tokens[i].start, tokens[end_tok].end
                end = _close_quote(text, end)
                inner = [c for c in known if start <= c.start and c.end <= end]
                if not any(c.start == start and c.end >= tokens[end_tok].end for c in inner):
                    parent = next((c.iris[0] for c in inner if c.kind == ORG and c.start > tokens[head].start), None)
                    country = next((country_of.get(c.iris[0]) for c in inner if c.kind == PLACE), None)
                    out.append(
                        Candidate(
                            start,
                            end,
                            ORG,
                            name=to_nominative(text[start:end], head - i),
                            lang="ru",
                            cls=RU_ORG_HEADS[tokens[head].key],
                            country=country,
                            parent=parent,
                        )
                    )
                    i = end_tok + 1
                    continue
        i += 1
    return out


def kazakh_org_mentions(text: str, tokens: list[Token], known: list[Candidate]) -> list[Candidate]:
    """Kazakh names end in a head noun with a possessive ending: "... кәсіподақ филиалы"."""
    out = []
    starts = {c.start for c in known}
    spans = [(c.start, c.end) for c in known]
    for idx, t in enumerate(tokens):
        head = next((h for h in KK_ORG_HEADS if kk_stem(t.text) == kk_stem(h)), None)
        if head is None or any(a <= t.start < b for a, b in spans):
            continue
        i = idx
        while i > 0 and idx - i < 6 and _joined(text, tokens[i - 1], tokens[i]) and tokens[i - 1].start not in starts:
            i -= 1
            if tokens[i].text[:1].isupper():
                break
        if i == idx or not tokens[i].text[:1].isupper():
            continue
        if any(tokens[i].start < b and a < t.end for a, b in spans):
            continue
        name = text[tokens[i].start : tokens[idx].start] + head
        out.append(Candidate(tokens[i].start, t.end, ORG, name=name, lang="kk", cls=KK_ORG_HEADS[head]))
    return out


def _joined_ru(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    return _joined(text, a, b) or gap.strip() in ("«", '"', "“") or gap in (" «", ' "', " “")


def _quoted(text: str, t: Token) -> bool:
    return text[max(0, t.start - 1) : t.start] in ("«", '"', "“")


def _close_quote(text: str, end: int) -> int:
    m = re.match(r"[^»\"”\n]{0,40}[»\"”]", text[end:])
    before = text[max(0, end - 60) : end]
    if m and before.count("«") + before.count("“") + before.count('"') % 2 > before.count("»") + before.count("”"):
        return end + m.end()
    return end


def _is_adj(word: str) -> bool:
    p = parse(word)[0]
    return p.tag.POS in ("ADJF", "PRTF") and word[:1].isalpha()


def _is_gent(word: str) -> bool:
    if not word[:1].isalpha() or len(word) < 3:
        return False
    if not re.search(r"[а-яё]", word, re.I):
        return word[:1].isupper()  # Latin names inside Russian text (AQNIET)
    return any(p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF", "PRTF") for p in parse(word)[:3])


def to_nominative(phrase: str, head_index: int) -> str:
    """Put the adjectives and head noun of a Russian name in the nominative; keep the genitive tail."""
    words = re.findall(r"\S+", phrase)
    out = []
    head_parse = None
    if head_index < len(words):
        head_parse = _best(words[head_index], "NOUN")
    gender = head_parse.tag.gender if head_parse else None
    number = "plur" if head_parse is not None and head_parse.tag.number == "plur" else "sing"
    for n, w in enumerate(words):
        if n > head_index:
            out.append(w)
            continue
        p = head_parse if n == head_index else _best(w, "ADJF")
        target = {"nomn", number} | ({gender} if gender and n < head_index and number == "sing" else set())
        inflected = p.inflect(target) if p is not None else None
        word = inflected.word if inflected else w
        out.append(_match_case(w, word))
    return " ".join(out)


def _best(word: str, pos: str):
    parses = parse(word)
    return next((p for p in parses if pos == p.tag.POS), parses[0] if parses else None)


def _match_case(src: str, word: str) -> str:
    if src.isupper() and len(src) > 1:
        return word.upper()
    if src[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


_UP, _LO = "A-ZÀ-ÖØ-ÞĀ-ŽІ", "a-zß-öø-ÿā-žі"
_EN_NAME = re.compile(
    rf"^(?:[{_UP}][{_LO}]+(?:[-'’][{_UP}]?[{_LO}]+)?|[{_UP}][{_LO}]*[{_UP}][{_LO}]+|[{_UP}]|[{_UP}][{_LO}]?)$"
)
_RU_NAME = re.compile(r"^[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+(?:-[А-ЯЁ][а-яё]+)?$")


def person_mentions(
    text: str, tokens: list[Token], lang: str, taken: list[Candidate], vocabulary: frozenset[str] = frozenset()
) -> list[Candidate]:
    """Two or three capitalised name words next to a post, a speech verb or an honorific, or (English)
    words that are not ordinary words of organisation, place or event names (the vocabulary)."""
    blocked = set()
    for c in taken:
        blocked.update(range(c.start, c.end))
    posts = EN_POSTS if lang == "en" else RU_POSTS if lang == "ru" else KK_POSTS
    name_re = _EN_NAME if lang == "en" else _RU_NAME
    out: list[Candidate] = []
    i = 0
    while i < len(tokens):
        j = i
        while (
            j < len(tokens)
            and j - i < 4
            and tokens[j].start not in blocked
            and (j == i or _joined_name(text, tokens[j - 1], tokens[j]))
        ):
            if _name_word(tokens[j], name_re, lang):
                j += 1
            elif (
                j > i
                and tokens[j].text in _PARTICLES
                and j + 1 < len(tokens)
                and _name_word(tokens[j + 1], name_re, lang)
                and _joined_name(text, tokens[j], tokens[j + 1])
            ):
                j += 2
            else:
                break
        # initials "B. Abdiraim", "V.V. Rachkov" before or "Nurakaev E.E." after a surname
        lengths = [len(tokens[k].text) for k in range(i, j)]
        initials = j - i >= 2 and (
            all(n == 1 for n in lengths[:-1])
            and lengths[-1] > 2
            and text[tokens[i].end : tokens[i].end + 1] == "."
            or lengths[0] > 2
            and all(n == 1 for n in lengths[1:])
            and text[tokens[j - 1].end : tokens[j - 1].end + 1] == "."
        )
        is_name = initials or (j - i >= 2 and not all(n == 1 for n in lengths[1:]) and lengths[-1] > 1)
        surname_ok = not any(tokens[k].text.lower() in vocabulary for k in range(i, j) if len(tokens[k].text) > 1)
        if is_name and (
            initials
            and surname_ok
            or _has_cue(text, tokens, i, j, posts, lang)
            or (lang == "en" and _looks_like_name(tokens[i:j], vocabulary))
        ):
            start, end = tokens[i].start, tokens[j - 1].end
            name = text[start:end]
            if lang == "ru":
                name = name_to_nominative(name)
            out.append(Candidate(start, end, PERSON, name=name, lang=lang))
            i = j
            continue
        i += 1
    return out


_PARTICLES = {"de", "van", "von", "der", "da", "di", "del", "uulu", "kyzy", "ibn", "bin", "la", "le"}
_COMMON_ENDINGS = re.compile(
    r"(?:tion|sion|ment|ness|ship|ity|ism|ics|ical|ary|ive|ous|ure|ance|ence|ing|ers|"
    r"ies|ist|day|ward|land|stan|ese|ian|ish|ean|ern|ic|al|ed)$"
)


def natasha_person_mentions(text: str, lang: str, taken: list[Candidate]) -> list[Candidate]:
    """Russian (and Kazakh) person names found by natasha, in the nominative."""
    from kg.pipeline.ner import person_spans

    blocked = [(c.start, c.end) for c in taken]
    out = []
    for a, b in person_spans(text):
        if any(x < b and a < y for x, y in blocked):
            continue
        name = text[a:b]
        out.append(Candidate(a, b, PERSON, name=name_to_nominative(name) if lang == "ru" else name, lang=lang))
    return out


def _looks_like_name(toks: list[Token], vocabulary: frozenset[str]) -> bool:
    words = [t.text for t in toks if len(t.text) > 1 and t.text not in _PARTICLES]
    if len(words) < 2:
        return False
    return all(w.lower() not in vocabulary and not _COMMON_ENDINGS.search(w.lower()) for w in words)


def _name_word(t: Token, name_re: re.Pattern, lang: str) -> bool:
    if not name_re.match(t.text):
        return False
    low = t.text.lower()
    if low in _NAME_STOP or t.key in EN_POSTS or low in RU_POSTS or low in KK_POSTS:
        return False
    if lang == "ru":
        p = parse(t.text)[0]
        return (
            bool({"Name", "Surn", "Patr"} & set(p.tag.grammemes))
            or "UNKN" in p.tag
            or p.score < 0.3
            or p.tag.POS == "NOUN"
            and "Geox" not in p.tag
            and "Orgn" not in p.tag
            and p.methods_stack[0][0].__class__.__name__ != "DictionaryAnalyzer"
        )
    return True


def _joined_name(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    if len(b.text) == 1:
        return gap in (" ", ".", ". ") if len(a.text) == 1 else gap == " "
    return gap in (" ", ". ", "-", ".") if len(a.text) == 1 else gap in (" ", "-")


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


def _has_cue(text: str, tokens: list[Token], i: int, j: int, posts: dict, lang: str) -> bool:
    before = [t.key if lang == "en" else t.text.lower() for t in tokens[max(0, i - 4) : i]]
    after = [t.key if lang == "en" else t.text.lower() for t in tokens[j : j + 3]]
    after_text = text[tokens[j - 1].end : tokens[j - 1].end + 3]
    if lang == "ru":
        before = [parse(w)[0].normal_form for w in before]
        after = [parse(w)[0].normal_form for w in after]
    if any(w in posts for w in before) or any(w in posts for w in after):
        return True
    if lang == "en" and (
        any(w in EN_SPEECH for w in after[:2]) or after_text.startswith((", ", " (")) and any(w in posts for w in after)
    ):
        return True
    return lang == "ru" and any(
        w in ("сказать", "отметить", "подчеркнуть", "заявить", "рассказать", "встретиться", "выступить", "открыть")
        for w in after[:2]
    )


def name_to_nominative(name: str) -> str:
    """Russian first names, patronymics and surnames in the nominative, gender kept. The surname fixes the
    case: a first name that cannot be in that case is not declined ("Сатыбалды Даулеталиным")."""
    words = name.split()
    if not words:
        return name
    surname = _name_parse(words[-1], None)
    cases = {p.tag.case for p in parse(words[-1]) if "Surn" in p.tag} if surname is not None else set()
    parses = [_name_parse(w, cases if n < len(words) - 1 and cases else None) for n, w in enumerate(words)]
    gender = next((p.tag.gender for p in parses if p is not None and p.tag.gender in ("masc", "femn")), None)
    out = []
    for w, p in zip(words, parses, strict=True):
        if p is None:
            out.append(w)
            continue
        inflected = p.inflect({"nomn", "sing"} | ({gender} if gender else set()))
        out.append(_match_case(w, inflected.word) if inflected else w)
    return " ".join(out)


def _name_parse(word: str, cases: set[str] | None):
    """The parse of a name word to put in the nominative, or None to keep the word as written."""
    parses = parse(word)
    if any(p.tag.case == "nomn" and p.tag.number == "sing" for p in parses[:3]):
        return None
    for p in parses:
        if {"Name", "Surn", "Patr"} & set(p.tag.grammemes) and (cases is None or p.tag.case in cases):
            return p
    return None


@lru_cache(maxsize=10_000)
def city_named_by(adjective: str) -> str | None:
    """English name of the Central Asian city a Russian region adjective comes from
    ("Актюбинской" -> Aktobe, through its old name Актюбинск; "Костанайской" -> Kostanay). Cached per word,
    like lemmas: the search runs through every city label of the home countries."""
    from kg.pipeline.gazetteer import gazetteer

    cyr_stem = fold(adjective)[:-3]  # drop the case ending: актюбинск(ой), костанайск(ой)
    lat_stem = slug(adjective).replace("-", "")[:-2]  # aktyubinsk(oi), matched with Latin spellings (Aktyubinsk)
    best = None
    for label, en in gazetteer().home_cities:
        stem = lat_stem if label.isascii() else cyr_stem
        base = label[:-1] if label[-1] in "аеиоуыэюяaeiouy" else label
        fits = len(base) >= 4 and stem.startswith(base) and len(stem) - len(base) <= 3
        if fits and (best is None or len(base) > best[0]):
            best = (len(base), en)
    return best[1] if best else None


_COMPASS = {"north", "south", "east", "west", "central", "eastern", "western", "northern", "southern", "asia", "europe"}
_CONTINENTS = {"Asian": "Asia", "European": "Europe", "African": "Africa", "American": "America"}


def region_mentions(
    text: str, tokens: list[Token], lang: str, taken: list[Candidate], country_of: dict
) -> list[Candidate]:
    """Regions and districts: "Zhambyl region", "North Kazakhstan Region", "Костанайской области"."""
    blocked = set()
    for c in taken:
        if c.kind != PLACE:
            blocked.update(range(c.start, c.end))
    out = []
    for k, t in enumerate(tokens):
        low = t.text.lower()
        if lang == "en" and low in ("region", "oblast", "district") and k > 0:
            i = k - 1
            while (
                i > 0
                and k - i < 3
                and tokens[i - 1].text[:1].isupper()
                and _joined(text, tokens[i - 1], tokens[i])
                and tokens[i - 1].text.lower() not in (_NAME_STOP | {"kazakhstan"}) - _COMPASS
            ):
                i -= 1
            if (
                not tokens[i].text[:1].isupper()
                or tokens[i].text.lower() in _NAME_STOP - _COMPASS
                or not _joined(text, tokens[k - 1], t)
            ):
                continue
            start = tokens[i].start
            if start in blocked:
                continue
            words = [x.text for x in tokens[i:k]]
            name = " ".join(words) + (" Region" if low != "district" else " District")
            # "the Central Asian region" is also called Central Asia
            short = " ".join(words[:-1] + [_CONTINENTS[words[-1]]]) if words[-1] in _CONTINENTS else ""
            out.append(Candidate(start, t.end, PLACE, name=name, lang="en", cls="Region", short=short))
        elif lang == "ru" and t.key in ("область", "район") and k > 0:
            a = tokens[k - 1]
            p = parse(a.text)[0]
            if p.tag.POS == "ADJF" and _joined(text, a, t) and a.start not in blocked:
                name = to_nominative(f"{a.text} {t.text}", 1)
                name = name[:1].upper() + name[1:]
                city = city_named_by(a.text) if t.key == "область" else None
                out.append(
                    Candidate(
                        a.start,
                        t.end,
                        PLACE,
                        name=f"{city} Region" if city else name,
                        lang="en" if city else "ru",
                        cls="Region",
                        short=name if city else "",
                    )
                )
        elif lang == "kk" and (low.startswith("облыс") or low.startswith("аудан")) and k > 0:
            a = tokens[k - 1]
            if a.text[:1].isupper() and _joined(text, a, t) and a.start not in blocked:
                name = f"{a.text} {'облысы' if low.startswith('облыс') else 'ауданы'}"
                out.append(Candidate(a.start, t.end, PLACE, name=name, lang="kk", cls="Region"))
    return out
