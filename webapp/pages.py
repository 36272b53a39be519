"""Human-facing pages: the home page with the documents of the graph."""

from __future__ import annotations

from flask import Blueprint, render_template

from kg.namespaces import sparql_prefixes
from webapp.store import get_store

pages = Blueprint("pages", __name__)


@pages.get("/")
def home() -> str:
    rows = get_store().select(
        sparql_prefixes()
        + """SELECT ?doc ?id ?title ?date ?lang WHERE {
               ?doc a schema:NewsArticle ; schema:identifier ?id .
               OPTIONAL { ?doc schema:headline ?title }
               OPTIONAL { ?doc schema:datePublished ?date }
               OPTIONAL { ?doc schema:inLanguage ?lang }
             } ORDER BY ?id"""
    )
    docs = [{k: v.value for k, v in row.items()} for row in rows]
    return render_template("home.html", docs=docs)
