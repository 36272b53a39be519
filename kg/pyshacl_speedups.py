"""pyshacl 0.40, made fast for many small graphs: the same results, with less of its per-focus-node work.

pyshacl evaluates every shape, property shape and SPARQL constraint once per focus node, and each time it
looks the shape's parameters up again in the shapes graph, builds its constraint components and, for a SPARQL
constraint, parses and plans its query anew. A document graph has ~130 focus nodes (80 of them the four Web
Annotation resources of its 20 mentions), so that per-node work was nearly all of the SHACL gate's time.
What is changed here evaluates the same constraints on the same nodes in fewer, larger steps; what each one
reports is unchanged (kg.validate's tests, and a comparison of every result on the corpus, the defect fixtures,
the reference knowledge and hundreds of damaged document graphs, with and without these changes).

Other pyshacl versions are left alone (slower, same results).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

import pyoxigraph as ox
import pyshacl
import rdflib
from pyshacl.graph_abstraction import OxigraphDataGraph, to_rdf
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result


@cache
def speed_up_pyshacl() -> None:
    """Patch pyshacl 0.40 where it repeats work per focus node (once per process; other versions untouched)."""
    if not pyshacl.__version__.startswith("0.40."):
        return
    _parameters_as_a_set()
    _targets_read_once()
    _check_each_query_once()
    _validate_property_shapes_together()
    _run_sparql_constraints_together()


class DataGraph(OxigraphDataGraph):
    """pyshacl's view of some triples: SPARQL runs on a pyoxigraph store of them, every other read is answered
    from Python indexes made once.

    pyshacl reads the data graph through rdflib's API (objects, subjects, triples...) tens of thousands of times
    per document graph; its pyoxigraph graph answers each read with a look-up in the store and a conversion of
    every term to rdflib and back, which was a fifth of the validation time. Here each term is converted once and
    the reads are dictionary look-ups that give the same triples.

    The graph is always truthy: pyshacl writes ``datagraph or shapes_graph`` twice for every result it makes,
    and the truth of its pyoxigraph graph is a COUNT of every triple (`kg validate` of a 184-document store:
    274 s with the count, 12 s without).
    """

    @classmethod
    def of(cls, statements: Iterable[ox.Quad | ox.Triple]) -> DataGraph:
        """The graph of these statements: their triples, whatever graph each quad names (each triple once)."""
        store = ox.Store()
        store.extend(s if isinstance(s, ox.Quad) else ox.Quad(s.subject, s.predicate, s.object) for s in statements)
        graph = cls.from_oxigraph_store(store)
        graph.default_union = True  # SPARQL constraints see every graph as one
        graph._spo, graph._pos, graph._by_object = {}, {}, None
        spo, pos, term = graph._spo, graph._pos, _rdflib_term
        for q in store:  # as stored: pyoxigraph writes some literals in a canonical form (xsd:integer offsets)
            s, p, o = term(q.subject), term(q.predicate), term(q.object)
            objects = spo.setdefault(s, {}).setdefault(p, {})
            if o not in objects:  # the same triple in two graphs is one triple
                objects[o] = None
                pos.setdefault(p, {}).setdefault(o, []).append(s)
        return graph

    @property
    def _os(self) -> dict:
        """Subject and predicate by object: made when first read (few shapes read a node's incoming triples)."""
        if self._by_object is None:
            self._by_object = {}
            for p, by_object in self._pos.items():
                for o, subjects in by_object.items():
                    self._by_object.setdefault(o, []).extend((s, p) for s in subjects)
        return self._by_object

    def __bool__(self) -> bool:
        return True

    def triples(self, triple):
        s, p, o = triple
        if s is not None:
            by_predicate = self._spo.get(s, {})
            for p2, objects in (((p, by_predicate.get(p, ())),) if p is not None else by_predicate.items()):
                for o2 in objects:
                    if o is None or o2 == o:
                        yield s, p2, o2
        elif p is not None:
            by_object = self._pos.get(p, {})
            for o2, subjects in (((o, by_object.get(o, ())),) if o is not None else by_object.items()):
                for s2 in subjects:
                    yield s2, p, o2
        elif o is not None:
            for s2, p2 in self._os.get(o, ()):
                yield s2, p2, o
        else:
            for s2, by_predicate in self._spo.items():
                for p2, objects in by_predicate.items():
                    for o2 in objects:
                        yield s2, p2, o2

    def __contains__(self, triple) -> bool:
        return next(self.triples(triple), None) is not None

    def objects(self, subject=None, predicate=None, unique=False):
        for s in subject if isinstance(subject, (list, tuple)) else (subject,):
            for _, _, o in self.triples((s, predicate, None)):
                yield o

    def subjects(self, predicate=None, object_=None, unique=False):
        for o in object_ if isinstance(object_, (list, tuple)) else (object_,):
            for s, _, _ in self.triples((None, predicate, o)):
                yield s

    def predicate_objects(self, subject=None, unique=False):
        for _, p, o in self.triples((subject, None, None)):
            yield p, o

    def subject_objects(self, predicate=None, unique=False):
        for s, _, o in self.triples((None, predicate, None)):
            yield s, o

    def subject_predicates(self, object_=None, unique=False):
        for s, p, _ in self.triples((None, None, object_)):
            yield s, p


#: pyoxigraph term -> rdflib term: predicates, classes and shared entities recur in every document graph.
_RDF_TERMS: dict = {}


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    found = _RDF_TERMS.get(term)
    if found is None:
        if len(_RDF_TERMS) >= 100_000:  # mostly one document's own resources: start again rather than grow
            _RDF_TERMS.clear()
        found = _RDF_TERMS[term] = to_rdf(term)
    return found


def _parameters_as_a_set() -> None:
    """Each shape asks, for every predicate it has, whether it is a constraint parameter: a scan of a list of
    ~40 rdflib terms. The list gets a set for `in`, still a list. And each shape builds its constraint components
    anew for every data graph: a SPARQL constraint's (its queries, prefixes and messages read from the shapes
    graph) is built once per shape and kept, as the shapes graph does
    not change while it is in use and the component keeps nothing of one evaluation for the next."""
    from pyshacl import shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint

    components = {p: _BuiltOnce(c) if c is SPARQLBasedConstraint else c for p, c in CONSTRAINT_PARAMETERS_MAP.items()}
    shape.CONSTRAINT_PARAMS = (_ParameterList(ALL_CONSTRAINT_PARAMETERS), components)


class _ParameterList(list):
    """A list with set-speed membership tests (it never changes after construction)."""

    def __init__(self, items: Iterable) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members


class _BuiltOnce:
    """Stands for a constraint component class where pyshacl builds one for a shape: the first one built for each
    shape is kept with the shapes graph and given again (a shape that cannot have one still raises every time)."""

    def __init__(self, component: type) -> None:
        self.component = component

    def __call__(self, shape):
        built = shape.sg.__dict__.setdefault("_kg_components", {})
        key = (self.component, shape.node)
        found = built.get(key)
        if found is None:
            found = built[key] = self.component(shape)
        return found


def _targets_read_once() -> None:
    """Each shape reads its target declarations (sh:targetClass, ...) from the shapes graph again for every data
    graph; they are read once per shapes graph, which does not change while it is in use."""
    from pyshacl.shape import Shape

    read = Shape.target

    def target(self):
        known = self.sg.__dict__.setdefault("_kg_targets", {})
        key = (self.node, self.is_property_shape)
        found = known.get(key)
        if found is None:
            found = known[key] = tuple(list(targets) for targets in read(self))
        return found

    Shape.target = target


def _check_each_query_once() -> None:
    """Each SPARQL constraint re-checks its (constant) query text with five backtracking regular expressions
    before it runs for a focus node: that check, which raises on a forbidden query, runs once per query text
    and set of pre-bound variables, and still raises where it did."""
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    check = SPARQLQueryHelper.check_invalid_sparql
    checked: set[tuple[str, bool, frozenset[str]]] = set()

    def check_once(helper, sparql_text, valuenode=None, extravars=None):  # pyshacl's signature
        key = (sparql_text, valuenode is not None, frozenset(extravars or ()))
        if key not in checked:
            check(helper, sparql_text, valuenode=valuenode, extravars=extravars)
            checked.add(key)
        return True

    SPARQLQueryHelper.check_invalid_sparql = check_once


def _validate_property_shapes_together() -> None:
    """A node shape's property shape is validated once for all focus nodes instead of once for each.

    The property shape's validation of one node does not depend on the others, so validating them in one call
    gives the same results; when a value node is reached from more than one focus node (a property shape's own
    sh:property), or the shape is missing or recursive, pyshacl's own loop runs as before (duplicate results,
    its warnings and errors).
    """
    from pyshacl.constraints.core.shape_based_constraints import PropertyConstraintComponent

    one_by_one = PropertyConstraintComponent._evaluate_property_shape

    def together(self, executor, prop_shape, target_graph, focus_value_nodes, potentially_recursive, path):
        values = [v for nodes in focus_value_nodes.values() for v in nodes]
        shape = self.shape.get_other_shape(prop_shape)
        if (len(values) < 2 or len(set(values)) != len(values) or not shape or not shape.is_property_shape
                or (potentially_recursive and shape in potentially_recursive)):
            return one_by_one(self, executor, prop_shape, target_graph, focus_value_nodes, potentially_recursive, path)
        conforms, reports = shape.validate(executor, target_graph, focus=values, _evaluation_path=path[:])
        return not conforms, reports

    PropertyConstraintComponent._evaluate_property_shape = together


# --- SPARQL constraints: one query for all focus nodes ---------------------------------------------------------

_THIS = rdflib.Variable("this")
#: Where the WHERE clause opens, when nothing before it can hide a brace (no string, comment or IRI text).
_WHERE = re.compile(r"\A[^\"'#<{]*?\bWHERE\s*\{", re.IGNORECASE | re.DOTALL)
#: An IRI that can be written between < and > as it is.
_PLAIN_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")
#: Algebra operators of a group whose every part sees the solutions of what comes before it in the group.
_SPINE = {"SelectQuery", "Project", "Distinct", "Reduced", "OrderBy", "Filter", "Extend", "Join", "BGP"}


def _run_sparql_constraints_together() -> None:
    """A SPARQL constraint is evaluated with one query for all its focus nodes instead of one query each.

    SHACL pre-binds $this to one focus node at a time, and pyshacl runs the query once per focus node. For a
    query whose WHERE clause is one group of triple patterns, BINDs and FILTERs (EXISTS and NOT EXISTS included),
    projecting $this, binding $this to every focus node at the start of that group (a VALUES block) gives each
    node's solutions exactly (every BIND and FILTER of the group sees $this bound, as pre-binding has it), and
    the rows are handed out to the focus nodes by their $this. Any other query (nested groups, OPTIONAL, UNION,
    aggregates, LIMIT, sub-queries, focus nodes that are not IRIs) runs once per focus node, as before. Each
    node's rows then go through pyshacl's own code for results, messages and duplicates.
    """
    from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint

    one_by_one = SPARQLBasedConstraint._evaluate_sparql_constraint
    answer_query = SPARQLBasedConstraint._validate_sparql_query

    def together(self, sparql_constraint, target_graph, f_v_dict):
        focus = list(f_v_dict)
        query = _query_for_all(sparql_constraint, focus) if len(focus) > 1 else None
        if query is None:
            return one_by_one(self, sparql_constraint, target_graph, f_v_dict)
        text, bindings = query
        answer = target_graph.query(text, initBindings=bindings)
        rows: dict[rdflib.term.Node, list[dict]] = {f: [] for f in focus}
        for row in answer.bindings:
            rows[row[_THIS]].append(row)
        self._answers = {f: _result(answer.vars, found) for f, found in rows.items()}
        try:
            return one_by_one(self, _Prebound(sparql_constraint), target_graph, f_v_dict)
        finally:
            del self._answers

    def answered(self, query, init_binds, target_graph):
        answers = getattr(self, "_answers", None)
        if answers is not None:
            target_graph = _Answered(answers[init_binds["this"]])
        return answer_query(self, query, init_binds, target_graph)

    SPARQLBasedConstraint._evaluate_sparql_constraint = together
    SPARQLBasedConstraint._validate_sparql_query = answered


def _query_for_all(helper, focus: list) -> tuple[str, dict] | None:
    """The constraint's query with $this bound to every focus node, and its other pre-bound variables; None when
    that would not give each focus node's solutions exactly."""
    if not all(isinstance(f, rdflib.URIRef) and _PLAIN_IRI.fullmatch(f) for f in focus):
        return None
    bindings, text = helper.pre_bind_variables(focus[0])
    where = _WHERE.match(text)
    if "this" not in bindings or where is None or not _one_group(helper.apply_prefixes(text)):
        return None
    values = " ".join(f"<{f}>" for f in focus)
    text = f"{text[:where.end()]} VALUES $this {{ {values} }} {text[where.end():]}"
    return helper.apply_prefixes(text), {k: v for k, v in bindings.items() if k != "this"}


@lru_cache(maxsize=256)
def _one_group(text: str) -> bool:
    """Whether a SELECT query projects $this from one group whose parts all come after where $this is bound:
    along the algebra's left spine only groups, joins with plain triple patterns, BINDs and FILTERs."""
    try:
        algebra = prepareQuery(text).algebra
    except Exception:  # noqa: BLE001 - a query rdflib cannot read is run the usual way, one node at a time
        return False
    if algebra.name != "SelectQuery" or _THIS not in algebra.get("PV", ()):
        return False
    node = algebra
    while node.name != "BGP":
        if node.name not in _SPINE:
            return False
        if node.name == "Join":
            if not _plain(node.p2):
                return False
            node = node.p1
        else:
            node = node.p
    return True


def _plain(node) -> bool:
    """Triple patterns only (their join with solutions that bind $this is what pre-binding gives)."""
    if node.name == "Join":
        return _plain(node.p1) and _plain(node.p2)
    return node.name == "BGP"


def _result(variables: list, rows: list[dict]) -> Result:
    result = Result("SELECT")
    result.vars = variables
    result.bindings = rows
    return result


class _Prebound:
    """Stands for a SPARQL constraint's query helper once its query has run for all focus nodes: for each node,
    pyshacl then only needs $this bound to find the node's rows (the query, already checked and run, is not
    written out again with the node's bindings and the prefixes)."""

    def __init__(self, helper) -> None:
        self._helper = helper

    def __getattr__(self, name: str):
        return getattr(self._helper, name)

    def pre_bind_variables(self, thisnode, valuenode=None, extravars=None):  # pyshacl's signature
        return {"this": thisnode}, ""

    def apply_prefixes(self, sparql_text: str) -> str:
        return sparql_text


class _Answered:
    """Stands for the data graph where pyshacl runs a constraint's query for one focus node: the rows are known."""

    def __init__(self, result: Result) -> None:
        self._result = result

    def query(self, *_args, **_kwargs) -> Result:
        return self._result
