"""``familynet identity`` and the linking ``familynet ingest`` does, through the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bundles import write_bundle
from familynet.cli import main
from familynet.identity.resolution import Thresholds
from familynet.stores.sqlite.store import open_sqlite
from identity_records import DUPLICATED


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "f.db")
    code, out, err = _run("ingest", str(write_bundle(tmp_path / "b", DUPLICATED)), "--db", path)
    assert code == 0, err
    assert "auto-links     1\n" in out and "identities     5\n" in out
    return path


def _export(db: str) -> dict[str, str]:
    code, out, _ = _run("identity", "export", "--format", "csv", "--db", db)
    assert code == 0
    return {row["person_id"]: row["identity_id"] for row in csv.DictReader(io.StringIO(out))}


def test_ingest_links_and_export_lists_every_record(db: str) -> None:
    assert _export(db) == {"P1": "P1", "P2": "P2", "P3": "P3", "P4": "P4", "P5": "P1", "P6": "P6"}
    _code, out, _ = _run("identity", "export", "--format", "json", "--db", db)
    assert json.loads(out)[4] == {"person_id": "P5", "identity_id": "P1"}


def test_resolve_is_idempotent_and_prints_counts(db: str) -> None:
    first = _run("identity", "resolve", "--db", db)
    assert first[0] == 0
    assert first[1] == "records        6\nidentities     5\nauto-links     1\nqueued reviews 1\n"
    assert _run("identity", "resolve", "--db", db) == first


def test_review_json_shows_the_twins_with_their_guardrail_and_is_logged(db: str) -> None:
    code, out, _ = _run("identity", "review", "--format", "json", "--db", db)
    assert code == 0
    (pair,) = json.loads(out)
    assert (pair["left"], pair["right"], pair["reasons"]) == ("P3", "P6", ["possible twins"])
    assert 0.999 <= pair["probability"] <= 1  # the model finds twins alike: the guardrail holds them
    assert {c["name"] for c in pair["comparisons"]} >= {"given_name", "date_of_birth", "family_context"}
    assert all(set(c) == {"name", "level", "weight"} for c in pair["comparisons"])
    store = open_sqlite(Path(db))
    try:
        entry = store.access_entries()[-1].request
    finally:
        store.close()
    assert (entry.operation, entry.person_ids) == ("identity review", ("P3", "P6"))
    for fmt in ("table", "html"):
        code, out, _ = _run("identity", "review", "--format", fmt, "--db", db)
        assert code == 0 and "P6" in out and "possible twins" in out


def test_decisions_through_the_cli_are_logged_and_reversible(db: str) -> None:
    code, out, err = _run("identity", "unlink", "P1", "P5", "--reason", "different mothers", "--db", db)
    assert code == 0, err
    assert _export(db)["P5"] == "P5"
    code, out, err = _run("identity", "link", "P5", "P1", "--reason", "same NHS number", "--db", db)
    assert code == 0, err
    assert _export(db)["P5"] == "P1"
    assert _run("identity", "distinct", "P3", "P6", "--reason", "twins", "--db", db)[0] == 0
    code, out, _ = _run("identity", "review", "--format", "json", "--db", db)
    assert json.loads(out) == []
    store = open_sqlite(Path(db))
    try:
        operations = [e.request.operation for e in store.access_entries()]
        purposes = [e.request.purpose for e in store.access_entries()]
    finally:
        store.close()
    assert operations[-4:] == ["identity unlink", "identity link", "identity distinct", "identity review"]
    assert purposes[-4:-1] == ["different mothers", "same NHS number", "twins"]


def test_undistinct_through_the_cli_puts_the_pair_back_in_review_and_keeps_the_distinct_decision(db: str) -> None:
    assert _run("identity", "distinct", "P3", "P6", "--reason", "twins", "--db", db)[0] == 0
    code, _out, err = _run("identity", "undistinct", "P6", "P3", "--reason", "entered on the wrong pair", "--db", db)
    assert code == 0, err
    _code, out, _ = _run("identity", "review", "--format", "json", "--db", db)
    assert [(p["left"], p["right"]) for p in json.loads(out)] == [("P3", "P6")]
    store = open_sqlite(Path(db))
    try:
        kinds = [d.kind.value for d in store.identity_state().decisions]
        entry = store.access_entries()[-2].request
    finally:
        store.close()
    assert kinds == ["distinct", "undistinct"]
    assert (entry.operation, entry.purpose, entry.person_ids) == (
        "identity undistinct", "entered on the wrong pair", ("P3", "P6"))  # fmt: skip
    code, _out, err = _run("identity", "undistinct", "P3", "P6", "--reason", "again", "--db", db)
    assert code != 0 and "no distinct decision" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("link", "P1", "P9"), "no record with id 'P9'"),
        (("link", "P1", "P1"), "cannot be decided about with itself"),
        (("unlink", "P3", "P6"), "not linked"),
        (("link", "P1", "P2"), "contradicts"),
    ],
)
def test_bad_decisions_get_a_clear_error(db: str, args: tuple[str, ...], message: str) -> None:
    code, _out, err = _run("identity", *args, "--reason", "test", "--db", db)
    assert code != 0
    assert message in err and "Traceback" not in err


def test_thresholds_from_the_environment_and_the_option_wins(tmp_path: Path) -> None:
    bundle = str(write_bundle(tmp_path / "b", DUPLICATED))
    strict = {"FAMILYNET_IDENTITY_LINK_THRESHOLD": "0.9999999", "FAMILYNET_IDENTITY_REVIEW_THRESHOLD": "0.9"}
    db = str(tmp_path / "f.db")
    _code, out, _ = _run("ingest", bundle, "--db", db, env=strict)
    assert "auto-links     0\n" in out and "queued reviews 2\n" in out
    _code, out, _ = _run("identity", "resolve", "--db", db, "--link-threshold", "0.9", env=strict)
    assert "auto-links     1\n" in out
    assert _run("identity", "resolve", "--db", db, env={"FAMILYNET_IDENTITY_REVIEW_THRESHOLD": "0"})[0] != 0


def test_household_shows_each_person_once_and_records_on_request(db: str) -> None:
    args = ("household", "P2", "--purpose", "test", "--on", "2025-01-01", "--format", "json", "--db", db)
    code, out, err = _run(*args)
    assert code == 0, err
    context = json.loads(out)
    # P5 is one of P1's records: named only as such, never as a person of its own.
    assert {(a["person_id"], a["record_id"]) for a in context.pop("also_recorded_as")} == {("P1", "P5")}
    assert '"P5"' not in json.dumps(context).replace('"record_id": "P5"', "") and "P1" in out
    code, out, err = _run(*args, "--identities", "records")
    assert code == 0, err
    assert "P5" in out


def test_the_threshold_defaults_are_the_benchmarks_choice() -> None:
    """The README's settings table: auto-link and review at 0.999 unless set."""
    resolve = main.commands["identity"].commands["resolve"]  # type: ignore[attr-defined]
    defaults = {p.name: p.default for p in resolve.params}
    assert (defaults["link_threshold"], defaults["review_threshold"]) == (0.999, 0.999)
    assert Thresholds() == Thresholds(link=0.999, review=0.999)
