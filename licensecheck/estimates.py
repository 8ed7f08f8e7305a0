"""Self-hosting, speed, cost and fine-tuning estimates: pure functions returning each figure with its formula and inputs."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from licensecheck.records import NamedTuple

Scalar = float | int | str | bool

HOURS_PER_MONTH = 730.0  # 8,760 hours in a year / 12
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600.0
GB = 1e9  # estimates count decimal gigabytes, as GPU datasheets do


class EstimateInputError(ValueError):
    """An input an estimate cannot use: not a number, not finite, or outside its bounds."""


class Factor(NamedTuple):
    """A constant an estimate rests on and where it comes from; `assumed` when no source gives it."""

    name: str
    value: float
    basis: str
    sources: tuple[str, ...]
    as_of: str | None
    assumed: bool = False

    def evidence(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "basis": self.basis, "sources": list(self.sources)}
        if self.as_of is not None:
            out["as_of"] = self.as_of
        if self.assumed:
            out["assumed"] = True
        return out


NIM_BENCHMARK = "https://docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance"
QWEN_SPEED = (
    "https://github.com/QwenLM/Qwen2.5/blob/5d7a9d4445f985ca552863e9c9dd6a445ac27ea0/docs/source/benchmark/"
    "speed_benchmark.rst"
)
TRTLLM_PERF = (
    "https://github.com/NVIDIA/TensorRT-LLM/blob/77d24b5fa178f11ed7fafdd9833b7245e075f721/docs/source/"
    "performance.md"
)

# Measured by benchmarks/speed_bound.py over benchmarks/speed_measurements.yaml (tests/test_estimates.py
# recomputes both from that file and fails when they drift).
DECODE_EFFICIENCY = Factor(
    "decode_efficiency",
    0.58,
    "median of measured / bound decode speed over the 6 published batch-1 measurements on serving engines "
    "(NVIDIA NIM 1.8 on 2x H100, vLLM 0.4.2 on 1-4x A100; range 0.54-0.63) in "
    "benchmarks/speed_measurements.yaml, computed by benchmarks/speed_bound.py",
    (NIM_BENCHMARK, QWEN_SPEED),
    "2024-09-19",
)
PREFILL_UTILISATION = Factor(
    "prefill_utilisation",
    0.44,
    "median share of dense tensor throughput reached in prefill over the 5 published batch-1 time-to-first-token "
    "measurements with prompts of 2,048 tokens or more (TensorRT-LLM 0.5 on 1-4x H100 / A100, NVIDIA NIM 1.8 on "
    "2x H100; range 0.33-0.67) in benchmarks/speed_measurements.yaml, computed by benchmarks/speed_bound.py",
    (TRTLLM_PERF, NIM_BENCHMARK),
    "2023-12",
)
MEMORY_RESERVE = Factor(
    "memory_reserve",
    0.10,
    "share of each GPU's memory left for activations, CUDA graphs and the runtime: vLLM uses 90% of GPU memory "
    "by default (gpu_memory_utilization 0.9), TensorRT-LLM gives 90% of the free memory to the KV cache",
    (
        "https://docs.anyscale.com/llm/batch-inference/resource-allocation/gpu-memory",
        "https://nvidia.github.io/TensorRT-LLM/examples/kvcacheconfig.html",
    ),
    None,
)
KV_CACHE_BYTES = Factor(
    "kv_cache_bytes",
    2.0,
    "bytes per cached key/value element: bf16, the serving engines' default (vLLM kv_cache_dtype 'auto' keeps "
    "the activations' 16-bit type; fp8 KV cache is opt-in)",
    (
        "https://docs.vllm.ai/en/v0.10.0/api/vllm/config.html",
        "https://unsloth.ai/docs/de/grundlagen/inference-and-deployment/vllm-guide/vllm-engine-arguments",
    ),
    None,
)
TRAINING_FLOPS_PER_PARAMETER_TOKEN = Factor(
    "training_flops_per_parameter_token",
    6.0,
    "forward and backward pass cost about 6 FLOPs per parameter and token (Kaplan et al. 2020, C = 6N per token); "
    "for mixture-of-experts models the active parameters count",
    ("https://arxiv.org/abs/2001.08361",),
    "2020-01-23",
)
TRAINING_UTILISATION = Factor(
    "training_utilisation",
    0.38,
    "model FLOPs utilisation of bf16 training on H100s: 38-43% in Meta's Llama 3 paper (Table 4, 380-430 "
    "TFLOPS per GPU); the low end is used, read through secondary copies",
    ("https://arxiv.org/abs/2407.21783", "https://glennklockwood.com/garden/llama-3.1"),
    "2024-07-31",
)
TRAINING_BYTES_PER_PARAMETER = Factor(
    "training_bytes_per_parameter",
    16.0,
    "GPU memory per parameter for full fine-tuning with mixed-precision Adam: 2 (bf16 weights) + 2 (gradients) "
    "+ 12 (fp32 master weights and two moments), ZeRO paper section 3.1; activations come on top",
    ("https://arxiv.org/abs/1910.02054",),
    "2019-10-04",
)
REASONING_OVERHEAD_ASSUMED = Factor(
    "reasoning_overhead",
    2.0,
    "ASSUMPTION, no source: hidden reasoning tokens as many as the visible output (billed output = 2 x visible "
    "output). Providers bill reasoning tokens as output but publish no typical ratio, and it varies with the "
    "task and the effort setting; a cost that rests on this factor is a review, not a pass",
    (),
    None,
    assumed=True,
)

# Bytes per weight at each precision. Block-scaled formats count their scales: MXFP4 stores a shared 8-bit scale
# per 32 4-bit values (OCP Microscaling spec v1.0), NVFP4 an 8-bit scale per 16. int4 counts 4 bits flat
# (group-wise scales of GPTQ/AWQ checkpoints add about 3%, not counted). A mixed checkpoint (gpt-oss: MoE
# weights MXFP4, attention and embeddings bf16) is counted at the precision of the bulk of its weights.
BYTES_PER_WEIGHT: Mapping[str, float] = {
    "fp32": 4.0,
    "bf16": 2.0,
    "fp16": 2.0,
    "fp8": 1.0,
    "int8": 1.0,
    "mxfp4": 4.25 / 8,
    "nvfp4": 4.5 / 8,
    "int4": 0.5,
}
ATTENTION_KINDS = ("mha", "mqa", "gqa", "mla")


def _number(name: str, value: object, low: float, high: float, *, above_low: bool = False) -> float:
    """`value` as a float when it is a finite real number within [low, high] (or (low, high])."""
    # A float or an int is let through on its class first: nearly every value is one, and the isinstance
    # calls cost more than the rest of the checks (a shortlist checks four inputs of each priced model's
    # cost). A tuple of types, not `int | float`, which builds a union on every call.
    if (
        type(value) is not float
        and type(value) is not int
        and (isinstance(value, bool) or not isinstance(value, (int, float)))
    ):
        raise EstimateInputError(f"{name} must be a number, not {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise EstimateInputError(f"{name} must be finite, not {value!r}")
    if number < low or number > high or (above_low and number == low):
        bracket = "(" if above_low else "["
        raise EstimateInputError(f"{name} must be in {bracket}{low:g}, {high:g}], not {value!r}")
    return number


def _count(name: str, value: object, low: int, high: int) -> int:
    """`value` as an int when it is a whole number within [low, high]."""
    number = _number(name, value, low, high)
    if number != int(number):
        raise EstimateInputError(f"{name} must be a whole number, not {value!r}")
    return int(number)


def _precision(name: str, value: object) -> float:
    if not isinstance(value, str) or value not in BYTES_PER_WEIGHT:
        raise EstimateInputError(f"{name} must be one of {', '.join(BYTES_PER_WEIGHT)}, not {value!r}")
    return BYTES_PER_WEIGHT[value]


def _factor(factor: Factor, low: float, high: float) -> float:
    return _number(factor.name, factor.value, low, high, above_low=True)


def _round(value: float, digits: int = 2) -> float:
    """Rounded to `digits` decimals for reports, or to three significant digits when that is closer."""
    shortcut = _ROUND_SHORTCUTS.get(digits)
    if shortcut is not None and shortcut[1] <= abs(value) < 1e9:
        # From 10 ** (2 - digits) up, three significant digits round to multiples of 10 ** -digits too: the
        # same number as the decimals, or one a step away. Within 0.4 of a step of `value` the decimals
        # are the closer by far more than float error below 1e9, and round() of the scaled value is
        # their integer, which one correctly rounded division by the exact scale turns into what
        # round(value, digits) gives. So the answer is the same, without the two conversions to and from
        # decimal text, which cost most of an API cost's estimate; values near a midpoint take them.
        scaled = value * shortcut[0]
        whole = round(scaled)
        if abs(scaled - whole) < 0.4:
            return whole / shortcut[0]
    rounded = round(value, digits)
    significant = float(f"{value:.3g}")
    return rounded if abs(rounded - value) <= abs(significant - value) else significant


# digits -> (10 ** digits, 10 ** (2 - digits)): the scale and the least magnitude of _round's shortcut
_ROUND_SHORTCUTS = {digits: (10.0**digits, 10.0 ** (2 - digits)) for digits in range(4)}


class Estimate(NamedTuple):
    """One estimated figure: value and unit, the formula giving it, its inputs, intermediate parts and factors."""

    name: str
    value: float
    unit: str
    formula: str
    inputs: tuple[tuple[str, Scalar], ...]
    parts: tuple[tuple[str, Scalar], ...] = ()
    factors: tuple[Factor, ...] = ()

    @property
    def assumed(self) -> bool:
        """True when a factor rests on an assumption rather than a source (a rule makes this a review)."""
        return any(f.assumed for f in self.factors)

    def part(self, name: str) -> Scalar:
        return dict(self.parts)[name]

    def evidence(self) -> dict[str, Any]:
        """The estimate as a finding's evidence: value, unit, formula, inputs, parts and factors with sources."""
        out: dict[str, Any] = {
            "value": self.value,
            "unit": self.unit,
            "formula": self.formula,
            "inputs": dict(self.inputs),
        }
        if self.parts:
            out["parts"] = dict(self.parts)
        if self.factors:
            out["factors"] = {f.name: f.evidence() for f in self.factors}
        if self.assumed:
            out["assumed"] = True
        return out


class Architecture(NamedTuple):
    """What the estimates need of a transformer; checked on construction (bad values raise EstimateInputError)."""

    parameters_b: float
    active_parameters_b: float | None  # None: dense, every parameter is active
    layers: int
    attention: str
    kv_heads: int | None = None  # mha/mqa/gqa: key/value heads per layer
    head_dim: int | None = None
    mla_kv_lora_rank: int | None = None  # mla: latent size cached per token and layer
    mla_rope_head_dim: int | None = None
    sliding_window: int | None = None
    sliding_window_layers: int = 0
    linear_attention_layers: int = 0

    def __post_init__(self) -> None:
        _number("parameters_b", self.parameters_b, 0, 1e6, above_low=True)
        if self.active_parameters_b is not None:
            _number("active_parameters_b", self.active_parameters_b, 0, self.parameters_b, above_low=True)
        _count("layers", self.layers, 1, 100_000)
        if self.attention not in ATTENTION_KINDS:
            raise EstimateInputError(f"attention must be one of {', '.join(ATTENTION_KINDS)}")
        if self.attention == "mla":
            _count("mla_kv_lora_rank", self.mla_kv_lora_rank, 1, 1_000_000)
            _count("mla_rope_head_dim", self.mla_rope_head_dim, 0, 1_000_000)
        else:
            _count("kv_heads", self.kv_heads, 1, 100_000)
            _count("head_dim", self.head_dim, 1, 100_000)
        _count("sliding_window_layers", self.sliding_window_layers, 0, self.layers)
        _count("linear_attention_layers", self.linear_attention_layers, 0, self.layers)
        if self.sliding_window_layers + self.linear_attention_layers > self.layers:
            raise EstimateInputError("sliding_window_layers + linear_attention_layers exceed layers")
        if self.sliding_window_layers:
            _count("sliding_window", self.sliding_window, 1, 1_000_000_000)

    @property
    def active_b(self) -> float:
        return self.parameters_b if self.active_parameters_b is None else self.active_parameters_b

    @property
    def full_attention_layers(self) -> int:
        return self.layers - self.sliding_window_layers - self.linear_attention_layers

    def kv_elements_per_token_layer(self) -> int:
        """Cached elements per token in one attention layer: 2 x kv_heads x head_dim, or the MLA latent."""
        if self.attention == "mla":
            return int(self.mla_kv_lora_rank or 0) + int(self.mla_rope_head_dim or 0)
        return 2 * int(self.kv_heads or 0) * int(self.head_dim or 0)

    def inputs(self) -> tuple[tuple[str, Scalar], ...]:
        out: list[tuple[str, Scalar]] = [
            ("parameters_b", self.parameters_b),
            ("active_parameters_b", self.active_b),
            ("layers", self.layers),
            ("attention", self.attention),
        ]
        if self.attention == "mla":
            out += [
                ("mla_kv_lora_rank", self.mla_kv_lora_rank or 0),
                ("mla_rope_head_dim", self.mla_rope_head_dim or 0),
            ]
        else:
            out += [("kv_heads", self.kv_heads or 0), ("head_dim", self.head_dim or 0)]
        if self.sliding_window_layers:
            out += [
                ("sliding_window", self.sliding_window or 0),
                ("sliding_window_layers", self.sliding_window_layers),
            ]
        if self.linear_attention_layers:
            out.append(("linear_attention_layers", self.linear_attention_layers))
        return tuple(out)


def architecture_of(model: Mapping[str, Any]) -> tuple[Architecture | None, tuple[str, ...]]:
    """The architecture of a catalog entry, or None and the model facts it lacks (for a review naming them)."""
    block = model.get("transformer")
    t: Mapping[str, Any] = block if isinstance(block, Mapping) else {}
    missing: list[str] = []

    def need(path: str, value: Any) -> Any:
        if value is None:
            missing.append(path)
        return value

    parameters = need("model.parameters_b", model.get("parameters_b"))
    active = model.get("active_parameters_b")
    if t.get("experts") is not None and active is None:
        missing.append("model.active_parameters_b")
    layers = need("model.transformer.layers", t.get("layers"))
    attention = need("model.transformer.attention", t.get("attention"))
    kv_heads = t.get("kv_heads")
    if attention == "mha" and kv_heads is None:
        kv_heads = t.get("attention_heads")
    if attention == "mqa" and kv_heads is None:
        kv_heads = 1
    if attention == "mla":
        need("model.transformer.mla_kv_lora_rank", t.get("mla_kv_lora_rank"))
        need("model.transformer.mla_rope_head_dim", t.get("mla_rope_head_dim"))
    elif attention is not None:
        need("model.transformer.kv_heads", kv_heads)
        need("model.transformer.head_dim", t.get("head_dim"))
    sliding_layers = t.get("sliding_window_layers") or 0
    if t.get("sliding_window") is not None and not sliding_layers:
        missing.append("model.transformer.sliding_window_layers")
    if sliding_layers:
        need("model.transformer.sliding_window", t.get("sliding_window"))
    if missing:
        return None, tuple(missing)
    try:
        arch = Architecture(
            parameters_b=parameters,
            active_parameters_b=active,
            layers=layers,
            attention=attention,
            kv_heads=kv_heads,
            head_dim=t.get("head_dim"),
            mla_kv_lora_rank=t.get("mla_kv_lora_rank"),
            mla_rope_head_dim=t.get("mla_rope_head_dim"),
            sliding_window=t.get("sliding_window"),
            sliding_window_layers=sliding_layers,
            linear_attention_layers=t.get("linear_attention_layers") or 0,
        )
    except EstimateInputError as error:
        return None, (f"model.transformer ({error})",)
    return arch, ()


def weight_precision(deployment_precision: str | None, native_precision: str | None) -> str | None:
    """The precision the weights are served at: the deployment's when given, else the model's native one."""
    return deployment_precision if deployment_precision is not None else native_precision


KV_FORMULA = (
    "kv_cache_gb = concurrency x sum over layers of (cached elements per token and layer x kv_bytes x tokens "
    "held) / 1e9; cached elements = 2 x kv_heads x head_dim (MHA/MQA/GQA) or mla_kv_lora_rank + "
    "mla_rope_head_dim (MLA); full-attention layers hold context_tokens, sliding-window layers "
    "min(context_tokens, sliding_window), linear-attention layers none"
)


def _kv_bytes_one_sequence(arch: Architecture, context: float, kv_bytes: float) -> float:
    held = arch.full_attention_layers * context
    if arch.sliding_window_layers:
        held += arch.sliding_window_layers * min(context, float(arch.sliding_window or 0))
    return arch.kv_elements_per_token_layer() * kv_bytes * held


def kv_cache_gb(arch: Architecture, context_tokens: float, concurrency: int) -> Estimate:
    """KV cache of `concurrency` sequences of `context_tokens` tokens each, in GB."""
    context = _number("context_tokens", context_tokens, 0, 1e9)
    streams = _count("concurrency", concurrency, 1, 1_000_000)
    kv_bytes = _factor(KV_CACHE_BYTES, 0, 8)
    one = _kv_bytes_one_sequence(arch, context, kv_bytes)
    return Estimate(
        "kv_cache_gb",
        _round(streams * one / GB),
        "GB",
        KV_FORMULA,
        (*arch.inputs(), ("context_tokens", context_tokens), ("concurrency", streams)),
        (
            ("cached_elements_per_token_layer", arch.kv_elements_per_token_layer()),
            ("kv_cache_gb_per_sequence", _round(one / GB, 3)),
        ),
        (KV_CACHE_BYTES,),
    )


FIT_FORMULA = (
    "required_gb = weights_gb + kv_cache_gb, weights_gb = parameters_b x bytes per weight at the precision; "
    "usable_gb = count x gpu_memory_gb x (1 - memory_reserve); fits when required_gb <= usable_gb; "
    "min_gpus = ceil(required_gb / (gpu_memory_gb x (1 - memory_reserve))), the fewest such GPUs whose "
    "memory holds it (a lower bound: splitting a model across more GPUs adds overhead). " + KV_FORMULA
)


def self_hosted_fit(
    arch: Architecture,
    precision: str,
    context_tokens: float,
    concurrency: int,
    gpu_memory_gb: float,
    count: int,
) -> Estimate:
    """GPU memory to serve the weights and the KV cache, against what `count` GPUs offer (value: required GB)."""
    bytes_per_weight = _precision("precision", precision)
    memory = _number("gpu_memory_gb", gpu_memory_gb, 0, 100_000, above_low=True)
    gpus = _count("count", count, 1, 100_000)
    reserve = _factor(MEMORY_RESERVE, 0, 0.99)
    kv = kv_cache_gb(arch, context_tokens, concurrency)
    weights = arch.parameters_b * bytes_per_weight
    required = weights + kv.value
    usable = gpus * memory * (1 - reserve)
    min_gpus = max(1, math.ceil(required / (memory * (1 - reserve)) - 1e-9))  # 1e-9: float noise
    return Estimate(
        "self_hosted_memory_gb",
        _round(required),
        "GB",
        FIT_FORMULA,
        (
            *kv.inputs,
            ("precision", precision),
            ("bytes_per_weight", bytes_per_weight),
            ("gpu_memory_gb", memory),
            ("count", gpus),
        ),
        (
            ("weights_gb", _round(weights)),
            ("kv_cache_gb", kv.value),
            ("usable_gb", _round(usable)),
            ("fits", required <= usable),
            ("min_gpus", min_gpus),
        ),
        (KV_CACHE_BYTES, MEMORY_RESERVE),
    )


SPEED_FORMULA = (
    "bound_tokens_per_second = count x bandwidth_gb_s x 1e9 / bytes_per_step, bytes_per_step = "
    "active_parameters_b x 1e9 x bytes per weight + concurrency x kv_cache_bytes_per_sequence(context_tokens) "
    "(every decode step reads the active weights once and each stream's KV cache); estimate = bound x "
    "decode_efficiency. Per stream; at concurrency > 1 the bound ignores that different streams route to "
    "different experts, so it stays an upper bound."
)


def decode_speed(
    arch: Architecture,
    precision: str,
    context_tokens: float,
    concurrency: int,
    bandwidth_gb_s: float,
    count: int,
) -> Estimate:
    """Decode tokens per second per stream: the memory-bandwidth upper bound times the measured efficiency."""
    bytes_per_weight = _precision("precision", precision)
    bandwidth = _number("bandwidth_gb_s", bandwidth_gb_s, 0, 1_000_000, above_low=True)
    gpus = _count("count", count, 1, 100_000)
    efficiency = _factor(DECODE_EFFICIENCY, 0, 1)
    kv = kv_cache_gb(arch, context_tokens, concurrency)
    weights = arch.active_b * GB * bytes_per_weight
    step = weights + kv.value * GB
    bound = gpus * bandwidth * GB / step
    return Estimate(
        "decode_tokens_per_second",
        _round(bound * efficiency, 1),
        "tokens/s per stream",
        SPEED_FORMULA,
        (
            *kv.inputs,
            ("precision", precision),
            ("bytes_per_weight", bytes_per_weight),
            ("bandwidth_gb_s", bandwidth),
            ("count", gpus),
        ),
        (
            ("bound_tokens_per_second", _round(bound, 1)),
            ("bytes_per_step_gb", _round(step / GB, 3)),
            ("active_weights_gb", _round(weights / GB, 3)),
            ("kv_cache_gb", kv.value),
        ),
        (KV_CACHE_BYTES, DECODE_EFFICIENCY),
    )


def compute_tflops(
    precision: str, bf16_dense_tflops: float | None, fp8_dense_tflops: float | None
) -> float | None:
    """Dense throughput the matrix multiplications run at: fp8 for fp8 weights where the GPU has it, else bf16.

    Weight-only formats (int8, int4, mxfp4, nvfp4) are dequantised and multiplied in 16-bit.
    """
    if precision == "fp8" and fp8_dense_tflops is not None:
        return fp8_dense_tflops
    return bf16_dense_tflops


TTFT_FORMULA = (
    "time_to_first_token_ms = 2 x active_parameters_b x 1e9 x prompt_tokens / (count x dense_tflops x 1e12 x "
    "prefill_utilisation) x 1000; bound = the same at utilisation 1. Prefill on an idle server, no queueing or "
    "network time and no attention FLOPs (about 10% more at 5,000 tokens on a 70B model): a lower bound on "
    "what a user sees."
)


def time_to_first_token(
    arch: Architecture, prompt_tokens: float, dense_tflops: float, count: int
) -> Estimate:
    """Prefill time of one prompt on an idle GPU set, ms: compute over measured prefill throughput."""
    prompt = _number("prompt_tokens", prompt_tokens, 0, 1e9)
    tflops = _number("dense_tflops", dense_tflops, 0, 1e7, above_low=True)
    gpus = _count("count", count, 1, 100_000)
    utilisation = _factor(PREFILL_UTILISATION, 0, 1)
    flops = 2 * arch.active_b * GB * prompt
    bound_ms = flops / (gpus * tflops * 1e12) * 1000
    return Estimate(
        "time_to_first_token_ms",
        _round(bound_ms / utilisation, 1),
        "ms",
        TTFT_FORMULA,
        (
            ("active_parameters_b", arch.active_b),
            ("prompt_tokens", prompt_tokens),
            ("dense_tflops", tflops),
            ("count", gpus),
        ),
        (("bound_ms", _round(bound_ms, 1)), ("prefill_flops", flops)),
        (PREFILL_UTILISATION,),
    )


COST_FORMULA = (
    "per GPU set: prefill_tokens_per_second = count x dense_tflops x 1e12 x prefill_utilisation / (2 x "
    "active_parameters_b x 1e9); decode_tokens_per_second = concurrency x decode speed per stream; "
    "busy_share = (monthly_input_tokens / prefill_tokens_per_second + monthly_output_tokens / "
    "decode_tokens_per_second) / seconds_per_month; sets = max(1, ceil(busy_share)); monthly_cost_usd = sets x "
    "count x usd_per_gpu_hour x 730 hours (traffic spread evenly over the month: peaks need the concurrency "
    "to be sized for them)"
)


def self_hosted_monthly_cost(
    arch: Architecture,
    decode_tokens_per_second: float,
    concurrency: int,
    dense_tflops: float,
    count: int,
    usd_per_gpu_hour: float,
    monthly_input_tokens: float,
    monthly_output_tokens: float,
) -> Estimate:
    """Monthly cost of the GPU sets that serve the traffic, and each set's capacity in tokens per month."""
    speed = _number("decode_tokens_per_second", decode_tokens_per_second, 0, 1e9, above_low=True)
    streams = _count("concurrency", concurrency, 1, 1_000_000)
    tflops = _number("dense_tflops", dense_tflops, 0, 1e7, above_low=True)
    gpus = _count("count", count, 1, 100_000)
    price = _number("usd_per_gpu_hour", usd_per_gpu_hour, 0, 100_000)
    tokens_in = _number("monthly_input_tokens", monthly_input_tokens, 0, 1e16)
    tokens_out = _number("monthly_output_tokens", monthly_output_tokens, 0, 1e16)
    utilisation = _factor(PREFILL_UTILISATION, 0, 1)
    prefill_rate = gpus * tflops * 1e12 * utilisation / (2 * arch.active_b * GB)
    decode_rate = streams * speed
    busy = (tokens_in / prefill_rate + tokens_out / decode_rate) / SECONDS_PER_MONTH
    sets = max(1, math.ceil(busy - 1e-9))
    cost = sets * gpus * price * HOURS_PER_MONTH
    return Estimate(
        "self_hosted_monthly_cost_usd",
        _round(cost),
        "USD per month",
        COST_FORMULA,
        (
            ("active_parameters_b", arch.active_b),
            ("decode_tokens_per_second", speed),
            ("concurrency", streams),
            ("dense_tflops", tflops),
            ("count", gpus),
            ("usd_per_gpu_hour", price),
            ("monthly_input_tokens", monthly_input_tokens),
            ("monthly_output_tokens", monthly_output_tokens),
        ),
        (
            ("input_capacity_tokens_per_month", _round(prefill_rate * SECONDS_PER_MONTH, 0)),
            ("output_capacity_tokens_per_month", _round(decode_rate * SECONDS_PER_MONTH, 0)),
            ("busy_share", _round(busy, 3)),
            ("sets", sets),
            ("gpus", sets * gpus),
        ),
        (PREFILL_UTILISATION,),
    )


API_COST_FORMULA = (
    "monthly_cost_usd = monthly_input_tokens / 1e6 x price_input + monthly_output_tokens x reasoning_overhead / "
    "1e6 x price_output (reasoning_overhead 1 for models without hidden reasoning)"
)


def _api_cost_parts(
    monthly_input_tokens: float,
    monthly_output_tokens: float,
    price_input_per_mtok: float,
    price_output_per_mtok: float,
    reasoning: Factor | None,
) -> tuple[float, float, float, float, float]:
    """The API cost per month unrounded, the checked prices, the reasoning overhead and the billed output tokens."""
    tokens_in = _number("monthly_input_tokens", monthly_input_tokens, 0, 1e16)
    tokens_out = _number("monthly_output_tokens", monthly_output_tokens, 0, 1e16)
    price_in = _number("price_input_per_mtok", price_input_per_mtok, 0, 1e6)
    price_out = _number("price_output_per_mtok", price_output_per_mtok, 0, 1e6)
    overhead = 1.0 if reasoning is None else _number(reasoning.name, reasoning.value, 1, 1000)
    billed_out = tokens_out * overhead
    cost = tokens_in / 1e6 * price_in + billed_out / 1e6 * price_out
    return cost, price_in, price_out, overhead, billed_out


def api_monthly_cost_usd(
    monthly_input_tokens: float,
    monthly_output_tokens: float,
    price_input_per_mtok: float,
    price_output_per_mtok: float,
    reasoning: Factor | None = None,
) -> float:
    """api_monthly_cost's value alone (what ranking and rules read), without building the Estimate."""
    return _round(
        _api_cost_parts(
            monthly_input_tokens,
            monthly_output_tokens,
            price_input_per_mtok,
            price_output_per_mtok,
            reasoning,
        )[0]
    )


def api_monthly_cost(
    monthly_input_tokens: float,
    monthly_output_tokens: float,
    price_input_per_mtok: float,
    price_output_per_mtok: float,
    reasoning: Factor | None = None,
) -> Estimate:
    """API cost per month at list prices; a reasoning model's hidden tokens bill as output via its factor."""
    cost, price_in, price_out, overhead, billed_out = _api_cost_parts(
        monthly_input_tokens, monthly_output_tokens, price_input_per_mtok, price_output_per_mtok, reasoning
    )
    return Estimate(
        "monthly_cost_usd",
        _round(cost),
        "USD per month",
        API_COST_FORMULA,
        (
            ("monthly_input_tokens", monthly_input_tokens),
            ("monthly_output_tokens", monthly_output_tokens),
            ("price_input_per_mtok", price_in),
            ("price_output_per_mtok", price_out),
        ),
        (("billed_output_tokens", _round(billed_out, 0)), ("reasoning_overhead", overhead)),
        () if reasoning is None else (reasoning,),
    )


def reasoning_overhead(factor: float | None, source: str | None) -> Factor:
    """The catalog's documented overhead factor with its source, else the labelled assumption."""
    if factor is None or source is None:
        return REASONING_OVERHEAD_ASSUMED
    value = _number("overhead_factor", factor, 1, 1000)
    return Factor(
        "reasoning_overhead", value, "documented ratio of billed to visible output tokens", (source,), None
    )


def provider_fine_tuning_cost(training_tokens: float, training_per_mtok_usd: float) -> Estimate:
    """Fine-tuning through a provider: training tokens (epochs included) / 1M x the training price."""
    tokens = _number("fine_tuning_tokens", training_tokens, 0, 1e16)
    price = _number("training_per_mtok_usd", training_per_mtok_usd, 0, 1e6)
    return Estimate(
        "fine_tuning_cost_usd",
        _round(tokens / 1e6 * price),
        "USD",
        "fine_tuning_cost_usd = fine_tuning_tokens / 1e6 x training_per_mtok_usd (the provider's price; hosting "
        "of the tuned model and its usage are billed apart)",
        (("fine_tuning_tokens", training_tokens), ("training_per_mtok_usd", price)),
    )


SELF_TUNING_FORMULA = (
    "gpu_hours = fine_tuning_tokens x 6 x active_parameters_b x 1e9 / (bf16_dense_tflops x 1e12 x "
    "training_utilisation) / 3600; fine_tuning_cost_usd = gpu_hours x usd_per_gpu_hour (full fine-tuning; "
    "LoRA needs fewer FLOPs and far less memory); training_memory_gb = parameters_b x 16 (mixed-precision "
    "Adam), fits when <= count x gpu_memory_gb"
)


def self_hosted_fine_tuning_cost(
    arch: Architecture,
    training_tokens: float,
    bf16_dense_tflops: float,
    usd_per_gpu_hour: float,
    gpu_memory_gb: float,
    count: int,
) -> Estimate:
    """Full fine-tuning of open weights on rented GPUs: training FLOPs over the measured utilisation, priced."""
    tokens = _number("fine_tuning_tokens", training_tokens, 0, 1e16)
    tflops = _number("bf16_dense_tflops", bf16_dense_tflops, 0, 1e7, above_low=True)
    price = _number("usd_per_gpu_hour", usd_per_gpu_hour, 0, 100_000)
    memory = _number("gpu_memory_gb", gpu_memory_gb, 0, 100_000, above_low=True)
    gpus = _count("count", count, 1, 100_000)
    flops_per = _factor(TRAINING_FLOPS_PER_PARAMETER_TOKEN, 0, 100)
    utilisation = _factor(TRAINING_UTILISATION, 0, 1)
    per_parameter = _factor(TRAINING_BYTES_PER_PARAMETER, 0, 100)
    flops = tokens * flops_per * arch.active_b * GB
    gpu_hours = flops / (tflops * 1e12 * utilisation) / 3600
    training_memory = arch.parameters_b * per_parameter
    return Estimate(
        "fine_tuning_cost_usd",
        _round(gpu_hours * price),
        "USD",
        SELF_TUNING_FORMULA,
        (
            ("fine_tuning_tokens", training_tokens),
            ("parameters_b", arch.parameters_b),
            ("active_parameters_b", arch.active_b),
            ("bf16_dense_tflops", tflops),
            ("usd_per_gpu_hour", price),
            ("gpu_memory_gb", memory),
            ("count", gpus),
        ),
        (
            ("training_flops", flops),
            ("gpu_hours", _round(gpu_hours)),
            ("wall_clock_hours", _round(gpu_hours / gpus)),
            ("training_memory_gb", _round(training_memory)),
            ("fits", training_memory <= gpus * memory),
        ),
        (TRAINING_FLOPS_PER_PARAMETER_TOKEN, TRAINING_UTILISATION, TRAINING_BYTES_PER_PARAMETER),
    )
