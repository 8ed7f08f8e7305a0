"""Realistic use cases from an independent verdict audit, each with the verdict its licence text demands.

Every file in tests/data/scenarios_audit/ starts with comment lines: `# expect:` (the verdict written
from the licence text before the tool was run), `# clause (decides the verdict):` (the clause that
decides it) and, for blocked and needs-review, `# decisive:` (the rule that must carry that outcome).
A `# note:` says why an expectation was corrected after reading the text again. A scenario is judged
on 2026-12-01 unless `# as of:` names the date it is set on (a route since retired or shutting down
would otherwise decide the verdict: CONSTRAINT-ROUTE-RETIRED, not the licence clause under audit;
those are set on 2025-03-01, when the routes they name were served).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

import licensecheck
from licensecheck.api import Context

SCENARIOS = sorted((ROOT / "tests" / "data" / "scenarios_audit").glob("*.yaml"))
DECISIVE_OUTCOME = {"blocked": "violation", "needs-review": "review"}


def _header(path: Path) -> dict[str, str]:
    head: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        head[key.strip()] = value.strip()
    return head


def test_the_audit_set_is_large_and_every_scenario_names_its_clause() -> None:
    assert len(SCENARIOS) >= 60
    for path in SCENARIOS:
        head = _header(path)
        assert head.get("expect") in ("allowed", "allowed-with-obligations", "needs-review", "blocked"), (
            path.name
        )
        assert head.get("clause (decides the verdict)"), path.name
        assert ("decisive" in head) == (head["expect"] in DECISIVE_OUTCOME), path.name


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_an_audit_scenario_gets_the_verdict_its_clause_demands(context: Context, path: Path) -> None:
    head = _header(path)
    report = licensecheck.evaluate(context, path, as_of=head.get("as of", "2026-12-01")).reports[0]
    decided = sorted(
        f"{f.outcome.value}:{f.rule}" for f in report.findings if f.outcome.value in ("violation", "review")
    )
    assert report.verdict.value == head["expect"], (head["clause (decides the verdict)"], decided)
    if head["expect"] in DECISIVE_OUTCOME:
        assert f"{DECISIVE_OUTCOME[head['expect']]}:{head['decisive']}" in decided, decided


DATED = [path for path in SCENARIOS if "as of" in _header(path)]


@pytest.mark.parametrize("path", DATED, ids=[p.stem for p in DATED])
def test_a_scenario_set_in_the_past_is_decided_today_by_its_routes_lifecycle(
    context: Context, path: Path
) -> None:
    report = licensecheck.evaluate(context, path, as_of="2026-12-01").reports[0]
    decided = {f.rule for f in report.findings if f.outcome.value in ("violation", "review")}
    assert decided & {"CONSTRAINT-ROUTE-RETIRED", "CONSTRAINT-ROUTE-SHUTDOWN-SOON"}, sorted(decided)
    assert report.verdict.value in ("needs-review", "blocked")
