"""Model names as code writes them -> catalog models: the naming rules of licensecheck/scan/names.yaml."""

from __future__ import annotations

import re
from typing import Any

import pytest

from licensecheck.api import load_context
from licensecheck.catalog import Catalog
from licensecheck.scan.model import Status
from licensecheck.scan.resolve import Resolver, generic_keeps, load_names, lookalike, name_key
from licensecheck.yamlsource import Document


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(load_context().catalog)


@pytest.mark.parametrize(
    ("written", "provider", "status", "model"),
    [
        # catalog ids and Hugging Face repo ids, any case
        ("gpt-4o", None, Status.CATALOG, "gpt-4o"),
        ("meta-llama/Llama-3.2-11B-Vision-Instruct", None, Status.CATALOG, "llama-3.2-11b-vision-instruct"),
        ("META-LLAMA/llama-3.1-8b-instruct", None, Status.CATALOG, "llama-3.1-8b-instruct"),
        # an older name of the same repository (same organisation)
        ("meta-llama/Meta-Llama-3.1-8B-Instruct", None, Status.CATALOG, "llama-3.1-8b-instruct"),
        # dated and versioned API snapshots, -latest aliases
        ("gpt-4o-2024-08-06", None, Status.CATALOG, "gpt-4o"),
        ("claude-3-5-sonnet-20241022", None, Status.CATALOG, "claude-3.5-sonnet"),
        ("claude-3-5-haiku-latest", None, Status.CATALOG, "claude-3.5-haiku"),
        ("claude-3-opus-20240229", None, Status.CATALOG, "claude-3-opus"),
        ("models/gemini-1.5-pro-002", None, Status.CATALOG, "gemini-1.5-pro"),
        ("gemini-2.0-flash-001", None, Status.CATALOG, "gemini-2.0-flash"),
        ("o3-mini-2025-01-31", None, Status.CATALOG, "o3-mini"),
        ("claude-3-5-sonnet@20240620", None, Status.CATALOG, "claude-3.5-sonnet"),
        # provider prefixes of routers and SDKs, Bedrock ids, Fireworks names
        ("openai:gpt-4o-mini", None, Status.CATALOG, "gpt-4o-mini"),
        ("anthropic/claude-3-5-sonnet-20241022", None, Status.CATALOG, "claude-3.5-sonnet"),
        ("us.anthropic.claude-3-5-sonnet-20241022-v2:0", None, Status.CATALOG, "claude-3.5-sonnet"),
        ("openrouter/meta-llama/llama-3.1-8b-instruct", None, Status.CATALOG, "llama-3.1-8b-instruct"),
        ("accounts/fireworks/models/llama-v3p1-70b-instruct", None, Status.CATALOG, "llama-3.1-70b-instruct"),
        (
            "https://huggingface.co/google/gemma-2-9b-it/resolve/main/config.json",
            None,
            Status.CATALOG,
            "gemma-2-9b-it",
        ),
        # Ollama tags, with and without a tag, quantization suffixes
        ("llama3.1:8b", None, Status.CATALOG, "llama-3.1-8b-instruct"),
        ("llama3.2", "ollama", Status.CATALOG, "llama-3.2-3b-instruct"),
        ("qwen2.5:7b", None, Status.CATALOG, "qwen2.5-7b-instruct"),
        ("gemma2:27b", None, Status.CATALOG, "gemma-2-27b-it"),
        ("mistral", "ollama", Status.CATALOG, "mistral-7b-instruct-v0.3"),
        ("ollama/llama3.1:70b", None, Status.CATALOG, "llama-3.1-70b-instruct"),
        ("llama3.1:8b-instruct-q4_K_M", None, Status.CATALOG, "llama-3.1-8b-instruct"),
        # copies: quantized re-uploads and other organisations are probable, never certain
        ("TheBloke/Llama-2-7B-Chat-GGUF", None, Status.PROBABLE, "llama-2-7b-chat"),
        ("unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit", None, Status.PROBABLE, "llama-3.1-8b-instruct"),
        ("acme/llama-3.1-8b-instruct", None, Status.PROBABLE, "llama-3.1-8b-instruct"),
        # not the catalog's model: a base model, a text variant, a distilled Ollama default
        ("meta-llama/Llama-3.1-8B", None, Status.UNKNOWN, None),
        ("llama3.1:8b-text", None, Status.UNKNOWN, None),
        ("deepseek-r1", "ollama", Status.UNKNOWN, None),
        ("o1-preview", None, Status.UNKNOWN, None),
        ("text-embedding-3-small", None, Status.UNKNOWN, None),
    ],
)
def test_naming_rules(
    resolver: Resolver, written: str, provider: str | None, status: Status, model: str | None
) -> None:
    resolution = resolver.resolve_name(written, provider)
    assert (resolution.status, resolution.model) == (status, model), resolution.rule
    if status is not Status.UNKNOWN:
        assert resolution.rule  # every resolution says which rule matched
        assert resolution.license


@pytest.mark.parametrize(
    ("written", "model", "rule"),
    [
        ("deepseek-chat", "deepseek-v3", "deepseek model id"),
        ("open-mistral-7b", "mistral-7b-instruct-v0.3", "mistral model id"),
        ("anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3.5-haiku", "aws-bedrock model id"),
        ("meta-llama/Meta-Llama-3.1-70B-Instruct", "llama-3.1-70b-instruct", "catalog alias"),
    ],
)
def test_the_catalogs_own_names_come_first(resolver: Resolver, written: str, model: str, rule: str) -> None:
    """Provider model ids of the catalog's routes and its aliases are names of the model, as data."""
    resolution = resolver.resolve_name(written)
    assert (resolution.status, resolution.model, resolution.rule) == (Status.CATALOG, model, rule)


def test_unknown_names_list_the_nearest_catalog_ids(resolver: Resolver) -> None:
    resolution = resolver.resolve_name("meta-llama/Llama-3.1-8B")
    assert resolution.status is Status.UNKNOWN
    assert "llama-3.1-8b-instruct" in resolution.nearest


def test_a_model_added_to_the_catalog_is_found_under_its_api_hub_and_ollama_names() -> None:
    """The resolver works from rules and the catalog's data, not a list of today's ids."""
    entries = [
        {"id": "claude-sonnet-4.5", "name": "Claude Sonnet 4.5", "license": "anthropic-terms"},
        {"id": "qwen3-8b", "name": "Qwen3 8B", "license": "apache-2.0", "hf_repo": "Qwen/Qwen3-8B"},
        {"id": "gemma-3-4b-it", "name": "Gemma 3 4B", "license": "gemma", "hf_repo": "google/gemma-3-4b-it"},
    ]
    catalog = _catalog(entries)
    resolver = Resolver(catalog)
    expectations = {
        ("claude-sonnet-4-5-20250929", None): "claude-sonnet-4.5",
        ("anthropic/claude-sonnet-4-5", None): "claude-sonnet-4.5",
        ("qwen3:8b", None): "qwen3-8b",
        ("qwen3", "ollama"): "qwen3-8b",
        ("Qwen/Qwen3-8B", None): "qwen3-8b",
        ("gemma3", "ollama"): "gemma-3-4b-it",
        ("google/gemma-3-4b-it", None): "gemma-3-4b-it",
    }
    for (written, provider), model in expectations.items():
        resolution = resolver.resolve_name(written, provider)
        assert (resolution.status, resolution.model) == (Status.CATALOG, model), written
    assert resolver.resolve_name("bartowski/Qwen3-8B-GGUF").status is Status.PROBABLE


def test_two_catalog_models_with_one_name_key_resolve_neither_by_that_key() -> None:
    catalog = _catalog(
        [
            {"id": "acme-7b-chat", "name": "A", "license": "mit"},
            {"id": "chat-acme-7b", "name": "B", "license": "mit"},
        ]
    )
    resolution = Resolver(catalog).resolve_name("Acme-7B-Chat-latest")
    assert resolution.status is Status.UNKNOWN  # ambiguous: no guess


def test_name_key_reads_versions_sizes_and_order_alike() -> None:
    assert name_key("claude-3-5-sonnet") == name_key("claude-3.5-sonnet")
    assert name_key("Meta-Llama-3.1-8B-Instruct") == name_key("llama3.1 8b instruct")
    assert name_key("gemma-2-9b-it") == name_key("gemma-2-9b-instruct")
    assert name_key("gpt-4o") != name_key("gpt-4o-mini")
    assert name_key("llama-3.1-8b") != name_key("llama-3.1-8b-instruct")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("hf-internal-testing/tiny-random-gpt2", "a test fixture repository"),
        ("acme/tiny-random-llama", "a test fixture name"),
        ("fake-model", "a test fixture name"),
        ("hf-internal-testing/llama-tokenizer", "a test fixture repository"),
        ("acme/llama-tokenizer", "a tokenizer-only repository"),
        ("meta-llama/Llama-3.1-8B-Instruct", None),
    ],
)
def test_lookalikes(value: str, reason: str | None) -> None:
    assert lookalike(value) == reason


def test_generic_places_keep_only_names_that_look_like_models(resolver: Resolver) -> None:
    def keeps(value: str) -> bool:
        return generic_keeps(value, resolver.resolve_name(value))

    assert keeps("gpt-4o") and keeps("acme/support-bert") and keeps("text-embedding-3-small")
    assert keeps("openai/some-future-model")
    assert not keeps("linear") and not keeps("random_forest") and not keeps("xgboost")
    assert not keeps("checkpoints/best") and not keeps("acme/weights.bin")


def test_names_yaml_is_complete_and_its_patterns_compile() -> None:
    names = load_names()
    assert names.provider_prefixes and names.snapshot_suffixes and names.ollama_default_tags
    assert all(p == p.casefold() for p in names.provider_prefixes)
    # longest first, so that 'ollama_chat/' is stripped before 'ollama/' could be
    assert list(names.provider_prefixes) == sorted(names.provider_prefixes, key=len, reverse=True)
    for pattern in names.snapshot_suffixes:
        assert pattern.pattern.endswith("$")
    assert isinstance(names.bedrock_id, re.Pattern)


def _catalog(entries: list[dict[str, Any]]) -> Catalog:
    facts = {
        "weights": "closed",
        "release_date": None,
        "knowledge_cutoff": None,
        "parameters_b": None,
        "context_window": None,
        "modalities": ["text"],
        "sources": {"basics": ["https://example.com"]},
        "as_of": "2026-01-01",
    }
    doc = Document(
        "test-catalog.yaml", {"catalog": {"name": "t"}, "models": [{**facts, **e} for e in entries]}
    )
    catalog = Catalog()
    catalog.add(doc, validated=True)
    return catalog
