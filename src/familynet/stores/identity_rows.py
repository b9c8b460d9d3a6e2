"""Identity facts as flat rows, the same on both stores: comparisons and reasons as JSON text,
times as ISO 8601 text.

>>> from familynet.model.identity import Comparison
>>> comparisons_from_json(comparisons_json((Comparison("sex", "equal", 1.5),)))
(Comparison(name='sex', level='equal', weight=1.5),)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from familynet.model.identity import Alias, Band, Candidate, Comparison, Decision, DecisionKind, Link

Row = tuple[Any, ...]


def comparisons_json(comparisons: Sequence[Comparison]) -> str:
    """Comparisons as a JSON list of ``{name, level, weight}``."""
    return json.dumps([{"name": c.name, "level": c.level, "weight": c.weight} for c in comparisons])


def comparisons_from_json(text: str) -> tuple[Comparison, ...]:
    """The comparisons :func:`comparisons_json` wrote."""
    return tuple(Comparison(c["name"], c["level"], float(c["weight"])) for c in json.loads(text))


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def link_row(link: Link) -> Row:
    """A link's row, in the column order of ``identity_links``."""
    return (
        link.left,
        link.right,
        link.probability,
        comparisons_json(link.comparisons),
        link.model,
        link.model_version,
        link.user,
        link.reason,
        link.at.isoformat(),
    )


def link_from_row(row: Sequence[Any]) -> Link:
    """The link of a row :func:`link_row` made."""
    return Link(row[0], row[1], row[2], comparisons_from_json(row[3]), row[4], row[5], row[6], row[7], _time(row[8]))


def candidate_row(candidate: Candidate) -> Row:
    """A candidate's row, in the column order of ``identity_candidates``."""
    c = candidate
    reasons = json.dumps(list(c.reasons))
    return (c.left, c.right, c.probability, comparisons_json(c.comparisons), c.band.value, reasons, c.model,
            c.model_version)  # fmt: skip


def candidate_from_row(row: Sequence[Any]) -> Candidate:
    """The candidate of a row :func:`candidate_row` made."""
    reasons = tuple(json.loads(row[5]))
    return Candidate(
        row[0], row[1], float(row[2]), comparisons_from_json(row[3]), Band(row[4]), reasons, row[6], row[7]
    )


def decision_row(decision: Decision) -> Row:
    """A decision's row, in the column order of ``identity_decisions``."""
    d = decision
    left, right = d.pair
    return (d.kind.value, left, right, d.user, d.reason, d.at.isoformat())


def decision_from_row(row: Sequence[Any]) -> Decision:
    """The decision of a row :func:`decision_row` made."""
    return Decision(DecisionKind(row[0]), row[1], row[2], row[3], row[4], _time(row[5]))


def alias_row(alias: Alias) -> Row:
    """An alias's row."""
    return (alias.alias, alias.identity_id, alias.at.isoformat())


def alias_from_row(row: Sequence[Any]) -> Alias:
    """The alias of a row :func:`alias_row` made."""
    return Alias(row[0], row[1], _time(row[2]))
