"""The synthetic front door (issue 14): its facts at the seeds' rates, valid, with Europe/London
times across both clock changes and the edge cases the audits meet."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import Counter

import pytest

from familynet.model.instants import LONDON, parse_instant
from familynet.synthetic import write_demo_bundle
from familynet.synthetic.frontdoor import FrontDoor

TODAY = dt.date(2025, 6, 30)
Table = list[dict[str, str]]
FILES = ("referrals", "checks", "plans", "considerations", "assessments")


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Table]:
    bundle = tmp_path_factory.mktemp("front")
    write_demo_bundle(bundle, 3000, 11, today=TODAY)
    tables = {}
    for name in FILES:
        with (bundle / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            tables[name] = list(csv.DictReader(handle))
    return tables


def _share(items: list[bool]) -> float:
    return sum(items) / len(items)


def test_decisions_are_timely_at_southamptons_rate(front: dict[str, Table]) -> None:
    hours = [
        (parse_instant(r["decided_at"]) - parse_instant(r["received_at"])) / dt.timedelta(hours=1)
        for r in front["referrals"]
        if r["decided_at"]
    ]
    assert 0.96 <= _share([h <= 24 for h in hours]) <= 0.995
    red = [(parse_instant(r["decided_at"]) - parse_instant(r["received_at"])) / dt.timedelta(hours=1)
           for r in front["referrals"] if r["decided_at"] and r["rag"] == "red"]  # fmt: skip
    assert 0.85 <= _share([h <= 4 for h in red]) <= 0.95
    undecided = [r for r in front["referrals"] if not r["decided_at"]]
    assert 0 < len(undecided) < 0.02 * len(front["referrals"])


def test_consent_feedback_and_thresholds_follow_cambridgeshire(front: dict[str, Table]) -> None:
    referrals = front["referrals"]
    assert 0.62 <= _share([r["consent"] == "given" for r in referrals]) <= 0.68
    referred = [r for r in referrals if r["referrer_agency_id"]]
    told = [
        bool(r["feedback_sent_on"]) and (dt.date.fromisoformat(r["feedback_sent_on"])
                                         - dt.date.fromisoformat(r["received_on"])).days <= 5
        for r in referred
    ]  # fmt: skip
    assert 0.74 <= _share(told) <= 0.80
    levels = {"universal", "early_help", "child_in_need", "child_protection"}
    missing = [r["threshold_stated"] in {"", "none"} for r in referrals]
    assert 0.16 <= _share(missing) <= 0.22
    assert Counter(r["threshold_stated"] for r in referrals).keys() <= levels | {"", "none"}


def test_checks_are_between_southamptons_and_cambridgeshires_rates(front: dict[str, Table]) -> None:
    checked = {c["referral_id"] for c in front["checks"]}
    share = len(checked) / len(front["referrals"])
    assert 0.11 <= share <= 0.74
    health = [c for c in front["checks"] if c["agency_id"] in {"A03", "A04"}]
    others = [c for c in front["checks"] if c["agency_id"] not in {"A03", "A04"}]
    assert _share([not c["responded_at"] for c in health]) > 2 * _share([not c["responded_at"] for c in others])
    assert all(bool(c["responded_at"]) == bool(c["response"]) for c in front["checks"])
    decided = {r["referral_id"]: r["decided_at"] for r in front["referrals"]}
    late = [c for c in front["checks"] if decided[c["referral_id"]]
            and parse_instant(c["requested_at"]) > parse_instant(decided[c["referral_id"]])]  # fmt: skip
    assert 0.03 < len(late) / len(front["checks"]) < 0.15


def test_times_cross_both_clock_changes(front: dict[str, Table]) -> None:
    texts = [r["received_at"] for r in front["referrals"]]
    # Written in the repeated autumn hour, with an offset (both of them appear).
    repeated = [t for t in texts if t[5:7] == "10" and t[11:13] == "01" and t[16:] in {"+01:00", "+00:00"}]
    assert {t[16:] for t in repeated} == {"+01:00", "+00:00"}
    # Every local time without an offset exists and is unambiguous; some are written in UTC.
    assert all(parse_instant(t).astimezone(LONDON).date().isoformat() == r["received_on"]
               for t, r in zip(texts, front["referrals"], strict=True))  # fmt: skip
    assert any(t.endswith("Z") for t in texts)
    # Decisions overnight across a clock change: 23- or 25-hour local days between them.
    spans = {
        parse_instant(r["decided_at"]).utcoffset() != parse_instant(r["received_at"]).utcoffset()
        for r in front["referrals"]
        if r["decided_at"] and parse_instant(r["decided_at"]).date() != parse_instant(r["received_at"]).date()
    }
    assert True in spans


def test_plans_follow_assessments_and_siblings_are_considered(front: dict[str, Table]) -> None:
    kinds = Counter(p["kind"] for p in front["plans"])
    assert set(kinds) == {"child_in_need", "child_protection", "looked_after", "early_help"}
    assert all(p["start_date"] <= TODAY.isoformat() and (not p["end_date"] or p["end_date"] >= p["start_date"])
               for p in front["plans"])  # fmt: skip
    received = {r["referral_id"]: r["received_on"] for r in front["referrals"]}
    considerations = front["considerations"]
    assert len(considerations) > 100
    assert all(received[c["referral_id"]] <= c["considered_on"] <= TODAY.isoformat() for c in considerations)
    assert len({(c["referral_id"], c["person_id"]) for c in considerations}) == len(considerations)


def test_every_time_after_a_receipt_in_the_repeated_autumn_hour_comes_after_it() -> None:
    # A police contact on the night the clocks go back is often received in the repeated hour;
    # every decision, check and answer drawn after it must be later as an instant, not only
    # on the wall clock (20,000 households of seed 1 once wrote a decision before its receipt).
    night = dt.date(2024, 10, 27).toordinal()
    door = FrontDoor(random.Random(3), night + 30)
    for _ in range(2000):
        received, _text = door.received(night, "A02")
        decided = door.decided(received, "red")
        if decided is not None:
            assert decided > received
        for row in door.checks("R1", "A02", "section_47", received, decided):
            requested, responded = parse_instant(row[3]), row[4] and parse_instant(row[4])
            assert requested is not None and requested >= received
            assert not responded or responded >= requested
