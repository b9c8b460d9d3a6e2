"""The ``users`` commands: API users (service accounts) and their tokens."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from familynet.access.auth import Role, new_token, token_hash
from familynet.cli.common import db_option, format_option, open_store, print_table


@click.group()
def users() -> None:
    """Manage API users: each holds one token and one role."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    help="practitioner: person and household look-ups; auditor: audits; records: deciding which records are "
    "one person; admin: users, ingest, access log.",
)
@click.option("--agency", "agency_id", help="Agency id the user works for; stamped as provenance on their writes.")
@db_option
def add_user(name: str, role: str, agency_id: str | None, db: Path | None) -> None:
    """Add the API user NAME and print their token.

    The token is shown this once: the store keeps only its SHA-256 hash. Give it
    to the user over a secure channel; they send it as ``Authorization: Bearer``.
    """
    token = new_token()
    with open_store(db) as store:
        store.add_user(name, Role(role), agency_id, token_hash(token), dt.datetime.now(dt.UTC))
    click.echo(f"user {name} added with role {role}; their token (shown once):", err=True)
    click.echo(token)


@users.command("revoke")
@click.argument("name")
@db_option
def revoke_user(name: str, db: Path | None) -> None:
    """Revoke the token of the API user NAME; the user stays listed, revoked."""
    with open_store(db) as store:
        revoked = store.revoke_user(name, dt.datetime.now(dt.UTC))
    if not revoked:
        raise click.ClickException("no active user with that name")
    click.echo(f"user {name} revoked")


@users.command("list")
@db_option
@format_option
def list_users(db: Path | None, fmt: str) -> None:
    """List API users, their roles and agencies, and when they were added or revoked."""
    with open_store(db) as store:
        found = store.users()
    header = ("name", "role", "agency_id", "created_at", "revoked_at")
    rows = [
        (u.name, u.role.value, u.agency_id, u.created_at.isoformat(), u.revoked_at and u.revoked_at.isoformat())
        for u in found
    ]
    if fmt == "json":
        click.echo(json.dumps([dict(zip(header, row, strict=True)) for row in rows], indent=2))
        return
    print_table(header, rows)
