"""What every scan format shows, decided once: models grouped, words for statuses, the gate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from licensecheck.scan.host import plural
from licensecheck.scan.model import Entry, ScanReport, Status

if TYPE_CHECKING:
    from licensecheck.formats.documents import ReferenceDoc, ScanCellDoc

STATUS_WORDS = {
    Status.CATALOG: "in the catalog",
    Status.PROBABLE: "probably a copy of a catalog model (check it)",
    Status.UNKNOWN: "not in the catalog",
    Status.UNRESOLVED: "unresolved: known only at run time (review)",
}


@dataclass(frozen=True)
class ModelGroup:
    """All references to one model (a catalog id, or the name as written when unknown)."""

    key: str
    status: Status
    license: str | None
    entries: tuple[Entry, ...]
    covered_by: tuple[str, ...]
    nearest: tuple[str, ...]


def groups(report: ScanReport) -> list[ModelGroup]:
    """Named models, catalog ones first, then probable copies, then unknown names; by name."""
    buckets: dict[tuple[Status, str], list[Entry]] = {}
    for entry in report.entries:
        if not entry.named:
            continue
        res = entry.resolution
        key = res.model or (entry.reference.value or "")
        buckets.setdefault((res.status, key), []).append(entry)
    order = {Status.CATALOG: 0, Status.PROBABLE: 1, Status.UNKNOWN: 2}
    out = []
    for (status, key), entries in sorted(
        buckets.items(), key=lambda kv: (order[kv[0][0]], kv[0][1].casefold())
    ):
        covered = tuple(sorted({f for e in entries for f in e.covered_by}))
        out.append(
            ModelGroup(
                key,
                status,
                entries[0].resolution.license,
                tuple(entries),
                covered,
                entries[0].resolution.nearest,
            )
        )
    return out


def counts(report: ScanReport) -> dict[str, int]:
    tally = {status.value: 0 for status in Status}
    for entry in report.entries:
        tally[entry.resolution.status.value] += 1
    tally["references"] = len(report.entries)
    tally["uncovered"] = len(report.uncovered)
    tally["models"] = len(groups(report))
    tally["files"] = report.files_scanned
    tally["usecases"] = len(report.usecases)
    return tally


def gate_sentence(report: ScanReport) -> str:
    """One line saying whether the gate passed, and why not."""
    reasons = []
    if report.require_usecase and report.uncovered:
        models = {e.resolution.model or e.reference.value for e in report.uncovered}
        reasons.append(
            f"{plural(len(models), 'model')} without a use case at {plural(len(report.uncovered), 'place')} "
            "(--require-usecase)"
        )
    if report.evaluation is not None and report.worst_verdict.rank >= report.fail_on_rank:
        reasons.append(f"a use case's verdict is {report.worst_verdict.value} (--fail-on)")
    if reasons:
        return "gate failed: " + "; ".join(reasons)
    if not report.require_usecase:
        return "gate passed (inventory: add --require-usecase to fail on models without a use case)"
    return "gate passed: every model has a use case"


def found_how(entry: Entry) -> str:
    """How a reference was found, in words: the call or key, and how its value reached it."""
    ref = entry.reference
    parts = [kind_words(ref.kind)]
    if ref.via:
        parts.append(ref.via)
    if ref.used_at is not None:
        parts.append(f"used at {ref.used_at}")
    return "; ".join(parts)


_KIND_WORDS = {
    "shell:sh": "shell script",
    "shell:docker": "Dockerfile",
    "shell:make": "Makefile",
    "env": "environment file",
    "config:run": "run step",
    "config:command": "command",
    "config:env": "environment",
    "notebook:shell": "notebook shell command",
    "card:base_model": "model card base_model",
    "python:model keyword": "model= keyword",
    "python:dict key": "dict key",
    "python:assignment": "assignment",
    "python:option default": "option default",
}


def kind_words(kind: str) -> str:
    """A finder's kind in words: `python:openai` -> `openai`, `config:model_id` -> `key model_id`."""
    if kind in _KIND_WORDS:
        return _KIND_WORDS[kind]
    family, _, detail = kind.partition(":")
    return f"key {detail}" if family == "config" else detail or family


def resolved_how(entry: Entry) -> str:
    res = entry.resolution
    if res.status is Status.UNRESOLVED:
        return res.rule or entry.reference.reason or "known only at run time"
    if res.status is Status.UNKNOWN:
        near = ", ".join(res.nearest)
        return "not in the catalog" + (f"; nearest catalog ids: {near}" if near else "")
    return f"{res.model} ({res.rule})"


def where(entry: Entry) -> str:
    loc = entry.reference.location
    text = str(loc)
    if loc.cell is not None:
        text += f" (cell {loc.cell + 1}, line {loc.cell_line})"
    return text


def reference_dict(entry: Entry) -> ReferenceDoc:
    """One reference as JSON (json and jsonl formats share it)."""
    ref, res, loc = entry.reference, entry.resolution, entry.reference.location
    cell: ScanCellDoc = {"cell": loc.cell, "cell_line": loc.cell_line} if loc.cell is not None else {}
    return {
        "file": loc.path,
        "uri": loc.uri,
        "line": loc.line,
        "col": loc.col,
        **cell,
        "value": ref.value,
        "expression": ref.expression,
        "kind": ref.kind,
        "via": ref.via or None,
        "used_at": {"file": ref.used_at.path, "line": ref.used_at.line, "col": ref.used_at.col}
        if ref.used_at
        else None,
        "status": res.status.value,
        "model": res.model,
        "license": res.license,
        "rule": res.rule or None,
        "nearest": list(res.nearest),
        "covered_by": list(entry.covered_by),
        "uncovered": entry.uncovered,
    }
