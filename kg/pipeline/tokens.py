"""Step: tokenise and normalise words so that spellings and inflected forms match.

English words are case-folded with British/American spellings merged; Russian words are reduced to
their lemma with pymorphy3 (so "Федерации профсоюзов" matches "Федерация профсоюзов"); Kazakh words
lose their case and possessive endings (a small suffix stripper: no Kazakh analyser exists offline).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kg.namespaces import slug
from kg.pipeline.model import Token

_WORD = re.compile(r"\w+", re.UNICODE)
_CYR = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_KAZ = re.compile(r"[әғқңөұүһі]", re.IGNORECASE)

_EN_SPELLING = {
    "labor": "labour",
    "organisation": "organization",
    "organisations": "organizations",
    "center": "centre",
    "centers": "centres",
    "program": "programme",
    "programs": "programmes",
    "favor": "favour",
    "cooperation": "co-operation",
    "defense": "defence",
}
# Kazakh inflectional endings, longest first (case, possessive and plural endings).
_KK_SUFFIXES = tuple(
    sorted(
        {
            "ның",
            "нің",
            "дың",
            "дің",
            "тың",
            "тің",
            "на",
            "не",
            "ға",
            "ге",
            "қа",
            "ке",
            "да",
            "де",
            "та",
            "те",
            "нда",
            "нде",
            "нан",
            "нен",
            "дан",
            "ден",
            "тан",
            "тен",
            "ны",
            "ні",
            "ды",
            "ді",
            "ты",
            "ті",
            "мен",
            "бен",
            "пен",
            "ын",
            "ін",
            "сы",
            "сі",
            "ы",
            "і",
            "н",
            "лар",
            "лер",
            "дар",
            "дер",
            "тар",
            "тер",
            "ына",
            "іне",
            "ында",
            "інде",
            "ынан",
            "інен",
            "сын",
            "сін",
            "сына",
            "сіне",
            "сында",
            "сінде",
            "ының",
            "інің",
            "сының",
            "сінің",
            "ыңыз",
            "лары",
            "лері",
            "дары",
            "дері",
            "тары",
            "тері",
            "ларының",
            "лерінің",
        },
        key=len,
        reverse=True,
    )
)


def tokenize(text: str, lang: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens of text[start:end] with their matching keys for the document language."""
    stop = len(text) if end is None else end
    return [Token(m.start(), m.end(), m.group(), word_key(m.group(), lang)) for m in _WORD.finditer(text, start, stop)]


def word_key(word: str, lang: str) -> str:
    """The matching key of one word in a document (or label) of the given language."""
    if _CYR.search(word):
        if lang == "kk" or _KAZ.search(word):
            return kk_stem(word)
        return ru_lemma(word)
    return en_key(word)


@lru_cache(maxsize=200_000)
def en_key(word: str) -> str:
    w = fold(word)
    if w.endswith("s") and w[:-1] in _EN_SPELLING:
        return _EN_SPELLING[w[:-1]] + "s"
    return _EN_SPELLING.get(w, w)


@lru_cache(maxsize=200_000)
def ru_lemma(word: str) -> str:
    parses = parse(word)
    return fold(parses[0].normal_form if parses else word)


@lru_cache(maxsize=200_000)
def kk_stem(word: str) -> str:
    w = fold(word)
    for _ in range(2):
        for suf in _KK_SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 4:
                w = w[: -len(suf)]
                break
        else:
            break
    return w


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Case-fold, merge ё/е and drop Latin diacritics (Türk-İş -> turk-is)."""
    w = word.casefold().replace("ё", "е").replace("’", "'")
    if w.isascii():
        return w
    out = []
    for ch in unicodedata.normalize("NFD", w):
        if unicodedata.combining(ch):
            if out and out[-1] == "и" and ch == "\u0306":  # й is и + breve: keep Cyrillic letters whole
                out[-1] = "й"
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def english_name(entity) -> str:  # noqa: ANN001 - a kg.pipeline.model.Entity
    """An entity's English label, else its first label romanised ("Мирболат Жакыпов" -> "Mirbolat Zhakypov")."""
    en = [lab.text for lab in entity.labels if lab.lang == "en"]
    return en[0] if en else romanise(entity.labels[0].text)


def romanise(text: str) -> str:
    """Cyrillic words in Latin letters with the project's transliteration (kg.namespaces.slug), capitalised."""
    if not _CYR.search(text):
        return text
    return " ".join(slug(w).replace("-", " ").title() if _CYR.search(w) else w for w in text.split())


@lru_cache(maxsize=100_000)
def strip_marks(word: str) -> str:
    """Latin letters without diacritics, case kept (ŐGB -> OGB, Türk-İş -> Turk-Is)."""
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch) or ch == "\u0306")


@lru_cache(maxsize=200_000)
def parse(word: str) -> tuple:
    """pymorphy3's analyses of a word, cached (the same words recur across documents)."""
    return tuple(morph().parse(word))


@lru_cache(maxsize=1)
def morph():  # noqa: ANN201 - pymorphy3 has no type stubs
    """The Russian morphological analyser, loaded once per process."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")
