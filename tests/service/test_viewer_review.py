"""The viewer's possible duplicates and review page over real HTTP: who sees and decides what,
what the access log keeps, the forms' CSRF and Origin checks, and escaping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from graphql_support import TODAY
from http_server import Service, serve
from viewer_support import ViewerClient, access_log

from familynet.access.auth import Role
from familynet.bundle.ingest import ingest_rows
from familynet.identity.resolution import Thresholds, resolve
from familynet.model.identity import Band, Candidate, Comparison, IdentityChanges
from familynet.stores.sqlite.store import open_sqlite
from identity_records import DUPLICATED

PURPOSE = "MASH screening of a police notification"
#: A record whose name is markup, in a pair queued by hand: the pages must print it as text.
MARKUP = "<img src=x onerror=alert(1)>"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The family with the mother linked to her police record and twins queued (P3 and P6), and a
    queued pair naming a record whose given name is markup (P2 and P7)."""
    path = tmp_path / "familynet.db"
    rows = {**DUPLICATED, "persons": [*DUPLICATED["persons"], {"person_id": "P7", "given_name": MARKUP,
            "family_name": "Okafor", "date_of_birth": "1950-01-01", "sex": "female", "recorded_by": "A2"}]}  # fmt: skip
    store = open_sqlite(path)
    try:
        ingest_rows(store, "family", rows, today=TODAY)
        resolve(store, Thresholds())
        weights = (Comparison("given_name", "else", -3.6), Comparison("nhs_number", "missing", 0.0))
        pair = Candidate("P2", "P7", 0.51, weights, Band.REVIEW, (), "familynet-identity", "1")
        store.apply_identity_changes(IdentityChanges(candidates_added=(pair,)))
    finally:
        store.close()
    return path


@pytest.fixture
def service(db: Path) -> Iterator[Service]:
    yield from serve(db, rate_limit=1000.0, rate_burst=1000)


def _decisions(db: Path) -> list[tuple[str, str, str, str]]:
    store = open_sqlite(db)
    try:
        return [(d.kind.value, d.left, d.right, d.user) for d in store.identity_state().decisions]
    finally:
        store.close()


def test_a_person_page_lists_their_possible_duplicates_and_logs_them(service: Service, db: Path) -> None:
    with ViewerClient(service.url) as viewer:
        viewer.sign_in(service.practitioner)
        page = viewer.post("/person", person="P3", purpose=PURPOSE)
        assert page.status_code == 200
        section = page.text[page.text.index('id="duplicates-heading"') :]
        assert "P6" in section and "possible twins" in section and 'action="/review"' in section
        assert re.search(r"<td>[01]\.\d{3}</td>", section)
        entry = access_log(db)[-1].request
        assert (entry.operation, entry.purpose, entry.person_ids) == ("reviewCandidates", PURPOSE, ("P3", "P6"))
        alone = viewer.post("/person", person="P4", purpose=PURPOSE)
        assert "No possible duplicates of this person are queued" in alone.text
    assert access_log(db)[-1].request.operation == "viewerPerson", "no pair: nothing more to log than the person"


def test_a_practitioner_sees_the_pairs_side_by_side_but_cannot_decide(service: Service, db: Path) -> None:
    with ViewerClient(service.url) as viewer:
        viewer.sign_in(service.practitioner)
        assert 'href="/review"' in viewer.get("/").text, "the search page offers the review"
        review = viewer.post("/review", person="P3", purpose=PURPOSE)
        assert review.status_code == 200
        assert "Pair 1:" in review.text and "Pair 2:" not in review.text
        assert "The weight of each comparison" in review.text and "family context" in review.text
        assert 'action="/review/decide"' not in review.text, "no decision form without the right"
        refused = viewer.post("/review/decide", person="P3", purpose=PURPOSE, left="P3", right="P6",
                              reason="twins", decision="distinct")  # fmt: skip
        assert refused.status_code == 403 and "may not decide identity" in refused.text
    assert _decisions(db) == []
    entry = access_log(db)[-1].request
    assert (entry.operation, entry.person_ids, entry.allowed) == ("markDistinct", ("P3", "P6"), False)


def test_the_records_role_reviews_the_queue_and_decides(service: Service, db: Path) -> None:
    with ViewerClient(service.url) as viewer:
        viewer.sign_in(service.tokens[Role.RECORDS])
        start = viewer.get("/review")
        assert start.status_code == 200 and "Why are you reviewing these records?" in start.text
        assert "P6" not in start.text, "nothing is read before a purpose is given"
        nameless = viewer.post("/review", person="", purpose="  ")
        assert nameless.status_code == 400 and "Say why" in nameless.text and "P6" not in nameless.text
        queue = viewer.post("/review", person="", purpose="weekly duplicate review")
        assert queue.text.count('action="/review/decide"') == 2
        assert "2 pairs queued" in queue.text
        unsure = viewer.post("/review/decide", person="", purpose="weekly duplicate review", left="P3", right="P6",
                             reason="", decision="distinct")  # fmt: skip
        assert unsure.status_code == 400 and "Say why you decide this" in unsure.text
        wrong = viewer.post("/review/decide", person="", purpose="weekly duplicate review", left="P1", right="P2",
                            reason="same woman", decision="link")  # fmt: skip
        assert wrong.status_code == 400 and "Nothing was decided: the link contradicts" in wrong.text
        done = viewer.post("/review/decide", person="", purpose="weekly duplicate review", left="P3", right="P6",
                           reason="twins: different given names", decision="distinct")  # fmt: skip
        assert done.status_code == 200 and "Decided: P3 and P6 are different people." in done.text
        assert "1 pair queued" in done.text
    assert _decisions(db) == [("distinct", "P3", "P6", "records-1")]
    logged = [(e.request.operation, e.request.purpose, e.request.person_ids) for e in access_log(db)[-2:]]
    assert logged == [("markDistinct", "twins: different given names", ("P3", "P6")),
                      ("reviewCandidates", "weekly duplicate review", ("P2", "P7"))]  # fmt: skip


def test_the_auditor_is_refused_the_review(service: Service) -> None:
    with ViewerClient(service.url) as viewer:
        viewer.sign_in(service.auditor)
        assert viewer.get("/review").status_code == 403
        assert viewer.post("/review", person="", purpose=PURPOSE).status_code == 403


@pytest.mark.parametrize("forged", [{"csrf": "not-the-token"}, {"origin": "https://evil.example"}])
def test_a_decision_from_another_site_is_refused(service: Service, db: Path, forged: dict[str, str]) -> None:
    headers = {"Origin": forged["origin"]} if "origin" in forged else {}
    with ViewerClient(service.url) as viewer:
        viewer.sign_in(service.tokens[Role.RECORDS])
        viewer.post("/review", person="", purpose=PURPOSE)
        fields = {"person": "", "purpose": PURPOSE, "left": "P3", "right": "P6", "reason": "twins",
                  "decision": "distinct", "csrf": forged.get("csrf", viewer.csrf)}  # fmt: skip
        answer = viewer.http.post("/review/decide", data=fields, headers=headers)
        assert answer.status_code == 403
    assert _decisions(db) == []


def test_names_are_printed_as_text(service: Service) -> None:
    with ViewerClient(service.url) as viewer:
        viewer.sign_in(service.tokens[Role.RECORDS])
        queue = viewer.post("/review", person="", purpose=PURPOSE)
        person = viewer.post("/person", person="P2", purpose=PURPOSE)
    for page in (queue, person):
        assert MARKUP not in page.text and "&lt;img src=x onerror=alert(1)&gt;" in page.text
