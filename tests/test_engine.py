"""The engine: verdicts per SPEC section 3, missing facts, evidence, waivers, determinism."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from licensecheck.api import Context, load_context
from licensecheck.engine import evaluate
from licensecheck.model import Finding, Outcome, Severity, Verdict, Waiver, verdict_of
from licensecheck.resolve import resolve_model
from licensecheck.usecase import parse_usecase
from licensecheck.yamlsource import parse_yaml


@cache
def context() -> Context:
    return load_context()  # on first use, not when the module is collected


def report_for(yaml_text: str, waivers: tuple[Waiver, ...] = (), as_of: str = "2026-11-27"):  # type: ignore[no-untyped-def]
    usecase = parse_usecase(parse_yaml(yaml_text, "case.yaml"))
    ctx = context()
    model = resolve_model(usecase, ctx.catalog, ctx.ruleset.licenses)
    return evaluate(usecase, model, ctx.ruleset, waivers, as_of)


BASE = """
name: t
organization: {type: company, country: US, monthly_active_users: MAU}
model: {id: llama-3.1-8b-instruct, modification: none}
use: {commercial: true, distribution: DIST, outputs_train_models: false, domains: [customer-support]}
"""


def case(mau: int = 1000, dist: str = "hosted-service") -> str:
    return BASE.replace("MAU", str(mau)).replace("DIST", dist)


def finding(outcome: Outcome, waived: bool = False) -> Finding:
    return Finding("X-1", "license", outcome, Severity.INFO, "t", "m", "r", "l", "c", "s", waived=waived)


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([], Verdict.ALLOWED),
        ([Outcome.INFO], Verdict.ALLOWED),
        ([Outcome.OBLIGATION, Outcome.INFO], Verdict.ALLOWED_WITH_OBLIGATIONS),
        ([Outcome.OBLIGATION, Outcome.REVIEW], Verdict.NEEDS_REVIEW),
        ([Outcome.REVIEW, Outcome.VIOLATION, Outcome.OBLIGATION], Verdict.BLOCKED),
    ],
)
def test_verdict_follows_the_spec(outcomes: list[Outcome], expected: Verdict) -> None:
    assert verdict_of([finding(o) for o in outcomes]) is expected


def test_a_finding_of_a_rule_has_each_field_where_finding_names_it() -> None:
    """finding_of builds a Finding positionally (a shortlist builds some 1,400): each field is the
    one its name says, the rule's citation, what is given, and no waiver."""
    from licensecheck.engine import finding_of

    rule = next(r for r in context().ruleset.rules.values() if r.text and r.quote and r.pack)
    plain = finding_of(rule, "the message", "the remedy")
    expected = dict.fromkeys(Finding._fields)  # None where neither the rule nor the caller gives one
    expected.update(
        rule=rule.id,
        category=rule.category,
        outcome=rule.outcome,
        severity=rule.severity,
        title=rule.title,
        message="the message",
        remedy="the remedy",
        license=rule.license,
        clause=rule.clause,
        source=rule.source,
        evidence=(),
        waived=False,
        text=rule.text,
        missing=(),
        quote=rule.quote,
        pack=rule.pack,
    )
    assert plain._asdict() == expected
    given = finding_of(
        rule,
        "m",
        "r",
        outcome=Outcome.REVIEW,
        severity=Severity.WARNING,
        evidence=(("use.commercial", True),),
        location=(3, 5),
        missing=("use.commercial",),
    )
    assert (given.outcome, given.severity, given.evidence) == (
        Outcome.REVIEW,
        Severity.WARNING,
        (("use.commercial", True),),
    )
    assert (given.location, given.missing) == ((3, 5), ("use.commercial",))


def test_waived_findings_do_not_count() -> None:
    assert (
        verdict_of([finding(Outcome.VIOLATION, waived=True), finding(Outcome.OBLIGATION)])
        is Verdict.ALLOWED_WITH_OBLIGATIONS
    )


def test_threshold_violation_carries_clause_source_and_evidence() -> None:
    report = report_for(case(mau=900_000_000))
    assert report.verdict is Verdict.BLOCKED
    top = report.findings[0]
    assert (top.rule, top.outcome, top.clause) == ("LLAMA31-MAU-700M", Outcome.VIOLATION, "§2")
    assert top.source.startswith("https://github.com/meta-llama/llama-models/")
    assert dict(top.evidence) == {"organization.monthly_active_users": 900_000_000}
    assert "900,000,000" in top.message
    assert top.location == (3, 66)


def test_missing_fact_gives_review_naming_it() -> None:
    report = report_for(case().replace("monthly_active_users: 1000", "name: Quiet Co"))
    review = next(f for f in report.findings if f.rule == "LLAMA31-MAU-700M")
    assert review.outcome is Outcome.REVIEW
    assert review.missing == ("organization.monthly_active_users",)
    assert "organization.monthly_active_users" in review.message
    assert report.verdict is Verdict.NEEDS_REVIEW


def test_missing_derived_input_is_reported_as_the_input() -> None:
    report = report_for(case().replace("distribution: hosted-service, ", ""))
    review = next(f for f in report.findings if f.rule == "LLAMA31-BUILT-WITH-LLAMA")
    assert review.outcome is Outcome.REVIEW
    assert review.missing == ("use.distribution",)


def test_internal_use_has_no_display_duty() -> None:
    # With the gated licence's acceptance recorded, only the note showing that record remains.
    accepted = (
        case(dist="internal")
        .replace("MAU", "")
        .replace("1000}", "1000, accepted_terms: [{license: llama3.1}]}")
    )
    report = report_for(accepted)
    assert report.verdict is Verdict.ALLOWED
    assert [f.rule for f in report.findings] == ["TERMS-ACCEPTANCE-RECORDED"]


def test_findings_are_sorted_most_serious_first_and_deterministic() -> None:
    first = report_for(case(mau=900_000_000, dist="weights"))
    second = report_for(case(mau=900_000_000, dist="weights"))
    assert first == second
    outcomes = [f.outcome for f in first.findings]
    assert outcomes == sorted(
        outcomes, key=lambda o: ["violation", "review", "obligation", "info"].index(o.value)
    )
    assert outcomes[0] is Outcome.VIOLATION


def test_rules_only_meet_models_of_their_licence() -> None:
    report = report_for(case(mau=900_000_000).replace("llama-3.1-8b-instruct", "gpt-oss-20b"))
    assert not any(f.rule.startswith("LLAMA31") for f in report.findings)
    assert report.verdict is Verdict.ALLOWED
    assert "LLAMA31-MAU-700M" not in report.rules_evaluated


def test_waiver_applies_until_it_expires() -> None:
    waiver = Waiver("LLAMA31-MAU-*", "MAU in June 2024 was 650M (board minutes)", "legal@x", "2027-01-31")
    applied = report_for(case(mau=900_000_000), (waiver,), as_of="2027-01-31")
    mau = next(f for f in applied.findings if f.rule == "LLAMA31-MAU-700M")
    assert mau.waived and mau.waiver_status == "applied"
    assert applied.verdict is Verdict.ALLOWED_WITH_OBLIGATIONS
    expired = report_for(case(mau=900_000_000), (waiver,), as_of="2027-02-01")
    mau = next(f for f in expired.findings if f.rule == "LLAMA31-MAU-700M")
    assert not mau.waived and mau.waiver_status == "expired"
    assert expired.verdict is Verdict.BLOCKED


def test_stale_waiver_is_reported() -> None:
    waiver = Waiver("NOPE-RULE", "r", "a", "2030-01-01")
    report = report_for(case(), (waiver,))
    assert report.stale_waivers == (waiver,)


def test_hf_repo_id_resolves_case_insensitively(tmp_path: Path) -> None:
    report = report_for(case().replace("llama-3.1-8b-instruct", "META-LLAMA/llama-3.1-8b-instruct"))
    assert report.model.id == "llama-3.1-8b-instruct"
    assert report.model.license == "llama3.1"


def test_inline_model_facts_and_licence_alias() -> None:
    text = case().replace(
        "{id: llama-3.1-8b-instruct, modification: none}",
        "{name: In-house 3B, license: Apache-2.0, modification: none}",
    )
    report = report_for(text)
    assert (report.model.id, report.model.name, report.model.license) == (None, "In-house 3B", "apache-2.0")
