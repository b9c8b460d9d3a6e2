"""Ids of imported facts: the local authority's code first, so that pooled data never collides.

A source id (a child's LA id, an SSD row id) becomes ``<la>-<id>``. Facts a source gives no
id (Annex A and CIN census contacts, referrals, assessments and plans) get one made of what
they are, whose child and which day: ``<la>-REF-<child>-<yyyymmdd>``. The same referral in an
Annex A List 3 and a CIN census file so gets the same id, and the later import updates it; a
second fact of the same kind for the same child on the same day gets ``-2``, ``-3``, in the
order the source lists them.
"""

from __future__ import annotations

#: The prefix of each kind of fact a source gives no id.
KINDS = {
    "contact": "CON",
    "referral": "REF",
    "early_help": "EHA",
    "child_and_family": "ASM",
    "section_47": "S47",
    "child_in_need": "CINP",
    "child_protection": "CPP",
    "looked_after": "LAC",
}


def prefixed(la_code: str, source_id: str) -> str:
    """An id from a source, prefixed with its local authority.

    >>> prefixed("881", "C123")
    '881-C123'
    """
    return f"{la_code}-{source_id}"


class Derived:
    """Makes ids for facts a source gives none, counting repeats within one import.

    >>> d = Derived("881")
    >>> d.make("referral", "C1", "2024-05-01"), d.make("referral", "C1", "2024-05-01")
    ('881-REF-C1-20240501', '881-REF-C1-20240501-2')
    """

    def __init__(self, la_code: str) -> None:
        self.la_code = la_code
        self.seen: dict[str, int] = {}

    def make(self, kind: str, child_id: str, day: str) -> str:
        """The id of the next fact of ``kind`` about the child of source id ``child_id`` on ``day`` (ISO)."""
        base = f"{self.la_code}-{KINDS[kind]}-{child_id}-{day.replace('-', '')}"
        count = self.seen.get(base, 0) + 1
        self.seen[base] = count
        return base if count == 1 else f"{base}-{count}"
