"""Step: short forms and first-person references that stand for an organisation the text is about.

"the Federation", "the Confederation's office", "our Federation", "наша Федерация", "Федерация" alone stand
for an organisation with that head noun: the nearest one named before (else after) in the text, or, for
"our ..." and when the text names none, the publisher's organisation (kg.pipeline.publisher). Each becomes
a mention of that organisation, so later steps (memoranda, events) read it like the full name. So does a
group an organisation sent, once the text has said whose it is: after "a delegation of X" (or "делегация X",
"X делегациясы"), "the delegation" and "the guests" alone stand for X. "we" / "мы" / "біз" are not mentions;
:func:`speaker` says whom they stand for where a step needs it (a signing clause).
"""

from __future__ import annotations

import re

from kg.pipeline.context import Context
from kg.pipeline.model import ORG, Mention
from kg.pipeline.tables import table
from kg.pipeline.tokens import kk_stem, ru_lemma

_HEADS = table(__file__, "coreference.json")["heads"]
_GROUPS = table(__file__, "coreference.json")["groups"]
_GROUP_WORDS = {lang: tuple(dict.fromkeys(w["alone"] + w["introduced"])) for lang, w in _GROUPS.items()}
#: what may stand between a group word and its organisation: "delegation of the X", "X's delegation"
_EN_OF = re.compile(r"\s+(?:of|from)\s+(?:the\s+)?$", re.I)
_EN_DETERMINER = re.compile(r"(?:\b(?:the|The|this|This)\s+)$")
#: English: "the Federation", "our Federation", "The Union's": a head noun not followed by the rest of a name
_EN_SHORT = re.compile(
    r"\b(?P<det>the|our|this|The|Our|This)\s+(?P<head>[A-Z][a-z]+|(?<=our\s)[a-z]+|(?<=Our\s)[a-z]+)\b"
    r"(?!\s+(?:of|for|on|in)\b)(?!\s+[A-Z\"“«])(?!-)"
)
#: Russian and Kazakh: "Федерация", "нашей Федерации", "біздің федерациямыз"
_CYR_STEMS = sorted({w for lang in ("ru", "kk") for ws in _HEADS[lang].values() for w in ws}, key=len, reverse=True)
_CYR_SHORT = re.compile(
    r"(?:(?P<det>наш\w*|біздің)\s+)?(?P<head>(?:" + "|".join(_CYR_STEMS) + r")\w*)(?![\w-])"
    r"(?!\s+(?:профсоюз|кәсіподақ|[«\"“]))",
    re.I,
)
_OUR = re.compile(r"^(?:our|наш|біздің)", re.I)


def short_form_mentions(ctx: Context) -> list[Mention]:
    """Mentions of the organisations that short forms and "our ..." stand for."""
    heads = _HEADS.get(ctx.lang, {})
    taken = [(m.start, m.end) for m in ctx.mentions]
    orgs = [m for m in ctx.mentions if ctx.entities[m.entity].kind == ORG]
    out = []
    for m in (_EN_SHORT if ctx.lang == "en" else _CYR_SHORT).finditer(ctx.text):
        head = m.group("head")
        key = _head_key(head, ctx.lang)
        if key not in heads or any(a < m.end() and m.start("head") < b for a, b in taken):
            continue
        our = bool(m.group("det")) and bool(_OUR.match(m.group("det")))
        if ctx.lang != "en" and not our and not head[:1].isupper():
            continue
        iri = _antecedent(ctx, orgs, heads[key], m.start(), our)
        if iri:
            start = m.start() if our else m.start("head")
            out.append(Mention(start, m.end("head"), ctx.text[start : m.end("head")], iri))
    return out


def group_mentions(ctx: Context) -> list[Mention]:
    """Mentions of the organisation whose delegation the text introduced, where the group word stands alone."""
    words = _GROUPS.get(ctx.lang)
    if not words:
        return []
    orgs = [m for m in ctx.mentions if ctx.entities[m.entity].kind == ORG]
    taken = [(m.start, m.end) for m in ctx.mentions]
    whose: str | None = None
    out = []
    for t in ctx.tokens:
        key = _group_key(t.text, ctx.lang)
        if key is None:
            continue
        owner = _owner(ctx, orgs, t.start, t.end) if key in words["introduced"] else None
        if owner is not None:
            whose = owner  # "a delegation of X": X's group, named with it
        elif whose is not None and key in words["alone"] and not any(a < t.end and t.start < b for a, b in taken):
            if ctx.lang == "en" and not _EN_DETERMINER.search(ctx.text, max(0, t.start - 6), t.start):
                continue  # "a delegation" is another group; "the delegation" is the one introduced
            out.append(Mention(t.start, t.end, t.text, whose))
    return out


def names_a_group(ctx: Context, mention: Mention) -> bool:
    """Whether a mention is a group word standing for its organisation ("the delegation"), which names no one:
    an event is not called after it."""
    last = mention.exact.split()[-1] if mention.exact.split() else ""
    return ctx.lang in _GROUPS and _group_key(last, ctx.lang) is not None


def _group_key(word: str, lang: str) -> str | None:
    """The group word a token is (its table form), or None."""
    words = _GROUP_WORDS[lang]
    if lang == "en":
        low = word.lower()
        return low if low in words else None
    if lang == "ru":
        lemma = ru_lemma(word)
        return lemma if lemma in words else None
    low = word.lower()
    return next((w for w in words if low.startswith(w)), None)


def _owner(ctx: Context, orgs: list[Mention], start: int, end: int) -> str | None:
    """The organisation a group word is named with: after it ("delegation of X", "делегация X"), or right
    before it ("the ITUC delegation", "X делегациясы")."""
    after = next((m for m in orgs if m.start >= end), None)
    if after is not None:
        gap = ctx.text[end : after.start]
        if (ctx.lang == "en" and _EN_OF.fullmatch(gap)) or (ctx.lang == "ru" and gap.strip() == ""):
            return after.entity
    before = next((m for m in reversed(orgs) if m.end <= start), None)
    if before is not None and ctx.lang in ("en", "kk") and ctx.text[before.end : start].strip(" '’s") == "":
        return before.entity
    return None


def speaker(ctx: Context) -> str | None:
    """Whom "we" stands for in a report: the publisher's organisation, else the one the text is most about."""
    return ctx.publisher or ctx.main_org()


def _head_key(word: str, lang: str) -> str:
    if lang == "en":
        return word.lower()
    return ru_lemma(word) if lang == "ru" else kk_stem(word.lower())


def _antecedent(ctx: Context, orgs: list[Mention], head_words: list[str], pos: int, our: bool) -> str | None:
    """The organisation a short form with this head noun stands for."""
    if our and ctx.publisher and _has_head(ctx, ctx.publisher, head_words):
        return ctx.publisher
    fits = [m for m in orgs if _has_head(ctx, m.entity, head_words)]
    before = [m for m in fits if m.end <= pos]
    if before:
        return before[-1].entity
    if fits:
        return fits[0].entity
    if ctx.publisher and _has_head(ctx, ctx.publisher, head_words):
        return ctx.publisher
    return None


def _has_head(ctx: Context, iri: str, head_words: list[str]) -> bool:
    """The organisation's name (any of its labels) has this head noun ("Federation of Trade Unions of ...")."""
    from kg.pipeline.gazetteer import gazetteer

    e = ctx.entities.get(iri) or gazetteer().entries.get(iri)
    if e is None:
        return False
    return any(re.search(rf"\b(?:{'|'.join(head_words)})", lab.text, re.I) for lab in e.labels)
