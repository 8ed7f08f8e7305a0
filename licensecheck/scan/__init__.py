"""`licensecheck scan`: find every model a repository uses, resolve it, and check use cases cover it."""

# The library API::
#
# from licensecheck.scan import find_references, resolve, coverage, scan, ScanOptions
# inventory = find_references(["."])                 # located references, nothing executed
# resolution = resolve(inventory.references[0], ctx.catalog)
# report = scan(["."], ctx.catalog, ctx.ruleset, ScanOptions(require_usecase=True))
# text = licensecheck.scan.formats.create("sarif").render(report)

# The names are imported on first use, so the CLI (which lists the scan formats of
# licensecheck.scan.formats) does not import the scanner on every start.

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from licensecheck.scan.api import (
        Inventory,
        ScanInputError,
        ScanOptions,
        coverage,
        find_references,
        resolve,
        scan,
        usecase_infos,
    )
    from licensecheck.scan.model import (
        Diagnostic,
        Entry,
        Location,
        Reference,
        Resolution,
        ScanReport,
        Status,
        UseCaseInfo,
    )

_API = {
    "Inventory": "licensecheck.scan.api",
    "ScanInputError": "licensecheck.scan.api",
    "ScanOptions": "licensecheck.scan.api",
    "coverage": "licensecheck.scan.api",
    "find_references": "licensecheck.scan.api",
    "resolve": "licensecheck.scan.api",
    "scan": "licensecheck.scan.api",
    "usecase_infos": "licensecheck.scan.api",
    "Diagnostic": "licensecheck.scan.model",
    "Entry": "licensecheck.scan.model",
    "Location": "licensecheck.scan.model",
    "Reference": "licensecheck.scan.model",
    "Resolution": "licensecheck.scan.model",
    "ScanReport": "licensecheck.scan.model",
    "Status": "licensecheck.scan.model",
    "UseCaseInfo": "licensecheck.scan.model",
}

__all__ = [
    "Diagnostic",
    "Entry",
    "Inventory",
    "Location",
    "Reference",
    "Resolution",
    "ScanInputError",
    "ScanOptions",
    "ScanReport",
    "Status",
    "UseCaseInfo",
    "coverage",
    "find_references",
    "resolve",
    "scan",
    "usecase_infos",
]


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'licensecheck.scan' has no attribute '{name}'")
    import importlib

    module = importlib.import_module(_API[name])
    # every name of that module at once: importing licensecheck.scan.api also imports the
    # submodule licensecheck.scan.resolve, which would otherwise stand for the function resolve
    globals().update({key: getattr(module, key) for key, where in _API.items() if where == _API[name]})
    return globals()[name]
