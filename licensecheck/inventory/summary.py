"""The summary of an inventory, built in one pass over its records: models by licence and by state,
uncovered references, failed repositories, and the most urgent locations of each model."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from licensecheck.inventory.model import STATE_RANK, STATES, Record

LOCATIONS_SHOWN = 20  # locations per model in the HTML and Markdown views; the records hold all
_STATUSES = ("catalog", "probable", "unknown", "unresolved")
_VERDICTS = ("blocked", "needs-review", "allowed-with-obligations", "allowed")


@dataclass
class _Model:
    status: str
    key: str
    license: str | None
    references: int = 0
    uncovered: int = 0
    repositories: int = 0
    by_state: Counter[str] = field(default_factory=Counter)
    locations: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def state(self) -> str:
        return max(self.by_state, key=lambda s: STATE_RANK[s]) if self.by_state else "allowed"


def state_of(record: Record) -> str:
    """A reference's state: uncovered, else the worst verdict of the use cases that cover it."""
    if record["uncovered"]:
        return "uncovered"
    return str(record["verdict"] or "allowed")


class SummaryBuilder:
    """Fed the records partition by partition (a repository's records together, its own first)."""

    def __init__(self) -> None:
        self.repositories: Counter[str] = Counter()
        self.references: Counter[str] = Counter()
        self.usecases: Counter[str] = Counter()
        self.models: dict[tuple[str, str], _Model] = {}
        self.licenses: dict[str, dict[str, Any]] = {}
        self.failed: list[dict[str, Any]] = []
        self._repository: str | None = None
        self._records: list[Record] = []

    def add_partition(self, lines: list[str]) -> None:
        for text in lines:
            record = json.loads(text)
            if record["repository"] != self._repository:
                self._flush()
                self._repository = record["repository"]
            self._records.append(record)
        self._flush()

    def _flush(self) -> None:
        if self._records:
            self._add_repository(self._records)
        self._records = []
        self._repository = None

    def _add_repository(self, records: list[Record]) -> None:
        head = next((r for r in records if r["type"] == "repository"), None)
        name = records[0]["repository"]
        self.repositories["total"] += 1
        if head is not None:
            self.repositories[head["status"]] += 1
        if records[0]["commit"] is not None:
            self.repositories["git"] += 1
        errors = [_error(r) for r in records if r["type"] == "error"]
        if errors:
            self.failed.append({"repository": name, "errors": errors})
        states: dict[tuple[str, str], str] = {}
        licenses: set[str] = set()
        for record in records:
            if record["type"] == "usecase":
                self.usecases["total"] += 1
                self.usecases[record["verdict"]] += 1
            if record["type"] != "reference":
                continue
            self.references["total"] += 1
            self.references[record["status"]] += 1
            if record["status"] == "unresolved":
                continue
            key = (record["status"], record["model"] or record["value"] or "")
            model = self.models.get(key)
            if model is None:
                model = self.models[key] = _Model(record["status"], key[1], record["license"])
            state = state_of(record)
            model.references += 1
            if record["uncovered"]:
                model.uncovered += 1
                self.references["uncovered"] += 1
            before = states.get(key)
            if before is None or STATE_RANK[state] > STATE_RANK[before]:
                states[key] = state
            licenses.add(record["license"] or "")
            _keep_location(model, state, record)
        for key, state in states.items():
            model = self.models[key]
            model.repositories += 1
            model.by_state[state] += 1
        for license_id in licenses:
            self.licenses.setdefault(license_id, {"repositories": 0})["repositories"] += 1

    def summary(self, head: dict[str, Any], files: list[str]) -> dict[str, Any]:
        """The summary (summary.json): `head` names the run (version, --as-of, policy)."""
        models = ordered_models(self.models.values())
        by_license: dict[str, list[_Model]] = {}
        for model in models:
            by_license.setdefault(model.license or "", []).append(model)
        return {
            **head,
            "repositories": {k: self.repositories[k] for k in ("total", "scanned", "failed", "git")},
            "references": {k: self.references[k] for k in ("total", *_STATUSES, "uncovered")},
            "usecases": {k: self.usecases[k] for k in ("total", *_VERDICTS)},
            "models": [_model_dict(m) for m in models],
            "licenses": [
                {
                    "license": license_id or None,
                    "models": [m.key for m in group],
                    "references": sum(m.references for m in group),
                    "repositories": self.licenses[license_id]["repositories"],
                }
                for license_id, group in sorted(
                    by_license.items(), key=lambda kv: (not kv[0], kv[0].casefold())
                )
            ],
            "uncovered": [
                {
                    "model": m.key,
                    "status": m.status,
                    "license": m.license,
                    "references": m.uncovered,
                    "repositories": m.by_state["uncovered"],
                }
                for m in sorted(models, key=lambda m: (-m.uncovered, m.key.casefold(), m.status))
                if m.uncovered
            ],
            "failed": sorted(self.failed, key=lambda f: f["repository"]),
            "records": files,
        }

    def locations(self) -> dict[tuple[str, str], tuple[list[dict[str, Any]], int]]:
        """Per model, its most urgent locations (at most LOCATIONS_SHOWN) and how many are left out."""
        out = {}
        for key, model in self.models.items():
            shown = sorted(model.locations, key=lambda item: item[:-1])[:LOCATIONS_SHOWN]
            out[key] = ([item[-1] for item in shown], model.references - len(shown))
        return out


def ordered_models(models: Any) -> list[_Model]:
    """The uncovered and blocked first (by their worst state), then by repositories, then by name."""
    return sorted(models, key=lambda m: (-STATE_RANK[m.state], -m.repositories, m.key.casefold(), m.status))


def _model_dict(model: _Model) -> dict[str, Any]:
    return {
        "model": model.key,
        "status": model.status,
        "license": model.license,
        "state": model.state,
        "references": model.references,
        "uncovered_references": model.uncovered,
        "repositories": model.repositories,
        "by_state": {s: model.by_state[s] for s in STATES},
    }


def _keep_location(model: _Model, state: str, record: Record) -> None:
    """Keep the model's most urgent locations; trimmed now and then, so memory stays bounded."""
    where = {
        "repository": record["repository"],
        "file": record["file"],
        "line": record["line"],
        "col": record["col"],
        "value": record["value"],
        "state": state,
        "covered_by": record["covered_by"],
    }
    key = (-STATE_RANK[state], record["repository"], record["file"], record["line"], record["col"])
    model.locations.append((*key, where))
    if len(model.locations) > 4 * LOCATIONS_SHOWN:
        model.locations.sort(key=lambda item: item[:-1])
        del model.locations[LOCATIONS_SHOWN:]


def _error(record: Record) -> dict[str, Any]:
    return {k: record[k] for k in ("file", "line", "col", "message", "hint")}
