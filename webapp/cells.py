"""Showing values to people: an RDF term as a table cell (a linked label, a date written as a date, a number,
a text with its language), the same in every table of the site."""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.namespaces import XSD
from webapp.labels import local_url, short

#: Month names by language: (for "12 June 2023", for "June 2023").
MONTHS = {
    "en": (("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December"),) * 2,
    "ru": (("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
            "ноября", "декабря"),
           ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
            "ноябрь", "декабрь")),
    "kk": (("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
            "қараша", "желтоқсан"),) * 2,
}
DATE_TYPES = {XSD + t for t in ("date", "dateTime", "gYearMonth", "gYear")}
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def human_date(iso: str, lang: str = "en") -> str:
    """"2023-06-12" as "12 June 2023", "2021-11" as "November 2021", "2018" as itself (in the reader's
    language); anything else unchanged."""
    m = _ISO.match(iso)
    if not m:
        return iso
    year, month, day = m.groups()
    if not month or not 1 <= int(month) <= 12:
        return year
    in_date, alone = MONTHS.get(lang, MONTHS["en"])
    if not day:
        return f"{alone[int(month) - 1]} {year}"
    return f"{int(day)} {in_date[int(month) - 1]} {year}"


def cell(term: ox.Term | None, names: dict[str, str], base: str, lang: str) -> dict | None:
    """A term ready for a template: None for an empty cell ("—"); an IRI as its label linked to its page; a
    date as a date (its ISO form kept for <time datetime>); other literals as text with their language."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"href": local_url(term.value, base), "text": names.get(term.value) or short(term.value),
                "iri": term.value}
    if isinstance(term, ox.Literal) and term.datatype.value in DATE_TYPES:
        return {"text": human_date(term.value, lang), "date": term.value}
    return {"text": term.value, "lang": getattr(term, "language", None)}
