"""English organisation names the gazetteer does not know, built around a head noun: capitalised runs
("Georgian Trade Union Confederation", "ILO Department of Multinational Enterprises") and names that
translations write half in lower case ("Management of education of Karaganda region")."""

from __future__ import annotations

import re

from kg.pipeline.events.triggers import event_nouns
from kg.pipeline.lexicon import EN_ORG_HEADS, EN_POSTS
from kg.pipeline.mentions.candidate import Candidate
from kg.pipeline.mentions.words import (
    CONNECT,
    GENERIC,
    LEAD_STOP,
    LOWER_HEADS,
    NAME_STOP,
    TAIL,
    TAIL_STOP,
    UNIT_HEADS,
    cap,
    joined,
)
from kg.pipeline.model import ORG, PLACE, Token


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


def lowercase_org_mentions(text: str, tokens: list[Token], taken: list[Candidate], country_of: dict) -> list[Candidate]:
    """Names that translations write half in lower case: "Management of education of Karaganda region",
    "trade Union centre of Karaganda region", "National Centre for public health"."""
    blocked = [(c.start, c.end) for c in taken if c.kind == ORG]
    out: list[Candidate] = []
    for h, t in enumerate(tokens):
        if t.key not in LOWER_HEADS or any(a <= t.start < b for a, b in blocked):
            continue
        s = h
        while (
            s > 0
            and h - s < 3
            and joined(text, tokens[s - 1], tokens[s])
            and tokens[s - 1].text.lower()
            not in NAME_STOP
            - {"trade", "national", "regional", "republican", "public", "state", "international", "union", "unions"}
            | TAIL_STOP
        ):
            s -= 1
        if not tokens[s].text[:1].isupper() and tokens[s].text.lower() != "trade":
            continue
        e = h
        k = h + 1
        while (
            k + 1 < len(tokens) and tokens[k].text.lower() in ("of", "for") and joined(text, tokens[k - 1], tokens[k])
        ):
            j = k + 1
            if tokens[j].text.lower() == "the":
                j += 1
            m = j
            while (
                m < len(tokens)
                and m - j < 5
                and joined(text, tokens[m - 1], tokens[m])
                and tokens[m].text.lower() not in TAIL_STOP | {"of", "for"}
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
        ok = cap(t) or (low in CONNECT and cur) or (low == "s" and cur and text[t.start - 1] in "'’")
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
        if ok and cur and not joined(text, tokens[cur[-1]], t):
            runs.append(cur)
            cur = []
            ok = cap(t)
        if ok:
            cur.append(i)
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    out = []
    for run in runs:
        while run and tokens[run[-1]].text.lower() in CONNECT:
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
            and nxt.text.lower() not in CONNECT
            and ends[t.end].kind in (ORG, PLACE)
            and not unit_follows  # "PERC Youth Committee", "ETUC Executive Committee": a unit of the organisation
        ):
            pieces.append(cur)
            cur = []
    if cur:
        pieces.append(cur)
    return [p for p in pieces if p]


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
    return bool(words) and words[-1] in UNIT_HEADS and stop not in TAIL


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
        and low[s - 1] not in CONNECT
        and (cap(toks[s - 1]) or low[s - 1] == "s" and s > 1)
        and not toks[s - 1].text[:1].isdigit()
    ):
        s -= 1
    while s < h and (low[s] in LEAD_STOP or toks[s].key in EN_POSTS):
        s += 1
    e = h
    k = h + 1
    while k < len(toks) and low[k] not in CONNECT:
        if toks[k].key in EN_ORG_HEADS:
            e = k
        k += 1
    k = e + 1
    while k < len(toks) and low[k] in TAIL:
        j = k + 1
        if j < len(toks) and low[j] == "the":
            j += 1
        m = j
        while m < len(toks) and (
            low[m] not in CONNECT or (low[m] == "and" and m + 1 < len(toks) and low[m + 1] not in CONNECT)
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
    elif all(x in GENERIC or toks[s + n].key in EN_ORG_HEADS for n, x in enumerate(low[s : e + 1])):
        return None  # "Trade Union", "National Centre", "Public Fund": a description, not a name
    inner = [c for c in covered.values() if start <= c.start and c.end <= end]
    if any(c.start <= start and end <= c.end for c in covered.values()):
        return None
    last = [c for c in inner if c.kind == ORG and c.end == end and c.start > toks[h].end]
    if last and not quoted and text[last[0].start - 1] == " " and toks[e].end == end:
        # "Industry Trade Union of ... Industries Qazhimprofsoyuz": the proper name at the end says which one
        prev_word = text[: last[0].start].split()[-1].lower()
        if prev_word not in CONNECT:
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
