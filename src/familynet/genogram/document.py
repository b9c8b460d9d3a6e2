"""A genogram written out in one format, as ``familynet genogram`` and the GraphQL field give it.

The command line and the API take the same parameters with the same defaults and
ranges (declared here and in :mod:`familynet.genogram.selection`), read the same
family network around the child (:func:`network_hops`), and write the same documents.

>>> import datetime as dt
>>> from familynet.model.network import FamilyGraphBuilder
>>> from familynet.genogram.selection import genogram
>>> b = FamilyGraphBuilder()
>>> b.person("C", sex="female", date_of_birth="2016-03-01")
>>> write(genogram(b.graph, "C", dt.date(2024, 1, 1)), Format.DOT).startswith("digraph genogram {")
True
>>> network_hops(2, 1), Format.PDF.binary, Format.SVG.media_type
(5, True, 'image/svg+xml')
"""

from __future__ import annotations

import json
from enum import StrEnum

from familynet.genogram.dot import dot
from familynet.genogram.gedcom import gedcom
from familynet.genogram.jsonmodel import json_model
from familynet.genogram.model import Genogram
from familynet.genogram.printout import pdf, png
from familynet.genogram.selection import check_generations
from familynet.genogram.svg import svg

#: Hops of the family network beyond the generations asked: the partners of the
#: parents of half-siblings, and members of the household, are a few steps out.
EXTRA_HOPS = 3

_MEDIA_TYPES = {
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "png": "image/png",
    "dot": "text/vnd.graphviz",
    "gedcom": "text/vnd.familysearch.gedcom",
    "json": "application/json",
}


class Format(StrEnum):
    """The formats a genogram is written in (docs/genogram.md, "Formats")."""

    SVG = "svg"
    PDF = "pdf"
    PNG = "png"
    DOT = "dot"
    GEDCOM = "gedcom"
    JSON = "json"

    @property
    def binary(self) -> bool:
        """PDF and PNG are bytes; the others are UTF-8 text."""
        return self in {Format.PDF, Format.PNG}

    @property
    def media_type(self) -> str:
        """The IANA media type of a document in this format."""
        return _MEDIA_TYPES[self.value]


def network_hops(generations_up: int, generations_down: int) -> int:
    """How far out from the child the store's family network is read for these generations
    (ParameterError when they are out of range: checked before the store is read)."""
    check_generations(generations_up, generations_down)
    return max(generations_up, generations_down) + EXTRA_HOPS


def write(drawn: Genogram, fmt: Format) -> str | bytes:
    """The genogram in ``fmt``: bytes for PDF and PNG, text for the others."""
    match fmt:
        case Format.PDF:
            return pdf(drawn)
        case Format.PNG:
            return png(drawn)
        case Format.SVG:
            return svg(drawn)
        case Format.DOT:
            return dot(drawn)
        case Format.GEDCOM:
            return gedcom(drawn)
        case Format.JSON:
            return json.dumps(json_model(drawn), indent=2, ensure_ascii=False) + "\n"
