"""Benchmark: licensecheck's speed bounds against published serving measurements (measured / bound ratios).

For each decode measurement in speed_measurements.yaml the memory-bandwidth bound per stream is computed with
the checker's own functions (licensecheck.estimates, GPU figures from rules/catalog/gpus.yaml) and the ratio
measured / bound printed; the median over the batch-1 serving rows is the decode efficiency the estimates use.
The same for prefill: measured time to first token against the compute bound gives the prefill utilisation.

    python benchmarks/speed_bound.py
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from licensecheck import api, estimates  # noqa: E402
from licensecheck.gpus import GpuTable  # noqa: E402

DATA = Path(__file__).with_name("speed_measurements.yaml")


@dataclass(frozen=True)
class Ratio:
    """One measurement against the estimate's bound; `ratio` is the share of the bound the measurement reached."""

    id: str
    group: str
    calibrates: bool
    measured: float
    bound: float
    ratio: float


def load() -> tuple[dict[str, Any], GpuTable]:
    data = yaml.safe_load(DATA.read_text("utf-8"))
    return data, api.gpu_table(api.load_context())  # the bundled GPU table, rules/catalog/gpus.yaml


def _architecture(raw: dict[str, Any]) -> estimates.Architecture:
    return estimates.Architecture(
        parameters_b=raw["parameters_b"],
        active_parameters_b=None,
        layers=raw["layers"],
        attention=raw["attention"],
        kv_heads=raw["kv_heads"],
        head_dim=raw["head_dim"],
    )


def decode_ratios(data: dict[str, Any], gpus: GpuTable) -> list[Ratio]:
    """measured tokens/s per stream over the bandwidth bound, per decode row."""
    out = []
    for row in data["decode"]:
        gpu = gpus.find(row["gpu"])
        assert gpu is not None and gpu.bandwidth_gb_s is not None, row["gpu"]
        estimate = estimates.decode_speed(
            _architecture(data["models"][row["model"]]),
            row["precision"],
            row["context"],
            row["concurrency"],
            gpu.bandwidth_gb_s,
            row["count"],
        )
        bound = float(estimate.part("bound_tokens_per_second"))
        measured = row["tokens_per_second"]
        out.append(Ratio(row["id"], row["group"], row["calibrates"], measured, bound, measured / bound))
    return out


def prefill_ratios(data: dict[str, Any], gpus: GpuTable) -> list[Ratio]:
    """Compute-bound prefill time over the measured time to first token (the share of dense throughput reached)."""
    out = []
    for row in data["prefill"]:
        gpu = gpus.find(row["gpu"])
        assert gpu is not None, row["gpu"]
        tflops = estimates.compute_tflops(row["precision"], gpu.bf16_dense_tflops, gpu.fp8_dense_tflops)
        assert tflops is not None, row["gpu"]
        estimate = estimates.time_to_first_token(
            _architecture(data["models"][row["model"]]), row["prompt_tokens"], tflops, row["count"]
        )
        bound_ms = float(estimate.part("bound_ms"))
        # A time: the share reached is bound / measured (the share of dense throughput the prefill used).
        measured = row["ttft_ms"]
        out.append(Ratio(row["id"], row["group"], row["calibrates"], measured, bound_ms, bound_ms / measured))
    return out


def calibrated(ratios: list[Ratio]) -> float:
    """The median ratio over the rows that calibrate the factor, rounded as the factor is."""
    return round(statistics.median(r.ratio for r in ratios if r.calibrates), 2)


def _table(title: str, ratios: list[Ratio], measured: str, bound: str) -> None:
    print(f"\n{title}")
    print(f"  {'measurement':48} {'group':12} {measured:>10} {bound:>10} {'ratio':>6}")
    for r in ratios:
        mark = "*" if r.calibrates else " "
        print(f"{mark} {r.id:48} {r.group:12} {r.measured:10.2f} {r.bound:10.2f} {r.ratio:6.2f}")
    groups = [
        (group, [r.ratio for r in ratios if r.group == group]) for group in sorted({r.group for r in ratios})
    ]
    for group, values in [*groups, ("overall", [r.ratio for r in ratios])]:
        print(
            f"  {group:12} n={len(values):<2} median {statistics.median(values):.2f} "
            f"range {min(values):.2f}-{max(values):.2f}"
        )


def main() -> int:
    data, gpus = load()
    decode = decode_ratios(data, gpus)
    prefill = prefill_ratios(data, gpus)
    _table("Decode, tokens/s per stream (ratio = measured / bandwidth bound)", decode, "measured", "bound")
    _table(
        "Prefill, time to first token in ms (ratio = compute bound / measured)", prefill, "measured", "bound"
    )
    efficiency = calibrated(decode)
    utilisation = calibrated(prefill)
    print(
        f"\n* calibrating rows. Decode efficiency (median of *): {efficiency:.2f}; "
        f"the estimates use {estimates.DECODE_EFFICIENCY.value:.2f}"
    )
    print(
        f"Prefill utilisation (median of *): {utilisation:.2f}; "
        f"the estimates use {estimates.PREFILL_UTILISATION.value:.2f}"
    )
    drift = (
        efficiency != estimates.DECODE_EFFICIENCY.value or utilisation != estimates.PREFILL_UTILISATION.value
    )
    if drift:
        print("The factors in licensecheck/estimates.py differ from the measurements: update them.")
    return 1 if drift else 0


if __name__ == "__main__":
    raise SystemExit(main())
