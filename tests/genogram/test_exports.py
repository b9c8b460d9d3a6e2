"""GEDCOM 7, DOT and JSON exports of hand-built families."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable

import gedcom7
import gedcom_lite
import pytest
from pedigrees import DAY, father_of_three, forty, three_partners

from families import POL, SC, builder, live, parent
from familynet.genogram import genogram
from familynet.genogram.dot import dot
from familynet.genogram.gedcom import gedcom
from familynet.genogram.jsonmodel import json_model
from familynet.genogram.layout import layout
from familynet.genogram.printout import RenderError, pdf
from familynet.model.network import FamilyGraphBuilder


def _records(text: str) -> list[gedcom7.types.GedcomStructure]:
    """The file's records, once both independent parsers accept it."""
    records = gedcom7.loads(text)
    assert gedcom7.validate(records) == []
    lite = gedcom_lite.parse(text.encode())
    assert lite.version == "7.0" and lite.record_counts()["INDI"] == sum(r.tag == "INDI" for r in records)
    return records


def _sub(structure: gedcom7.types.GedcomStructure, tag: str) -> list[gedcom7.types.GedcomStructure]:
    return [c for c in structure.children if c.tag == tag]


def test_gedcom_head_records_and_trailer() -> None:
    g = genogram(three_partners().graph, "C", DAY)
    records = _records(gedcom(g))
    head = records[0]
    assert head.tag == "HEAD"
    (gedc,) = _sub(head, "GEDC")
    assert [v.text for v in _sub(gedc, "VERS")] == ["7.0"]
    assert records[-1].tag == "TRLR"
    indis = [r for r in records if r.tag == "INDI"]
    fams = [r for r in records if r.tag == "FAM"]
    assert sorted(_sub(r, "REFN")[0].text for r in indis) == sorted(p.person_id for p in g.people)
    assert len(fams) == len(g.couples) + 1  # each couple, and GM2, F2's lone recorded parent
    assert all([c.text for c in _sub(r, "RESN")] == ["CONFIDENTIAL"] for r in indis + fams)


def test_gedcom_pedigree_of_adopted_and_fostered_children() -> None:
    records = _records(gedcom(genogram(father_of_three().graph, "K3", DAY)))
    by_ref = {_sub(r, "REFN")[0].text: r for r in records if r.tag == "INDI"}
    pedi = {ref: sorted(p.text for f in _sub(r, "FAMC") for p in _sub(f, "PEDI")) for ref, r in by_ref.items()}
    assert pedi["K5"] == ["ADOPTED"]
    assert pedi["K4"] == ["FOSTER"]
    assert pedi["K3"] == ["BIRTH"]
    fams = {r.xref: r for r in records if r.tag == "FAM"}
    (k5_family,) = [f.pointer for f in _sub(by_ref["K5"], "FAMC")]
    partners = {p.pointer for p in _sub(fams[k5_family], "HUSB") + _sub(fams[k5_family], "WIFE")}
    assert partners == {by_ref["F"].xref, by_ref["M3"].xref}
    assert [d.tag for d in fams[k5_family].children if d.tag == "MARR"] == ["MARR"]


def test_gedcom_dates_names_and_unsafe_values() -> None:
    b = builder()
    b.person("C", sex="female", given_name="@nn\nLee", family_name="Smith/Jones", date_of_birth="2016-03-09")
    b.person("G", sex="male", date_of_birth="1940", date_of_death="2020-02-01")
    b.relationship("G", "C", "parent_of", subtype="birth")
    records = _records(gedcom(genogram(b.graph, "C", DAY)))
    by_ref = {_sub(r, "REFN")[0].text: r for r in records if r.tag == "INDI"}
    assert _sub(by_ref["C"], "NAME")[0].text == "@nn Lee /Smith Jones/"
    assert _sub(_sub(by_ref["C"], "BIRT")[0], "DATE")[0].text == "9 MAR 2016"
    assert _sub(_sub(by_ref["G"], "DEAT")[0], "DATE")[0].text == "1 FEB 2020"
    redacted = _records(gedcom(genogram(b.graph, "C", DAY, redact=True)))
    dates = [d.text for r in redacted if r.tag == "INDI" for e in r.children for d in _sub(e, "DATE")]
    assert sorted(dates) == ["1940", "2016", "2020"]


def test_dot_is_one_digraph_with_styles() -> None:
    text = dot(genogram(father_of_three().graph, "K3", DAY))
    assert text.startswith("digraph genogram {") and text.endswith("}\n")
    assert text.count("{") == text.count("}")
    assert '"K3" [label=' in text and 'peripheries="2"' in text
    assert 'style="dashed", class="adoptive"' in text
    assert 'style="dotted", class="foster"' in text
    assert 'subgraph "cluster_H1"' in text


def test_json_model_has_every_person_placed() -> None:
    g = genogram(three_partners().graph, "C", DAY)
    document = json.loads(json.dumps(json_model(g)))
    placed = layout(g)
    assert {b["person_id"] for b in document["layout"]["boxes"]} == {p.person_id for p in g.people}
    assert len(document["layout"]["drops"]) == len(placed.drops)
    assert document["genogram"]["people"][0].keys() >= {"person_id", "sex", "generation", "birth_rank", "in_household"}
    assert document["marking"] == "OFFICIAL-SENSITIVE"


def test_pdf_without_the_cairo_library_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cairosvg", None)  # as if it could not load libcairo
    with pytest.raises(RenderError, match=r"install Debian's libcairo2"):
        pdf(genogram(three_partners().graph, "C", DAY))


@pytest.mark.parametrize(("make", "index"), [(three_partners, "C"), (father_of_three, "K3"), (forty, "C")])
def test_gedcom_husband_and_wife_by_sex(make: Callable[[], FamilyGraphBuilder], index: str) -> None:
    """A woman is never HUSB, nor a man WIFE (unless both partners are of one sex); a lone mother is WIFE;
    so gedcom-lite, reading HUSB as father, names each child's father and mother rightly."""
    g = genogram(make().graph, index, DAY)
    doc = gedcom_lite.parse(gedcom(g).encode())
    sex = {r.xref: r.find("SEX").payload for r in doc.find_records("INDI")}
    for fam in doc.find_records("FAM"):
        husb = [sex[s.payload] for s in fam.find_all_children("HUSB")]
        wife = [sex[s.payload] for s in fam.find_all_children("WIFE")]
        assert "F" not in husb or wife == ["F"], fam.xref
        assert "M" not in wife or husb == ["M"], fam.xref
        if len(husb + wife) == 1:
            assert (wife == ["F"]) == ("F" in husb + wife), fam.xref


def blended() -> tuple[FamilyGraphBuilder, str]:
    """Every kind of couple and of descent: C's mother M, married to F (then divorced), separated from
    Q (A's father), formerly dating D and cohabiting with S, C's step-father, with whom she adopted K
    and fosters G; P and R, civil partners, are special guardians of C's brother H; police record A
    in the household H1."""
    b = builder()
    for ident, sex, born in (
        ("M", "female", "1980"),
        ("F", "male", "1978"),
        ("Q", "male", "1979"),
        ("S", "male", "1981"),
        ("D", "male", "1982"),
        ("P", "female", "1983"),
        ("R", "female", "1984"),
        ("C", "female", "2010-01-01"),
        ("A", "male", "2012-01-01"),
        ("K", "male", "2015-01-01"),
        ("G", "female", "2016-01-01"),
        ("H", "male", "2017-01-01"),
    ):
        b.person(ident, sex=sex, date_of_birth=born)
    for partner, subtype, start, end in (
        ("F", "divorced", "2005-06-01", "2011-03-01"),
        ("Q", "separated", "2011-04-01", "2013-01-01"),
        ("S", "cohabiting", "2014-02-01", None),
        ("D", "dating", "2013-03-01", "2013-09-01"),
    ):
        b.relationship(partner, "M", "partner_of", subtype=subtype, start_date=start, end_date=end, recorded_by=SC)
    b.relationship("P", "R", "partner_of", subtype="civil_partner", start_date="2012-05-01", recorded_by=SC)
    for p, c, kind in (
        ("M", "C", "birth"),
        ("F", "C", "birth"),
        ("M", "A", "birth"),
        ("Q", "A", "birth"),
        ("S", "C", "step"),
        ("M", "K", "adoptive"),
        ("S", "K", "adoptive"),
        ("M", "G", "foster"),
        ("S", "G", "foster"),
        ("P", "H", "special_guardian"),
        ("R", "H", "special_guardian"),
    ):
        parent(b, p, c, kind)
    b.relationship("H", "C", "sibling_of", subtype="unknown", recorded_by=SC)
    live(b, "H1", "M", "S", "C", "K", "G")
    live(b, "H1", "A", by=POL)
    return b, "C"


def test_gedcom_every_relationship_kind_survives_a_round_trip_through_gedcom_lite() -> None:
    b, index = blended()
    g = genogram(b.graph, index, DAY)
    text = gedcom(g)
    _records(text)
    doc = gedcom_lite.parse(text.encode())
    person = {r.find("REFN").payload: r for r in doc.find_records("INDI")}
    xref = {p: r.xref for p, r in person.items()}

    def family(*people: str) -> gedcom_lite.Structure:
        found = [
            f
            for f in doc.find_records("FAM")
            if {s.payload for s in f.find_all_children("HUSB") + f.find_all_children("WIFE")}
            == {xref[p] for p in people}
        ]
        assert len(found) == 1, people
        return found[0]

    def events(*people: str) -> list[tuple[str, str | None, str | None]]:
        fam = family(*people)
        return [
            (
                e.tag,
                e.find("TYPE").payload if e.find("TYPE") else None,
                e.find("DATE").payload if e.find("DATE") else None,
            )
            for e in fam.children
            if e.tag in {"MARR", "DIV", "EVEN"}
        ]

    assert events("F", "M") == [("MARR", None, "1 JUN 2005"), ("DIV", None, "1 MAR 2011")]
    assert events("Q", "M") == [("EVEN", "separated", "1 JAN 2013")]
    assert events("S", "M") == [("EVEN", "cohabiting", "1 FEB 2014")]
    assert events("D", "M") == [("EVEN", "dating", "1 MAR 2013"), ("EVEN", "ended", "1 SEP 2013")]
    assert events("P", "R") == [("MARR", "civil partnership", "1 MAY 2012")]
    # Parents through gedcom-lite's own model, and each child's pedigree in each family.
    parents = {c: {p.find("REFN").payload for p in gedcom_lite.parents_of(doc, person[c])} for c in "CAKG"}
    assert parents == {"C": {"M", "F", "S"}, "A": {"M", "Q"}, "K": {"M", "S"}, "G": {"M", "S"}}
    pedigree = {
        (
            c,
            frozenset(
                p.find("REFN").payload
                for p in gedcom_lite.parents_of(doc, gedcom_lite.Structure(0, "INDI", children=[f]))
            ),
        ): (
            f.find("PEDI").payload,
            f.find("PEDI").find("PHRASE").payload if f.find("PEDI").find("PHRASE") else None,
        )
        for c in "CAKGH"
        for f in person[c].find_all_children("FAMC")
    }
    assert pedigree[("C", frozenset({"F", "M"}))] == ("BIRTH", None)
    # The step-child is in her own mother's family with the step-father, not in one of his own.
    assert pedigree[("C", frozenset({"M", "S"}))] == ("OTHER", "step-parent")
    assert pedigree[("K", frozenset({"M", "S"}))] == ("ADOPTED", None)
    assert pedigree[("G", frozenset({"M", "S"}))] == ("FOSTER", None)
    assert pedigree[("H", frozenset({"P", "R"}))] == ("OTHER", "special guardian")
    # Siblings of the index child, and the household with its members (police's only, too).
    sibling = {
        p: [(s.payload, s.find("TYPE").payload) for s in r.find_all_children("_SIBL")] for p, r in person.items()
    }
    assert sibling["A"] == [(xref["C"], "half")] and sibling["H"] == [(xref["C"], "unknown")]
    (home,) = doc.find_records("_HOUS")
    members = {
        p: [(m.payload, m.find("TYPE").payload if m.find("TYPE") else None) for m in r.find_all_children("_HMEM")]
        for p, r in person.items()
    }
    assert {p for p, links in members.items() if links} == {"M", "S", "C", "K", "G", "A"}
    assert members["A"] == [(home.xref, "recorded by another agency only")] and members["C"] == [(home.xref, None)]
    head = next(r for r in doc.all_structures() if r.tag == "HEAD")
    assert {t.payload.split()[0] for t in head.find("SCHMA").find_all_children("TAG")} == {"_SIBL", "_HOUS", "_HMEM"}


def _graphviz() -> str:
    """The path of Graphviz's dot; required where FAMILYNET_TEST_GRAPHVIZ=required (scripts/test, CI)."""
    found = shutil.which("dot")
    if found is None:
        if os.environ.get("FAMILYNET_TEST_GRAPHVIZ") == "required":
            pytest.fail("Graphviz's dot is required (FAMILYNET_TEST_GRAPHVIZ=required) but not installed")
        pytest.skip("Graphviz's dot is not installed")
    return found


def test_dot_as_graphviz_draws_it_keeps_the_household_and_the_symbols() -> None:
    b = three_partners()
    b.person("X", sex="female", date_of_birth="1986", date_of_death="2023-01-01")
    g = genogram(b.graph, "C", DAY)
    drawn = subprocess.run([_graphviz(), "-Tsvg"], input=dot(g), capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(drawn)
    ns = {"s": "http://www.w3.org/2000/svg"}
    clusters = {c.findtext("s:title", namespaces=ns): c for c in root.iterfind(".//s:g[@class='cluster']", ns)}
    assert set(clusters) == {"cluster_H1"}
    frame = clusters["cluster_H1"].find("s:polygon", ns)
    assert frame is not None
    xs, ys = zip(*(map(float, pt.split(",")) for pt in frame.get("points", "").split()), strict=True)
    nodes = {n.findtext("s:title", namespaces=ns): n for n in root.iterfind(".//s:g[@class='node']", ns)}

    def centre(person_id: str) -> tuple[float, float]:
        shape = nodes[person_id].find("s:ellipse", ns)
        if shape is not None:
            return float(shape.get("cx") or 0), float(shape.get("cy") or 0)
        polygon = nodes[person_id].find("s:polygon", ns)
        assert polygon is not None
        points = [tuple(map(float, pt.split(","))) for pt in polygon.get("points", "").split()]
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)

    (home,) = g.households
    for member in home.members:
        x, y = centre(member)
        assert min(xs) < x < max(xs) and min(ys) < y < max(ys), member
    for p in g.people:
        node = nodes[p.person_id]
        kinds = {child.tag.split("}")[1] for child in node}
        # Circles are ellipses; squares, diamonds and triangles polygons; two outlines for the index child.
        assert ("ellipse" in kinds) == (p.sex.value == "female" and not p.unborn), p.person_id
        outlines = node.findall("s:ellipse", ns) + node.findall("s:polygon", ns)
        assert len(outlines) == (2 if p.index else 1), p.person_id
        assert ("X" in [t.text for t in node.iterfind("s:text", ns)]) == p.deceased, p.person_id
    # Fixed sizes: every square as wide as every other, whatever its label.
    squares = [nodes[p.person_id].find("s:polygon", ns) for p in g.people if p.sex.value == "male" and not p.index]
    widths = {
        round(max(xs) - min(xs))
        for xs in ([float(pt.split(",")[0]) for pt in sq.get("points", "").split()] for sq in squares if sq is not None)
    }
    assert len(widths) == 1 and len(squares) > 4, widths


def test_dot_styles_descent_as_the_svg_does() -> None:
    b, index = blended()
    text = dot(genogram(b.graph, index, DAY))
    styles = {
        line.split('class="')[1].split('"')[0]: line for line in text.splitlines() if 'class="' in line and "->" in line
    }
    assert 'style="dashed"' in styles["adoptive"] and 'style="dotted"' in styles["foster"]
    assert 'style="dotted,bold"' in styles["special_guardian"] and 'style="solid"' in styles["birth"]
    assert "step" not in styles  # a step-parent is shown by the couple line, as in the SVG
    assert 'fixedsize="true"' in text and 'newrank="true"' in text


def test_identical_twins_are_barred_in_the_svg_dot_and_json_when_recorded() -> None:
    from familynet.genogram.svg import svg

    b = forty()
    plain = genogram(b.graph, "C", DAY)
    b.relationship("B2", "B1", "sibling_of", subtype="full", recorded_by=SC, twin="identical")
    barred = genogram(b.graph, "C", DAY)
    assert 'class="identical-twins"' not in svg(plain) and "identical-twins" not in dot(plain)
    assert svg(barred).count('class="identical-twins"') == 1
    assert '"B1" -> "B2" [style="bold", constraint="false", class="identical-twins"];' in dot(barred)
    assert len(json_model(barred)["layout"]["identical_twin_bars"]) == 1
