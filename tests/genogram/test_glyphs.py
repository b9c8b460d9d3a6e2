"""Every letter of every name the synthetic data uses prints in PDF and PNG: no empty boxes.

cairo draws a text in one font, with no fallback, so 王 in a font without it is the
"missing glyph" box. Each name's text element, exactly as the genogram's SVG writes it
(its font family), is rendered a letter at a time and compared with the same element
drawing a character no font has: a letter that renders as that box is missing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import cairosvg
import pytest
from click.testing import CliRunner

from bundles import FAMILY, write_bundle
from familynet.bundle.ingest import ingest_bundle
from familynet.cli import main
from familynet.stores.sqlite.store import open_sqlite
from familynet.synthetic import names

SVG = "{http://www.w3.org/2000/svg}"
#: A private-use character: no font draws it, so it renders as the missing-glyph box.
NO_GLYPH = "\U000f0000"


def _render(text: ET.Element, letter: str) -> bytes:
    attributes = {k: v for k, v in text.attrib.items() if k in ("font-family", "font-weight")}
    alone = ET.Element("text", {**attributes, "x": "10", "y": "50", "font-size": "40"})
    alone.text = letter
    page = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "width": "80", "height": "70"})
    page.append(ET.Element("rect", {"width": "80", "height": "70", "fill": "#fff"}))
    page.append(alone)
    png: bytes = cairosvg.svg2png(bytestring=ET.tostring(page))
    return png


def _letters() -> set[str]:
    """Every letter outside ASCII in the synthetic names' source: every script they use."""
    source = Path(names.__file__).read_text(encoding="utf-8")
    return {c for c in source if ord(c) > 127 and c.isalpha()}


@pytest.fixture
def drawn_names(tmp_path: Path) -> list[ET.Element]:
    """The name texts of a genogram of the FAMILY bundle (Zoë Nguyễn, Siobhán 王, ...)."""
    db = tmp_path / "family.db"
    store = open_sqlite(db)
    try:
        ingest_bundle(store, write_bundle(tmp_path / "bundle", FAMILY))
    finally:
        store.close()
    args = ["genogram", "P2", "--on", "2024-03-10", "--purpose", "fonts", "--db", str(db)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    texts = ET.fromstring(result.stdout.encode()).iter(f"{SVG}text")
    return [t for t in texts if t.text and any(ord(c) > 127 for c in t.text)]


def test_every_letter_of_every_name_has_a_glyph(drawn_names: list[ET.Element]) -> None:
    chinese = [t for t in drawn_names if "王" in (t.text or "")]
    assert chinese, "the bundle's Siobhán 王 is drawn"
    missing = []
    for text in drawn_names:
        for letter in sorted({c for c in text.text or "" if ord(c) > 127 and c.isalpha()}):
            if _render(text, letter) == _render(text, NO_GLYPH):
                missing.append(f"{letter} in {text.get('font-family')}")
    assert missing == []


def test_every_script_of_the_synthetic_names_has_a_glyph(drawn_names: list[ET.Element]) -> None:
    # Each letter drawn as a name with it would be: in the font the SVG names for such a text.
    latin = next(t for t in drawn_names if not _has_han(t.text or ""))
    chinese = next(t for t in drawn_names if _has_han(t.text or ""))
    missing = []
    for letter in sorted(_letters()):
        text = chinese if _has_han(letter) else latin
        if _render(text, letter) == _render(text, NO_GLYPH):
            missing.append(letter)
    assert missing == []


def _has_han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)
