"""SARIF 2.1.0 for code scanning: an alert at the line of code that uses a model without a use case."""

# Results point into the repository (`uriBaseId` %SRCROOT%), rule metadata is fixed per rule id,
# and fingerprints name the rule, file and model (not the line), so an alert survives edits
# elsewhere in the file. The use cases' own findings follow, as `evaluate --format sarif` gives them.

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote

from licensecheck.scan.formats.view import found_how, resolved_how
from licensecheck.scan.host import sarif_run
from licensecheck.scan.model import Diagnostic, Entry, ScanReport, Status

if TYPE_CHECKING:
    from licensecheck.formats.documents import (
        SarifArtifactLocation,
        SarifLocation,
        SarifResult,
        SarifRule,
        ScanSarifDriver,
        ScanSarifLog,
        ScanSarifResult,
        ScanSarifRule,
    )

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"

RULES: dict[str, dict[str, str]] = {
    "SCAN-NO-USECASE": {
        "name": "ModelWithoutUseCase",
        "short": "A model is used without a use case",
        "full": "The code uses a model that no use-case file of the repository names (as its model or as "
        "a base model), so its licence terms have not been checked for this use.",
        "help": "Write a use case for the model (see `licensecheck schema usecase`) naming it in "
        "`model.id` or `model.base_models`, or remove the reference.",
        "level": "error",
    },
    "SCAN-PROBABLE-COPY": {
        "name": "ProbableCopyOfCatalogModel",
        "short": "A model name matches a catalog model under another organisation or format",
        "full": "The repository id is named like a catalog model but published by another organisation, "
        "or as a quantized or converted copy; its licence is probably the original's, but a fine-tune "
        "or re-upload may carry other terms.",
        "help": "Check the repository's model card; name it in the use case if it is the same model.",
        "level": "warning",
    },
    "SCAN-UNRESOLVED": {
        "name": "UnresolvedModelReference",
        "short": "A model reference is known only at run time",
        "full": "A call that loads or calls a model gets its name from a variable, a parameter, the "
        "environment or an f-string the scanner cannot follow, so which model is used is not known.",
        "help": "Make sure a use case covers every model this can be; a constant in the same file "
        "makes it visible to the scan.",
        "level": "warning",
    },
    "SCAN-FILE-NOT-READ": {
        "name": "FileNotScanned",
        "short": "A file was not fully scanned",
        "full": "A file could not be parsed or was too large to read, so model references in it may be missing.",
        "help": "Fix the syntax error, or scan the file's content another way.",
        "level": "note",
    },
}


def artifact(uri: str | None, path: str) -> SarifArtifactLocation:
    """A location in the repository (relative to %SRCROOT%), or the file as shown when outside it."""
    if uri is not None:
        return {"uri": quote(uri, safe="/-._~!$&'()*+,;=@"), "uriBaseId": "%SRCROOT%"}
    return {"uri": quote(path.replace("\\", "/"), safe="/-._~!$&'()*+,;=@:")}


def _rule(rule_id: str) -> ScanSarifRule:
    meta = RULES[rule_id]
    return {
        "id": rule_id,
        "name": meta["name"],
        "shortDescription": {"text": meta["short"]},
        "fullDescription": {"text": meta["full"]},
        "help": {"text": meta["help"], "markdown": meta["help"]},
        "defaultConfiguration": {"level": meta["level"]},
        "properties": {"tags": ["licensecheck-scan"]},
    }


def _rule_of(entry: Entry) -> str | None:
    if entry.uncovered:
        return "SCAN-NO-USECASE"
    if entry.resolution.status is Status.PROBABLE:
        return "SCAN-PROBABLE-COPY"
    if entry.resolution.status is Status.UNRESOLVED:
        return "SCAN-UNRESOLVED"
    return None


def _message(entry: Entry, rule: str) -> str:
    ref = entry.reference
    shown = ref.value or ref.expression
    if rule == "SCAN-NO-USECASE":
        head = f"Model '{shown}' is used here without a use case: {resolved_how(entry)}."
    elif rule == "SCAN-PROBABLE-COPY":
        head = f"Model '{shown}': {resolved_how(entry)}."
    else:
        head = f"Model reference '{shown}' is known only at run time: {resolved_how(entry)}."
    return f"{head} Found by {found_how(entry)}."


def _level(entry: Entry, rule: str, report: ScanReport) -> str:
    if rule == "SCAN-NO-USECASE" and not report.require_usecase:
        return "warning"
    return RULES[rule]["level"]


def _location(path: str, uri: str | None, line: int, col: int) -> SarifLocation:
    return {
        "physicalLocation": {
            "artifactLocation": artifact(uri, path),
            "region": {"startLine": max(line, 1), "startColumn": max(col, 1)},
        }
    }


def sarif_dict(report: ScanReport) -> ScanSarifLog:
    order = list(RULES)  # every scan rule, always: indices and metadata do not change between runs
    results: list[ScanSarifResult | SarifResult] = []
    seen: dict[str, int] = {}
    for entry in report.entries:
        rule = _rule_of(entry)
        if rule is None:
            continue
        loc = entry.reference.location
        what = entry.resolution.model or entry.reference.value or entry.reference.expression
        stem = f"{rule}:{loc.uri or loc.path}:{what}"
        seen[stem] = seen.get(stem, 0) + 1
        result: ScanSarifResult = {
            "ruleId": rule,
            "level": _level(entry, rule, report),
            "message": {"text": _message(entry, rule)},
            "locations": [_location(loc.path, loc.uri, loc.line, loc.col)],
            # Stable across edits elsewhere: rule, file, model and its occurrence, not the line.
            "partialFingerprints": {"licensecheck/v1": f"{stem}:{seen[stem]}"},
            "properties": {
                "status": entry.resolution.status.value,
                "model": entry.resolution.model,
                "value": entry.reference.value,
                "kind": entry.reference.kind,
                "coveredBy": list(entry.covered_by),
            },
            "ruleIndex": order.index(rule),
        }
        results.append(result)
    for diagnostic in report.diagnostics:
        results.append(_diagnostic(diagnostic, order.index("SCAN-FILE-NOT-READ")))
    rules: list[ScanSarifRule | SarifRule] = [_rule(r) for r in order]
    if report.evaluation is not None:
        evaluated = sarif_run(report.evaluation)
        offset = len(rules)
        rules.extend(evaluated["tool"]["driver"]["rules"])
        for evaluated_result in evaluated["results"]:
            results.append({**evaluated_result, "ruleIndex": evaluated_result["ruleIndex"] + offset})
    driver: ScanSarifDriver = {
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
                "automationDetails": {"id": "licensecheck-scan/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _diagnostic(diagnostic: Diagnostic, rule_index: int) -> ScanSarifResult:
    loc = diagnostic.location
    return {
        "ruleId": "SCAN-FILE-NOT-READ",
        "level": "note",
        "message": {"text": diagnostic.message},
        "locations": [_location(loc.path, loc.uri, loc.line, loc.col)],
        "partialFingerprints": {
            "licensecheck/v1": f"SCAN-FILE-NOT-READ:{loc.uri or loc.path}:{diagnostic.message}"
        },
        "ruleIndex": rule_index,
    }


class ScanSarif:
    """SARIF 2.1.0 for code scanning."""

    name = "sarif"

    def render(self, report: ScanReport, /) -> str:
        return json.dumps(sarif_dict(report), indent=2, ensure_ascii=False) + "\n"
