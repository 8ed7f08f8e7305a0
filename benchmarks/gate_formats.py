"""Render cost of the gate formats (sarif, junit, github) as ratios to the JSON format, same run."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from licensecheck import formats
from licensecheck.model import Report
from licensecheck.runner import evaluate_files, expand_inputs, load_context

ROOT = Path(__file__).resolve().parent.parent


def best_of(fmt: str, report: Report, runs: int) -> float:
    render = formats.get(fmt).render
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        render(report)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    ctx = load_context()
    files = expand_inputs((str(ROOT / "samples"),)) * 25  # a pre-commit-sized batch: 100 use cases
    report, errors = evaluate_files(ctx, files, (), "2026-11-27")
    assert report is not None and not errors
    baseline = best_of("json", report, 20)
    print(f"json (baseline): {baseline * 1000:.2f} ms for {len(report.reports)} use cases")
    for fmt in ("sarif", "junit", "github", "text"):
        print(f"{fmt}: {best_of(fmt, report, 20) / baseline:.2f}x json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
