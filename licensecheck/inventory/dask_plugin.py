"""The Dask worker plugin that loads an inventory's context once per worker, when the worker starts."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from distributed import WorkerPlugin

from licensecheck.inventory import host
from licensecheck.inventory.model import ContextSpec


class ContextPlugin(WorkerPlugin):  # type: ignore[misc]
    """Loads the rule packs and catalog of `spec` on every worker, present and future."""

    name = "licensecheck-inventory-context"

    def __init__(self, spec: ContextSpec) -> None:
        self.spec = spec

    def setup(self, worker: Any) -> None:
        # No policy check here: a worker that loads other packs fails each task with a message.
        host.worker_context(replace(self.spec, policy=""))
