"""The catalog for people and scripts: a table or JSON of models, and one model's facts and sources."""

from __future__ import annotations

import json
from typing import Any

from licensecheck.model import FACT_KEYS, CatalogEntry
from licensecheck.text import display, table

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


def render_list(models: list[CatalogEntry]) -> str:
    rows: list[tuple[str, ...]] = [LIST_HEADER]
    for m in models:
        rows.append(
            (
                str(m.id),
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
        + f"\n\n{len(models)} models. Prices in USD per 1M tokens; unknown = not disclosed or not found.\n"
    )


def entry_record(model: CatalogEntry) -> dict[str, Any]:
    """A catalog entry with every fact key present (null when unknown), for JSON output."""
    record: dict[str, Any] = {"id": model.id, "name": model.name, "provider": model.provider}
    record.update({k: getattr(model, k) for k in FACT_KEYS})
    record.update(license_name=model.license_name, as_of=model.as_of)
    record["sources"] = {group: list(urls) for group, urls in model.sources} or None
    record["notes"] = model.notes
    return record


def render_list_json(models: list[CatalogEntry]) -> str:
    return json.dumps({"models": [entry_record(m) for m in models]}, indent=2, ensure_ascii=False) + "\n"


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
        out.append(f"  {SHOW_LABELS[key].ljust(width)}  {display(getattr(model, key), key)}")
    if model.license_name:
        out.append(f"  {'licence name'.ljust(width)}  {model.license_name}")
    out.append(f"  {'prices as of'.ljust(width)}  {display(model.as_of)}")
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


class ModelTable:
    """Catalog models as a table, one a line."""

    name = "text"

    def render(self, models: list[CatalogEntry]) -> str:
        return render_list(models)


class ModelJson:
    """Catalog models as JSON records, every fact present (null when unknown)."""

    name = "json"

    def render(self, models: list[CatalogEntry]) -> str:
        return render_list_json(models)


class ModelCard:
    """One catalog model: every fact, its sources and the catalog file it comes from."""

    name = "text"

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def render(self, model: CatalogEntry) -> str:
        return render_show(model, self.origin)
