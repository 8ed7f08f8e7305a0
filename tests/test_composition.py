"""Compositions as a typed graph (issue 16, Part C): licences by how they reach the model, and by role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, bundled_context

from licensecheck.composition import Edge, composition
from licensecheck.errors import InputError
from licensecheck.facts import ROLE_FACTS
from licensecheck.model import LicenseIndex, ModelFacts

RAIL = LicenseIndex(
    {"bigscience-bloom-rail-1.0": "bigscience-bloom-rail-1.0"}, {}, ["bigscience-bloom-rail-1.0"]
)


def compose(
    modification: str | None, edges: list[tuple[str, str, str | None, bool | None]], **lic: str
) -> ModelFacts:
    model = ModelFacts(id="root", name="root", license="proprietary", modification=modification)
    facts, _ = composition(model, RAIL, "root", tuple(Edge(*e) for e in edges), lic)
    return facts


def test_a_frozen_part_of_a_merge_is_unmodified_and_a_trained_part_adapted() -> None:
    facts = compose(
        "merge",
        [("root", "expert", "merge", False), ("root", "gate", "merge", None)],
        expert="cc-by-nc-nd-4.0",
        gate="cc-by-nc-4.0",
    )
    assert facts.licenses_unmodified == ("cc-by-nc-nd-4.0",)
    assert facts.licenses_adapted == ("cc-by-nc-4.0", "proprietary")
    assert set(facts.licenses_in_weights) == {"cc-by-nc-nd-4.0", "cc-by-nc-4.0", "proprietary"}


def test_a_change_on_the_way_reaches_every_ancestor_and_the_strongest_path_wins() -> None:
    edges = [
        ("root", "frozen", "merge", False),
        ("frozen", "base", "fine-tune", None),  # the frozen part is itself a fine-tune of `base`
        ("root", "quant", "quantization", None),
        ("root", "adapted-on", "adapter", None),
        ("quant", "shared", "merge", False),
        ("frozen", "shared", "merge", False),
    ]
    facts = compose(
        "merge",
        edges,
        frozen="mit",
        base="cc-by-nd-4.0",
        quant="llama3.1",
        shared="gemma",
        **{"adapted-on": "gpl-3.0"},
    )
    assert "cc-by-nd-4.0" in facts.licenses_adapted  # sharing the frozen fine-tune shares adapted ND material
    assert facts.licenses_quantized == ("gemma", "llama3.1")  # reached frozen and quantized: the stronger
    assert facts.licenses_via_adapter == ("gpl-3.0",)
    assert "gpl-3.0" not in facts.licenses_in_weights


def test_teachers_are_roles_not_weights_and_govern_only_when_their_licence_says_so() -> None:
    edges = [
        ("root", "student", "merge", None),
        ("student", "bloom", "distillation-teacher", None),
        ("root", "llama", "synthetic-data", None),
        ("llama", "llama-base", "fine-tune", None),
    ]
    facts = compose(
        "merge",
        edges,
        student="apache-2.0",
        bloom="bigscience-bloom-rail-1.0",
        llama="llama3.1",
        **{"llama-base": "llama3"},
    )
    assert facts.teacher_licenses == ("llama3.1",)
    assert facts.ancestor_teacher_licenses == ("bigscience-bloom-rail-1.0",)
    assert "llama3" not in facts.licenses_in_weights + facts.teacher_licenses  # a teacher's base is outside
    assert "bigscience-bloom-rail-1.0" in facts.governing_licenses  # Derivatives include distilled models
    assert "llama3.1" not in facts.governing_licenses


def test_the_models_own_licence_reaches_by_its_modification() -> None:
    for modification, field in (
        ("none", "licenses_unmodified"),
        ("fine-tune", "licenses_adapted"),
        ("quantization", "licenses_quantized"),
        ("adapter", "licenses_via_adapter"),
    ):
        assert getattr(compose(modification, []), field) == ("proprietary",)
        assert compose(modification, []).governing_licenses == ("proprietary",)


# ------------------------------------------------------------------------------ through the use case


def evaluate(tmp_path: Path, model: dict[str, Any], use: dict[str, Any]) -> Any:
    import licensecheck

    path = tmp_path / "usecase.yaml"
    path.write_text(yaml.safe_dump({"name": "composition", "model": model, "use": use}), "utf-8")
    (report,) = licensecheck.evaluate(bundled_context(), path, as_of="2026-01-01").reports
    return report


def rules(report: Any) -> dict[str, str]:
    return {f.rule: f.outcome.value for f in report.findings}


def test_a_catalog_base_named_with_its_edge_resolves_and_keeps_the_relation(tmp_path: Path) -> None:
    model = {
        "id": "acme/student",
        "name": "Student",
        "license": "apache-2.0",
        "modification": "fine-tune",
        "published_name": "Student",
        "base_models": [
            {"id": "acme/base", "license": "apache-2.0"},
            {"id": "llama-3.1-8b-instruct", "relation": "distillation-teacher"},
        ],
    }
    report = evaluate(tmp_path, model, {"commercial": True, "distribution": "weights"})
    link = next(link for link in report.lineage if link.model == "llama-3.1-8b-instruct")
    assert link.relation == "distillation-teacher"
    assert rules(report)["LLAMA31-OUTPUTS-TRAINED-MODEL-NAME"] == "violation"
    assert "LLAMA31-AGREEMENT-COPY" not in rules(report)  # the generator's distribution duties stay with it


def test_an_unknown_edge_kind_is_a_located_input_error(tmp_path: Path) -> None:
    model = {
        "id": "acme/m",
        "name": "M",
        "license": "apache-2.0",
        "base_models": [{"id": "bloom", "relation": "graft"}],
    }
    with pytest.raises(InputError) as caught:
        evaluate(tmp_path, model, {"commercial": True})
    assert caught.value.line is not None and "graft" in caught.value.message


def test_a_bundled_gpl_component_is_conveyed_with_the_product_but_is_no_further_restriction(
    tmp_path: Path,
) -> None:
    """GPL-3.0 §5: a separate work in an aggregate does not make the rest GPL, so a RAIL model shipped with a
    GPL script raises the script's conveying duties, not the §10 conflict."""
    model = {
        "id": "bloom",
        "training_data": [{"name": "tokenizer-scripts", "license": "gpl-3.0", "role": "bundled"}],
    }
    found = rules(evaluate(tmp_path, model, {"commercial": True, "distribution": "weights"}))
    assert found["GPL3-CONVEY-SOURCE-COMPONENT"] == "obligation"
    assert "GPL3-FURTHER-RESTRICTIONS" not in found
    assert "GPL3-CONVEY-SOURCE" not in found  # the model itself is not GPL material


def test_an_unencoded_licence_named_as_other_or_by_a_catalog_is_a_review_not_an_input_error(
    tmp_path: Path,
) -> None:
    model = {"id": "acme/m", "name": "M", "license": "other", "license_name": "MG-BY-NC-2.0"}
    found = rules(evaluate(tmp_path, model, {"commercial": True, "distribution": "hosted-service"}))
    assert found == {"LINEAGE-LICENSE-UNRECOGNISED": "review"}
    with pytest.raises(InputError, match="unknown licence 'mg-by-nc-2'"):
        evaluate(tmp_path, {"id": "acme/m", "name": "M", "license": "mg-by-nc-2"}, {"commercial": True})


def test_a_rule_that_reads_a_role_fact_names_its_own_licence() -> None:
    """Such a rule is evaluated wherever its pack's licence takes part (engine.applies), so it must test
    its own licence's role itself: otherwise a licence in one role would fire rules meant for another."""
    missing: list[str] = []
    for path in sorted((ROOT / "rules" / "licenses").glob("*.yaml")):
        if path.name.endswith(".tests.yaml"):
            continue
        document = yaml.safe_load(path.read_text("utf-8"))
        licence = document["pack"].get("license")
        for rule in document["rules"]:
            text = yaml.safe_dump(rule["when"])
            if licence and any(fact.split(".", 1)[1] in text for fact in ROLE_FACTS) and licence not in text:
                missing.append(rule["id"])
    assert missing == []


def test_a_catalog_model_under_a_licence_no_pack_encodes_is_a_review(tmp_path: Path) -> None:
    import licensecheck

    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "catalog.yaml").write_text(
        "licensecheck: 1\ncatalog: {name: extra}\nmodels:\n"
        "  - {id: acme-lr-model, name: Acme LR model, weights: open, license: lgpl-lr, modalities: [text],\n"
        "     sources: {license: ['https://example.com']}, as_of: '2026-01-01'}\n",
        "utf-8",
    )
    path = tmp_path / "usecase.yaml"
    path.write_text("name: t\nmodel: {id: acme-lr-model}\nuse: {commercial: true, distribution: internal}\n")
    context = licensecheck.load_context([rules_dir])
    (report,) = licensecheck.evaluate(context, path, as_of="2026-01-01").reports
    finding = next(f for f in report.findings if f.rule == "LINEAGE-LICENSE-UNRECOGNISED")
    assert "lgpl-lr" in finding.message and report.verdict.value == "needs-review"


@pytest.mark.parametrize(
    "front_matter",
    ["license: lgpl-lr\n", "license: other\nlicense_name: lgpl-lr\n"],
    ids=["license", "license_name"],
)
def test_a_card_under_a_licence_no_pack_encodes_is_a_review_naming_it(
    tmp_path: Path, front_matter: str
) -> None:
    """A model card is third-party input: a licence no pack encodes is named in a review, never exit 2."""
    import licensecheck

    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "README.md").write_text(f"---\n{front_matter}---\n# A model\n", "utf-8")
    path = tmp_path / "usecase.yaml"
    path.write_text(
        "name: t\nmodel: {path: ./model}\nuse: {commercial: true, distribution: weights}\n", "utf-8"
    )
    (report,) = licensecheck.evaluate(bundled_context(), path, as_of="2026-01-01").reports
    finding = next(f for f in report.findings if f.rule == "LINEAGE-LICENSE-UNRECOGNISED")
    assert finding.outcome.value == "review" and "lgpl-lr" in finding.message
    assert report.verdict.value == "needs-review"
