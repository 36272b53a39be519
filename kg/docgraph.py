"""Turn a pipeline result into the quads of the document's named graph (the public contract).

The graph holds the schema:NewsArticle (with its headline and name, kg.titles) and its lkg:DocumentSource
(what the text was read from: format, the page's own title, how the date was found, the encoding, the feed),
schema:mentions to everything extracted, the entities' types and labels (reference entities keep their
reference IRI; their type and labels are repeated so the graph describes itself), events, memoranda, posts,
instrument links, and one W3C Web Annotation per mention with a TextPositionSelector and a TextQuoteSelector.
Every node has an IRI.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pyoxigraph import Literal, NamedNode, Quad

from kg.corpus import Record
from kg.namespaces import (
    DCT,
    INSTANCE_BASE,
    LKG,
    OA,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
    document_graph,
    document_iri,
    slug,
)
from kg.pipeline.model import Extraction, Label
from kg.titles import headline, lead

_CONTEXT = 32  # characters of oa:prefix / oa:suffix
#: The contract's base class of each kind, stated too so the graph is usable without the TBox.
_BASE_CLASS = {
    "org": ORG + "Organization",
    "person": SCHEMA + "Person",
    "place": SCHEMA + "Place",
    "convention": LKG + "Convention",
}
#: kg.corpus.Origin's values -> the ontology's concepts (lkg:SourceFormats, lkg:DateSources).
_SOURCE_FORMAT = {"record": "CorpusRecord", "text": "PlainTextFile", "page": "SavedWebPage", "feed": "FeedEntry"}
_DATE_SOURCE = {"record": "DateInRecord", "url": "DateInURL", "page": "DateInPage", "feed": "DateInFeedEntry"}


def document_quads(record: Record, extraction: Extraction, base: str = INSTANCE_BASE) -> list[Quad]:
    """All quads of the document graph kg.namespaces.document_graph(record.id)."""
    if extraction.doc_id != record.id:
        raise ValueError(f"extraction of {extraction.doc_id!r} given for record {record.id!r}")
    g = NamedNode(document_graph(record.id))
    out: list[Quad] = []
    nodes: dict[str, NamedNode] = {}  # the same subjects recur in many quads: each node is made once

    def iri(value: str) -> NamedNode:
        node = nodes.get(value)
        if node is None:
            node = nodes[value] = NamedNode(
                base + value[len(INSTANCE_BASE) :] if value.startswith(INSTANCE_BASE) else value
            )
        return node

    def add(s: str, p: str, o: NamedNode | Literal) -> None:
        out.append(Quad(iri(s), _term(p), o, g))

    doc = document_iri(record.id, INSTANCE_BASE)
    lang = extraction.lang
    add(doc, RDF + "type", _term(SCHEMA + "NewsArticle"))
    add(doc, SCHEMA + "identifier", Literal(record.id))
    if record.url:
        add(doc, SCHEMA + "url", _url(record.url))
    if record.published:
        add(doc, SCHEMA + "datePublished", Literal(record.published, datatype=_term(XSD + "date")))
    add(doc, SCHEMA + "inLanguage", Literal(lang))
    title = headline(record)
    if title:
        add(doc, SCHEMA + "headline", Literal(title, language=lang))
    add(doc, RDFS + "label", Literal(title or lead(record.text), language=lang))
    add(doc, SCHEMA + "text", Literal(record.text, language=lang))
    _source(add, iri, doc, record, lang)

    mentioned: list[str] = [e.iri for e in extraction.entities]
    mentioned += [e.iri for e in extraction.events] + [m.iri for m in extraction.memoranda]
    for m in dict.fromkeys(mentioned):
        add(doc, SCHEMA + "mentions", iri(m))

    for e in extraction.entities:
        for t in dict.fromkeys((*e.types, _BASE_CLASS[e.kind])):
            add(e.iri, RDF + "type", _term(t))
        _labels(add, e.iri, e.labels)
        if e.country:
            add(e.iri, LKG + "country" if e.kind != "place" else SCHEMA + "containedInPlace", iri(e.country))
        if e.parent:
            add(e.iri, ORG + "subOrganizationOf", iri(e.parent))
        if e.number is not None:
            add(e.iri, LKG + "conventionNumber", Literal(str(e.number), datatype=_term(XSD + "integer")))

    parents = {e.iri: e.parent for e in extraction.entities}
    for unit, parent in extraction.units:
        if parents.get(unit) != parent:
            add(unit, ORG + "subOrganizationOf", iri(parent))
    for member, organisation in extraction.memberships:
        add(member, ORG + "memberOf", iri(organisation))
    for organisation, count in extraction.member_counts:
        add(organisation, LKG + "memberCount", Literal(str(count), datatype=_term(XSD + "integer")))

    for ev in extraction.events:
        for t in ev.types:
            add(ev.iri, RDF + "type", _term(t))
        add(ev.iri, SCHEMA + "name", Literal(ev.names[0].text, language=ev.names[0].lang))
        _labels(add, ev.iri, ev.names)
        if ev.start:
            add(ev.iri, SCHEMA + "startDate", _date(ev.start))
        if ev.end:
            add(ev.iri, SCHEMA + "endDate", _date(ev.end))
        if ev.location:
            add(ev.iri, SCHEMA + "location", iri(ev.location))
        for o in ev.organizers:
            add(ev.iri, SCHEMA + "organizer", iri(o))
        for a in ev.attendees:
            add(ev.iri, SCHEMA + "attendee", iri(a))
        if ev.super_event:
            add(ev.iri, SCHEMA + "superEvent", iri(ev.super_event))
        if ev.session_number is not None:
            add(ev.iri, LKG + "sessionNumber", Literal(str(ev.session_number), datatype=_term(XSD + "integer")))

    for m in extraction.memoranda:
        for t in m.types:
            add(m.iri, RDF + "type", _term(t))
        _labels(add, m.iri, m.names)
        for p in m.parties:
            add(m.iri, LKG + "party", iri(p))
        if m.date:
            add(m.iri, LKG + "signingDate", _date(m.date))
        if m.location:
            add(m.iri, SCHEMA + "location", iri(m.location))
        if m.about:
            add(m.iri, SCHEMA + "about", Literal(m.about))

    for p in extraction.posts:
        role = f"{INSTANCE_BASE}role/{slug(p.role)}"
        add(p.iri, RDF + "type", _term(ORG + "Post"))
        add(p.iri, RDFS + "label", Literal(p.label, language="en"))
        add(p.iri, ORG + "postIn", iri(p.organization))
        add(p.iri, ORG + "role", iri(role))
        add(role, RDF + "type", _term(ORG + "Role"))
        add(role, RDF + "type", _term(SKOS + "Concept"))
        add(role, SKOS + "prefLabel", Literal(p.role, language="en"))
        add(p.person, ORG + "holds", iri(p.iri))

    for link in extraction.instrument_links:
        if link.kind == "call":
            add(link.agent, LKG + "callsToRatify", iri(link.instrument))
        else:
            r = f"{INSTANCE_BASE}ratification/{link.agent.rsplit('/', 1)[-1]}-{link.instrument.rsplit('/', 1)[-1]}"
            add(r, RDF + "type", _term(LKG + "Ratification"))
            add(r, LKG + "ratifiedBy", iri(link.agent))
            add(r, LKG + "instrument", iri(link.instrument))

    text = record.text
    for men in extraction.mentions:
        if text[men.start : men.end] != men.exact:
            raise ValueError(f"{record.id}: mention {men.start}-{men.end} does not match the text")
        ann = f"{doc}/mention/{men.start}-{men.end}"
        target, pos, quote = f"{ann}/target", f"{ann}/target/position", f"{ann}/target/quote"
        add(ann, RDF + "type", _term(OA + "Annotation"))
        add(ann, OA + "hasBody", iri(men.entity))
        add(ann, OA + "motivatedBy", _term(OA + "identifying"))
        add(ann, OA + "hasTarget", iri(target))
        add(target, RDF + "type", _term(OA + "SpecificResource"))
        add(target, OA + "hasSource", iri(doc))
        add(target, OA + "hasSelector", iri(pos))
        add(target, OA + "hasSelector", iri(quote))
        add(pos, RDF + "type", _term(OA + "TextPositionSelector"))
        add(pos, OA + "start", Literal(str(men.start), datatype=_term(XSD + "nonNegativeInteger")))
        add(pos, OA + "end", Literal(str(men.end), datatype=_term(XSD + "nonNegativeInteger")))
        add(quote, RDF + "type", _term(OA + "TextQuoteSelector"))
        add(quote, OA + "exact", Literal(men.exact))
        add(quote, OA + "prefix", Literal(text[max(0, men.start - _CONTEXT) : men.start]))
        add(quote, OA + "suffix", Literal(text[men.end : men.end + _CONTEXT]))
    return sorted(set(out), key=str)


def _source(add, iri, doc: str, record: Record, lang: str) -> None:
    """Where the text came from: the node id/doc/<id>/source, which the document prov:wasDerivedFrom."""
    origin, source = record.origin, f"{doc}/source"
    add(doc, PROV + "wasDerivedFrom", iri(source))
    add(source, RDF + "type", _term(LKG + "DocumentSource"))
    add(source, LKG + "sourceFormat", _term(LKG + _SOURCE_FORMAT[origin.format]))
    if record.published and origin.date_found:
        add(source, LKG + "dateSource", _term(LKG + _DATE_SOURCE[origin.date_found]))
    if origin.title:
        add(source, DCT + "title", Literal(origin.title, language=lang))
    if origin.encoding:
        add(source, LKG + "characterEncoding", Literal(origin.encoding))
    feed = _url(origin.feed) if origin.feed else None
    if isinstance(feed, NamedNode):
        add(source, SCHEMA + "isPartOf", feed)


@lru_cache(maxsize=1024)
def _term(value: str) -> NamedNode:
    """A node of the vocabulary (properties, classes), made once per process."""
    return NamedNode(value)


def _labels(add, subject: str, labels: tuple[Label, ...]) -> None:
    seen_lang: set[str] = set()
    for lab in labels:
        lit = Literal(lab.text, language=lab.lang)
        if lab.lang not in seen_lang:
            seen_lang.add(lab.lang)
            add(subject, RDFS + "label", lit)
            add(subject, SKOS + "prefLabel", lit)
        else:
            add(subject, SKOS + "altLabel", lit)


def _date(value: str) -> Literal:
    kind = {10: "date", 7: "gYearMonth", 4: "gYear"}.get(len(value))
    if kind is None:
        raise ValueError(f"not an ISO date, year-month or year: {value!r}")
    return Literal(value, datatype=_term(XSD + kind))


def _url(url: str) -> NamedNode | Literal:
    if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url):
        return NamedNode(url)
    return Literal(url)
