"""One repository's inventory, a pure function of its folder and the context: what every engine runs."""

from __future__ import annotations

import os
from typing import Any

from licensecheck.errors import InputError
from licensecheck.inventory import host
from licensecheck.inventory.host import InventoryContext
from licensecheck.inventory.model import Record, RepositoryResult
from licensecheck.inventory.stamp import TooLarge, count_files, read_commit, tree_stamp
from licensecheck.model import Outcome, Report, Verdict
from licensecheck.scan import ScanInputError, ScanReport
from licensecheck.scan.walk import shown_name

MAX_REFERENCES = 100_000  # a repository naming models more often is too large to inventory
_VERDICT_RANK = {v.value: v.rank for v in Verdict}


def inventory_repository(
    path: str, context: InventoryContext, *, name: str | None = None, previous: str | None = None
) -> RepositoryResult:
    """The records of the repository at `path` (absolute): one per reference and per use case,
    plus one for the repository; a repository that cannot be inventoried gives error records.

    Nothing in the folder is executed: the scan parses code, use cases are data, the commit is
    read from .git's files. When the repository's stamp equals `previous`, nothing is scanned
    and the result says it is unchanged. Never raises for what the folder holds.
    """
    name = name if name is not None else shown_name(path)
    commit: str | None = None
    try:
        if not os.path.isdir(path):
            problem = "no such folder" if not os.path.lexists(path) else "not a folder"
            return _failed(
                name, None, path, [_error(None, None, None, problem, "give a repository's folder")]
            )
        commit = read_commit(path)
        if commit is not None and previous == f"git:{commit}":
            return RepositoryResult(name, previous, unchanged=True)
        if commit is not None:
            count_files(path)
            stamp = f"git:{commit}"
        else:
            stamp = tree_stamp(path)
            if previous == stamp:
                return RepositoryResult(name, previous, unchanged=True)
        return _inventory(path, name, commit, stamp, context)
    except TooLarge as exc:
        return _failed(name, commit, path, [_error(None, None, None, f"too large: {exc}", _TOO_LARGE_HELP)])
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else None
        message = f"cannot be read: {exc.strerror or exc}"
        return _failed(name, commit, path, [_error(where, None, None, message, None)])
    except (RecursionError, MemoryError) as exc:
        message = f"not scanned: {type(exc).__name__}"
        return _failed(name, commit, path, [_error(None, None, None, message, None)])
    except Exception as exc:  # a defect must not stop an inventory of thousands of repositories
        message = f"internal error: {type(exc).__name__}: {exc}"
        return _failed(name, commit, path, [_error(None, None, None, message, _INTERNAL_HELP)])


_TOO_LARGE_HELP = (
    f"an inventory reads repositories of up to {MAX_REFERENCES:,} model references and 100,000 files; "
    "scan this one with `licensecheck scan --exclude GLOB`"
)
_INTERNAL_HELP = "report it with this message; the other repositories were inventoried"


def _inventory(
    path: str, name: str, commit: str | None, stamp: str, context: InventoryContext
) -> RepositoryResult:
    errors: list[Record] = []
    try:
        report = host.scan(path, context)
    except ScanInputError as exc:
        # The use cases are not valid: they are the repository's error, and its references are
        # listed all the same (covered by none), so that the inventory still knows its models.
        errors = [_error(e.file, e.line, e.col, e.message, e.hint) for e in exc.errors]
        report = host.scan(path, context, evaluate=False)
    except InputError as exc:
        return _failed(name, commit, path, [_error(exc.file, exc.line, exc.col, exc.message, exc.hint)])
    if len(report.entries) > MAX_REFERENCES:
        message = f"too large: {len(report.entries):,} model references"
        return _failed(name, commit, path, [_error(None, None, None, message, _TOO_LARGE_HELP)], stamp)
    base = shown_name(path)
    rel = _relative(base)
    usecases = _usecase_records(report.evaluation, rel)
    verdicts = {shown_name(report_.file): report_.verdict.value for report_ in _reports(report.evaluation)}
    references = [_reference_record(entry, rel, verdicts) for entry in report.entries]
    head = _repository_record(report, usecases, errors)
    records = [head, *(_located(e, rel) for e in errors), *usecases, *references]
    for record in records:
        record["repository"] = name
        record["commit"] = commit
    ordered = tuple(_ordered(r) for r in records)
    return RepositoryResult(
        name,
        stamp,
        ordered,
        as_of=context.spec.as_of,
        expiries=_expiries(report.evaluation),
    )


def _failed(
    name: str, commit: str | None, path: str, errors: list[Record], stamp: str | None = None
) -> RepositoryResult:
    """A repository that could not be inventoried: its record and its errors. `stamp` only when
    the failure is the folder's own (the same folder fails the same way: resume skips it)."""
    rel = _relative(shown_name(path))
    head: Record = {
        "type": "repository",
        "status": "failed",
        "files": 0,
        "references": 0,
        "models": 0,
        "uncovered": 0,
        "usecases": 0,
        "verdict": None,
        "notes": 0,
    }
    records = [head, *(_located(e, rel) for e in errors)]
    for record in records:
        record["repository"] = name
        record["commit"] = commit
    return RepositoryResult(name, stamp, tuple(_ordered(r) for r in records))


def _error(file: str | None, line: int | None, col: int | None, message: str, hint: str | None) -> Record:
    return {"type": "error", "file": file, "line": line, "col": col, "message": message, "hint": hint}


def _located(error: Record, rel: Any) -> Record:
    """An error with its file relative to the repository, and the repository's folder cut from its words."""
    base = rel.base
    located = dict(error)
    shown = rel(error["file"]) if error["file"] else "."
    located["file"] = None if shown == "." else shown
    for key in ("message", "hint"):
        if isinstance(located[key], str) and base:
            located[key] = located[key].replace(base + os.sep, "").replace(base, ".")
    return located


class _relative:
    """A path shown relative to the repository's folder, '/'-separated ('.' for the folder itself)."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __call__(self, path: str) -> str:
        path = shown_name(path)
        if self.base and (path == self.base or path.startswith(self.base + os.sep)):
            path = path[len(self.base) + 1 :] or "."
        return path.replace(os.sep, "/")


def _reports(evaluation: Report | None) -> tuple[Any, ...]:
    return evaluation.reports if evaluation is not None else ()


def _usecase_records(evaluation: Report | None, rel: _relative) -> list[Record]:
    records = []
    for usecase in _reports(evaluation):
        counted = [f for f in usecase.findings if f.counts]
        records.append(
            {
                "type": "usecase",
                "file": rel(usecase.file),
                "name": usecase.name,
                "model": usecase.model.id,
                "model_name": usecase.model.name,
                "license": usecase.model.license,
                "verdict": usecase.verdict.value,
                "violations": sorted({f.rule for f in counted if f.outcome is Outcome.VIOLATION}),
                "reviews": sorted({f.rule for f in counted if f.outcome is Outcome.REVIEW}),
                "obligations": sorted({f.rule for f in counted if f.outcome is Outcome.OBLIGATION}),
                "waived": sum(1 for f in usecase.findings if f.waived),
            }
        )
    return records


def _reference_record(entry: Any, rel: _relative, verdicts: dict[str, str]) -> Record:
    from licensecheck.scan.formats.view import reference_dict

    data: dict[str, Any] = dict(reference_dict(entry))  # reshaped for the inventory's records
    data.pop("uri", None)
    data["file"] = rel(data["file"])
    if data["used_at"] is not None:
        data["used_at"] = {**data["used_at"], "file": rel(data["used_at"]["file"])}
    covering = [shown_name(f) for f in entry.covered_by]
    data["covered_by"] = [rel(f) for f in covering]
    found = [verdicts[f] for f in covering if f in verdicts]
    data["verdict"] = max(found, key=lambda v: _VERDICT_RANK[v]) if found else None
    return {"type": "reference", **data}


def _repository_record(report: ScanReport, usecases: list[Record], errors: list[Record]) -> Record:
    named = {e.resolution.model or e.reference.value for e in report.entries if e.named}
    worst = max((u["verdict"] for u in usecases), key=lambda v: _VERDICT_RANK[v], default=None)
    return {
        "type": "repository",
        "status": "failed" if errors else "scanned",
        "files": report.files_scanned,
        "references": len(report.entries),
        "models": len(named),
        "uncovered": len(report.uncovered),
        "usecases": len(usecases),
        "verdict": worst,
        "notes": len(report.diagnostics),
    }


def _expiries(evaluation: Report | None) -> tuple[str, ...]:
    dates: set[str] = set()
    for usecase in _reports(evaluation):
        dates.update(f.waiver.expires for f in usecase.findings if f.waiver is not None)
        dates.update(w.expires for w in usecase.stale_waivers)
    if evaluation is not None:
        dates.update(w.expires for w in evaluation.stale_waivers)
    return tuple(sorted(dates))


_FIRST = ("type", "repository", "commit")


def _ordered(record: Record) -> Record:
    """The record with `type`, `repository` and `commit` first (the same bytes in every engine)."""
    return {**{k: record[k] for k in _FIRST}, **{k: v for k, v in record.items() if k not in _FIRST}}


def failed_result(name: str, message: str, hint: str | None) -> RepositoryResult:
    """The result of a repository the engine could not inventory (its worker died): not reused."""
    return _failed(name, None, "", [_error(None, None, None, message, hint)])
