"""Typed values passed between the pipeline steps and returned by :func:`kg.pipeline.extract`.

Everything is a frozen dataclass of strings, ints and tuples so an extraction pickles cheaply
between worker processes and compares equal when the input is the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Entity kinds: the IRI path segment and the contract's base class of each.
ORG, PERSON, PLACE, CONVENTION = "org", "person", "place", "convention"


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    key: str  # normalised form used for matching (lemma, stem or folded spelling)


@dataclass(frozen=True)
class Label:
    text: str
    lang: str


@dataclass(frozen=True)
class Entity:
    """An organisation, person, place or ILO instrument found in the document."""

    iri: str
    kind: str
    types: tuple[str, ...]  # class IRIs (most specific first)
    labels: tuple[Label, ...]  # first label per language is the rdfs:label, the rest altLabels
    reference: bool = False  # True when the entity comes from ontology/reference
    country: str | None = None  # IRI of its country (organisations, cities)
    parent: str | None = None  # organisation it is a unit of (org:subOrganizationOf)
    number: int | None = None  # convention number


@dataclass(frozen=True)
class Mention:
    """A span of the text that names an entity; text[start:end] == exact."""

    start: int
    end: int
    exact: str
    entity: str  # IRI


@dataclass(frozen=True)
class Event:
    iri: str
    types: tuple[str, ...]
    names: tuple[Label, ...]
    start: str | None = None  # ISO date, YYYY-MM or YYYY
    end: str | None = None
    location: str | None = None  # place IRI
    organizers: tuple[str, ...] = ()
    attendees: tuple[str, ...] = ()
    super_event: str | None = None
    session_number: int | None = None
    span: tuple[int, int] = (0, 0)  # the trigger phrase


@dataclass(frozen=True)
class Memorandum:
    iri: str
    types: tuple[str, ...]
    names: tuple[Label, ...]
    parties: tuple[str, ...]
    date: str | None = None
    location: str | None = None
    about: str | None = None
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Post:
    iri: str
    label: str
    role: str  # role label in English, e.g. "Chairman"
    person: str
    organization: str


@dataclass(frozen=True)
class InstrumentLink:
    """A ratification (country ratified instrument) or a call to ratify (organisation -> instrument)."""

    kind: str  # "ratification" | "call"
    agent: str
    instrument: str


@dataclass(frozen=True)
class Extraction:
    """What the pipeline found in one document."""

    doc_id: str
    lang: str
    published: str | None
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    memoranda: tuple[Memorandum, ...] = ()
    posts: tuple[Post, ...] = ()
    instrument_links: tuple[InstrumentLink, ...] = ()
    memberships: tuple[tuple[str, str], ...] = field(default=())  # (member, organisation)
    member_counts: tuple[tuple[str, int], ...] = field(default=())  # (organisation, number of members)
    units: tuple[tuple[str, str], ...] = field(default=())  # (unit, parent organisation) stated in the text
