"""The dumps' description in VoID and DCAT: what the dataset holds, its licence and where to get it.

Harvesters (data portals, LOD crawlers) read ``void.ttl`` next to the dumps; kg.dumps writes it with them.
The file names no addresses (the writer does not know where it will be published): the site serving it adds
its own with :func:`with_addresses`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import namespaces as ns
from kg.store import GraphStore

if TYPE_CHECKING:
    from kg.export import Counts

#: The dataset's own IRI (stable, whatever the host serving it).
DATASET = "https://w3id.org/labour-kg/dataset"
#: The data are CC BY 4.0 (the code is MIT).
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
IANA = "https://www.iana.org/assignments/media-types/"
#: Where the web app publishes the dumps and the endpoint, under its root URL.
DUMPS_PATH, SPARQL_PATH = "dumps/", "sparql"
#: Vocabularies the data use, named in void:vocabulary.
VOCABULARIES = (ns.LKG, ns.SCHEMA, ns.ORG, ns.SKOS, ns.PROV, ns.OA, ns.DCT, ns.RDFS)


@dataclass(frozen=True)
class Dump:
    """One dump file: its name (relative to the description), format and size in bytes (gzipped)."""

    name: str
    format: ox.RdfFormat
    byte_size: int


def describe(store: GraphStore, dumps: list[Dump], counts: Counts) -> bytes:
    """The VoID + DCAT description as Turtle."""
    return _turtle(_triples(store, dumps, counts))


def with_addresses(description: bytes, base_url: str) -> bytes:
    """The description with where a site at ``base_url`` serves it all, as the web app lays it out: the SPARQL
    endpoint at ``<base_url>sparql``, every distribution at ``<base_url>dumps/<name>``."""
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    triples = list(ox.parse(description, format=ox.RdfFormat.TURTLE))
    dataset = iri(DATASET)
    added = [ox.Triple(dataset, iri(ns.VOID + "sparqlEndpoint"), iri(base_url + SPARQL_PATH))]
    prefix = f"{DATASET}/distribution/"
    for t in triples:
        if t.predicate == iri(ns.DCAT + "distribution") and t.object.value.startswith(prefix):
            url = iri(base_url + DUMPS_PATH + t.object.value[len(prefix):])
            added += [ox.Triple(t.object, iri(ns.DCAT + "downloadURL"), url),
                      ox.Triple(dataset, iri(ns.VOID + "dataDump"), url)]
    return _turtle(triples + added)


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _turtle(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.TURTLE,
                        prefixes={p: ns.PREFIXES[p] for p in ("void", "dcat", "dct", "xsd", "rdfs")})


def _triples(store: GraphStore, dumps: list[Dump], counts: Counts) -> list[ox.Triple]:
    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=iri(ns.XSD + "integer"))

    dataset = iri(DATASET)
    a = iri(ns.RDF + "type")
    out = [
        ox.Triple(dataset, a, iri(ns.VOID + "Dataset")),
        ox.Triple(dataset, a, iri(ns.DCAT + "Dataset")),
        ox.Triple(dataset, iri(ns.DCT + "title"), ox.Literal("labour-kg", language="en")),
        ox.Triple(dataset, iri(ns.DCT + "description"), ox.Literal(
            "A knowledge graph of international trade-union cooperation (FTURK, the ILO and their partners), "
            "extracted from news articles; every fact links to the text it came from.", language="en")),
        ox.Triple(dataset, iri(ns.DCT + "license"), iri(LICENCE)),
        ox.Triple(dataset, iri(ns.VOID + "uriSpace"), ox.Literal(ns.INSTANCE_BASE)),
        ox.Triple(dataset, iri(ns.VOID + "triples"), count(counts.triples)),
        ox.Triple(dataset, iri(ns.VOID + "distinctSubjects"), count(counts.distinct_subjects)),
    ]
    for name, n in _sparql_counts(store).items():
        out.append(ox.Triple(dataset, iri(ns.VOID + name), count(n)))
    for vocabulary in VOCABULARIES:
        out.append(ox.Triple(dataset, iri(ns.VOID + "vocabulary"), iri(vocabulary)))
    modified = store.select(
        f"SELECT (MAX(?t) AS ?m) WHERE {{ GRAPH <{ns.BUILD_GRAPH}> {{ ?run <{ns.PROV}endedAtTime> ?t }} }}"
    )
    if modified and "m" in modified[0]:
        out.append(ox.Triple(dataset, iri(ns.DCT + "modified"), modified[0]["m"]))
    for dump in dumps:
        dist = iri(f"{DATASET}/distribution/{dump.name}")
        out += [
            ox.Triple(dataset, iri(ns.DCAT + "distribution"), dist),
            ox.Triple(dist, a, iri(ns.DCAT + "Distribution")),
            ox.Triple(dist, iri(ns.DCT + "title"), ox.Literal(f"labour-kg in {dump.format.name}", language="en")),
            ox.Triple(dist, iri(ns.DCT + "format"), iri(dump.format.iri)),
            ox.Triple(dist, iri(ns.DCAT + "mediaType"), iri(IANA + dump.format.media_type)),
            ox.Triple(dist, iri(ns.DCAT + "compressFormat"), iri(IANA + "application/gzip")),
            ox.Triple(dist, iri(ns.DCAT + "byteSize"),
                      ox.Literal(str(dump.byte_size), datatype=iri(ns.XSD + "nonNegativeInteger"))),
            ox.Triple(dist, iri(ns.DCT + "license"), iri(LICENCE)),
        ]
    return out


def _sparql_counts(store: GraphStore) -> dict[str, int]:
    """void:entities (typed resources in the instance namespace), classes and properties."""
    row = store.select(
        "SELECT (COUNT(DISTINCT ?e) AS ?entities) (COUNT(DISTINCT ?c) AS ?classes) WHERE { ?s a ?c "
        f'BIND(IF(isIRI(?s) && STRSTARTS(STR(?s), "{ns.INSTANCE_BASE}"), ?s, ?unbound) AS ?e) }}'
    )[0]
    properties = store.select("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")[0]
    return {
        "entities": int(row["entities"].value),
        "classes": int(row["classes"].value),
        "properties": int(properties["n"].value),
    }
