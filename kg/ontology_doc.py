"""A human-readable HTML page of the ontology (served at /ontology), generated from lkg.ttl.

Lists every class and property with its English and Russian labels and definitions, its place in the
hierarchy, domains and ranges (logical ones and schema:domainIncludes-style hints), so the page never
drifts from the ontology.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, BNode, URIRef
from rdflib.collection import Collection

from kg.config import Settings
from kg.namespaces import PREFIXES, SCHEMA, SKOS
from kg.ontology import ontology_path

_DEFINITION = URIRef(SKOS + "definition")
_DOMAIN_INCLUDES = URIRef(SCHEMA + "domainIncludes")
_RANGE_INCLUDES = URIRef(SCHEMA + "rangeIncludes")
_PROPERTY_KINDS = {
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    OWL.AnnotationProperty: "annotation property",
}

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { margin-bottom: .2em; } .meta { color: #555; }
section.term { border-top: 1px solid #ddd; padding: .6em 0; }
section.term h3 { margin: .2em 0; } code { background: #f4f4f4; padding: 0 .25em; }
dl { display: grid; grid-template-columns: 10em 1fr; gap: .15em 1em; margin: .4em 0; }
dt { color: #555; } dd { margin: 0; } .ru { color: #333; } nav.toc a { margin-right: .6em; white-space: nowrap; }
"""


def _curie(iri: rdflib.term.Node) -> str:
    text = str(iri)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns) and prefix != "id":
            return f"{prefix}:{text[len(ns):]}"
    return text


def _anchor(iri: rdflib.term.Node) -> str:
    return _curie(iri).replace(":", "-")


class _Page:
    def __init__(self, graph: rdflib.Graph) -> None:
        self.g = graph
        self.classes = sorted(
            {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}, key=self._sort_key
        )
        self.properties = sorted(
            {p for kind in _PROPERTY_KINDS for p in graph.subjects(RDF.type, kind) if isinstance(p, URIRef)},
            key=self._sort_key,
        )
        self.documented = set(self.classes) | set(self.properties)

    @staticmethod
    def _sort_key(iri: URIRef) -> tuple[int, str]:
        curie = _curie(iri)
        return (0 if curie.startswith("lkg:") else 1, curie.lower())

    def text(self, node: rdflib.term.Node, prop: URIRef, lang: str) -> str:
        for value in self.g.objects(node, prop):
            if isinstance(value, rdflib.Literal) and value.language == lang:
                return str(value)
        return ""

    def link(self, node: rdflib.term.Node) -> str:
        if isinstance(node, BNode):
            members = self.g.value(node, OWL.unionOf)
            if members is not None:
                return " or ".join(self.link(m) for m in Collection(self.g, members))
            return "(anonymous class)"
        label = escape(_curie(node))
        if node in self.documented:
            return f'<a href="#{_anchor(node)}"><code>{label}</code></a>'
        return f"<code>{label}</code>"

    def links(self, nodes: list[rdflib.term.Node]) -> str:
        return ", ".join(self.link(n) for n in sorted(nodes, key=str))

    def term(self, iri: URIRef, kind: str, rows: list[tuple[str, str]]) -> str:
        en, ru = self.text(iri, RDFS.label, "en"), self.text(iri, RDFS.label, "ru")
        parts = [
            f'<section class="term" id="{_anchor(iri)}">',
            f"<h3>{escape(en or _curie(iri))} <span class=\"ru\">/ {escape(ru)}</span></h3>",
            f"<div class=\"meta\"><code>{escape(_curie(iri))}</code> ({kind}) &lt;{escape(str(iri))}&gt;</div>",
            f"<p>{escape(self.text(iri, _DEFINITION, 'en'))}</p>",
            f"<p class=\"ru\" lang=\"ru\">{escape(self.text(iri, _DEFINITION, 'ru'))}</p>",
        ]
        shown = [(name, value) for name, value in rows if value]
        if shown:
            parts.append("<dl>" + "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in shown) + "</dl>")
        parts.append("</section>")
        return "\n".join(parts)

    def class_section(self, c: URIRef) -> str:
        g = self.g
        used_by = [p for p in self.properties if (p, RDFS.domain, c) in g or (p, _DOMAIN_INCLUDES, c) in g]
        values_of = [p for p in self.properties if (p, RDFS.range, c) in g or (p, _RANGE_INCLUDES, c) in g]
        disjoint = list(g.objects(c, OWL.disjointWith)) + list(g.subjects(OWL.disjointWith, c))
        return self.term(c, "class", [
            ("subclass of", self.links(list(g.objects(c, RDFS.subClassOf)))),
            ("subclasses", self.links(list(g.subjects(RDFS.subClassOf, c)))),
            ("disjoint with", self.links(disjoint)),
            ("properties", self.links(used_by)),
            ("value of", self.links(values_of)),
        ])

    def property_section(self, p: URIRef) -> str:
        g = self.g
        kind = next(name for k, name in _PROPERTY_KINDS.items() if (p, RDF.type, k) in g)
        if (p, RDF.type, OWL.FunctionalProperty) in g:
            kind += ", functional"
        inverse = list(g.objects(p, OWL.inverseOf)) + list(g.subjects(OWL.inverseOf, p))
        return self.term(p, kind, [
            ("domain", self.links(list(g.objects(p, RDFS.domain)))),
            ("used on", self.links(list(g.objects(p, _DOMAIN_INCLUDES)))),
            ("range", self.links(list(g.objects(p, RDFS.range)))),
            ("values", self.links(list(g.objects(p, _RANGE_INCLUDES)))),
            ("sub-property of", self.links(list(g.objects(p, RDFS.subPropertyOf)))),
            ("inverse", self.links(inverse)),
        ])

    def html(self) -> str:
        g = self.g
        onto = next(g.subjects(RDF.type, OWL.Ontology), None)
        version = str(g.value(onto, OWL.versionInfo) or "") if onto is not None else ""
        title_en = self.text(onto, RDFS.label, "en") if onto is not None else "Ontology"
        title_ru = self.text(onto, RDFS.label, "ru") if onto is not None else ""
        toc = " ".join(f'<a href="#{_anchor(t)}">{escape(_curie(t))}</a>' for t in self.classes)
        ptoc = " ".join(f'<a href="#{_anchor(t)}">{escape(_curie(t))}</a>' for t in self.properties)
        head = [
            "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            f"<title>{escape(title_en)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
            f"<h1>{escape(title_en)}</h1>", f'<p class="ru" lang="ru">{escape(title_ru)}</p>',
            f'<p class="meta">Namespace <code>{escape(PREFIXES["lkg"])}</code>, version {escape(version)}. '
            f"{len(self.classes)} classes, {len(self.properties)} properties.</p>",
        ]
        if onto is not None:
            head.append(f"<p>{escape(self.text(onto, _DEFINITION, 'en'))}</p>")
            head.append(f'<p class="ru" lang="ru">{escape(self.text(onto, _DEFINITION, "ru"))}</p>')
        head += [f'<nav class="toc"><h2>Classes</h2>{toc}<h2>Properties</h2>{ptoc}</nav>', "<h2>Classes</h2>"]
        body = [self.class_section(c) for c in self.classes]
        body.append("<h2>Properties</h2>")
        body += [self.property_section(p) for p in self.properties]
        return "\n".join(head + body + ["</body>", "</html>"]) + "\n"


def ontology_html(ontology_file: Path | None = None) -> str:
    """The documentation page as an HTML string (default: the ontology of the current settings)."""
    path = Path(ontology_file) if ontology_file else ontology_path(Settings().ontology_dir)
    return _Page(rdflib.Graph().parse(path)).html()


def write_ontology_html(out: Path, ontology_file: Path | None = None) -> Path:
    """Write the documentation page to a file (for static hosting next to the dumps)."""
    out = Path(out)
    out.write_text(ontology_html(ontology_file), encoding="utf-8")
    return out
