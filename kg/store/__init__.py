"""Where the graph lives: an embedded pyoxigraph store on disk, or any SPARQL 1.1 store over HTTP.

Both answer queries with pyoxigraph result objects, so callers never care which one they have.
"""

from __future__ import annotations

from kg.config import Settings
from kg.store.base import GraphStore, StoreError, StoreVersion


def open_store(settings: Settings, *, read_only: bool = False) -> GraphStore:
    """The store the settings name: a folder, or an ``http(s)://`` SPARQL query endpoint."""
    if settings.is_remote:
        from kg.store.remote import RemoteStore

        return RemoteStore(
            settings.store,
            update_endpoint=settings.store_update,
            gsp_endpoint=settings.store_gsp,
            union=settings.store_union,
            timeout=settings.store_timeout,
        )
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.store, read_only=read_only)


__all__ = ["GraphStore", "StoreError", "StoreVersion", "open_store"]
