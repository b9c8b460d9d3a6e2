"""docs/rules.md documents every JSON field of every result, and no field that is not there."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bundles import REREFERRED, write_bundle
from families import HEA, POL, SC, batches, builder, live, parent
from familynet.analyses import (
    AUDITS,
    HouseholdContext,
    all_audits,
    escalations,
    household_context,
    missing_members,
    repeat_referrals,
    serialise,
    sibling_coverage,
    with_history,
)
from familynet.bundle.ingest import ingest_bundle
from familynet.cli import main
from familynet.model.cohort import CohortBatch
from familynet.model.history import PreviousVersion
from familynet.reports.audits import all_report
from familynet.resources import resource_dir
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


def documented(heading: str) -> set[str]:
    """The field paths in the first column of the JSON tables of section ``heading``."""
    text = resource_dir("docs").joinpath("rules.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n")[1].split("\n## ")[0]
    rows = (line.split("|")[1] for line in section.splitlines() if line.startswith("| `"))
    return {field for cell in rows for field in re.findall(r"`([^`]+)`", cell)}


def paths(value: Any, docs: set[str], prefix: str = "") -> Iterator[tuple[str, bool]]:
    """Each (path, is_leaf) of a JSON value; a documented object is a leaf (its keys are data)."""
    if isinstance(value, dict) and prefix not in docs:
        if prefix:
            yield prefix, False
        yield from _fields(value, docs, prefix)
    elif isinstance(value, list) and not value and f"{prefix}[]" in docs:
        yield f"{prefix}[]", False  # an empty array of documented objects
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        yield f"{prefix}[]", False
        for item in value:
            yield from _fields(item, docs, f"{prefix}[]")
    else:
        yield prefix, True


def _fields(value: dict[str, Any], docs: set[str], prefix: str) -> Iterator[tuple[str, bool]]:
    for key, item in value.items():
        yield from paths(item, docs, f"{prefix}.{key}" if prefix else key)


@pytest.fixture(scope="module")
def family(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    directory = tmp_path_factory.mktemp("family")
    store = open_sqlite(directory / "family.db")
    try:
        ingest_bundle(store, write_bundle(directory / "bundle", REREFERRED))
        yield store
    finally:
        store.close()


def _results(store: Store) -> dict[str, dict[str, Any]]:
    return {
        "Audit 1 — sibling coverage": serialise(sibling_coverage(store.cohort(START, END), START, END)),
        "Audit 2 — repeat referrals": serialise(repeat_referrals(store.cohort(START, END), START, END, min_contacts=1)),
        "Escalations alone": serialise(escalations(store.cohort(START, END), START, END, min_contacts=1)),
        "Audit 3 — household members missing from records": serialise(
            missing_members(store.cohort(START, END), START, END)
        ),
        "Household context JSON": serialise(
            _with_a_previous_name(store, household_context(store.family_network("P2"), "P2", dt.date(2024, 3, 10)))
        ),
    }


def _with_a_previous_name(store: Store, context: HouseholdContext) -> HouseholdContext:
    """The context showing that P1 was previously recorded under another family name."""
    was = (("person_id", "P1"), ("family_name", "Earlier"), ("recorded_by", "A1"))
    version = PreviousVersion("persons", "P1", None, was, "bundle a", "2024-01-01T00:00:00+00:00", "bundle b", None)
    return with_history(context, store.family_network("P2"), [version])


def _front_door() -> list[CohortBatch]:
    """A family with every fact the front-door audits read: times, checks, plans, considerations."""
    b = builder()
    b.person("M", sex="female", date_of_birth="1990")
    for child in ("C", "S"):
        b.person(child, date_of_birth="2015-01-01")
        parent(b, "M", child)
    live(b, "H", "M", "C", "S")
    b.membership("C", "H", role="child", recorded_by=HEA)
    b.referral("R0", "S", received_on="2024-01-10", referrer_agency_id=HEA, concerns="3A", outcome="nfa")
    b.referral("R1", "C", received_on="2024-03-01", referrer_agency_id=POL, concerns="3A", rag="red",
               outcome="early_help", consent="given", received_at="2024-03-01T09:00",
               decided_at="2024-03-01T12:00", feedback_sent_on="2024-03-02", threshold_stated="early_help")  # fmt: skip
    b.referral("R2", "C", received_on="2024-06-01", referrer_agency_id=POL, concerns="3B", rag="amber",
               outcome="assessment", received_at="2024-06-01T09:00", decided_at=None)  # fmt: skip
    b.check("K1", "R1", HEA, requested_at="2024-03-01T10:00", responded_at="2024-03-01T11:00",
            response="information_shared", recorded_by=SC)  # fmt: skip
    b.assessment("A1", "C", started_on="2024-03-02", completed_on="2024-04-01")
    b.plan("P1", "C", "child_in_need", start_date="2024-04-02")
    b.consideration("R1", "S", considered_on="2024-03-01", outcome="nfa")
    return batches([b.graph], [["C", "S"]], None)


def _declared() -> dict[str, dict[str, Any]]:
    """Every other declared audit's JSON over the front-door family, by heading, and audit all's."""
    found = {a.heading: serialise(a(_front_door(), START, END)) for a in AUDITS if a.name in _FRONT_DOOR_AUDITS}
    found["All audits"] = all_report(all_audits(_front_door(), START, END)).data
    return found


_FRONT_DOOR_AUDITS = {"timeliness", "checks", "consent"}


@pytest.mark.parametrize(
    "heading",
    [
        "Audit 1 — sibling coverage",
        "Audit 2 — repeat referrals",
        "Escalations alone",
        "Audit 3 — household members missing from records",
        "Household context JSON",
        *(a.heading for a in AUDITS if a.name in _FRONT_DOOR_AUDITS),
        "All audits",
    ],
)
def test_every_json_field_is_documented_and_every_documented_field_exists(family: Store, heading: str) -> None:
    docs = documented(heading)
    results = _results(family) if heading in _results(family) else _declared()
    found = list(paths(results[heading], docs))
    assert sorted({path for path, leaf in found if leaf} - docs) == []
    assert sorted(docs - {path for path, _ in found}) == []


def test_the_names_field_of_with_names_is_documented(tmp_path: Path) -> None:
    db = tmp_path / "family.db"
    store = open_sqlite(db)
    try:
        ingest_bundle(store, write_bundle(tmp_path / "bundle", REREFERRED))
    finally:
        store.close()
    args = ["audit", "siblings", "--from", str(START), "--to", str(END), "--format", "json", "--with-names"]
    result = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert documented("Outputs of the command line") == {"names"}
    assert "names" in result.stdout
