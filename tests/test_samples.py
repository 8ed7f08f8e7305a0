"""samples/ are acceptance tests: every sample through every format, with the verdict and exit code it declares."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

from licensecheck.formats import REPORT_FORMATS

SAMPLE_FILES = sorted(SAMPLES.glob("*.yaml"))
DECLARED = re.compile(r"^# expect: (?P<verdict>[a-z-]+) \(exit (?P<code>\d)\)$", re.MULTILINE)


def declared(sample: Path) -> tuple[str, int]:
    match = DECLARED.search(sample.read_text())
    assert match, f"{sample.name} must declare '# expect: <verdict> (exit N)'"
    return match["verdict"], int(match["code"])


def test_there_are_samples_of_each_kind() -> None:
    verdicts = {declared(s)[0] for s in SAMPLE_FILES}
    assert {"allowed-with-obligations", "blocked", "needs-review"} <= verdicts


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_sample_in_every_format(sample: Path, fmt: str, tmp_path: Path) -> None:
    verdict, code = declared(sample)
    out = tmp_path / f"report.{fmt}"
    result = run_cli("evaluate", str(sample), "--format", fmt, "--output", str(out), "--as-of", "2026-11-27")
    assert result.returncode == code, result.stderr
    assert result.stderr == ""
    text = out.read_text(encoding="utf-8")
    assert text.strip()
    if fmt == "json":
        assert json.loads(text)["reports"][0]["verdict"] == verdict
    if fmt == "text":
        assert text.startswith(verdict.upper())


def test_all_samples_in_one_json_report_are_deterministic() -> None:
    first = run_cli("evaluate", "samples", "--format", "json", "--as-of", "2026-11-27")
    second = run_cli("evaluate", "samples", "--format", "json", "--as-of", "2026-11-27")
    assert first.returncode == 1  # the blocked and needs-review samples fail the default gate
    assert first.stdout == second.stdout
    report = json.loads(first.stdout)
    assert [r["usecase"]["file"] for r in report["reports"]] == [f"samples/{p.name}" for p in SAMPLE_FILES]
    assert {r["verdict"] for r in report["reports"]} == {declared(p)[0] for p in SAMPLE_FILES}
