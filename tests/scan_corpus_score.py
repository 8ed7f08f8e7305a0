"""Precision and recall of `licensecheck scan` on the labelled corpus (tests/scan_corpus_labels.yaml)."""

# Shared by tests/test_scan_corpus.py and benchmarks/scan.py. A reference counts as found when
# the scan reports the labelled file, line and model name (null: an unresolved reference).

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parent / "scan_corpus"
LABELS = Path(__file__).resolve().parent / "scan_corpus_labels.yaml"

Key = tuple[str, int, "str | None"]


@dataclass
class Score:
    snippets: int
    true_positives: int
    false_positives: list[Key] = field(default_factory=list)
    false_negatives: list[Key] = field(default_factory=list)
    wrong_models: list[tuple[Key, str, str | None]] = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + len(self.false_negatives)
        return self.true_positives / expected if expected else 1.0


def line_of(path: Path, at: str, nth: int = 1) -> int:
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if at in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{path}: no line holds {at!r} (label `at`)")


def expected(corpus: Path = CORPUS) -> tuple[dict[Key, str | None], list[str]]:
    """Labelled references (-> expected catalog id) and the snippet files."""
    data: dict[str, Any] = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    labels: dict[Key, str | None] = {}
    for name, items in data["snippets"].items():
        for item in items:
            key = (name, line_of(corpus / name, item["at"], item.get("nth", 1)), item["value"])
            labels[key] = item.get("model")
    return labels, list(data["snippets"])


def snippet_files(corpus: Path = CORPUS) -> list[str]:
    return sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file())


def score(catalog: Any, ruleset: Any, corpus: Path = CORPUS, jobs: int = 1) -> Score:
    from licensecheck.scan import ScanOptions, scan

    labels, named = expected(corpus)
    report = scan(
        [str(corpus)], catalog, ruleset, ScanOptions(jobs=jobs, as_of="2026-01-01", fail_on_rank=99)
    )
    reported: dict[Key, str | None] = {}
    for entry in report.entries:
        location = entry.reference.location
        name = Path(os.path.relpath(location.path, corpus)).as_posix()
        reported[(name, location.line, entry.reference.value)] = entry.resolution.model
    hits = set(reported) & set(labels)
    result = Score(
        snippets=len(named),
        true_positives=len(hits),
        false_positives=sorted(set(reported) - set(labels), key=str),
        false_negatives=sorted(set(labels) - set(reported), key=str),
        unlabelled=sorted(set(snippet_files(corpus)) - set(named)),
    )
    for key in sorted(hits, key=str):
        if labels[key] is not None and reported[key] != labels[key]:
            result.wrong_models.append((key, str(labels[key]), reported[key]))
    return result
