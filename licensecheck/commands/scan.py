"""`licensecheck scan`: find the models a repository's code uses, and gate them."""

from __future__ import annotations

import os
import sys

import click

from licensecheck.cli import FAIL_ON, InputFailure, PathSafeCommand, _emit, _use_color, format_option
from licensecheck.scan.formats import FORMATS as SCAN_FORMATS


@click.command(
    cls=PathSafeCommand,
    epilog="Exit codes: 0 the gate passed; 1 --require-usecase and a model without a use case, or a use "
    "case's verdict at or above --fail-on; 2 usage error or invalid input.",
)
@click.argument("paths", nargs=-1, metavar="[--] [PATH]...")
@click.option(
    "--require-usecase", is_flag=True, help="Fail (exit 1) when a model the code uses has no use case."
)
@format_option(SCAN_FORMATS, "Report format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE instead of stdout (as `evaluate --output` does).",
)
@click.option(
    "--usecases",
    "usecases",
    multiple=True,
    type=click.Path(),
    help="Use-case files or folders (repeatable); default: the use cases found in the scanned paths.",
)
@click.option("--exclude", multiple=True, help="Skip paths matching this glob (repeatable), e.g. 'tests/*'.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes (0: one per CPU); the report is the same for any number.",
)
@click.option("--rules", "rules", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
@click.option(
    "--catalog", "catalogs", multiple=True, type=click.Path(), help="Add a directory of model catalogs."
)
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON)),
    default="needs-review",
    show_default=True,
    help="Exit 1 when a use case's verdict is at or above this.",
)
@click.option("--waivers", "waivers_file", type=click.Path(), help="A shared waivers file.")
@click.option("--as-of", "as_of", help="Evaluate as of this date (YYYY-MM-DD); default today.")
@click.option("--color/--no-color", default=None, help="Colour the text report.")
@click.option(
    "--allow-broad-waivers",
    is_flag=True,
    help="Accept waiver globs that name no pack prefix or match rules of several packs (e.g. '*').",
)
@click.option(
    "--evaluate/--no-evaluate",
    "evaluate_usecases",
    default=True,
    show_default=True,
    help="Evaluate the use cases in the same report (--no-evaluate: use them for coverage only, "
    "when `licensecheck evaluate` judges them in another step).",
)
def scan(
    paths: tuple[str, ...],
    require_usecase: bool,
    fmt: str,
    output: str | None,
    usecases: tuple[str, ...],
    exclude: tuple[str, ...],
    jobs: int,
    rules: tuple[str, ...],
    catalogs: tuple[str, ...],
    fail_on: str,
    waivers_file: str | None,
    as_of: str | None,
    color: bool | None,
    allow_broad_waivers: bool = False,
    evaluate_usecases: bool = True,
) -> None:
    """Find every model the code in PATHS (default: .) uses, and whether use cases cover it.

    Python is parsed (never imported or run); notebooks, YAML/JSON/TOML configs, .env files,
    Dockerfiles, shell scripts, Makefiles, workflows and model cards are read. The use cases
    found (or given with --usecases) are evaluated as `evaluate` would, in the same report.
    """
    from licensecheck import api
    from licensecheck.output import refuse_inputs
    from licensecheck.scan import ScanInputError, ScanOptions
    from licensecheck.scan import formats as scan_formats
    from licensecheck.scan import scan as run_scan

    named = [*usecases, *([waivers_file] if waivers_file else [])]
    # the use cases: those named, else the YAML files of the scanned folders
    refuse_inputs(output, named, [*rules, *catalogs], usecases or list(paths) or ["."])
    ctx = api.load_context(rules, catalogs)
    try:
        options = ScanOptions(
            exclude=exclude,
            jobs=jobs or os.cpu_count() or 1,
            require_usecase=require_usecase,
            usecases=usecases or None,
            waivers=api.load_waivers(waivers_file, ctx, allow_broad_waivers) if waivers_file else (),
            as_of=api.parse_as_of(as_of),
            fail_on_rank=FAIL_ON[fail_on],
            allow_broad_waivers=allow_broad_waivers,
            evaluate=evaluate_usecases,
        )
        report = run_scan(list(paths) or ["."], ctx.catalog, ctx.ruleset, options)
    except ScanInputError as exc:
        raise InputFailure(exc.errors) from None
    paint = _use_color(color) and not output
    text = scan_formats.create(fmt, **({"color": paint} if fmt == "text" else {})).render(report)
    if output:
        from licensecheck.output import write_report

        write_report(output, text)
    else:
        _emit(text, paint)
    if report.gate_failed:
        sys.exit(1)
