"""Audits 4, 5 and 6 on small hand-built graphs: each edge case of the issue's definitions."""

from __future__ import annotations

import datetime as dt

import pytest

from families import HEA, POL, SC, D, batches, builder, live, parent
from familynet.analyses import serialise
from familynet.analyses.checks import AUDIT as CHECKS
from familynet.analyses.checks import multi_agency_checks
from familynet.analyses.consent import AUDIT as CONSENT
from familynet.analyses.consent import consent_feedback_thresholds
from familynet.analyses.parameters import ParameterError
from familynet.analyses.timeliness import AUDIT as TIMELINESS
from familynet.analyses.timeliness import decision_timeliness
from familynet.model.dates import DateFormatError
from familynet.model.network import FamilyGraphBuilder

MARCH = (D(2025, 3, 1), D(2025, 3, 31))


def _child(b: FamilyGraphBuilder | None = None) -> FamilyGraphBuilder:
    b = b or builder()
    b.person("C", date_of_birth="2015-01-01")
    return b


def _timed(b: FamilyGraphBuilder, ident: str, rag: str | None, received: str, decided: str | None) -> None:
    b.referral(
        ident, "C", kind="contact", received_on=received[:10], rag=rag, referrer_agency_id=POL,
        received_at=received, decided_at=decided,
    )  # fmt: skip


def _rows(b: FamilyGraphBuilder, period: tuple[dt.date, dt.date] = MARCH) -> dict[str, dict[str, object]]:
    result = decision_timeliness(batches([b.graph], [["C"]], None), *period)
    return {row["referral_id"]: row for row in serialise(result)["rows"]}


# --- audit 4 ---------------------------------------------------------------------------------------


def test_hours_are_between_instants_across_both_clock_changes() -> None:
    b = _child()
    _timed(b, "SPRING", "amber", "2025-03-29T12:00", "2025-03-30T12:00")
    _timed(b, "AUTUMN", "amber", "2025-10-25T12:00", "2025-10-26T12:00")
    rows = _rows(b, (D(2025, 1, 1), D(2025, 12, 31)))
    assert (rows["SPRING"]["hours_to_decision"], rows["SPRING"]["within_timescale"]) == (23.0, True)
    # A night of 25 hours: over the amber timescale, and over 24 hours.
    assert (rows["AUTUMN"]["hours_to_decision"], rows["AUTUMN"]["within_timescale"]) == (25.0, False)
    assert rows["AUTUMN"]["within_24_hours"] is False
    assert rows["AUTUMN"]["received_at"] == "2025-10-25T12:00:00+01:00"


@pytest.mark.parametrize("local", ["2025-03-30T01:30", "2025-10-26T01:30"])
def test_a_local_time_in_the_missing_or_repeated_hour_is_refused(local: str) -> None:
    with pytest.raises(DateFormatError):
        _timed(_child(), "R", "red", local, None)


def test_a_decision_on_the_timescale_is_in_time_and_a_minute_past_it_is_late_though_it_rounds_the_same() -> None:
    b = _child()
    _timed(b, "ON", "red", "2025-03-03T09:00", "2025-03-03T13:00")
    _timed(b, "PAST", "red", "2025-03-04T09:00", "2025-03-04T13:01")
    rows = _rows(b)
    assert (rows["ON"]["hours_to_decision"], rows["ON"]["within_timescale"]) == (4.0, True)
    assert (rows["PAST"]["hours_to_decision"], rows["PAST"]["within_timescale"]) == (4.0, False)
    assert rows["PAST"]["timescale_hours"] == 4 and rows["PAST"]["within_24_hours"] is True


def test_an_undecided_red_contact_is_late_once_its_timescale_ran_out_by_the_end_of_the_period() -> None:
    b = _child()
    b.referral("LATE", "C", kind="contact", received_on="2025-03-31", rag="red", received_at="2025-03-31T19:59",
               decided_at=None)  # fmt: skip
    b.referral("IN_TIME", "C", kind="contact", received_on="2025-03-31", rag="red",
               received_at="2025-03-31T20:00", decided_at=None)  # fmt: skip
    b.referral("NO_RAG", "C", kind="contact", received_on="2025-03-02", received_at="2025-03-02T09:00",
               decided_at=None)  # fmt: skip
    result = decision_timeliness(batches([b.graph], [["C"]], None), *MARCH)
    rows = {r.referral_id: r for r in result.rows}
    # The period ends at 1 April 00:00 in London (BST, so 23:00 UTC on 31 March).
    assert rows["LATE"].within_timescale is False and rows["IN_TIME"].within_timescale is None
    assert rows["LATE"].within_24_hours is None and rows["LATE"].hours_to_decision is None
    assert rows["NO_RAG"].within_timescale is None and rows["NO_RAG"].within_24_hours is False
    assert (result.summary["without_decision"], result.summary["overdue_at_end"]) == (3, 1)


def test_the_summary_shares_and_nearest_rank_percentiles() -> None:
    b = _child()
    for n, decided in enumerate(("10:00", "11:00", "12:00", "13:00", "20:00")):
        _timed(b, f"R{n}", "amber" if n else None, f"2025-03-{10 + n}T09:00", f"2025-03-{10 + n}T{decided}")
    summary = decision_timeliness(batches([b.graph], [["C"]], None), *MARCH).summary
    assert summary["within_timescale"]["overall"] == {"n": 4, "of": 4, "percent": 100.0}
    assert summary["within_timescale"]["by_rag"] == {
        "amber": {"n": 4, "of": 4, "percent": 100.0},
        "unknown": {"n": 0, "of": 0, "percent": None},  # no RAG, no timescale
    }
    assert summary["within_24_hours"]["by_rag"]["unknown"] == {"n": 1, "of": 1, "percent": 100.0}
    assert summary["within_24_hours"]["by_referrer_agency_kind"] == {"police": {"n": 5, "of": 5, "percent": 100.0}}
    assert summary["hours_to_decision_by_rag"]["amber"] == {"items": 4, "median_hours": 3.0, "p90_hours": 11.0}


def test_without_the_new_columns_timeliness_reports_not_supplied_rather_than_findings() -> None:
    b = _child()
    b.referral("R", "C", kind="contact", received_on="2025-03-03", rag="red")
    result = decision_timeliness(batches([b.graph], [["C"]], None), *MARCH)
    [row] = result.rows
    assert (row.within_timescale, row.within_24_hours, row.hours_to_decision) == (None, None, None)
    assert result.summary["not_supplied"] == {"received_at": 1, "decided_at": 1}
    assert result.summary["without_decision"] == 0
    assert "Decision times not supplied for 1 of 1 items" in " ".join(TIMELINESS.key_messages(result))


# --- audit 5 ---------------------------------------------------------------------------------------


def _checked() -> FamilyGraphBuilder:
    b = _child()
    b.agency("EDU", kind="education")
    live(b, "H", "C", by=HEA, role="child")
    b.referral("R", "C", received_on="2025-03-03", referrer_agency_id=POL, received_at="2025-03-03T09:00",
               decided_at="2025-03-03T17:00")  # fmt: skip
    return b


def test_a_check_answered_after_the_decision_is_timely_not_returned_and_one_requested_after_is_late() -> None:
    b = _checked()
    b.check("K1", "R", HEA, requested_at="2025-03-03T10:00", responded_at="2025-03-03T18:00",
            response="information_shared")  # fmt: skip
    b.check("K2", "R", "EDU", requested_at="2025-03-03T17:01")
    result = multi_agency_checks(batches([b.graph], [["C"]], None), *MARCH)
    [row] = result.rows
    assert [(c.check_id, c.timely, c.returned) for c in row.checks] == [("K1", True, False), ("K2", False, False)]
    assert [a.agency_id for a in row.unasked] == []  # EDU is not involved; HEA was asked in time
    s = result.summary
    assert s["late_checks"] == 1 and s["timely_checks"] == 1
    assert s["by_agency_kind"] == {"health": {"timely": 1, "returned": {"n": 0, "of": 1, "percent": 0.0},
                                              "not_returned": 1}}  # fmt: skip
    assert s["items_with_timely_check"] == {"n": 1, "of": 1, "percent": 100.0}


def test_a_late_check_does_not_make_an_involved_agency_asked() -> None:
    b = _checked()
    b.check("K", "R", HEA, requested_at="2025-03-03T17:30")
    [row] = multi_agency_checks(batches([b.graph], [["C"]], None), *MARCH).rows
    assert [(a.agency_id, a.bases) for a in row.unasked] == [(HEA, ("child_membership",))]


def test_another_authoritys_childrens_services_is_involved_and_the_home_agency_must_then_be_named() -> None:
    b = _checked()
    b.agency("SC2", kind="social_care")
    b.membership("C", "H", role="child", recorded_by="SC2", end_date="2025-03-03")
    b.relationship("M", "C", "parent_of", subtype="birth", recorded_by="SC2")
    b.person("M", sex="female", date_of_birth="1990")
    with pytest.raises(ParameterError, match="2 agencies of kind social_care: give home_agency"):
        multi_agency_checks(batches([b.graph], [["C"]], None), *MARCH)
    result = multi_agency_checks(batches([b.graph], [["C"]], None), *MARCH, home_agency=SC)
    [row] = result.rows
    assert [(a.agency_id, a.agency_kind, a.bases) for a in row.involved_agencies] == [
        # SC2's record makes H the child's recorded household on the day, so HEA's membership counts twice.
        (HEA, "health", ("child_membership", "household_membership")),
        ("SC2", "social_care", ("child_membership", "household_membership", "relationship")),
    ]
    assert result.summary["unasked_by_agency_kind"] == {"health": 1, "social_care": 1}
    assert result.summary["unasked_by_basis"] == {
        "child_membership": 2, "household_membership": 2, "prior_referral": 0, "relationship": 1,
    }  # fmt: skip


def _sibling_referred(day: str) -> FamilyGraphBuilder:
    b = _child()
    b.person("M", sex="female", date_of_birth="1990")
    b.person("S", date_of_birth="2013-01-01")
    parent(b, "M", "C")
    parent(b, "M", "S")
    b.referral("R", "C", received_on="2025-03-03", referrer_agency_id=POL)
    b.referral("P", "S", received_on=day, referrer_agency_id=HEA)
    return b


@pytest.mark.parametrize(
    ("day", "involved"),
    # 12 months less a day before, exactly 12 months, a day more; a day before R, and R's own day (not prior).
    [("2024-03-04", True), ("2024-03-03", True), ("2024-03-02", False), ("2025-03-02", True), ("2025-03-03", False)],
)
def test_an_agency_is_involved_through_a_siblings_referral_within_12_months(day: str, involved: bool) -> None:
    [row] = multi_agency_checks(batches([_sibling_referred(day).graph], [["C"]], None), *MARCH).rows
    assert [(a.agency_id, a.bases) for a in row.involved_agencies] == ([(HEA, ("prior_referral",))] if involved else [])


# --- audit 6 ---------------------------------------------------------------------------------------


def test_consent_feedback_and_threshold_flags_each_over_its_own_denominator() -> None:
    b = _child()
    b.referral("EH", "C", received_on="2025-03-03", outcome="early_help", consent="not_given", referrer_agency_id=POL,
               feedback_sent_on="2025-03-08", threshold_stated="child_in_need")  # fmt: skip
    b.referral("S47", "C", received_on="2025-03-10", outcome="section_47", consent="overridden",
               referrer_agency_id=HEA, feedback_sent_on="2025-03-16", threshold_stated="child_protection")  # fmt: skip
    b.referral("OLD", "C", received_on="2025-03-20", outcome="nfa", referrer_agency_id=HEA)
    result = consent_feedback_thresholds(batches([b.graph], [["C"]], None), *MARCH)
    rows = {r.referral_id: r for r in result.rows}
    assert rows["EH"].early_help_without_consent is True and rows["S47"].early_help_without_consent is None
    assert (rows["EH"].days_to_feedback, rows["EH"].no_feedback) == (5, False)  # on the fifth day: in time
    assert rows["S47"].no_feedback is True and rows["S47"].threshold_agrees is True
    assert (rows["EH"].threshold_decided, rows["EH"].threshold_agrees) == ("early_help", False)
    assert rows["OLD"].no_feedback is None and rows["OLD"].no_threshold_stated is None  # not supplied
    s = result.summary
    assert s["consent_not_recorded"]["overall"] == {"n": 1, "of": 3, "percent": 33.3}
    assert s["early_help_without_consent"]["overall"] == {"n": 1, "of": 1, "percent": 100.0}
    assert s["no_feedback"]["overall"] == {"n": 1, "of": 2, "percent": 50.0}
    assert s["consent_overridden"]["overall"] == {"n": 1, "of": 2, "percent": 50.0}
    assert s["threshold_agreement"]["by_referrer_agency_kind"]["health"] == {"n": 1, "of": 1, "percent": 100.0}
    assert s["not_supplied"] == {"feedback_sent_on": 1, "threshold_stated": 1}
    messages = " ".join(CONSENT.key_messages(result))
    assert "Feedback dates not supplied for 1 of 3 items" in messages


def test_an_empty_supplied_feedback_counts_as_no_feedback_and_none_as_no_threshold() -> None:
    b = _child()
    b.referral("R", "C", received_on="2025-03-03", outcome="other", feedback_sent_on=None, threshold_stated="none")
    [row] = consent_feedback_thresholds(batches([b.graph], [["C"]], None), *MARCH).rows
    assert (row.no_feedback, row.no_threshold_stated, row.threshold_decided, row.threshold_agrees) == (
        True, True, None, None,
    )  # fmt: skip


def test_checks_key_messages_say_when_no_checks_are_recorded() -> None:
    result = multi_agency_checks(batches([_checked().graph], [["C"]], None), *MARCH)
    assert "No checks are recorded for the period" in " ".join(CHECKS.key_messages(result))
    assert SC  # the home agency of the shared builder


def test_a_missing_rag_or_referrer_kind_is_grouped_as_unknown() -> None:
    b = _child()
    b.referral("R", "C", kind="contact", received_on="2025-03-03", received_at="2025-03-03T09:00",
               decided_at="2025-03-03T10:00", consent="given")  # fmt: skip
    timeliness = decision_timeliness(batches([b.graph], [["C"]], None), *MARCH).summary
    assert timeliness["within_24_hours"]["by_rag"] == {"unknown": {"n": 1, "of": 1, "percent": 100.0}}
    assert timeliness["within_24_hours"]["by_referrer_agency_kind"] == {"unknown": {"n": 1, "of": 1, "percent": 100.0}}
    consent = consent_feedback_thresholds(batches([b.graph], [["C"]], None), *MARCH).summary
    assert consent["consent_not_recorded"]["by_referrer_agency_kind"] == {"unknown": {"n": 0, "of": 1, "percent": 0.0}}
