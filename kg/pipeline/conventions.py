"""Step: ILO conventions cited by number ("Convention No. 87", "Conventions Nos. 81, 129 and 133",
"Конвенция МОТ № 87", "C190"), with ratifications and calls to ratify."""

from __future__ import annotations

import re

from kg.namespaces import LKG
from kg.pipeline.gazetteer import Gazetteer
from kg.pipeline.model import CONVENTION, ORG, PLACE, Entity, InstrumentLink, Label, Mention

_NUM = r"(?:No\.?s?\s*|Nos\.?\s*|№\s*|N\s*|number\s+)?(\d{1,3})\b"
_LIST = r"(?:\s*(?:,|and|&|и|және)\s*(?:No\.?\s*|№\s*)?(\d{1,3})\b)*"
_PATTERNS = [
    re.compile(r"\b(?:ILO\s+)?Conventions?\s*(?:of\s+the\s+ILO\s+)?" + _NUM + _LIST, re.I),
    # "the ILO conventions on labour inspection, Nos. 81, 129 and 133"
    re.compile(r"\bconventions?\b[^.;]{0,80}?\bNos?\.\s*(\d{1,3})" + _LIST, re.I),
    re.compile(r"\bКонвенци\w*\s+(?:МОТ\s+|Международной\s+организации\s+труда\s+)?" + _NUM + _LIST, re.I),
    re.compile(r"№\s*(\d{1,3})" + _LIST + r"\s+(?:ХЕҰ\s+|МОТ\s+)?[Кк]онвенци", re.I),
    re.compile(r"\b(\d{1,3})(?:-?(?:ші|шы|ой|й))?\s+(?:ILO\s+|МОТ\s+)?(?:Convention|[Кк]онвенци)", re.I),
    re.compile(r"\bC(\d{2,3})\b"),
]
_CALL = re.compile(
    r"\b(?:call|calls|called|calling|urge|urges|urged|appeal|demand|призыв|призвал|призвали|"
    r"призывает|настаива|шақыр)",
    re.I,
)
_RATIFY = re.compile(r"ratif|ратифи", re.I)
_MAX_NUMBER = 200


def convention_iri(number: int, base: str) -> str:
    return f"{base}convention/C{number:03d}"


def find_conventions(
    text: str, sentences: list[tuple[int, int]], gaz: Gazetteer, base: str
) -> tuple[list[Entity], list[Mention]]:
    """Convention entities (from the reference when known) and their mentions."""
    ents: dict[str, Entity] = {}
    mentions: list[Mention] = []
    taken: set[int] = set()
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            if m.start() in taken:
                continue
            taken.add(m.start())
            for d in re.finditer(r"(?<![\d.,])\d{1,3}(?![\d])", m.group(0)):
                n = int(d.group())
                if not 1 <= n <= _MAX_NUMBER:
                    continue
                iri = convention_iri(n, base)
                ref = gaz.entries.get(convention_iri(n, "https://w3id.org/labour-kg/id/"))
                if iri not in ents:
                    labels = tuple(ref.labels) if ref else (Label(f"ILO Convention No. {n}", "en"),)
                    ents[iri] = Entity(
                        iri, CONVENTION, (LKG + "Convention", LKG + "ILOInstrument"), labels, ref is not None, number=n
                    )
                mentions.append(Mention(m.start() + d.start(), m.start() + d.end(), d.group(), iri))
    return list(ents.values()), mentions


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
