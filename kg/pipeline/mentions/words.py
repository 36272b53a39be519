"""The English word lists the name patterns share (data in en.json) and the tests of how words join."""

from __future__ import annotations

from kg.pipeline.model import Token
from kg.pipeline.tables import table, words

_EN = "en.json"
#: small words inside a name ("Union of Workers of ...")
CONNECT = words(__file__, _EN, "connect")
#: words that never begin or make up a person's name
NAME_STOP = words(__file__, _EN, "name_stop")
#: the name-stop words that may still begin an organisation's name ("National", "Trade", "Council")
LEAD_STOP = NAME_STOP - words(__file__, _EN, "lead_keep")
#: words that describe an organisation without naming it ("Trade Union", "National Centre")
GENERIC = words(__file__, _EN, "generic")
#: head nouns of organisation names that translations write in lower case
LOWER_HEADS = words(__file__, _EN, "lower_heads")
#: words that end a name written half in lower case
TAIL_STOP = words(__file__, _EN, "tail_stop")
#: words that carry a name on after its head ("of", "for")
TAIL = words(__file__, _EN, "tail")
#: nouns of a unit of an organisation ("Youth Committee")
UNIT_HEADS = words(__file__, _EN, "unit_heads")
#: compass words that may begin a region's name ("North Kazakhstan Region")
COMPASS = words(__file__, _EN, "compass")
#: continent adjectives and the part of the world they name ("the Central Asian region" is Central Asia)
CONTINENTS: dict[str, str] = table(__file__, _EN)["continents"]
#: particles inside person names ("van", "uulu")
NAME_PARTICLES = words(__file__, _EN, "name_particles")


def joined(text: str, a: Token, b: Token) -> bool:
    """Tokens a and b are adjacent words of one name (only spaces, a hyphen or an apostrophe between)."""
    gap = text[a.end : b.start]
    return gap in (" ", "-", "'", "’", "' ", "’ ", "'s ", "’s ", " - ", "- ") or (
        gap.strip() == "" and "\n" not in gap and len(gap) <= 2
    )


def cap(t: Token) -> bool:
    return t.text[:1].isupper() or t.text[:1].isdigit()
