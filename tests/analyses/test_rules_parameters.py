"""Every rule refuses a parameter outside its range, whoever calls it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from families import D, builder
from familynet.analyses import (
    ParameterError,
    escalations,
    household_context,
    linked_adults,
    missing_members,
    repeat_referrals,
    sibling_coverage,
)

START, END = D(2024, 1, 1), D(2024, 12, 31)

AUDITS: dict[str, Callable[..., Any]] = {
    "sibling_coverage": lambda **p: sibling_coverage([], START, END, **p),
    "repeat_referrals": lambda **p: repeat_referrals([], START, END, **p),
    "escalations": lambda **p: escalations([], START, END, **p),
    "missing_members": lambda **p: missing_members([], START, END, **p),
    "linked_adults": lambda **p: linked_adults(builder().graph, END, **p),
}


@pytest.mark.parametrize(
    ("audit", "parameters", "message"),
    [
        ("sibling_coverage", {"assessment_days": 999_999_999}, "assessment_days must be between 0 and 36600"),
        ("sibling_coverage", {"lookback_days": -1}, "lookback_days must be between 0 and 36600"),
        ("sibling_coverage", {"adult_age": 0}, "adult_age must be between 1 and 150"),
        ("repeat_referrals", {"months": -5}, "months must be between 1 and 1200"),
        ("repeat_referrals", {"short_months": 6, "medium_months": 3}, "the interval marks must be in order"),
        ("repeat_referrals", {"medium_months": 13}, "the interval marks must be in order"),
        ("repeat_referrals", {"escalated_outcomes": ["closed"]}, "not referral outcomes: closed"),
        ("escalations", {"window_days": 2_000_000_000}, "window_days must be between 1 and 36600"),
        ("escalations", {"min_contacts": 0}, "min_contacts must be between 1 and 1000000"),
        ("escalations", {"escalated_outcomes": ["nfa", "s47"]}, "not referral outcomes: s47"),
        ("missing_members", {"infant_age": -1}, "infant_age must be between 0 and 150"),
        ("linked_adults", {"min_households": 0}, "min_households must be between 1 and 1000000"),
    ],
)
def test_an_audit_refuses_a_parameter_out_of_range(audit: str, parameters: dict[str, Any], message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        AUDITS[audit](**parameters)


def test_the_defaults_and_the_range_ends_are_accepted() -> None:
    assert sibling_coverage([], START, END, assessment_days=0, lookback_days=36_600).rows == ()
    assert repeat_referrals([], START, END, months=12, short_months=12, medium_months=12).rows == ()
    assert escalations([], START, END, window_days=1, escalated_outcomes=[]).escalations == ()


def test_household_context_refuses_a_flag_window_out_of_range() -> None:
    b = builder()
    b.person("C", date_of_birth="2016-03-01")
    with pytest.raises(ParameterError, match="flag_months must be between 0 and 1200"):
        household_context(b.graph, "C", D(2024, 1, 1), flag_months=99_999_999)
    assert household_context(b.graph, "C", D(2024, 1, 1), flag_months=0).child_id == "C"
