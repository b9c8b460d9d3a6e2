"""Small hand-written ingest bundles for tests."""

from __future__ import annotations

import csv
from pathlib import Path

from familynet.bundle.files import FILES
from familynet.model.records import SUPPLIABLE_REFERRAL_FIELDS

Rows = list[dict[str, str]]

#: A minimal valid family: a mother, a father recorded by police only, two children, one household.
FAMILY: dict[str, Rows] = {
    "agencies": [
        {"agency_id": "A1", "name": "Children's Social Care", "kind": "social_care"},
        {"agency_id": "A2", "name": "Police", "kind": "police"},
    ],
    "persons": [
        {"person_id": "P1", "given_name": "Zoë", "family_name": "Nguyễn", "date_of_birth": "1990-04",
         "sex": "female", "nhs_number": "9434765919", "recorded_by": "A1"},
        {"person_id": "P2", "given_name": "Siobhán", "family_name": "王", "date_of_birth": "2015-06-01",
         "sex": "female", "recorded_by": "A1"},
        {"person_id": "P3", "given_name": "Tom", "family_name": "Nguyễn", "date_of_birth": "2018-01-02",
         "sex": "male", "recorded_by": "A1"},
        {"person_id": "P4", "given_name": "Dan", "family_name": "Smith", "date_of_birth": "1985",
         "sex": "male", "recorded_by": "A2"},
    ],
    "households": [{"household_id": "H1", "address": "1 Example Road", "postcode": "E8 1AA", "uprn": "100023"}],
    "household_members": [
        {"household_id": "H1", "person_id": "P1", "role": "parent", "start_date": "2015-01-01", "recorded_by": "A1"},
        {"household_id": "H1", "person_id": "P2", "role": "child", "recorded_by": "A1"},
        {"household_id": "H1", "person_id": "P3", "role": "child", "recorded_by": "A1"},
        {"household_id": "H1", "person_id": "P4", "role": "partner_of_parent", "recorded_by": "A2"},
    ],
    "relationships": [
        {"person_id": "P1", "related_person_id": "P2", "type": "parent_of", "subtype": "birth",
         "parental_responsibility": "true", "recorded_by": "A1"},
        {"person_id": "P1", "related_person_id": "P3", "type": "parent_of", "subtype": "birth",
         "parental_responsibility": "true", "recorded_by": "A1"},
        {"person_id": "P1", "related_person_id": "P4", "type": "partner_of", "subtype": "cohabiting",
         "start_date": "2016-03-01", "recorded_by": "A2"},
    ],
    "referrals": [
        {"referral_id": "R1", "kind": "referral", "child_id": "P2", "received_on": "2024-02-29",
         "referrer_agency_id": "A2", "concerns": "3A;16A", "outcome": "assessment", "consent": "given",
         "rag": "red", "group_id": "G1"},
    ],
    "referral_mentions": [{"referral_id": "R1", "person_id": "P4", "role": "alleged_perpetrator"}],
    "assessments": [
        {"assessment_id": "X1", "child_id": "P2", "referral_id": "R1", "kind": "child_and_family",
         "started_on": "2024-03-04", "completed_on": "2024-04-20", "factors": "3A", "outcome": "cin"},
    ],
}  # fmt: skip


#: FAMILY with P2 re-referred on 2024-06-01 (by police, concern 3B, no further action).
REREFERRED = {
    **FAMILY,
    "referrals": [
        *FAMILY["referrals"],
        {"referral_id": "R2", "kind": "referral", "child_id": "P2", "received_on": "2024-06-01",
         "referrer_agency_id": "A2", "concerns": "3B", "outcome": "nfa"},
    ],
}  # fmt: skip


#: FAMILY with the front door's facts: R1's times (in winter: GMT), feedback and threshold,
#: two checks (one answered), P2's earlier child in need plan and P3 considered with R1.
FRONT_DOOR = {
    **FAMILY,
    "agencies": [*FAMILY["agencies"], {"agency_id": "A3", "name": "Health", "kind": "health"}],
    "referrals": [
        {**FAMILY["referrals"][0], "received_at": "2024-02-29T09:15", "decided_at": "2024-02-29T11:00",
         "feedback_sent_on": "2024-03-04", "threshold_stated": "child_protection"},
    ],
    "checks": [
        {"check_id": "K1", "referral_id": "R1", "agency_id": "A2", "requested_at": "2024-02-29T09:30",
         "responded_at": "2024-02-29T10:30:00Z", "response": "information_shared", "recorded_by": "A1"},
        {"check_id": "K2", "referral_id": "R1", "agency_id": "A3", "requested_at": "2024-02-29T09:31+00:00"},
    ],
    "plans": [
        {"plan_id": "PL1", "child_id": "P2", "kind": "child_in_need", "start_date": "2023-01-10",
         "end_date": "2023-08-01", "recorded_by": "A1"},
    ],
    "considerations": [{"referral_id": "R1", "person_id": "P3", "considered_on": "2024-02-29", "outcome": "nfa"}],
}  # fmt: skip


def write_bundle(directory: Path, files: dict[str, Rows]) -> Path:
    """Write ``files`` (file stem -> rows) as a bundle; missing cells are empty, and a referral's
    optional column that no row has is left out (not supplied)."""
    directory.mkdir(parents=True, exist_ok=True)
    for spec in FILES:
        if spec.name not in files:
            continue
        given = {column for row in files[spec.name] for column in row}
        columns = [c for c in spec.columns if c not in SUPPLIABLE_REFERRAL_FIELDS or c in given]
        with (directory / f"{spec.name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, columns, restval="")
            writer.writeheader()
            writer.writerows(files[spec.name])
    return directory


def with_row(files: dict[str, Rows], file: str, **changes: str) -> dict[str, Rows]:
    """A copy of ``files`` with one more row in ``file``."""
    copy = {name: [dict(row) for row in rows] for name, rows in files.items()}
    copy.setdefault(file, []).append(dict(changes))
    return copy


def changed(files: dict[str, Rows], file: str, index: int, **changes: str) -> dict[str, Rows]:
    """A copy of ``files`` with row ``index`` of ``file`` changed."""
    copy = {name: [dict(row) for row in rows] for name, rows in files.items()}
    copy[file][index].update(changes)
    return copy


def many_persons(directory: Path, count: int, given_name: str = "Zoë") -> Path:
    """A bundle of one agency and ``count`` persons, big enough to be caught mid-load."""
    directory.mkdir()
    (directory / "agencies.csv").write_text("agency_id,name,kind\nA1,CSC,social_care\n", encoding="utf-8")
    with (directory / "persons.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["person_id", "given_name", "family_name", "date_of_birth",
                         "expected_date_of_birth", "sex", "date_of_death", "nhs_number", "recorded_by",
                         "confidential"])  # fmt: skip
        for n in range(count):
            writer.writerow([f"P{n:07d}", given_name, "Nguyễn", "2010-01-01", "", "female", "", "", "A1", ""])
    return directory
