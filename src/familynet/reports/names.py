"""Names beside person identifiers, only where a report is asked for them.

A report shows person identifiers as given; :func:`with_names` adds each person's
given and family name after every column that holds a person id.

>>> from familynet.reports.report import Report, Table
>>> report = Report("R", "", {}, {}, (Table("T", ("child_id",), (("C",),)),))
>>> with_names(report, {"C": ("Zoë", "Nguyễn")}).tables[0].header
('child_id', 'child_given_name', 'child_family_name')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from familynet.reports.report import Report, Table

#: A person's given and family name, by person id.
Names = Mapping[str, tuple[str | None, str | None]]

#: Columns holding a person id, and the prefix of the name columns added after each.
PERSON_COLUMNS = {"child_id": "child", "person_id": "person", "sibling_id": "sibling"}


def person_ids(report: Report) -> set[str]:
    """The person ids the report shows: those of its tables' person id columns, whose names
    :func:`with_names` adds, and those it cites elsewhere."""
    found: set[str] = set(report.cited)
    for table in report.tables:
        for column, name in enumerate(table.header):
            if name in PERSON_COLUMNS:
                found |= {row[column] for row in table.rows if row[column] is not None}
    return found


def _named(table: Table, names: Names) -> Table:
    columns = [i for i, name in enumerate(table.header) if name in PERSON_COLUMNS]
    if not columns:
        return table
    header: list[str] = []
    for i, name in enumerate(table.header):
        header.append(name)
        if i in columns:
            header += [f"{PERSON_COLUMNS[name]}_given_name", f"{PERSON_COLUMNS[name]}_family_name"]
    rows = []
    for row in table.rows:
        cells: list[Any] = []
        for i, value in enumerate(row):
            cells.append(value)
            if i in columns:
                cells += names.get(value, (None, None)) if value is not None else (None, None)
        rows.append(tuple(cells))
    return Table(table.title, tuple(header), tuple(rows))


def with_names(report: Report, names: Names) -> Report:
    """The report with given and family name columns after each person id column, and
    in its JSON a ``names`` object: person id -> ``given_name``, ``family_name``."""
    listed = {
        person: {"given_name": given, "family_name": family}
        for person, (given, family) in sorted(names.items())
        if person in person_ids(report)
    }
    return dataclasses.replace(
        report,
        tables=tuple(_named(t, names) for t in report.tables),
        data={**report.data, "names": listed},
        sections=tuple(dataclasses.replace(with_names(s, names), data=s.data) for s in report.sections),
    )
