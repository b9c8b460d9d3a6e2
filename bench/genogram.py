"""Benchmark: the SVG genogram of a 40-person family (target: at most 100 ms).

Usage::

    .venv/bin/python bench/genogram.py [--runs 50]

Times the whole path from a family graph to the SVG text (who is drawn, by the
rules; the layout; the page), and each step, over ``--runs`` runs after one to
warm up. The family is built by hand, everyone in it drawn: a mother with
children by four partners, a father with children by three, a stepmother's child
by her former husband, both sets of grandparents, adopted, fostered, deceased and
unborn siblings, the child's own twins, a household with a lodger and his child,
adults known to police only, and a referral naming an alleged perpetrator and
raising domestic abuse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import networkx as nx

from familynet.genogram import Genogram, genogram
from familynet.genogram.layout import layout
from familynet.genogram.svg import svg
from familynet.model.network import FamilyGraphBuilder

DAY = dt.date(2024, 6, 1)


def family() -> nx.MultiDiGraph:
    """A 40-person blended family around the index child C."""
    b = FamilyGraphBuilder()
    b.agency("SC", name="Children's Services", kind="social_care")
    b.agency("POL", name="Police", kind="police")

    def person(ident: str, sex: str, born: str, **extra: Any) -> None:
        b.person(ident, sex=sex, date_of_birth=born, given_name=ident, family_name="Bench", **extra)

    def child_of(child: str, *parents: str, subtype: str = "birth") -> None:
        for p in parents:
            b.relationship(p, child, "parent_of", subtype=subtype, recorded_by="SC")

    def couple(a: str, c: str, subtype: str, start: str) -> None:
        b.relationship(a, c, "partner_of", subtype=subtype, start_date=start, recorded_by="SC")

    for ident, sex, born in (("MGF", "male", "1950"), ("MGM", "female", "1952")):
        person(ident, sex, born)
    for ident, sex, born in (("FGF", "male", "1948"), ("FGM", "female", "1951")):
        person(ident, sex, born)
    couple("MGF", "MGM", "divorced", "1970-01-01")
    couple("FGF", "FGM", "married", "1968-01-01")
    person("M", "female", "1980-04-04")
    child_of("M", "MGF", "MGM")
    person("F", "male", "1979-05-05")
    child_of("F", "FGF", "FGM")
    for ident, born in (("P1", "1977"), ("P3", "1984"), ("FP", "1983")):
        person(ident, "male" if ident != "FP" else "female", born)
    couple("P1", "M", "divorced", "1998-01-01")
    couple("F", "M", "separated", "2005-01-01")
    couple("P3", "M", "cohabiting", "2015-01-01")
    couple("F", "FP", "married", "2014-01-01")
    children = {
        ("P1", "M"): [("S1", "female", "1999-01-01"), ("S2", "male", "2001-02-02")],
        ("F", "M"): [("S3", "male", "2006-03-03"), ("C", "female", "2008-04-04"), ("S4", "female", "2010-05-05")],
        ("P3", "M"): [("S5", "male", "2016-06-06"), ("S6", "female", "2018-07-07")],
        ("F", "FP"): [("S7", "male", "2015-08-08"), ("S8", "female", "2017-09-09")],
    }
    for parents, kids in children.items():
        for ident, sex, born in kids:
            person(ident, sex, born)
            child_of(ident, *parents)
    b.person("S9", expected_date_of_birth="2024-11-01")
    child_of("S9", "P3", "M")
    person("S10", "male", "2012-01-01")
    child_of("S10", "P3", "M", subtype="adoptive")
    person("S11", "female", "2013-01-01")
    child_of("S11", "P3", "M", subtype="foster")
    person("BF", "male", "2005")
    person("B1", "female", "2024-01-15")
    couple("BF", "C", "dating", "2023-01-01")
    child_of("B1", "C", "BF")
    person("X", "female", "1990-01-01", date_of_death="2021-01-01")
    person("XS", "male", "2012-02-02")
    couple("P3", "X", "cohabiting", "2010-01-01")
    child_of("XS", "P3", "X")
    for ident, sex, born in (("FP2", "female", "1981"), ("FPX", "male", "1980"), ("P4", "male", "1990")):
        person(ident, sex, born)
    couple("F", "FP2", "separated", "2002-01-01")
    couple("FPX", "FP", "divorced", "2008-01-01")
    couple("P4", "M", "dating", "2012-01-01")
    for ident, sex, born, parents in (
        ("S12", "male", "2003-01-01", ("F", "FP2")),
        ("S13", "female", "2004-06-01", ("F", "FP2")),
        ("S14", "male", "2009-01-01", ("FPX", "FP")),
        ("S15", "female", "2013-03-03", ("P4", "M")),
        ("B2", "male", "2024-01-15", ("C", "BF")),
    ):
        person(ident, sex, born)
        child_of(ident, *parents)
    person("S16", "male", "2007-01-01", date_of_death="2019-01-01")
    child_of("S16", "F", "M")
    for ident, sex, born in (
        ("L", "male", "1995"),
        ("L2", "female", "1996"),
        ("LK", "female", "2019"),
        ("R", "female", "1960"),
    ):
        person(ident, sex, born)
    person("UN", "male", "1985")
    person("UN2", "male", "1992")
    for ident in ("M", "P3", "C", "S4", "S5", "S6", "S9", "S10", "S11", "B1", "B2", "L", "L2", "LK", "R"):
        b.membership(ident, "H1", role="other", recorded_by="SC")
    for ident in ("UN", "UN2"):
        b.membership(ident, "H1", role="other", recorded_by="POL")
    b.household("H1", address="1 Bench Road")
    b.referral("R1", "C", received_on="2024-03-01", referrer_agency_id="POL", concerns="3B;2A")
    b.mention("R1", "M", role="parent")
    b.mention("R1", "P3", role="alleged_perpetrator")
    b.assessment("AS1", "C", referral_id="R1", started_on="2024-03-05")
    return b.graph


def _time(step: Callable[[], object], runs: int) -> list[float]:
    step()
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        found.append((time.perf_counter() - started) * 1000)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    options = parser.parse_args()
    graph = family()
    drawn: Genogram = genogram(graph, "C", DAY)
    placed = layout(drawn)
    steps: dict[str, Callable[[], object]] = {
        "graph to SVG": lambda: svg(genogram(graph, "C", DAY)),
        "who is drawn (rules, overlays)": lambda: genogram(graph, "C", DAY),
        "layout": lambda: layout(drawn),
        "SVG page": lambda: svg(drawn, placed),
    }
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print(f"{len(drawn.people)} people, {len(drawn.couples)} couples, {len(placed.drops)} descent lines\n")
    print("| step | median (ms) | p95 (ms) |")
    print("| --- | ---: | ---: |")
    for name, step in steps.items():
        times = sorted(_time(step, options.runs))
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        print(f"| {name} | {statistics.median(times):.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
