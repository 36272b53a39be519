"""The name index (kg.search): tolerant of case, diacritics and script; kept in step with builds; fast."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.namespaces import BUILD_GRAPH, PROV, XSD
from kg.search import fold, index_path, is_current, rebuild_index, search
from kg.store.embedded import EmbeddedStore
from tests.test_webapp import FIXTURE, ID


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    store = EmbeddedStore.in_memory()
    store.oxigraph.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="module")
def index(store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "names.sqlite"
    assert rebuild_index(store, path) > 50
    return path


def test_fold_ignores_case_diacritics_and_script() -> None:
    assert fold("Genève") == fold("GENEVE") == "geneve"
    assert fold("Женева") == "zheneva"
    assert fold("Қазақстан") == fold("Qazaqstan")
    assert fold("  ") == ""


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("ILO", "org/ilo"),
        ("ilo", "org/ilo"),
        ("МОТ", "org/ilo"),
        ("geneve", "city/2660646"),
        ("Zheneva", "city/2660646"),
        ("Женева", "city/2660646"),
        ("dauleta", "person/satybaldy-dauletalin"),
        ("Даулеталин", "person/satybaldy-dauletalin"),
        ("S. Dauletalin", "person/satybaldy-dauletalin"),
        ("trade union confederation", "org/ituc"),
        ("Халықаралық Еңбек", "org/ilo"),
        ("nur-sultan", "city/1526273"),
    ],
)
def test_search_finds_entities_by_any_of_their_names(index: Path, text: str, first: str) -> None:
    hits = search(index, text)
    assert hits, text
    assert hits[0].iri == ID + first


@pytest.mark.parametrize(
    ("text", "first"),
    [("Hungbo", "person/gilbert-f-houngbo"), ("Kazakstan", "country/KZ"),
     ("Dauletalyn", "person/satybaldy-dauletalin")],
)
def test_near_misses_find_the_closest_names(index: Path, text: str, first: str) -> None:
    hits = search(index, text)
    assert hits and hits[0].iri == ID + first
    assert search(index, "qqqqzzzz") == []


def test_hits_carry_a_label_in_the_readers_language_and_types(index: Path) -> None:
    hit = search(index, "ilo", lang="ru")[0]
    assert hit.label == "Международная организация труда"
    assert "https://w3id.org/labour-kg/ontology#IntergovernmentalOrganization" in hit.types
    assert search(index, "ilo", lang="kk")[0].label == "Халықаралық Еңбек ұйымы"
    assert search(index, "Сатыбалды", lang="kk")[0].label == "Satybaldy Dauletalin"  # no kk label: English


def test_exact_names_rank_first_and_paging_works(index: Path) -> None:
    hits = search(index, "international", limit=50)
    assert len(hits) >= 3
    assert [h.iri for h in search(index, "international", limit=2, offset=1)] == [h.iri for h in hits[1:3]]
    assert search(index, "") == [] and search(index, "!!!") == [] and search(index, "zzzqqq") == []


def test_the_index_knows_when_the_store_was_rebuilt(tmp_path: Path) -> None:
    store = EmbeddedStore.in_memory()
    store.oxigraph.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    path = tmp_path / "names.sqlite"
    assert not is_current(store, path)
    rebuild_index(store, path)
    assert is_current(store, path)
    activity = ox.NamedNode(BUILD_GRAPH + "#activity")
    store.replace_graph(BUILD_GRAPH, [ox.Quad(activity, ox.NamedNode(PROV + "endedAtTime"),
                                              ox.Literal("2030-01-01T00:00:00+00:00",
                                                         datatype=ox.NamedNode(XSD + "dateTime")))])
    assert not is_current(store, path)
    rebuild_index(store, path)
    assert is_current(store, path)


def test_index_lives_next_to_an_embedded_store(tmp_path: Path) -> None:
    assert index_path(Settings().with_(store=str(tmp_path / "store"))) == tmp_path / "store-search.sqlite"
    remote = Settings().with_(store="http://127.0.0.1:7878/query", dumps_dir=tmp_path / "dumps")
    assert index_path(remote) == tmp_path / "dumps" / "search.sqlite"
