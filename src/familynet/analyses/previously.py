"""What a household context shows as "previously recorded as": each kept version of a fact about
the persons it names, with the values a later load or mutation changed.

A version's changed values are those that differ from the version that replaced it: the
next kept version of the same fact, or the fact as now recorded in the family network.
Only versions whose persons the context names are shown (a relationship with a person the
context does not name would name them).

>>> from familynet.model.history import PreviousVersion
>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("M", sex="female", given_name="Ann", family_name="Smith", date_of_birth="1990", recorded_by="SC")
>>> values = (("given_name", "Ann"), ("family_name", "Jones"), ("date_of_birth", "1990"), ("recorded_by", "SC"))
>>> was = PreviousVersion("persons", "M", None, values, "bundle a", "2025-01-01", "bundle b", "2025-02-01")
>>> [(p.person_id, p.was) for p in previously_recorded(b.graph, [was], {"M"})]
[('M', (('family_name', 'Jones'),))]
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from familynet.model.history import PreviousVersion, as_text
from familynet.model.network import household_node, person_node

#: The fields that say which fact a version is of, by file: shown beside its changed values.
_KEYS = {
    "persons": ("person_id",),
    "household_members": ("person_id", "household_id", "recorded_by", "start_date"),
    "relationships": ("person_id", "related_person_id", "type", "recorded_by", "start_date"),
}


@dataclass(frozen=True)
class PreviouslyRecorded:
    """A fact about a person as it was recorded before a later load or mutation changed it."""

    person_id: str
    #: persons, household_members or relationships.
    file: str
    #: The fields that say which fact it is (a membership's household, a relationship's other person and type).
    fact: tuple[tuple[str, str | None], ...]
    #: The fields the change replaced, with the values they had (None: nothing was recorded).
    was: tuple[tuple[str, str | None], ...]
    recorded_by: str | None
    recorded_in: str | None
    recorded_at: str | None
    replaced_in: str | None
    replaced_at: str | None

    def describe(self) -> str:
        """In words, as the household context shows it: ``family_name Jones, date_of_birth 1990``."""
        return ", ".join(f"{name} {'(none)' if value is None else value}" for name, value in self.was)


def _identity(version: PreviousVersion) -> tuple[str, tuple[str | None, ...]]:
    return version.file, tuple(version.value(name) for name in _KEYS[version.file])


def _current(graph: nx.MultiDiGraph, version: PreviousVersion) -> Mapping[str, object] | None:
    """The fact as now recorded in ``graph`` (its attributes), or None when the graph lacks it."""
    value = version.value
    if version.file == "persons":
        node: Mapping[str, object] | None = graph.nodes.get(person_node(version.person_id))
        records = () if node is None else node.get("records") or ()
        # In the identity view a node holds its first record's values: another record's are not here.
        if records and records[0][0] != version.person_id:  # type: ignore[index]
            return None
        return node
    start = value("start_date")
    if version.file == "household_members":
        key = f"MEMBER_OF|{value('recorded_by')}|{start}"
        target = household_node(value("household_id") or "")
    else:
        key = f"{(value('type') or '').upper()}|{value('recorded_by')}|{start}"
        target = person_node(version.related_person_id or "")
    found: Mapping[str, object] | None = graph.get_edge_data(person_node(version.person_id), target, key)
    return found


def previously_recorded(
    graph: nx.MultiDiGraph, versions: Sequence[PreviousVersion], person_ids: Collection[str]
) -> tuple[PreviouslyRecorded, ...]:
    """The kept ``versions`` of facts about ``person_ids`` (in the order they were replaced), each
    with the values that differ from what replaced it; versions that changed nothing shown are left out."""
    named = set(person_ids)
    mine = [
        v for v in versions if v.person_id in named and (v.related_person_id is None or v.related_person_id in named)
    ]
    shown = []
    for i, version in enumerate(mine):
        later = next((v for v in mine[i + 1 :] if _identity(v) == _identity(version)), None)
        if later is not None:
            now: Mapping[str, str | None] = dict(later.values)
        else:
            current = _current(graph, version)
            if current is None and version.file == "persons":
                continue  # nothing to compare it with: not a change this context can show
            now = {name: as_text(name, (current or {}).get(name)) for name, _ in version.values}
        keys = _KEYS[version.file]
        was = tuple((name, value) for name, value in version.values if name not in keys and now.get(name) != value)
        if was:
            shown.append(
                PreviouslyRecorded(
                    version.person_id,
                    version.file,
                    tuple((name, version.value(name)) for name in keys[1:]),
                    was,
                    version.recorded_by,
                    version.recorded_in,
                    version.recorded_at,
                    version.replaced_in,
                    version.replaced_at,
                )
            )
    return tuple(shown)
