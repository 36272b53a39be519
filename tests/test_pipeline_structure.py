"""The pipeline as named steps over one document object, and the candidate filter step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.pipeline import STEPS, extract
from kg.pipeline.context import Context
from kg.pipeline.mentions.candidate import Candidate
from kg.pipeline.mentions.filter import filter_candidates
from kg.pipeline.model import ORG, PERSON, PLACE
from kg.pipeline.tables import table

ID = "https://w3id.org/labour-kg/id/"
COUNTRY_OF = {f"{ID}country/NO": f"{ID}country/NO", f"{ID}region/nordic": None, f"{ID}region/troms": f"{ID}country/NO"}


def test_steps_have_distinct_names_and_run_in_reading_order() -> None:
    names = [s.name for s in STEPS]
    assert len(set(names)) == len(names)
    for before, after in (
        ("tokens", "mentions"),
        ("mentions", "filter"),
        ("filter", "resolve"),
        ("resolve", "memoranda"),
        ("memoranda", "events"),
    ):
        assert names.index(before) < names.index(after)


def test_each_step_fills_the_document_object_for_the_next() -> None:
    ctx = Context("d", "The Norwegian Union of Fishers met Ola Nordmann in Tromso on 3 May 2021.", "en", "2021-05-04")
    seen = {}
    for step in STEPS:
        step.run(ctx)
        seen[step.name] = (len(ctx.tokens), len(ctx.candidates), len(ctx.mentions))
    assert seen["tokens"][0] > 10 and seen["dates"][1] == 0
    assert seen["mentions"][1] >= 2 and seen["filter"][2] == 0 and seen["resolve"][2] >= 2
    assert ctx.dates and ctx.dates[0].begin == "2021-05-03"
    assert any(e.kind == ORG and "Fishers" in e.labels[0].text for e in ctx.entities.values())


def test_extract_is_the_steps_run_in_turn() -> None:
    from kg.corpus import Record

    rec = Record(id="d", text="The Norwegian Union of Fishers met in Oslo on 3 May 2021.", lang="en")
    ctx = Context("d", rec.text, "en")
    for step in STEPS:
        step.run(ctx)
    assert {e.iri for e in extract(rec).entities} == set(ctx.entities)


def test_a_place_or_person_inside_an_organisations_name_is_dropped() -> None:
    org = Candidate(0, 40, ORG, name="Union of Fishers of Norway")
    country = Candidate(30, 36, PLACE, iris=[f"{ID}country/NO"])
    founder = Candidate(10, 20, PERSON, name="Ola Nordmann")
    alone = Candidate(50, 56, PLACE, iris=[f"{ID}country/NO"])
    assert filter_candidates([org, country, founder, alone], COUNTRY_OF) == [org, alone]


def test_a_region_inside_a_name_stays_but_a_part_of_the_world_does_not() -> None:
    org = Candidate(0, 60, ORG, name="Trade Union Centre of Troms region")
    region = Candidate(40, 45, PLACE, iris=[f"{ID}region/troms"])
    world = Candidate(48, 54, PLACE, iris=[f"{ID}region/nordic"])
    assert filter_candidates([org, region, world], COUNTRY_OF) == [org, region]


def test_a_region_found_by_its_pattern_wins_over_the_place_it_contains() -> None:
    region = Candidate(0, 12, PLACE, name="Troms Region", cls="Region")
    town = Candidate(0, 5, PLACE, iris=[f"{ID}city/troms"])
    assert filter_candidates([region, town], COUNTRY_OF) == [region]


def test_word_tables_are_read_once_and_a_broken_one_is_named(tmp_path: Path) -> None:
    step = tmp_path / "step.py"
    (tmp_path / "good.json").write_text(json.dumps({"words": ["a"]}), encoding="utf-8")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert table(str(step), "good.json") is table(str(step), "good.json")
    with pytest.raises(RuntimeError, match="bad.json"):
        table(str(step), "bad.json")
