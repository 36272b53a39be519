"""What the site lists for its readers, in their terms: organisations by kind, people, events, memoranda,
ILO conventions and documents; and for engineers, every class in use and the instances of one. Each list has
its columns and filters (webapp.listing shows them)."""

from __future__ import annotations

from markupsafe import Markup

from kg.namespaces import LKG
from webapp.listing import Column, Filter, Listing

#: Kinds of organisation the home page counts, most asked for first: class -> plural name.
ORGANISATION_KINDS: dict[str, str] = {
    LKG + "TradeUnionCentre": "Trade union centres",
    LKG + "SectoralUnion": "Sectoral unions",
    LKG + "RegionalUnionAssociation": "Regional union associations",
    LKG + "PrimaryUnionOrganization": "Primary union organisations",
    LKG + "UnionBody": "Union bodies",
    LKG + "ILOBody": "ILO bodies",
    LKG + "IntergovernmentalOrganization": "Intergovernmental organisations",
    LKG + "UNBody": "UN bodies",
    LKG + "GovernmentBody": "Government bodies",
    LKG + "EmployersOrganization": "Employers' organisations",
    LKG + "Foundation": "Foundations",
    LKG + "PoliticalParty": "Political parties",
    LKG + "Company": "Companies",
    LKG + "OtherOrganization": "Other organisations",
}
#: Kinds of event (ontology/README.md): class -> plural name.
EVENT_KINDS: dict[str, str] = {
    LKG + "Conference": "Conferences",
    LKG + "Congress": "Congresses",
    LKG + "Session": "Sessions",
    LKG + "ILCSession": "Sessions of the International Labour Conference",
    LKG + "Seminar": "Seminars",
    LKG + "Training": "Trainings",
    LKG + "Meeting": "Meetings",
    LKG + "Forum": "Forums",
    LKG + "Visit": "Visits",
    LKG + "Negotiation": "Negotiations",
    LKG + "Celebration": "Celebrations",
    LKG + "Programme": "Programmes",
}
CONVENTION_CATEGORIES = (LKG + "Fundamental", LKG + "Governance", LKG + "Technical")


def _among(classes: object) -> str:
    return " ".join(f"<{c}>" for c in classes)  # type: ignore[attr-defined]


def _one_of(classes: object) -> str:
    """The item's classes among ``classes`` (VALUES first: pyoxigraph then looks each class up)."""
    return f"VALUES $v {{ {_among(classes)} }} ?item a $v"


def _most_specific(classes: object) -> str:
    """The item's classes among ``classes``, leaving out those a more specific one of them refines."""
    return _one_of(classes) + " FILTER NOT EXISTS { ?item a $h . $h rdfs:subClassOf $v FILTER($h != $v) }"


def _year(path: str) -> Filter:
    """Items by the year of their date at ``path``."""
    return Filter("year", "Year", f"?item {path} $h BIND(SUBSTR(STR($h), 1, 4) AS $v)", "year", facet_size=40)


def _linked(key: str, title: str, path: str, kind: str = "entity", **more: object) -> Filter:
    """Items by what ``path`` links them to (an entity, a class, a code)."""
    return Filter(key, title, f"?item {path} $v", kind, match=f"?item {path} $value", **more)


def _members(cls: str) -> str:
    return f"?item a {cls} FILTER(isIRI(?item))"


NAME = Column("name", "Name", "BIND(?item AS $v)")
#: The item's IRI, as a prefixed name where a project prefix fits (for engineers).
IRI = Column("prefixed", "IRI", "BIND(?item AS $v)", kind="iri")
DOCUMENTS = Column("documents", "Documents", "$v schema:mentions ?item", kind="count")
EVENTS = Column("events", "Events", "$v a schema:Event ; schema:attendee|schema:organizer ?item", kind="count")
#: An event's country: its place's, or its place when that is a country (an OPTIONAL, not the path
#: schema:containedInPlace?, which pyoxigraph evaluates 30 times slower; a UNION was 1500 times slower). Types
#: are checked with EXISTS: every document graph repeats the type of the countries it mentions, and joining
#: on them multiplied the rows a hundredfold.
PLACE_COUNTRY = ("?item schema:location $h "
                 "OPTIONAL { $h schema:containedInPlace $g FILTER EXISTS { $g a schema:Country } } "
                 "BIND(COALESCE($g, $h) AS $v) FILTER EXISTS { $v a schema:Country }")

ORGANISATIONS = Listing(
    name="organisations",
    title="Organisations",
    description="Trade unions and their centres, ILO and UN bodies, governments, employers and others.",
    members=_members("org:Organization"),
    columns=(
        NAME,
        Column("kind", "Kind", _most_specific(ORGANISATION_KINDS), kind="entities", links_to_filter="kind"),
        Column("country", "Country", "?item lkg:country $v"),
        EVENTS,
        DOCUMENTS,
    ),
    filters=(
        Filter("kind", "Kind", _one_of([LKG + "TradeUnion", *ORGANISATION_KINDS]), "choice",
               choices=(LKG + "TradeUnion", *ORGANISATION_KINDS), match="?item a $value"),
        _linked("country", "Country", "lkg:country", "country"),
    ),
    sort="-documents",
)

PEOPLE = Listing(
    name="people",
    title="People",
    description="People named in the documents, with their posts.",
    members=_members("schema:Person"),
    columns=(
        NAME,
        Column("posts", "Posts", "?item org:holds $v", kind="entities"),
        Column("organisations", "Organisations", "?item org:holds $h . $h org:postIn $v", kind="entities"),
        EVENTS,
        DOCUMENTS,
    ),
    filters=(_linked("org", "Organisation", "org:holds/org:postIn"),),
    sort="-documents",
)

EVENTS_LIST = Listing(
    name="events",
    title="Events",
    description="Conferences, congresses, sessions, seminars, meetings and visits, in order of date: where they "
                "took place, who organised them and who took part.",
    members=_members("schema:Event"),
    columns=(
        Column("date", "Date", "?item schema:startDate $v", kind="date"),
        NAME,
        Column("kind", "Kind", _most_specific(EVENT_KINDS), kind="entities", links_to_filter="kind"),
        Column("place", "Place", "?item schema:location $v"),
        Column("country", "Country", PLACE_COUNTRY, links_to_filter="country"),
        Column("organisers", "Organised by", "?item schema:organizer $v", kind="entities"),
        Column("participants", "Took part", "?item schema:attendee $v", kind="entities"),
    ),
    filters=(
        _year("schema:startDate"),
        Filter("kind", "Kind", _one_of(EVENT_KINDS), "choice",
               choices=tuple(EVENT_KINDS), match="?item a $value"),
        Filter("country", "Country", PLACE_COUNTRY, "country",
               match="?item schema:location $h . $h schema:containedInPlace? $value"),
        Filter("org", "Organisation",
               "?item schema:attendee|schema:organizer $v FILTER EXISTS { $v a org:Organization }",
               "entity", facet_size=15, match="?item schema:attendee|schema:organizer $value"),
    ),
    sort="date",
)

MEMORANDA = Listing(
    name="memoranda",
    title="Memoranda of cooperation",
    description="Memoranda, agreements and protocols of cooperation between organisations.",
    members=_members("lkg:Memorandum"),
    columns=(
        Column("date", "Signed", "?item lkg:signingDate $v", kind="date"),
        NAME,
        Column("parties", "Parties", "?item lkg:party $v", kind="entities"),
        Column("place", "Place", "?item schema:location $v"),
        DOCUMENTS,
    ),
    filters=(
        _year("lkg:signingDate"),
        _linked("party", "Party", "lkg:party"),
    ),
    sort="date",
)

CONVENTIONS = Listing(
    name="conventions",
    title="ILO conventions",
    description="The conventions of the International Labour Organization, with how many documents mention them.",
    members=_members("lkg:Convention"),
    columns=(
        Column("number", "No.", "?item lkg:conventionNumber $v", kind="number"),
        NAME,
        Column("category", "Category", "?item lkg:category $v", links_to_filter="category"),
        Column("adopted", "Adopted", "?item lkg:adoptionYear $v", kind="date"),
        DOCUMENTS,
    ),
    filters=(_linked("category", "Category", "lkg:category", "choice", choices=CONVENTION_CATEGORIES),),
    sort="-documents",
)

DOCUMENTS_LIST = Listing(
    name="documents",
    title="Documents",
    description="The news articles the graph was built from.",
    members=_members("schema:NewsArticle"),
    columns=(
        Column("date", "Published", "?item schema:datePublished $v", kind="date"),
        NAME,
        Column("lang", "Language", "?item schema:inLanguage $v", kind="text", links_to_filter="lang"),
        Column("mentions", "Mentions", "?item schema:mentions $v", kind="count"),
    ),
    filters=(
        _year("schema:datePublished"),
        _linked("lang", "Language", "schema:inLanguage", "lang", choices=("en", "ru", "kk")),
        _linked("mentions", "Mentions", "schema:mentions", facet_size=15),
    ),
    sort="-date",
)

CLASSES = Listing(
    name="classes",
    title="All classes",
    description=Markup(
        "For engineers: every class with instances in the graph, the vocabulary's own (OWL, SKOS), provenance "
        "(PROV) and evidence (Web Annotation) included, with the number of instances. The "
        '<a href="/ontology">ontology</a> documents them; the <a href="/">home page</a> lists the same things '
        "in readers' terms."),
    # the graph has no blank nodes (the ontology's are skolemised), so instances are not checked to be IRIs: at
    # 1M triples, isIRI() on each of the 260,000 typings took longer than the rest of the page
    members="{ SELECT DISTINCT ?item WHERE { ?member a ?item } } FILTER(isIRI(?item))",
    columns=(
        Column("name", "Class", "BIND(?item AS $v)", link="/browse?class={}"),
        IRI,
        Column("instances", "Instances", "$v a ?item", kind="count"),
    ),
    sort="-instances",
    page_size=100,
)

INSTANCES = Listing(
    name="browse",
    title="Instances",
    description="For engineers: the instances of one class, with the number of documents that mention each.",
    members="FILTER(isIRI(?item))",
    columns=(NAME, IRI, DOCUMENTS),
    # in order of IRI, as pyoxigraph sorts them fastest: sorting the 90,000 annotations of a 1M-triple graph by
    # name took 15 s, by IRI 6 s
    sort="prefixed",
    filters=(Filter("class", "Class", "?item a $v", "class", match="?item a $value", facet_size=0, required=True,
                    choose_from="/classes"),),
)

LISTINGS: dict[str, Listing] = {
    listing.name: listing
    for listing in (ORGANISATIONS, PEOPLE, EVENTS_LIST, MEMORANDA, CONVENTIONS, DOCUMENTS_LIST, CLASSES, INSTANCES)
}
