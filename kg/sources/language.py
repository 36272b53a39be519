"""The language of a page or feed entry: the one it declares, else a check that its text is one labour-kg reads.

A declared language outside en, ru and kk is refused. Undeclared text is left to the pipeline's own
detection (kg.pipeline.language, which only tells en, ru and kk apart), after py3langid has had a look:
text it is sure is in another language (a partner's page in French or Turkish) is refused instead of
being read as English.
"""

from __future__ import annotations

import re
from functools import cache

from kg.corpus import LANGS

#: Tags sites put on their language versions that are not the language's own code.
_ALIASES = {"kz": "kk", "kaz": "kk", "rus": "ru", "eng": "en"}
#: How sure py3langid must be (its normalised probability) before undeclared text is refused: short texts,
#: and texts full of names, get low probabilities whatever their language.
_SURE = 0.9


def language_code(tag: str | None) -> str | None:
    """``ru-RU`` -> ``ru``, ``kz`` -> ``kk``; None when nothing is declared."""
    code = re.split(r"[-_,; ]", (tag or "").strip().lower(), maxsplit=1)[0]
    return _ALIASES.get(code, code) or None


def language_problem(declared: str | None, text: str) -> str | None:
    """Why the text is in a language labour-kg does not read, or None when it may be read."""
    if declared:
        if language_code(declared) in LANGS:
            return None
        return f"in a language labour-kg does not read ({declared!r} declared; it reads {', '.join(LANGS)})"
    detected, probability = _identifier().classify(text)
    if detected in LANGS or probability < _SURE:
        return None
    return (f"in a language labour-kg does not read ({detected!r}, detected with probability {probability:.2f}; "
            f"it reads {', '.join(LANGS)}); if it is one of these, say so in the file (<html lang>, the feed's "
            "<language>)")


@cache
def _identifier():
    """py3langid's model, loaded once (about a second) and only when some text declares no language."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
