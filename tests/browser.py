"""A headless Chromium for the browser tests (tests/test_report_browser.py, tests/test_shortlist_browser.py).

Debian's `chromium` driven through PyPI `playwright` (never `playwright install`); a test skips with
the reason when either is missing.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",  # CI runs as root, where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium() -> str:
    exe = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does this)")
    return exe


def launched() -> Iterator[Any]:
    """A browser for a module-scoped fixture: `yield from launched()`."""
    exe = chromium()
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@contextlib.contextmanager
def opened(browser: Any, path: Path, width: int) -> Iterator[Any]:
    """`path` in a new page `width` CSS pixels wide, recording its requests and console errors."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    pg.requests = []
    pg.console_errors = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.goto(path.resolve().as_uri())
    yield pg
    context.close()


def overflow(pg: Any) -> dict[str, Any]:
    """The page's width against the viewport's, and the widest elements sticking out of it."""
    return pg.evaluate(
        """() => {
          const root = document.documentElement, limit = root.clientWidth;
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > limit + 0.5)
            .filter(e => getComputedStyle(e).clipPath === 'none' && !e.closest('thead[style], .cases thead'))
            .slice(0, 5).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);
          return {width: root.scrollWidth, viewport: limit, wide};
        }"""
    )
