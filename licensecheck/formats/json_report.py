"""The JSON report of SPEC section 3: exactly its keys, deterministic bytes."""

from __future__ import annotations

from typing import Any

from licensecheck.model import Finding, Report, UseCaseReport, Waiver
from licensecheck.text import json_dumps

NAME = "json"


def finding_dict(finding: Finding) -> dict[str, Any]:
    waiver: dict[str, Any] | None = None
    if finding.waiver is not None:
        waiver = dict(finding.waiver.as_dict(), status=finding.waiver_status)
        if finding.waiver_note:
            waiver["note"] = finding.waiver_note
    data: dict[str, Any] = {
        "rule": finding.rule,
        "category": finding.category,
        "outcome": finding.outcome.value,
        "severity": finding.severity.value,
        "title": finding.title,
        "message": finding.message,
        "remedy": finding.remedy,
        "license": finding.license,
        "clause": finding.clause,
        "source": finding.source,
        "evidence": dict(finding.evidence),
    }
    if (
        finding.quote is not None
    ):  # optional key (SPEC section 3): the clause sentence, when the rule gives one
        data["quote"] = finding.quote
    data["waived"] = finding.waived
    data["waiver"] = waiver
    return data


def stale_dict(waiver: Waiver) -> dict[str, Any]:
    return dict(waiver.as_dict(), origin=waiver.origin)


def usecase_dict(report: UseCaseReport) -> dict[str, Any]:
    data: dict[str, Any] = {
        "usecase": {"name": report.name, "file": report.file},
        "model": {"id": report.model.id, "name": report.model.name, "license": report.model.license},
        "verdict": report.verdict.value,
        "findings": [finding_dict(f) for f in report.findings],
    }
    # Optional keys (SPEC allows new optional fields): only present when there is something to say.
    if report.lineage:  # only models with bases have a lineage
        data["lineage"] = [link.as_dict() for link in report.lineage]
    if report.stale_waivers:
        data["stale_waivers"] = [stale_dict(w) for w in report.stale_waivers]
    return data


def report_dict(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = {
        "report_format": 1,
        "licensecheck_version": report.licensecheck_version,
        "reports": [usecase_dict(r) for r in report.reports],
    }
    if report.stale_waivers:
        data["stale_waivers"] = [stale_dict(w) for w in report.stale_waivers]
    return data


def render(report: Report, color: bool = False) -> str:
    # Strings keep their exact value; characters that could drive a terminal or hide text are
    # written as \uXXXX escapes (licensecheck.text.json_dumps).
    return json_dumps(report_dict(report)) + "\n"
