"""Households from the SSD's addresses: people who share an address share a household.

An address names its household by its UPRN when it has one, otherwise by its normalised text
and postcode, so that the same dwelling written twice the same way is one household however
many people lived there, and whenever.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import NamedTuple

from familynet.imports.values import ValueProblem, mapping

_NOT_WORD = re.compile(r"[^a-z0-9]+")


class Address(NamedTuple):
    """A dwelling as the SSD gives it: its text, postcode and UPRN (each empty when unknown)."""

    text: str
    postcode: str
    uprn: str


def parse_address(cell: str, postcode: str) -> Address:
    """Read ``addr_address_json`` (a JSON object of address parts) and the postcode column.

    >>> parse_address('{"FLAT": "2", "HOUSE": "14", "STREET": "Mill Lane", "TOWN": "Fenmarsh", "UPRN": ""}', "fn49ql")
    Address(text='2, 14, Mill Lane, Fenmarsh', postcode='FN4 9QL', uprn='')
    """
    try:
        parts = json.loads(cell) if cell.strip() else {}
    except json.JSONDecodeError:
        raise ValueProblem("not a JSON object of address parts") from None
    if not isinstance(parts, dict):
        raise ValueProblem("not a JSON object of address parts")
    spec = mapping("ssd")["address"]
    words = [str(parts.get(name) or "").strip() for name in spec["parts"]]
    uprn = str(parts.get(spec["uprn"]) or "").strip()
    return Address(", ".join(w for w in words if w), postcode_form(postcode), uprn)


def postcode_form(postcode: str) -> str:
    """A postcode as familynet writes it: upper case, one space before its last three characters.

    >>> postcode_form(" fn4  9ql"), postcode_form("")
    ('FN4 9QL', '')
    """
    bare = "".join(postcode.split()).upper()
    return f"{bare[:-3]} {bare[-3:]}" if len(bare) > 3 else bare


def household_key(address: Address) -> str:
    """What names an address's household: its UPRN, or its normalised text and postcode.

    >>> household_key(Address("2 Mill Lane", "FN4 9QL", "100"))
    'U100'
    >>> household_key(Address("2, Mill  Lane.", "FN4 9QL", "")) == household_key(Address("2 mill lane", "fn49ql", ""))
    True
    """
    if address.uprn:
        return f"U{address.uprn}"
    normal = _NOT_WORD.sub(" ", address.text.lower()).strip()
    postcode = "".join(address.postcode.split()).upper()
    return "A" + hashlib.sha256(f"{normal}|{postcode}".encode()).hexdigest()[:16]
