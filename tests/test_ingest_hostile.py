"""A hostile or careless data supplier: control characters, bad bytes, missing headers, stray and
linked files. Each is refused with the physical line and the real reason, and no message or log
line repeats a value from the bundle."""

from __future__ import annotations

import csv
import datetime as dt
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from bundles import FAMILY, changed, write_bundle
from familynet.bundle.ingest import ingest_bundle
from familynet.cli import main
from familynet.errors import BundleError, Problem
from familynet.stores.sqlite.store import open_sqlite

TODAY = dt.date(2025, 6, 30)
#: Values that look personal: none may appear in any message or log line.
SECRETS = ("Secretname", "Hiddenfamily", "9434765919", "2016-01-01", "12 Private Road", "SW1A 1AA")
PERSONS_HEADER = (
    "person_id,given_name,family_name,date_of_birth,expected_date_of_birth,sex,date_of_death,nhs_number,recorded_by"
)


def _row(pid: str, given: str, family: str, born: str = "2016-01-01", sex: str = "female", nhs: str = "") -> str:
    return f"{pid},{given},{family},{born},,{sex},,{nhs},A1"


SECRET_ROW = _row("PB001", "Secretname", "Hiddenfamily", nhs="9434765919")


def _refused(bundle: Path) -> list[Problem]:
    store = open_sqlite(bundle.parent / "refused.db")
    try:
        with pytest.raises(BundleError) as caught:
            ingest_bundle(store, bundle, today=TODAY)
        assert store.stats().labels.get("Person", 0) == 0
        return list(caught.value.problems)
    finally:
        store.close()


def _persons(tmp_path: Path, body: bytes) -> Path:
    bundle = write_bundle(tmp_path / "b", {"agencies": FAMILY["agencies"]})
    (bundle / "persons.csv").write_bytes(body)
    return bundle


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x0b", "\x1b", "\x7f", "\x85", "\n", "\r"])
def test_control_characters_in_any_cell_are_refused(tmp_path: Path, character: str) -> None:
    bundle = write_bundle(tmp_path / "b", changed(FAMILY, "persons", 1, given_name=f"Kid{character}Nul"))
    problem = _refused(bundle)[0]  # then the rows that refer to the refused person
    assert (problem.file, problem.line, problem.column) == ("persons.csv", 3, "given_name")
    assert problem.reason == f"a control character (U+{ord(character):04X})"


def test_a_tab_is_allowed_in_a_cell(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", changed(FAMILY, "households", 0, address="1\tHigh Street"))
    store = open_sqlite(tmp_path / "ok.db")
    try:
        assert ingest_bundle(store, bundle, today=TODAY).committed
    finally:
        store.close()


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_byte_that_is_not_utf8_is_reported_at_its_physical_line(tmp_path: Path, where: str) -> None:
    rows = [_row(f"P{n:04d}", "Ann", "Lee") for n in range(2000)]
    index = {"first": 0, "middle": 1000, "last": 1999}[where]
    lines = [PERSONS_HEADER.encode(), *(r.encode() for r in rows)]
    lines[index + 1] = lines[index + 1].replace(b"Lee", b"L\xe9e")
    (problem,) = _refused(_persons(tmp_path, b"\n".join(lines) + b"\n"))
    assert (problem.line, problem.column) == (index + 2, "family_name")
    assert problem.reason.startswith("not valid UTF-8")


def test_the_physical_line_counts_line_breaks_inside_quoted_cells(tmp_path: Path) -> None:
    rows = [_row("P1", '"An\nn"', "Lee"), _row("P2", "Bo", "L\xe9e"), _row("P3", "Cy", "Lee")]
    body = "\n".join([PERSONS_HEADER, *rows, ""]).encode("latin-1")
    first, second = _refused(_persons(tmp_path, body))
    assert (first.line, first.reason) == (2, "a control character (U+000A)")
    assert (second.line, second.column) == (4, "family_name")


def test_a_huge_cell_is_named_as_such(tmp_path: Path) -> None:
    body = "\n".join([PERSONS_HEADER, _row("P1", "Ann", "Lee"), _row("P2", "x" * 10_000_000, "Lee"), ""]).encode()
    (problem,) = _refused(_persons(tmp_path, body))
    assert problem.line == 3
    assert problem.reason == f"a cell longer than {csv.field_size_limit()} characters"


def test_unbalanced_quotes_are_named_as_such_at_the_line_they_open(tmp_path: Path) -> None:
    rows = [_row("P1", "Ann", "Lee"), _row("P2", '"Ann', "Lee"), _row("P3", "Bo", "Lee")]
    body = "\n".join([PERSONS_HEADER, *rows, ""]).encode()
    (problem,) = _refused(_persons(tmp_path, body))
    assert problem.line == 3 and problem.reason.startswith("unbalanced quotes")


def test_a_file_without_its_header_names_the_expected_columns_never_the_values(tmp_path: Path) -> None:
    (problem,) = _refused(_persons(tmp_path, f"{SECRET_ROW}\n".encode()))
    assert "9 unknown column(s)" in problem.reason and "expected ['person_id'" in problem.reason
    assert not any(secret in str(problem) for secret in SECRETS)


def test_a_misspelt_file_is_an_error_that_says_which_was_meant(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", FAMILY)
    (bundle / "household_members.csv").rename(bundle / "household_member.csv")
    (problem,) = _refused(bundle)
    assert problem.file == "household_member.csv"
    assert "did you mean household_members.csv?" in problem.reason
    assert "the bundle files are agencies.csv, persons.csv" in problem.reason


def test_a_bundle_file_that_is_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere.csv"
    secret.write_text(f"{SECRET_ROW}\n", encoding="utf-8")
    bundle = write_bundle(tmp_path / "b", {"agencies": FAMILY["agencies"]})
    (bundle / "persons.csv").symlink_to(secret)
    (problem,) = _refused(bundle)
    assert problem.file == "persons.csv" and "symbolic link" in problem.reason
    assert not any(secret_value in str(problem) for secret_value in SECRETS)


#: Every way a persons.csv carrying personal-looking values can be wrong.
HOSTILE_PERSONS = {
    "no header": f"{SECRET_ROW}\n",
    "wrong header": "Secretname,Hiddenfamily,9434765919\n" + SECRET_ROW + "\n",
    "bad date": _row("PB001", "Secretname", "Hiddenfamily", "2016-13-01", nhs="9434765919"),
    "bad NHS number": _row("PB001", "Secretname", "Hiddenfamily", nhs="9434765918"),
    "bad sex": _row("PB001", "Secretname", "Hiddenfamily", sex="Secretname", nhs="9434765919"),
    "control character": _row("PB001", "Secret\x1bname", "Hiddenfamily", nhs="9434765919"),
    "short row": "PB001,Secretname,Hiddenfamily,2016-01-01",
    "unbalanced quotes": _row("PB001", '"Secretname', "Hiddenfamily", nhs="9434765919"),
    "duplicate id": f"{SECRET_ROW}\n{SECRET_ROW}",
    "unknown agency": SECRET_ROW.removesuffix("A1") + "Secretname",
    "long name": _row("PB001", "Secretname" * 40, "Hiddenfamily", nhs="9434765919"),
    "future birth": _row("PB001", "Secretname", "Hiddenfamily", "2099-01-01", nhs="9434765919"),
    "latin-1": _row("PB001", "Secretn\xe4me", "Hiddenfamily", nhs="9434765919"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_PERSONS))
def test_no_error_message_or_log_line_repeats_a_personal_value(
    tmp_path: Path, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    text = HOSTILE_PERSONS[case]
    if not case.endswith("header"):
        text = f"{PERSONS_HEADER}\n{text}\n"
    body = text.encode("latin-1" if case == "latin-1" else "utf-8")
    bundle = _persons(tmp_path, body)
    (bundle / "households.csv").write_text("household_id,address,postcode,uprn\nH1,12 Private Road,SW1A 1AA,\n")
    if case == "no header":
        # And a misspelt file holding the same row: refused by name first, unread.
        (bundle / "household_membrs.csv").write_text(f"{SECRET_ROW}\n")
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(main, ["ingest", str(bundle), "--db", str(tmp_path / "f.db")])
    assert result.exit_code != 0
    said = result.output + (str(result.exception) if result.exception else "") + caplog.text
    assert said.strip()
    assert not [secret for secret in SECRETS if secret in said], said
    if case != "no header":
        assert "persons.csv" in said
