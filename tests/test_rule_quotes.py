"""Quotes of the OpenAI, Anthropic and gpt-oss packs and of every text signature are verbatim.

The verbatim texts are not shipped: ../shared/reference/texts holds them in the project's workspace,
and these tests skip without it. (tests/test_quotes_on_duties.py checks the Llama, Gemma and Gemini
packs, tests/test_pack_quotes.py lic-b's packs.)
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache

import pytest
from conftest import ROOT

from licensecheck.model import Outcome
from licensecheck.packs import Pack, bundled_rules_dir, load_rules

TEXTS = ROOT.parent / "shared" / "reference" / "texts"
# The texts each pack's quotes come from (a -TEXT-PLAIN rule quotes its pack's policy).
PACK_TEXTS: dict[str, tuple[str, ...]] = {
    **{
        v: (f"{v}.txt", f"{v}-use-policy.txt")
        for v in ("llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4")
    },
    "openai-terms": (
        "openai-usage-policies.txt",
        "openai-terms.txt",
        "openai-services-agreement-excerpts.txt",
    ),
    "anthropic-terms": ("anthropic-usage-policy.txt", "anthropic-terms.txt"),
    "gpt-oss-usage-policy": ("gpt-oss-usage-policy.txt",),
    "gemma": ("gemma-prohibited-use-policy.txt",),
    "gemini-api-terms": ("gemini-api-terms.txt", "google-generative-ai-prohibited-use-policy.txt"),
    "bigscience-bloom-rail-1.0": ("bigscience-bloom-rail-1.0.txt",),
    "bigscience-openrail-m": ("bigscience-openrail-m.txt",),
    "creativeml-openrail-m": ("creativeml-openrail-m.txt",),
    "openrail++": ("openrail++.txt", "openrail++-20230726.txt"),
    "stabilityai-community": ("stabilityai-acceptable-use.txt",),
    "deepseek": ("deepseek.txt",),
    "c4ai-cc-by-nc": ("c4ai-acceptable-use.txt",),
    "nvidia-open-model": ("nvidia-open-model.txt",),
}
OWN_PACKS = ("openai-terms", "anthropic-terms", "gpt-oss-usage-policy")
needs_texts = pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/reference/texts is not present")


def _collapse(text: str) -> str:
    return " ".join(text.split())


@cache
def _body(name: str) -> str:
    return _collapse((TEXTS / name).read_text(encoding="utf-8").split("\n---\n", 1)[-1])


def _packs() -> list[Pack]:
    return list(load_rules([bundled_rules_dir()]).ruleset.packs)


@needs_texts
def test_quotes_of_the_api_terms_and_of_every_text_signature_are_verbatim() -> None:
    checked, wrong = 0, []
    for pack in _packs():
        rules = [
            r
            for r in pack.rules
            if r.quote and (pack.id in OWN_PACKS or r.id.endswith(("-TEXT", "-TEXT-PLAIN")))
        ]
        for rule in rules:
            assert rule.quote is not None
            checked += 1
            if not any(_collapse(rule.quote) in _body(name) for name in PACK_TEXTS[pack.id]):
                wrong.append(f"{rule.id}: {rule.quote[:80]}")
    assert wrong == []
    assert checked > 490


def test_every_violation_and_obligation_of_the_api_terms_and_every_plain_signature_has_a_quote() -> None:
    for pack in _packs():
        for rule in pack.rules:
            if pack.id in OWN_PACKS and rule.outcome in (Outcome.VIOLATION, Outcome.OBLIGATION):
                assert rule.quote, f"{rule.id} ({rule.outcome.value}) has no quote"
            if rule.id.endswith("-TEXT-PLAIN"):
                assert rule.quote and len(rule.quote) <= 400, f"{rule.id} has no quote"


@needs_texts
def test_the_text_signature_rules_match_their_table() -> None:
    """scripts/aup_text_rules.py writes the -TEXT and -TEXT-PLAIN rules from one table; --check fails if
    a pack was edited by hand or a quote is no longer verbatim."""
    done = subprocess.run(
        [sys.executable, "scripts/aup_text_rules.py", "--texts", str(TEXTS), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
