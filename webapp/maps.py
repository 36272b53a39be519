"""Maps of where events took place: country outlines shipped with the project (webapp/data, Natural Earth,
public domain; see webapp/tools/make_outlines.py), the cities of the events as circles sized by their
number of events, drawn as SVG on the server. Nothing is fetched at run time and no request leaves the site.

The projection is equirectangular with its standard parallel at the middle of the events, so that a map of
Central Asia or Europe is not stretched east-west; the view fits the events' cities.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from kg.namespaces import ORG, SCHEMA, sparql_prefixes
from kg.store import GraphStore
from webapp.cells import cell
from webapp.labels import labels, local_url, short
from webapp.listing import Column, View, where
from webapp.lists import EVENTS_LIST

OUTLINES = Path(__file__).resolve().parent / "data" / "countries-110m.json"
WIDTH = 1000
#: Least extent of a view (degrees of longitude, latitude), so that one city still shows its region.
MIN_SPAN = (24.0, 14.0)
#: Margin around the cities, as a share of the view.
MARGIN = 0.12


@cache
def outlines() -> list[dict]:
    """The countries: ISO alpha-2 code, name, bounding box and rings (lon, lat, lon, lat...)."""
    return json.loads(OUTLINES.read_text(encoding="utf-8"))["countries"]


def event_cities(store: GraphStore, view: View) -> list[dict]:
    """The cities where the view's events took place, with coordinates and number of events, most first."""
    rows = store.select(sparql_prefixes() + f"""
        SELECT ?city (SAMPLE(?la) AS ?lat) (SAMPLE(?lo) AS ?lon) (COUNT(DISTINCT ?item) AS ?events) WHERE {{
            {{ SELECT DISTINCT ?item WHERE {{ {where(view)} }} }}
            ?item schema:location ?city . ?city schema:latitude ?la ; schema:longitude ?lo }}
        GROUP BY ?city ORDER BY DESC(?events) ?city""")
    out = []
    for r in rows:
        try:
            lat, lon = float(r["lat"].value), float(r["lon"].value)
        except ValueError:
            continue
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            out.append({"iri": r["city"].value, "lat": lat, "lon": lon, "n": int(r["events"].value)})
    return out


#: The map's table, as the page shows it and its CSV and JSON write it.
CITY_COLUMNS = (Column("city", "City"), Column("events", "Events", kind="count"),
                Column("latitude", "Latitude", kind="number"), Column("longitude", "Longitude", kind="number"))


def city_rows(store: GraphStore, cities: list[dict], base: str, lang: str) -> list[dict[str, object]]:
    """The cities as table rows (cells as webapp.listing writes them)."""
    names = labels(store, {c["iri"] for c in cities}, lang)
    return [{"city": cell(ox.NamedNode(c["iri"]), names, base, lang), "events": c["n"], "latitude": c["lat"],
             "longitude": c["lon"]} for c in cities]


def draw(store: GraphStore, cities: list[dict], base: str, lang: str, highlight: str | None = None,
         link: str = "/events?country={code}") -> dict:
    """The map for the template: outlines (countries with events shaded, ``highlight`` marked), circles."""
    if cities:
        west, east = min(c["lon"] for c in cities), max(c["lon"] for c in cities)
        south, north = min(c["lat"] for c in cities), max(c["lat"] for c in cities)
    else:
        west, south, east, north = -170.0, -58.0, 180.0, 83.0
    lon_span, lat_span = max(east - west, MIN_SPAN[0]), max(north - south, MIN_SPAN[1])
    mid_lon, mid_lat = (west + east) / 2, (south + north) / 2
    west, east = mid_lon - lon_span * (0.5 + MARGIN), mid_lon + lon_span * (0.5 + MARGIN)
    south, north = max(-85.0, mid_lat - lat_span * (0.5 + MARGIN)), min(85.0, mid_lat + lat_span * (0.5 + MARGIN))
    stretch = math.cos(math.radians(max(-60.0, min(60.0, (south + north) / 2))))
    scale = WIDTH / ((east - west) * stretch)
    height = round((north - south) * scale)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - west) * stretch * scale, 1), round((north - lat) * scale, 1)

    hosts = {c["iri"] for c in cities}
    host_countries = _countries_of(store, hosts)
    shapes = []
    for country in outlines():
        w, s, e, n = country["bbox"]
        if e < west or w > east or n < south or s > north:
            continue
        path = []
        for ring in country["rings"]:
            points = [xy(ring[i], ring[i + 1]) for i in range(0, len(ring), 2)]
            path.append("M" + "L".join(f"{x:g} {y:g}" for x, y in points) + "Z")
        code = country["iso2"]
        shapes.append({"d": "".join(path), "name": country["name"], "code": code,
                       "href": link.format(code=code) if code else None,
                       "hosts": code in host_countries, "on": code is not None and code == highlight})
    names = labels(store, hosts, lang)
    peak = max((c["n"] for c in cities), default=1)
    points = []
    for c in cities:
        x, y = xy(c["lon"], c["lat"])
        points.append({"x": x, "y": y, "r": round(4 + 14 * math.sqrt(c["n"] / peak), 1), "n": c["n"],
                       "href": local_url(c["iri"], base), "text": names.get(c["iri"]) or short(c["iri"])})
    return {"width": WIDTH, "height": height, "countries": shapes, "points": points}


def entity_map(store: GraphStore, iri: str, types: list[str], base: str, lang: str) -> dict | None:
    """The map of a country's or an organisation's events (None for other entities, or without cities)."""
    if SCHEMA + "Country" in types:
        code = iri.rsplit("/", 1)[-1]
        view, highlight = View(EVENTS_LIST, filters={"country": (code, ox.NamedNode(iri))}), code
    elif ORG + "Organization" in types:
        view, highlight = View(EVENTS_LIST, filters={"org": (iri, ox.NamedNode(iri))}), None
    else:
        return None
    cities = event_cities(store, view)
    if not cities:
        return None
    drawn = draw(store, cities, base, lang, highlight=highlight)
    drawn["events"] = "/events?" + urlencode(view.args())
    return drawn


def _countries_of(store: GraphStore, cities: set[str]) -> set[str]:
    """ISO codes of the countries the cities are in."""
    if not cities:
        return set()
    values = " ".join(f"<{c}>" for c in sorted(cities))
    rows = store.select(sparql_prefixes() + f"""SELECT DISTINCT ?code WHERE {{ VALUES ?city {{ {values} }}
        ?city schema:containedInPlace ?country . ?country lkg:iso3166Alpha2 ?code }}""")
    return {r["code"].value for r in rows}
