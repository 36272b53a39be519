"""Step resource: natasha's Russian NER (its models ship inside the wheel), used for person names.

Only PER spans are used: organisations and places come from the gazetteer and the name patterns,
which are more precise on this corpus. Words natasha pulls into a name that are not names (a verb
at the start of a sentence, a post) are trimmed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.pipeline.tokens import parse

_TWO_CAPS = re.compile(r"[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+\s+[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+|[А-ЯЁ]\.\s*[А-ЯЁ][а-яё]+")
_PIECE = re.compile(r"\S+")
_NOT_NAME_POS = {"VERB", "INFN", "GRND", "PRTF", "PRTS", "ADJF", "ADVB", "PREP", "CONJ", "PRCL", "NUMR"}


@lru_cache(maxsize=1)
def _models():  # noqa: ANN202 - natasha has no type stubs
    # The tagger multiplies small matrices: a pool of BLAS threads only spins (1.7 times the CPU for the same
    # time) and takes the cores of the other build workers (with two workers, no faster than one). Limited
    # here, at run time, because numpy is often imported before the pipeline (trafilatura, the build).
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def person_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of person names natasha finds, trimmed to name words."""
    _, tagger = _models()
    out = []
    for offset, chunk in _name_chunks(text):
        persons = [(s.start, s.stop) for s in tagger(chunk).spans if s.type == "PER"]
        out += [(offset + a, offset + b) for a, b in _trimmed_persons(chunk, persons)]
    return out


def words_in(chunk: str, a: int, b: int) -> list[tuple[int, int, str]]:
    """natasha's (razdel's) words of ``chunk`` that lie within [a, b], as (start, stop, text).

    Only the stretch from the white-space-separated piece before [a, b] to the piece after it is tokenised:
    razdel never joins across white space and its rules look at most one atom beyond a piece, so these are
    the words the whole chunk would give, at a fraction of the cost (tokenising whole paragraphs again,
    after the model did, was a tenth of a Russian document's time)."""
    segmenter, _ = _models()
    pieces = [(m.start(), m.end()) for m in _PIECE.finditer(chunk)]
    first = next((i for i, (_, end) in enumerate(pieces) if end > a), len(pieces))
    last = next((i for i in range(len(pieces) - 1, -1, -1) if pieces[i][0] < b), -1)
    if first > last:
        return []
    lo, hi = pieces[max(first - 1, 0)][0], pieces[min(last + 1, len(pieces) - 1)][1]
    return [
        (lo + t.start, lo + t.stop, t.text)
        for t in segmenter.tokenize(chunk[lo:hi])
        if a <= lo + t.start and lo + t.stop <= b
    ]


def _name_chunks(text: str) -> list[tuple[int, str]]:
    """Only paragraphs with two capitalised words in a row can hold a full name: the model skips the rest."""
    chunks = []
    for m in re.finditer(r"[^\n]+", text):
        if _TWO_CAPS.search(m.group()):
            chunks.append((m.start(), m.group()))
    return chunks


def _trimmed_persons(chunk: str, persons: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a, b in persons:
        inside = [w for w in words_in(chunk, a, b) if w[2][:1].isalpha()]
        while inside and not _name_like(inside[0][2]):
            inside.pop(0)
        while inside and not _name_like(inside[-1][2]):
            inside.pop()
        if inside:
            out.append((inside[0][0], inside[-1][1]))
    return out


def _name_like(word: str) -> bool:
    if not word[:1].isupper():
        return False
    parses = parse(word)
    if any({"Name", "Surn", "Patr"} & set(p.tag.grammemes) for p in parses[:3]):
        return True
    top = parses[0]
    known = top.methods_stack[0][0].__class__.__name__ == "DictionaryAnalyzer"
    return not (known and top.tag.POS in _NOT_NAME_POS | {"NOUN"})
