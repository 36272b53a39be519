"""Entity and document pages: every IRI under the instance base dereferences here (/id/...).

Browsers get HTML; RDF clients get the entity's triples (outgoing and incoming) in the format they ask for,
by ``Accept``, ``format=`` or a suffix (.ttl, .nt, .jsonld, .rdf), as W3C Linked Data practice has it.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, make_response, render_template, request

from kg.namespaces import DOCUMENT_GRAPH_PREFIX, OA, ORG, RDF, RDFS, SCHEMA, SKOS, slug_id, sparql_prefixes
from webapp import formats
from webapp.labels import LANGUAGES, labels, local_url, pick, short, ui_language
from webapp.maps import entity_map
from webapp.protocol import error
from webapp.store import get_settings, get_store

entities = Blueprint("entities", __name__)

SUFFIXES = {".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld", ".rdf": "rdfxml"}
INCOMING_PAGE = 50
#: Most triples in an entity's RDF description (a hub can have many thousands of incoming links).
DESCRIPTION_LIMIT = 20_000
#: Shown in their own sections, so left out of the property table.
NAME_PREDICATES = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel")
HIDDEN_INCOMING = (OA + "hasBody", SCHEMA + "mentions", OA + "hasSource")


def _q(sparql: str) -> list[dict[str, ox.Term]]:
    return get_store().select(sparql_prefixes() + sparql)


def exists(node: str) -> bool:
    return bool(get_store().query(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}"))


@entities.get("/id/<path:rest>")
def entity(rest: str) -> Response | tuple[str, int]:
    base = get_settings().base
    explicit = request.args.get("format")
    for suffix, name in SUFFIXES.items():
        if rest.endswith(suffix) and not explicit:
            stem = rest[: -len(suffix)]
            if _valid(base + stem) and exists(str(ox.NamedNode(base + stem))):
                rest, explicit = stem, name
            break
    iri = base + rest
    if not _valid(iri) or not exists(str(ox.NamedNode(iri))):
        return render_template("404.html", iri=iri), 404
    try:
        fmt = formats.choose(request, "graph", explicit=explicit, html=True)
    except formats.NotAcceptable as exc:
        return error(406, str(exc))
    if fmt != "html":
        response = Response(formats.write_graph(fmt, description(iri)), mimetype=formats.GRAPH_FORMATS[fmt][0])
    else:
        node = str(ox.NamedNode(iri))
        types = [r["t"].value for r in _q(f"SELECT DISTINCT ?t WHERE {{ {node} a ?t }}")]
        page = document_page(iri, types) if SCHEMA + "NewsArticle" in types else entity_page(iri, types)
        response = make_response(page)
    response.headers["Vary"] = "Accept"
    here = local_url(iri, get_settings().base)
    alternates = [f'<{here}{suffix}>; rel="alternate"; type="{formats.GRAPH_FORMATS[name][0]}"'
                  for suffix, name in SUFFIXES.items()]
    response.headers["Link"] = ", ".join(alternates)
    return response


def _valid(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return not re.search(r"[\s<>\"{}|\\^`]", iri)


def description(iri: str) -> list[ox.Triple]:
    """The entity's own triples and the triples pointing at it (at most DESCRIPTION_LIMIT in all)."""
    node = str(ox.NamedNode(iri))
    pattern = f"{{ {node} ?p ?o . ?s ?q {node} }}"
    return get_store().triples(f"CONSTRUCT {pattern} WHERE {{ {{ {node} ?p ?o }} UNION {{ ?s ?q {node} }} }} "
                               f"LIMIT {DESCRIPTION_LIMIT}")


def entity_page(iri: str, types: list[str]) -> str:
    lang = ui_language()
    base = get_settings().base
    node = str(ox.NamedNode(iri))
    names = _q(f"SELECT DISTINCT ?p ?l WHERE {{ {node} ?p ?l "
               "VALUES ?p { rdfs:label skos:prefLabel skos:altLabel schema:name } }")
    by_lang: dict[str, list[str]] = {}
    main: list[ox.Literal] = []
    aliases: list[str] = []
    for r in names:
        lit = r["l"]
        if not isinstance(lit, ox.Literal):
            continue
        if r["p"].value == SKOS + "altLabel":
            aliases.append(lit.value)
        else:
            main.append(lit)
            values = by_lang.setdefault(lit.language or "", [])
            if lit.value not in values:
                values.append(lit.value)
    props = _q(f"SELECT DISTINCT ?p ?o WHERE {{ {node} ?p ?o }} ORDER BY ?p ?o LIMIT 500")
    props = [r for r in props if r["p"].value not in (*NAME_PREDICATES, RDF + "type", SCHEMA + "name")]
    try:
        in_page = max(1, int(request.args.get("in_page", "1")))
    except ValueError:
        in_page = 1
    hidden = ", ".join(f"<{p}>" for p in HIDDEN_INCOMING)
    # no ORDER BY: the store's object index already gives a stable order, and sorting all the incoming links of
    # a hub (a country: thousands) before cutting a page costs ~170 ms at 1M triples. DISTINCT throughout:
    # the union of graphs repeats a triple that several documents (and the inferred graph) state.
    incoming = _q(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node} FILTER(?p NOT IN ({hidden})) }} "
                  f"LIMIT {INCOMING_PAGE + 1} OFFSET {(in_page - 1) * INCOMING_PAGE}")
    in_more = len(incoming) > INCOMING_PAGE
    incoming = incoming[:INCOMING_PAGE]
    posts = _q(f"""SELECT DISTINCT ?post ?person ?org ?role WHERE {{
        {{ {node} org:holds ?post . BIND({node} AS ?person) }}
        UNION {{ ?post org:postIn {node} . OPTIONAL {{ ?person org:holds ?post }} }}
        OPTIONAL {{ ?post org:postIn ?org }} OPTIONAL {{ ?post org:role ?role }} }} LIMIT 200""")
    events = _q(f"""SELECT ?e (SAMPLE(?s) AS ?start) (SAMPLE(?x) AS ?end) WHERE {{
        ?e a schema:Event ; schema:attendee|schema:organizer|schema:location|schema:superEvent {node} .
        OPTIONAL {{ ?e schema:startDate ?s }} OPTIONAL {{ ?e schema:endDate ?x }} }}
        GROUP BY ?e ORDER BY ?start LIMIT 300""")
    memoranda = _q(f"""SELECT DISTINCT ?m ?date WHERE {{ ?m lkg:party {node} OPTIONAL {{ ?m lkg:signingDate ?date }} }}
        ORDER BY ?date LIMIT 200""")
    evidence = _q(f"""SELECT DISTINCT ?doc ?start ?end ?text WHERE {{
        ?a oa:hasBody {node} ; oa:hasTarget ?t . ?t oa:hasSource ?doc ; oa:hasSelector ?sel .
        ?sel oa:start ?start ; oa:end ?end . ?doc schema:text ?text }} ORDER BY ?doc ?start LIMIT 30""")
    iris = set(types)
    iris.update(r["p"].value for r in props)
    iris.update(r["o"].value for r in props if isinstance(r["o"], ox.NamedNode))
    iris.update(t.value for r in incoming for t in r.values())
    iris.update(t.value for rows in (posts, events, memoranda, evidence) for r in rows for t in r.values()
                if isinstance(t, ox.NamedNode))
    names_of = labels(get_store(), iris, lang)

    def ref(term: ox.Term) -> dict:
        if isinstance(term, ox.NamedNode):
            return {"href": local_url(term.value, base), "text": names_of.get(term.value) or short(term.value),
                    "iri": term.value}
        return {"text": term.value, "lang": getattr(term, "language", None)}

    return render_template(
        "entity.html",
        iri=iri,
        title=pick(main, lang) or short(iri),
        labels=[(lg, ", ".join(by_lang[lg])) for lg in (*LANGUAGES, "") if lg in by_lang],
        aliases=sorted(set(aliases)),
        types=[ref(ox.NamedNode(t)) for t in types],
        props=[(ref(r["p"]), ref(r["o"])) for r in props],
        incoming=[(ref(r["s"]), ref(r["p"])) for r in incoming],
        in_page=in_page,
        in_more=in_more,
        posts=[{k: ref(v) for k, v in r.items()} for r in posts],
        events=[{k: ref(v) for k, v in r.items()} for r in events],
        memoranda=[{k: ref(v) for k, v in r.items()} for r in memoranda],
        evidence=[_sentence(r, ref) for r in evidence],
        picture=neighbourhood(iri, props, incoming, names_of, base),
        place_map=entity_map(get_store(), iri, types, base, lang),
        as_lists=_as_lists(iri, types),
        data_links={name: f"{local_url(iri, base)}{suffix}" for suffix, name in SUFFIXES.items()},
    )


def _as_lists(iri: str, types: list[str]) -> dict[str, str]:
    """The lists that hold the same rows as the page's sections (and so their CSV and JSON): an organisation's
    events (those it organised or attended) and anyone's memoranda (those it is a party to)."""
    out = {"memoranda": "/memoranda?" + urlencode({"party": iri})}
    if ORG + "Organization" in types:
        out["events"] = "/events?" + urlencode({"org": iri})
    return out


#: Where a sentence ends: after . ! or ? and spaces before a capital or digit (but not after an initial such as
#: "F."), or at a line break.
SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-ZА-ЯЁ]\.)\s+(?=[\"«(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])|\n+")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the sentence holding text[start:end]."""
    left, right = 0, len(text)
    for m in SENTENCE_END.finditer(text):
        if m.end() <= start:
            left = m.end()
        elif m.start() >= end:
            right = m.start()
            break
    return left, right


def _sentence(row: dict[str, ox.Term], ref: object) -> dict:
    """The sentence around a mention, cut in three so the template can highlight the middle."""
    text = row["text"].value
    start, end = int(row["start"].value), int(row["end"].value)
    left, right = sentence_bounds(text, start, end)
    doc = ref(row["doc"])  # type: ignore[operator]
    return {"before": text[left:start], "mention": text[start:end], "after": text[end:right],
            "doc": doc, "anchor": f"{doc['href']}#m-{start}-{end}"}


def neighbourhood(iri: str, props: list, incoming: list, names_of: dict[str, str], base: str) -> dict:
    """Nodes on a circle around the entity, for an SVG drawn by the template (no script needed)."""
    seen: list[tuple[str, str, bool]] = []
    for r in props:
        if isinstance(r["o"], ox.NamedNode) and r["o"].value not in {s[0] for s in seen}:
            seen.append((r["o"].value, short(r["p"].value), True))
    for r in incoming:
        if r["s"].value not in {s[0] for s in seen}:
            seen.append((r["s"].value, short(r["p"].value), False))
    seen = seen[:14]
    width, height, radius = 640, 380, 150
    cx, cy = width / 2, height / 2
    nodes = []
    for i, (other, pred, out) in enumerate(seen):
        angle = 2 * math.pi * i / max(1, len(seen)) - math.pi / 2
        x, y = cx + radius * 1.6 * math.cos(angle), cy + radius * math.sin(angle)
        text = names_of.get(other) or short(other)
        nodes.append({"x": round(x, 1), "y": round(y, 1), "href": local_url(other, base), "pred": pred, "out": out,
                      "text": text if len(text) <= 28 else text[:27] + "…"})
    centre = names_of.get(iri) or short(iri)
    return {"width": width, "height": height, "cx": cx, "cy": cy, "nodes": nodes,
            "centre": centre if len(centre) <= 32 else centre[:31] + "…"}


def document_page(iri: str, types: list[str]) -> str:
    lang = ui_language()
    base = get_settings().base
    node = str(ox.NamedNode(iri))
    meta = _q(f"""SELECT ?id ?headline ?date ?lang ?url ?text WHERE {{ {node} schema:identifier ?id .
        OPTIONAL {{ {node} schema:headline ?headline }} OPTIONAL {{ {node} schema:datePublished ?date }}
        OPTIONAL {{ {node} schema:inLanguage ?lang }} OPTIONAL {{ {node} schema:url ?url }}
        OPTIONAL {{ {node} schema:text ?text }} }} LIMIT 1""")
    if not meta:
        return entity_page(iri, types)  # typed as a document but without its identifier: show it as any entity
    m = meta[0]
    text = m["text"].value if "text" in m else ""
    source = _q(f"""SELECT ?format ?dateSource ?title ?encoding ?feed WHERE {{
        {node} prov:wasDerivedFrom ?source . ?source lkg:sourceFormat ?format .
        OPTIONAL {{ ?source lkg:dateSource ?dateSource }} OPTIONAL {{ ?source dct:title ?title }}
        OPTIONAL {{ ?source lkg:characterEncoding ?encoding }} OPTIONAL {{ ?source schema:isPartOf ?feed }}
        }} LIMIT 1""")
    mentions = _q(f"""SELECT ?start ?end ?entity WHERE {{ ?a oa:hasTarget ?t ; oa:hasBody ?entity .
        ?t oa:hasSource {node} ; oa:hasSelector ?sel . ?sel oa:start ?start ; oa:end ?end }} ORDER BY ?start ?end""")
    graph = DOCUMENT_GRAPH_PREFIX + slug_id(m["id"].value)
    triples = get_store().select(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }} ORDER BY ?s ?p LIMIT 1000")
    iris = {r["entity"].value for r in mentions}
    iris.update(t.value for r in triples for t in r.values() if isinstance(t, ox.NamedNode))
    iris.update(t.value for r in source for t in r.values() if isinstance(t, ox.NamedNode))
    names_of = labels(get_store(), iris, lang)
    segments = []
    pos = 0
    for r in mentions:
        start, end = int(r["start"].value), int(r["end"].value)
        if start < pos or end > len(text):
            continue  # overlapping or out of range: the first mention wins
        segments.append({"text": text[pos:start]})
        entity_iri = r["entity"].value
        segments.append({"text": text[start:end], "href": local_url(entity_iri, base), "id": f"m-{start}-{end}",
                         "title": names_of.get(entity_iri) or short(entity_iri)})
        pos = end
    segments.append({"text": text[pos:]})

    def ref(term: ox.Term) -> dict:
        if isinstance(term, ox.NamedNode):
            return {"href": local_url(term.value, base), "text": names_of.get(term.value) or short(term.value)}
        value = term.value
        return {"text": value if len(value) <= 160 else value[:159] + "…"}

    return render_template(
        "document.html",
        iri=iri,
        meta={k: v.value for k, v in m.items() if k != "text"},
        source=_source_view(source[0], names_of) if source else None,
        segments=segments,
        mention_count=len(mentions),
        triples=[(ref(r["s"]), ref(r["p"]), ref(r["o"])) for r in triples],
        graph=graph,
        types=[{"href": local_url(t, base), "text": short(t)} for t in types],
        data_links={name: f"{local_url(iri, base)}{suffix}" for suffix, name in SUFFIXES.items()},
    )


def _source_view(row: dict[str, ox.Term], names_of: dict[str, str]) -> dict[str, str]:
    """Where a document's text came from, in words: its lkg:DocumentSource with the concepts' labels."""
    view = {k: v.value for k, v in row.items()}
    for key in ("format", "dateSource"):
        if key in view:
            view[key] = names_of.get(view[key]) or short(view[key])
    return view
