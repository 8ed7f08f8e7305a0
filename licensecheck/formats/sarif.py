"""SARIF 2.1.0 for code scanning: one result per violation or review, at the fact's line.

The shape GitHub code scanning documents: every result names its `ruleId`; a rule's metadata
(`help`, `defaultConfiguration.level`, ...) comes from the rule itself, never from one of its
findings, so it is the same whatever the order of the use cases; locations are relative to the
repository (`uriBaseId` %SRCROOT%: the folder holding `.git` above each file, or `--sarif-root`);
and `partialFingerprints` name the rule and the file, not the line, so an alert survives edits
elsewhere in the file. The use-case and waivers files are listed as `artifacts` with their
SHA-256. A waived finding is a result too, with a SARIF `suppressions` entry (accepted, with the
waiver's reason, approver and expiry as justification): code scanning shows it as suppressed.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from licensecheck.engine import PLACEHOLDER
from licensecheck.model import Finding, Outcome, Report, RuleInfo, Severity
from licensecheck.text import json_dumps, markdown, plain

if TYPE_CHECKING:
    from licensecheck.formats.documents import (
        SarifArtifact,
        SarifArtifactLocation,
        SarifDriver,
        SarifLog,
        SarifResult,
        SarifResultProperties,
        SarifRule,
        SarifRun,
    )

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/ai-model-licensecheck/"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "licensecheck/v2"  # v1 also named the first fact, which moves when the evidence does
# Only these outcomes gate a merge; obligations and notes belong in the text/Markdown report.
REPORTED = (Outcome.VIOLATION, Outcome.REVIEW)
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_WORDS = re.compile(r"[A-Za-z0-9]+")
_COMMIT_URL = re.compile(r"/(?:blob|raw|resolve|tree)/[0-9a-f]{40}(?:/|$)")


def level(outcome: Outcome, severity: Severity) -> str:
    """A violation is always an error (it blocks); a review keeps its severity, at most warning;
    obligations and notes (which a rule may have as its own outcome) are notes."""
    if outcome is Outcome.VIOLATION:
        return "error"
    if outcome is not Outcome.REVIEW:
        return "note"
    found = _LEVELS[severity]
    return "warning" if found == "error" else found


def level_of(finding: Finding) -> str:
    """The level of one result: its finding's outcome (a rule that cannot be decided is a review)."""
    return level(finding.outcome, finding.severity)


class SourceRoots:
    """The root each use-case file's URI is relative to: `root` if given, else the nearest folder
    above the file that holds `.git` (a repository or a worktree), else the current folder."""

    def __init__(self, root: str | None = None) -> None:
        self.root = os.path.abspath(root) if root is not None else None
        self._found: dict[str, str | None] = {}

    def of(self, path: str) -> str:
        if self.root is not None:
            return self.root
        folder = os.path.dirname(os.path.abspath(path))
        return self._git_root(folder) or os.getcwd()

    def _git_root(self, folder: str) -> str | None:
        seen: list[str] = []
        found: str | None = None
        while True:
            if folder in self._found:
                found = self._found[folder]
                break
            seen.append(folder)
            if os.path.exists(os.path.join(folder, ".git")):
                found = folder
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        for visited in seen:
            self._found[visited] = found
        return found


def artifact_location(file: str, roots: SourceRoots) -> SarifArtifactLocation:
    """The use-case file relative to its repository (uriBaseId %SRCROOT%), '/'-separated and
    percent-encoded; a file outside it (or standard input) as an absolute file: URI."""
    if file.startswith("<") and file.endswith(">"):  # standard input without --stdin-filename
        return {"uri": quote(file, safe="")}
    absolute = os.path.abspath(file)
    root = roots.of(file)
    try:
        inside = os.path.commonpath([absolute, root]) == root
    except ValueError:  # another drive on Windows
        inside = False
    if inside:
        relative = os.path.relpath(absolute, root).replace(os.sep, "/")
        return {"uri": quote(relative, safe="/-._~!$&'()*+,;=@"), "uriBaseId": SRCROOT}
    posix = absolute.replace(os.sep, "/")
    return {
        "uri": "file://" + quote(posix if posix.startswith("/") else "/" + posix, safe="/-._~!$&'()*+,;=@:")
    }


def _identifier(title: str, rule_id: str) -> str:
    """A rule's `name`: its title as one PascalCase word (SARIF wants a readable identifier that is
    not the id)."""
    name = "".join(w[:1].upper() + w[1:] for w in _WORDS.findall(title))[:120]
    return name if name and name != rule_id else rule_id.title().replace("-", "") + "Rule"


def _template(text: str) -> str:
    """A rule's message or remedy without a use case: each placeholder names its fact."""
    return PLACEHOLDER.sub(lambda m: m.group(1), text)


def _pin(rule: RuleInfo, report: Report) -> str:
    if _COMMIT_URL.search(rule.source):
        return "pinned to a commit"
    pack = next((p for r in report.reports for p in r.packs if p.id == rule.pack), None)
    if pack is not None and pack.source == rule.source and pack.source_sha256:
        return f"text read {pack.retrieved}, SHA-256 {pack.source_sha256}"
    return "not pinned"


def _link(url: str, shown: str) -> str:
    if not url.startswith(("https://", "http://")):
        return markdown(shown)
    target = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{markdown(shown, in_link=True)}]({target})"


def rule_descriptor(rule: RuleInfo, report: Report) -> SarifRule:
    """A rule as SARIF describes it, from the rule alone (plain text; the help in Markdown too).

    Packs may be another team's files and messages quote the use case: text is cleaned for the
    viewer, and the help Markdown escaped like a pull-request comment (no mentions, links or HTML).
    `properties` are data and keep their exact values (JSON escapes what could hide text).
    """
    where = f"{rule.clause} of {rule.license}"
    remedy = _template(rule.remedy)
    pin = _pin(rule, report)
    text = [plain(remedy)] if remedy else []
    md = [markdown(remedy)] if remedy else []
    if rule.quote:
        text.append(f"“{plain(rule.quote)}” ({plain(where)})")
        md.append(f"> {markdown(rule.quote)}\n>\n> {markdown(where)}")
    text.append(f"Source: {plain(rule.source)} ({pin})")
    md.append(f"Source: {_link(rule.source, rule.source)} ({markdown(pin)})")
    descriptor: SarifRule = {
        "id": rule.id,
        "name": _identifier(rule.title, rule.id),
        "shortDescription": {"text": plain(rule.title)},
        "fullDescription": {"text": f"{plain(rule.title)} ({plain(where)})."},
        "help": {"text": "\n\n".join(text), "markdown": "\n\n".join(md)},
        "defaultConfiguration": {"level": level(rule.outcome, rule.severity)},
        "properties": {
            "tags": [rule.category, rule.license],
            "outcome": rule.outcome.value,
            "clause": rule.clause,
            "license": rule.license,
            "pack": rule.pack,
            "confidence": rule.confidence,
        },
    }
    if rule.source.startswith(("https://", "http://")):
        descriptor["helpUri"] = rule.source
    if rule.quote:
        descriptor["properties"]["quote"] = rule.quote
    return descriptor


def _rule_of(finding: Finding) -> RuleInfo:
    """A rule as far as its finding tells (for a report built without the rules of its run)."""
    return RuleInfo(
        finding.rule,
        finding.title,
        finding.category,
        finding.outcome,
        finding.severity,
        finding.clause,
        finding.source,
        finding.remedy,
        finding.text,
        None,
        finding.pack or finding.license,
        finding.license,
        finding.quote,
    )


def _result(
    finding: Finding, rule_index: int, location: SarifArtifactLocation, usecase: str, file: str
) -> SarifResult:
    line, col = finding.location or (1, 1)
    text = plain(finding.message)
    if finding.waiver_note:
        text += " " + plain(finding.waiver_note)
    properties: SarifResultProperties = {
        "usecase": plain(usecase),
        "outcome": finding.outcome.value,
        "category": finding.category,
        "clause": finding.clause,
        "license": finding.license,
    }
    if finding.quote:
        properties["quote"] = finding.quote
    result: SarifResult = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": level_of(finding),
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": location.copy(),
                    "region": {"startLine": line, "startColumn": col},
                }
            }
        ],
        # One use case per file, and a rule fires once per use case: the rule and the file name
        # the alert, whatever its line (edits elsewhere in the file keep it the same alert).
        "partialFingerprints": {FINGERPRINT: f"{finding.rule}:{location['uri']}"},
        "properties": properties,
    }
    if finding.waived and finding.waiver is not None:
        waiver = finding.waiver
        result["suppressions"] = [
            {
                # a waiver written in the use case itself is in source; a --waivers file is external
                "kind": "inSource" if waiver.file == file else "external",
                "status": "accepted",
                "justification": f"{plain(waiver.reason)} (approved by {plain(waiver.approved_by)}, "
                f"expires {waiver.expires}; waiver {plain(waiver.origin)})",
            }
        ]
    return result


def _artifact(location: SarifArtifactLocation, sha256: str | None, role: str) -> SarifArtifact:
    artifact: SarifArtifact = {"location": location, "roles": [role]}
    if sha256:
        artifact["hashes"] = {"sha-256": sha256}
    return artifact


def sarif_dict(report: Report, root: str | None = None) -> SarifLog:
    roots = SourceRoots(root)
    rules: list[SarifRule] = []
    index: dict[str, int] = {}
    results: list[SarifResult] = []
    artifacts: list[SarifArtifact] = []
    for usecase in report.reports:
        location = artifact_location(usecase.file, roots)
        artifacts.append(_artifact(location, usecase.sha256, "analysisTarget"))
        for finding in usecase.findings:
            if finding.outcome not in REPORTED:
                continue
            if finding.rule not in index:
                index[finding.rule] = len(rules)
                rule = report.rules.get(finding.rule) or _rule_of(finding)
                rules.append(rule_descriptor(rule, report))
            results.append(_result(finding, index[finding.rule], location, usecase.name, usecase.file))
    artifacts.extend(
        _artifact(artifact_location(w.file, roots), w.sha256, "userSpecifiedConfiguration")
        for w in report.waiver_files
    )
    driver: SarifDriver = {
        "name": "licensecheck",
        "version": report.licensecheck_version,
        "semanticVersion": report.licensecheck_version,
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }
    run: SarifRun = {
        "tool": {"driver": driver},
        "automationDetails": {"id": "licensecheck/"},
        # The root's absolute path differs per machine and checkout: it is described, not given
        # (GitHub knows its checkout; the report stays the same bytes wherever it is made).
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {
                    "text": "The root of the repository holding the use-case files (the folder with "
                    ".git above them, or --sarif-root)."
                }
            }
        },
        "artifacts": artifacts,
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


class SarifFormat:
    """SARIF 2.1.0 for code scanning; `root`: the folder URIs are relative to (default: each
    file's git root)."""

    name = "sarif"

    def __init__(self, root: str | None = None) -> None:
        self.root = root

    def render(self, report: Report) -> str:
        return json_dumps(sarif_dict(report, self.root)) + "\n"
