"""Which words report an event, and of what kind: the per-language trigger table (triggers.tsv) and the
closed word lists (words.json) beside this module, loaded once per process."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.pipeline.context import Context
from kg.pipeline.dates import YEAR
from kg.pipeline.model import ORG, PERSON, PLACE, Token
from kg.pipeline.tokens import parse, ru_lemma

HERE = Path(__file__).resolve().parent
# a noun that names what a two-noun event is: "training session", "seminar meeting"
_HEAD_KINDS = ("Training", "Seminar", "Forum", "Conference")


#: uses of a word that names an event by itself
_NOUNS = ("noun", "one")


@dataclass(frozen=True)
class Trigger:
    kind: str  # lkg class name: Meeting, Visit, Conference, ...
    use: str  # "noun", "plural", "verb", "with" or "one" (triggers.tsv)


@dataclass(frozen=True)
class Table:
    single: dict[str, Trigger]  # form -> trigger
    pairs: dict[tuple[str, str], Trigger]  # (first word, last word) -> trigger
    stems: tuple[tuple[str, Trigger], ...]  # Kazakh: stems a word starts with


@cache
def _rows() -> dict[str, list[tuple[str, Trigger]]]:
    rows: dict[str, list[tuple[str, Trigger]]] = {}
    with open(HERE / "triggers.tsv", encoding="utf-8") as f:
        lines = (line for line in f if not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t"):
            rows.setdefault(row["lang"], []).append((row["form"], Trigger(row["kind"], row["use"])))
    return rows


@cache
def tables() -> dict[str, Table]:
    """The trigger table of each language."""
    out = {}
    for lang, entries in _rows().items():
        single = {form: t for form, t in entries if " " not in form}
        pairs = {tuple(form.split(" ", 1)): t for form, t in entries if " " in form}
        stems = tuple((form, t) for form, t in entries if lang == "kk" and t.use in _NOUNS and " " not in form)
        out[lang] = Table(single, pairs, stems)  # type: ignore[arg-type]
    return out


@cache
def words() -> dict[str, frozenset[str]]:
    """The closed word lists of words.json, as sets."""
    data = json.loads((HERE / "words.json").read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


@cache
def event_nouns(lang: str) -> frozenset[str]:
    """The nouns (and two-word names) that report an event in a language, as the table writes them."""
    return frozenset(row_form for row_form, t in _rows().get(lang, []) if t.use in _NOUNS)


def key(lang: str, word: str) -> str:
    """The form a word is looked up by: its lemma in Russian, else the lower-case word."""
    return ru_lemma(word) if lang == "ru" else word.lower()


def trigger(ctx: Context, toks: list[Token], i: int) -> Trigger | None:
    """The event that toks[i] reports, if any; a verb counts only between two or more people or organisations."""
    table = tables().get(ctx.lang)
    if table is None:
        return None
    if declared_year(ctx, toks, i):
        return Trigger("Programme", "year")
    w = key(ctx.lang, toks[i].text)
    found = table.single.get(w)
    if found is None and i > 0:
        found = table.pairs.get((key(ctx.lang, toks[i - 1].text), w))
    if found is None and table.stems:
        found = next((t for stem, t in table.stems if w.startswith(stem)), None)
        if found is None and i > 0:  # Kazakh endings follow the last word of a pair: "дөңгелек үстелде"
            before = toks[i - 1].text.lower()
            found = next((t for (x, y), t in table.pairs.items() if before.startswith(x) and w.startswith(y)), None)
    if found is None:
        return None
    if found.use == "verb":
        return found if _between(ctx, toks, found.kind) or _body_meets(ctx, toks, i, found.kind) else None
    if found.use == "with":
        return found if with_whom(ctx, toks[i], toks[-1].end) else None
    if found.use == "one":
        return Trigger(found.kind, "noun")  # "the celebrations marking ...": one event, plural as it may be
    if ctx.lang == "ru" and found.use == "noun" and _ru_plural(toks, i):
        return Trigger(found.kind, "plural")  # "прошли интересные сессии": several events
    if ctx.lang == "en" and i > 0:
        before_noun = table.single.get(toks[i - 1].text.lower())
        if before_noun and before_noun.use == "noun" and before_noun.kind in _HEAD_KINDS:
            return Trigger(before_noun.kind, found.use)
    return found


#: words that declare a year to be devoted to something
_DECLARED = re.compile(r"\b(?:declared|proclaimed|designated|объявл\w*|провозгла\w*)", re.I)


def declared_year(ctx: Context, toks: list[Token], i: int) -> bool:
    """Whether toks[i] names a year declared to be devoted to something ("2021 was declared the Year of Decent
    Work", "2022 год объявлен Годом охраны труда"): a programme that runs through that year."""
    word = toks[i].text
    if not word[:1].isupper() or i + 1 >= len(toks) or not _DECLARED.search(ctx.text, toks[0].start, toks[-1].end):
        return False
    if not YEAR.search(ctx.text, toks[0].start, toks[-1].end):
        return False
    if ctx.lang == "en":
        return word == "Year" and toks[i + 1].text == "of"
    if ctx.lang == "ru":
        return ru_lemma(word) == "год" and not toks[i + 1].text[:1].isdigit() and toks[i + 1].text[:1].isalpha()
    return False


def _ru_plural(toks: list[Token], i: int) -> bool:
    """Whether a Russian event noun is plural: every reading of it is, or the adjective before it agrees in
    the plural (a word such as "переговоры" that has no singular names one event)."""
    def plural(word: str, pos: str) -> bool:
        found = [p for p in parse(word) if pos == p.tag.POS]
        return bool(found) and all(p.tag.number == "plur" for p in found)

    if any("Pltm" in p.tag for p in parse(toks[i].text)):
        return False
    return plural(toks[i].text, "NOUN") or i > 0 and plural(toks[i - 1].text, "ADJF")


def _between(ctx: Context, toks: list[Token], kind: str) -> bool:
    """Whether a sentence with a meeting or visit verb names whom it was between: two people or organisations,
    or for a visit one of them and the place visited."""
    if not toks:
        return False
    # one party per name: the ITUC inside "the ITUC General Council" is no second one
    who = {m.entity for m in ctx.named(toks[0].start, toks[-1].end)}
    where = bool(ctx.in_span(toks[0].start, toks[-1].end, PLACE))
    return len(who) >= 2 or kind == "Visit" and len(who) == 1 and where


def _body_meets(ctx: Context, toks: list[Token], i: int, kind: str) -> bool:
    """Whether a meeting verb has a body of an organisation for its subject ("the ITUC General Council met",
    "the Governing Body met"): the body's own sitting, with no one else named."""
    if kind != "Meeting" or i == 0:
        return False
    subject = [m for m in ctx.in_span(toks[0].start, toks[i].start, ORG) if not ctx.text[m.end : toks[i].start].strip()]
    return any(ctx.entities[m.entity].parent for m in subject)


def with_whom(ctx: Context, t: Token, b: int) -> bool:
    """Whether the event noun t says with whom the event was held: "talks with B", "a meeting of A with B"."""
    after = ctx.text[t.end : min(b, t.end + 120)]
    m = re.match(r"\s+(?:with|between|с|со|между)\s|\s+of\s[^.;:]{0,80}?\swith\s", after, re.I)
    return bool(m) and any(ctx.entities[x.entity].kind in (ORG, PERSON) for x in ctx.in_span(t.end + m.end(), b))





# how far from its event noun a verb of happening stands ("X has held its final meeting", "the seminar
# took place", "в Алматы проходит семинар"), in words of the same clause
_HAPPENED_REACH = 5


def happened(ctx: Context, toks: list[Token], i: int) -> bool:
    """Whether a verb of happening next to the event noun toks[i] says that the event took place: a
    particular event, even when the text names it only by its kind ("has held its final meeting")."""
    listed = words().get(f"{ctx.lang}_happened", frozenset())
    lo, hi = max(0, i - _HAPPENED_REACH), min(len(toks), i + _HAPPENED_REACH + 1)
    for k in range(lo, hi):
        if k == i or re.search(r"[;:]", ctx.text[min(toks[k].end, toks[i].end) : max(toks[k].start, toks[i].start)]):
            continue
        w = toks[k].text.lower()
        if ctx.lang == "en":
            if w in listed and (w != "place" or k > 0 and toks[k - 1].text.lower() in ("took", "takes", "taking")):
                return True
        elif ctx.lang == "ru":
            if ru_lemma(toks[k].text) in listed:
                return True
        elif w.startswith(tuple(listed)):
            return True
    return False
