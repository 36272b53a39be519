"""Step resource: natasha's Russian NER (its models ship inside the wheel), used for person names.

Only PER spans are used: organisations and places come from the gazetteer and the name patterns,
which are more precise on this corpus. Words natasha pulls into a name that are not names (a verb
at the start of a sentence, a post) are trimmed.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from kg.pipeline.tokens import parse

_TWO_CAPS = re.compile(r"[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+\s+[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+|[А-ЯЁ]\.\s*[А-ЯЁ][а-яё]+")
_NOT_NAME_POS = {"VERB", "INFN", "GRND", "PRTF", "PRTS", "ADJF", "ADVB", "PREP", "CONJ", "PRCL", "NUMR"}


@lru_cache(maxsize=1)
def _models():  # noqa: ANN202 - natasha has no type stubs
    # Extraction runs one worker process per core: BLAS threads in the model would only fight each other
    # (ten times slower on a busy machine). Effective when numpy is first imported here, as in kg workers.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def person_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of person names natasha finds, trimmed to name words."""
    from natasha import Doc

    segmenter, tagger = _models()
    out = []
    for offset, chunk in _name_chunks(text):
        doc = Doc(chunk)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        out += [(offset + a, offset + b) for a, b in _trimmed_persons(doc)]
    return out


def _name_chunks(text: str) -> list[tuple[int, str]]:
    """Only paragraphs with two capitalised words in a row can hold a full name: the model skips the rest."""
    chunks = []
    for m in re.finditer(r"[^\n]+", text):
        if _TWO_CAPS.search(m.group()):
            chunks.append((m.start(), m.group()))
    return chunks


def _trimmed_persons(doc) -> list[tuple[int, int]]:  # noqa: ANN001 - a natasha Doc
    out = []
    for span in doc.spans:
        if span.type != "PER":
            continue
        words = [(t.start, t.stop, t.text) for t in span.tokens if t.text[:1].isalpha()]
        while words and not _name_like(words[0][2]):
            words.pop(0)
        while words and not _name_like(words[-1][2]):
            words.pop()
        if words:
            out.append((words[0][0], words[-1][1]))
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
