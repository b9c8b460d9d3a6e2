"""What every importer stages alike: the child, and the agency a referral came from."""

from __future__ import annotations

from familynet.imports.ids import prefixed
from familynet.imports.loading import Agent
from familynet.imports.staging import Source, Staging
from familynet.imports.values import mapping
from familynet.model.vocabulary import vocabulary


def source_agency(staging: Staging, agent: Agent, code: str, origin: Source, row: int) -> str:
    """Stage the agency that stands for a DfE source of referral ``code``, and return its id.

    The agency is ``<la>-SRC-<code>``, named after the code and of the kind ``common.toml``
    gives it, so that referrals keep their source's kind."""
    agency_id = prefixed(agent.la_code, f"SRC-{code}")
    name = f"Referral source {code}: {vocabulary().referral_source_codes[code]}"
    kind = mapping("common")["referral_source_kind"][code]
    staging.add("agencies", {"agency_id": agency_id, "name": name, "kind": kind}, origin, row, key=agency_id)
    return agency_id


def stage_child(
    staging: Staging, agent: Agent, person_id: str, cells: dict[str, str], origin: Source, row: int
) -> None:
    """Stage a child (once per import: the first row that names them speaks for them), recorded
    by the import's agency. ``cells`` holds only the person columns the source supplies."""
    person = {"person_id": person_id, "recorded_by": agent.agency_id, **cells}
    staging.add("persons", person, origin, row, key=person_id)
