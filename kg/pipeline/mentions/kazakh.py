"""Kazakh organisation names: capitalised words ending in a head noun with a possessive ending
("... кәсіподақ филиалы")."""

from __future__ import annotations

from kg.pipeline.lexicon import KK_ORG_HEADS
from kg.pipeline.mentions.candidate import Candidate
from kg.pipeline.mentions.words import joined
from kg.pipeline.model import ORG, Token
from kg.pipeline.tokens import kk_stem


def kazakh_org_mentions(text: str, tokens: list[Token], known: list[Candidate]) -> list[Candidate]:
    """Kazakh names end in a head noun with a possessive ending: "... кәсіподақ филиалы"."""
    out = []
    starts = {c.start for c in known}
    spans = [(c.start, c.end) for c in known]
    for idx, t in enumerate(tokens):
        head = next((h for h in KK_ORG_HEADS if kk_stem(t.text) == kk_stem(h)), None)
        if head is None or any(a <= t.start < b for a, b in spans):
            continue
        i = idx
        while i > 0 and idx - i < 6 and joined(text, tokens[i - 1], tokens[i]) and tokens[i - 1].start not in starts:
            i -= 1
            if tokens[i].text[:1].isupper():
                break
        if i == idx or not tokens[i].text[:1].isupper():
            continue
        if any(tokens[i].start < b and a < t.end for a, b in spans):
            continue
        name = text[tokens[i].start : tokens[idx].start] + head
        out.append(Candidate(tokens[i].start, t.end, ORG, name=name, lang="kk", cls=KK_ORG_HEADS[head]))
    return out
