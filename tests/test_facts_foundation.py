"""The facts that decide licences (SPEC 2a, 2c): schema, derived facts, region lists, data licences, quotes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import ROOT

from licensecheck.cli import cli
from licensecheck.datalicense import classify, normalise
from licensecheck.facts import DERIVED, provider_regions, vocabulary

BASE: dict[str, Any] = {
    "name": "foundation",
    "organization": {"type": "company", "country": "US"},
    "model": {"id": "phi-3-mini-4k-instruct"},
    "use": {"commercial": True, "distribution": "internal", "end_users": "internal"},
}


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = (
            _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
        )
    return out


def _run(tmp_path: Path, over: dict[str, Any], *more: str) -> Result:
    path = tmp_path / "uc.yaml"
    path.write_text(yaml.safe_dump(_merge(BASE, over), sort_keys=False))
    return CliRunner().invoke(cli, ["evaluate", str(path), "--format", "json", "--fail-on", "never", *more])


def _report(tmp_path: Path, over: dict[str, Any], *more: str) -> dict[str, Any]:
    result = _run(tmp_path, over, *more)
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.output)["reports"][0]
    return report


def _rules(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["rule"]: f for f in report["findings"]}


NEW_FACTS = {
    "use": {
        "stage": "production",
        "monthly_active_users": 900000,
        "audience_min_age": 18,
        "human_review": True,
        "ai_disclosure": True,
        "outputs_distribution": "published",
        "outputs_train_models": True,
        "trained_model": {"kind": "classifier", "distribution": "internal", "published_name": "Acme-Clf"},
    },
    "deployment": {"hosting": "provider-api", "provider": "aws-bedrock"},
    "organization": {"registrations": [{"license": "stabilityai-community", "registered_on": "2025-01-10"}]},
    "model": {"training_data": [{"name": "synth", "license": "openai-terms", "source_model": "gpt-4o"}]},
}


def test_every_new_fact_is_accepted_and_known_to_rules(tmp_path: Path) -> None:
    assert _run(tmp_path, NEW_FACTS).exit_code == 0
    for path in (
        "use.stage",
        "use.monthly_active_users",
        "use.audience_min_age",
        "use.human_review",
        "use.ai_disclosure",
        "use.outputs_distribution",
        "use.trained_model.kind",
        "use.trained_model.distribution",
        "use.trained_model.published_name",
        "deployment.provider",
        "organization.registrations",
        "organization.registrations[].license",
        "model.training_data[].source_model",
        "model.training_data_licenses",
        "model.training_data_license_families",
        "model.training_data_unrecognised_licenses",
        "model.trained_on_outputs_of",
        *(name for name in DERIVED if "region" in name or "country" in name or "trained_model" in name),
    ):
        assert path in vocabulary(), path


@pytest.mark.parametrize(
    ("over", "where", "words"),
    [
        ({"use": {"stage": "live"}}, "use.stage", "evaluation"),
        ({"use": {"trained_model": {"kind": "llm", "size": 7}}}, "use.trained_model", "size"),
        ({"use": {"trained_model": {"distribution": "public"}}}, "use.trained_model.distribution", "none"),
        ({"use": {"audience_min_age": -1}}, "use.audience_min_age", ""),
        ({"use": {"human_review": "yes please"}}, "use.human_review", ""),
        ({"deployment": {"provider": "AWS"}}, "deployment.provider", "aws-bedrock"),
        (
            {
                "organization": {
                    "registrations": [{"license": "stabilityai-community", "registered_on": "2025-02-30"}]
                }
            },
            "registered_on",
            "calendar",
        ),
        ({"organization": {"registrations": [{"registered_on": "2025-01-10"}]}}, "registrations", "license"),
        ({"model": {"training_data": [{"license": "mit", "source_model": "gpt-4o\n"}]}}, "source_model", ""),
    ],
)
def test_bad_new_facts_are_located_errors(
    tmp_path: Path, over: dict[str, Any], where: str, words: str
) -> None:
    result = _run(tmp_path, over)
    assert result.exit_code == 2
    assert re.search(r"uc\.yaml:\d+:\d+: error: ", result.output), result.output
    assert "Traceback" not in result.output
    assert words in result.output


def test_region_lists_are_dated_sourced_and_consistent() -> None:
    lists = provider_regions()
    assert set(lists) == {"gemini", "openai", "anthropic"}
    assert lists["gemini"].as_of == "2025-11-19" and len(lists["gemini"].available) == 222
    for name, item in lists.items():
        assert item.source.startswith("https://"), name
        assert item.confidence in ("P", "C", "S", "U")
        assert not item.available & item.never, name
        assert all(re.fullmatch(r"[A-Z]{2}", code) for code in item.available | item.never), name
    assert {"CN", "RU", "IR", "KP"} <= lists["gemini"].never


def test_region_lists_from_the_cache_are_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first read stores the lists; a later one reads them back without the file, the same."""
    from licensecheck import facts

    monkeypatch.delenv("LICENSECHECK_NO_CACHE", raising=False)
    monkeypatch.setenv("LICENSECHECK_CACHE_DIR", str(tmp_path))
    read = provider_regions.__wrapped__()
    assert read == provider_regions() and len(list(tmp_path.glob("regions-*.marshal"))) == 1

    def unread() -> None:
        raise AssertionError("read the file again")

    monkeypatch.setattr(facts, "_region_lists", unread)
    assert provider_regions.__wrapped__() == read
    monkeypatch.undo()
    monkeypatch.setenv("LICENSECHECK_NO_CACHE", "1")  # no cache: the file itself
    assert provider_regions.__wrapped__() == read


@pytest.mark.parametrize(
    ("fact", "value", "expected"),
    [
        ("derived.gemini_region_unavailable", ["US", "CN"], True),
        ("derived.gemini_region_unavailable", ["EU", "US"], False),
        ("derived.gemini_region_unlisted", ["AD"], True),  # absent on 2025-11-19, added later
        ("derived.gemini_region_unlisted", ["CN"], False),  # never available: the other fact
        ("derived.gemini_region_unlisted", ["EEA", "CH", "UK"], False),  # groups expand; UK is GB
        ("derived.gemini_region_unlisted", ["RE"], True),  # Reunion: an EU region missing from the list
        ("derived.gemini_org_country_unavailable", "RU", True),
        ("derived.gemini_org_country_unavailable", "DE", False),
        ("derived.openai_region_unsupported", ["VE"], True),
        ("derived.openai_region_unsupported", ["AW"], False),  # missing from the transcription only
        ("derived.openai_region_unlisted", ["AW"], True),
        ("derived.openai_org_country_unsupported", "CN", True),
        ("derived.anthropic_region_unsupported", ["EU", "US", "JP"], False),
        ("derived.anthropic_region_unsupported", ["US", "RU"], True),
        ("derived.anthropic_org_country_unsupported", "ET", True),
        ("derived.trained_model_made_available", "weights", True),
        ("derived.trained_model_made_available", "none", False),
        ("derived.trained_model_made_available", "internal", False),
    ],
)
def test_derived_facts(fact: str, value: Any, expected: bool) -> None:
    assert DERIVED[fact].compute(value) is expected


@pytest.mark.parametrize(
    ("declared", "canonical", "families"),
    [
        ("CC BY-NC 4.0", "cc-by-nc-4.0", ("attribution", "noncommercial")),
        ("cc-by-nc-2.5", "cc-by-nc-2.5", ("attribution", "noncommercial")),
        ("cc_by_nc_sa_3.0", "cc-by-nc-sa-3.0", ("attribution", "noncommercial", "share-alike")),
        (
            "Attribution-NonCommercial-NoDerivatives 4.0 International",
            "cc-by-nc-nd-4.0",
            ("attribution", "no-derivatives", "noncommercial"),
        ),
        (
            "Creative Commons Attribution-ShareAlike 3.0 Unported License",
            "cc-by-sa-3.0",
            ("attribution", "share-alike"),
        ),
        ("cc-by-nd-3.0", "cc-by-nd-3.0", ("attribution", "no-derivatives")),
        ("CC-BY 4", "cc-by-4.0", ("attribution",)),
        ("CC-BY-NC", "cc-by-nc", ("attribution", "noncommercial")),
        ("CC0", "cc0-1.0", ("public-domain",)),
        ("research-only", "research-only", ("noncommercial", "research-only")),
        ("Research use only", "research-only", ("noncommercial", "research-only")),
        ("non-commercial research", "research-only", ("noncommercial", "research-only")),
        ("Apache License 2.0", "apache-2.0", ("permissive",)),
        ("MIT", "mit", ("permissive",)),
        ("ODbL", "odbl-1.0", ("share-alike",)),
        ("proprietary", "proprietary", ("proprietary",)),
        ("unknown", "unknown", ("unknown",)),
    ],
)
def test_data_licence_names_are_normalised(declared: str, canonical: str, families: tuple[str, ...]) -> None:
    assert classify(declared, lambda _: None, lambda _: None) == (canonical, families, True)


def test_pack_ids_resolve_and_the_rest_is_unrecognised() -> None:
    packs = {"openai-terms": "openai-terms", "llama3.1": "llama3.1"}
    kinds = {"openai-terms": "terms-of-service", "llama3.1": "license"}
    assert classify("openai-terms", packs.get, kinds.get) == ("openai-terms", ("api-terms",), True)
    assert classify("llama3.1", packs.get, kinds.get) == ("llama3.1", ("model-license",), True)
    assert classify("Acme Data EULA v3", packs.get, kinds.get) == ("Acme Data EULA v3", (), False)
    assert normalise("cc by-nc  4.0 " * 1) == "cc-by-nc-4.0"


def _model_facts(tmp_path: Path, training_data: list[dict[str, Any]], **model: Any) -> dict[str, Any]:
    from licensecheck.api import load_context
    from licensecheck.resolve import resolve_model
    from licensecheck.usecase import read_usecase

    path = tmp_path / "m.yaml"
    data = _merge(BASE, {"model": {**model, "training_data": training_data}})
    path.write_text(yaml.safe_dump(data))
    ctx = load_context()
    facts = resolve_model(read_usecase(str(path)), ctx.catalog, ctx.ruleset.licenses)._asdict()
    return {k: list(v) if isinstance(v, tuple) else v for k, v in facts.items()}


def test_training_data_model_facts(tmp_path: Path) -> None:
    facts = _model_facts(
        tmp_path,
        [
            {"name": "reviews", "license": "CC BY-NC 4.0"},
            {"name": "vendor", "license": "Acme Data EULA v3"},
            {"name": "chats", "license": "openai-terms", "source_model": "gpt-4o"},
            {"name": "qa", "license": "llama3.1", "source_model": "llama-3.1-70b-instruct"},
        ],
        modification="fine-tune",
    )
    assert facts["training_data_licenses"] == [
        "cc-by-nc-4.0",
        "Acme Data EULA v3",
        "openai-terms",
        "llama3.1",
    ]
    assert facts["training_data_license_families"] == [
        "api-terms",
        "attribution",
        "model-license",
        "noncommercial",
    ]
    assert facts["training_data_unrecognised_licenses"] == ["Acme Data EULA v3"]
    assert facts["trained_on_outputs_of"] == ["llama3.1", "openai-terms"]
    # The open-weight teacher is a lineage edge (its pack applies); the API teacher is not.
    assert facts["lineage_licenses"] == ["llama3.1"]
    assert [(link.model, link.relation) for link in facts["lineage"][1:]] == [
        ("llama-3.1-70b-instruct", "synthetic-data")
    ]
    assert facts["lineage_other_licenses"] is None  # a teacher does not make its licence the label


def test_no_training_data_gives_missing_facts(tmp_path: Path) -> None:
    facts = _model_facts(tmp_path, [])
    assert facts["training_data_licenses"] is None
    assert facts["trained_on_outputs_of"] is None


def test_a_model_that_is_its_own_teacher_is_no_cycle(tmp_path: Path) -> None:
    facts = _model_facts(tmp_path, [{"license": "mit", "source_model": "microsoft/Phi-3-mini-4k-instruct"}])
    assert facts["lineage"] == []
    assert facts["trained_on_outputs_of"] == ["mit"]


def test_an_unknown_teacher_is_an_unresolved_link_not_an_error(tmp_path: Path) -> None:
    report = _report(
        tmp_path, {"model": {"training_data": [{"license": "mit", "source_model": "acme/private-teacher"}]}}
    )
    found = _rules(report)
    assert "LINEAGE-BASE-UNRESOLVED" in found
    assert found["LINEAGE-BASE-UNRESOLVED"]["evidence"]["model.lineage_unresolved"] == [
        "acme/private-teacher"
    ]


QUOTE_PACK = """licensecheck: 1
pack: {id: quoted, name: Quoted, kind: policy, scope: every-model, version: "1", source: https://example.org/q}
rules:
  - id: QUOTED-ALWAYS
    title: Always
    category: license
    outcome: obligation
    severity: info
    confidence: P
    clause: "§1"
    quote: "You shall keep this sentence."
    when: {fact: use.commercial, eq: true}
    message: m
  - id: QUOTED-NEVER-QUOTED
    title: No quote
    category: license
    outcome: info
    severity: info
    confidence: P
    clause: "§2"
    when: {fact: use.commercial, eq: true}
    message: m
"""


def test_a_rule_quote_reaches_the_json_finding(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "quoted.yaml").write_text(QUOTE_PACK)
    found = _rules(_report(tmp_path, {}, "--rules", str(rules)))
    assert found["QUOTED-ALWAYS"]["quote"] == "You shall keep this sentence."
    assert "quote" not in found["QUOTED-NEVER-QUOTED"]
    assert list(found["QUOTED-ALWAYS"])[-3:] == ["quote", "waived", "waiver"]


def test_a_quote_over_400_characters_is_refused(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "quoted.yaml").write_text(QUOTE_PACK.replace("You shall keep this sentence.", "x" * 401))
    result = CliRunner().invoke(cli, ["rules", "lint", "--", str(rules)])
    assert result.exit_code == 2
    assert "quoted.yaml:" in result.output and "quote" in result.output


def test_the_readme_use_case_example_is_valid(tmp_path: Path) -> None:
    text = (ROOT / "README.md").read_text()
    example = text.split("## The use-case format", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "readme.yaml"
    path.write_text(example)
    result = CliRunner().invoke(cli, ["evaluate", str(path), "--format", "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
