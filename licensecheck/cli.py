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


def write_output(path: str, text: str) -> None:
    """Write the report to --output (see licensecheck.output): atomically for a regular file."""
    from licensecheck.output import write_report

    try:
        write_report(path, text)
    except InputError as exc:
        raise InputFailure([exc]) from None


def _context(rules: tuple[str, ...], catalogs: tuple[str, ...] = ()) -> Any:
    from licensecheck.runner import load_context

    try:
        return load_context(rules, catalogs)
    except InputError as exc:
        raise InputFailure([exc]) from None


_DASH_HINT = "use -- before file names: {command} [OPTIONS] -- FILE...; or write ./{name}"


class PathSafeCommand(click.Command):
    """A command whose file names cannot turn into options.

    pre-commit and CI scripts append file names to a command line: a committed file named
    `--template=x/usecase.yaml` or `--output=ml/usecase.yaml` would be read as an option. Before
    `--`, an argument that starts with '-' and names an existing path is refused, and so is a
    path option's value that starts with '-'; after `--` every argument is a file name ('-'
    alone still means stdin).
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        for token in args[:end]:
            if token.startswith("-") and token != "-" and os.path.lexists(token):
                raise InputFailure(
                    [
                        InputError(
                            token,
                            None,
                            None,
                            "this argument names an existing file but starts with '-', so it would be read as an option",
                            _DASH_HINT.format(command=ctx.command_path, name=token),
                        )
                    ]
                )
        try:
            rest = super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            raise click.UsageError(
                f"{exc.format_message()} If '{exc.option_name}' begins a file name, use -- before "
                f"file names: {ctx.command_path} [OPTIONS] -- FILE...",
                ctx,
            ) from None
        for param in self.params:
            if not isinstance(param, click.Option) or not (
                isinstance(param.type, click.Path) or param.name == "model_path"
            ):
                continue
            value = ctx.params.get(param.name or "")
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, str) and item.startswith("-"):
                    option = max(param.opts, key=len)
                    raise InputFailure(
                        [
                            InputError(
                                item,
                                None,
                                None,
                                f"the value of {option} starts with '-': it looks like an option, not a path",
                                f"write ./{item} for a file whose name starts with '-'",
                            )
                        ]
                    )
        return rest


class _Group(click.Group):
    """Every command of the CLI, in every subgroup, is a PathSafeCommand."""

    command_class = PathSafeCommand
    group_class = type  # subgroups are _Group too


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.version_option(__version__, prog_name="licensecheck")
def cli() -> None:
    """Check AI model use cases against licence terms and deployment constraints."""


@cli.command(epilog=EPILOG)
@click.argument("usecases", nargs=-1, required=True, metavar="[--] USECASE...")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE instead of stdout (a regular file is replaced atomically and keeps "
    "its mode; a symlink's target is written; a FIFO or device such as /dev/null is written straight).",
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
    help="Evaluate every use case with this model: a catalog id or Hugging Face repo id the catalog "
    "knows, a local Hugging Face-style folder (./NAME), or another Hub repo id (needs "
    "ai-model-licensecheck[hub]).",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False),
    help="Render with your own Jinja2 template instead of the built-in HTML one (data: see README).",
)
@click.option(
    "--allow-broad-waivers",
    is_flag=True,
    help="Accept waiver globs that name no pack prefix or match rules of several packs (e.g. '*').",
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
    allow_broad_waivers: bool = False,
) -> None:
    """Evaluate use-case files (files, directories, or - for stdin) and report."""
    from licensecheck import formats
    from licensecheck.runner import evaluate_files, expand_inputs, load_waivers, model_option, parse_as_of

    _check_template_format(template, fmt)

    try:
        when = parse_as_of(as_of)
        files = expand_inputs(usecases)
    except InputError as exc:
        raise InputFailure([exc]) from None
    ctx = _context(rules, catalogs)
    try:
        model = model_option(model_path, ctx.catalog) if model_path else None
        shared = load_waivers(waivers_file, ctx.ruleset, allow_broad_waivers) if waivers_file else ()
    except InputError as exc:
        raise InputFailure([exc]) from None
    stdin = sys.stdin.buffer.read() if "-" in files else None
    report, errors = evaluate_files(
        ctx, files, shared, when, stdin, stdin_filename, model, allow_broad_waivers
    )
    if errors or report is None:
        raise InputFailure(errors)
    paint = _use_color(color) and not output
    text = _render_template(report, template) if template else formats.get(fmt).render(report, color=paint)
    if output:
        write_output(output, text)
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
@click.argument("usecase", metavar="[--] USECASE")
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
@click.option(
    "--allow-broad-waivers",
    is_flag=True,
    help="Accept waiver globs that name no pack prefix or match rules of several packs (e.g. '*').",
)
def shortlist(
    usecase: str,
    top: int | None,
    fmt: str,
    rules: tuple[str, ...],
    catalogs: tuple[str, ...],
    as_of: str | None,
    allow_broad_waivers: bool = False,
) -> None:
    """Rank the catalog models that fit USECASE (its `model` may be left out) and list the excluded ones."""
    from licensecheck import shortlist as sl
    from licensecheck.runner import parse_as_of, waivers_from
    from licensecheck.yamlsource import parse_yaml, read_text

    try:
        when = parse_as_of(as_of)
        raw = sys.stdin.read() if usecase == "-" else read_text(usecase)
        uc = sl.parse_selection_usecase(parse_yaml(raw, "<stdin>" if usecase == "-" else usecase))
        ctx = _context(rules, catalogs)
        own = waivers_from(uc.doc, ("waivers",), uc.data.get("waivers", []), ctx.ruleset, allow_broad_waivers)
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
@click.option(
    "--status",
    type=click.Choice(["active", "deprecated", "retired"]),
    help="Only models with this lifecycle status on the --as-of date.",
)
@click.option("--as-of", "as_of", help="Lifecycle status as of this date (YYYY-MM-DD); default today.")
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
    status: str | None,
    as_of: str | None,
    fmt: str,
    rules: tuple[str, ...],
    catalogs: tuple[str, ...],
) -> None:
    """List catalog models, filtered; a model whose fact is unknown does not pass a filter on it."""
    from licensecheck.catalogview import filter_models, render_list, render_list_json
    from licensecheck.runner import parse_as_of

    try:
        day = parse_as_of(as_of)
    except InputError as exc:
        raise InputFailure([exc]) from None
    ctx = _context(rules, catalogs)
    found = filter_models(ctx.catalog, weights, license_id, min_context, modalities, status, day)
    click.echo(render_list_json(found, day) if fmt == "json" else render_list(found, day), nl=False)


@models.command("show")
@click.argument("ident")
@click.option("--as-of", "as_of", help="Also show the lifecycle status on this date (YYYY-MM-DD).")
@click.option("--rules", "rules", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
@click.option(
    "--catalog", "catalogs", multiple=True, type=click.Path(), help="Add a directory of model catalogs."
)
def models_show(ident: str, as_of: str | None, rules: tuple[str, ...], catalogs: tuple[str, ...]) -> None:
    """Show every fact of a model (by catalog id, Hugging Face repo id or alias): routes, lifecycle, sources."""
    from licensecheck.catalogview import render_show
    from licensecheck.runner import parse_as_of

    try:
        day = parse_as_of(as_of) if as_of is not None else None
    except InputError as exc:
        raise InputFailure([exc]) from None
    ctx = _context(rules, catalogs)
    model = ctx.catalog.find(ident)
    if model is None:
        near = ctx.catalog.nearest(ident)
        hint = (
            "nearest catalog ids: " + ", ".join(near) + "; " if near else ""
        ) + "see `licensecheck models list`"
        raise InputFailure([InputError(ident, None, None, "no model with this id in the catalog", hint)])
    click.echo(render_show(model, ctx.catalog.origin[model["id"]], day), nl=False)


@models.command("gpus")
@click.argument("ident", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rules", "rules", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
def models_gpus(ident: str | None, fmt: str, rules: tuple[str, ...]) -> None:
    """The GPU table for self-hosting: memory, bandwidth, throughput, prices; with ID, one GPU and its sources."""
    from licensecheck.catalogview import render_gpu, render_gpus, render_gpus_json

    ctx = _context(rules)
    if ident is None:
        click.echo(
            render_gpus_json(list(ctx.gpus.gpus)) if fmt == "json" else render_gpus(ctx.gpus), nl=False
        )
        return
    gpu = ctx.gpus.find(ident)
    if gpu is None:
        near = ctx.gpus.nearest(ident)
        hint = (
            "nearest GPU ids: " + ", ".join(near) + "; " if near else ""
        ) + "see `licensecheck models gpus`"
        raise InputFailure([InputError(ident, None, None, "no GPU with this id in the GPU table", hint)])
    click.echo(render_gpus_json([gpu]) if fmt == "json" else render_gpu(gpu), nl=False)


@cli.command()
@click.argument(
    "name",
    type=click.Choice(["usecase", "rules", "report", "catalog", "gpus", "waivers", "ruletests", "library"]),
)
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
    """Show a pack (by pack or licence id), a rule (by rule id, with its resolved condition) or a library entry."""
    from licensecheck.errors import did_you_mean

    ctx = _context(extra)
    rs = ctx.ruleset
    rule = rs.rule_index.get(ident) or rs.rule_index.get(ident.upper())
    if rule is not None:
        click.echo(_rule_text(rule, rs))
        return
    entry = rs.library.entries.get(ident.casefold())
    if entry is not None:
        click.echo(_entry_text(entry, rs))
        return
    lic = rs.resolve_license(ident)
    packs = [p for p in rs.packs if p.id == ident.casefold() or (lic and p.license == lic)]
    if not packs:
        choices = [p.id for p in rs.packs] + list(rs.rule_index) + list(rs.library.entries)
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


def _raw_condition(ruleset: Any, rule: Any) -> Any:
    """A rule's condition as its pack writes it (library references unresolved)."""
    pack = ruleset.pack(rule.pack)
    return next(r["when"] for r in pack.document().data["rules"] if r["id"] == rule.id)


def _rule_text(rule: Any, ruleset: Any) -> str:
    when = _raw_condition(ruleset, rule)
    used = ruleset.library.uses(when)
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
    if rule.quote:
        lines.append(f'  quote: "{rule.quote}"')
    lines.append("  when:" + (f"  # library entries expanded: {', '.join(used)}" if used else ""))
    lines += [f"    {line}" for line in ruleset.library.explain(when)]
    return "\n".join(lines)


def _entry_text(entry: Any, ruleset: Any) -> str:
    """A library entry: what it means, where it is written, its expansion and the rules using it."""
    users = [
        rule["id"]
        for pack in ruleset.packs
        for rule in pack.document().data["rules"]
        if entry.name in ruleset.library.uses(rule["when"])
    ]
    lines = [
        f"{entry.name}: library {entry.kind}, {entry.where}",
        f"  description: {entry.description}",
        f"  used by: {', '.join(users) or '(no rule)'}",
        "  phrases:" if entry.kind == "phrase list" else "  when:",
    ]
    lines += [f"    {line}" for line in ruleset.library.body_lines(entry)]
    return "\n".join(lines)


@rules.command("lint")
@click.argument("directory", type=click.Path())
def rules_lint(directory: str) -> None:
    """Validate every rule pack, library file, catalog and pack test in DIRECTORY.

    A library entry in DIRECTORY that no rule uses (directly or through another entry) is an error."""
    from pathlib import Path

    from licensecheck.catalog import build_catalog
    from licensecheck.gpus import build_gpu_table
    from licensecheck.packs import bundled_rules_dir, load_rules
    from licensecheck.ruletest import lint_tests

    try:
        bundled = bundled_rules_dir().resolve()
        dirs = [Path(directory)] if _is_bundled(directory) else [bundled, Path(directory)]
        ruleset = load_rules(dirs)
        build_catalog(ruleset.catalog_files)
        build_gpu_table(ruleset.gpu_files)
        cases = lint_tests(ruleset, Path(directory))
    except InputError as exc:
        raise InputFailure([exc]) from None
    conditions = (rule["when"] for pack in ruleset.packs for rule in pack.document().data["rules"])
    unused = ruleset.library.unused(Path(directory), conditions)
    if unused:
        raise InputFailure(
            [
                entry.error(
                    f"library {entry.kind} '{entry.name}' is not used by any rule",
                    "use it from a pack (`when: {use: NAME}`, `mentions: {use: NAME}`) or remove it",
                )
                for entry in unused
            ]
        )
    own = [p for p in ruleset.packs if Path(directory).resolve() in Path(p.path).parents]
    n_rules = sum(len(p.rules) for p in own)
    n_entries = len(ruleset.library.entries_in(Path(directory)))
    entries = f"{n_entries} library entries, " if n_entries else ""
    click.echo(f"{directory}: {len(own)} packs, {n_rules} rules, {entries}{cases} test cases: all valid")


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

    from licensecheck.library import in_library
    from licensecheck.packs import bundled_rules_dir, yaml_files

    given, bundled = Path(directory).resolve(), bundled_rules_dir().resolve()
    if given == bundled:
        return True
    if not given.is_dir():
        return False
    # Library files do not count: an organisation's lib/common.yaml may share a bundled name.
    return any(
        (bundled / p.relative_to(given)).is_file() for p in yaml_files(given) if not in_library(p, given)
    )


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
