"""Realistic use cases run through the real CLI: the verdict each licence text demands, and the rules behind it.

Each test names the clause it relies on. Models are given by inline facts (name, licence,
modalities) so the scenarios test the rule packs, not the catalog.

Facts that stayed `review` for lack of a primary source (so these scenarios expect
needs-review, never blocked, where they hinge on them):
- Qwen LICENSE AGREEMENT (2024-09-19) §4 100M MAU test and §5(b) "Built with Qwen" wording [S];
- Stability AI Acceptable Use Policy categories [S];
- OpenAI Services Agreement §3.3(e) (Output for competing models) and its Permitted Exception [S];
- Anthropic Commercial Terms D.4 and the Usage Policy's training clause [S];
- NVIDIA Trustworthy AI terms referenced by OML §2.3 [U].
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import evaluate_usecase, rules

US_CO = {
    "name": "Acme Inc",
    "type": "company",
    "country": "US",
    "annual_revenue_usd": 5_000_000,
    "monthly_active_users": 20_000,
}
DE_CO = {**US_CO, "name": "Acme GmbH", "country": "DE"}
UNIVERSITY = {
    "name": "Rich University",
    "type": "academic",
    "country": "US",
    "annual_revenue_usd": 4_000_000_000,
    "monthly_active_users": 50_000,
}
SUPPORT = {
    "commercial": True,
    "distribution": "hosted-service",
    "end_users": "public",
    "outputs_train_models": False,
    "domains": ["customer-support"],
    "purpose": "Answer customer questions about orders and returns.",
}
SELF_HOSTED_EU = {"regions": ["DE", "FR"], "hosting": "self-hosted"}
RESEARCH = {
    "commercial": False,
    "distribution": "research",
    "end_users": "none",
    "outputs_train_models": False,
    "domains": ["research"],
    "purpose": "Study model behaviour for a peer-reviewed paper.",
}


def accepted(organization: dict[str, Any], license: str) -> dict[str, Any]:
    """The organisation with a recorded acceptance of a gated licence (the lineage pack's TERMS-ACCEPTANCE)."""
    record = {"license": license, "accepted_on": "2025-06-02", "by": "legal@acme.example"}
    return {**organization, "accepted_terms": [record]}


def model(name: str, license: str, *modalities: str, **more: Any) -> dict[str, Any]:
    return {
        "name": name,
        "license": license,
        "weights": "open",  # the constraint pack needs it to rule out self-hosting closed weights
        "modalities": list(modalities or ("text",)),
        "modification": "none",
        **more,
    }


def evaluate(
    tmp_path: Path, organization: dict[str, Any], model: dict[str, Any], use: dict[str, Any], **more: Any
) -> dict[str, Any]:
    """The one report of `licensecheck evaluate --format json` on this use case."""
    usecase = {"name": "scenario", "organization": organization, "model": model, "use": use, **more}
    return evaluate_usecase(tmp_path, usecase)


# ---------------------------------------------------------------- Llama


def test_us_company_serving_eu_users_with_multimodal_llama_is_allowed(tmp_path: Path) -> None:
    """Llama 3.2 AUP, multimodal paragraph: only EU-domiciled licensees lose §1(a); end users are exempt."""
    report = evaluate(
        tmp_path,
        accepted(US_CO, "llama3.2"),
        model("Llama 3.2 11B Vision", "llama3.2", "text", "vision"),
        SUPPORT,
        deployment={"regions": ["DE", "FR", "US"]},
    )
    assert report["verdict"] == "allowed-with-obligations"
    assert "LLAMA32-EU-MULTIMODAL" not in rules(report)
    # AUP 4 and 3.e: a public service discloses known dangers and does not pass outputs off as human
    assert rules(report, "obligation") == {
        "LLAMA32-BUILT-WITH-LLAMA",
        "LLAMA32-AUP-DISCLOSE-DANGERS",
        "LLAMA32-AUP-HUMAN-GENERATED",
    }


def test_eu_company_with_text_only_llama_32_is_allowed(tmp_path: Path) -> None:
    """Llama 3.2 AUP, multimodal paragraph: the EU restriction covers multimodal models only (1B/3B are text)."""
    report = evaluate(tmp_path, DE_CO, model("Llama 3.2 3B Instruct", "llama3.2"), SUPPORT)
    assert report["verdict"] == "allowed-with-obligations"
    assert "LLAMA32-EU-MULTIMODAL" not in rules(report)


def test_eu_company_with_llama_32_vision_is_blocked(tmp_path: Path) -> None:
    """Llama 3.2 AUP, multimodal paragraph: no §1(a) grant to a company with its principal place of business in the EU
    that runs the model itself."""
    vision = model("Llama 3.2 11B Vision", "llama3.2", "text", "vision")
    report = evaluate(tmp_path, DE_CO, vision, SUPPORT, deployment=SELF_HOSTED_EU)
    assert report["verdict"] == "blocked"
    assert rules(report, "violation") == {"LLAMA32-EU-MULTIMODAL"}


def test_eu_company_using_llama_32_vision_through_a_provider_needs_review(tmp_path: Path) -> None:
    """Llama 3.2 AUP, multimodal paragraph: "This restriction does not apply to end users of a product or service
    that incorporates" the model; an EU company calling a provider's API may be such an end user."""
    vision = model("Llama 3.2 11B Vision", "llama3.2", "text", "vision")
    deployment = {**SELF_HOSTED_EU, "hosting": "provider-api"}
    report = evaluate(tmp_path, DE_CO, vision, SUPPORT, deployment=deployment)
    assert report["verdict"] == "needs-review"
    assert "LLAMA32-EU-MULTIMODAL-HOSTED" in rules(report, "review")
    assert "LLAMA32-EU-MULTIMODAL" not in rules(report)


def test_eu_company_with_llama_4_scout_is_blocked(tmp_path: Path) -> None:
    """Llama 4 AUP, multimodal paragraph: the same EU clause applies to the natively multimodal Llama 4 models."""
    report = evaluate(
        tmp_path,
        {**DE_CO, "country": "FR"},
        model("Llama 4 Scout", "llama4", "text", "vision"),
        SUPPORT,
        deployment=SELF_HOSTED_EU,
    )
    assert report["verdict"] == "blocked"
    assert "LLAMA4-EU-MULTIMODAL" in rules(report, "violation")


def test_uk_company_with_multimodal_llama_is_not_caught_by_the_eu_clause(tmp_path: Path) -> None:
    """Llama 3.2 AUP, multimodal paragraph: it names the European Union, not the UK."""
    report = evaluate(
        tmp_path,
        {**US_CO, "country": "GB"},
        model("Llama 3.2 90B Vision", "llama3.2", "text", "vision"),
        SUPPORT,
    )
    assert report["verdict"] == "allowed-with-obligations"
    assert "LLAMA32-EU-MULTIMODAL" not in rules(report)


def test_derived_llama_31_model_without_the_llama_prefix_is_blocked(tmp_path: Path) -> None:
    """Llama 3.1 §1.b.i: a model built with Llama 3.1 and made available must have a name beginning with "Llama"."""
    derived = model(
        "Llama 3.1 8B Instruct", "llama3.1", modification="fine-tune", published_name="Acme-Support-8B"
    )
    report = evaluate(tmp_path, US_CO, derived, {**SUPPORT, "distribution": "weights"})
    assert report["verdict"] == "blocked"
    assert rules(report, "violation") == {"LLAMA31-MODEL-NAME-PREFIX"}
    assert {"LLAMA31-AGREEMENT-COPY", "LLAMA31-NOTICE-FILE"} <= rules(report, "obligation")


def test_llama_3_derivative_named_llama_without_3_is_blocked(tmp_path: Path) -> None:
    """Meta Llama 3 §1.b.i: derived model names must begin with "Llama 3", so "Llama-Acme" is not enough."""
    derived = model(
        "Meta Llama 3 8B Instruct", "llama3", modification="fine-tune", published_name="Llama-Acme-8B"
    )
    report = evaluate(tmp_path, US_CO, derived, SUPPORT)
    assert report["verdict"] == "blocked"
    assert "LLAMA3-MODEL-NAME-PREFIX" in rules(report, "violation")
    assert "LLAMA3-BUILT-WITH-META-LLAMA-3" in rules(report, "obligation")


def test_llama_3_outputs_training_another_model_needs_review(tmp_path: Path) -> None:
    """Meta Llama 3 §1.b.v: no improving "any other large language model (excluding Meta Llama 3 or derivative
    works thereof)" with the outputs; outputs_train_models does not say the trained model is such an LLM."""
    report = evaluate(
        tmp_path,
        US_CO,
        model("Meta Llama 3 70B Instruct", "llama3"),
        {**SUPPORT, "outputs_train_models": True},
    )
    assert report["verdict"] == "needs-review"
    assert "LLAMA3-OUTPUTS-IMPROVE-OTHER-LLM" in rules(report, "review")


def test_student_distilled_from_llama_3_and_named_llama_3_needs_review(tmp_path: Path) -> None:
    """Meta Llama 3 §1.b.v: a student trained on Llama 3 outputs is either a Llama 3 derivative or a prohibited
    "other large language model"; the "Llama 3" name prefix alone does not settle it."""
    student = {
        "name": "Llama 3 Acme Student 1B",
        "license": "apache-2.0",
        "weights": "open",
        "modalities": ["text"],
        "modification": "distillation",
        "published_name": "Llama-3-Acme-Student-1B",
        "base_models": [{"id": "meta-llama/Meta-Llama-3-70B-Instruct", "license": "llama3"}],
    }
    report = evaluate(tmp_path, accepted(US_CO, "llama3"), student, {**SUPPORT, "distribution": "weights"})
    assert report["verdict"] == "needs-review"
    assert "LLAMA3-DISTILLED-FROM-OUTPUTS" in rules(report, "review")
    assert "LLAMA3-MODEL-NAME-PREFIX" not in rules(report)


def test_gguf_reupload_of_llama_31_under_meta_name_needs_review(tmp_path: Path) -> None:
    """Llama 3.1 §1.b.i (last sentence): the "Llama" prefix binds a model the materials were used "to create,
    train, fine tune, or otherwise improve"; whether a quantized copy is one is unclear, so a review."""
    gguf = model(
        "Llama 3.1 8B Instruct",
        "llama3.1",
        modification="quantization",
        published_name="Meta-Llama-3.1-8B-Instruct-GGUF",
    )
    use = {**RESEARCH, "distribution": "weights", "end_users": "public"}
    report = evaluate(tmp_path, accepted(US_CO, "llama3.1"), gguf, use)
    assert report["verdict"] == "needs-review"
    assert "LLAMA31-MODEL-NAME-PREFIX-QUANTIZED" in rules(report, "review")
    assert "LLAMA31-MODEL-NAME-PREFIX" not in rules(report)


def test_llama_31_outputs_may_train_a_model_named_llama(tmp_path: Path) -> None:
    """Llama 3.1 §1.b.i: the output ban is gone; a model trained on outputs only needs the "Llama" name prefix,
    and it is the trained model's name and distribution that count (use.trained_model), not Llama's."""
    trained = {"kind": "llm", "distribution": "weights", "published_name": "Llama-Acme-Small"}
    use = {**SUPPORT, "outputs_train_models": True, "trained_model": trained}
    report = evaluate(tmp_path, US_CO, model("Llama 3.1 70B Instruct", "llama3.1"), use)
    assert report["verdict"] == "allowed-with-obligations"
    assert not {"LLAMA31-MODEL-NAME-PREFIX", "LLAMA31-MODEL-NAME-PREFIX-OUTPUTS"} & rules(report)
    renamed = {**use, "trained_model": {**trained, "published_name": "Acme-Small"}}
    report = evaluate(tmp_path, US_CO, model("Llama 3.1 70B Instruct", "llama3.1"), renamed)
    assert report["verdict"] == "blocked"
    assert "LLAMA31-MODEL-NAME-PREFIX-OUTPUTS" in rules(report, "violation")


def test_llama_2_above_700_million_users_is_blocked(tmp_path: Path) -> None:
    """Llama 2 §2: more than 700M monthly active users in the month before July 18, 2023 -> no rights without Meta's licence."""
    report = evaluate(
        tmp_path, {**US_CO, "monthly_active_users": 800_000_000}, model("Llama 2 7B Chat", "llama2"), SUPPORT
    )
    assert report["verdict"] == "blocked"
    assert "LLAMA2-MAU-700M" in rules(report, "violation")


def test_llama_33_without_user_count_needs_review_naming_the_field(tmp_path: Path) -> None:
    """Llama 3.3 §2: the MAU gate cannot be decided without the user count; the finding names the field."""
    org = {k: v for k, v in US_CO.items() if k != "monthly_active_users"}
    report = evaluate(tmp_path, org, model("Llama 3.3 70B Instruct", "llama3.3"), SUPPORT)
    assert report["verdict"] == "needs-review"
    finding = next(f for f in report["findings"] if f["rule"] == "LLAMA33-MAU-700M")
    assert finding["outcome"] == "review"
    assert "organization.monthly_active_users" in finding["message"]


def test_harmless_text_near_weapon_words_fires_no_signature(tmp_path: Path) -> None:
    """Llama 3.1 AUP 2.b: signatures match whole words, so "weapons-free" is not "weapons"."""
    use = {**SUPPORT, "purpose": "Customer support for a weapons-free zone; track orders and refunds."}
    report = evaluate(tmp_path, US_CO, model("Llama 3.1 8B Instruct", "llama3.1"), use)
    assert report["verdict"] == "allowed-with-obligations"
    assert not {r for r in rules(report) if r.endswith("-TEXT")}


def test_weapon_words_without_an_act_are_a_review_with_the_matched_words(tmp_path: Path) -> None:
    """Llama 3.1 AUP 2.b: weapons named with no act and no lawful context are a review showing the words."""
    use = {**SUPPORT, "purpose": "A sales assistant for our online gun shop's firearms and ammunition."}
    report = evaluate(tmp_path, US_CO, model("Llama 3.1 8B Instruct", "llama3.1"), use)
    assert report["verdict"] == "needs-review"
    finding = next(f for f in report["findings"] if f["rule"] == "LLAMA31-AUP-WEAPONS-TEXT")
    assert finding["outcome"] == "review"
    assert finding["evidence"]["use.purpose"] == {"matched": ["gun", "firearms", "ammunition"]}
    assert "LLAMA31-AUP-WEAPONS-TEXT-PLAIN" not in rules(report)


def test_a_purpose_that_states_weapon_development_is_blocked(tmp_path: Path) -> None:
    """Llama 3.1 AUP 2.b "Guns and illegal weapons (including weapon development)": designing firearms is
    weapon development, stated in so many words, so the text signature is a violation quoting the clause."""
    use = {**SUPPORT, "purpose": "Help gunsmiths design firearms and ammunition."}
    report = evaluate(tmp_path, US_CO, model("Llama 3.1 8B Instruct", "llama3.1"), use)
    assert report["verdict"] == "blocked"
    finding = next(f for f in report["findings"] if f["rule"] == "LLAMA31-AUP-WEAPONS-TEXT-PLAIN")
    assert finding["outcome"] == "violation"
    assert finding["quote"] == "Guns and illegal weapons (including weapon development)"
    assert "LLAMA31-AUP-WEAPONS-TEXT" not in rules(report)


# ---------------------------------------------------------------- Stability and RAIL


def test_rich_university_non_commercial_stability_use_needs_review(tmp_path: Path) -> None:
    """Stability AI Community License §III: above US$1M revenue "any licenses granted to You under this Agreement
    shall terminate", which may reach §II research use too, so a $4B university's research needs review."""
    report = evaluate(
        tmp_path,
        accepted(UNIVERSITY, "stabilityai-community"),
        model("Stable Diffusion 3.5 Large", "stabilityai-community", "image-generation"),
        RESEARCH,
    )
    assert report["verdict"] == "needs-review"
    assert "STABILITY-REVENUE-1M-NONCOMMERCIAL" in rules(report, "review")
    assert "STABILITY-REVENUE-1M" not in rules(report)


def test_company_over_one_million_with_sd35_is_blocked(tmp_path: Path) -> None:
    """Stability AI Community License §III: above US$1M annual revenue (with affiliates) commercial rights end."""
    org = {**US_CO, "annual_revenue_usd": 40_000_000}
    report = evaluate(
        tmp_path,
        org,
        model("Stable Diffusion 3.5 Large", "stabilityai-ai-community", "image-generation"),
        SUPPORT,
    )
    assert report["verdict"] == "blocked"
    assert "STABILITY-REVENUE-1M" in rules(report, "violation")
    assert {"STABILITY-REGISTRATION", "STABILITY-POWERED-BY"} <= rules(report, "obligation")


def test_creativeml_model_giving_medical_advice_is_blocked(tmp_path: Path) -> None:
    """CreativeML Open RAIL-M Attachment A: no medical advice and medical results interpretation."""
    use = {**SUPPORT, "domains": ["healthcare", "medical-advice"]}
    report = evaluate(
        tmp_path, US_CO, model("Stable Diffusion v1.5", "creativeml-openrail-m", "image-generation"), use
    )
    assert report["verdict"] == "blocked"
    assert "CREATIVEML-AUP-MEDICAL-ADVICE" in rules(report, "violation")
    assert "CREATIVEML-FLOW-DOWN-USE-RESTRICTIONS" in rules(report, "obligation")


def test_bloom_chatbot_must_disclose_machine_generated_text(tmp_path: Path) -> None:
    """BigScience RAIL v1.0 Attachment A item 5 and §4(a): disclose machine-generated text; flow the restrictions down."""
    report = evaluate(tmp_path, US_CO, model("BLOOM", "bigscience-bloom-rail-1.0"), SUPPORT)
    assert report["verdict"] == "allowed-with-obligations"
    assert {"BLOOMRAIL-MACHINE-GENERATED-DISCLOSURE", "BLOOMRAIL-FLOW-DOWN-USE-RESTRICTIONS"} <= rules(
        report, "obligation"
    )


# ---------------------------------------------------------------- Gemma


def test_gemma_hosted_service_is_a_distribution(tmp_path: Path) -> None:
    """Gemma Terms §1.1(b), §3.1: a hosted service is Distribution; pass the restrictions on, no Notice file for hosting."""
    report = evaluate(tmp_path, US_CO, model("Gemma 2 9B IT", "gemma"), SUPPORT)
    assert report["verdict"] == "allowed-with-obligations"
    assert {"GEMMA-FLOW-DOWN-USE-RESTRICTIONS", "GEMMA-TERMS-COPY"} <= rules(report, "obligation")
    assert "GEMMA-NOTICE-FILE" not in rules(report)


def test_model_distilled_from_gemma_outputs_is_a_model_derivative(tmp_path: Path) -> None:
    """Gemma Terms §1.1(e): a model trained on Gemma outputs (distillation) is a Model Derivative under the Terms."""
    report = evaluate(
        tmp_path, US_CO, model("Gemma 2 27B IT", "gemma"), {**SUPPORT, "outputs_train_models": True}
    )
    assert report["verdict"] == "allowed-with-obligations"
    assert "GEMMA-OUTPUT-TRAINED-DERIVATIVE" in rules(report, "obligation")


# ---------------------------------------------------------------- Mistral, Qwen, DeepSeek, Falcon, CC-BY-NC


def test_mrl_commercial_use_is_blocked(tmp_path: Path) -> None:
    """Mistral AI Research License §3.2: the model, derivatives and outputs only for non-profit Research Purposes."""
    report = evaluate(tmp_path, US_CO, model("Mistral Large Instruct 2407", "mrl"), SUPPORT)
    assert report["verdict"] == "blocked"
    assert {"MRL-COMMERCIAL-USE", "MRL-COMMERCIAL-DISTRIBUTION"} <= rules(report, "violation")


def test_mnpl_production_use_is_blocked(tmp_path: Path) -> None:
    """Mistral AI Non-Production License §3.2: no live use with end users, no commercial activity."""
    use = {**SUPPORT, "domains": ["code-generation"], "purpose": "Code completion in our IDE plugin."}
    report = evaluate(tmp_path, US_CO, model("Codestral 22B v0.1", "mnpl"), use)
    assert report["verdict"] == "blocked"
    assert {"MNPL-PRODUCTION-USE", "MNPL-COMMERCIAL-USE"} <= rules(report, "violation")


def test_mnpl_internal_evaluation_is_allowed(tmp_path: Path) -> None:
    """Mistral AI Non-Production License §3.2: evaluation in a non-production environment is allowed, even for a company."""
    use = {
        "commercial": False,
        "distribution": "internal",
        "end_users": "none",
        "outputs_train_models": False,
        "domains": ["code-generation"],
        "purpose": "Evaluate code completion quality on our internal benchmark.",
    }
    report = evaluate(tmp_path, accepted(US_CO, "mnpl"), model("Codestral 22B v0.1", "mnpl"), use)
    assert report["verdict"] == "allowed"
    assert rules(report) == {"TERMS-ACCEPTANCE-RECORDED"}


def test_mnpl_non_commercial_weights_reupload_by_a_university_is_allowed(tmp_path: Path) -> None:
    """Mistral AI Non-Production License §2.2: "You may Distribute copies of the Mistral Model" with the Agreement
    and a Notice file; only supply in the course of a commercial activity is barred (§3.2)."""
    awq = model("Codestral 22B v0.1", "mnpl", modification="quantization", published_name="Codestral-22B-AWQ")
    use = {**RESEARCH, "distribution": "weights"}
    report = evaluate(tmp_path, accepted({**UNIVERSITY, "annual_revenue_usd": 5_000_000}, "mnpl"), awq, use)
    assert report["verdict"] == "allowed-with-obligations"
    assert "MNPL-NOTICE-FILE" in rules(report, "obligation")
    assert "MNPL-PRODUCTION-USE" not in rules(report)


def test_qwen_over_100_million_users_needs_review(tmp_path: Path) -> None:
    """Qwen LICENSE AGREEMENT §4: over 100M MAU needs Alibaba Cloud's licence; clause [S], so review, not a block.
    §4 counts the product's users; without use.monthly_active_users the organisation's 150M is the review."""
    org = {**US_CO, "monthly_active_users": 150_000_000}
    report = evaluate(tmp_path, org, model("Qwen2.5 72B Instruct", "qwen"), SUPPORT)
    assert report["verdict"] == "needs-review"
    assert rules(report, "review") == {"QWEN-MAU-100M-UNCOUNTED"}


def test_qwen_research_licence_commercial_use_is_blocked(tmp_path: Path) -> None:
    """Qwen RESEARCH LICENSE AGREEMENT §2: non-commercial research and evaluation only."""
    report = evaluate(tmp_path, US_CO, model("Qwen2.5 3B Instruct", "qwen-research"), SUPPORT)
    assert report["verdict"] == "blocked"
    assert "QWENR-NON-COMMERCIAL" in rules(report, "violation")


def test_deepseek_military_use_is_blocked(tmp_path: Path) -> None:
    """DeepSeek License Agreement v1.0 Attachment A, bullet 2: no military use in any way."""
    use = {
        **SUPPORT,
        "domains": ["military"],
        "purpose": "Summarise battlefield reports for armed forces logistics.",
    }
    report = evaluate(tmp_path, US_CO, model("DeepSeek V3", "deepseek"), use)
    assert report["verdict"] == "blocked"
    assert {"DEEPSEEK-AUP-MILITARY", "DEEPSEEK-AUP-MILITARY-TEXT-PLAIN"} <= rules(report, "violation")


def test_deepseek_military_use_stated_without_the_tag_is_blocked(tmp_path: Path) -> None:
    """DeepSeek Attachment A, bullet 2 "For military use in any way": a purpose that states it needs no tag."""
    use = {
        **SUPPORT,
        "domains": ["customer-support"],
        "purpose": "Answer soldiers' repair questions for the army.",
    }
    report = evaluate(tmp_path, US_CO, model("DeepSeek V3", "deepseek"), use)
    assert report["verdict"] == "blocked"
    assert rules(report, "violation") == {"DEEPSEEK-AUP-MILITARY-TEXT-PLAIN"}


def test_deepseek_services_for_soldiers_families_are_not_military_use(tmp_path: Path) -> None:
    """DeepSeek Attachment A, bullet 2: helping soldiers' families is a civilian use, not "military use"."""
    use = {**SUPPORT, "purpose": "Translate manuals for soldiers' families moving abroad."}
    report = evaluate(tmp_path, US_CO, model("DeepSeek V3", "deepseek"), use)
    assert not {r for r in rules(report) if "MILITARY" in r}


def test_falcon_180b_public_api_is_blocked(tmp_path: Path) -> None:
    """Falcon 180B TII License §9.1, §9.3: a managed inference API for third parties is Hosting Use, not licensed."""
    report = evaluate(
        tmp_path, US_CO, model("Falcon 180B", "falcon-180b"), {**SUPPORT, "distribution": "api"}
    )
    assert report["verdict"] == "blocked"
    assert "FALCON180B-HOSTING-USE" in rules(report, "violation")


def test_cc_by_nc_commercial_use_is_blocked(tmp_path: Path) -> None:
    """CC BY-NC 4.0 §2(a)(1): rights are granted for NonCommercial purposes only."""
    report = evaluate(tmp_path, US_CO, model("Command R", "cc-by-nc-4.0"), SUPPORT)
    assert report["verdict"] == "blocked"
    assert "CCBYNC-NON-COMMERCIAL" in rules(report, "violation")


# ---------------------------------------------------------------- closed APIs


def test_gemini_free_tier_serving_eea_users_is_blocked(tmp_path: Path) -> None:
    """Gemini API Additional Terms, Use Restrictions: only Paid Services for users in the EEA, Switzerland or the UK."""
    report = evaluate(
        tmp_path,
        US_CO,
        model("Gemini 2.0 Flash", "gemini-api-terms", weights="closed"),
        SUPPORT,
        deployment={"regions": ["US", "NL"], "hosting": "provider-api", "api_tier": "free"},
    )
    assert report["verdict"] == "blocked"
    assert rules(report, "violation") == {"GEMINI-EEA-CH-UK-PAID-ONLY"}


def test_gemini_paid_tier_serving_eea_users_is_allowed(tmp_path: Path) -> None:
    """Gemini API Additional Terms, Use Restrictions: the paid tier may serve the EEA, Switzerland and the UK."""
    report = evaluate(
        tmp_path,
        US_CO,
        model("Gemini 2.0 Flash", "gemini-api-terms", weights="closed"),
        SUPPORT,
        deployment={"regions": ["US", "NL", "CH", "GB"], "hosting": "provider-api", "api_tier": "paid"},
    )
    assert report["verdict"] == "allowed"


def test_gemini_for_a_childrens_service_is_blocked(tmp_path: Path) -> None:
    """Gemini API Additional Terms, Age Requirements: API clients must not be directed at under-18s."""
    use = {
        **SUPPORT,
        "domains": ["education", "minors"],
        "purpose": "A homework helper for children aged 8 to 12.",
    }
    report = evaluate(
        tmp_path,
        US_CO,
        model("Gemini 1.5 Flash", "gemini-api-terms", weights="closed"),
        use,
        deployment={"regions": ["US"], "api_tier": "paid"},
    )
    assert report["verdict"] == "blocked"
    assert "GEMINI-AGE-18" in rules(report, "violation")
    assert "GEMINI-AGE-18-TEXT" in rules(report, "review")


def test_distilling_openai_outputs_into_a_competing_model_needs_review(tmp_path: Path) -> None:
    """OpenAI Services Agreement §3.3(e): no using Output to develop competing models; clause [S], so review."""
    use = {
        **SUPPORT,
        "outputs_train_models": True,
        "purpose": "Generate training data to distil a general chat model.",
    }
    distilled = model("GPT-4o", "openai-terms", weights="closed", modification="distillation")
    report = evaluate(tmp_path, US_CO, distilled, use)
    assert report["verdict"] == "needs-review"
    finding = next(f for f in report["findings"] if f["rule"] == "OPENAI-OUTPUTS-COMPETING-MODELS")
    assert (finding["outcome"], finding["severity"], finding["category"]) == (
        "review",
        "error",
        "terms-of-service",
    )


def test_training_on_claude_outputs_needs_review(tmp_path: Path) -> None:
    """Anthropic Commercial Terms D.4: no training competing AI models; clause [S], so review."""
    report = evaluate(
        tmp_path,
        US_CO,
        model("Claude 3.5 Sonnet", "anthropic-terms", weights="closed"),
        {**SUPPORT, "outputs_train_models": True},
    )
    assert report["verdict"] == "needs-review"
    assert "ANTHROPIC-OUTPUTS-COMPETING-MODELS" in rules(report, "review")


# ---------------------------------------------------------------- unidentified licences


def test_unknown_licence_needs_review(tmp_path: Path) -> None:
    """No licence, no rights to rely on: a model tagged `unknown` is a review asking to identify the licence."""
    report = evaluate(tmp_path, US_CO, model("Mystery 7B", "unknown"), SUPPORT)
    assert report["verdict"] == "needs-review"
    assert rules(report) == {"UNKNOWN-LICENSE"}


def test_other_licence_without_a_name_needs_review(tmp_path: Path) -> None:
    """Hugging Face tag `other` with no license_name: nothing can be checked until the licence is identified."""
    report = evaluate(tmp_path, US_CO, model("Acme 7B", "other"), SUPPORT)
    assert report["verdict"] == "needs-review"
    assert rules(report) == {"OTHER-LICENSE-UNIDENTIFIED"}


def test_other_licence_named_mrl_gets_the_mrl_rules(tmp_path: Path) -> None:
    """MRL §3.2 via the HF convention `license: other` + `license_name: mrl` (Mistral Large's model card)."""
    report = evaluate(
        tmp_path, US_CO, model("Mistral Large Instruct 2411", "other", license_name="mrl"), SUPPORT
    )
    assert report["verdict"] == "blocked"
    assert report["model"]["license"] == "mrl"
    assert "MRL-COMMERCIAL-USE" in rules(report, "violation")
    assert "OTHER-LICENSE-UNIDENTIFIED" not in rules(report)


def test_gpt_oss_is_apache_with_a_usage_policy_note(tmp_path: Path) -> None:
    """gpt-oss USAGE_POLICY: comply with applicable law; the weights are Apache-2.0, so hosting adds no duty."""
    report = evaluate(tmp_path, US_CO, {"id": "gpt-oss-20b", "modification": "none"}, SUPPORT)
    assert report["verdict"] == "allowed"
    assert rules(report) == {"GPTOSS-USAGE-POLICY"}
    assert rules(report, "info") == {"GPTOSS-USAGE-POLICY"}
