"""Mentions of what the reference knowledge already knows: every label and alias of the gazetteer."""

from __future__ import annotations

from kg.pipeline.gazetteer import Gazetteer
from kg.pipeline.mentions.candidate import Candidate
from kg.pipeline.model import Token


def gazetteer_mentions(tokens: list[Token], lang: str, gaz: Gazetteer) -> list[Candidate]:
    """Longest, left-to-right matches of reference labels ("the" is ignored on both sides, so "Federation of
    the Trade Unions of the Republic ..." matches too)."""
    tokens = [t for t in tokens if t.key != "the"]
    keys = [t.key for t in tokens]
    surfaces = [t.text for t in tokens]
    out: list[Candidate] = []
    i = 0
    while i < len(tokens):
        n, iris = gaz.lookup(keys, surfaces, i, lang)
        if n:
            kind = gaz.entries[iris[0]].kind
            iris = [x for x in iris if gaz.entries[x].kind == kind]
            out.append(Candidate(tokens[i].start, tokens[i + n - 1].end, kind, iris))
            i += n
        else:
            i += 1
    return out
