"""The store the settings name: the embedded SQLite file, or a Neo4j server for a ``neo4j://`` or ``bolt://`` URI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from familynet.errors import StoreError
from familynet.settings import Settings
from familynet.stores.neo4j.store import open_neo4j
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite


def open_configured_store(settings: Settings, *, must_exist: bool = False) -> Store:
    """Open the store of ``settings``; ``must_exist`` refuses a SQLite path with no database
    (for commands that only read, so a mistyped path is an error, not a new, empty store)."""
    if settings.neo4j_uri is not None:
        return open_neo4j(
            settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, commit_rows=settings.neo4j_commit_rows
        )
    if must_exist and not settings.db.is_file():
        raise StoreError(f"there is no database at {settings.db}")
    if not settings.db.parent.is_dir():
        raise StoreError(f"there is no directory {settings.db.parent} to hold the database {settings.db.name}")
    return open_sqlite(settings.db)


@contextmanager
def configured_store(settings: Settings, *, must_exist: bool = False) -> Iterator[Store]:
    """The store of ``settings`` (see :func:`open_configured_store`), closed when the block ends.
    A ``functools.partial`` of it pickles, so a worker process can open the store a command named."""
    store = open_configured_store(settings, must_exist=must_exist)
    try:
        yield store
    finally:
        store.close()
