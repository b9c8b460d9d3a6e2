"""Facts out as an Annex A workbook: Lists 1, 2, 3, 4, 6 and 7 with the columns
:mod:`familynet.imports.annex_a` reads (``graph/imports/annex_a.toml``), every other list as an
empty sheet, so a bundle can go round through Annex A and back.

An inspection's Annex A covers months; this writes every fact it is given. What Annex A cannot
carry is left out (docs/imports.md): names, NHS numbers, households, relationships, mentions,
factors, referral outcomes other than NFA, assessment outcomes, early help plans, partial
dates of birth.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from familynet.imports.facts import Facts, private_file
from familynet.imports.values import mapping
from familynet.model.dates import PartialDate
from familynet.model.records import Agency, Assessment, Person, Plan, Referral
from familynet.model.vocabulary import vocabulary

_GENDER = {"male": "a) Male", "female": "b) Female", "unknown": "c) Not stated/recorded"}
#: Each list written, and the facts it holds.
_LISTS = {"1": ("referrals", ("contact",)), "2": ("assessments", ("early_help",)), "3": ("referrals", ("referral",)),
          "4": ("assessments", ("child_and_family",)), "6": ("plans", ("child_in_need", "looked_after")),
          "7": ("plans", ("child_protection",))}  # fmt: skip
#: List 6's case status for each plan it holds.
_STATUS = {"child_in_need": "c) Child in need plan", "looked_after": "a) Looked after child"}


def _day(value: object) -> str:
    if isinstance(value, PartialDate):
        value = value.earliest() if value.is_full else None
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else ""


def write_annex_a(facts: Facts, path: Path) -> dict[str, int]:
    """Write ``facts`` as an Annex A workbook at ``path``; returns the rows written per list."""
    persons = {p.person_id: p for p in facts("persons") if isinstance(p, Person)}
    agencies = {a.agency_id: a for a in facts("agencies") if isinstance(a, Agency)}
    sources = mapping("common")["kind_source"]
    descriptions = vocabulary().referral_source_codes
    records = {file: list(facts(file)) for file in ("referrals", "assessments", "plans")}
    workbook = openpyxl.Workbook(write_only=True)
    counts = {}
    lists = mapping("annex_a")["lists"]
    for number in map(str, range(1, 12)):
        sheet = workbook.create_sheet(f"List {number}")
        if number not in _LISTS:
            if number in lists:
                sheet.append(list(lists[number]["columns"].values()))
            continue
        columns: dict[str, str] = lists[number]["columns"]
        sheet.append(list(columns.values()))
        file, kinds = _LISTS[number]
        rows = 0
        for record in records[file]:
            if not isinstance(record, Referral | Assessment | Plan) or record.kind not in kinds:
                continue
            child = persons[record.child_id]
            values: dict[str, Any] = {
                "child_id": child.person_id, "sex": _GENDER[child.sex], "date_of_birth": _day(child.date_of_birth),
            }  # fmt: skip
            if isinstance(record, Referral):
                referrer = agencies.get(record.referrer_agency_id or "")
                code = sources[referrer.kind] if referrer is not None else "10"
                values |= {"date": _day(record.received_on), "source": f"{code}: {descriptions[code]}"}
                values["nfa"] = "a) Yes" if record.outcome == "nfa" else "b) No"
            elif isinstance(record, Assessment):
                values |= {"date": _day(record.started_on), "end": _day(record.completed_on)}
            else:
                values |= {"date": _day(record.start_date), "end": _day(record.end_date)}
                values["status"] = _STATUS.get(record.kind, "")
            sheet.append([values.get(name, "") for name in columns])
            rows += 1
        counts[f"List {number}"] = rows
    with private_file(path) as handle:
        workbook.save(handle)
    return counts
