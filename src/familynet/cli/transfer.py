"""The ``copy`` command: a whole dataset from one store to another (familynet.stores.transfer)."""

from __future__ import annotations

import click

from familynet.cli.common import print_table, progress_bar
from familynet.settings import Settings
from familynet.stores.backends import open_configured_store
from familynet.stores.transfer import copy_store


@click.command("copy")
@click.option(
    "--from",
    "source",
    required=True,
    metavar="STORE",
    help="The store to copy: a SQLite file (PATH or sqlite:PATH) or a neo4j:// or bolt:// URI.",
)
@click.option("--to", "target", required=True, metavar="STORE", help="The new, empty store to copy into (same forms).")
def copy_command(source: str, target: str) -> None:
    """Copy every fact and the access log from one store to another, and verify the copy.

    The target must be empty. Facts land in one load (all or nothing); the copy is then
    checked file by file against the source by counts and by a checksum of the facts,
    and the access log by its hashes. API users are not copied: issue new tokens on the
    target. Neo4j credentials come from FAMILYNET_NEO4J_USER and FAMILYNET_NEO4J_PASSWORD.
    """
    origin = open_configured_store(Settings.resolve(store=source), must_exist=True)
    try:
        destination = open_configured_store(Settings.resolve(store=target))
        try:
            stats = origin.stats()
            # One fact per node but concerns (codes, not facts), and per fact without an id.
            facts = ("MEMBER_OF", "PARENT_OF", "PARTNER_OF", "SIBLING_OF", "MENTIONS")
            total = sum(stats.labels.values()) - stats.labels["Concern"] + sum(stats.relationships[f] for f in facts)
            with progress_bar("copy", total) as advance:
                tallies = copy_store(origin, destination, progress=advance)
        finally:
            destination.close()
    finally:
        origin.close()
    print_table(("file", "facts", "checksum"), [(f, t.count, t.checksum[:16]) for f, t in tallies.items()])
