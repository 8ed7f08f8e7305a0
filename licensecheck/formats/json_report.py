"""The JSON report of SPEC section 3: exactly its keys, deterministic bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from licensecheck.formats import render_stream
from licensecheck.model import Finding, InputFile, LineageLink, Report, RunSummary, UseCaseReport, Waiver
from licensecheck.text import json_dumps

if TYPE_CHECKING:
    from licensecheck.formats.documents import (
        FindingDoc,
        FindingWaiverDoc,
        LineageDoc,
        QuoteDoc,
        ReportDoc,
        StaleWaiverDoc,
        UseCaseDoc,
        UseCaseKeyDoc,
        WaiverDoc,
        WaiverFileDoc,
        WaiverNoteDoc,
    )


def waiver_dict(waiver: Waiver) -> WaiverDoc:
    data: WaiverDoc = {
        "rule": waiver.rule,
        "reason": waiver.reason,
        "approved_by": waiver.approved_by,
        "expires": waiver.expires,
    }
    if waiver.usecase is not None:
        data["usecase"] = waiver.usecase
    if waiver.model is not None:
        data["model"] = waiver.model
    if waiver.license_version is not None:
        data["license_version"] = waiver.license_version
    return data


def lineage_dict(link: LineageLink) -> LineageDoc:
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


def finding_dict(finding: Finding) -> FindingDoc:
    waiver: FindingWaiverDoc | None = None
    if finding.waiver is not None:
        note: WaiverNoteDoc = {"note": finding.waiver_note} if finding.waiver_note else {}
        waiver = {**waiver_dict(finding.waiver), "status": finding.waiver_status, **note}
    # optional key (SPEC section 3): the clause sentence the rule rests on
    quote: QuoteDoc = {"quote": finding.quote} if finding.quote is not None else {}
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
        **quote,
        "waived": finding.waived,
        "waiver": waiver,
    }


def stale_dict(waiver: Waiver) -> StaleWaiverDoc:
    return {**waiver_dict(waiver), "origin": waiver.origin}


def usecase_dict(report: UseCaseReport) -> UseCaseDoc:
    data: UseCaseDoc = {
        "usecase": _usecase_key(report),
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


def _usecase_key(report: UseCaseReport) -> UseCaseKeyDoc:
    """The use case: name, file and (optional, SPEC section 3) the SHA-256 of the file's bytes."""
    data: UseCaseKeyDoc = {"name": report.name, "file": report.file}
    if report.sha256 is not None:
        data["sha256"] = report.sha256
    return data


def waiver_files_list(files: tuple[InputFile, ...]) -> list[WaiverFileDoc]:
    """The shared waivers files read, each with the SHA-256 of its bytes."""
    return [{"file": f.file, "sha256": f.sha256} for f in files]


def report_dict(report: Report) -> ReportDoc:
    data: ReportDoc = {
        "report_format": 1,
        "licensecheck_version": report.licensecheck_version,
        "reports": [usecase_dict(r) for r in report.reports],
    }
    if report.stale_waivers:
        data["stale_waivers"] = [stale_dict(w) for w in report.stale_waivers]
    if report.waiver_files:
        data["waiver_files"] = waiver_files_list(report.waiver_files)
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
        if summary.waiver_files:
            files = _dumps(waiver_files_list(summary.waiver_files))
            out += ',\n  "waiver_files": ' + _indented(files, "  ", first=False)
        return out + "\n}\n"


def _dumps(value: object) -> str:
    return json_dumps(value)


def _indented(text: str, prefix: str, first: bool) -> str:
    lines = text.split("\n")
    return "\n".join((prefix if first or i else "") + line for i, line in enumerate(lines))
