"""Step: memoranda, agreements and protocols of cooperation and their parties.

A sentence that names such an instrument and its signing (or "memorandum of cooperation") gives one
instrument whose parties are the organisations of the sentence, plus the document's own
organisation when the text says only "signed with X". A list of countries ("... with trade union
organisations of Armenia, Azerbaijan and Georgia") gives one memorandum per country whose party is
the organisation "Trade unions of <Country>".
"""

from __future__ import annotations

import re

from kg.namespaces import LKG, entity_iri
from kg.namespaces import ORG as ORG_NS
from kg.pipeline.context import Context
from kg.pipeline.lexicon import EN_MEMO, KK_MEMO, RU_MEMO, SIGN_WORDS
from kg.pipeline.model import ORG, PLACE, Entity, Label, Memorandum, Mention
from kg.pipeline.tokens import kk_stem, ru_lemma

_WITH = re.compile(r"\bwith\b|\bс\s|\bсо\s|\bмен\b|\bпен\b|\bбен\b", re.I)
_VENUE = re.compile(r"(?:meeting|session|sitting)\s+of\s+(?:the\s+)?$|заседани\w+\s+$|отырыс\w*\s+$", re.I)
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
    r"(?:trade\s+unions?|trade\s+union\s+(?:organi[sz]ations|centres|centers|federations)|national\s+(?:trade\s+union\s+)?"
    r"cent(?:re|er)s|unions|профсоюз\w*(?:\s+организаци\w*)?|профцентр\w*)\s+(?:of|from|in|из|стран)\s+"
    r"(?:(?:fraternal|friendly|neighbouring|neighboring|partner|foreign)\s+(?:countries|states),?\s+(?:such\s+as\s+|including\s+"
    r"|namely\s+)?)?",
    re.I,
)


def find_memoranda(ctx: Context) -> tuple[list[Memorandum], list[Entity], list[Mention]]:
    """Memoranda, plus the "trade unions of <Country>" organisations they create and their mentions."""
    found: dict[tuple, dict] = {}
    new_entities: dict[str, Entity] = {}
    new_mentions: list[Mention] = []
    main = ctx.main_org()
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
        # the body at whose meeting the signing took place is not a party
        org_ms = [m for m in org_ms if not _VENUE.search(ctx.text[max(a, m.start - 24) : m.start])]
        org_ms += _social_partners(ctx, a, b, main, new_entities, new_mentions)
        org_ms.sort(key=lambda m: m.start)
        orgs = list(dict.fromkeys(m.entity for m in org_ms))
        dates = ctx.dates_in(a, b)
        date = dates[0].begin if dates else None
        cities = [m.entity for m in ctx.in_span(a, b, PLACE) if ctx.is_city(m.entity)]
        location = cities[0] if cities else None
        per_country = _country_parties(ctx, a, b, new_entities, new_mentions)
        if per_country:
            host = main or (orgs[0] if orgs else None)
            if host is None:
                continue
            others = [o for o in orgs if o != host]
            for party in per_country + others:
                _add(found, ctx, cls, (host, party), date, location, t_start)
            continue
        if main and main not in orgs and len(orgs) < 2 and (cls == "Memorandum" or _WITH.search(sent)):
            orgs.insert(0, main)  # "signed a memorandum with X": the document's own organisation signed
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


def _trigger(ctx: Context, a: int, b: int) -> tuple[str, int] | None:
    for t in ctx.tokens_in(a, b):
        if ctx.lang == "en":
            cls = EN_MEMO.get(t.text.lower())
            if (
                cls
                and t.text.lower().startswith("agreement")
                and re.search(r"general|collective|tariff|sectoral", ctx.text[max(a, t.start - 14) : t.start], re.I)
            ):
                cls = "CooperationAgreement"
        elif ctx.lang == "ru":
            cls = RU_MEMO.get(ru_lemma(t.text))
        else:
            cls = KK_MEMO.get(kk_stem(t.text))
        if cls:
            return cls, t.start
    return None


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
    country = ctx.entities[main].country if main and main in ctx.entities else None
    out = []
    for m in _PARTNERS.finditer(ctx.text, a, b):
        phrase = m.group(1)
        name = re.sub(r"^the\s+", "", phrase, flags=re.I)
        name = name[:1].upper() + name[1:]
        employers = re.search(r"employers|работодател", phrase, re.I)
        iri = entity_iri("org", name, ctx.base)
        if iri not in ctx.entities and iri not in new_entities:
            cls = "EmployersOrganization" if employers else "TradeUnion"
            new_entities[iri] = Entity(
                iri, ORG, (LKG + cls, ORG_NS + "Organization"), (Label(name, ctx.lang),), False, country
            )
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
    from kg.pipeline.gazetteer import gazetteer

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
                break
            countries.append(pm)
            pos = pm.end
        if len(countries) < 2:
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
                    pm.entity,
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
