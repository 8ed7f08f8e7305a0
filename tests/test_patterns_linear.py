"""Text signatures stay linear on adversarial input: every `mentions` and `matches` of every bundled pack.

`mentions` tokenises once and looks phrases up by first word (no regular expression over the
phrases); `matches` only sees the first 10,000 characters and refuses patterns whose repeats can
overlap. The check compares 30 KB with 300 KB: ten times the input may cost at most ~20 times
the CPU time (quadratic code would cost 100 times). Each size runs in its own process (this
file run as a script) whose CPU time comes from os.wait4 (a baseline run of size 0 is
subtracted), and RLIMIT_CPU ends a catastrophic case: no wall clock is read, so a busy machine
cannot fail the test. CPU time rather than a count of Python calls: the quadratic mistakes this
guards against (a list lookup per hit, a regular expression over the phrases) run in C, where
such a count would not see them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli_measured, run_measured

from licensecheck.api import Context, load_context
from licensecheck.conditions import (
    MATCH_INPUT_LIMIT,
    OPERATORS,
    All,
    AnyOf,
    ConditionError,
    Not,
    PhraseSet,
    compile_pattern,
)
from licensecheck.conditions import (
    Test as ConditionTest,
)


def text_tests(cond: object) -> list[ConditionTest]:
    if isinstance(cond, ConditionTest):
        return [cond] if cond.op in ("mentions", "matches") else []
    if isinstance(cond, Not):
        return text_tests(cond.part)
    assert isinstance(cond, (All, AnyOf))
    return [t for part in cond.parts for t in text_tests(part)]


def adversarial(test: ConditionTest, size: int) -> str:
    """One `size`-character text mixing inputs that defeat naive phrase or pattern matching.

    Each kind of input gets an equal share of the text, and only that share is built.
    """
    kinds: list[str | tuple[str]] = ["a", "a-", "a'", "\x1b[31m "]  # a repeated unit, or (stem,)
    if isinstance(test.arg, PhraseSet):
        for phrase in test.arg.phrases[:3]:
            words = phrase.replace("*", "").split()
            # the phrase started but never finished, and many distinct words sharing its stem
            kinds += [" ".join(words[:-1] or words) + " x ", (words[0],)]
    share = size // len(kinds)
    parts = []
    for kind in kinds:
        if isinstance(kind, str):
            parts.append((kind * (share // len(kind) + 1))[:share])
        else:
            (stem,) = kind
            count = min(size // len(stem), share // (len(stem) + 2) + 1)  # enough to fill the share
            parts.append(" ".join(f"{stem}{i:x}" for i in range(count))[:share])
    return " ".join(parts)[:size]


def run_all(tests: list[ConditionTest], size: int) -> None:
    """Every test on its adversarial text; the texts are built first, so size 0 measures the rest."""
    texts = [adversarial(test, size) if size else "" for test in tests]
    for test, text in zip(tests, texts):
        test.test(text, test.arg)


def matching_cpu_seconds(size: int) -> float:
    """CPU seconds of a process that builds the texts of `size` and runs every bundled test on them."""
    done = run_measured([sys.executable, __file__, "signatures", str(size)], ROOT, cpu_limit_s=120)
    assert done.returncode == 0, done.stderr
    return done.cpu_seconds


def test_every_bundled_text_signature_is_linear(context: Context) -> None:
    # `context` has filled the pack cache, so every child loads the packs the same (warm) way
    base = matching_cpu_seconds(0)  # start-up, loading the packs, and the harness
    small = max(matching_cpu_seconds(30_000) - base, 0.05)
    big = matching_cpu_seconds(300_000) - base
    assert big < 20 * small, f"30 KB: {small:.2f} s, 300 KB: {big:.2f} s of CPU"
    assert big < 30


def bundled_tests() -> list[ConditionTest]:
    """Every distinct phrase list and pattern of the bundled packs (library lists are shared by many rules)."""
    ctx = load_context()
    distinct: dict[object, ConditionTest] = {}
    for pack in ctx.ruleset.packs:
        for rule in pack.rules:
            for test in text_tests(rule.when):
                key = test.arg.phrases if isinstance(test.arg, PhraseSet) else test.arg.pattern
                distinct.setdefault(key, test)
    return list(distinct.values())


@pytest.mark.parametrize(
    "pattern", [r".*x", r"[a-z]+ weapons?", r"\bkill\b", r"a|b|c|d", r"\d{4}-\d{2}-\d{2}"]
)
def test_accepted_patterns_are_bounded_on_one_megabyte(pattern: str) -> None:
    done = run_measured([sys.executable, __file__, "pattern", pattern], ROOT)
    assert done.returncode == 0, done.stderr
    assert done.cpu_seconds < 2.0, f"{done.cpu_seconds:.2f} s of CPU"


def run_pattern(pattern: str) -> None:
    """One accepted pattern on one megabyte of adversarial text."""
    compiled = compile_pattern(pattern)
    test = ConditionTest("use.purpose", "matches", OPERATORS["matches"].test, compiled)
    test.test(adversarial(test, 1_000_000), compiled)


@pytest.mark.parametrize(
    "pattern", ["(a+)+$", "(a|aa)*b", "a*a*a*b", r"\w+\s+\w+x", "a?" * 30 + "a" * 30, "(x)\\1", "(?=a)a"]
)
def test_patterns_that_can_backtrack_are_refused(pattern: str) -> None:
    with pytest.raises(ConditionError, match="unsafe pattern"):
        compile_pattern(pattern)


def test_matches_sees_only_the_first_ten_thousand_characters() -> None:
    compiled = compile_pattern("needle")
    assert OPERATORS["matches"].test("x" * (MATCH_INPUT_LIMIT - 6) + "needle", compiled)
    assert not OPERATORS["matches"].test("x" * MATCH_INPUT_LIMIT + "needle", compiled)


def test_the_longest_allowed_purpose_through_the_cli_is_fast(tmp_path: Path) -> None:
    purpose = ("weapons of mass " * 2000)[:20_000]
    case = tmp_path / "uc.yaml"
    case.write_text(f"name: x\nmodel: {{id: llama-3.1-8b-instruct}}\nuse: {{purpose: '{purpose}'}}\n")
    result = run_cli_measured("evaluate", "uc.yaml", "--format", "json", "--fail-on", "never", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.cpu_seconds < 2.0, f"{result.cpu_seconds:.2f} s of CPU"


if __name__ == "__main__":  # the measured child processes above
    if sys.argv[1] == "signatures":
        every = bundled_tests()
        assert len(every) >= 10, len(every)
        run_all(every, int(sys.argv[2]))
    else:
        run_pattern(sys.argv[2])
