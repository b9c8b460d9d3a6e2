"""``familynet genogram`` on a real SQLite store loaded with the FAMILY bundle: every format."""

from __future__ import annotations

import json
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import gedcom7
import pytest
from click.testing import CliRunner, Result

from bundles import FAMILY, changed, with_row, write_bundle
from familynet.bundle.ingest import ingest_bundle
from familynet.cli import main
from familynet.stores.sqlite.store import open_sqlite

GENOGRAM = ("genogram", "P2", "--on", "2024-03-10", "--purpose", "child protection conference")


@pytest.fixture
def family_db(tmp_path: Path) -> Path:
    """Mother P1, children P2 and P3 in H1, and P4, her partner, recorded there by police only."""
    db = tmp_path / "family.db"
    store = open_sqlite(db)
    try:
        ingest_bundle(store, write_bundle(tmp_path / "bundle", FAMILY))
    finally:
        store.close()
    return db


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*GENOGRAM, "--db", str(db), *args])


def test_svg_by_default(family_db: Path) -> None:
    result = run(family_db)
    assert result.exit_code == 0, result.output
    page = ET.fromstring(result.stdout.encode())
    drawn = {g.get("data-person-id") for g in page.iter("{http://www.w3.org/2000/svg}g") if g.get("data-person-id")}
    assert drawn == {"P1", "P2", "P3", "P4"}
    assert "Siobhán 王" in result.stdout and "OFFICIAL-SENSITIVE" in result.stdout
    assert "AP" in result.stdout  # P4 is named as an alleged perpetrator in R1


def test_dot(family_db: Path) -> None:
    result = run(family_db, "--format", "dot")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("digraph genogram {") and result.stdout.rstrip().endswith("}")
    assert '"P2" [label="", xlabel="Siobhán 王' in result.stdout


def test_gedcom_is_valid_gedcom_7(family_db: Path) -> None:
    result = run(family_db, "--format", "gedcom")
    assert result.exit_code == 0, result.output
    records = gedcom7.loads(result.stdout)
    assert gedcom7.validate(records) == []
    tags = [r.tag for r in records]
    assert (tags[0], tags[-1]) == ("HEAD", "TRLR")
    assert sum(r.tag == "INDI" for r in records) == 4


def test_json_has_the_model_and_the_coordinates(family_db: Path) -> None:
    result = run(family_db, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["genogram"]["index_id"] == "P2"
    assert {b["person_id"] for b in document["layout"]["boxes"]} == {"P1", "P2", "P3", "P4"}
    assert document["genogram"]["households"][0]["address"] == "1 Example Road"


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF-"), ("png", b"\x89PNG\r\n\x1a\n")])
def test_pdf_and_png_to_a_file_only_its_owner_reads(family_db: Path, tmp_path: Path, fmt: str, magic: bytes) -> None:
    out = tmp_path / f"genogram.{fmt}"
    result = run(family_db, "--format", fmt, "--output", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_svg_to_a_file_only_its_owner_reads(family_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "genogram.svg"
    assert run(family_db, "--output", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<?xml")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_redact_leaves_out_the_address_and_exact_dates(family_db: Path) -> None:
    plain = run(family_db, "--format", "json").stdout
    assert "1 Example Road" in plain and "2015-06-01" in plain and "2016-03-01" in plain
    for fmt in ("svg", "dot", "gedcom", "json"):
        result = run(family_db, "--format", fmt, "--redact")
        assert result.exit_code == 0, result.output
        assert "1 Example Road" not in result.stdout, fmt
        assert "2015-06-01" not in result.stdout and "1 JUN 2015" not in result.stdout, fmt
        assert "2016-03-01" not in result.stdout, fmt  # when P1 and P4's relationship began


def test_overlays_switch_off(family_db: Path) -> None:
    on = json.loads(run(family_db, "--format", "json").stdout)["genogram"]["overlays"]
    assert on["perpetrators"] == {"P4": ["R1"]}
    assert {f["kind"] for f in on["findings"]} >= {"father_not_recorded", "member_only_in_other_agency_record"}
    off_args = ("--no-perpetrators", "--no-domestic-abuse", "--no-agencies", "--no-findings")
    off = json.loads(run(family_db, "--format", "json", *off_args).stdout)["genogram"]["overlays"]
    assert off == {"perpetrators": {}, "domestic_abuse": [], "agencies": [], "findings": []}


def test_the_read_is_logged_with_its_purpose_and_everyone_drawn(family_db: Path) -> None:
    assert CliRunner().invoke(main, ["genogram", "P2", "--db", str(family_db)]).exit_code == 2  # no purpose
    assert run(family_db).exit_code == 0
    store = open_sqlite(family_db)
    try:
        (entry,) = store.access_entries()
    finally:
        store.close()
    assert (entry.request.operation, entry.request.purpose) == ("genogram", "child protection conference")
    assert entry.request.person_ids == ("P1", "P2", "P3", "P4")


def test_a_person_named_only_in_a_finding_is_logged_too(family_db: Path, tmp_path: Path) -> None:
    mentioned = with_row(FAMILY, "persons", person_id="P5", given_name="Lee", sex="male", recorded_by="A2")
    mentioned = with_row(mentioned, "referral_mentions", referral_id="R1", person_id="P5", role="household_member")
    db = tmp_path / "mentioned.db"
    store = open_sqlite(db)
    try:
        ingest_bundle(store, write_bundle(tmp_path / "mentioned", mentioned))
    finally:
        store.close()
    document = json.loads(run(db, "--format", "json").stdout)
    assert "P5" not in {b["person_id"] for b in document["layout"]["boxes"]}  # named, not drawn
    assert ("mentioned_person_not_in_household", "P5") in {
        (f["kind"], f["person_id"]) for f in document["genogram"]["overlays"]["findings"]
    }
    store = open_sqlite(db)
    try:
        (entry,) = store.access_entries()
    finally:
        store.close()
    assert "P5" in entry.request.person_ids


def test_an_unknown_person_is_a_clean_error(family_db: Path) -> None:
    result = CliRunner().invoke(main, ["genogram", "P404", "--purpose", "test", "--db", str(family_db)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "Traceback" not in result.output


def _marked_db(tmp_path: Path, person_id: str) -> Path:
    """The FAMILY bundle with ``person_id`` marked confidential."""
    index = [row["person_id"] for row in FAMILY["persons"]].index(person_id)
    db = tmp_path / "marked.db"
    store = open_sqlite(db)
    try:
        ingest_bundle(store, write_bundle(tmp_path / "marked", changed(FAMILY, "persons", index, confidential="true")))
    finally:
        store.close()
    return db


def test_redact_leaves_out_the_confidential_mother_and_the_log_names_only_those_drawn(tmp_path: Path) -> None:
    db = _marked_db(tmp_path, "P1")
    shown = run(db, "--format", "json")
    assert {p["person_id"] for p in json.loads(shown.stdout)["genogram"]["people"] if p["confidential"]} == {"P1"}
    for fmt in ("svg", "dot", "gedcom", "json"):
        result = run(db, "--format", fmt, "--redact")
        assert result.exit_code == 0, result.output
        assert "Zoë" not in result.stdout and "P1" not in result.stdout, fmt
    store = open_sqlite(db)
    try:
        entries = store.access_entries()
    finally:
        store.close()
    assert entries[0].request.person_ids == ("P1", "P2", "P3", "P4")
    assert all(e.request.person_ids == ("P2", "P3", "P4") for e in entries[1:])


def test_a_redacted_genogram_of_a_confidential_child_is_refused_with_a_message(tmp_path: Path) -> None:
    db = _marked_db(tmp_path, "P2")
    result = run(db, "--redact")
    assert result.exit_code == 1
    assert "the child is marked confidential" in result.output and "Siobhán" not in result.output
    assert run(db).exit_code == 0
