"""`licensecheck inventory`: every model across many repositories, on a local pool or a Dask cluster."""

# The library API::
#
# from licensecheck.inventory import ContextSpec, load_context, inventory_repository
# context = load_context(ContextSpec(as_of="2026-06-01"))     # once per process
# result = inventory_repository("/src/acme-api", context)     # records: a pure function of the folder
# stats = run_inventory(["repos/*"], "out", InventoryOptions(engine="dask"))

from licensecheck.inventory.host import InventoryContext, PolicyMismatch
from licensecheck.inventory.host import load as load_context
from licensecheck.inventory.model import ContextSpec, Record, RepositoryResult, RepositoryTask, RunStats
from licensecheck.inventory.repository import inventory_repository
from licensecheck.inventory.run import InventoryOptions, run_inventory

__all__ = [
    "ContextSpec",
    "InventoryContext",
    "InventoryOptions",
    "PolicyMismatch",
    "Record",
    "RepositoryResult",
    "RepositoryTask",
    "RunStats",
    "inventory_repository",
    "load_context",
    "run_inventory",
]
