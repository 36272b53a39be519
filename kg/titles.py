"""What a document is called: its headline (the record's title, else the text's first line when it reads as
one) and, when it has none, a short lead taken from its first sentence.

Decided at build time (kg.docgraph writes both into the document's graph) rather than on display: every
place that names a document (home page, lists, search, saved-query tables, SPARQL users, dumps) then reads
the same stored name, and no page has to fetch a whole text to make one up.
"""

from __future__ import annotations

import re

from kg.corpus import Record

#: A first line longer than this is a lead paragraph, not a headline (the longest headline of the shared
#: corpus has 122 characters; its lead paragraphs run from 150 to 700).
HEADLINE_MAX = 150
#: A lead used as a name is cut at a word boundary near this many characters; a first sentence shorter
#: than LEAD_MIN (a stray full stop: "Today the Foundation. Friedrich Ebert...") runs on to LEAD_MAX.
LEAD_MAX = 100
LEAD_MIN = 40
#: A sentence ends at . ! or ? followed by space and a capital, a digit or an opening quote, unless the dot
#: closes an initial or a short abbreviation ("F.", "г.", "к.э.н.").
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b\w\.)(?<!\b\w\w\.)\s+(?=[\"«“(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])")


def headline(record: Record) -> str | None:
    """The record's title, else the first line of its text when it reads as a headline."""
    if record.title and record.title.strip():
        return record.title.strip()
    return first_line_headline(record.text)


def first_line_headline(text: str) -> str | None:
    """The first line when it reads as a headline: more text follows it, it is short, it is one sentence
    (or none) and it does not run on into the next line (no final comma, colon or semicolon)."""
    first, _newline, rest = text.strip().partition("\n")
    first = first.strip()
    if not rest.strip() or not 3 <= len(first) <= HEADLINE_MAX:
        return None
    if first[-1] in ",:;" or _SENTENCE_END.search(first):
        return None
    return first


def lead(text: str) -> str:
    """The text's first sentence, cut at a word boundary with an ellipsis when it is long."""
    first = text.strip().split("\n", 1)[0].strip()
    sentence = _SENTENCE_END.split(first, maxsplit=1)[0]
    if len(sentence) < LEAD_MIN:
        sentence = first
    if len(sentence) <= LEAD_MAX:
        return sentence
    cut = sentence[:LEAD_MAX].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


def name(record: Record) -> str:
    """What to call the document: its headline, else the lead of its text."""
    return headline(record) or lead(record.text)
