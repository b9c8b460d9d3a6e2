"""Row-level checks of the ingest bundle: each rule, with file, line, column and reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bundles import FAMILY, FRONT_DOOR, Rows, changed, write_bundle
from familynet.bundle.files import FILES, FileSpec, Row, parse_batch, parse_row, read_batches, read_rows
from familynet.errors import Problem
from familynet.model.dates import PartialDate
from familynet.model.records import Person, Record, Referral, Relationship

TODAY = dt.date(2025, 6, 30)
SPECS = {spec.name: spec for spec in FILES}


def _parse(tmp_path: Path, files: dict[str, Rows], file: str) -> list[Record | list[Problem]]:
    write_bundle(tmp_path, files)
    spec = SPECS[file]
    out: list[Record | list[Problem]] = []
    for item in read_rows(tmp_path / f"{file}.csv", spec):
        out.append([item] if isinstance(item, Problem) else parse_row(spec, item, TODAY))
    return out


def _problems(tmp_path: Path, files: dict[str, Rows], file: str) -> list[tuple[int, str, str]]:
    return [
        (p.line, p.column, p.reason)
        for result in _parse(tmp_path, files, file)
        if isinstance(result, list)
        for p in result
    ]


def test_the_family_bundle_parses_cleanly(tmp_path: Path) -> None:
    for spec in FILES:
        results = _parse(tmp_path, FRONT_DOOR, spec.name)
        assert results
        assert all(not isinstance(r, list) for r in results), spec.name


def test_names_keep_their_unicode_exactly(tmp_path: Path) -> None:
    first = _parse(tmp_path, FAMILY, "persons")[0]
    assert isinstance(first, Person)
    assert (first.given_name, first.family_name) == ("Zoë", "Nguyễn")
    assert first.date_of_birth == PartialDate(1990, 4)


#: Each rule: a change to the first row of a file of FAMILY, the column it refuses and the reason.
RULES: list[tuple[str, dict[str, str], str, str]] = [
    ("agencies", {"kind": "spaceship"}, "kind", "unknown code"),
    ("persons", {"date_of_birth": "31/12/2010"}, "date_of_birth", "not an ISO 8601 date"),
    ("persons", {"date_of_birth": "2010-02-30"}, "date_of_birth", "day out of range"),
    ("persons", {"date_of_birth": "2030-01-01"}, "date_of_birth", "in the future"),
    ("persons", {"date_of_death": "2030-01-01"}, "date_of_death", "in the future"),
    ("persons", {"date_of_death": "1980-01-01"}, "date_of_death", "before date_of_birth"),
    ("persons", {"nhs_number": "9434765918"}, "nhs_number", "not a valid NHS number"),
    ("persons", {"sex": "f"}, "sex", "unknown code"),
    ("persons", {"person_id": ""}, "person_id", "required"),
    ("persons", {"given_name": "x" * 201}, "given_name", "longer than 200 characters"),
    ("persons", {"confidential": "yes"}, "confidential", "expected true, false or empty"),
    ("households", {"postcode": "not a postcode"}, "postcode", "not a UK postcode"),
    ("households", {"uprn": "12a"}, "uprn", "not a UPRN"),
    ("household_members", {"role": "boss"}, "role", "unknown code"),
    ("household_members", {"end_date": "2014-01-01"}, "end_date", "before start_date"),
    ("household_members", {"start_date": "2026-01-01"}, "start_date", "in the future"),
    ("household_members", {"recorded_by": ""}, "recorded_by", "required"),
    ("relationships", {"type": "cousin_of"}, "type", "unknown code"),
    ("relationships", {"subtype": "married"}, "subtype", "unknown code"),
    ("relationships", {"subtype": ""}, "subtype", "required"),
    (
        "relationships",
        {"parental_responsibility": "yes"},
        "parental_responsibility",
        "expected true",
    ),
    ("relationships", {"related_person_id": "P1"}, "related_person_id", "themself"),
    ("referrals", {"concerns": "3A;99Z"}, "concerns", "unknown CIN factor code at position 2"),
    ("referrals", {"received_on": ""}, "received_on", "required"),
    ("referrals", {"received_on": "2025-07-01"}, "received_on", "in the future"),
    ("referrals", {"outcome": "jail"}, "outcome", "unknown code"),
    ("referrals", {"rag": "purple"}, "rag", "unknown code"),
    ("referrals", {"consent": "maybe"}, "consent", "unknown code"),
    ("referral_mentions", {"role": "friend"}, "role", "unknown code"),
    ("assessments", {"completed_on": "2024-03-01"}, "completed_on", "before started_on"),
    ("assessments", {"kind": "s47"}, "kind", "unknown code"),
    ("assessments", {"factors": "banana"}, "factors", "unknown CIN factor code"),
]


@pytest.mark.parametrize(("file", "changes", "column", "reason"), RULES)
def test_each_rule_reports_file_line_column_and_reason(
    tmp_path: Path, file: str, changes: dict[str, str], column: str, reason: str
) -> None:
    problems = _problems(tmp_path, changed(FAMILY, file, 0, **changes), file)
    assert len(problems) == 1
    line, got_column, got_reason = problems[0]
    assert (line, got_column) == (2, column)
    assert reason in got_reason


def test_messages_never_echo_personal_values(tmp_path: Path) -> None:
    files = changed(FAMILY, "persons", 0, date_of_birth="Zoë's birthday", nhs_number="123 secret")
    text = " ".join(reason for _, _, reason in _problems(tmp_path, files, "persons"))
    assert "Zoë" not in text
    assert "secret" not in text
    assert "123" not in text


@pytest.mark.parametrize(("cell", "marked"), [("true", True), ("TRUE", True), ("false", False), ("", False)])
def test_confidential_is_true_false_or_empty_for_false(tmp_path: Path, cell: str, marked: bool) -> None:
    record = _parse(tmp_path, changed(FAMILY, "persons", 0, confidential=cell), "persons")[0]
    assert isinstance(record, Person)
    assert record.confidential is marked


def test_sibling_of_without_subtype_is_unknown(tmp_path: Path) -> None:
    files = {"relationships": [{"person_id": "P2", "related_person_id": "P3", "type": "sibling_of",
                                "recorded_by": "A1"}]}  # fmt: skip
    (record,) = _parse(tmp_path, files, "relationships")
    assert isinstance(record, Relationship)
    assert record.subtype == "unknown"


def test_a_wrong_header_is_one_problem_for_the_file(tmp_path: Path) -> None:
    (tmp_path / "agencies.csv").write_text("agency_id,title,kind\nA1,x,police\n", encoding="utf-8")
    items = list(read_rows(tmp_path / "agencies.csv", SPECS["agencies"]))
    assert len(items) == 1
    assert isinstance(items[0], Problem)
    assert "wrong header" in items[0].reason
    assert "missing ['name']" in items[0].reason
    assert "unknown ['title']" in items[0].reason


def test_columns_may_come_in_any_order(tmp_path: Path) -> None:
    (tmp_path / "agencies.csv").write_text("kind,agency_id,name\npolice,A9,Police\n", encoding="utf-8")
    (item,) = read_rows(tmp_path / "agencies.csv", SPECS["agencies"])
    assert isinstance(item, Row)
    assert item.cells == {"kind": "police", "agency_id": "A9", "name": "Police"}


def test_a_malformed_row_is_reported_with_its_line(tmp_path: Path) -> None:
    text = "agency_id,name,kind\nA1,x,police\nA2,y\nA3,z,health\n"
    (tmp_path / "agencies.csv").write_text(text, encoding="utf-8")
    items = list(read_rows(tmp_path / "agencies.csv", SPECS["agencies"]))
    assert [type(i).__name__ for i in items] == ["Row", "Problem", "Row"]
    problem = items[1]
    assert isinstance(problem, Problem)
    assert problem.line == 3
    assert "malformed row" in problem.reason


def test_line_numbers_count_quoted_newlines(tmp_path: Path) -> None:
    text = 'household_id,address,postcode,uprn\nH1,"1 Road\nTown",E8 1AA,1\nH2,,BAD,2\n'
    (tmp_path / "households.csv").write_text(text, encoding="utf-8")
    results = [
        parse_row(SPECS["households"], item, TODAY)
        for item in read_rows(tmp_path / "households.csv", SPECS["households"])
        if isinstance(item, Row)
    ]
    problems = [p for result in results if isinstance(result, list) for p in result]
    assert [(p.line, p.column) for p in problems] == [(4, "postcode")]


def test_invalid_utf8_is_reported(tmp_path: Path) -> None:
    (tmp_path / "agencies.csv").write_bytes(b"agency_id,name,kind\nA1,\xff\xfe,police\n")
    items = list(read_rows(tmp_path / "agencies.csv", SPECS["agencies"]))
    assert any(isinstance(i, Problem) and i.reason == "not valid UTF-8" for i in items)


def test_unbalanced_quotes_are_reported(tmp_path: Path) -> None:
    (tmp_path / "agencies.csv").write_text('agency_id,name,kind\nA1,"x,police\n', encoding="utf-8")
    items = list(read_rows(tmp_path / "agencies.csv", SPECS["agencies"]))
    assert isinstance(items[-1], Problem)
    assert "malformed CSV" in items[-1].reason


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "agencies.csv").write_bytes("\ufeffagency_id,name,kind\nA1,x,police\n".encode())
    (item,) = read_rows(tmp_path / "agencies.csv", SPECS["agencies"])
    assert isinstance(item, Row)


def test_formulas_are_kept_as_text(tmp_path: Path) -> None:
    files = changed(FAMILY, "persons", 0, given_name='=HYPERLINK("x")')
    first = _parse(tmp_path, files, "persons")[0]
    assert isinstance(first, Person)
    assert first.given_name == '=HYPERLINK("x")'


def test_concern_lists_are_semicolon_separated(tmp_path: Path) -> None:
    (referral,) = _parse(tmp_path, FAMILY, "referrals")
    assert isinstance(referral, Referral)
    assert referral.concerns == ("3A", "16A")
    assert referral.received_on == dt.date(2024, 2, 29)


#: Cells the column readers treat specially: padded, empty, overlong, odd case.
EDGES: dict[str, list[dict[str, str]]] = {
    "agencies": [{"agency_id": " A7 ", "name": "", "kind": "police"}, {"agency_id": "A8", "name": " x ", "kind": " health"}],
    "persons": [
        {"person_id": "P9 ", "sex": "", "nhs_number": "943 476 5919"},
        {"person_id": "x" * 65, "given_name": " Zoë ", "date_of_birth": " 2001 ", "recorded_by": ""},
        {"person_id": "P10", "date_of_birth": "2030", "date_of_death": "2031-01-01", "expected_date_of_birth": "x"},
    ],
    "households": [{"household_id": "H2", "postcode": "e8 1aa"}, {"household_id": "", "uprn": "1" * 13}],
    "household_members": [{"household_id": "H1", "person_id": "P1", "role": "", "start_date": "2026-01-01",
                           "end_date": "2025-01-01", "recorded_by": "A1"}],
    "relationships": [
        {"person_id": "P1", "related_person_id": "P2", "type": "sibling_of", "subtype": "", "recorded_by": "A1"},
        {"person_id": "P1", "related_person_id": "P2", "type": "partner_of", "subtype": "birth",
         "parental_responsibility": "TRUE", "recorded_by": "A1"},
        {"person_id": "P1", "related_person_id": "P2", "type": "", "subtype": "zzz", "recorded_by": "A1"},
    ],
    "referrals": [{"referral_id": "R5", "kind": "contact", "child_id": "P2", "received_on": "2024-01-01",
                   "concerns": " 3A ; ;16A ", "group_id": " "}],
    "referral_mentions": [{"referral_id": "R1", "person_id": "P1", "role": "x" * 33}],
    "assessments": [{"assessment_id": "X2", "child_id": "P2", "kind": "other", "started_on": "",
                     "factors": "3A;" * 200}],
    "checks": [
        {"check_id": " K7 ", "referral_id": "R1", "agency_id": "A2", "requested_at": " 2025-03-30T01:30 ",
         "responded_at": "2025-03-30T00:59", "response": "nothing_known"},
        {"check_id": "K8", "referral_id": "R1", "agency_id": "A2", "requested_at": "2025-10-26T01:30+01:00",
         "responded_at": "2025-10-26T01:30Z", "response": " declined"},
    ],
    "plans": [{"plan_id": "PL7", "child_id": "P2", "kind": "child_protection", "start_date": "2024-01-01",
               "end_date": "2023-12-31", "recorded_by": "A1"}],
    "considerations": [{"referral_id": "R1", "person_id": "P3", "considered_on": " 2024-03-01 ", "outcome": ""},
                       {"referral_id": "R1", "person_id": "", "considered_on": "2024-02-30", "outcome": " NFA"}],
}  # fmt: skip


@pytest.mark.parametrize("spec", FILES, ids=lambda spec: spec.name)
def test_a_batch_reads_each_row_as_it_reads_alone(tmp_path: Path, spec: FileSpec) -> None:
    rows = [dict(row) for row in FRONT_DOOR[spec.name]]
    rows += [{**FRONT_DOOR[file][0], **changes} for file, changes, _, _ in RULES if file == spec.name]
    rows += EDGES[spec.name] + [dict(row) for row in FRONT_DOOR[spec.name]]
    write_bundle(tmp_path, {spec.name: rows})
    path = tmp_path / f"{spec.name}.csv"
    alone = {item.line: parse_row(spec, item, TODAY) for item in read_rows(path, spec) if isinstance(item, Row)}
    together: dict[int, Record | list[Problem] | None] = {}
    for batch in read_batches(path, spec, size=len(rows) // 2):
        records, problems = parse_batch(spec, batch, TODAY)
        together.update((line, problems.get(i, records[i])) for i, line in enumerate(batch.lines))
    assert together == alone
    assert any(isinstance(result, list) for result in alone.values())
    assert any(not isinstance(result, list) for result in alone.values())


@pytest.mark.parametrize("size", [1, 2, 3, 100])
def test_batches_keep_every_line_and_problem_whatever_their_size(tmp_path: Path, size: int) -> None:
    text = 'household_id,address,postcode,uprn\nH1,"1 Road\nTown",E8 1AA,1\nH2,x\n\nH3,,,\nH4,"a\r\nb",,\nH5,"open\n'
    (tmp_path / "households.csv").write_text(text, encoding="utf-8", newline="")
    batches = list(read_batches(tmp_path / "households.csv", SPECS["households"], size=size))
    assert all(len(batch.lines) <= size for batch in batches)
    lines = [line for batch in batches for line in batch.lines]
    problems = [(p.line, p.reason.split(":")[0]) for batch in batches for p in batch.problems]
    assert lines == [2, 6, 7]
    assert problems == [(4, "malformed row"), (9, "malformed CSV (unbalanced quotes or a NUL byte)")]
