"""Every export is well-formed whatever text a bundle may hold: the SVG parses as XML, the GEDCOM
validates, the DOT is accepted by Graphviz and the JSON parses. Text is anything the bundle's cell
check accepts (familynet.model.text): so quotes, angle brackets, ampersands, at signs, slashes,
tabs, right-to-left marks and emoji, but no control character."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import gedcom7
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from families import SC, builder
from familynet.genogram import genogram
from familynet.genogram.document import Format, write
from familynet.model.text import forbidden_character

DAY = dt.date(2025, 1, 1)
#: Text a bundle cell may hold: any character of any plane but those familynet.model.text refuses.
CELL_TEXT = st.text(
    alphabet=st.characters(codec="utf-8").filter(lambda c: forbidden_character(c) is None), min_size=1, max_size=30
)
TRICKY = ["<svg>&amp;</svg>", "]]>", "\"quoted\" 'single'", "@ann@", "Smith/Jones", "a\tb", "\u202eevil", "👪 Zoë"]


def _family(given: str, family: str, address: str) -> str:
    b = builder()
    b.person("C", given_name=given, family_name=family, sex="female", date_of_birth="2016-03-09", recorded_by=SC)
    b.person("M", given_name=family, family_name=given, sex="female", date_of_birth="1990", recorded_by=SC)
    b.relationship("M", "C", "parent_of", subtype="birth", recorded_by=SC)
    b.household("H", address=address, postcode="E8 1AA")
    b.membership("C", "H", role="child", start_date="2016-03-09", recorded_by=SC)
    b.membership("M", "H", role="parent", start_date="2010-01-01", recorded_by=SC)
    exports = {fmt: write(genogram(b.graph, "C", DAY), fmt) for fmt in (Format.SVG, Format.DOT, Format.GEDCOM)}
    _check(exports)
    return str(exports[Format.SVG])


def _check(exports: dict[Format, str | bytes]) -> None:
    svg, dot, gedcom = (str(exports[f]) for f in (Format.SVG, Format.DOT, Format.GEDCOM))
    ElementTree.fromstring(svg.encode("utf-8"))  # strict XML 1.0: raises on a control character
    records = gedcom7.loads(gedcom)
    assert gedcom7.validate(records) == []
    assert all(forbidden_character(line, tab=True) is None for line in gedcom.splitlines())
    graphviz = shutil.which("dot")
    if graphviz is not None:
        checked = subprocess.run([graphviz, "-Tcanon"], input=dot.encode(), capture_output=True, check=False)
        assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_but_accepted_text_gives_well_formed_exports(text: str) -> None:
    _family(text, text, text)


@pytest.mark.parametrize("character", ["\x01", "\x0b", "\x1b"])
def test_the_check_fails_on_the_control_characters_the_bundle_refuses(character: str) -> None:
    # Why the bundle refuses them: the same family with one in a name gives malformed XML.
    with pytest.raises(ElementTree.ParseError):
        _family(f"Kid{character}Nul", "Lee", "1 Road")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(given=CELL_TEXT, family=CELL_TEXT, address=CELL_TEXT)
def test_any_text_a_bundle_accepts_gives_well_formed_exports(given: str, family: str, address: str) -> None:
    _family(given, family, address)


def test_json_export_parses() -> None:
    b = builder()
    b.person("C", given_name="\u202eZoë", family_name='"x"', sex="female", date_of_birth="2016", recorded_by=SC)
    document = json.loads(str(write(genogram(b.graph, "C", DAY), Format.JSON)))
    assert "\u202eZoë" in json.dumps(document, ensure_ascii=False)
