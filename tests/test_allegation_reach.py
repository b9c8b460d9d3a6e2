"""The allegations a family network reads: every contact or referral naming one of its persons
alleged perpetrator, about any child, on both stores (issue 14: "Allegations about other
families' children count too").

A man in the child's household named alleged perpetrator in a contact about a child with no
family link to anyone in the network (a neighbour's child) is reached only through that mention.
"""

from __future__ import annotations

import datetime as dt

from conftest import LoadRecords
from familynet.analyses import household_context
from familynet.model.records import Household, Membership, Mention, Record, Referral
from familynet.stores.protocol import Store
from identity_records import AGENCIES, POL, SC, parent_of, person

D = dt.date
ON = D(2026, 1, 1)
FLAG = "alleged_perpetrator_in_household"


def _records() -> list[Record]:
    """Child C lives with her mother M and M's partner S at H. A police contact about N, a
    neighbour's child with no recorded link to C's family, names S alleged perpetrator and N's
    mother NM as carer; N lives at H2."""
    return [
        *AGENCIES,
        person("C", "Lily", "Walsh", "2016-03-04", "female"),
        person("M", "Kerry", "Walsh", "1990-05-06", "female"),
        person("S", "Dean", "Price", "1985-01-02"),
        person("N", "Ryan", "Cole", "2012-07-08", by=POL),
        person("NM", "Tina", "Cole", "1988-02-03", "female", by=POL),
        parent_of("M", "C"),
        Household("H", "1 Street", "AB1 2CD", None),
        Household("H2", "3 Street", "AB1 2CE", None),
        Membership("H", "C", "child", D(2024, 1, 1), None, SC),
        Membership("H", "M", "parent", D(2024, 1, 1), None, SC),
        Membership("H", "S", "partner_of_parent", D(2025, 6, 1), None, SC),
        Membership("H2", "N", "child", D(2020, 1, 1), None, POL),
        Referral("RC", "contact", "C", D(2025, 11, 1), SC, ("3A",), "nfa", None, None, None),
        Referral("RN", "contact", "N", D(2025, 3, 1), POL, ("3A",), "nfa", None, None, None),
        Mention("RN", "S", "alleged_perpetrator"),
        Mention("RN", "NM", "carer"),
    ]


def test_a_man_in_the_household_named_about_a_child_outside_the_network_raises_the_flag(
    store: Store, load: LoadRecords
) -> None:
    load(store, _records())
    graph = store.family_network("C")
    (flag,) = [f for f in household_context(graph, "C", ON).flags if f.kind == FLAG]
    assert flag.person_id == "S"
    assert [(e.referral_id, e.about) for e in flag.evidence if e.referral_id] == [("RN", "other_child")]
    # The other child is the contact's subject and nothing more: none of N's facts or
    # households, nor the contact's other mentions, join C's network.
    assert "Person:N" in graph
    assert {"Household:H2", "Person:NM"}.isdisjoint(graph)
    mentions = {(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "MENTIONS"}
    assert mentions == {("Referral:RN", "Person:S")}
    # RN was received on 1 March 2025: a window opening on 2 March 2025 leaves it out.
    assert FLAG not in {f.kind for f in household_context(graph, "C", D(2026, 3, 2)).flags}


def test_the_cohort_batch_reads_the_same_allegations(store: Store, load: LoadRecords) -> None:
    load(store, _records())
    (batch,) = store.cohort(D(2025, 11, 1), D(2025, 11, 30))
    assert batch.child_ids == ("C",)
    mentions = {(u, v) for u, v, d in batch.graph.edges(data=True) if d["type"] == "MENTIONS"}
    assert ("Referral:RN", "Person:S") in mentions
    (flag,) = [f for f in household_context(batch.graph, "C", ON).flags if f.kind == FLAG]
    assert flag.person_id == "S"


def test_a_mention_in_another_role_about_another_child_is_not_read(store: Store, load: LoadRecords) -> None:
    records = [r for r in _records() if not isinstance(r, Mention)]
    load(store, [*records, Mention("RN", "S", "carer")])
    graph = store.family_network("C")
    assert FLAG not in {f.kind for f in household_context(graph, "C", ON).flags}
    # Only allegations are read from other families' contacts: this one does not reach the network.
    assert "Referral:RN" not in graph
