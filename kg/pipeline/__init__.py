# ruff: noqa: E402  (the thread settings below must precede every import that can reach numpy)
"""The extraction pipeline: a record in, entities, relations and their evidence out.

Steps, in order (one module each): language -> sentences -> tokens -> dates -> mentions (gazetteer,
then patterns) -> resolve -> conventions -> memoranda -> events -> posts -> membership. :func:`extract`
is pure and deterministic; heavy resources (the gazetteer, pymorphy3) load lazily once per process.
"""

from __future__ import annotations

import os

# natasha's numpy must not start a BLAS thread pool per worker process: with one pool per core the
# pools fight over the cores and Russian documents get up to ten times slower under load. The
# variables are read when numpy is first imported, which is below (through the steps), not before.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from kg.corpus import Record
from kg.namespaces import INSTANCE_BASE
from kg.pipeline.context import Context
from kg.pipeline.conventions import find_conventions, instrument_links
from kg.pipeline.dates import find_dates
from kg.pipeline.events import find_events
from kg.pipeline.events.triggers import event_nouns
from kg.pipeline.gazetteer import gazetteer, part_of_the_world
from kg.pipeline.language import detect_language
from kg.pipeline.lexicon import EN_ORG_HEADS, EN_POSTS
from kg.pipeline.membership import find_member_counts, find_memberships, find_units
from kg.pipeline.memoranda import find_memoranda
from kg.pipeline.mentions import (
    Candidate,
    drop_name_like_places,
    drop_unit_scopes,
    english_org_mentions,
    gazetteer_mentions,
    kazakh_org_mentions,
    lowercase_org_mentions,
    natasha_person_mentions,
    person_mentions,
    region_mentions,
    russian_org_mentions,
)
from kg.pipeline.model import ORG, PERSON, PLACE, Extraction
from kg.pipeline.posts import find_posts
from kg.pipeline.resolve import reference_entity, resolve
from kg.pipeline.sentences import split_sentences
from kg.pipeline.tokens import tokenize

__all__ = ["Extraction", "extract"]

EVENT_WORDS = event_nouns("en") | frozenset(EN_ORG_HEADS) | frozenset(w for p in EN_POSTS for w in p.split())


def extract(record: Record, base: str = INSTANCE_BASE) -> Extraction:
    """Run every step over one record."""
    text = record.text
    lang = detect_language(text, record.lang)
    gaz = gazetteer()
    sentences = split_sentences(text)
    tokens = tokenize(text, lang)
    dates = find_dates(text, record.published)
    cands = find_candidates(text, tokens, lang, gaz)
    entities, mentions = resolve(text, cands, tokens, gaz, base)
    conv_entities, conv_mentions = find_conventions(text, sentences, gaz, base)
    for e in conv_entities:
        entities[e.iri] = e
    mentions = sorted(mentions + conv_mentions, key=lambda m: (m.start, m.end, m.entity))
    ctx = Context(record.id, text, lang, record.published, base, sentences, tokens, dates, entities, mentions)
    memoranda, party_entities, party_mentions = find_memoranda(ctx)
    for e in party_entities:
        entities.setdefault(e.iri, e)
    for m in party_mentions:
        if m.entity not in entities:
            entities[m.entity] = reference_entity(gaz.entries[m.entity])
    ctx.mentions = mentions = sorted(set(mentions + party_mentions), key=lambda m: (m.start, m.end, m.entity))
    events = find_events(ctx)
    posts = find_posts(ctx)
    links = instrument_links(text, sentences, mentions, entities)
    return Extraction(
        doc_id=record.id,
        lang=lang,
        published=record.published,
        entities=tuple(sorted(entities.values(), key=lambda e: e.iri)),
        mentions=tuple(mentions),
        events=tuple(sorted(events, key=lambda e: e.iri)),
        memoranda=tuple(sorted(memoranda, key=lambda m: m.iri)),
        posts=tuple(posts),
        instrument_links=tuple(links),
        memberships=tuple(find_memberships(ctx)),
        member_counts=tuple(find_member_counts(ctx)),
        units=tuple(find_units(ctx)),
    )


def find_candidates(text: str, tokens, lang: str, gaz) -> list[Candidate]:
    """Gazetteer matches first; pattern matches fill what the gazetteer does not know."""
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
    regions = [
        r
        for r in region_mentions(text, tokens, lang, cands, country_of)
        if not any(a <= r.start and r.end <= b for a, b in known_regions)  # the reference region is known
    ]
    cands += regions
    people = person_mentions(text, tokens, lang, cands, gaz.vocabulary | EVENT_WORDS)
    if lang in ("ru", "kk"):
        people += natasha_person_mentions(text, lang, cands + people)
    cands += people
    org_spans = [(c.start, c.end) for c in cands if c.kind == ORG]
    out = []
    for c in cands:
        # places inside an organisation's name are its country, not a place the text talks about; a region of
        # a country is the exception ("Trade Union Centre of the Kyzylorda region"): the text names where it
        # works (a part of the world is not: "Council of Trade Unions of Central Asian Countries")
        if c.kind == PLACE and c.iris and "/region/" in c.iris[0] and not part_of_the_world(country_of, c.iris[0]):
            pass
        elif c.kind in (PLACE, PERSON) and any(
            a <= c.start and c.end <= b and (a, b) != (c.start, c.end) for a, b in org_spans
        ):
            continue
        out.append(c)
    # a region wins over the bare place name it contains ("Zhambyl region" vs "Zhambyl")
    regions_spans = [(c.start, c.end) for c in regions]
    out = [
        c
        for c in out
        if not (
            c.kind == PLACE
            and c.iris
            and "/region/" not in c.iris[0]
            and any(a <= c.start and c.end <= b for a, b in regions_spans)
        )
    ]
    return out
