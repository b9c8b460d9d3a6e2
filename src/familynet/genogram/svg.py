"""The genogram as an SVG page: A4 landscape, McGoldrick/Gerson symbols, a legend and the marking.

Symbols: a square for a male, a circle for a female, a diamond when the sex is
unknown, a small triangle for an unborn child, a cross over a deceased person, a
double outline for the index child. Couple lines: solid for married or civil
partners, dashed for cohabiting or dating, grey for parents with no relationship
on record; one slash for separated (or ended), two for divorced. Descent lines:
solid for birth, dashed for adoption, dotted for fostering, dash-dot for special
guardianship. A dotted frame surrounds the members of the recorded household. A
purple ``C`` marks a person marked confidential (a redacted page has none: it leaves
them out).
Every text is escaped; the page is marked OFFICIAL-SENSITIVE at the top and bottom.

>>> import datetime as dt
>>> from familynet.network import FamilyGraphBuilder
>>> from familynet.genogram.selection import genogram
>>> b = FamilyGraphBuilder()
>>> b.person("C", sex="female", given_name="Ann <b>", date_of_birth="2016-03-01")
>>> page = svg(genogram(b.graph, "C", dt.date(2024, 1, 1)))
>>> "OFFICIAL-SENSITIVE" in page, "Ann &lt;b&gt;" in page, "<b>" in page
(True, True, False)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from familynet.genogram.coordinates import LABEL_WIDTH, SYMBOL, Boundary, Box, Layout, Point
from familynet.genogram.layout import layout
from familynet.genogram.model import Couple, CoupleKind, CoupleStatus, DescentKind, Genogram, Person, Sex

#: A4 landscape in CSS pixels (96 per inch).
PAGE_WIDTH, PAGE_HEIGHT = 1123.0, 794.0
#: The protective marking printed at the top and the bottom of every page.
MARKING = "OFFICIAL-SENSITIVE"
#: The width of the legend and overlay panel on the right.
PANEL = 250.0
#: The most a small family is enlarged to fill the page (a large one is shrunk to fit).
MAX_SCALE = 1.5
#: The smallest text of the drawing, in drawing units (the years under a symbol or on a couple line), and the
#: least it may print at, in points (the page's own text, 10 px and more, prints at 7.5 pt and more on A4).
SMALLEST_TEXT, MIN_POINTS = 9.0, 7.0
#: How much larger an A3 page prints than an A4 one.
A3 = 2**0.5

_TOP, _BOTTOM, _SIDE = 70.0, 40.0, 20.0
# cairo (so PDF and PNG) draws a text in the first family only, with no fallback for a missing glyph: a text
# with Chinese, Japanese or Korean characters names Noto Sans CJK first (scripts/test installs it), which has
# Latin letters too; viewers that do fall back read the rest of the list.
_FONT = 'font-family="DejaVu Sans, Noto Sans, Noto Sans CJK SC, Arial, sans-serif"'
_CJK_FONT = 'font-family="Noto Sans CJK SC, DejaVu Sans, Arial, sans-serif"'


def _font(text: str) -> str:
    """The font families for a text: Noto Sans CJK first when it has a CJK character.

    >>> _font("Siobhán") == _FONT, _font("王秀英") == _CJK_FONT
    (True, True)
    """
    return _CJK_FONT if any("\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text) else _FONT


_DASH = {
    DescentKind.BIRTH: "",
    DescentKind.STEP: "",
    DescentKind.ADOPTIVE: ' stroke-dasharray="7 4"',
    DescentKind.FOSTER: ' stroke-dasharray="1.5 3"',
    DescentKind.SPECIAL_GUARDIAN: ' stroke-dasharray="7 3 1.5 3"',
}
_COUPLE_DASH = {
    CoupleKind.COHABITING: ' stroke-dasharray="6 4"',
    CoupleKind.DATING: ' stroke-dasharray="6 4"',
    CoupleKind.UNKNOWN: ' stroke-dasharray="14 3"',
}
_SLASHES = {CoupleStatus.SEPARATED: 1, CoupleStatus.ENDED: 1, CoupleStatus.DIVORCED: 2}
#: How far outside the symbol the index child's second outline runs.
INDEX_RING = 4.0
#: How far the domestic abuse zig-zag stands from its couple line.
ZIGZAG_GAP = 3.0
_BEGAN = {CoupleKind.MARRIED: "m.", CoupleKind.CIVIL_PARTNER: "cp.", CoupleKind.COHABITING: "LT"}
_ENDED = {CoupleStatus.SEPARATED: "sep.", CoupleStatus.DIVORCED: "d.", CoupleStatus.ENDED: "ended"}
_RED, _AMBER, _PURPLE = "#c00000", "#b35900", "#5b2a86"
#: What the marker means, in the key and the panel.
CONFIDENTIAL = "marked confidential: do not disclose"
#: Characters of a name (10 px) and of the line under it (9 px) that fit :data:`LABEL_WIDTH`.
_NAME_CHARS, _YEARS_CHARS = int(LABEL_WIDTH / 5.8), int(LABEL_WIDTH / 5.2)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _path(points: tuple[Point, ...] | list[Point]) -> str:
    return " ".join(("M" if i == 0 else "L") + f"{_n(x)},{_n(y)}" for i, (x, y) in enumerate(points))


def _text(x: float, y: float, text: str, *, size: float = 10, anchor: str = "middle", extra: str = "") -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" {_font(text)}{extra}>'
        f"{escape(text)}</text>"
    )


def _fit(text: str, chars: int = _NAME_CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _shape(sex: Sex | None, x: float, y: float, size: float, extra: str = "") -> str:
    """A symbol's outline: square, circle, diamond or (for None, unborn) triangle."""
    h = size / 2
    style = f'fill="#fff" stroke="#000" stroke-width="1.5"{extra}'
    if sex is None:
        # The apex at the top of the symbol's square, where the line from the parents reaches it.
        return f'<path d="{_path([(x, y - h), (x + h * 0.7, y + h * 0.4), (x - h * 0.7, y + h * 0.4)])} Z" {style}/>'
    if sex is Sex.MALE:
        return f'<rect x="{_n(x - h)}" y="{_n(y - h)}" width="{_n(size)}" height="{_n(size)}" {style}/>'
    if sex is Sex.FEMALE:
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(h)}" {style}/>'
    return f'<path d="{_path([(x, y - h), (x + h, y), (x, y + h), (x - h, y)])} Z" {style}/>'


def _cross(x: float, y: float, size: float) -> str:
    h = size / 2
    strokes = f"{_path([(x - h, y - h), (x + h, y + h)])} {_path([(x + h, y - h), (x - h, y + h)])}"
    return f'<path class="deceased" d="{strokes}" stroke="#000" stroke-width="1.5"/>'


def couple_dates(couple: Couple) -> str:
    """The years on a couple line: married (``m.``), civil partners (``cp.``) or living together (``LT``)
    since, and separated (``sep.``), divorced (``d.``) or ended in; years only, redacted or not.

    >>> couple_dates(Couple("F", "M", CoupleKind.MARRIED, CoupleStatus.DIVORCED, "2008-05-01", "2019-02-01"))
    'm. 2008 d. 2019'
    """
    began = _BEGAN.get(couple.kind)
    ended = _ENDED.get(couple.status)
    parts = [f"{began} {couple.start[:4]}"] if began and couple.start else []
    return " ".join([*parts, f"{ended} {couple.end[:4]}"] if ended and couple.end else parts)


def years(person: Person) -> str:
    """The line under a symbol: age and year or date of birth, death, or due date."""
    if person.unborn:
        return f"due {person.expected}" if person.expected else "unborn"
    age = "" if person.age is None else f"{person.age} y"
    if person.deceased:
        return ", ".join(part for part in (f"d. {person.died or '?'}", age) if part)
    born = f"b. {person.born}" if person.born else ""
    return " · ".join(part for part in (age, born) if part) or "age unknown"


def _symbol(person: Person, box: Box, genogram: Genogram) -> list[str]:
    sex = None if person.unborn else person.sex
    kind = "not-shown" if person.withheld else "unborn" if sex is None else sex.value
    marked = ' data-confidential="true"' if person.confidential else ""
    out = [f'<g class="person" data-person-id={quoteattr(person.person_id)} data-symbol="{kind}"{marked}>']
    if person.index:
        out.append(_shape(sex, box.x, box.y, SYMBOL + 2 * INDEX_RING, ' class="index-outline"'))
    style = ' class="symbol" stroke-dasharray="3 3"' if person.withheld else ' class="symbol"'
    out.append(_shape(sex, box.x, box.y, SYMBOL, style))
    if person.deceased:
        out.append(_cross(box.x, box.y, SYMBOL))
    name, under = _fit(person.name), "" if person.withheld else _fit(years(person), _YEARS_CHARS)
    # A white ground keeps the label readable where a couple or descent line passes behind it.
    width = max(len(name) * 5.8, len(under) * 5.2) + 4
    # Below the index child's outer outline, which the label's white ground would otherwise cover.
    top = box.bottom + (INDEX_RING + 1 if person.index else 2)
    out.append(
        f'<rect class="label" x="{_n(box.x - width / 2)}" y="{_n(top)}" width="{_n(width)}" height="25" fill="#fff"/>'
    )
    out.append(_text(box.x, top + 10, name))
    out.append(_text(box.x, top + 22, under, size=9))
    overlays = genogram.overlays
    if person.person_id in overlays.perpetrators:
        out.append(_badge(box.right - 2, box.top - 2, "AP", _RED))
    if any(f.person_id == person.person_id for f in overlays.findings):
        out.append(_badge(box.left + 2, box.top - 2, "!", _AMBER))
    if person.confidential:
        out.append(_badge(box.right - 2, box.bottom - 4, "C", _PURPLE))
    out.append("</g>")
    return out


def _badge(x: float, y: float, label: str, colour: str) -> str:
    return (
        f'<g class="badge"><rect x="{_n(x - 9)}" y="{_n(y - 7)}" width="18" height="14" rx="3" fill="{colour}"/>'
        + _text(x, y + 3.5, label, size=9, extra=' fill="#fff" font-weight="bold"')
        + "</g>"
    )


def _horizontal(points: tuple[Point, ...]) -> tuple[float, float, float]:
    """The left and right ends and the height of the longest horizontal part of a line."""
    (x1, y), (x2, _) = max(
        itertools.pairwise(points), key=lambda seg: abs(seg[1][0] - seg[0][0]) if seg[0][1] == seg[1][1] else -1
    )
    return min(x1, x2), max(x1, x2), y


def _slashes(mark: Point, count: int) -> str:
    """One or two slashes across a couple line at its mark (clear of every line crossing it)."""
    x, y = mark
    return "".join(
        f'<path class="slash" d="{_path([(x + dx - 4, y + 7), (x + dx + 4, y - 7)])}" '
        'stroke="#000" stroke-width="1.5"/>'
        for dx in ((0.0,) if count == 1 else (-3.0, 3.0))
    )


def _zigzag(points: tuple[Point, ...]) -> str:
    """Domestic abuse concerns: a red zig-zag beside (below) the horizontal part of the couple line, clear of
    it, so that the line's own style (solid, dashed) still reads; the years stand above the line."""
    lo, hi, y = _horizontal(points)
    zig = [(lo + i * 6.0, y + ZIGZAG_GAP + (6 if i % 2 else 0)) for i in range(int((hi - lo) / 6) + 1)]
    return f'<path class="domestic-abuse" d="{_path(zig)}" fill="none" stroke="{_RED}" stroke-width="1.5"/>'


def _region(household_id: str, address: str | None, parts: list[Boundary]) -> list[str]:
    """A household's region as one dotted outline: every part's outline, then every part filled white over
    it, leaves only the outline of their union (drawn first, under the people and lines)."""
    if not parts:
        return []
    rects = [
        f'x="{_n(b.left)}" y="{_n(b.top)}" width="{_n(b.right - b.left)}" height="{_n(b.bottom - b.top)}"'
        for b in parts
    ]
    label = household_id + (f" · {address}" if address else "")
    return [
        f'<g class="household" data-household-id={quoteattr(household_id)}>',
        *(f'<rect {r} fill="none" stroke="#555" stroke-width="2" stroke-dasharray="2 3"/>' for r in rects),
        *(f'<rect {r} fill="#fff"/>' for r in rects),
        _text(parts[0].left + 4, parts[0].top + 8, _fit(label, 24), size=9, anchor="start", extra=' fill="#555"'),
        "</g>",
    ]


def _drawing(genogram: Genogram, placed: Layout) -> list[str]:
    out = []
    for household in genogram.households:
        out += _region(
            household.household_id,
            household.address,
            [b for b in placed.boundaries if b.household_id == household.household_id],
        )
    abuse = {frozenset((c.first, c.second)) for c in genogram.overlays.domestic_abuse}
    for c in placed.couples:
        colour = "#888" if c.couple.kind is CoupleKind.UNRECORDED else "#000"
        dash = _COUPLE_DASH.get(c.couple.kind, "")
        pair = f"data-first={quoteattr(c.couple.first)} data-second={quoteattr(c.couple.second)}"
        out.append(f'<g class="couple" {pair} data-kind="{c.couple.kind}" data-status="{c.couple.status}">')
        out.append(f'<path d="{_path(c.points)}" fill="none" stroke="{colour}" stroke-width="1.5"{dash}/>')
        if c.couple.status in _SLASHES:
            out.append(_slashes(c.mark, _SLASHES[c.couple.status]))
        dates = couple_dates(c.couple)
        if dates:
            lo, hi, y = _horizontal(c.points)
            # Over the longer side of the line beside its mark, so that the slashes stay clear.
            lo, hi = max(((lo, c.mark[0] - 8), (c.mark[0] + 8, hi)), key=lambda side: side[1] - side[0])
            out.append(_text((lo + hi) / 2, y - 3, dates, size=9, extra=' class="couple-dates"'))
        if frozenset((c.couple.first, c.couple.second)) in abuse:
            out.append(_zigzag(c.points))
        out.append("</g>")
    for s in placed.sibships:
        out.append(f'<path d="{_path(s.points)}" fill="none" stroke="#000" stroke-width="1.5"{_DASH[s.kind]}/>')
    for d in placed.drops:
        out.append(
            f'<path class="descent" data-child={quoteattr(d.child)} data-kind="{d.kind}" d="{_path(d.points)}" '
            f'fill="none" stroke="#000" stroke-width="1.5"{_DASH[d.kind]}/>'
        )
    people = {p.person_id: p for p in genogram.people}
    for box in placed.boxes:
        out += _symbol(people[box.person_id], box, genogram)
    return out


def _legend(x: float, y: float) -> tuple[list[str], float]:
    """The key to every symbol, line and overlay, from ``(x, y)`` down; and where it ends."""
    row = 18.0
    c = x + 10
    symbols: list[tuple[Callable[[float], str], str]] = [
        (lambda r: _shape(Sex.MALE, c, r, 14), "male"),
        (lambda r: _shape(Sex.FEMALE, c, r, 14), "female"),
        (lambda r: _shape(Sex.UNKNOWN, c, r, 14), "sex unknown"),
        (lambda r: _shape(Sex.MALE, c, r, 14) + _cross(c, r, 14), "deceased"),
        (lambda r: _shape(None, c, r, 14), "unborn"),
        (lambda r: _shape(Sex.FEMALE, c, r, 18) + _shape(Sex.FEMALE, c, r, 12), "index child"),
        (lambda r: _shape(Sex.UNKNOWN, c, r, 14, ' stroke-dasharray="3 3"'), "person not shown (redacted)"),
        (lambda r: _line(x, r, "", "#000"), "married or civil partners"),
        (lambda r: _line(x, r, ' stroke-dasharray="6 4"', "#000"), "cohabiting or dating"),
        (lambda r: _line(x, r, _COUPLE_DASH[CoupleKind.UNKNOWN], "#000"), "partners, kind not recorded"),
        (lambda r: _line(x, r, "", "#888"), "parents, no relationship recorded"),
        (lambda r: _line(x, r, "", "#000") + _slashes((x + 10, r), 1), "separated or ended"),
        (lambda r: _line(x, r, "", "#000") + _slashes((x + 10, r), 2), "divorced"),
        (lambda r: _line(x, r, _DASH[DescentKind.ADOPTIVE], "#000"), "adopted"),
        (lambda r: _line(x, r, _DASH[DescentKind.FOSTER], "#000"), "fostered"),
        (lambda r: _line(x, r, _DASH[DescentKind.SPECIAL_GUARDIAN], "#000"), "special guardianship"),
        (lambda r: _line(x, r, "", "#000") + _zigzag(((x, r), (x + 20, r))), "domestic abuse concerns"),
        (lambda r: _text(x + 10, r + 3, "m. 08", size=10), "married (cp., LT) since, sep., d. in"),
        (lambda r: _badge(c, r, "AP", _RED), "alleged perpetrator"),
        (lambda r: _badge(c, r, "!", _AMBER), "finding about the record"),
        (lambda r: _badge(c, r, "C", _PURPLE), CONFIDENTIAL),
        (
            lambda r: (
                f'<rect x="{_n(x)}" y="{_n(r - 6)}" width="20" height="12" rx="3" fill="none" stroke="#555" '
                'stroke-dasharray="2 3"/>'
            ),
            "recorded household",
        ),
    ]
    out = ['<g class="legend">', _text(x, y, "Key", size=11, anchor="start", extra=' font-weight="bold"')]
    for i, (draw, label) in enumerate(symbols):
        r = y + 16 + i * row
        out += [draw(r), _text(x + 28, r + 3.5, label, size=10, anchor="start")]
    out.append("</g>")
    return out, y + 16 + len(symbols) * row


def _line(x: float, y: float, dash: str, colour: str) -> str:
    return f'<path d="{_path([(x, y), (x + 20, y)])}" stroke="{colour}" stroke-width="1.5"{dash}/>'


def _wrapped(item: str, chars: int = 40) -> list[str]:
    """An item of a list on as many lines as it needs, broken between words (never cut with "…").

    >>> _wrapped("member only in other agency record: Patricia Walsh-Okonkwo", 40)
    ['member only in other agency record:', 'Patricia Walsh-Okonkwo']
    """
    lines: list[str] = []
    for word in item.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _list(title: str, items: list[str]) -> list[tuple[str, bool]]:
    """A titled list's lines, each with whether it is a title; every item in full."""
    if not items:
        return []
    return [(title, True), *((line, False) for item in items for line in _wrapped(item)), ("", False)]


def _panel(genogram: Genogram, x: float, y: float) -> tuple[list[str], float, list[tuple[str, bool]]]:
    """The key, where it ends, and the overlays' lines: agencies, findings, alleged perpetrators, domestic abuse."""
    names = {p.person_id: p.name for p in genogram.people}

    def who(person_id: str | None) -> str:
        return "" if person_id is None else f": {names.get(person_id, person_id)}"

    out, y = _legend(x, y)
    overlays = genogram.overlays
    sections = [
        ("Marked confidential: do not disclose", [p.name for p in genogram.people if p.confidential]),
        ("Agencies involved", [f"{a.name or a.agency_id} ({a.kind or 'unknown'})" for a in overlays.agencies]),
        ("Findings", [f"{f.kind.replace('_', ' ')}{who(f.person_id)}" for f in overlays.findings]),
        ("Alleged perpetrators", [f"{names.get(p, p)}: {', '.join(r)}" for p, r in overlays.perpetrators.items()]),
        (
            "Domestic abuse concerns",
            [
                f"{names.get(c.first)} and {names.get(c.second)}: {', '.join(c.referrals)}"
                for c in overlays.domestic_abuse
            ],
        ),
        (
            "Recorded households",
            [f"{h.household_id}{': ' + h.address if h.address else ''}" for h in genogram.households],
        ),
    ]
    lines = [line for title, items in sections for line in _list(title, items)]
    return out, y, lines


def _columns(lines: list[tuple[str, bool]], columns: list[tuple[float, float, float]]) -> list[str]:
    """The panel's lists flowed down each column ``(x, top, bottom)`` in turn, so that none is cut; what no
    column holds is counted on the page, not dropped silently."""
    out: list[str] = []
    column, (x, y, bottom) = 0, columns[0]
    for i, (text, title) in enumerate(lines):
        if y + 13 > bottom - 14:
            column += 1
            if column == len(columns):
                more = sum(1 for _, t in lines[i:] if not t)
                out.append(_text(x, y, f"{more} more lines: see the JSON or GEDCOM export", size=10, anchor="start"))
                break
            x, y, bottom = columns[column]
        if text:
            weight = ' font-weight="bold"' if title else ""
            out.append(_text(x, y, text, size=11 if title else 10, anchor="start", extra=weight))
        y += 14 if title else 13
    return out


def text_points(scale: float, paper: float = 1.0) -> float:
    """The size on paper, in points, of the drawing's smallest text at ``scale`` (``paper`` 1 for A4, √2 for A3).

    >>> round(text_points(1.0), 2)
    6.75
    """
    return SMALLEST_TEXT * scale * 0.75 * paper


def svg(genogram: Genogram, placed: Layout | None = None, *, title: str | None = None) -> str:
    """The genogram on one landscape page, as an SVG document: A4, or A3 when A4 would set its text under
    :data:`MIN_POINTS` points (and the page says so when even A3 would)."""
    placed = placed or layout(genogram)
    index = genogram.person(genogram.index_id)
    heading = title or f"Genogram of {index.name}"
    area_w, area_h = PAGE_WIDTH - PANEL - 2 * _SIDE, PAGE_HEIGHT - _TOP - _BOTTOM
    scale = min(MAX_SCALE, area_w / placed.width, area_h / placed.height)
    paper = 1.0 if text_points(scale) >= MIN_POINTS else A3
    details = (
        f"on {genogram.on.isoformat()} · {genogram.generations_up} generations up, {genogram.generations_down} down"
    )
    if genogram.redacted:
        details += " · redacted: no addresses, years only, people marked confidential not shown"
    elif any(p.confidential for p in genogram.people):
        details += " · shows people marked confidential: do not share"
    points = text_points(scale, paper)
    if points < MIN_POINTS:
        details += f" · text {points:.1f} pt on A3: too small to read; draw fewer generations"
    key, key_end, lines = _panel(genogram, PAGE_WIDTH - PANEL, _TOP)
    # The lists run on under the key, then in the space the drawing leaves under it.
    under = _TOP + placed.height * scale + 24
    columns = [(PAGE_WIDTH - PANEL, key_end + 6, PAGE_HEIGHT - _BOTTOM)]
    columns += [(_SIDE + i * PANEL, under, PAGE_HEIGHT - _BOTTOM) for i in range(int(area_w // PANEL))]
    width, height = ("297mm", "210mm") if paper == 1.0 else ("420mm", "297mm")
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" data-text-points="{points:.1f}" '
        f'viewBox="0 0 {_n(PAGE_WIDTH)} {_n(PAGE_HEIGHT)}" role="img" aria-label={quoteattr(heading)}>',
        f"<title>{escape(heading)}</title>",
        f'<rect width="{_n(PAGE_WIDTH)}" height="{_n(PAGE_HEIGHT)}" fill="#fff"/>',
        _text(PAGE_WIDTH / 2, 18, MARKING, size=12, extra=' font-weight="bold"'),
        _text(_SIDE, 42, _fit(heading, 90), size=16, anchor="start", extra=' font-weight="bold"'),
        _text(_SIDE, 58, details, size=10, anchor="start"),
        f'<g transform="translate({_n(_SIDE)} {_n(_TOP)}) scale({scale:.4f})">',
        *_drawing(genogram, placed),
        "</g>",
        *key,
        *_columns(lines, columns),
        _text(PAGE_WIDTH / 2, PAGE_HEIGHT - 12, MARKING, size=12, extra=' font-weight="bold"'),
        "</svg>",
    ]
    return "\n".join(out) + "\n"
