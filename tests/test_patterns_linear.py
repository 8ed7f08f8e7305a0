"""Text signatures stay linear on adversarial input: every `mentions` and `matches` of every bundled pack.

`mentions` tokenises once and looks phrases up by first word (no regular expression over the
phrases); `matches` only sees the first 10,000 characters and refuses patterns whose repeats can
overlap. The check compares 100 KB with 1 MB: ten times the input may cost at most ~20 times
the CPU time (quadratic code would cost 100 times). Each size runs in its own process whose
CPU time comes from os.wait4 (a baseline run of size 0 is subtracted), and RLIMIT_CPU ends a
catastrophic case: no wall clock is read, so a busy machine cannot fail the test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli_measured, run_measured

from licensecheck.api import load_context
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
    """One `size`-character text mixing inputs that defeat naive phrase or pattern matching."""
    parts = ["a" * size, "a-" * size, "a'" * size, "\x1b[31m " * size]
    if isinstance(test.arg, PhraseSet):
        for phrase in test.arg.phrases[:3]:
            words = phrase.replace("*", "").split()
            # the phrase started but never finished, and many distinct words sharing its stem
            parts.append((" ".join(words[:-1] or words) + " x ") * size)
            parts.append(" ".join(f"{words[0]}{i:x}" for i in range(size // len(words[0]))))
    share = size // len(parts)
    return " ".join(part[:share] for part in parts)[:size]


def run_all(tests: list[ConditionTest], size: int) -> None:
    """Every test on its adversarial text; the texts are built first, so size 0 measures the rest."""
    texts = [adversarial(test, size) if size else "" for test in tests]
    for test, text in zip(tests, texts):
        test.test(text, test.arg)


def matching_cpu_seconds(size: int) -> float:
    """CPU seconds of a process that builds the texts of `size` and runs every bundled test on them."""
    code = (
        "import sys; sys.path.insert(0, 'tests');"
        "from test_patterns_linear import bundled_tests, run_all;"
        f"tests = bundled_tests(); assert len(tests) >= 10, len(tests); run_all(tests, {size})"
    )
    done = run_measured([sys.executable, "-c", code], ROOT, cpu_limit_s=120)
    assert done.returncode == 0, done.stderr
    return done.cpu_seconds


def test_every_bundled_text_signature_is_linear_on_one_megabyte() -> None:
    base = matching_cpu_seconds(0)  # start-up, loading the packs, and the harness
    small = max(matching_cpu_seconds(100_000) - base, 0.05)
    big = matching_cpu_seconds(1_000_000) - base
    assert big < 20 * small, f"100 KB: {small:.2f} s, 1 MB: {big:.2f} s of CPU"
    assert big < 60


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
    code = (
        "import sys; sys.path.insert(0, 'tests');"
        "from test_patterns_linear import adversarial, compile_pattern, ConditionTest, OPERATORS;"
        f"compiled = compile_pattern({pattern!r});"
        "test = ConditionTest('use.purpose', 'matches', OPERATORS['matches'].test, compiled);"
        "test.test(adversarial(test, 1_000_000), compiled)"
    )
    done = run_measured([sys.executable, "-c", code], ROOT)
    assert done.returncode == 0, done.stderr
    assert done.cpu_seconds < 2.0, f"{done.cpu_seconds:.2f} s of CPU"


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
