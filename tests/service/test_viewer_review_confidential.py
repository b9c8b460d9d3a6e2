"""The viewer withholds a pair of records naming one marked confidential from all but the records
role and admins (a link could disclose where a person lives), over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from graphql_support import TODAY
from http_server import Service, serve
from viewer_support import ViewerClient, access_log

from familynet.access.auth import Role
from familynet.bundle.ingest import ingest_rows
from familynet.identity.resolution import Thresholds, resolve
from familynet.stores.sqlite.store import open_sqlite
from identity_records import DUPLICATED

PURPOSE = "MASH screening of a police notification"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The family with twins queued (P3 and P6), health's record of the twin P6 marked confidential."""
    path = tmp_path / "familynet.db"
    persons = [{**row, "confidential": "true"} if row["person_id"] == "P6" else row for row in DUPLICATED["persons"]]
    store = open_sqlite(path)
    try:
        ingest_rows(store, "family", {**DUPLICATED, "persons": persons}, today=TODAY)
        resolve(store, Thresholds())
    finally:
        store.close()
    return path


@pytest.fixture
def service(db: Path) -> Iterator[Service]:
    yield from serve(db, rate_limit=1000.0, rate_burst=1000)


def test_a_practitioner_is_told_a_review_is_pending_but_not_shown_the_confidential_record(
    service: Service, db: Path
) -> None:
    with ViewerClient(service.url) as viewer:
        viewer.sign_in(service.practitioner)
        page = viewer.post("/person", person="P3", purpose=PURPOSE)
        section = page.text[page.text.index('id="duplicates-heading"') :]
        assert "1 pair of records naming this person is queued for review but withheld" in section
        assert "P6" not in section and "No possible duplicates" not in section
        review = viewer.post("/review", person="P3", purpose=PURPOSE)
        assert "Pair 1:" not in review.text and "P6" not in review.text
        assert "1 more pair is queued but withheld" in review.text
        everyone = viewer.post("/review", person="", purpose=PURPOSE)
        assert "P6" not in everyone.text and "No pairs you may read are queued" in everyone.text
    assert not any("P6" in entry.request.person_ids for entry in access_log(db))


@pytest.mark.parametrize("role", [Role.RECORDS, Role.ADMIN])
def test_the_records_role_and_admins_review_the_pair(service: Service, role: Role) -> None:
    with ViewerClient(service.url) as viewer:
        viewer.sign_in(service.tokens[role])
        review = viewer.post("/review", person="P3", purpose=PURPOSE)
        assert "Pair 1:" in review.text and "P6" in review.text and "withheld" not in review.text
        assert '<th scope="row">Confidential</th><td>no</td><td>yes</td>' in review.text


def test_the_household_flags_keep_a_possible_duplicate_but_not_the_confidential_record(service: Service) -> None:
    with ViewerClient(service.url) as viewer:
        viewer.sign_in(service.practitioner)
        page = viewer.post("/household", person="P3", purpose=PURPOSE, on="2025-01-01")
        flags = page.text[page.text.index('id="flags-heading"') : page.text.index('id="households-heading"')]
        assert "records=P3,a record you may not see probability=" in flags
        assert "records=P3,P6" not in flags
    with ViewerClient(service.url) as viewer:
        viewer.sign_in(service.tokens[Role.RECORDS])
        page = viewer.post("/household", person="P3", purpose=PURPOSE, on="2025-01-01")
        assert "records=P3,P6 probability=" in page.text
