"""Output formats behind one small protocol: a module with `NAME` and `render(report, color) -> str`.

Modules are imported only when their format is asked for, so the CLI does not pay for
jinja2 or xml on the default path.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from licensecheck.model import Report


class Format(Protocol):
    NAME: str

    def render(self, report: Report, color: bool = False) -> str: ...


# format name -> module under licensecheck.formats
REGISTRY: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "html": "html",
    "markdown": "markdown",
}


def names() -> list[str]:
    return list(REGISTRY)


def get(name: str) -> Format:
    module = importlib.import_module(f"licensecheck.formats.{REGISTRY[name]}")
    return module  # type: ignore[return-value]
