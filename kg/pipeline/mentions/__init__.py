"""Step: find the spans that name organisations, people, places and regions (candidates).

Gazetteer matches come first (every label and alias of the reference knowledge); the patterns of the
document's language then find names the gazetteer does not know: organisation names built around a head
noun (english, russian, kazakh), regions, and people next to a post or a speech verb. Each finder is
blocked by what the earlier ones found. Dropping candidates nested in others is the next step (filter).
"""

from __future__ import annotations

from kg.pipeline.context import Context
from kg.pipeline.events.triggers import event_nouns
from kg.pipeline.gazetteer import gazetteer
from kg.pipeline.lexicon import EN_ORG_HEADS, EN_POSTS
from kg.pipeline.mentions.candidate import Candidate
from kg.pipeline.mentions.english import english_org_mentions, lowercase_org_mentions
from kg.pipeline.mentions.kazakh import kazakh_org_mentions
from kg.pipeline.mentions.known import gazetteer_mentions
from kg.pipeline.mentions.people import natasha_person_mentions, person_mentions
from kg.pipeline.mentions.places import drop_name_like_places, drop_unit_scopes
from kg.pipeline.mentions.regions import region_mentions
from kg.pipeline.mentions.russian import russian_org_mentions
from kg.pipeline.model import PLACE

__all__ = ["Candidate", "find_candidates"]

#: words of event, organisation and post names: never a person's surname
_EVENT_WORDS = event_nouns("en") | frozenset(EN_ORG_HEADS) | frozenset(w for p in EN_POSTS for w in p.split())


def find_candidates(ctx: Context) -> list[Candidate]:
    """Gazetteer matches first; pattern matches fill what the gazetteer does not know."""
    text, tokens, lang, gaz = ctx.text, ctx.tokens, ctx.lang, gazetteer()
    known = gazetteer_mentions(tokens, lang, gaz)
    country_of = gaz.country_of
    if lang == "en":
        orgs = english_org_mentions(text, tokens, known, country_of)
        orgs += lowercase_org_mentions(text, tokens, known + orgs, country_of)
    elif lang == "ru":
        orgs = russian_org_mentions(text, tokens, known, country_of)
    else:
        orgs = kazakh_org_mentions(text, tokens, known)
    cands = drop_unit_scopes(text, drop_name_like_places(text, known), country_of) + orgs
    known_regions = [(c.start, c.end) for c in cands if c.kind == PLACE and c.iris and "/region/" in c.iris[0]]
    cands += [
        r
        for r in region_mentions(text, tokens, lang, cands, country_of)
        if not any(a <= r.start and r.end <= b for a, b in known_regions)  # the reference region is known
    ]
    people = person_mentions(text, tokens, lang, cands, gaz.vocabulary | _EVENT_WORDS)
    if lang in ("ru", "kk"):
        people += natasha_person_mentions(text, lang, cands + people)
    return cands + people
