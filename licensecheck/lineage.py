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

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from licensecheck.catalog import Catalog
from licensecheck.datalicense import OUTPUT_RELATIONS
from licensecheck.document import Document
from licensecheck.errors import InputError
from licensecheck.hfmodel import read_model_folder
from licensecheck.model import LicenseIndex, LineageLink, ModelFacts
from licensecheck.resolve import canonical_license

MAX_DEPTH = 8


class Ref(NamedTuple):
    """A reference to a base model and where it was written (for located errors)."""

    value: str | Mapping[str, Any]  # an id or path, or inline facts written in the use case
    file: str
    position: tuple[int, int] | None
    from_card: bool
    folder: Path  # relative folder references resolve against this


class _Base(NamedTuple):
    """A base model found for a reference."""

    id: str | None
    name: str | None
    license: str | None  # as declared
    license_name: str | None
    modification: str | None  # how it derives from its own bases, as given
    relation: str | None  # ... as its model card says
    source: str  # catalog | folder | inline | unresolved
    key: str  # identity for cycle checks
    refs: list[Ref]  # its own base references


def infer_relation(given: str | None, card_relation: str | None, n_bases: int) -> str | None:
    """How a model derives from its bases: as given, else the card's relation, else inferred."""
    if given is not None:
        return given
    if card_relation is not None:
        return card_relation
    if n_bases > 1:
        return "merge"
    return "fine-tune" if n_bases == 1 else None


def usecase_refs(doc: Document, items: list[Any], folder: Path) -> list[Ref]:
    return [
        Ref(item, doc.name, doc.where(("model", "base_models", i)), False, folder)
        for i, item in enumerate(items)
    ]


def teacher_refs(
    doc: Document,
    items: list[Any],
    folder: Path,
    catalog: Catalog,
    licenses: LicenseIndex,
    own_id: str | None,
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
        source = item.get("source_model") if isinstance(item, Mapping) else None
        if not isinstance(source, str) or source.casefold() in seen:
            continue
        seen.add(source.casefold())
        entry = catalog.find(source)
        if entry is not None:
            if own_id is not None and entry.id == own_id:
                continue
            license_id = licenses.canonical(entry.license or "")
            if license_id is not None and "terms-of-service" in licenses.kinds(license_id):
                continue
        refs.append(
            Ref(source, doc.name, doc.where(("model", "training_data", i, "source_model")), True, folder)
        )
    return refs


def card_refs(card: Any, folder: Path) -> list[Ref]:
    """The bases a model folder's card names (card: a hfmodel.ModelFolder)."""
    positions = card.base_positions
    return [
        Ref(b, card.card_file, positions[i] if i < len(positions) else None, True, folder)
        for i, b in enumerate(card.base_models)
    ]


class LineageResolver:
    """Walks base references depth-first; links come out in a stable, pre-order sequence."""

    def __init__(self, catalog: Catalog, licenses: LicenseIndex) -> None:
        self.catalog = catalog
        self.licenses = licenses
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
        base = self._resolve(ref)
        name = base.id or str(ref.value)
        if base.key in stack:
            chain = " -> ".join([*stack[stack.index(base.key) :], base.key])
            raise self._error(
                ref,
                f"base model cycle: {chain}",
                "a model cannot derive from itself; fix the base_model / base_models entry",
            )
        license_id, declared = canonical_license(base.license, base.license_name, self.licenses)
        if declared is not None and license_id is None:
            self.unrecognised.append(f"{name}: {declared}")
        if base.source == "unresolved":
            self.unresolved.append(name)
        self.links.append(
            LineageLink(
                model=name,
                name=base.name or name,
                license=license_id,
                depth=depth,
                derived=child,
                relation=relation,
                source=base.source,
                license_declared=declared,
            )
        )
        if base.refs:
            up_relation = infer_relation(base.modification, base.relation, len(base.refs))
            self.walk(name, up_relation, base.refs, depth + 1, (*stack, base.key))

    def _resolve(self, ref: Ref) -> _Base:
        value = ref.value
        if isinstance(value, Mapping):  # inline facts written in the use case
            refs = [Ref(v, ref.file, ref.position, False, ref.folder) for v in value.get("base_models", [])]
            return _Base(
                value["id"],
                value.get("name"),
                value.get("license"),
                value.get("license_name"),
                value.get("modification"),
                None,
                "inline",
                "inline:" + value["id"].casefold(),
                refs,
            )
        looks_like_path = value.startswith(("./", "../", "/", "~")) or value in (".", "..")
        entry = None if looks_like_path else self.catalog.find(value)
        if entry is not None:
            return _Base(
                entry.id,
                entry.name,
                entry.license,
                entry.license_name,
                None,
                None,
                "catalog",
                "catalog:" + entry.id,
                [],
            )
        folder = (ref.folder / Path(value).expanduser()).resolve()
        if folder.is_dir():
            card = read_model_folder(folder)
            return _Base(
                card.id,
                None,
                card.license,
                card.license_name,
                None,
                card.relation,
                "folder",
                "folder:" + str(folder),
                card_refs(card, folder),
            )
        if ref.from_card and not looks_like_path:
            return _Base(
                value, None, None, None, None, None, "unresolved", "unresolved:" + value.casefold(), []
            )
        near = self.catalog.nearest(value)
        hint = ("nearest catalog ids: " + ", ".join(near) + "; ") if near else ""
        hint += "give a catalog id, a Hugging Face repo id in the catalog, a model folder, or inline facts"
        what = "model folder" if looks_like_path else "base model"
        raise self._error(ref, f"unknown {what} '{value}'", hint)


def with_lineage(
    model: ModelFacts,
    refs: list[Ref],
    catalog: Catalog,
    licenses: LicenseIndex,
    root_key: str,
    unrecognised: tuple[str, ...] = (),
    teachers: list[Ref] | None = None,
) -> ModelFacts:
    """`model` with its bases (and the teachers whose outputs trained it) resolved, and the facts
    rules read about them (None rather than empty)."""
    resolver = LineageResolver(catalog, licenses)
    resolver.unrecognised.extend(unrecognised)
    resolver.walk(model.id or "(model)", model.modification, refs, 1, (root_key,))
    if teachers:
        resolver.walk(model.id or "(model)", "synthetic-data", teachers, 1, (root_key,))
    upstream = tuple(sorted({link.license for link in resolver.links if link.license}))
    # A teacher whose outputs trained the model does not make its licence the model's label.
    labelled = {
        link.license for link in resolver.links if link.license and link.relation not in OUTPUT_RELATIONS
    }
    other = tuple(lic for lic in upstream if lic != model.license and lic in labelled)
    root = LineageLink(
        model=model.id or "(model)",
        name=model.name,
        license=model.license,
        depth=0,
        source=model.source,
        license_declared=model.license_declared,
    )
    return model._replace(
        lineage=(root, *resolver.links) if resolver.links else (),
        lineage_licenses=upstream or None,
        lineage_other_licenses=other or None,
        lineage_unresolved=tuple(resolver.unresolved) or None,
        lineage_unrecognised_licenses=tuple(resolver.unrecognised) or None,
    )
