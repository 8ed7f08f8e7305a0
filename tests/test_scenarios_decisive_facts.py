"""Realistic use cases that turn on the facts of SPEC 2a (issue 13): Llama, Gemma, Gemini, training data, providers.

Each test is a use case a team would write, run in-process through the CLI (`evaluate --format json`),
and names the clause its verdict rests on. Catalog ids are used where the catalog has the model, so
the scenarios also exercise catalog licences and lineage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import evaluate_usecase, rules

US_CO = {
    "name": "Acme Inc",
    "type": "company",
    "country": "US",
    "annual_revenue_usd": 8_000_000,
    "monthly_active_users": 40_000,
}
DE_CO = {**US_CO, "name": "Acme GmbH", "country": "DE"}
PUBLIC_CHAT = {
    "commercial": True,
    "distribution": "hosted-service",
    "end_users": "public",
    "outputs_train_models": False,
    "domains": ["customer-support"],
    "purpose": "Answer customer questions about orders, shipping and returns.",
}


def run(
    tmp_path: Path,
    organization: dict[str, Any],
    model: dict[str, Any],
    use: dict[str, Any],
    as_of: str | None = None,
    **more: Any,
) -> dict[str, Any]:
    data = {
        "licensecheck": 1,
        "name": "scenario",
        "organization": organization,
        "model": model,
        "use": use,
        **more,
    }
    return evaluate_usecase(tmp_path, data, *(["--as-of", as_of] if as_of else []))


def accepted(organization: dict[str, Any], *licenses: str) -> dict[str, Any]:
    return {
        **organization,
        "accepted_terms": [{"license": lic, "accepted_on": "2025-03-01"} for lic in licenses],
    }


# ---------------------------------------------------------------- Llama


def test_public_llama_chatbot_that_says_it_is_an_ai_owes_the_display_and_the_dangers_notice(
    tmp_path: Path,
) -> None:
    """Llama 3.1 §1.b.i(B) and AUP 4; AUP 3.e is met by telling users they deal with an AI."""
    report = run(
        tmp_path,
        accepted(US_CO, "llama3.1"),
        {"id": "llama-3.1-8b-instruct", "modification": "none"},
        {**PUBLIC_CHAT, "ai_disclosure": True},
        deployment={"regions": ["US"], "hosting": "self-hosted"},
    )
    assert report["verdict"] == "allowed-with-obligations"
    assert rules(report, "obligation") == {"LLAMA31-BUILT-WITH-LLAMA", "LLAMA31-AUP-DISCLOSE-DANGERS"}
    dangers = next(f for f in report["findings"] if f["rule"] == "LLAMA31-AUP-DISCLOSE-DANGERS")
    assert (
        dangers["quote"] == "Fail to appropriately disclose to end users any known dangers of your AI system"
    )


def test_an_old_style_llama_use_case_keeps_its_verdict(tmp_path: Path) -> None:
    """C1: a use case written before the new facts gives the same verdict (only new duties are added)."""
    report = run(
        tmp_path,
        accepted(US_CO, "llama3.1"),
        {"id": "llama-3.1-8b-instruct", "modification": "none"},
        PUBLIC_CHAT,
    )
    assert report["verdict"] == "allowed-with-obligations"
    assert not rules(report, "review") and not rules(report, "violation")


def test_llama_generated_data_trains_a_published_model_without_the_prefix(tmp_path: Path) -> None:
    """Llama 3.3 §1.b.i last sentence: the model trained on the outputs is made available, so its name starts with Llama."""
    use = {
        "commercial": True,
        "distribution": "internal",
        "end_users": "internal",
        "purpose": "Generate question-answer pairs about our SDK to fine-tune a small coding assistant.",
        "domains": ["code-generation"],
        "outputs_train_models": True,
        "trained_model": {"kind": "llm", "distribution": "weights", "published_name": "Acme-Coder-7B"},
    }
    report = run(
        tmp_path, accepted(US_CO, "llama3.3"), {"id": "llama-3.3-70b-instruct", "modification": "none"}, use
    )
    assert report["verdict"] == "blocked"
    assert "LLAMA33-MODEL-NAME-PREFIX-OUTPUTS" in rules(report, "violation")
    named = {**use, "trained_model": {**use["trained_model"], "published_name": "Llama-Acme-Coder-7B"}}
    assert (
        run(
            tmp_path,
            accepted(US_CO, "llama3.3"),
            {"id": "llama-3.3-70b-instruct", "modification": "none"},
            named,
        )["verdict"]
        == "allowed"
    )


def test_llama_outputs_labelling_tickets_for_an_internal_classifier(tmp_path: Path) -> None:
    """Llama 3 §1.b.v: a ticket classifier is not "any other large language model"; nothing is named."""
    use = {
        **PUBLIC_CHAT,
        "end_users": "internal",
        "distribution": "internal",
        "outputs_train_models": True,
        "trained_model": {"kind": "classifier", "distribution": "internal"},
    }
    report = run(
        tmp_path, accepted(US_CO, "llama3"), {"id": "llama-3-8b-instruct", "modification": "none"}, use
    )
    assert report["verdict"] == "allowed"
    assert "LLAMA3-OUTPUTS-IMPROVE-OTHER-LLM" not in rules(report)


def test_eu_company_deploying_llama_vision_in_its_own_bedrock_account_is_blocked(tmp_path: Path) -> None:
    """Llama 3.2 AUP, multimodal paragraph: a managed deployment in the company's account exercises §1(a)."""
    use = {**PUBLIC_CHAT, "purpose": "Read photos of damaged parcels and draft a reply to the customer."}
    model = {"id": "llama-3.2-11b-vision-instruct", "modification": "none"}
    report = run(
        tmp_path,
        accepted(DE_CO, "llama3.2"),
        model,
        use,
        deployment={"regions": ["DE"], "hosting": "managed-cloud", "provider": "aws-bedrock"},
    )
    assert report["verdict"] == "blocked"
    assert "LLAMA32-EU-MULTIMODAL" in rules(report, "violation")
    via_api = run(
        tmp_path,
        accepted(DE_CO, "llama3.2"),
        model,
        use,
        deployment={"regions": ["DE"], "hosting": "provider-api", "provider": "together"},
    )
    assert via_api["verdict"] == "needs-review"
    assert "LLAMA32-EU-MULTIMODAL-HOSTED" in rules(via_api, "review")


def test_a_llama_2_api_for_other_developers_ships_the_agreement(tmp_path: Path) -> None:
    """Llama 2 §1.b.i: an API makes the Llama Materials available to third parties."""
    use = {**PUBLIC_CHAT, "distribution": "api", "ai_disclosure": True}
    report = run(tmp_path, accepted(US_CO, "llama2"), {"id": "llama-2-7b-chat", "modification": "none"}, use)
    assert report["verdict"] == "allowed-with-obligations"
    assert "LLAMA2-AGREEMENT-COPY" in rules(report, "obligation")


def test_a_student_fine_tuned_on_llama_synthetic_data_needs_the_prefix(tmp_path: Path) -> None:
    """Llama 3.1 §1.b.i: outputs used to fine-tune a model that is made available; the teacher's licence
    reaches the student through training_data[].source_model."""
    model = {
        "id": "phi-3-mini-4k-instruct",
        "modification": "fine-tune",
        "published_name": "Acme-Phi-Support",
        "training_data": [
            {"name": "synthetic-dialogues", "license": "llama3.1", "source_model": "llama-3.1-70b-instruct"}
        ],
    }
    report = run(tmp_path, accepted(US_CO, "llama3.1"), model, {**PUBLIC_CHAT, "ai_disclosure": True})
    assert report["verdict"] == "blocked"
    assert "LLAMA31-OUTPUTS-TRAINED-MODEL-NAME" in rules(report, "violation")
    # the generator's distribution duties do not travel with its outputs (issue 16): the student is not
    # Llama Materials
    assert not {"LLAMA31-AGREEMENT-COPY", "LLAMA31-NOTICE-FILE", "LLAMA31-BUILT-WITH-LLAMA"} & rules(report)
    assert any(link["relation"] == "synthetic-data" for link in report["lineage"])


# ---------------------------------------------------------------- Gemma


def test_gemma_approving_loans_without_a_person_is_blocked(tmp_path: Path) -> None:
    """Gemma Prohibited Use Policy 3.d: automated decisions in finance without human review."""
    use = {
        "commercial": True,
        "distribution": "internal",
        "end_users": "internal",
        "purpose": "Approve or decline small consumer loan applications automatically.",
        "domains": ["finance", "automated-decisions"],
    }
    report = run(tmp_path, accepted(US_CO, "gemma"), {"id": "gemma-2-9b-it"}, use)
    assert report["verdict"] == "blocked"
    assert "GEMMA-PUP-AUTOMATED-DECISIONS" in rules(report, "violation")


def test_gemma_drafting_credit_memos_for_underwriters_is_not_3d(tmp_path: Path) -> None:
    """Gemma PUP 3.d does not reach a tool whose every decision a person takes."""
    use = {
        "commercial": True,
        "distribution": "internal",
        "end_users": "internal",
        "purpose": "Summarise loan files into a memo; the underwriter decides.",
        "domains": ["finance"],
        "human_review": True,
    }
    report = run(tmp_path, accepted(US_CO, "gemma"), {"id": "gemma-2-9b-it"}, use)
    assert report["verdict"] == "allowed"


def test_gemma_adult_companion_is_blocked_and_a_nudity_filter_is_a_review(tmp_path: Path) -> None:
    """Gemma PUP 4: generating sexual content is prohibited; detecting it is outside the words "Generate"."""
    companion = {
        **PUBLIC_CHAT,
        "domains": ["adult-content"],
        "purpose": "An adult companion chatbot for paying subscribers.",
    }
    assert (
        run(tmp_path, accepted(US_CO, "gemma"), {"id": "gemma-2-27b-it"}, companion)["verdict"] == "blocked"
    )
    moderation = {
        **PUBLIC_CHAT,
        "end_users": "internal",
        "distribution": "internal",
        "domains": ["adult-content"],
        "purpose": "Detect and flag nudity in user uploads for the moderation team.",
    }
    report = run(tmp_path, accepted(US_CO, "gemma"), {"id": "gemma-2-27b-it"}, moderation)
    assert report["verdict"] == "needs-review"
    assert "GEMMA-PUP-SEXUAL-CONTENT-CARVE-OUT" in rules(report, "review")
    assert not rules(report, "violation")


# ---------------------------------------------------------------- Gemini API


GEMINI = {"id": "gemini-2.0-flash"}
# Gemini 2.0 Flash was shut down on 2026-06-01: these cases are about the Gemini API terms, on a day
# it served (after it, CONSTRAINT-ROUTE-RETIRED blocks every one of them).
SERVED = "2025-06-01"


def test_solo_developer_prototyping_on_the_free_tier_in_germany(tmp_path: Path) -> None:
    """Gemini API Use Restrictions: paid tier only when making API clients available to users."""
    org = {"name": "Jane Doe", "type": "individual", "country": "DE"}
    use = {
        "commercial": False,
        "distribution": "internal",
        "end_users": "none",
        "stage": "development",
        "domains": ["food"],
        "outputs_train_models": False,
        "purpose": "Prototype a recipe assistant.",
    }
    report = run(
        tmp_path,
        org,
        GEMINI,
        use,
        as_of=SERVED,
        deployment={"regions": ["DE"], "hosting": "provider-api", "api_tier": "free"},
    )
    assert report["verdict"] == "allowed"
    launched = {**use, "end_users": "public", "distribution": "hosted-service", "stage": "production"}
    report = run(
        tmp_path,
        org,
        GEMINI,
        launched,
        as_of=SERVED,
        deployment={"regions": ["DE"], "hosting": "provider-api", "api_tier": "free"},
    )
    assert report["verdict"] == "blocked"
    assert "GEMINI-EEA-CH-UK-PAID-ONLY" in rules(report, "violation")


def test_gemini_teen_tutor_is_blocked_and_an_unaged_course_is_a_review(tmp_path: Path) -> None:
    """Gemini API Age Requirements: no API client directed to or likely accessed by under-18s."""
    paid = {"regions": ["US"], "hosting": "provider-api", "api_tier": "paid"}
    teen = {
        **PUBLIC_CHAT,
        "domains": ["education"],
        "purpose": "Homework help for high-school students.",
        "audience_min_age": 13,
    }
    assert run(tmp_path, US_CO, GEMINI, teen, as_of=SERVED, deployment=paid)["verdict"] == "blocked"
    course = {**PUBLIC_CHAT, "domains": ["education"], "purpose": "Explain statistics concepts to learners."}
    report = run(tmp_path, US_CO, GEMINI, course, as_of=SERVED, deployment=paid)
    assert report["verdict"] == "needs-review"
    assert "GEMINI-AGE-18-EDUCATION" in rules(report, "review")
    adults = {**course, "audience_min_age": 18}
    assert run(tmp_path, US_CO, GEMINI, adults, as_of=SERVED, deployment=paid)["verdict"] == "allowed"


def test_gemini_served_in_russia_is_blocked_and_in_andorra_reviewed(tmp_path: Path) -> None:
    """Gemini API Use Restrictions: only within an available region (Google's list of 2025-11-19)."""
    base = {"hosting": "provider-api", "api_tier": "paid"}
    report = run(
        tmp_path, US_CO, GEMINI, PUBLIC_CHAT, as_of=SERVED, deployment={**base, "regions": ["US", "RU"]}
    )
    assert report["verdict"] == "blocked"
    assert "GEMINI-AVAILABLE-REGION" in rules(report, "violation")
    report = run(
        tmp_path, US_CO, GEMINI, PUBLIC_CHAT, as_of=SERVED, deployment={**base, "regions": ["ES", "AD"]}
    )
    assert report["verdict"] == "needs-review"
    assert rules(report, "review") == {"GEMINI-AVAILABLE-REGION-REVIEW"}


# ---------------------------------------------------------------- training data and providers


def fine_tune(*data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "phi-3-mini-4k-instruct",
        "modification": "fine-tune",
        "published_name": "acme-phi",
        "training_data": list(data),
    }


def test_training_data_spelled_the_creative_commons_way(tmp_path: Path) -> None:
    """CC BY-NC 4.0 §2(a)(1), §1(i): 'CC BY-NC 4.0' is non-commercial however it is written."""
    report = run(tmp_path, US_CO, fine_tune({"name": "reviews", "license": "CC BY-NC 4.0"}), PUBLIC_CHAT)
    assert report["verdict"] == "needs-review"
    assert "TRAINING-DATA-NONCOMMERCIAL" in rules(report, "review")


def test_training_data_under_a_vendor_eula_is_a_review(tmp_path: Path) -> None:
    report = run(tmp_path, US_CO, fine_tune({"name": "vendor", "license": "Acme Data EULA v3"}), PUBLIC_CHAT)
    assert report["verdict"] == "needs-review"
    assert rules(report, "review") == {"TRAINING-DATA-UNRECOGNISED-LICENSE"}


def test_gpt_4o_dialogues_carry_openais_output_terms(tmp_path: Path) -> None:
    data = {"name": "gpt4o-dialogues", "license": "openai-terms", "source_model": "gpt-4o"}
    report = run(tmp_path, US_CO, fine_tune(data), PUBLIC_CHAT)
    assert report["verdict"] == "needs-review"
    assert "TRAINING-DATA-API-OUTPUT-TERMS" in rules(report, "review")
    assert not report.get("lineage")  # an API teacher is not a base: its service rules do not apply


def test_deepseek_r1_through_deepseeks_api_is_not_decided_by_mit(tmp_path: Path) -> None:
    """Provider terms: DeepSeek's own API is governed by its platform terms, not the weights' MIT licence."""
    use = {**PUBLIC_CHAT, "end_users": "internal"}
    # on a day DeepSeek's API served R1 (it moved the alias to R1-0528 on 2025-05-28), the shutdown
    # within 6 months is a review; on 2026-11-01 the route is retired, a violation
    api = run(
        tmp_path,
        US_CO,
        {"id": "deepseek-r1"},
        use,
        as_of="2025-03-01",
        deployment={"regions": ["US"], "hosting": "provider-api", "provider": "deepseek"},
    )
    assert api["verdict"] == "needs-review"
    assert rules(api, "review") == {"PROVIDER-DEEPSEEK-PLATFORM-TERMS", "CONSTRAINT-ROUTE-SHUTDOWN-SOON"}
    later = run(
        tmp_path,
        US_CO,
        {"id": "deepseek-r1"},
        use,
        as_of="2026-11-01",
        deployment={"regions": ["US"], "hosting": "provider-api", "provider": "deepseek"},
    )
    assert later["verdict"] == "blocked" and rules(later, "violation") == {"CONSTRAINT-ROUTE-RETIRED"}
    bedrock = run(
        tmp_path,
        US_CO,
        {"id": "deepseek-r1"},
        use,
        deployment={"regions": ["US"], "hosting": "provider-api", "provider": "aws-bedrock"},
    )
    assert bedrock["verdict"] == "allowed"
    assert "PROVIDER-SERVICE-TERMS" in rules(bedrock, "info")
