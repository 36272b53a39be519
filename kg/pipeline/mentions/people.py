"""Person names: two or three name words next to a post, a speech verb or an honorific (Russian speech
verbs in ru.json), initials, and natasha's Russian names, put in the nominative."""

from __future__ import annotations

import re

from kg.pipeline.lexicon import EN_POSTS, EN_SPEECH, KK_POSTS, RU_POSTS
from kg.pipeline.mentions.candidate import Candidate
from kg.pipeline.mentions.russian import match_case
from kg.pipeline.mentions.words import NAME_PARTICLES, NAME_STOP
from kg.pipeline.model import PERSON, Token
from kg.pipeline.tables import words
from kg.pipeline.tokens import parse

#: Russian verbs (lemmas) that follow a person's name in reported speech
_RU_SPEECH = words(__file__, "ru.json", "speech_verbs")

_UP, _LO = "A-ZÀ-ÖØ-ÞĀ-ŽІ", "a-zß-öø-ÿā-žі"
_EN_NAME = re.compile(
    rf"^(?:[{_UP}][{_LO}]+(?:[-'’][{_UP}]?[{_LO}]+)?|[{_UP}][{_LO}]*[{_UP}][{_LO}]+|[{_UP}]|[{_UP}][{_LO}]?)$"
)
_RU_NAME = re.compile(r"^[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+(?:-[А-ЯЁ][а-яё]+)?$")


def person_mentions(
    text: str, tokens: list[Token], lang: str, taken: list[Candidate], vocabulary: frozenset[str] = frozenset()
) -> list[Candidate]:
    """Two or three capitalised name words next to a post, a speech verb or an honorific, or (English)
    words that are not ordinary words of organisation, place or event names (the vocabulary)."""
    blocked = set()
    for c in taken:
        blocked.update(range(c.start, c.end))
    posts = EN_POSTS if lang == "en" else RU_POSTS if lang == "ru" else KK_POSTS
    name_re = _EN_NAME if lang == "en" else _RU_NAME
    out: list[Candidate] = []
    i = 0
    while i < len(tokens):
        j = i
        while (
            j < len(tokens)
            and j - i < 4
            and tokens[j].start not in blocked
            and (j == i or _joined_name(text, tokens[j - 1], tokens[j]))
        ):
            if _name_word(tokens[j], name_re, lang):
                j += 1
            elif (
                j > i
                and tokens[j].text in NAME_PARTICLES
                and j + 1 < len(tokens)
                and _name_word(tokens[j + 1], name_re, lang)
                and _joined_name(text, tokens[j], tokens[j + 1])
            ):
                j += 2
            else:
                break
        # initials "B. Abdiraim", "V.V. Rachkov" before or "Nurakaev E.E." after a surname
        lengths = [len(tokens[k].text) for k in range(i, j)]
        initials = j - i >= 2 and (
            all(n == 1 for n in lengths[:-1])
            and lengths[-1] > 2
            and text[tokens[i].end : tokens[i].end + 1] == "."
            or lengths[0] > 2
            and all(n == 1 for n in lengths[1:])
            and text[tokens[j - 1].end : tokens[j - 1].end + 1] == "."
        )
        is_name = initials or (j - i >= 2 and not all(n == 1 for n in lengths[1:]) and lengths[-1] > 1)
        surname_ok = not any(tokens[k].text.lower() in vocabulary for k in range(i, j) if len(tokens[k].text) > 1)
        if is_name and (
            initials
            and surname_ok
            or _has_cue(text, tokens, i, j, posts, lang)
            or (lang == "en" and _looks_like_name(tokens[i:j], vocabulary))
        ):
            start, end = tokens[i].start, tokens[j - 1].end
            name = text[start:end]
            if lang == "ru":
                name = name_to_nominative(name)
            out.append(Candidate(start, end, PERSON, name=name, lang=lang))
            i = j
            continue
        i += 1
    return out


_COMMON_ENDINGS = re.compile(
    r"(?:tion|sion|ment|ness|ship|ity|ism|ics|ical|ary|ive|ous|ure|ance|ence|ing|ers|"
    r"ies|ist|day|ward|land|stan|ese|ian|ish|ean|ern|ic|al|ed)$"
)


def natasha_person_mentions(text: str, lang: str, taken: list[Candidate]) -> list[Candidate]:
    """Russian (and Kazakh) person names found by natasha, in the nominative."""
    from kg.pipeline.ner import person_spans

    blocked = [(c.start, c.end) for c in taken]
    out = []
    for a, b in person_spans(text):
        if any(x < b and a < y for x, y in blocked):
            continue
        name = text[a:b]
        out.append(Candidate(a, b, PERSON, name=name_to_nominative(name) if lang == "ru" else name, lang=lang))
    return out


def _looks_like_name(toks: list[Token], vocabulary: frozenset[str]) -> bool:
    words = [t.text for t in toks if len(t.text) > 1 and t.text not in NAME_PARTICLES]
    if len(words) < 2:
        return False
    return all(w.lower() not in vocabulary and not _COMMON_ENDINGS.search(w.lower()) for w in words)


def _name_word(t: Token, name_re: re.Pattern, lang: str) -> bool:
    if not name_re.match(t.text):
        return False
    low = t.text.lower()
    if low in NAME_STOP or t.key in EN_POSTS or low in RU_POSTS or low in KK_POSTS:
        return False
    if lang == "ru":
        p = parse(t.text)[0]
        return (
            bool({"Name", "Surn", "Patr"} & set(p.tag.grammemes))
            or "UNKN" in p.tag
            or p.score < 0.3
            or p.tag.POS == "NOUN"
            and "Geox" not in p.tag
            and "Orgn" not in p.tag
            and p.methods_stack[0][0].__class__.__name__ != "DictionaryAnalyzer"
        )
    return True


def _joined_name(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    if len(b.text) == 1:
        return gap in (" ", ".", ". ") if len(a.text) == 1 else gap == " "
    return gap in (" ", ". ", "-", ".") if len(a.text) == 1 else gap in (" ", "-")


def _has_cue(text: str, tokens: list[Token], i: int, j: int, posts: dict, lang: str) -> bool:
    before = [t.key if lang == "en" else t.text.lower() for t in tokens[max(0, i - 4) : i]]
    after = [t.key if lang == "en" else t.text.lower() for t in tokens[j : j + 3]]
    after_text = text[tokens[j - 1].end : tokens[j - 1].end + 3]
    if lang == "ru":
        before = [parse(w)[0].normal_form for w in before]
        after = [parse(w)[0].normal_form for w in after]
    if any(w in posts for w in before) or any(w in posts for w in after):
        return True
    if lang == "en" and (
        any(w in EN_SPEECH for w in after[:2]) or after_text.startswith((", ", " (")) and any(w in posts for w in after)
    ):
        return True
    return lang == "ru" and any(w in _RU_SPEECH for w in after[:2])


def name_to_nominative(name: str) -> str:
    """Russian first names, patronymics and surnames in the nominative, gender kept. The surname fixes the
    case: a first name that cannot be in that case is not declined ("Сатыбалды Даулеталиным")."""
    words = name.split()
    if not words:
        return name
    surname = _name_parse(words[-1], None)
    cases = {p.tag.case for p in parse(words[-1]) if "Surn" in p.tag} if surname is not None else set()
    parses = [_name_parse(w, cases if n < len(words) - 1 and cases else None) for n, w in enumerate(words)]
    gender = next((p.tag.gender for p in parses if p is not None and p.tag.gender in ("masc", "femn")), None)
    if len(words) > 1 and parses[-1] is None and parses[0] is not None and gender == "masc":
        # "Ивана Иванова": the surname agrees with a declined man's first name, although it could also be a
        # woman's surname in the nominative
        case = parses[0].tag.case
        parses[-1] = next(
            (p for p in parse(words[-1]) if {"Surn", "masc", "sing", case} <= set(p.tag.grammemes)), None
        )
    out = []
    for w, p in zip(words, parses, strict=True):
        if p is None:
            out.append(w)
            continue
        inflected = p.inflect({"nomn", "sing"} | ({gender} if gender else set()))
        out.append(match_case(w, inflected.word) if inflected else w)
    return " ".join(out)


def _name_parse(word: str, cases: set[str] | None):
    """The parse of a name word to put in the nominative, or None to keep the word as written."""
    parses = parse(word)
    if any(p.tag.case == "nomn" and p.tag.number == "sing" for p in parses[:3]):
        return None
    for p in parses:
        if p.tag.number == "plur":
            continue  # one person: "Султанов" is a surname, not the genitive plural of "султан"
        if {"Name", "Surn", "Patr"} & set(p.tag.grammemes) and (cases is None or p.tag.case in cases):
            return p
    return None
