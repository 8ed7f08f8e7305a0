"""The command line: parse options, wire loaders, engine and formats, map errors to exit codes.

Exit codes: 0 the gate passed; 1 the gate failed (a verdict at or above --fail-on);
2 usage error or invalid input (one located message each, no traceback, no report written).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from licensecheck import __version__
from licensecheck.errors import InputError

FAIL_ON = {"blocked": 3, "needs-review": 2, "never": 99}
FORMATS = (
    "text",
    "json",
    "sarif",
    "junit",
    "github",
    "html",
    "markdown",
)  # kept in step with licensecheck.formats.REGISTRY by a test
EPILOG = (
    "Exit codes: 0 the gate passed; 1 a use case's verdict is at or above --fail-on; "
    "2 usage error or invalid input."
)


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


def _use_color(flag: bool | None) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if flag is not None:
        return flag
    return sys.stdout.isatty()


def write_atomically(path: str, text: str) -> None:
    """Write `text` to `path` via a temp file and rename: readers never see half a report."""
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, temp = tempfile.mkstemp(prefix=".licensecheck-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputFailure(
            [InputError(path, None, None, f"cannot write the report: {exc.strerror or exc}")]
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temp, path)
    except OSError as exc:
        if os.path.exists(temp):
            os.unlink(temp)
        raise InputFailure(
            [InputError(path, None, None, f"cannot write the report: {exc.strerror or exc}")]
        ) from None


def _context(rules: tuple[str, ...], catalogs: tuple[str, ...] = ()) -> Any:
    from licensecheck.runner import load_context

    try:
        return load_context(rules, catalogs)
    except InputError as exc:
        raise InputFailure([exc]) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.version_option(__version__, prog_name="licensecheck")
def cli() -> None:
    """Check AI model use cases against licence terms and deployment constraints."""


@cli.command(epilog=EPILOG)
@click.argument("usecases", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE (atomically) instead of stdout.",
)
@click.option(
    "--rules", "rules", multiple=True, type=click.Path(), help="Add a directory of rule packs (repeatable)."
)
@click.option(
    "--catalog",
    "catalogs",
    multiple=True,
    type=click.Path(),
    help="Add a directory of model catalogs (*.yaml, *.json; repeatable).",
)
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
) -> None:
    """Evaluate use-case files (files, directories, or - for stdin) and report."""
    from licensecheck import formats
    from licensecheck.runner import evaluate_files, expand_inputs, load_waivers, model_option, parse_as_of

    _check_template_format(template, fmt)

    try:
        when = parse_as_of(as_of)
        files = expand_inputs(usecases)
        shared = load_waivers(waivers_file) if waivers_file else ()
        model_folder = model_option(model_path) if model_path else None
    except InputError as exc:
        raise InputFailure([exc]) from None
    ctx = _context(rules, catalogs)
    stdin = sys.stdin.buffer.read() if "-" in files else None
    report, errors = evaluate_files(ctx, files, shared, when, stdin, stdin_filename, model_folder)
    if errors or report is None:
        raise InputFailure(errors)
    paint = _use_color(color) and not output
    text = _render_template(report, template) if template else formats.get(fmt).render(report, color=paint)
    if output:
        write_atomically(output, text)
    else:
        click.echo(text, nl=False, color=paint)
    if report.worst.rank >= FAIL_ON[fail_on]:
        sys.exit(1)


def _check_template_format(template: str | None, fmt: str) -> None:
    """--template replaces the HTML template; with another format named explicitly it is a usage error."""
    source = click.get_current_context().get_parameter_source("fmt")
    if template and fmt != "html" and source is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError(
            f"--template renders the report itself; it cannot be combined with --format {fmt}"
        )


def _render_template(report: Any, template: str) -> str:
    from licensecheck.formats.html import render_template

    try:
        return render_template(report, template)
    except InputError as exc:
        raise InputFailure([exc]) from None


SHORTLIST_FORMATS = ("text", "json", "markdown")


@cli.command(epilog="Exit codes: 0 at least one model fits; 1 none fits; 2 usage error or invalid input.")
@click.argument("usecase")
@click.option("--top", type=click.IntRange(min=1), help="Show only the N best-ranked models.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(SHORTLIST_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--rules", "rules", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
@click.option(
    "--catalog", "catalogs", multiple=True, type=click.Path(), help="Add a directory of model catalogs."
)
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
    from licensecheck import shortlist as sl
    from licensecheck.runner import parse_as_of, waivers_from
    from licensecheck.yamlsource import parse_yaml, read_text

    try:
        when = parse_as_of(as_of)
        raw = sys.stdin.read() if usecase == "-" else read_text(usecase)
        uc = sl.parse_selection_usecase(parse_yaml(raw, "<stdin>" if usecase == "-" else usecase))
        own = waivers_from(uc.doc, ("waivers",), uc.data.get("waivers", []))
        ctx = _context(rules, catalogs)
        result = sl.build_shortlist(uc, ctx.catalog, ctx.ruleset, own, when, top)
    except InputError as exc:
        raise InputFailure([exc]) from None
    click.echo(sl.render(result, fmt, __version__), nl=False)
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
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rules", "rules", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
@click.option(
    "--catalog", "catalogs", multiple=True, type=click.Path(), help="Add a directory of model catalogs."
)
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
    from licensecheck.catalogview import filter_models, render_list, render_list_json

    ctx = _context(rules, catalogs)
    found = filter_models(ctx.catalog, weights, license_id, min_context, modalities)
    click.echo(render_list_json(found) if fmt == "json" else render_list(found), nl=False)


@models.command("show")
@click.argument("ident")
@click.option("--rules", "rules", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
@click.option(
    "--catalog", "catalogs", multiple=True, type=click.Path(), help="Add a directory of model catalogs."
)
def models_show(ident: str, rules: tuple[str, ...], catalogs: tuple[str, ...]) -> None:
    """Show every fact of a model (by catalog id or Hugging Face repo id) and its sources."""
    from licensecheck.catalogview import render_show

    ctx = _context(rules, catalogs)
    model = ctx.catalog.find(ident)
    if model is None:
        near = ctx.catalog.nearest(ident)
        hint = (
            "nearest catalog ids: " + ", ".join(near) + "; " if near else ""
        ) + "see `licensecheck models list`"
        raise InputFailure([InputError(ident, None, None, "no model with this id in the catalog", hint)])
    click.echo(render_show(model, ctx.catalog.origin[model.id]), nl=False)


@cli.command()
@click.argument("name", type=click.Choice(["usecase", "rules", "report", "catalog", "waivers", "ruletests"]))
def schema(name: str) -> None:
    """Print a JSON Schema (use it in your editor to validate files)."""
    from pathlib import Path

    click.echo((Path(__file__).parent / "schemas" / f"{name}.schema.json").read_text("utf-8"), nl=False)


@cli.group()
def rules() -> None:
    """Rule packs: browse, validate, run their tests."""


@rules.command("list")
@click.option("--rules", "extra", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
def rules_list(extra: tuple[str, ...]) -> None:
    """List the rule packs (bundled and added)."""
    ctx = _context(extra)
    rows = [("PACK", "KIND", "LICENCE", "VERSION", "RULES", "NAME")]
    for pack in sorted(ctx.ruleset.packs, key=lambda p: p.id):
        rows.append(
            (
                pack.id,
                pack.kind,
                pack.license or "(every model)",
                pack.version,
                str(len(pack.rules)),
                pack.name,
            )
        )
    click.echo(_table(rows))


@rules.command("show")
@click.argument("ident")
@click.option("--rules", "extra", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
def rules_show(ident: str, extra: tuple[str, ...]) -> None:
    """Show a pack (by pack or licence id) or a rule (by rule id)."""
    from licensecheck.errors import did_you_mean

    ctx = _context(extra)
    rs = ctx.ruleset
    rule = rs.rules.get(ident) or rs.rules.get(ident.upper())
    if rule is not None:
        click.echo(_rule_text(rule))
        return
    lic = rs.licenses.canonical(ident)
    packs = [p for p in rs.packs if p.id == ident.casefold() or (lic and p.license == lic)]
    if not packs:
        choices = [p.id for p in rs.packs] + list(rs.rules)
        raise InputFailure(
            [
                InputError(
                    ident, None, None, "no pack, licence or rule with this id", did_you_mean(ident, choices)
                )
            ]
        )
    for pack in packs:
        click.echo(f"{pack.id}: {pack.name}")
        click.echo(
            f"  kind: {pack.kind}   version: {pack.version}   licence: {pack.license or '(every model)'}"
        )
        if pack.aliases:
            click.echo(f"  aliases: {', '.join(pack.aliases)}")
        click.echo(f"  source: {pack.source}")
        click.echo(f"  file: {pack.file}   sha256: {pack.digest}")
        for r in pack.rules:
            click.echo(f"  - {r.id} [{r.outcome.value}] {r.clause}: {r.title}")


def _rule_text(rule: Any) -> str:
    lines = [
        f"{rule.id}: {rule.title}",
        f"  pack: {rule.pack}   licence: {rule.license}   category: {rule.category}",
        f"  outcome: {rule.outcome.value}   severity: {rule.severity.value}   confidence: {rule.confidence or '-'}",
        f"  clause: {rule.clause}   source: {rule.source}",
        f"  reads: {', '.join(rule.facts)}",
        f"  message: {rule.message}",
    ]
    if rule.remedy:
        lines.append(f"  remedy: {rule.remedy}")
    if rule.text:
        lines.append(f"  required text: {rule.text}")
    return "\n".join(lines)


@rules.command("lint")
@click.argument("directory", type=click.Path())
def rules_lint(directory: str) -> None:
    """Validate every rule pack, catalog and pack test in DIRECTORY."""
    from pathlib import Path

    from licensecheck.catalog import build_catalog
    from licensecheck.packs import bundled_rules_dir, load_rules
    from licensecheck.ruletest import lint_tests

    try:
        bundled = bundled_rules_dir().resolve()
        dirs = [Path(directory)] if _is_bundled(directory) else [bundled, Path(directory)]
        loaded = load_rules(dirs)
        ruleset = loaded.ruleset
        build_catalog(loaded.catalogs)
        cases = lint_tests(ruleset, Path(directory))
    except InputError as exc:
        raise InputFailure([exc]) from None
    own = [p for p in ruleset.packs if Path(directory).resolve() in Path(p.path).parents]
    n_rules = sum(len(p.rules) for p in own)
    click.echo(f"{directory}: {len(own)} packs, {n_rules} rules, {cases} test cases: all valid")


@rules.command("test")
@click.argument("directory", type=click.Path())
def rules_test(directory: str) -> None:
    """Run the pack tests (*.tests.yaml) in DIRECTORY; every rule needs a case that fires it and one that does not."""
    from pathlib import Path

    from licensecheck.ruletest import run_tests
    from licensecheck.runner import load_context

    try:
        ctx = load_context((directory,), bundled=not _is_bundled(directory))
        result = run_tests(ctx, Path(directory))
    except InputError as exc:
        raise InputFailure([exc]) from None
    for line in result.failures:
        click.echo(f"FAIL {line}")
    click.echo(f"{result.passed} passed, {len(result.failures)} failed")
    if result.failures:
        sys.exit(1)


def _is_bundled(directory: str) -> bool:
    """Whether DIR is the bundled rules or a copy of them (a checkout of this repository's rules/).

    Such a folder replaces the bundled rules instead of adding to them: loading both would make
    every pack a duplicate. An organisation's own folder uses its own file names.
    """
    from pathlib import Path

    from licensecheck.packs import bundled_rules_dir, yaml_files

    given, bundled = Path(directory).resolve(), bundled_rules_dir().resolve()
    if given == bundled:
        return True
    if not given.is_dir():
        return False
    return any((bundled / p.relative_to(given)).is_file() for p in yaml_files(given))


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


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
