"""The model catalog, `licensecheck models` and `licensecheck shortlist`: contracts and golden output."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import GOLDEN, SAMPLES, check_golden, run_cli

from licensecheck.api import load_context
from licensecheck.facts import estimate_self_hosted_memory_gb

SPEC_IDS = [
    "gpt-4o",
    "gpt-4o-mini",
    "o1",
    "o3-mini",
    "gpt-4.1",
    "claude-3.5-sonnet",
    "claude-3.5-haiku",
    "claude-3-opus",
    "gemini-1.5-pro",
    "gemini-1.5-flash",
    "gemini-2.0-flash",
    "llama-2-7b-chat",
    "llama-3-8b-instruct",
    "llama-3.1-8b-instruct",
    "llama-3.1-70b-instruct",
    "llama-3.1-405b-instruct",
    "llama-3.2-1b-instruct",
    "llama-3.2-3b-instruct",
    "llama-3.2-11b-vision-instruct",
    "llama-3.3-70b-instruct",
    "llama-4-scout",
    "mistral-7b-instruct-v0.3",
    "mixtral-8x7b-instruct-v0.1",
    "mistral-large-instruct-2407",
    "codestral-22b-v0.1",
    "gemma-2-9b-it",
    "gemma-2-27b-it",
    "qwen2.5-7b-instruct",
    "qwen2.5-72b-instruct",
    "phi-3-mini-4k-instruct",
    "deepseek-v3",
    "deepseek-r1",
    "falcon-180b",
    "command-r-plus-04-2024",
    "gpt-oss-20b",
    "gpt-oss-120b",
    "bloom",
    "stable-diffusion-v1-5",
    "stable-diffusion-xl-base-1.0",
    "stable-diffusion-3.5-large",
]

SELECT = SAMPLES / "select-support-chat.yaml"


@pytest.fixture(scope="module")
def ctx():  # type: ignore[no-untyped-def]
    return load_context()


def test_spec_lists_forty_ids() -> None:
    assert len(SPEC_IDS) == len(set(SPEC_IDS)) == 40


def test_every_spec_id_is_in_the_catalog_and_its_licence_has_a_pack(ctx) -> None:  # type: ignore[no-untyped-def]
    for model_id in SPEC_IDS:
        model = ctx.catalog.find(model_id)
        assert model is not None, model_id
        assert ctx.ruleset.licenses.canonical(model.license) is not None, (model_id, model.license)


def test_every_entry_cites_sources_per_fact_group(ctx) -> None:  # type: ignore[no-untyped-def]
    for model in ctx.catalog.models:
        groups = dict(model.sources)
        assert groups.get("license"), model.id
        if model.lineage_only:  # a base known for its licence gives no other facts
            assert all(
                getattr(model, key) is None for key in ("release_date", "context_window", "parameters_b")
            )
            continue
        assert groups.get("basics") or groups.get("facts"), model.id
        if model.price_input_per_mtok_usd is not None:
            assert groups.get("prices"), model.id
            assert model.as_of, model.id


def test_no_fact_is_recorded_as_zero(ctx) -> None:  # type: ignore[no-untyped-def]
    numeric = ("parameters_b", "context_window", "max_output_tokens", "price_input_per_mtok_usd")
    for model in ctx.catalog.models:
        for key in numeric:
            assert getattr(model, key) != 0, (model.id, key)


def test_lookup_by_id_or_hf_repo_ignores_case(ctx) -> None:  # type: ignore[no-untyped-def]
    by_repo = ctx.catalog.find("META-LLAMA/llama-3.1-8b-INSTRUCT")
    assert by_repo is not None and by_repo.id == "llama-3.1-8b-instruct"
    assert ctx.catalog.find("GPT-4o").id == "gpt-4o"


def test_unknown_model_id_names_the_nearest_ids() -> None:
    result = run_cli("models", "show", "gpt-4-o")
    assert result.returncode == 2
    assert "no model with this id" in result.stderr
    assert "gpt-4o" in result.stderr and "Traceback" not in result.stderr


def test_evaluate_unknown_model_hints_nearest(tmp_path: Path) -> None:
    case = tmp_path / "uc.yaml"
    case.write_text("name: x\nmodel: {id: llama-3.1-8b-instrct}\n", encoding="utf-8")
    result = run_cli("evaluate", str(case))
    assert result.returncode == 2
    assert f"{case}:2:" in result.stderr
    assert "llama-3.1-8b-instruct" in result.stderr


def test_models_list_golden(update_golden: bool) -> None:
    result = run_cli("models", "list", "--as-of", "2026-11-01")
    assert result.returncode == 0, result.stderr
    check_golden(GOLDEN / "models-list.txt", result.stdout, update_golden)


def test_models_show_gpt4o_golden(update_golden: bool) -> None:
    result = run_cli("models", "show", "gpt-4o")
    assert result.returncode == 0, result.stderr
    check_golden(GOLDEN / "models-show-gpt-4o.txt", result.stdout, update_golden)


def test_models_show_says_unknown_for_null_facts() -> None:
    result = run_cli("models", "show", "stable-diffusion-v1-5")
    assert result.returncode == 0, result.stderr
    params = next(
        line for line in result.stdout.splitlines() if "parameters (B)" in line and "active" not in line
    )
    assert params.split()[-1] == "unknown"


def test_models_list_filters() -> None:
    data = json.loads(run_cli("models", "list", "--weights", "open", "--format", "json").stdout)
    assert data["models"] and all(m["weights"] == "open" for m in data["models"])
    data = json.loads(run_cli("models", "list", "--min-context", "1000000", "--format", "json").stdout)
    assert data["models"] and all(m["context_window"] >= 1_000_000 for m in data["models"])
    data = json.loads(
        run_cli("models", "list", "--modality", "vision", "--license", "LLAMA3.2", "--format", "json").stdout
    )
    assert [m["id"] for m in data["models"]] == ["llama-3.2-11b-vision-instruct"]


def test_gpu_memory_formula() -> None:
    # parameters (B) x bytes per parameter x 1.2 overhead, in GB
    assert estimate_self_hosted_memory_gb(8, "bf16") == pytest.approx(19.2)
    assert estimate_self_hosted_memory_gb(70, "int4") == pytest.approx(42.0)
    assert estimate_self_hosted_memory_gb(1, "fp32") == pytest.approx(4.8)


def test_shortlist_golden(update_golden: bool) -> None:
    # lifecycle turns on the date: the golden is pinned to the catalog's own date
    result = run_cli("shortlist", str(SELECT.relative_to(SELECT.parent.parent)), "--as-of", "2026-11-01")
    assert result.returncode == 0, result.stderr
    check_golden(GOLDEN / "shortlist-select-support-chat.txt", result.stdout, update_golden)


def test_shortlist_ranks_and_explains_exclusions() -> None:
    result = run_cli("shortlist", str(SELECT), "--format", "json", "--as-of", "2026-11-01")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    ranks = {"allowed": 0, "allowed-with-obligations": 1, "needs-review": 2}
    keys = [
        (ranks[c["verdict"]], c["monthly_cost_usd"] is None, c["monthly_cost_usd"] or 0.0)
        for c in data["shortlist"]
    ]
    assert keys == sorted(keys)
    assert len(data["shortlist"]) + len(data["excluded"]) == data["catalog_size"]
    for item in data["excluded"]:
        assert item["verdict"] == "blocked"
        # a retirement reported only by secondary sources still excludes, as a review-level reason
        retired = item["status"] == "retired" and item["reason"]["rule"] == "CONSTRAINT-ROUTE-RETIRED"
        assert item["reason"]["outcome"] == "violation" or retired, item
    assert all(c["status"] != "retired" for c in data["shortlist"])
    costs = {c["model"]["id"]: c["monthly_cost_usd"] for c in data["shortlist"]}
    # 200M input x $0.15 + 40M output x $0.60 per 1M tokens
    assert costs["gpt-4o-mini"] == pytest.approx(54.0)


def test_shortlist_top_and_markdown() -> None:
    data = json.loads(run_cli("shortlist", str(SELECT), "--top", "3", "--format", "json").stdout)
    assert [c["rank"] for c in data["shortlist"]] == [1, 2, 3]
    md = run_cli("shortlist", str(SELECT), "--top", "2", "--format", "markdown").stdout
    assert md.startswith("# Shortlist: ") and md.count("\n| ") == 3  # header and two rows


def test_shortlist_accepts_a_use_case_without_model(tmp_path: Path) -> None:
    case = tmp_path / "pick.yaml"
    case.write_text(
        "name: pick one\nuse: {commercial: true, distribution: internal}\n"
        "requirements: {weights: closed, min_context_tokens: 1000000}\n",
        encoding="utf-8",
    )
    result = run_cli("shortlist", str(case), "--format", "json", "--as-of", "2026-11-01")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    fit = {c["model"]["id"] for c in data["shortlist"]}
    # a model whose window is unknown is not excluded: it stays in with a review naming the fact;
    # a retired one is excluded, with the date its last route shut down
    catalog = load_context().catalog
    candidates = {
        m.id
        for m in catalog.models
        if m.weights == "closed"
        and (m.context_window is None or m.context_window >= 1_000_000)
        and catalog.status(m.id, data["as_of"]) != "retired"
    }
    assert {"gpt-4.1", "gpt-6-luna"} <= fit
    assert "gpt-4o" not in fit and fit == candidates
    excluded = {e["model"]["id"]: e["reason"]["message"] for e in data["excluded"]}
    for retired in ("gemini-1.5-pro", "gemini-1.5-flash", "gemini-2.0-flash"):
        assert retired not in fit and excluded[retired].startswith("Retired: no route serves it on")
    assert "shut down on 2026-06-01" in excluded["gemini-2.0-flash"]


def test_shortlist_exits_1_when_nothing_fits(tmp_path: Path) -> None:
    case = tmp_path / "none.yaml"
    case.write_text(
        "name: none\nrequirements: {weights: closed, modalities: [image-generation]}\n", encoding="utf-8"
    )
    result = run_cli("shortlist", str(case))
    assert result.returncode == 1
    assert "No catalog model fits" in result.stdout


def _json_catalog(directory: Path, models: list[dict[str, object]]) -> Path:
    directory.mkdir()
    path = directory / "org.json"
    path.write_text(json.dumps({"catalog": {"name": "org"}, "models": models}, indent=2), encoding="utf-8")
    return path


ORG_MODEL = {
    "id": "acme-chat-1",
    "name": "Acme Chat 1",
    "weights": "open",
    "license": "apache-2.0",
    "modalities": ["text"],
    "hf_repo": "acme/Acme-Chat-1",
    "context_window": 65536,
    "sources": {"basics": ["https://example.com/acme-chat-1"]},
}


def test_json_catalog_adds_models_everywhere(tmp_path: Path) -> None:
    _json_catalog(tmp_path / "cat", [ORG_MODEL])
    case = tmp_path / "uc.yaml"
    case.write_text(
        "name: x\nmodel: {id: ACME/acme-chat-1}\nuse: {distribution: internal}\n", encoding="utf-8"
    )
    assert (
        run_cli("evaluate", str(case), "--catalog", str(tmp_path / "cat"), "--fail-on", "never").returncode
        == 0
    )
    shown = run_cli("models", "show", "acme-chat-1", "--catalog", str(tmp_path / "cat"))
    assert shown.returncode == 0 and "65,536" in shown.stdout
    without = run_cli("evaluate", str(case))
    assert without.returncode == 2


def test_json_catalog_error_is_located(tmp_path: Path) -> None:
    bad = dict(ORG_MODEL, context_window=-5)
    path = _json_catalog(tmp_path / "cat", [ORG_MODEL | {"id": "ok-model", "hf_repo": None}, bad])
    result = run_cli("models", "list", "--catalog", str(tmp_path / "cat"))
    assert result.returncode == 2
    line = next(
        i for i, text in enumerate(path.read_text().splitlines(), 1) if '"context_window": -5' in text
    )
    assert f"org.json:{line}:" in result.stderr and "Traceback" not in result.stderr


def test_catalog_model_with_unknown_licence_fails_shortlist(tmp_path: Path) -> None:
    _json_catalog(tmp_path / "cat", [ORG_MODEL | {"license": "acme-eula"}])
    result = run_cli("shortlist", str(SELECT), "--catalog", str(tmp_path / "cat"))
    assert result.returncode == 2
    assert "unknown licence 'acme-eula'" in result.stderr and "org.json:" in result.stderr


def test_fast_path_agrees_with_full_evaluation(ctx) -> None:  # type: ignore[no-untyped-def]
    """Excluded models skip the full report; a waiver that matches nothing forces it for every model."""
    from licensecheck.model import Waiver
    from licensecheck.selection import build_shortlist, parse_selection_usecase
    from licensecheck.yamlsource import parse_yaml, read_text

    usecase = parse_selection_usecase(parse_yaml(read_text(str(SELECT)), "select.yaml"))
    nothing = Waiver(rule="NO-SUCH-RULE", reason="x", approved_by="x", expires="2999-01-01")
    fast = build_shortlist(usecase, ctx.catalog, ctx.ruleset, (), "2026-01-01")
    full = build_shortlist(usecase, ctx.catalog, ctx.ruleset, (nothing,), "2026-01-01")
    assert [(c.id, c.verdict) for c in fast.ranked] == [(c.id, c.verdict) for c in full.ranked]
    assert [(c.id, c.reason().rule, c.reason().message) for c in fast.excluded] == [
        (c.id, c.reason().rule, c.reason().message) for c in full.excluded
    ]
    # a retired or not yet released model is left out before any evaluation, with or without waivers
    assert any(c.report is None for c in fast.excluded)
    assert all(c.report for c in full.excluded if c.status not in ("retired", "unreleased"))
    # the models that fit get the very report a plain evaluate gives (same findings, same rules)
    from licensecheck.engine import evaluate

    for waivers, candidates in (((), fast.ranked), ((nothing,), full.ranked + full.excluded)):
        for c in candidates:
            if c.status in ("retired", "unreleased"):
                continue
            plain = evaluate(usecase, c.model, ctx.ruleset, waivers, "2026-01-01")
            assert c.report == plain, c.id
    for c in fast.excluded:  # the reason given is the first finding of the full report
        if c.status == "retired":
            assert c.reason().rule == "CONSTRAINT-ROUTE-RETIRED" and "shut down on" in c.reason().message
            continue
        if c.status == "unreleased":
            assert c.reason().rule == "CONSTRAINT-NOT-RELEASED" and "Not released on" in c.reason().message
            continue
        plain = evaluate(usecase, c.model, ctx.ruleset, (), "2026-01-01").findings[0]
        assert c.reason() == plain._replace(evidence=(), location=None), c.id


def test_a_report_built_on_first_use_is_the_one_evaluate_builds(ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Without waivers a shortlist decides which rules fire for each model that fits and builds its
    report only when a format reads it: that report is evaluate's, and the verdict, the findings to
    act on (JSON), and their rules and outcomes (the ranking, text), read before it, are the report's."""
    from licensecheck import engine
    from licensecheck.model import Outcome
    from licensecheck.selection import build_shortlist, parse_selection_usecase
    from licensecheck.yamlsource import parse_yaml, read_text

    built: list[str] = []
    report = engine._report

    def counted(run, *args):  # type: ignore[no-untyped-def]
        built.append(str(run.model.id))
        return report(run, *args)

    monkeypatch.setattr(engine, "_report", counted)
    outcomes = set()
    for sample in sorted(SAMPLES.glob("*.yaml")):
        usecase = parse_selection_usecase(parse_yaml(read_text(str(sample)), sample.name))
        shortlist = build_shortlist(usecase, ctx.catalog, ctx.ruleset, (), "2026-12-02")
        assert built == [], sample.name  # ranked, no report built
        for c in shortlist.ranked + shortlist.excluded:
            if c.evaluation is None:  # excluded by its first violation, retired or unreleased
                continue
            acting, verdict, to_act_on = c.acting(), c.verdict, c.to_act_on()
            assert str(c.model.id) not in built  # the findings to act on without the rest of the report
            eager = engine.evaluate(usecase, c.model, ctx.ruleset, (), "2026-12-02")
            assert c.report == eager, (sample.name, c.id)
            assert verdict is eager.verdict, (sample.name, c.id)
            assert to_act_on == [f for f in eager.findings if f.outcome is not Outcome.INFO], (
                sample.name,
                c.id,
            )
            assert acting == tuple((f.rule, f.outcome) for f in to_act_on), (sample.name, c.id)
            outcomes.update(outcome for _, outcome in acting)
        built.clear()
    # the outcomes decided without the report: a rule that fired, one that could not be decided
    assert {Outcome.OBLIGATION, Outcome.REVIEW} <= outcomes


@pytest.mark.parametrize(
    ("sample", "names_gpu"), [("select-support-chat.yaml", False), ("select-gpus-or-api.yaml", True)]
)
def test_shortlist_builds_the_gpu_table_only_for_a_use_case_naming_its_gpu(
    sample: str, names_gpu: bool
) -> None:
    """Only a self-hosting figure on `deployment.gpu.type` reads the GPU table: a shortlist of a use
    case that names no GPU neither builds it nor imports licensecheck.gpus for it (as evaluate)."""
    from licensecheck.selection import build_shortlist, parse_selection_usecase
    from licensecheck.yamlsource import parse_yaml, read_text

    context = load_context()
    usecase = parse_selection_usecase(parse_yaml(read_text(str(SAMPLES / sample)), sample))
    shortlist = build_shortlist(usecase, context.catalog, context.ruleset, (), "2026-01-01")
    assert shortlist.ranked and shortlist.excluded
    assert (context.ruleset._gpus is not None) is names_gpu


@pytest.mark.parametrize("sample", ["select-support-chat.yaml", "select-gpus-or-api.yaml"])
def test_shortlist_candidates_are_the_models_and_routes_each_alone_gives(ctx, sample: str) -> None:  # type: ignore[no-untyped-def]
    """A shortlist shares composition facts between candidates and estimates a model's routes only
    when shown: each candidate is still the model, and the view, it gets on its own, and what is
    read before the view (the chart's figures, the route in brief, a ranked model's cost) is the view's."""
    from licensecheck.basics import RouteBrief, route_view
    from licensecheck.facts import Environment, Facts
    from licensecheck.selection import (
        TAKEN_FIGURES,
        build_shortlist,
        candidate_model,
        derivation_of,
        parse_selection_usecase,
    )
    from licensecheck.yamlsource import parse_yaml, read_text

    usecase = parse_selection_usecase(parse_yaml(read_text(str(SAMPLES / sample)), sample))
    derivation = derivation_of(usecase.data.get("model", {}))
    environment = Environment("2026-01-01", ctx.ruleset.gpus())
    shortlist = build_shortlist(usecase, ctx.catalog, ctx.ruleset, (), "2026-01-01")
    assert shortlist.ranked and shortlist.excluded
    licences = set()
    known = 0
    for c in shortlist.ranked + shortlist.excluded:
        # the figures the HTML chart reads, before an excluded model's view is estimated: the view's
        taken = {fact: c.taken(fact) for fact in TAKEN_FIGURES}
        brief = c.route()
        alone = candidate_model(ctx.catalog.find(c.id), derivation, str(c.model.license))
        assert c.model == alone, c.id
        assert c.view == route_view(Facts(usecase.values, alone, None, environment)), c.id
        assert c.view is not None
        assert taken == {fact: getattr(c.view.taken, field) for fact, field in TAKEN_FIGURES.items()}, c.id
        view = c.view.taken
        assert brief == RouteBrief(view.short, view.hosting, view.status, view.shutdown_on) == c.route(), c.id
        if c in shortlist.ranked:
            assert c.monthly_cost_usd == view.monthly_cost_usd, c.id
        known += c in shortlist.excluded and None not in taken.values()
        licences.add(c.model.license)
    assert len(licences) > 5  # the shared composition facts were shared across licences
    assert known  # an excluded model with both figures known


def test_shortlist_candidates_are_copied_in_spans_that_match_the_field_layouts(ctx) -> None:  # type: ignore[no-untyped-def]
    """A candidate is copied from its template and entry in spans of neighbouring fields: if the
    layout of ModelFacts or CatalogEntry moves a field out of its span, this fails (and _PICK, field
    by field, builds the candidates meanwhile); the two give the same candidate of every entry."""
    from licensecheck.selection import _SPANS_FIT, _Template, candidate_model, derivation_of

    assert _SPANS_FIT, "move the spans of _Template.spanned to the new field layout"
    assert _Template.model is _Template.spanned
    derivation = derivation_of({})
    for entry in ctx.catalog.models:
        license_id = ctx.ruleset.licenses.canonical(entry.license or "")
        if entry.lineage_only or license_id is None:
            continue
        template = _Template(candidate_model(entry, derivation, license_id))
        assert (
            template.spanned(entry)
            == template.picked(entry)
            == candidate_model(entry, derivation, license_id)
        )


def test_shortlist_screens_the_candidates_of_a_template_alike(ctx) -> None:  # type: ignore[no-untyped-def]
    """A shortlist screens the candidates of one template with one Screener.alike (the model
    checked and its composition looked up once): every candidate has the template's values of the
    facts the rule set is prepared with and of its composition, and is screened as alone."""
    from licensecheck import selection
    from licensecheck.engine import _COMPOSITION, Screener
    from licensecheck.selection import _CONSTANT, _Template, candidate_model, derivation_of
    from licensecheck.yamlsource import parse_yaml, read_text

    assert selection._ALIKE, "a candidate takes a prepared or composition fact from its entry: see _ALIKE"
    usecase = selection.parse_selection_usecase(parse_yaml(read_text(str(SELECT)), "select.yaml"))
    derivation = derivation_of({})
    prepared = ctx.ruleset.prepare(usecase, {**_CONSTANT, **derivation})
    screener = Screener(usecase, prepared, (), "2026-12-01")
    firsts: dict[str, Any] = {}
    screened = excluded = 0
    for entry in ctx.catalog.models:
        license_id = ctx.ruleset.licenses.canonical(entry.license or "")
        if entry.lineage_only or license_id is None:
            continue
        model = _Template(candidate_model(entry, derivation, license_id)).model(entry)
        first = firsts.setdefault(entry.license or "", model)
        assert prepared.prepared_read(model) == prepared.prepared_values, entry.id
        assert _COMPOSITION(model) == _COMPOSITION(first), entry.id
        alone, alike = screener(model), screener.alike(first)(model)
        assert alike[0] == alone[0], entry.id
        assert (alike[1] is None) == (alone[1] is None), entry.id
        if alike[1] is not None and alone[1] is not None:
            assert alike[1].report() == alone[1].report(), entry.id
        screened += 1
        excluded += alike[0] is not None
    assert len(firsts) > 5 and screened > 30
    assert 0 < excluded < screened  # both paths taken: a first violation, and an evaluation
    # a model without the prepared facts, or another use case, is refused
    with pytest.raises(ValueError, match="other facts"):
        screener.alike(first._replace(modification="fine-tune"))
    with pytest.raises(ValueError, match="other facts"):
        screener(first._replace(source="folder"))
    other = selection.parse_selection_usecase(parse_yaml(read_text(str(SELECT)), "other.yaml"))
    with pytest.raises(ValueError, match="another use case"):
        Screener(other, prepared)


def test_an_alike_screener_on_a_rule_set_not_prepared_screens_as_alone(ctx) -> None:  # type: ignore[no-untyped-def]
    """On a rule set not prepared for the use case nothing is kept for a composition: an alike
    screener builds its models' chain and environment once, and screens each as alone."""
    from licensecheck import selection
    from licensecheck.engine import Screener
    from licensecheck.selection import _Template, candidate_model, derivation_of
    from licensecheck.yamlsource import parse_yaml, read_text

    usecase = selection.parse_selection_usecase(parse_yaml(read_text(str(SELECT)), "select.yaml"))
    derivation = derivation_of({})
    screener = Screener(usecase, ctx.ruleset, (), "2026-12-01")
    alike: dict[str, Any] = {}
    excluded = 0
    for entry in ctx.catalog.models:
        license_id = ctx.ruleset.licenses.canonical(entry.license or "")
        if entry.lineage_only or license_id is None:
            continue
        model = _Template(candidate_model(entry, derivation, license_id)).model(entry)
        written = entry.license or ""
        if written not in alike:
            alike[written] = screener.alike(model)
        first, evaluation, facts = alike[written](model)
        alone = screener(model)
        assert first == alone[0], entry.id
        assert facts.environment == alone[2].environment and facts.environment.as_of == "2026-12-01", entry.id
        if evaluation is not None and alone[1] is not None:
            assert evaluation.report() == alone[1].report(), entry.id
        else:
            assert evaluation is alone[1] is None, entry.id
        excluded += first is not None
    assert len(alike) > 5 and excluded > 0


def test_a_rule_left_unknown_and_quiet_is_listed_but_never_checked(ctx) -> None:  # type: ignore[no-untyped-def]
    """A rule the use case leaves unknown (prepared to Known(None)) whose on_missing is ignore
    never fires: a run on the prepared rule set lists it among the rules evaluated, as evaluate
    on the full rule set does, but compiles it to _never, which _decide does not ask."""
    from licensecheck import selection
    from licensecheck.conditions import Known
    from licensecheck.engine import _never, _Run, evaluate
    from licensecheck.selection import _CONSTANT, _Template, candidate_model, derivation_of
    from licensecheck.yamlsource import parse_yaml, read_text

    usecase = selection.parse_selection_usecase(parse_yaml(read_text(str(SELECT)), "select.yaml"))
    derivation = derivation_of({})
    prepared = ctx.ruleset.prepare(usecase, {**_CONSTANT, **derivation})
    entry = next(e for e in ctx.catalog.models if not e.lineage_only and e.license == "apache-2.0")
    model = _Template(candidate_model(entry, derivation, "apache-2.0")).model(entry)
    run = _Run.of(usecase, model, prepared, "2026-12-01")
    quiet = [
        (step, live)
        for _, considered, _, live, _, _ in run.steps()
        for step in considered
        if isinstance(step[0].when, Known) and step[0].when.value is None and step[0].on_missing == "ignore"
    ]
    assert quiet, "no rule of the sample is left unknown and quiet: pick another"
    report = evaluate(usecase, model, prepared, (), "2026-12-01")
    assert report == evaluate(usecase, model, ctx.ruleset, (), "2026-12-01")
    for step, live in quiet:
        assert step[2] is _never and step[0] not in [rule for rule, *_ in live]
        assert step[0].id in report.rules_evaluated
        assert step[0].id not in {f.rule for f in report.findings}


def test_fast_path_never_claims_a_violation_an_unknown_fact_leaves_open() -> None:
    """not(any(unknown, false)) is unknown, not true: the residue must keep that under a `not`."""
    from licensecheck.conditions import Lookup, compile_condition, specialise
    from licensecheck.conditions import evaluate as evaluate_condition
    from licensecheck.facts import Facts, model_dependent
    from licensecheck.model import ModelFacts

    cond = compile_condition(
        {
            "not": {
                "any": [
                    {"fact": "organization.monthly_active_users", "gt": 5},
                    {"fact": "model.weights", "eq": "open"},
                ]
            }
        },
        lambda path: True,
    )
    model = Facts({"name": "x"}, ModelFacts(id="m", name="m", weights="closed"))  # no user count given
    assert evaluate_condition(cond, Lookup(model.get)) is None  # the full evaluation: unknown
    residue = specialise(cond, Facts({"name": "x"}, None).get, lambda path: not model_dependent(path))
    assert evaluate_condition(residue, Lookup(model.get)) is None


def test_a_prepared_rule_set_serves_only_its_use_case_and_model_facts(ctx) -> None:  # type: ignore[no-untyped-def]
    from licensecheck.engine import evaluate
    from licensecheck.selection import parse_selection_usecase
    from licensecheck.yamlsource import parse_yaml, read_text

    usecase = parse_selection_usecase(parse_yaml(read_text(str(SELECT)), "select.yaml"))
    other = parse_selection_usecase(parse_yaml(read_text(str(SELECT)), "other.yaml"))
    prepared = ctx.ruleset.prepare(usecase, {"modification": "none"})
    from licensecheck.resolve import from_catalog

    model = from_catalog(ctx.catalog.find("gpt-4o"))._replace(license="openai-terms", modification="none")
    assert evaluate(usecase, model, prepared) == evaluate(usecase, model, ctx.ruleset)
    with pytest.raises(ValueError, match="another use case"):
        evaluate(other, model, prepared)
    with pytest.raises(ValueError, match="other facts"):
        evaluate(usecase, model._replace(modification="fine-tune"), prepared)
    # the shortlist's preparation fixes some 30 facts, neighbours read as one slice: any of them differing is refused
    from licensecheck.selection import _CONSTANT

    fixed = {**_CONSTANT, "modification": "none"}
    prepared = ctx.ruleset.prepare(usecase, fixed)
    model = model._replace(**fixed)
    assert evaluate(usecase, model, prepared) == evaluate(usecase, model, ctx.ruleset)
    for name, value in [("source", "folder"), ("card_gated", True), ("lineage_unresolved", ("x",))]:
        assert name in fixed
        with pytest.raises(ValueError, match="other facts"):
            evaluate(usecase, model._replace(**{name: value}), prepared)


def test_a_prepared_rule_set_prepares_each_pack_when_a_run_first_needs_it(ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Preparing decides nothing yet; evaluating a model prepares the packs of its licences (and
    the every-model ones) once, and the report is the unprepared rule set's."""
    from licensecheck import model as model_module
    from licensecheck.engine import evaluate
    from licensecheck.resolve import from_catalog
    from licensecheck.selection import parse_selection_usecase
    from licensecheck.yamlsource import parse_yaml, read_text

    specialised: list[str] = []
    specialise = model_module.specialise

    def counted(cond, lookup, known, reads=None):  # type: ignore[no-untyped-def]
        specialised.append("rule")
        return specialise(cond, lookup, known, reads)

    monkeypatch.setattr(model_module, "specialise", counted)
    usecase = parse_selection_usecase(parse_yaml(read_text(str(SELECT)), "select.yaml"))
    prepared = ctx.ruleset.prepare(usecase, {"modification": "none"})
    assert specialised == []
    model = from_catalog(ctx.catalog.find("gpt-4o"))._replace(license="openai-terms", modification="none")
    assert evaluate(usecase, model, prepared) == evaluate(usecase, model, ctx.ruleset)
    used = len(specialised)
    assert 0 < used < len(ctx.ruleset.rules)  # the packs of one model's licences, not every pack
    assert evaluate(usecase, model, prepared) == evaluate(usecase, model, ctx.ruleset)
    assert len(specialised) == used  # prepared once
    assert [len(p.rules) for p in prepared.packs] == [len(p.rules) for p in ctx.ruleset.packs]
    assert len(specialised) == len(ctx.ruleset.rules)


def _look_alike_models(count: int) -> list[dict[str, object]]:
    """Models that share most of their facts (licence, context window, prices, dates), as a large catalog's do."""
    rng = random.Random(7)
    models: list[dict[str, object]] = []
    for i in range(count):
        closed = rng.random() < 0.3
        price = rng.choice([None, 0.15, 0.5, 2.5, 15]) if closed or rng.random() < 0.3 else None
        licence = rng.choice(
            ["openai-terms", "anthropic-terms", "gemini-api-terms"]
            if closed
            else ["apache-2.0", "mit", "llama3.1", "llama3.3", "llama4", "gemma", "qwen", "cc-by-nc-4.0"]
        )
        models.append(
            {
                "id": f"look-alike-{i:03d}",
                "name": f"Look-alike {i}",
                "weights": "closed" if closed else "open",
                "release_date": rng.choice([None, "2023-05", "2024-06", "2025-01"]),
                "parameters_b": None if closed else rng.choice([None, 7, 70, 405]),
                "context_window": rng.choice([None, 8192, 128000, 1048576]),
                "price_input_per_mtok_usd": price,
                "price_output_per_mtok_usd": price * 4 if price is not None else None,
                "license": licence,
                "modalities": rng.choice([["text"], ["text", "vision"], ["image-generation"]]),
                "hf_repo": None if closed else f"look/alike-{i:03d}",
                "as_of": "2026-11-01",
                "sources": {"basics": [f"https://example.com/models/{i}"]},
            }
        )
    return models


@pytest.mark.parametrize("sample", ["select-support-chat.yaml", "select-gpus-or-api.yaml"])
def test_remembered_rule_decisions_give_each_model_its_own_report(tmp_path: Path, sample: str) -> None:
    """A shortlist shares packs, governing licences and acceptance between candidates of the same
    composition licences: over 300 look-alike models, every one still gets the report, and the
    exclusion reason, that evaluating it alone with the unprepared rules gives."""
    from licensecheck.engine import evaluate
    from licensecheck.selection import build_shortlist, parse_selection_usecase
    from licensecheck.yamlsource import parse_yaml, read_text

    _json_catalog(tmp_path / "cat", _look_alike_models(300))  # type: ignore[arg-type]
    context = load_context((), (tmp_path / "cat",))
    usecase = parse_selection_usecase(parse_yaml(read_text(str(SAMPLES / sample)), sample))
    shortlist = build_shortlist(usecase, context.catalog, context.ruleset, (), "2026-01-01")
    assert len(shortlist.ranked) > 10 and len(shortlist.excluded) > 10
    reasons = set()
    messages: dict[str, set[str]] = {}
    for c in shortlist.ranked + shortlist.excluded:
        assert c.status == context.catalog.status(c.id, "2026-01-01"), c.id  # remembered per date and weights
        if c.status in ("retired", "unreleased"):
            continue
        plain = evaluate(usecase, c.model, context.ruleset, (), "2026-01-01")
        if c.report is not None:
            assert c.report == plain, c.id
        else:
            assert c.reason() == plain.findings[0]._replace(evidence=(), location=None), c.id
            reasons.add(c.reason().rule)
            messages.setdefault(c.reason().rule, set()).add(c.reason().message)
    assert len(reasons) > 2  # several rules excluded models
    # a rule whose message shows the model's facts (its context window, a route's cost) as well as
    # the use case's: the use case's are shown once for every model, the model's for each
    assert max(len(shown) for shown in messages.values()) > 1
    earlier = build_shortlist(usecase, context.catalog, context.ruleset, (), "2024-01-01")
    statuses = {c.id: c.status for c in earlier.ranked + earlier.excluded}
    assert statuses == {c: context.catalog.status(c, "2024-01-01") for c in statuses}
    assert {"unreleased", "active", None} <= set(statuses.values())


def test_a_prepared_rule_set_keeps_the_packs_of_each_composition_apart(ctx) -> None:  # type: ignore[no-untyped-def]
    """Two models of one licence, one trained on a Llama's outputs: each gets its own packs and report."""
    from licensecheck.engine import evaluate
    from licensecheck.resolve import from_catalog
    from licensecheck.selection import parse_selection_usecase
    from licensecheck.yamlsource import parse_yaml, read_text

    usecase = parse_selection_usecase(parse_yaml(read_text(str(SELECT)), "select.yaml"))
    prepared = ctx.ruleset.prepare(usecase, {"modification": "none"})
    plain = from_catalog(ctx.catalog.find("gpt-4o"))._replace(license="openai-terms", modification="none")
    taught = plain._replace(teacher_licenses=("llama3.1",))
    for model in (plain, taught, plain, taught):
        assert evaluate(usecase, model, prepared) == evaluate(usecase, model, ctx.ruleset)
    assert evaluate(usecase, taught, prepared).packs != evaluate(usecase, plain, prepared).packs


def test_errors_of_a_long_catalog_name_their_own_entry_as_a_whole_check_does() -> None:
    # entries are checked one at a time for speed; each message must still name its own index
    from licensecheck.catalog import catalog_errors
    from licensecheck.schema import validate

    good = {
        "id": "m",
        "name": "n",
        "provider": "x",
        "weights": "open",
        "license": "mit",
        "modalities": ["text"],
        "sources": {"basics": ["https://example.org/card"]},
    }
    models = [dict(good, id=f"m{i}") for i in range(6)]
    del models[1]["name"]
    models[3]["weights"] = "opne"
    models[4]["colour"] = 1
    models[5]["context_window"] = "big"
    data = {"licensecheck": 1, "catalog": {"name": "c"}, "models": models}
    found = catalog_errors(data)
    assert [(e.path, e.message) for e in found] == [(e.path, e.message) for e in validate(data, "catalog")]
    messages = " | ".join(e.message for e in found)
    assert "'models[1]' is missing the required key 'name'" in messages
    assert "unknown key 'colour' in 'models[4]'" in messages and "models[0]" not in messages
    assert [e.path[:2] for e in found] == [("models", 1), ("models", 3), ("models", 4), ("models", 5)]


@pytest.mark.parametrize(
    "envelope",
    [
        {"licensecheck": 1, "catalog": {}},
        {"licensecheck": 2, "catalog": {"name": "c"}},
        {"licensecheck": 1, "catalog": {"name": "c", "colour": 1}},
        {"licensecheck": 1, "catalog": {"name": 5}, "extra": True},
        {"licensecheck": 1, "catalog": {"name": "c"}},
    ],
)
def test_errors_of_a_catalog_outside_its_entries_are_those_of_a_whole_check(envelope: dict) -> None:  # type: ignore[type-arg]
    """The document without its entries is screened by the compiled predicate too; jsonschema
    explains what it rejects, so the messages are a whole check's."""
    from licensecheck.catalog import catalog_errors
    from licensecheck.schema import validate

    entry = {
        "id": "m",
        "name": "n",
        "weights": "open",
        "license": "mit",
        "modalities": ["text"],
        "sources": {"basics": ["https://example.org/card"]},
    }
    data = {**envelope, "models": [entry]}
    found = catalog_errors(data)
    assert [(e.path, e.message) for e in found] == [(e.path, e.message) for e in validate(data, "catalog")]
    assert bool(found) == (envelope != {"licensecheck": 1, "catalog": {"name": "c"}})


@pytest.mark.parametrize(
    "derivation",
    [
        {"modification": "fine-tune", "training_data": [{"name": "nc-set", "license": "cc-by-nc-4.0"}]},
        {"modification": "fine-tune", "base_models": ["llama-3.1-8b"]},
    ],
    ids=["training-data", "base-models"],
)
def test_a_derived_model_is_shortlisted_as_evaluate_sees_it(ctx, derivation: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """A use case that derives its model from training data or base models: each candidate's verdict
    and findings are those of `evaluate` of the use case naming it (the data's and the bases'
    licences count: non-commercial data in a commercial use is not 'allowed')."""
    import yaml

    from licensecheck import api
    from licensecheck.selection import build_shortlist, parse_selection_usecase
    from licensecheck.yamlsource import parse_yaml

    data = yaml.safe_load(SELECT.read_text())
    data["model"] = {"id": "ministral-3-8b", **derivation}
    usecase = parse_selection_usecase(parse_yaml(yaml.safe_dump(data), "derived.yaml"))
    shortlist = build_shortlist(usecase, ctx.catalog, ctx.ruleset, (), "2026-12-02")
    assert shortlist.ranked
    expected = {"training_data": "TRAINING-DATA-NONCOMMERCIAL", "base_models": "LINEAGE-LICENSE-MISMATCH"}
    for c in shortlist.ranked[:8] + shortlist.excluded[:8]:
        if c.status in ("retired", "unreleased"):
            continue
        named = api.evaluate(ctx, {**data, "model": {"id": c.id, **derivation}}, as_of="2026-12-02")
        (alone,) = named.reports
        assert c.verdict is alone.verdict, c.id
        if c in shortlist.ranked:
            assert [(f.rule, f.outcome, f.message) for f in c.report.findings] == [
                (f.rule, f.outcome, f.message) for f in alone.findings
            ], c.id
        else:
            assert c.reason().rule == alone.findings[0].rule, c.id
    key = next(k for k in expected if k in derivation)
    for c in shortlist.ranked:  # a Llama 3.1 model derived from a Llama 3.1 base keeps its licence
        if key == "training_data" or c.model.license != "llama3.1":
            assert expected[key] in {rule for rule, _ in c.acting()}, c.id
