"""Property: each audit gives the same answer whatever the cohort's batches."""

from __future__ import annotations

import datetime as dt

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from families import HEA, POL, SC, batches, builder, parent
from familynet.analyses import AUDITS, all_audits, serialise
from familynet.model.identity_view import PendingReview
from familynet.model.network import FamilyGraphBuilder, person_node

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
AGENCIES = (SC, SC, POL, HEA)
DAYS = st.dates(dt.date(2023, 1, 1), dt.date(2025, 2, 28))
BIRTHS = st.one_of(
    st.dates(dt.date(2004, 1, 1), dt.date(2024, 12, 31)).map(dt.date.isoformat),
    st.integers(2005, 2024).map(str),
    st.tuples(st.integers(2005, 2024), st.integers(1, 12)).map(lambda ym: f"{ym[0]}-{ym[1]:02d}"),
)


#: The optional front-door facts of a referral received on a day: none supplied, or some.
FRONT_DOOR = st.sampled_from(
    [
        lambda day: {},
        lambda day: {"received_at": f"{day}T09:00", "decided_at": f"{day}T15:00", "rag": "red",
                     "feedback_sent_on": day, "threshold_stated": "child_in_need", "consent": "given"},
        lambda day: {"received_at": f"{day}T09:00", "decided_at": None, "rag": "green", "feedback_sent_on": None,
                     "threshold_stated": None},
    ]
)  # fmt: skip


@st.composite
def family(draw: st.DrawFn, prefix: str) -> tuple[nx.MultiDiGraph, list[str]]:
    """A random family: a mother, maybe a father and a partner with a child of his own,
    children born (or due) over twenty years, households by several agencies, and
    contacts, referrals, mentions and assessments. Returns the graph and the subjects
    of its contacts and referrals received in the audit period."""
    b: FamilyGraphBuilder = builder()
    mother, father, partner = f"{prefix}M", f"{prefix}F", f"{prefix}P"
    b.person(mother, sex="female", date_of_birth="1985")
    adults = [mother]
    children = [f"{prefix}C{i}" for i in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        b.person(father, sex="male", date_of_birth="1983", date_of_death=draw(st.none() | DAYS))
        adults.append(father)
    if draw(st.booleans()):
        b.person(partner, sex="male", date_of_birth="1980")
        b.relationship(
            mother, partner, "partner_of", subtype=draw(st.sampled_from(["cohabiting", "dating"])), recorded_by=SC
        )
        adults.append(partner)
        children.append(f"{prefix}PC")
        b.person(f"{prefix}PC", date_of_birth=draw(BIRTHS))
        parent(b, partner, f"{prefix}PC")
    households = [f"{prefix}H{i}" for i in range(draw(st.integers(1, 2)))]
    for child in children:
        if child.endswith("PC"):
            continue
        if draw(st.booleans()):
            b.person(child, date_of_birth=draw(BIRTHS))
        else:
            b.person(child, expected_date_of_birth=draw(DAYS))
        parent(b, mother, child)
        if father in adults and draw(st.booleans()):
            parent(b, father, child, subtype=draw(st.sampled_from(["birth", "adoptive", "step"])))
    for member in adults + children:
        for _ in range(draw(st.integers(0, 2))):
            b.household(household := draw(st.sampled_from(households)))
            b.membership(member, household, role="child" if member in children else "parent",
                         recorded_by=draw(st.sampled_from(AGENCIES)), start_date=draw(st.none() | DAYS))  # fmt: skip
    subjects = set()
    for child in children:
        # Contacts cluster around a date, as they do in a crisis, so that escalations occur.
        anchor = draw(DAYS)
        for n in range(draw(st.integers(0, 4))):
            ident, received = f"{child}R{n}", anchor + dt.timedelta(days=draw(st.integers(0, 120)))
            b.referral(
                ident, child, kind=draw(st.sampled_from(["contact", "referral", "referral"])), received_on=received,
                referrer_agency_id=draw(st.sampled_from(AGENCIES)), concerns=draw(st.sampled_from(["3A", "3B;18C", "21", "4B"])),
                outcome=draw(st.sampled_from([None, "nfa", "assessment", "section_47"])),
                **draw(FRONT_DOOR)(received),
            )  # fmt: skip
            if draw(st.booleans()):
                b.mention(
                    ident,
                    draw(st.sampled_from(adults)),
                    role=draw(st.sampled_from(["parent", "carer", "other", "alleged_perpetrator"])),
                )
            if draw(st.booleans()):
                b.check(f"{ident}K", ident, draw(st.sampled_from(AGENCIES)), requested_at=f"{received}T10:00",
                        responded_at=draw(st.sampled_from([None, f"{received}T12:00"])))  # fmt: skip
            if draw(st.booleans()):
                b.consideration(ident, draw(st.sampled_from(children)), considered_on=received)
            if START <= received <= END:
                subjects.add(child)
        for n in range(draw(st.integers(0, 2))):
            b.assessment(f"{child}A{n}", child, started_on=draw(DAYS), completed_on=draw(st.none() | DAYS))
        if draw(st.booleans()):
            b.plan(f"{child}P", child, draw(st.sampled_from(["child_in_need", "child_protection"])),
                   start_date=draw(DAYS))  # fmt: skip
    for member in draw(st.lists(st.sampled_from(adults + children), unique=True, max_size=2)):
        # A possible duplicate pending review, as the identity view flags one (some families have none).
        b.graph.nodes[person_node(member)]["pending_reviews"] = (PendingReview(member, f"{member}X", 0.9),)
    return b.graph, sorted(subjects)


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[list[nx.MultiDiGraph], list[list[str]]]:
    drawn = [draw(family(f"f{i}")) for i in range(draw(st.integers(1, 12)))]
    return [graph for graph, _ in drawn], [subjects for _, subjects in drawn]


@settings(max_examples=40, deadline=None)
@given(cohorts())
def test_every_audit_is_the_same_in_batches_of_1_7_and_all(
    cohort: tuple[list[nx.MultiDiGraph], list[list[str]]],
) -> None:
    graphs, subjects = cohort
    alone = {}
    for audit in AUDITS:
        answers = [serialise(audit(batches(graphs, subjects, size), START, END)) for size in (1, 7, None)]
        assert answers[0] == answers[1] == answers[2], audit.name
        alone[audit.name] = answers[0]
    # audit all remembers answers within a batch (and scans it once for persons under review):
    # each of its audits is still the audit alone, whatever the batches.
    for size in (1, 7, None):
        together = serialise(all_audits(batches(graphs, subjects, size), START, END))
        assert together["results"] == {name: alone[name] for name in together["results"]}, size
