"""Issue 14's changes to audits 1, 2 and 3 and the household context, on small hand-built graphs."""

from __future__ import annotations

import pytest

from families import POL, SC, D, batches, blended, builder, live, parent
from familynet.analyses import household_context, repeat_referrals, sibling_coverage
from familynet.analyses.coverage import coverage_messages
from familynet.analyses.missing import AUDIT as MISSING
from familynet.analyses.missing import findings_on
from familynet.analyses.rereferrals import repeat_messages
from familynet.model.network import FamilyGraphBuilder

START, END = D(2024, 1, 1), D(2024, 12, 31)


# --- audit 1: considered ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "considered"),
    [("2024-01-31", False), ("2024-02-01", True), ("2024-04-01", True), ("2024-05-01", True), ("2024-05-02", False)],
)
def test_a_consideration_counts_on_the_windows_edges_and_not_a_day_beyond(day: str, considered: bool) -> None:
    b = blended()
    b.referral("R1", "C1", received_on="2024-03-02", referrer_agency_id=POL)
    b.assessment("A1", "C1", started_on="2024-03-05")
    b.referral("RX", "C3", received_on="2024-01-01")  # the consideration may be on any referral
    b.consideration("RX", "C2", considered_on=day, outcome="nfa")
    result = sibling_coverage(batches([b.graph], [["C1"]], None), START, END)
    [row] = result.rows
    by_id = {s.person_id: s for s in row.siblings}
    assert (by_id["C2"].covered, by_id["C2"].considered) == (False, considered)
    neither = result.summary["siblings_neither_covered_nor_considered"]
    assert neither == (1 if considered else 2)  # SC1 is neither, and C2 unless considered
    assert result.summary["by_month"]["2024-03"]["siblings_neither_covered_nor_considered"] == neither


def test_considerations_not_supplied_with_the_referral_are_not_read_as_none_made() -> None:
    # Loaded without considerations.csv: a sibling found considered is considered; one not found is
    # not known, so not counted in the gap but counted as not supplied, and the key messages say so.
    b = blended()
    b.referral("R1", "C1", received_on="2024-03-02", referrer_agency_id=POL, supplied=())
    b.assessment("A1", "C1", started_on="2024-03-05")
    b.referral("RX", "C3", received_on="2024-03-01")
    b.consideration("RX", "C2", considered_on="2024-03-01", outcome="nfa")
    result = sibling_coverage(batches([b.graph], [["C1"]], None), START, END)
    [row] = result.rows
    assert {s.person_id: s.considered for s in row.siblings} == {"C2": True, "SC1": None}
    assert result.summary["siblings_neither_covered_nor_considered"] == 0
    assert result.summary["considerations_not_supplied"] == 1
    assert result.summary["by_month"]["2024-03"]["considerations_not_supplied"] == 1
    assert (
        "Considerations not supplied for 1 of 2 siblings: they are not counted as neither assessed nor "
        "considered." in coverage_messages(result)
    )
    assert any(":considerations_not_supplied" in s for s in row.cells()[-1])


# --- audit 2: kinds, previous assessment, previous plans ------------------------------------------------


def _referred_twice() -> FamilyGraphBuilder:
    b = builder()
    b.person("C", date_of_birth="2015-01-01")
    b.referral("R0", "C", received_on="2023-09-01", concerns="3A", outcome="nfa")
    b.referral("R1", "C", received_on="2024-06-01", concerns="3B;18C;21")
    return b


def test_a_plan_starting_on_rs_date_is_not_previous_and_one_the_day_before_is() -> None:
    b = _referred_twice()
    b.plan("P1", "C", "child_protection", start_date="2024-06-01")
    b.plan("P2", "C", "looked_after", start_date="2010-01-01")
    b.plan("P3", "C", "child_in_need", start_date="2016-05-31", end_date="2017-01-01")  # ever: no time limit
    result = repeat_referrals(batches([b.graph], [["C"]], None), START, END)
    [row] = result.rows
    assert row.previous_plans == ("child_in_need",)
    assert result.summary["with_previous_plan"] == {"n": 1, "of": 1, "percent": 100.0}
    assert result.summary["rereferrals_by_category"] == {"3": 1, "18": 1}  # 21 has none


def test_plans_not_supplied_with_the_re_referral_leave_it_out_of_the_share() -> None:
    b = _referred_twice()
    b.plan("P3", "C", "child_in_need", start_date="2016-05-31")
    supplied = ("received_at", "decided_at", "feedback_sent_on", "threshold_stated", "checks", "considerations")
    b.referral("R2", "C", received_on="2024-07-01", concerns="3B", supplied=supplied)
    result = repeat_referrals(batches([b.graph], [["C"]], None), START, END)
    known, unknown = result.rows
    assert (known.plans_supplied, known.previous_plans) == (True, ("child_in_need",))
    # A plan found is still shown; the share counts only the re-referrals whose plans were supplied.
    assert (unknown.plans_supplied, unknown.previous_plans) == (False, ("child_in_need",))
    assert result.summary["with_previous_plan"] == {"n": 1, "of": 1, "percent": 100.0}
    assert result.summary["not_supplied"] == {"plans": 1}
    assert (
        "Plans not supplied for 1 of 2 re-referrals: they are not counted in the share with a previous plan."
        in repeat_messages(result)
    )


def test_the_previous_assessment_is_the_latest_completed_in_the_12_months_before_r_ties_by_greatest_id() -> None:
    b = _referred_twice()
    b.assessment("A1", "C", started_on="2023-05-01", completed_on="2023-06-01")  # on R − 12 months
    b.assessment("A3", "C", started_on="2023-09-02", completed_on="2023-10-01")
    b.assessment("A2", "C", started_on="2023-09-02", completed_on="2023-10-01")
    b.assessment("A4", "C", started_on="2024-05-01", completed_on="2024-06-01")  # on R's date: not before it
    [row] = repeat_referrals(batches([b.graph], [["C"]], None), START, END).rows
    assert row.previous_assessment == "A3"
    b2 = _referred_twice()
    b2.assessment("A1", "C", started_on="2023-05-01", completed_on="2023-06-01")
    [row] = repeat_referrals(batches([b2.graph], [["C"]], None), START, END).rows
    assert row.previous_assessment == "A1"


def test_repeat_contacts_count_across_kinds_only_when_asked() -> None:
    b = builder()
    b.person("C", date_of_birth="2015-01-01")
    for n, day in enumerate(("2024-02-01", "2024-03-01", "2024-04-01")):
        b.referral(f"K{n}", "C", kind="contact", received_on=day, concerns="3A")
    default = repeat_referrals(batches([b.graph], [["C"]], None), START, END)
    assert default.summary["referrals"] == 0 and default.rows == ()
    both = repeat_referrals(batches([b.graph], [["C"]], None), START, END, kinds=("contact", "referral"))
    assert [(r.referral_id, r.previous_referral_id) for r in both.rows] == [("K1", "K0"), ("K2", "K1")]
    assert both.parameters["kinds"] == ("contact", "referral")


# --- audit 3: the men at home as evidence for father_not_recorded ---------------------------------------


def test_father_not_recorded_lists_the_men_of_the_childs_recorded_households() -> None:
    b = builder()
    b.person("M", sex="female", date_of_birth="1990")
    b.person("C", date_of_birth="2016-01-01")
    parent(b, "M", "C")
    for ident, born, died in (
        ("X", "1980", None),
        ("U", None, None),
        ("B", "2008-01-01", None),
        ("D", "1970", "2023-01-01"),
    ):
        b.person(ident, sex="male", date_of_birth=born, date_of_death=died)
    live(b, "H", "M", "C", "X", "U", "B", "D", role="other")
    b.membership("X", "H2", role="lodger", recorded_by=POL)  # not the record: not a role shown
    [finding] = [
        f for f in findings_on(b.graph, "C", D(2024, 1, 1), **MISSING.defaults()) if f.kind == "father_not_recorded"
    ]
    assert [(e.parent_id, e.person_id, e.roles, e.age) for e in finding.evidence] == [
        ("M", None, (), None),
        (None, "U", ("H:other",), "unknown"),
        (None, "X", ("H:other",), "43"),
    ]
    assert set(finding.person_ids()) == {"C", "M", "U", "X"}


# --- household context: alleged_perpetrator_in_household -------------------------------------------------


def _allegation(membership_end: str | None) -> FamilyGraphBuilder:
    b = builder()
    b.person("M", sex="female", date_of_birth="1990")
    b.person("C", date_of_birth="2016-01-01")
    b.person("S", date_of_birth="2018-01-01")
    b.person("X", sex="male", date_of_birth="1980")
    b.person("O", date_of_birth="2012-01-01")
    parent(b, "M", "C")
    parent(b, "M", "S")
    live(b, "H", "M", "C", "S")
    b.membership("X", "H", role="partner_of_parent", recorded_by=SC, start_date="2024-01-01", end_date=membership_end)
    b.referral("RO", "O", received_on="2023-09-01", referrer_agency_id=POL)  # another family's child
    b.mention("RO", "X", role="alleged_perpetrator")
    b.referral("RS", "S", received_on="2024-02-01", referrer_agency_id=POL)
    b.mention("RS", "X", role="alleged_perpetrator")
    b.referral("OLD", "C", received_on="2023-05-31", referrer_agency_id=POL)  # before d − 12 months
    b.mention("OLD", "X", role="alleged_perpetrator")
    return b


def _flags(b: FamilyGraphBuilder) -> list[tuple[str | None, list[str]]]:
    context = household_context(b.graph, "C", D(2024, 6, 1))
    return [(f.person_id, [str(e) for e in f.evidence]) for f in context.flags if f.kind.startswith("alleged")]


def test_an_alleged_perpetrator_named_about_another_familys_child_who_has_moved_in_is_flagged() -> None:
    assert _flags(_allegation(None)) == [
        ("X", ["referral=RO about=other_child agency=POL", "referral=RS about=sibling agency=POL",
               "agency=SC household=H"]),
    ]  # fmt: skip


def test_an_alleged_perpetrator_whose_membership_ended_the_day_before_is_not_flagged() -> None:
    assert _flags(_allegation("2024-05-31")) == []


def test_an_alleged_perpetrator_who_is_the_partner_of_a_parent_is_flagged_with_the_relationship() -> None:
    b = _allegation("2024-05-31")
    b.relationship("M", "X", "partner_of", subtype="dating", recorded_by=SC)
    [(person, evidence)] = _flags(b)
    assert person == "X" and evidence[-1] == "agency=SC parent=M relationship=partner_of:dating"


# --- conventions -----------------------------------------------------------------------------------


def test_ties_on_ids_are_broken_by_string_order_not_by_number() -> None:
    # Two earlier referrals on one day: "R9" is the greater id as a string, though 9 < 10.
    b = builder()
    b.person("C", date_of_birth="2015-01-01")
    b.referral("R10", "C", received_on="2024-01-10", concerns="3A", outcome="nfa")
    b.referral("R9", "C", received_on="2024-01-10", concerns="3A", outcome="early_help")
    b.assessment("A10", "C", started_on="2024-01-11", completed_on="2024-02-01")
    b.assessment("A9", "C", started_on="2024-01-11", completed_on="2024-02-01")
    b.referral("S", "C", received_on="2024-06-01", concerns="3A")
    [row] = [r for r in repeat_referrals(batches([b.graph], [["C"]], None), START, END).rows if r.referral_id == "S"]
    assert (row.previous_referral_id, row.previous_outcome, row.previous_assessment) == ("R9", "early_help", "A9")


@pytest.mark.parametrize(("received", "flagged"), [("2023-02-28", True), ("2023-02-27", False)])
def test_the_allegation_window_opens_on_d_less_12_calendar_months(received: str, flagged: bool) -> None:
    # d = 29 February 2024: 12 calendar months before it is 28 February 2023 (the shared month rule).
    b = builder()
    b.person("M", sex="female", date_of_birth="1990")
    b.person("C", date_of_birth="2016-01-01")
    b.person("X", sex="male", date_of_birth="1980")
    parent(b, "M", "C")
    live(b, "H", "M", "C", "X")
    b.referral("R", "C", received_on=received, referrer_agency_id=POL)
    b.mention("R", "X", role="alleged_perpetrator")
    context = household_context(b.graph, "C", D(2024, 2, 29))
    assert [f.person_id for f in context.flags if f.kind == "alleged_perpetrator_in_household"] == (
        ["X"] if flagged else []
    )


def test_the_child_named_as_alleged_perpetrator_is_not_flagged_in_their_own_context() -> None:
    b = builder()
    b.person("M", sex="female", date_of_birth="1990")
    b.person("C", date_of_birth="2008-01-01")
    b.person("S", date_of_birth="2016-01-01")
    parent(b, "M", "C")
    parent(b, "M", "S")
    live(b, "H", "M", "C", "S")
    b.referral("R", "S", received_on="2024-01-10", referrer_agency_id=POL)
    b.mention("R", "C", role="alleged_perpetrator")
    flagged = [f.person_id for f in household_context(b.graph, "C", D(2024, 2, 1)).flags]
    assert "C" not in flagged
    assert "C" in [f.person_id for f in household_context(b.graph, "S", D(2024, 2, 1)).flags]
