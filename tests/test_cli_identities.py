"""familynet audit, household and genogram over identities, and with --identities records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import load_records
from familynet.cli import main
from familynet.stores.sqlite.store import open_sqlite
from identity_family import END, START, family, link_duplicates


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "familynet.db"
    store = open_sqlite(path)
    try:
        load_records(store, family())
        link_duplicates(store)
    finally:
        store.close()
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_an_audit_reads_identities_unless_asked_for_records(db: Path) -> None:
    command = ("audit", "missing-members", "--from", str(START), "--to", str(END), "--format", "json", "--db", str(db))
    identities, records = run(*command), run(*command, "--identities", "records")
    assert identities.exit_code == 0 and records.exit_code == 0, identities.output + records.output
    children = [{f["child_id"] for f in json.loads(r.output)["findings"]} for r in (identities, records)]
    assert children == [{"C", "U"}, {"B", "C", "U"}]
    html = run(*command[:-4], "--format", "html", "--identities", "records", "--db", str(db))
    assert "records: the records as loaded" in html.output
    assert "identities: each person once" in run(*command[:-4], "--format", "html", "--db", str(db)).output


def test_the_genogram_draws_the_baby_once(db: Path) -> None:
    command = ("genogram", "B", "--on", "2024-12-31", "--format", "json", "--purpose", "checking", "--db", str(db))
    identities, records = run(*command), run(*command, "--identities", "records")
    assert identities.exit_code == 0 and records.exit_code == 0, identities.output + records.output
    drawn = [{p["person_id"] for p in json.loads(r.output)["genogram"]["people"]} for r in (identities, records)]
    assert "U" in drawn[0] and "B" not in drawn[0]
    assert "B" in drawn[1] and "U" not in drawn[1]


def test_the_household_shows_the_fathers_police_record_as_his(db: Path) -> None:
    command = ("household", "C", "--on", "2024-12-31", "--purpose", "checking", "--db", str(db))
    identities, records = run(*command), run(*command, "--identities", "records")
    assert identities.exit_code == 0 and records.exit_code == 0, identities.output + records.output
    assert "Also recorded as" in identities.output and "F          FP         POL" in identities.output
    assert "Also recorded as" not in records.output
