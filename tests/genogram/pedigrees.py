"""Hand-built families for the genogram tests: blended families with many partners."""

from __future__ import annotations

from typing import Any

from families import POL, SC, D, builder, live, parent
from familynet.genogram.coordinates import Box, Point
from familynet.model.network import FamilyGraphBuilder

DAY = D(2024, 6, 1)


def three_partners() -> FamilyGraphBuilder:
    """Mother M has A and B by F1 (married, then divorced), C by F2 (cohabited, separated)
    and D by F3, with whom she lives; she expects E by F3. F1 has G by his wife W; F3 has H
    by an earlier partner X. M's parents are GM (deceased) and GF; F2's mother is GM2.
    M, C, D and F3 live in H1; police also record U there. The index child is C."""
    b = builder()
    for ident, sex, born in (
        ("GM", "female", "1950"),
        ("GF", "male", "1948"),
        ("GM2", "female", "1955-03"),
        ("M", "female", "1980-02-03"),
        ("F1", "male", "1978"),
        ("F2", "male", "1982"),
        ("F3", "male", "1985"),
        ("W", "female", "1981"),
        ("X", "female", "1986"),
        ("U", "male", "1990"),
        ("A", "female", "2004-01-01"),
        ("B", "male", "2006-05-05"),
        ("C", "female", "2012-07-07"),
        ("D", "male", "2019-09-09"),
        ("G", "female", "2011-01-01"),
        ("H", "male", "2010-03-03"),
    ):
        b.person(ident, sex=sex, date_of_birth=born, given_name=ident, family_name="Example")
    b.person("GM", sex="female", date_of_birth="1950", date_of_death="2020-01-01", given_name="GM")
    b.person("E", sex="unknown", expected_date_of_birth="2024-10-01")
    for p, c in (("GM", "M"), ("GF", "M"), ("GM2", "F2")):
        parent(b, p, c)
    for father, children in (("F1", "AB"), ("F2", "C"), ("F3", "DE")):
        for child in children:
            parent(b, "M", child)
            parent(b, father, child)
    parent(b, "F1", "G")
    parent(b, "W", "G")
    parent(b, "F3", "H")
    parent(b, "X", "H")
    b.relationship("GF", "GM", "partner_of", subtype="married", recorded_by=SC)
    b.relationship("F1", "M", "partner_of", subtype="divorced", start_date="2003-01-01", recorded_by=SC)
    b.relationship("F2", "M", "partner_of", subtype="separated", start_date="2011-01-01", recorded_by=SC)
    b.relationship("F3", "M", "partner_of", subtype="cohabiting", start_date="2018-01-01", recorded_by=SC)
    b.relationship("F1", "W", "partner_of", subtype="married", start_date="2009-01-01", recorded_by=SC)
    b.relationship(
        "F3", "X", "partner_of", subtype="dating", start_date="2009-01-01", end_date="2011-01-01", recorded_by=SC
    )
    live(b, "H1", "M", "C", "D", "F3")
    live(b, "H1", "U", by=POL)
    return b


def father_of_three() -> FamilyGraphBuilder:
    """Father F has K1 and K2 by M1, K3 by M2 and K4 and K5 by M3; M2 has K6 by another
    father F6. The index child is K3; K5 is adopted by F and M3 and K4 fostered by them."""
    b = builder()
    for ident, sex, born in (
        ("F", "male", "1975"),
        ("M1", "female", "1976"),
        ("M2", "female", "1980"),
        ("M3", "female", "1984"),
        ("F6", "male", "1979"),
        ("K1", "male", "2000-01-01"),
        ("K2", "female", "2002-01-01"),
        ("K3", "female", "2010-01-01"),
        ("K4", "male", "2015-01-01"),
        ("K5", "female", "2017-01-01"),
        ("K6", "male", "2008-01-01"),
    ):
        b.person(ident, sex=sex, date_of_birth=born)
    for mother, children in (
        ("M1", ("K1", "K2")),
        ("M2", ("K3",)),
        ("M3", ()),
    ):
        for child in children:
            parent(b, "F", child)
            parent(b, mother, child)
    for p in ("F", "M3"):
        parent(b, p, "K5", "adoptive")
        parent(b, p, "K4", "foster")
    parent(b, "M2", "K6")
    parent(b, "F6", "K6")
    b.relationship("F", "M1", "partner_of", subtype="divorced", start_date="1998-01-01", recorded_by=SC)
    b.relationship("F", "M2", "partner_of", subtype="separated", start_date="2009-01-01", recorded_by=SC)
    b.relationship("F", "M3", "partner_of", subtype="married", start_date="2014-01-01", recorded_by=SC)
    b.relationship("M2", "F6", "partner_of", subtype="dating", start_date="2007-01-01", recorded_by=SC)
    live(b, "H1", "M2", "K3", "K6")
    return b


def forty() -> FamilyGraphBuilder:
    """A 40-person blended family around the index child C, drawn on :data:`DAY` (the benchmark's): a
    mother with children by four partners, a father with children by three, a stepmother's child by
    her former husband, both sets of grandparents, adopted, fostered, deceased and unborn siblings,
    the child's own twins, a household with a lodger and his child, adults known to police only, and
    a referral naming an alleged perpetrator and raising domestic abuse."""
    b = builder()

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
    return b


def crosses(a: Point, b: Point, box: Box) -> bool:
    """Whether an axis-parallel segment enters the inside of a box (touching its edge is not)."""
    inset = 0.5
    left, right = min(a[0], b[0]), max(a[0], b[0])
    top, bottom = min(a[1], b[1]), max(a[1], b[1])
    return (
        left < box.right - inset and right > box.left + inset and top < box.bottom - inset and bottom > box.top + inset
    )


def triangle() -> FamilyGraphBuilder:
    """Three people partnered to each other (A and B, B and C, A and C), with a child of each couple: AB1
    and AB2 of A and B, BC of B and C, AC of A and C. The index child is BC."""
    b = builder()
    for ident, sex, born in (("A", "male", "1980"), ("B", "female", "1982"), ("C", "female", "1984")):
        b.person(ident, sex=sex, date_of_birth=born, given_name=ident, family_name="Example")
    for ident, born, parents in (
        ("AB1", "2005-01-01", "AB"),
        ("AB2", "2007-01-01", "AB"),
        ("AC", "2009-01-01", "AC"),
        ("BC", "2011-01-01", "BC"),
    ):
        b.person(ident, sex="female" if ident != "AC" else "male", date_of_birth=born, given_name=ident)
        for p in parents:
            parent(b, p, ident)
    b.relationship("A", "B", "partner_of", subtype="married", start_date="2004-01-01", recorded_by=SC)
    b.relationship("A", "C", "partner_of", subtype="dating", start_date="2008-01-01", recorded_by=SC)
    b.relationship("B", "C", "partner_of", subtype="cohabiting", start_date="2010-01-01", recorded_by=SC)
    live(b, "H1", "B", "C", "BC")
    return b
