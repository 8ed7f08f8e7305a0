"""`licensecheck shortlist`: rank the catalog models that fit a use case."""

from __future__ import annotations

import sys

import click

from licensecheck.cli import (
    PathSafeCommand,
    _emit,
    _hold,
    _read_stdin,
    context_options,
    format_option,
)
from licensecheck.collector import paused
from licensecheck.formats import SHORTLIST_FORMATS


@click.command(
    cls=PathSafeCommand,
    epilog="Exit codes: 0 at least one model fits; 1 none fits; 2 usage error or invalid input.",
)
@click.argument("usecase", metavar="[--] USECASE")
@click.option("--top", type=click.IntRange(min=1), help="Show only the N best-ranked models.")
@format_option(SHORTLIST_FORMATS, "Output format.")
@click.option(
    "--chart-x",
    "chart_x",
    type=click.Choice(["speed", "context", "release-date"]),
    default="speed",
    show_default=True,
    help="With --format html: the basic the chart plots monthly cost against.",
)
@context_options
@click.option(
    "--as-of",
    "as_of",
    help="Evaluate as of this date (YYYY-MM-DD): lifecycle and waiver expiry; default today.",
)
@click.option(
    "--allow-broad-waivers",
    is_flag=True,
    help="Accept waiver globs that name no pack prefix or match rules of several packs (e.g. '*').",
)
def shortlist(
    usecase: str,
    top: int | None,
    fmt: str,
    chart_x: str,
    rules: tuple[str, ...],
    catalogs: tuple[str, ...],
    as_of: str | None,
    allow_broad_waivers: bool = False,
) -> None:
    """Rank the catalog models that fit USECASE (its `model` may be left out) and list the excluded ones."""
    from licensecheck import api, formats

    source = click.get_current_context().get_parameter_source("chart_x")
    if fmt != "html" and source is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError(
            f"--chart-x lays out the HTML page's chart; it cannot be combined with --format {fmt}"
        )
    when = api.parse_as_of(as_of)
    stdin = _read_stdin("<stdin>") if usecase == "-" else None
    # One use case: the objects of the run live until it ends, and the collector's passes over
    # them (the loaded catalog, then the ranked models as they render) found nothing to collect;
    # nor would the one after the run (a sixth of a 10,000-model shortlist's time).
    with paused(lasting=True):
        ctx = api.load_context(rules, catalogs)
        result = api.shortlist(
            ctx, usecase, top=top, as_of=when, stdin=stdin, allow_broad_waivers=allow_broad_waivers
        )
        _hold(ctx, result)
        options = {"chart_x": chart_x} if fmt == "html" else {}
        _emit(formats.create(SHORTLIST_FORMATS, fmt, **options).render(result))
    if not result.ranked:
        sys.exit(1)
