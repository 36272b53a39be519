"""Step: detect the document's language (en, ru, kk) when the record does not declare it."""

from __future__ import annotations

import re

_KAZAKH = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
_LATIN = re.compile(r"[a-zA-Z]")


def detect_language(text: str, declared: str | None = None) -> str:
    """The declared language if any; else Kazakh when Kazakh letters are frequent among Cyrillic ones,
    Russian when Cyrillic dominates, English otherwise."""
    if declared in ("en", "ru", "kk"):
        return declared
    cyr = len(_CYRILLIC.findall(text))
    kaz = len(_KAZAKH.findall(text))
    lat = len(_LATIN.findall(text))
    if cyr + kaz > lat:
        return "kk" if kaz >= max(3, 0.01 * (cyr + kaz)) else "ru"
    return "en"
