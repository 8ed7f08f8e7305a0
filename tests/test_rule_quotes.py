"""Rule quotes are the licensor's words: each is found verbatim in the reference text of its pack."""

from __future__ import annotations

import subprocess
import sys
from functools import cache

import pytest
from conftest import ROOT

from licensecheck.model import Outcome
from licensecheck.packs import Pack, bundled_rules_dir, load_rules

TEXTS = ROOT.parent / "shared" / "reference" / "texts"
# Texts a pack's quotes may come from, besides the files named after the pack (`<pack>*.txt`).
EXTRA_TEXTS = {
    "gemma": ("gemma-prohibited-use-policy.txt",),
    "gemini-api-terms": ("google-generative-ai-prohibited-use-policy.txt",),
    "training-data": ("cc-by-nc-4.0.txt",),
    "openai-terms": ("openai-usage-policies.txt", "openai-services-agreement-excerpts.txt"),
    "anthropic-terms": ("anthropic-usage-policy.txt",),
    "stabilityai-community": ("stabilityai-acceptable-use.txt",),
    "c4ai-cc-by-nc": ("cc-by-nc-4.0.txt", "c4ai-acceptable-use.txt", "cohere-labs-acceptable-use.txt"),
}
# Packs whose quotes come from a text that is not (yet) among the reference texts.
NOT_IN_TEXTS = {"bigcode-openrail-m"}  # read in ScanCode's verbatim copy (lic-b, issue 13)
# Packs whose every violation and obligation rule must carry a quote (issue 14 makes it general).
QUOTED_PACKS = (
    "llama2",
    "llama3",
    "llama3.1",
    "llama3.2",
    "llama3.3",
    "llama4",
    "gemma",
    "gemini-api-terms",
    "openai-terms",
    "anthropic-terms",
    "gpt-oss-usage-policy",
)
needs_texts = pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/reference/texts is not present")


def _collapse(text: str) -> str:
    return " ".join(text.split())


@cache
def _body(name: str) -> str:
    """A reference text without its 4-line header, whitespace collapsed, copier's bold marks dropped."""
    raw = (TEXTS / name).read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    return _collapse(raw.replace("**", ""))


def _packs() -> list[Pack]:
    return load_rules([bundled_rules_dir()]).packs


def _texts_of(pack: Pack) -> list[str]:
    names = sorted(p.name for p in TEXTS.glob(f"{pack.id}*.txt"))
    return names + [n for n in EXTRA_TEXTS.get(pack.id, ()) if n not in names]


@needs_texts
def test_every_quote_is_verbatim_in_its_packs_text() -> None:
    checked = 0
    for pack in _packs():
        quoted = [rule for rule in pack.rules if rule.quote]
        if not quoted or pack.id in NOT_IN_TEXTS:
            continue
        names = _texts_of(pack)
        assert names, f"pack {pack.id} quotes a text but none is in {TEXTS}"
        for rule in quoted:
            assert rule.quote is not None
            quote = _collapse(rule.quote)
            assert any(quote in _body(name) for name in names), (
                f"{rule.id}: not verbatim in {names}: {quote[:80]}"
            )
            checked += 1
    assert checked >= 500


def test_quotes_are_short_and_every_duty_of_a_quoted_pack_has_one() -> None:
    """Also every text signature that states a prohibited act (-TEXT-PLAIN) quotes its clause."""
    for pack in _packs():
        for rule in pack.rules:
            assert rule.quote is None or 0 < len(rule.quote) <= 400, rule.id
            if pack.id in QUOTED_PACKS and rule.outcome in (Outcome.VIOLATION, Outcome.OBLIGATION):
                assert rule.quote, f"{rule.id} ({rule.outcome.value}) has no quote"
            if rule.id.endswith("-TEXT-PLAIN"):
                assert rule.quote, f"{rule.id} has no quote"


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
