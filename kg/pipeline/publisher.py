"""Step: the organisation that published the record, when its address is on that organisation's own site.

The reference organisations carry their websites (schema:url in ontology/reference); a record from
``https://kasipodaq.kz/2019/...`` is the Federation of Trade Unions of Kazakhstan speaking of itself, so its
"we", "our Federation" and bare "the Federation" stand for that organisation (see kg.pipeline.coreference).
The longest matching site wins ("perc.ituc-csi.org" over "ituc-csi.org").
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from kg.pipeline.gazetteer import gazetteer
from kg.pipeline.model import ORG


def _host(url: str) -> str:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


@lru_cache(maxsize=1)
def _sites() -> dict[str, str]:
    """Host of each reference organisation's website -> its IRI."""
    gaz = gazetteer()
    return {_host(e.website): iri for iri, e in sorted(gaz.entries.items()) if e.kind == ORG and e.website}


def publisher_of(url: str | None, sites: dict[str, str] | None = None) -> str | None:
    """The reference organisation on whose site ``url`` is, or None."""
    host = _host(url or "")
    if not host:
        return None
    sites = _sites() if sites is None else sites
    labels = host.split(".")
    for k in range(len(labels) - 1):  # the host itself, then each parent domain ("kostanay.x.kz" -> "x.kz")
        iri = sites.get(".".join(labels[k:]))
        if iri:
            return iri
    return None
