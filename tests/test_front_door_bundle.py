"""The front door's facts in the bundle (issue 14): referrals' times, feedback and threshold,
checks, plans and considerations; date-times across both clock changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bundles import FRONT_DOOR, Rows, changed, write_bundle
from familynet.bundle.files import FILES, parse_row, read_rows
from familynet.errors import Problem
from familynet.model.records import Check, Consideration, Plan, Record, Referral

TODAY = dt.date(2025, 12, 1)
SPECS = {spec.name: spec for spec in FILES}


def _parse(tmp_path: Path, files: dict[str, Rows], file: str) -> list[Record | list[Problem]]:
    write_bundle(tmp_path, files)
    spec = SPECS[file]
    return [
        [item] if isinstance(item, Problem) else parse_row(spec, item, TODAY)
        for item in read_rows(tmp_path / f"{file}.csv", spec)
    ]


def _one(tmp_path: Path, files: dict[str, Rows], file: str) -> Record:
    record = _parse(tmp_path, files, file)[0]
    assert not isinstance(record, list), record
    return record


def _problems(tmp_path: Path, files: dict[str, Rows], file: str) -> list[tuple[str, str]]:
    return [(p.column, p.reason) for r in _parse(tmp_path, files, file) if isinstance(r, list) for p in r]


#: Each rule: a change to the first row of a file of FRONT_DOOR, the column it refuses and the reason.
RULES: list[tuple[str, dict[str, str], str, str]] = [
    ("referrals", {"received_at": "2024-02-28T23:30"}, "received_at", "its date in Europe/London is not received_on"),
    ("referrals", {"received_at": "2024-02-29"}, "received_at", "not an ISO 8601 date-time"),
    ("referrals", {"received_at": "29/02/2024 09:15"}, "received_at", "not an ISO 8601 date-time"),
    ("referrals", {"decided_at": "2024-02-29T09:14"}, "decided_at", "before received_at"),
    ("referrals", {"decided_at": "2026-01-01T00:00"}, "decided_at", "in the future"),
    ("referrals", {"feedback_sent_on": "2024-02-28"}, "feedback_sent_on", "before received_on"),
    ("referrals", {"threshold_stated": "high"}, "threshold_stated", "unknown code"),
    ("checks", {"agency_id": ""}, "agency_id", "required"),
    ("checks", {"requested_at": ""}, "requested_at", "required"),
    ("checks", {"responded_at": "2024-02-29T09:29"}, "responded_at", "before requested_at"),
    ("checks", {"response": ""}, "response", "required"),
    ("checks", {"response": "maybe"}, "response", "unknown code"),
    ("checks", {"responded_at": ""}, "response", "must be empty when responded_at is empty"),
    ("plans", {"kind": "cp"}, "kind", "unknown code"),
    ("plans", {"start_date": ""}, "start_date", "required"),
    ("plans", {"end_date": "2022-01-01"}, "end_date", "before start_date"),
    ("plans", {"recorded_by": ""}, "recorded_by", "required"),
    ("considerations", {"considered_on": ""}, "considered_on", "required"),
    ("considerations", {"outcome": "maybe"}, "outcome", "unknown code"),
]


@pytest.mark.parametrize(("file", "changes", "column", "reason"), RULES)
def test_each_rule_names_the_column_and_reason(
    tmp_path: Path, file: str, changes: dict[str, str], column: str, reason: str
) -> None:
    problems = _problems(tmp_path, changed(FRONT_DOOR, file, 0, **changes), file)
    assert len(problems) == 1, problems
    assert problems[0][0] == column
    assert reason in problems[0][1]


def test_a_referral_carries_its_instants_feedback_threshold_and_what_was_supplied(tmp_path: Path) -> None:
    referral = _one(tmp_path, FRONT_DOOR, "referrals")
    assert isinstance(referral, Referral)
    assert referral.received_at == dt.datetime(2024, 2, 29, 9, 15, tzinfo=dt.UTC)
    assert referral.decided_at is not None
    assert referral.decided_at - referral.received_at == dt.timedelta(hours=1, minutes=45)
    assert referral.feedback_sent_on == dt.date(2024, 3, 4)
    assert referral.threshold_stated == "child_protection"
    assert referral.supplied == {"received_at", "decided_at", "feedback_sent_on", "threshold_stated"}


def test_a_referrals_file_without_the_new_columns_supplies_none_of_them(tmp_path: Path) -> None:
    plain = {"referrals": [{k: v for k, v in FRONT_DOOR["referrals"][0].items() if k != "threshold_stated"}]}
    plain["referrals"][0].update(received_at="", decided_at="", feedback_sent_on="")
    referral = _one(tmp_path, plain, "referrals")
    assert isinstance(referral, Referral)
    # Empty cells in supplied columns are recorded as unknown; the absent column is not supplied.
    assert referral.supplied == {"received_at", "decided_at", "feedback_sent_on"}
    assert (referral.received_at, referral.threshold_stated) == (None, None)
    write_bundle(tmp_path, {"referrals": [dict(FRONT_DOOR["referrals"][0])]})
    header = (tmp_path / "referrals.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "received_at" in header


@pytest.mark.parametrize(
    ("cell", "utc"),
    [
        # Spring forward (30 March 2025, 01:00 GMT -> 02:00 BST): just before and just after.
        ("2025-03-30T00:59", dt.datetime(2025, 3, 30, 0, 59)),
        ("2025-03-30T02:00", dt.datetime(2025, 3, 30, 1, 0)),
        # Fall back (26 October 2025, 02:00 BST -> 01:00 GMT): just before and just after.
        ("2025-10-26T00:59", dt.datetime(2025, 10, 25, 23, 59)),
        ("2025-10-26T02:00", dt.datetime(2025, 10, 26, 2, 0)),
        # The repeated hour, made unambiguous by an offset.
        ("2025-10-26T01:30+01:00", dt.datetime(2025, 10, 26, 0, 30)),
        ("2025-10-26T01:30+00:00", dt.datetime(2025, 10, 26, 1, 30)),
        ("2025-10-26T01:30:00Z", dt.datetime(2025, 10, 26, 1, 30)),
        # The skipped hour, given with an offset: an instant like any other.
        ("2025-03-30T01:30+00:00", dt.datetime(2025, 3, 30, 1, 30)),
        ("2025-07-01T12:00:00.5-04:00", dt.datetime(2025, 7, 1, 16, 0, 0, 500000)),
    ],
)
def test_date_times_are_instants_local_times_in_london(tmp_path: Path, cell: str, utc: dt.datetime) -> None:
    files = {"checks": [{**FRONT_DOOR["checks"][1], "requested_at": cell}]}
    check = _one(tmp_path, files, "checks")
    assert isinstance(check, Check)
    assert check.requested_at == utc.replace(tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("2025-03-30T01:00", "skipped when the clocks went forward"),
        ("2025-03-30T01:59:59", "skipped when the clocks went forward"),
        ("2025-10-26T01:00", "repeated when the clocks went back"),
        ("2025-10-26T01:59", "repeated when the clocks went back"),
    ],
)
def test_a_local_time_in_the_missing_or_repeated_hour_is_refused(tmp_path: Path, cell: str, reason: str) -> None:
    files = {"checks": [{**FRONT_DOOR["checks"][1], "requested_at": cell}]}
    ((column, got),) = _problems(tmp_path, files, "checks")
    assert column == "requested_at"
    assert reason in got
    assert cell not in got and "01:" not in got


def test_durations_across_the_clock_changes_are_between_instants(tmp_path: Path) -> None:
    # A night across each clock change: 23 hours in spring, 25 in autumn, local 09:00 to 09:00.
    files = {
        "checks": [
            {**FRONT_DOOR["checks"][0], "requested_at": "2025-03-29T09:00", "responded_at": "2025-03-30T09:00"},
            {**FRONT_DOOR["checks"][0], "check_id": "K9", "requested_at": "2025-10-25T09:00",
             "responded_at": "2025-10-26T09:00"},
        ]
    }  # fmt: skip
    spring, autumn = (r for r in _parse(tmp_path, files, "checks"))
    assert isinstance(spring, Check) and isinstance(autumn, Check)
    assert spring.responded_at is not None and autumn.responded_at is not None
    assert spring.responded_at - spring.requested_at == dt.timedelta(hours=23)
    assert autumn.responded_at - autumn.requested_at == dt.timedelta(hours=25)


def test_received_at_must_fall_on_received_on_in_london_not_utc(tmp_path: Path) -> None:
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    files = changed(FRONT_DOOR, "referrals", 0, received_on="2025-07-01", received_at="2025-06-30T23:30Z",
                    decided_at="", feedback_sent_on="")  # fmt: skip
    referral = _one(tmp_path, files, "referrals")
    assert isinstance(referral, Referral)
    files = changed(files, "referrals", 0, received_on="2025-06-30")
    assert _problems(tmp_path, files, "referrals") == [("received_at", "its date in Europe/London is not received_on")]


def test_plans_and_considerations_parse(tmp_path: Path) -> None:
    plan = _one(tmp_path, FRONT_DOOR, "plans")
    assert plan == Plan("PL1", "P2", "child_in_need", dt.date(2023, 1, 10), dt.date(2023, 8, 1), "A1")
    consideration = _one(tmp_path, FRONT_DOOR, "considerations")
    assert consideration == Consideration("R1", "P3", dt.date(2024, 2, 29), "nfa", None)
