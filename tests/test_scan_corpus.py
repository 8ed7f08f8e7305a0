"""Precision and recall of `licensecheck scan` on the labelled corpus stay at 0.95 or more."""

from __future__ import annotations

import pytest
from scan_corpus_score import CORPUS, Score, score, snippet_files

from licensecheck.api import load_context


@pytest.fixture(scope="module")
def result() -> Score:
    ctx = load_context()
    return score(ctx.catalog, ctx.ruleset)


def test_every_snippet_is_labelled_and_there_are_at_least_60(result: Score) -> None:
    assert result.unlabelled == [], "label these snippets in tests/scan_corpus_labels.yaml"
    assert result.snippets == len(snippet_files(CORPUS)) >= 60


def test_the_corpus_holds_every_style_and_look_alikes() -> None:
    files = snippet_files(CORPUS)
    for style in (
        ".py",
        ".ipynb",
        ".yaml",
        ".yml",
        ".json",
        ".toml",
        ".env",
        "Dockerfile",
        ".sh",
        "Makefile",
        ".md",
    ):
        assert any(name.endswith(style) for name in files), style
    assert sum("lookalike" in name for name in files) >= 10


def test_precision_and_recall_are_at_least_095(result: Score) -> None:
    assert result.precision >= 0.95, f"false positives: {result.false_positives}"
    assert result.recall >= 0.95, f"missed: {result.false_negatives}"


def test_found_references_resolve_to_the_labelled_catalog_model(result: Score) -> None:
    assert result.wrong_models == []


def test_the_same_with_worker_processes() -> None:
    ctx = load_context()
    parallel = score(ctx.catalog, ctx.ruleset, jobs=2)
    serial = score(ctx.catalog, ctx.ruleset)
    assert (parallel.true_positives, parallel.false_positives, parallel.false_negatives) == (
        serial.true_positives,
        serial.false_positives,
        serial.false_negatives,
    )
