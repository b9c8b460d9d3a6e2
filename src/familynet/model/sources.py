"""The sources of a stored fact: each format and source key a referral, assessment or plan was
imported from, and the load that first recorded it from there.

One referral can arrive from several formats (an SSD, a CIN census, an Annex A workbook): an
import matches it to the stored fact (:mod:`familynet.imports.matching`) and records one more
source for it, so that the fact is stored once and says where it came from.

>>> source = FactSource("referrals", "881-REF-12", "cin-census", "881-REF-C1-20240501", "cin-census:c.xml@sha256:00")
>>> source.fact_id, source.source_key
('881-REF-12', '881-REF-C1-20240501')
"""

from __future__ import annotations

from dataclasses import dataclass

#: The bundle files whose facts keep their sources.
SOURCED_FILES = ("referrals", "assessments", "plans")


@dataclass(frozen=True, order=True, slots=True)
class FactSource:
    """That the fact ``fact_id`` of ``file`` was imported from ``format`` as ``source_key``
    (the id the importer made for it: an SSD's row id or a CIN census's child and date key)."""

    file: str
    fact_id: str
    format: str
    source_key: str
    #: The source of the load that first recorded this source of the fact.
    recorded_in: str
