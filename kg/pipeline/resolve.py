"""Step: turn candidate spans into entities with stable IRIs and mentions.

Known names resolve to their reference IRI (an ambiguous acronym goes to the organisation of a
country the document talks about). New names get readable IRIs from kg.namespaces.entity_iri, so the
same name gives the same IRI in every document. Acronyms defined in the text ("Name (ACR)") and
surnames used alone point back to the full name; misspelt names of reference people ("Hungboe")
resolve to them by fuzzy matching.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from kg.namespaces import LKG, SCHEMA, entity_iri
from kg.namespaces import ORG as ORG_NS
from kg.pipeline.gazetteer import Entry, Gazetteer
from kg.pipeline.mentions.candidate import Candidate
from kg.pipeline.model import ORG, PERSON, PLACE, Entity, Label, Mention, Token
from kg.pipeline.tokens import fold, romanise, tokenize

_BASE_CLASS = {ORG: ORG_NS + "Organization", PERSON: SCHEMA + "Person", PLACE: SCHEMA + "Place"}


def reference_entity(e: Entry) -> Entity:
    """The pipeline's view of a reference resource."""
    return Entity(e.iri, e.kind, tuple(e.types), tuple(e.labels), True, e.country, e.parent, e.number)


def choose(c: Candidate, gaz: Gazetteer, doc_countries: set[str]) -> str:
    """Pick one IRI for an ambiguous gazetteer match: the one tied to a country the text names."""
    if len(c.iris) == 1:
        return c.iris[0]
    for iri in c.iris:
        if gaz.entries[iri].country in doc_countries:
            return iri
    return c.iris[0]


def resolve(
    text: str, cands: list[Candidate], tokens: list[Token], gaz: Gazetteer, base: str
) -> tuple[dict[str, Entity], list[Mention]]:
    """Entities by IRI and their mentions, in text order."""
    doc_countries = {gaz.entries[i].country or i for c in cands if c.kind == PLACE for i in c.iris}
    doc_countries |= {i for c in cands if c.kind == PLACE for i in c.iris}
    entities: dict[str, Entity] = {}
    surfaces: dict[str, list[str]] = {}
    mentions: list[Mention] = []
    acronyms: dict[str, str] = {}
    surnames: dict[str, str] = {}
    for c in sorted(cands, key=lambda c: (c.start, -c.end)):
        if c.iris:
            iri = choose(c, gaz, doc_countries)
            if iri not in entities:
                e = gaz.entries[iri]
                entities[iri] = Entity(
                    iri, e.kind, tuple(e.types), tuple(e.labels), True, e.country, e.parent, e.number
                )
        else:
            iri = _new_entity(c, gaz, entities, base)
            acr = re.match(r"\s*\(([A-ZА-ЯЁ][A-ZА-ЯЁ0-9/-]{1,9})\)", text[c.end : c.end + 14])
            if acr and c.kind == ORG:
                acronyms[acr.group(1)] = iri
                mentions.append(Mention(c.end + acr.start(1), c.end + acr.end(1), acr.group(1), iri))
                surfaces.setdefault(iri, []).append(acr.group(1))
        if c.kind == PERSON:
            words = entities[iri].labels[0].text.split()
            if len(words) >= 2:
                surnames[fold(words[-1])] = iri
                surnames[fold(text[c.start : c.end].split()[-1])] = iri
        mentions.append(Mention(c.start, c.end, text[c.start : c.end], iri))
        surfaces.setdefault(iri, []).append(text[c.start : c.end])
    taken = [(m.start, m.end) for m in mentions]
    for t in tokens:
        iri = acronyms.get(t.text) or (surnames.get(fold(t.text)) if t.text[:1].isupper() else None)
        if iri and not any(a < t.end and t.start < b for a, b in taken):
            mentions.append(Mention(t.start, t.end, t.text, iri))
    # texts' own spellings become altLabels of new entities (and make documents searchable by them)
    for iri, forms in surfaces.items():
        e = entities[iri]
        have = {lab.text for lab in e.labels}
        lang = e.labels[0].lang if not e.reference else _script_lang(forms[0])
        extra = tuple(Label(f, lang) for f in dict.fromkeys(forms) if f not in have)
        entities[iri] = Entity(e.iri, e.kind, e.types, e.labels + extra, e.reference, e.country, e.parent, e.number)
    remap = _shortened_names(entities, {m.entity for m in mentions})
    if remap:
        mentions = [Mention(m.start, m.end, m.exact, remap.get(m.entity, m.entity)) for m in mentions]
        for old in remap:
            del entities[old]
        entities = {k: (e if e.parent not in remap else _with_parent(e, remap[e.parent])) for k, e in entities.items()}
    mentions = list(dict.fromkeys(mentions))
    mentions.sort(key=lambda m: (m.start, m.end, m.entity))
    return entities, mentions


_FUNCTION_WORDS = {"of", "the", "for", "and", "on", "in", "under", "s"}


@lru_cache(maxsize=50_000)
def _words(label: Label) -> frozenset[str]:
    """Content words of a label (cached: reference organisations' labels are compared in every document)."""
    return frozenset(t.key for t in tokenize(label.text, label.lang) if t.key not in _FUNCTION_WORDS)


def _shortened_names(entities: dict[str, Entity], mentioned: set[str]) -> dict[str, str]:
    """New organisations named by part of another organisation's name in the same text ("Youth Council"
    for "KELESHEK Youth Council of the Federation of Trade Unions") are that organisation."""
    orgs = [e for e in entities.values() if e.kind == ORG and e.iri in mentioned]
    remap = {}
    for e in orgs:
        if e.reference:
            continue
        words = _words(e.labels[0])
        if len(words) < 2:
            continue
        best = None
        for f in orgs:
            if f.iri == e.iri or f.iri in remap:
                continue
            for lab in f.labels:
                other = _words(lab)
                if words < other and (best is None or len(other) < best[0]):
                    best = (len(other), f.iri)
        if best:
            remap[e.iri] = best[1]
    # a name can be short for one that is itself short for a third ("Youth Council" -> "Youth Council of
    # Unions" -> "KELESHEK Youth Council of Unions of Kazakhstan"): everything goes to the last. A target is
    # never already remapped when it is chosen, so the chains have no cycles.
    for iri, target in remap.items():
        while target in remap:
            target = remap[target]
        remap[iri] = target
    return remap


def _with_parent(e: Entity, parent: str) -> Entity:
    return Entity(
        e.iri, e.kind, e.types, e.labels, e.reference, e.country, parent if parent != e.iri else None, e.number
    )


def _script_lang(text: str) -> str:
    if any(ch in "әғқңөұүһіӘҒҚҢӨҰҮҺІ" for ch in text):
        return "kk"
    return "ru" if any("а" <= ch.lower() <= "я" for ch in text) else "en"


def _new_entity(c: Candidate, gaz: Gazetteer, entities: dict[str, Entity], base: str) -> str:
    if c.kind == PERSON:
        ref = match_person(c.name, gaz)
        if ref:
            if ref not in entities:
                e = gaz.entries[ref]
                entities[ref] = Entity(ref, PERSON, tuple(e.types), tuple(e.labels), True)
            return ref
        for iri, e in entities.items():  # the same person named again (other case form, initial)
            if e.kind == PERSON and _same_person(c.name, e.labels[0].text):
                return iri
    name = re.sub(r"^(?:the|The)\s+", "", c.name).strip()
    kind = "place" if c.kind == PLACE else c.kind
    iri = entity_iri(kind, name, base)
    if iri not in entities:
        types: tuple[str, ...]
        if c.kind == ORG:
            types = (LKG + (c.cls or "OtherOrganization"), ORG_NS + "Organization")
        elif c.kind == PLACE:
            types = (LKG + (c.cls or "Region"), SCHEMA + "Place")
        else:
            types = (SCHEMA + "Person",)
        short_lang = _script_lang(c.short) if c.short else c.lang
        labels = (Label(name, c.lang),) + ((Label(c.short, short_lang),) if c.short else ())
        if c.kind == PERSON and c.lang != "en" and romanise(name) != name:
            labels += (Label(romanise(name), "en"),)  # the English transliteration readers search for
        entities[iri] = Entity(iri, c.kind, types, labels, False, c.country, c.parent)
    return iri


def match_person(name: str, gaz: Gazetteer) -> str | None:
    """The reference person a (possibly misspelt) name denotes, or None."""
    target = fold(name)
    best, best_iri = 0.0, None
    for label, iri in gaz.people:
        score = _name_score(target, fold(label))
        if score > best:
            best, best_iri = score, iri
    return best_iri if best >= 80 else None


def _name_score(a: str, b: str) -> float:
    wa, wb = a.replace(".", " ").split(), b.replace(".", " ").split()
    if not wa or not wb:
        return 0.0
    surname = fuzz.ratio(wa[-1], wb[-1])
    first_ok = wa[0][0] == wb[0][0]
    if len(wa) == 1 or len(wb) == 1:
        return surname if surname >= 90 else 0.0
    whole = fuzz.token_sort_ratio(" ".join(wa), " ".join(wb))
    return max(whole, surname) if first_ok and surname >= 70 else min(whole, surname)


def _same_person(a: str, b: str) -> bool:
    return _name_score(fold(a), fold(b)) >= 90
