"""``familynet export``: a bundle through the full, partner and research profiles, logged."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from familynet.bundle.ingest import ingest_bundle, ingest_rows
from familynet.errors import ConfigurationError
from familynet.imports.export import export
from familynet.imports.profiles import Degrader, profile
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite
from familynet.synthetic import write_demo_bundle

TODAY = dt.date(2025, 6, 1)
KEY = b"k" * 32


def _rows(directory: Path, file: str) -> list[dict[str, str]]:
    with (directory / f"{file}.csv").open(encoding="utf-8", newline="") as handle:
        # An empty confidential cell means false, an empty sex unknown (docs/bundle.md), and 15:33 is 15:33:00.
        return [
            row
            | ({"confidential": row["confidential"] or "false"} if "confidential" in row else {})
            | ({"sex": row["sex"] or "unknown"} if "sex" in row else {})
            | {c: _instant(v) for c, v in row.items() if c.endswith("_at") and v}
            for row in csv.DictReader(handle)
        ]


def _instant(value: str) -> str:
    """An instant as ISO 8601 in UTC: a bundle's local time is Europe/London's."""
    instant = dt.datetime.fromisoformat(value)
    return (
        (instant if instant.tzinfo else instant.replace(tzinfo=ZoneInfo("Europe/London")))
        .astimezone(dt.UTC)
        .isoformat()
    )


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Store:
    write_demo_bundle(tmp_path / "bundle", 30, 5, today=TODAY)
    ingest_bundle(store, tmp_path / "bundle", today=TODAY)
    # A referred child in a refuge: marked confidential, in the store and in the bundle compared with.
    child = _rows(tmp_path / "bundle", "referrals")[0]["child_id"]
    persons = _rows(tmp_path / "bundle", "persons")
    marked = [row | {"confidential": "true"} if row["person_id"] == child else row for row in persons]
    ingest_rows(store, "mark", {"persons": [r for r in marked if r["person_id"] == child]}, today=TODAY)
    with (tmp_path / "bundle" / "persons.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(persons[0]))
        writer.writeheader()
        writer.writerows(marked)
    return store


def test_full_export_is_the_bundle_again(loaded: Store, tmp_path: Path) -> None:
    logged: list[list[str]] = []
    export(loaded, profile("full"), tmp_path / "out", key=None, log=logged.append)
    for file in (
        "persons",
        "households",
        "referrals",
        "assessments",
        "relationships",
        "plans",
        "checks",
        "considerations",
    ):
        assert sorted(map(sorted, map(dict.items, _rows(tmp_path / "out", file)))) == sorted(
            map(sorted, map(dict.items, _rows(tmp_path / "bundle", file)))
        ), file
    assert len(logged[0]) == len(_rows(tmp_path / "bundle", "persons"))


def test_partner_keeps_names_and_cuts_birth_dates_and_addresses(loaded: Store, tmp_path: Path) -> None:
    export(loaded, profile("partner"), tmp_path / "out", key=None, log=lambda _: None)
    before = {r["person_id"]: r for r in _rows(tmp_path / "bundle", "persons")}
    for row in _rows(tmp_path / "out", "persons"):
        assert row["given_name"] == before[row["person_id"]]["given_name"]
        assert len(row["date_of_birth"]) <= 7
    for row in _rows(tmp_path / "out", "households"):
        assert (row["postcode"], row["uprn"]) == ("", "")
        assert len(row["address"]) == 5 and row["address"][3] == " "  # "FN4 9": the sector
    # What a partner gets loads as a bundle.
    other = open_sqlite(tmp_path / "partner.db")
    try:
        assert ingest_bundle(other, tmp_path / "out", today=TODAY).committed
    finally:
        other.close()


def test_research_hashes_ids_stably_and_leaves_out_confidential_persons(loaded: Store, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="FAMILYNET_EXPORT_KEY"):
        export(loaded, profile("research"), tmp_path / "none", key=None, log=lambda _: None)
    logged: list[list[str]] = []
    export(loaded, profile("research"), tmp_path / "a", key=KEY, log=logged.append)
    export(loaded, profile("research"), tmp_path / "b", key=KEY, log=lambda _: None)
    assert _rows(tmp_path / "a", "persons") == _rows(tmp_path / "b", "persons")
    confidential = {r["person_id"] for r in _rows(tmp_path / "bundle", "persons") if r["confidential"] == "true"}
    assert confidential, "the synthetic bundle marks some persons confidential"
    assert not confidential & set(logged[0])
    hashed = {Degrader(profile("research"), KEY).hashed(p) for p in confidential}
    for file in ("persons", "household_members", "referrals", "relationships", "assessments", "referral_mentions"):
        assert not hashed & {v for row in _rows(tmp_path / "a", file) for v in row.values()}, file
    persons = _rows(tmp_path / "a", "persons")
    assert len(persons) == len(_rows(tmp_path / "bundle", "persons")) - len(confidential)
    for row in persons:
        assert (row["given_name"], row["family_name"], row["nhs_number"]) == ("", "", "")
        assert row["person_id"].startswith("H") and len(row["date_of_birth"]) in {0, 4, 10}
        assert row["date_of_birth"][8:] in {"", "01"}
    ids = {r["person_id"] for r in persons}
    for file, column in (
        ("household_members", "person_id"),
        ("referrals", "child_id"),
        ("relationships", "related_person_id"),
    ):
        assert {r[column] for r in _rows(tmp_path / "a", file)} <= ids, file
    for row in _rows(tmp_path / "a", "households"):
        assert (row["postcode"], row["uprn"]) == ("", "") and " " not in row["address"]
    for row in _rows(tmp_path / "a", "assessments"):
        assert row["outcome"] == ""
    other = open_sqlite(tmp_path / "research.db")
    try:
        assert ingest_bundle(other, tmp_path / "a", today=TODAY).committed
    finally:
        other.close()


def test_every_export_goes_to_the_access_log_with_its_purpose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from familynet.cli import main

    write_demo_bundle(tmp_path / "bundle", 5, 5, today=TODAY)
    db = tmp_path / "f.db"
    store = open_sqlite(db)
    try:
        ingest_bundle(store, tmp_path / "bundle", today=TODAY)
    finally:
        store.close()
    monkeypatch.setenv("FAMILYNET_EXPORT_KEY", "k" * 32)
    result = CliRunner().invoke(
        main, ["export", "research", str(tmp_path / "out"), "--purpose", "sibling study", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    store = open_sqlite(db)
    try:
        (entry,) = store.access_entries()
    finally:
        store.close()
    assert (entry.request.operation, entry.request.purpose) == ("export:research", "sibling study")
    assert len(entry.request.person_ids) == len(_rows(tmp_path / "bundle", "persons"))
    assert CliRunner().invoke(main, ["export", "research", str(tmp_path / "x"), "--db", str(db)]).exit_code != 0


def test_exports_in_the_imported_formats_are_private_and_import_again(loaded: Store, tmp_path: Path) -> None:
    from familynet.imports.annex_a import stage_annex_a
    from familynet.imports.cin_census import stage_cin_census
    from familynet.imports.loading import Agent
    from familynet.imports.ssd import stage_ssd

    agent = Agent("881", "881-CSC")
    for fmt in ("annex-a", "cin-census", "ssd"):
        export(
            loaded,
            profile("partner"),
            tmp_path / fmt,
            key=None,
            fmt=fmt,
            la_code="881",
            year="2025",
            log=lambda _: None,
        )
        for path in (tmp_path / fmt).iterdir():
            assert path.stat().st_mode & 0o077 == 0, path
    assert stage_annex_a(tmp_path / "annex-a" / "annex_a.xlsx", agent).rows["referrals"]
    assert stage_cin_census(tmp_path / "cin-census" / "cin_census_2025.xml", agent).rows["referrals"]
    assert any(
        part.file == "persons" and part.cells for part in stage_ssd(tmp_path / "ssd", agent, today=TODAY).parts()
    )
