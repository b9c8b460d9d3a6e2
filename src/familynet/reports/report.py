"""Audit reports as people use them: a table in the terminal, CSV, JSON, or one HTML file.

A :class:`Report` is the rendering-neutral shape of an audit result: its
definitions and parameters, a summary, charts and detail tables. The HTML
report is a single self-contained file (inline CSS and SVG charts, no scripts,
nothing fetched) that an auditor can email, marked OFFICIAL-SENSITIVE.
"""

from __future__ import annotations

import html
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
        write_rows(buffer, report.tables[0].header, ([_cell(v) for v in row] for row in report.tables[0].rows))
        return buffer.getvalue()
    if fmt == "table":
        return _text(report)
    if fmt == "html":
        return _html(report)
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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(_cell(v) for v in value)
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
    cells = [[_cell(v) for v in header]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    if width is not None:
        room = width - 2 * (len(widths) - 1)
        # Wrap between words first (purposes, lists of ids); break words only if that is not enough.
        words = [max(len(piece.rstrip()) for row in cells for piece in _pieces(row[i])) for i in range(len(widths))]
        widths = _narrowed(widths, room, [max(MIN_COLUMN, w) for w in words])
        widths = _narrowed(widths, room, [MIN_COLUMN] * len(widths))
    lines = []
    for index, row in enumerate(cells):
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
    parts += [f"{k}: {_cell(v)}" for k, v in report.parameters.items()]
    parts.append("")
    parts += [f"{k}: {_cell(v)}" for k, v in report.summary.items() if not isinstance(v, dict)]
    for table in (*report.breakdowns, *report.tables):
        table = worded(table)
        parts += ["", table.title, text_table(table.header, table.rows) if table.rows else "(none)"]
    return "\n".join(parts) + "\n" + "".join("\n" + _text(section) for section in report.sections)


_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:70rem}
.marking{font-weight:bold;letter-spacing:.1em;text-align:center;border:2px solid #1b1b1b;padding:.3rem}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
th,td{border:1px solid #9a9a9a;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dt{font-weight:bold}
figure{margin:1rem 0}
.definition{white-space:pre-wrap;background:#f6f6f6;padding:1rem;border-left:4px solid #1d70b8}
"""


def _bar_chart(chart: Chart) -> str:
    width, bar_height, gap, label_width = 640, 18, 6, 160
    top = max(chart.values, default=0) or 1
    height = len(chart.values) * (bar_height + gap) + gap
    bars = []
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = gap + index * (bar_height + gap)
        length = (width - label_width - 80) * value / top
        bars.append(
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end">{html.escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="#1d70b8"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 13}">{value:g}{html.escape(chart.unit)}</text>'
        )
    title = html.escape(chart.title)
    return (
        f'<figure><figcaption>{title}</figcaption><svg role="img" aria-label="{title}" '
        f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-size="12">'
        + "".join(bars)
        + "</svg></figure>"
    )


def _html_table(table: Table) -> str:
    table = worded(table)
    if not table.rows:
        return f"<h3>{html.escape(table.title)}</h3><p>None.</p>"
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in table.header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>" for row in table.rows)
    return f"<h3>{html.escape(table.title)}</h3><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _dl(values: dict[str, Any]) -> str:
    items = "".join(
        f"<dt>{html.escape(k)}</dt><dd>{html.escape(_cell(v))}</dd>"
        for k, v in values.items()
        if not isinstance(v, dict)
    )
    return f"<dl>{items}</dl>"


def _key_messages(report: Report, heading: str) -> str:
    if not report.key_messages:
        return ""
    items = "".join(f"<li>{html.escape(m)}</li>" for m in report.key_messages)
    return f"<{heading}>Key messages</{heading}><ul>{items}</ul>"


def _section(report: Report, level: int) -> str:
    """A report's own content, its headings ``level`` deep (a section of another report is one deeper)."""
    h, sub = f"h{level}", f"h{level + 1}"
    return (
        f"<section><{h}>{html.escape(report.title)}</{h}>"
        + _key_messages(report, sub)
        + (
            f'<{sub}>Definition</{sub}><p class="definition">{html.escape(report.definition)}</p>'
            if report.definition
            else ""
        )
        + (f"<{sub}>Parameters</{sub}>{_dl(report.parameters)}" if report.parameters else "")
        + (f"<{sub}>Summary</{sub}>{_dl(report.summary)}" if report.summary else "")
        + "".join(_bar_chart(c) for c in report.charts)
        + "".join(_html_table(t) for t in report.breakdowns)
        + (f"<{sub}>Detail</{sub}>" + "".join(_html_table(t) for t in report.tables) if report.tables else "")
        + "".join(_section(s, level + 1) for s in report.sections)
        + "</section>"
    )


def _html(report: Report) -> str:
    title = html.escape(report.title)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>"
        '<p class="marking">OFFICIAL-SENSITIVE</p>'
        f"<main>{_section(report, 1)}</main>"
        '<p class="marking">OFFICIAL-SENSITIVE</p></body></html>\n'
    )
