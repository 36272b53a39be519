"""Name search: an SQLite FTS5 index over the labels and aliases of every entity, in every language.

A SPARQL substring filter scans every label (~240 ms at 1M triples); this index answers in a few ms.
Names are indexed in a folded form (case, diacritics and Cyrillic -> Latin transliteration, through
kg.namespaces.slug), so "Федерация", "federatsiya" and "FEDERATSIYA" find the same entity. The build calls
:func:`rebuild_index` after every change: an embedded store's index is published with each version of the store
(kg.store.published), a remote store's is written under the dumps folder. The index remembers which build it
was made from, so a reader can tell a stale index (:func:`is_current`).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kg.config import Settings
from kg.namespaces import RDFS, SCHEMA, SKOS, slug
from kg.store import GraphStore

NAME_PREDICATES = {
    RDFS + "label": "label",
    SKOS + "prefLabel": "label",
    SCHEMA + "name": "label",
    SCHEMA + "headline": "label",
    SKOS + "altLabel": "alias",
}
LANGUAGE_ORDER = ("en", "ru", "kk", "")
#: Names ranked by relevance before grouping them by entity (more only matters for very short queries).
CANDIDATES = 1000


@dataclass(frozen=True)
class Hit:
    """One entity found: its IRI, its best label, the name that matched and its types."""

    iri: str
    label: str
    matched: str
    types: tuple[str, ...]


def index_path(settings: Settings) -> Path:
    """Where the shared index of a store lives: under the dumps folder for a remote store, next to the folder of
    an embedded one that has no published version (published versions carry their own)."""
    if settings.is_remote:
        return settings.dumps_dir / "search.sqlite"
    return Path(settings.store).parent / (Path(settings.store).name + "-search.sqlite")


def fold(text: str) -> str:
    """The searchable form of a name: ASCII words in lower case, separated by spaces."""
    return slug(text).replace("-", " ") if text.strip() else ""


def build_stamp(store: GraphStore) -> str:
    """When the store's last build ended (empty if it records none)."""
    version = store.version()
    return version.built if version else ""


def _version_id(store: GraphStore) -> str:
    version = store.version()
    return version.id if version else ""


def rebuild_index(store: GraphStore, path: Path) -> int:
    """Write a fresh index of every name in the store to ``path`` (atomically); returns the number of names."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    # the version first: if a commit lands while the names are read, the index is stamped older than its names
    # and is made again, never taken as current with the names of the commit before
    made_from = _version_id(store)
    values = " ".join(f"<{p}>" for p in NAME_PREDICATES)
    # The store's default graph is the union of its graphs, where a shared entity's names and types recur
    # once per document graph: the named entities are made distinct before their types are joined, or an
    # entity in n documents would give n x n rows (two minutes for 1,000 documents, instead of two seconds).
    named = f"VALUES ?p {{ {values} }} ?s ?p ?l FILTER(isIRI(?s) && isLiteral(?l))"
    names = store.select(f"SELECT DISTINCT ?s ?p ?l WHERE {{ {named} }}")
    types = store.select(
        f"SELECT DISTINCT ?s ?t WHERE {{ {{ SELECT DISTINCT ?s WHERE {{ {named} }} }} ?s a ?t FILTER(isIRI(?t)) }}"
    )
    db = sqlite3.connect(tmp)
    try:
        db.executescript(
            """
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE names(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, name TEXT NOT NULL, lang TEXT NOT NULL,
                               kind TEXT NOT NULL, folded TEXT NOT NULL);
            CREATE INDEX names_iri ON names(iri);
            CREATE TABLE types(iri TEXT NOT NULL, type TEXT NOT NULL);
            CREATE INDEX types_iri ON types(iri);
            CREATE VIRTUAL TABLE names_fts USING fts5(folded, content='names', content_rowid='id',
                                                      tokenize='unicode61', prefix='1 2 3');
            """
        )
        keys = {(r["s"].value, r["l"].value, r["l"].language or "", NAME_PREDICATES[r["p"].value]) for r in names}
        rows = [(*key, fold(key[1])) for key in sorted(keys)]  # sorted: the same store gives the same index
        db.executemany("INSERT INTO names(iri, name, lang, kind, folded) VALUES (?, ?, ?, ?, ?)", rows)
        db.execute("INSERT INTO names_fts(names_fts) VALUES ('rebuild')")
        db.executemany("INSERT INTO types VALUES (?, ?)", [(r["s"].value, r["t"].value) for r in types])
        db.execute("INSERT INTO meta VALUES ('build', ?)", (made_from,))
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)
    return len(rows)


def is_current(store: GraphStore, path: Path) -> bool:
    """Whether the index exists and was made from the commit the store holds (kg.store.StoreVersion)."""
    if not Path(path).exists():
        return False
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        row = db.execute("SELECT value FROM meta WHERE key = 'build'").fetchone()
    return bool(row) and row[0] == _version_id(store)


def search(path: Path, text: str, *, lang: str = "en", limit: int = 20, offset: int = 0,
           types: tuple[str, ...] = ()) -> list[Hit]:
    """Entities whose names contain words starting with the words of ``text``, best matches first (on a tie,
    the entity with more names: the well-known one); only entities of one of ``types`` when given (supertypes
    count: the store materialises them).

    When no name has such words (a typo, another transliteration: "Kazakstan", "Hungbo"), the closest names
    by edit distance are given instead.
    """
    words = fold(text).split()
    if not words:
        return []
    match = " ".join(f'"{w}"*' for w in words)
    whole = " ".join(words)
    of_type = f"WHERE n.iri IN (SELECT iri FROM types WHERE type IN ({','.join('?' * len(types))}))" if types else ""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        found = db.execute(
            f"""SELECT n.iri, n.name, MIN((n.folded = ?) * -100 + (n.folded LIKE ? || '%') * -10 + hits.rank) AS score
               FROM (SELECT rowid, rank FROM names_fts WHERE names_fts MATCH ? ORDER BY rank LIMIT ?) AS hits
               JOIN names n ON n.id = hits.rowid {of_type}
               GROUP BY n.iri ORDER BY score, (SELECT COUNT(*) FROM names m WHERE m.iri = n.iri) DESC, n.iri
               LIMIT ? OFFSET ?""",
            (whole, whole, match, CANDIDATES + offset, *types, limit, offset),
        ).fetchall()
        if not found and offset == 0:
            found = _closest(db, whole, limit, types)
        if not found:
            return []
        iris = [r[0] for r in found]
        marks = ",".join("?" * len(iris))
        labels: dict[str, dict[str, str]] = {}
        for iri, name, lg in db.execute(
            f"SELECT iri, name, lang FROM names WHERE kind = 'label' AND iri IN ({marks})", iris
        ):
            labels.setdefault(iri, {}).setdefault(lg, name)
        kinds: dict[str, list[str]] = {}
        for iri, t in db.execute(f"SELECT iri, type FROM types WHERE iri IN ({marks}) ORDER BY type", iris):
            kinds.setdefault(iri, []).append(t)
    hits = []
    for iri, matched, *_score in found:
        by_lang = labels.get(iri, {})
        best = next((by_lang[lg] for lg in (lang, *LANGUAGE_ORDER) if lg in by_lang), matched)
        hits.append(Hit(iri, best, matched, tuple(kinds.get(iri, ()))))
    return hits


#: Names compared by edit distance when no name matches (at most this many, sharing a word's first letter).
NEAR_MISS_CANDIDATES = 5000
#: Least similarity (0-100, rapidfuzz WRatio) for a name to count as a near miss.
NEAR_MISS = 80


def _closest(db: sqlite3.Connection, whole: str, limit: int, types: tuple[str, ...]) -> list[tuple[str, str]]:
    from rapidfuzz import fuzz, process

    starts = " OR ".join(sorted({f'"{w[0]}"*' for w in whole.split()}))
    of_type = f"AND n.iri IN (SELECT iri FROM types WHERE type IN ({','.join('?' * len(types))}))" if types else ""
    rows = db.execute(
        "SELECT n.folded, n.iri, n.name FROM names_fts JOIN names n ON n.id = names_fts.rowid "
        f"WHERE names_fts MATCH ? {of_type} LIMIT ?",
        (starts, *types, NEAR_MISS_CANDIDATES),
    ).fetchall()
    best: dict[str, tuple[float, str]] = {}
    matches = process.extract(whole, [r[0] for r in rows], scorer=fuzz.WRatio, limit=limit * 5, score_cutoff=NEAR_MISS)
    for _, score, i in matches:
        iri, name = rows[i][1], rows[i][2]
        if iri not in best or score > best[iri][0]:
            best[iri] = (score, name)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
    return [(iri, name) for iri, (_score, name) in ranked]
