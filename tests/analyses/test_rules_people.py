"""People on a date: date of birth used, unborn, child, alive, active."""

from __future__ import annotations

from contextlib import nullcontext

import pytest

from families import SC, D, builder, live
from familynet.analyses import (
    date_of_birth_used,
    is_active,
    is_adult,
    is_child,
    is_in_scope,
    is_infant,
    is_unborn,
    referrals_about,
)
from familynet.analyses.memo import remembering
from familynet.errors import NotFoundError


def test_partial_dates_of_birth_are_read_as_the_last_day_of_their_period() -> None:
    b = builder()
    b.person("Y", date_of_birth="2006")
    b.person("YM", date_of_birth="2006-02")
    assert date_of_birth_used(b.graph, "Y", D(2024, 6, 1)) == D(2006, 12, 31)
    assert date_of_birth_used(b.graph, "YM", D(2024, 6, 1)) == D(2006, 2, 28)
    # Born some time in 2006: still possibly 17 until the last day of 2024.
    assert is_child(b.graph, "Y", D(2024, 12, 30))
    assert not is_child(b.graph, "Y", D(2024, 12, 31))


def test_a_year_only_date_of_birth_in_the_current_year_reads_as_unborn() -> None:
    b = builder()
    b.person("B", date_of_birth="2024")
    assert is_unborn(b.graph, "B", D(2024, 6, 1))
    assert not is_child(b.graph, "B", D(2024, 6, 1))
    assert is_in_scope(b.graph, "B", D(2024, 6, 1))


def test_expected_date_of_birth_stands_in_only_once_it_has_passed() -> None:
    b = builder()
    b.person("U", expected_date_of_birth="2024-03-01")
    assert date_of_birth_used(b.graph, "U", D(2024, 2, 29)) is None
    assert is_unborn(b.graph, "U", D(2024, 2, 29))
    assert date_of_birth_used(b.graph, "U", D(2024, 3, 1)) == D(2024, 3, 1)
    assert not is_unborn(b.graph, "U", D(2024, 3, 1))
    assert is_child(b.graph, "U", D(2024, 3, 1))
    assert is_infant(b.graph, "U", D(2024, 3, 1))


def test_a_pre_birth_referral_stays_in_scope_after_the_birth_is_recorded() -> None:
    b = builder()
    b.person("U", expected_date_of_birth="2024-03-01", date_of_birth="2024-02-20")
    # Received before the recorded birth: the child was unborn then.
    assert is_unborn(b.graph, "U", D(2024, 2, 1))
    assert is_in_scope(b.graph, "U", D(2024, 2, 1))
    assert is_child(b.graph, "U", D(2024, 2, 20))


def test_a_child_turns_18_on_their_birthday() -> None:
    b = builder()
    b.person("T", date_of_birth="2006-03-10")
    assert is_child(b.graph, "T", D(2024, 3, 9))
    assert not is_child(b.graph, "T", D(2024, 3, 10))
    assert is_adult(b.graph, "T", D(2024, 3, 10))
    assert not is_in_scope(b.graph, "T", D(2024, 3, 10))


def test_a_29_february_birthday_falls_on_1_march() -> None:
    b = builder()
    b.person("L", date_of_birth="2008-02-29")
    assert is_child(b.graph, "L", D(2026, 2, 28))
    assert not is_child(b.graph, "L", D(2026, 3, 1))


def test_a_person_who_died_is_never_a_child_nor_in_scope() -> None:
    b = builder()
    b.person("X", date_of_birth="2015-01-01", date_of_death="2024-05-01")
    assert is_child(b.graph, "X", D(2024, 4, 30))
    assert not is_child(b.graph, "X", D(2024, 5, 1))
    assert not is_in_scope(b.graph, "X", D(2024, 5, 1))
    assert not is_adult(b.graph, "X", D(2024, 5, 1))


def test_with_neither_date_a_child_role_in_an_active_membership_makes_a_child() -> None:
    b = builder()
    b.person("N")
    b.person("Z")
    live(b, "H1", "N", role="child", by="POL")
    b.membership("Z", "H1", role="child", recorded_by=SC, end_date="2023-12-31")
    assert is_child(b.graph, "N", D(2024, 1, 1))
    assert not is_child(b.graph, "Z", D(2024, 1, 1))
    assert is_adult(b.graph, "Z", D(2024, 1, 1))


@pytest.mark.parametrize(
    ("start", "end", "active"),
    [
        (None, None, True),
        (D(2024, 1, 1), None, True),
        (D(2024, 1, 2), None, False),
        (None, D(2024, 1, 1), True),
        (None, D(2023, 12, 31), False),
    ],
)
def test_active_means_started_on_or_before_and_not_ended_before(start: D | None, end: D | None, active: bool) -> None:
    assert is_active({"start_date": start, "end_date": end}, D(2024, 1, 1)) is active


def test_an_unknown_person_is_not_found_without_personal_data() -> None:
    with pytest.raises(NotFoundError, match="person P9 is not in the graph"):
        is_child(builder().graph, "P9", D(2024, 1, 1))


def test_a_persons_referrals_in_a_window_are_those_received_on_its_days_whether_remembered_or_not() -> None:
    # Several on the first and last days, one either side, ids against date order, two kinds.
    b = builder()
    b.person("C", date_of_birth="2015-01-01")
    days = ("2024-01-31", "2024-02-01", "2024-02-01", "2024-03-15", "2024-03-31", "2024-03-31", "2024-04-01")
    for n, day in enumerate(days):
        b.referral(f"R{9 - n}", "C", kind=("contact", "referral")[n % 2], received_on=day)
    first, last = D(2024, 2, 1), D(2024, 3, 31)
    everything = referrals_about(b.graph, "C")
    assert [(r.received_on.isoformat(), r.referral_id) for r in everything][:3] == [
        ("2024-01-31", "R9"), ("2024-02-01", "R7"), ("2024-02-01", "R8")
    ]  # fmt: skip
    within = [r for r in everything if first <= r.received_on <= last]
    for remembered in (False, True):
        with remembering(b.graph) if remembered else nullcontext():
            assert list(referrals_about(b.graph, "C", received=(first, last))) == within
            assert list(referrals_about(b.graph, "C", "contact", received=(first, last))) == [
                r for r in within if r.kind == "contact"
            ]
            assert referrals_about(b.graph, "C", received=(last, first)) == ()
            assert referrals_about(b.graph, "C", received=(D(2024, 3, 31), D(2024, 3, 31))) == tuple(within[-2:])
