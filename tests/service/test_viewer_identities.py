"""The viewer's household page over identities: each person once, "also recorded as" their other records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from http_server import Service, serve
from viewer_support import ViewerClient, access_log

from conftest import load_records
from familynet.stores.sqlite.store import open_sqlite
from identity_family import family, link_duplicates

PURPOSE = "section 47 enquiry"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    db = tmp_path / "familynet.db"
    store = open_sqlite(db)
    try:
        load_records(store, family())
        link_duplicates(store)
    finally:
        store.close()
    yield from serve(db)


def _household(service: Service, person_id: str) -> str:
    with ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        browser.get("/")
        browser.post("/person", person=person_id, purpose=PURPOSE)
        page = browser.post("/household", person=person_id, purpose=PURPOSE, on="2024-12-31")
    assert page.status_code == 200, page.text
    return page.text


def test_the_father_is_shown_once_also_recorded_by_the_police(service: Service, tmp_path: Path) -> None:
    text = _household(service, "C")
    assert "also recorded as FP (Police)" in text
    assert '<span class="id">FP</span>' not in text


def test_opening_health_s_record_of_the_baby_opens_the_baby(service: Service, tmp_path: Path) -> None:
    text = _household(service, "B")
    assert '<span class="id">U</span>' in text and "also recorded as B (Health)" in text
    household = access_log(tmp_path / "familynet.db")[-1].request
    assert household.operation == "viewerHousehold" and {"B", "U"} <= set(household.person_ids)
