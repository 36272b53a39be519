"""Step: split text into sentences (character ranges), keeping offsets into the original text."""

from __future__ import annotations

import re

# A sentence ends at . ! ? or … followed by space and an upper-case letter, digit or quote, or at a blank line.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"»”']?\s+(?=[\"«“A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])|\n\s*\n|\n")
# Abbreviations after which a full stop does not end a sentence.
_ABBREV = re.compile(r"(?:\b(?:No|Nos|Mr|Mrs|Ms|Dr|St|Prof|vs|etc|Jr|Sr|г|гг|им|т|ул|см|проф|акад)|\b[A-ZА-ЯЁ])\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence ranges (start, end) covering the text without surrounding white space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if "\n" not in m.group() and _ABBREV.search(text[max(0, m.start() - 6) : m.start()].rstrip("\"»”'")):
            continue
        _add(text, start, m.start(), spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
