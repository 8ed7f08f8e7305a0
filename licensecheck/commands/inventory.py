"""`licensecheck inventory`: the models of many repositories."""

from __future__ import annotations

import sys

import click

from licensecheck.cli import InputFailure, PathSafeCommand, _emit, context_options
from licensecheck.errors import InputError
from licensecheck.text import terminal


@click.command(
    cls=PathSafeCommand,
    epilog="Exit codes: 0 the inventory was written (repositories that failed are error records in it); "
    "2 usage error, invalid input, or the engine failed; 130 interrupted (the repositories done are "
    "kept: run again to go on).",
)
@click.argument("sources", nargs=-1, required=True, metavar="[--] SOURCE...")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="The folder to write (records/*.jsonl, summary.json, inventory.html, inventory.md); a run "
    "with the same folder skips repositories unchanged since the last one.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: a process pool; dask: a Dask cluster (the `dask` extra).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="The Dask scheduler to use (tcp://HOST:8786); default: a local cluster. Needs --engine dask.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Worker processes of the local pool or the local Dask cluster (0: one per CPU; 1: in this process).",
)
@click.option(
    "--exclude", multiple=True, help="Skip paths matching this glob in every repository (repeatable)."
)
@context_options
@click.option("--as-of", "as_of", help="Evaluate use cases as of this date (YYYY-MM-DD); default today.")
@click.option("--fresh", is_flag=True, help="Inventory every repository again, even if unchanged.")
def inventory(
    sources: tuple[str, ...],
    output: str,
    engine: str,
    scheduler: str | None,
    jobs: int,
    exclude: tuple[str, ...],
    rules: tuple[str, ...],
    catalogs: tuple[str, ...],
    as_of: str | None,
    fresh: bool,
) -> None:
    """Inventory the models of many repositories: every reference and use case, into one folder.

    SOURCE is a repository folder (a folder that is no git checkout but holds some directly
    below it stands for each folder below it), a file listing repository folders one a line, or
    a quoted glob ('repos/*'). Nothing in a repository is executed.
    """
    from licensecheck.inventory import InventoryOptions, PolicyMismatch, run_inventory
    from licensecheck.inventory.engines import EngineError

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler names a Dask scheduler: add --engine dask")
    jobs_given = (
        click.get_current_context().get_parameter_source("jobs") is not click.core.ParameterSource.DEFAULT
    )
    if scheduler and jobs_given:
        raise click.UsageError(
            "--jobs sizes a local cluster; with --scheduler the cluster has its own workers"
        )
    options = InventoryOptions(
        engine=engine,
        jobs=jobs,
        scheduler=scheduler,
        rules=rules,
        catalogs=catalogs,
        exclude=exclude,
        as_of=as_of or "",
        fresh=fresh,
    )
    try:
        stats = run_inventory(list(sources), output, options, progress=sys.stderr)
    except (PolicyMismatch, EngineError) as exc:
        raise InputFailure([InputError(f"--engine {engine}", None, None, str(exc))]) from None
    _emit(
        terminal(
            f"inventory of {stats.total:,} repositories: {stats.scanned:,} scanned, "
            f"{stats.unchanged:,} unchanged since the last run, {stats.failed:,} failed; written to {output}"
        )
        + "\n"
    )
