"""One JSON shape for every result: stable field names, ISO dates, integer categories."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from families import HEA, POL, D, batches, blended
from familynet.analyses import (
    KINDS,
    SerialisationError,
    missing_members,
    repeat_referrals,
    serialise,
    sibling_coverage,
)
from familynet.model.cohort import CohortBatch

START, END = D(2024, 1, 1), D(2024, 12, 31)


def _cohort() -> list[CohortBatch]:
    b = blended()
    b.referral("R0", "C1", received_on="2023-12-01", referrer_agency_id=POL, concerns="3A", outcome="nfa")
    b.referral("R1", "C1", received_on="2024-03-01", referrer_agency_id=HEA, concerns="3B;18C")
    b.assessment("A1", "C1", referral_id="R1", started_on="2024-03-05")
    return batches([b.graph], [["C1"]], None)


def test_audit_1_json() -> None:
    data = serialise(sibling_coverage(_cohort(), START, END))
    assert json.loads(json.dumps(data)) == data
    assert list(data) == ["period_from", "period_to", "parameters", "rows", "summary"]
    assert data["period_from"] == "2024-01-01"
    assert data["rows"][0] == {
        "referral_id": "R1",
        "child_id": "C1",
        "received_on": "2024-03-01",
        "referring_agency_kind": "health",
        "siblings": [
            {
                "person_id": "C2",
                "basis": "derived",
                "relation": "half",
                "co_resident": True,
                "covered": False,
                "considered": False,
            },
            {
                "person_id": "SC1",
                "basis": "derived",
                "relation": "step",
                "co_resident": False,
                "covered": False,
                "considered": False,
            },
        ],
    }
    assert data["summary"]["by_month"]["2024-03"]["siblings"] == 2


def test_audit_2_json() -> None:
    data = serialise(repeat_referrals(_cohort(), START, END))
    assert list(data) == ["period_from", "period_to", "parameters", "rows", "escalations", "summary"]
    assert data["rows"] == [
        {
            "referral_id": "R1",
            "child_id": "C1",
            "received_on": "2024-03-01",
            "rereferral": True,
            "previous_referral_id": "R0",
            "days_since_previous": 91,
            "interval": "0-3m",  # exactly 3 months: on the mark
            "same_concern": True,
            "shared_categories": [3],
            "previous_outcome": "nfa",
            "household_prior": [],
            "previous_assessment": None,
            "previous_plans": [],
            "plans_supplied": True,
            "categories": [3, 18],
        }
    ]
    assert data["summary"]["intervals"] == {"0-3m": 1, "3-6m": 0, "6-12m": 0}


def test_audit_3_json() -> None:
    data = serialise(missing_members(_cohort(), START, END))
    assert list(data) == ["period_from", "period_to", "parameters", "findings", "summary"]
    assert data["findings"] == []
    assert list(data["summary"]["by_kind"]) == list(KINDS)
    assert set(data["summary"]["by_kind"].values()) == {0}


def test_rows_render_as_simple_cells() -> None:
    result = repeat_referrals(_cohort(), START, END)
    [row] = result.rows
    assert len(row.cells()) == len(row.HEADER)
    assert row.cells()[:5] == ("R1", "C1", D(2024, 3, 1), True, "R0")


def test_a_value_without_a_json_form_is_refused_without_showing_it() -> None:
    with pytest.raises(SerialisationError, match="no JSON form for a value of type complex"):
        serialise({"x": 1j})
    with pytest.raises(SerialisationError):
        serialise(dt.date(2024, 1, 1))
