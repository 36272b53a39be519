"""Every setting of labour-kg in one place: ``KG_*`` environment variables, overridden by CLI flags.

Relative paths (``KG_STORE=data/store``, ``--corpus docs``) mean what they mean in a shell: relative to the
directory the command runs in. They are made absolute here, once, when the settings are made, so every
consumer (the build, the web app's ``send_file``, worker processes started elsewhere) uses the same file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.namespaces import INSTANCE_BASE

#: The project's root (where corpus/, ontology/, shapes/ and queries/ live).
ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _number(name: str, default: str, kind: type[int] | type[float]) -> int | float:
    text = _env(name, default)
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"{name} must be a {'whole ' if kind is int else ''}number, not {text!r}") from None


def absolute(path: str | Path) -> Path:
    """``path`` against the current directory, normalised (``..`` resolved) but with symbolic links kept."""
    return Path(os.path.abspath(os.path.expanduser(path)))


@dataclass(frozen=True)
class Settings:
    """Settings read once and passed down; use :meth:`with_` to override from flags."""

    #: A folder (embedded pyoxigraph store) or an http(s) SPARQL query endpoint (remote store).
    store: str = field(default_factory=lambda: _env("KG_STORE", "data/store"))
    #: Remote store's SPARQL update endpoint (default: the query endpoint's sibling, see kg.store).
    store_update: str | None = field(default_factory=lambda: os.environ.get("KG_STORE_UPDATE") or None)
    #: Remote store's Graph Store Protocol endpoint.
    store_gsp: str | None = field(default_factory=lambda: os.environ.get("KG_STORE_GSP") or None)
    #: How a remote store answers over the union of its graphs: "oxigraph" (sent with every query) or "server".
    store_union: str = field(default_factory=lambda: _env("KG_STORE_UNION", "oxigraph"))
    #: Seconds a request to a remote store may take.
    store_timeout: float = field(default_factory=lambda: _number("KG_STORE_TIMEOUT", "60", float))
    corpus: tuple[Path, ...] = field(
        default_factory=lambda: tuple(Path(p) for p in _env("KG_CORPUS", str(ROOT / "corpus")).split(os.pathsep) if p)
    )
    ontology_dir: Path = field(default_factory=lambda: Path(_env("KG_ONTOLOGY", str(ROOT / "ontology"))))
    shapes_dir: Path = field(default_factory=lambda: Path(_env("KG_SHAPES", str(ROOT / "shapes"))))
    queries_dir: Path = field(default_factory=lambda: Path(_env("KG_QUERIES", str(ROOT / "queries"))))
    dumps_dir: Path = field(default_factory=lambda: Path(_env("KG_DUMPS", "data/dumps")))
    base: str = field(default_factory=lambda: _env("KG_BASE", INSTANCE_BASE))
    host: str = field(default_factory=lambda: _env("KG_HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: _number("KG_PORT", "8000", int))
    workers: int = field(default_factory=lambda: _number("KG_WORKERS", str(os.cpu_count() or 1), int))
    #: Seconds of new documents a build gathers before writing them together (kg.writer): the most work an
    #: interrupted build loses; longer batches are faster (less compaction of the store).
    commit_seconds: float = field(default_factory=lambda: _number("KG_COMMIT_SECONDS", "10", float))
    #: Server-side limit of one SPARQL query, in seconds.
    query_timeout: float = field(default_factory=lambda: _number("KG_QUERY_TIMEOUT", "10", float))
    #: Most rows a SELECT answer of the endpoint carries.
    max_rows: int = field(default_factory=lambda: _number("KG_MAX_ROWS", "10000", int))
    #: Seconds browsers and proxies may reuse a web answer without asking again (0: they must always ask).
    cache_seconds: int = field(default_factory=lambda: _number("KG_CACHE_SECONDS", "300", int))

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # the dataclass is frozen: this is its own constructor finishing
        if not self.is_remote:
            set_(self, "store", str(absolute(self.store)))
        set_(self, "corpus", tuple(absolute(p) for p in self.corpus))
        for name in ("ontology_dir", "shapes_dir", "queries_dir", "dumps_dir"):
            set_(self, name, absolute(getattr(self, name)))

    def with_(self, **changes: object) -> Settings:
        """A copy with the given settings changed; ``None`` values leave a setting as it is."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def is_remote(self) -> bool:
        return self.store.startswith(("http://", "https://"))
