"""Resolve the model a use case names into ModelFacts: one function per source of facts.

The model comes from exactly one source (a catalog entry, a local model folder, or facts written
inline), then the use case's own statements are laid over it, its licence is resolved to a
licence id (`canonical_license`, which needs only the licence index), and its base models are
resolved into a lineage (licensecheck.lineage).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from licensecheck.catalog import Catalog, unknown_model_error
from licensecheck.errors import did_you_mean
from licensecheck.model import CatalogEntry, LicenseIndex, ModelFacts, UseCase

if TYPE_CHECKING:  # model folders and lineage are read only for the use cases that have them
    from licensecheck.hfmodel import CardBudget, ModelFolder
    from licensecheck.lineage import Ref

# The licence of a model whose source states none (a model card without `license:`).
NO_LICENSE = "none stated"
# Use-case keys that describe how the team derives its model, not facts of the model itself.
DERIVATION_KEYS = ("modification", "published_name", "base_models", "training_data")
# Use-case keys that state (or correct) facts of the model itself.
OVERLAY_KEYS = (
    "name",
    "provider",
    "license",
    "license_name",
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
    "modalities",
    "hf_repo",
)


def resolve_model(usecase: UseCase, catalog: Catalog, licenses: LicenseIndex) -> ModelFacts:
    """The model's facts, from its one source, overlaid by the use case, with licence and lineage."""
    given = usecase.data["model"]
    here = usecase_folder(usecase) if {"path", "base_models", "training_data"} & set(given) else ""
    folder: ModelFolder | None = None
    budget = None
    if "path" in given:
        from licensecheck.hfmodel import CardBudget

        budget = CardBudget()  # shared by every model card of this lineage
        folder = read_folder(usecase, here, budget)
        model, root = from_folder(folder, given.get("id"), licenses), "folder:" + folder.path
    elif "id" in given:
        entry = catalog.find(given["id"])
        if entry is not None:
            model, root = from_catalog(entry), "catalog:" + entry.id.casefold()
        elif "license" in given and "name" in given:
            model, root = ModelFacts(id=given["id"], name=None), "inline:" + given["id"].casefold()
        else:
            raise unknown_model_error(usecase.doc, ("model", "id"), given["id"], catalog)
    else:
        model, root = ModelFacts(id=None, name=None), "inline:(model)"
    source_license, _ = canonical_license(model.license, model.license_name, licenses)
    model = with_license(overlay(model, given), usecase, licenses)
    check_restated_license(usecase, model, source_license)
    if not any(key in given for key in DERIVATION_KEYS):
        # A model named with nothing said of how the team derives it is used as it is: whatever
        # its card says of how its creator derived it is not this use case's modification.
        model = model._replace(modification="none")
    # a folder's card with a licence no pack knows: named with the bases' unknown licences
    unknown: tuple[str, ...] = (
        (_unrecognised(model.id, model.license_declared),)
        if model.license_declared and not model.license
        else ()
    )
    unknown += tuple(  # the other licences a card lists that no pack knows
        _unrecognised(model.id, name)
        for name in model.card_licenses or ()
        if name != model.license_declared and licenses.canonical(name) is None
    )
    components = [item for item in given.get("training_data") or [] if isinstance(item, Mapping)]
    training = [item for item in components if item.get("role", "training") == "training"]
    teaches = any(isinstance(item.get("source_model"), str) for item in training)
    if not (given.get("base_models") or (folder and folder.base_models) or teaches):  # no lineage
        from licensecheck.composition import composition

        model = model._replace(lineage_unrecognised_licenses=unknown or None)
        model, _ = composition(model, licenses)
        model = with_families(model, folder) if folder is not None else model
        return with_training_data(with_differences(model), components, catalog, licenses)
    from pathlib import Path

    from licensecheck.lineage import teacher_refs, with_lineage

    refs, card_bases = base_refs(usecase, folder, here)
    if refs or card_bases:
        names = tuple(r.value if isinstance(r.value, str) else r.value["id"] for r in refs + card_bases)
        model = model._replace(base_models=names)
    teachers = teacher_refs(usecase.doc, components, Path(here), catalog, licenses, model.id)
    card_relation = folder.relation if folder else None
    model, inherited = with_lineage(
        model, refs, catalog, licenses, root, unknown, teachers, budget, card_relation, card_bases
    )
    if folder is not None and not (refs or card_bases):  # the card names only itself
        model = with_families(model, folder)
    if model.modalities is None:
        model = model._replace(modalities=quantized_modalities(model, catalog))
    return with_training_data(with_differences(model), components + list(inherited), catalog, licenses)


def _unrecognised(model_id: str | None, name: str) -> str:
    """A licence no pack knows, as the lineage lists it (with its Creative Commons id, if any)."""
    from licensecheck.datalicense import with_cc_id  # a model whose licences are known never needs it

    return f"{model_id}: {with_cc_id(name)}"


def quantized_modalities(model: ModelFacts, catalog: Catalog) -> tuple[str, ...] | None:
    """A quantization's modalities are its one catalog base's: the same model in fewer bits."""
    bases = [link for link in model.lineage if link.depth == 1 and link.relation != "synthetic-data"]
    if len(bases) != 1 or bases[0].relation != "quantization" or bases[0].source != "catalog":
        return None
    entry = catalog.find(bases[0].model)
    return entry.modalities if entry is not None else None


def with_families(model: ModelFacts, folder: ModelFolder) -> ModelFacts:
    """A folder that names no base but signals a family whose licence is not the model's own
    (licensecheck.families): undeclared lineage, LINEAGE-FAMILY-UNDECLARED."""
    from licensecheck.families import family_signals, undeclared

    signalled = family_signals(
        model.id or folder.id, folder.tags, folder.gate_title, folder.architecture, folder.vocab_size
    )
    own = {lic for lic in (model.license, *(model.licenses or ())) if lic}
    return model._replace(undeclared_families=undeclared(signalled, own))


def with_differences(model: ModelFacts) -> ModelFacts:
    """How the model's label differs from the licences found for it (LINEAGE-LICENSE-MISMATCH):
    a base under another licence, or a licence text in its folder that is another licence. A
    model without a label, or labelled `other` or `unknown`, has no mismatch (CARD-LICENSE-NONE,
    OTHER-LICENSE-UNIDENTIFIED and UNKNOWN-LICENSE say so)."""
    found = []
    label = model.license_declared
    if model.lineage_other_licenses and label and _names_licence(label):
        found.append(
            f"it is labelled '{model.license_declared}' but derives from models licensed "
            + ", ".join(model.lineage_other_licenses)
        )
    found += model.license_text_differs or ()
    return model._replace(license_differences=tuple(found) or None)


def _names_licence(label: str) -> bool:
    from licensecheck.cardlicence import names_licence  # licence texts: imported when a model has lineage

    return names_licence([label])


def with_training_data(
    model: ModelFacts, items: list[Any], catalog: Catalog, licenses: LicenseIndex
) -> ModelFacts:
    """The model with the facts rules read about its training data and other components
    (licensecheck.datalicense): the use case's own, and those of the bases whose weights are in it."""
    if not items and not model.lineage:
        return model
    from licensecheck.composition import OUTPUT_RELATIONS
    from licensecheck.datalicense import training_data_facts

    def kind_of(license_id: str) -> str | None:
        return next(iter(licenses.kinds(license_id)), None)

    def teacher_license(source: str) -> str | None:
        entry = catalog.find(source)
        return licenses.canonical(entry.license or "") if entry is not None else None

    teachers = [
        link.license
        for link in model.lineage
        if link.depth and link.license and link.relation in OUTPUT_RELATIONS
    ]
    facts = training_data_facts(items or None, licenses.canonical, kind_of, teacher_license, teachers)

    def listed(key: str) -> tuple[str, ...] | None:
        return None if facts[key] is None else tuple(facts[key])  # an empty family list decides a test

    return model._replace(
        training_data_licenses=listed("training_data_licenses"),
        training_data_license_families=listed("training_data_license_families"),
        training_data_unrecognised_licenses=listed("training_data_unrecognised_licenses"),
        trained_on_outputs_of=listed("trained_on_outputs_of"),
        input_licenses=facts["input_licenses"],
        bundled_licenses=facts["bundled_licenses"],
        bundled_modified_licenses=facts["bundled_modified_licenses"],
    )


def read_folder(usecase: UseCase, here: str, budget: CardBudget | None = None) -> ModelFolder:
    """The model folder a use case names (`model.path`, relative to the use-case file)."""
    from pathlib import Path

    from licensecheck.hfmodel import read_model_folder

    given = usecase.data["model"]["path"]
    folder = Path(here, os.path.expanduser(given)).resolve()
    if not os.path.isdir(folder):  # not Path.is_dir: it raises on a name too long to look up
        raise usecase.doc.error(
            ("model", "path"),
            f"model folder '{given}' not found",
            "relative paths resolve against the use-case file's folder",
        )
    return read_model_folder(folder, budget)


def from_folder(folder: ModelFolder, given_id: str | None, licenses: LicenseIndex) -> ModelFacts:
    """A model described by a local folder: its card, licence files, config.json and weights
    (open by nature). Its licence comes along the chain of licensecheck.cardlicence."""
    from licensecheck.cardlicence import licence_facts

    found = licence_facts(folder, licenses.canonical, given_id or folder.id)
    listed = found.get("card_licenses") or ()

    def listing(key: str) -> tuple[str, ...] | None:
        return tuple(found[key]) if found.get(key) else None

    return ModelFacts(
        id=given_id or folder.id,
        name=None,
        source="folder",
        license=found.get("license"),
        license_name=folder.license_name,
        licenses=tuple(lic for name in listed if (lic := licenses.canonical(name))) or None,
        card_licenses=listing("card_licenses"),
        license_source=found.get("license_source"),
        license_missing=found.get("license_missing"),
        license_text_modified=listing("license_text_modified"),
        license_text_unrecognised=listing("license_text_unrecognised"),
        license_text_differs=listing("license_text_differs"),
        folder_notes=folder.notes or None,
        card_gated=folder.gated or None,
        weights="open",
        context_window=folder.context_window,
        modalities=folder.modalities,
        parameters_b=folder.parameters_b,
        architecture=folder.architecture,
        weights_present=folder.weights_present,
    )


def release_source(entry: CatalogEntry) -> str | None:
    """Where a catalog entry's release date was read: the first URL of sources.release, else of basics."""
    if not entry.release_date:
        return None
    release = basics = None  # the last of each group, as a dict of entry.sources keeps it
    for group, found in entry.sources:
        if group == "release":
            release = found
        elif group == "basics":
            basics = found
    urls = release or basics or ()
    return urls[0] if urls else None


# The catalog entry's fields a catalog model takes as they are (from_catalog; a shortlist's
# candidates): every field the two records share.
CATALOG_FIELDS = tuple(name for name in CatalogEntry._fields if name in ModelFacts._fields)
_catalog_values = attrgetter(*CATALOG_FIELDS)


def from_catalog(entry: CatalogEntry) -> ModelFacts:
    """A catalog model: every fact of its entry (the licence as written, resolved later)."""
    return ModelFacts(
        source="catalog",
        release_date_source=release_source(entry),
        **dict(zip(CATALOG_FIELDS, _catalog_values(entry))),
    )


def overlay(model: ModelFacts, given: Mapping[str, Any]) -> ModelFacts:
    """The use case's own statements about the model over its source's facts, and how it derives."""
    stated: dict[str, Any] = {key: given[key] for key in OVERLAY_KEYS + DERIVATION_KEYS if key in given}
    for key in ("modalities", "base_models", "training_data"):
        if key in stated:
            stated[key] = tuple(stated[key])
    if "release_date" in stated and stated["release_date"] != model.release_date:
        # the use case's own date: not the catalog's source, of a confidence nobody tagged
        stated.update(release_date_source="the use case (model.release_date)", release_date_confidence=None)
    if "license" in stated and model.source == "folder":  # the user states the folder's licence
        stated.update(license_source="use case", license_missing=None, card_licenses=None, licenses=None)
    model = model._replace(**stated)
    return model if model.name is not None else model._replace(name=model.id)


def with_license(model: ModelFacts, usecase: UseCase, licenses: LicenseIndex) -> ModelFacts:
    """The model with its licence resolved to a licence id; a licence id the user wrote must be known.

    A licence id written in the use case that no pack knows is an input error (a typo must not pass).
    A licence named as `other` with a `license_name`, or given by a catalog or a model card, may be one
    licensecheck does not encode: it is named in a review finding (LINEAGE-LICENSE-UNRECOGNISED).
    """
    canonical, declared = canonical_license(model.license, model.license_name, licenses)
    stated = usecase.data["model"].get("license")
    given = isinstance(stated, str) and stated.casefold() != "other"
    if declared and canonical is None and given:
        hint = (
            did_you_mean(declared, licenses.ids())
            or "see `licensecheck rules list` for the known licence ids"
        )
        raise usecase.doc.error(("model", "license"), f"unknown licence '{declared}'", hint)
    return model._replace(license=canonical, license_declared=declared)


# Licences that say the licence is not yet identified: a use case may name the real one.
UNIDENTIFIED = ("other", "unknown")


def check_restated_license(usecase: UseCase, model: ModelFacts, source_license: str | None) -> None:
    """A use case may not give a catalog model or a model folder another licence than its source
    gives: `{id: llama-3.1-8b-instruct, license: mit}` would drop every Llama term."""
    given = usecase.data["model"]
    if not ({"license", "license_name"} & set(given)) or source_license in (None, *UNIDENTIFIED):
        return
    if model.license == source_license:
        return
    where = "the catalog" if model.source == "catalog" else "its model card"
    raise usecase.doc.error(
        ("model", "license" if "license" in given else "license_name"),
        f"{where} gives this model the licence {source_license}; "
        f"a use case cannot restate it as {model.license_declared or model.license}",
        "remove model.license (the licence of the model's source applies); a model derived from it "
        "names it in model.base_models with its modification",
    )


def canonical_license(
    declared: str | None, license_name: str | None, licenses: LicenseIndex
) -> tuple[str | None, str | None]:
    """(licence id or None, the licence as declared); `other` with a licence name resolves by the name."""
    if isinstance(declared, str) and declared.casefold() == "other" and license_name:
        declared = license_name
    if not isinstance(declared, str):
        return None, None
    return licenses.canonical(declared), declared


def base_refs(usecase: UseCase, folder: ModelFolder | None, here: str) -> tuple[list[Ref], list[Ref]]:
    """The bases the use case names, and those its model folder's card adds (each model once)."""
    from pathlib import Path

    from licensecheck.lineage import card_refs, repository_root, usecase_refs

    refs = usecase_refs(usecase.doc, usecase.data["model"].get("base_models", []), Path(here))
    if folder is None:
        return refs, []
    seen = {r.value.casefold() for r in refs if isinstance(r.value, str)}
    root = repository_root(Path(folder.path))
    card = [r for r in card_refs(folder, Path(folder.path), root) if str(r.value).casefold() not in seen]
    return refs, card


def usecase_folder(usecase: UseCase) -> str:
    """Relative paths in a use case resolve against its file's folder (stdin: the current folder).

    Only a use case that names a model folder or base models needs it: nothing is resolved else.
    """
    if usecase.file.startswith("<"):
        return os.getcwd()
    return os.path.dirname(os.path.realpath(usecase.file))
