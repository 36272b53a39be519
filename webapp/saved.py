"""Saved queries: ``queries/*.rq`` files with a metadata header, and binding their parameters as RDF terms.

Header lines start with ``#+`` (indented lines continue the previous one)::

    #+ title: Documents that mention an entity
    #+ description: News articles that mention ...
    #+ tags: documents, people
    #+ param entity: iri = https://w3id.org/labour-kg/id/org/ilo ; values: a, b ; label: Entity
    #+ param org: iri ; class: org:Organization ; label: Organisation
    #+ paginate: 50

Parameter types: iri (full or prefixed with the project's prefixes), string, integer, decimal, date, year.
An iri parameter may name a ``class``: the form's picker then suggests only entities of that class.
A parameter left empty (and without default) stays unbound, so it matches anything (SEP-0007 substitution).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import PREFIXES, XSD

TYPES = {"iri", "string", "integer", "decimal", "date", "year"}
#: What an IRI starts with: a scheme.
IRI = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


class QueryFileError(Exception):
    """A saved query file's header is malformed."""


class ParameterError(ValueError):
    """A parameter value does not fit its declared type or allowed values."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None = None
    values: tuple[str, ...] = ()
    label: str = ""
    #: for an iri parameter: the class its values belong to (full IRI), which the form's picker suggests
    cls: str = ""

    def bind(self, raw: str | None) -> ox.Term | None:
        """The RDF term for a submitted value (or the default); None leaves the variable unbound."""
        raw = (raw or "").strip() or self.default
        if not raw:
            return None
        if self.values and raw not in self.values and expand(raw) not in {expand(v) for v in self.values}:
            raise ParameterError(f"{self.name} must be one of: {', '.join(self.values)}")
        try:
            return _term(self.type, raw)
        except ValueError as exc:
            raise ParameterError(f"{self.name}: {raw!r} is not a valid {self.type} ({exc})") from None


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    page_size: int
    text: str = field(repr=False)

    def bindings(self, args: dict[str, str]) -> dict[str, ox.Term]:
        """Substitutions for the submitted arguments (only declared parameters are read)."""
        out = {}
        for p in self.parameters:
            term = p.bind(args.get(p.name))
            if term is not None:
                out[p.name] = term
        return out

    def paged(self, page: int) -> str:
        """The query text for one page (fetching one row more tells whether a next page exists)."""
        if not self.page_size:
            return self.text
        return f"{self.text.rstrip()}\nLIMIT {self.page_size + 1} OFFSET {(page - 1) * self.page_size}\n"


def expand(value: str) -> str:
    """A prefixed name (``lkg:Convention``) as a full IRI; anything else unchanged."""
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return value


def _term(kind: str, raw: str) -> ox.Term:
    if kind == "iri":
        iri = expand(raw)
        if not IRI.match(iri):
            raise ValueError("an IRI needs a scheme such as https: or a known prefix")
        return ox.NamedNode(iri)
    if kind == "string":
        return ox.Literal(raw)
    patterns = {"integer": r"[+-]?\d+", "decimal": r"[+-]?\d+(\.\d+)?", "date": r"\d{4}-\d{2}-\d{2}", "year": r"\d{4}"}
    if not re.fullmatch(patterns[kind], raw):
        raise ValueError(f"expected the form {patterns[kind]}")
    datatype = {"integer": "integer", "decimal": "decimal", "date": "date", "year": "gYear"}[kind]
    return ox.Literal(raw, datatype=ox.NamedNode(XSD + datatype))


def parse(path: Path) -> SavedQuery:
    """Read one .rq file; the header must give a title."""
    text = path.read_text(encoding="utf-8")
    fields: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            continue
        body = line[2:]
        if body.startswith("   ") and fields:
            fields[-1] = (fields[-1][0], fields[-1][1] + " " + body.strip())
            continue
        key, sep, value = body.strip().partition(":")
        if not sep:
            raise QueryFileError(f"{path.name}: header line without 'key:': {line!r}")
        fields.append((key.strip(), value.strip()))
    meta: dict[str, str] = {}
    params = []
    for key, value in fields:
        if key.startswith("param "):
            params.append(_parameter(path, key[6:].strip(), value))
        else:
            meta[key] = value
    if "title" not in meta:
        raise QueryFileError(f"{path.name}: the header needs a '#+ title:' line")
    try:
        page_size = int(meta.get("paginate", "0"))
    except ValueError:
        raise QueryFileError(f"{path.name}: paginate must be a number of rows") from None
    return SavedQuery(
        name=path.stem,
        title=meta["title"],
        description=meta.get("description", ""),
        tags=tuple(t.strip() for t in meta.get("tags", "").split(",") if t.strip()),
        parameters=tuple(params),
        page_size=page_size,
        text=text,
    )


def _parameter(path: Path, name: str, spec: str) -> Parameter:
    parts = [p.strip() for p in spec.split(";")]
    kind, _, default = (s.strip() for s in parts[0].partition("="))
    if kind not in TYPES:
        raise QueryFileError(f"{path.name}: parameter {name} has unknown type {kind!r} (one of {sorted(TYPES)})")
    extra = dict((k.strip(), v.strip()) for k, _, v in (p.partition(":") for p in parts[1:]))
    values = tuple(v.strip() for v in extra.get("values", "").split(",") if v.strip())
    cls = expand(extra.get("class", ""))
    if cls and (kind != "iri" or not IRI.match(cls)):
        raise QueryFileError(f"{path.name}: parameter {name}: a class is given to iri parameters only, as an IRI")
    return Parameter(name, kind, default or None, values, extra.get("label", name), cls)


def load_all(directory: Path) -> list[SavedQuery]:
    """Every saved query in the folder, sorted by name."""
    return [parse(p) for p in sorted(directory.glob("*.rq"))]
