"""A deterministic synthetic labour-kg of any size, shaped like the real one.

Documents (one named graph each) mention organisations, people, countries, events and memoranda
through Web Annotations, and restate facts about them, so the same triple recurs across graphs as in
real builds; a reference graph holds the countries and an inferred graph the supertypes. The same
size and seed always give the same quads.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pyoxigraph as ox

from kg import namespaces as ns

WORDS = ("union", "federation", "labour", "workers", "cooperation", "agreement", "conference", "memorandum",
         "congress", "ILO", "social", "dialogue", "rights", "wages", "safety", "occupational", "decent", "work",
         "youth", "women", "trade", "centre", "regional", "sectoral", "convention", "ratification", "delegation",
         "meeting", "visit", "programme", "training", "seminar")
ORG_CLASSES = ("TradeUnionCentre", "SectoralUnion", "RegionalUnionAssociation", "ILOBody", "GovernmentBody",
               "EmployersOrganization", "Foundation")
EVENT_CLASSES = ("Conference", "Congress", "Seminar", "Training", "Meeting", "Forum", "Visit")
#: organisation class -> its supertypes, as the inferred graph records them
SUPERTYPES = {"TradeUnionCentre": ("TradeUnion",), "SectoralUnion": ("TradeUnion",),
              "RegionalUnionAssociation": ("TradeUnion",)}
COUNTRIES = ("KZ", "RU", "KG", "UZ", "TJ", "BY", "AM", "AZ", "TR", "DE", "FR", "IT", "CH", "US", "CN", "KR", "JP",
             "IN", "BR", "ZA", "PL", "CZ", "FI", "SE", "NO")
TRIPLES_PER_DOCUMENT = 110  # about; used to size the entity pools


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


A = _n(ns.RDF + "type")
LABEL = _n(ns.RDFS + "label")
XSD_DATE = _n(ns.XSD + "date")
XSD_INT = _n(ns.XSD + "integer")


def parse_size(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000."""
    text = text.strip()
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def graphs(size: int, seed: int = 7) -> Iterator[tuple[str, list[ox.Quad]]]:
    """(graph IRI, its quads) until about ``size`` quads in all: reference, documents, then inferred."""
    rng = random.Random(seed)
    n_docs = max(1, size // TRIPLES_PER_DOCUMENT)
    base = ns.INSTANCE_BASE
    orgs = [(f"{base}org/synth-{i}", rng.choice(ORG_CLASSES)) for i in range(max(5, n_docs // 3))]
    people = [f"{base}person/synth-{i}" for i in range(max(5, n_docs // 3))]
    yield ns.REFERENCE_GRAPH, list(_reference(ns.REFERENCE_GRAPH))
    total = 0
    i = 0
    while total < size:
        graph, quads = _document(rng, i, orgs, people)
        total += len(quads)
        i += 1
        yield graph, quads
    g = _n(ns.INFERRED_GRAPH)
    inferred = []
    for org, cls in orgs:
        for sup in (*SUPERTYPES.get(cls, ()), "Organization"):
            namespace = ns.ORG if sup == "Organization" else ns.LKG
            inferred.append(ox.Quad(_n(org), A, _n(namespace + sup), g))
    yield ns.INFERRED_GRAPH, inferred


def quads(size: int, seed: int = 7) -> Iterator[ox.Quad]:
    for _, qs in graphs(size, seed):
        yield from qs


def _reference(graph: str) -> Iterator[ox.Quad]:
    g = _n(graph)
    for code in COUNTRIES:
        country = _n(f"{ns.INSTANCE_BASE}country/{code}")
        yield ox.Quad(country, A, _n(ns.SCHEMA + "Country"), g)
        yield ox.Quad(country, _n(ns.LKG + "iso3166Alpha2"), ox.Literal(code), g)
        yield ox.Quad(country, LABEL, ox.Literal(f"Country {code}", language="en"), g)


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _document(rng: random.Random, i: int, orgs: list, people: list) -> tuple[str, list[ox.Quad]]:
    doc_id = f"synth-{i:07d}"
    graph = ns.document_graph(doc_id)
    g = _n(graph)
    doc = _n(ns.document_iri(doc_id))
    out: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: str, o: ox.Term) -> None:
        out.append(ox.Quad(s, _n(p), o, g))

    lang = rng.choice(("en", "ru", "kk"))
    text = _words(rng, 60)
    add(doc, ns.RDF + "type", _n(ns.SCHEMA + "NewsArticle"))
    add(doc, ns.SCHEMA + "identifier", ox.Literal(doc_id))
    add(doc, ns.SCHEMA + "url", _n(f"https://example.org/news/{doc_id}"))
    published = f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    add(doc, ns.SCHEMA + "datePublished", ox.Literal(published, datatype=XSD_DATE))
    add(doc, ns.SCHEMA + "inLanguage", ox.Literal(lang))
    add(doc, ns.SCHEMA + "headline", ox.Literal(_words(rng, 8).capitalize(), language=lang))
    add(doc, ns.SCHEMA + "text", ox.Literal(text, language=lang))
    add(g, ns.RDF + "type", _n(ns.PROV + "Entity"))
    add(g, ns.PROV + "wasDerivedFrom", doc)

    mentioned: list[ox.NamedNode] = []
    for org, cls in rng.sample(orgs, min(len(orgs), rng.randint(2, 4))):
        o = _n(org)
        mentioned.append(o)
        add(o, ns.RDF + "type", _n(ns.LKG + cls))
        add(o, ns.RDFS + "label", ox.Literal(f"Organisation {org.rsplit('-', 1)[1]}", language="en"))
        add(o, ns.LKG + "country", _n(f"{ns.INSTANCE_BASE}country/{rng.choice(COUNTRIES)}"))
    person = _n(rng.choice(people))
    post = _n(f"{person.value.replace('/person/', '/post/')}-chair")
    mentioned.append(person)
    add(person, ns.RDF + "type", _n(ns.SCHEMA + "Person"))
    add(person, ns.RDFS + "label", ox.Literal(f"Person {person.value.rsplit('-', 1)[1]}", language="en"))
    add(person, ns.ORG + "holds", post)
    add(post, ns.RDF + "type", _n(ns.ORG + "Post"))
    add(post, ns.ORG + "postIn", mentioned[0])
    add(post, ns.ORG + "role", _n(f"{ns.INSTANCE_BASE}role/chairman"))
    if rng.random() < 0.5:
        event = _n(f"{ns.INSTANCE_BASE}event/{doc_id}")
        mentioned.append(event)
        add(event, ns.RDF + "type", _n(ns.LKG + rng.choice(EVENT_CLASSES)))
        add(event, ns.SCHEMA + "name", ox.Literal(_words(rng, 4), language="en"))
        add(event, ns.SCHEMA + "startDate", ox.Literal(f"20{rng.randint(10, 25)}-05-1{rng.randint(0, 9)}",
                                                       datatype=XSD_DATE))
        add(event, ns.SCHEMA + "location", _n(f"{ns.INSTANCE_BASE}country/{rng.choice(COUNTRIES)}"))
        add(event, ns.SCHEMA + "organizer", mentioned[0])
        for attendee in mentioned[1:-1]:
            add(event, ns.SCHEMA + "attendee", attendee)
    else:
        memo = _n(f"{ns.INSTANCE_BASE}memorandum/{doc_id}")
        mentioned.append(memo)
        add(memo, ns.RDF + "type", _n(ns.LKG + "Memorandum"))
        add(memo, ns.LKG + "party", mentioned[0])
        add(memo, ns.LKG + "party", mentioned[1])
        add(memo, ns.LKG + "signingDate", ox.Literal(f"20{rng.randint(10, 25)}", datatype=_n(ns.XSD + "gYear")))
    for entity in mentioned:
        add(doc, ns.SCHEMA + "mentions", entity)
        start = rng.randrange(0, len(text) - 20)
        end = start + rng.randint(3, 20)
        ann = _n(f"{doc.value}/mention/{start}-{end}")
        target = _n(ann.value + "/target")
        pos, quote = _n(ann.value + "/position"), _n(ann.value + "/quote")
        add(ann, ns.RDF + "type", _n(ns.OA + "Annotation"))
        add(ann, ns.OA + "hasBody", entity)
        add(ann, ns.OA + "motivatedBy", _n(ns.OA + "identifying"))
        add(ann, ns.OA + "hasTarget", target)
        add(target, ns.RDF + "type", _n(ns.OA + "SpecificResource"))
        add(target, ns.OA + "hasSource", doc)
        add(target, ns.OA + "hasSelector", pos)
        add(target, ns.OA + "hasSelector", quote)
        add(pos, ns.RDF + "type", _n(ns.OA + "TextPositionSelector"))
        add(pos, ns.OA + "start", ox.Literal(str(start), datatype=XSD_INT))
        add(pos, ns.OA + "end", ox.Literal(str(end), datatype=XSD_INT))
        add(quote, ns.RDF + "type", _n(ns.OA + "TextQuoteSelector"))
        add(quote, ns.OA + "exact", ox.Literal(text[start:end]))
        add(quote, ns.OA + "prefix", ox.Literal(text[max(0, start - 10):start]))
        add(quote, ns.OA + "suffix", ox.Literal(text[end:end + 10]))
    return graph, out
