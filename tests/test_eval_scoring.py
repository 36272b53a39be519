"""The scorer (kg eval) and the extraction quality reached on the bundled seeds and a few dev articles."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import ROOT
from kg.corpus import read_corpus
from kg.docgraph import document_quads
from kg.evaluate import evaluate, evaluate_store, format_report, main
from kg.pipeline import extract
from tests.conftest import DATA, DEV, SEEDS

TINY = """
@prefix schema: <http://schema.org/> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix lkg: <https://w3id.org/labour-kg/ontology#> .
<http://x/doc> schema:identifier "d1" ;
    schema:mentions <http://x/a>, <http://x/b>, <http://x/c>, <http://x/e>, <http://x/m> .
<http://x/a> a org:Organization ; rdfs:label "FTURK" .
<http://x/a> <http://www.w3.org/2004/02/skos/core#altLabel> "Federation of Trade Unions of the Republic of Kazakhstan" .
<http://x/b> a lkg:TradeUnionCentre ; rdfs:label "Some Other Union" .
lkg:TradeUnionCentre rdfs:subClassOf org:Organization .
<http://x/c> a schema:City ; rdfs:label "Astana" . schema:City rdfs:subClassOf schema:Place .
<http://x/e> a schema:Event ; rdfs:label "ILO seminar in Astana" ; schema:startDate "2019-05-02" ;
    schema:location <http://x/c> .
<http://x/m> a lkg:Memorandum ; lkg:party <http://x/a>, <http://x/b> .
"""
GOLD = {
    "doc": "d1",
    "lang": "en",
    "published": None,
    "organizations": [
        {"name": "Federation of Trade Unions of the Republic of Kazakhstan", "aliases": ["FTURK"], "optional": False},
        {"name": "International Labour Organization", "aliases": ["ILO"], "optional": False},
    ],
    "persons": [],
    "places": [{"name": "Astana", "aliases": [], "optional": False}],
    "events": [
        {
            "name": "ILO seminar in Astana",
            "aliases": [],
            "start": "2019-05",
            "location": "Astana",
            "organizers": [],
            "participants": [],
            "optional": False,
        }
    ],
    "memoranda": [{"parties": ["Federation of Trade Unions of the Republic of Kazakhstan", "Some Other Union"]}],
    "conventions": [{"number": 87, "optional": False}],
}


def test_scores_follow_the_matching_rules(tmp_path: Path) -> None:
    (tmp_path / "g.ttl").write_text(TINY, encoding="utf-8")
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "d1.json").write_text(json.dumps(GOLD), encoding="utf-8")
    result = evaluate([tmp_path / "g.ttl"], tmp_path / "gold")
    orgs = result["categories"]["organizations"]
    assert (orgs["tp"], orgs["fp"], orgs["fn"]) == (1, 1, 1)  # FTURK found by alias, ILO missed, one extra
    assert result["categories"]["places"]["f1"] == 1.0
    assert result["categories"]["events"]["tp"] == 1
    assert result["attributes"]["start"] == 1.0 and result["attributes"]["location"] == 1.0
    assert result["categories"]["memoranda"]["tp"] == 1
    assert result["categories"]["conventions"]["fn"] == 1
    # persons have no gold and no findings: left out of the mean
    f1s = [c["f1"] for k, c in result["categories"].items() if k != "persons"]
    assert result["overall_f1"] == pytest.approx(sum(f1s) / len(f1s))
    report = format_report(result, verbose=True)
    assert report.splitlines()[-1] == f"overall-F1 {result['overall_f1']:.3f}"
    assert "missed:   International Labour Organization" in report


def test_bad_inputs_get_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no gold"):
        evaluate([], tmp_path)
    (tmp_path / "x.json").write_text(json.dumps(GOLD), encoding="utf-8")
    with pytest.raises(ValueError, match="unsupported RDF file type"):
        evaluate([tmp_path / "graph.csv"], tmp_path)


def _graph(records) -> ox.Store:
    store = ox.Store()
    for r in records:
        store.extend(document_quads(r, extract(r)))
    return store


# Figures reached on the bundled seeds (tests/data/gold/seeds; overall 0.967): the suite fails if extraction gets worse.
SEED_FLOOR = {
    "organizations": 0.94,
    "persons": 0.95,
    "places": 0.95,
    "events": 0.94,
    "memoranda": 1.0,
    "conventions": 1.0,
}
SEED_OVERALL = 0.96
# Figures reached on the dev articles bundled in corpus/dev (overall 0.961), a little below them. Location is
# scored over the events found: 26 of 29 right (0.897), against 24 of 26 before issue 11's second round; of the
# three events found since, one carries an imprecise place.
DEV_FLOOR = {
    "organizations": 0.91,
    "persons": 0.95,
    "places": 0.95,
    "events": 0.92,
    "memoranda": 0.98,
    "conventions": 1.0,
}
DEV_ATTRIBUTE_FLOOR = {"start": 0.95, "location": 0.88, "organizers": 0.63, "participants": 0.62}
DEV_OVERALL = 0.95


def test_seed_figures_do_not_drop() -> None:
    result = evaluate(_graph(read_corpus(SEEDS).records), DATA / "gold" / "seeds")
    assert not result["missing_docs"]
    for cat, floor in SEED_FLOOR.items():
        assert result["categories"][cat]["f1"] >= floor, format_report(result, verbose=True)
    assert result["overall_f1"] >= SEED_OVERALL, format_report(result)


def test_dev_figures_do_not_drop() -> None:
    store = _graph(read_corpus([DEV]).records)
    result = evaluate(store, DATA / "gold" / "dev")
    assert not result["missing_docs"]
    report = format_report(result, verbose=True)
    for cat, floor in DEV_FLOOR.items():
        assert result["categories"][cat]["f1"] >= floor, report
    for key, floor in DEV_ATTRIBUTE_FLOOR.items():
        assert result["attributes"][key] >= floor, report
    assert result["overall_f1"] >= DEV_OVERALL, report
    # what `kg eval` prints ends with the same figure
    assert evaluate_store(store, DATA / "gold" / "dev").splitlines()[-1] == f"overall-F1 {result['overall_f1']:.3f}"


def test_a_folder_is_extracted_to_nquads_and_scored_from_the_command_line(tmp_path, capsys) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    for doc in ("dev-061", "dev-198"):
        (gold / f"{doc}.json").write_bytes((DATA / "gold" / "dev" / f"{doc}.json").read_bytes())
    corpus = [str(DEV / "dev-061.json"), str(DEV / "dev-198.json")]
    out = tmp_path / "x.nq"
    assert main(["--corpus", *corpus, "--gold", str(gold), "--out", str(out), "--workers", "2"]) == 0
    report = capsys.readouterr().out
    assert "documents not found" not in report
    expected = evaluate([out, ROOT / "ontology" / "lkg.ttl"], gold)["overall_f1"]
    assert report.splitlines()[-1] == f"overall-F1 {expected:.3f}" and expected > 0.8
