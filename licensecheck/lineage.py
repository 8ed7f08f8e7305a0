"""Model lineage: resolve base models (catalog, local folders, inline facts) into a chain of links.

Licence terms travel with the lineage. Each link is an edge of the composition graph with its kind
(the `relation` a use case writes on a base, else the model's modification, the card's relation or
an inference); licensecheck.composition turns the edges into the facts that say which licences
govern the model and how each one reaches it.
Decisions, documented in the README:
- a base named in the use case that resolves nowhere is an input error with the nearest catalog
  ids (it is the user's own file: a typo must not pass silently);
- a base named in a model card that resolves nowhere is recorded as an unresolved link and gives
  a review finding (LINEAGE-BASE-UNRESOLVED): cards are third-party data, often naming Hub repos
  no catalog knows, and the folder must still be checkable;
- a cycle (a model deriving from itself) is an input error located at the reference closing it;
- lineage deeper than MAX_DEPTH bases, a model with more than MAX_BASES bases, or more than
  MAX_LINKS links in all is an input error;
- each folder is read once (by its real path): a base named twice by one model (`../L1`,
  `../L1/`, a symbolic link to it) is one base, and a base reached again through another model
  is linked again but its own bases are not walked twice;
- a model card may name base folders only inside its repository (see `repository_root`), never
  an absolute path: a folder elsewhere is named by the user, in the use case or with --model.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from licensecheck.cardlicence import licence_facts
from licensecheck.catalog import Catalog
from licensecheck.composition import OUTPUT_RELATIONS, Edge, composition
from licensecheck.datalicense import with_cc_id
from licensecheck.document import Document
from licensecheck.errors import InputError
from licensecheck.hfmodel import MAX_BASES, CardBudget, ModelFolder, is_inside, read_model_folder
from licensecheck.model import LicenseIndex, LineageLink, ModelFacts
from licensecheck.records import NamedTuple
from licensecheck.resolve import NO_LICENSE, canonical_license

MAX_DEPTH = 8
MAX_LINKS = 256
_OUTSIDE_HINT = (
    "a model card may name base model folders only inside its repository; name a folder "
    "elsewhere in the use case's model.base_models, or give the model with --model"
)


class Ref(NamedTuple):
    """A reference to a base model and where it was written (for located errors)."""

    value: str | Mapping[str, Any]  # an id or path, or inline facts written in the use case
    file: str
    position: tuple[int, int] | None
    from_card: bool
    folder: Path  # relative folder references resolve against this
    root: str | None = None  # a card's folder references must stay inside this real path


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
    training: tuple[Mapping[str, Any], ...] = ()  # data it was trained on (inline facts)


def repository_root(folder: Path) -> str:
    """The tree whose folders the model cards below a user-named model folder may name as bases:
    the nearest folder at or above it holding `.git` (its repository), else the folder holding it
    (so sibling model folders, `../base`, are in reach). A real path."""
    real = Path(os.path.realpath(folder))
    for candidate in (real, *real.parents):
        if os.path.exists(candidate / ".git"):
            return str(candidate)
    return str(real.parent)


def infer_relation(given: str | None, card_relation: str | None, n_bases: int) -> str | None:
    """How a model derives from its bases: as given, else the card's relation, else inferred."""
    if given is not None:
        return given
    if card_relation is not None:
        return card_relation
    if n_bases > 1:
        return "merge"
    return "fine-tune" if n_bases == 1 else None


def edge_of(ref: Ref) -> tuple[str | None, bool | None]:
    """The relation and `modified` flag a use case writes on a base entry (None when not given)."""
    if isinstance(ref.value, Mapping):
        relation = ref.value.get("relation")
        modified = ref.value.get("modified")
        return (
            relation if isinstance(relation, str) else None,
            modified if isinstance(modified, bool) else None,
        )
    return None, None


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
        if isinstance(item, Mapping) and item.get("role", "training") != "training":
            continue  # content given to the model or released with it did not train it
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


def card_refs(card: ModelFolder, folder: Path, root: str) -> list[Ref]:
    """The bases a model folder's card names, each once: `../L1`, `../L1/` and `./../L1` are one
    (so a fine-tune listing its base twice is not taken for a merge); the walk also merges links
    to one folder. `root`: the real path the card's folder references must stay inside."""
    positions = card.base_positions
    refs, seen = [], set()
    for i, base in enumerate(card.base_models):
        spelled = os.path.normpath(base).casefold()
        if names_itself(base, folder):  # a card naming its own repository is no base
            continue
        if spelled not in seen:
            seen.add(spelled)
            where = positions[i] if i < len(positions) else None
            refs.append(Ref(base, card.base_file or card.card_file, where, True, folder, root))
    return refs


def _id_of(value: str | Mapping[str, Any]) -> str:
    return str(value["id"]) if isinstance(value, Mapping) else value


def node_teacher_refs(ref: Ref, items: tuple[Mapping[str, Any], ...]) -> list[Ref]:
    """The models whose outputs trained a base written inline (its training data's `source_model`):
    edges of relation synthetic-data from that base, located at the base's entry."""
    refs: list[Ref] = []
    seen: set[str] = set()
    for item in items:
        source = item.get("source_model")
        if (
            isinstance(source, str)
            and source.casefold() not in seen
            and item.get("role", "training") == "training"
        ):
            seen.add(source.casefold())
            refs.append(
                Ref({"id": source, "relation": "synthetic-data"}, ref.file, ref.position, True, ref.folder)
            )
    return refs


def names_itself(base: str, folder: Path) -> bool:
    """Whether a card's base names the folder it is in: a path to the folder itself, or its own
    repository id as the folder's name spells it (a Hugging Face cache `models--ORG--NAME`, or a
    download into `ORG__NAME`, `ORG_NAME` or `ORG--NAME`)."""
    real = os.path.realpath(folder)
    if base.startswith(".") and os.path.realpath(os.path.join(real, base)) == real:
        return True
    if base.count("/") != 1:
        return False
    here = Path(real)
    names = {here.name}
    if here.parent.name == "snapshots" and here.parent.parent.name.startswith("models--"):
        names.add(here.parent.parent.name[len("models--") :])
    folded = {n.casefold() for n in names}
    return any(base.replace("/", joint).casefold() in folded for joint in ("__", "_", "--"))


class LineageResolver:
    """Walks base references depth-first; links come out in a stable, pre-order sequence."""

    def __init__(self, catalog: Catalog, licenses: LicenseIndex, budget: CardBudget | None = None) -> None:
        self.catalog = catalog
        self.licenses = licenses
        self.budget = budget or CardBudget()
        self.links: list[LineageLink] = []
        self.unresolved: list[str] = []
        self.unrecognised: list[str] = []
        self.folders: dict[str, ModelFolder] = {}  # real path -> its card: each folder read once
        self.expanded: set[str] = set()  # identities whose bases have been walked
        # the composition as a typed graph: nodes by identity, edges with their kind
        self.edges: list[Edge] = []
        self.node_license: dict[str, str | None] = {}  # identity -> canonical licence
        self.node_training: dict[str, tuple[Mapping[str, Any], ...]] = {}  # identity -> its training data
        self.root_keys: set[str] = set()  # identities of the bases linked to the model itself

    def walk(
        self,
        child: str,
        relation: str | None,
        refs: list[Ref],
        depth: int,
        stack: tuple[str, ...],
        card_relation: str | None = None,
        skip: frozenset[str] = frozenset(),
    ) -> str | None:
        """Link `child` to each base in `refs` once, then walk each base's own bases; the relation.

        `relation` None: inferred from the card's relation and the number of distinct bases
        (a fine-tune listing its base twice, or through a link, is still a fine-tune). Bases whose
        identity is in `skip` are linked already (the use case named them too)."""
        if len(refs) > MAX_BASES:
            raise self._error(
                refs[MAX_BASES],
                f"more than {MAX_BASES} base models",
                "a merge of this many models is not a lineage licensecheck can check; list the real bases",
            )
        bases: list[tuple[Ref, _Base]] = []
        for ref in refs:
            base = self._base(ref, depth, stack)
            if base.key not in skip and all(base.key != other.key for _, other in bases):
                bases.append((ref, base))  # one base, however it is spelled
        if relation is None:
            relation = infer_relation(None, card_relation, len(bases))
        for ref, base in bases:
            given, modified = edge_of(ref)
            edge = given or relation
            self.edges.append(Edge(stack[-1], base.key, edge, modified))
            self.node_license[base.key] = self._link(child, edge, ref, base, depth, modified)
            if depth == 1:
                self.root_keys.add(base.key)
            refs_up = base.refs
            if base.training and base.key not in self.node_training:
                self.node_training[base.key] = base.training
                refs_up = refs_up + node_teacher_refs(ref, base.training)
            if refs_up and base.key not in self.expanded:  # a base reached again is not walked again
                self.expanded.add(base.key)
                name = base.id or str(_id_of(ref.value))
                self.walk(name, base.modification, refs_up, depth + 1, (*stack, base.key), base.relation)
        return relation

    def _error(self, ref: Ref, message: str, hint: str | None = None) -> InputError:
        line, col = ref.position if ref.position else (None, None)
        return InputError(ref.file, line, col, message, hint)

    def _base(self, ref: Ref, depth: int, stack: tuple[str, ...]) -> _Base:
        if depth > MAX_DEPTH:
            raise self._error(
                ref,
                f"lineage deeper than {MAX_DEPTH} base models",
                "check the base_model entries for a loop, or give the deep ancestors as inline facts",
            )
        base = self._resolve(ref)
        if base.key in stack:
            chain = " -> ".join([*stack[stack.index(base.key) :], base.key])
            raise self._error(
                ref,
                f"base model cycle: {chain}",
                "a model cannot derive from itself; fix the base_model / base_models entry",
            )
        return base

    def _link(
        self,
        child: str,
        relation: str | None,
        ref: Ref,
        base: _Base,
        depth: int,
        modified: bool | None = None,
    ) -> str | None:
        if len(self.links) >= MAX_LINKS:
            raise self._error(
                ref,
                f"lineage of more than {MAX_LINKS} base model links",
                "give the ancestors as catalog ids or inline facts in the use case",
            )
        name = base.id or str(_id_of(ref.value))
        license_id, declared = canonical_license(base.license, base.license_name, self.licenses)
        if declared is not None and license_id is None:
            self.unrecognised.append(f"{name}: {with_cc_id(declared)}")
        elif declared is None and base.source == "folder":  # a card that states no licence
            self.unrecognised.append(f"{name}: {NO_LICENSE}")
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
                modified=modified,
            )
        )
        return license_id

    def _resolve(self, ref: Ref) -> _Base:
        value = ref.value
        if isinstance(value, Mapping) and "license" not in value:  # an id with the kind of edge to it
            return self._resolve(ref._replace(value=value["id"]))
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
                tuple(item for item in value.get("training_data", ()) if isinstance(item, Mapping)),
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
        folder = self._folder_of(ref, value)
        if os.path.isdir(folder):  # not Path.is_dir: it raises on a name too long to look up
            key = str(folder)
            if key not in self.folders:
                self.folders[key] = read_model_folder(folder, self.budget, card_only=True)
            card = self.folders[key]
            root = ref.root if ref.from_card and ref.root is not None else repository_root(folder)
            found = licence_facts(card, self.licenses.canonical, card.id)  # labels, LICENSE, gate
            return _Base(
                card.id,
                None,
                found.get("license"),
                card.license_name,
                None,
                card.relation,
                "folder",
                "folder:" + key,
                card_refs(card, folder, root),
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

    def _folder_of(self, ref: Ref, value: str) -> Path:
        """The real folder a reference names; a card's reference must stay inside its repository."""
        if ref.root is None:  # named by the user (use case, --model), or a use case's teacher
            return (ref.folder / Path(value).expanduser()).resolve()
        if value.startswith(("/", "\\", "~")) or Path(value).is_absolute() or value[1:2] == ":":
            raise self._error(
                ref, f"a model card's base_model may not be an absolute path ('{value}')", _OUTSIDE_HINT
            )
        folder = (ref.folder / value).resolve()
        if not is_inside(str(folder), ref.root):
            where = os.path.relpath(ref.root) if os.path.isabs(ref.root) else ref.root
            raise self._error(
                ref, f"base model folder '{value}' leads outside the repository ('{where}')", _OUTSIDE_HINT
            )
        return folder


def with_lineage(
    model: ModelFacts,
    refs: list[Ref],
    catalog: Catalog,
    licenses: LicenseIndex,
    root_key: str,
    unrecognised: tuple[str, ...] = (),
    teachers: list[Ref] | None = None,
    budget: CardBudget | None = None,
    card_relation: str | None = None,
    card_bases: list[Ref] | None = None,
) -> tuple[ModelFacts, tuple[Mapping[str, Any], ...]]:
    """`model` with its bases (and the teachers whose outputs trained it) resolved, and the facts
    rules read about them (None rather than empty); also the training data of the bases whose weights
    are in it.

    `refs` are the bases the use case names: they derive by the use case's modification.
    `card_bases` are those the model folder's card names: how the folder's creator derived it
    (the card's relation, else inferred), which is not the use case's modification unless the use
    case says it derived the folder itself (a modification other than none). A modification not
    given is inferred from the bases (each counted once)."""
    resolver = LineageResolver(catalog, licenses, budget)
    resolver.unrecognised.extend(unrecognised)
    child = model.id or "(model)"
    relation = resolver.walk(child, model.modification, refs, 1, (root_key,)) if refs else None
    derived_here = model.modification not in (None, "none")
    by_card = None
    if card_bases:
        linked = frozenset(resolver.root_keys)
        by_card = resolver.walk(
            child,
            model.modification if derived_here else None,
            card_bases,
            1,
            (root_key,),
            card_relation,
            linked,
        )
    if (refs or card_bases) and model.modification is None:
        model = model._replace(modification=relation or by_card)
    if by_card is not None and not derived_here:  # the creator's derivation, not the user's
        model = model._replace(card_relation=by_card)
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
    model = model._replace(
        lineage=(root, *resolver.links) if resolver.links else (),
        lineage_licenses=upstream or None,
        lineage_other_licenses=other or None,
        lineage_unresolved=tuple(resolver.unresolved) or None,
        lineage_unrecognised_licenses=tuple(resolver.unrecognised) or None,
    )
    model, in_model = composition(model, licenses, root_key, tuple(resolver.edges), resolver.node_license)
    training = tuple(
        item for key, items in resolver.node_training.items() if key in in_model for item in items
    )
    return model, training
