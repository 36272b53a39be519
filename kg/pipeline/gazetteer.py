"""Step resource: the gazetteer built from every curated file in ``ontology/reference`` (and the TBox folder).

Each label and alias (any language) is tokenised with the same normaliser as documents, so inflected
Russian and Kazakh forms and British/American spellings match. Acronyms and short labels match only
with their exact letter case ("UN" but not "un"), place names only when capitalised.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import LKG, ORG, RDF, RDFS, SCHEMA, SKOS
from kg.pipeline.model import CONVENTION, PERSON, PLACE, Label
from kg.pipeline.model import ORG as ORG_KIND
from kg.pipeline.tokens import fold, parse, strip_marks, tokenize

ORG_CLASSES = {ORG + "Organization", ORG + "OrganizationalUnit", SCHEMA + "Organization", SCHEMA + "WorkersUnion"} | {
    LKG + c
    for c in (
        "TradeUnion",
        "TradeUnionCentre",
        "SectoralUnion",
        "RegionalUnionAssociation",
        "PrimaryUnionOrganization",
        "UnionBody",
        "IntergovernmentalOrganization",
        "ILOBody",
        "UNBody",
        "GovernmentBody",
        "EmployersOrganization",
        "Foundation",
        "PoliticalParty",
        "Company",
        "OtherOrganization",
    )
}
PLACE_CLASSES = {SCHEMA + "Place", SCHEMA + "Country", SCHEMA + "City", LKG + "Region", LKG + "Venue"}
INSTRUMENT_CLASSES = {LKG + "Convention", LKG + "ILOProtocol", LKG + "Recommendation", LKG + "ILOInstrument"}
PERSON_CLASSES = {SCHEMA + "Person"}
LABEL_PROPS = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", SCHEMA + "name", SCHEMA + "alternateName")


@dataclass
class Entry:
    """One reference resource with what the extractor needs to know about it."""

    iri: str
    kind: str
    types: list[str] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    country: str | None = None
    parent: str | None = None
    number: int | None = None
    start_date: str | None = None
    website: str | None = None  # schema:url: the organisation's own site


@dataclass
class Gazetteer:
    entries: dict[str, Entry]
    #: first key -> list of (keys, exact surface or None, iri)
    index: dict[str, list[tuple[tuple[str, ...], tuple[str, ...] | None, str]]]
    max_len: int
    #: ILC session number -> (session IRI, start date, end date)
    ilc_sessions: dict[int, tuple[str, str | None, str | None]]
    people: list[tuple[str, str]]  # (normalised name, iri) for fuzzy person resolution
    #: lower-case English words of organisation and place names: not person names
    vocabulary: frozenset[str] = frozenset()
    #: rdfs:labels of reference resources that are not entities (ILC sessions, posts, roles)
    other_labels: dict[str, list[Label]] = field(default_factory=dict)
    #: (folded Cyrillic label, English label) of the cities of HOME_COUNTRIES
    home_cities: list[tuple[str, str]] = field(default_factory=list)
    #: place IRI -> IRI of its country (a country is its own; a part of the world such as Central Asia has none)
    country_of: dict[str, str | None] = field(default_factory=dict)
    #: ILO convention number -> the reference convention
    conventions: dict[int, Entry] = field(default_factory=dict)

    def lookup(self, keys: list[str], surfaces: list[str], i: int, lang: str) -> tuple[int, list[str]]:
        """Longest match starting at token i: (token count, candidate IRIs), or (0, [])."""
        best_n, best = 0, []
        for cand, exact, iri in self.index.get(keys[i], ()):
            n = len(cand)
            if n < best_n or tuple(keys[i : i + n]) != cand:
                continue
            if exact is not None and tuple(strip_marks(x) for x in surfaces[i : i + n]) != exact:
                continue
            if self.entries[iri].kind == PLACE and not surfaces[i][:1].isupper():
                continue
            if n > best_n:
                best_n, best = n, [iri]
            elif iri not in best:
                best.append(iri)
        return best_n, best


def reference_dirs() -> list[Path]:
    """Folders read for the gazetteer: ``ontology/reference`` under KG_ONTOLOGY (default: the project's)."""
    from kg.config import Settings

    return [Settings().ontology_dir / "reference"]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per process."""
    files = sorted(f for d in reference_dirs() if d.is_dir() for f in d.glob("*.ttl"))
    if not files:
        raise FileNotFoundError(f"no reference .ttl files in {', '.join(map(str, reference_dirs()))}")
    return build_gazetteer(files)


def build_gazetteer(files: list[Path]) -> Gazetteer:
    raw: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for f in files:
        try:
            triples = ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)
            for t in triples:
                if isinstance(t.subject, ox.NamedNode):
                    raw[t.subject.value][t.predicate.value].append(t.object)
        except SyntaxError as exc:
            raise ValueError(f"cannot read reference file {f}: {exc}") from exc
    entries: dict[str, Entry] = {}
    ilc: dict[int, tuple[str, str | None, str | None]] = {}
    other_labels: dict[str, list[Label]] = {}
    for iri, props in raw.items():
        types = [o.value for o in props.get(RDF + "type", [])]
        kind = _kind(types)
        start = next((o.value for o in props.get(SCHEMA + "startDate", [])), None)
        if LKG + "ILCSession" in types:
            end = next((o.value for o in props.get(SCHEMA + "endDate", [])), None)
            for o in props.get(LKG + "sessionNumber", []):
                ilc[int(o.value)] = (iri, start, end)
        if kind is None:
            labels = [
                Label(o.value, o.language or "en") for o in props.get(RDFS + "label", []) if isinstance(o, ox.Literal)
            ]
            if labels:
                other_labels[iri] = labels  # sessions, posts, roles: reused so a document graph agrees with them
            continue
        e = Entry(iri, kind, sorted(types, key=_specificity))
        seen = set()
        for p in LABEL_PROPS:
            for o in props.get(p, []):
                if isinstance(o, ox.Literal):
                    lab = Label(o.value, o.language or "en")
                    if lab not in seen:
                        seen.add(lab)
                        e.labels.append(lab)
        e.country = next(
            (o.value for p in (LKG + "country", SCHEMA + "containedInPlace") for o in props.get(p, [])), None
        )
        e.parent = next((o.value for o in props.get(ORG + "subOrganizationOf", [])), None)
        e.website = next((o.value for o in props.get(SCHEMA + "url", []) if isinstance(o, ox.NamedNode)), None)
        num = next((o.value for o in props.get(LKG + "conventionNumber", [])), None)
        e.number = int(num) if num is not None else None
        e.start_date = start
        if kind == CONVENTION and e.number is not None:
            e.labels.extend(_convention_labels(e.number))
        entries[iri] = e
    _add_short_titles(entries)
    index: dict[str, list] = defaultdict(list)
    max_len = 1
    # every proper prefix of a country's name ("kazakh" of "kazakhstan"), a set so the test per label is one look-up
    country_prefixes = {
        name[:k]
        for e in entries.values()
        if "/country/" in e.iri
        for name in (fold(lab.text) for lab in e.labels)
        for k in range(len(name))
    }
    for iri in sorted(entries):
        e = entries[iri]
        for lab in e.labels:
            if (
                e.kind == PLACE
                and "/country/" not in iri
                and _unsafe_place_label(lab.text, country_prefixes, e.country)
            ):
                continue
            for lang in _index_langs(lab):
                toks = [t for t in tokenize(lab.text, lang) if t.key != "the"]
                if not toks:
                    continue
                keys = tuple(t.key for t in toks)
                exact = (
                    tuple(strip_marks(t.text) for t in toks)
                    if _case_sensitive(lab.text, e.kind) or e.kind == CONVENTION
                    else None
                )
                # short place names are words of other kinds, but a country's upper-case code ("UK", "USA") is safe
                if e.kind == PLACE and len(lab.text) < 4 and not ("/country/" in iri and lab.text.isupper()):
                    continue
                item = (keys, exact, iri)
                if item not in index[keys[0]]:
                    index[keys[0]].append(item)
                max_len = max(max_len, len(keys))
    people = [(n.text, iri) for iri, e in entries.items() if e.kind == PERSON for n in e.labels]
    vocabulary = frozenset(
        w.lower()
        for e in entries.values()
        if e.kind != PERSON
        for lab in e.labels
        if lab.lang == "en" and (e.kind != PLACE or "/country/" in e.iri)
        for w in re.findall(r"[A-Za-z]+", lab.text)
    )
    country_of = {iri: (iri if "/country/" in iri else e.country) for iri, e in entries.items() if e.kind == PLACE}
    home_cities = [
        (fold(lab.text), next((x.text for x in e.labels if x.lang == "en"), lab.text))
        for e in entries.values()
        if e.kind == PLACE and "/city/" in e.iri and (e.country or "").rsplit("/", 1)[-1] in HOME_COUNTRIES
        for lab in e.labels
        if " " not in lab.text
    ]
    return Gazetteer(
        entries,
        dict(index),
        max_len,
        ilc,
        people,
        vocabulary,
        country_of=country_of,
        home_cities=home_cities,
        conventions={e.number: e for e in entries.values() if LKG + "Convention" in e.types and e.number is not None},
        other_labels=other_labels,
    )


def part_of_the_world(country_of: dict[str, str | None], iri: str) -> bool:
    """A reference place in no country ("Central Asia", "the CIS region"): the scope of what a text tells,
    never a venue, and not a place of the text when a name covers it."""
    return iri in country_of and country_of[iri] is None


#: Countries whose cities the corpus names all the time: their names are kept even when they are also surnames.
HOME_COUNTRIES = {"KZ", "KG", "UZ", "TJ", "TM"}


def _unsafe_place_label(text: str, country_prefixes: set[str], country: str | None) -> bool:
    """City names that are more often something else: a demonym ("Kazakh" for Petropavl, a prefix of a
    country's name) or, outside Central Asia, a Russian first name or surname ("Лариса", "Королёв")."""
    folded = fold(text)
    if " " not in folded and folded in country_prefixes:
        return True
    if country and country.rsplit("/", 1)[-1] in HOME_COUNTRIES:
        return False
    if " " not in text and any("а" <= ch.lower() <= "я" for ch in text):
        p = parse(text)[0]
        return bool({"Name", "Surn", "Patr"} & set(p.tag.grammemes)) or p.tag.POS in ("ADJF", "PRTF")
    return False


def _index_langs(lab: Label) -> tuple[str, ...]:
    # Cyrillic labels are indexed with both the Russian lemmatiser and the Kazakh stemmer.
    if any("а" <= ch.lower() <= "я" or ch in "әғқңөұүһіӘҒҚҢӨҰҮҺІ" for ch in lab.text):
        return ("ru", "kk")
    return ("en",)


def _case_sensitive(text: str, kind: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    upper = sum(1 for c in letters if c.isupper())
    # acronyms (ITUC, ФПРК, ACT/EMP, ITC-ILO) and very short names
    return len(letters) <= 3 or (upper >= 2 and upper >= len(letters) * 0.6 and " " not in text.strip())


def _kind(types: list[str]) -> str | None:
    ts = set(types)
    if ts & PERSON_CLASSES:
        return PERSON
    if ts & INSTRUMENT_CLASSES:
        return CONVENTION
    if ts & PLACE_CLASSES:
        return PLACE
    if ts & ORG_CLASSES:
        return ORG_KIND
    return None


def _specificity(cls: str) -> tuple[int, str]:
    generic = {ORG + "Organization", SCHEMA + "Place", SCHEMA + "Organization", LKG + "ILOInstrument"}
    return (1 if cls in generic else 0, cls)


def _convention_labels(n: int) -> list[Label]:
    """Forms a text uses to name Convention n (the number patterns are in the conventions step)."""
    return [Label(f"C{n:03d}", "en"), Label(f"C{n}", "en")]


_YEAR_TAIL = re.compile(r",\s*(?:1[89]|20)\d\d$")


def _add_short_titles(entries: dict[str, Entry]) -> None:
    """Texts cite a convention by its title without the year ("the Violence and Harassment Convention"): such a
    title names one convention when no other has it ("Maternity Protection Convention" names three, so none)."""
    titles: dict[str, list[Entry]] = defaultdict(list)
    for e in entries.values():
        if e.kind == CONVENTION and e.number is not None:
            for lab in e.labels:
                if lab.lang == "en" and _YEAR_TAIL.search(lab.text):
                    titles[_YEAR_TAIL.sub("", lab.text)].append(e)
    for title, owners in titles.items():
        if len({e.iri for e in owners}) == 1 and Label(title, "en") not in owners[0].labels:
            owners[0].labels.append(Label(title, "en"))
