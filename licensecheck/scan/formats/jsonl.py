"""JSON Lines: one reference a line, each naming its repository (inventories of many repositories)."""

from __future__ import annotations

import json

from licensecheck.scan.formats.view import reference_dict
from licensecheck.scan.model import ScanReport

NAME = "jsonl"


def render(report: ScanReport, color: bool = False) -> str:
    lines = [
        json.dumps({"repository": report.root, **reference_dict(entry)}, ensure_ascii=False, sort_keys=False)
        for entry in report.entries
    ]
    return "".join(line + "\n" for line in lines)
