"""Rule quotes are verbatim: each `quote` is found, whitespace collapsed, in one of its pack's texts.

The verbatim texts are not shipped: ../shared/reference/texts holds them in the project's workspace,
and these tests skip without it. PACK_TEXTS names the texts each pack encodes; a pack that is not
listed is not checked here (its owner adds it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from licensecheck.runner import load_context

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT.parent / "shared" / "reference" / "texts"
LLAMA_AUP = {
    v: (f"{v}.txt", f"{v}-use-policy.txt")
    for v in ("llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4")
}
PACK_TEXTS: dict[str, tuple[str, ...]] = {
    **LLAMA_AUP,
    "openai-terms": (
        "openai-usage-policies.txt",
        "openai-terms.txt",
        "openai-services-agreement-excerpts.txt",
    ),
    "anthropic-terms": ("anthropic-usage-policy.txt", "anthropic-terms.txt"),
    "gpt-oss-usage-policy": ("gpt-oss-usage-policy.txt",),
    "gemma": (
        "gemma.txt",
        "gemma-20250324.txt",
        "gemma-20240401.txt",
        "gemma-20240221.txt",
        "gemma-prohibited-use-policy.txt",
    ),
    "gemini-api-terms": ("gemini-api-terms.txt", "google-generative-ai-prohibited-use-policy.txt"),
    "bigscience-bloom-rail-1.0": ("bigscience-bloom-rail-1.0.txt",),
    "bigscience-openrail-m": ("bigscience-openrail-m.txt",),
    "creativeml-openrail-m": ("creativeml-openrail-m.txt",),
    "openrail++": ("openrail++.txt", "openrail++-20230726.txt"),
    "stabilityai-community": ("stabilityai-community.txt", "stabilityai-acceptable-use.txt"),
    "deepseek": ("deepseek.txt",),
    "c4ai-cc-by-nc": ("cc-by-nc-4.0.txt", "c4ai-acceptable-use.txt", "cohere-labs-acceptable-use.txt"),
    "nvidia-open-model": ("nvidia-open-model.txt",),
    "falcon-180b": ("falcon-180b.txt",),
}
needs_texts = pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/reference/texts is not here")


def collapse(text: str) -> str:
    return " ".join(text.split())


def body(name: str) -> str:
    return collapse((TEXTS / name).read_text(encoding="utf-8").split("\n---\n", 1)[-1])


@needs_texts
def test_every_quote_of_a_listed_pack_is_verbatim_in_its_texts() -> None:
    ruleset = load_context().ruleset
    checked, wrong = 0, []
    for pack in ruleset.packs:
        if pack.id not in PACK_TEXTS:
            continue
        bodies = [body(name) for name in PACK_TEXTS[pack.id] if (TEXTS / name).is_file()]
        for rule in pack.rules:
            if rule.quote:
                checked += 1
                if not any(collapse(rule.quote) in text for text in bodies):
                    wrong.append(f"{rule.id}: {rule.quote[:80]}")
    assert wrong == []
    assert checked > 400


@needs_texts
def test_every_violation_of_the_api_terms_and_text_signatures_carries_a_quote() -> None:
    """Issue 14 will make `rules lint` refuse a violation or obligation without a quote; these rules
    already have one: the OpenAI, Anthropic and gpt-oss packs and every -TEXT-PLAIN signature."""
    ruleset = load_context().ruleset
    missing = [
        rule.id
        for pack in ruleset.packs
        for rule in pack.rules
        if (
            pack.id in ("openai-terms", "anthropic-terms", "gpt-oss-usage-policy")
            or rule.id.endswith("-TEXT-PLAIN")
        )
        and rule.outcome.value in ("violation", "obligation")
        and not rule.quote
    ]
    assert missing == []


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
