"""The extraction pipeline: a record in, entities, relations and their evidence out.

:data:`STEPS` is the pipeline: named steps, each a small module, run in order over one
:class:`~kg.pipeline.context.Context` (the document object) that each step reads and fills. :func:`extract`
is pure and deterministic; heavy resources (the gazetteer, pymorphy3, natasha) load lazily once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kg.corpus import Record
from kg.namespaces import INSTANCE_BASE
from kg.pipeline.context import Context
from kg.pipeline.conventions import find_conventions, instrument_links
from kg.pipeline.coreference import group_mentions, short_form_mentions
from kg.pipeline.dates import find_dates
from kg.pipeline.events import find_events
from kg.pipeline.gazetteer import gazetteer
from kg.pipeline.language import detect_language
from kg.pipeline.membership import find_member_counts, find_memberships, find_units
from kg.pipeline.memoranda import find_memoranda
from kg.pipeline.mentions import find_candidates
from kg.pipeline.mentions.filter import filter_candidates
from kg.pipeline.model import Extraction, Mention
from kg.pipeline.posts import find_posts
from kg.pipeline.publisher import publisher_of
from kg.pipeline.resolve import reference_entity, resolve
from kg.pipeline.sentences import split_sentences
from kg.pipeline.tokens import tokenize

__all__ = ["STEPS", "Extraction", "Step", "extract"]


@dataclass(frozen=True)
class Step:
    """One named stage of the pipeline: reads the document object and adds its results to it."""

    name: str
    run: Callable[[Context], None]


def _language(ctx: Context) -> None:
    ctx.lang = detect_language(ctx.text, ctx.lang or None)


def _sentences(ctx: Context) -> None:
    ctx.sentences = split_sentences(ctx.text)


def _tokens(ctx: Context) -> None:
    ctx.set_tokens(tokenize(ctx.text, ctx.lang))


def _dates(ctx: Context) -> None:
    ctx.dates = find_dates(ctx.text, ctx.published)


def _publisher(ctx: Context) -> None:
    ctx.publisher = publisher_of(ctx.url)


def _mentions(ctx: Context) -> None:
    ctx.candidates = find_candidates(ctx)


def _filter(ctx: Context) -> None:
    ctx.candidates = filter_candidates(ctx.candidates, gazetteer().country_of, ctx.lang)


def _resolve(ctx: Context) -> None:
    ctx.entities, ctx.mentions = resolve(ctx.text, ctx.candidates, ctx.tokens, gazetteer(), ctx.base)


def _coreference(ctx: Context) -> None:
    mentions = short_form_mentions(ctx)
    _add_reference_entities(ctx, mentions)
    ctx.add_mentions(mentions)
    ctx.add_mentions(group_mentions(ctx))  # after the short forms: "a delegation of the Federation"


def _conventions(ctx: Context) -> None:
    entities, mentions = find_conventions(ctx.text, ctx.sentences, gazetteer(), ctx.base)
    ctx.entities.update((e.iri, e) for e in entities)
    ctx.add_mentions(mentions)


def _memoranda(ctx: Context) -> None:
    ctx.memoranda, parties, mentions = find_memoranda(ctx)
    for e in parties:
        ctx.entities.setdefault(e.iri, e)
    _add_reference_entities(ctx, [*mentions, *(p for memo in ctx.memoranda for p in memo.parties)])
    ctx.add_mentions(mentions)


def _add_reference_entities(ctx: Context, named: list[Mention | str]) -> None:
    """The reference organisations that new mentions (or memoranda's parties) name, when no step had them."""
    for x in named:
        iri = x if isinstance(x, str) else x.entity
        if iri not in ctx.entities:
            ctx.entities[iri] = reference_entity(gazetteer().entries[iri])


def _events(ctx: Context) -> None:
    ctx.events = find_events(ctx)


def _posts(ctx: Context) -> None:
    ctx.posts = find_posts(ctx)


def _instruments(ctx: Context) -> None:
    ctx.instrument_links = instrument_links(ctx.text, ctx.sentences, ctx.mentions, ctx.entities)


def _membership(ctx: Context) -> None:
    ctx.memberships = find_memberships(ctx)
    ctx.member_counts = find_member_counts(ctx)
    ctx.units = find_units(ctx)


STEPS: tuple[Step, ...] = (
    Step("language", _language),
    Step("sentences", _sentences),
    Step("tokens", _tokens),
    Step("dates", _dates),
    Step("publisher", _publisher),
    Step("mentions", _mentions),
    Step("filter", _filter),
    Step("resolve", _resolve),
    Step("coreference", _coreference),
    Step("conventions", _conventions),
    Step("memoranda", _memoranda),
    Step("posts", _posts),  # before events: a participant's post says which organisation they represented
    Step("events", _events),
    Step("instruments", _instruments),
    Step("membership", _membership),
)


def extract(record: Record, base: str = INSTANCE_BASE) -> Extraction:
    """Run every step over one record."""
    ctx = Context(record.id, record.text, record.lang or "", record.published, base, url=record.url, title=record.title)
    for step in STEPS:
        step.run(ctx)
    return Extraction(
        doc_id=ctx.doc_id,
        lang=ctx.lang,
        published=ctx.published,
        entities=tuple(sorted(ctx.entities.values(), key=lambda e: e.iri)),
        mentions=tuple(ctx.mentions),
        events=tuple(sorted(ctx.events, key=lambda e: e.iri)),
        memoranda=tuple(sorted(ctx.memoranda, key=lambda m: m.iri)),
        posts=tuple(ctx.posts),
        instrument_links=tuple(ctx.instrument_links),
        memberships=tuple(ctx.memberships),
        member_counts=tuple(ctx.member_counts),
        units=tuple(ctx.units),
    )
