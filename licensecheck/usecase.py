"""Use-case files: load, validate against the use-case schema, and resolve the model they name."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from licensecheck.catalog import FACT_KEYS, Catalog, unknown_model_error
from licensecheck.errors import InputError, did_you_mean
from licensecheck.packs import RuleSet
from licensecheck.schema import validate
from licensecheck.yamlsource import Document, decode, parse_yaml, read_text

# Use-case keys that describe how the team derives its model, not facts of the model itself.
DERIVATION_KEYS = ("modification", "published_name", "base_models", "training_data")


@dataclass(frozen=True)
class UseCase:
    """A validated use case and the document it came from (for positions)."""

    name: str
    file: str
    data: dict[str, Any]
    doc: Document


def read_usecase(
    path: str, shown: str | None = None, model_override: dict[str, str] | None = None
) -> UseCase:
    """Load and validate a use-case file (`model_override`: --model, replacing the model it names)."""
    return parse_usecase(parse_yaml(read_text(path, shown or path), shown or path), model_override)


def read_usecase_bytes(raw: bytes, shown: str, model_override: dict[str, str] | None = None) -> UseCase:
    """Load and validate a use case given as bytes (standard input)."""
    return parse_usecase(parse_yaml(decode(raw, shown), shown), model_override)


def parse_usecase(doc: Document, model_override: dict[str, str] | None = None) -> UseCase:
    if model_override is not None and isinstance(doc.data, dict):
        # --model gives the model (a folder {"path": ...} or a catalog model {"id": ...}): it
        # replaces id/path/inline facts; how the team derives the model (modification,
        # base_models, training data, name) stays.
        given = doc.data.get("model")
        kept = {k: v for k, v in given.items() if k in DERIVATION_KEYS} if isinstance(given, dict) else {}
        doc = Document(doc.name, {**doc.data, "model": {**kept, **model_override}}, doc.marks)
    if not isinstance(doc.data, dict):
        raise doc.error(
            (),
            "a use case must be a mapping with at least `name:` and `model:`",
            "see `licensecheck schema usecase`",
        )
    errors = validate(doc.data, "usecase")
    if errors:
        first = errors[0]
        raise doc.error(first.path, first.message, first.hint or waiver_hint(first.path), first.at_key)
    _check_dates(doc)
    return UseCase(doc.data["name"], doc.name, doc.data, doc)


def waiver_hint(path: tuple[Any, ...]) -> str | None:
    """The hint for a schema error inside `waivers:`: what a valid waiver needs."""
    if not path or path[0] != "waivers":
        return None
    return (
        "a waiver needs `rule` (id or glob), `reason`, `approved_by` and `expires` (YYYY-MM-DD); "
        "optional: `usecase`, `model`, `license_version` (see `licensecheck schema waivers`)"
    )


def _check_dates(doc: Document) -> None:
    data = doc.data
    places: list[tuple[tuple[Any, ...], Any]] = []
    for i, rec in enumerate(data.get("organization", {}).get("accepted_terms", [])):
        places.append((("organization", "accepted_terms", i, "accepted_on"), rec.get("accepted_on")))
    for i, rec in enumerate(data.get("organization", {}).get("registrations", [])):
        places.append((("organization", "registrations", i, "registered_on"), rec.get("registered_on")))
    for key in ("knowledge_cutoff_after", "released_after"):
        places.append((("requirements", key), data.get("requirements", {}).get(key)))
    for key in ("release_date", "knowledge_cutoff"):
        places.append((("model", key), data["model"].get(key)))
    for i, waiver in enumerate(data.get("waivers", [])):
        places.append((("waivers", i, "expires"), waiver.get("expires")))
    for path, value in places:
        check_date(doc, path, value)


def check_date(doc: Document, path: tuple[Any, ...], value: Any) -> None:
    """A schema-shaped date must also exist in the calendar (2024-02-30 does not)."""
    if not isinstance(value, str) or len(value) != 10:
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise doc.error(
            path, f"'{value}' is not a date in the calendar", "write YYYY-MM-DD with a real day of the month"
        ) from None


def resolve_model(usecase: UseCase, catalog: Catalog, ruleset: RuleSet) -> dict[str, Any]:
    """The model's facts: a catalog entry (by id or HF repo id), a local folder or inline facts,
    overlaid by the use case, with its lineage resolved (see licensecheck.lineage)."""
    from licensecheck.hfmodel import CardBudget
    from licensecheck.lineage import (
        card_refs,
        lineage_facts,
        repository_root,
        resolve_lineage,
        teacher_refs,
        usecase_refs,
    )

    given = usecase.data["model"]
    doc = usecase.doc
    here = usecase_folder(usecase)
    card: dict[str, Any] = {}
    budget = CardBudget()  # shared by every model card of this lineage
    if "path" in given:
        from licensecheck.hfmodel import read_model_folder

        folder = (here / Path(given["path"]).expanduser()).resolve()
        if not os.path.isdir(folder):  # not Path.is_dir: it raises on a name too long to look up
            raise doc.error(
                ("model", "path"),
                f"model folder '{given['path']}' not found",
                "relative paths resolve against the use-case file's folder",
            )
        card = read_model_folder(folder, budget)
        model: dict[str, Any] = {k: card.get(k) for k in FACT_KEYS}
        model.update(
            id=given.get("id") or card["id"],
            source="folder",
            architecture=card.get("architecture"),
            weights_present=card.get("weights_present"),
            license_name=card.get("license_name"),
        )
        model.update(folder_facts(card, ruleset, given.get("id") or card["id"]))
        model["weights"] = "open"
        root_key = "folder:" + str(folder)
    elif "id" in given:
        entry = catalog.find(given["id"])
        if entry is None:
            if "license" not in given or "name" not in given:
                raise unknown_model_error(doc, ("model", "id"), given["id"], catalog)
            entry = {"id": given["id"]}
            model = dict(entry, source="inline")
        else:
            model = dict(entry, source="catalog")
        root_key = ("catalog:" if model["source"] == "catalog" else "inline:") + str(model["id"]).casefold()
    else:
        model = {"id": None, "source": "inline"}
        root_key = "inline:(model)"
    for key in FACT_KEYS + ("name", "provider", "license_name"):
        if key in given:
            model[key] = given[key]
    if "license" in given and model["source"] == "folder":  # the user states the folder's licence
        model.update(license_source="use case", license_missing=None, card_licenses=None, licenses=None)
    model.setdefault("name", model.get("id"))
    if model.get("name") is None:
        model["name"] = model.get("id")
    for key in FACT_KEYS:
        model.setdefault(key, None)
    declared = model["license"]
    if declared and declared.casefold() == "other" and model.get("license_name"):
        declared = model["license_name"]
    canonical = ruleset.resolve_license(declared) if declared else None
    if declared and canonical is None and "license" in given:
        known = sorted(set(ruleset.license_ids.values()))
        hint = did_you_mean(declared, known) or "see `licensecheck rules list` for the known licence ids"
        raise doc.error(("model", "license"), f"unknown licence '{declared}'", hint)
    if declared and canonical is None and model["source"] == "catalog":
        known = sorted(set(ruleset.license_ids.values()))
        hint = did_you_mean(declared, known) or "see `licensecheck rules list` for the known licence ids"
        raise doc.error(("model", "id"), f"unknown licence '{declared}'", hint)
    model["license"] = canonical
    model["license_declared"] = declared
    for key in DERIVATION_KEYS:
        if key in given:
            model[key] = given[key]
    refs = usecase_refs(doc, given.get("base_models", []), here)
    if card:
        seen = {r.value.casefold() for r in refs if isinstance(r.value, str)}
        root = repository_root(Path(card["path"]))
        refs += [r for r in card_refs(card, Path(card["path"]), root) if str(r.value).casefold() not in seen]
    if refs:
        names = [r.value if isinstance(r.value, str) else r.value["id"] for r in refs]
        model["base_models"] = names
    resolver = resolve_lineage(
        model, refs, model.get("modification"), catalog, ruleset, root_key, budget, card.get("relation")
    )
    if refs and "modification" not in model:  # inferred from the bases, each counted once
        model["modification"] = resolver.relation
    training_data = given.get("training_data") or []
    teachers = teacher_refs(doc, training_data, here, catalog, ruleset, model.get("id"))
    if teachers:
        resolver.walk(model.get("id") or "(model)", "synthetic-data", teachers, 1, (root_key,))
    if declared and canonical is None:  # a folder's card with a licence no pack knows
        resolver.unrecognised.insert(0, f"{model.get('id')}: {declared}")
    for other in model.get("card_licenses") or ():  # the other licences a card lists
        if other != declared and ruleset.resolve_license(other) is None:
            resolver.unrecognised.append(f"{model.get('id')}: {other}")
    model.update(lineage_facts(model, resolver))
    model["license_differences"] = license_differences(model)
    model.update(data_facts(training_data or None, catalog, ruleset, resolver))
    return model


def folder_facts(card: dict[str, Any], ruleset: RuleSet, shown_id: str) -> dict[str, Any]:
    """What a model folder states about its licence (licensecheck.cardlicence), and its notes."""
    from licensecheck.cardlicence import licence_facts

    facts = licence_facts(card, ruleset.resolve_license, shown_id)
    listed = facts.get("card_licenses") or ()
    facts["licenses"] = [lic for name in listed if (lic := ruleset.resolve_license(name))] or None
    facts["folder_notes"] = card.get("notes")
    facts["card_gated"] = card.get("gated") or None
    return facts


def license_differences(model: dict[str, Any]) -> list[str] | None:
    """How the model's label differs from the licences found for it (LINEAGE-LICENSE-MISMATCH):
    a base under another licence, or a licence text in its folder that is another licence."""
    found = []
    other = model.get("lineage_other_licenses")
    label = model.get("license_declared")
    if other and label:  # a model without a label is CARD-LICENSE-NONE's, not a mismatch
        found.append(f"it is labelled '{label}' but derives from models licensed {', '.join(other)}")
    found += model.get("license_text_differs") or []
    return found or None


def data_facts(
    training_data: list[dict[str, Any]] | None, catalog: Catalog, ruleset: RuleSet, resolver: Any
) -> dict[str, Any]:
    """model.training_data_* and model.trained_on_outputs_of (licensecheck.datalicense)."""
    from licensecheck.datalicense import OUTPUT_RELATIONS, training_data_facts

    def kind_of(license_id: str) -> str | None:
        return next((p.kind for p in ruleset.by_license.get(license_id, ())), None)

    def teacher_license(source: str) -> str | None:
        entry = catalog.find(source)
        return ruleset.resolve_license(str(entry.get("license") or "")) if entry is not None else None

    teachers = [link.license for link in resolver.links if link.license and link.relation in OUTPUT_RELATIONS]
    return training_data_facts(training_data, ruleset.resolve_license, kind_of, teacher_license, teachers)


def usecase_folder(usecase: UseCase) -> Path:
    """Relative paths in a use case resolve against its file's folder (stdin: the current folder)."""
    if usecase.file.startswith("<"):
        return Path.cwd()
    return Path(usecase.file).resolve().parent


def no_usecase_error(path: str) -> InputError:
    return InputError(path, None, None, "no *.yaml or *.yml use-case files in this folder")
