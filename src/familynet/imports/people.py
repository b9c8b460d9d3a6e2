"""What every importer stages alike: the child, and the agency a referral came from."""

from __future__ import annotations

from familynet.imports.ids import prefixed
from familynet.imports.loading import Agent
from familynet.imports.staging import Source, Staging
from familynet.imports.values import mapping
from familynet.model.vocabulary import vocabulary


def source_agency(staging: Staging, agent: Agent, code: str, origin: Source, row: int) -> str:
    """Stage the agency that stands for a DfE source of referral ``code``, and return its id."""
    agency = referral_source(agent, code)
    staging.add("agencies", dict(zip(("agency_id", "name", "kind"), agency, strict=True)), origin, row, key=agency[0])
    return agency[0]


def referral_source(agent: Agent, code: str) -> tuple[str, str, str]:
    """The agency (id, name, kind) that stands for a DfE source of referral ``code``.

    The agency is ``<la>-SRC-<code>``, named after the code and of the kind ``common.toml``
    gives it, so that referrals keep their source's kind.

    >>> referral_source(Agent("881", "881-CSC"), "6")
    ('881-SRC-6', 'Referral source 6: Police', 'police')
    """
    name = f"Referral source {code}: {vocabulary().referral_source_codes[code]}"
    return prefixed(agent.la_code, f"SRC-{code}"), name, mapping("common")["referral_source_kind"][code]


def stage_child(
    staging: Staging, agent: Agent, person_id: str, cells: dict[str, str], origin: Source, row: int
) -> None:
    """Stage a child (once per import: the first row that names them speaks for them), recorded
    by the import's agency. ``cells`` holds only the person columns the source supplies."""
    person = {"person_id": person_id, "recorded_by": agent.agency_id, **cells}
    staging.add("persons", person, origin, row, key=person_id)
