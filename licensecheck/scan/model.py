"""The frozen objects of a scan: where a model is named, what it resolves to, and who covers it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from licensecheck.model import Report, Verdict


class Status(str, Enum):
    """What a reference resolves to."""

    CATALOG = "catalog"  # a catalog model, by id, repo id or a naming rule (dated snapshot, Ollama tag)
    PROBABLE = "probable"  # a re-upload or quantized copy whose name matches a catalog model: check it
    UNKNOWN = "unknown"  # a literal model name the catalog does not know
    UNRESOLVED = "unresolved"  # an expression or path the scanner cannot turn into a model name


# Statuses that name a model; an uncovered one fails --require-usecase.
NAMED = (Status.CATALOG, Status.PROBABLE, Status.UNKNOWN)


@dataclass(frozen=True, order=True)
class Location:
    """A place in a scanned file: `path` as shown (relative to the working folder), 1-based line/col.

    `uri` is the path relative to the source root (the git top level, else the working folder),
    with '/' separators, or None when the file lies outside it. A notebook reference also names
    its code cell (0-based index as in the file) and the line inside that cell.
    """

    path: str
    line: int
    col: int
    uri: str | None = None
    cell: int | None = None
    cell_line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Reference:
    """One place where a repository names (or computes) a model.

    `value` is the model name as written, or None when it cannot be known statically; then
    `expression` holds the source text (an f-string template, a variable, `$MODEL`).
    `kind` names the finder and call (`python:from_pretrained`, `shell:ollama`, `env`, ...);
    `via` says how the value reached the call (a constant, an environment default), if not directly.
    `provider` is a hint for name resolution (`ollama` makes `llama3.2` an Ollama tag).
    """

    location: Location
    value: str | None
    expression: str
    kind: str
    via: str = ""
    provider: str | None = None
    used_at: Location | None = None  # the call that uses a constant defined elsewhere in the file
    reason: str = ""  # why an unresolved reference is unresolved
    # Found in a generic place (a `model:` key of any config, a `model=` keyword of an unknown
    # function): it counts only if it resolves or is shaped like a model name (resolve.generic_keeps).
    generic: bool = False


@dataclass(frozen=True)
class Resolution:
    """What a reference names: a catalog model (by which rule), an unknown name, or nothing knowable."""

    status: Status
    model: str | None = None  # catalog id
    rule: str = ""  # the naming rule that matched, in words
    license: str | None = None
    nearest: tuple[str, ...] = ()


@dataclass(frozen=True)
class UseCaseInfo:
    """A use-case file found in (or given to) the scan, and the model names it covers."""

    file: str
    name: str
    model: str | None
    covers: tuple[str, ...]  # case-folded catalog ids, repo ids and names it names (model and bases)


@dataclass(frozen=True)
class Entry:
    """A reference with its resolution and the use cases that cover it."""

    reference: Reference
    resolution: Resolution
    covered_by: tuple[str, ...] = ()  # use-case files

    @property
    def named(self) -> bool:
        return self.resolution.status in NAMED

    @property
    def uncovered(self) -> bool:
        return self.named and not self.covered_by


@dataclass(frozen=True)
class Diagnostic:
    """A file the scan could not read fully (syntax error, too large, too deep), located."""

    location: Location
    message: str
    severity: str = "warning"  # warning | note


@dataclass(frozen=True)
class FileResult:
    """What the finders report for one file."""

    references: tuple[Reference, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    usecase: bool = False  # the file is a use case (it covers models, it names none)
    skipped: str = ""  # why the file was not read, when that goes without saying (binary)


@dataclass(frozen=True)
class ScanReport:
    """A whole scan: every reference resolved and matched to use cases, plus their evaluation."""

    entries: tuple[Entry, ...]
    usecases: tuple[UseCaseInfo, ...]
    diagnostics: tuple[Diagnostic, ...]
    files_scanned: int
    licensecheck_version: str
    root: str  # the source root's folder name (for inventories of many repositories)
    require_usecase: bool = False
    evaluation: Report | None = None
    fail_on_rank: int = 2  # the --fail-on threshold as a verdict rank (99: never)
    skipped: tuple[tuple[str, int], ...] = field(default=())  # (reason, count) of files not read

    @property
    def uncovered(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.uncovered)

    @property
    def unresolved(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.resolution.status is Status.UNRESOLVED)

    @property
    def worst_verdict(self) -> Verdict:
        return self.evaluation.worst if self.evaluation is not None else Verdict.ALLOWED

    @property
    def gate_failed(self) -> bool:
        """--require-usecase: an uncovered model fails; a use case's verdict fails at --fail-on."""
        if self.require_usecase and self.uncovered:
            return True
        return self.worst_verdict.rank >= self.fail_on_rank
