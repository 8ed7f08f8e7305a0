"""Use-case files: load, validate against the use-case schema, and resolve the model they name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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


def read_usecase(path: str, shown: str | None = None) -> UseCase:
    """Load and validate a use-case file."""
    return parse_usecase(parse_yaml(read_text(path, shown or path), shown or path))


def read_usecase_bytes(raw: bytes, shown: str) -> UseCase:
    """Load and validate a use case given as bytes (standard input)."""
    return parse_usecase(parse_yaml(decode(raw, shown), shown))


def parse_usecase(doc: Document) -> UseCase:
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
    """The model's facts: a catalog entry (by id or HF repo id) or inline facts, overlaid by the use case."""
    given = usecase.data["model"]
    doc = usecase.doc
    if "path" in given:
        raise doc.error(
            ("model", "path"),
            "local model folders are not supported by this version",
            "name the model by catalog id (`model.id`) or give inline facts (name, license, ...)",
        )
    if "id" in given:
        entry = catalog.find(given["id"])
        if entry is None:
            if "license" not in given or "name" not in given:
                raise unknown_model_error(doc, ("model", "id"), given["id"], catalog)
            entry = {"id": given["id"]}
        model: dict[str, Any] = dict(entry)
    else:
        model = {"id": None}
    for key in FACT_KEYS + ("name", "provider", "license_name"):
        if key in given:
            model[key] = given[key]
    model.setdefault("name", model.get("id"))
    for key in FACT_KEYS:
        model.setdefault(key, None)
    declared = model["license"]
    canonical = ruleset.resolve_license(declared) if declared else None
    if declared and canonical is None:
        where = ("model", "license") if "license" in given else ("model", "id")
        known = sorted(set(ruleset.license_ids.values()))
        hint = did_you_mean(declared, known) or "see `licensecheck rules list` for the known licence ids"
        raise doc.error(where, f"unknown licence '{declared}'", hint)
    model["license"] = canonical
    model["license_declared"] = declared
    for key in DERIVATION_KEYS:
        if key in given:
            model[key] = given[key]
    return model


def no_usecase_error(path: str) -> InputError:
    return InputError(path, None, None, "no *.yaml or *.yml use-case files in this folder")
