"""Step: drop candidates that another candidate's name contains.

A place or person inside an organisation's name is part of that name (its country, its founder), not a
place or person the text talks about; a region of a country is the exception ("Trade Union Centre of the
Kyzylorda region" says where the centre works), a part of the world is not ("Council of Trade Unions of
Central Asian Countries"). A region found by its pattern wins over the bare place name it contains
("Zhambyl region" over "Zhambyl"). In Kazakh, where a name ends with its head noun, a name that ends another
is a shorter form of it, not a second organisation.
"""

from __future__ import annotations

from kg.pipeline.gazetteer import part_of_the_world
from kg.pipeline.mentions.candidate import Candidate
from kg.pipeline.model import ORG, PERSON, PLACE


def filter_candidates(cands: list[Candidate], country_of: dict[str, str | None], lang: str = "") -> list[Candidate]:
    """The candidates that name something of their own, in their order."""
    org_spans = [(c.start, c.end) for c in cands if c.kind == ORG]
    out = []
    for c in cands:
        if lang == "kk" and c.kind == ORG and any(a < c.start and c.end == b for a, b in org_spans):
            continue  # Kazakh ends a name with its head: "Қырғызстан кәсіподақтары федерациясы" is one federation
        if c.kind == PLACE and c.iris and "/region/" in c.iris[0] and not part_of_the_world(country_of, c.iris[0]):
            pass
        elif c.kind in (PLACE, PERSON) and any(
            a <= c.start and c.end <= b and (a, b) != (c.start, c.end) for a, b in org_spans
        ):
            continue
        out.append(c)
    regions_spans = [(c.start, c.end) for c in cands if c.kind == PLACE and not c.iris]
    return [
        c
        for c in out
        if not (
            c.kind == PLACE
            and c.iris
            and "/region/" not in c.iris[0]
            and any(a <= c.start and c.end <= b for a, b in regions_spans)
        )
    ]
