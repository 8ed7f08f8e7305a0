"""Render cost of the gate formats (sarif, junit, github) as ratios to the JSON format, same run."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from licensecheck import formats
from licensecheck.api import evaluate_files, load_context
from licensecheck.model import Report

ROOT = Path(__file__).resolve().parent.parent


def best_of(fmt: str, report: Report, runs: int) -> float:
    render = formats.report_format(fmt).render
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        render(report)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    ctx = load_context()
    files = sorted(str(p) for p in (ROOT / "samples").glob("*.yaml")) * 20  # a pre-commit-sized batch
    report = evaluate_files(ctx, files, as_of="2026-11-27")
    baseline = best_of("json", report, 20)
    print(f"json (baseline): {baseline * 1000:.2f} ms for {len(report.reports)} use cases")
    for fmt in ("sarif", "junit", "github", "text"):
        print(f"{fmt}: {best_of(fmt, report, 20) / baseline:.2f}x json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
