"""Each recorded household as one region of the drawing: rectangles whose union is connected.

A household's members may stand apart in a row (a partner, a sibling's parent between
them) and in several rows. Its region is a rectangle round each run of members side
by side, a bar under the labels joining the runs of a row (passing under the people
between, whose symbols and labels stay outside), and, from each row to the next row
with members, a bar under the upper row and a post down to the lower row's first run,
through the gap between rows, where no symbol stands (clear of any row crossed on the
way). So a reader sees one household, with the people in it inside it and nobody else.
"""

from __future__ import annotations

from familynet.genogram.coordinates import LABEL, LABEL_WIDTH, LEVEL, SYMBOL, Boundary
from familynet.genogram.couplelines import free_point
from familynet.genogram.model import Genogram
from familynet.genogram.placement import SLOT, Placer

#: The height of the bars joining a household's runs, and the width of the posts between rows.
BAR = 4.0


def _runs(row: list[str], inside: set[str]) -> list[list[str]]:
    """The household's members of a row, in runs of people standing side by side."""
    runs: list[list[str]] = []
    for i, p in enumerate(row):
        if p in inside:
            if runs and i > 0 and row[i - 1] == runs[-1][-1]:
                runs[-1].append(p)
            else:
                runs.append([p])
    return runs


def regions(genogram: Genogram, placer: Placer, y: dict[int, float]) -> list[Boundary]:
    """The rectangles of every recorded household's region (see the module docstring)."""
    found: list[Boundary] = []
    x = placer.x
    for household in genogram.households:
        inside = set(household.members)
        h = household.household_id
        above: tuple[int, float] | None = None  # the last row with members, and the middle of its first run
        for generation in placer.gens:
            runs = _runs(placer.rows[generation], inside)
            if not runs:
                continue
            top, bottom = y[generation] - SYMBOL / 2 - LEVEL, y[generation] + SYMBOL / 2 + LABEL + BAR
            boxes = [(x[r[0]] - SLOT / 2 + 6, x[r[-1]] + SLOT / 2 - 6) for r in runs]
            found += [Boundary(h, left, top, right, bottom) for left, right in boxes]
            if len(boxes) > 1:
                found.append(Boundary(h, boxes[0][0], bottom - BAR, boxes[-1][1], bottom))
            post = (boxes[0][0] + boxes[0][1]) / 2
            if above is not None:
                upper, from_x = above
                # Down through the rows between, in a gap between their people's symbols and labels.
                crossed = [
                    (x[p] - LABEL_WIDTH / 2, x[p] + LABEL_WIDTH / 2)
                    for g in placer.gens
                    if upper < g < generation
                    for p in placer.rows[g]
                ]
                post = free_point(boxes[0][0] + BAR, boxes[0][1] - BAR, post, crossed) or post
                join = y[upper] + SYMBOL / 2 + LABEL
                found.append(Boundary(h, min(from_x, post) - BAR / 2, join, max(from_x, post) + BAR / 2, join + BAR))
                found.append(Boundary(h, post - BAR / 2, join, post + BAR / 2, top))
            above = (generation, post)
    return found
