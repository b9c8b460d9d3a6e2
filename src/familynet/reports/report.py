"""Audit reports as people use them: a table in the terminal, CSV, JSON, or one HTML file.

A :class:`Report` is the rendering-neutral shape of an audit result: its
definitions and parameters, a summary, charts and detail tables. The HTML
report is a single self-contained file (inline CSS and SVG charts, no scripts,
nothing fetched) that an auditor can email, marked OFFICIAL-SENSITIVE.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from familynet.errors import FamilynetError
from familynet.model.vocabulary import concern_names
from familynet.reports.spreadsheet import write_rows

FORMATS = ("table", "json", "csv", "html")


class ReportError(FamilynetError, ValueError):
    """A report cannot be rendered in the format asked for."""


@dataclass(frozen=True)
class Chart:
    """A bar chart: one bar per label."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    unit: str = ""


@dataclass(frozen=True)
class Table:
    """A detail table."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Report:
    """What an audit found, ready to render."""

    title: str
    definition: str
    parameters: dict[str, Any]
    summary: dict[str, Any]
    tables: tuple[Table, ...]
    """The detail tables; CSV is the first."""
    charts: tuple[Chart, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    breakdowns: tuple[Table, ...] = ()
    """The summary split by something (month, kind), shown with the summary."""
    cited: frozenset[str] = frozenset()
    """Person ids the report shows outside its person id columns (parents cited as evidence)."""
    key_messages: tuple[str, ...] = ()
    """What an auditor should read first, in sentences."""
    sections: tuple[Report, ...] = ()
    """Whole reports shown after this one's own content (``familynet audit all``: one per audit)."""
    about: tuple[tuple[str, str], ...] = ()
    """Where the report comes from, as labelled lines: its period, the data, who ran it and when."""
    comparison: Table | None = None
    """Its figures beside the previous period's (``--compare-previous``)."""


def render(report: Report, fmt: str) -> str:
    """Render a report as ``table``, ``json``, ``csv`` or ``html``.

    JSON is ``report.data`` when given (the audit's documented, stable
    serialisation), otherwise the parameters, summary and tables.
    """
    if fmt == "json":
        body = report.data or {
            "parameters": report.parameters,
            "summary": report.summary,
            "tables": {t.title: [dict(zip(t.header, r, strict=True)) for r in t.rows] for t in report.tables},
        }
        return json.dumps(body, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "csv":
        if not report.tables:
            raise ReportError("this report has no detail rows for CSV: choose table, json or html")
        buffer = io.StringIO()
        # Lists as ";"-joined cells and booleans as true/false, as in the other formats.
        write_rows(buffer, report.tables[0].header, ([cell_text(v) for v in row] for row in report.tables[0].rows))
        return buffer.getvalue()
    if fmt == "table":
        return _text(report)
    if fmt == "html":
        # The page module renders Report, so it is imported here rather than at the top.
        from familynet.reports.page import html_page

        return html_page(report)
    raise ValueError(fmt)


#: Columns of CIN concern categories, shown to people as words ("3 Domestic abuse"), to machines as numbers.
CATEGORY_COLUMNS = frozenset({"categories", "shared_categories"})


def worded(table: Table) -> Table:
    """``table`` with its concern categories as their numbers and names, for people to read.

    >>> worded(Table("t", ("categories",), (((3, 16),),))).rows
    (('3 Domestic abuse; 16 Neglect',),)
    """
    columns = {i for i, name in enumerate(table.header) if name in CATEGORY_COLUMNS}
    if not columns:
        return table
    names = concern_names()
    rows = tuple(
        tuple(
            "; ".join(f"{c} {names.get(c, '')}".rstrip() for c in value) if i in columns and value else value
            for i, value in enumerate(row)
        )
        for row in table.rows
    )
    return Table(table.title, table.header, rows)


def cell_text(value: Any) -> str:
    """A value as a cell shows it: lists ``;``-joined, booleans as true or false, None empty.

    >>> cell_text(("P1", "P2")), cell_text(True), cell_text(None)
    ('P1;P2', 'true', '')
    """
    if type(value) is str:  # most cells: asked first, as a report of audit all has half a million
        return value
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(cell_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def text_table(header: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None = None) -> str:
    """Columns padded to line up, with a rule under the header; with ``width`` (a
    terminal's), the widest columns are narrowed and their cells wrapped to fit it.

    >>> print(text_table(("a", "bb"), [(1, None), ("xyz", True)]))
    a    bb
    ---  ----
    1
    xyz  true
    >>> print(text_table(("id", "purpose"), [("P1", "a review of the household"), ("P2", "ok")], width=18))
    id  purpose
    --  --------------
    P1  a review of
        the household
    P2  ok
    """
    cells = [[cell_text(v) for v in header]] + [[cell_text(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    if width is not None:
        room = width - 2 * (len(widths) - 1)
        # Wrap between words first (purposes, lists of ids); break words only if that is not enough.
        words = [max(len(piece.rstrip()) for row in cells for piece in _pieces(row[i])) for i in range(len(widths))]
        widths = _narrowed(widths, room, [max(MIN_COLUMN, w) for w in words])
        widths = _narrowed(widths, room, [MIN_COLUMN] * len(widths))
    lines = []
    for index, row in enumerate(cells):
        if width is None:  # every cell fits its column, which is as wide as its widest: one line a row
            lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        else:
            wrapped = [_wrap(v, w) for v, w in zip(row, widths, strict=True)]
            for depth in range(max(len(parts) for parts in wrapped)):
                parts = (p[depth] if depth < len(p) else "" for p in wrapped)
                lines.append("  ".join(v.ljust(w) for v, w in zip(parts, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


#: Columns are never narrowed below this many characters to fit a terminal.
MIN_COLUMN = 8


def _narrowed(widths: list[int], room: int, least: list[int]) -> list[int]:
    """``widths`` with the widest that can be narrowed (no narrower than ``least``)
    narrowed one character at a time until they fit ``room``."""
    widths = list(widths)
    while sum(widths) > room:
        narrowable = [i for i, w in enumerate(widths) if w > least[i]]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _pieces(text: str) -> list[str]:
    """``text`` split after spaces and semicolons, where a cell may wrap."""
    return re.findall(r"[^\s;]*(?:;|\s+|$)", text)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width``, broken after spaces and semicolons (lists of ids),
    and within a word only when the word alone is longer."""
    if len(text) <= width:
        return [text]
    lines = [""]
    for piece in _pieces(text):
        if len(lines[-1]) + len(piece.rstrip()) > width and lines[-1]:
            lines.append("")
        lines[-1] += piece
        while len(lines[-1].rstrip()) > width:
            lines[-1:] = [lines[-1][:width], lines[-1][width:]]
    return [line.rstrip() for line in lines if line.strip()]


def _text(report: Report) -> str:
    parts = [report.title, "=" * len(report.title), ""]
    if report.key_messages:
        parts += ["Key messages", *(f"- {m}" for m in report.key_messages), ""]
    parts += [f"{k}: {cell_text(v)}" for k, v in report.parameters.items()]
    parts.append("")
    parts += [f"{k}: {cell_text(v)}" for k, v in report.summary.items() if not isinstance(v, dict)]
    for table in (*((report.comparison,) if report.comparison else ()), *report.breakdowns, *report.tables):
        table = worded(table)
        parts += ["", table.title, text_table(table.header, table.rows) if table.rows else "(none)"]
    return "\n".join(parts) + "\n" + "".join("\n" + _text(section) for section in report.sections)
