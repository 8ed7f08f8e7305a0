"""The command line: parse options, call the library API (licensecheck.api), print through a format.

Exit codes: 0 the gate passed; 1 the gate failed (a verdict at or above --fail-on);
2 usage error or invalid input (one located message each, no traceback, no report written).
Errors become exit codes in one place: `_Commands.invoke` and `main`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO, TypeVar

import click

from licensecheck import __version__
from licensecheck.errors import InputError, InputErrors
from licensecheck.formats import MODEL_LIST_FORMATS, REPORT_FORMATS, SHORTLIST_FORMATS

FAIL_ON = {"blocked": 3, "needs-review": 2, "never": 99}
EPILOG = (
    "Exit codes: 0 the gate passed; 1 a use case's verdict is at or above --fail-on; "
    "2 usage error or invalid input."
)
SCHEMAS = ("usecase", "rules", "report", "catalog", "waivers", "ruletests")
F = TypeVar("F", bound=Callable[..., Any])


class InputFailure(click.ClickException):
    """Invalid input: exit code 2 with located messages."""

    exit_code = 2

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("\n".join(e.render() for e in errors))
        self.errors = errors

    def show(self, file: Any = None) -> None:
        for error in self.errors:
            click.echo(error.render(), err=True)
        if len(self.errors) > 1:
            click.echo(f"{len(self.errors)} input errors; no report written.", err=True)


class _Commands(click.Group):
    """The command group: invalid input anywhere below it becomes exit code 2 with its messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputErrors as exc:
            raise InputFailure(exc.errors) from None
        except InputError as exc:
            raise InputFailure([exc]) from None


def _use_color(flag: bool | None) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if flag is not None:
        return flag
    return sys.stdout.isatty()


@contextlib.contextmanager
def _report_file(path: str | None, color: bool) -> Iterator[TextIO]:
    """Where a report is written while it is made; only a complete report reaches its reader.

    With --output, a temp file next to it is renamed over it at the end (readers never see half
    a report, an error keeps the previous one); for stdout, a temp file is copied out at the end.
    """
    import tempfile

    directory = os.path.dirname(os.path.abspath(path)) if path else None
    try:
        fd, temp = tempfile.mkstemp(prefix=".licensecheck-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(path or "-", None, None, f"cannot write the report: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w+", encoding="utf-8", newline="") as handle:
            yield handle
            if path is None:
                handle.seek(0)
                while chunk := handle.read(1 << 20):
                    click.echo(chunk, nl=False, color=color)
        if path is not None:
            os.replace(temp, path)
    except OSError as exc:
        raise InputError(path or "-", None, None, f"cannot write the report: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def context_options(func: F) -> F:
    """--rules and --catalog: the folders added to the bundled packs and catalog."""
    func = click.option(
        "--catalog",
        "catalogs",
        multiple=True,
        type=click.Path(),
        help="Add a directory of model catalogs (*.yaml, *.json; repeatable).",
    )(func)
    return click.option(
        "--rules",
        "rules",
        multiple=True,
        type=click.Path(),
        help="Add a directory of rule packs (repeatable).",
    )(func)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.version_option(__version__, prog_name="licensecheck")
def cli() -> None:
    """Check AI model use cases against licence terms and deployment constraints."""


@cli.command(epilog=EPILOG)
@click.argument("usecases", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(REPORT_FORMATS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE (atomically) instead of stdout.",
)
@context_options
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON)),
    default="needs-review",
    show_default=True,
    help="Exit 1 when a verdict is at or above this.",
)
@click.option(
    "--waivers",
    "waivers_file",
    type=click.Path(),
    help="A shared waivers file (e.g. .licensecheck-waivers.yaml).",
)
@click.option(
    "--as-of", "as_of", help="Evaluate as of this date (YYYY-MM-DD), for waiver expiry; default today."
)
@click.option(
    "--stdin-filename", default="<stdin>", show_default=True, help="Name shown for a use case read from '-'."
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour the text report (default: on a terminal, unless NO_COLOR is set).",
)
@click.option(
    "--model",
    "model_path",
    help="Evaluate every use case with this model: a local Hugging Face-style folder "
    "(or a Hub repo id, with the `hub` extra).",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False),
    help="Render with your own Jinja2 template instead of the built-in HTML one (data: see README).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Evaluate in N processes; default: one per CPU for 200 use cases or more, else one. "
    "The report is the same for any N.",
)
def evaluate(
    usecases: tuple[str, ...],
    fmt: str,
    output: str | None,
    rules: tuple[str, ...],
    catalogs: tuple[str, ...],
    fail_on: str,
    waivers_file: str | None,
    as_of: str | None,
    stdin_filename: str,
    color: bool | None,
    model_path: str | None = None,
    template: str | None = None,
    jobs: int | None = None,
) -> None:
    """Evaluate use-case files (files, directories, or - for stdin) and report."""
    from licensecheck import api, formats

    _check_template_format(template, fmt)
    when = api.parse_as_of(as_of)
    files = api.expand_inputs(usecases)
    shared = api.load_waivers(waivers_file) if waivers_file else ()
    model_folder = api.model_folder(model_path) if model_path else None
    ctx = api.load_context(rules, catalogs)
    stdin = sys.stdin.buffer.read() if "-" in files else None
    paint = _use_color(color) and not output
    options: dict[str, Any] = (
        {"template": template} if template else {"color": paint} if fmt == "text" else {}
    )
    writer = formats.report_format("html" if template else fmt, **options)
    with _report_file(output, paint) as out:
        summary = api.write_report(
            ctx,
            files,
            writer,
            out,
            waivers=shared,
            as_of=when,
            model_folder=model_folder,
            stdin=stdin,
            stdin_name=stdin_filename,
            jobs=jobs,
        )
    if summary.worst.rank >= FAIL_ON[fail_on]:
        sys.exit(1)


def _check_template_format(template: str | None, fmt: str) -> None:
    """--template replaces the HTML template; with another format named explicitly it is a usage error."""
    source = click.get_current_context().get_parameter_source("fmt")
    if template and fmt != "html" and source is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError(
            f"--template renders the report itself; it cannot be combined with --format {fmt}"
        )


@cli.command(epilog="Exit codes: 0 at least one model fits; 1 none fits; 2 usage error or invalid input.")
@click.argument("usecase")
@click.option("--top", type=click.IntRange(min=1), help="Show only the N best-ranked models.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(SHORTLIST_FORMATS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@context_options
@click.option("--as-of", "as_of", help="Evaluate as of this date (YYYY-MM-DD), for waiver expiry.")
def shortlist(
    usecase: str,
    top: int | None,
    fmt: str,
    rules: tuple[str, ...],
    catalogs: tuple[str, ...],
    as_of: str | None,
) -> None:
    """Rank the catalog models that fit USECASE (its `model` may be left out) and list the excluded ones."""
    from licensecheck import api, formats

    when = api.parse_as_of(as_of)
    stdin = sys.stdin.buffer.read() if usecase == "-" else None
    ctx = api.load_context(rules, catalogs)
    result = api.shortlist(ctx, usecase, top=top, as_of=when, stdin=stdin)
    click.echo(formats.create(SHORTLIST_FORMATS, fmt).render(result), nl=False)
    if not result.ranked:
        sys.exit(1)


@cli.group()
def models() -> None:
    """The model catalog: list and show models and their facts."""


@models.command("list")
@click.option("--weights", type=click.Choice(["open", "closed"]), help="Only open or closed weights.")
@click.option("--license", "license_id", help="Only models under this licence id.")
@click.option(
    "--min-context", type=click.IntRange(min=0), help="Only models with at least this context window."
)
@click.option(
    "--modality", "modalities", multiple=True, help="Only models handling this modality (repeatable)."
)
@click.option(
    "--format", "fmt", type=click.Choice(list(MODEL_LIST_FORMATS)), default="text", show_default=True
)
@context_options
def models_list(
    weights: str | None,
    license_id: str | None,
    min_context: int | None,
    modalities: tuple[str, ...],
    fmt: str,
    rules: tuple[str, ...],
    catalogs: tuple[str, ...],
) -> None:
    """List catalog models, filtered; a model whose fact is unknown does not pass a filter on it."""
    from licensecheck import api, formats

    found = api.load_context(rules, catalogs).catalog.select(weights, license_id, min_context, modalities)
    click.echo(formats.create(MODEL_LIST_FORMATS, fmt).render(found), nl=False)


@models.command("show")
@click.argument("ident")
@context_options
def models_show(ident: str, rules: tuple[str, ...], catalogs: tuple[str, ...]) -> None:
    """Show every fact of a model (by catalog id or Hugging Face repo id) and its sources."""
    from licensecheck import api
    from licensecheck.formats.catalog import ModelCard

    catalog = api.load_context(rules, catalogs).catalog
    model = catalog.find(ident)
    if model is None:
        near = catalog.nearest(ident)
        hint = (
            "nearest catalog ids: " + ", ".join(near) + "; " if near else ""
        ) + "see `licensecheck models list`"
        raise InputError(ident, None, None, "no model with this id in the catalog", hint)
    click.echo(ModelCard(catalog.origin[model.id]).render(model), nl=False)


@cli.command()
@click.argument("name", type=click.Choice(SCHEMAS))
def schema(name: str) -> None:
    """Print a JSON Schema (use it in your editor to validate files)."""
    from licensecheck.schema import schema_text

    click.echo(schema_text(name), nl=False)


@cli.group()
def rules() -> None:
    """Rule packs: browse, validate, run their tests."""


@rules.command("list")
@click.option("--rules", "extra", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
def rules_list(extra: tuple[str, ...]) -> None:
    """List the rule packs (bundled and added)."""
    from licensecheck import api
    from licensecheck.formats.rules import PackTable

    click.echo(PackTable().render(list(api.load_context(extra).ruleset.packs)), nl=False)


@rules.command("show")
@click.argument("ident")
@click.option("--rules", "extra", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
def rules_show(ident: str, extra: tuple[str, ...]) -> None:
    """Show a pack (by pack or licence id) or a rule (by rule id)."""
    from licensecheck import api
    from licensecheck.errors import did_you_mean
    from licensecheck.formats.rules import PackText, RuleText

    rs = api.load_context(extra).ruleset
    rule = rs.rules.get(ident) or rs.rules.get(ident.upper())
    if rule is not None:
        click.echo(RuleText().render(rule), nl=False)
        return
    lic = rs.licenses.canonical(ident)
    packs = [p for p in rs.packs if p.id == ident.casefold() or (lic and p.license == lic)]
    if not packs:
        hint = did_you_mean(ident, [p.id for p in rs.packs] + list(rs.rules))
        raise InputError(ident, None, None, "no pack, licence or rule with this id", hint)
    click.echo(PackText().render(packs), nl=False)


@rules.command("lint")
@click.argument("directory", type=click.Path())
def rules_lint(directory: str) -> None:
    """Validate every rule pack, catalog and pack test in DIRECTORY."""
    from licensecheck import api

    found = api.lint_rules(directory)
    click.echo(f"{directory}: {found.packs} packs, {found.rules} rules, {found.cases} test cases: all valid")


@rules.command("test")
@click.argument("directory", type=click.Path())
def rules_test(directory: str) -> None:
    """Run the pack tests (*.tests.yaml) in DIRECTORY; every rule needs a case that fires it and one that does not."""
    from licensecheck import api

    result = api.run_pack_tests(directory)
    for line in result.failures:
        click.echo(f"FAIL {line}")
    click.echo(f"{result.passed} passed, {len(result.failures)} failed")
    if result.failures:
        sys.exit(1)


def main() -> None:
    """Console entry point: no traceback escapes; unexpected errors exit 2 with a short message."""
    try:
        cli(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("LICENSECHECK_DEBUG"):
            raise
        click.echo(f"licensecheck: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("  help: set LICENSECHECK_DEBUG=1 for the traceback, and report it", err=True)
        sys.exit(2)
