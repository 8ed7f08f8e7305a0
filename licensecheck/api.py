"""The library API: load a context once, evaluate use cases to reports, render them in a format.

    import licensecheck

    ctx = licensecheck.load_context()                      # bundled packs and catalog
    report = licensecheck.evaluate(ctx, "ml/usecase.yaml")  # or a mapping, as a file would hold it
    print(licensecheck.render(report, "markdown"))
    print(report.worst.value)                                # blocked, needs-review, ...

A Context is immutable: evaluate from several threads, or pass it to worker processes (it
pickles). Invalid input raises InputError (one located message) or InputErrors (several).
The CLI is built on these functions and nothing else.
"""

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from licensecheck import __version__
from licensecheck.catalog import Catalog
from licensecheck.document import Document
from licensecheck.errors import InputError, InputErrors
from licensecheck.model import InputFile, Report, RuleSet, RunSummary, UseCase, UseCaseReport, Waiver
from licensecheck.records import NamedTuple

if TYPE_CHECKING:
    from licensecheck.gpus import GpuTable
    from licensecheck.library import Library
    from licensecheck.ruletest import LintResult, TestResult
    from licensecheck.selection import Shortlist
    from licensecheck.waivers import WaiversFile

PathLike = str | os.PathLike[str]


class Context(NamedTuple):
    """What every evaluation needs: the rule packs and the model catalog, loaded once."""

    ruleset: RuleSet
    catalog: Catalog
    gpu_tables: tuple[Document, ...] = ()  # GPU tables for self-hosting (see gpu_table)
    library_files: Iterable[tuple[Document, str, str]] = ()  # the rule library (see library)


def load_context(
    rules: Iterable[PathLike] = (), catalogs: Iterable[PathLike] = (), *, bundled: bool = True
) -> Context:
    """The bundled rule packs and catalog (unless `bundled` is false), plus folders of your own.

    `rules`: folders of rule packs and catalogs (an organisation's policy); `catalogs`: folders
    of model catalogs (*.yaml, *.json). Raises InputError for a missing folder or a bad file.
    """
    from licensecheck.catalog import load_catalogs
    from licensecheck.collector import paused
    from licensecheck.packs import bundled_rules_dir, load_rules

    dirs = ([bundled_rules_dir()] if bundled else []) + [os.fspath(d) for d in rules]
    with paused():  # the context is some 100,000 objects without cycles: collecting finds nothing
        loaded = load_rules(dirs)
        catalog = load_catalogs(loaded.catalogs, [os.fspath(d) for d in catalogs])
    return Context(loaded.ruleset, catalog, tuple(loaded.gpus), loaded.library)


def library(context: Context) -> "Library":
    """The rule library the context's packs were compiled with: named conditions and phrase lists."""
    from licensecheck.library import Library, LibraryFile

    return Library([LibraryFile(doc, path, digest) for doc, path, digest in context.library_files])


def rule_conditions(context: Context, packs: Iterable[str] | None = None) -> dict[str, Any]:
    """Rule id -> its condition as its pack writes it (library references unresolved), read from
    the pack files of `packs` (pack ids; default every pack)."""
    from licensecheck.yamlsource import parse_yaml, read_text

    wanted = set(packs) if packs is not None else None
    found: dict[str, Any] = {}
    for pack in context.ruleset.packs:
        if wanted is None or pack.id in wanted:
            doc = parse_yaml(read_text(pack.path, pack.file), pack.file)
            found.update((rule["id"], rule["when"]) for rule in doc.data["rules"])
    return found


def gpu_table(context: Context) -> "GpuTable":
    """The GPU table of the context's rules folders (memory, bandwidth, prices of GPUs)."""
    from licensecheck.gpus import build_gpu_table

    return build_gpu_table(list(context.gpu_tables), {doc.name for doc in context.gpu_tables})


def evaluate(
    context: Context,
    usecase: Mapping[str, Any] | PathLike,
    *,
    waivers: Iterable[Waiver] = (),
    as_of: str | dt.date | None = None,
) -> Report:
    """Evaluate one use case (a mapping as a use-case file holds it, or the path of a file).

    `waivers` are shared waivers (as from a --waivers file) on top of the use case's own;
    `as_of` is the date waivers expire against (default today). Invalid input raises InputError.
    """
    try:
        if isinstance(usecase, Mapping):
            from licensecheck.usecase import parse_usecase

            parsed = parse_usecase(Document(str(usecase.get("name", "<usecase>")), dict(usecase)))
            return evaluate_usecases(context, [parsed], waivers=waivers, as_of=as_of)
        return evaluate_files(context, [os.fspath(usecase)], waivers=waivers, as_of=as_of)
    except InputErrors as exc:
        raise (exc.errors[0] if len(exc.errors) == 1 else exc) from None


def evaluate_files(
    context: Context,
    files: Iterable[PathLike],
    *,
    waivers: Iterable[Waiver] = (),
    as_of: str | dt.date | None = None,
    model_override: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    stdin_name: str = "<stdin>",
    jobs: int = 1,
    allow_broad_waivers: bool = False,
    waiver_files: Iterable[InputFile] = (),
) -> Report:
    """Evaluate use-case files and folders of them ('-' reads `stdin`); input errors raise InputErrors.

    `model_override` replaces the model every use case names (--model, see model_option);
    `jobs` worker processes evaluate a large run (the report is the same). A waiver glob that
    names no pack, or matches rules of several packs, is an input error unless
    `allow_broad_waivers`. `waiver_files` names the files `waivers` came from, with their
    SHA-256, for the record (read_waivers gives both).
    """
    stream = ReportStream(
        context,
        expand_inputs(files),
        waivers,
        as_of,
        model_override,
        stdin,
        stdin_name,
        jobs=jobs,
        allow_broad_waivers=allow_broad_waivers,
        waiver_files=waiver_files,
    )
    return stream.report()


def evaluate_usecases(
    context: Context,
    usecases: Iterable[UseCase],
    *,
    waivers: Iterable[Waiver] = (),
    as_of: str | dt.date | None = None,
) -> Report:
    """Evaluate use cases already read (licensecheck.usecase) against their models."""
    return ReportStream(context, usecases, waivers, as_of).report()


def render(report: Report, format: str = "text", **options: Any) -> str:
    """The report in a format of the registry (text, json, sarif, junit, github, html, markdown).

    `options` go to the format's constructor: `color=True` for text, `template=PATH` for html.
    """
    from licensecheck import formats

    return formats.report_format(format, **options).render(report)


JOBS_THRESHOLD = 200  # fewer use cases than this are evaluated in this process (workers cost a start-up)


class _Run(NamedTuple):
    """What evaluating one use case needs besides the context (sent to worker processes)."""

    shared: tuple[Waiver, ...]  # shared waivers (--waivers)
    as_of: str
    model_override: Mapping[str, str] | None
    stdin: bytes | None
    stdin_name: str
    fmt: Any  # a streaming format: use cases are rendered where they are evaluated
    allow_broad_waivers: bool  # a waiver glob may name no pack, or match rules of several


class _Done(NamedTuple):
    """One use case evaluated (and rendered, when streaming), or its input errors."""

    report: UseCaseReport | None  # None when only its rendering is needed
    verdict: Any
    chunk: str | None
    in_scope: tuple[int, ...]  # shared waivers whose scope covers it ...
    matched: tuple[int, ...]  # ... and those that matched one of its findings
    errors: tuple[InputError, ...] = ()
    named: tuple[str, str, tuple[int, int]] | None = None  # (name, file, where `name:` is), once read


def _evaluate_one(context: Context, run: _Run, item: PathLike | UseCase) -> _Done:
    from licensecheck.basics import check_gpu
    from licensecheck.engine import evaluate as evaluate_model
    from licensecheck.engine import waiver_in_scope
    from licensecheck.resolve import resolve_model
    from licensecheck.waivers import waivers_from

    named = None
    try:
        usecase = item if isinstance(item, UseCase) else _read(os.fspath(item), run)
        named = (usecase.name, usecase.file, usecase.doc.where(("name",)))
        check_gpu(usecase, context.ruleset)
        model = resolve_model(usecase, context.catalog, context.ruleset.licenses)
        items = usecase.data.get("waivers", [])
        own = waivers_from(usecase.doc, ("waivers",), items, context.ruleset, run.allow_broad_waivers)
        result = evaluate_model(usecase, model, context.ruleset, own + run.shared, run.as_of)
    except InputErrors as exc:
        return _Done(None, None, None, (), (), tuple(exc.errors), named)
    except InputError as exc:
        return _Done(None, None, None, (), (), (exc,), named)
    unmatched = {id(w) for w in result.stale_waivers}
    in_scope = tuple(i for i, w in enumerate(run.shared) if waiver_in_scope(w, usecase, model))
    matched = tuple(i for i in in_scope if id(run.shared[i]) not in unmatched)
    shared_ids = {id(w) for w in run.shared}
    report = result._replace(stale_waivers=tuple(w for w in result.stale_waivers if id(w) not in shared_ids))
    if run.fmt is not None:
        return _Done(None, report.verdict, run.fmt.item(report), in_scope, matched, (), named)
    return _Done(report, report.verdict, None, in_scope, matched, (), named)


def _read(name: str, run: _Run) -> UseCase:
    from licensecheck.usecase import read_usecase, read_usecase_bytes

    if name == "-":
        return read_usecase_bytes(run.stdin or b"", run.stdin_name, run.model_override)
    return read_usecase(name, name, run.model_override)


_WORKER: tuple[Context, _Run] | None = None  # set in each worker process by _start_worker


def _start_worker(context: Context, run: _Run) -> None:
    """A worker process: Ctrl-C is the parent's to handle (it stops the pool), SIGTERM ends it
    quietly (the CLI's handlers, inherited by fork, would print a worker's traceback)."""
    import signal

    global _WORKER
    _WORKER = (context, run)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _work(item: PathLike | UseCase) -> _Done:
    assert _WORKER is not None
    return _evaluate_one(*_WORKER, item)


class ReportStream:
    """Evaluates use cases one at a time, in this process or in `jobs` worker processes.

    Iterating yields each use case's result in input order, so a run of 10,000 files need not
    hold their reports; afterwards `summary()` gives the verdicts and the shared waivers that
    matched nothing. Input errors are collected while iterating and raised together
    (InputErrors) at the end, so an invalid file never leaves a report half written.
    """

    def __init__(
        self,
        context: Context,
        inputs: Iterable[PathLike | UseCase],
        waivers: Iterable[Waiver] = (),
        as_of: str | dt.date | None = None,
        model_override: Mapping[str, str] | None = None,
        stdin: bytes | None = None,
        stdin_name: str = "<stdin>",
        fmt: Any = None,
        jobs: int | None = 1,
        allow_broad_waivers: bool = False,
        waiver_files: Iterable[InputFile] = (),
    ) -> None:
        self.context = context
        self.waiver_files = tuple(waiver_files)
        self.inputs = list(inputs)
        self.run = _Run(
            tuple(waivers), parse_as_of(as_of), model_override, stdin, stdin_name, fmt, allow_broad_waivers
        )
        if jobs is None:  # automatic: one process per CPU for a large run
            jobs = (os.cpu_count() or 1) if len(self.inputs) >= JOBS_THRESHOLD else 1
        self.jobs = min(jobs, len(self.inputs)) or 1
        self.errors: list[InputError] = []
        # A shared waiver is stale only if some use case of the run is in its scope and none has
        # a finding it matches: pre-commit passes only the changed files, so out-of-scope is not.
        self._in_scope: set[int] = set()
        self._matched: set[int] = set()
        self._verdicts: list[Any] = []
        self._names: dict[str, str] = {}  # use-case name -> the file that has it

    def __iter__(self) -> Iterator[_Done]:
        for done in self._results():
            twice = self._named_twice(done.named) if done.named else None
            if twice or done.errors:
                self.errors.extend([twice] if twice else done.errors)
                continue
            self._verdicts.append(done.verdict)
            self._in_scope.update(done.in_scope)
            self._matched.update(done.matched)
            if not self.errors:
                yield done
        if self.errors:
            raise InputErrors(self.errors)

    def _results(self) -> Iterator[_Done]:
        if self.jobs <= 1:
            for item in self.inputs:
                yield _evaluate_one(self.context, self.run, item)
            return
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
        mp = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        chunk = max(1, min(64, len(self.inputs) // (self.jobs * 8)))
        with mp.Pool(self.jobs, _start_worker, (self.context, self.run)) as pool:
            yield from pool.imap(_work, self.inputs, chunksize=chunk)

    def _named_twice(self, named: tuple[str, str, tuple[int, int]]) -> InputError | None:
        """Two use cases of one run may not share a name: waivers scoped by name would cover both."""
        from licensecheck.schema import visible

        name, file, (line, col) = named
        other = self._names.setdefault(name, file)
        if other == file or _same_file(other, file):
            return None
        return InputError(
            file,
            line,
            col,
            f"the use case name '{visible(name)}' is also the name of {other}: "
            "waivers scoped to a use case by name would cover both",
            "give each use case of a run its own name",
        )

    def summary(self) -> RunSummary:
        """The run's verdicts and the shared waivers no use case used (once iteration is done)."""
        stale = tuple(w for i, w in enumerate(self.run.shared) if i in self._in_scope - self._matched)
        return RunSummary(__version__, self.run.as_of, tuple(self._verdicts), stale, self.waiver_files)

    def report(self) -> Report:
        """Every report of the run (iterates, holding them all)."""
        reports = tuple(done.report for done in self if done.report is not None)
        summary = self.summary()
        find = self.context.ruleset.rule
        known = {f.rule: found for r in reports for f in r.findings if (found := find(f.rule)) is not None}
        used = sorted(known)
        return Report(
            reports,
            summary.licensecheck_version,
            summary.as_of,
            summary.stale_waivers,
            summary.waiver_files,
            MappingProxyType({rule: known[rule].info() for rule in used}),
        )


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def write_report(
    context: Context,
    files: Iterable[PathLike],
    fmt: Any,
    out: Any,
    *,
    waivers: Iterable[Waiver] = (),
    as_of: str | dt.date | None = None,
    model_override: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    stdin_name: str = "<stdin>",
    jobs: int | None = None,
    allow_broad_waivers: bool = False,
    waiver_files: Iterable[InputFile] = (),
) -> RunSummary:
    """Evaluate use-case files and write the report in `fmt` to `out` (a text stream).

    A format that writes one use case at a time (text, json) gets each as it is evaluated, in
    `jobs` processes for many files, so memory stays flat; others get the whole Report at the
    end. The output is the same for every `jobs`. Input errors raise InputErrors after the
    evaluation: `out` may then hold part of a report, so give a temporary file. `jobs=None`
    evaluates a run of JOBS_THRESHOLD use cases or more in one process per CPU.
    """
    from licensecheck import formats

    streaming = formats.streams(fmt)
    stream = ReportStream(
        context,
        expand_inputs(files),
        waivers,
        as_of,
        model_override,
        stdin,
        stdin_name,
        fmt if streaming else None,
        jobs,
        allow_broad_waivers,
        waiver_files,
    )

    if not streaming:
        report = stream.report()
        out.write(fmt.render(report))
        return report.summary()
    out.write(fmt.head(__version__))
    for i, done in enumerate(stream):
        out.write((fmt.separator if i else "") + (done.chunk or ""))
    summary = stream.summary()
    out.write(fmt.tail(summary))
    return summary


def parse_as_of(value: str | dt.date | None) -> str:
    """The evaluation date as YYYY-MM-DD (default today); InputError for anything else."""
    if value is None:
        return dt.date.today().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError("--as-of", None, None, f"'{value}' is not a date", "write YYYY-MM-DD") from None


def expand_inputs(inputs: Iterable[PathLike]) -> list[str]:
    """Files as given, folders expanded to their *.yaml / *.yml use cases, '-' kept for stdin."""
    from licensecheck.packs import TESTS_SUFFIXES, yaml_files

    files: list[str] = []
    for item in (os.fspath(i) for i in inputs):
        if item == "-":
            files.append(item)
            continue
        if os.path.isdir(item):
            found = [p for p in yaml_files(item) if not p.endswith(TESTS_SUFFIXES)]
            if not found:
                raise InputError(item, None, None, "no *.yaml or *.yml use-case files in this folder")
            files.extend(found)
        else:
            files.append(item)
    return files


# `--model ./x`, `../x`, `/x`, `~/x`: written as a path, so always a folder
_WRITTEN_AS_PATH = ("./", "../", "/", "~", ".\\", "..\\")


def model_option(value: str, context: Context) -> dict[str, str]:
    """The model that replaces every use case's own (`--model`), as a use case would name it.

    A catalog id or Hugging Face repo id the catalog knows gives {"id": catalog id}; a local
    folder gives {"path": absolute folder}; another ORG/NAME is read from the Hub (`hub` extra).
    A catalog id wins over a folder of the same name unless the value is written as a path
    (./NAME): a pull request could add a folder named like the model the command line names.
    """
    written_as_path = value.startswith(_WRITTEN_AS_PATH) or value in (".", "..")
    if not written_as_path:
        entry = context.catalog.find(value)
        if entry is not None:
            return {"id": entry.id}
    path = os.path.expanduser(value)
    if os.path.isdir(path):
        return {"path": os.path.realpath(path)}
    if os.path.exists(path):
        raise InputError(value, None, None, "--model must be a model folder or a catalog id, not a file")
    if value.count("/") == 1 and not written_as_path:
        from licensecheck.hfmodel import download_hub_folder

        return {"path": str(download_hub_folder(value))}
    near = context.catalog.nearest(value)
    raise InputError(
        value,
        None,
        None,
        "--model names no catalog model and no model folder",
        ("nearest catalog ids: " + ", ".join(near) + "; " if near else "")
        + "give a catalog id or Hugging Face repo id (`licensecheck models list`), "
        "or the folder of a downloaded model (README.md, config.json, *.safetensors)",
    )


def shortlist(
    context: Context,
    usecase: Mapping[str, Any] | PathLike,
    *,
    top: int | None = None,
    as_of: str | dt.date | None = None,
    stdin: bytes | None = None,
    allow_broad_waivers: bool = False,
) -> "Shortlist":
    """Rank every catalog model for a use case (its `model` may be left out); '-' reads `stdin`."""
    from licensecheck.basics import check_gpu
    from licensecheck.selection import build_shortlist, parse_selection_usecase
    from licensecheck.waivers import waivers_from
    from licensecheck.yamlsource import decode, parse_yaml, read_text

    if isinstance(usecase, Mapping):
        doc = Document(str(usecase.get("name", "<usecase>")), dict(usecase))
    elif os.fspath(usecase) == "-":
        doc = parse_yaml(decode(stdin or b"", "<stdin>"), "<stdin>")
    else:
        doc = parse_yaml(read_text(os.fspath(usecase)), os.fspath(usecase))
    parsed = parse_selection_usecase(doc)
    check_gpu(parsed, context.ruleset)
    items = parsed.data.get("waivers", [])
    own = waivers_from(parsed.doc, ("waivers",), items, context.ruleset, allow_broad_waivers)
    return build_shortlist(parsed, context.catalog, context.ruleset, own, parse_as_of(as_of), top)


def load_waivers(
    path: PathLike, context: Context | None = None, allow_broad: bool = False
) -> tuple[Waiver, ...]:
    """A shared waivers file (such as .licensecheck-waivers.yaml) to pass to `evaluate`; with a
    context, a glob that names no pack or matches rules of several packs is refused unless
    `allow_broad`."""
    return read_waivers(path, context, allow_broad).waivers


def read_waivers(path: PathLike, context: Context | None = None, allow_broad: bool = False) -> "WaiversFile":
    """load_waivers, with the file and its SHA-256 (`.file`) for a report's record: pass
    `.waivers` as `waivers` and `(.file,)` as `waiver_files` to evaluate_files or write_report."""
    from licensecheck.waivers import read_waivers_file

    return read_waivers_file(os.fspath(path), context.ruleset if context else None, allow_broad)


def lint_rules(directory: PathLike) -> "LintResult":
    """Validate the rule packs, catalogs and pack tests of a folder (`licensecheck rules lint`)."""
    from pathlib import Path

    from licensecheck.ruletest import lint_rules as lint

    return lint(Path(directory))


def run_pack_tests(directory: PathLike) -> "TestResult":
    """Run the pack tests of a folder (`licensecheck rules test`)."""
    from pathlib import Path

    from licensecheck import ruletest

    return ruletest.run_pack_tests(Path(directory))
