"""Small hand-built family graphs for the rules' tests."""

from __future__ import annotations

import datetime as dt

import networkx as nx

from familynet.model.cohort import CohortBatch
from familynet.model.network import FamilyGraphBuilder

D = dt.date
SC, POL, HEA = "SC", "POL", "HEA"


def builder() -> FamilyGraphBuilder:
    """A builder holding the three agencies the tests use: social care, police and health."""
    b = FamilyGraphBuilder()
    b.agency(SC, name="Children's Services", kind="social_care")
    b.agency(POL, name="Police", kind="police")
    b.agency(HEA, name="Health", kind="health")
    return b


def parent(
    b: FamilyGraphBuilder,
    parent_id: str,
    child_id: str,
    subtype: str = "birth",
    *,
    parental_responsibility: bool | None = None,
    start_date: str | None = None,
) -> None:
    """Record ``parent_id`` as a parent of ``child_id``, by social care."""
    b.relationship(
        parent_id,
        child_id,
        "parent_of",
        subtype=subtype,
        recorded_by=SC,
        parental_responsibility=parental_responsibility,
        start_date=start_date,
    )


def live(b: FamilyGraphBuilder, household: str, *people: str, by: str = SC, role: str = "other") -> None:
    """Record each person as a member of ``household``."""
    b.household(household)
    for ident in people:
        b.membership(ident, household, role=role, recorded_by=by)


def expecting() -> FamilyGraphBuilder:
    """Mother M, recorded in H1, expects U on 1 September 2024."""
    b = builder()
    b.person("M", sex="female", date_of_birth="1995")
    b.person("U", expected_date_of_birth="2024-09-01")
    parent(b, "M", "U")
    live(b, "H1", "M")
    return b


def blended() -> FamilyGraphBuilder:
    """Mother M has C1 with F1 and C2 with F2. M, C1 and C2 live in H1 (social care);
    F2 lives in H2 with his child C3 by another mother M3; M cohabits with S, whose
    daughter SC1 lives in H3. On 2024-01-01 everyone under 18 is a child."""
    b = builder()
    for ident, sex, born in (
        ("M", "female", "1990"),
        ("F1", "male", "1988"),
        ("F2", "male", "1985-06"),
        ("M3", "female", "1987"),
        ("S", "male", "1980"),
        ("C1", "female", "2012-05-01"),
        ("C2", "male", "2016-09-10"),
        ("C3", "male", "2014-02-02"),
        ("SC1", "female", "2010-11-11"),
    ):
        b.person(ident, sex=sex, date_of_birth=born)
    parent(b, "M", "C1")
    parent(b, "F1", "C1")
    parent(b, "M", "C2")
    parent(b, "F2", "C2")
    parent(b, "F2", "C3")
    parent(b, "M3", "C3")
    parent(b, "S", "SC1")
    b.relationship("M", "S", "partner_of", subtype="cohabiting", recorded_by=SC)
    live(b, "H1", "M", "C1", "C2")
    live(b, "H2", "F2", "C3", "M3")
    live(b, "H3", "SC1")
    return b


def batches(graphs: list[nx.MultiDiGraph], subjects: list[list[str]], size: int | None) -> list[CohortBatch]:
    """Cohort batches of ``size`` subjects (all at once when None) in subject id order, each
    with the union of its subjects' family graphs, as a store extracts them.
    ``subjects[i]`` are the cohort subjects of ``graphs[i]``."""
    owner = {child: graph for graph, children in zip(graphs, subjects, strict=True) for child in children}
    ordered = sorted(owner)
    step = size or max(len(ordered), 1)
    found = []
    for first in range(0, len(ordered), step):
        chunk = ordered[first : first + step]
        unique = {id(owner[c]): owner[c] for c in chunk}
        found.append(CohortBatch(tuple(chunk), nx.compose_all(list(unique.values()))))
    return found
