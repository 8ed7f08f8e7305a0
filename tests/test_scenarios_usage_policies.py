"""Realistic use cases on the OpenAI and Anthropic terms and on text signatures, through the CLI in-process.

Each test names the clause it rests on. Models are catalog models (GPT-4o, GPT-6 Sol, Claude Sonnet 5,
gpt-oss-20b, Llama 3.1), as a team would name them; most use cases give only the facts of the first
format version, some add the SPEC 2a facts (human_review, ai_disclosure, audience_min_age,
trained_model). Stays review for lack of a full primary text (so these scenarios expect needs-review
where they hinge on it): Anthropic's Universal Usage Standards (headings only), the supported-country
lists of OpenAI and Anthropic (secondary), OpenAI Services Agreement §3.3(e) and Anthropic Commercial
Terms D.4 (competing models).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import evaluate_usecase, rules

COMPANY = {"name": "Acme Inc", "type": "company", "country": "US", "annual_revenue_usd": 8_000_000}
SUPPORT = {
    "commercial": True,
    "distribution": "hosted-service",
    "end_users": "public",
    "outputs_train_models": False,
    "domains": ["customer-support"],
    "purpose": "Answer customer questions about orders, returns and delivery times.",
}
API = {"regions": ["US"], "hosting": "provider-api"}
# A day the models here were served (Claude Sonnet 5 from 2026-06-30) with no shutdown within 6 months
# (GPT-4o's API shuts down on 2027-01-14): these scenarios are about the terms, and the lifecycle
# rules stay out of them. GPT-6 Sol and Claude Opus 5.5 came out on 2026-09-22: LATER.
SERVED = "2026-07-01"
LATER = "2026-10-01"


def evaluate(
    tmp_path: Path, model: str, use: dict[str, Any], as_of: str = SERVED, **more: Any
) -> dict[str, Any]:
    """One use case through `licensecheck evaluate --format json`, in-process; its one report."""
    data = {"name": "scenario", "organization": COMPANY, "model": {"id": model}, "use": use, **more}
    return evaluate_usecase(tmp_path, data, "--as-of", as_of)


# ---------------------------------------------------------------- OpenAI


def test_a_support_chatbot_on_gpt4o_with_the_old_facts_only_is_allowed(tmp_path: Path) -> None:
    report = evaluate(tmp_path, "gpt-4o", SUPPORT, deployment=API)
    assert report["verdict"] == "allowed"
    assert rules(report) == set()


def test_automated_loan_decisions_on_gpt_6_are_blocked_unless_a_human_reviews(tmp_path: Path) -> None:
    """Usage Policies, Empower people: "automation of high-stakes decisions in sensitive areas without
    human review" (financial activities and credit)."""
    use = {**SUPPORT, "domains": ["finance", "automated-decisions"], "purpose": "Pre-approve personal loans."}
    report = evaluate(tmp_path, "gpt-6-sol", use, LATER, deployment=API)
    assert report["verdict"] == "blocked"
    finding = next(f for f in report["findings"] if f["rule"] == "OPENAI-AUP-HIGH-STAKES-AUTOMATION")
    assert finding["quote"] == "automation of high-stakes decisions in sensitive areas without human review"
    reviewed = evaluate(
        tmp_path, "gpt-6-sol", {**use, "domains": ["finance"], "human_review": True}, LATER, deployment=API
    )
    assert "OPENAI-AUP-HIGH-STAKES-AUTOMATION" not in rules(reviewed)


def test_medical_answers_on_gpt4o_need_a_clinician_in_the_loop(tmp_path: Path) -> None:
    """Usage Policies, Protect people: no tailored advice that requires a license "without appropriate
    involvement by a licensed professional"."""
    use = {
        **SUPPORT,
        "domains": ["medical-advice", "healthcare"],
        "purpose": "Answer patients' questions about their symptoms.",
    }
    assert (
        evaluate(tmp_path, "gpt-4o", {**use, "human_review": False}, deployment=API)["verdict"] == "blocked"
    )
    unsaid = evaluate(tmp_path, "gpt-4o", use, deployment=API)
    assert unsaid["verdict"] == "needs-review"
    assert "OPENAI-AUP-LICENSED-ADVICE-REVIEW" in rules(unsaid, "review")
    reviewed = evaluate(tmp_path, "gpt-4o", {**use, "human_review": True}, deployment=API)
    assert not {r for r in rules(reviewed) if "LICENSED-ADVICE" in r}


def test_distilling_gpt_outputs_into_an_open_llm_needs_review_but_an_internal_classifier_does_not(
    tmp_path: Path,
) -> None:
    """Services Agreement §3.3(e) (elided in the text read, S): no competing models; the reported Permitted
    Exception covers classifiers and embedding models that are not distributed."""
    use = {
        **SUPPORT,
        "outputs_train_models": True,
        "trained_model": {"kind": "llm", "distribution": "weights"},
    }
    report = evaluate(tmp_path, "gpt-4o", use, deployment=API)
    assert report["verdict"] == "needs-review"
    assert "OPENAI-OUTPUTS-COMPETING-MODELS" in rules(report, "review")
    classifier = {**use, "trained_model": {"kind": "classifier", "distribution": "internal"}}
    assert evaluate(tmp_path, "gpt-4o", classifier, deployment=API)["verdict"] == "allowed"


def test_offering_gpt_in_an_unsupported_country_needs_review(tmp_path: Path) -> None:
    """Terms of Use (2023) §2(c): "only in geographies currently supported by OpenAI" (list secondary, S)."""
    report = evaluate(tmp_path, "gpt-4o", SUPPORT, deployment={**API, "regions": ["US", "RU"]})
    assert report["verdict"] == "needs-review"
    assert rules(report) == {"OPENAI-UNSUPPORTED-REGION"}


def test_the_audits_teen_symptom_checker_is_blocked_on_gpt4o(tmp_path: Path) -> None:
    """Usage Policies: weapons (Protect people) is a violation; the advice and minors rules are reviews."""
    use = {
        **SUPPORT,
        "domains": ["medical-advice", "minors", "weapons"],
        "audience_min_age": 13,
        "purpose": "A symptom checker for teenagers.",
    }
    report = evaluate(tmp_path, "gpt-4o", use, deployment={**API, "regions": ["US", "CN"]})
    assert report["verdict"] == "blocked"
    assert {"OPENAI-AUP-WEAPONS"} <= rules(report, "violation")
    assert {"OPENAI-MINORS", "OPENAI-AUP-LICENSED-ADVICE-REVIEW", "OPENAI-UNSUPPORTED-REGION"} <= rules(
        report, "review"
    )


# ---------------------------------------------------------------- Anthropic


def test_a_support_chatbot_on_claude_owes_the_ai_disclosure(tmp_path: Path) -> None:
    """Usage Policy, Additional Use Case Guidelines: consumer-facing chatbots "must disclose to users that
    they are interacting with AI rather than a human"."""
    report = evaluate(tmp_path, "claude-sonnet-5", SUPPORT, deployment=API)
    assert report["verdict"] == "allowed-with-obligations"
    assert rules(report) == {"ANTHROPIC-CHATBOT-AI-DISCLOSURE-DUTY"}
    assert (
        evaluate(tmp_path, "claude-sonnet-5", {**SUPPORT, "ai_disclosure": True}, deployment=API)["verdict"]
        == "allowed"
    )
    hidden = evaluate(tmp_path, "claude-sonnet-5", {**SUPPORT, "ai_disclosure": False}, deployment=API)
    assert hidden["verdict"] == "blocked"
    assert rules(hidden, "violation") == {"ANTHROPIC-CHATBOT-AI-DISCLOSURE"}


def test_the_audits_teen_symptom_checker_is_no_longer_allowed_on_claude(tmp_path: Path) -> None:
    """The audit's failing case (it came out ALLOWED): High-Risk Use Case Requirements (medical), products
    serving minors, the weapons standard (heading only) and an unsupported region are reviews; once the use
    case says no clinician reviews the answers, the human-in-the-loop requirement blocks it."""
    use = {
        **SUPPORT,
        "domains": ["medical-advice", "minors", "weapons"],
        "audience_min_age": 13,
        "purpose": "A symptom checker for teenagers.",
    }
    deployment = {**API, "regions": ["US", "CN"]}
    report = evaluate(tmp_path, "claude-sonnet-5", use, deployment=deployment)
    assert report["verdict"] == "needs-review"
    assert {
        "ANTHROPIC-HIGH-RISK-HUMAN-REVIEW",
        "ANTHROPIC-HIGH-RISK-DISCLOSURE",
        "ANTHROPIC-MINORS",
        "ANTHROPIC-UNIVERSAL-STANDARDS",
        "ANTHROPIC-UNSUPPORTED-REGION",
    } <= rules(report, "review")
    blocked = evaluate(
        tmp_path, "claude-opus-5-5", {**use, "human_review": False}, LATER, deployment=deployment
    )
    assert blocked["verdict"] == "blocked"
    assert "ANTHROPIC-HIGH-RISK-HUMAN-REVIEW" in rules(blocked, "violation")


def test_a_legal_help_service_with_lawyer_review_and_disclosure_is_allowed_on_claude(tmp_path: Path) -> None:
    use = {
        **SUPPORT,
        "domains": ["legal-advice"],
        "human_review": True,
        "ai_disclosure": True,
        "purpose": "Draft answers to tenants' legal questions; a housing lawyer reviews each answer before it is sent.",
    }
    report = evaluate(tmp_path, "claude-sonnet-5", use, deployment=API)
    assert report["verdict"] == "allowed"


def test_an_internal_cv_screener_on_claude_needs_review_until_recruiters_review_each_result(
    tmp_path: Path,
) -> None:
    use = {
        **SUPPORT,
        "distribution": "internal",
        "end_users": "internal",
        "domains": ["employment"],
        "purpose": "Rank incoming CVs against the job requirements for our recruiters.",
    }
    report = evaluate(tmp_path, "claude-haiku-4-5", use, deployment=API)
    assert report["verdict"] == "needs-review"
    assert rules(report) == {"ANTHROPIC-HIGH-RISK-INTERNAL"}
    assert (
        evaluate(tmp_path, "claude-haiku-4-5", {**use, "human_review": True}, deployment=API)["verdict"]
        == "allowed"
    )


def test_claude_outputs_training_a_classifier_need_authorisation_review(tmp_path: Path) -> None:
    use = {
        **SUPPORT,
        "ai_disclosure": True,
        "outputs_train_models": True,
        "trained_model": {"kind": "classifier", "distribution": "internal"},
    }
    report = evaluate(tmp_path, "claude-sonnet-5", use, deployment=API)
    assert report["verdict"] == "needs-review"
    assert rules(report) == {"ANTHROPIC-OUTPUTS-TRAIN-ANY-MODEL"}


# ---------------------------------------------------------------- gpt-oss


def test_gpt_oss_self_hosted_carries_only_the_apply_the_law_note_from_openai(tmp_path: Path) -> None:
    """gpt-oss USAGE_POLICY: one sentence (comply with applicable law); no OpenAI Usage Policies rule applies."""
    use = {**SUPPORT, "domains": ["medical-advice"], "human_review": False}
    report = evaluate(tmp_path, "gpt-oss-20b", use, deployment={"regions": ["US"], "hosting": "self-hosted"})
    assert "GPTOSS-USAGE-POLICY" in rules(report, "info")
    assert not {r for r in rules(report) if r.startswith("OPENAI-")}


# ---------------------------------------------------------------- text signatures with no domain tag


def test_a_purpose_that_states_covert_monitoring_is_found_without_a_tag(tmp_path: Path) -> None:
    """Llama 3.1 AUP 1.e, OpenAI Respect privacy: "without their knowledge" makes monitoring the prohibited act;
    Anthropic's privacy standard is a heading only, so there it is a review."""
    use = {
        **SUPPORT,
        "purpose": "Read my employees' private messages and track their phones without their knowledge.",
    }
    assert "LLAMA31-AUP-TRACKING-TEXT-PLAIN" in rules(
        evaluate(tmp_path, "llama-3.1-8b-instruct", use), "violation"
    )
    assert "OPENAI-AUP-TRACKING-TEXT-PLAIN" in rules(
        evaluate(tmp_path, "gpt-4o", use, deployment=API), "violation"
    )
    claude = evaluate(tmp_path, "claude-sonnet-5", {**use, "ai_disclosure": True}, deployment=API)
    assert claude["verdict"] == "needs-review"
    assert rules(claude) == {"ANTHROPIC-AUP-TRACKING-TEXT-PLAIN"}


def test_fabricated_compromising_images_of_a_real_person_are_blocked(tmp_path: Path) -> None:
    use = {
        **SUPPORT,
        "domains": ["marketing"],
        "purpose": "Generate embarrassing fake photos of our rival's CEO drunk at a party.",
    }
    report = evaluate(tmp_path, "gpt-4o", use, deployment=API)
    assert report["verdict"] == "blocked"
    assert "OPENAI-AUP-INTIMATE-IMAGERY-TEXT-PLAIN" in rules(report, "violation")


def test_approving_loans_without_human_review_is_blocked_by_the_text_alone(tmp_path: Path) -> None:
    use = {
        **SUPPORT,
        "domains": ["finance"],
        "purpose": "Approve or reject small-business loans without human review.",
    }
    report = evaluate(tmp_path, "gpt-4o", use, deployment=API)
    assert report["verdict"] == "blocked"
    assert "OPENAI-AUP-AUTOMATED-DECISIONS-TEXT-PLAIN" in rules(report, "violation")


def test_a_benign_minors_or_hiring_use_where_a_human_decides_is_not_a_violation(tmp_path: Path) -> None:
    """A tag about minors or hiring with a benign purpose and a deciding human: reviews at most, no violation."""
    tutor = {
        **SUPPORT,
        "domains": ["education", "minors"],
        "purpose": "A reading tutor for children aged 8 to 11; teachers review the reading plans.",
    }
    for model in ("llama-3.1-8b-instruct", "gpt-4o"):
        report = evaluate(tmp_path, model, tutor, deployment=API)
        assert report["verdict"] != "blocked", (model, rules(report))
        assert not {r for r in rules(report) if r.endswith(("-TEXT", "-TEXT-PLAIN"))}
    hiring = {
        **SUPPORT,
        "distribution": "internal",
        "end_users": "internal",
        "domains": ["employment"],
        "human_review": True,
        "purpose": "Summarise applications for our recruiters, who decide who to interview.",
    }
    for model in ("llama-3.1-8b-instruct", "gpt-4o", "claude-sonnet-5"):
        report = evaluate(tmp_path, model, hiring, deployment=API)
        assert not [f["rule"] for f in report["findings"] if f["category"] == "acceptable-use"], model
