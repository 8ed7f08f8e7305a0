"""Use-case files: load and validate them against the use-case schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from licensecheck.document import Document
from licensecheck.facts import flatten_usecase
from licensecheck.model import UseCase
from licensecheck.resolve import DERIVATION_KEYS
from licensecheck.schema import usecase_is_valid
from licensecheck.yamlsource import decode, parse_yaml, read_text


def usecase_of(doc: Document) -> UseCase:
    """The domain object of a validated use-case document."""
    return UseCase(doc.data["name"], doc.name, doc.data, flatten_usecase(doc.data), doc)


def read_usecase(
    path: str, shown: str | None = None, model_override: Mapping[str, str] | None = None
) -> UseCase:
    """Load and validate a use-case file (`model_override`: --model, replacing the model it names)."""
    return parse_usecase(parse_yaml(read_text(path, shown or path), shown or path), model_override)


def read_usecase_bytes(raw: bytes, shown: str, model_override: Mapping[str, str] | None = None) -> UseCase:
    """Load and validate a use case given as bytes (standard input)."""
    return parse_usecase(parse_yaml(decode(raw, shown), shown), model_override)


def parse_usecase(doc: Document, model_override: Mapping[str, str] | None = None) -> UseCase:
    if model_override is not None and isinstance(doc.data, dict):
        # --model gives the model (a folder {"path": ...} or a catalog model {"id": ...}): it
        # replaces id/path/inline facts; how the team derives the model (modification,
        # base_models, training data, name) stays.
        given = doc.data.get("model")
        kept = {k: v for k, v in given.items() if k in DERIVATION_KEYS} if isinstance(given, dict) else {}
        doc = doc.with_data({**doc.data, "model": {**kept, **model_override}})
    if not isinstance(doc.data, dict):
        raise doc.error(
            (),
            "a use case must be a mapping with at least `name:` and `model:`",
            "see `licensecheck schema usecase`",
        )
    if not usecase_is_valid(doc.data):  # the fast check; jsonschema gives the messages
        doc.check("usecase", waiver_hint)
    _check_dates(doc)
    return usecase_of(doc)


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
