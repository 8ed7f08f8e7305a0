"""The frozen objects of an inventory: a repository to do, its result, and the options of a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]  # one JSON Lines record, as `licensecheck schema inventory` describes it

# The order of record types inside one repository's records.
RECORD_TYPES = ("repository", "error", "usecase", "reference")

# A model's state in one repository, most urgent first: a blocked use case, a reference no use
# case covers, then the covering use cases' verdicts.
STATES = ("blocked", "uncovered", "needs-review", "allowed-with-obligations", "allowed")
STATE_RANK = {state: len(STATES) - i for i, state in enumerate(STATES)}


@dataclass(frozen=True)
class ContextSpec:
    """What a worker needs to load the same context as the run: small, picklable, absolute paths.

    `policy` is the run's hash of rule packs, catalog and scan settings; a worker that loads
    something else (another licensecheck version, other rule files) refuses to work.
    """

    rules: tuple[str, ...] = ()
    catalogs: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    as_of: str = ""
    policy: str = ""


@dataclass(frozen=True)
class RepositoryTask:
    """A repository to inventory: its name in the records, the folder to read, its last stamp."""

    name: str  # as given (a path relative to the working folder, or absolute)
    path: str  # absolute
    previous: str | None = None  # the stamp of the last result still valid, if any


@dataclass(frozen=True)
class RepositoryResult:
    """What one repository gave: its records, or that it is unchanged since `stamp` was taken.

    `stamp` is "git:<commit>" for a git checkout, "tree:<sha256>" for another folder, or None
    when the result must not be reused (the folder could not be read, the worker died).
    `expiries` are the expiry dates of the waivers its use cases met: the verdicts stay valid
    for another --as-of date as long as no expiry lies between the two.
    """

    name: str
    stamp: str | None
    records: tuple[Record, ...] = ()
    unchanged: bool = False
    as_of: str = ""
    expiries: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return any(r["type"] == "error" for r in self.records)


@dataclass(frozen=True)
class RunStats:
    """How a run went: repositories listed, scanned, skipped as unchanged, failed."""

    total: int
    scanned: int
    unchanged: int
    failed: int
    output: str
    files: tuple[str, ...] = field(default=())  # the files written, relative to the output folder
