"""`licensecheck scan`: find every model a repository uses, resolve it, and check use cases cover it."""

# The library API::
#
# from licensecheck.scan import find_references, resolve, coverage, scan, ScanOptions
# inventory = find_references(["."])                 # located references, nothing executed
# resolution = resolve(inventory.references[0], ctx.catalog)
# report = scan(["."], ctx.catalog, ctx.ruleset, ScanOptions(require_usecase=True))
# text = licensecheck.scan.formats.create("sarif").render(report)

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
