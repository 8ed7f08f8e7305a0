"""Text signatures stay linear on adversarial input: every `mentions` and `matches` of every bundled pack.

`mentions` tokenises once and looks phrases up by first word (no regular expression over the
phrases); `matches` only sees the first 10,000 characters and refuses patterns whose repeats can
overlap. The check compares 100 KB with 1 MB: ten times the input may cost at most ~20 times
the time (quadratic code would cost 100 times); it runs in a subprocess with a timeout, so a
catastrophic case fails instead of hanging the suite.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

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
from licensecheck.runner import load_context


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


def worst_time(tests: list[ConditionTest], size: int) -> float:
    total = 0.0
    for test in tests:
        text = adversarial(test, size)
        start = time.perf_counter()
        test.test(text, test.arg)
        total += time.perf_counter() - start
    return total


def test_every_bundled_text_signature_is_linear_on_one_megabyte() -> None:
    code = (
        "import sys; sys.path.insert(0, 'tests');"
        "from test_patterns_linear import bundled_tests, worst_time;"
        "tests = bundled_tests(); small = worst_time(tests, 100_000); big = worst_time(tests, 1_000_000);"
        "print(len(tests), small, big)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    count, small, big = done.stdout.split()
    assert int(count) >= 10, "the bundled packs should have acceptable-use signatures to check"
    assert float(big) < 20 * max(float(small), 0.01), f"100 KB: {small} s, 1 MB: {big} s"
    assert float(big) < 60


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
    compiled = compile_pattern(pattern)
    test = ConditionTest("use.purpose", "matches", OPERATORS["matches"].test, compiled)
    text = adversarial(test, 1_000_000)
    start = time.perf_counter()
    test.test(text, compiled)
    assert time.perf_counter() - start < 2.0


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
    start = time.perf_counter()
    result = run_cli("evaluate", "uc.yaml", "--format", "json", "--fail-on", "never", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert time.perf_counter() - start < 5
