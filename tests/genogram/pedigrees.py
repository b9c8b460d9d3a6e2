"""Hand-built families for the genogram tests: blended families with many partners."""

from __future__ import annotations

from families import POL, SC, D, builder, live, parent
from familynet.genogram.layout import Box, Point
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


def crosses(a: Point, b: Point, box: Box) -> bool:
    """Whether an axis-parallel segment enters the inside of a box (touching its edge is not)."""
    inset = 0.5
    left, right = min(a[0], b[0]), max(a[0], b[0])
    top, bottom = min(a[1], b[1]), max(a[1], b[1])
    return (
        left < box.right - inset and right > box.left + inset and top < box.bottom - inset and bottom > box.top + inset
    )
