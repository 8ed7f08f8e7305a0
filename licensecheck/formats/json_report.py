"""The JSON report of SPEC section 3: exactly its keys, deterministic bytes."""

from __future__ import annotations

from typing import Any

from licensecheck.formats import render_stream
from licensecheck.model import Finding, LineageLink, Report, RunSummary, UseCaseReport, Waiver
from licensecheck.text import json_dumps


def waiver_dict(waiver: Waiver) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": waiver.rule,
        "reason": waiver.reason,
        "approved_by": waiver.approved_by,
        "expires": waiver.expires,
    }
    for key in ("usecase", "model", "license_version"):
        if getattr(waiver, key) is not None:
            data[key] = getattr(waiver, key)
    return data


def lineage_dict(link: LineageLink) -> dict[str, Any]:
    return {
        "model": link.model,
        "name": link.name,
        "license": link.license,
        "license_declared": link.license_declared,
        "depth": link.depth,
        "derived": link.derived,
        "relation": link.relation,
        "source": link.source,
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    waiver: dict[str, Any] | None = None
    if finding.waiver is not None:
        waiver = dict(waiver_dict(finding.waiver), status=finding.waiver_status)
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
    return dict(waiver_dict(waiver), origin=waiver.origin)


def usecase_dict(report: UseCaseReport) -> dict[str, Any]:
    data: dict[str, Any] = {
        "usecase": {"name": report.name, "file": report.file},
        "model": {"id": report.model.id, "name": report.model.name, "license": report.model.license},
        "verdict": report.verdict.value,
        "findings": [finding_dict(f) for f in report.findings],
    }
    # Optional keys (SPEC allows new optional fields): only present when there is something to say.
    if report.lineage:  # only models with bases have a lineage
        data["lineage"] = [lineage_dict(link) for link in report.lineage]
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


class JsonFormat:
    """The JSON report of SPEC section 3, written the way licensecheck.text.json_dumps(report_dict(r)) would:
    strings keep their exact value; characters that could drive a terminal or hide text are written
    as \\uXXXX escapes."""

    name = "json"
    separator = ","

    def render(self, report: Report) -> str:
        return render_stream(self, report)

    def head(self, version: str) -> str:
        return f'{{\n  "report_format": 1,\n  "licensecheck_version": {_dumps(version)},\n  "reports": ['

    def item(self, report: UseCaseReport) -> str:
        return "\n" + _indented(_dumps(usecase_dict(report)), "    ", first=True)

    def tail(self, summary: RunSummary) -> str:
        out = "\n  ]" if summary.verdicts else "]"
        if summary.stale_waivers:
            stale = _dumps([stale_dict(w) for w in summary.stale_waivers])
            out += ',\n  "stale_waivers": ' + _indented(stale, "  ", first=False)
        return out + "\n}\n"


def _dumps(value: Any) -> str:
    return json_dumps(value)


def _indented(text: str, prefix: str, first: bool) -> str:
    lines = text.split("\n")
    return "\n".join((prefix if first or i else "") + line for i, line in enumerate(lines))
