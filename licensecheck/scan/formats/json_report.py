"""The JSON scan report: every reference, models grouped, use cases, and their evaluation."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from licensecheck.scan.formats.view import counts, groups, reference_dict
from licensecheck.scan.host import report_dict
from licensecheck.scan.model import ScanReport

if TYPE_CHECKING:
    from licensecheck.formats.documents import ScanDoc

SCAN_FORMAT = 1


def scan_dict(report: ScanReport) -> ScanDoc:
    return {
        "scan_format": SCAN_FORMAT,
        "licensecheck_version": report.licensecheck_version,
        "root": report.root,
        "require_usecase": report.require_usecase,
        "gate": "failed" if report.gate_failed else "passed",
        "summary": counts(report),
        "models": [
            {
                "model": group.key,
                "status": group.status.value,
                "license": group.license,
                "references": len(group.entries),
                "covered_by": list(group.covered_by),
                "nearest": list(group.nearest),
            }
            for group in groups(report)
        ],
        "references": [reference_dict(entry) for entry in report.entries],
        "usecases": [
            {"file": u.file, "name": u.name, "model": u.model, "covers": list(u.covers)}
            for u in report.usecases
        ],
        "diagnostics": [
            {
                "file": d.location.path,
                "line": d.location.line,
                "col": d.location.col,
                "severity": d.severity,
                "message": d.message,
            }
            for d in report.diagnostics
        ],
        "skipped": dict(report.skipped),
        "evaluation": report_dict(report.evaluation) if report.evaluation is not None else None,
    }


class ScanJson:
    """Everything, for programs: see `licensecheck schema scan`."""

    name = "json"

    def render(self, report: ScanReport, /) -> str:
        return json.dumps(scan_dict(report), indent=2, ensure_ascii=False) + "\n"
