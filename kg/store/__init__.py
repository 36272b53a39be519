"""Where the graph lives: an embedded pyoxigraph store on disk, or any SPARQL 1.1 store over HTTP.

Both answer queries with pyoxigraph result objects, so callers never care which one they have.
"""

from __future__ import annotations

from kg.config import Settings
from kg.store.base import GraphStore, StoreError, StoreUnreadable, StoreVersion


def open_store(settings: Settings, *, read_only: bool = False) -> GraphStore:
    """The store the settings name: a folder, or an ``http(s)://`` SPARQL query endpoint. A reader of a folder
    reads its newest published version, and follows newer ones (kg.store.published)."""
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
    from kg.store.published import PublishedStore, newest

    if read_only and newest(settings.store) is not None:
        return PublishedStore(settings.store)
    return EmbeddedStore(settings.store, read_only=read_only)


__all__ = ["GraphStore", "StoreError", "StoreUnreadable", "StoreVersion", "open_store"]
