"""`licensecheck models`: filter the catalog and present its entries (unknown facts say so, never 0)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from licensecheck.catalog import FACT_KEYS, Catalog
from licensecheck.gpus import Gpu, GpuTable
from licensecheck.routes import Provenance, Route, model_status, routes_of
from licensecheck.shortlist import show, table
from licensecheck.text import json_dumps

LIST_HEADER = (
    "ID",
    "STATUS",
    "WEIGHTS",
    "LICENCE",
    "PARAMS (B)",
    "CONTEXT",
    "MAX OUT",
    "$IN/1M",
    "$OUT/1M",
    "CUTOFF",
    "RELEASED",
    "MODALITIES",
)

# Keys beyond FACT_KEYS that JSON output carries for every model (null when absent).
EXTRA_KEYS = ("aliases", "gated", "gating", "extended_context", "transformer", "reasoning", "routes")


def filter_models(
    catalog: Catalog,
    weights: str | None = None,
    license_id: str | None = None,
    min_context: int | None = None,
    modalities: tuple[str, ...] = (),
    status: str | None = None,
    day: str | None = None,
) -> list[dict[str, Any]]:
    """Models matching every filter; a model whose fact is unknown does not match a filter on it.

    `status` keeps the models whose lifecycle status on `day` (YYYY-MM-DD) is that status."""
    out = []
    for model in catalog.models:
        if weights and model["weights"] != weights:
            continue
        if license_id and str(model["license"]).casefold() != license_id.casefold():
            continue
        if min_context is not None and (
            model["context_window"] is None or model["context_window"] < min_context
        ):
            continue
        if modalities and not all(m in (model["modalities"] or []) for m in modalities):
            continue
        if status and (day is None or model_status(model, day) != status):
            continue
        out.append(model)
    return sorted(out, key=lambda m: str(m["id"]))


def render_list(models: list[dict[str, Any]], day: str) -> str:
    rows: list[tuple[str, ...]] = [LIST_HEADER]
    for m in models:
        rows.append(
            (
                str(m["id"]),
                show(model_status(m, day)),
                show(m["weights"]),
                str(m["license"]),
                show(m["parameters_b"]),
                show(m["context_window"]),
                show(m["max_output_tokens"]),
                show(m["price_input_per_mtok_usd"]),
                show(m["price_output_per_mtok_usd"]),
                show(m["knowledge_cutoff"]),
                show(m["release_date"]),
                show(m["modalities"]),
            )
        )
    return (
        table(rows)
        + f"\n\n{len(models)} models. Status on {day} (the best of the model's provider routes; open weights stay"
        " active). Prices in USD per 1M tokens; unknown = not disclosed or not found.\n"
    )


def as_record(model: dict[str, Any], day: str | None = None) -> dict[str, Any]:
    """A catalog entry with every fact key present (null when unknown), for JSON output."""
    record = {"id": model["id"], "name": model.get("name"), "provider": model.get("provider")}
    record.update({k: model.get(k) for k in FACT_KEYS})
    for key in ("license_name", "as_of", "sources", "notes", *EXTRA_KEYS):
        record[key] = model.get(key)
    if day is not None:
        record["status"] = model_status(model, day)
        record["status_date"] = day
    return record


def render_list_json(models: list[dict[str, Any]], day: str | None = None) -> str:
    return json_dumps({"models": [as_record(m, day) for m in models]}) + "\n"


SHOW_LABELS = {
    "weights": "weights",
    "release_date": "release date",
    "knowledge_cutoff": "knowledge cutoff",
    "parameters_b": "parameters (B)",
    "active_parameters_b": "active parameters (B)",
    "training_tokens_t": "training tokens (T)",
    "context_window": "context window (tokens)",
    "max_output_tokens": "max output (tokens)",
    "price_input_per_mtok_usd": "price input (USD / 1M tokens)",
    "price_output_per_mtok_usd": "price output (USD / 1M tokens)",
    "license": "licence",
    "modalities": "modalities",
    "hf_repo": "Hugging Face repo",
}
WIDTH = max(len(v) for v in SHOW_LABELS.values())


def _wrap(text: str, indent: int) -> list[str]:
    pad = " " * indent
    return textwrap.fill(text, 100, initial_indent=pad, subsequent_indent=pad).splitlines()


def _provenance(p: Provenance, indent: int) -> list[str]:
    """`[S] read 2026-12-01, source dated 2026-10-27` with the URLs and the note, indented."""
    dated = f", source dated {p.as_of}" if p.as_of else ", source undated"
    out = [" " * indent + f"[{p.confidence}] read {p.read}{dated}"]
    out += [" " * indent + f"- {url}" for url in p.sources]
    if p.note:
        out += _wrap("note: " + p.note, indent)
    return out


PROV_INDENT = 17  # route facts' provenance lines start under the fact's text


def _line(label: str, text: str, indent: int = 4, width: int = 11) -> str:
    return " " * indent + f"{label.ljust(width)}  {text}"


def _money_list(pairs: Sequence[tuple[str, float | None]]) -> str:
    return ", ".join(f"{name} {show(value)}" for name, value in pairs if value is not None) or "none known"


def _route_lines(i: int, route: Route, day: str | None) -> list[str]:
    ids = f": {', '.join(route.model_ids)}" if route.model_ids else ""
    out = [f"  {i}. {route.name} ({route.provider}){ids}"]
    life = route.lifecycle
    text = f"{life.status} as of {life.status_on}"
    text += f"; deprecation {life.deprecated_on}" if life.deprecated_on else ""
    text += f"; shutdown {life.shutdown_on}" if life.shutdown_on else "; no shutdown date known"
    text += f"; replacement {life.replacement}" if life.replacement else ""
    if day is not None:
        text += f"; status on {day}: {show(life.on(day))}"
    out.append(_line("lifecycle", text))
    out += _provenance(life.provenance, PROV_INDENT)
    if route.limits is not None:
        lim = route.limits
        pairs: list[tuple[str, float | None]] = [
            ("context", lim.context_window),
            ("input", lim.max_input_tokens),
            ("output", lim.max_output_tokens),
            ("reasoning", lim.max_reasoning_tokens),
        ]
        out.append(_line("limits", _money_list(pairs) + " tokens"))
        out += _provenance(lim.provenance, PROV_INDENT)
    if route.prices is not None:
        pr = route.prices
        pairs = [
            ("input", pr.input),
            ("output", pr.output),
            ("cached input", pr.cached_input),
            ("cache write", pr.cache_write),
            ("batch input", pr.batch_input),
            ("batch output", pr.batch_output),
        ]
        mark = " (historical)" if pr.historical else ""
        out.append(_line("prices", _money_list(pairs) + f" USD / 1M tokens{mark}"))
        out += _provenance(pr.provenance, PROV_INDENT)
    if route.speed is not None:
        sp = route.speed
        text = f"{show(sp.output_tokens_per_second)} output tokens/s, time to first token "
        text += f"{show(sp.time_to_first_token_ms)} ms ({sp.measured_by})"
        out.append(_line("speed", text))
        out += _provenance(sp.provenance, PROV_INDENT)
    for row in route.rate_limits:
        pairs = [
            ("requests/min", row.requests_per_minute),
            ("requests/day", row.requests_per_day),
            ("tokens/min", row.tokens_per_minute),
            ("input tokens/min", row.input_tokens_per_minute),
            ("output tokens/min", row.output_tokens_per_minute),
            ("tokens/day", row.tokens_per_day),
            ("batch queue tokens", row.batch_queue_tokens),
        ]
        free = " (free tier)" if row.free else ""
        out.append(_line("rate limits", f"{row.tier}{free}: {_money_list(pairs)}"))
        out += _provenance(row.provenance, PROV_INDENT)
    if route.fine_tuning is not None:
        tune = route.fine_tuning
        offered = {True: "available", False: "not available", None: "availability unknown"}[tune.available]
        pairs = [
            ("training", tune.training_per_mtok_usd),
            ("tuned input", tune.input_per_mtok_usd),
            ("tuned output", tune.output_per_mtok_usd),
        ]
        prices = _money_list(pairs)
        text = offered + ("" if prices == "none known" else f"; {prices} USD / 1M tokens")
        if tune.hosting_per_hour_usd is not None:
            text += f"; hosting {show(tune.hosting_per_hour_usd)} USD / hour"
        out.append(_line("fine-tuning", text))
        out += _provenance(tune.provenance, PROV_INDENT)
    if route.uptime is not None:
        up = route.uptime
        pairs = [
            ("SLA %", up.sla_percent),
            ("published uptime %", up.published_uptime_percent),
        ]
        out.append(_line("uptime", _money_list(pairs)))
        out += _provenance(up.provenance, PROV_INDENT)
    if route.note:
        out += _wrap("note: " + route.note, 4)
    return out


def _block_lines(title: str, block: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    """One model-level block (transformer, reasoning, ...): its known values, then its provenance."""
    values = ", ".join(f"{k.replace('_', ' ')} {show(block[k])}" for k in keys if block.get(k) is not None)
    out = [f"  {title}: {values or 'nothing known'}"]
    out += _provenance(_provenance_of(block), 4)
    return out


def _provenance_of(block: dict[str, Any]) -> Provenance:
    return Provenance(
        tuple(block["sources"]), block["read"], block.get("as_of"), block["confidence"], block.get("note")
    )


TRANSFORMER_KEYS = (
    "layers",
    "hidden_size",
    "attention_heads",
    "kv_heads",
    "head_dim",
    "attention",
    "mla_kv_lora_rank",
    "mla_rope_head_dim",
    "sliding_window",
    "sliding_window_layers",
    "linear_attention_layers",
    "experts",
    "experts_per_token",
    "shared_experts",
    "weight_precision",
)
REASONING_KEYS = ("reasoning_model", "hidden_tokens_billed_as_output", "overhead_factor", "overhead_source")


def render_show(model: dict[str, Any], origin: str, day: str | None = None) -> str:
    out = [f"{model['id']}: {model.get('name') or model['id']}"]
    if model.get("provider"):
        out.append(f"  provider: {model['provider']}")
    for key in FACT_KEYS:
        out.append(f"  {SHOW_LABELS[key].ljust(WIDTH)}  {show(model.get(key))}")
    if model.get("license_name"):
        out.append(f"  {'licence name'.ljust(WIDTH)}  {model['license_name']}")
    if model.get("aliases"):
        out.append(f"  {'also found as'.ljust(WIDTH)}  {show(model['aliases'])}")
    if model.get("weights") == "open" or model.get("gated") is not None:
        gating = model.get("gating")
        kind = f" ({gating['kind']})" if gating else ""
        out.append(f"  {'download gated'.ljust(WIDTH)}  {show(model.get('gated'))}{kind}")
    if day is not None:
        out.append(f"  {('status on ' + day).ljust(WIDTH)}  {show(model_status(model, day))}")
    out.append(f"  {'prices as of'.ljust(WIDTH)}  {show(model.get('as_of'))}")
    out.append("  sources:")
    for group, urls in sorted((model.get("sources") or {}).items()):
        out.append(f"    {group}:")
        out.extend(f"      - {url}" for url in urls)
    if model.get("notes"):
        out.append("  notes:")
        out += _wrap(model["notes"], 4)
    if model.get("gating"):
        out += _block_lines("gating", model["gating"], ("kind",))
    if model.get("extended_context"):
        out += _block_lines("extended context", model["extended_context"], ("tokens", "method"))
    if model.get("transformer"):
        out += _block_lines("transformer", model["transformer"], TRANSFORMER_KEYS)
    if model.get("reasoning"):
        out += _block_lines("reasoning", model["reasoning"], REASONING_KEYS)
    routes = routes_of(model)
    if routes:
        out.append(
            "  routes (the first of each provider is its main route; without limits, the model's own apply):"
        )
        for i, route in enumerate(routes, 1):
            out += _route_lines(i, route, day)
    out.append(f"  catalog: {origin}")
    return "\n".join(out) + "\n"


GPU_HEADER = (
    "ID",
    "NAME",
    "MEMORY GB",
    "BANDWIDTH GB/S",
    "BF16 TFLOPS",
    "FP8 TFLOPS",
    "FROM $/GPU-H",
    "PRICE",
)


def render_gpus(table_: GpuTable) -> str:
    rows: list[tuple[str, ...]] = [GPU_HEADER]
    for gpu in table_.gpus:
        price = gpu.cheapest()
        where = "unknown" if price is None else f"{price.provider}, {show(price.provenance.as_of)}"
        rows.append(
            (
                gpu.id,
                gpu.name,
                show(gpu.memory_gb),
                show(gpu.bandwidth_gb_s),
                show(gpu.bf16_dense_tflops),
                show(gpu.fp8_dense_tflops),
                show(None if price is None else price.usd_per_gpu_hour),
                where,
            )
        )
    return (
        table(rows)
        + f"\n\n{len(table_.gpus)} GPUs. Dense tensor throughput (no sparsity). FROM: the lowest dated on-demand"
        " price per GPU-hour (undated prices only when none is dated); `licensecheck models gpus ID` lists every"
        " price with its source.\n"
    )


def render_gpu(gpu: Gpu) -> str:
    out = [f"{gpu.id}: {gpu.name}", f"  vendor: {gpu.vendor}"]
    facts = [
        ("memory (GB)", gpu.memory_gb),
        ("memory type", gpu.memory_type),
        ("bandwidth (GB/s)", gpu.bandwidth_gb_s),
        ("BF16 dense (TFLOPS)", gpu.bf16_dense_tflops),
        ("FP8 dense (TFLOPS)", gpu.fp8_dense_tflops),
        ("FP8 tensor cores", gpu.fp8_supported),
        ("also found as", list(gpu.aliases) or None),
    ]
    width = max(len(label) for label, _ in facts)
    out += [f"  {label.ljust(width)}  {show(value)}" for label, value in facts]
    out.append("  figures:")
    out += _provenance(gpu.provenance, 4)
    out.append("  on-demand prices (USD per GPU-hour):")
    for price in gpu.prices:
        offer = ", ".join(x for x in (price.offering, price.region) if x)
        out.append(f"    {show(price.usd_per_gpu_hour)}  {price.provider}" + (f" ({offer})" if offer else ""))
        out += _provenance(price.provenance, 6)
    out.append(f"  table: {gpu.origin}")
    return "\n".join(out) + "\n"


def gpu_record(gpu: Gpu) -> dict[str, Any]:
    """A GPU with every fact key present (null when unknown), for JSON output."""
    import dataclasses

    record = dataclasses.asdict(gpu)
    cheapest = gpu.cheapest()
    record["cheapest"] = None if cheapest is None else dataclasses.asdict(cheapest)
    return record


def render_gpus_json(gpus: list[Gpu]) -> str:
    return json_dumps({"gpus": [gpu_record(g) for g in gpus]}) + "\n"
