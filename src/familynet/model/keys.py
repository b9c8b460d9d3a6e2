"""The node keys of the family graph: ``"<Label>:<id>"`` (``"Person:P1"``).

>>> person_node("P1"), check_node("C1"), plan_node("PL1")
('Person:P1', 'Check:C1', 'Plan:PL1')
"""

from __future__ import annotations


def node_key(label: str, ident: str) -> str:
    """The node key of a record: ``"<Label>:<id>"``."""
    return f"{label}:{ident}"


def person_node(ident: str) -> str:
    """The node key of a person."""
    return f"Person:{ident}"


def household_node(ident: str) -> str:
    """The node key of a household."""
    return f"Household:{ident}"


def agency_node(ident: str) -> str:
    """The node key of an agency."""
    return f"Agency:{ident}"


def referral_node(ident: str) -> str:
    """The node key of a referral or contact."""
    return f"Referral:{ident}"


def assessment_node(ident: str) -> str:
    """The node key of an assessment."""
    return f"Assessment:{ident}"


def check_node(ident: str) -> str:
    """The node key of a MASH check (a request to an agency for information)."""
    return f"Check:{ident}"


def plan_node(ident: str) -> str:
    """The node key of a child's plan."""
    return f"Plan:{ident}"
