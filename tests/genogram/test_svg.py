"""The SVG page: symbols, couple and descent lines, legend, marking, escaping, redaction."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from pedigrees import DAY, father_of_three, three_partners

from families import POL, SC, builder, parent
from familynet.genogram import OverlayOptions, genogram
from familynet.genogram.pages import MIN_POINTS
from familynet.genogram.svg import MARKING, svg

NS = {"s": "http://www.w3.org/2000/svg"}


def _page(text: str) -> ET.Element:
    return ET.fromstring(text.encode())


def _person(page: ET.Element, person_id: str) -> ET.Element:
    (found,) = page.findall(f".//s:g[@data-person-id='{person_id}']", NS)
    return found


def _couple(page: ET.Element, first: str, second: str) -> ET.Element:
    (found,) = page.findall(f".//s:g[@class='couple'][@data-first='{first}'][@data-second='{second}']", NS)
    return found


def test_symbols_by_sex_death_birth_and_index() -> None:
    page = _page(svg(genogram(three_partners().graph, "C", DAY)))
    tag = {
        p: _person(page, p).find("s:*[@class='symbol']", NS).tag.split("}")[1]  # type: ignore[union-attr]
        for p in ("M", "F1", "E", "GM")
    }
    assert tag == {"M": "circle", "F1": "rect", "E": "path", "GM": "circle"}
    assert _person(page, "E").get("data-symbol") == "unborn"
    assert _person(page, "GM").findall("s:path[@class='deceased']", NS)
    assert not _person(page, "M").findall("s:path[@class='deceased']", NS)
    assert _person(page, "C").findall("s:*[@class='index-outline']", NS)
    assert not _person(page, "D").findall("s:*[@class='index-outline']", NS)


def test_a_person_of_unknown_sex_is_a_diamond() -> None:
    b = builder()
    b.person("C", sex="unknown", date_of_birth="2016-01-01")
    page = _page(svg(genogram(b.graph, "C", DAY)))
    symbol = _person(page, "C").find("s:path[@class='symbol']", NS)
    assert symbol is not None
    assert symbol.get("d", "").count("L") == 3  # four corners: a diamond


def test_couple_lines_by_kind_and_status() -> None:
    page = _page(svg(genogram(three_partners().graph, "C", DAY)))

    def style(first: str, second: str) -> tuple[str | None, int]:
        g = _couple(page, first, second)
        line = g.find("s:path", NS)
        assert line is not None
        return line.get("stroke-dasharray"), len(g.findall("s:path[@class='slash']", NS))

    assert style("F1", "W") == (None, 0)  # married: solid
    assert style("F1", "M") == (None, 2)  # divorced: two slashes
    assert style("F3", "M") == ("6 4", 0)  # cohabiting: dashed
    assert style("F3", "X")[0] == "6 4"  # dating, ended: dashed with a slash
    assert style("F3", "X")[1] == 1
    assert style("F2", "M")[1] == 1  # separated: one slash


def test_descent_lines_by_kind() -> None:
    page = _page(svg(genogram(father_of_three().graph, "K3", DAY)))
    dash = {
        d.get("data-child"): (d.get("data-kind"), d.get("stroke-dasharray"))
        for d in page.iterfind(".//s:path[@class='descent']", NS)
    }
    assert dash["K5"] == ("adoptive", "7 4")
    assert dash["K4"] == ("foster", "1.5 3")
    assert dash["K3"] == ("birth", None)


def test_legend_marking_title_and_a4_landscape() -> None:
    text = svg(genogram(three_partners().graph, "C", DAY))
    page = _page(text)
    # Drawn on A4 its text would be under 7 pt: the page is A3, where it is not.
    assert (page.get("width"), page.get("height")) == ("420mm", "297mm")
    assert float(page.get("data-text-points", "0")) >= MIN_POINTS
    texts = ["".join(t.itertext()) for t in page.iter("{http://www.w3.org/2000/svg}text")]
    assert texts.count(MARKING) == 2
    assert "Genogram of C Example" in texts
    assert any("on 2024-06-01" in t for t in texts)
    legend = page.find(".//s:g[@class='legend']", NS)
    assert legend is not None
    labels = {"".join(t.itertext()) for t in legend.iter("{http://www.w3.org/2000/svg}text")}
    assert {
        "male",
        "female",
        "sex unknown",
        "deceased",
        "unborn",
        "index child",
        "divorced",
        "adopted",
        "fostered",
    } <= labels


def test_every_text_is_escaped() -> None:
    b = builder()
    b.person(
        "C<&>",
        sex="female",
        given_name='<script>alert("x")</script>',
        family_name="O'Neil & Co",
        date_of_birth="2016-01-01",
    )
    b.household("H1", address="<b>1 Road</b>")
    b.membership("C<&>", "H1", role="child", recorded_by=SC)
    text = svg(genogram(b.graph, "C<&>", DAY))
    assert "<script>" not in text and "<b>" not in text
    page = _page(text)  # well-formed despite the names
    assert _person(page, "C<&>") is not None
    assert any("<script>" in "".join(t.itertext()) for t in page.iter("{http://www.w3.org/2000/svg}text"))


def test_overlays_each_switch_off() -> None:
    b = three_partners()
    b.referral("R1", "C", received_on="2024-03-01", referrer_agency_id=POL, concerns="3B")
    b.mention("R1", "M", role="parent")
    b.mention("R1", "F3", role="alleged_perpetrator")
    on = genogram(b.graph, "C", DAY)
    assert on.overlays.perpetrators == {"F3": ("R1",)}
    assert [(c.first, c.second, c.referrals) for c in on.overlays.domestic_abuse] == [("F3", "M", ("R1",))]
    assert ("member_only_in_other_agency_record", "U") in {(f.kind, f.person_id) for f in on.overlays.findings}
    assert {a.agency_id for a in on.overlays.agencies} == {SC, POL}
    page = _page(svg(on))
    assert _person(page, "F3").findall("s:g[@class='badge']", NS)
    assert _couple(page, "F3", "M").findall("s:path[@class='domestic-abuse']", NS)
    assert _person(page, "U").findall("s:g[@class='badge']", NS)
    off = genogram(b.graph, "C", DAY, overlays=OverlayOptions(False, False, False, False))
    assert off.overlays.perpetrators == {} and off.overlays.domestic_abuse == ()
    assert off.overlays.agencies == () and off.overlays.findings == ()
    page = _page(svg(off))
    assert not page.findall(".//s:g[@class='person']/s:g[@class='badge']", NS)
    assert not page.findall(".//s:g[@class='couple']/s:path[@class='domestic-abuse']", NS)


def test_an_unassessed_sibling_is_a_finding() -> None:
    b = builder()
    b.person("M", sex="female", date_of_birth="1990")
    b.person("F", sex="male", date_of_birth="1990")
    for child in ("C", "S"):
        b.person(child, date_of_birth="2015-01-01" if child == "C" else "2017-01-01")
        parent(b, "M", child)
        parent(b, "F", child)
    b.referral("R1", "C", received_on="2024-03-01", referrer_agency_id=POL, concerns="2A")
    b.assessment("X1", "C", referral_id="R1", started_on="2024-03-05")
    g = genogram(b.graph, "C", DAY)
    assert ("sibling_not_assessed", "S") in {(f.kind, f.person_id) for f in g.overlays.findings}
    b.assessment("X2", "S", started_on="2024-03-05")
    g = genogram(b.graph, "C", DAY)
    assert ("sibling_not_assessed", "S") not in {(f.kind, f.person_id) for f in g.overlays.findings}


def test_redaction_leaves_out_addresses_and_exact_dates() -> None:
    b = three_partners()
    b.household("H1", address="1 Example Road")
    plain = svg(genogram(b.graph, "C", DAY))
    assert "1 Example Road" in plain and "2012-07-07" in plain
    redacted = genogram(b.graph, "C", DAY, redact=True)
    text = svg(redacted)
    assert "1 Example Road" not in text
    assert "2012-07-07" not in text and "2012" in text
    assert "2024-10-01" not in text  # the expected date of the unborn child
    assert "redacted" in text
    assert all(p.born is None or len(p.born) == 4 for p in redacted.people)
    assert {(c.first, c.second): (c.start, c.end) for c in redacted.couples}[("F3", "X")] == ("2009", "2011")


def _numbers(path: str) -> list[tuple[float, float]]:
    """The points of an SVG path of M and L commands."""
    return [tuple(map(float, part[1:].split(","))) for part in path.replace(" Z", "").split()]  # type: ignore[misc]


def test_a_marriage_ended_by_death_has_no_slash_and_one_ended_before_keeps_it() -> None:
    b = three_partners()
    # F1 and M divorced in 2010, before F1 died in 2015; X died while dating F3 (their relationship's end).
    b.relationship("F1", "M", "partner_of", subtype="divorced", start_date="2003-01-01", end_date="2010-01-01")
    b.person("F1", sex="male", date_of_birth="1978", date_of_death="2015-01-01")
    b.person("X", sex="female", date_of_birth="1986", date_of_death="2011-01-01")
    g = genogram(b.graph, "C", DAY)
    status = {(c.first, c.second): c.status.value for c in g.couples}
    assert status[("GF", "GM")] == status[("F3", "X")] == "widowed"
    assert status[("F1", "M")] == "divorced"
    page = _page(svg(g))
    assert not _couple(page, "GF", "GM").findall("s:path[@class='slash']", NS)
    assert not _couple(page, "F3", "X").findall("s:path[@class='slash']", NS)
    assert len(_couple(page, "F1", "M").findall("s:path[@class='slash']", NS)) == 2
    assert _person(page, "GM").findall("s:path[@class='deceased']", NS)


def test_couple_lines_carry_their_years_redacted_or_not() -> None:
    b = three_partners()
    b.relationship("U", "W", "partner_of", subtype="separated", start_date="2012-01-01", end_date="2015-06-01")
    b.relationship("GF", "GM", "partner_of", subtype="married", start_date="1972-04-01", recorded_by=SC)
    for redact in (False, True):
        page = _page(svg(genogram(b.graph, "C", DAY, redact=redact)))

        def dates(first: str, second: str, page: ET.Element = page) -> str | None:
            return _couple(page, first, second).findtext("s:text[@class='couple-dates']", namespaces=NS)

        assert dates("GF", "GM") == "m. 1972"
        assert dates("U", "W") == "sep. 2015"
        assert dates("F1", "M") == "m. 2003"  # divorced, when not recorded
        assert dates("F3", "M") == "LT 2018"
        assert dates("F3", "X") == "ended 2011"


def test_the_domestic_abuse_zigzag_runs_beside_the_line() -> None:
    b = three_partners()
    b.referral("R1", "C", received_on="2024-03-01", referrer_agency_id=POL, concerns="3B")
    b.mention("R1", "M", role="parent")
    b.mention("R1", "F3", role="alleged_perpetrator")
    g = _couple(_page(svg(genogram(b.graph, "C", DAY))), "F3", "M")
    line = _numbers(g.find("s:path", NS).get("d", ""))  # type: ignore[union-attr]
    height = max(((a, c) for a, c in itertools.pairwise(line) if a[1] == c[1]), key=lambda s: abs(s[1][0] - s[0][0]))[
        0
    ][1]
    zigzag = _numbers(g.find("s:path[@class='domestic-abuse']", NS).get("d", ""))  # type: ignore[union-attr]
    assert min(y for _, y in zigzag) >= height + 2  # never on the line, which keeps its dashes


def test_the_index_childs_outline_is_not_covered_by_its_label() -> None:
    person = _person(_page(svg(genogram(three_partners().graph, "C", DAY))), "C")
    outline = person.find("s:*[@class='index-outline']", NS)
    label = person.find("s:rect[@class='label']", NS)
    assert outline is not None and label is not None
    assert float(label.get("y", "0")) > float(outline.get("cy", "0")) + float(outline.get("r", "0"))


def test_the_line_to_an_unborn_child_reaches_the_triangle() -> None:
    page = _page(svg(genogram(three_partners().graph, "C", DAY)))
    triangle = _person(page, "E").find("s:path[@class='symbol']", NS)
    apex = min(_numbers(triangle.get("d", "")), key=lambda p: p[1])  # type: ignore[union-attr]
    (drop,) = page.findall(".//s:path[@class='descent'][@data-child='E']", NS)
    end = _numbers(drop.get("d", ""))[-1]
    assert abs(end[0] - apex[0]) < 20 and end[1] == apex[1]


def test_every_glyph_of_a_chinese_name_renders() -> None:
    """Drawn by cairo (as PDF and PNG are), each character of a Chinese name is its own glyph: a font
    missing them would draw the same empty box for each."""
    cairosvg = pytest.importorskip("cairosvg")
    b = builder()
    b.person("C", sex="female", given_name="王秀英", family_name="Ó Dónaill", date_of_birth="2016-01-01")
    page = _page(svg(genogram(b.graph, "C", DAY)))
    (label,) = [t for t in _person(page, "C").iter("{http://www.w3.org/2000/svg}text") if "王" in "".join(t.itertext())]

    def drawn(char: str) -> bytes:
        label.text = char
        single = ET.tostring(page, encoding="unicode")
        return bytes(cairosvg.svg2png(bytestring=single.encode(), output_width=600))

    glyphs = [drawn(char) for char in "王秀英Ó"]
    assert len(set(glyphs)) == len(glyphs)
