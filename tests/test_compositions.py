"""The ModelGo case studies as use cases (tests/compositions): the verdicts the licence texts demand.

Each case in tests/compositions/cases is one scenario of ModelGo's published case studies (WWW'24
cases I-V, the WWW'26 table and its SmolLM workflow); tests/compositions/expected.yaml gives the
verdict the texts demand, the findings that must and must not fire, ModelGo's published result and,
where they differ, why. tests/compositions/README.md sums the agreements and disagreements up.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

import pytest
import yaml
from conftest import ROOT, bundled_context

CORPUS = ROOT / "tests" / "compositions"
CASES = CORPUS / "cases"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8"))["cases"]


@cache
def _report(case: str) -> Any:
    import licensecheck

    report = licensecheck.evaluate(bundled_context(), CASES / f"{case}.yaml", as_of="2026-01-01")
    (only,) = report.reports
    return only


def test_every_case_has_an_expectation_and_every_expectation_a_case() -> None:
    assert sorted(p.stem for p in CASES.glob("*.yaml")) == sorted(EXPECTED)


def test_the_closing_note_counts_agreements_as_the_expectations_do() -> None:
    """The README's sums are the closing note of issue 16: they must say what expected.yaml says."""
    readme = (CORPUS / "README.md").read_text("utf-8")
    found = re.search(
        r"Agreements: (\d+) of (\d+) use cases agree .*?, (\d+) partly .*?, (\d+) disagree", readme, re.S
    )
    assert found, "README.md has no 'Agreements: N of M ...' line"
    counts = Counter(entry["agreement"] for entry in EXPECTED.values())
    agree, total, partly, disagree = (int(n) for n in found.groups())
    assert (agree, total, partly, disagree) == (
        counts["agree"],
        len(EXPECTED),
        counts["partly"],
        counts["disagree"],
    )


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_every_expectation_records_modelgo_and_the_argument(case: str) -> None:
    entry = EXPECTED[case]
    assert entry["verdict"] in ("allowed", "allowed-with-obligations", "needs-review", "blocked")
    assert entry["agreement"] in ("agree", "partly", "disagree")
    assert entry["modelgo"].strip() and entry["note"].strip()
    assert entry.get("fires") or entry.get("not_fires"), "a case must say which findings decide it"


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_the_case_gets_the_verdict_and_findings_the_texts_demand(case: str) -> None:
    entry = EXPECTED[case]
    report = _report(case)
    found = {f.rule: f.outcome.value for f in report.findings}
    wrong = {
        rule: found.get(rule, "nothing")
        for rule, want in entry.get("fires", {}).items()
        if found.get(rule) != want
    }
    assert wrong == {}, f"{case}: expected {entry.get('fires')}, got {found}"
    fired = sorted(set(entry.get("not_fires", ())) & set(found))
    assert fired == [], f"{case}: must not fire {fired}"
    for pack in entry.get("no_violations_from", ()):
        licence_violations = [
            f.rule for f in report.findings if f.license == pack and f.outcome.value == "violation"
        ]
        assert licence_violations == [], f"{case}: {pack} gave violations {licence_violations}"
    assert report.verdict.value == entry["verdict"], f"{case}: {report.verdict.value}, findings {found}"
