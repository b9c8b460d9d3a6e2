"""The rows of the front door's files (issue 14): checks, plans and considerations.

Each function reads the columns of a batch (:class:`~familynet.bundle.columns.Columns`) in a
fixed order and returns a record for each row without a problem, as the parsers of
:mod:`familynet.bundle.files` do; the referrals file's optional columns are read there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from familynet.bundle.columns import Columns
from familynet.model.records import Check, Consideration, Plan, Record
from familynet.model.vocabulary import vocabulary


def check_rows(c: Columns, today: dt.date) -> Sequence[Record | None]:
    """Checks: the MASH's requests to agencies for information."""
    v = vocabulary()
    check_id = c.ident("check_id")
    referral_id = c.ident("referral_id")
    agency_id = c.ident("agency_id")
    requested = c.instant("requested_at", required=True, today=today)
    responded = c.instant("responded_at", today=today)
    c.ordered("requested_at", requested, "responded_at", responded)
    response = c.code("response", v.check_response)
    # A response is given exactly when a response came: required with responded_at, empty without.
    pairs = list(zip(responded, response, strict=True))
    c.require("response", [r if at is not None else "" for at, r in pairs])
    c.flag(
        "response",
        (i for i, (at, r) in enumerate(pairs) if at is None and r is not None),
        "must be empty when responded_at is empty (no response)",
    )
    recorded_by = c.ident("recorded_by", required=False)
    return c.records(Check, check_id, referral_id, agency_id, requested, responded, response, recorded_by)


def plan_rows(c: Columns, today: dt.date) -> Sequence[Record | None]:
    """Children's plans."""
    v = vocabulary()
    plan_id = c.ident("plan_id")
    child_id = c.ident("child_id")
    kind = c.code("kind", v.plan_kind, required=True)
    start = c.date("start_date", required=True, today=today)
    end = c.date("end_date")
    c.ordered("start_date", start, "end_date", end)
    recorded_by = c.ident("recorded_by")
    return c.records(Plan, plan_id, child_id, kind, start, end, recorded_by)


def consideration_rows(c: Columns, today: dt.date) -> Sequence[Record | None]:
    """Considerations: the persons the MASH considered with a referral."""
    v = vocabulary()
    referral_id = c.ident("referral_id")
    person_id = c.ident("person_id")
    considered = c.date("considered_on", required=True, today=today)
    outcome = c.code("outcome", v.referral_outcome)
    recorded_by = c.ident("recorded_by", required=False)
    return c.records(Consideration, referral_id, person_id, considered, outcome, recorded_by)
