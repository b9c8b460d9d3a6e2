"""Possible duplicates and the review page in headless Chromium, on the demo data resolved into
identities: a practitioner sees a person's possible duplicates and the pairs side by side; the
records role decides one. Every page is checked with axe-core and screenshotted at 1280 px
(``test-artifacts/browser/review-*.png``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_viewer_browser
from http_server import Service, serve
from playwright.sync_api import Page
from test_viewer_browser import accessibility_problems, shot
from viewer_support import access_log, demo_database

from familynet.access.auth import Role
from familynet.identity.resolution import Thresholds, resolve, review_queue
from familynet.model.identity import Candidate
from familynet.stores.sqlite.store import open_sqlite

PURPOSE = "Checking a possible duplicate record before a strategy discussion"
SCREEN = {"width": 1280, "height": 800}
# The household viewer's browser, tab and skip condition (Chromium and axe-core), shared.
pytestmark = test_viewer_browser.pytestmark
browser = test_viewer_browser.browser
page = test_viewer_browser.page


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Candidate, str]:
    """The demo data resolved into identities, the most likely queued pair, and its left record's name."""
    db = demo_database(tmp_path_factory.mktemp("review"))
    store = open_sqlite(db)
    try:
        resolve(store, Thresholds())
        queue = review_queue(store.identity_state())
        assert queue, "the demo data has no pair queued for review"
        left = store.person(queue[0].left)
    finally:
        store.close()
    assert left is not None
    return db, queue[0], f"{left.given_name or ''} {left.family_name or ''}".strip()


@pytest.fixture(scope="module")
def service(resolved: tuple[Path, Candidate, str]) -> Iterator[Service]:
    yield from serve(resolved[0], rate_limit=1000.0, rate_burst=1000)


def _check(page: Page, name: str) -> None:
    shot(page, "review", name)
    assert accessibility_problems(page) == [], name
    width = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert width <= 0, f"the {name} page scrolls sideways at 1280 px"


def _sign_in(page: Page, service: Service, token: str) -> None:
    page.set_viewport_size(SCREEN)  # type: ignore[arg-type]
    page.goto(service.url + "/signin")
    page.get_by_label("Your token").fill(token)
    page.get_by_role("button", name="Sign in").click()


def test_a_practitioner_sees_possible_duplicates_and_the_pairs_side_by_side(
    page: Page, service: Service, resolved: tuple[Path, Candidate, str]
) -> None:
    db, pair, name = resolved
    _sign_in(page, service, service.practitioner)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Why are you searching?").fill(PURPOSE)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name=re.compile(f"Open the household of .*, {pair.left}$")).click()
    page.wait_for_url(service.url + "/person")
    section = page.get_by_role("region", name="Possible duplicates")
    assert pair.right in section.inner_text()
    _check(page, "1-person-possible-duplicates")
    page.get_by_role("button", name=re.compile("Review these pairs")).click()
    page.wait_for_url(service.url + "/review")
    heading = page.get_by_role("heading", name=re.compile(f"Pair 1: {pair.left} and {pair.right}"))
    assert heading.is_visible()
    weights = page.get_by_role("table", name="The weight of each comparison").first
    assert re.search(r"[+-]\d+\.\d (for|against|no evidence)", weights.inner_text())
    assert page.locator("form[action='/review/decide']").count() == 0
    _check(page, "2-practitioner-review")
    logged = [e.request for e in access_log(db) if e.request.operation == "reviewCandidates"]
    assert logged and all(e.purpose == PURPOSE and pair.left in e.person_ids for e in logged)


def test_the_records_role_decides_a_pair(page: Page, service: Service, resolved: tuple[Path, Candidate, str]) -> None:
    db, pair, _ = resolved
    _sign_in(page, service, service.tokens[Role.RECORDS])
    page.get_by_role("link", name="Review possible duplicates").click()
    page.wait_for_url(service.url + "/review")
    _check(page, "3-review-purpose")
    page.get_by_label("Why are you reviewing these records?").fill("Weekly review of possible duplicates")
    page.get_by_role("button", name="Show the pairs").click()
    page.wait_for_url(service.url + "/review")
    _check(page, "4-records-review")
    first = page.locator("#pair-1")
    first.get_by_label("Why do you decide this?").fill("Different dates of birth on the birth certificate")
    first.get_by_role("button", name=re.compile("^Different people")).click()
    page.wait_for_url(service.url + "/review/decide")
    assert page.get_by_role("status").inner_text() == f"Decided: {pair.left} and {pair.right} are different people."
    _check(page, "5-decided")
    store = open_sqlite(db)
    try:
        (decision,) = store.identity_state().decisions
    finally:
        store.close()
    assert (decision.kind.value, decision.left, decision.right, decision.user) == (
        "distinct", pair.left, pair.right, "records-1")  # fmt: skip
