"""The JSON report of SPEC section 3: exactly its keys, deterministic bytes."""

from __future__ import annotations

import json
from typing import Any

from licensecheck.model import Finding, Report, UseCaseReport

NAME = "json"


def finding_dict(finding: Finding) -> dict[str, Any]:
    waiver: dict[str, Any] | None = None
    if finding.waiver is not None:
        waiver = dict(finding.waiver.as_dict(), status=finding.waiver_status)
    return {
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
        "waived": finding.waived,
        "waiver": waiver,
    }


def usecase_dict(report: UseCaseReport) -> dict[str, Any]:
    data: dict[str, Any] = {
        "usecase": {"name": report.name, "file": report.file},
        "model": {"id": report.model.id, "name": report.model.name, "license": report.model.license},
        "verdict": report.verdict.value,
        "findings": [finding_dict(f) for f in report.findings],
    }
    if report.lineage:  # optional key: only models with bases have a lineage
        data["lineage"] = [link.as_dict() for link in report.lineage]
    return data


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "report_format": 1,
        "licensecheck_version": report.licensecheck_version,
        "reports": [usecase_dict(r) for r in report.reports],
    }


def render(report: Report, color: bool = False) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"
