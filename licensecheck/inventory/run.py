"""An inventory run: repositories from SOURCES, through an engine, into the output folder and its views."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, TextIO

from licensecheck import __version__
from licensecheck.inventory import engines, host, views
from licensecheck.inventory.model import ContextSpec, RepositoryTask, RunStats
from licensecheck.inventory.progress import Progress
from licensecheck.inventory.sources import expand_sources
from licensecheck.inventory.store import OutputFolder
from licensecheck.inventory.summary import SummaryBuilder

SUMMARY = "summary.json"
HTML = "inventory.html"
MARKDOWN = "inventory.md"


@dataclass(frozen=True)
class InventoryOptions:
    """How to run: the engine and its workers, the policy (rules, catalogs, --as-of), resume."""

    engine: str = "local"  # local | dask
    jobs: int = 0  # worker processes; 0: one per CPU; local with 1: in this process
    scheduler: str | None = None  # a Dask scheduler's address; None: a LocalCluster
    rules: tuple[str, ...] = ()
    catalogs: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    as_of: str = ""  # YYYY-MM-DD; "" for today
    fresh: bool = False  # inventory every repository again, whatever the last run found


def run_inventory(
    sources: Sequence[str], output: str, options: InventoryOptions, progress: TextIO | None = None
) -> RunStats:
    """Inventory the repositories of `sources` into the folder `output`.

    Raises InputError for bad sources, options or output folder (before anything is written),
    PolicyMismatch when a Dask worker loads other rule packs, EngineError when the engine fails.
    A repository that cannot be inventoried is an error record, never an exception.
    """
    if options.engine == "dask":
        engines.require_dask()
    tasks = expand_sources(sources)
    spec = ContextSpec(
        tuple(os.path.abspath(r) for r in options.rules),
        tuple(os.path.abspath(c) for c in options.catalogs),
        options.exclude,
        host.parse_as_of(options.as_of or None),
    )
    context = host.load(spec)
    host.remember(context)
    spec = replace(spec, policy=context.policy)
    folder = OutputFolder(output)
    folder.check()
    jobs = options.jobs or engines.cpu_count()
    with contextlib.ExitStack() as stack:
        client = None
        if options.engine == "dask":  # connected before the folder is written: a bad address leaves none
            client = stack.enter_context(engines.dask_client(jobs, options.scheduler))
        return _run(tasks, spec, context.policy, folder, options, progress, client)


def _run(
    tasks: list[RepositoryTask],
    spec: ContextSpec,
    policy: str,
    folder: OutputFolder,
    options: InventoryOptions,
    progress: TextIO | None,
    client: Any,
) -> RunStats:
    kept = folder.open(policy, options.fresh)
    todo = []
    for task in tasks:
        last = kept.get(task.name)
        valid = last is not None and last.stamp is not None and last.valid_on(spec.as_of)
        todo.append(replace(task, previous=last.stamp if valid and last is not None else None))
    meter = Progress(len(todo), progress)
    unchanged: set[str] = set()
    try:
        with contextlib.closing(_results(todo, spec, options, client)) as results:
            for result in results:
                if result.unchanged:
                    unchanged.add(result.name)
                else:
                    folder.append(result)
                meter.advance()
    finally:
        folder.close()
        meter.close()
    builder = SummaryBuilder()
    files = folder.finish({t.name for t in todo}, unchanged, builder.add_partition)
    head = {
        "inventory_format": host.INVENTORY_FORMAT,
        "licensecheck_version": __version__,
        "as_of": spec.as_of,
        "policy": policy,
    }
    summary = builder.summary(head, files)
    data = views.view(summary, builder.locations())
    output = folder.path
    host.write(os.path.join(output, SUMMARY), host.json_text(summary))
    host.write(os.path.join(output, HTML), views.render_html(data))
    host.write(os.path.join(output, MARKDOWN), views.render_markdown(data))
    counts = summary["repositories"]
    return RunStats(
        total=len(todo),
        scanned=len(todo) - len(unchanged),
        unchanged=len(unchanged),
        failed=counts["failed"],
        output=output,
        files=(*files, SUMMARY, HTML, MARKDOWN),
    )


def _results(
    tasks: list[RepositoryTask], spec: ContextSpec, options: InventoryOptions, client: Any
) -> engines.Results:
    jobs = options.jobs or engines.cpu_count()
    if client is not None:
        return engines.on_dask(tasks, spec, client, jobs)
    if jobs == 1 or len(tasks) <= 1:
        return engines.serial(tasks, spec)
    return engines.local(tasks, spec, jobs)
