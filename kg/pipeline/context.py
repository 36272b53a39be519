"""The document object the pipeline's steps read and fill, one after the other (spaCy's Doc, in spirit).

A step reads what earlier steps left (the text, its sentences, tokens, dates, candidates, resolved
entities and mentions) and adds its own result; :func:`kg.pipeline.extract` turns the filled object into
an :class:`~kg.pipeline.model.Extraction`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.namespaces import INSTANCE_BASE
from kg.pipeline.dates import DateSpan
from kg.pipeline.model import ORG, PERSON, PLACE, Entity, Event, InstrumentLink, Memorandum, Mention, Post, Token

if TYPE_CHECKING:
    from kg.pipeline.mentions.candidate import Candidate


@dataclass
class Context:
    doc_id: str
    text: str
    lang: str = ""  # declared by the record ("" when not), then the detected language
    published: str | None = None
    base: str = INSTANCE_BASE
    sentences: list[tuple[int, int]] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    dates: list[DateSpan] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    url: str | None = None
    title: str | None = None
    publisher: str | None = None  # the reference organisation on whose site the record was published
    candidates: list[Candidate] = field(default_factory=list)
    memoranda: list[Memorandum] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    instrument_links: list[InstrumentLink] = field(default_factory=list)
    memberships: list[tuple[str, str]] = field(default_factory=list)
    member_counts: list[tuple[str, int]] = field(default_factory=list)
    units: list[tuple[str, str]] = field(default_factory=list)
    # tokens are in text order and do not overlap, so their starts and ends both ascend: tokens_in bisects them
    _starts: list[int] = field(init=False, repr=False, compare=False)
    _ends: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.set_tokens(self.tokens)

    def set_tokens(self, tokens: list[Token]) -> None:
        """Set the tokens and the index :meth:`tokens_in` bisects."""
        self.tokens = tokens
        self._starts = [t.start for t in tokens]
        self._ends = [t.end for t in tokens]

    def add_mentions(self, mentions: Iterable[Mention]) -> None:
        """Add mentions (once each), keeping them in text order."""
        self.mentions = sorted(set(self.mentions) | set(mentions), key=lambda m: (m.start, m.end, m.entity))

    def in_span(self, a: int, b: int, kind: str | None = None) -> list[Mention]:
        return [
            m
            for m in self.mentions
            if a <= m.start and m.end <= b and (kind is None or self.entities[m.entity].kind == kind)
        ]

    def named(self, a: int, b: int) -> list[Mention]:
        """Organisations and people named between a and b, in text order; not a name inside another's ("the
        Headquarters of <person>", the ITUC of "the ITUC General Council")."""
        found = [m for m in self.in_span(a, b) if self.entities[m.entity].kind in (ORG, PERSON)]
        return [m for m in found if not any(_inside(m, o) for o in found)]

    def tokens_in(self, a: int, b: int) -> list[Token]:
        return self.tokens[bisect_left(self._starts, a) : bisect_right(self._ends, b)]

    def dates_in(self, a: int, b: int) -> list[DateSpan]:
        return [d for d in self.dates if a <= d.start and d.end <= b]

    def main_org(self) -> str | None:
        """The organisation the document is mostly about (the most mentioned trade union centre)."""
        counts = Counter(
            m.entity
            for m in self.mentions
            if self.entities[m.entity].kind == ORG
            and any(t.endswith(("TradeUnionCentre", "TradeUnion")) for t in self.entities[m.entity].types)
        )
        return counts.most_common(1)[0][0] if counts else None

    def is_city(self, iri: str) -> bool:
        return "/city/" in iri

    def is_venue(self, iri: str) -> bool:
        """Whether a place can be where an event is held: not a part of the world ("Central Asia", "the CIS
        region"), which the reference knowledge tells apart as a region in no country; reports name those as
        the scope of a meeting ("trade unions of Central Asia met"), not its venue."""
        e = self.entities[iri]
        return not (e.reference and e.country is None and "/country/" not in iri)

    def place_rank(self, iri: str) -> int:
        return 0 if "/city/" in iri else 2 if "/country/" in iri else 1

    def kinds(self) -> tuple[str, str, str]:
        return ORG, PERSON, PLACE


def _inside(m: Mention, o: Mention) -> bool:
    """Whether mention m is part of the longer mention o."""
    return o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start
