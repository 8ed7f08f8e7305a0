"""Every duty and prohibition of the packs listed carries a quote, and quotes are the licensor's words.

Quotes are compared with the reference texts after collapsing whitespace only: a copier's Markdown
marks (`**`) are never inside a quote (audit convention), so a quote that needs them dropped fails.
"""

from __future__ import annotations

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
}
# Packs whose every violation and obligation rule must carry a quote (issue 14 makes it general). The
# training-data pack is not listed: the CC BY-SA and BY-ND legal codes are not in the reference texts.
QUOTED_PACKS = ("llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma", "gemini-api-terms")


def _collapse(text: str) -> str:
    return " ".join(text.split())


@cache
def _body(name: str) -> str:
    """A reference text without its 4-line header, whitespace collapsed."""
    return _collapse((TEXTS / name).read_text(encoding="utf-8").split("\n---\n", 1)[-1])


def _packs() -> list[Pack]:
    return load_rules([bundled_rules_dir()]).ruleset.packs


def _texts_of(pack: Pack) -> list[str]:
    names = sorted(p.name for p in TEXTS.glob(f"{pack.id}*.txt"))
    return names + [n for n in EXTRA_TEXTS.get(pack.id, ()) if n not in names]


@pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/reference/texts is not present")
def test_every_quote_is_verbatim_in_its_packs_text() -> None:
    checked = 0
    for pack in _packs():
        quoted = [rule for rule in pack.rules if rule.quote]
        if pack.id not in (*QUOTED_PACKS, *EXTRA_TEXTS) or not quoted:
            continue  # other packs' quotes are checked by their owners' tests (test_pack_quotes, ...)
        names = _texts_of(pack)
        assert names, f"pack {pack.id} quotes a text but none is in {TEXTS}"
        for rule in quoted:
            assert rule.quote is not None
            quote = _collapse(rule.quote)
            assert any(quote in _body(name) for name in names), (
                f"{rule.id}: not verbatim in {names}: {quote[:80]}"
            )
            checked += 1
    assert checked >= 50


def test_quotes_are_short_and_every_duty_of_a_quoted_pack_has_one() -> None:
    for pack in _packs():
        for rule in pack.rules:
            assert rule.quote is None or 0 < len(rule.quote) <= 400, rule.id
            if pack.id in QUOTED_PACKS and rule.outcome in (Outcome.VIOLATION, Outcome.OBLIGATION):
                assert rule.quote, f"{rule.id} ({rule.outcome.value}) has no quote"
