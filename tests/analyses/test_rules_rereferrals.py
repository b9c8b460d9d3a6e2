"""Audit 2: repeat referrals and escalation."""

from __future__ import annotations

import pytest

from families import HEA, POL, D, batches, blended, builder
from familynet.analyses import audit_named, escalation, referral_histories, repeat_referrals
from familynet.analyses.rereferrals import history_parameters
from familynet.model.network import FamilyGraphBuilder

HISTORY = history_parameters(audit_named("repeat-referrals").defaults())
ESCALATION = audit_named("escalations").defaults()

START, END = D(2024, 1, 1), D(2025, 12, 31)


def _child(*referrals: tuple[str, str, str, str | None]) -> FamilyGraphBuilder:
    """Child C and their (id, kind, received, outcome) contacts and referrals, all about concern 3A."""
    b = builder()
    b.person("C", date_of_birth="2012-01-01")
    for ident, kind, received, outcome in referrals:
        b.referral(ident, "C", kind=kind, received_on=received, referrer_agency_id=POL, concerns="3A", outcome=outcome)
    return b


def _previous(b: FamilyGraphBuilder, referral_id: str) -> str | None:
    found = {h.referral_id: h for h in referral_histories(b.graph, "C", START, END, **HISTORY)}
    return found[referral_id].previous_referral_id


@pytest.mark.parametrize(
    ("earlier", "later", "rereferral"),
    [
        ("2023-03-15", "2024-03-15", True),  # exactly 12 months
        ("2023-03-14", "2024-03-15", False),  # a day too late
        ("2023-02-28", "2024-02-29", True),  # leap day: the window opens on 28 February
        ("2023-02-27", "2024-02-29", False),
        ("2024-03-15", "2024-03-15", False),  # the same day is not earlier
    ],
)
def test_a_re_referral_has_an_earlier_referral_within_12_calendar_months(
    earlier: str, later: str, rereferral: bool
) -> None:
    b = _child(("R1", "referral", earlier, "nfa"), ("R2", "referral", later, None))
    assert (_previous(b, "R2") == "R1") is rereferral


def test_a_re_referral_after_nfa_reports_the_previous_outcome() -> None:
    b = _child(("R1", "referral", "2023-11-20", "nfa"), ("R2", "referral", "2024-01-10", None))
    [row] = referral_histories(b.graph, "C", START, END, **HISTORY)
    assert row.rereferral
    assert (row.previous_referral_id, row.days_since_previous, row.interval) == ("R1", 51, "0-3m")
    assert (row.same_concern, row.shared_categories, row.previous_outcome) == (True, (3,), "nfa")
    result = repeat_referrals(batches([b.graph], [["C"]], None), START, END)
    assert result.summary["previous_outcomes"] == {"nfa": 1}
    assert result.summary["rereferral_rate_percent"] == 100.0


def test_an_earlier_contact_does_not_make_a_re_referral() -> None:
    b = _child(("K1", "contact", "2024-01-05", None), ("R2", "referral", "2024-02-01", None))
    assert _previous(b, "R2") is None
    assert repeat_referrals(batches([b.graph], [["C"]], None), START, END).rows == ()


@pytest.mark.parametrize(
    ("previous", "band"),
    [
        ("2025-02-28", "0-3m"),  # R on 31 May 2025: the 3-month mark is 28 February
        ("2025-02-27", "3-6m"),
        ("2024-11-30", "3-6m"),  # the 6-month mark
        ("2024-11-29", "6-12m"),
    ],
)
def test_intervals_use_calendar_month_marks(previous: str, band: str) -> None:
    b = _child(("R1", "referral", previous, None), ("R2", "referral", "2025-05-31", None))
    [row] = referral_histories(b.graph, "C", D(2025, 5, 1), END, **HISTORY)
    assert row.interval == band


def test_previous_is_the_most_recent_and_ties_go_to_the_greatest_referral_id() -> None:
    b = _child(
        ("R10", "referral", "2024-01-02", None),
        ("R09", "referral", "2024-01-02", None),
        ("R01", "referral", "2023-12-01", None),
        ("R20", "referral", "2024-02-01", None),
    )
    assert _previous(b, "R20") == "R10"


def test_earlier_referrals_before_the_period_count_but_are_not_in_the_cohort() -> None:
    b = _child(("R1", "referral", "2023-12-31", None), ("R2", "referral", "2024-01-01", None))
    assert [h.referral_id for h in referral_histories(b.graph, "C", START, END, **HISTORY)] == ["R2"]
    assert _previous(b, "R2") == "R1"


def test_different_concerns_share_no_category() -> None:
    b = _child(("R1", "referral", "2023-12-01", None))
    b.referral("R2", "C", received_on="2024-01-10", concerns=("18C", "21"))
    [row] = referral_histories(b.graph, "C", START, END, **HISTORY)
    assert row.rereferral and not row.same_concern and row.shared_categories == ()


def test_household_prior_finds_a_siblings_earlier_referral_for_the_same_concern() -> None:
    b = blended()
    b.referral("S1", "C2", received_on="2023-06-01", concerns="3B")
    b.referral("S2", "C2", received_on="2023-07-01", concerns="18A")
    b.referral("S3", "C2", received_on="2024-03-01", concerns="3A")  # same day: not before
    b.referral("R1", "C1", received_on="2024-03-01", concerns="3A", referrer_agency_id=HEA)
    result = repeat_referrals(batches([b.graph], [["C1", "C2"]], 7), START, END)
    row = next(r for r in result.rows if r.referral_id == "R1")
    assert (row.rereferral, row.previous_referral_id, row.household_prior) == (False, None, ("S1",))
    assert result.summary["with_household_prior"] == 1
    # C2's referral of the same day is a re-referral of hers in July 2023, and sees none of C1's.
    s3 = next(r for r in result.rows if r.referral_id == "S3")
    assert (s3.previous_referral_id, s3.same_concern, s3.household_prior) == ("S2", False, ())
    assert result.summary["rereferrals"] == 1
    assert result.summary["referrals"] == 2


def test_escalation_counts_three_in_42_days_ending_on_one_in_the_period() -> None:
    b = _child(
        ("K1", "contact", "2023-12-01", None),
        ("K2", "contact", "2023-12-20", None),
        ("R3", "referral", "2024-01-11", "nfa"),  # 1 December + 41 days
    )
    found = escalation(b.graph, "C", START, END, **ESCALATION)
    assert found is not None
    assert (found.window_start, found.window_end, found.count, found.referral_ids) == (
        D(2023, 12, 1),
        D(2024, 1, 11),
        3,
        ("K1", "K2", "R3"),
    )
    too_late = _child(
        ("K1", "contact", "2023-12-01", None),
        ("K2", "contact", "2023-12-20", None),
        ("R3", "referral", "2024-01-12", None),
    )
    assert escalation(too_late.graph, "C", START, END, **ESCALATION) is None


def test_escalation_on_the_periods_first_day_counts_contacts_from_41_days_before_it() -> None:
    # Only the history a window ending in the period can hold is read: its first day's reaches back 41 days.
    b = _child(
        ("K0", "contact", "2023-11-20", None),
        ("K1", "contact", "2023-11-21", None),  # 1 January 2024 - 41 days
        ("K2", "contact", "2023-12-15", None),
        ("R3", "referral", "2024-01-01", "nfa"),
    )
    found = escalation(b.graph, "C", START, END, **ESCALATION)
    assert found is not None
    assert (found.window_start, found.window_end, found.referral_ids) == (
        D(2023, 11, 21),
        D(2024, 1, 1),
        ("K1", "K2", "R3"),
    )


def test_escalation_is_not_reported_when_a_strategy_discussion_or_section_47_followed() -> None:
    b = _child(
        ("K1", "contact", "2024-02-01", None),
        ("K2", "contact", "2024-02-02", "section_47"),
        ("K3", "contact", "2024-02-03", None),
    )
    assert escalation(b.graph, "C", START, END, **ESCALATION) is None


def test_escalation_reports_the_busiest_window_and_the_earliest_on_a_tie() -> None:
    b = _child(
        ("A1", "contact", "2024-01-01", None),
        ("A2", "contact", "2024-01-02", None),
        ("A3", "contact", "2024-01-03", None),
        ("B1", "contact", "2024-06-01", None),
        ("B2", "contact", "2024-06-02", None),
        ("B3", "contact", "2024-06-03", None),
    )
    found = escalation(b.graph, "C", START, END, **ESCALATION)
    assert found is not None and found.window_end == D(2024, 1, 3)
    b.referral("B4", "C", kind="contact", received_on="2024-06-04")
    found = escalation(b.graph, "C", START, END, **ESCALATION)
    assert found is not None and found.referral_ids == ("B1", "B2", "B3", "B4")
    result = repeat_referrals(batches([b.graph], [["C"]], None), START, END)
    assert [e.child_id for e in result.escalations] == ["C"]
    assert result.summary["escalations"] == 1


def test_escalation_needs_a_window_ending_inside_the_period() -> None:
    b = _child(
        ("K1", "contact", "2023-12-01", None),
        ("K2", "contact", "2023-12-02", None),
        ("K3", "contact", "2023-12-03", None),
    )
    assert escalation(b.graph, "C", START, END, **ESCALATION) is None


def test_a_child_turning_18_inside_the_period_leaves_the_cohort_on_their_birthday() -> None:
    b = _child(
        ("R1", "referral", "2024-01-10", None),
        ("R2", "referral", "2024-05-31", None),
        ("R3", "referral", "2024-06-01", None),
        ("K4", "contact", "2024-06-02", None),
    )
    b.person("C", date_of_birth="2006-06-01")
    assert [
        (h.referral_id, h.previous_referral_id) for h in referral_histories(b.graph, "C", START, END, **HISTORY)
    ] == [
        ("R1", None),
        ("R2", "R1"),
    ]
    # R3 and K4, after the birthday, are out of scope: the window ending 31 May holds two.
    b.referral("K0", "C", kind="contact", received_on="2024-05-30")
    assert escalation(b.graph, "C", START, END, **ESCALATION) is None
    b.person("C", date_of_birth="2006-06-03")
    found = escalation(b.graph, "C", START, END, **ESCALATION)
    assert found is not None and found.referral_ids == ("K0", "R2", "R3", "K4")
