"""Every audit's HTML report in a real browser, as the household viewer is tested.

At a laptop's 1,280 px and a tablet's 820 px: a screenshot (test-artifacts/browser/),
no serious or critical axe-core violation, no sideways scrolling of the page, and every
chart label drawn inside its chart. Skipped visibly without Chromium or axe-core,
unless FAMILYNET_TEST_BROWSER=required (scripts/test).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import BrowserContext, Page, ViewportSize, sync_playwright
from test_viewer_browser import ARTIFACTS, AXE, CHROMIUM, FLAGS, REQUIRED, accessibility_problems

from familynet.analyses import AUDITS
from familynet.bundle.ingest import ingest_bundle
from familynet.cli import main
from familynet.stores.sqlite.store import open_sqlite
from familynet.synthetic import write_demo_bundle

SCREENS = {"laptop": ViewportSize(width=1280, height=800), "tablet": ViewportSize(width=820, height=1180)}
REPORTS = [a.name for a in AUDITS] + ["all"]

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and AXE.exists()) and not REQUIRED,
    reason="no browser: apt-get install chromium, npm ci --prefix tests/browser (scripts/test does both)",
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each audit's HTML report, with names, over ten years of a 60-household authority."""
    directory = tmp_path_factory.mktemp("reports")
    write_demo_bundle(directory / "bundle", 60, 1, today=dt.date(2026, 1, 1))
    store = open_sqlite(directory / "demo.db")
    try:
        ingest_bundle(store, directory / "bundle")
    finally:
        store.close()
    written = {}
    for name in REPORTS:
        path = directory / f"{name}.html"
        args = ["audit", name, "--from", "2016-01-01", "--to", "2025-12-31", "--format", "html", "--with-names"]
        result = CliRunner().invoke(main, [*args, "--output", str(path), "--db", str(directory / "demo.db")])
        assert result.exit_code == 0, result.output
        written[name] = path
    return written


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    tab.close()
    assert errors == [], "the report's script failed"


# Chart labels whose box reaches outside their chart's: none may be cut off.
_OUTSIDE = """() => [...document.querySelectorAll('figure svg')].flatMap(svg => {
  const frame = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => {
    const b = t.getBoundingClientRect();
    return b.left < frame.left - 0.5 || b.right > frame.right + 0.5 || b.top < frame.top - 0.5
      || b.bottom > frame.bottom + 0.5;
  }).map(t => t.textContent);
})"""


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("name", REPORTS)
def test_a_report_reads_on_a_laptop_and_a_tablet(page: Page, reports: dict[str, Path], name: str, screen: str) -> None:
    page.set_viewport_size(SCREENS[screen])
    page.goto(reports[name].as_uri())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-{name}-{screen}.png"), full_page=True)
    assert accessibility_problems(page) == []
    sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert sideways <= 0, f"the {name} report scrolls sideways on a {screen}"
    assert page.evaluate(_OUTSIDE) == []
    # Key messages before the detail, the definitions last.
    text = page.locator("main").inner_text()
    assert text.index("Key messages") < text.index("Definitions")


def test_a_long_table_is_paged_and_sorts(page: Page, reports: dict[str, Path]) -> None:
    # The report whose detail table is longest ("audit all" holds every audit's).
    page.goto(reports["all"].as_uri())
    tables = page.locator("table.detail")
    table = max((tables.nth(i) for i in range(tables.count())), key=lambda t: t.locator("tbody tr").count())
    rows = table.locator("tbody tr").count()
    assert rows > 50, "the demo authority has a table longer than a page"
    assert table.locator("tbody tr:not([hidden])").count() == 50
    table.locator("xpath=../following-sibling::div[@class='pages']").get_by_role("button", name="Next rows").click()
    assert table.locator("tbody tr:not([hidden])").count() == min(50, rows - 50)
    header = table.locator("thead th").first
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    shown = table.locator("tbody tr:not([hidden]) td:first-child").all_inner_texts()
    assert shown == sorted(shown)
