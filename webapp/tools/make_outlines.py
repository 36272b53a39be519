"""Make webapp/data/countries-110m.json, the country outlines of the maps, from Natural Earth.

Source: Natural Earth 1:110m Cultural Vectors, Admin 0 – Countries, version 4.1.0 (public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as TopoJSON in the npm package world-atlas 2.0.2
(countries-110m.json; the packaging is ISC-licensed, Mike Bostock). Fetched at development time, never at
run time:

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python webapp/tools/make_outlines.py /tmp/package/countries-110m.json

The TopoJSON arcs are decoded (delta-encoded, quantised) into rings of longitude/latitude rounded to
0.1 degree (about 11 km, finer than the 1:110m source), consecutive repeats dropped; each country keeps its
ISO 3166-1 alpha-2 code (from its numeric id, by pycountry), its name and its bounding box.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "data" / "countries-110m.json"
SOURCE = ("Natural Earth 1:110m Admin 0 - Countries, version 4.1.0 (public domain), "
          "from the npm package world-atlas 2.0.2 (countries-110m.json)")


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as absolute longitude/latitude points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[float]:
    """A closed ring from arc indexes (~i is arc i reversed), flattened to lon, lat, lon, lat..."""
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    flat: list[float] = []
    for lon, lat in points:
        p = (round(lon, 1), round(lat, 1))
        if len(flat) < 2 or (flat[-2], flat[-1]) != p:
            flat.extend(p)
    return flat


def alpha2(numeric: str | None, name: str) -> str | None:
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    if country is None:
        try:
            country = pycountry.countries.lookup(name)
        except LookupError:
            return None
    return country.alpha_2


def convert(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [ring(r, arcs) for polygon in polygons for r in polygon]
        rings = [r for r in rings if len(r) >= 6]
        lons = [v for r in rings for v in r[0::2]]
        lats = [v for r in rings for v in r[1::2]]
        name = geometry["properties"]["name"]
        countries.append({"iso2": alpha2(geometry.get("id"), name), "name": name,
                          "bbox": [min(lons), min(lats), max(lons), max(lats)], "rings": rings})
    return {"source": SOURCE, "licence": "public domain (Natural Earth)", "countries": countries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("topojson", type=Path, help="countries-110m.json of the world-atlas package")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    data = convert(json.loads(args.topojson.read_text(encoding="utf-8")))
    args.out.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    missing = [c["name"] for c in data["countries"] if not c["iso2"]]
    print(f"{args.out}: {len(data['countries'])} countries, {args.out.stat().st_size:,} bytes; "
          f"without an ISO code: {', '.join(missing) or 'none'}")


if __name__ == "__main__":
    main()
