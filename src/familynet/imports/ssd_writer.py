"""Facts out as an SSD directory: the tables :mod:`familynet.imports.ssd` reads, with its field
names (``graph/imports/ssd.toml``), so a bundle can go round through the SSD and back.

What the SSD cannot carry is left out: names of referrers, mentions, consent, RAG ratings,
contact groups, concerns of contacts and referrals, early help assessments, looked-after plans, relationships
other than birth mothers and siblings, household views of agencies other than social care,
partial dates of birth (written empty).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from familynet.imports.facts import Facts, of_kind
from familynet.imports.values import mapping
from familynet.model.dates import PartialDate
from familynet.model.records import Agency, Assessment, Household, Membership, Person, Plan, Referral, Relationship
from familynet.reports.spreadsheet import open_private

_SEX = {"female": "F", "male": "M", "unknown": "U"}
_OUTCOME_FLAG = {"nfa": "NFA_FLAG", "assessment": "NEW_REFERRAL_FLAG", "section_47": "CP_ENQUIRY_FLAG",
                 "strategy_discussion": "CP_ENQUIRY_FLAG", "universal": "ADVICE_FLAG"}  # fmt: skip


def _fields(table: str) -> list[str]:
    return list(mapping("ssd")["tables"][table]["columns"].values())


def _day(value: object) -> str:
    if isinstance(value, PartialDate):
        return str(value) if value.is_full else ""
    return "" if value is None else str(value)


class _Tables:
    def __init__(self, directory: Path, stack: ExitStack) -> None:
        self.directory = directory
        self.stack = stack
        self.writers: dict[str, csv.DictWriter[str]] = {}
        self.counts: dict[str, int] = {}

    def write(self, table: str, row: dict[str, str]) -> None:
        writer = self.writers.get(table)
        if writer is None:
            handle = self.stack.enter_context(open_private(self.directory / f"{table}.csv"))
            writer = self.writers[table] = csv.DictWriter(handle, _fields(table), lineterminator="\n")
            writer.writeheader()
            self.counts[table] = 0
        writer.writerow({mapping("ssd")["tables"][table]["columns"][k]: v for k, v in row.items()})
        self.counts[table] += 1


def write_ssd(facts: Facts, directory: Path) -> dict[str, int]:
    """Write ``facts`` as an SSD directory; returns the rows written per table."""
    directory.mkdir(parents=True, exist_ok=True)
    agencies = {a.agency_id: a for a in of_kind(Agency, facts("agencies"))}
    record_kind = "social_care"
    sources = mapping("common")["kind_source"]
    with ExitStack() as stack:
        t = _Tables(directory, stack)
        female: set[str] = set()
        for p in of_kind(Person, facts("persons")):
            t.write("ssd_person", {
                "person_id": p.person_id, "given_name": p.given_name or "", "family_name": p.family_name or "",
                "sex": _SEX[p.sex], "date_of_birth": _day(p.date_of_birth),
                "expected_date_of_birth": _day(p.expected_date_of_birth), "date_of_death": _day(p.date_of_death),
            })  # fmt: skip
            if p.nhs_number:
                t.write(
                    "ssd_linked_identifiers", {"person_id": p.person_id, "type": "NHS Number", "value": p.nhs_number}
                )
            if p.sex == "female":
                female.add(p.person_id)
        households = {h.household_id: h for h in of_kind(Household, facts("households"))}
        for m in of_kind(Membership, facts("household_members")):
            agency = agencies.get(m.recorded_by)
            if agency is None or agency.kind != record_kind:
                continue
            h = households[m.household_id]
            address = {"STREET": h.address or "", "UPRN": h.uprn or ""}
            t.write("ssd_address", {
                "person_id": m.person_id, "address": json.dumps(address), "start_date": _day(m.start_date),
                "end_date": _day(m.end_date), "postcode": (h.postcode or "").replace(" ", ""),
            })  # fmt: skip
        groups = _Groups()
        for r in of_kind(Relationship, facts("relationships")):
            if r.type == "parent_of" and r.subtype == "birth" and r.person_id in female:
                t.write("ssd_mother", {"mother_id": r.person_id, "child_id": r.related_person_id})
            elif r.type == "sibling_of":
                groups.join(r.person_id, r.related_person_id)
        for person_id, family in groups.families():
            t.write("ssd_family", {"family_id": family, "person_id": person_id})
        for ref in of_kind(Referral, facts("referrals")):
            referrer = agencies.get(ref.referrer_agency_id or "")
            source = sources[referrer.kind] if referrer is not None else "10"
            if ref.kind == "contact":
                flag = _OUTCOME_FLAG.get(ref.outcome or "", "OTHER_OUTCOMES_EXIST_FLAG" if ref.outcome else "")
                t.write("ssd_contacts", {
                    "id": ref.referral_id, "person_id": ref.child_id, "date": _day(ref.received_on),
                    "source": source, "outcome": json.dumps({flag: "Y"} if flag else {}),
                })  # fmt: skip
            else:
                t.write("ssd_cin_episodes", {
                    "id": ref.referral_id, "person_id": ref.child_id, "date": _day(ref.received_on),
                    "source": source, "nfa": "Y" if ref.outcome == "nfa" else "N",
                })  # fmt: skip
        for a in of_kind(Assessment, facts("assessments")):
            table = {"section_47": "ssd_s47_enquiry", "child_and_family": "ssd_cin_assessments"}.get(a.kind)
            if table is None:
                continue
            t.write(table, {
                "id": a.assessment_id, "person_id": a.child_id, "referral_id": a.referral_id or "",
                "date": _day(a.started_on), "end": _day(a.completed_on), "nfa": "Y" if a.outcome == "nfa" else "N",
            })  # fmt: skip
            if a.factors and table == "ssd_cin_assessments":
                t.write(
                    "ssd_assessment_factors", {"assessment_id": a.assessment_id, "factors": json.dumps(list(a.factors))}
                )
        tables = {
            "early_help": "ssd_early_help_episodes",
            "child_protection": "ssd_cp_plans",
            "child_in_need": "ssd_cin_plans",
        }
        for plan in of_kind(Plan, facts("plans")):
            if plan.kind in tables:
                t.write(tables[plan.kind], {
                    "id": plan.plan_id, "person_id": plan.child_id, "date": _day(plan.start_date),
                    "end": _day(plan.end_date),
                })  # fmt: skip
        return t.counts


class _Groups:
    """Sibling groups: the connected components of the sibling facts (union-find)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, person: str) -> str:
        root = self.parent.setdefault(person, person)
        while root != self.parent[root]:
            root = self.parent[root]
        while person != root:
            self.parent[person], person = root, self.parent[person]
        return root

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)

    def families(self) -> Iterator[tuple[str, str]]:
        for person in sorted(self.parent):
            yield person, f"F-{self.find(person)}"
