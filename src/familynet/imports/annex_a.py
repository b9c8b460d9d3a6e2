"""Ofsted's Annex A workbook in: Lists 1, 2, 3, 4, 6 and 7 as children, contacts, referrals,
assessments and plans (``graph/imports/annex_a.toml``; docs/imports.md says field by field)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from familynet.errors import BundleError, Problem
from familynet.imports.ids import Derived, prefixed
from familynet.imports.loading import Agent
from familynet.imports.people import source_agency, stage_child
from familynet.imports.staging import Source, Staging
from familynet.imports.values import ValueProblem, code, header_key, iso_date, mapping, sex, text, unprefixed, yes_no
from familynet.model.vocabulary import vocabulary

#: Columns a list cannot do without; the others, when absent, are not supplied.
_REQUIRED = ("child_id", "date")
#: The internal name each bundle column of a list's facts is read from, so that a problem the
#: bundle's checks find names the workbook's column.
_ALIASES = {
    "person_id": "child_id", "received_on": "date", "started_on": "date", "start_date": "date",
    "completed_on": "end", "end_date": "end", "referrer_agency_id": "source", "outcome": "nfa",
}  # fmt: skip
#: A sheet that is one of Annex A's lists (names compared as header_key makes them).
_LIST = re.compile(r"^list[0-9]{1,2}$")
#: The lists whose children the CIN census of the same period counts too.
_IN_CIN = {"3", "4", "6", "7"}
_NOT_IN_CIN = "child not in the CIN census file given (--cin); one of the two returns is wrong"
#: Rows searched for the header (some workbooks put a title above it).
_HEADER_ROWS = 10


def stage_annex_a(path: Path, agent: Agent, *, cin_children: Collection[str] | None = None) -> Staging:
    """Read an Annex A workbook into bundle rows.

    With ``cin_children`` (the ``LAchildID`` of every child of the CIN census of the same
    period), a row of a list the census also counts (referrals, assessments, children in need,
    child protection) whose child it lacks is a warning: one of the two returns is wrong.

    Raises :class:`~familynet.errors.BundleError` when the file is not a workbook or lacks a
    list's sheet; every other problem is staged with its sheet, row and column.
    """
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, InvalidFileException) as error:
        raise BundleError("the file is not an Excel workbook (.xlsx)") from error
    try:
        sheets = {header_key(name): name for name in workbook.sheetnames}
        lists = mapping("annex_a")["lists"]
        missing = [spec["sheet"] for spec in lists.values() if header_key(spec["sheet"]) not in sheets]
        if missing:
            raise BundleError(f"the workbook lacks the sheet(s) {missing}; its sheets are {list(workbook.sheetnames)}")
        reader = _Reader(agent, cin_children)
        for number, spec in lists.items():
            reader.sheet(number, spec, workbook[sheets[header_key(spec["sheet"])]].iter_rows(values_only=True))
        # The other lists (5, 8 to 11) hold nothing familynet maps: their rows are counted, not dropped silently.
        imported = {header_key(spec["sheet"]) for spec in lists.values()}
        for key, name in sheets.items():
            if _LIST.match(key) and key not in imported:
                reader.unmapped(name, workbook[name].iter_rows(values_only=True))
        return reader.staging
    finally:
        workbook.close()


class _Reader:
    def __init__(self, agent: Agent, cin_children: Collection[str] | None) -> None:
        self.cin_children = None if cin_children is None else set(cin_children)
        self.agent = agent
        self.staging = Staging()
        self.ids = Derived(agent.la_code)
        self.case_status: dict[str, str] = mapping("annex_a")["case_status"]
        #: Each child's List 3 referrals as (date, id), for the assessments that follow them.
        self.referrals: dict[str, list[tuple[str, str]]] = {}

    def unmapped(self, name: str, rows: Iterator[Sequence[object]]) -> None:
        source = self.staging.source(name, {})
        filled = [row for row in rows if any(text(value) for value in row)]
        for _ in filled[1:]:  # the first is the header
            self.staging.read(source)
            self.staging.not_mapped(source)

    def sheet(self, number: str, spec: dict[str, Any], rows: Iterator[Sequence[object]]) -> None:
        wanted: dict[str, str] = spec["columns"]
        outcome = {"outcome": "support"} if "support" in wanted else {}
        aliases = {column: wanted[name] for column, name in (_ALIASES | outcome).items() if name in wanted}
        source = self.staging.source(spec["sheet"], wanted | aliases)
        header_row, positions = 0, {}
        for index, cells in enumerate(rows, start=1):
            keys = [header_key(cell) for cell in cells]
            if header_key(wanted["child_id"]) in keys:
                header_row = index
                positions = {
                    name: keys.index(header_key(header))
                    for name, header in wanted.items()
                    if header_key(header) in keys
                }
                break
            if index == _HEADER_ROWS:
                break
        absent = [name for name in _REQUIRED if name not in positions]
        if absent:
            for name in absent:
                self.staging.problem(source, header_row or 1, name, "missing column (no header matches it)")
            return
        for index, cells in enumerate(rows, start=header_row + 1):
            values = {name: cells[at] if at < len(cells) else None for name, at in positions.items()}
            if all(text(value) == "" for value in cells):
                continue
            self.staging.read(source)
            try:
                self.row(number, source, index, values)
            except _Refused:
                continue

    def row(self, number: str, source: Source, row: int, values: dict[str, object]) -> None:
        child = text(values["child_id"])
        if not child:
            raise self.refuse(source, row, "child_id", "required")
        person_id = prefixed(self.agent.la_code, child)
        day = self.read(iso_date, source, row, values, "date")
        if not day:
            raise self.refuse(source, row, "date", "required")
        person = {}
        if "sex" in values:
            person["sex"] = self.read(sex, source, row, values, "sex")
        if "date_of_birth" in values:
            person["date_of_birth"] = self.read(iso_date, source, row, values, "date_of_birth")
        stage_child(self.staging, self.agent, person_id, person, source, row)
        if self.cin_children is not None and number in _IN_CIN and child not in self.cin_children:
            self.staging.problems.append(Problem(source.name, row, source.columns["child_id"], _NOT_IN_CIN, "warning"))
        getattr(self, f"list_{number}")(source, row, values, child, person_id, day)

    def list_1(self, source: Source, row: int, values: dict[str, object], child: str, person: str, day: str) -> None:
        self.referral("contact", source, row, values, child, person, day, "")

    def list_3(self, source: Source, row: int, values: dict[str, object], child: str, person: str, day: str) -> None:
        nfa = self.read(yes_no, source, row, values, "nfa") if "nfa" in values else None
        # "Not NFA" does not say what followed: the outcome is then not supplied (a CIN census says more).
        outcome = "nfa" if nfa else ""
        referral_id = self.referral("referral", source, row, values, child, person, day, outcome)
        self.referrals.setdefault(person, []).append((day, referral_id))

    def referral(
        self,
        kind: str,
        source: Source,
        row: int,
        values: dict[str, object],
        child: str,
        person: str,
        day: str,
        outcome: str,
    ) -> str:
        referrer = ""
        if text(values.get("source")):
            found = self.read(lambda v: code(v, vocabulary().referral_source_codes), source, row, values, "source")
            referrer = source_agency(self.staging, self.agent, found, source, row)
        referral_id = self.ids.make(kind, child, day)
        cells = {
            "referral_id": referral_id, "kind": kind, "child_id": person, "received_on": day,
            "referrer_agency_id": referrer, "outcome": outcome,
        }  # fmt: skip
        self.staging.add("referrals", _known(cells), source, row)
        return referral_id

    def list_2(self, source: Source, row: int, values: dict[str, object], child: str, person: str, day: str) -> None:
        self.assessment("early_help", source, row, values, child, person, day, "", "")

    def list_4(self, source: Source, row: int, values: dict[str, object], child: str, person: str, day: str) -> None:
        support = self.read(yes_no, source, row, values, "support") if text(values.get("support")) else None
        outcome = "" if support is None else "support_required" if support else "no_support_required"
        # The referral an assessment follows is the child's latest List 3 referral on or before its start.
        earlier = [(on, i) for on, i in self.referrals.get(person, []) if on <= day]
        follows = max(earlier)[1] if earlier else ""
        self.assessment("child_and_family", source, row, values, child, person, day, follows, outcome)

    def assessment(
        self,
        kind: str,
        source: Source,
        row: int,
        values: dict[str, object],
        child: str,
        person: str,
        day: str,
        follows: str,
        outcome: str,
    ) -> None:
        end = self.read(iso_date, source, row, values, "end") if "end" in values else ""
        cells = {
            "assessment_id": self.ids.make(kind, child, day), "child_id": person, "referral_id": follows,
            "kind": kind, "started_on": day, "completed_on": end, "outcome": outcome,
        }  # fmt: skip
        self.staging.add("assessments", _known(cells), source, row)

    def list_6(self, source: Source, row: int, values: dict[str, object], child: str, person: str, day: str) -> None:
        status = unprefixed(values.get("status")).lower()
        if status not in self.case_status:
            raise self.refuse(source, row, "status", "not a known case status")
        kind = self.case_status[status]
        if not kind:
            self.staging.not_mapped(source)
            return
        self.plan(kind, source, row, values, child, person, day)

    def list_7(self, source: Source, row: int, values: dict[str, object], child: str, person: str, day: str) -> None:
        self.plan("child_protection", source, row, values, child, person, day)

    def plan(
        self, kind: str, source: Source, row: int, values: dict[str, object], child: str, person: str, day: str
    ) -> None:
        end = self.read(iso_date, source, row, values, "end") if "end" in values else ""
        cells = {
            "plan_id": self.ids.make(kind, child, day), "child_id": person, "kind": kind,
            "start_date": day, "end_date": end, "recorded_by": self.agent.agency_id,
        }  # fmt: skip
        self.staging.add("plans", cells, source, row)

    def read(self, reader: Any, source: Source, row: int, values: dict[str, object], name: str) -> str:
        try:
            return reader(values.get(name))  # type: ignore[no-any-return]
        except ValueProblem as problem:
            raise self.refuse(source, row, name, str(problem)) from None

    def refuse(self, source: Source, row: int, name: str, reason: str) -> _Refused:
        self.staging.problem(source, row, name, reason)
        return _Refused()


def _known(cells: dict[str, str]) -> dict[str, str]:
    """The cells the workbook says something of: an empty one is not supplied, and a stored
    value (from a richer source) stays."""
    return {column: value for column, value in cells.items() if value}


class _Refused(Exception):
    """A row refused while mapping (its problem is staged); the next row is read."""
