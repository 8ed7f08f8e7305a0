"""Waivers: read a shared waivers file, or the waivers a use case holds, into Waiver objects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from licensecheck.document import Document
from licensecheck.model import Waiver
from licensecheck.usecase import check_date, waiver_hint
from licensecheck.yamlsource import parse_yaml, read_text


def load_waivers(path: str) -> tuple[Waiver, ...]:
    """A shared waivers file (e.g. .licensecheck-waivers.yaml), validated and located."""
    doc = parse_yaml(
        read_text(path), path, "a waivers file holds `waivers:`; see `licensecheck schema waivers`"
    )
    if not isinstance(doc.data, dict):
        raise doc.error(
            (),
            "a waivers file must be a mapping with `waivers:`",
            "see `licensecheck schema usecase` ($defs/waiver)",
        )
    doc.check("waivers", waiver_hint)
    return waivers_from(doc, ("waivers",), doc.data["waivers"])


def waivers_from(
    doc: Document, base: tuple[Any, ...], items: Sequence[Mapping[str, Any]]
) -> tuple[Waiver, ...]:
    """The schema-valid waiver mappings at `base` in `doc`, each remembering where it is written."""
    out = []
    for i, item in enumerate(items):
        check_date(doc, base + (i, "expires"), item["expires"])
        line, _ = doc.where(base + (i,))
        out.append(
            Waiver(
                rule=item["rule"],
                reason=item["reason"],
                approved_by=item["approved_by"],
                expires=item["expires"],
                usecase=item.get("usecase"),
                model=item.get("model"),
                license_version=item.get("license_version"),
                origin=f"{doc.name}:{line}",
                line=line,
                file=doc.name,
            )
        )
    return tuple(out)
