"""The catalog for people and scripts: models as a table or JSON, one model's facts, routes and sources, GPUs."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast

from licensecheck.gpus import Gpu, GpuPrice, GpuTable
from licensecheck.model import FACT_KEYS, CatalogEntry
from licensecheck.routes import Provenance, Route, model_status, routes_of
from licensecheck.text import display, json_dumps, table

if TYPE_CHECKING:
    from licensecheck.formats.documents import CatalogRecord, GpuRecord

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


def render_list(models: list[CatalogEntry], day: str) -> str:
    rows: list[tuple[str, ...]] = [LIST_HEADER]
    for m in models:
        rows.append(
            (
                str(m.id),
                display(model_status(m, day)),
                display(m.weights),
                str(m.license),
                display(m.parameters_b),
                display(m.context_window),
                display(m.max_output_tokens),
                display(m.price_input_per_mtok_usd, "price_input_per_mtok_usd"),
                display(m.price_output_per_mtok_usd, "price_output_per_mtok_usd"),
                display(m.knowledge_cutoff),
                display(m.release_date),
                display(m.modalities),
            )
        )
    return (
        table(rows)
        + f"\n\n{len(models)} models. Status on {day} (the best of the model's provider routes; open weights stay"
        " active). Prices in USD per 1M tokens; unknown = not disclosed or not found.\n"
    )


# Keys beyond FACT_KEYS that JSON output carries for every model (null when absent).
EXTRA_KEYS = ("aliases", "gated", "gating", "extended_context", "transformer", "reasoning", "routes")


def entry_record(model: CatalogEntry, day: str | None = None) -> CatalogRecord:
    """A catalog entry with every fact key present (null when unknown), for JSON output: id, name,
    provider, model.FACT_KEYS in order, then the other facts (documents.CatalogRecord names them)."""
    record: dict[str, object] = {"id": model.id, "name": model.name, "provider": model.provider}
    record.update({k: getattr(model, k) for k in FACT_KEYS})
    record.update(license_name=model.license_name, as_of=model.as_of)
    record["sources"] = {group: list(urls) for group, urls in model.sources} or None
    record["notes"] = model.notes
    for key in EXTRA_KEYS:
        record[key] = getattr(model, key)
    record["routes"] = list(model.routes) or None
    out = cast("CatalogRecord", record)
    if day is not None:
        out["status"] = model_status(model, day)
        out["status_date"] = day
    return out


def render_list_json(models: list[CatalogEntry], day: str | None = None) -> str:
    return json_dumps({"models": [entry_record(m, day) for m in models]}) + "\n"


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
    return ", ".join(f"{name} {display(value)}" for name, value in pairs if value is not None) or "none known"


def _route_lines(i: int, route: Route, day: str | None) -> list[str]:
    ids = f": {', '.join(route.model_ids)}" if route.model_ids else ""
    out = [f"  {i}. {route.name} ({route.provider}){ids}"]
    life = route.lifecycle
    text = f"{life.status} as of {life.status_on}"
    text += f"; released {life.released_on}" if life.released_on else ""
    text += f"; deprecation {life.deprecated_on}" if life.deprecated_on else ""
    text += f"; shutdown {life.shutdown_on}" if life.shutdown_on else "; no shutdown date known"
    text += f"; replacement {life.replacement}" if life.replacement else ""
    if day is not None:
        text += f"; status on {day}: {display(life.on(day))}"
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
        text = f"{display(sp.output_tokens_per_second)} output tokens/s, time to first token "
        text += f"{display(sp.time_to_first_token_ms)} ms ({sp.measured_by})"
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
            text += f"; hosting {display(tune.hosting_per_hour_usd)} USD / hour"
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


def _block_lines(title: str, block: Mapping[str, object], keys: tuple[str, ...]) -> list[str]:
    """One model-level block (transformer, reasoning, ...): its known values, then its provenance."""
    values = ", ".join(f"{k.replace('_', ' ')} {display(block[k])}" for k in keys if block.get(k) is not None)
    out = [f"  {title}: {values or 'nothing known'}"]
    out += _provenance(_provenance_of(block), 4)
    return out


def _provenance_of(block: Mapping[str, object]) -> Provenance:
    """The provenance keys of a catalog block (the catalog schema requires sources, read, confidence)."""
    sources = block["sources"]
    return Provenance(
        tuple(str(s) for s in sources) if isinstance(sources, list | tuple) else (),
        str(block["read"]),
        _text(block.get("as_of")),
        str(block["confidence"]),
        _text(block.get("note")),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


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


def render_show(model: CatalogEntry, origin: str, day: str | None = None) -> str:
    out = [f"{model.id}: {model.name or model.id}"]
    if model.provider:
        out.append(f"  provider: {model.provider}")
    for key in FACT_KEYS:
        out.append(f"  {SHOW_LABELS[key].ljust(WIDTH)}  {display(getattr(model, key), key)}")
    if model.license_name:
        out.append(f"  {'licence name'.ljust(WIDTH)}  {model.license_name}")
    if model.aliases:
        out.append(f"  {'also found as'.ljust(WIDTH)}  {display(model.aliases)}")
    if model.weights == "open" or model.gated is not None:
        gating = model.gating
        kind = f" ({gating['kind']})" if gating else ""
        out.append(f"  {'download gated'.ljust(WIDTH)}  {display(model.gated)}{kind}")
    if day is not None:
        out.append(f"  {('status on ' + day).ljust(WIDTH)}  {display(model_status(model, day))}")
    out.append(f"  {'prices as of'.ljust(WIDTH)}  {display(model.as_of)}")
    out.append("  sources:")
    for group, urls in sorted(model.sources):
        out.append(f"    {group}:")
        out.extend(f"      - {url}" for url in urls)
    if model.notes:
        out.append("  notes:")
        out += _wrap(model.notes, 4)
    if model.gating:
        out += _block_lines("gating", model.gating, ("kind",))
    if model.extended_context:
        out += _block_lines("extended context", model.extended_context, ("tokens", "method"))
    if model.transformer:
        out += _block_lines("transformer", model.transformer, TRANSFORMER_KEYS)
    if model.reasoning:
        out += _block_lines("reasoning", model.reasoning, REASONING_KEYS)
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
        where = "unknown" if price is None else f"{price.provider}, {display(price.provenance.as_of)}"
        rows.append(
            (
                gpu.id,
                gpu.name,
                display(gpu.memory_gb),
                display(gpu.bandwidth_gb_s),
                display(gpu.bf16_dense_tflops),
                display(gpu.fp8_dense_tflops),
                display(None if price is None else price.usd_per_gpu_hour),
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
    out += [f"  {label.ljust(width)}  {display(value)}" for label, value in facts]
    out.append("  figures:")
    out += _provenance(gpu.provenance, 4)
    out.append("  on-demand prices (USD per GPU-hour):")
    for price in gpu.prices:
        offer = ", ".join(x for x in (price.offering, price.region) if x)
        out.append(
            f"    {display(price.usd_per_gpu_hour)}  {price.provider}" + (f" ({offer})" if offer else "")
        )
        out += _provenance(price.provenance, 6)
    out.append(f"  table: {gpu.origin}")
    return "\n".join(out) + "\n"


def gpu_record(gpu: Gpu) -> GpuRecord:
    """A GPU with every field of gpus.Gpu present (null when unknown), and its cheapest price, for JSON output."""
    import dataclasses

    def fields(item: Gpu | GpuPrice) -> dict[str, object]:
        # asdict keeps a NamedTuple (the provenance) a tuple, which JSON would write as a list
        return {**dataclasses.asdict(item), "provenance": item.provenance._asdict()}

    cheapest = gpu.cheapest()
    record = {
        **fields(gpu),
        "prices": tuple(map(fields, gpu.prices)),
        "cheapest": None if cheapest is None else fields(cheapest),
    }
    return cast("GpuRecord", record)


def render_gpus_json(gpus: list[Gpu]) -> str:
    return json_dumps({"gpus": [gpu_record(g) for g in gpus]}) + "\n"


class ModelTable:
    """Catalog models as a table, one a line, with their lifecycle status on `day`."""

    name = "text"

    def __init__(self, day: str) -> None:
        self.day = day

    def render(self, models: list[CatalogEntry]) -> str:
        return render_list(models, self.day)


class ModelJson:
    """Catalog models as JSON records, every fact present (null when unknown)."""

    name = "json"

    def __init__(self, day: str | None = None) -> None:
        self.day = day

    def render(self, models: list[CatalogEntry]) -> str:
        return render_list_json(models, self.day)


class ModelCard:
    """One catalog model: every fact, its routes and sources, and the catalog file it comes from."""

    name = "text"

    def __init__(self, origin: str, day: str | None = None) -> None:
        self.origin = origin
        self.day = day

    def render(self, model: CatalogEntry) -> str:
        return render_show(model, self.origin, self.day)


class GpuTableText:
    """GPUs as a table: memory, bandwidth, throughput and the cheapest dated price."""

    name = "text"

    def render(self, gpus: list[Gpu]) -> str:
        return render_gpus(GpuTable(tuple(gpus)))


class GpuCard:
    """One GPU: its figures and every price with its source."""

    name = "text"

    def render(self, gpu: Gpu) -> str:
        return render_gpu(gpu)


class GpuJson:
    """GPUs as JSON records."""

    name = "json"

    def render(self, gpus: list[Gpu]) -> str:
        return render_gpus_json(gpus)
