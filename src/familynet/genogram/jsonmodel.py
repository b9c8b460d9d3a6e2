"""The genogram as JSON: the model and its layout, for other front ends to draw.

``genogram`` is the model (:mod:`familynet.genogram.model`, field for field);
``layout`` gives the coordinates, in drawing units with a symbol
:data:`~familynet.genogram.layout.SYMBOL` wide: each person's box by its centre,
each couple line, sibship line and drop as a list of ``[x, y]`` points, and the
household frames.

>>> import datetime as dt
>>> from familynet.model.network import FamilyGraphBuilder
>>> from familynet.genogram.selection import genogram
>>> b = FamilyGraphBuilder()
>>> b.person("C", sex="female", date_of_birth="2016-03-01")
>>> doc = json_model(genogram(b.graph, "C", dt.date(2024, 1, 1)))
>>> doc["genogram"]["people"][0]["sex"], doc["layout"]["boxes"][0]["size"]
('female', 40.0)
"""

from __future__ import annotations

import json
from typing import Any

from familynet.analyses import serialise
from familynet.genogram.coordinates import SYMBOL, Layout
from familynet.genogram.layout import layout
from familynet.genogram.model import Genogram
from familynet.genogram.svg import MARKING


def json_model(genogram: Genogram, placed: Layout | None = None) -> dict[str, Any]:
    """The JSON-ready document of a genogram and its layout."""
    placed = placed or layout(genogram)
    boxes = [{"person_id": b.person_id, "x": b.x, "y": b.y, "size": SYMBOL} for b in placed.boxes]
    document = {
        "marking": MARKING,
        "genogram": serialise(genogram),
        "layout": {
            "width": placed.width,
            "height": placed.height,
            "boxes": boxes,
            "couples": [
                {"first": c.couple.first, "second": c.couple.second, "points": c.points, "anchor": c.anchor}
                for c in placed.couples
            ],
            "sibships": [{"parents": s.parents, "kind": s.kind.value, "points": s.points} for s in placed.sibships],
            "drops": [
                {"parents": d.parents, "child": d.child, "kind": d.kind.value, "points": d.points} for d in placed.drops
            ],
            "boundaries": [serialise(b) for b in placed.boundaries],
            "identical_twin_bars": placed.bars,
        },
    }
    # Through JSON and back, so that enums become strings and tuples lists, as a reader sees them.
    plain: dict[str, Any] = json.loads(json.dumps(document))
    return plain
