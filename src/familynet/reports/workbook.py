"""An audit report as an Excel workbook (openpyxl), because auditors work in Excel.

The first sheet, Summary, says what the report is (title, period, data, who ran it
and when, OFFICIAL-SENSITIVE), its key messages, its figures and the parameters used;
then one sheet per table (breakdowns and detail tables, and those of each section of
``audit all``), headed in words, with the header row frozen and filtered. Numbers stay
numbers; text that a spreadsheet would run as a formula stays text.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from familynet.reports.page import MARKING, heading
from familynet.reports.report import Report, Table, cell_text, worded
from familynet.reports.spreadsheet import safe_cell

#: Excel's longest sheet name, and the characters it refuses in one.
_SHEET_NAME, _REFUSED = 31, str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _value(value: Any) -> Any:
    """A cell's value: numbers as numbers, everything else as safe text.

    >>> _value(3), _value(True), _value("=SUM(A1)"), _value(("P1", "P2"))
    (3, 'true', "'=SUM(A1)", 'P1;P2')
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return safe_cell(cell_text(value))


def _sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel takes, unique in the workbook.

    >>> _sheet_name("Re-referrals and household priors", set()), _sheet_name("a/b", {"a b"})
    ('Re-referrals and household', 'a b (2)')
    """
    base = title.translate(_REFUSED).strip() or "Table"
    if len(base) > _SHEET_NAME:
        # Cut at a word, so the name still reads.
        base = base[: _SHEET_NAME + 1].rsplit(" ", 1)[0][:_SHEET_NAME]
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[: _SHEET_NAME - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def _lines(sheet: Worksheet, report: Report) -> None:
    bold = Font(bold=True)
    sheet.append([_value(report.title)])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=14)
    for label, text in (*report.about, ("Marking", MARKING)):
        sheet.append([label, _value(text)])
        sheet.cell(sheet.max_row, 1).font = bold
    for title, rows in (
        ("Key messages", [[_value(m)] for m in report.key_messages]),
        ("Summary", [[heading(k), _value(v)] for k, v in report.summary.items() if not isinstance(v, dict)]),
        ("Parameters", [[heading(k), _value(v)] for k, v in report.parameters.items()]),
    ):
        if rows:
            sheet.append([])
            sheet.append([title])
            sheet.cell(sheet.max_row, 1).font = bold
            for row in rows:
                sheet.append(row)


def _table_sheet(book: Workbook, table: Table, taken: set[str]) -> None:
    table = worded(table)
    sheet = book.create_sheet(_sheet_name(heading(table.title), taken))
    sheet.append([heading(name) for name in table.header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_value(v) for v in row])
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    for column in sheet.columns:
        widest = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, widest + 2))


def _tables(report: Report) -> list[Table]:
    own = [*((report.comparison,) if report.comparison else ()), *report.breakdowns, *report.tables]
    return own + [t for section in report.sections for t in _tables(section)]


def workbook(report: Report) -> bytes:
    """The report as an .xlsx workbook: a summary sheet and one sheet per table."""
    book = Workbook()
    summary = book.active
    assert summary is not None  # a new workbook has one sheet
    summary.title = "Summary"
    _lines(summary, report)
    for section in report.sections:
        summary.append([])
        _lines(summary, section)
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 60
    taken = {"summary"}
    for table in _tables(report):
        _table_sheet(book, table, taken)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
