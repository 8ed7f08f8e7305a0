"""The model catalog: basic facts of known models, looked up by catalog id or Hugging Face repo id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from licensecheck.errors import InputError
from licensecheck.schema import validate
from licensecheck.yamlsource import Document

# Facts every catalog entry carries (null when unknown), in the order reports show them.
FACT_KEYS = (
    "weights",
    "release_date",
    "knowledge_cutoff",
    "parameters_b",
    "active_parameters_b",
    "training_tokens_t",
    "context_window",
    "max_output_tokens",
    "price_input_per_mtok_usd",
    "price_output_per_mtok_usd",
    "license",
    "modalities",
    "hf_repo",
)


@dataclass
class Catalog:
    """All catalog entries of a run, with a case-insensitive index over ids and HF repo ids."""

    models: list[dict[str, Any]] = field(default_factory=list)
    index: dict[str, dict[str, Any]] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)  # model id -> file:line

    def find(self, ref: str) -> dict[str, Any] | None:
        return self.index.get(ref.casefold())

    def nearest(self, ref: str, limit: int = 3) -> list[str]:
        """The catalog ids closest to an unknown reference, for a hint."""
        import difflib

        folded = ref.casefold().rsplit("/", 1)[-1]
        ids = [m["id"] for m in self.models]
        close = difflib.get_close_matches(folded, ids, n=limit, cutoff=0.5)
        if not close:
            close = [i for i in ids if folded[:4] and i.startswith(folded[:4])][:limit]
        return close

    def add(self, doc: Document) -> None:
        errors = validate(doc.data, "catalog")
        if errors:
            first = errors[0]
            raise doc.error(first.path, first.message, first.hint, first.at_key)
        for i, entry in enumerate(doc.data["models"]):
            keys = [entry["id"]] + ([entry["hf_repo"]] if entry.get("hf_repo") else [])
            for key in keys:
                other = self.index.get(key.casefold())
                if other is not None:
                    raise doc.error(
                        ("models", i, "id"),
                        f"model '{key}' is already in the catalog ({self.origin[other['id']]})",
                        "catalog ids and Hugging Face repo ids must be unique",
                    )
            model = {k: entry.get(k) for k in FACT_KEYS}
            model.update({k: v for k, v in entry.items() if k not in model})
            for key in keys:
                self.index[key.casefold()] = model
            line, _ = doc.where(("models", i))
            self.origin[entry["id"]] = f"{doc.name}:{line}"
            self.models.append(model)


def build_catalog(docs: list[Document]) -> Catalog:
    catalog = Catalog()
    for doc in docs:
        catalog.add(doc)
    return catalog


def unknown_model_error(doc: Document, path: tuple[Any, ...], ref: str, catalog: Catalog) -> InputError:
    near = catalog.nearest(ref)
    hint = ("nearest catalog ids: " + ", ".join(near)) if near else None
    hint = (
        hint + "; " if hint else ""
    ) + "see `licensecheck models list`, or give inline facts (name, license, ...)"
    return doc.error(path, f"unknown model '{ref}'", hint)
