"""The ``migrate`` command: bring a store's schema up to this familynet's version."""

from __future__ import annotations

from pathlib import Path

import click

from familynet.cli.common import db_option, open_store, store_settings
from familynet.stores.neo4j import schema as neo4j_schema
from familynet.stores.sqlite import store as sqlite_store


@click.command()
@db_option
def migrate(db: Path | None) -> None:
    """Apply the schema migrations the store lacks, and say which version it is at.

    Every store migrates itself when opened; run this once after upgrading familynet,
    before the service starts, so that no request waits for it. On Neo4j it creates the
    uniqueness constraints, the indexes and the full-text index of schema/neo4j/ (each
    idempotent) and waits until they are online. A store written by a newer familynet
    is refused.
    """
    settings = store_settings(db)
    with open_store(db, must_exist=False):
        pass
    if settings.neo4j_uri is not None:
        click.echo(f"the Neo4j store is at schema version {neo4j_schema.schema_version()}")
    else:
        click.echo(f"the SQLite store {settings.db} is at schema version {sqlite_store.schema_version()}")
