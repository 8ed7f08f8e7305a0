"""Waivers: read a shared waivers file, or the waivers a use case holds, into Waiver objects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from licensecheck.document import Document
from licensecheck.model import InputFile, RuleSet, Waiver
from licensecheck.records import NamedTuple
from licensecheck.text import blank, terminal
from licensecheck.usecase import check_date, waiver_hint
from licensecheck.yamlsource import decode, parse_yaml, read_bytes, sha256_hex

GLOB_CHARACTERS = "*?["


class WaiversFile(NamedTuple):
    """A shared waivers file as read: its waivers, and its name and SHA-256 for the report."""

    waivers: tuple[Waiver, ...]
    file: InputFile


def load_waivers(path: str, ruleset: RuleSet | None = None, allow_broad: bool = False) -> tuple[Waiver, ...]:
    """A shared waivers file (e.g. .licensecheck-waivers.yaml), validated and located; with
    `ruleset`, a pattern too broad for it is refused (see waivers_from)."""
    return read_waivers_file(path, ruleset, allow_broad).waivers


def read_waivers_file(path: str, ruleset: RuleSet | None = None, allow_broad: bool = False) -> WaiversFile:
    """load_waivers, with the file's SHA-256 (of its bytes) for the report."""
    raw = read_bytes(path)
    doc = parse_yaml(
        decode(raw, path), path, "a waivers file holds `waivers:`; see `licensecheck schema waivers`"
    )
    if not isinstance(doc.data, dict):
        raise doc.error(
            (),
            "a waivers file must be a mapping with `waivers:`",
            "see `licensecheck schema usecase` ($defs/waiver)",
        )
    doc.check("waivers", waiver_hint)
    waivers = waivers_from(doc, ("waivers",), doc.data["waivers"], ruleset, allow_broad)
    return WaiversFile(waivers, InputFile(path, sha256_hex(raw)))


def waivers_from(
    doc: Document,
    base: tuple[Any, ...],
    items: Sequence[Mapping[str, Any]],
    ruleset: RuleSet | None = None,
    allow_broad: bool = False,
) -> tuple[Waiver, ...]:
    """The schema-valid waiver mappings at `base` in `doc`, each remembering where it is written.

    With `ruleset`, a glob that names no pack or rule prefix, or that matches rules of several
    packs, is refused unless `allow_broad` (a waiver lifts a finding from the verdict: `*` in a
    pull request would lift every one)."""
    out = []
    for i, item in enumerate(items):
        check_date(doc, base + (i, "expires"), item["expires"])
        for key in ("reason", "approved_by"):
            if blank(item[key]):
                raise doc.error(
                    base + (i, key),
                    f"a waiver's `{key}` shows nothing readable ({terminal(ascii(item[key]))})",
                    "write who approved the exception and why, in words",
                )
        if ruleset is not None and not allow_broad:
            check_waiver_breadth(doc, base + (i, "rule"), item["rule"], ruleset)
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


def check_waiver_breadth(doc: Document, path: tuple[Any, ...], pattern: str, ruleset: RuleSet) -> None:
    """A waiver's glob must start with a rule-id prefix up to a '-' (a pack's ids, e.g. LLAMA31-)
    and match rules of one pack at most; an exact rule id is always fine."""
    from fnmatch import fnmatchcase

    cut = min((pattern.index(c) for c in GLOB_CHARACTERS if c in pattern), default=None)
    if cut is None:
        return
    hint = (
        "name one rule (LLAMA31-MAU-700M) or the rules of one pack (LLAMA31-AUP-*); "
        "--allow-broad-waivers accepts broader patterns, for a waiver approved on purpose"
    )
    prefix = pattern[:cut]
    if "-" not in prefix:
        raise doc.error(
            path,
            f"waiver rule '{pattern}' is too broad: it names no pack or rule prefix "
            "(the part before the first *, ? or [ must end a rule-id segment, such as LLAMA31-)",
            hint,
        )
    packs = sorted({p.id for p in ruleset.packs if any(fnmatchcase(r.id, pattern) for r in p.rules)})
    if len(packs) > 1:
        shown = ", ".join(packs[:5]) + (", ..." if len(packs) > 5 else "")
        raise doc.error(
            path,
            f"waiver rule '{pattern}' is too broad: it matches rules of {len(packs)} packs ({shown})",
            hint,
        )
