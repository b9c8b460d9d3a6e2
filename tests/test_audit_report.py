"""Audit results as reports: definitions from docs/rules.md, names beside ids, safe CSV."""

from __future__ import annotations

import csv
import io

import pytest

from familynet.errors import ConfigurationError
from familynet.reports.definitions import HEADINGS, SHARED, definition, definitions
from familynet.reports.names import person_ids, with_names
from familynet.reports.report import Report, Table, render


def test_every_audit_has_its_definition_and_the_shared_ones() -> None:
    for audit, heading in HEADINGS.items():
        text = definitions(audit) if audit != "household" else definition(heading)
        assert "Readings taken" in text
        assert "| field |" not in text  # the JSON tables are left out
    assert definitions("siblings").endswith(definition(SHARED))
    assert "whose child\nhas an assessment starting within [received, received + 60 days]" in definition(
        HEADINGS["siblings"]
    )


def test_a_missing_section_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="no section 'Audit 9'"):
        definition("Audit 9")


def test_names_follow_each_person_id_column_and_go_into_the_json() -> None:
    table = Table("t", ("referral_id", "child_id", "sibling_id"), (("R1", "C1", None), ("R2", "C2", "C1")))
    report = Report("r", "", {}, {}, (table,), data={"rows": []})
    assert person_ids(report) == {"C1", "C2"}
    named = with_names(report, {"C1": ("Zoë", "Nguyễn"), "X": ("Not", "Shown")})
    assert named.tables[0].header == (
        "referral_id", "child_id", "child_given_name", "child_family_name",
        "sibling_id", "sibling_given_name", "sibling_family_name",
    )  # fmt: skip
    assert named.tables[0].rows == (
        ("R1", "C1", "Zoë", "Nguyễn", None, None, None),
        ("R2", "C2", None, None, "C1", "Zoë", "Nguyễn"),
    )
    assert named.data == {"rows": [], "names": {"C1": {"given_name": "Zoë", "family_name": "Nguyễn"}}}


def test_csv_cells_cannot_run_as_formulas() -> None:
    table = Table("t", ("referral_id", "evidence", "flag"), (("=HYPERLINK(1)", ("@a", "b"), True),))
    text = render(Report("r", "", {}, {}, (table,)), "csv")
    assert list(csv.DictReader(io.StringIO(text))) == [
        {"referral_id": "'=HYPERLINK(1)", "evidence": "'@a;b", "flag": "true"}
    ]
