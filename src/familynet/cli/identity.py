"""``familynet identity``: resolve records into identities, review candidate pairs, decide, export."""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import html
import io
import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click

from familynet.cli.common import db_option, emit, open_store, progress_bar, record_read
from familynet.identity.comparisons import PRIOR
from familynet.identity.resolution import STAGES, Counts, Thresholds, decide, resolve, review_queue
from familynet.model.identity import Candidate, Decision, DecisionKind
from familynet.model.records import Person
from familynet.reports.report import text_table


def _thresholds(link: float, review: float, generation_years: int) -> Thresholds:
    return Thresholds(link=link, review=review, generation_years=generation_years)


def threshold_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The thresholds of the three bands, and the generation guardrail, as options and settings."""
    for option in reversed(
        [
            click.option("--link-threshold", type=click.FloatRange(0, 1, min_open=True), default=Thresholds.link,
                         envvar="FAMILYNET_IDENTITY_LINK_THRESHOLD", show_default=True,
                         help="Match probability at or above which pairs are linked automatically "
                         "[env: FAMILYNET_IDENTITY_LINK_THRESHOLD]."),
            click.option("--review-threshold", type=click.FloatRange(0, 1, min_open=True), default=Thresholds.review,
                         envvar="FAMILYNET_IDENTITY_REVIEW_THRESHOLD", show_default=True,
                         help="Match probability at or above which pairs are queued for review "
                         "[env: FAMILYNET_IDENTITY_REVIEW_THRESHOLD]."),
            click.option("--generation-years", type=click.IntRange(1), default=Thresholds.generation_years,
                         show_default=True,
                         help="Dates of birth this many years apart are a generation apart: never linked "
                         "automatically."),
        ]
    ):  # fmt: skip
        command = option(command)
    return command


def print_counts(counts: Counts) -> None:
    """The counts of a resolution, one per line."""
    click.echo(f"records        {counts.records}")
    click.echo(f"identities     {counts.identities}")
    click.echo(f"auto-links     {counts.auto_links}")
    click.echo(f"queued reviews {counts.reviews}")


@click.group()
def identity() -> None:
    """Identity resolution: which records (one agency's person row each) are one person."""


@identity.command("resolve")
@db_option
@threshold_options
def resolve_command(db: Path | None, link_threshold: float, review_threshold: float, generation_years: int) -> None:
    """Link every record afresh (idempotent): auto-links, queued reviews and identities.

    Users' decisions stand: a distinct or unlinked pair is never linked automatically.
    """
    with open_store(db, must_exist=True) as store:
        thresholds = _thresholds(link_threshold, review_threshold, generation_years)
        with progress_bar("identity resolve", STAGES) as advance:
            counts = resolve(store, thresholds, progress=advance)
        print_counts(counts)


def _decision(kind: DecisionKind) -> click.Command:
    @click.command(kind.value)
    @click.argument("left")
    @click.argument("right")
    @click.option("--reason", required=True, help="Why: kept with the decision and in the access log.")
    @db_option
    @threshold_options
    def command(
        left: str,
        right: str,
        reason: str,
        db: Path | None,
        link_threshold: float,
        review_threshold: float,
        generation_years: int,
    ) -> None:
        if not reason.strip():
            raise click.BadParameter("say why", param_hint="--reason")
        decision = Decision(kind, left, right, getpass.getuser(), reason.strip(), dt.datetime.now(dt.UTC))
        with open_store(db, must_exist=True) as store:
            counts = decide(store, decision, _thresholds(link_threshold, review_threshold, generation_years))
            record_read(store, f"identity {kind.value}", (left, right), reason.strip())
            state = store.identity_state()
        click.echo(f"{kind.value}: {left} is now in identity {state.members.get(left, left)}, "
                   f"{right} in identity {state.members.get(right, right)}")  # fmt: skip
        print_counts(counts)

    command.help = {
        DecisionKind.LINK: "Decide that records LEFT and RIGHT are one person (reverses an unlink).",
        DecisionKind.DISTINCT: "Decide that records LEFT and RIGHT are different people: never linked automatically.",
        DecisionKind.UNLINK: "Undo the link of records LEFT and RIGHT: their identity splits back.",
        DecisionKind.UNDISTINCT: "Withdraw the distinct decision about records LEFT and RIGHT: they are undecided "
        "again (linked automatically if the model says so, else queued for review).",
    }[kind]
    return command


for _kind in DecisionKind:
    identity.add_command(_decision(_kind))


_SHOWN = ("given_name", "family_name", "date_of_birth", "sex", "nhs_number", "recorded_by", "confidential")


def _record(person: Person | None) -> dict[str, Any]:
    if person is None:
        return {}
    return {name: (None if getattr(person, name) is None else str(getattr(person, name))) for name in _SHOWN}


def _review_json(queue: list[Candidate], persons: Mapping[str, Person]) -> str:
    return (
        json.dumps(
            [
                {
                    "left": c.left,
                    "right": c.right,
                    "probability": c.probability,
                    "comparisons": [{"name": x.name, "level": x.level, "weight": x.weight} for x in c.comparisons],
                    "reasons": list(c.reasons),
                    "model": c.model,
                    "model_version": c.model_version,
                }
                for c in queue
            ],
            indent=2,
        )
        + "\n"
    )


def _review_table(queue: list[Candidate], persons: Mapping[str, Person]) -> str:
    rows = []
    for c in queue:
        weights = ", ".join(f"{x.name} {x.level} {x.weight:+.1f}" for x in c.comparisons)
        rows.append((c.left, c.right, f"{c.probability:.4f}", "; ".join(c.reasons) or "-", weights))
    return text_table(("left", "right", "probability", "reasons", "comparisons (weight)"), rows) + "\n"


def _review_html(queue: list[Candidate], persons: Mapping[str, Person]) -> str:
    parts = ["<!doctype html><html lang='en'><meta charset='utf-8'><title>familynet: possible duplicates</title>",
             "<style>body{font-family:sans-serif}.bar{display:inline-block;height:.8em}"
             ".for{background:#2a7}.against{background:#c33}td{padding:2px 6px}</style>",
             "<h1>Possible duplicates</h1><p>Most likely first. Weights are log2 Bayes factors, added to the "
             f"prior's ({math.log2(PRIOR / (1 - PRIOR)):+.1f}) to give the match weight.</p>"]  # fmt: skip
    for c in queue:
        parts.append(f"<h2>{html.escape(c.left)} and {html.escape(c.right)}: {c.probability:.4f}</h2>")
        if c.reasons:
            parts.append(f"<p>Not linked automatically: {html.escape('; '.join(c.reasons))}</p>")
        parts.append(f"<table><tr><th></th><th>{html.escape(c.left)}</th><th>{html.escape(c.right)}</th></tr>")
        left, right = _record(persons.get(c.left)), _record(persons.get(c.right))
        for name in _SHOWN:
            values = (html.escape(str(left.get(name) or "")), html.escape(str(right.get(name) or "")))
            parts.append(f"<tr><th>{name.replace('_', ' ')}</th><td>{values[0]}</td><td>{values[1]}</td></tr>")
        parts.append("</table><table><tr><th>comparison</th><th>level</th><th>weight</th><th></th></tr>")
        for x in c.comparisons:
            kind = "for" if x.weight >= 0 else "against"
            bar = f"<span class='bar {kind}' style='width:{min(abs(x.weight), 20) * 10:.0f}px'></span>"
            parts.append(f"<tr><td>{html.escape(x.name)}</td><td>{html.escape(x.level)}</td>"
                         f"<td>{x.weight:+.2f}</td><td>{bar}</td></tr>")  # fmt: skip
        parts.append("</table>")
    return "".join(parts) + "</html>\n"


@identity.command("review")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "html"]),
    default="table",
    show_default=True,
    help="A text table, JSON (a list of pairs), or one HTML page with each pair's weights as a waterfall.",
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (readable by you only) instead of standard output.")  # fmt: skip
@click.option("--purpose", default="reviewing possible duplicate records", show_default=True,
              help="Why you are reading these pairs; kept in the access log.")  # fmt: skip
def review_command(db: Path | None, fmt: str, output: Path | None, purpose: str) -> None:
    """The queued candidate pairs, most likely first, with the weight of each comparison and
    the guardrails that stopped an automatic link. The read is logged with every record named."""
    with open_store(db, must_exist=True) as store:
        queue = review_queue(store.identity_state())
        named = {r for c in queue for r in (c.left, c.right)}
        record_read(store, "identity review", named, purpose)
        persons = store.persons(named)
    render = {"json": _review_json, "table": _review_table, "html": _review_html}[fmt]
    emit(render(queue, persons), output)


@identity.command("export")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="CSV with a header row, or a JSON list of {person_id, identity_id}.",
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (readable by you only) instead of standard output.")  # fmt: skip
def export_command(db: Path | None, fmt: str, output: Path | None) -> None:
    """One row per record, ``person_id,identity_id``, every record included (an unresolved or
    unlinked record is its own identity)."""
    with open_store(db, must_exist=True) as store:
        members = store.identity_state().members
        ids = sorted(store.person_first_loads())
    rows = [(pid, members.get(pid, pid)) for pid in ids]
    if fmt == "json":
        text = json.dumps([{"person_id": p, "identity_id": i} for p, i in rows], indent=2) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("person_id", "identity_id"))
        writer.writerows(rows)
        text = buffer.getvalue()
    emit(text, output)
