"""Russian organisation names ("Федерации независимых профсоюзов Таджикистана": adjectives, a head noun,
a genitive tail) and putting Russian names in the nominative with pymorphy3."""

from __future__ import annotations

import re

from kg.pipeline.lexicon import RU_ORG_HEADS
from kg.pipeline.mentions.candidate import Candidate
from kg.pipeline.mentions.words import joined
from kg.pipeline.model import ORG, PLACE, Token
from kg.pipeline.tokens import parse


def russian_org_mentions(text: str, tokens: list[Token], known: list[Candidate], country_of: dict) -> list[Candidate]:
    """Names such as "Федерации независимых профсоюзов Таджикистана": [Adj]* Head [genitive words]*."""
    out: list[Candidate] = []
    starts = {c.start: c for c in known}
    i = 0
    while i < len(tokens):
        j = i
        # adjectives before the head, the first one capitalised
        while j < len(tokens) and _is_adj(tokens[j].text) and (j == i or joined(text, tokens[j - 1], tokens[j])):
            j += 1
        if (
            j < len(tokens)
            and tokens[j].key in RU_ORG_HEADS
            and (j == i or joined(text, tokens[j - 1], tokens[j]))
            and tokens[i].text[:1].isupper()
            and tokens[i].start not in starts
        ):
            head = j
            k = j + 1
            while (
                k < len(tokens)
                and k - head <= 7
                and _joined_ru(text, tokens[k - 1], tokens[k])
                and (_is_gent(tokens[k].text) or tokens[k].text in ("РК", "МОТ") or _quoted(text, tokens[k]))
            ):
                k += 1
            end_tok = k - 1
            if end_tok > i or (j > i):
                start, end = tokens[i].start, tokens[end_tok].end
                end = _close_quote(text, end)
                inner = [c for c in known if start <= c.start and c.end <= end]
                if not any(c.start == start and c.end >= tokens[end_tok].end for c in inner):
                    parent = next((c.iris[0] for c in inner if c.kind == ORG and c.start > tokens[head].start), None)
                    country = next((country_of.get(c.iris[0]) for c in inner if c.kind == PLACE), None)
                    out.append(
                        Candidate(
                            start,
                            end,
                            ORG,
                            name=to_nominative(text[start:end], head - i),
                            lang="ru",
                            cls=RU_ORG_HEADS[tokens[head].key],
                            country=country,
                            parent=parent,
                        )
                    )
                    i = end_tok + 1
                    continue
        i += 1
    return out


def _joined_ru(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    return joined(text, a, b) or gap.strip() in ("«", '"', "“") or gap in (" «", ' "', " “")


def _quoted(text: str, t: Token) -> bool:
    return text[max(0, t.start - 1) : t.start] in ("«", '"', "“")


def _close_quote(text: str, end: int) -> int:
    m = re.match(r"[^»\"”\n]{0,40}[»\"”]", text[end:])
    before = text[max(0, end - 60) : end]
    if m and before.count("«") + before.count("“") + before.count('"') % 2 > before.count("»") + before.count("”"):
        return end + m.end()
    return end


def _is_adj(word: str) -> bool:
    p = parse(word)[0]
    return p.tag.POS in ("ADJF", "PRTF") and word[:1].isalpha()


def _is_gent(word: str) -> bool:
    if not word[:1].isalpha() or len(word) < 3:
        return False
    if not re.search(r"[а-яё]", word, re.I):
        return word[:1].isupper()  # Latin names inside Russian text (AQNIET)
    return any(p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF", "PRTF") for p in parse(word)[:3])


def to_nominative(phrase: str, head_index: int) -> str:
    """Put the adjectives and head noun of a Russian name in the nominative; keep the genitive tail."""
    words = re.findall(r"\S+", phrase)
    out = []
    head_parse = None
    if head_index < len(words):
        head_parse = best_parse(words[head_index], "NOUN")
    gender = head_parse.tag.gender if head_parse else None
    number = "plur" if head_parse is not None and head_parse.tag.number == "plur" else "sing"
    for n, w in enumerate(words):
        if n > head_index:
            out.append(w)
            continue
        p = head_parse if n == head_index else best_parse(w, "ADJF")
        target = {"nomn", number} | ({gender} if gender and n < head_index and number == "sing" else set())
        inflected = p.inflect(target) if p is not None else None
        word = inflected.word if inflected else w
        out.append(match_case(w, word))
    return " ".join(out)


def best_parse(word: str, pos: str):
    parses = parse(word)
    return next((p for p in parses if pos == p.tag.POS), parses[0] if parses else None)


def match_case(src: str, word: str) -> str:
    if src.isupper() and len(src) > 1:
        return word.upper()
    if src[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
