"""Worked examples of the self-hosting, speed, cost and fine-tuning estimates, their guards and their calibration."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from licensecheck import estimates
from licensecheck.estimates import Architecture, EstimateInputError

ROOT = Path(__file__).resolve().parent.parent

LLAMA_70B = Architecture(
    parameters_b=70, active_parameters_b=None, layers=80, attention="gqa", kv_heads=8, head_dim=128
)
DEEPSEEK_V3 = Architecture(
    parameters_b=671,
    active_parameters_b=37,
    layers=61,
    attention="mla",
    mla_kv_lora_rank=512,
    mla_rope_head_dim=64,
)
GPT_OSS_120B = Architecture(
    parameters_b=117,
    active_parameters_b=5.1,
    layers=36,
    attention="gqa",
    kv_heads=8,
    head_dim=64,
    sliding_window=128,
    sliding_window_layers=18,
)
QWEN35_27B = Architecture(
    parameters_b=27,
    active_parameters_b=None,
    layers=64,
    attention="gqa",
    kv_heads=4,
    head_dim=256,
    linear_attention_layers=48,
)


def test_kv_cache_gqa_counts_two_times_kv_heads_times_head_dim_per_layer() -> None:
    # 2 x 8 x 128 elements x 2 bytes = 4,096 B per token and layer; x 80 layers x 8,192 tokens x 16 streams
    kv = estimates.kv_cache_gb(LLAMA_70B, 8192, 16)
    assert kv.part("cached_elements_per_token_layer") == 2048
    assert kv.value == round(16 * 80 * 8192 * 4096 / 1e9, 2) == 42.95
    assert kv.part("kv_cache_gb_per_sequence") == 2.684


def test_kv_cache_mla_caches_the_latent_only() -> None:
    # (512 + 64) elements x 2 bytes x 61 layers = 70,272 B per token, not 2 x 128 heads x 128 x 2 x 61
    kv = estimates.kv_cache_gb(DEEPSEEK_V3, 32768, 1)
    assert kv.part("cached_elements_per_token_layer") == 576
    assert kv.value == round(70272 * 32768 / 1e9, 2) == 2.3


def test_kv_cache_sliding_window_layers_stop_at_the_window() -> None:
    # 18 full layers hold 131,072 tokens, 18 sliding layers only 128; 2 x 8 x 64 x 2 = 2,048 B per token and layer
    kv = estimates.kv_cache_gb(GPT_OSS_120B, 131072, 1)
    assert kv.value == round((18 * 131072 + 18 * 128) * 2048 / 1e9, 2) == 4.84
    short = estimates.kv_cache_gb(GPT_OSS_120B, 100, 1)
    assert short.value == round(36 * 100 * 2048 / 1e9, 5)


def test_kv_cache_linear_attention_layers_hold_none() -> None:
    # only 16 of 64 layers keep a growing cache: 2 x 4 x 256 x 2 = 4,096 B per token and layer
    kv = estimates.kv_cache_gb(QWEN35_27B, 262144, 1)
    assert kv.value == round(16 * 262144 * 4096 / 1e9, 2) == 17.18


def test_fit_adds_weights_and_kv_cache_against_90_percent_of_the_gpus() -> None:
    bf16 = estimates.self_hosted_fit(LLAMA_70B, "bf16", 8192, 16, 80, 2)
    assert bf16.part("weights_gb") == 140
    assert bf16.value == 182.95
    assert bf16.part("usable_gb") == 144
    assert bf16.part("fits") is False
    fp8 = estimates.self_hosted_fit(LLAMA_70B, "fp8", 8192, 16, 80, 2)
    assert fp8.value == 112.95
    assert fp8.part("fits") is True
    evidence = fp8.evidence()
    assert evidence["inputs"]["count"] == 2 and evidence["inputs"]["precision"] == "fp8"
    assert "kv_cache_gb" in evidence["formula"] and "usable_gb" in evidence["formula"]
    assert evidence["factors"]["memory_reserve"]["value"] == 0.1
    assert evidence["factors"]["memory_reserve"]["sources"]


def test_fit_boundary_exactly_at_the_usable_memory_fits() -> None:
    # 36 GB of bf16 weights, no context: usable = 1 x 40 x 0.9 = 36
    arch = Architecture(
        parameters_b=18, active_parameters_b=None, layers=1, attention="mha", kv_heads=1, head_dim=1
    )
    assert estimates.self_hosted_fit(arch, "bf16", 0, 1, 40, 1).part("fits") is True
    assert estimates.self_hosted_fit(arch, "bf16", 0, 1, 39.99, 1).part("fits") is False


def test_fit_names_the_fewest_gpus_whose_memory_holds_the_model() -> None:
    # 182.95 GB in bf16 on 80 GB GPUs (72 GB usable each): 3; 112.95 GB in fp8: 2; exactly 36 GB on 40 GB: 1
    assert estimates.self_hosted_fit(LLAMA_70B, "bf16", 8192, 16, 80, 2).part("min_gpus") == 3
    assert estimates.self_hosted_fit(LLAMA_70B, "fp8", 8192, 16, 80, 1).part("min_gpus") == 2
    arch = Architecture(
        parameters_b=18, active_parameters_b=None, layers=1, attention="mha", kv_heads=1, head_dim=1
    )
    assert estimates.self_hosted_fit(arch, "bf16", 0, 1, 40, 1).part("min_gpus") == 1
    assert estimates.self_hosted_fit(arch, "bf16", 0, 1, 39.99, 1).part("min_gpus") == 2
    assert "min_gpus = ceil(" in estimates.FIT_FORMULA


def test_mxfp4_counts_its_block_scales() -> None:
    fit = estimates.self_hosted_fit(GPT_OSS_120B, "mxfp4", 0, 1, 80, 1)
    assert fit.part("weights_gb") == round(117 * 4.25 / 8, 2) == 62.16


def test_decode_speed_is_bandwidth_over_bytes_per_step_times_the_measured_efficiency() -> None:
    # 70e9 bytes of fp8 weights + 1,500 tokens x 327,680 B of KV cache per step; 2 x 3,350 GB/s
    speed = estimates.decode_speed(LLAMA_70B, "fp8", 1500, 1, 3350, 2)
    bound = 2 * 3350e9 / (70e9 + 1500 * 327680)
    assert speed.part("bound_tokens_per_second") == round(bound, 1) == 95.0
    assert speed.value == round(bound * estimates.DECODE_EFFICIENCY.value, 1) == 55.1
    assert speed.evidence()["factors"]["decode_efficiency"]["value"] == 0.58


def test_decode_speed_of_moe_reads_the_active_parameters_only() -> None:
    speed = estimates.decode_speed(DEEPSEEK_V3, "fp8", 0, 1, 4800, 8)
    assert speed.part("bound_tokens_per_second") == round(8 * 4800 / 37, 1)


def test_decode_speed_per_stream_falls_with_concurrency() -> None:
    one = estimates.decode_speed(LLAMA_70B, "fp8", 5250, 1, 3350, 2)
    many = estimates.decode_speed(LLAMA_70B, "fp8", 5250, 25, 3350, 2)
    bound = 2 * 3350e9 / (70e9 + 25 * 5250 * 327680)
    assert many.part("bound_tokens_per_second") == round(bound, 1)
    assert many.value < one.value


def test_time_to_first_token_is_prefill_flops_over_measured_throughput() -> None:
    # 2 x 70e9 x 2,000 = 2.8e14 FLOPs on 2 x 1,979 TFLOPS: 70.7 ms at full use, / 0.44 measured
    ttft = estimates.time_to_first_token(LLAMA_70B, 2000, 1979, 2)
    assert ttft.part("bound_ms") == 70.7
    assert ttft.value == round(2.8e14 / (2 * 1979e12) * 1000 / 0.44, 1) == 160.8


def test_compute_tflops_uses_fp8_only_for_fp8_weights_on_fp8_gpus() -> None:
    assert estimates.compute_tflops("fp8", 989, 1979) == 1979
    assert estimates.compute_tflops("fp8", 312, None) == 312
    assert estimates.compute_tflops("int4", 989, 1979) == 989


TEN_B = Architecture(
    parameters_b=10, active_parameters_b=None, layers=1, attention="mha", kv_heads=1, head_dim=1
)


def test_monthly_cost_one_set_when_it_keeps_up() -> None:
    # prefill 1e15 x 0.44 / 2e10 = 22,000 tokens/s; decode 10 x 50 = 500 tokens/s
    # busy = (1e9 / 22,000 + 5e8 / 500) / 2,628,000 s = 0.398 -> 1 set of 1 GPU x $2 x 730 h
    cost = estimates.self_hosted_monthly_cost(TEN_B, 50, 10, 1000, 1, 2.0, 1e9, 5e8)
    assert cost.part("busy_share") == 0.398
    assert cost.part("sets") == 1
    assert cost.value == 1460
    assert cost.part("output_capacity_tokens_per_month") == 500 * 2_628_000
    assert cost.part("input_capacity_tokens_per_month") == 22_000 * 2_628_000


def test_monthly_cost_adds_sets_when_one_cannot_keep_up() -> None:
    cost = estimates.self_hosted_monthly_cost(TEN_B, 50, 10, 1000, 2, 2.0, 1e9, 3e9)
    assert cost.part("busy_share") == round((1e9 / 44_000 + 3e9 / 500) / 2_628_000, 3) == 2.292
    assert cost.part("sets") == 3
    assert cost.part("gpus") == 6
    assert cost.value == 3 * 2 * 2.0 * 730


def test_monthly_cost_exactly_full_is_one_set() -> None:
    cost = estimates.self_hosted_monthly_cost(TEN_B, 1, 1, 1000, 1, 1.0, 0, 2_628_000)
    assert cost.part("busy_share") == 1
    assert cost.part("sets") == 1


def test_api_cost_bills_hidden_reasoning_as_output_and_labels_the_assumption() -> None:
    plain = estimates.api_monthly_cost(1e8, 2e7, 1.0, 4.0)
    assert plain.value == 180 and not plain.assumed
    factor = estimates.reasoning_overhead(None, None)
    assumed = estimates.api_monthly_cost(1e8, 2e7, 1.0, 4.0, factor)
    assert assumed.value == 260
    assert assumed.assumed and assumed.evidence()["assumed"] is True
    assert "ASSUMPTION" in assumed.evidence()["factors"]["reasoning_overhead"]["basis"]
    documented = estimates.reasoning_overhead(3.0, "https://example.test/reasoning")
    sourced = estimates.api_monthly_cost(1e8, 2e7, 1.0, 4.0, documented)
    assert sourced.value == 340 and not sourced.assumed


def test_provider_fine_tuning_cost() -> None:
    assert estimates.provider_fine_tuning_cost(5e7, 25).value == 1250


def test_self_hosted_fine_tuning_cost_is_six_n_d_over_measured_utilisation() -> None:
    llama_8b = Architecture(
        parameters_b=8, active_parameters_b=None, layers=32, attention="gqa", kv_heads=8, head_dim=128
    )
    one = estimates.self_hosted_fine_tuning_cost(llama_8b, 5e7, 989, 3.0, 80, 1)
    hours = 5e7 * 6 * 8e9 / (989e12 * 0.38) / 3600
    assert one.part("gpu_hours") == round(hours, 2) == 1.77
    assert one.value == round(hours * 3.0, 2) == 5.32
    assert one.part("training_memory_gb") == 128 and one.part("fits") is False
    two = estimates.self_hosted_fine_tuning_cost(llama_8b, 5e7, 989, 3.0, 80, 2)
    assert two.part("fits") is True and two.value == one.value
    assert two.part("wall_clock_hours") == 0.887


def _round_by_decimal_text(value: float, digits: int = 2) -> float:
    """What estimates._round gives, as it first computed it (both roundings through decimal text)."""
    rounded = round(value, digits)
    significant = float(f"{value:.3g}")
    return rounded if abs(rounded - value) <= abs(significant - value) else significant


def _near_rounding_edges() -> list[float]:
    """Values where a shortcut could go wrong: each step's midpoint and the floats either side of it,
    the steps themselves, the shortcut's bounds, numbers whose three significant digits carry over, and
    runs of ordinary figures."""
    values: list[float] = []
    for exponent in range(-4, 11):
        for mantissa in (1, 1.005, 1.015, 1.125, 2.5, 4.995, 9.995, 9.9951, 9.99949, 9.9996, 99.5):
            values.append(mantissa * 10.0**exponent)
    for bound in (0.1, 1.0, 10.0, 100.0, 1e9):
        values += [bound, math.nextafter(bound, 0), math.nextafter(bound, math.inf)]
    for steps in range(0, 30_000, 7):
        for scale in (1, 10, 100, 1000):
            midpoint = (steps + 0.5) / scale
            below, above = math.nextafter(midpoint, 0), math.nextafter(midpoint, math.inf)
            values += [steps / scale, steps / scale * 1.0001 + 1.2345, midpoint, below, above]
            values += [math.nextafter(below, 0), math.nextafter(above, math.inf)]
    return values


def test_round_gives_what_rounding_through_decimal_text_gives() -> None:
    """_round's shortcut (no decimal text) gives the same float as the two decimal roundings, bit for
    bit, for every digits and sign, at and around every midpoint and bound."""
    values = _near_rounding_edges()
    for digits in (0, 1, 2, 3, 4):
        for value in values:
            for signed in (value, -value):
                expected = _round_by_decimal_text(signed, digits)
                got = estimates._round(signed, digits)
                assert got.hex() == expected.hex(), (signed, digits)


@given(value=st.floats() | st.floats(0.1, 1e9), digits=st.integers(0, 4))
def test_round_agrees_with_decimal_text_on_any_float(value: float, digits: int) -> None:
    """Any float, NaN and the infinities too, and many in the shortcut's range."""
    assert estimates._round(value, digits).hex() == _round_by_decimal_text(value, digits).hex()


@pytest.mark.parametrize(
    "bad",
    [math.nan, math.inf, -math.inf, -1, 1e300, True, "12", None],
)
def test_every_numeric_input_is_guarded(bad: Any) -> None:
    with pytest.raises(EstimateInputError):
        estimates.kv_cache_gb(LLAMA_70B, bad, 1)
    with pytest.raises(EstimateInputError):
        estimates.self_hosted_fit(LLAMA_70B, "bf16", 1000, 1, bad, 1)
    with pytest.raises(EstimateInputError):
        estimates.decode_speed(LLAMA_70B, "bf16", 1000, 1, bad, 1)
    with pytest.raises(EstimateInputError):
        estimates.self_hosted_monthly_cost(LLAMA_70B, 10, 1, 1000, 1, bad, 1, 1)
    with pytest.raises(EstimateInputError):
        estimates.api_monthly_cost(1, 1, 1, bad)
    with pytest.raises(EstimateInputError):
        estimates.provider_fine_tuning_cost(bad, 1)


class _Whole(int):
    """An int of another class (as an IntEnum or a numpy-like integer is)."""


class _Real(float):
    """A float of another class (as numpy.float64 is)."""


@pytest.mark.parametrize("good", [2_000_000, 2e6, _Whole(2_000_000), _Real(2e6)])
def test_a_number_of_any_int_or_float_class_is_taken(good: Any) -> None:
    """Plain ints and floats pass the guard on their class alone; their subclasses (bool excepted) as ever."""
    assert estimates.api_monthly_cost_usd(good, good, 1.5, 2) == 7.0  # 2 x 1.5 + 2 x 2
    assert estimates.provider_fine_tuning_cost(good, 3).value == 6.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: estimates.self_hosted_fit(LLAMA_70B, "bf16", 1000, 1, 80, 0),
        lambda: estimates.self_hosted_fit(LLAMA_70B, "bf16", 1000, 1.5, 80, 1),
        lambda: estimates.self_hosted_fit(LLAMA_70B, "fp12", 1000, 1, 80, 1),
        lambda: estimates.decode_speed(LLAMA_70B, "bf16", 1000, 1, 0, 1),
        lambda: estimates.time_to_first_token(LLAMA_70B, 1000, 0, 1),
        lambda: estimates.reasoning_overhead(0.5, "https://example.test"),
        lambda: Architecture(
            parameters_b=0, active_parameters_b=None, layers=1, attention="mha", kv_heads=1, head_dim=1
        ),
        lambda: Architecture(
            parameters_b=8, active_parameters_b=9, layers=1, attention="mha", kv_heads=1, head_dim=1
        ),
        lambda: Architecture(
            parameters_b=8, active_parameters_b=None, layers=1, attention="gqa", kv_heads=None, head_dim=1
        ),
        lambda: Architecture(
            parameters_b=8, active_parameters_b=None, layers=1, attention="mla", mla_kv_lora_rank=None
        ),
        lambda: Architecture(
            parameters_b=8, active_parameters_b=None, layers=2, attention="xyz", kv_heads=1, head_dim=1
        ),
        lambda: Architecture(
            parameters_b=8,
            active_parameters_b=None,
            layers=2,
            attention="gqa",
            kv_heads=1,
            head_dim=1,
            sliding_window_layers=2,
            linear_attention_layers=1,
        ),
        lambda: Architecture(
            parameters_b=8,
            active_parameters_b=None,
            layers=2,
            attention="gqa",
            kv_heads=1,
            head_dim=1,
            sliding_window_layers=1,
        ),
    ],
)
def test_bad_counts_precisions_and_architectures_raise(call: Any) -> None:
    with pytest.raises(EstimateInputError):
        call()


def _catalog() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((ROOT / "rules" / "catalog" / "models.yaml").read_text("utf-8"))
    return {m["id"]: m for m in data["models"]}


def test_architecture_of_catalog_entries() -> None:
    catalog = _catalog()
    arch, missing = estimates.architecture_of(catalog["deepseek-v3"])
    assert missing == () and arch is not None
    assert arch.attention == "mla" and arch.active_b == 37 and arch.kv_elements_per_token_layer() == 576
    arch, missing = estimates.architecture_of(catalog["gpt-oss-120b"])
    assert arch is not None and arch.sliding_window_layers == 18 and arch.full_attention_layers == 18
    arch, missing = estimates.architecture_of(catalog["qwen2.5-72b-instruct"])
    assert arch is None and missing == ("model.transformer.head_dim",)
    arch, missing = estimates.architecture_of(catalog["gpt-4o"])
    assert arch is None and "model.transformer.layers" in missing


def test_architecture_of_moe_without_active_parameters_is_missing() -> None:
    model = {
        "parameters_b": 46.7,
        "transformer": {"layers": 32, "attention": "gqa", "kv_heads": 8, "head_dim": 128, "experts": 8},
    }
    assert estimates.architecture_of(model) == (None, ("model.active_parameters_b",))


def test_weight_precision_prefers_the_deployment() -> None:
    assert estimates.weight_precision("int4", "bf16") == "int4"
    assert estimates.weight_precision(None, "mxfp4") == "mxfp4"
    assert estimates.weight_precision(None, None) is None


def _speed_bound() -> ModuleType:
    spec = importlib.util.spec_from_file_location("speed_bound", ROOT / "benchmarks" / "speed_bound.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def test_efficiency_factors_are_the_benchmarks_measured_medians() -> None:
    bench = _speed_bound()
    data, gpus = bench.load()
    decode = bench.decode_ratios(data, gpus)
    prefill = bench.prefill_ratios(data, gpus)
    assert bench.calibrated(decode) == estimates.DECODE_EFFICIENCY.value
    assert bench.calibrated(prefill) == estimates.PREFILL_UTILISATION.value
    # The bound is an upper bound: no published measurement exceeds it.
    assert all(0 < r.ratio < 1 for r in decode + prefill)
    assert len([r for r in decode if r.calibrates]) == 6
    assert len([r for r in prefill if r.calibrates]) == 5


def test_readme_states_every_factor_with_its_value() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    factors = [
        estimates.DECODE_EFFICIENCY,
        estimates.PREFILL_UTILISATION,
        estimates.MEMORY_RESERVE,
        estimates.KV_CACHE_BYTES,
        estimates.TRAINING_FLOPS_PER_PARAMETER_TOKEN,
        estimates.TRAINING_UTILISATION,
        estimates.TRAINING_BYTES_PER_PARAMETER,
        estimates.REASONING_OVERHEAD_ASSUMED,
    ]
    for factor in factors:
        assert f"| `{factor.name}` | {factor.value:g} |" in readme, factor.name
