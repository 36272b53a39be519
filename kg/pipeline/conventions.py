"""Step: ILO conventions cited by number, in the forms that name one.

"Convention No. 87", "Conventions Nos. 81, 129 and 133", "Convention 190", "C087", "Конвенция МОТ № 87",
"Конвенцию МОТ 144", "№ 87 Конвенция", "190-я конвенция", "ХЕҰ-ның 87-ші Конвенциясы" and titles with their
number ("Occupational Safety and Health Convention, 1981 (No. 155)"). A number that counts is never a
convention's number: "12 ILO conventions", "2 конвенции ООН", "Convention 87 and 5 other instruments".
Titles without a number are the gazetteer's (their labels, see kg.pipeline.gazetteer). Calls to ratify and
ratifications are found here too.
"""

from __future__ import annotations

import re

from kg.namespaces import LKG
from kg.pipeline.dates import MONTHS
from kg.pipeline.gazetteer import Gazetteer
from kg.pipeline.model import CONVENTION, ORG, PLACE, Entity, InstrumentLink, Mention
from kg.pipeline.tables import table, words

_WORDS = table(__file__, "conventions.json")
_COUNT_MODIFIERS = words(__file__, "conventions.json", "count_modifiers")
_COUNT_NOUNS = words(__file__, "conventions.json", "count_nouns")
_ILO_NAMES = "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _WORDS["ilo"]) + ")"
_ILO = _ILO_NAMES + r"\s+"
_ORDINAL = "(?:" + "|".join(sorted(_WORDS["ordinal_suffixes"], key=len, reverse=True)) + ")"
_NO = r"(?:No\.?s?\s*|Nos\.?\s*|№№?\s*|N\s+|number\s+)"
_LIST = r"(?:\s*(?:,|and|&|и|және)\s*(?:No\.?\s*|№\s*)?\d{1,3}\b(?![.,]\d))*"
_NOUN = r"(?:[Cc]onventions?|[Кк]онвенци\w*)"
#: each pattern's group 1 holds the number, or the list of numbers, that the form names; in the forms
#: marked True the noun follows the numbers (so what follows the last number is the noun, not a count)
_FORMS: list[tuple[re.Pattern, bool]] = [
    # Convention No. 87 / Conventions Nos. 87 and 98 / Конвенция МОТ № 87 / Конвенцию МОТ 144 / Convention 190
    (
        re.compile(
            rf"\b(?:{_ILO})?{_NOUN}\s*(?:of\s+the\s+ILO\s+|\(?{_ILO_NAMES}\)?\s+)?({_NO}?\d{{1,3}}\b(?![.,]\d){_LIST})"
        ),
        False,
    ),
    # № 87 Конвенция / No. 87 and 98 ILO Conventions
    (re.compile(rf"((?:№|No\.?)\s*\d{{1,3}}\b{_LIST})\s+(?:{_ILO})?(?:Convention|[Кк]онвенци)"), True),
    # 190-я конвенция / 87-ші Конвенциясы / the 87th Convention
    (re.compile(rf"\b(\d{{1,3}}-?{_ORDINAL})\s+(?:{_ILO})?(?:Convention|[Кк]онвенци)"), True),
    # the 87 Convention / ХЕҰ-ның 144 Конвенциясы: a bare number only before the singular, capitalised noun
    (re.compile(r"\b(\d{1,3})\s+(?:ILO\s+|ХЕҰ\s+)?(?:Convention(?!s)\b|Конвенция(?:сы|сын|сына|сында|ны)?\b)"), True),
    # the ILO conventions on labour inspection, Nos. 81, 129 and 133 / Convention, 1981 (No. 155)
    (
        re.compile(
            rf"\b{_NOUN}\b(?:(?!Recommendation|Protocol|Рекомендаци|Протокол)[^.;]){{0,80}}?\b((?:Nos?\.|№№?)\s*\d{{1,3}}\b{_LIST})",
            re.I,
        ),
        False,
    ),
    (re.compile(r"\bC(\d{2,3})\b"), False),
]
_CALL = re.compile(
    r"\b(?:call|calls|called|calling|urge|urges|urged|appeal|demand|призыв|призвал|призвали|"
    r"призывает|настаива|шақыр)",
    re.I,
)
_RATIFY = re.compile(r"ratif|ратифи", re.I)
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?!\d)")
_NEXT_WORDS = re.compile(r"[^\W\d][\w-]*")


def convention_iri(number: int, base: str) -> str:
    return f"{base}convention/C{number:03d}"


def find_conventions(
    text: str, sentences: list[tuple[int, int]], gaz: Gazetteer, base: str
) -> tuple[list[Entity], list[Mention]]:
    """Convention entities (the reference's: a number no convention has is no convention) and their mentions."""
    ents: dict[str, Entity] = {}
    mentions: list[Mention] = []
    seen: set[int] = set()
    for form, noun_follows in _FORMS:
        for m in form.finditer(text):
            for d in _NUMBER.finditer(m.group(1)):
                at, end = m.start(1) + d.start(), m.start(1) + d.end()
                ref = gaz.conventions.get(int(d.group()))
                if at in seen or ref is None:
                    continue
                if not (noun_follows and end == m.end(1)) and _counts(text, end, _numbered(m.group(1)[: d.start()])):
                    continue
                seen.add(at)
                n = int(d.group())
                iri = convention_iri(n, base)
                if iri not in ents:
                    ents[iri] = Entity(
                        iri, CONVENTION, (LKG + "Convention", LKG + "ILOInstrument"), tuple(ref.labels), True, number=n
                    )
                mentions.append(Mention(at, at + len(d.group()), d.group(), iri))
    return list(ents.values()), mentions


def _numbered(before: str) -> bool:
    """The number follows the noun or "No."/"№" directly, or ends a list they introduced."""
    return before == "" or bool(re.search(r"No\.?|Nos\.?|№|N\s", before))


def _counts(text: str, end: int, numbered: bool) -> bool:
    """The number ending at ``end`` counts what follows ("12 ILO conventions", "and 5 other instruments",
    "2 years ago"); after "No." or "№" only an explicit count ("other", "conventions") says so."""
    after = _NEXT_WORDS.findall(text[end : end + 60])[:3]
    low = [w.lower() for w in after]
    mods = 0
    while mods < len(low) - 1 and low[mods] in _COUNT_MODIFIERS:
        mods += 1
    if not low or not text[end : end + 1].isspace():
        return False
    noun = low[mods]
    if noun in _COUNT_NOUNS or (mods and low[0] in ("other", "more", "further", "additional", "других", "басқа")):
        return True
    if noun in MONTHS:
        return True  # "Convention 87 ... 15 June": a date
    return not numbered and len(noun) > 3 and noun.endswith("s") and not noun.endswith(("ss", "us", "is"))


def instrument_links(
    text: str, sentences: list[tuple[int, int]], mentions: list[Mention], entities: dict[str, Entity]
) -> list[InstrumentLink]:
    """Calls to ratify (organisation -> convention) and ratifications (country -> convention)."""
    links: set[InstrumentLink] = set()
    for a, b in sentences:
        sent = text[a:b]
        if not _RATIFY.search(sent):
            continue
        inside = [m for m in mentions if a <= m.start < b]
        convs = [m.entity for m in inside if entities[m.entity].kind == CONVENTION]
        if not convs:
            continue
        if _CALL.search(sent):
            orgs = [m.entity for m in inside if entities[m.entity].kind == ORG]
            if orgs:
                links.update(InstrumentLink("call", orgs[0], c) for c in convs)
        else:
            countries = [m.entity for m in inside if entities[m.entity].kind == PLACE and "/country/" in m.entity]
            links.update(InstrumentLink("ratification", c, conv) for c in countries[:1] for conv in convs)
    return sorted(links, key=lambda x: (x.kind, x.agent, x.instrument))
