"""Whether two siblings of one birth are identical twins (issue 16, defect 6): the bundle's optional
``twin`` column on a ``sibling_of``, stored alike in both stores, kept by a later load that does not
say, and read back into the family network the genogram draws from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bundles import FAMILY, Rows, write_bundle
from conftest import LoadRecords
from familynet.bundle.files import FILES, parse_row, read_rows
from familynet.bundle.ingest import ingest_bundle
from familynet.errors import Problem
from familynet.model.network import person_node
from familynet.model.records import Agency, Record, Relationship
from familynet.stores.protocol import Store
from identity_records import parent_of, person

TODAY = dt.date(2025, 6, 30)
SPEC = next(spec for spec in FILES if spec.name == "relationships")


def _rows(tmp_path: Path, rows: Rows) -> list[Record | list[Problem]]:
    write_bundle(tmp_path, {**FAMILY, "relationships": rows})
    out: list[Record | list[Problem]] = []
    for item in read_rows(tmp_path / "relationships.csv", SPEC):
        out.append([item] if isinstance(item, Problem) else parse_row(SPEC, item, TODAY))
    return out


def _sibling(**cells: str) -> dict[str, str]:
    return {"person_id": "P2", "related_person_id": "P3", "type": "sibling_of", "recorded_by": "A1", **cells}


@pytest.mark.parametrize("cell", ["identical", "non_identical", "unknown", ""])
def test_a_sibling_of_may_say_whether_twins_are_identical(tmp_path: Path, cell: str) -> None:
    (record,) = _rows(tmp_path, [_sibling(subtype="full", twin=cell)])
    assert isinstance(record, Relationship)
    assert record.twin == (cell or None)


def test_the_twin_column_may_be_left_out(tmp_path: Path) -> None:
    (record,) = _rows(tmp_path, [_sibling(subtype="full")])
    assert isinstance(record, Relationship) and record.twin is None


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (_sibling(twin="mirror"), "unknown code"),
        (
            {"person_id": "P1", "related_person_id": "P2", "type": "parent_of", "subtype": "birth",
             "recorded_by": "A1", "twin": "identical"},
            "only sibling_of says whether twins are identical",
        ),
    ],
)  # fmt: skip
def test_a_twin_value_is_refused_unless_a_sibling_of_of_the_vocabulary(
    tmp_path: Path, row: dict[str, str], reason: str
) -> None:
    (problems,) = _rows(tmp_path, [row])
    assert isinstance(problems, list)
    assert [(p.column, reason in p.reason) for p in problems] == [("twin", True)]


def _twins(twin: str | None) -> list[Record]:
    return [
        Agency("SC", "Children's Services", "social_care"),
        person("M", "Mary", "Example", "1990-01-01", "female"),
        person("T1", "Tom", "Example", "2015-03-03"),
        person("T2", "Tim", "Example", "2015-03-03"),
        parent_of("M", "T1"),
        parent_of("M", "T2"),
        Relationship("T1", "T2", "sibling_of", "full", None, None, None, "SC", twin),
    ]


def _twin(store: Store) -> object:
    graph = store.family_network("T1", hops=1)
    return next(
        attrs.get("twin")
        for _, _, attrs in graph.edges(person_node("T1"), data=True)
        if attrs.get("type") == "SIBLING_OF"
    )


def test_both_stores_keep_whether_twins_are_identical(store: Store, load: LoadRecords) -> None:
    load(store, _twins("identical"))
    assert _twin(store) == "identical"
    stored = [r for batch in store.facts("relationships") for r in batch if isinstance(r, Relationship)]
    assert [r.twin for r in stored if r.type == "sibling_of"] == ["identical"]
    # A later load that does not say (no twin column) keeps it; one that says otherwise changes it.
    load(store, _twins(None))
    assert _twin(store) == "identical"
    load(store, _twins("non_identical"))
    assert _twin(store) == "non_identical"


@pytest.mark.parametrize(("sex", "warned"), [("male", True), ("female", False), ("unknown", False)])
def test_identical_twins_of_different_recorded_sex_load_with_a_warning(
    store: Store, tmp_path: Path, sex: str, warned: bool
) -> None:
    # P2 is recorded female: her identical twin recorded male means one of the two records is wrong.
    twin = {"person_id": "P9", "given_name": "Ana", "family_name": "Nguyen", "date_of_birth": "2015-06-01",
            "sex": sex, "recorded_by": "A1"}  # fmt: skip
    bundle = {**FAMILY, "persons": [*FAMILY["persons"], twin],
              "relationships": [_sibling(related_person_id="P9", subtype="full", twin="identical")]}  # fmt: skip
    report = ingest_bundle(store, write_bundle(tmp_path / "b", bundle), today=TODAY)
    assert report.committed and report.files["relationships"].written.inserted == 1
    expected = [("relationships.csv", 2, "twin", "identical twins of different recorded sex")] if warned else []
    assert [(w.file, w.line, w.column, w.reason) for w in report.warnings] == expected
