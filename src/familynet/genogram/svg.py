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
>>> from familynet.model.network import FamilyGraphBuilder
>>> from familynet.genogram.selection import genogram
>>> b = FamilyGraphBuilder()
>>> b.person("C", sex="female", given_name="Ann <b>", date_of_birth="2016-03-01")
>>> page = svg(genogram(b.graph, "C", dt.date(2024, 1, 1)))
>>> "OFFICIAL-SENSITIVE" in page, "Ann &lt;b&gt;" in page, "<b>" in page
(True, True, False)
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from familynet.genogram.coordinates import SYMBOL, Boundary, Box, Layout
from familynet.genogram.glyphs import (
    AMBER,
    COUPLE_DASH,
    DASH,
    INDEX_RING,
    PURPLE,
    RED,
    SLASHES,
    badge,
    caption,
    cross,
    horizontal,
    num,
    outline,
    polyline,
    sample_line,
    shortened,
    slashes,
    zigzag,
)
from familynet.genogram.labels import LINE, NAME_SIZE, SMALL_SIZE, couple_dates, label, width
from familynet.genogram.layout import layout
from familynet.genogram.model import CoupleKind, DescentKind, Genogram, Person, Sex
from familynet.genogram.pages import (
    LIST_LINE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PANEL,
    SIDE,
    TITLE_LINE,
    TOP,
    Page,
    Sheet,
    paginate,
)

#: The protective marking printed at the top and the bottom of every page.
MARKING = "OFFICIAL-SENSITIVE"
#: What the marker means, in the key and the panel.
CONFIDENTIAL = "marked confidential: do not disclose"


def _symbol(person: Person, box: Box, genogram: Genogram) -> list[str]:
    sex = None if person.unborn else person.sex
    kind = "not-shown" if person.withheld else "unborn" if sex is None else sex.value
    marked = ' data-confidential="true"' if person.confidential else ""
    out = [f'<g class="person" data-person-id={quoteattr(person.person_id)} data-symbol="{kind}"{marked}>']
    if person.index:
        out.append(outline(sex, box.x, box.y, SYMBOL + 2 * INDEX_RING, ' class="index-outline"'))
    style = ' class="symbol" stroke-dasharray="3 3"' if person.withheld else ' class="symbol"'
    out.append(outline(sex, box.x, box.y, SYMBOL, style))
    if person.deceased:
        out.append(cross(box.x, box.y, SYMBOL))
    names, under = label(person)
    lines = (*names, *under)
    # A white ground keeps the label readable where a couple or descent line passes behind it.
    wide = max(width(line, NAME_SIZE if i < len(names) else SMALL_SIZE) for i, line in enumerate(lines)) + 4
    # Below the index child's outer outline, which the label's white ground would otherwise cover.
    top = box.bottom + (INDEX_RING + 1 if person.index else 2)
    out.append(
        f'<rect class="label" x="{num(box.x - wide / 2)}" y="{num(top)}" width="{num(wide)}" '
        f'height="{num(len(lines) * LINE + 3)}" fill="#fff"/>'
    )
    for i, line in enumerate(lines):
        out.append(caption(box.x, top + 9 + i * LINE, line, size=NAME_SIZE if i < len(names) else SMALL_SIZE))
    overlays = genogram.overlays
    if person.person_id in overlays.perpetrators:
        out.append(badge(box.right - 2, box.top - 2, "AP", RED))
    if any(f.person_id == person.person_id for f in overlays.findings):
        out.append(badge(box.left + 2, box.top - 2, "!", AMBER))
    if person.confidential:
        out.append(badge(box.right - 2, box.bottom - 4, "C", PURPLE))
    out.append("</g>")
    return out


def _region(household_id: str, address: str | None, parts: list[Boundary]) -> list[str]:
    """A household's region as one dotted outline: every part's outline, then every part filled white over
    it, leaves only the outline of their union (drawn first, under the people and lines)."""
    if not parts:
        return []
    rects = [
        f'x="{num(b.left)}" y="{num(b.top)}" width="{num(b.right - b.left)}" height="{num(b.bottom - b.top)}"'
        for b in parts
    ]
    heading = household_id + (f" · {address}" if address else "")
    return [
        f'<g class="household" data-household-id={quoteattr(household_id)}>',
        *(f'<rect {r} fill="none" stroke="#555" stroke-width="2" stroke-dasharray="2 3"/>' for r in rects),
        *(f'<rect {r} fill="#fff"/>' for r in rects),
        caption(
            parts[0].left + 4, parts[0].top + 8, shortened(heading, 24), size=9, anchor="start", extra=' fill="#555"'
        ),
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
        dash = COUPLE_DASH.get(c.couple.kind, "")
        pair = f"data-first={quoteattr(c.couple.first)} data-second={quoteattr(c.couple.second)}"
        out.append(f'<g class="couple" {pair} data-kind="{c.couple.kind}" data-status="{c.couple.status}">')
        out.append(f'<path d="{polyline(c.points)}" fill="none" stroke="{colour}" stroke-width="1.5"{dash}/>')
        if c.couple.status in SLASHES:
            out.append(slashes(c.mark, SLASHES[c.couple.status]))
        dates = couple_dates(c.couple)
        if dates:
            lo, hi, y = horizontal(c.points)
            # Over the longer side of the line beside its mark, so that the slashes stay clear.
            lo, hi = max(((lo, c.mark[0] - 8), (c.mark[0] + 8, hi)), key=lambda side: side[1] - side[0])
            for i, line in enumerate(dates):
                top = y - 3 - (len(dates) - 1 - i) * (SMALL_SIZE + 1)
                out.append(caption((lo + hi) / 2, top, line, size=SMALL_SIZE, extra=' class="couple-dates"'))
        if frozenset((c.couple.first, c.couple.second)) in abuse:
            out.append(zigzag(c.points))
        out.append("</g>")
    for s in placed.sibships:
        out.append(f'<path d="{polyline(s.points)}" fill="none" stroke="#000" stroke-width="1.5"{DASH[s.kind]}/>')
    for d in placed.drops:
        out.append(
            f'<path class="descent" data-child={quoteattr(d.child)} data-kind="{d.kind}" d="{polyline(d.points)}" '
            f'fill="none" stroke="#000" stroke-width="1.5"{DASH[d.kind]}/>'
        )
    for a, b in placed.bars:
        out.append(f'<path class="identical-twins" d="{polyline([a, b])}" stroke="#000" stroke-width="1.5"/>')
    people = {p.person_id: p for p in genogram.people}
    for box in placed.boxes:
        out += _symbol(people[box.person_id], box, genogram)
    return out


def legend(x: float, y: float) -> tuple[list[str], float]:
    """The key to every symbol, line and overlay, from ``(x, y)`` down; and where it ends."""
    row = 18.0
    c = x + 10
    symbols: list[tuple[Callable[[float], str], str]] = [
        (lambda r: outline(Sex.MALE, c, r, 14), "male"),
        (lambda r: outline(Sex.FEMALE, c, r, 14), "female"),
        (lambda r: outline(Sex.UNKNOWN, c, r, 14), "sex unknown"),
        (lambda r: outline(Sex.MALE, c, r, 14) + cross(c, r, 14), "deceased"),
        (lambda r: outline(None, c, r, 14), "unborn"),
        (lambda r: outline(Sex.FEMALE, c, r, 18) + outline(Sex.FEMALE, c, r, 12), "index child"),
        (lambda r: outline(Sex.UNKNOWN, c, r, 14, ' stroke-dasharray="3 3"'), "person not shown (redacted)"),
        (lambda r: sample_line(x, r, "", "#000"), "married or civil partners"),
        (lambda r: sample_line(x, r, ' stroke-dasharray="6 4"', "#000"), "cohabiting or dating"),
        (lambda r: sample_line(x, r, COUPLE_DASH[CoupleKind.UNKNOWN], "#000"), "partners, kind not recorded"),
        (lambda r: sample_line(x, r, "", "#888"), "parents, no relationship recorded"),
        (lambda r: sample_line(x, r, "", "#000") + slashes((x + 10, r), 1), "separated or ended"),
        (lambda r: sample_line(x, r, "", "#000") + slashes((x + 10, r), 2), "divorced"),
        (lambda r: sample_line(x, r, DASH[DescentKind.ADOPTIVE], "#000"), "adopted"),
        (lambda r: sample_line(x, r, DASH[DescentKind.FOSTER], "#000"), "fostered"),
        (lambda r: sample_line(x, r, DASH[DescentKind.SPECIAL_GUARDIAN], "#000"), "special guardianship"),
        (lambda r: sample_line(x, r, "", "#000") + zigzag(((x, r), (x + 20, r))), "domestic abuse concerns"),
        (lambda r: caption(x + 10, r + 3, "m. 08", size=10), "married (cp., LT) since, sep., d. in"),
        (lambda r: badge(c, r, "AP", RED), "alleged perpetrator"),
        (lambda r: badge(c, r, "!", AMBER), "finding about the record"),
        (lambda r: badge(c, r, "C", PURPLE), CONFIDENTIAL),
        (
            lambda r: (
                f'<rect x="{num(x)}" y="{num(r - 6)}" width="20" height="12" rx="3" fill="none" stroke="#555" '
                'stroke-dasharray="2 3"/>'
            ),
            "recorded household",
        ),
    ]
    out = ['<g class="legend">', caption(x, y, "Key", size=11, anchor="start", extra=' font-weight="bold"')]
    for i, (draw, meaning) in enumerate(symbols):
        r = y + 16 + i * row
        out += [draw(r), caption(x + 28, r + 3.5, meaning, size=10, anchor="start")]
    out.append("</g>")
    return out, y + 16 + len(symbols) * row


def _page(genogram: Genogram, drawing: list[str], sheet: Sheet, page: Page, heading: str) -> list[str]:
    """One page's body, in page units: the marking, the heading, its window of the ``drawing`` (the drawing's
    elements, or a reference to them), the key (page 1), the lists' lines it holds, and which pages continue
    the drawing and the lists."""
    n = len(sheet.pages)
    title = heading if n == 1 else f"{heading} · page {page.number} of {n}"
    out = [
        f'<rect width="{num(PAGE_WIDTH)}" height="{num(PAGE_HEIGHT)}" fill="#fff"/>',
        caption(PAGE_WIDTH / 2, 18, MARKING, size=12, extra=' font-weight="bold"'),
        caption(SIDE, 42, shortened(title, 90), size=16, anchor="start", extra=' font-weight="bold"'),
        caption(SIDE, 58, _details(genogram, sheet) if page.number == 1 else _continued(page), size=10, anchor="start"),
    ]
    if page.window is not None:
        left, top, right, bottom = page.window
        w, h = (right - left) * sheet.scale, (bottom - top) * sheet.scale
        clip = f"page-{page.number}"
        out += [
            f'<clipPath id="{clip}">'
            f'<rect x="{num(SIDE)}" y="{num(TOP)}" width="{num(w)}" height="{num(h)}"/></clipPath>',
            f'<g clip-path="url(#{clip})"><g transform="translate({num(SIDE - left * sheet.scale)} '
            f'{num(TOP - top * sheet.scale)}) scale({sheet.scale:.4f})">',
            *drawing,
            "</g></g>",
        ]
        for side, number in page.beside:
            x, y, anchor = {
                "left": (SIDE, TOP + h + 12, "start"),
                "right": (SIDE + w, TOP + h + 12, "end"),
                "above": (SIDE + w / 2, TOP - 2, "middle"),
                "below": (SIDE + w / 2, TOP + h + 12, "middle"),
            }[side]
            arrow = {"left": "← ", "right": "", "above": "↑ ", "below": "↓ "}[side]
            note = f"{arrow}continues on page {number}" + (" →" if side == "right" else "")
            out.append(caption(x, y, note, size=10, anchor=anchor, extra=' class="continues" font-weight="bold"'))
    if page.key:
        out += legend(PAGE_WIDTH - PANEL, TOP)[0]
    for column in page.columns:
        y = column.top
        for text, is_title in column.lines:
            if text:
                weight = ' font-weight="bold"' if is_title else ""
                out.append(caption(column.x, y, text, size=11 if is_title else 10, anchor="start", extra=weight))
            y += TITLE_LINE if is_title else LIST_LINE
    # The lists fill each page's columns in turn: a later page's columns are the lists continued.
    later = [p.number for p in sheet.pages if p.number > page.number and p.columns]
    if page.columns and later:
        last = page.columns[-1]
        y = last.top + sum(TITLE_LINE if t else LIST_LINE for _, t in last.lines)
        note = f"lists continue on page {later[0]}"
        out.append(caption(last.x, y, note, size=10, anchor="start", extra=' class="continues" font-weight="bold"'))
    out.append(caption(PAGE_WIDTH / 2, PAGE_HEIGHT - 12, MARKING, size=12, extra=' font-weight="bold"'))
    return out


def _details(genogram: Genogram, sheet: Sheet) -> str:
    """The line under page 1's heading: the day, the generations, redaction, and how the family is set."""
    details = (
        f"on {genogram.on.isoformat()} · {genogram.generations_up} generations up, {genogram.generations_down} down"
    )
    if genogram.redacted:
        details += " · redacted: no addresses, years only, people marked confidential not shown"
    elif any(p.confidential for p in genogram.people):
        details += " · shows people marked confidential: do not share"
    drawn = sum(1 for p in sheet.pages if p.window is not None)
    if drawn > 1:
        details += f" · drawn over pages 1 to {drawn}, the child's household on this one"
    return details


def _continued(page: Page) -> str:
    if page.window is None:
        return "the lists, continued"
    return "the drawing, continued: " + ", ".join(f"page {n} to the {side}" for side, n in page.beside)


#: Where a document of several pages keeps its drawing, which each page shows a window of.
_DRAWING = "drawing"


def svg_pages(genogram: Genogram, placed: Layout | None = None, *, title: str | None = None) -> list[str]:
    """The genogram's pages (:mod:`familynet.genogram.pages`), each as an SVG document of its own."""
    placed = placed or layout(genogram)
    sheet = paginate(genogram, placed)
    heading = title or f"Genogram of {genogram.person(genogram.index_id).name}"
    drawing = _drawing(genogram, placed)
    return [_document([_page(genogram, drawing, sheet, page, heading)], sheet, heading) for page in sheet.pages]


def svg(genogram: Genogram, placed: Layout | None = None, *, title: str | None = None) -> str:
    """The genogram as one SVG document: one landscape page, A4, or A3 when A4 would set its text under
    :data:`MIN_POINTS` points; or, when even A3 would, A4 pages one under the other
    (:mod:`familynet.genogram.pages`), the drawing kept once and shown by each page."""
    placed = placed or layout(genogram)
    sheet = paginate(genogram, placed)
    heading = title or f"Genogram of {genogram.person(genogram.index_id).name}"
    drawing = _drawing(genogram, placed)
    if len(sheet.pages) == 1:
        return _document([_page(genogram, drawing, sheet, sheet.pages[0], heading)], sheet, heading)
    shown = [f'<use xlink:href="#{_DRAWING}"/>']
    kept = [f'<defs><g id="{_DRAWING}">', *drawing, "</g></defs>"]
    return _document([_page(genogram, shown, sheet, page, heading) for page in sheet.pages], sheet, heading, kept)


def _document(bodies: list[list[str]], sheet: Sheet, heading: str, kept: list[str] | None = None) -> str:
    """Pages one under the other in an SVG document of the sheet's paper (the root carries the text's size)."""
    width, height = (297, 210) if sheet.paper == "A4" else (420, 297)
    n = len(bodies)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width}mm" height="{height * n}mm" '
        f'data-text-points="{sheet.points:.1f}" data-pages="{n}" data-paper="{sheet.paper}" '
        f'viewBox="0 0 {num(PAGE_WIDTH)} {num(PAGE_HEIGHT * n)}" role="img" aria-label={quoteattr(heading)}>',
        f"<title>{escape(heading)}</title>",
        *(kept or []),
    ]
    for i, body in enumerate(bodies):
        out += [f'<g class="page" data-page="{i + 1}" transform="translate(0 {num(i * PAGE_HEIGHT)})">', *body, "</g>"]
    out.append("</svg>")
    return "\n".join(out) + "\n"


def screen_svg(genogram: Genogram, placed: Layout | None = None, *, name_px: float = 12.0) -> str:
    """The genogram for a screen: the drawing at the size where names are ``name_px`` pixels and
    the key beside it, no page (the page around it lists the overlays). Its ``width`` and ``height``
    are that size in pixels: a page lets it grow to fill a wider column and scrolls it when it is
    wider than the screen, rather than shrinking a large family until its names cannot be read
    (as the A4 :func:`svg` must).
    """
    placed = placed or layout(genogram)
    index = genogram.person(genogram.index_id)
    scale = name_px / NAME_SIZE
    drawing_width = placed.width * scale + 2 * SIDE
    key, key_end = legend(drawing_width, SIDE + 12)
    width, height = drawing_width + PANEL, max(placed.height * scale, key_end) + 2 * SIDE
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" role="img" aria-label={quoteattr(f"Genogram of {index.name}")}>',
        f'<rect width="{num(width)}" height="{num(height)}" fill="#fff"/>',
        f'<g transform="translate({num(SIDE)} {num(SIDE)}) scale({scale:.4f})">',
        *_drawing(genogram, placed),
        "</g>",
        *key,
        "</svg>",
    ]
    return "\n".join(out) + "\n"
