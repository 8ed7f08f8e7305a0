"""The scan as a library: find references, resolve them, match them to use cases, evaluate those."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from licensecheck import __version__
from licensecheck.catalog import Catalog
from licensecheck.errors import InputError
from licensecheck.model import Report, UseCaseReport, Waiver
from licensecheck.scan import host
from licensecheck.scan.files import scan_file, scan_files
from licensecheck.scan.model import (
    Diagnostic,
    Entry,
    FileResult,
    Reference,
    Resolution,
    ScanReport,
    UseCaseInfo,
)
from licensecheck.scan.resolve import Resolver, generic_keeps
from licensecheck.scan.walk import FileEntry, walk

BATCH = 64  # files per unit of work for --jobs


class ScanInputError(Exception):
    """Invalid input found by a scan (a use case that does not validate): located errors, exit 2."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("\n".join(e.render() for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Inventory:
    """What the files say before any catalog is consulted."""

    references: tuple[Reference, ...]
    usecase_files: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    files_scanned: int
    skipped: tuple[tuple[str, int], ...]
    root: str


@dataclass(frozen=True)
class ScanOptions:
    """How to scan: excluded globs, worker processes, the gate and the evaluation's inputs."""

    exclude: tuple[str, ...] = ()
    jobs: int = 1
    require_usecase: bool = False
    usecases: tuple[str, ...] | None = None  # use-case files/folders; None: those found in the scan
    waivers: tuple[Waiver, ...] = ()
    as_of: str = ""  # YYYY-MM-DD for waiver expiry; "" for today
    fail_on_rank: int = 2
    allow_broad_waivers: bool = False
    # False: the use cases are read for coverage only; their verdicts are `evaluate`'s to judge
    # (no findings in the report, no --fail-on), e.g. when a workflow runs both.
    evaluate: bool = True


def find_references(paths: Sequence[str], exclude: tuple[str, ...] = (), jobs: int = 1) -> Inventory:
    """Every model reference under `paths` (files or folders), located; the code is only parsed.

    References found in generic places carry `generic=True`: they count only if they resolve or
    look like a model name (see `resolve.generic_keeps`).
    """
    walked = walk(list(paths), exclude)
    results = _scan_all(walked.files, jobs)
    references: list[Reference] = []
    diagnostics: list[Diagnostic] = []
    usecases: list[str] = []
    skipped: Counter[str] = Counter(walked.skipped)
    scanned = 0
    for entry, result in zip(walked.files, results):
        if result.skipped:
            skipped[result.skipped] += 1
            continue
        scanned += 1
        references.extend(result.references)
        diagnostics.extend(result.diagnostics)
        if result.usecase:
            usecases.append(os.path.normpath(entry.path))
    return Inventory(
        tuple(references),
        tuple(usecases),
        tuple(sorted(diagnostics, key=lambda d: (d.location, d.message))),
        scanned,
        tuple(sorted(skipped.items())),
        walked.root,
    )


def _scan_all(files: list[FileEntry], jobs: int) -> list[FileResult]:
    if jobs <= 1 or len(files) <= BATCH:
        return [scan_file(entry) for entry in files]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Largest files first so that no worker is left with a big one at the end; order restored below.
    order = sorted(range(len(files)), key=lambda i: -_size(files[i].path))
    batches = [order[i :: jobs * 4] for i in range(jobs * 4)]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    results: list[FileResult | None] = [None] * len(files)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        batch_files = [[files[i] for i in batch] for batch in batches]
        for batch, done in zip(batches, pool.map(scan_files, batch_files)):
            for index, result in zip(batch, done):
                results[index] = result
    return [r if r is not None else FileResult() for r in results]


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


_LAST: list[tuple[Catalog, Resolver]] = []  # the resolver of the catalog used last


def resolve(reference: Reference, catalog: Catalog) -> Resolution:
    """What `reference` names in `catalog` (the catalog's names are indexed on first use)."""
    if not _LAST or _LAST[0][0] is not catalog:
        _LAST[:] = [(catalog, Resolver(catalog))]
    return _LAST[0][1].resolve(reference)


def usecase_infos(report: Report, catalog: Catalog) -> tuple[UseCaseInfo, ...]:
    """The model names each evaluated use case covers: its model and the bases it derives from."""
    return tuple(_info(r, catalog) for r in report.reports)


def _info(report: UseCaseReport, catalog: Catalog) -> UseCaseInfo:
    names: set[str] = set()
    given: dict[str, Any] = report.usecase.get("model", {}) if isinstance(report.usecase, dict) else {}

    def add(value: Any) -> None:
        if isinstance(value, dict):
            value = value.get("id")
        if not isinstance(value, str) or not value:
            return
        names.add(value.casefold())
        model = catalog.find(value)
        if model is not None:
            names.add(str(model.id).casefold())
            if model.hf_repo:
                names.add(str(model.hf_repo).casefold())

    add(report.model.id)
    for key in ("id", "name", "published_name", "hf_repo"):
        add(given.get(key))
    for base in given.get("base_models") or []:
        add(base)
    for link in report.lineage:
        add(link.model)
    return UseCaseInfo(report.file, report.name, report.model.id, tuple(sorted(names)))


def coverage(
    reference: Reference, resolution: Resolution, usecases: Sequence[UseCaseInfo]
) -> tuple[str, ...]:
    """The use-case files that cover a reference: they name its catalog model or its exact name."""
    keys = {k for k in (resolution.model, reference.value) if k}
    folded = {k.casefold() for k in keys}
    return tuple(sorted({u.file for u in usecases if folded & set(u.covers)}))


def scan(paths: Sequence[str], catalog: Catalog, ruleset: Any, options: ScanOptions) -> ScanReport:
    """The whole scan of `paths`: references resolved and covered, use cases evaluated.

    Raises ScanInputError when a use case is invalid (as `evaluate` would, with located errors).
    """
    inventory = find_references(paths, options.exclude, options.jobs)
    if options.usecases is not None:
        try:
            files = host.expand_usecases(options.usecases)
        except InputError as exc:
            raise ScanInputError([exc]) from None
    else:
        files = list(inventory.usecase_files)
    evaluation: Report | None = None
    infos: tuple[UseCaseInfo, ...] = ()
    if files:
        report, errors = host.evaluate_usecases(
            catalog, ruleset, files, options.waivers, options.as_of, options.allow_broad_waivers
        )
        if errors or report is None:
            raise ScanInputError(errors)
        evaluation = report if options.evaluate else None
        infos = usecase_infos(report, catalog)
    entries: list[Entry] = []
    for reference in inventory.references:
        resolution = resolve(reference, catalog)
        if reference.generic and not generic_keeps(reference.value or "", resolution):
            continue
        entries.append(Entry(reference, resolution, coverage(reference, resolution, infos)))
    entries.sort(key=lambda e: (e.reference.location, e.reference.value or "", e.reference.kind))
    return ScanReport(
        entries=tuple(entries),
        usecases=infos,
        diagnostics=inventory.diagnostics,
        files_scanned=inventory.files_scanned,
        licensecheck_version=__version__,
        root=inventory.root,
        require_usecase=options.require_usecase,
        evaluation=evaluation,
        fail_on_rank=options.fail_on_rank if options.evaluate else 99,
        skipped=inventory.skipped,
    )
