"""Audit 1: sibling coverage."""

from __future__ import annotations

from families import HEA, POL, D, batches, blended
from familynet.analyses import CoveredSibling, audit_named, coverage_rows, sibling_coverage
from familynet.model.network import FamilyGraphBuilder

COVERAGE = audit_named("siblings").defaults()

START, END = D(2024, 1, 1), D(2024, 12, 31)


def _family() -> FamilyGraphBuilder:
    """C1's referral of 1 March 2024 is followed by her assessment 60 days later."""
    b = blended()
    b.referral("R1", "C1", received_on="2024-03-01", referrer_agency_id=POL, concerns="3A")
    b.assessment("A1", "C1", referral_id="R1", started_on="2024-04-30")
    return b


def test_a_sibling_assessed_30_days_before_to_60_days_after_is_covered() -> None:
    b = _family()
    b.assessment("A2", "C2", started_on="2024-01-31")  # received - 30 days
    b.assessment("A3", "SC1", started_on="2024-01-30")  # received - 31 days
    [row] = coverage_rows(b.graph, "C1", START, END, **COVERAGE)
    assert (row.referral_id, row.child_id, row.received_on, row.referring_agency_kind) == (
        "R1",
        "C1",
        D(2024, 3, 1),
        "police",
    )
    assert row.siblings == (
        CoveredSibling("C2", "derived", "half", True, True),
        CoveredSibling("SC1", "derived", "step", False, False),
    )


def test_the_child_must_be_assessed_within_60_days_of_the_referral() -> None:
    b = blended()
    b.referral("R1", "C1", received_on="2024-03-01", referrer_agency_id=POL)
    b.assessment("A1", "C1", started_on="2024-05-01")  # 61 days
    b.assessment("A0", "C1", started_on="2024-02-29")  # the day before
    assert coverage_rows(b.graph, "C1", START, END, **COVERAGE) == ()


def test_contacts_are_not_in_the_cohort() -> None:
    b = blended()
    b.referral("K1", "C1", kind="contact", received_on="2024-03-01", referrer_agency_id=POL)
    b.assessment("A1", "C1", started_on="2024-03-02")
    assert coverage_rows(b.graph, "C1", START, END, **COVERAGE) == ()


def test_a_referral_received_after_the_child_turned_18_is_out_of_scope() -> None:
    b = blended()
    b.person("C1", sex="female", date_of_birth="2006-03-01")
    b.referral("R1", "C1", received_on="2024-03-01", referrer_agency_id=POL)
    b.assessment("A1", "C1", started_on="2024-03-02")
    assert coverage_rows(b.graph, "C1", START, END, **COVERAGE) == ()
    b.referral("R0", "C1", received_on="2024-02-29", referrer_agency_id=POL)
    assert [r.referral_id for r in coverage_rows(b.graph, "C1", START, END, **COVERAGE)] == ["R0"]


def test_siblings_referred_on_the_same_day_cover_each_other() -> None:
    b = blended()
    for child, referral, assessment in (("C1", "R1", "A1"), ("C2", "R2", "A2")):
        b.referral(referral, child, received_on="2024-03-01", referrer_agency_id=HEA, concerns="3A")
        b.assessment(assessment, child, referral_id=referral, started_on="2024-03-10")
    result = sibling_coverage(batches([b.graph], [["C1", "C2"]], None), START, END)
    assert [r.referral_id for r in result.rows] == ["R1", "R2"]
    assert [(s.person_id, s.covered) for s in result.rows[1].siblings] == [("C1", True), ("C3", False), ("SC1", False)]
    assert result.summary["referrals"] == 2
    assert result.summary["referrals_with_uncovered_sibling"] == 2
    assert result.summary["siblings"] == 5
    assert result.summary["siblings_covered"] == 2
    assert result.summary["coverage_percent"] == 40.0


def test_the_summary_splits_by_referring_agency_kind_and_by_month() -> None:
    b = _family()
    b.assessment("A2", "C2", started_on="2024-03-05")
    b.referral("R2", "C2", received_on="2024-05-02", referrer_agency_id=HEA)
    b.assessment("A3", "C2", started_on="2024-05-03")
    result = sibling_coverage(batches([b.graph], [["C1", "C2"]], 1), START, END)
    by_kind = result.summary["by_referring_agency_kind"]
    assert by_kind["police"] == {
        "referrals": 1,
        "referrals_with_uncovered_sibling": 1,
        "siblings": 2,
        "siblings_covered": 1,
        "coverage_percent": 50.0,
        "siblings_neither_covered_nor_considered": 1,
        "considerations_not_supplied": 0,
    }
    assert by_kind["health"]["siblings"] == 3  # C1, C3 and SC1
    assert by_kind["health"]["siblings_covered"] == 1  # C1 assessed on 30 April
    assert sorted(result.summary["by_month"]) == ["2024-03", "2024-05"]
    assert result.parameters == {
        "assessment_days": 60,
        "lookback_days": 30,
        "considered_before_days": 30,
        "considered_after_days": 60,
        "adult_age": 18,
        "infant_age": 1,
    }


def test_a_referral_before_the_period_is_not_in_the_cohort_but_an_empty_summary_is_well_formed() -> None:
    result = sibling_coverage(batches([_family().graph], [["C1"]], None), D(2024, 3, 2), END)
    assert result.rows == ()
    assert result.summary["coverage_percent"] is None
    assert result.summary["by_month"] == {}


def test_a_sibling_turning_18_inside_the_coverage_window_is_judged_on_the_received_date() -> None:
    b = _family()
    b.person("C2", sex="male", date_of_birth="2006-03-15")  # 18 two weeks after the referral
    b.assessment("A2", "C2", started_on="2024-04-01")
    [row] = coverage_rows(b.graph, "C1", START, END, **COVERAGE)
    assert CoveredSibling("C2", "derived", "half", True, True) in row.siblings
