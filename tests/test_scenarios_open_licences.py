"""Realistic use cases for the open-weight licences of issue 13 (Qwen, Tongyi Qianwen, Mistral, Stability,
Falcon 180B, NVIDIA, the RAIL family, Cohere, DeepSeek), run in-process through the CLI's `evaluate`.

Each test names the clause it relies on. Models are inline facts, so the scenarios test the rule packs, not
the catalog. Some give only the facts of the first use-case format, as a team that has not adopted the
§2a facts would; those must keep the verdicts the old facts decide.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import evaluate_usecase, rules

COMPANY = {
    "name": "Acme Inc",
    "type": "company",
    "country": "US",
    "annual_revenue_usd": 5_000_000,
    "monthly_active_users": 20_000,
}
BIG_COMPANY = {**COMPANY, "annual_revenue_usd": 40_000_000}
STARTUP = {**COMPANY, "name": "Tiny Studio", "annual_revenue_usd": 600_000}
UNIVERSITY = {
    "name": "Uni",
    "type": "academic",
    "country": "US",
    "annual_revenue_usd": 900_000_000,
    "monthly_active_users": 30_000,
}
NONPROFIT = {
    "name": "Helpline",
    "type": "nonprofit",
    "country": "US",
    "annual_revenue_usd": 300_000,
    "monthly_active_users": 8_000,
}
PUBLIC_APP = {
    "commercial": True,
    "distribution": "hosted-service",
    "end_users": "public",
    "outputs_train_models": False,
    "domains": ["customer-support"],
    "purpose": "Answer customer questions about orders and returns.",
}
STAFF_TOOL = {
    **PUBLIC_APP,
    "distribution": "internal",
    "end_users": "internal",
    "purpose": "Help staff draft replies.",
}
BENCHMARK = {
    "commercial": False,
    "distribution": "internal",
    "end_users": "none",
    "outputs_train_models": False,
    "domains": ["research"],
    "purpose": "Benchmark the model against our test suite before deciding whether to use it.",
    "stage": "evaluation",
}
SELF_HOSTED = {"regions": ["US"], "hosting": "self-hosted"}


def model(name: str, license: str, *modalities: str, **more: Any) -> dict[str, Any]:
    return {
        "name": name,
        "license": license,
        "weights": "open",
        "modalities": list(modalities or ("text",)),
        "modification": "none",
        **more,
    }


def accepted(organization: dict[str, Any], license: str) -> dict[str, Any]:
    record = {"license": license, "accepted_on": "2025-06-02", "by": "legal@acme.example"}
    return {**organization, "accepted_terms": [record]}


def evaluate(
    tmp_path: Path, organization: dict[str, Any], model: dict[str, Any], use: dict[str, Any], **more: Any
) -> dict[str, Any]:
    usecase = {
        "name": "scenario",
        "organization": organization,
        "model": model,
        "use": use,
        "deployment": SELF_HOSTED,
        **more,
    }
    return evaluate_usecase(tmp_path, usecase)


def finding(report: dict[str, Any], rule: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in report["findings"] if f["rule"] == rule)
    return found


# ---------------------------------------------------------------- Qwen LICENSE AGREEMENT (2024), partial text [S]


def test_qwen_product_over_100_million_users_needs_review(tmp_path: Path) -> None:
    """Qwen §4: "your product or service has more than 100 million monthly active users"; qwen.txt is partial
    (quoted passages, S), so a review carrying the clause's words, not a block."""
    use = {**PUBLIC_APP, "monthly_active_users": 150_000_000}
    report = evaluate(tmp_path, COMPANY, model("Qwen2.5 72B Instruct", "qwen"), use)
    assert report["verdict"] == "needs-review"
    assert rules(report, "review") == {"QWEN-MAU-100M"}
    assert "100 million monthly active users" in finding(report, "QWEN-MAU-100M")["quote"]


def test_small_qwen_product_of_a_huge_company_is_a_warning_review(tmp_path: Path) -> None:
    """Qwen §4 counts the product's users; only the organisation-wide figure above 100M is a review at warning."""
    org = {**COMPANY, "monthly_active_users": 900_000_000}
    report = evaluate(
        tmp_path,
        org,
        model("Qwen2.5 72B Instruct", "qwen"),
        {**PUBLIC_APP, "monthly_active_users": 3_000_000},
    )
    assert rules(report, "review") == {"QWEN-MAU-100M-ORG-WIDE"}
    assert finding(report, "QWEN-MAU-100M-ORG-WIDE")["severity"] == "warning"


def test_qwen_old_use_case_with_only_the_organisation_figure_still_needs_review(tmp_path: Path) -> None:
    """Qwen §4, a use case without use.monthly_active_users: the organisation's 150M decides as before (review)."""
    org = {**COMPANY, "monthly_active_users": 150_000_000}
    report = evaluate(tmp_path, org, model("Qwen2.5 72B Instruct", "qwen"), PUBLIC_APP)
    assert report["verdict"] == "needs-review"
    assert rules(report, "review") == {"QWEN-MAU-100M-UNCOUNTED"}


def test_qwen_outputs_training_a_published_model_must_say_built_with_qwen(tmp_path: Path) -> None:
    """Qwen §5(b): a model trained on Qwen outputs and "distributed or made available" displays "Built with Qwen",
    although Qwen itself only runs internally."""
    use = {
        **STAFF_TOOL,
        "outputs_train_models": True,
        "trained_model": {"kind": "llm", "distribution": "weights", "published_name": "Acme-Coder-7B"},
    }
    report = evaluate(tmp_path, COMPANY, model("Qwen2.5 72B Instruct", "qwen"), use)
    assert report["verdict"] == "allowed-with-obligations"
    assert rules(report, "obligation") == {"QWEN-BUILT-WITH-QWEN-OUTPUTS"}
    assert "Built with Qwen" in finding(report, "QWEN-BUILT-WITH-QWEN-OUTPUTS")["message"]


# ---------------------------------------------------------------- Tongyi Qianwen LICENSE AGREEMENT (2023) [P]


def test_qwen2_card_license_name_tongyi_qianwen_over_100_million_is_blocked(tmp_path: Path) -> None:
    """Tongyi Qianwen §4 (read in Alibaba's own file): over 100M product users "You cannot exercise your rights"."""
    qwen2 = model("Qwen2 72B Instruct", "other", license_name="tongyi-qianwen")
    report = evaluate(tmp_path, COMPANY, qwen2, {**PUBLIC_APP, "monthly_active_users": 120_000_000})
    assert report["model"]["license"] == "tongyi-qianwen"
    assert report["verdict"] == "blocked"
    assert rules(report, "violation") == {"TONGYI-MAU-100M"}


def test_distilling_qwen2_outputs_into_another_llm_needs_review(tmp_path: Path) -> None:
    """Tongyi Qianwen §5(b): no using the output "to improve any other large language model" (Qwen derivatives
    excepted, which the facts cannot tell), so a review."""
    use = {
        **STAFF_TOOL,
        "outputs_train_models": True,
        "trained_model": {"kind": "llm", "distribution": "internal"},
    }
    report = evaluate(tmp_path, COMPANY, model("Qwen2 72B Instruct", "tongyi-qianwen"), use)
    assert report["verdict"] == "needs-review"
    assert rules(report, "review") == {"TONGYI-OUTPUTS-IMPROVE-OTHER-LLM"}


def test_qwen2_vl_support_bot_for_a_small_company_is_allowed(tmp_path: Path) -> None:
    """Tongyi Qianwen: commercial use below 100M users and no copies handed over carries no duty."""
    vl = model("Qwen2 VL 72B Instruct", "tongyi-qianwen", "text", "vision")
    report = evaluate(tmp_path, COMPANY, vl, {**PUBLIC_APP, "monthly_active_users": 40_000})
    assert report["verdict"] == "allowed"


# ---------------------------------------------------------------- Qwen RESEARCH LICENSE AGREEMENT [C]


def test_nonprofit_free_public_chatbot_on_qwen_research_is_blocked(tmp_path: Path) -> None:
    """Qwen Research §1(i): Non-Commercial "shall mean for research or evaluation purposes only"; a free public
    service is neither."""
    use = {**PUBLIC_APP, "commercial": False, "purpose": "Free benefits-advice chatbot for the public."}
    report = evaluate(tmp_path, NONPROFIT, model("Qwen2.5 3B Instruct", "qwen-research"), use)
    assert report["verdict"] == "blocked"
    assert rules(report, "violation") == {"QWENR-NOT-RESEARCH-OR-EVALUATION"}


def test_company_benchmark_of_qwen_research_needs_review(tmp_path: Path) -> None:
    """Qwen Research §1(i), §2(b): evaluation is within the grant, but a company's evaluation may be commercial use."""
    report = evaluate(tmp_path, COMPANY, model("Qwen2.5 3B Instruct", "qwen-research"), BENCHMARK)
    assert report["verdict"] == "needs-review"
    assert rules(report, "review") == {"QWENR-COMPANY-EVALUATION"}


def test_university_research_on_qwen_research_is_allowed(tmp_path: Path) -> None:
    """Qwen Research §2(a): non-commercial research by a university."""
    report = evaluate(
        tmp_path,
        UNIVERSITY,
        model("Qwen2.5 3B Instruct", "qwen-research"),
        {**BENCHMARK, "distribution": "research"},
    )
    assert report["verdict"] == "allowed"


# ---------------------------------------------------------------- Mistral MNPL and MRL [C]


def test_mnpl_staff_evaluation_is_non_production(tmp_path: Path) -> None:
    """MNPL §9: a Non-Production Environment includes "internal evaluation"; staff testing a build is allowed,
    even when the company marks the use commercial."""
    use = {**BENCHMARK, "commercial": True, "end_users": "internal", "domains": ["code-generation"]}
    report = evaluate(tmp_path, accepted(COMPANY, "mnpl"), model("Codestral 22B v0.1", "mnpl"), use)
    assert report["verdict"] == "allowed"
    assert not rules(report, "violation")


def test_mnpl_developers_daily_use_is_production(tmp_path: Path) -> None:
    """MNPL §9: excluded is "internal usage by employees in the context of the company's business activities"."""
    use = {
        **STAFF_TOOL,
        "stage": "production",
        "domains": ["code-generation"],
        "purpose": "Code completion for our developers.",
    }
    report = evaluate(tmp_path, accepted(COMPANY, "mnpl"), model("Codestral 22B v0.1", "mnpl"), use)
    assert report["verdict"] == "blocked"
    assert rules(report, "violation") == {"MNPL-PRODUCTION-USE"}


def test_mnpl_company_free_fine_tune_release_needs_review(tmp_path: Path) -> None:
    """MNPL §3.2 ("whether in return for payment or free of charge") and §2.3 (notice that you modified it)."""
    ft = model("Codestral 22B v0.1", "mnpl", modification="fine-tune", published_name="acme-codestral-sql")
    use = {**BENCHMARK, "stage": "development", "distribution": "weights"}
    report = evaluate(tmp_path, accepted(COMPANY, "mnpl"), ft, use)
    assert report["verdict"] == "needs-review"
    assert rules(report, "review") == {"MNPL-COMPANY-FREE-RELEASE"}
    assert {"MNPL-MODIFICATION-NOTICE", "MNPL-NOTICE-FILE"} <= rules(report, "obligation")


def test_mrl_company_benchmark_needs_review_and_staff_use_is_blocked(tmp_path: Path) -> None:
    """MRL §9 Research Purposes: "not directly or indirectly connected to any commercial activities or business
    operations" (a company benchmark: review); not "their daily tasks" (staff use: violation)."""
    large = model("Mistral Large Instruct 2407", "mrl")
    bench = evaluate(tmp_path, accepted(COMPANY, "mrl"), large, BENCHMARK)
    assert bench["verdict"] == "needs-review"
    assert rules(bench, "review") == {"MRL-COMPANY-RESEARCH"}
    daily = evaluate(
        tmp_path, accepted(COMPANY, "mrl"), large, {**STAFF_TOOL, "commercial": False, "stage": "production"}
    )
    assert daily["verdict"] == "blocked"
    assert rules(daily, "violation") == {"MRL-COMPANY-STAFF-USE"}


def test_mrl_company_publishing_generated_data_is_blocked(tmp_path: Path) -> None:
    """MRL §4.2 and §9: Research Purposes exclude "any Distribution by a commercial entity of the ... Output"."""
    use = {**BENCHMARK, "outputs_distribution": "published"}
    report = evaluate(tmp_path, accepted(COMPANY, "mrl"), model("Mistral Large Instruct 2407", "mrl"), use)
    assert report["verdict"] == "blocked"
    assert "MRL-OUTPUTS-DISTRIBUTED-BY-COMPANY" in rules(report, "violation")


# ---------------------------------------------------------------- Stability AI Community License [P]


def test_large_company_internal_image_generation_marked_non_commercial_is_blocked(tmp_path: Path) -> None:
    """Stability §III: a Commercial Purpose includes "Your business's or organization's internal operations";
    above US$1M revenue the licence terminates."""
    use = {
        **STAFF_TOOL,
        "commercial": False,
        "stage": "production",
        "domains": ["marketing"],
        "purpose": "Draft campaign images.",
    }
    sd = model("Stable Diffusion 3.5 Large", "stabilityai-community", "image-generation")
    report = evaluate(tmp_path, accepted(BIG_COMPANY, "stabilityai-community"), sd, use)
    assert report["verdict"] == "blocked"
    assert "STABILITY-REVENUE-1M" in rules(report, "violation")
    assert "STABILITY-REGISTRATION" in rules(report, "obligation")


def test_large_company_evaluating_stability_is_a_warning_review(tmp_path: Path) -> None:
    """Stability §II counts "evaluation and testing" as non-commercial; §III vs §I above US$1M is a review (warning)."""
    sd = model("Stable Diffusion 3.5 Large", "stabilityai-community", "image-generation")
    report = evaluate(tmp_path, accepted(BIG_COMPANY, "stabilityai-community"), sd, BENCHMARK)
    assert report["verdict"] == "needs-review"
    assert rules(report, "review") == {"STABILITY-REVENUE-1M-NONCOMMERCIAL"}
    assert finding(report, "STABILITY-REVENUE-1M-NONCOMMERCIAL")["severity"] == "warning"


def test_hugging_face_click_through_is_not_the_stability_registration(tmp_path: Path) -> None:
    """Stability §III: commercial users "must register with Stability AI"; accepting on Hugging Face is not it,
    a record in organization.registrations is."""
    sd = model("Stable Diffusion 3.5 Large", "stabilityai-ai-community", "image-generation")
    clicked = evaluate(tmp_path, accepted(STARTUP, "stabilityai-ai-community"), sd, STAFF_TOOL)
    assert clicked["verdict"] == "allowed-with-obligations"
    assert rules(clicked, "obligation") == {"STABILITY-REGISTRATION"}
    registration = {
        "license": "stabilityai-community",
        "registered_on": "2025-06-03",
        "by": "legal@acme.example",
    }
    registered = {**accepted(STARTUP, "stabilityai-ai-community"), "registrations": [registration]}
    report = evaluate(tmp_path, registered, sd, STAFF_TOOL)
    assert report["verdict"] == "allowed"


# ---------------------------------------------------------------- Falcon 180B TII License [C]


def test_falcon_180b_public_inference_api_is_hosting_use(tmp_path: Path) -> None:
    """Falcon 180B §9.1, §9.3: offering the model to third parties "in an inference or finetuning API form" is
    Hosting Use, which the licence does not grant."""
    use = {**PUBLIC_APP, "distribution": "api", "purpose": "Sell pay-per-token access to Falcon 180B."}
    report = evaluate(tmp_path, accepted(COMPANY, "falcon-180b"), model("Falcon 180B", "falcon-180b"), use)
    assert report["verdict"] == "blocked"
    assert rules(report, "violation") == {"FALCON180B-HOSTING-USE"}


def test_falcon_180b_in_the_background_of_a_store_app_is_not_hosting_use(tmp_path: Path) -> None:
    """Falcon 180B §9.2: "applications and integrated end user products which use the Work ... in the background
    shall not be considered Hosting Use"."""
    report = evaluate(
        tmp_path, accepted(COMPANY, "falcon-180b"), model("Falcon 180B", "falcon-180b"), PUBLIC_APP
    )
    assert report["verdict"] == "allowed"


def test_falcon_180b_published_fine_tune_carries_the_statement(tmp_path: Path) -> None:
    """Falcon 180B §6.1 statement, §4.1(a)-(f) flow-down, licence copy and change marking."""
    ft = model("Falcon 180B", "falcon-180b", modification="fine-tune", published_name="Acme-Falcon-Chat")
    use = {**BENCHMARK, "stage": "development", "distribution": "weights"}
    report = evaluate(tmp_path, accepted(COMPANY, "falcon-180b"), ft, use)
    assert report["verdict"] == "allowed-with-obligations"
    assert {
        "FALCON180B-PUBLICATION-STATEMENT",
        "FALCON180B-FLOW-DOWN",
        "FALCON180B-LICENSE-COPY",
        "FALCON180B-MARK-CHANGES",
    } <= rules(report, "obligation")


# ---------------------------------------------------------------- NVIDIA Open Model License [P]


def test_multimodal_oml_model_is_a_cosmos_model(tmp_path: Path) -> None:
    """NVIDIA OML: "NVIDIA Cosmos Model" means a multimodal Model shared under the Agreement; §3.2 asks for
    "Built on NVIDIA Cosmos" when it is made available or its outputs train a model."""
    vl = model("Nemotron Nano VL 12B", "nvidia-open-model", "text", "vision")
    served = evaluate(tmp_path, COMPANY, vl, PUBLIC_APP)
    assert rules(served, "obligation") == {"NVIDIA-OML-COSMOS-ATTRIBUTION"}
    trained = evaluate(
        tmp_path,
        COMPANY,
        vl,
        {
            **STAFF_TOOL,
            "outputs_train_models": True,
            "trained_model": {"kind": "other", "distribution": "internal"},
        },
    )
    assert "NVIDIA-OML-COSMOS-ATTRIBUTION" in rules(trained, "obligation")
    text_only = evaluate(
        tmp_path, COMPANY, model("Nemotron 4 340B Instruct", "nvidia-open-model"), PUBLIC_APP
    )
    assert text_only["verdict"] == "allowed"


# ---------------------------------------------------------------- RAIL family


def test_internal_bloom_assistant_must_disclaim_machine_generation(tmp_path: Path) -> None:
    """BigScience RAIL Attachment A item 5 ("in any context") and §5 (require all your users to comply): duties
    for an internal staff tool too."""
    report = evaluate(tmp_path, COMPANY, model("BLOOM", "bigscience-bloom-rail-1.0"), STAFF_TOOL)
    assert report["verdict"] == "allowed-with-obligations"
    assert {"BLOOMRAIL-MACHINE-GENERATED-DISCLOSURE", "BLOOMRAIL-USERS-COMPLY"} <= rules(report, "obligation")
    assert "BLOOMRAIL-FLOW-DOWN-USE-RESTRICTIONS" not in rules(report)


def test_bloom_chatbot_hiding_that_it_is_ai_is_blocked(tmp_path: Path) -> None:
    """BigScience RAIL Attachment A item 5: disseminating content without disclaiming that it is machine-generated."""
    report = evaluate(
        tmp_path, COMPANY, model("BLOOM", "bigscience-bloom-rail-1.0"), {**PUBLIC_APP, "ai_disclosure": False}
    )
    assert report["verdict"] == "blocked"
    assert rules(report, "violation") == {"BLOOMRAIL-MACHINE-GENERATED-UNDISCLOSED"}


def test_bare_openrail_m_label_needs_the_variant_identified(tmp_path: Path) -> None:
    """A bare openrail-m label is not the BigScience text (BigCode, CreativeML and custom texts share the name)."""
    report = evaluate(tmp_path, COMPANY, model("Some RAIL model", "openrail-m"), PUBLIC_APP)
    assert report["model"]["license"] == "openrail"
    assert rules(report, "review") == {"OPENRAIL-VARIANT-UNIDENTIFIED"}


def test_starcoder_public_completion_api_carries_bigcode_duties(tmp_path: Path) -> None:
    """BigCode OpenRAIL-M §5.1, §5.2(a) (Share includes a hosted API) and Attachment A (f) (public context)."""
    starcoder = model("StarCoder2 15B", "bigcode-openrail-m")
    use = {
        **PUBLIC_APP,
        "distribution": "api",
        "domains": ["code-generation"],
        "purpose": "Code completion API for developers.",
    }
    report = evaluate(tmp_path, accepted(COMPANY, "bigcode-openrail-m"), starcoder, use)
    assert report["verdict"] == "allowed-with-obligations"
    assert {
        "BIGCODE-OPENRAILM-SHARE-WITH-RESTRICTIONS",
        "BIGCODE-OPENRAILM-LICENSE-COPY",
        "BIGCODE-OPENRAILM-MACHINE-GENERATED-DISCLOSURE",
    } <= rules(report, "obligation")
    internal = evaluate(
        tmp_path,
        accepted(COMPANY, "bigcode-openrail-m"),
        starcoder,
        {**STAFF_TOOL, "domains": ["code-generation"]},
    )
    assert internal["verdict"] == "allowed"


def test_deepseek_public_chatbot_binds_its_users(tmp_path: Path) -> None:
    """DeepSeek License §4(a) flow-down and §5: require all your users to comply with the use restrictions."""
    report = evaluate(tmp_path, COMPANY, model("DeepSeek V3", "deepseek"), PUBLIC_APP)
    assert report["verdict"] == "allowed-with-obligations"
    assert {"DEEPSEEK-FLOW-DOWN-USE-RESTRICTIONS", "DEEPSEEK-USERS-COMPLY"} <= rules(report, "obligation")


# ---------------------------------------------------------------- Cohere C4AI CC BY-NC with the AUP


def test_selling_command_r_generated_data_is_blocked(tmp_path: Path) -> None:
    """Cohere Acceptable Use Policy: no "generating synthetic data outputs for commercial purposes"."""
    use = {**BENCHMARK, "commercial": True, "stage": "production", "outputs_distribution": "sold"}
    report = evaluate(
        tmp_path, accepted(COMPANY, "c4ai-cc-by-nc"), model("C4AI Command R+", "c4ai-cc-by-nc"), use
    )
    assert report["verdict"] == "blocked"
    assert {"C4AI-AUP-SYNTHETIC-DATA", "C4AI-NON-COMMERCIAL"} <= rules(report, "violation")
