"""The HTML report as a reader sees it, in a real headless Chromium: visible, offline, printable, accessible.

Needs Debian's `chromium`, PyPI `playwright` and (for the accessibility check) npm `axe-core` whose
axe.min.js path is given in LICENSECHECK_AXE_JS; `.ci/run` installs all three. Locally, each test
skips with the reason when one is missing.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import opened, overflow
from conftest import ROOT, SAMPLES, run_cli

ARTIFACTS = ROOT / "tests" / "artifacts"
# After every model the samples name was released (the last, Ministral 3 8B, on 2025-12-02): before it
# their use cases need review (CONSTRAINT-NOT-RELEASED).
SAMPLES_DAY = "2026-01-01"


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    result = run_cli(
        "evaluate", "samples/", "--format", "html", "--output", str(path), "--as-of", SAMPLES_DAY
    )
    assert result.returncode == 1, result.stderr  # the samples include a blocked use case
    return path


@pytest.fixture(scope="module")
def page(browser: Any, report_file: Path) -> Iterator[Any]:
    """The page, loaded once for the module's tests that read it (they scroll, inject axe, take a
    screenshot: nothing they do changes what the others check); its requests and console errors
    are those of the whole module."""
    with opened(browser, report_file, width=1100) as pg:
        yield pg


@functools.cache
def _findings() -> tuple[tuple[str, str, str], ...]:
    """(anchor, rule, source) of every finding of every sample, from the JSON report (made once)."""
    result = run_cli("evaluate", "samples/", "--format", "json", "--as-of", SAMPLES_DAY, "--fail-on", "never")
    data = json.loads(result.stdout)
    out = []
    for r in data["reports"]:
        stem = Path(r["usecase"]["file"]).stem
        out.extend((f"{stem}-{f['rule']}", f["rule"], f["source"]) for f in r["findings"])
    assert out, "the samples should give findings"
    return tuple(out)


def test_banner_and_every_finding_are_visible(page: Any) -> None:
    assert page.get_by_role("heading", level=1).inner_text().startswith("Licence compliance")
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


@pytest.fixture(scope="module")
def printed(browser: Any, report_file: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The samples' report printed to an A4 PDF as Chromium prints it; the text of each page."""
    context = browser.new_context()
    pg = context.new_page()
    pg.goto(report_file.resolve().as_uri())
    pg.emulate_media(media="print")
    pdf = tmp_path_factory.mktemp("pdf") / "report.pdf"
    pg.pdf(path=str(pdf), format="A4", print_background=True)
    context.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "report-samples.pdf")
    pages = _pdf_text(pdf)
    return pages[:-1] if pages and not pages[-1].strip() else pages  # pdftotext ends with a form feed


def test_printed_report_has_the_obligations_checklist(printed: list[str]) -> None:
    pages = printed
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


# Five sample use cases printed on 20 A4 pages before the layout was fixed (a page with only a
# sign-off block, one with only the footer), then 15. They print on 16 now: the licence-fact packs
# added findings (main without the quotes prints 16 too), and the quotes and input digests kept it
# at 16. Each use case starts a page (it is signed on its own), so the bound is the summary page
# plus three pages per use case: 16 for the five samples, which leaves no headroom.
PAGES_PER_USECASE = 3


def test_printed_report_stays_within_its_page_bound(printed: list[str]) -> None:
    usecases = len(list(SAMPLES.glob("*.yaml")))
    assert len(printed) <= 1 + PAGES_PER_USECASE * usecases, len(printed)


def test_every_printed_page_has_its_number_and_no_page_holds_a_lone_block(printed: list[str]) -> None:
    total = len(printed)
    for number, text in enumerate(printed, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        footer = " ".join(lines[-1].split())
        assert footer.endswith(f"Page {number} of {total}"), footer  # from the @page margin box
        assert footer.startswith("Licence compliance report · not legal advice"), footer
        body = lines[:-1]
        # a sign-off block keeps the end of the rule packs above it: it never opens a page
        assert body and not body[0].startswith("Sign-off"), (number, body[:3])
    # the report's last page ends with a sign-off block, not with a footer on a page of its own
    assert "Signature" in printed[-1]
    assert "Generated by licensecheck" not in "\n".join(printed)  # the screen footer is not printed


def _print_content_width() -> int:
    """CSS pixels across an A4 page inside the margins the template's @page rule sets."""
    css = (ROOT / "templates" / "report.html.j2").read_text(encoding="utf-8")
    match = re.search(r"@page\s*\{[^}]*?margin:\s*([\d.]+)mm(?:\s+([\d.]+)mm)?", css)
    assert match, "the template sets its A4 page margins in mm"
    side = float(match.group(2) or match.group(1))
    return int((210 - 2 * side) / 25.4 * 96)


@pytest.fixture(scope="module")
def long_words_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report whose use case has words longer than a phone's screen: names, file, purpose."""
    folder = tmp_path_factory.mktemp("long")
    word = "Supercalifragilistic" * 8
    text = (SAMPLES / "retail-support-llama.yaml").read_text(encoding="utf-8")
    for old in ("name: Retail support assistant", "name: Acme Retail GmbH", "purpose: Answer"):
        text = text.replace(old, f"{old.split(':')[0]}: {word} {old.split(': ')[1]}")
    (folder / f"usecase-{'x' * 120}.yaml").write_text(text, encoding="utf-8")
    path = folder / "report.html"
    result = run_cli(
        "evaluate",
        "--format",
        "html",
        "--output",
        str(path),
        "--as-of",
        "2025-06-01",
        "--fail-on",
        "never",
        "--",
        str(folder / f"usecase-{'x' * 120}.yaml"),
        str(SAMPLES / "social-feed-ranking-llama.yaml"),
    )
    assert result.returncode == 0, result.stderr
    return path


@pytest.mark.parametrize("width", [420, 1280])
@pytest.mark.parametrize("which", ["samples", "long words"])
def test_no_horizontal_overflow_on_screen(
    browser: Any, report_file: Path, long_words_report: Path, width: int, which: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    pg.goto((report_file if which == "samples" else long_words_report).resolve().as_uri())
    found = overflow(pg)
    context.close()
    assert found["width"] <= found["viewport"], found


@pytest.mark.parametrize("which", ["samples", "long words"])
def test_no_horizontal_overflow_in_print(
    browser: Any, report_file: Path, long_words_report: Path, which: str
) -> None:
    """Laid out as Chromium prints on A4: print styles, as wide as the page inside its margins."""
    context = browser.new_context(viewport={"width": _print_content_width(), "height": 1000})
    pg = context.new_page()
    pg.goto((report_file if which == "samples" else long_words_report).resolve().as_uri())
    pg.emulate_media(media="print")
    found = overflow(pg)
    context.close()
    assert found["width"] <= found["viewport"], found


def test_the_overflow_check_can_fail(browser: Any, tmp_path: Path) -> None:
    wide = tmp_path / "wide.html"
    wide.write_text("<!DOCTYPE html><html lang='en'><body><p style='width:900px'>x</p></body></html>")
    context = browser.new_context(viewport={"width": 420, "height": 900})
    pg = context.new_page()
    pg.goto(wide.resolve().as_uri())
    found = overflow(pg)
    context.close()
    assert found["width"] > found["viewport"] and found["wide"], found


def _tinted_pixels(pdf: Path, colour: tuple[int, int, int]) -> int:
    """Pixels of the first PDF page, rendered by pdftoppm, within a few levels of `colour`."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    ppm = subprocess.run(
        ["pdftoppm", "-r", "30", "-f", "1", "-l", "1", str(pdf)], capture_output=True, check=True
    ).stdout
    magic, size, _depth, data = ppm.split(b"\n", 3)
    assert magic == b"P6", magic
    width, height = map(int, size.split())
    pixels = (data[i : i + 3] for i in range(0, width * height * 3, 3))
    return sum(all(abs(a - b) <= 6 for a, b in zip(px, colour)) for px in pixels)


def test_tinted_verdicts_print_without_background_graphics(
    browser: Any, report_file: Path, tmp_path: Path
) -> None:
    """print-color-adjust: exact keeps the verdict tints even when the print dialog's "background
    graphics" is off (Playwright's print_background=False is that setting)."""
    context = browser.new_context()
    pg = context.new_page()
    pg.goto(report_file.resolve().as_uri())
    pdf = tmp_path / "plain.pdf"
    pg.pdf(path=str(pdf), format="A4", print_background=False)
    context.close()
    blocked_tint = (0xFD, 0xEC, 0xEC)  # .verdict-blocked background, the overall verdict on page 1
    assert _tinted_pixels(pdf, blocked_tint) > 1000


def test_first_screen_opens_with_the_overall_verdict(browser: Any, report_file: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.goto(report_file.resolve().as_uri())
    overall = pg.locator(".overall-verdict")
    assert overall.inner_text() == "BLOCKED"
    box = overall.bounding_box()
    assert box is not None and box["y"] + box["height"] < 900  # on the first screen
    largest = pg.evaluate(
        """() => Math.max(...[...document.querySelectorAll('body *')]
             .filter(e => e !== document.querySelector('.overall-verdict') && e.closest('.overall-verdict') === null
                          && e.closest('[aria-hidden=true]') === null
                          && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
             .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
    )
    own = pg.evaluate("parseFloat(getComputedStyle(document.querySelector('.overall-verdict')).fontSize)")
    assert own > largest, (own, largest)
    tally = " ".join(pg.locator(".tally").inner_text().split())
    assert tally == "1 blocked 1 needs review 2 allowed with obligations 2 allowed"
    todo = pg.locator(".todo").inner_text()
    assert todo.index("Social feed summaries is blocked") < todo.index(
        "Internal code review helper needs review"
    )
    context.close()


def test_use_cases_are_listed_most_urgent_first(page: Any) -> None:
    rank = {"BLOCKED": 0, "NEEDS REVIEW": 1, "ALLOWED WITH OBLIGATIONS": 2, "ALLOWED": 3}
    listed = [" ".join(t.split())[2:] for t in page.locator(".cases .pill").all_inner_texts()]
    assert len(listed) == len(list(SAMPLES.glob("*.yaml")))
    assert [rank[v] for v in listed] == sorted(rank[v] for v in listed)
    banners = [t.removeprefix("Verdict: ") for t in page.locator(".banner .label").all_inner_texts()]
    assert banners == listed  # the use cases follow in the same order


def test_side_by_side_tables_are_as_tall_as_their_rows(page: Any) -> None:
    """A table next to a taller one keeps its own height: single-line rows are not stretched."""
    stretched = page.evaluate(
        """() => [...document.querySelectorAll('.grid > table')].filter(t => {
             const probe = document.createElement('div');
             probe.style.width = t.getBoundingClientRect().width + 'px';
             probe.append(t.cloneNode(true));
             document.body.append(probe);
             const natural = probe.firstChild.getBoundingClientRect().height;
             probe.remove();
             return Math.abs(t.getBoundingClientRect().height - natural) > 1;
           }).map(t => t.caption ? t.caption.textContent : '?')"""
    )
    assert page.locator(".grid > table").count() > 5
    assert stretched == []
