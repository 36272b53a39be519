"""Namespaces and IRI minting: the public contract every part of labour-kg shares.

schema.org is used in its http:// form (as Wikidata and DBpedia do); rdflib's built-in SDO is
https://, so it is declared here instead.
"""

from __future__ import annotations

import re
import unicodedata

LKG = "https://w3id.org/labour-kg/ontology#"
SCHEMA = "http://schema.org/"
ORG = "http://www.w3.org/ns/org#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
SH = "http://www.w3.org/ns/shacl#"
FOAF = "http://xmlns.com/foaf/0.1/"

#: Default base of instance IRIs (configurable through KG_BASE; see kg.config).
INSTANCE_BASE = "https://w3id.org/labour-kg/id/"
#: Base of the named graphs.
GRAPH_BASE = "https://w3id.org/labour-kg/graph/"

REFERENCE_GRAPH = GRAPH_BASE + "reference"
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
INFERRED_GRAPH = GRAPH_BASE + "inferred"
BUILD_GRAPH = GRAPH_BASE + "build"
#: The document graphs a build is writing in bulk, until their fingerprints are written (kg.writer; never published).
WRITING_GRAPH = GRAPH_BASE + "writing"
DOCUMENT_GRAPH_PREFIX = GRAPH_BASE + "doc/"

PREFIXES: dict[str, str] = {
    "lkg": LKG,
    "schema": SCHEMA,
    "org": ORG,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "oa": OA,
    "dct": DCT,
    "dcat": DCAT,
    "void": VOID,
    "sh": SH,
    "foaf": FOAF,
    "id": INSTANCE_BASE,
}


def sparql_prefixes() -> str:
    """The PREFIX block every saved query and page query starts from."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def slug(text: str) -> str:
    """A readable, deterministic IRI segment: ASCII lower case words joined by hyphens.

    Cyrillic is transliterated so that IRIs stay readable in any tool.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(_CYRILLIC.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def document_iri(doc_id: str, base: str = INSTANCE_BASE) -> str:
    return f"{base}doc/{slug_id(doc_id)}"


def document_graph(doc_id: str) -> str:
    return DOCUMENT_GRAPH_PREFIX + slug_id(doc_id)


def entity_iri(kind: str, name: str, base: str = INSTANCE_BASE) -> str:
    """IRI of an entity of a kind (org, person, place, event, memorandum, convention, ...)."""
    return f"{base}{kind}/{slug(name)}"


def slug_id(doc_id: str) -> str:
    """Corpus ids are kept as they are when they are already IRI-safe, slugged otherwise."""
    return doc_id if re.fullmatch(r"[A-Za-z0-9._~-]+", doc_id) else slug(doc_id)


_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh letters
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}
