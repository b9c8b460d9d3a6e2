"""An audit report as one HTML page an auditor can hand to a board, in the shape of published audits.

Key messages first (the headline figures in sentences), then the charts, the summary
and the detail tables with headings in words, and the definitions last, as prose from
``docs/rules.md`` with the parameters used. The page states where it comes from (the
period, the data, who ran it and when) and is marked OFFICIAL-SENSITIVE at its top and
bottom. It is one self-contained file: inline style, charts as inline SVG, and a small
inline script that sorts the tables and pages long ones (without it every row shows,
as in print). It fits a 1,280 px screen without scrolling sideways (a wide table
scrolls inside its frame) and prints on A4.
"""

from __future__ import annotations

import html
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from familynet.reports.report import Chart, Report, Table, cell_text, worded

MARKING = "OFFICIAL-SENSITIVE"
#: Rows of a detail table shown at a time on screen; the rest are a page away.
PAGE_ROWS = 50
#: Cells of at most this many characters without a space (ids, dates, numbers) are never broken.
SHORT_CELL = 16
#: Words a field name is spelt with that read differently in a heading.
_WORDS = {"percent": "(%)", "rereferral": "re-referral", "rereferrals": "re-referrals", "id": "id", "ids": "ids",
          "rag": "RAG"}  # fmt: skip


def heading(name: str) -> str:
    """A field name as a heading people read.

    >>> heading("rereferral_rate_percent"), heading("child_id"), heading("Findings")
    ('Re-referral rate (%)', 'Child id', 'Findings')
    """
    words = [_WORDS.get(w, w) for w in name.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _prose(markdown: str, level: int) -> str:
    """Markdown of docs/rules.md as HTML prose: its sections' headings at ``level``, lists and emphasis kept,
    code shown as plain words and function signatures (code alone in a paragraph) left out."""
    parser = MarkdownIt("commonmark")
    tokens = parser.parse(markdown)
    kept: list[Token] = []
    for token in tokens:
        if token.type in ("fence", "code_block"):
            continue
        if token.type in ("heading_open", "heading_close"):
            # rules.md's sections are level 2: they become headings at ``level``.
            token.tag = f"h{min(6, max(level, int(token.tag[1]) - 2 + level))}"
        children = token.children or []
        if children and children[0].type == "code_inline" and "(" in children[0].content:
            # A paragraph opening with a Python signature: the parameters are listed below in words.
            token.children = []
        for child in token.children or []:
            if child.type == "code_inline":
                child.type, child.content = "text", child.content.replace("_", " ")
        kept.append(token)
    rendered: str = parser.renderer.render(kept, parser.options, {})
    return rendered.replace("<p></p>\n", "")


def _chart(chart: Chart) -> str:
    """A bar chart whose labels are measured, so none is cut off; it scales down to fit its column."""
    bar_height, gap, bars_width = 18, 6, 360
    label_width = 12 + 7 * max((len(label) for label in chart.labels), default=4)
    values = [f"{value:g}{chart.unit}" for value in chart.values]
    value_width = 12 + 7 * max((len(v) for v in values), default=1)
    width = label_width + bars_width + value_width
    top = max(chart.values, default=0) or 1
    height = len(chart.values) * (bar_height + gap) + gap
    parts = []
    for index, (label, value, shown) in enumerate(zip(chart.labels, chart.values, values, strict=True)):
        y = gap + index * (bar_height + gap)
        length = bars_width * value / top
        parts.append(
            f'<text class="label" x="{label_width - 6}" y="{y + 13}" text-anchor="end">{html.escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="#1d70b8"/>'
            f'<text class="value" x="{label_width + length + 4:.1f}" y="{y + 13}">{html.escape(shown)}</text>'
        )
    title = html.escape(chart.title)
    return (
        f'<figure><figcaption>{title}</figcaption><svg role="img" aria-label="{title}" '
        f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-size="12" font-family="system-ui, sans-serif">' + "".join(parts) + "</svg></figure>"
    )


def _table(table: Table, level: int) -> str:
    table = worded(table)
    h = f"h{level}"
    title = html.escape(heading(table.title))
    if not table.rows:
        return f"<{h}>{title}</{h}><p>None.</p>"
    head = "".join(
        f'<th scope="col" aria-sort="none"><button type="button">{html.escape(heading(name))}</button></th>'
        for name in table.header
    )
    body = "".join("<tr>" + "".join(_td(cell_text(v)) for v in row) + "</tr>" for row in table.rows)
    count = f"{len(table.rows):,} {'row' if len(table.rows) == 1 else 'rows'}"
    return (
        f'<{h}>{title} <span class="count">({count})</span></{h}>'
        f'<div class="table-wrap" role="region" aria-label="{title}" tabindex="0">'
        f'<table class="detail" data-page-rows="{PAGE_ROWS}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
        "</table></div>"
    )


def _td(text: str) -> str:
    # Ids, dates and numbers never break (a date at its hyphens); sentences and lists wrap.
    short = len(text) <= SHORT_CELL and " " not in text
    return f'<td class="nowrap">{html.escape(text)}</td>' if short else f"<td>{html.escape(text)}</td>"


def _figures(values: dict[str, Any], caption: str) -> str:
    rows = "".join(
        f'<tr><th scope="row">{html.escape(heading(k))}</th><td>{html.escape(cell_text(v))}</td></tr>'
        for k, v in values.items()
        if not isinstance(v, dict)
    )
    return f'<table class="figures"><caption>{html.escape(caption)}</caption><tbody>{rows}</tbody></table>'


def _key_messages(report: Report, level: int) -> str:
    if not report.key_messages:
        return ""
    items = "".join(f"<li>{html.escape(m)}</li>" for m in report.key_messages)
    return f'<h{level}>Key messages</h{level}><ul class="key-messages">{items}</ul>'


def _section(report: Report, level: int) -> str:
    """A report's content, its headings ``level`` deep (a section of another report is one deeper)."""
    h, sub = f"h{level}", level + 1
    parts = [f"<section><{h}>{html.escape(report.title)}</{h}>"]
    parts += [_about(report), _key_messages(report, sub)]
    if report.comparison is not None:
        parts.append(_table(report.comparison, sub))
    if report.charts:
        parts += [f"<h{sub}>Charts</h{sub}>", *(_chart(c) for c in report.charts)]
    if report.summary:
        parts += [f"<h{sub}>Summary</h{sub}>", _figures(report.summary, "The audit's figures")]
    parts += [_table(t, sub + 1) for t in report.breakdowns]
    if report.tables:
        parts += [f"<h{sub}>Detail</h{sub}>", *(_table(t, sub + 1) for t in report.tables)]
    parts += [_section(s, sub) for s in report.sections]
    if report.definition or report.parameters:
        parts.append(f"<h{sub}>Definitions</h{sub}>")
        parts.append(f'<div class="definition">{_prose(report.definition, sub + 1)}</div>')
        if report.parameters:
            parts.append(_figures(report.parameters, "The parameters this report was run with"))
    parts.append("</section>")
    return "".join(parts)


def _about(report: Report) -> str:
    if not report.about:
        return ""
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in report.about)
    return f'<dl class="about">{items}<dt>Marking</dt><dd>{MARKING}</dd></dl>'


_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0 auto;padding:1.5rem;color:#1b1b1b;max-width:72rem;line-height:1.45}
.marking{font-weight:bold;letter-spacing:.1em;text-align:center;border:2px solid #1b1b1b;padding:.3rem;margin:0 0 1rem}
h1{font-size:1.8rem;margin:.5rem 0}
h2{font-size:1.4rem;border-bottom:1px solid #b1b4b6;padding-bottom:.2rem;margin-top:2rem}
.about{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;background:#f3f2f1;padding:.75rem 1rem}
.about dt{font-weight:bold}.about dd{margin:0}
.key-messages{font-size:1.15rem;border-left:6px solid #1d70b8;padding:.5rem 1rem .5rem 2rem;background:#f3f8fc}
.key-messages li{margin:.3rem 0}
figure{margin:1rem 0;max-width:100%}figure svg{max-width:100%;height:auto}
figcaption{font-weight:bold;margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #b1b4b6;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f3f2f1}
th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer;text-align:left}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
.figures th{font-weight:normal;background:none}
.table-wrap{overflow-x:auto;max-width:100%}
.nowrap{white-space:nowrap}
.table-wrap:focus{outline:3px solid #fd0}
.count{font-weight:normal;color:#505a5f;font-size:.9em}
.pages{display:flex;gap:.5rem;align-items:center;margin:.25rem 0 1rem}
.pages button{font:inherit;padding:.2rem .6rem}
.definition{max-width:48rem}
@page{size:A4;margin:15mm}
@media print{
  body{padding:0;max-width:none;font-size:10pt}
  .table-wrap{overflow:visible}.pages{display:none}
  table.detail tr{display:table-row !important}
  table{font-size:8pt}thead{display:table-header-group}tr{break-inside:avoid}
  h2,h3,h4{break-after:avoid}
}
"""

# Sorting by a column's button and paging long tables; without it the tables show every row.
_SCRIPT = """
document.querySelectorAll('table.detail').forEach(function (table) {
  var body = table.tBodies[0], size = +table.dataset.pageRows, page = 0;
  var rows = function () { return Array.prototype.slice.call(body.rows); };
  var nav = null, label = null;
  function show() {
    var all = rows(), pages = Math.ceil(all.length / size);
    all.forEach(function (r, i) { r.hidden = Math.floor(i / size) !== page; });
    if (label) { label.textContent = 'Page ' + (page + 1) + ' of ' + pages; }
  }
  if (rows().length > size) {
    nav = document.createElement('div'); nav.className = 'pages';
    var back = document.createElement('button'), next = document.createElement('button');
    back.type = next.type = 'button'; back.textContent = 'Previous rows'; next.textContent = 'Next rows';
    label = document.createElement('span'); label.setAttribute('aria-live', 'polite');
    back.onclick = function () { if (page > 0) { page--; show(); } };
    next.onclick = function () { if ((page + 1) * size < rows().length) { page++; show(); } };
    nav.append(back, label, next); table.parentNode.after(nav); show();
  }
  table.tHead.querySelectorAll('th').forEach(function (th, column) {
    th.querySelector('button').onclick = function () {
      var up = th.getAttribute('aria-sort') !== 'ascending';
      table.tHead.querySelectorAll('th').forEach(function (o) { o.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
      var key = function (r) { return r.cells[column].textContent; };
      var sorted = rows().sort(function (a, b) {
        var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
        var order = (!isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y) ? nx - ny : x.localeCompare(y);
        return up ? order : -order;
      });
      sorted.forEach(function (r) { body.appendChild(r); }); page = 0; show();
    };
  });
});
"""


def html_page(report: Report) -> str:
    """The report as one self-contained HTML page."""
    title = html.escape(report.title)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>"
        f'<p class="marking">{MARKING}</p>'
        f"<main>{_section(report, 1)}</main>"
        f'<p class="marking">{MARKING}</p><script>{_SCRIPT}</script></body></html>\n'
    )
