"""`licensecheck models`: filter the catalog and present its entries (unknown facts say so, never 0)."""

from __future__ import annotations

import json
from typing import Any

from licensecheck.catalog import Catalog
from licensecheck.model import FACT_KEYS, CatalogEntry
from licensecheck.shortlist import show, table

LIST_HEADER = (
    "ID",
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


def filter_models(
    catalog: Catalog,
    weights: str | None = None,
    license_id: str | None = None,
    min_context: int | None = None,
    modalities: tuple[str, ...] = (),
) -> list[CatalogEntry]:
    """Models matching every filter; a model whose fact is unknown does not match a filter on it."""
    out = []
    for model in catalog.models:
        if weights and model.weights != weights:
            continue
        if license_id and str(model.license).casefold() != license_id.casefold():
            continue
        if min_context is not None and (model.context_window is None or model.context_window < min_context):
            continue
        if modalities and not all(m in (model.modalities or []) for m in modalities):
            continue
        out.append(model)
    return sorted(out, key=lambda m: m.id)


def render_list(models: list[CatalogEntry]) -> str:
    rows: list[tuple[str, ...]] = [LIST_HEADER]
    for m in models:
        rows.append(
            (
                str(m.id),
                show(m.weights),
                str(m.license),
                show(m.parameters_b),
                show(m.context_window),
                show(m.max_output_tokens),
                show(m.price_input_per_mtok_usd),
                show(m.price_output_per_mtok_usd),
                show(m.knowledge_cutoff),
                show(m.release_date),
                show(m.modalities),
            )
        )
    return (
        table(rows)
        + f"\n\n{len(models)} models. Prices in USD per 1M tokens; unknown = not disclosed or not found.\n"
    )


def as_record(model: CatalogEntry) -> dict[str, Any]:
    """A catalog entry with every fact key present (null when unknown), for JSON output."""
    record: dict[str, Any] = {"id": model.id, "name": model.name, "provider": model.provider}
    record.update({k: getattr(model, k) for k in FACT_KEYS})
    record.update(license_name=model.license_name, as_of=model.as_of)
    record["sources"] = {group: list(urls) for group, urls in model.sources} or None
    record["notes"] = model.notes
    return record


def render_list_json(models: list[CatalogEntry]) -> str:
    return json.dumps({"models": [as_record(m) for m in models]}, indent=2, ensure_ascii=False) + "\n"


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


def render_show(model: CatalogEntry, origin: str) -> str:
    out = [f"{model.id}: {model.name or model.id}"]
    if model.provider:
        out.append(f"  provider: {model.provider}")
    width = max(len(v) for v in SHOW_LABELS.values())
    for key in FACT_KEYS:
        out.append(f"  {SHOW_LABELS[key].ljust(width)}  {show(getattr(model, key))}")
    if model.license_name:
        out.append(f"  {'licence name'.ljust(width)}  {model.license_name}")
    out.append(f"  {'prices as of'.ljust(width)}  {show(model.as_of)}")
    out.append("  sources:")
    for group, urls in sorted(model.sources):
        out.append(f"    {group}:")
        out.extend(f"      - {url}" for url in urls)
    if model.notes:
        import textwrap

        out.append("  notes:")
        out.append(textwrap.fill(model.notes, 100, initial_indent="    ", subsequent_indent="    "))
    out.append(f"  catalog: {origin}")
    return "\n".join(out) + "\n"
