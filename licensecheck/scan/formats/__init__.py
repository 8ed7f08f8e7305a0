"""Scan report formats behind one protocol: a module with `NAME` and `render(report, color) -> str`."""

# Modules are imported only when their format is asked for.

from __future__ import annotations

import importlib
from typing import Protocol

from licensecheck.scan.model import ScanReport


class Format(Protocol):
    NAME: str

    def render(self, report: ScanReport, color: bool = False) -> str: ...


# format name -> module under licensecheck.scan.formats
REGISTRY: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "jsonl": "jsonl",
    "sarif": "sarif",
    "github": "github",
    "markdown": "markdown",
}


def names() -> list[str]:
    return list(REGISTRY)


def get(name: str) -> Format:
    module = importlib.import_module(f"licensecheck.scan.formats.{REGISTRY[name]}")
    return module  # type: ignore[return-value]
