"""JSON Lines: one reference a line, each naming its repository (inventories of many repositories)."""

from __future__ import annotations

import json

from licensecheck.scan.formats.view import reference_dict
from licensecheck.scan.model import ScanReport


class ScanJsonLines:
    """One reference a line, each naming its repository."""

    name = "jsonl"

    def render(self, report: ScanReport, /) -> str:
        lines = [
            json.dumps({"repository": report.root, **reference_dict(entry)}, ensure_ascii=False)
            for entry in report.entries
        ]
        return "".join(line + "\n" for line in lines)
