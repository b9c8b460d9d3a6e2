"""The couples of a genogram: partners on record, and the parents of a child drawn, as they stood on the day.

A partnership's record is one ``partner_of`` fact (or a few) whose subtype is its last
state: ``separated`` and ``divorced`` facts carry the day the relationship ended as
their end date. So on a day before that end the couple is still together (a divorced
couple is then married); a separation or divorce shows only once its end date has come,
or when the record gives no end date at all. No start or end after the day is kept.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("M", sex="female")
>>> b.person("F", sex="male")
>>> b.relationship("M", "F", "partner_of", subtype="divorced", start_date="2008-01-01", end_date="2019-01-01")
>>> [(c.first, c.kind.value, c.status.value, c.start, c.end) for c in couples(b.graph, {"M", "F"}, dt.date(2017, 1, 1))]
[('F', 'married', 'current', '2008-01-01', None)]
>>> [(c.status.value, c.end) for c in couples(b.graph, {"M", "F"}, dt.date(2020, 1, 1))]
[('divorced', '2019-01-01')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

import networkx as nx

from familynet.analyses import birth_parents
from familynet.analyses.facts import either_facts, is_active, node_id, person
from familynet.genogram.model import Couple, CoupleKind, CoupleStatus
from familynet.model.network import person_node

_KINDS = {kind.value: kind for kind in CoupleKind if kind not in {CoupleKind.UNKNOWN, CoupleKind.UNRECORDED}}
_ENDINGS = {"separated": CoupleStatus.SEPARATED, "divorced": CoupleStatus.DIVORCED}
_ONGOING = {CoupleStatus.CURRENT, CoupleStatus.ENDED}


def when(value: object, redact: bool) -> str | None:
    """A date as ``YYYY-MM-DD``, or its year when redacted.

    >>> when(dt.date(2015, 3, 1), False), when(dt.date(2015, 3, 1), True), when(None, False)
    ('2015-03-01', '2015', None)
    """
    if not isinstance(value, dt.date):
        return None
    return str(value.year) if redact else value.isoformat()


def _begun(attrs: Mapping[str, object], day: dt.date) -> bool:
    start = attrs.get("start_date")
    return start is None or (isinstance(start, dt.date) and start <= day)


def partners_by(graph: nx.MultiDiGraph, person_id: str, day: dt.date) -> set[str]:
    """Current and former partners: every ``partner_of`` begun by the day, ended or not."""
    facts = either_facts(graph, person_node(person_id), "PARTNER_OF")
    return {node_id(other) for other, attrs in facts if _begun(attrs, day)}


def _couple(first: str, second: str, facts: list[dict[str, object]], day: dt.date, death: dt.date | None) -> Couple:
    active = [f for f in facts if is_active(f, day)]
    latest = max(active or facts, key=lambda f: (f.get("start_date") or dt.date.min, str(f.get("subtype"))))
    subtype = str(latest.get("subtype"))
    end = latest.get("end_date")
    # An end after the day had not happened yet: the couple was together, and the date is not shown.
    ended = end if isinstance(end, dt.date) and end <= day else None
    kinds = [_KINDS[str(f["subtype"])] for f in facts if f.get("subtype") in _KINDS]
    if subtype in _ENDINGS and (end is None or ended is not None):
        status = _ENDINGS[subtype]
    else:
        status = CoupleStatus.CURRENT if active else CoupleStatus.ENDED
    # A partner's death ends a relationship not ended before it: the cross on the deceased says so, not a slash.
    if death is not None and status in _ONGOING and (ended is None or ended >= death):
        status = CoupleStatus.WIDOWED
    kind: CoupleKind
    if subtype in _KINDS:
        kind = _KINDS[subtype]
    elif kinds:
        kind = kinds[-1]
    else:
        kind = CoupleKind.MARRIED if subtype == "divorced" else CoupleKind.UNKNOWN
    return Couple(first, second, kind, status, when(latest.get("start_date"), False), when(ended, False))


def _death(graph: nx.MultiDiGraph, pair: tuple[str, str], day: dt.date) -> dt.date | None:
    """The first death of the two partners on or before the day."""
    deaths = [d for p in pair if isinstance(d := person(graph, p).get("date_of_death"), dt.date) and d <= day]
    return min(deaths, default=None)


def ordered_pair(graph: nx.MultiDiGraph, a: str, b: str) -> tuple[str, str]:
    """A man to the left of a woman (the genogram convention), else by id."""
    rank = {"male": 0, "unknown": 1, "female": 2}
    return min((a, b), (b, a), key=lambda pair: (rank.get(str(person(graph, pair[0]).get("sex")), 1), pair))


def couples(graph: nx.MultiDiGraph, drawn: set[str], day: dt.date, redact: bool = False) -> tuple[Couple, ...]:
    """The couples among the people drawn (partners begun by the day, and two birth parents of a child
    drawn) in the order they began; with years only when ``redact``."""
    facts: dict[tuple[str, str], list[dict[str, object]]] = {}
    for p in sorted(drawn):
        for other, attrs in either_facts(graph, person_node(p), "PARTNER_OF"):
            q = node_id(other)
            if q in drawn and _begun(attrs, day):
                facts.setdefault(ordered_pair(graph, p, q), []).append(dict(attrs))
    found = {
        pair: _couple(*pair, [dict(t) for t in {tuple(sorted(f.items())) for f in fs}], day, _death(graph, pair, day))
        for pair, fs in facts.items()
    }
    for child in sorted(drawn):
        known = sorted(birth_parents(graph, child, day) & drawn)
        for i, a in enumerate(known):
            for b in known[i + 1 :]:
                pair = ordered_pair(graph, a, b)
                if pair not in found:
                    found[pair] = Couple(*pair, CoupleKind.UNRECORDED, CoupleStatus.CURRENT, None, None)
    # In the order they began (undated first): partners stand in that order, redacted or not.
    ordered = [found[pair] for pair in sorted(found, key=lambda pair: (found[pair].start or "", pair))]
    if redact:
        return tuple(replace(c, start=c.start and c.start[:4], end=c.end and c.end[:4]) for c in ordered)
    return tuple(ordered)
