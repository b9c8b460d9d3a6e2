"""Genograms: the family of a child on a date, drawn to the McGoldrick/Gerson conventions.

:func:`genogram` reads the model from a family graph with the rules of
:mod:`familynet.analyses`; :func:`layout` places it; :func:`svg`, :func:`dot`,
:func:`gedcom` and :func:`json_model` write it out. See ``docs/genogram.md``.
"""

from __future__ import annotations

from familynet.genogram.model import (
    Agency,
    Concern,
    Couple,
    CoupleKind,
    CoupleStatus,
    Descent,
    DescentKind,
    Flag,
    Genogram,
    Household,
    OverlayOptions,
    Overlays,
    Person,
    Sex,
)
from familynet.genogram.selection import genogram

__all__ = [
    "Agency",
    "Concern",
    "Couple",
    "CoupleKind",
    "CoupleStatus",
    "Descent",
    "DescentKind",
    "Flag",
    "Genogram",
    "Household",
    "OverlayOptions",
    "Overlays",
    "Person",
    "Sex",
    "genogram",
]
