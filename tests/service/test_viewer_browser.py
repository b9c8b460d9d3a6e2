"""The household viewer in a real browser: Debian's Chromium, headless, driven by Playwright.

A practitioner signs in, searches for a child, gives a purpose, reads the household
page and downloads the genogram, on a laptop's and a tablet's screen. Every page is
checked with axe-core (tests/browser, installed by ``npm ci``) for serious or critical
accessibility violations, and screenshots are kept in ``test-artifacts/browser/``.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (Debian's
``chromium`` package; ``FAMILYNET_TEST_CHROMIUM`` names another). Without it, or
without axe-core, the tests are skipped visibly, unless ``FAMILYNET_TEST_BROWSER=required``
(set by ``scripts/test``, so by CI), which makes them fail instead.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from http_server import Service, serve
from playwright.sync_api import BrowserContext, Page, ViewportSize, sync_playwright
from viewer_support import TODAY, Child, access_log, demo_database, rich_child

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("FAMILYNET_TEST_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
REQUIRED = os.environ.get("FAMILYNET_TEST_BROWSER", "") == "required"
#: Chromium's flags as root in a container: no sandbox, no GPU, nothing fetched in the background.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENS = {"laptop": ViewportSize(width=1366, height=768), "tablet": ViewportSize(width=820, height=1180)}
PURPOSE = "Strategy discussion about a police notification"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and AXE.exists()) and not REQUIRED,
    reason="no browser: apt-get install chromium, npm ci --prefix tests/browser (scripts/test does both)",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Child]:
    db = demo_database(tmp_path_factory.mktemp("browser"))
    return db, rich_child(db)


@pytest.fixture(scope="module")
def service(demo: tuple[Path, Child]) -> Iterator[Service]:
    yield from serve(demo[0])


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """One headless Chromium with a fresh profile for the module."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS, accept_downloads=True
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    """A fresh tab, signed out; fails the test if the page's policy blocked anything or a script failed."""
    browser.clear_cookies()
    tab = browser.new_page()
    problems: list[str] = []
    # A page answered 401 or 403 on purpose is "Failed to load resource"; its style sheet and script must load.
    tab.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type in {"error", "warning"} and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on("response", lambda r: problems.append(r.url) if "/static/" in r.url and r.status != 200 else None)
    # A download ends its navigation (net::ERR_ABORTED); any other request must not fail.
    tab.on("requestfailed", lambda r: problems.append(r.url) if not r.url.endswith("/genogram.svg") else None)
    yield tab
    tab.close()
    assert problems == [], "the pages ran with console errors (a Content-Security-Policy block?)"


def accessibility_problems(page: Page) -> list[str]:
    """axe-core's serious and critical violations of WCAG 2.2 A/AA (and best practice) on the page."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the browser's debugging protocol, which the page's CSP does not govern.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
    result: dict[str, Any] = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def shot(page: Page, screen: str, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{screen}-{name}.png"), full_page=True)


def check(page: Page, screen: str, name: str) -> None:
    """Screenshot the page, check it for accessibility, and that it fits the screen's width."""
    shot(page, screen, name)
    assert accessibility_problems(page) == [], name
    width = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert width <= 0, f"the {name} page scrolls sideways on a {screen}"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_practitioner_finds_a_child_and_reads_the_household(
    page: Page, service: Service, demo: tuple[Path, Child], screen: str
) -> None:
    db, child = demo
    page.set_viewport_size(SCREENS[screen])
    page.goto(service.url + "/")
    assert page.url == service.url + "/signin"
    check(page, screen, "1-signin")
    page.get_by_label("Your token").fill(service.practitioner)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Find a child").wait_for()
    check(page, screen, "2-search-form")

    page.get_by_label("Name").fill(child.family_name)
    page.get_by_label("Date of birth (optional)").fill(child.date_of_birth)
    page.get_by_label("Why are you searching?").fill(PURPOSE)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name=re.compile(r"\d+ (person|people) found")).wait_for()
    assert page.url == service.url + "/search", "no search term in the URL"
    check(page, screen, "2-search-results")

    full_name = f"{child.given_name} {child.family_name}"
    page.get_by_role("button", name=re.compile(f"Open the household of {full_name}, {child.person_id}")).click()
    page.get_by_role("heading", name="Why are you opening this record?").wait_for()
    assert page.get_by_label("Purpose").input_value() == PURPOSE
    check(page, screen, "3-purpose")
    page.get_by_label("The household on (optional)").fill(TODAY.isoformat())
    page.get_by_role("button", name="Open the household page").click()

    page.get_by_role("heading", name=f"Household of {full_name}", level=1).wait_for()
    siblings = page.locator("#siblings tbody tr")
    assert siblings.count() == len(child.sibling_ids)
    assert page.locator("#flags tbody tr").count() == len(child.flag_kinds)
    assert page.locator("figure.genogram svg").get_attribute("role") == "img"
    assert page.locator("figure.genogram svg [data-person-id]").count() > len(child.sibling_ids)
    assert page.get_by_role("button", name="Print this page").is_visible(), "the script ran"
    # Names are at least 12 px on screen whatever the family's size: the drawing fills its column, or scrolls.
    name_px = page.evaluate(
        "() => { const t = document.querySelector('figure.genogram svg g.person text');"
        " return parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a; }"
    )
    assert name_px >= 12 - 0.01, f"names are {name_px:.1f} px on a {screen}"  # 0.01: the screen matrix rounds
    frame, figure = (page.locator(f"figure.genogram {s}").bounding_box() for s in (".drawing", "svg"))
    assert frame is not None and figure is not None and figure["width"] >= frame["width"] - 1, "it fills its column"
    check(page, screen, "4-household")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the genogram (SVG)").click()
    saved = download.value
    assert saved.suggested_filename == f"genogram-{child.person_id}.svg"
    drawing = Path(saved.path()).read_text(encoding="utf-8")
    assert ET.fromstring(drawing).tag == "{http://www.w3.org/2000/svg}svg"
    assert full_name in drawing and "OFFICIAL-SENSITIVE" in drawing

    reads = [e.request for e in access_log(db) if e.request.correlation_id and e.request.purpose == PURPOSE]
    # A search is logged with the keyed hash of its terms after its name.
    operations = [r.operation.split(" terms:")[0] for r in reads][-4:]
    assert operations == ["viewerSearch", "viewerPerson", "viewerHousehold", "viewerGenogram"]
    household = reads[-2]
    assert household.person_ids[0] == child.person_id and set(child.sibling_ids) <= set(household.person_ids)

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    page.goto(service.url + "/")
    assert page.url == service.url + "/signin"


def test_the_keyboard_alone_signs_in_and_reaches_every_field_in_order(page: Page, service: Service) -> None:
    page.set_viewport_size(SCREENS["laptop"])
    page.goto(service.url + "/signin")

    def focused() -> str:
        return str(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))

    page.keyboard.press("Tab")
    assert focused() == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus is visible"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused() == "token"
    page.keyboard.type(service.practitioner)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Find a child").wait_for()
    order = []
    for _ in range(7):
        page.keyboard.press("Tab")
        order.append(focused())
    assert order == ["Skip to main content", "familynet household viewer", "Sign out", "name", "date_of_birth",
                     "purpose", "Search"]  # fmt: skip


def test_a_wrong_token_and_a_refused_role_read_clearly(page: Page, service: Service) -> None:
    page.set_viewport_size(SCREENS["tablet"])
    page.goto(service.url + "/signin")
    page.get_by_label("Your token").fill("fn_wrong")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().endswith("Sign-in failed: that token is not valid.")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert", "focus moves to the problem"
    check(page, "tablet", "5-signin-failed")
    page.get_by_label("Your token").fill(service.auditor)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Not allowed").wait_for()
    assert "The household viewer is for practitioners" in page.inner_text("main")
    check(page, "tablet", "6-refused")


def test_the_accessibility_check_finds_what_it_looks_for(page: Page) -> None:
    page.set_content('<html><body><input type="text"><img src="data:,"></body></html>')
    found = accessibility_problems(page)
    assert any(p.startswith("label (critical)") for p in found), found
    assert any(p.startswith("html-has-lang (serious)") for p in found), found
