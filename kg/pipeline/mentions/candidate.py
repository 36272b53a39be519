"""What the mention finders return: a span of the text that names an entity, before resolution."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Candidate:
    """A span that names an entity: known (iris from the gazetteer) or new (a name and a class)."""

    start: int
    end: int
    kind: str
    iris: list[str] = field(default_factory=list)
    name: str = ""  # label of a new entity (nominative for Russian)
    lang: str = "en"
    cls: str = ""  # lkg class name for new organisations / places
    country: str | None = None
    parent: str | None = None
    short: str = ""  # the name without "of the <parent>" ("Committee for Youth and Family Affairs")
