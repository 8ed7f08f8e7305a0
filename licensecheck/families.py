"""Model families a folder signals without naming its base: undeclared lineage (a review).

A card that names no base model may still carry the marks of a family whose licence travels with
derived models: a `llama-3` tag, a name like `Llama-3-Instruct-8B-SPPO`, a gate headed "Access
Llama 2", or a config.json with a Llama architecture and Llama 3's 128,256-token vocabulary.
Only families with a licence of their own are listed (Llama, Gemma); a Mistral or Qwen mark says
nothing about the licence (their models come under several). The signals are evidence for a
reviewer, not a lineage: no family's rules are applied on them.
"""

from __future__ import annotations

import re

from licensecheck.records import NamedTuple


class Family(NamedTuple):
    """A model family whose licence travels with derived models, and how a folder shows it."""

    name: str
    licenses: tuple[str, ...]  # the family's licence ids (any edition)
    tags: frozenset[str]  # card tags, lower case
    name_pattern: re.Pattern[str]  # in the model's name or the gate's heading
    architectures: frozenset[str] = frozenset()  # config.json architectures (with the vocabulary)
    vocab_size: int | None = None  # None: the architecture alone is the family's


FAMILIES = (
    Family(
        "Llama 2",
        ("llama2",),
        frozenset({"llama-2", "llama2"}),
        re.compile(r"(?<![a-z])llama[-_ ]?2(?![0-9])", re.IGNORECASE),
    ),
    Family(
        "Llama 3",
        ("llama3", "llama3.1", "llama3.2", "llama3.3"),
        frozenset(
            {"llama-3", "llama3", "llama-3.1", "llama3.1", "llama-3.2", "llama3.2", "llama-3.3", "llama3.3"}
        ),
        re.compile(r"(?<![a-z])llama[-_ ]?3(?![0-9])", re.IGNORECASE),
        frozenset({"LlamaForCausalLM", "MllamaForConditionalGeneration"}),
        128_256,
    ),
    Family(
        "Llama 4",
        ("llama4",),
        frozenset({"llama-4", "llama4"}),
        re.compile(r"(?<![a-z])llama[-_ ]?4(?![0-9])", re.IGNORECASE),
        frozenset({"Llama4ForConditionalGeneration", "Llama4ForCausalLM"}),
    ),
    Family(
        "Gemma",
        ("gemma",),
        frozenset({"gemma", "gemma2", "gemma-2", "gemma3", "gemma-3"}),
        re.compile(r"(?<![a-z])(?:code|pali|recurrent)?gemma(?:[-_ ]?[123])?(?![0-9a-z])", re.IGNORECASE),
        frozenset(
            {"GemmaForCausalLM", "Gemma2ForCausalLM", "Gemma3ForCausalLM", "Gemma3ForConditionalGeneration"}
        ),
    ),
)


def family_signals(
    name: str,
    tags: tuple[str, ...],
    gate_title: str | None,
    architecture: str | None,
    vocab_size: int | None,
) -> list[tuple[Family, list[str]]]:
    """The families a model's name, tags, gate heading and config point to, each with its signals."""
    found = []
    folded = {tag.casefold() for tag in tags}
    for family in FAMILIES:
        signals = [f"tag {tag}" for tag in sorted(family.tags & folded)]
        if family.name_pattern.search(name):
            signals.append(f"name '{name}'")
        if gate_title and family.name_pattern.search(gate_title):
            signals.append(f"gate '{gate_title}'")
        if architecture in family.architectures and family.vocab_size in (None, vocab_size):
            vocabulary = f" with a {vocab_size:,}-token vocabulary" if family.vocab_size else ""
            signals.append(f"config.json {architecture}{vocabulary}")
        if signals:
            found.append((family, signals))
    return found


def undeclared(signalled: list[tuple[Family, list[str]]], licences: set[str]) -> tuple[str, ...] | None:
    """The families signalled whose licence is none of the model's own (they may apply unseen)."""
    out = [
        f"{family.name} ({'; '.join(signals)}): {', '.join(family.licenses)}"
        for family, signals in signalled
        if not licences & set(family.licenses)
    ]
    return tuple(out) or None
