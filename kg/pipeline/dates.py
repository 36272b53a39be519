"""Step: find dates and date ranges and normalise them to ISO (YYYY-MM-DD, YYYY-MM or YYYY).

Forms: "13-16 February 2018", "5 to 16 June", "31 May to 8 June", "August 19-September 1",
"March 26-27", "December 2, 2018", "February 2018", "21-22 февраля 2019 года", "с 31 мая по 8 июня",
"28 шілде 2017 жылы", "2022 жылғы 12 мамырда", "12.03.2021", and "today" (the document's date). A missing year
is taken from the document's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

MONTHS: dict[str, int] = {}
for _n, _forms in enumerate(
    [
        "january jan январь января янв қаңтар қаңтардағы",
        "february feb февраль февраля фев ақпан",
        "march mar март марта наурыз",
        "april apr апрель апреля апр сәуір",
        "may май мая мамыр",
        "june jun июнь июня маусым",
        "july jul июль июля шілде",
        "august aug август августа тамыз",
        "september sep sept сентябрь сентября сен қыркүйек",
        "october oct октябрь октября окт қазан",
        "november nov ноябрь ноября ноя қараша",
        "december dec декабрь декабря дек желтоқсан",
    ],
    1,
):
    for _f in _forms.split():
        MONTHS[_f] = _n


def _prefix_tree(words: list[str]) -> str:
    """An alternation of words factored by shared prefixes (march, mar, may: "ma(?:r(?:ch|)|y)").

    It matches what "|".join(longest first) matches, in the same order (a longer continuation is tried
    before stopping), but the regex engine rejects a position on its first letters instead of trying every
    month form there: the month-first patterns were a quarter of the extraction time."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = [re.escape(ch) + render(child) for ch, child in node.items() if ch]
        if "" in node:
            branches.append("")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(tree)


# the look-ahead on the first letters is a cheap early test for the positions where no month can start
_MONTH_LEAD = "(?=[" + "".join(sorted({w[0] for w in MONTHS})) + "])"
_MONTH_FORMS = _prefix_tree(sorted(MONTHS, key=len, reverse=True))
_M = _MONTH_LEAD + r"(?P<{0}>" + _MONTH_FORMS + r")\.?"
#: every position where a month form begins (zero-width, so none is skipped)
_MONTH_START = re.compile(_MONTH_LEAD + "(?=" + _MONTH_FORMS + ")", re.I)
_D = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th|-?(?:го|е|ші|шы))?"
_Y = r"(?P<{0}>(?:19|20)\d\d)"
_DASH = r"\s*[-–—]\s*"
_TO = r"\s*(?:[-–—]|to|till|until|through|and|по|до|и|мен|пен|бен)\s*"
_YEAR_TAIL = r"(?:,?\s*" + _Y.format("y") + r"(?:\s*(?:года|г\.|жылы|ж\.))?)?"

_PATTERNS = [
    # 2022 жылғы 27 мамыр мен 11 маусым (аралығында): from one day to another
    re.compile(
        r"(?=\d)" + _Y.format("y") + r"\s*(?:жылғы|ж\.)\s*" + _D.format("d1") + r"\s+" + _M.format("m1") + _TO
        + _D.format("d2") + r"\s+" + _M.format("m2"),
        re.I,
    ),
    # 2018 жылғы 28 шілде
    re.compile(r"(?=\d)" + _Y.format("y") + r"\s*(?:жылғы|ж\.)\s*" + _D.format("d1") + r"\s+" + _M.format("m1"), re.I),
    # 31 May to 8 June 2018 / с 31 мая по 8 июня
    re.compile(
        r"(?=[сС\d])(?:с\s+)?"
        + _D.format("d1")
        + r"\s+"
        + _M.format("m1")
        + _TO
        + _D.format("d2")
        + r"\s+"
        + _M.format("m2")
        + _YEAR_TAIL,
        re.I,
    ),
    # August 19-September 1, 2018
    re.compile(
        _M.format("m1") + r"\s+" + _D.format("d1") + _TO + _M.format("m2") + r"\s+" + _D.format("d2") + _YEAR_TAIL, re.I
    ),
    # 13-16 February 2018 / 5 to 16 June / 21-22 февраля 2019 года
    re.compile(
        r"(?=[сС\d])(?:с\s+)?" + _D.format("d1") + _TO + _D.format("d2") + r"\s+" + _M.format("m1") + _YEAR_TAIL, re.I
    ),
    # March 26-27, 2018
    re.compile(_M.format("m1") + r"\s+" + _D.format("d1") + _DASH + _D.format("d2") + _YEAR_TAIL, re.I),
    # 2 December 2018 / 2 декабря 2018 года
    re.compile(r"(?=\d)" + _D.format("d1") + r"\s+" + _M.format("m1") + _YEAR_TAIL, re.I),
    # December 2, 2018
    re.compile(_M.format("m1") + r"\s+" + _D.format("d1") + r"(?!\d)" + _YEAR_TAIL, re.I),
    # February 2018 / в феврале 2018 года
    re.compile(_M.format("m1") + r"\s+" + _Y.format("y"), re.I),
    # 12.03.2021
    re.compile(r"(?=\d)(?P<d1>[0-3]?\d)\.(?P<m1n>[01]\d)\.(?P<y>(?:19|20)\d\d)"),
]
# "in October", "late in March" (no year: the document's year)
_MONTH_ALONE = re.compile(
    r"\b(?:in|early|late|mid|end of|beginning of)\s+(?:in\s+)?" + _M.format("m1") + r"(?!\s+\d)", re.I
)
# "in 2020", "в 2020 году", "2020 жылы": a year alone (not a range "in 2018-2020")
_YEAR_ALONE = re.compile(
    r"\b(?:in|в|во)\s+(?P<y>(?:19|20)\d\d)(?!\s*[-–—/]\s*\d)\b|\b(?P<k>(?:19|20)\d\d)\s+жылы\b", re.I
)
_TODAY = re.compile(r"\b(?:today|this morning|сегодня|бүгін)\b", re.I)
_RU_MONTH_LOC = re.compile(
    r"\b(?:в|во)\s+(?P<m>январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|"
    r"ноябре|декабре)\s+(?P<y>(?:19|20)\d\d)",
    re.I,
)
_LOC_MONTH = {
    "январе": 1,
    "феврале": 2,
    "марте": 3,
    "апреле": 4,
    "мае": 5,
    "июне": 6,
    "июле": 7,
    "августе": 8,
    "сентябре": 9,
    "октябре": 10,
    "ноябре": 11,
    "декабре": 12,
}


@dataclass(frozen=True)
class DateSpan:
    """A date or range found at text[start:end]."""

    start: int
    end: int
    begin: str  # ISO date, YYYY-MM or YYYY
    until: str | None = None


def find_dates(text: str, doc_date: str | None) -> list[DateSpan]:
    """All date expressions, left to right, without overlaps (the first, longest pattern wins)."""
    found: list[DateSpan] = []
    taken: list[tuple[int, int]] = []
    month_starts = [m.start() for m in _MONTH_START.finditer(text)]
    for pat in _PATTERNS:
        for m in _matches(pat, text, month_starts):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            end = _kazakh_case_end(text, m)
            if not _word_bounded(text, m.start(), end):
                continue
            span = _to_span(m, doc_date)
            if span:
                span = DateSpan(span.start, end, span.begin, span.until)
                found.append(span)
                taken.append((m.start(), end))
    for m in _RU_MONTH_LOC.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b in taken):
            found.append(DateSpan(m.start(), m.end(), f"{m['y']}-{_LOC_MONTH[m['m'].lower()]:02d}"))
            taken.append((m.start(), m.end()))
    if doc_date:
        for m in _MONTH_ALONE.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b in taken) and m["m1"].lower() != "may":
                year = _context_year(text, m.start(), doc_date)
                found.append(DateSpan(m.start(), m.end(), f"{year}-{MONTHS[m['m1'].lower()]:02d}"))
        for m in _TODAY.finditer(text):
            found.append(DateSpan(m.start(), m.end(), doc_date))
    return sorted(found, key=lambda s: s.start)


def _matches(pat: re.Pattern, text: str, month_starts: list[int]) -> Iterator[re.Match]:
    """``pat.finditer(text)``; a pattern that opens with a month name is only tried where a month form begins
    (the positions are found once for all such patterns instead of each pattern scanning the whole text)."""
    if not pat.pattern.startswith(_MONTH_LEAD):
        yield from pat.finditer(text)
        return
    pos = 0
    for start in month_starts:
        if start >= pos and (m := pat.match(text, start)):
            yield m
            pos = m.end()


_KK_MONTHS = frozenset(
    ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым"]
    + ["шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"]
)
# Kazakh case endings a month name takes in a date: locative, dative, ablative, genitive, possessive
_KK_CASE = re.compile(
    r"(?:дағы|дегі|тағы|тегі|да|де|та|те|нда|нде|ға|ге|қа|ке|на|не|нан|нен|дан|ден|тан|тен|ның|нің|дың|дің|тың|тің"
    r"|ы|і|сы|сі)\b"
)


def _kazakh_case_end(text: str, m: re.Match) -> int:
    """Where a date ends: after the case ending of a Kazakh month that closes it ("28 шілдеде", "12 мамырда")."""
    month = m.groupdict().get("m2") or m.groupdict().get("m1")
    if month and m.end() == m.end("m2" if m.groupdict().get("m2") else "m1") and month.lower() in _KK_MONTHS:
        case = _KK_CASE.match(text, m.end())
        if case:
            return case.end()
    return m.end()


def _word_bounded(text: str, a: int, b: int) -> bool:
    return (a == 0 or not text[a - 1].isalnum()) and (b == len(text) or not text[b].isalnum())


#: a year written in figures
YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _context_year(text: str, pos: int, doc_date: str | None) -> int | None:
    """The year of a date written without one: a year named earlier in the same sentence, or in the line that
    introduces a list the date is in ("In 2018, ... among which:" then "– Congress (5-6 February)"); else the
    document's year; else the last year named before."""
    sentence_start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos)) + 1
    years = YEAR.findall(text, sentence_start, pos)
    if years:
        return int(years[-1])
    lines = text[:sentence_start].rstrip("\n").split("\n")
    here = text[sentence_start : text.find("\n", pos) if "\n" in text[pos:] else len(text)].strip()
    if here[:1] in "–—-•*" or here.endswith((";", ");")):
        for line in reversed(lines):
            stripped = line.strip()
            if not stripped or stripped[:1] in "–—-•*" or stripped.endswith(";"):
                continue
            found = YEAR.findall(stripped)
            if stripped.endswith(":") and found:
                return int(found[-1])
            break
    if doc_date:
        return int(doc_date[:4])
    years = YEAR.findall(text, 0, pos)
    return int(years[-1]) if years else None


def _to_span(m: re.Match, doc_date: str | None) -> DateSpan | None:
    g = m.groupdict()
    year = int(g["y"]) if g.get("y") else _context_year(m.string, m.start(), doc_date)
    m1 = MONTHS[g["m1"].lower()] if g.get("m1") else int(g["m1n"]) if g.get("m1n") else None
    m2 = MONTHS[g["m2"].lower()] if g.get("m2") else m1
    d1 = int(g["d1"]) if g.get("d1") else None
    d2 = int(g["d2"]) if g.get("d2") else None
    if m1 is None:
        return None
    if year is None:
        return None
    if d1 is None:
        return DateSpan(m.start(), m.end(), f"{year:04d}-{m1:02d}")
    begin = _iso(year if (m2 >= m1 or d2 is None) else year - 1, m1, d1)
    if begin is None:
        return None
    until = _iso(year, m2, d2) if d2 is not None else None
    if d2 is not None and until is None:
        return None
    return DateSpan(m.start(), m.end(), begin, until)


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def year_alone(text: str, a: int, b: int, at: int) -> DateSpan | None:
    """The year named alone in text[a:b] nearest to text[at] ("which will take place in 2020"), if any: when
    no date says more, the year an event is placed in."""
    found = [DateSpan(m.start(), m.end(), m["y"] or m["k"]) for m in _YEAR_ALONE.finditer(text, a, b)]
    return min(found, key=lambda d: abs(d.start - at)) if found else None
