"""The command line: parse options, call the library API (licensecheck.api), print through a format.

Exit codes: 0 the gate passed; 1 the gate failed (a verdict at or above --fail-on);
2 usage error or invalid input (one located message each, no traceback, no report written),
or the report could not be written (closed standard output, full disk): the run did not
deliver a verdict, so a CI gate must fail, but not as if a use case were blocked;
130 interrupted (Ctrl-C), 143 terminated (SIGTERM), as shells report a signal.
Errors become exit codes in one place: `_Commands.invoke` and `main`.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

import click

from licensecheck import __version__
from licensecheck.collector import paused
from licensecheck.errors import InputError, InputErrors
from licensecheck.formats import REPORT_FORMATS
from licensecheck.text import terminal

FAIL_ON = {"blocked": 3, "needs-review": 2, "never": 99}
EPILOG = (
    "Exit codes: 0 the gate passed; 1 a use case's verdict is at or above --fail-on; "
    "2 usage error, invalid input, or the report could not be written; 130 interrupted."
)
_DASH_HINT = "use -- before file names: {command} [OPTIONS] -- FILE...; or write ./{name}"
F = TypeVar("F", bound=Callable[..., Any])


class InputFailure(click.ClickException):
    """Invalid input: exit code 2 with located messages."""

    exit_code = 2

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("\n".join(e.render() for e in errors))
        self.errors = errors

    def show(self, file: Any = None) -> None:
        from licensecheck.schema import MAX_ERRORS

        for error in self.errors:
            click.echo(error.render(), err=True)
        if len(self.errors) >= MAX_ERRORS:
            click.echo(
                f"{len(self.errors)} input errors shown (at most {MAX_ERRORS} a file): fix these and"
                " run again; no report written.",
                err=True,
            )
        elif len(self.errors) > 1:
            click.echo(f"{len(self.errors)} input errors; no report written.", err=True)


# click names its help and --version options and path types through gettext, whose first call
# imports the locale module and looks for message catalogs (click ships none): some 5.7M
# instructions, 1.7% of a one-file evaluate. The commands built at every start name them
# themselves, with click's English words (tests/test_cli.py checks they match click's own).
HELP_TEXT = "Show this message and exit."
VERSION_TEXT = "Show the version and exit."


class PathType(click.Path):
    """click.Path(file_okay=, dir_okay=): the same attributes, named without gettext (see HELP_TEXT)."""

    def __init__(self, *, file_okay: bool = True, dir_okay: bool = True) -> None:
        self.exists = False
        self.file_okay = file_okay
        self.dir_okay = dir_okay
        self.readable = True
        self.writable = False
        self.executable = False
        self.resolve_path = False
        self.allow_dash = False
        self.type = None
        self.name = (
            "file" if file_okay and not dir_okay else "directory" if dir_okay and not file_okay else "path"
        )


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"licensecheck, version {__version__}", color=ctx.color)
        ctx.exit()


class _PlainHelp(click.Command):
    """A command whose help option is named without gettext (see HELP_TEXT): the option click's
    help_option builds, made once per command (click orders eager callbacks by identity)."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        names = self.get_help_option_names(ctx)
        if not names or not self.add_help_option:
            return None
        option: click.Option | None = self.__dict__.get("_plain_help_option")
        if option is None:
            option = self.__dict__["_plain_help_option"] = click.Option(
                names, is_flag=True, expose_value=False, is_eager=True, help=HELP_TEXT, callback=_show_help
            )
        return option


class PathSafeCommand(_PlainHelp):
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


class _Commands(_PlainHelp, click.Group):
    """The command group: every command is a PathSafeCommand, every subgroup a _Commands, and
    invalid input anywhere below the top group becomes exit code 2 with its messages."""

    command_class = PathSafeCommand
    group_class = type  # subgroups are _Commands too

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
    return sys.stdout is not None and sys.stdout.isatty()


def _emit(text: str, color: bool = False) -> None:
    """Write the command's output to standard output; failing to is exit 2, never a silent pass."""
    stream = sys.stdout
    if stream is None:
        raise _output_failure("standard output is closed")
    try:
        # click strips ANSI sequences from output it does not colour, a regular-expression pass
        # over the whole text (a 10,000-model shortlist: 2 MB, 0.4% of the run); text without an
        # ESC has none to strip, and click writes it as it is when told it may colour
        click.echo(text, nl=False, color=color or "\x1b" not in text)
        stream.flush()
    except OSError as exc:
        _discard_stdout()
        raise _output_failure(exc.strerror or str(exc)) from None


# What a command's run made, when the console script ends the process without freeing it
# (licensecheck.__main__): None for in-process callers (tests, a library user), whose memory
# it would hold.
_held: list[object] | None = None


def _hold(*objects: object) -> None:
    """Keep what the run made alive until the process ends, if the console script ends it unfreed:
    freed one object at a time as the command returns, a 10,000-model shortlist's candidates and
    catalog cost some 60M instructions (3% of the run)."""
    if _held is not None:
        _held.extend(objects)


def _output_failure(reason: str) -> InputFailure:
    return InputFailure(
        [
            InputError(
                "<stdout>",
                None,
                None,
                f"cannot write the output: {reason}",
                "no report was delivered; write it with --output FILE, or fix the output stream",
            )
        ]
    )


def _discard_stdout() -> None:
    """Point standard output at the null device: what is still buffered must not fail again at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _read_stdin(name: str) -> bytes:
    """Standard input, bounded (licensecheck.yamlsource.read_stream)."""
    from licensecheck.yamlsource import read_stream

    return read_stream(getattr(sys.stdin, "buffer", None), name)


class _Spool:
    """Report text kept in memory up to SPOOL_CHARS, then in a temporary file: a report of a few
    use cases needs no file (nor tempfile, whose import costs a start about 2 ms), and a run of
    10,000 files does not hold its report in memory."""

    SPOOL_CHARS = 1 << 18

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._size = 0
        self._file: IO[str] | None = None

    def write(self, text: str) -> int:
        if self._file is None and self._size + len(text) <= self.SPOOL_CHARS:
            self._parts.append(text)
            self._size += len(text)
            return len(text)
        if self._file is None:
            import tempfile

            self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 (see close)
            self._file.write("".join(self._parts))
            self._parts = []
        return self._file.write(text)

    def chunks(self) -> Iterator[str]:
        """What was written, in pieces."""
        if self._file is None:
            yield from filter(None, ["".join(self._parts)])
            return
        self._file.seek(0)
        while chunk := self._file.read(self.SPOOL_CHARS):
            yield chunk

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


@contextlib.contextmanager
def _report_file(path: str | None, color: bool) -> Iterator[_Spool]:
    """Where a report is written while it is made: only a complete report reaches its reader.

    The report is spooled first (in memory, then in a temporary file); an input error leaves
    nothing behind. Then it is copied to stdout, or written to --output by licensecheck.output
    (atomically for a regular file, never damaging what the path names).
    """
    spool = _Spool()
    try:
        yield spool
        if path is not None:
            from licensecheck.output import write_report

            write_report(path, "".join(spool.chunks()))
            return
        for chunk in spool.chunks():
            _emit(chunk, color)
    finally:
        spool.close()


FEW_INPUTS = 50  # a run of at most this many use cases makes too little garbage to collect


def format_option(registry: dict[str, str], help: str | None = None) -> Callable[[F], F]:
    """--format: one of the registry's formats (licensecheck.formats), text by default."""
    return click.option(
        "--format", "fmt", type=click.Choice(list(registry)), default="text", show_default=True, help=help
    )


def context_options(func: F) -> F:
    """--rules and --catalog: the folders added to the bundled packs and catalog."""
    func = click.option(
        "--catalog",
        "catalogs",
        multiple=True,
        type=PathType(),
        help="Add a directory of model catalogs (*.yaml, *.json; repeatable).",
    )(func)
    return click.option(
        "--rules",
        "rules",
        multiple=True,
        type=PathType(),
        help="Add a directory of rule packs (repeatable).",
    )(func)


class _TopCommands(_Commands):
    """The top group. `evaluate`, the command a start is timed by, is defined here; every other
    command is a module of licensecheck.commands named after it, imported when it runs or when
    --help lists the commands: building their options and importing what they use took some
    2% of an evaluate."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_other_commands()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _other_commands():
            import importlib

            module = importlib.import_module(f"licensecheck.commands.{cmd_name}")
            self.add_command(getattr(module, cmd_name))
        return super().get_command(ctx, cmd_name)


def _other_commands() -> list[str]:
    """The commands of licensecheck.commands: the names of its modules."""
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "commands")
    return [name[:-3] for name in os.listdir(folder) if name.endswith(".py") and not name.startswith("_")]


@click.group(cls=_TopCommands, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.option(
    "--version", is_flag=True, expose_value=False, is_eager=True, help=VERSION_TEXT, callback=_show_version
)
def cli() -> None:
    """Check AI model use cases against licence terms and deployment constraints."""


@cli.command(epilog=EPILOG)
@click.argument("usecases", nargs=-1, required=True, metavar="[--] USECASE...")
@format_option(REPORT_FORMATS, "Report format.")
@click.option(
    "-o",
    "--output",
    type=PathType(dir_okay=False),
    help="Write the report to FILE instead of stdout (a regular file is replaced atomically and keeps "
    "its mode; a symlink's target is written; a FIFO or device such as /dev/null is written straight).",
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
    type=PathType(),
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
    type=PathType(dir_okay=False),
    help="Render with your own Jinja2 template instead of the built-in HTML one (data: see README).",
)
@click.option(
    "--allow-broad-waivers",
    is_flag=True,
    help="Accept waiver globs that name no pack prefix or match rules of several packs (e.g. '*').",
)
@click.option(
    "--sarif-root",
    type=PathType(file_okay=False),
    help="With --format sarif: the folder file URIs are relative to (uriBaseId %SRCROOT%); "
    "default: the git repository holding each use-case file (the folder with .git above it).",
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
    allow_broad_waivers: bool = False,
    sarif_root: str | None = None,
    jobs: int | None = None,
) -> None:
    """Evaluate use-case files (files, directories, or - for stdin) and report."""
    # The collector's passes would walk every object the lazy imports and the loaded rules make
    # (some 10M instructions, 3% of a one-file run); a few use cases leave no garbage that needs
    # them, a large run turns it back on (licensecheck.collector). What the block made lives until
    # the command ends, so it goes to the oldest generation unwalked: the young collection the
    # end of the block would start walked some 17,000 objects of a one-file run and found nothing.
    with paused(lasting=True) as resume:
        from licensecheck import api, formats

        _check_template_format(template, fmt)
        if sarif_root is not None and fmt != "sarif":
            raise click.UsageError(f"--sarif-root applies to --format sarif, not --format {fmt}")
        when = api.parse_as_of(as_of)
        files = api.expand_inputs(usecases)
        if len(files) > FEW_INPUTS:
            resume()
        if output is not None:  # the module that writes --output, imported by the runs that name it
            from licensecheck.output import refuse_inputs

            named = [f for f in (waivers_file, template) if f]
            refuse_inputs(
                output, [*files, *named], [*rules, *catalogs, *([model_path] if model_path else [])]
            )
        ctx = api.load_context(rules, catalogs)
        _hold(ctx)
        model = api.model_option(model_path, ctx) if model_path else None
        waivers = api.read_waivers(waivers_file, ctx, allow_broad_waivers) if waivers_file else None
        stdin = _read_stdin(stdin_filename) if "-" in files else None
        paint = _use_color(color) and not output
        options: dict[str, Any] = (
            {"template": template}
            if template
            else {"color": paint}
            if fmt == "text"
            else {"root": sarif_root}
            if fmt == "sarif"
            else {}
        )
        writer = formats.report_format("html" if template else fmt, **options)
        with _report_file(output, paint) as out:
            summary = api.write_report(
                ctx,
                files,
                writer,
                out,
                waivers=waivers.waivers if waivers else (),
                waiver_files=(waivers.file,) if waivers else (),
                as_of=when,
                model_override=model,
                stdin=stdin,
                stdin_name=stdin_filename,
                jobs=jobs,
                allow_broad_waivers=allow_broad_waivers,
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


class _Signalled(BaseException):
    """Ctrl-C or SIGTERM, raised where the program is, so that cleanup (temporary files) runs.

    Not a KeyboardInterrupt: click turns that into "Aborted!" and exit code 1, which a CI gate
    reads as "the gate failed" instead of "the run was stopped".
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_signalled(signum: int, frame: object) -> None:
    raise _Signalled(signum)


_STOPPED = {2: ("interrupted", 130), 15: ("terminated", 143)}  # SIGINT, SIGTERM: 128 + signal


def _stderr(text: str) -> None:
    """A diagnostic on standard error; if even that cannot be written, the exit code still says it."""
    with contextlib.suppress(OSError, ValueError):
        click.echo(text, err=True)


def main() -> None:
    """Console entry point: no traceback escapes, every outcome is an exit code.

    0/1 the gate's verdict; 2 usage error, invalid input or undeliverable output; 130/143 stopped
    by SIGINT/SIGTERM; an unexpected error exits 2 with a one-line message.
    """
    import atexit
    import gc
    import signal

    # At exit Python collects garbage once more, walking every object of the run (the loaded
    # rules and catalog: about 7% of a one-file run); nothing a run leaves needs collecting.
    atexit.unregister(gc.freeze)  # once, however often main() runs in one process (tests)
    atexit.register(gc.freeze)
    try:
        for signum in _STOPPED:
            signal.signal(signum, _raise_signalled)
        handled = True
    except ValueError:  # not the main thread (an embedding program, a test): its signals are its own
        handled = False
    code = _run()
    for signum in _STOPPED if handled else ():  # past this point nothing is left to clean up or report
        signal.signal(signum, signal.SIG_IGN)
    sys.exit(code)


def _run() -> int:
    try:
        try:
            result = cli.main(prog_name="licensecheck", standalone_mode=False)
        except InputFailure as exc:
            with contextlib.suppress(OSError, ValueError):
                exc.show()
            return exc.exit_code
        except click.ClickException as exc:
            # click's own errors echo what was typed (an unknown command, a bad choice): cleaned
            shown = io.StringIO()
            exc.show(file=shown)
            _stderr(terminal(shown.getvalue().rstrip("\n"), lines=True))
            return exc.exit_code
        except click.exceptions.Abort:  # an EOF at a prompt; licensecheck never prompts
            _stderr("licensecheck: aborted")
            return 130
        return result if isinstance(result, int) else 0
    except _Signalled as exc:
        message, code = _STOPPED.get(exc.signum, ("stopped by a signal", 128 + exc.signum))
        _stderr(f"licensecheck: {message}")
        return code
    except SystemExit:
        raise
    except Exception as exc:
        if os.environ.get("LICENSECHECK_DEBUG"):
            raise
        _stderr(terminal(f"licensecheck: internal error: {type(exc).__name__}: {exc}"))
        _stderr("  help: set LICENSECHECK_DEBUG=1 for the traceback, and report it")
        return 2
