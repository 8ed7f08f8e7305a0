"""Model lineage: resolve base models (catalog, local folders, inline facts) into a chain of links.

Licence terms travel with the lineage: every upstream licence's rules apply to the derived model.
Decisions, documented in the README:
- a base named in the use case that resolves nowhere is an input error with the nearest catalog
  ids (it is the user's own file: a typo must not pass silently);
- a base named in a model card that resolves nowhere is recorded as an unresolved link and gives
  a review finding (LINEAGE-BASE-UNRESOLVED): cards are third-party data, often naming Hub repos
  no catalog knows, and the folder must still be checkable;
- a cycle (a model deriving from itself) is an input error located at the reference closing it;
- lineage deeper than MAX_DEPTH bases is an input error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from licensecheck.catalog import Catalog
from licensecheck.datalicense import OUTPUT_RELATIONS
from licensecheck.errors import InputError
from licensecheck.hfmodel import read_model_folder
from licensecheck.model import LineageLink
from licensecheck.packs import RuleSet
from licensecheck.yamlsource import Document

MAX_DEPTH = 8


@dataclass(frozen=True)
class Ref:
    """A reference to a base model and where it was written (for located errors)."""

    value: str | dict[str, Any]
    file: str
    position: tuple[int, int] | None
    from_card: bool
    folder: Path  # relative folder references resolve against this


def infer_relation(given: str | None, card_relation: str | None, n_bases: int) -> str | None:
    """How a model derives from its bases: as given, else the card's relation, else inferred."""
    if given is not None:
        return given
    if card_relation is not None:
        return card_relation
    if n_bases > 1:
        return "merge"
    return "fine-tune" if n_bases == 1 else None


def canonical_license(facts: dict[str, Any], ruleset: RuleSet) -> tuple[str | None, str | None]:
    """(canonical id or None, licence as declared); `other` + license_name resolves via pack aliases."""
    declared = facts.get("license")
    if isinstance(declared, str) and declared.casefold() == "other" and facts.get("license_name"):
        declared = facts["license_name"]
    if not isinstance(declared, str):
        return None, None
    return ruleset.resolve_license(declared), declared


def usecase_refs(doc: Document, items: list[Any], folder: Path) -> list[Ref]:
    return [
        Ref(item, doc.name, doc.where(("model", "base_models", i)), False, folder)
        for i, item in enumerate(items)
    ]


def teacher_refs(
    doc: Document, items: list[Any], folder: Path, catalog: Catalog, ruleset: RuleSet, own_id: str | None
) -> list[Ref]:
    """`source_model` of synthetic training data as lineage references (relation synthetic-data).

    An open-weight teacher's licence travels with the data (Llama naming, Gemma Model
    Derivatives, ...). A teacher under a provider's terms of service adds no edge: its output
    terms are the training-data pack's (model.trained_on_outputs_of), not the whole service's
    rules. A teacher that resolves nowhere is an unresolved link (a review), like a card's base;
    the model itself as its own teacher adds nothing.
    """
    refs: list[Ref] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        source = item.get("source_model") if isinstance(item, dict) else None
        if not isinstance(source, str) or source.casefold() in seen:
            continue
        seen.add(source.casefold())
        entry = catalog.find(source)
        if entry is not None:
            if own_id is not None and entry["id"] == own_id:
                continue
            license_id = ruleset.resolve_license(str(entry.get("license") or ""))
            if license_id is not None and any(
                p.kind == "terms-of-service" for p in ruleset.by_license.get(license_id, ())
            ):
                continue
        refs.append(
            Ref(source, doc.name, doc.where(("model", "training_data", i, "source_model")), True, folder)
        )
    return refs


def card_refs(facts: dict[str, Any], folder: Path) -> list[Ref]:
    positions = facts.get("base_positions") or []
    return [
        Ref(
            b, facts.get("card_file", str(folder)), positions[i] if i < len(positions) else None, True, folder
        )
        for i, b in enumerate(facts.get("base_models") or [])
    ]


class LineageResolver:
    """Walks base references depth-first; links come out in a stable, pre-order sequence."""

    def __init__(self, catalog: Catalog, ruleset: RuleSet) -> None:
        self.catalog = catalog
        self.ruleset = ruleset
        self.links: list[LineageLink] = []
        self.unresolved: list[str] = []
        self.unrecognised: list[str] = []

    def walk(
        self, child: str, relation: str | None, refs: list[Ref], depth: int, stack: tuple[str, ...]
    ) -> None:
        for ref in refs:
            self._one(child, relation, ref, depth, stack)

    def _error(self, ref: Ref, message: str, hint: str | None = None) -> InputError:
        line, col = ref.position if ref.position else (None, None)
        return InputError(ref.file, line, col, message, hint)

    def _one(self, child: str, relation: str | None, ref: Ref, depth: int, stack: tuple[str, ...]) -> None:
        if depth > MAX_DEPTH:
            raise self._error(
                ref,
                f"lineage deeper than {MAX_DEPTH} base models",
                "check the base_model entries for a loop, or give the deep ancestors as inline facts",
            )
        facts, source, key, refs_up = self._resolve(ref)
        name = facts.get("id") or str(ref.value)
        if key in stack:
            chain = " -> ".join([*stack[stack.index(key) :], key])
            raise self._error(
                ref,
                f"base model cycle: {chain}",
                "a model cannot derive from itself; fix the base_model / base_models entry",
            )
        license_id, declared = canonical_license(facts, self.ruleset)
        if declared is not None and license_id is None:
            self.unrecognised.append(f"{name}: {declared}")
        if source == "unresolved":
            self.unresolved.append(name)
        self.links.append(
            LineageLink(
                model=name,
                name=facts.get("name") or name,
                license=license_id,
                depth=depth,
                derived=child,
                relation=relation,
                source=source,
                license_declared=declared,
            )
        )
        if refs_up:
            up_relation = infer_relation(facts.get("modification"), facts.get("relation"), len(refs_up))
            self.walk(name, up_relation, refs_up, depth + 1, (*stack, key))

    def _resolve(self, ref: Ref) -> tuple[dict[str, Any], str, str, list[Ref]]:
        """(facts, source, identity for cycle checks, the base's own base references)."""
        value = ref.value
        if isinstance(value, dict):  # inline facts written in the use case
            refs = [Ref(v, ref.file, ref.position, False, ref.folder) for v in value.get("base_models", [])]
            return dict(value), "inline", "inline:" + value["id"].casefold(), refs
        looks_like_path = value.startswith(("./", "../", "/", "~")) or value in (".", "..")
        entry = None if looks_like_path else self.catalog.find(value)
        if entry is not None:
            return dict(entry), "catalog", "catalog:" + entry["id"], []
        folder = (ref.folder / Path(value).expanduser()).resolve()
        if folder.is_dir():
            facts = read_model_folder(folder)
            return facts, "folder", "folder:" + str(folder), card_refs(facts, folder)
        if ref.from_card and not looks_like_path:
            return {"id": value}, "unresolved", "unresolved:" + value.casefold(), []
        near = self.catalog.nearest(value)
        hint = ("nearest catalog ids: " + ", ".join(near) + "; ") if near else ""
        hint += "give a catalog id, a Hugging Face repo id in the catalog, a model folder, or inline facts"
        what = "model folder" if looks_like_path else "base model"
        raise self._error(ref, f"unknown {what} '{value}'", hint)


def resolve_lineage(
    model: dict[str, Any],
    refs: list[Ref],
    relation: str | None,
    catalog: Catalog,
    ruleset: RuleSet,
    root_key: str,
) -> LineageResolver:
    """Resolve the bases of `model`; the resolver holds the links (the root is not among them)."""
    resolver = LineageResolver(catalog, ruleset)
    resolver.walk(model.get("id") or "(model)", relation, refs, 1, (root_key,))
    return resolver


def lineage_facts(model: dict[str, Any], resolver: LineageResolver) -> dict[str, Any]:
    """Model facts rules read about the lineage; None (missing) rather than empty lists."""
    upstream = sorted({link.license for link in resolver.links if link.license})
    # A teacher whose outputs trained the model does not make its licence the model's label.
    labelled = {
        link.license for link in resolver.links if link.license and link.relation not in OUTPUT_RELATIONS
    }
    other = [lic for lic in upstream if lic != model.get("license") and lic in labelled]
    root = LineageLink(
        model=model.get("id") or "(model)",
        name=model.get("name"),
        license=model.get("license"),
        depth=0,
        source=model.get("source", "catalog"),
        license_declared=model.get("license_declared"),
    )
    return {
        "lineage": [root, *resolver.links] if resolver.links else [],
        "lineage_licenses": upstream or None,
        "lineage_other_licenses": other or None,
        "lineage_unresolved": resolver.unresolved or None,
        "lineage_unrecognised_licenses": resolver.unrecognised or None,
    }
