"""Catalog routes and lifecycle, the GPU table, their display, and hostile catalog / GPU files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import ROOT

from licensecheck import api
from licensecheck.api import load_context
from licensecheck.cli import cli
from licensecheck.estimates import architecture_of, decode_speed, self_hosted_fit
from licensecheck.routes import Lifecycle, Provenance, model_status
from licensecheck.schema import load_schema

CATALOG = ROOT / "rules" / "catalog" / "models.yaml"
GPUS = ROOT / "rules" / "catalog" / "gpus.yaml"
DAY = "2026-11-01"
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def ctx():  # type: ignore[no-untyped-def]
    return load_context()


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


# ------------------------------------------------------------------ bundled data


def test_bundled_catalog_and_gpu_table_are_valid_for_jsonschema_too() -> None:
    for path, name in ((CATALOG, "catalog"), (GPUS, "gpus")):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        errors = list(jsonschema.Draft202012Validator(load_schema(name)).iter_errors(data))
        assert errors == [], [e.message for e in errors[:3]]


def test_every_catalog_licence_resolves_to_a_bundled_pack(ctx) -> None:  # type: ignore[no-untyped-def]
    unresolved = [m.id for m in ctx.catalog.models if ctx.ruleset.licenses.canonical(m.license) is None]
    assert unresolved == []


def test_every_api_model_has_a_lifecycle_status_with_a_dated_source(ctx) -> None:  # type: ignore[no-untyped-def]
    api_models = [m for m in ctx.catalog.models if m.weights == "closed" or m.routes]
    assert len(api_models) >= 35
    for model in api_models:
        routes = ctx.catalog.routes(model.id)
        assert routes, model.id
        for route in routes:
            life = route.lifecycle
            assert life.status in ("active", "deprecated", "retired"), model.id
            assert ISO_DAY.match(life.status_on) and ISO_DAY.match(life.provenance.read), model.id
            assert life.provenance.sources and all(s.startswith("http") for s in life.provenance.sources)
        assert model_status(model, DAY) is not None, model.id


def test_issue_lifecycle_dates_are_encoded(ctx) -> None:  # type: ignore[no-untyped-def]
    def openai(model_id: str) -> Lifecycle:
        route = ctx.catalog.routes(model_id)[0]
        assert route.provider in ("openai", "anthropic", "google")
        return route.lifecycle

    assert openai("o1").shutdown_on == openai("o3-mini").shutdown_on == "2026-10-23"
    assert openai("gemini-2.0-flash").shutdown_on == "2026-06-01"
    assert openai("claude-3.5-haiku").shutdown_on == "2026-02-19"
    assert openai("claude-3.5-sonnet").shutdown_on == "2025-10-28"  # corrected from the reported 10-22
    assert openai("claude-3-opus").shutdown_on == "2026-01-05"
    for model_id in ("gpt-4o", "gpt-4o-mini", "gpt-4.1"):
        life = openai(model_id)
        assert (life.status, life.shutdown_on, life.provenance.confidence) == (
            "deprecated",
            "2027-01-14",
            "S",
        )
    assert (
        ctx.catalog.status("gemini-1.5-pro", DAY) == ctx.catalog.status("gemini-1.5-flash", DAY) == "retired"
    )


def test_retired_ids_still_resolve_and_evaluate(tmp_path: Path, ctx) -> None:  # type: ignore[no-untyped-def]
    for model_id in (
        "o1",
        "o3-mini",
        "claude-3.5-sonnet",
        "claude-3-opus",
        "gemini-1.5-pro",
        "gemini-2.0-flash",
    ):
        assert ctx.catalog.find(model_id) is not None
        assert ctx.catalog.status(model_id, DAY) == "retired"
    case = tmp_path / "uc.yaml"
    case.write_text("name: old\nmodel: {id: o1}\nuse: {commercial: true, distribution: internal}\n")
    result = invoke("evaluate", str(case), "--as-of", DAY, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["reports"][0]["model"]["id"] == "o1"


def test_route_facts_are_readable_through_the_catalog_api(ctx) -> None:  # type: ignore[no-untyped-def]
    gpt4o = ctx.catalog.routes("gpt-4o")
    assert [r.provider for r in gpt4o] == ["openai", "openai", "azure", "azure"]
    main = gpt4o[0]  # a provider's first route is its main one
    assert main.speed is not None and main.speed.output_tokens_per_second == 131
    assert main.rate_limits[0].requests_per_minute == 500 and not main.rate_limits[0].free
    assert main.fine_tuning is not None and main.fine_tuning.available is False
    assert main.prices is not None and (main.prices.input, main.prices.historical) == (2.5, False)
    deepseek = ctx.catalog.routes("deepseek-r1")[0]
    assert deepseek.limits is not None
    assert (deepseek.limits.context_window, deepseek.limits.max_reasoning_tokens) == (64000, 32000)
    assert deepseek.prices is not None and deepseek.prices.historical
    assert ctx.catalog.find("deepseek-r1").context_window == 163840  # the weights' own window
    assert ctx.catalog.routes("llama-3.1-8b-instruct") == ()


def test_native_windows_and_corrections(ctx) -> None:  # type: ignore[no-untyped-def]
    find = ctx.catalog.find
    assert find("qwen2.5-7b-instruct").context_window == 32768
    assert find("qwen2.5-7b-instruct").extended_context["tokens"] == 131072
    assert all(find(f"llama-3.{v}").context_window == 131072 for v in ("1-8b-instruct", "3-70b-instruct"))
    assert find("codestral-22b-v0.1").context_window == 32768
    assert "video" in find("gemini-1.5-pro").modalities
    assert find("claude-3-opus").release_date == "2024-03-04"
    command_r = find("CohereForAI/c4ai-command-r-plus")  # the old repo id stays an alias
    assert command_r is not None and command_r.hf_repo == "CohereLabs/c4ai-command-r-plus"
    assert find("llama-3.1-405b-instruct").transformer["kv_heads"] == 8


# How a transformer note names a fact the self-hosted estimates need and no source gave (any one word will do).
NOTE_WORDS = {
    "parameters_b": ("parameters",),
    "active_parameters_b": ("active",),
    "layers": ("layer",),
    "attention": ("attention",),
    "kv_heads": ("kv_heads", "kv heads", "key/value heads"),
    "head_dim": ("head_dim", "head size"),
    "mla_kv_lora_rank": ("kv_lora_rank",),
    "mla_rope_head_dim": ("rope_head_dim",),
    "sliding_window": ("window",),
    "sliding_window_layers": ("window",),
    "weight_precision": ("precision",),
}


def _estimate_gaps(model: Any) -> list[str]:
    """The facts the self-hosted fit, speed and cost estimates lack for a catalog model (empty: all known)."""
    transformer = model.transformer or {}
    _, missing = architecture_of(
        {
            "parameters_b": model.parameters_b,
            "active_parameters_b": model.active_parameters_b,
            "transformer": transformer,
        }
    )
    assert not any(m.startswith("model.transformer (") for m in missing), (model.id, missing)  # a bad value
    gaps = [m.rsplit(".", 1)[-1] for m in missing]
    if transformer.get("weight_precision") is None:
        gaps.append("weight_precision")
    return gaps


def test_every_open_language_model_has_the_estimate_inputs_or_names_what_no_source_gave(ctx) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: every open model gets a self-hosted fit, speed and cost, or a note says which facts are missing."""
    checked = 0
    for model in ctx.catalog.models:
        if model.lineage_only or model.weights != "open" or "text" not in (model.modalities or ()):
            continue  # closed: no self-hosted route; diffusion: no tokens; a licence-only base: no facts at all
        checked += 1
        gaps = _estimate_gaps(model)
        if not gaps:
            continue
        transformer = model.transformer or {}
        assert transformer.get("sources"), (model.id, gaps)
        note = str(transformer.get("note") or "").lower()
        for gap in gaps:
            assert any(word in note for word in NOTE_WORDS[gap]), (model.id, gap, note)
    assert checked >= 40


@pytest.mark.parametrize(
    "model_id",
    [
        "ministral-3-8b",
        "mistral-small-4",
        "mistral-large-3",
        "mistral-medium-3.5",
        "phi-4-reasoning",
        "qwen3.6-35b-a3b",
    ],
)
def test_the_current_open_models_have_every_estimate_input(ctx, model_id: str) -> None:  # type: ignore[no-untyped-def]
    model = ctx.catalog.find(model_id)
    assert _estimate_gaps(model) == [], model_id
    assert model.transformer["sources"] and model.transformer["confidence"] in ("P", "C", "S")


def test_deepseek_v4_attention_is_left_to_a_review_with_its_shape_recorded(ctx) -> None:  # type: ignore[no-untyped-def]
    """V4's compressed attention is none of the kinds the estimate models: attention stays null, the rest is read."""
    for model_id, layers, experts in (("deepseek-v4-flash", 43, 256), ("deepseek-v4-pro", 61, 384)):
        model = ctx.catalog.find(model_id)
        assert _estimate_gaps(model) == ["attention", "weight_precision"], model_id
        t = model.transformer
        assert (t["layers"], t["experts"], t["experts_per_token"], t["kv_heads"], t["head_dim"]) == (
            layers,
            experts,
            6,
            1,
            512,
        )
        assert model.context_window == 1048576


def test_native_fp8_counts_one_byte_per_weight_and_a_675b_moe_fits_no_single_gpu(ctx) -> None:  # type: ignore[no-untyped-def]
    large = ctx.catalog.find("mistral-large-3")
    arch, missing = architecture_of(
        {"parameters_b": 675, "active_parameters_b": 41, "transformer": large.transformer}
    )
    assert arch is not None and not missing and large.transformer["weight_precision"] == "fp8"
    one_gpu = self_hosted_fit(arch, "fp8", 32000, 8, 80, 1)
    assert one_gpu.part("weights_gb") == 675 and one_gpu.part("fits") is False
    # MLA: 512 + 64 cached elements per token and layer, 61 layers, 2 bytes each
    assert one_gpu.part("kv_cache_gb") == pytest.approx(576 * 61 * 2 * 32000 * 8 / 1e9, rel=1e-3)
    # a decode step reads the 41B active weights once at 1 byte each, not all 675B
    speed = decode_speed(arch, "fp8", 32000, 1, 3350, 8)
    assert speed.part("active_weights_gb") == 41
    assert speed.part("bound_tokens_per_second") < 8 * 3350 / 41
    medium = ctx.catalog.find("mistral-medium-3.5")
    dense, _ = architecture_of(
        {"parameters_b": 128, "active_parameters_b": None, "transformer": medium.transformer}
    )
    assert dense is not None and self_hosted_fit(dense, "fp8", 8000, 1, 141, 1).part("weights_gb") == 128


def test_claude_release_dates_rest_on_a_dated_source(ctx) -> None:  # type: ignore[no-untyped-def]
    for model_id, day, confidence, where in (
        ("claude-fable-5-1", "2026-09-01", "P", "platform.claude.com/docs/en/release-notes/"),
        ("claude-haiku-5-5", "2026-10-07", "P", "platform.claude.com/docs/en/models/haiku-5-5/"),
        ("claude-sonnet-5-5", "2026-09-28", "S", "runware.ai/"),
    ):
        model = ctx.catalog.find(model_id)
        assert (model.release_date, model.release_date_confidence) == (day, confidence), model_id
        assert where in dict(model.sources)["release"][0], model_id


def test_current_generation_is_in_the_catalog(ctx) -> None:  # type: ignore[no-untyped-def]
    new = {
        "gpt-6-luna": "openai-terms",
        "claude-opus-5": "anthropic-terms",
        "gemini-3.5-flash": "gemini-api-terms",
        "llama-4-maverick": "llama4",
        "qwen3.6-35b-a3b": "apache-2.0",
        "deepseek-v4-pro": "mit",
        "gemma-4-31b-it": "apache-2.0",
        "mistral-medium-3.5": "mistral-modified-mit",
        "phi-4": "mit",
    }
    for model_id, license_id in new.items():
        model = ctx.catalog.find(model_id)
        assert model is not None and model.license == license_id, model_id
        assert model.as_of == DAY
    assert len(ctx.catalog.models) >= 40 + 20


@pytest.mark.parametrize(
    ("life", "day", "expected"),
    [
        (("deprecated", "2026-11-01", "2026-10-14", "2027-01-14"), "2026-01-01", "active"),
        (("deprecated", "2026-11-01", "2026-10-14", "2027-01-14"), "2026-12-24", "deprecated"),
        (("deprecated", "2026-11-01", "2026-10-14", "2027-01-14"), "2027-01-14", "retired"),
        (("retired", "2025-12-12", None, None), "2026-01-01", "retired"),
        (("retired", "2025-12-12", None, None), "2025-01-01", None),  # retired by then, day unknown
        (
            ("retired", "2026-11-01", None, "2026-03-31"),
            "2026-01-01",
            None,
        ),  # before shutdown, no notice date
        (("active", "2026-08-21", None, None), "2027-01-01", "active"),
        (("deprecated", "2026-11-01", None, None), "2026-10-01", None),
    ],
)
def test_lifecycle_status_on_a_date(life: tuple[Any, ...], day: str, expected: str | None) -> None:
    status, status_on, deprecated, shutdown = life
    lifecycle = Lifecycle(
        status, status_on, deprecated, shutdown, None, Provenance(("https://x",), DAY, None, "P", None)
    )
    assert lifecycle.on(day) == expected


# ------------------------------------------------------------------ display


def _ids(*args: str) -> set[str]:
    result = invoke("models", "list", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {m["id"] for m in json.loads(result.stdout)["models"]}


def test_models_list_status_filter_follows_the_date() -> None:
    retired = _ids("--status", "retired", "--as-of", DAY)
    assert {"o1", "o3-mini", "claude-3.5-sonnet", "gemini-2.0-flash"} <= retired
    assert "gpt-4o" not in retired and "llama-3.1-8b-instruct" not in retired
    assert "gpt-4o" in _ids("--status", "deprecated", "--as-of", DAY)
    assert "gpt-4o" in _ids("--status", "active", "--as-of", "2026-01-01")
    assert "gpt-4o" in _ids("--status", "retired", "--as-of", "2027-02-01")
    record = json.loads(invoke("models", "list", "--format", "json", "--as-of", DAY).stdout)["models"][0]
    assert {"status", "status_date", "routes", "transformer", "gated"} <= set(record)


def test_models_list_bad_date_is_an_input_error() -> None:
    result = invoke("models", "list", "--as-of", "2026-13-01")
    assert result.exit_code == 2
    assert "--as-of: error: '2026-13-01' is not a date" in result.stderr


def test_models_show_prints_routes_lifecycle_and_sources() -> None:
    result = invoke("models", "show", "o3-mini", "--as-of", DAY)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "status on 2026-11-01            retired" in text
    assert "retired as of 2026-11-01; deprecation 2026-04-22; shutdown 2026-10-23" in text
    assert "160 output tokens/s, time to first token 7,130 ms" in text
    assert "https://benchlm.ai/llm-speed" in text and "(historical)" in text
    assert "reasoning: reasoning model yes" in text
    shown = invoke("models", "show", "deepseek-v3").stdout
    assert "transformer: layers 61" in shown and "attention mla" in shown
    assert "limits       context 64,000, output 8,192 tokens" in shown


def test_models_gpus_lists_the_table_and_shows_one_gpu() -> None:
    result = invoke("models", "gpus")
    assert result.exit_code == 0, result.output
    for gpu in (
        "a10g",
        "l4",
        "l40s",
        "a100-40gb",
        "a100-80gb",
        "h100-80gb",
        "h200",
        "b200",
        "mi300x",
        "rtx-4090",
    ):
        assert re.search(rf"^{re.escape(gpu)}\s", result.stdout, re.M), gpu
    one = invoke("models", "gpus", "H100-SXM")
    assert one.exit_code == 0 and one.stdout.startswith("h100-80gb: ")
    assert "55.04" not in one.stdout and "6.88  AWS" in one.stdout
    data = json.loads(invoke("models", "gpus", "--format", "json").stdout)["gpus"]
    h200 = next(g for g in data if g["id"] == "h200")
    assert h200["bandwidth_gb_s"] == 4800 and h200["cheapest"]["provenance"]["as_of"]
    missing = invoke("models", "gpus", "h100-80")
    assert missing.exit_code == 2 and "nearest GPU ids: h100-80gb" in missing.stderr


def test_gpu_table_prices_are_dated_and_sourced(ctx) -> None:  # type: ignore[no-untyped-def]
    gpus = api.gpu_table(ctx)
    for gpu in gpus.gpus:
        cheapest = gpu.cheapest()
        assert cheapest is not None and cheapest.provenance.as_of, gpu.id
        assert all(p.provenance.sources for p in gpu.prices)
    assert gpus.find("b200").prices[0].usd_per_gpu_hour == pytest.approx(113.9328 / 8)


# ------------------------------------------------------------------ hostile files

MODEL = (
    "  - {id: acme-1, name: A, license: mit, weights: closed, modalities: [text],"
    " sources: {basics: ['https://acme.example']}"
)
ROUTE = "routes: [{provider: openai, name: API, lifecycle: {status: active, status_on: '2026-11-01', sources: ['https://acme.example'], read: '2026-11-02', confidence: P%s}%s}]"


def gpu_table(memory: str = "80", bandwidth: str = "3000", extra: str = "", more: str = "") -> str:
    return (
        "gpu_table: {name: acme}\ngpus:\n  - {id: acme-gpu, name: Acme, vendor: Acme, memory_gb: "
        + memory
        + ", bandwidth_gb_s: "
        + bandwidth
        + ", sources: ['https://acme.example'], read: '2026-11-02',"
        " confidence: S" + extra + "}\n" + more
    )


def _catalog(body: str) -> str:
    return "catalog: {name: acme}\nmodels:\n" + MODEL + body + "}\n"


HOSTILE = {
    "catalog-route-wrong-status": (
        "cat/c.yaml",
        _catalog(", " + ROUTE.replace("status: active", "status: dead") % ("", "")),
        "c.yaml:3:",
        "is not one of",
    ),
    "catalog-route-without-lifecycle": (
        "cat/c.yaml",
        _catalog(", routes: [{provider: openai, name: API}]"),
        "c.yaml:3:",
        "missing the required key 'lifecycle'",
    ),
    "catalog-route-huge-window": (
        "cat/c.yaml",
        _catalog(
            ", "
            + ROUTE
            % (
                "",
                ", limits: {context_window: 1000000000000000, sources: ['https://a.example'], read: '2026-11-02', confidence: P}",
            )
        ),
        "c.yaml:3:",
        "must be at most",
    ),
    "catalog-huge-price": (
        "cat/c.yaml",
        _catalog(", price_input_per_mtok_usd: 1.0e+300"),
        "c.yaml:3:",
        "must be at most",
    ),
    "catalog-zero-speed": (
        "cat/c.yaml",
        _catalog(
            ", "
            + ROUTE
            % (
                "",
                ", speed: {output_tokens_per_second: 0, measured_by: x, sources: ['https://a.example'], read: '2026-11-02', confidence: S}",
            )
        ),
        "c.yaml:3:",
        "must be greater than 0",
    ),
    "catalog-alias-of-bundled-id": (
        "cat/c.yaml",
        _catalog(", aliases: [GPT-4o]"),
        "c.yaml:3:",
        "model 'GPT-4o' is already in the catalog",
    ),
    "catalog-transformer-wrong-type": (
        "cat/c.yaml",
        _catalog(
            ", transformer: {layers: many, sources: ['https://a.example'], read: '2026-11-02', confidence: S}"
        ),
        "c.yaml:3:",
        "expected an integer or null",
    ),
}


def _write(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_catalog_is_a_located_input_error(
    tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, text, where, message = HOSTILE[case]
    _write(tmp_path, name, text)
    monkeypatch.chdir(tmp_path)
    result = invoke("models", "list", "--catalog", "cat")
    assert result.exit_code == 2, result.output
    assert where in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.output


GPU_HOSTILE = {
    "gpu-wrong-type": (gpu_table(memory="eighty"), "g.yaml:3:", "expected a number or null"),
    "gpu-huge-bandwidth": (gpu_table(bandwidth="1.0e+12"), "g.yaml:3:", "must be at most"),
    "gpu-duplicate-id": (
        gpu_table(
            more="  - {id: acme-gpu, name: B, vendor: Acme, memory_gb: 1, bandwidth_gb_s: 1,"
            " sources: ['https://a.example'], read: '2026-11-02', confidence: S}\n"
        ),
        "g.yaml:4:",
        "GPU 'acme-gpu' is already in the GPU table (own/g.yaml:3)",
    ),
    "gpu-alias-of-bundled-id": (gpu_table(extra=", aliases: [h200]"), "g.yaml:3:", "GPU 'h200' is already"),
    "gpu-price-without-date-key": (
        gpu_table(
            extra=", prices: [{provider: X, usd_per_gpu_hour: 2, sources: ['https://a.example'],"
            " read: '2026-11-02', confidence: S}]"
        ),
        "g.yaml:3:",
        "missing the required key 'as_of'",
    ),
    "gpu-unknown-top-level-key": (
        "gpu: []\n",
        "g.yaml:1:1:",
        "not a rule pack, catalog or GPU table (top-level keys: gpu)",
    ),
}


@pytest.mark.parametrize("case", sorted(GPU_HOSTILE))
def test_hostile_gpu_table_is_a_located_input_error(
    tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, where, message = GPU_HOSTILE[case]
    _write(tmp_path, "own/g.yaml", text)
    monkeypatch.chdir(tmp_path)
    result = invoke("models", "gpus", "--rules", "own")
    assert result.exit_code == 2, result.output
    assert where in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_an_organisations_gpu_table_adds_gpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "own/g.yaml", gpu_table(extra=", aliases: [acme-80]"))
    monkeypatch.chdir(tmp_path)
    result = invoke("models", "gpus", "ACME-80", "--rules", "own")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("acme-gpu: Acme") and "table: own/g.yaml:3" in result.stdout
    assert invoke("rules", "lint", "own").exit_code == 0
