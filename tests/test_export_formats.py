"""Dumps: every format read back by independent parsers, counts kept, sorted and byte-identical over reloads."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from bench import synth
from kg import export as export_module
from kg.dumps import LOCK, STAMP, VOID, dump_names, ensure
from kg.export import CONTEXT_FILE, FORMATS, export, write
from kg.namespaces import PREFIXES
from kg.store.embedded import EmbeddedStore
from kg.void import with_addresses
from tests.conftest import require_tool

RAPPER_SYNTAX = {"turtle": "turtle", "ntriples": "ntriples", "nquads": "nquads", "trig": "trig"}


def synthetic_store(size: int = 3000) -> EmbeddedStore:
    """The synthetic graph plus literals that test every escape, language and datatype path."""
    store = EmbeddedStore.in_memory()
    for graph, quads in synth.graphs(size):
        store.replace_graph(graph, quads)
    s, p = ox.NamedNode("https://w3id.org/labour-kg/id/org/odd"), ox.NamedNode("http://schema.org/name")
    odd = [
        # no NUL: rapper (C strings) stops at it
        ox.Literal("tab\t newline\n quote\" backslash\\ apostrophe' bell\x07 del\x7f"),
        ox.Literal("Қазақстан кәсіподақтар федерациясы", language="kk"),
        ox.Literal("Федерация профсоюзов", language="ru"),
        ox.Literal("𝄞 beyond the BMP \u2028", language="en-GB"),
        ox.Literal("2024-05", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth")),
        ox.Literal("x", datatype=ox.NamedNode("http://example.org/custom#type")),
        ox.NamedNode("http://example.org//double-slash"),
        ox.NamedNode("https://w3id.org/labour-kg/id///odd"),
    ]
    store.replace_graph("https://w3id.org/labour-kg/graph/doc/odd", [ox.Triple(s, p, o) for o in odd])
    return store


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return synthetic_store()


def dump(store: EmbeddedStore, fmt: str, *, gzip: bool = False) -> bytes:
    out = io.BytesIO()
    write(store, fmt, out, gzip=gzip)
    return out.getvalue()


def store_quads(store: EmbeddedStore) -> set[ox.Quad]:
    return set(store.quads())


def union(store: EmbeddedStore) -> set[ox.Triple]:
    return {q.triple for q in store.quads()}


@pytest.mark.parametrize("fmt", list(RAPPER_SYNTAX))
def test_rapper_reads_every_dump_back_to_the_same_statements(store: EmbeddedStore, fmt: str, tmp_path: Path) -> None:
    rapper = require_tool("rapper")
    path = tmp_path / f"dump.{FORMATS[fmt][1]}"
    path.write_bytes(dump(store, fmt))
    done = subprocess.run([rapper, "-q", "-i", RAPPER_SYNTAX[fmt], "-o", "nquads", str(path), "http://base/"],
                          capture_output=True, check=True)
    read = set(ox.parse(done.stdout, ox.RdfFormat.N_QUADS))
    if FORMATS[fmt][0].supports_datasets:
        assert read == store_quads(store)
    else:
        assert {q.triple for q in read} == union(store)
        assert len(read) == len(union(store))


def test_json_ld_dump_keeps_the_named_graphs_for_two_independent_parsers(store: EmbeddedStore) -> None:
    data = dump(store, "jsonld")
    assert set(ox.parse(data, ox.RdfFormat.JSON_LD)) == store_quads(store)
    from_jsonld = set(rdflib.Dataset().parse(data=data, format="json-ld").quads())
    from_nq = set(rdflib.Dataset().parse(data=dump(store, "nquads"), format="nquads").quads())
    assert len(from_nq) == len(store_quads(store))
    assert from_jsonld == from_nq


def test_json_ld_dump_carries_the_published_context_and_a_graph_object_per_named_graph(
    store: EmbeddedStore,
) -> None:
    document = json.loads(dump(store, "jsonld"))
    published = json.loads(CONTEXT_FILE.read_text())["@context"]
    assert document["@context"] == published == PREFIXES
    graphs = [g["@id"] for g in document["@graph"]]
    assert len(graphs) == len(store.graphs()), "no default graph here: one graph object per named graph"
    odd = next(g for g in document["@graph"] if g["@id"].endswith("doc/odd"))
    ids = [node["@id"] for graph in document["@graph"] for node in graph["@graph"]]
    assert any(i.startswith("id:") for i in ids)
    for graph in document["@graph"]:
        ids = [node["@id"] for node in graph["@graph"]]
        assert len(ids) == len(set(ids)), "one node object per subject in each graph"
    assert [node["@id"] for node in odd["@graph"]] == ["id:org/odd"]


def test_json_ld_dump_writes_the_default_graph_at_the_top() -> None:
    store = EmbeddedStore.in_memory()
    store.oxigraph.load(b"<http://example.org/a> <http://example.org/p> <http://example.org/g> .\n"
                        b"<http://example.org/a> <http://example.org/p> \"x\" <http://example.org/g> .\n",
                        ox.RdfFormat.N_QUADS)
    document = json.loads(dump(store, "jsonld"))
    assert [node["@id"] for node in document["@graph"]] == ["http://example.org/a", "http://example.org/g"]
    assert "@graph" in document["@graph"][1] and "@graph" not in document["@graph"][0]
    assert set(ox.parse(dump(store, "jsonld"), ox.RdfFormat.JSON_LD)) == store_quads(store)


def test_triple_dumps_hold_the_union_once_and_dataset_dumps_keep_graphs(store: EmbeddedStore) -> None:
    nt = dump(store, "ntriples").splitlines(keepends=True)
    assert nt == sorted(set(nt)), "sorted, no duplicates"
    assert len(nt) == len(union(store)) < len(store.oxigraph)
    nq = set(ox.parse(dump(store, "nquads"), ox.RdfFormat.N_QUADS))
    assert nq == store_quads(store)


def test_turtle_uses_the_project_prefixes_and_states_each_subject_once(store: EmbeddedStore) -> None:
    text = dump(store, "turtle").decode()
    assert "@prefix lkg: <https://w3id.org/labour-kg/ontology#> ." in text
    starts = [line.split(" ", 1)[0] for line in text.splitlines() if line and not line[0].isspace()
              and not line.startswith("@prefix")]
    assert len(starts) == len(set(starts))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_reload_export_is_byte_identical(store: EmbeddedStore, fmt: str) -> None:
    first = dump(store, fmt, gzip=True)
    assert first == dump(store, fmt, gzip=True)
    fresh = EmbeddedStore.in_memory()
    fresh.oxigraph.load(dump(store, "nquads"), ox.RdfFormat.N_QUADS)
    assert dump(fresh, fmt, gzip=True) == first
    assert gzip.decompress(first) == dump(store, fmt)


def test_the_external_sort_gives_the_same_bytes_as_the_in_memory_one(store: EmbeddedStore,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    expected = {fmt: dump(store, fmt) for fmt in FORMATS}
    monkeypatch.setattr(export_module, "CHUNK_BYTES", 20_000)
    monkeypatch.setattr(export_module, "MERGE_BLOCK_BYTES", 3000)
    assert {fmt: dump(store, fmt) for fmt in expected} == expected


def test_export_writes_a_file_and_refuses_unknown_formats(store: EmbeddedStore, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "kg.nq.gz"
    export(store, "nquads", out, gzip=True)
    assert gzip.decompress(out.read_bytes()) == dump(store, "nquads")
    assert [p.name for p in out.parent.iterdir()] == ["kg.nq.gz"]
    with pytest.raises(ValueError, match="unknown format 'rdfxml'"):
        export(store, "rdfxml", out)


def test_the_dumps_folder_holds_every_format_and_a_void_description(store: EmbeddedStore, tmp_path: Path) -> None:
    ensure(store, tmp_path)
    assert dump_names() == [f"labour-kg.{ext}.gz" for _, ext in FORMATS.values()]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*dump_names(), VOID, STAMP, LOCK])
    paths = [tmp_path / name for name in dump_names()]
    void = rdflib.Graph().parse(tmp_path / "void.ttl", format="turtle")
    sizes = {str(o) for o in void.objects(None, rdflib.URIRef("http://www.w3.org/ns/dcat#byteSize"))}
    assert sizes == {str(p.stat().st_size) for p in paths}
    triples = next(void.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#triples")))
    assert int(triples) == len(union(store))
    classes = next(void.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#classes")))
    assert int(classes) == len({q.object for q in store.quads() if q.predicate.value.endswith("#type")})
    licence = set(void.objects(None, rdflib.URIRef("http://purl.org/dc/terms/license")))
    assert licence == {rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")}
    assert not set(void.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#sparqlEndpoint")))


def test_the_publishing_site_adds_its_addresses_to_the_void_description(store: EmbeddedStore, tmp_path: Path) -> None:
    ensure(store, tmp_path)
    written = (tmp_path / "void.ttl").read_bytes()
    served = rdflib.Graph().parse(data=with_addresses(written, "https://kg.example.org"), format="turtle")
    assert set(rdflib.Graph().parse(data=written, format="turtle")) < set(served)
    dataset = rdflib.URIRef("https://w3id.org/labour-kg/dataset")
    assert (dataset, rdflib.URIRef("http://rdfs.org/ns/void#sparqlEndpoint"),
            rdflib.URIRef("https://kg.example.org/sparql")) in served
    expected = {f"https://kg.example.org/dumps/labour-kg.{ext}.gz" for _, ext in FORMATS.values()}
    downloads = {str(o) for o in served.objects(None, rdflib.URIRef("http://www.w3.org/ns/dcat#downloadURL"))}
    assert downloads == expected
    assert {str(o) for o in served.objects(dataset, rdflib.URIRef("http://rdfs.org/ns/void#dataDump"))} == expected


def test_the_void_description_is_valid_turtle_for_rapper(store: EmbeddedStore, tmp_path: Path) -> None:
    rapper = require_tool("rapper")
    ensure(store, tmp_path)
    done = subprocess.run([rapper, "-q", "-c", "-i", "turtle", str(tmp_path / "void.ttl")], capture_output=True)
    assert done.returncode == 0, done.stderr


def test_kg_export_command_writes_gzipped_dumps_from_a_store_folder(tmp_path: Path) -> None:
    from kg.cli import main

    store = EmbeddedStore(tmp_path / "store")
    for graph, quads in synth.graphs(500):
        store.replace_graph(graph, quads)
    expected = dump(store, "turtle")
    store.close()
    del store
    out = tmp_path / "kg.ttl.gz"
    assert main(["--store", str(tmp_path / "store"), "export", "-f", "turtle", "--gzip", "-o", str(out)]) == 0
    assert gzip.decompress(out.read_bytes()) == expected


def test_blank_nodes_are_relabelled_canonically_and_stay_shared_across_graphs() -> None:
    text = """
    _:list <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <http://example.org/A> <http://example.org/g1> .
    _:list <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:tail <http://example.org/g1> .
    _:tail <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <http://example.org/B> <http://example.org/g1> .
    <http://example.org/C> <http://www.w3.org/2002/07/owl#unionOf> _:list <http://example.org/g2> .
    """
    dumps = {}
    for relabel in ("x", "y"):
        store = EmbeddedStore.in_memory()
        store.oxigraph.load(text.replace("_:", f"_:{relabel}"), ox.RdfFormat.N_QUADS)
        dumps[relabel] = {fmt: dump(store, fmt) for fmt in FORMATS}
    assert dumps["x"] == dumps["y"]
    original = ox.Dataset(ox.parse(text, ox.RdfFormat.N_QUADS))
    dumped = ox.Dataset(ox.parse(dumps["x"]["nquads"], ox.RdfFormat.N_QUADS))
    for dataset in (original, dumped):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert dumped == original
