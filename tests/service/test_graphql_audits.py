"""Every audit over GraphQL gives the numbers of the familynet.analyses function the CLI runs."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from graphql_support import AUDITOR, PRACTITIONER, TODAY, data, execute, load_family, log, messages

from familynet import analyses
from familynet.bundle.ingest import ingest_bundle
from familynet.cli import main
from familynet.service.identities import withheld_flags
from familynet.service.pagination import make_cursor
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite
from familynet.synthetic import write_demo_bundle

START, END = dt.date(2022, 1, 1), dt.date(2024, 12, 31)
PERIOD = f'from: "{START}", to: "{END}"'


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path]]:
    """A synthetic local authority of 80 households and its database file."""
    directory = tmp_path_factory.mktemp("demo")
    write_demo_bundle(directory / "bundle", 80, 7, today=TODAY)
    db = directory / "demo.db"
    store = open_sqlite(db)
    ingest_bundle(store, directory / "bundle", today=TODAY)
    yield store, db
    store.close()


def plain(result: object) -> dict[str, Any]:
    return analyses.serialise(result)


def rows(
    store: Store, field: str, connection: str, selection: str, arguments: str = ""
) -> tuple[dict[str, Any], list[Any]]:
    """The audit's fields and every row of one connection, page after page."""
    nodes: list[Any] = []
    after = None
    while True:
        cursor = "" if after is None else f', after: "{after}"'
        query = f"{{ {field}({PERIOD}{arguments}) {{ periodFrom periodTo parameters summary {connection}(first: 100{cursor}) {{ edges {{ node {{ {selection} }} }} pageInfo {{ hasNextPage endCursor }} }} }} }}"
        result = data(execute(store, AUDITOR, query))[field]
        nodes += [e["node"] for e in result[connection]["edges"]]
        if not result[connection]["pageInfo"]["hasNextPage"]:
            return result, nodes
        after = result[connection]["pageInfo"]["endCursor"]


def test_sibling_coverage(demo: tuple[Store, Path]) -> None:
    store, _ = demo
    got, found = rows(
        store,
        "siblingCoverage",
        "rows",
        "referralId childId siblings { personId covered }",
        ", assessmentDays: 45, batchSize: 7",
    )
    expected = plain(analyses.sibling_coverage(store.cohort(START, END), START, END, assessment_days=45))
    assert got["summary"] == expected["summary"] and got["parameters"] == expected["parameters"]
    assert [(r["referralId"], [s["covered"] for s in r["siblings"]]) for r in found] == [
        (r["referral_id"], [s["covered"] for s in r["siblings"]]) for r in expected["rows"]
    ]
    assert expected["rows"], "the demo data exercises the audit"


def test_repeat_referrals_and_escalations(demo: tuple[Store, Path]) -> None:
    store, _ = demo
    arguments = ', minContacts: 2, escalatedOutcomes: ["section_47"]'
    got, found = rows(store, "repeatReferrals", "rows", "referralId rereferral interval householdPrior", arguments)
    expected = plain(
        analyses.repeat_referrals(
            store.cohort(START, END), START, END, min_contacts=2, escalated_outcomes={"section_47"}
        )
    )
    assert got["summary"] == expected["summary"] and got["parameters"] == expected["parameters"]
    assert [(r["referralId"], r["interval"]) for r in found] == [
        (r["referral_id"], r["interval"]) for r in expected["rows"]
    ]
    _, windows = rows(store, "repeatReferrals", "escalations", "childId count referralIds", arguments)
    assert [(e["childId"], e["referralIds"]) for e in windows] == [
        (e["child_id"], e["referral_ids"]) for e in expected["escalations"]
    ]
    alone, escalations = rows(
        store, "escalations", "escalations", "childId windowStart windowEnd count", ", minContacts: 2"
    )
    expected_alone = plain(analyses.escalations(store.cohort(START, END), START, END, min_contacts=2))
    assert alone["summary"] == expected_alone["summary"]
    assert [e["count"] for e in escalations] == [e["count"] for e in expected_alone["escalations"]]


def test_missing_members_equals_the_rules_and_the_cli(demo: tuple[Store, Path]) -> None:
    store, db = demo
    got, found = rows(store, "missingMembers", "findings", "kind childId personId evidence { referralId householdId }")
    expected = plain(analyses.missing_members(store.cohort(START, END, batch_size=3), START, END))
    assert got["summary"] == expected["summary"]
    assert [(f["kind"], f["childId"], f["personId"]) for f in found] == [
        (f["kind"], f["child_id"], f["person_id"]) for f in expected["findings"]
    ]
    cli = CliRunner().invoke(
        main, ["audit", "missing-members", "--from", str(START), "--to", str(END), "--format", "json", "--db", str(db)]
    )
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.stdout)["summary"] == got["summary"]


def test_audit_arguments_are_checked(demo: tuple[Store, Path]) -> None:
    store, _ = demo
    backwards = execute(store, AUDITOR, '{ missingMembers(from: "2024-01-01", to: "2023-01-01") { summary } }')
    assert [e.message for e in backwards.errors or ()] == ["the period ends before it starts"]
    huge = execute(store, AUDITOR, f"{{ missingMembers({PERIOD}, batchSize: 100000) {{ summary }} }}")
    assert [e.message for e in huge.errors or ()] == ["batchSize must be between 1 and 5000"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("siblingCoverage(from: $f, to: $t, assessmentDays: 999999999) { summary }", "assessment_days must be between"),
        ("repeatReferrals(from: $f, to: $t, months: -5) { summary }", "months must be between 1 and 1200"),
        ("repeatReferrals(from: $f, to: $t, shortMonths: 6, mediumMonths: 3) { summary }", "interval marks"),
        ('escalations(from: $f, to: $t, escalatedOutcomes: ["closed"]) { summary }', "not referral outcomes: closed"),
        ("missingMembers(from: $f, to: $t, adultAge: 0) { summary }", "adult_age must be between 1 and 150"),
    ],
)
def test_a_parameter_out_of_range_is_refused_as_the_cli_refuses_it(store: Store, query: str, message: str) -> None:
    load_family(store)
    operation = f"query ($f: Date!, $t: Date!) {{ {query} }}"
    result = execute(store, AUDITOR, operation, {"f": str(START), "t": str(END)}, production=True)
    assert result.data is None
    assert [m for m in messages(result) if message in m], messages(result)


@pytest.mark.parametrize("audit", [a for a in analyses.AUDITS if a.name in {"timeliness", "checks", "consent"}],
                         ids=lambda a: a.name)  # fmt: skip
def test_a_declared_audit_gives_its_rules_answer_with_a_page_of_rows(demo: tuple[Store, Path], audit: Any) -> None:
    store, _ = demo
    got, found = rows(store, audit.field, "rows", "data childId child { personId }", ", batchSize: 9")
    expected = plain(audit(store.cohort(START, END), START, END))
    assert got["summary"] == expected["summary"] and got["parameters"] == expected["parameters"]
    assert [r["data"] for r in found] == expected["rows"] and expected["rows"]
    assert [r["child"]["personId"] for r in found] == [r["child_id"] for r in expected["rows"]]
    head = data(execute(store, AUDITOR, f"{{ {audit.field}({PERIOD}) {{ keyMessages }} }}"))[audit.field]
    assert head["keyMessages"] == list(audit.key_messages(audit(store.cohort(START, END), START, END)))


def test_all_audits_over_graphql_are_every_audit_read_once(demo: tuple[Store, Path]) -> None:
    store, _ = demo
    query = f"{{ allAudits({PERIOD}, minContacts: 2) {{ keyMessages audits {{ name summary keyMessages }} }} }}"
    got = data(execute(store, AUDITOR, query))["allAudits"]
    expected = analyses.all_audits(store.cohort(START, END, mentions=analyses.ALL_MENTIONS), START, END, min_contacts=2)
    assert [a["name"] for a in got["audits"]] == [a.name for a in analyses.ALL]
    assert got["keyMessages"] == list(expected.key_messages())
    assert {a["name"]: a["summary"] for a in got["audits"]} == plain(expected.summary)
    refused = execute(store, PRACTITIONER, f"{{ allAudits({PERIOD}) {{ keyMessages }} }}")
    assert refused.data is None


def _expected_pages() -> list[tuple[str, str, str, Any]]:
    """Each paged connection of the audits: (field, connection, arguments, the rows of the rules, in order)."""

    def declared(name: str) -> Any:
        return lambda store: analyses.audit_named(name)(store.cohort(START, END), START, END)

    return [
        ("siblingCoverage", "rows", "", lambda s: analyses.sibling_coverage(s.cohort(START, END), START, END).rows),
        ("repeatReferrals", "rows", "", lambda s: analyses.repeat_referrals(s.cohort(START, END), START, END).rows),
        ("repeatReferrals", "escalations", ", minContacts: 2",
         lambda s: analyses.repeat_referrals(s.cohort(START, END), START, END, min_contacts=2).escalations),
        ("escalations", "escalations", ", minContacts: 2",
         lambda s: analyses.escalations(s.cohort(START, END), START, END, min_contacts=2).escalations),
        ("missingMembers", "findings", "", lambda s: withheld_flags(
            s, AUDITOR, analyses.missing_members(s.cohort(START, END), START, END).findings)),
        *((a.field, "rows", "", lambda s, a=a: a.rows(declared(a.name)(s))) for a in analyses.AUDITS
          if a.name in {"timeliness", "checks", "consent"}),
    ]  # fmt: skip


@pytest.mark.parametrize(("field", "connection", "arguments", "expected"), _expected_pages(),
                         ids=lambda v: v if isinstance(v, str) else "")  # fmt: skip
def test_an_audit_page_logs_exactly_the_persons_its_rows_name(
    demo: tuple[Store, Path], field: str, connection: str, arguments: str, expected: Any
) -> None:
    """The second page of three rows logs the persons of those three rows, each once, and no others."""
    store, _ = demo
    found = expected(store)
    assert len(found) > 6, "the demo data fills more than two pages"

    def page(after: str) -> dict[str, Any]:
        query = f"{{ {field}({PERIOD}{arguments}) {{ {connection}(first: 3{after}) {{ pageInfo {{ endCursor }} }} }} }}"
        result: dict[str, Any] = data(execute(store, AUDITOR, query))[field][connection]
        return result

    first = page("")
    before = len(log(store))
    page(f', after: "{first["pageInfo"]["endCursor"]}"')
    entries = log(store)[before:]
    assert (
        [(e.request.operation, e.request.person_ids) for e in entries]
        == [
            (field, ()),  # the run itself
            (field, tuple(dict.fromkeys(i for row in found[3:6] for i in row.person_ids()))),
        ]
    )


def test_a_page_of_all_audits_logs_the_persons_of_its_own_rows(demo: tuple[Store, Path]) -> None:
    store, _ = demo
    result = analyses.all_audits(store.cohort(START, END, mentions=analyses.ALL_MENTIONS), START, END)
    before = len(log(store))
    query = f'{{ allAudits({PERIOD}) {{ audits {{ rows(first: 2, after: "{make_cursor(1)}") {{ edges {{ cursor }} }} }} }} }}'
    data(execute(store, AUDITOR, query))
    entries = log(store)[before:]
    # Rows 2 and 3 of each audit: one entry per audit page, in whatever order the pages resolved.
    named = {i for a in analyses.ALL for row in a.rows(result.results[a.name])[2:4] for i in row.person_ids()}
    assert named and {e.request.operation for e in entries} == {"allAudits"}
    assert {i for e in entries for i in e.request.person_ids} == named
