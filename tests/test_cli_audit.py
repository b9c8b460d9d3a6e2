"""The household and audit commands, through the command line, on real SQLite databases."""

from __future__ import annotations

import csv
import datetime as dt
import html
import inspect
import io
import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from bundles import REREFERRED, write_bundle
from familynet.analyses import (
    ALL_MENTIONS,
    all_audits,
    escalations,
    household_context,
    missing_members,
    repeat_referrals,
    serialise,
    sibling_coverage,
)
from familynet.analyses import AUDITS as DECLARED
from familynet.analyses.checks import multi_agency_checks
from familynet.analyses.consent import consent_feedback_thresholds
from familynet.analyses.timeliness import decision_timeliness
from familynet.bundle.ingest import ingest_bundle
from familynet.cli import main
from familynet.reports.audits import all_report
from familynet.reports.page import heading
from familynet.reports.report import Report, Table, render
from familynet.reports.workbook import workbook
from familynet.stores.sqlite.store import open_sqlite
from familynet.synthetic import write_demo_bundle

AUDITS = tuple(audit.name for audit in DECLARED)
FORMATS = ("table", "json", "csv", "html")
#: The demo bundle's ten years of history end on this day.
TODAY = dt.date(2026, 1, 1)
DECADE = ("--from", "2016-01-01", "--to", "2025-12-31")
HOUSEHOLD = ("household", "P2", "--on", "2024-03-10", "--purpose", "strategy discussion")


def _load(bundle: Path, db: Path) -> Path:
    store = open_sqlite(db)
    try:
        ingest_bundle(store, bundle)
    finally:
        store.close()
    return db


@pytest.fixture
def family_db(tmp_path: Path) -> Path:
    """Mother P1 (Zoë Nguyễn), children P2 (Siobhán 王, referred twice) and P3, police-only partner P4."""
    return _load(write_bundle(tmp_path / "bundle", REREFERRED), tmp_path / "family.db")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic local authority: 60 households, ten years of referrals."""
    directory = tmp_path_factory.mktemp("demo")
    write_demo_bundle(directory / "bundle", 60, 1, today=TODAY)
    return _load(directory / "bundle", directory / "demo.db")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- household ---------------------------------------------------------------------------------


def test_household_prints_every_section(family_db: Path) -> None:
    text = ok(*HOUSEHOLD, "--db", str(family_db))
    for section in ("Parents", "Siblings", "Significant adults", "Agencies", "Timeline", "Flags"):
        assert f"\n{section}\n" in text
    household = text.split("Household H1 (the record)\n")[1].split("\n\n")[0].splitlines()
    # The record beside another agency's view: P4 is a member only in the police record.
    assert household[2].split() == ["P1", "parent"]
    assert household[-1].split() == ["P4", "A2", "(police):", "partner_of_parent"]
    parents = text.split("\nParents\n")[1].splitlines()
    assert parents[2].split() == ["P1", "birth", "yes", "yes"]
    siblings = text.split("\nSiblings\n")[1].splitlines()
    assert siblings[2].split() == ["P3", "derived", "unknown", "yes", "P1"]
    adults = text.split("\nSignificant adults\n")[1].split("\n\n")[0].splitlines()[2:]
    # One row per adult, as the viewer shows them, every link in words.
    assert adults == [
        "P4         household member H1 (A2, partner of parent); mentioned R1 (A2, alleged perpetrator); "
        "partner of parent P1 (A2, cohabiting)"
    ]
    timeline = text.split("\nTimeline\n")[1].split("\n\n")[0].splitlines()[2:]
    assert [t.split()[:3] for t in timeline] == [["2024-02-29", "referral", "R1"], ["2024-03-04", "assessment", "X1"]]
    assert "father_not_recorded" in text.split("\nFlags\n")[1]
    # Concern categories in words, as the viewer shows them.
    assert "3 Domestic abuse" in timeline[0]


def test_household_of_an_adult_says_so_and_offers_their_children(family_db: Path) -> None:
    result = run("household", "P1", "--on", "2024-03-10", "--purpose", "checking", "--db", str(family_db))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: P1 is an adult on 2024-03-10, and the household context is a child's; their children: P2, P3\n"
    )


def test_household_json_is_the_whole_context(family_db: Path) -> None:
    text = ok(*HOUSEHOLD, "--format", "json", "--db", str(family_db))
    store = open_sqlite(family_db)
    try:
        expected = serialise(household_context(store.family_network("P2"), "P2", dt.date(2024, 3, 10)))
    finally:
        store.close()
    assert json.loads(text) == expected


def test_household_takes_every_parameter_of_household_context(family_db: Path) -> None:
    chosen = {"flag_months": 0, "adult_age": 9, "infant_age": 0}
    keywords = {p.name for p in inspect.signature(household_context).parameters.values() if p.kind is p.KEYWORD_ONLY}
    assert set(chosen) == keywords
    day = dt.date(2024, 3, 10)
    store = open_sqlite(family_db)
    try:
        expected = serialise(household_context(store.family_network("P2"), "P2", day, **chosen))
    finally:
        store.close()
    base = (*HOUSEHOLD, "--format", "json", "--db", str(family_db))
    given = json.loads(ok(*base, *_option_args(chosen)))
    assert given == expected
    # R1's mention is older than 0 months.
    assert [f["kind"] for f in given["flags"]] == ["father_not_recorded", "member_only_in_other_agency_record"]
    # P2 (8) is a child at adult_age 9 and an adult at 8, whose context is refused.
    assert run(*base, "--adult-age", "8").stderr.startswith("Error: P2 is an adult on 2024-03-10")


def test_household_of_an_unknown_person_is_a_clean_error(family_db: Path) -> None:
    result = run("household", "P99", "--purpose", "checking", "--db", str(family_db))
    assert result.exit_code == 1
    assert "no person with id 'P99'" in result.stderr
    assert "Traceback" not in result.output


def test_household_is_logged_with_its_purpose_before_it_is_shown(family_db: Path) -> None:
    assert run("household", "P2", "--db", str(family_db)).exit_code == 2  # no purpose, no record
    ok(*HOUSEHOLD, "--db", str(family_db))
    store = open_sqlite(family_db)
    try:
        (entry,) = store.access_entries()
    finally:
        store.close()
    request = entry.request
    assert (request.operation, request.purpose, request.role) == ("household", "strategy discussion", "command_line")
    assert request.person_ids == ("P1", "P2", "P3", "P4")


def test_an_audit_is_logged_with_the_persons_it_names(family_db: Path) -> None:
    shown = ok(*audit_2024("missing-members"), "--format", "csv", "--db", str(family_db))
    store = open_sqlite(family_db)
    try:
        (entry,) = store.access_entries()
    finally:
        store.close()
    assert (entry.request.operation, entry.request.purpose) == ("audit missing-members", "audit")
    # P1 is in no person column: father_not_recorded cites her as the evidence "parent=P1".
    assert "parent=P1" in shown
    assert entry.request.person_ids == ("P1", "P2", "P4")


# --- names ---------------------------------------------------------------------------------------


def audit_2024(audit: str) -> tuple[str, ...]:
    """An audit of 2024; escalations count single referrals, so that the family's show."""
    extra = ("--min-contacts", "1") if audit == "escalations" else ()
    return ("audit", audit, "--from", "2024-01-01", "--to", "2024-12-31", *extra)


#: Every command that shows persons, in each of its formats.
NAMED = [
    *[pytest.param(HOUSEHOLD, f, id=f"household-{f}") for f in ("table", "json")],
    *[pytest.param(audit_2024(audit), f, id=f"{audit}-{f}") for audit in AUDITS for f in FORMATS],
]


@pytest.mark.parametrize(("command", "fmt"), NAMED)
def test_names_appear_only_with_with_names(family_db: Path, command: tuple[str, ...], fmt: str) -> None:
    args = (*command, "--format", fmt, "--db", str(family_db))
    without = ok(*args)
    named = ok(*args, "--with-names")
    # Siobhán 王 is P2, the subject of R1 and R2, so every command's output names her.
    for name in ("Siobhán", "王"):
        assert name not in without
        assert name in named or html.escape(name) in named
    assert "Siob" not in without


def test_names_sit_next_to_the_ids_they_name(family_db: Path) -> None:
    args = ("audit", "siblings", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "csv")
    rows = _csv(ok(*args, "--with-names", "--db", str(family_db)))
    assert list(rows[0])[1:4] == ["child_id", "child_given_name", "child_family_name"]
    assert (rows[0]["child_id"], rows[0]["child_given_name"], rows[0]["child_family_name"]) == ("P2", "Siobhán", "王")
    assert (rows[0]["sibling_id"], rows[0]["sibling_given_name"]) == ("P3", "Tom")
    data = json.loads(ok(*args[:-1], "json", "--with-names", "--db", str(family_db)))
    assert data["names"] == {
        "P2": {"given_name": "Siobhán", "family_name": "王"},
        "P3": {"given_name": "Tom", "family_name": "Nguyễn"},
    }


# --- every audit, every format -------------------------------------------------------------------


@pytest.mark.parametrize("audit", AUDITS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_audit_writes_every_format(demo_db: Path, audit: str, fmt: str) -> None:
    text = ok("audit", audit, *DECADE, "--format", fmt, "--db", str(demo_db))
    if fmt == "json":
        assert json.loads(text)["period_from"] == "2016-01-01"
    elif fmt == "csv":
        assert text.splitlines()[0].split(",")[0] in {"referral_id", "child_id", "kind"}
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
        assert text.rstrip().endswith("</html>")
    else:
        assert text.splitlines()[0].endswith("2016-01-01 to 2025-12-31")


def _outputs(db: Path, audit: str, *extra: str) -> dict[str, str]:
    return {fmt: ok("audit", audit, *DECADE, *extra, "--format", fmt, "--db", str(db)) for fmt in FORMATS}


def _stated(outputs: dict[str, str], name: str, value: Any) -> None:
    """The summary count ``name`` reads ``value`` in the table and the HTML report."""
    cell = "" if value is None else str(value)
    assert f"\n{name}: {cell}\n" in outputs["table"]
    assert f'<th scope="row">{heading(name)}</th><td>{cell}</td>' in outputs["html"]


def test_sibling_coverage_agrees_across_formats(demo_db: Path) -> None:
    outputs = _outputs(demo_db, "siblings")
    data = json.loads(outputs["json"])
    summary = data["summary"]
    rows = _csv(outputs["csv"])
    assert summary["siblings"] > 0
    assert len({r["referral_id"] for r in rows}) == summary["referrals"] == len(data["rows"])
    assert sum(r["sibling_id"] != "" for r in rows) == summary["siblings"]
    assert sum(r["covered"] == "true" for r in rows) == summary["siblings_covered"]
    uncovered = {r["referral_id"] for r in rows if r["covered"] == "false"}
    assert len(uncovered) == summary["referrals_with_uncovered_sibling"]
    for name in ("referrals", "referrals_with_uncovered_sibling", "siblings", "siblings_covered", "coverage_percent"):
        _stated(outputs, name, summary[name])
    for month, counts in summary["by_month"].items():
        assert counts["referrals"] == sum(
            r["received_on"].startswith(month) for r in {r["referral_id"]: r for r in rows}.values()
        )
        assert f">{month}</text>" in outputs["html"] or counts["coverage_percent"] is None


def test_repeat_referrals_agree_across_formats(demo_db: Path) -> None:
    outputs = _outputs(demo_db, "repeat-referrals")
    data = json.loads(outputs["json"])
    summary = data["summary"]
    rows = _csv(outputs["csv"])
    assert summary["rereferrals"] > 0
    assert [r["referral_id"] for r in rows] == [r["referral_id"] for r in data["rows"]]
    assert sum(r["rereferral"] == "true" for r in rows) == summary["rereferrals"]
    assert sum(r["same_concern"] == "true" for r in rows) == summary["same_concern"]
    assert sum(r["household_prior"] != "" for r in rows) == summary["with_household_prior"]
    for band, count in summary["intervals"].items():
        assert sum(r["interval"] == band for r in rows) == count
        assert f"\n{band:<8}  {count}\n" in outputs["table"]
    for name in ("referrals", "rereferrals", "rereferral_rate_percent", "same_concern", "escalations"):
        _stated(outputs, name, summary[name])


def test_escalations_agree_across_formats_and_with_audit_2(demo_db: Path) -> None:
    outputs = _outputs(demo_db, "escalations", "--min-contacts", "2")
    data = json.loads(outputs["json"])
    rows = _csv(outputs["csv"])
    assert data["summary"]["escalations"] == len(rows) == len(data["escalations"]) > 0
    assert [r["child_id"] for r in rows] == [e["child_id"] for e in data["escalations"]]
    _stated(outputs, "escalations", len(rows))
    audit_2 = json.loads(
        ok("audit", "repeat-referrals", *DECADE, "--min-contacts", "2", "--format", "json", "--db", str(demo_db))
    )
    assert audit_2["escalations"] == data["escalations"]


def test_missing_members_agree_across_formats(demo_db: Path) -> None:
    outputs = _outputs(demo_db, "missing-members")
    summary = json.loads(outputs["json"])["summary"]
    rows = _csv(outputs["csv"])
    assert len(rows) == summary["findings"] > 0
    assert len({r["child_id"] for r in rows}) == summary["children_with_findings"]
    for kind, count in summary["by_kind"].items():
        assert sum(r["kind"] == kind for r in rows) == count
        assert re.search(f"<td[^>]*>{kind}</td><td[^>]*>{count}</td>", outputs["html"])
    for name in ("children", "children_with_findings", "findings"):
        _stated(outputs, name, summary[name])


AuditCall = Callable[..., Any]

#: Each audit with non-default values for every parameter of its function.
PARAMETERS: list[tuple[str, AuditCall, dict[str, Any]]] = [
    (
        "siblings",
        sibling_coverage,
        {
            "assessment_days": 30,
            "lookback_days": 10,
            "considered_before_days": 10,
            "considered_after_days": 20,
            "adult_age": 16,
            "infant_age": 2,
        },
    ),
    (
        "repeat-referrals",
        repeat_referrals,
        {
            "months": 6,
            "short_months": 1,
            "medium_months": 2,
            "window_days": 90,
            "min_contacts": 2,
            "escalated_outcomes": ("nfa",),
            "kinds": ("contact", "referral"),
            "adult_age": 16,
            "infant_age": 2,
        },
    ),
    (
        "escalations",
        escalations,
        {"window_days": 90, "min_contacts": 2, "escalated_outcomes": ("nfa", "section_47"), "adult_age": 16},
    ),
    ("missing-members", missing_members, {"adult_age": 16, "infant_age": 2}),
    ("timeliness", decision_timeliness, {"red_hours": 2, "amber_hours": 12, "green_hours": 48, "adult_age": 16}),
    ("checks", multi_agency_checks, {"home_agency": "A01", "prior_months": 6, "adult_age": 16, "infant_age": 2}),
    ("consent", consent_feedback_thresholds, {"feedback_days": 3, "adult_age": 16}),
]


def _option_args(parameters: dict[str, Any]) -> list[str]:
    args = []
    for name, value in parameters.items():
        args += [f"--{name.replace('_', '-')}", ",".join(value) if isinstance(value, tuple) else str(value)]
    return args


@pytest.mark.parametrize(("audit", "function", "parameters"), PARAMETERS, ids=[p[0] for p in PARAMETERS])
def test_every_parameter_reaches_the_audit(
    demo_db: Path, audit: str, function: AuditCall, parameters: dict[str, Any]
) -> None:
    # The audit's function takes them as its declaration declares them.
    declared = next(declared for declared in DECLARED if declared.run is function)
    assert set(parameters) == {p.name for p in declared.parameters}
    start, end = dt.date(2019, 1, 1), dt.date(2024, 12, 31)
    period = ("--from", str(start), "--to", str(end), "--db", str(demo_db), "--format", "json")
    store = open_sqlite(demo_db)
    try:
        defaults = serialise(function(store.cohort(start, end), start, end))
        chosen = serialise(function(store.cohort(start, end), start, end, **parameters))
    finally:
        store.close()
    assert json.loads(ok("audit", audit, *period)) == defaults
    given = json.loads(ok("audit", audit, *period, *_option_args(parameters), "--batch-size", "3"))
    assert given == chosen
    assert given["parameters"] == {k: list(v) if isinstance(v, tuple) else v for k, v in parameters.items()}


def test_an_unknown_escalated_outcome_is_refused(family_db: Path) -> None:
    result = run("audit", "escalations", *DECADE, "--escalated-outcomes", "nfa,closed", "--db", str(family_db))
    assert result.exit_code == 2
    assert "not referral outcomes: closed" in result.stderr


# --- files and errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_writes_a_file_only_its_owner_can_read(family_db: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"report.{fmt}"
    target.write_text("old")
    target.chmod(0o644)
    args = ("audit", "siblings", "--from", "2024-01-01", "--to", "2024-12-31", "--format", fmt, "--db", str(family_db))
    result = run(*args, "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == ok(*args)


@pytest.mark.parametrize("audit", AUDITS)
def test_a_reversed_period_is_a_clean_error(family_db: Path, audit: str) -> None:
    result = run("audit", audit, "--from", "2024-12-31", "--to", "2024-01-01", "--db", str(family_db))
    assert result.exit_code == 1
    assert result.stderr == "Error: the period ends before it starts\n"
    assert "Traceback" not in result.output


@pytest.mark.parametrize("day", ["20240101", "2024-W01-1"])
def test_a_malformed_date_is_a_usage_error(family_db: Path, day: str) -> None:
    result = run("audit", "siblings", "--from", day, "--to", "2024-12-31", "--db", str(family_db))
    assert result.exit_code == 2
    assert f"'{day}' is not a date of the form YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        ("2024-02-30", "2024-02-30 does not exist: February 2024 has 29 days"),
        ("2023-02-29", "2023-02-29 does not exist: February 2023 has 28 days"),
        ("2024-13-01", "2024-13-01 is not a date: month out of range"),
    ],
)
def test_a_day_the_calendar_lacks_is_named_as_such(family_db: Path, day: str, problem: str) -> None:
    result = run("audit", "siblings", "--from", day, "--to", "2024-12-31", "--db", str(family_db))
    assert result.exit_code == 2
    assert problem in result.stderr


def test_an_id_in_the_wrong_case_is_not_matched_but_named(family_db: Path) -> None:
    for command in (("household",), ("genogram", "--format", "json")):
        result = run(*command, "p2", "--purpose", "checking", "--db", str(family_db))
        assert result.exit_code == 1
        assert result.stderr == "Error: there is no person with id 'p2'; did you mean P2?\n"


def test_a_missing_database_is_an_error_not_a_new_empty_one(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = run("audit", "siblings", *DECADE, "--db", str(missing))
    assert result.exit_code == 1
    assert "there is no database at" in result.stderr
    assert not missing.exists()


# --- the reports themselves ----------------------------------------------------------------------


def test_sibling_coverage_on_a_known_family(family_db: Path) -> None:
    text = ok(
        "audit", "siblings", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "csv", "--db", str(family_db)
    )
    assert _csv(text) == [
        {
            "referral_id": "R1", "child_id": "P2", "received_on": "2024-02-29", "referring_agency_kind": "police",
            "sibling_id": "P3", "basis": "derived", "relation": "unknown", "co_resident": "true", "covered": "false",
            "considered": "",  # the bundle has no considerations.csv: not supplied, not "not considered"
        }
    ]  # fmt: skip


def test_the_html_report_is_self_contained_and_states_the_definition(family_db: Path) -> None:
    text = ok(
        "audit",
        "missing-members",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--format",
        "html",
        "--db",
        str(family_db),
    )
    for outside in ("src=", "href=", "url(", "@import"):
        assert outside not in text
    # Key messages first, the definitions last, as prose: real headings, no code.
    assert text.index("Key messages") < text.index("<h2>Detail</h2>") < text.index("<h2>Definitions</h2>")
    for title in ("Audit 3 — household members missing from records", "Shared definitions (at a date d)"):
        assert f"<h3>{html.escape(title)}</h3>" in text[text.index("<h2>Definitions</h2>") :]
    assert "<code>" not in text and "`" not in text and "missing_members(" not in text
    assert '<svg role="img" aria-label="Findings by kind"' in text
    assert '<th scope="row">Adult age</th><td>18</td>' in text
    # At the top and the bottom of the page, and in what the report states about itself.
    assert text.count("OFFICIAL-SENSITIVE") == 3
    assert "<dt>Period</dt><dd>1 January 2024 to 31 December 2024</dd>" in text


# --- audit all ------------------------------------------------------------------------------------


def test_audit_all_is_every_audit_after_all_key_messages(demo_db: Path) -> None:
    together = json.loads(ok("audit", "all", *DECADE, "--format", "json", "--db", str(demo_db)))
    assert list(together["audits"]) == [a for a in AUDITS if a != "escalations"]
    for name, data in together["audits"].items():
        assert data == json.loads(ok("audit", name, *DECADE, "--format", "json", "--db", str(demo_db))), name
    text = ok("audit", "all", *DECADE, "--db", str(demo_db))
    first_section = text.index("Audit 1 — sibling coverage, 2016-01-01")
    assert 0 < text.index("Key messages") < first_section
    assert all(f"- {m}" in text[:first_section] for m in together["key_messages"])
    assert len(together["key_messages"]) >= 4
    # Read by a board: words, never codes such as father_not_recorded.
    assert [m for m in together["key_messages"] if re.search(r"[a-z]_[a-z]", m)] == []
    page = ok("audit", "all", *DECADE, "--format", "html", "--db", str(demo_db))
    assert page.count("<h2>Key messages</h2>") == 1
    assert page.count("<h3>Key messages</h3>") == len(together["audits"])
    refused = run("audit", "all", *DECADE, "--format", "csv", "--db", str(demo_db))
    assert refused.exit_code != 0 and "choose table, json or html" in refused.output


def test_audit_all_serialises_its_results_only_for_json(demo_db: Path) -> None:
    # Only JSON shows a report's data: the other formats are the same without it, which audit all skips making.
    start, end = dt.date(2016, 1, 1), dt.date(2025, 12, 31)
    store = open_sqlite(demo_db)
    try:
        found = all_audits(store.cohort(start, end, mentions=ALL_MENTIONS), start, end)
    finally:
        store.close()
    full, lean = all_report(found), all_report(found, data=False)
    assert full.data["audits"] and all(section.data for section in full.sections)
    assert lean.data == {} and all(section.data == {} for section in lean.sections)
    for fmt in ("table", "html"):
        assert render(lean, fmt) == render(full, fmt), fmt


def test_audit_all_shares_the_cohort_among_worker_processes_with_the_same_answers(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("audit", "all", *DECADE, "--format", "json", "--batch-size", "5")
    one = ok(*args, "--workers", "1", "--db", str(demo_db))
    assert ok(*args, "--workers", "3", "--db", str(demo_db)) == one
    # Each worker opens the store the command was given, by --store as by --db.
    assert ok(*args, "--store", str(demo_db), "--db", str(tmp_path / "elsewhere.db")) == one
    monkeypatch.setenv("FAMILYNET_AUDIT_WORKERS", "2")
    assert ok(*args, "--db", str(demo_db)) == one
    monkeypatch.setenv("FAMILYNET_AUDIT_WORKERS", "1")
    assert ok(*args, "--db", str(demo_db)) == one
    monkeypatch.delenv("FAMILYNET_AUDIT_WORKERS")
    # Two by default: the fastest on a quiet 2-core machine (README, Benchmarks).
    assert "[default: 2;" in " ".join(ok("audit", "all", "--help").split())
    monkeypatch.setenv("FAMILYNET_AUDIT_WORKERS", "0")
    refused = run(*args, "--db", str(demo_db))
    assert refused.exit_code != 0 and "--workers" in refused.output


def test_person_search_puts_the_exact_name_first_and_says_why_each_matched(family_db: Path) -> None:
    args = ("--purpose", "checking", "--format", "json", "--db", str(family_db))
    found = json.loads(ok("person", "search", "Zoe Nguyen", *args))
    assert [(f["person_id"], f["matched"]) for f in found] == [("P1", "exact name"), ("P3", "family name is nguyen")]
    assert ok("person", "search", "Qwxzvy", "--purpose", "checking", "--db", str(family_db)) == "No one found.\n"


# --- workbooks ------------------------------------------------------------------------------------


def test_xlsx_is_a_summary_sheet_and_a_sheet_per_table(demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "rereferrals.xlsx"
    ok("audit", "repeat-referrals", *DECADE, "--format", "xlsx", "--output", str(path), "--db", str(demo_db))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    data = json.loads(ok("audit", "repeat-referrals", *DECADE, "--format", "json", "--db", str(demo_db)))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Summary"
    # Excel's names are at most 31 characters: cut at a word.
    assert book.sheetnames[1:] == [
        "Re-referral intervals",
        "Outcomes of the previous",
        "Re-referrals and household",
        "Escalations",
    ]
    summary = [[c for c in row if c is not None] for row in book["Summary"].iter_rows(values_only=True)]
    assert ["Marking", "OFFICIAL-SENSITIVE"] in summary
    assert ["Re-referrals", data["summary"]["rereferrals"]] in summary, "numbers stay numbers"
    detail = list(book["Re-referrals and household"].iter_rows(values_only=True))
    assert detail[0][:2] == ("Referral id", "Child id")
    assert len(detail) - 1 == len(data["rows"])


def test_xlsx_keeps_formula_like_text_as_text() -> None:
    report = Report("t", "", {}, {"note": "=1+1"}, (Table("Rows", ("person_id", "reason"), (("P1", "@SUM(A1)"),)),))
    book = openpyxl.load_workbook(io.BytesIO(workbook(report)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert {"'=1+1", "'@SUM(A1)"} <= {c.value for c in cells}


# --- the previous period ------------------------------------------------------------------------


def test_compare_previous_shows_each_figure_beside_the_previous_year(demo_db: Path) -> None:
    year = ("--from", "2025-01-01", "--to", "2025-12-31", "--db", str(demo_db))
    before = ("--from", "2024-01-01", "--to", "2024-12-31", "--db", str(demo_db))
    now = json.loads(ok("audit", "repeat-referrals", *year, "--format", "json"))["summary"]
    then = json.loads(ok("audit", "repeat-referrals", *before, "--format", "json"))["summary"]
    text = ok("audit", "repeat-referrals", *year, "--compare-previous")
    assert "Compared with the previous period, 1 January 2024 to 31 December 2024" in text
    rate = "rereferral_rate_percent"
    assert f"{then[rate]} → {now[rate]}" in text.split(f"\n{rate} ")[1].splitlines()[0]
    page = ok("audit", "all", *year, "--compare-previous", "--format", "html")
    assert page.count("Compared with the previous period") >= 3, "each audit's section is compared"
