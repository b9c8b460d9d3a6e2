"""Audit 5's home agency by default is the store's only agency of kind social_care, not the only one
among the cohort's family networks: the CLI, GraphQL and ``audit all`` on both stores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from graphql_support import AUDITOR, TODAY, data, execute, messages

from familynet.analyses.home import with_home_agency
from familynet.analyses.parameters import ParameterError
from familynet.bundle.ingest import ingest_rows
from familynet.cli import main
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite

Rows = list[dict[str, str]]
HOME = {"agency_id": "A1", "name": "Home Children's Services", "kind": "social_care"}
AWAY = {"agency_id": "SC2", "name": "Previous Authority's Children's Services", "kind": "social_care"}
POLICE = {"agency_id": "A2", "name": "Police", "kind": "police"}
PERIOD = {"from": "2024-01-01", "to": "2024-12-31"}


def _moved_in(*agencies: dict[str, str]) -> dict[str, Rows]:
    """A family who moved in from another authority (Southampton §8): the mother and the child are
    recorded by their previous authority's children's services (SC2) only, and the police refer
    the child. The home authority (A1), when the store holds it, records nothing about them."""
    return {
        "agencies": list(agencies),
        "persons": [
            {"person_id": "M", "date_of_birth": "1990-04-01", "sex": "female", "recorded_by": "SC2"},
            {"person_id": "C", "date_of_birth": "2016-05-01", "sex": "female", "recorded_by": "SC2"},
        ],
        "relationships": [
            {"person_id": "M", "related_person_id": "C", "type": "parent_of", "subtype": "birth",
             "parental_responsibility": "true", "recorded_by": "SC2"},
        ],
        "referrals": [
            {"referral_id": "R1", "kind": "contact", "child_id": "C", "received_on": "2024-03-04",
             "referrer_agency_id": "A2", "concerns": "3A", "outcome": "nfa"},
        ],
        # The MASH asked the police only.
        "checks": [{"check_id": "K1", "referral_id": "R1", "agency_id": "A2", "requested_at": "2024-03-04T10:00"}],
    }  # fmt: skip


def _loaded(store: Store, *agencies: dict[str, str]) -> Store:
    ingest_rows(store, "moved-in", _moved_in(*agencies), today=TODAY)
    return store


def _checks(store: Store, field: str, arguments: str = "") -> tuple[dict[str, Any] | None, list[str]]:
    wanted = "parameters" if field == "allAudits" else "parameters summary"
    query = f'{{ {field}(from: "{PERIOD["from"]}", to: "{PERIOD["to"]}"{arguments}) {{ {wanted} }} }}'
    result = execute(store, AUDITOR, query)
    return (data(result)[field] if result.data else None), messages(result)


def test_another_authoritys_childrens_services_is_never_home_by_default(store: Store) -> None:
    _loaded(store, HOME, AWAY, POLICE)
    several = "the store holds 2 agencies of kind social_care (A1, SC2): give home_agency (--home-agency)"
    assert _checks(store, "multiAgencyChecks") == (None, [several])
    assert _checks(store, "allAudits")[1] == [several]
    named, _ = _checks(store, "multiAgencyChecks", ', homeAgency: "A1"')
    assert named is not None and named["parameters"]["home_agency"] == "A1"
    # The previous authority is involved through its record of the mother's parenthood, and unasked.
    assert named["summary"]["unasked_by_agency_kind"] == {"social_care": 1}
    assert named["summary"]["unasked_by_basis"]["relationship"] == 1


def test_the_stores_only_social_care_agency_is_home_though_no_cohort_family_names_it(store: Store) -> None:
    _loaded(store, HOME, POLICE, {**AWAY, "kind": "health"})
    found, errors = _checks(store, "multiAgencyChecks")
    assert not errors and found is not None and found["parameters"]["home_agency"] == "A1"
    assert found["summary"]["unasked_by_agency_kind"] == {"health": 1}
    every, errors = _checks(store, "allAudits")
    assert not errors and every is not None and every["parameters"]["home_agency"] == "A1"


@pytest.mark.parametrize(
    ("agencies", "given", "message"),
    [
        ((POLICE, {**AWAY, "kind": "health"}), None, "the store holds no agency of kind social_care: give home_agency"),
        ((HOME, AWAY, POLICE), "A9", "home_agency A9 is not an agency of the store"),
    ],
)
def test_no_home_agency_in_the_store_or_an_unknown_one_is_refused(
    store: Store, agencies: tuple[dict[str, str], ...], given: str | None, message: str
) -> None:
    _loaded(store, *agencies)
    with pytest.raises(ParameterError, match=message):
        with_home_agency({"home_agency": given}, store)
    arguments = "" if given is None else f', homeAgency: "{given}"'
    found, errors = _checks(store, "multiAgencyChecks", arguments)
    assert found is None and len(errors) == 1 and errors[0].startswith(message)


def test_the_cli_takes_the_default_from_the_store_in_audit_checks_and_audit_all(tmp_path: Path) -> None:
    db = tmp_path / "moved-in.db"
    store = open_sqlite(db)
    try:
        _loaded(store, HOME, AWAY, POLICE)
    finally:
        store.close()
    runner = CliRunner()
    period = ["--from", PERIOD["from"], "--to", PERIOD["to"], "--db", str(db), "--format", "json"]
    for command in ("checks", "all"):
        refused = runner.invoke(main, ["audit", command, *period])
        assert refused.exit_code != 0
        assert "the store holds 2 agencies of kind social_care (A1, SC2): give home_agency" in refused.output
        one_process = ["--workers", "1"] if command == "all" else []
        named = runner.invoke(main, ["audit", command, *period, *one_process, "--home-agency", "A1"])
        assert named.exit_code == 0, named.output
        found = json.loads(named.stdout)
        assert (found["audits"]["checks"] if command == "all" else found)["parameters"]["home_agency"] == "A1"
