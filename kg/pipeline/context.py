"""What the relation steps read: the text, its sentences, tokens, dates and resolved mentions."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from kg.pipeline.dates import DateSpan
from kg.pipeline.model import ORG, PERSON, PLACE, Entity, Mention, Token


@dataclass
class Context:
    doc_id: str
    text: str
    lang: str
    published: str | None
    base: str
    sentences: list[tuple[int, int]]
    tokens: list[Token]
    dates: list[DateSpan]
    entities: dict[str, Entity]
    mentions: list[Mention]
    # tokens are in text order and do not overlap, so their starts and ends both ascend: tokens_in bisects them
    _starts: list[int] = field(init=False, repr=False, compare=False)
    _ends: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._starts = [t.start for t in self.tokens]
        self._ends = [t.end for t in self.tokens]

    def in_span(self, a: int, b: int, kind: str | None = None) -> list[Mention]:
        return [
            m
            for m in self.mentions
            if a <= m.start and m.end <= b and (kind is None or self.entities[m.entity].kind == kind)
        ]

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
