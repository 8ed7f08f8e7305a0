"""The HTML report as a reader sees it, in a real headless Chromium: visible, offline, printable, accessible.

Needs Debian's `chromium`, PyPI `playwright` and (for the accessibility check) npm `axe-core` whose
axe.min.js path is given in LICENSECHECK_AXE_JS; `.ci/run` installs all three. Locally, each test
skips with the reason when one is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLES, run_cli

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",  # CI runs as root, where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium() -> str:
    exe = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does this)")
    return exe


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    result = run_cli(
        "evaluate", "samples/", "--format", "html", "--output", str(path), "--as-of", "2025-06-01"
    )
    assert result.returncode == 1, result.stderr  # the samples include a blocked use case
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    exe = _chromium()
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, report_file: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    pg.requests = []  # type: ignore[attr-defined]
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.goto(report_file.resolve().as_uri())
    yield pg
    context.close()


def _findings() -> list[tuple[str, str, str]]:
    """(anchor, rule, source) of every finding of every sample, from the JSON report."""
    result = run_cli(
        "evaluate", "samples/", "--format", "json", "--as-of", "2025-06-01", "--fail-on", "never"
    )
    data = json.loads(result.stdout)
    out = []
    for r in data["reports"]:
        stem = Path(r["usecase"]["file"]).stem
        out.extend((f"{stem}-{f['rule']}", f["rule"], f["source"]) for f in r["findings"])
    assert out, "the samples should give findings"
    return out


def test_banner_and_every_finding_are_visible(page: Any) -> None:
    assert page.get_by_role("heading", level=1).inner_text().startswith("License compliance")
    samples = sorted(SAMPLES.glob("*.yaml"))
    banners = page.locator(".banner")
    assert banners.count() == len(samples)
    for i in range(banners.count()):
        assert banners.nth(i).is_visible()
        assert "Verdict: " in banners.nth(i).inner_text()
    for anchor, rule, _ in _findings():
        element = page.locator(f"[id='{anchor}']")
        assert element.count() == 1, anchor
        element.scroll_into_view_if_needed()
        assert element.is_visible(), anchor
        assert rule in element.inner_text()


def test_links_point_to_the_sources(page: Any) -> None:
    for anchor, _, source in _findings():
        hrefs = page.locator(f"[id='{anchor}'] a[href^='http']").evaluate_all("els => els.map(e => e.href)")
        assert source in hrefs, (anchor, hrefs)
    internal = page.locator("nav a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for href in internal:
        assert page.locator(f"[id='{href[1:]}']").count() == 1, href


def test_no_console_errors_and_no_request_leaves_the_page(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []
    assert [u for u in page.requests if not u.startswith("file:")] == []


def test_blocked_external_load_would_be_reported(browser: Any, tmp_path: Path) -> None:
    """The check above can fail: a page with an external image makes a request and a CSP console error."""
    from licensecheck.formats.html import templates_dir

    head = (templates_dir() / "report.html.j2").read_text(encoding="utf-8")
    csp = head[head.index('<meta http-equiv="Content-Security-Policy"') :].split(">", 1)[0] + ">"
    bad = tmp_path / "bad.html"
    bad.write_text(
        f"<!DOCTYPE html><html lang='en'><head>{csp}</head><body><img src='https://example.com/x.png' alt=''></body></html>"
    )
    context = browser.new_context()
    pg = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.goto(bad.resolve().as_uri())
    pg.wait_for_timeout(200)
    context.close()
    assert any("Content Security Policy" in e for e in errors), errors


def test_accessibility_has_no_serious_violations(page: Any) -> None:
    axe = os.environ.get("LICENSECHECK_AXE_JS")
    if not axe or not Path(axe).is_file():
        pytest.skip(
            "axe-core not found: set LICENSECHECK_AXE_JS to node_modules/axe-core/axe.min.js (.ci/run does)"
        )
    # the report's CSP forbids scripts, so axe is evaluated as a script body rather than a <script> tag
    page.evaluate(Path(axe).read_text(encoding="utf-8") + "\n;void 0")
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"
    )
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_screenshot_is_saved_for_review(page: Any) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "report-samples.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _pdf_text(pdf: Path) -> list[str]:
    """The text of each PDF page: pdftotext (poppler-utils), else pypdf."""
    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        )
        return out.stdout.split("\f")
    pypdf = pytest.importorskip("pypdf", reason="neither pdftotext (poppler-utils) nor pypdf is installed")
    return [p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages]


def test_printed_report_has_the_obligations_checklist(page: Any, tmp_path: Path) -> None:
    page.emulate_media(media="print")
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    pages = _pdf_text(pdf)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "report-samples.pdf")
    text = "\n".join(pages)
    assert text.count("Obligations checklist") == len(list(SAMPLES.glob("*.yaml")))
    flat = " ".join(text.split())
    squeezed = "".join(text.split())  # rule ids may wrap at their hyphens
    for _, rule, _ in _findings():
        assert rule in squeezed, rule
    assert "Built with Llama" in flat
    assert "☐" in flat  # printable tick boxes
    assert "Not legal advice" in flat and "Sign-off" in flat
    # each use case starts on a new page: its heading is near the top of some page
    for title in ("Internal code review helper", "Social feed summaries"):
        assert any(title in " ".join(p.split()[:12]) for p in pages), title
