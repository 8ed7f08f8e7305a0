"""Scan report formats behind one protocol: an object with `name` and `render(report) -> str`."""

# A format takes its options when it is made (`ScanText(color=True)`); modules are imported only
# when their format is asked for.

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from licensecheck.scan.model import ScanReport


class Format(Protocol):
    """What every scan format is: a name, and a render function of the report alone."""

    name: str

    def render(self, report: ScanReport, /) -> str: ...


# format name -> "module:Class" under licensecheck.scan.formats
FORMATS: dict[str, str] = {
    "text": "text:ScanText",
    "json": "json_report:ScanJson",
    "jsonl": "jsonl:ScanJsonLines",
    "sarif": "sarif:ScanSarif",
    "github": "github:ScanGithub",
    "markdown": "markdown:ScanMarkdown",
}


def names() -> list[str]:
    return list(FORMATS)


def create(name: str, **options: Any) -> Format:
    """The format `name`, made with `options` (text: color; markdown: limit); KeyError if unknown."""
    module, _, cls = FORMATS[name].partition(":")
    made: Format = getattr(importlib.import_module(f"licensecheck.scan.formats.{module}"), cls)(**options)
    return made
