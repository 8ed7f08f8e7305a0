"""The HTML shortlist as a reader sees it, in a real headless Chromium: chart, tables, offline, accessible.

Needs Debian's `chromium` and PyPI `playwright`, and for the accessibility check npm `axe-core`
(LICENSECHECK_AXE_JS), as tests/test_report_browser.py; each test skips with the reason when one
is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import opened, overflow
from conftest import ROOT, SAMPLES, run_cli

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def shortlist_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shortlist") / "shortlist.html"
    result = run_cli(
        "shortlist",
        "--format",
        "html",
        "--chart-x",
        "context",
        "--as-of",
        "2026-11-01",
        "--",
        str(SAMPLES / "select-support-chat.yaml"),
    )
    assert result.returncode == 0, result.stderr
    path.write_text(result.stdout, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def page(browser: Any, shortlist_file: Path) -> Iterator[Any]:
    """The page, loaded once for the module's tests that read it (they scroll, inject axe, take a
    screenshot: nothing they do changes what the others check); its requests and console errors
    are those of the whole module."""
    with opened(browser, shortlist_file, width=1280) as pg:
        yield pg


def test_chart_plots_ranked_and_greyed_excluded_models(page: Any) -> None:
    chart = page.locator("svg[role=img]")
    chart.scroll_into_view_if_needed()
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 200
    ranked = page.locator("svg .pt:not(.pt-excluded) circle")
    excluded = page.locator("svg .pt-excluded circle")
    assert ranked.count() >= 5 and excluded.count() >= 1
    grey = excluded.first.evaluate("e => getComputedStyle(e).fill")
    assert grey == "rgb(154, 161, 171)"
    assert ranked.first.evaluate("e => getComputedStyle(e).fill") != grey
    # hovering a point shows its title: the model and why it is excluded
    titles = page.locator("svg .pt-excluded > title").evaluate_all("els => els.map(e => e.textContent)")
    assert titles and all("; excluded: CONSTRAINT-" in t for t in titles), titles[:3]
    for i in range(ranked.count()):  # every point lies inside the plot area
        x, y = (float(ranked.nth(i).get_attribute(a) or "nan") for a in ("cx", "cy"))
        assert 86 <= x <= 736 and 20 <= y <= 384, (x, y)


def test_tables_list_ranked_and_excluded_models_with_routes(page: Any) -> None:
    header = page.locator("table.ranked thead th").all_inner_texts()
    assert header[:6] == ["RANK", "MODEL", "VERDICT", "ROUTE", "EST. $/MONTH", "STATUS"]
    first = page.locator("table.ranked tbody tr").first.locator("td").all_inner_texts()
    assert first[3].endswith("API") and first[4].startswith("$")
    rows = page.locator("table.excluded tbody tr")
    assert rows.count() >= 5
    retired = page.locator("table.excluded tbody tr", has_text="Retired: no route serves it")
    assert retired.count() >= 5
    assert "shut down on" in (retired.first.get_attribute("title") or "")  # the reason on hover too
    assert retired.first.locator("a[href^='https://']").count() == 1


def test_no_console_errors_and_no_request_leaves_the_page(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []
    assert [u for u in page.requests if not u.startswith("file:")] == []


def test_accessibility_has_no_serious_violations(page: Any) -> None:
    axe = os.environ.get("LICENSECHECK_AXE_JS")
    if not axe or not Path(axe).is_file():
        pytest.skip("axe-core not found: set LICENSECHECK_AXE_JS to node_modules/axe-core/axe.min.js")
    page.evaluate(Path(axe).read_text(encoding="utf-8") + "\n;void 0")
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"
    )
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


@pytest.mark.parametrize("width", [420, 1280])
def test_the_page_does_not_overflow_the_screen(browser: Any, shortlist_file: Path, width: int) -> None:
    """The wide comparison table scrolls inside its own region; the page itself never scrolls sideways."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    pg.goto(shortlist_file.resolve().as_uri())
    found = overflow(pg)
    scrolls = pg.locator(".scroll").evaluate("e => e.scrollWidth > e.clientWidth")
    context.close()
    assert found["width"] <= found["viewport"], found
    assert scrolls  # the table is wider than the screen and scrolls in its region


def test_screenshot_is_saved_for_review(page: Any) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "shortlist-select-support-chat.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
