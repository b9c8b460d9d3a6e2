"""A genogram on a date shows only what was true, and known, on that date (issue 16, defect 1)."""

from __future__ import annotations

import datetime as dt
import json
import re

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from families import SC, builder, parent
from familynet.analyses.facts import either_facts, in_facts, node_id
from familynet.genogram import genogram
from familynet.genogram.chronology import PREGNANCY_DAYS
from familynet.genogram.jsonmodel import json_model
from familynet.genogram.svg import svg
from familynet.model.dates import PartialDate
from familynet.model.network import FamilyGraphBuilder, person_node

PARTNER_SUBTYPES = ["married", "civil_partner", "cohabiting", "dating", "separated", "divorced"]
PARENT_SUBTYPES = ["birth", "birth", "adoptive", "step", "foster"]
ISO = re.compile(r"(due |\"expected\": \")?\b(\d{4}-\d{2}-\d{2})\b")


def _day(draw: st.DrawFn, first: int, last: int) -> dt.date:
    return draw(st.dates(dt.date(first, 1, 1), dt.date(last, 12, 31)))


@st.composite
def families(draw: st.DrawFn) -> tuple[FamilyGraphBuilder, str, dt.date]:
    """Up to 16 people born 1940 to 2025 (some only expected), dying, partnering (with starts and
    ends), parenting (foster placements with starts); a random index child and day."""
    b = builder()
    n = draw(st.integers(2, 16))
    born = sorted(_day(draw, 1940, 2025) for _ in range(n))
    people = [f"P{i}" for i in range(n)]
    for i, day in enumerate(born):
        died = _day(draw, day.year, 2026) if draw(st.booleans()) and day.year < 2000 else None
        if draw(st.integers(0, 5)) == 0:
            b.person(people[i], sex=draw(st.sampled_from(["male", "female", "unknown"])), expected_date_of_birth=day)
        else:
            b.person(
                people[i],
                sex=draw(st.sampled_from(["male", "female"])),
                date_of_birth=day.isoformat(),
                date_of_death=died,
            )
    for _ in range(draw(st.integers(0, 2 * n))):
        a, c = sorted(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
        if born[c].year - born[a].year >= 15:
            subtype = draw(st.sampled_from(PARENT_SUBTYPES))
            start = _day(draw, born[c].year, 2026) if subtype in {"foster", "step"} else None
            parent(b, people[a], people[c], subtype, start_date=start.isoformat() if start else None)
    for _ in range(draw(st.integers(0, n))):
        a, c = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        adult = max(born[a].year, born[c].year) + 16
        start = _day(draw, adult, max(adult, 2030))
        end = _day(draw, start.year, start.year + 15) if draw(st.booleans()) else None
        b.relationship(
            people[a],
            people[c],
            "partner_of",
            subtype=draw(st.sampled_from(PARTNER_SUBTYPES)),
            start_date=start.isoformat(),
            end_date=end.isoformat() if end else None,
            recorded_by=SC,
        )
    index = draw(st.sampled_from(people))
    earliest = min(born[people.index(index)].year, 2025)
    return b, index, _day(draw, earliest, 2026)


def _known(graph: nx.MultiDiGraph, person_id: str, day: dt.date) -> bool:
    attrs = graph.nodes[person_node(person_id)]
    recorded: PartialDate | None = attrs.get("date_of_birth")
    if recorded is not None:
        return recorded.latest() <= day
    expected: dt.date = attrs["expected_date_of_birth"]
    return expected <= day + dt.timedelta(days=PREGNANCY_DAYS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(families())
def test_nothing_after_the_day_is_drawn(family: tuple[FamilyGraphBuilder, str, dt.date]) -> None:
    b, index, day = family
    graph = b.graph
    if not _known(graph, index, day):
        return
    g = genogram(graph, index, day)
    for person_id in g.person_ids():
        assert _known(graph, person_id, day), person_id
    for p in g.people:
        assert p.died is None or p.died <= day.isoformat()
        assert p.expected is None or p.unborn
    for c in g.couples:
        assert c.start is None or c.start <= day.isoformat()
        assert c.end is None or c.end <= day.isoformat()
        if c.status.value == "widowed":
            deaths = [graph.nodes[person_node(p)].get("date_of_death") for p in (c.first, c.second)]
            assert any(d is not None and d <= day for d in deaths), (c, deaths)
        elif c.status.value != "current":
            # Separated, divorced or ended: some fact of the pair ended by the day (or gives no end).
            ends = [
                attrs.get("end_date")
                for other, attrs in either_facts(graph, person_node(c.first), "PARTNER_OF")
                if node_id(other) == c.second
            ]
            assert any(e is None or e <= day for e in ends), (c, ends)
    for d in g.descents:
        starts = [
            attrs.get("start_date")
            for other, attrs in in_facts(graph, person_node(d.child), "PARENT_OF")
            if node_id(other) == d.parent
        ]
        assert any(s is None or s <= day for s in starts)
    # Every date written anywhere (but a due date) is on or before the day.
    written = json.dumps(json_model(g)) + svg(g)
    for due, date in ISO.findall(written):
        assert due or date <= day.isoformat(), date


def test_later_siblings_partners_and_divorce_are_not_drawn_early() -> None:
    """On 2012-08-01, C's sister D (born 2019) and the unborn E (due 2024) are not drawn, nor their
    father F3 (M's partner from 2018); M's divorce from F1, in 2010, shows; her separation from F2,
    in 2015, does not (nor its date), so they are drawn together."""
    b = builder()
    for ident, sex, born in (("M", "female", "1980"), ("F1", "male", "1978"), ("F2", "male", "1982")):
        b.person(ident, sex=sex, date_of_birth=born)
    b.person("F3", sex="male", date_of_birth="1985")
    for ident, born, father in (("A", "2004-01-01", "F1"), ("C", "2012-07-07", "F2"), ("D", "2019-09-09", "F3")):
        b.person(ident, sex="female", date_of_birth=born)
        parent(b, "M", ident)
        parent(b, father, ident)
    b.person("E", expected_date_of_birth="2024-10-01")
    parent(b, "M", "E")
    parent(b, "F3", "E")
    for partner, subtype, start, end in (
        ("F1", "divorced", "2003-01-01", "2010-06-01"),
        ("F2", "separated", "2011-01-01", "2015-01-01"),
        ("F3", "cohabiting", "2018-01-01", None),
    ):
        b.relationship(partner, "M", "partner_of", subtype=subtype, start_date=start, end_date=end, recorded_by=SC)
    g = genogram(b.graph, "C", dt.date(2012, 8, 1))
    assert {p.person_id for p in g.people} == {"M", "F1", "F2", "A", "C"}
    status = {(c.first, c.second): (c.kind.value, c.status.value, c.end) for c in g.couples}
    assert status == {
        ("F1", "M"): ("married", "divorced", "2010-06-01"),
        ("F2", "M"): ("unknown", "current", None),
    }


def test_an_unborn_child_is_drawn_once_the_pregnancy_is_known() -> None:
    b = builder()
    b.person("M", sex="female", date_of_birth="1990")
    b.person("C", sex="male", date_of_birth="2015-01-01")
    b.person("U", expected_date_of_birth="2024-10-01")
    for child in ("C", "U"):
        parent(b, "M", child)

    def drawn(on: dt.date) -> set[str]:
        return {p.person_id for p in genogram(b.graph, "C", on).people}

    assert "U" not in drawn(dt.date(2023, 12, 1))  # due in more than 280 days
    assert "U" in drawn(dt.date(2024, 1, 1))
    b.referral("R1", "U", received_on="2023-11-01")
    assert "U" in drawn(dt.date(2023, 12, 1))  # a referral about the unborn child makes it known
    assert "U" not in drawn(dt.date(2023, 10, 1))
