"""Kazakh organisation names: capitalised words ending in a head noun with a possessive ending
("... кәсіподақ филиалы")."""

from __future__ import annotations

from kg.pipeline.lexicon import KK_ORG_HEADS
from kg.pipeline.mentions.candidate import Candidate
from kg.pipeline.mentions.words import joined
from kg.pipeline.model import ORG, PLACE, Token
from kg.pipeline.tokens import kk_stem


def kazakh_org_mentions(text: str, tokens: list[Token], known: list[Candidate]) -> list[Candidate]:
    """Kazakh names end in a head noun with a possessive ending: "... кәсіподақ филиалы". They start at a
    capitalised word, or at the capitalised words of a name ("Фридрих Эберт қоры"), which may be a place
    ("Қырғызстан кәсіподақтары федерациясы")."""
    out = []
    # a known name ends the search backwards, but not a common noun phrase that some organisation is also
    # called ("кәсіподақтар федерациясы"); a place alone may start the organisation's name
    spans = [(c.start, c.end) for c in known if c.kind != PLACE and text[c.start : c.start + 1].isupper()]
    places = {c.start for c in known if c.kind == PLACE}
    for idx, t in enumerate(tokens):
        head = next((h for h in KK_ORG_HEADS if kk_stem(t.text) == kk_stem(h)), None)
        if head is None or any(a <= t.start < b for a, b in spans):
            continue
        i = idx
        while i > 0 and idx - i < 6 and joined(text, tokens[i - 1], tokens[i]):
            before = tokens[i - 1]
            capitalised = before.text[:1].isupper()
            if any(a <= before.start < b for a, b in spans):
                break
            if i < idx and tokens[i].text[:1].isupper() and (not capitalised or _opens_sentence(text, before)):
                break  # the name's capitalised words end here ("Отырыс" opening a sentence is no part of it)
            i -= 1
            if before.start in places:
                break
        if i == idx or not tokens[i].text[:1].isupper():
            continue
        name = text[tokens[i].start : tokens[idx].start] + head
        out.append(Candidate(tokens[i].start, t.end, ORG, name=name, lang="kk", cls=KK_ORG_HEADS[head]))
    return out


def _opens_sentence(text: str, token: Token) -> bool:
    """Whether the token is the first word of its sentence (capitalised whatever it is)."""
    before = text[max(0, token.start - 40) : token.start].rstrip(" \t«\"“(")
    return not before or before[-1] in ".!?:\n"
