"""Regions and districts the reference knowledge does not list: "Zhambyl region", "North Kazakhstan
Region", "Костанайской области", "Жамбыл облысы"."""

from __future__ import annotations

from functools import lru_cache

from kg.namespaces import slug
from kg.pipeline.mentions.candidate import Candidate
from kg.pipeline.mentions.russian import to_nominative
from kg.pipeline.mentions.words import COMPASS, CONTINENTS, NAME_STOP, joined
from kg.pipeline.model import PLACE, Token
from kg.pipeline.tokens import fold, parse, romanise

#: "облыстық", "аудандық": regional, district (an adjective: "облыстық кәсіподақ"), not a region's name
_KK_ADJECTIVES = ("облыстық", "аудандық")


@lru_cache(maxsize=10_000)
def city_named_by(adjective: str) -> str | None:
    """English name of the Central Asian city a Russian region adjective comes from
    ("Актюбинской" -> Aktobe, through its old name Актюбинск; "Костанайской" -> Kostanay). Cached per word,
    like lemmas: the search runs through every city label of the home countries."""
    from kg.pipeline.gazetteer import gazetteer

    cyr_stem = fold(adjective)[:-3]  # drop the case ending: актюбинск(ой), костанайск(ой)
    lat_stem = slug(adjective).replace("-", "")[:-2]  # aktyubinsk(oi), matched with Latin spellings (Aktyubinsk)
    best = None
    for label, en in gazetteer().home_cities:
        stem = lat_stem if label.isascii() else cyr_stem
        base = label[:-1] if label[-1] in "аеиоуыэюяaeiouy" else label
        fits = len(base) >= 4 and stem.startswith(base) and len(stem) - len(base) <= 3
        if fits and (best is None or len(base) > best[0]):
            best = (len(base), en)
    return best[1] if best else None


def region_mentions(
    text: str, tokens: list[Token], lang: str, taken: list[Candidate], country_of: dict
) -> list[Candidate]:
    """Regions and districts: "Zhambyl region", "North Kazakhstan Region", "Костанайской области"."""
    blocked = set()
    for c in taken:
        if c.kind != PLACE:
            blocked.update(range(c.start, c.end))
    out = []
    for k, t in enumerate(tokens):
        low = t.text.lower()
        if lang == "en" and low in ("region", "oblast", "district") and k > 0:
            i = k - 1
            while (
                i > 0
                and k - i < 3
                and tokens[i - 1].text[:1].isupper()
                and joined(text, tokens[i - 1], tokens[i])
                and tokens[i - 1].text.lower() not in (NAME_STOP | {"kazakhstan"}) - COMPASS
            ):
                i -= 1
            if (
                not tokens[i].text[:1].isupper()
                or tokens[i].text.lower() in NAME_STOP - COMPASS
                or not joined(text, tokens[k - 1], t)
            ):
                continue
            start = tokens[i].start
            if start in blocked:
                continue
            words = [x.text for x in tokens[i:k]]
            name = " ".join(words) + (" Region" if low != "district" else " District")
            # "the Central Asian region" is also called Central Asia
            short = " ".join(words[:-1] + [CONTINENTS[words[-1]]]) if words[-1] in CONTINENTS else ""
            out.append(Candidate(start, t.end, PLACE, name=name, lang="en", cls="Region", short=short))
        elif lang == "ru" and t.key in ("область", "район") and k > 0:
            a = tokens[k - 1]
            p = parse(a.text)[0]
            if p.tag.POS == "ADJF" and joined(text, a, t) and a.start not in blocked:
                name = to_nominative(f"{a.text} {t.text}", 1)
                name = name[:1].upper() + name[1:]
                city = city_named_by(a.text) if t.key == "область" else None
                out.append(
                    Candidate(
                        a.start,
                        t.end,
                        PLACE,
                        name=f"{city} Region" if city else name,
                        lang="en" if city else "ru",
                        cls="Region",
                        short=name if city else "",
                    )
                )
        elif lang == "kk" and low.startswith(("облыс", "аудан")) and not low.startswith(_KK_ADJECTIVES) and k > 0:
            a = tokens[k - 1]
            if a.text[:1].isupper() and joined(text, a, t) and a.start not in blocked:
                region = low.startswith("облыс")
                name = f"{a.text} {'облысы' if region else 'ауданы'}"
                english = f"{romanise(a.text)} {'Region' if region else 'District'}"  # how readers search for it
                out.append(Candidate(a.start, t.end, PLACE, name=name, lang="kk", cls="Region", short=english))
    return out
