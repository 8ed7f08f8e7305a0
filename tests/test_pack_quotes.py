"""Rule quotes are verbatim: each `quote` is in the pack's reference text (../shared/reference/texts).

Texts and quotes are compared after collapsing every run of whitespace to one space (copies differ in line
wrapping only). The reference texts live outside the repository; without them the check is skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT.parent / "shared" / "reference" / "texts"
PACKS = ROOT / "rules" / "licenses"

# pack id -> the reference texts its quotes come from; None: the text is not in the reference texts
PACK_TEXTS: dict[str, list[str] | None] = {
    "qwen": ["qwen.txt"],
    "qwen-research": ["qwen-research.txt"],
    "tongyi-qianwen": ["tongyi-qianwen.txt"],
    "mnpl": ["mnpl.txt"],
    "mrl": ["mrl.txt"],
    "stabilityai-community": ["stabilityai-community.txt", "stabilityai-acceptable-use.txt"],
    "falcon-180b": ["falcon-180b.txt"],
    "nvidia-open-model": ["nvidia-open-model.txt"],
    "bigscience-bloom-rail-1.0": ["bigscience-bloom-rail-1.0.txt"],
    "bigscience-openrail-m": ["bigscience-openrail-m.txt"],
    "creativeml-openrail-m": ["creativeml-openrail-m.txt"],
    "openrail++": ["openrail++-20230726.txt", "openrail++.txt"],
    "deepseek": ["deepseek.txt"],
    "c4ai-cc-by-nc": ["cc-by-nc-4.0.txt", "c4ai-acceptable-use.txt"],
    "cc-by-nc-4.0": ["cc-by-nc-4.0.txt"],
    "bigcode-openrail-m": None,  # read in ScanCode's copy (see the pack header); not yet in texts/
    "mistral-modified-mit": None,  # text not read: reviews only
    "openrail": None,  # a family tag, no text: a review only
}
MAX_CHARS = 400


def collapse(text: str) -> str:
    return " ".join(text.split())


def reference(name: str) -> str:
    body = (TEXTS / name).read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    return collapse(body)


def pack_rules(pack: str) -> list[dict[str, object]]:
    document = yaml.safe_load((PACKS / f"{pack}.yaml").read_text(encoding="utf-8"))
    rules: list[dict[str, object]] = document["rules"]
    return rules


def test_every_pack_named_here_exists() -> None:
    assert sorted(p for p in PACK_TEXTS if not (PACKS / f"{p}.yaml").is_file()) == []


@pytest.mark.parametrize("pack", sorted(PACK_TEXTS))
def test_every_violation_and_obligation_carries_a_short_quote(pack: str) -> None:
    unquoted = [
        r["id"]
        for r in pack_rules(pack)
        if r["outcome"] in ("violation", "obligation") and not r.get("quote")
    ]
    assert unquoted == []
    too_long = [r["id"] for r in pack_rules(pack) if len(collapse(str(r.get("quote", "")))) > MAX_CHARS]
    assert too_long == []


@pytest.mark.skipif(not TEXTS.is_dir(), reason="the reference texts (../shared/reference/texts) are not here")
@pytest.mark.parametrize("pack", sorted(p for p, texts in PACK_TEXTS.items() if texts))
def test_quotes_are_verbatim_in_the_reference_text(pack: str) -> None:
    texts = [reference(name) for name in PACK_TEXTS[pack] or ()]
    quoted = [r for r in pack_rules(pack) if r.get("quote")]
    assert quoted, f"{pack} has no quotes to check"
    missing = [r["id"] for r in quoted if not any(collapse(str(r["quote"])) in text for text in texts)]
    assert missing == []


def test_a_changed_word_is_not_verbatim() -> None:
    """The check can fail: a quote with one word changed is not found."""
    if not TEXTS.is_dir():
        pytest.skip("the reference texts (../shared/reference/texts) are not here")
    text = reference("tongyi-qianwen.txt")
    exact = "You can not use the Materials or any output therefrom to improve any other large language model"
    assert collapse(exact) in text
    assert collapse(exact.replace("any other", "another")) not in text
