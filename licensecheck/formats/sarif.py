"""SARIF 2.1.0 for code scanning: one result per violation or review, at the fact's line.

A waived finding is a result too, with a SARIF `suppressions` entry (accepted, with the waiver's
reason, approver and expiry as justification): code scanning shows it as suppressed, not open.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from licensecheck.model import Finding, Outcome, Report, Severity
from licensecheck.text import json_dumps, markdown, plain

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
# Only these outcomes gate a merge; obligations and notes belong in the text/Markdown report.
REPORTED = (Outcome.VIOLATION, Outcome.REVIEW)
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def level_of(finding: Finding) -> str:
    """A violation is always an error (it blocks); a review keeps its rule's severity, at most warning."""
    if finding.outcome is Outcome.VIOLATION:
        return "error"
    level = _LEVELS[finding.severity]
    return "warning" if level == "error" else level


def artifact_uri(file: str) -> str:
    """The use-case path as given (repo-relative in CI), as a URI reference with '/' separators."""
    path = file.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return quote(path, safe="/:@-._~!$&'()*+,;=")


def _rule(finding: Finding) -> dict[str, Any]:
    # Messages and remedies may quote the use case (placeholders): plain text for the viewer,
    # and the help Markdown escaped like a pull-request comment (no mentions, links or HTML).
    where = plain(f"{finding.license} {finding.clause}")
    remedy = plain(finding.remedy)
    help_text = f"{remedy}\nSource: {where}, {plain(finding.source)}" if finding.remedy else where
    source = finding.source.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return {
        "id": finding.rule,
        "name": finding.rule,
        "shortDescription": {"text": plain(finding.title)},
        "fullDescription": {"text": f"{plain(finding.title)} ({where})."},
        "help": {
            "text": help_text,
            "markdown": f"{markdown(finding.remedy)}\n\nSource: [{markdown(where)}]({source})",
        },
        "helpUri": finding.source,
        "defaultConfiguration": {"level": level_of(finding)},
        "properties": {"tags": [finding.category, finding.license]},
    }


def _result(finding: Finding, rule_index: int, file: str, usecase: str) -> dict[str, Any]:
    line, col = finding.location or (1, 1)
    uri = artifact_uri(file)
    text = plain(finding.message)
    if finding.waiver_note:
        text += " " + plain(finding.waiver_note)
    first_fact = (
        finding.missing[0] if finding.missing else (finding.evidence[0][0] if finding.evidence else "")
    )
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": level_of(finding),
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": line, "startColumn": col},
                }
            }
        ],
        # Stable across runs and edits elsewhere in the file: rule, file and the fact, not the line.
        "partialFingerprints": {"licensecheck/v1": f"{finding.rule}:{uri}:{first_fact}"},
        "properties": {
            "usecase": plain(usecase),
            "outcome": finding.outcome.value,
            "category": finding.category,
            "clause": finding.clause,
            "license": finding.license,
        },
    }
    if finding.waived and finding.waiver is not None:
        waiver = finding.waiver
        result["suppressions"] = [
            {
                # a waiver written in the use case itself is in source; a --waivers file is external
                "kind": "inSource" if waiver.file == file else "external",
                "status": "accepted",
                "justification": f"{waiver.reason} (approved by {waiver.approved_by}, "
                f"expires {waiver.expires}; waiver {waiver.origin})",
            }
        ]
    return result


def sarif_dict(report: Report) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for usecase in report.reports:
        for finding in usecase.findings:
            if finding.outcome not in REPORTED:
                continue
            if finding.rule not in index:
                index[finding.rule] = len(rules)
                rules.append(_rule(finding))
            results.append(_result(finding, index[finding.rule], usecase.file, usecase.name))
    driver = {
        "name": "licensecheck",
        "version": report.licensecheck_version,
        "semanticVersion": report.licensecheck_version,
        "rules": rules,
    }
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "automationDetails": {"id": "licensecheck/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


class SarifFormat:
    """SARIF 2.1.0 for code scanning."""

    name = "sarif"

    def render(self, report: Report) -> str:
        return json_dumps(sarif_dict(report)) + "\n"
