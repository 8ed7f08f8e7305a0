"""The route a use case takes and the basics it gets there: route choice, evidence, confidence, shortlist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, SAMPLES, run_cli

from licensecheck import api
from licensecheck.basics import chosen, months_after, route_label, route_view
from licensecheck.errors import InputError
from licensecheck.facts import Environment, Facts
from licensecheck.model import ModelFacts, Outcome
from licensecheck.resolve import from_catalog

ROUTE_TESTS = ROOT / "rules" / "constraints" / "routes.tests.yaml"
GPUS_OR_API = SAMPLES / "select-gpus-or-api.yaml"
SUPPORT_CHAT = SAMPLES / "select-support-chat.yaml"


def _test_data() -> dict[str, Any]:
    return yaml.safe_load(ROUTE_TESTS.read_text(encoding="utf-8"))


def _model(model_id: str) -> ModelFacts:
    from licensecheck.catalog import catalog_entry

    raw = next(m for m in _test_data()["models"] if m["id"] == model_id)
    return from_catalog(catalog_entry(raw))


def _facts(values: dict[str, Any], model: ModelFacts, day: str = "2026-01-01", ctx: Any = None) -> Facts:
    gpus = ctx.ruleset.gpus() if ctx is not None else None
    return Facts(values, model, None, Environment(day, gpus))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-01-01", 6, "2026-07-01"),
        ("2025-08-31", 6, "2026-02-28"),  # the day clamped to the month's end
        ("2027-08-31", 6, "2028-02-29"),
        ("2026-07-15", 6, "2027-01-15"),
    ],
)
def test_months_after(day: str, months: int, expected: str) -> None:
    assert months_after(day, months) == expected


def test_route_choice_follows_hosting_and_provider() -> None:
    api_model = _model("test-api")
    pick = lambda values, day="2026-01-01": route_label(chosen(_facts(values, api_model, day)))  # noqa: E731
    assert (
        pick({"deployment.hosting": "provider-api", "deployment.provider": "azure"}) == "Test Azure [azure]"
    )
    # no provider: the first route not retired (the retired Azure route is passed over)
    assert pick({"deployment.hosting": "provider-api"}) == "Test API [openai]"
    # a closed model whose every route is retired keeps its own, retired, route
    assert pick({}, "2026-06-01") == "Test API [openai]"
    assert pick({"deployment.provider": "together"}) == "the together API (no route in the catalog)"
    own = _model("test-open-20b")
    assert route_label(chosen(_facts({"deployment.hosting": "self-hosted"}, own))) == (
        "self-hosted (deployment.gpu not given)"
    )


def test_open_weights_without_hosting_take_the_cheaper_route(context: Any) -> None:
    """An open model with a live API route and deployment.gpu: the cheaper of the two is taken."""
    entry = context.catalog.find("mistral-small-4")
    model = from_catalog(entry)
    values = {
        "deployment.gpu.type": "h100-80gb",
        "deployment.gpu.count": 2,
        "deployment.api_tier": "paid",
        "requirements.monthly_input_tokens": 1_000_000,
        "requirements.monthly_output_tokens": 100_000,
        "requirements.min_context_tokens": 8000,
        "requirements.concurrent_requests": 4,
    }
    facts = _facts(values, model, "2026-11-01", context)
    view = route_view(facts)
    assert view.api is not None and view.api.monthly_cost_usd is not None
    # a few tokens a month: the API's per-token prices beat renting two GPUs for the month
    assert view.taken.hosting == "api" and view.taken.short == "mistral API"
    heavy = dict(
        values, **{"requirements.monthly_input_tokens": 10**13, "requirements.monthly_output_tokens": 10**12}
    )
    assert route_view(_facts(heavy, model, "2026-11-01", context)).taken.monthly_cost_usd is not None


@pytest.mark.parametrize("model_id", ["test-api", "test-reasoning", "test-open-20b", "mistral-small-4"])
@pytest.mark.parametrize("hosting", [None, "provider-api", "self-hosted"])
def test_every_derived_fact_reads_the_same_through_its_reader(
    context: Any, model_id: str, hosting: Any
) -> None:
    """facts.reader (what compiled conditions read through) gives what Facts.get gives for every
    derived fact, and keeps the same Missing or Explained for the evidence and the review."""
    from licensecheck.facts import DERIVED, reader

    entry = context.catalog.find(model_id)
    model = from_catalog(entry) if entry is not None else _model(model_id)
    values = {
        "organization.country": "DE",
        "deployment.regions": ["EU", "US"],
        "deployment.gpu.type": "h100-80gb",
        "deployment.api_tier": "paid",
        "use.distribution": "api",
        "requirements.modalities": ["text"],
        "requirements.monthly_input_tokens": 3_000_000,
        "requirements.monthly_output_tokens": 700_000,
        "requirements.min_context_tokens": 8000,
        **({"deployment.hosting": hosting} if hosting else {}),
    }
    read, got = _facts(values, model, "2026-11-01", context), _facts(values, model, "2026-11-01", context)
    for path in sorted(DERIVED):
        assert reader(path)(read) == got.get(path), path
        assert read.missing_inputs(path) == got.missing_inputs(path), path
        assert read.explanation(path) == got.explanation(path), path
    assert any(got.explanation(path) is not None for path in DERIVED)  # some facts carry evidence


def test_evidence_carries_the_formula_inputs_and_sources(context: Any) -> None:
    report = api.evaluate(
        context,
        {
            "name": "fit",
            "model": {"id": "deepseek-r1"},
            "use": {"commercial": True, "distribution": "internal"},
            "deployment": {"hosting": "self-hosted", "gpu": {"type": "h100-80gb", "count": 2}},
            "requirements": {"min_context_tokens": 32000, "concurrent_requests": 8},
        },
        as_of="2026-11-01",
    )
    finding = next(f for f in report.reports[0].findings if f.rule == "CONSTRAINT-SELF-HOSTED-FIT")
    # the GPU table is a secondary source: the miss is a review that says so, not a violation
    assert finding.outcome is Outcome.REVIEW and "confidence S" in finding.message
    # 688.99 GB over 72 GB usable per H100 80GB: the message names the fewest that would hold it
    assert "it needs at least 10 x h100-80gb" in " ".join(finding.message.split())
    evidence = dict(finding.evidence)
    weights = evidence["derived.self_hosted_weights_gb"]
    assert weights["value"] == 671 and weights["unit"] == "GB"
    assert "kv_cache_gb" in weights["formula"] and weights["inputs"]["attention"] == "mla"
    assert weights["parts"]["kv_cache_gb"] == pytest.approx(17.99)  # 576 x 2 B x 61 layers x 32,000 x 8
    assert weights["sources"]["gpu"]["id"] == "h100-80gb" and weights["sources"]["gpu"]["read"]
    assert weights["sources"]["transformer"]["confidence"] == "P"
    assert weights["factors"]["memory_reserve"]["sources"]
    text = api.render(report, "text")
    assert "671 GB (required_gb = weights_gb + kv_cache_gb" in text


def test_a_retired_route_cites_the_providers_notice(context: Any) -> None:
    report = api.evaluate(
        context,
        {
            "name": "old",
            "model": {"id": "claude-3.5-sonnet"},
            "use": {"commercial": True, "distribution": "internal"},
            "deployment": {"hosting": "provider-api", "provider": "anthropic"},
        },
        as_of="2026-11-01",
    )
    finding = next(f for f in report.reports[0].findings if f.rule == "CONSTRAINT-ROUTE-RETIRED")
    assert finding.outcome is Outcome.VIOLATION
    assert "2025-10-28" in finding.message and "platform.claude.com" in finding.message
    retired = dict(finding.evidence)["derived.route_retired"]
    assert retired["value"] is True and retired["shutdown_on"] == "2025-10-28"
    assert retired["confidence"] in ("P", "C") and retired["sources"] and retired["read"]


def test_first_violation_skips_a_violation_resting_on_secondary_data(context: Any) -> None:
    """The shortlist's fast path agrees with the full report: an S-rated miss is not a violation."""
    from licensecheck.document import Document
    from licensecheck.engine import evaluate, first_violation
    from licensecheck.usecase import parse_usecase

    data = {
        "name": "speed",
        "model": {"id": "gpt-4o"},
        "use": {"commercial": True, "distribution": "internal"},
        "deployment": {"hosting": "provider-api", "provider": "openai"},
        "requirements": {"min_output_tokens_per_second": 500},
    }
    usecase = parse_usecase(Document("speed.yaml", data))
    model = from_catalog(context.catalog.find("gpt-4o"))._replace(license="openai-terms")
    report = evaluate(usecase, model, context.ruleset, (), "2026-11-01")
    speed = next(f for f in report.findings if f.rule == "CONSTRAINT-MIN-SPEED")
    assert speed.outcome is Outcome.REVIEW  # the measured median is from a secondary source (S)
    first = first_violation(usecase, model, context.ruleset, "2026-11-01")
    assert first is None or first.rule != "CONSTRAINT-MIN-SPEED"
    # the same with the rule's condition compiled, on a rule set prepared for the use case
    prepared = context.ruleset.prepare(usecase)
    assert first_violation(usecase, model, prepared, "2026-11-01") == first


def test_unknown_gpu_is_a_located_input_error(context: Any, tmp_path: Path) -> None:
    text = GPUS_OR_API.read_text(encoding="utf-8").replace("type: h100-80gb", "type: h100")
    case = tmp_path / "gpu.yaml"
    case.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        api.shortlist(context, case)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "type: h100" in row)
    assert (caught.value.line, caught.value.message) == (line, "unknown GPU 'h100'")
    assert "h100-80gb" in (caught.value.hint or "")
    result = run_cli("evaluate", str(case))
    assert (
        result.returncode == 2 and f"gpu.yaml:{line}:" in result.stderr and "Traceback" not in result.stderr
    )


def test_gpu_needs_a_count(tmp_path: Path) -> None:
    case = tmp_path / "count.yaml"
    case.write_text(GPUS_OR_API.read_text(encoding="utf-8").replace(", count: 2", ""), encoding="utf-8")
    result = run_cli("evaluate", str(case))
    assert result.returncode == 2 and "count" in result.stderr


def test_pack_test_models_are_validated_and_located(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    data = _test_data()
    data["models"][0]["routes"][0]["lifecycle"]["status"] = "gone"
    (folder / "mine.tests.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli("rules", "lint", "--", str(folder))
    assert result.returncode == 2
    assert "mine.tests.yaml:" in result.stderr and "gone" in result.stderr


def test_pack_test_gpus_may_not_repeat_a_bundled_id(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    data = _test_data()
    data["gpus"][0]["id"] = "h100-80gb"
    (folder / "mine.tests.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli("rules", "test", "--", str(folder))
    assert result.returncode == 2 and "already in the GPU table" in result.stderr


# ------------------------------------------------------------------------------ the shortlist


def _shortlist(path: Path, *args: str) -> dict[str, Any]:
    result = run_cli("shortlist", str(path), "--format", "json", "--as-of", "2026-11-01", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_support_chat_ranks_no_retired_model(context: Any) -> None:
    data = _shortlist(SUPPORT_CHAT)
    ranked = [c["model"]["id"] for c in data["shortlist"]]
    retired = {
        m.id for m in context.catalog.models if context.catalog.status(m.id, "2026-11-01") == "retired"
    }
    assert retired >= {"o1", "o3-mini", "gemini-2.0-flash", "claude-3.5-haiku", "claude-3-opus"}
    assert not retired & set(ranked)
    excluded = {e["model"]["id"]: e for e in data["excluded"]}
    assert retired <= set(excluded)
    assert "shut down on 2026-10-23" in excluded["o1"]["reason"]["message"]
    assert excluded["o1"]["reason"]["source"].startswith("https://")
    # deprecated models stay ranked, marked with their status
    status = {c["model"]["id"]: c["status"] for c in data["shortlist"]}
    assert status["gpt-4o-mini"] == "deprecated"
    top = data["shortlist"][:5]
    assert all(c["routes"]["taken"]["status"] in ("active", "deprecated") for c in top)


def test_gpus_or_api_puts_both_routes_side_by_side() -> None:
    data = _shortlist(GPUS_OR_API)
    everyone = data["shortlist"]
    assert everyone
    for c in everyone:
        routes = c["routes"]
        taken = routes["taken"]
        assert taken["route"] and taken["hosting"] in ("api", "self-hosted")
        if c["facts"]["weights"] == "open":
            own = routes["self_hosted"]
            assert own is not None and own["route"] == "self-hosted on 2 x h100-80gb"
            # the estimates are there where the architecture is known, and say what they lack elsewhere
            if own["output_tokens_per_second_bound"] is not None:
                assert own["usable_gb"] == 144
                assert "derived.output_tokens_per_second_bound" in own["evidence"]
            assert own["monthly_cost_usd"] is not None or own["cost_unknown"]
        else:
            assert routes["self_hosted"] is None
            api_route = routes["api"]
            assert api_route is not None and "requests_per_minute" in api_route
    by_id = {c["model"]["id"]: c for c in everyone}
    oss = by_id["gpt-oss-120b"]["routes"]["self_hosted"]
    assert oss["required_gb"] == pytest.approx(71.63) and oss["monthly_cost_usd"] == pytest.approx(3927.4)
    cost = oss["evidence"]["derived.route_monthly_cost_usd"]
    assert "730 hours" in cost["formula"] and cost["sources"]["price"]["as_of"]
    assert cost["factors"]["prefill_utilisation"]["value"] == 0.44


def test_text_shortlist_shows_the_requested_columns() -> None:
    text = run_cli("shortlist", str(GPUS_OR_API), "--as-of", "2026-11-01").stdout
    header = next(line for line in text.splitlines() if line.startswith("RANK"))
    for column in (
        "ROUTE",
        "API $/MONTH",
        "SELF-HOSTED $/MONTH",
        "FIT (NEED / HAVE)",
        "TOK/S",
        "TTFT",
        "RATE LIMIT",
    ):
        assert column in header, column
    plain = run_cli("shortlist", str(SUPPORT_CHAT), "--as-of", "2026-11-01").stdout
    header = next(line for line in plain.splitlines() if line.startswith("RANK"))
    assert "ROUTE" in header and "TTFT" not in header and "SELF-HOSTED" not in header


def test_html_shortlist_has_the_chart_and_the_excluded_models() -> None:
    result = run_cli(
        "shortlist", str(SUPPORT_CHAT), "--format", "html", "--chart-x", "context", "--as-of", "2026-11-01"
    )
    assert result.returncode == 0, result.stderr
    page = result.stdout
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'' in page
    assert (
        "<script" not in page
        and "https://"
        not in page.split("<body>")[0]
        .replace('content="licensecheck', "")
        .split("Content-Security-Policy")[0]
    )
    assert page.count('class="pt pt-excluded"') >= 1 and page.count('class="pt pt-allowed"') >= 1
    assert "<title>o1: " not in page or "excluded" in page  # a retired model's point names why
    assert "Excluded models (" in page and "Retired: no route serves it on 2026-11-01" in page
    assert "Context window, tokens (log scale)" in page


def test_chart_x_needs_the_html_format() -> None:
    result = run_cli("shortlist", str(SUPPORT_CHAT), "--chart-x", "context")
    assert result.returncode == 2 and "--chart-x" in result.stderr


def test_html_shortlist_escapes_a_hostile_use_case_name(tmp_path: Path) -> None:
    case = tmp_path / "x.yaml"
    case.write_text(
        SUPPORT_CHAT.read_text(encoding="utf-8").replace(
            "name: Multilingual support chat, API budget", 'name: "<script>alert(1)</script>\\u202e"'
        ),
        encoding="utf-8",
    )
    page = run_cli("shortlist", str(case), "--format", "html", "--as-of", "2026-11-01").stdout
    assert "<script>" not in page and "&lt;script&gt;" in page and "\u202e" not in page


def test_every_route_fact_is_documented() -> None:
    from licensecheck.basics import ROUTE_FACTS

    documented = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")
    for name, fact in ROUTE_FACTS.items():
        assert f"| `{name}` | {fact.description} |" in documented, name


def test_every_shortlist_format_says_how_its_figures_are_made() -> None:
    """The GPU, its price with the price's date and source, and the measured factor behind each column."""
    data = _shortlist(GPUS_OR_API)
    own = next(c for c in data["shortlist"] if c["model"]["id"] == "gpt-oss-120b")["routes"]["self_hosted"]
    price = own["evidence"]["derived.route_monthly_cost_usd"]["sources"]["price"]
    gpu = own["evidence"]["derived.output_tokens_per_second"]["sources"]["gpu"]
    efficiency = own["evidence"]["derived.output_tokens_per_second"]["factors"]["decode_efficiency"]["value"]
    text = run_cli("shortlist", str(GPUS_OR_API), "--as-of", "2026-11-01").stdout
    basis = text[text.index("How the figures are made:") :]
    assert f"x 2 GPUs x ${price['usd_per_gpu_hour']:.2f} per GPU-hour" in basis
    assert f"{price['sources'][0]}, as of {price['as_of']}, confidence {price['confidence']}" in basis
    assert (
        f"estimate = bound x {efficiency}" in basis
        and f"GPU {gpu['id']} figures: {gpu['sources'][0]}" in basis
    )
    assert "RATE LIMIT: the API route's highest limit at api_tier paid" in basis
    page = run_cli("shortlist", str(GPUS_OR_API), "--format", "html", "--as-of", "2026-11-01").stdout
    assert "<h3>How the figures are made</h3>" in page and f"bound x {efficiency}" in page
    markdown = run_cli("shortlist", str(GPUS_OR_API), "--format", "markdown", "--as-of", "2026-11-01").stdout
    assert "per GPU-hour" in markdown[markdown.index("How the figures are made:") :]
    # a use case without GPUs or speed needs: only the API cost's formula, no self-hosting lines
    plain = run_cli("shortlist", str(SUPPORT_CHAT), "--as-of", "2026-11-01").stdout
    plain_basis = plain[plain.index("How the figures are made:") :]
    assert "An API route's $/MONTH = monthly input tokens / 1M" in plain_basis
    assert "GPU-hour" not in plain_basis and "TTFT" not in plain_basis


def test_a_paid_tier_shortfall_is_a_review_until_the_highest_tier_is_known(context: Any) -> None:
    """The catalog records gpt-4o's Tier 1 only: needing more than it is a review, not a violation."""
    usecase = {
        "name": "rates",
        "model": {"id": "gpt-4o"},
        "use": {"commercial": True, "distribution": "internal"},
        "deployment": {"hosting": "provider-api", "provider": "openai", "api_tier": "paid"},
        "requirements": {"min_requests_per_minute": 1000},
    }
    report = api.evaluate(context, usecase, as_of="2026-11-01")
    finding = next(f for f in report.reports[0].findings if f.rule == "CONSTRAINT-RATE-LIMIT-RPM")
    assert finding.outcome is Outcome.REVIEW
    assert "highest paid tier (the catalog records Tier 1; a higher tier may allow more)" in finding.message
    within = dict(usecase, requirements={"min_requests_per_minute": 500})
    report = api.evaluate(context, within, as_of="2026-11-01")
    assert not [f for f in report.reports[0].findings if f.rule.startswith("CONSTRAINT-RATE-LIMIT")]


def test_api_cost_evidence_is_the_estimates_built_when_read() -> None:
    """The cost's value is computed without its Estimate; the evidence, built on reading, is that Estimate's."""
    from licensecheck.estimates import api_monthly_cost

    values = {
        "deployment.hosting": "provider-api",
        "requirements.monthly_input_tokens": 3_000_000,
        "requirements.monthly_output_tokens": 700_000,
    }
    facts = _facts(values, _model("test-api"))
    path = "derived.api_monthly_cost_usd"
    cost = facts.get(path)
    evidence = facts.explanation(path)
    assert isinstance(evidence, dict) and facts.explanation(path) is evidence  # built once
    inputs = evidence["inputs"]
    estimate = api_monthly_cost(
        3_000_000, 700_000, inputs["price_input_per_mtok"], inputs["price_output_per_mtok"]
    )
    assert cost == estimate.value == evidence["value"] > 0
    assert {k: v for k, v in evidence.items() if k != "sources"} == estimate.evidence()
    assert evidence["sources"]["prices"]["route"] == "Test API"


def test_an_api_without_prices_names_the_prices_it_lacks() -> None:
    """No route's prices and no list prices to take: the review names the route, or the provider
    when the catalog lists no route (a constant, as most catalog models without prices ask)."""
    path = "derived.api_monthly_cost_floor_usd"
    values = {
        "deployment.hosting": "provider-api",
        "requirements.monthly_input_tokens": 3_000_000,
        "requirements.monthly_output_tokens": 700_000,
    }
    unlisted = _facts(values, _model("test-open-20b"))
    assert unlisted.get(path) is None
    assert unlisted.missing_inputs(path) == ["prices of the provider (model.routes prices)"]
    bedrock = _facts({**values, "deployment.provider": "aws-bedrock"}, _model("test-api"))
    assert bedrock.get(path) is None
    assert bedrock.missing_inputs(path) == ["prices of Test Bedrock (model.routes prices)"]


def test_hidden_reasoning_bills_as_output_only_for_a_reasoning_model() -> None:
    """A reasoning model's cost carries its overhead (the assumed one here) above its floor; a model
    without a reasoning block costs its floor, assuming nothing."""
    values = {
        "deployment.hosting": "provider-api",
        "requirements.monthly_input_tokens": 100_000_000,
        "requirements.monthly_output_tokens": 25_000_000,
    }
    costs = (
        "derived.api_monthly_cost_floor_usd",
        "derived.api_monthly_cost_usd",
        "derived.api_monthly_cost_assumed",
    )
    reasoning = _facts(values, _model("test-reasoning"))
    assert [reasoning.get(path) for path in costs] == [200.0, 300.0, True]
    plain = _facts(values, _model("test-api"))
    floor, cost, assumed = (plain.get(path) for path in costs)
    assert floor == cost > 0 and assumed is False
