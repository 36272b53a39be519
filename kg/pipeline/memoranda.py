"""Step: memoranda, agreements and protocols of cooperation and their parties.

A sentence that names such an instrument and its signing (or "memorandum of cooperation") gives one
instrument whose parties are the organisations of its signing clause: an organisation that hosts,
supports, attends or frames the signing ("with the support of X", "in the presence of X", "at the meeting
of X", "при поддержке X"; memoranda.json) is none. Short forms ("the Federation") are mentions of the
organisation they stand for (kg.pipeline.coreference); "we signed" and "signed with X" alone add the
speaker (the publisher's organisation, else the one the text is about). A list of countries ("... with
trade union organisations of Armenia, Azerbaijan and Georgia") gives one memorandum per country whose party
is the organisation "Trade unions of <Country>" ("Trade unions of <Region>" for a part of the world that signs
with someone). A general (tripartite) agreement is an
Agreement between the social partners: the government, the associations of employers and of workers.
"""

from __future__ import annotations

import re

from kg.namespaces import LKG, entity_iri
from kg.namespaces import ORG as ORG_NS
from kg.pipeline.context import Context
from kg.pipeline.coreference import speaker
from kg.pipeline.gazetteer import gazetteer, part_of_the_world
from kg.pipeline.lexicon import EN_MEMO, KK_MEMO, RU_MEMO, SIGN_WORDS
from kg.pipeline.mentions.russian import to_nominative
from kg.pipeline.model import ORG, PLACE, Entity, Label, Memorandum, Mention
from kg.pipeline.tables import table
from kg.pipeline.tokens import kk_stem, ru_lemma

_WORDS = table(__file__, "memoranda.json")
_NON_PARTY = {
    lang: re.compile(r"\b(?:" + "|".join(phrases) + r")\s+(?:the\s+)?", re.I)
    for lang, phrases in _WORDS["non_party"].items()
}
_NON_PARTY_AFTER = {
    lang: re.compile(r"^(?:[-\w]*\s+){0,2}?(?:" + "|".join(words) + r")\b", re.I)
    for lang, words in _WORDS["non_party_after"].items()
}
_FIRST_PERSON = {
    lang: re.compile(r"\b(?:" + "|".join(words) + r")\b") for lang, words in _WORDS["first_person"].items()
}
_TRIPARTITE = {
    lang: re.compile(r"(?<!\w)(?:" + "|".join(words) + r")\s+(?:\w+\s+)?$", re.I)
    for lang, words in _WORDS["tripartite"].items()
}
#: what may stand between organisations of one list ("A, B and C", "А и Б")
_CONJ = r"(?:and|&|as\s+well\s+as|и|а\s+также|мен|пен|бен|және)"
_COORDINATION = re.compile(rf"\s*(?:,\s*(?:{_CONJ}\s+)?|\s+{_CONJ}\s+)(?:the\s+)?", re.I)
_AND = re.compile(rf"\b{_CONJ}\b", re.I)
_WITH = re.compile(r"\bwith\b|\bс\s|\bсо\s|\bмен\b|\bпен\b|\bбен\b", re.I)
_PARTNERS = re.compile(
    r"\b((?:the\s+)?(?:republican|nationwide|national|all-russian|regional)\s+associations?\s+of\s+"
    r"(?:employers|workers|trade\s+unions)|(?:республиканск|общенациональн)\w+\s+объединени\w+\s+"
    r"(?:работодателей|работников|профсоюзов))",
    re.I,
)
_ANAPHOR = re.compile(r"\b(?:the|this)\s+document\b|\bsignator|документ|подписант|құжат", re.I)
_COOP = re.compile(
    r"(?:memorand\w*|agreements?|protocols?)\s+(?:of|on)\s+(?:mutual\s+)?(?:co-?operation|understanding)"
    r"|меморандум\w*\s+о\s+(?:взаимном\s+)?сотрудничеств|соглашени\w*\s+о\s+сотрудничеств"
    r"|ынтымақтастық",
    re.I,
)
_COUNTRY_LIST = re.compile(
    r"(?:(?:trade\s+unions?|trade\s+union\s+(?:organi[sz]ations|centres|centers|federations)|national\s+(?:trade\s+union\s+)?"
    r"cent(?:re|er)s|unions)\s+(?:of|from|in)\s+"
    r"|(?:профсоюз\w*(?:\s+организаци\w*)?|профцентр\w*)\s+(?:(?:из|стран)\s+)?)"
    r"(?:(?:fraternal|friendly|neighbouring|neighboring|partner|foreign)\s+(?:countries|states),?\s+(?:such\s+as\s+|including\s+"
    r"|namely\s+)?)?",
    re.I,
)


def find_memoranda(ctx: Context) -> tuple[list[Memorandum], list[Entity], list[Mention]]:
    """Memoranda, plus the "trade unions of <Country>" organisations they create and their mentions."""
    found: dict[tuple, dict] = {}
    new_entities: dict[str, Entity] = {}
    new_mentions: list[Mention] = []
    main = ctx.main_org() or ctx.publisher  # the organisation the text is about signs what it reports
    we = speaker(ctx)  # "we" is the publisher's organisation
    last = None
    for a, b in ctx.sentences:
        sent = ctx.text[a:b]
        trig = _trigger(ctx, a, b)
        if trig is None and last is not None and _ANAPHOR.search(sent):
            trig = (last[0], a)  # "The document was signed by ...": the memorandum named before
        if trig is None:
            continue
        last = trig
        cls, t_start = trig
        low = sent.lower()
        if not (any(w in low for w in SIGN_WORDS) or _COOP.search(sent)):
            continue
        org_ms = [m for m in ctx.in_span(a, b, ORG) if not _is_event_body(ctx, m.entity)]
        # an organisation named inside another's name ("Council of the <Federation>") is not a party
        org_ms = [
            m
            for m in org_ms
            if not any(o.start <= m.start and m.end <= o.end and (o.start, o.end) != (m.start, m.end) for o in org_ms)
        ]
        # who hosts, supports, attends or frames the signing is not a party
        org_ms = [m for m in org_ms if m not in _non_parties(ctx, org_ms, a, b)]
        org_ms += _social_partners(ctx, a, b, main, new_entities, new_mentions)
        org_ms.sort(key=lambda m: m.start)
        orgs = list(dict.fromkeys(m.entity for m in org_ms))
        dates = ctx.dates_in(a, b)
        date = dates[0].begin if dates else None
        cities = [m.entity for m in ctx.in_span(a, b, PLACE) if ctx.is_city(m.entity)]
        location = cities[0] if cities else None
        per_country = _country_parties(ctx, a, b, new_entities, new_mentions)
        if per_country:
            host = main if main and main not in per_country else (orgs[0] if orgs else None)
            if host is None:
                continue
            others = [o for o in orgs if o != host]
            for party in per_country + others:
                _add(found, ctx, cls, (host, party), date, location, t_start)
            continue
        if we and we not in orgs and _we_signed(ctx, sent):
            orgs.insert(0, we)  # "we signed a memorandum with X"
        elif main and main not in orgs and len(orgs) < 2 and (cls == "Memorandum" or _WITH.search(sent)):
            orgs.insert(0, main)  # "signed a memorandum with X": the organisation the text is about signed
        if _plural(ctx, t_start) and len(orgs) > 2:
            anchor, partners = _anchor(ctx, org_ms, a, b)
            for other in partners:  # "X signed memorandums with A and B": one per partner
                _add(found, ctx, cls, (anchor, other), date, location, t_start)
        elif len(orgs) >= 2:
            _add(found, ctx, cls, tuple(orgs), date, location, t_start)
    keys = list(found)
    # the same instrument told twice (headline, then body): keep the fuller list of parties
    keys = [k for k in keys if not any(set(k) < set(o) and found[o]["cls"] == found[k]["cls"] for o in keys)]
    memos = [_freeze(ctx, found[k], new_entities) for k in keys]
    return memos, list(new_entities.values()), new_mentions


def _we_signed(ctx: Context, sent: str) -> bool:
    """A first-person subject signs: "we signed", "мы подписали", "біз ... қол қойдық"."""
    low = sent.lower()
    return any(
        any(w in low[m.end() : m.end() + 60] for w in SIGN_WORDS) for m in _FIRST_PERSON[ctx.lang].finditer(sent)
    )


def _non_parties(ctx: Context, org_ms: list[Mention], a: int, b: int) -> list[Mention]:
    """Organisations that a non-party phrase governs: the first after it (within a few words) and those
    coordinated with it ("in the presence of A, B and C"). A comma carries the list on only when an "and"
    closes it, and never after a phrase that opens the sentence ("With the support of A, B and C signed ..."
    leaves B and C the parties)."""
    text = ctx.text
    out: list[Mention] = []
    ordered = sorted(org_ms, key=lambda m: m.start)
    after = _NON_PARTY_AFTER.get(ctx.lang)
    if after:
        out += [m for m in ordered if after.search(text[m.end : min(b, m.end + 40)])]
    pattern = _NON_PARTY.get(ctx.lang)
    if pattern is None:
        return out
    for phrase in pattern.finditer(text, a, b):
        first = next((m for m in ordered if m.start >= phrase.end()), None)
        if (
            first is None
            or len(text[phrase.end() : first.start].split()) > 3
            or re.search(r"[,;:()]", text[phrase.end() : first.start])
        ):
            continue
        chain = [first]
        closed = 0  # how much of the chain an "and" has closed
        # "At the meeting of X, A and B signed ...": nothing of the clause comes before the phrase
        opening = text[a : phrase.start()].lower()
        fronted = not any(m.start < phrase.start() for m in ordered) and not any(w in opening for w in SIGN_WORDS)
        for m in ordered[ordered.index(first) + 1 :]:
            gap = text[chain[-1].end : m.start]
            if not _COORDINATION.fullmatch(gap) or (fronted and "," in gap):
                break
            chain.append(m)
            if _AND.search(gap):
                closed = len(chain)
        out += chain[: max(1, closed)]
    return out


def _trigger(ctx: Context, a: int, b: int) -> tuple[str, int] | None:
    """The instrument the sentence names: a general (tripartite) agreement before any other, else the first."""
    first = None
    for t in ctx.tokens_in(a, b):
        cls = _instrument(ctx.lang, t.text)
        if cls is None:
            continue
        if cls == "CooperationAgreement" and _TRIPARTITE[ctx.lang].search(ctx.text, max(a, t.start - 24), t.start):
            return cls, t.start
        first = first or (cls, t.start)
    return first


def _instrument(lang: str, word: str) -> str | None:
    if lang == "en":
        return EN_MEMO.get(word.lower())
    return RU_MEMO.get(ru_lemma(word)) if lang == "ru" else KK_MEMO.get(kk_stem(word))


def _anchor(ctx: Context, org_ms: list[Mention], a: int, b: int) -> tuple[str, list[str]]:
    """The organisation before "with" and its partners after it (else the first and the rest)."""
    w = re.search(r"\b(?:with|together with|с|со|между)\b", ctx.text[a:b])
    if w:
        pos = a + w.start()
        before = [m.entity for m in org_ms if m.end <= pos]
        after = [m.entity for m in org_ms if m.start >= pos]
        if before and after:
            return before[-1], list(dict.fromkeys(x for x in after if x != before[-1]))
    ents = list(dict.fromkeys(m.entity for m in org_ms))
    return ents[0], ents[1:]


def _social_partners(
    ctx: Context, a: int, b: int, main: str | None, new_entities: dict, new_mentions: list
) -> list[Mention]:
    """Parties named by their role in social partnership: "the republican associations of employers", "the
    nationwide associations of workers", and a bare "the Government" (of the document's country)."""
    speaking = (ctx.entities.get(main) or gazetteer().entries.get(main)) if main else None
    country = speaking.country if speaking else None
    out = []
    for m in _PARTNERS.finditer(ctx.text, a, b):
        phrase = m.group(1)
        written = re.sub(r"^the\s+", "", phrase, flags=re.I)
        name = to_nominative(written, 1) if ctx.lang == "ru" else written
        name = name[:1].upper() + name[1:]
        employers = re.search(r"employers|работодател", phrase, re.I)
        iri = entity_iri("org", name, ctx.base)
        if iri not in ctx.entities and iri not in new_entities:
            cls = "EmployersOrganization" if employers else "TradeUnion"
            labels = tuple(Label(x, ctx.lang) for x in dict.fromkeys((name, written)))  # the name, then as written
            new_entities[iri] = Entity(iri, ORG, (LKG + cls, ORG_NS + "Organization"), labels, False, country)
        mention = Mention(m.start(1), m.end(1), phrase, iri)
        new_mentions.append(mention)
        out.append(mention)
    gov = re.search(r"\b(?:the\s+)?Government\b(?!\s+of)|\bПравительств\w*(?!\s+(?:Республики|РК))", ctx.text[a:b])
    if gov and country:
        ref = next(
            (
                e.iri
                for e in _gazetteer_orgs()
                if e.country == country
                and "GovernmentBody" in " ".join(e.types)
                and e.iri.rsplit("/", 1)[-1].startswith("government")
            ),
            None,
        )
        if ref and not any(x.entity == ref for x in ctx.in_span(a, b, ORG)):
            out.append(Mention(a + gov.start(), a + gov.end(), gov.group(), ref))
            new_mentions.append(out[-1])
    return out


def _gazetteer_orgs():
    return [e for e in gazetteer().entries.values() if e.kind == ORG]


def _plural(ctx: Context, pos: int) -> bool:
    word = re.match(r"\w+", ctx.text[pos:])
    w = word.group().lower() if word else ""
    return w.endswith(("ums", "da", "ments", "cols", "мы", "ния", "ры", "тар", "тер"))


def _is_event_body(ctx: Context, iri: str) -> bool:
    return iri.endswith(("/org/ilc",))


def _country_parties(ctx: Context, a: int, b: int, new_entities: dict, new_mentions: list) -> list[str]:
    """'... unions of Armenia, Azerbaijan, Georgia and Mongolia' -> one party per country."""
    parties = []
    for m in _COUNTRY_LIST.finditer(ctx.text, a, b):
        countries = []
        pos = m.end()
        for pm in ctx.in_span(m.end(), b, PLACE):
            gap = ctx.text[pos : pm.start]
            if pos != m.end() and not re.fullmatch(r"\s*(?:,|and|и|,\s*and)\s*", gap):
                break
            if pos == m.end() and gap.strip() not in ("", "the"):
                break
            if "/country/" not in pm.entity:
                if not countries and part_of_the_world(gazetteer().country_of, pm.entity):
                    countries.append(pm)  # "with the unions of Central Asia": one party, the region's unions
                break
            countries.append(pm)
            pos = pm.end
        if len(countries) < 2 and not (countries and "/country/" not in countries[0].entity):
            continue
        for pm in countries:
            name = ctx.entities[pm.entity].labels[0].text
            country_en = next((lab.text for lab in ctx.entities[pm.entity].labels if lab.lang == "en"), name)
            iri = entity_iri("org", f"trade unions of {country_en}", ctx.base)
            if iri not in new_entities:
                new_entities[iri] = Entity(
                    iri,
                    ORG,
                    (LKG + "TradeUnion", ORG_NS + "Organization"),
                    (Label(f"Trade unions of {country_en}", "en"),),
                    False,
                    pm.entity if "/country/" in pm.entity else None,
                )
            parties.append(iri)
    return list(dict.fromkeys(parties))


def _add(found: dict, ctx: Context, cls: str, parties: tuple[str, ...], date, location, pos: int) -> None:
    key = tuple(sorted(set(parties)))
    if len(key) < 2:
        return
    if key in found:
        m = found[key]
        m["date"] = m["date"] or date
        m["location"] = m["location"] or location
        return
    found[key] = {"cls": cls, "parties": key, "date": date, "location": location, "pos": pos}


def _freeze(ctx: Context, m: dict, new_entities: dict[str, Entity]) -> Memorandum:
    date = m["date"] or (ctx.published[:4] if ctx.published else None)
    names = [_label(new_entities.get(p) or ctx.entities.get(p), p) for p in m["parties"]]
    kind = {"Memorandum": "Memorandum", "CooperationAgreement": "Agreement", "CooperationProtocol": "Protocol"}[
        m["cls"]
    ]
    title = f"{kind} of cooperation between {' and '.join(names)}"
    iri = entity_iri("memorandum", f"{' '.join(p.rsplit('/', 1)[-1] for p in m['parties'])} {date or ''}", ctx.base)
    types = (LKG + m["cls"],) + ((LKG + "Memorandum",) if m["cls"] != "Memorandum" else ())
    return Memorandum(iri, types, (Label(title, "en"),), m["parties"], date, m["location"], None, (m["pos"], m["pos"]))


def _label(e: Entity | None, iri: str) -> str:
    """An organisation's English label for a memorandum's title (its IRI's last segment if it has none)."""
    if e is None:
        return iri.rsplit("/", 1)[-1]
    en = [lab.text for lab in e.labels if lab.lang == "en"]
    return en[0] if en else e.labels[0].text
