"""D2I's Standard Safeguarding Dataset in: a directory of CSV exports of the SSD tables.

Persons (with their NHS numbers from ``ssd_linked_identifiers``), birth mothers
(``ssd_mother``), households from shared addresses over time (``ssd_address``), sibling groups
(``ssd_family``), contacts, referrals (``ssd_cin_episodes``), assessments with their factors,
section 47 enquiries, and early help, child in need and child protection plans. The field
names are data (``graph/imports/ssd.toml``); docs/imports.md says what each becomes.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from familynet.errors import BundleError
from familynet.imports.addresses import household_key, parse_address
from familynet.imports.ids import prefixed
from familynet.imports.loading import Agent
from familynet.imports.people import source_agency
from familynet.imports.staging import Source, Staging
from familynet.imports.values import ValueProblem, code, header_key, mapping, sex, text_date, yes_no
from familynet.model.vocabulary import vocabulary

#: The internal names each bundle column is read from (the first a table has), so that a
#: problem names the SSD field.
_ALIASES = {
    "person_id": ("person_id", "mother_id"), "child_id": ("person_id",), "received_on": ("date",),
    "started_on": ("date",), "start_date": ("date",), "completed_on": ("end",), "end_date": ("end",),
    "referrer_agency_id": ("source",), "referral_id": ("referral_id", "id"), "household_id": ("address",),
    "postcode": ("postcode",), "factors": ("id",), "related_person_id": ("child_id", "person_id"),
    "plan_id": ("id",), "assessment_id": ("id",),
}  # fmt: skip


class _Refused(Exception):
    """A row refused while mapping (its problem is staged)."""


def stage_ssd(directory: Path, agent: Agent, *, today: dt.date | None = None) -> Staging:
    """Read an SSD directory into bundle rows.

    Raises :class:`~familynet.errors.BundleError` when ``directory`` is not a directory or
    lacks ``ssd_person.csv``; every other problem is staged with its table, line and field.
    """
    if not directory.is_dir():
        raise BundleError("the SSD is not a directory")
    if not (directory / "ssd_person.csv").is_file():
        raise BundleError("the SSD directory lacks ssd_person.csv")
    reader = _Reader(agent, today or dt.date.today())
    for table, spec in mapping("ssd")["tables"].items():
        path = directory / f"{table}.csv"
        if path.is_file():
            reader.table(path, table, spec)
    reader.siblings()
    return reader.staging


class _Reader:
    def __init__(self, agent: Agent, today: dt.date) -> None:
        self.agent = agent
        self.today = today.isoformat()
        self.staging = Staging()
        self.la = agent.la_code
        self.child_years: int = mapping("ssd")["child_under_years"]
        self.identifiers: dict[str, dict[str, str]] = {}
        self.mothers: set[str] = set()
        self.children: set[str] = set()
        self.born: dict[str, str] = {}
        self.families: dict[str, list[tuple[str, int]]] = {}
        self.factors: dict[str, list[str]] = {}
        self.sources: dict[str, Source] = {}
        self.tags: dict[str, str] = {t: spec.get("tag", "") for t, spec in mapping("ssd")["tables"].items()}

    def table(self, path: Path, table: str, spec: dict[str, Any]) -> None:
        wanted: dict[str, str] = spec["columns"]
        aliases = {
            column: next(wanted[name] for name in names if name in wanted)
            for column, names in _ALIASES.items()
            if any(name in wanted for name in names)
        }
        if table == "ssd_person":
            # A person's NHS number comes from the linked identifiers, and is checked with the person.
            aliases["nhs_number"] = "ssd_linked_identifiers.link_identifier_value"
        source = self.staging.source(path.name, wanted | aliases)
        self.sources[table] = source
        handler: Callable[[Source, int, dict[str, str]], None] = getattr(self, table)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle)
            header = [header_key(cell) for cell in next(rows, [])]
            positions = {name: header.index(header_key(f)) for name, f in wanted.items() if header_key(f) in header}
            absent = [name for name in spec["required"] if name not in positions]
            for name in absent:
                self.staging.problem(source, 1, name, "missing column (no header matches it)")
            if absent:
                return
            width = len(header)
            line = 2
            for cells in rows:
                if cells:
                    self.staging.read(source)
                    if len(cells) != width:
                        self.staging.problem(source, line, "", f"malformed row: {len(cells)} cells, expected {width}")
                    else:
                        values = {name: cells[at].strip() for name, at in positions.items()}
                        # try rather than contextlib.suppress: no context manager made per row.
                        try:  # noqa: SIM105
                            handler(source, line, values)
                        except _Refused:
                            pass
                line = rows.line_num + 1

    def refuse(self, source: Source, line: int, name: str, reason: str) -> _Refused:
        self.staging.problem(source, line, name, reason)
        return _Refused()

    def read(self, reader: Callable[[str], Any], source: Source, line: int, values: dict[str, str], name: str) -> Any:
        try:
            return reader(values.get(name, ""))
        except ValueProblem as problem:
            raise self.refuse(source, line, name, str(problem)) from None

    def id(self, values: dict[str, str], name: str = "person_id", table: str = "") -> str:
        """A person's id, or (with ``table``) the id of a row of ``table``: SSD tables number their
        rows each on its own, so a contact and a referral may share a number, and the table's tag
        (``ssd.toml``) keeps their facts apart."""
        value = values.get(name, "")
        if not value:
            return ""
        return prefixed(self.la, f"{self.tags[table]}-{value}" if table else value)

    def ssd_linked_identifiers(self, source: Source, line: int, values: dict[str, str]) -> None:
        field = mapping("ssd")["identifiers"].get(values["type"].lower())
        if field is None or values.get("valid_to"):
            self.staging.not_mapped(source)
            return
        self.identifiers.setdefault(self.id(values), {})[field] = values["value"]

    def ssd_mother(self, source: Source, line: int, values: dict[str, str]) -> None:
        mother, child = self.id(values, "mother_id"), self.id(values, "child_id")
        self.mothers.add(mother)
        self.children.add(child)
        cells = {"person_id": mother, "related_person_id": child, "type": "parent_of", "subtype": "birth",
                 "recorded_by": self.agent.agency_id}  # fmt: skip
        self.staging.add("relationships", cells, source, line)

    def ssd_person(self, source: Source, line: int, values: dict[str, str]) -> None:
        person_id = self.id(values)
        cells = {"person_id": person_id, "recorded_by": self.agent.agency_id}
        for name in ("given_name", "family_name"):
            if name in values:
                cells[name] = values[name]
        if "sex" in values:
            cells["sex"] = self.read(sex, source, line, values, "sex")
        for name in ("date_of_birth", "expected_date_of_birth", "date_of_death"):
            if name in values:
                cells[name] = self.read(text_date, source, line, values, name)
        cells.update(self.identifiers.get(person_id, {}))
        if cells.get("date_of_birth"):
            self.born[person_id] = cells["date_of_birth"]
        self.staging.add("persons", cells, source, line, key=person_id)

    def is_child(self, person_id: str, day: str) -> bool:
        born = self.born.get(person_id)
        return born is not None and f"{int(born[:4]) + self.child_years:04d}{born[4:]}" > day

    def ssd_address(self, source: Source, line: int, values: dict[str, str]) -> None:
        address = self.read(
            lambda cell: parse_address(cell, values.get("postcode", "")), source, line, values, "address"
        )
        household_id = prefixed(self.la, f"H-{household_key(address)}")
        household = {"household_id": household_id, "address": address.text, "postcode": address.postcode,
                     "uprn": address.uprn}  # fmt: skip
        self.staging.add("households", household, source, line, key=household_id)
        person_id = self.id(values)
        start = self.read(text_date, source, line, values, "start_date")
        role = (
            "parent" if person_id in self.mothers
            else "child" if person_id in self.children or self.is_child(person_id, start or self.today)
            else "other"
        )  # fmt: skip
        membership = {"household_id": household_id, "person_id": person_id, "role": role, "start_date": start,
                      "end_date": self.read(text_date, source, line, values, "end_date"),
                      "recorded_by": self.agent.agency_id}  # fmt: skip
        self.staging.add("household_members", membership, source, line)

    def ssd_family(self, source: Source, line: int, values: dict[str, str]) -> None:
        self.families.setdefault(values["family_id"], []).append((self.id(values), line))

    def siblings(self) -> None:
        """Children of the same family group are siblings of a kind the SSD cannot say."""
        source = self.sources.get("ssd_family")
        for members in self.families.values():
            children = sorted(
                (p, line) for p, line in members
                if p not in self.mothers and (p in self.children or self.is_child(p, self.today))
            )  # fmt: skip
            for i, (first, _) in enumerate(children):
                for second, line in children[i + 1 :]:
                    cells = {"person_id": first, "related_person_id": second, "type": "sibling_of",
                             "subtype": "unknown", "recorded_by": self.agent.agency_id}  # fmt: skip
                    assert source is not None
                    self.staging.add("relationships", cells, source, line, key=f"{first}|{second}")

    def referral(self, table: str, kind: str, source: Source, line: int, values: dict[str, str], outcome: str) -> None:
        referrer = ""
        if values.get("source"):
            found = self.read(lambda v: code(v, vocabulary().referral_source_codes), source, line, values, "source")
            referrer = source_agency(self.staging, self.agent, found, source, line)
        cells = {"referral_id": self.id(values, "id", table), "kind": kind, "child_id": self.id(values),
                 "received_on": self.read(text_date, source, line, values, "date"), "referrer_agency_id": referrer,
                 **({"outcome": outcome} if outcome else {})}  # fmt: skip
        self.staging.add("referrals", cells, source, line)

    def ssd_contacts(self, source: Source, line: int, values: dict[str, str]) -> None:
        outcome = self.read(_contact_outcome, source, line, values, "outcome")
        self.referral("ssd_contacts", "contact", source, line, values, outcome)

    def ssd_cin_episodes(self, source: Source, line: int, values: dict[str, str]) -> None:
        nfa = self.read(yes_no, source, line, values, "nfa")
        self.referral("ssd_cin_episodes", "referral", source, line, values, "nfa" if nfa else "")

    def ssd_assessment_factors(self, source: Source, line: int, values: dict[str, str]) -> None:
        found = self.read(_factor_codes, source, line, values, "factors")
        self.factors.setdefault(self.id(values, "assessment_id", "ssd_cin_assessments"), []).extend(found)

    def assessment(self, table: str, kind: str, source: Source, line: int, values: dict[str, str]) -> None:
        assessment_id = self.id(values, "id", table)
        nfa = self.read(yes_no, source, line, values, "nfa")
        cells = {"assessment_id": assessment_id, "child_id": self.id(values),
                 "referral_id": self.id(values, "referral_id", "ssd_cin_episodes"), "kind": kind,
                 "started_on": self.read(text_date, source, line, values, "date"),
                 "completed_on": self.read(text_date, source, line, values, "end"),
                 "factors": ";".join(self.factors.get(assessment_id, ()))}  # fmt: skip
        if nfa:
            cells["outcome"] = "nfa"
        self.staging.add("assessments", cells, source, line)

    def ssd_cin_assessments(self, source: Source, line: int, values: dict[str, str]) -> None:
        self.assessment("ssd_cin_assessments", "child_and_family", source, line, values)

    def ssd_s47_enquiry(self, source: Source, line: int, values: dict[str, str]) -> None:
        self.assessment("ssd_s47_enquiry", "section_47", source, line, values)

    def plan(self, table: str, kind: str, source: Source, line: int, values: dict[str, str]) -> None:
        cells = {"plan_id": self.id(values, "id", table), "child_id": self.id(values), "kind": kind,
                 "start_date": self.read(text_date, source, line, values, "date"),
                 "end_date": self.read(text_date, source, line, values, "end"),
                 "recorded_by": self.agent.agency_id}  # fmt: skip
        self.staging.add("plans", cells, source, line)

    def ssd_early_help_episodes(self, source: Source, line: int, values: dict[str, str]) -> None:
        self.plan("ssd_early_help_episodes", "early_help", source, line, values)

    def ssd_cp_plans(self, source: Source, line: int, values: dict[str, str]) -> None:
        self.plan("ssd_cp_plans", "child_protection", source, line, values)

    def ssd_cin_plans(self, source: Source, line: int, values: dict[str, str]) -> None:
        self.plan("ssd_cin_plans", "child_in_need", source, line, values)

    def ssd_involvements(self, source: Source, line: int, values: dict[str, str]) -> None:
        self.staging.not_mapped(source)


def _set(flag: object) -> bool:
    return str(flag or "").strip().lower() in {"y", "yes", "1", "true"}


# Contacts' outcome flags and assessments' factors repeat a few values over many rows: each is
# read once (an error is raised afresh each time: lru_cache keeps none).
@lru_cache(maxsize=1 << 12)
def _contact_outcome(cell: str) -> str:
    """The outcome of the first flag of ``ssd.toml``'s contact outcomes set in a contact's JSON
    object of flags (ordered in ``ssd.toml``); empty if none is.

    >>> _contact_outcome('{"NFA_FLAG": "Y", "ADVICE_FLAG": "N"}'), _contact_outcome("")
    ('nfa', '')
    """
    flags = _json_object(cell)
    return next((o for flag, o in mapping("ssd")["contact_outcome"].items() if _set(flags.get(flag))), "")


def _json_object(cell: str) -> dict[str, Any]:
    try:
        value = json.loads(cell) if cell else {}
    except json.JSONDecodeError:
        raise ValueProblem("not a JSON object") from None
    if not isinstance(value, dict):
        raise ValueProblem("not a JSON object")
    return value


@lru_cache(maxsize=1 << 12)
def _factor_codes(cell: str) -> tuple[str, ...]:
    """The factors of ``cinf_assessment_factors_json``: a JSON array of codes, or an object of
    codes to Yes/No (the SSD's planned form); also a plain ``;``- or ``,``-separated list.

    >>> _factor_codes('["1A", "2b"]'), _factor_codes('{"1A": "Yes", "3B": "No"}'), _factor_codes("4B, 5C")
    (('1A', '2B'), ('1A',), ('4B', '5C'))
    """
    try:
        value = json.loads(cell) if cell.startswith(("[", "{")) else cell.replace(";", ",").split(",")
    except json.JSONDecodeError:
        raise ValueProblem("not a JSON array or object of factor codes") from None
    if isinstance(value, dict):
        value = [name for name, flag in value.items() if _set(flag)]
    if not isinstance(value, list):
        raise ValueProblem("not a JSON array or object of factor codes")
    return tuple(str(item).strip().upper() for item in value if str(item).strip())
