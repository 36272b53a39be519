"""The timeline picture of the events view: how many of the shown events took place each year (each month
once a year is chosen), stacked by kind, drawn as SVG on the server from one SPARQL query."""

from __future__ import annotations

from kg.namespaces import sparql_prefixes
from kg.store import GraphStore
from webapp.listing import View, fill, where

WIDTH, HEIGHT, AXIS, TOP = 900, 170, 22, 8
#: Colours of the kinds (colour-blind safe, from Paul Tol's "muted" scheme), then grey for unknown.
PALETTE = ("#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499",
           "#6699cc", "#aa4466")
UNKNOWN = "#bbbbbb"


def timeline(store: GraphStore, view: View, kinds: dict[str, str], kind_pattern: str, shown: int) -> dict:
    """Bars for the template: periods with their stacked segments, axis labels, legend, undated count."""
    by_month = "year" in view.filters
    kind = fill(kind_pattern, "?k", "?kh")
    rows = store.select(sparql_prefixes() + f"""SELECT ?date ?kind (COUNT(?item) AS ?n) WHERE {{
        {{ SELECT ?item (MIN(STR(?d)) AS ?date) (MIN(STR(?k)) AS ?kind) WHERE {{
            {where(view)} ?item schema:startDate ?d OPTIONAL {{ {kind} }} }} GROUP BY ?item }}
        }} GROUP BY ?date ?kind""")
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        date = r["date"].value
        period = (date[:7] if len(date) >= 7 else f"{date[:4]}-?") if by_month else date[:4]
        bucket = counts.setdefault(period, {})
        k = r["kind"].value if "kind" in r else ""
        bucket[k] = bucket.get(k, 0) + int(r["n"].value)
    dated = sum(sum(b.values()) for b in counts.values())
    if not counts:
        return {"bars": [], "undated": shown - dated}
    periods = _periods(sorted(counts), by_month)
    colours = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(kinds)}
    peak = max(sum(b.values()) for b in counts.values())
    step = (WIDTH - 10) / len(periods)
    scale = (HEIGHT - AXIS - TOP) / peak
    bars = []
    for i, period in enumerate(periods):
        y = HEIGHT - AXIS
        segments = []
        for k, n in sorted(counts.get(period, {}).items(), key=lambda kv: list(kinds).index(kv[0])
                           if kv[0] in kinds else len(kinds)):
            h = n * scale
            y -= h
            segments.append({"y": round(y, 1), "h": round(h, 1), "n": n, "colour": colours.get(k, UNKNOWN),
                             "kind": kinds.get(k, "other")})
        label_every = max(1, round(len(periods) / 12))
        bars.append({"period": period, "x": round(5 + i * step + step * 0.1, 1), "w": round(step * 0.8, 1),
                     "cx": round(5 + i * step + step / 2, 1), "segments": segments,
                     "total": sum(counts.get(period, {}).values()),
                     "label": _label(period, by_month) if i % label_every == 0 else "",
                     "year": None if by_month else period})
    legend = [{"kind": kinds[k], "colour": colours[k]} for k in kinds
              if any(k in b for b in counts.values())]
    if any(k not in kinds for b in counts.values() for k in b):
        legend.append({"kind": "other", "colour": UNKNOWN})
    return {"bars": bars, "legend": legend, "undated": shown - dated, "width": WIDTH, "height": HEIGHT,
            "baseline": HEIGHT - AXIS, "by_month": by_month}


def _periods(found: list[str], by_month: bool) -> list[str]:
    """Every period from the first to the last found, so that gaps show as gaps."""
    if not by_month:
        return [str(y) for y in range(int(found[0]), int(found[-1]) + 1)]
    year = found[0][:4]
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    return months + ([f"{year}-?"] if f"{year}-?" in found else [])


def _label(period: str, by_month: bool) -> str:
    if not by_month:
        return period
    month = period[5:]
    return "?" if month == "?" else ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                     "Dec")[int(month) - 1]
