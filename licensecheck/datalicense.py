"""Licences of training data: names normalised (every Creative Commons spelling), sorted into families."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

# Step 2 of the normalisation: Creative Commons words to their short forms, and words that
# never change what a licence is. Pairs are tried before single words.
_PAIRS = {
    ("creative", "commons"): "cc",
    ("non", "commercial"): "nc",
    ("share", "alike"): "sa",
    ("no", "derivatives"): "nd",
    ("no", "derivs"): "nd",
    ("public", "domain"): "public-domain",
}
_WORDS = {
    "attribution": "by",
    "noncommercial": "nc",
    "sharealike": "sa",
    "noderivatives": "nd",
    "noderivs": "nd",
}
_DROPPED = frozenset(
    {"license", "licence", "international", "generic", "unported", "deed", "legalcode", "public"}
)
# Step 3: one anchored pattern over a string of at most 200 characters (the schema's bound).
_CC = re.compile(r"^cc-?(by(?:-nc)?(?:-sa|-nd)?)(?:-v?(\d(?:\.\d)?))?$(?!\n)")
_CC0 = frozenset({"cc0", "cc0-1.0", "cc-zero", "cc-0", "cc-0-1.0", "cc-zero-1.0"})

# Step 5: data licences that are not rule packs, by normalised name: (canonical id, families).
_RESEARCH = ("noncommercial", "research-only")
KNOWN_DATA_LICENSES: dict[str, tuple[str, tuple[str, ...]]] = {
    "research-only": ("research-only", _RESEARCH),
    "research-use-only": ("research-only", _RESEARCH),
    "research-purposes-only": ("research-only", _RESEARCH),
    "for-research-only": ("research-only", _RESEARCH),
    "nc-research": ("research-only", _RESEARCH),
    "nc-research-only": ("research-only", _RESEARCH),
    "academic-only": ("research-only", _RESEARCH),
    "academic-use-only": ("research-only", _RESEARCH),
    "academic-research-only": ("research-only", _RESEARCH),
    "nc": ("noncommercial", _RESEARCH),
    "nc-only": ("noncommercial", _RESEARCH),
    "odc-by": ("odc-by-1.0", ("attribution",)),
    "odc-by-1.0": ("odc-by-1.0", ("attribution",)),
    "odbl": ("odbl-1.0", ("share-alike",)),
    "odbl-1.0": ("odbl-1.0", ("share-alike",)),
    "cdla-sharing-1.0": ("cdla-sharing-1.0", ("share-alike",)),
    "cdla-permissive-1.0": ("cdla-permissive-1.0", ("permissive",)),
    "cdla-permissive-2.0": ("cdla-permissive-2.0", ("permissive",)),
    "apache-2.0": ("apache-2.0", ("permissive",)),
    "apache": ("apache-2.0", ("permissive",)),
    "mit": ("mit", ("permissive",)),
    "bsd-2-clause": ("bsd-2-clause", ("permissive",)),
    "bsd-3-clause": ("bsd-3-clause", ("permissive",)),
    "cc0-1.0": ("cc0-1.0", ("public-domain",)),
    "pddl": ("pddl-1.0", ("public-domain",)),
    "pddl-1.0": ("pddl-1.0", ("public-domain",)),
    "public-domain": ("public-domain", ("public-domain",)),
    "proprietary": ("proprietary", ("proprietary",)),
    "internal": ("proprietary", ("proprietary",)),
    "own": ("proprietary", ("proprietary",)),
    "unknown": ("unknown", ("unknown",)),
    "other": ("unknown", ("unknown",)),
    "none": ("unknown", ("unknown",)),
    "unlicensed": ("unknown", ("unknown",)),
}
# Code licences whose conditions follow the code into works based on it (a pack's licence id).
COPYLEFT = frozenset({"gpl-2.0", "gpl-3.0", "agpl-3.0", "lgpl-2.1", "lgpl-3.0", "mpl-2.0"})


def _step1(name: str) -> str:
    text = re.sub(r"[\s_/]+", "-", name.casefold().strip())
    return re.sub(r"-{2,}", "-", text).strip("-")


def normalise(name: str) -> str:
    """`CC BY-NC 4.0`, `Attribution-NonCommercial 4.0 International` -> `cc-by-nc-4.0`; others step 1-2 only."""
    tokens = [t for t in _step1(name).split("-") if t]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        pair = tuple(tokens[i : i + 2])
        if len(pair) == 2 and pair in _PAIRS:
            out.append(_PAIRS[pair])  # type: ignore[index]
            i += 2
            continue
        word = _WORDS.get(tokens[i], tokens[i])
        if word not in _DROPPED:
            out.append(word)
        i += 1
    while len(out) > 1 and out[0] == "cc" and out[1] == "cc":
        out.pop(0)
    if out[:1] == ["by"]:  # "Attribution-NonCommercial 4.0" without the words Creative Commons
        out.insert(0, "cc")
    text = "-".join(out)
    if text in _CC0:
        return "cc0-1.0"
    match = _CC.match(text)
    if match is None:
        return text
    version = match.group(2)
    if version is not None and "." not in version:
        version += ".0"
    return f"cc-{match.group(1)}" + (f"-{version}" if version else "")


def cc_id(name: str) -> str | None:
    """The Creative Commons licence id a name spells (`CC BY-NC-SA 4.0` -> `cc-by-nc-sa-4.0`), else None."""
    normal = normalise(name)
    return normal if normal == "cc0-1.0" or _CC.match(normal) else None


def with_cc_id(name: str) -> str:
    """A licence name as written, with its Creative Commons id when it spells one differently."""
    cc = cc_id(name) if len(name) <= 200 else None
    return f"{name} ({cc})" if cc and cc != name.casefold() else name


def classify(
    name: str, resolve: Callable[[str], str | None], kind_of: Callable[[str], str | None]
) -> tuple[str, tuple[str, ...], bool]:
    """(canonical id, families, recognised) of one declared data licence.

    `resolve` maps a name to a rule pack's licence id (aliases included), `kind_of` a licence id
    to its pack's kind. Creative Commons forms and the table come first (a CC pack is a data
    licence here, not a model licence); then the rule packs; anything else is unrecognised.
    """
    normal = normalise(name)
    match = _CC.match(normal)
    if match is not None:
        parts = match.group(1).split("-")
        families = ["attribution"]
        families += [
            fam
            for part, fam in (("nc", "noncommercial"), ("sa", "share-alike"), ("nd", "no-derivatives"))
            if part in parts
        ]
        return normal, tuple(sorted(families)), True
    for key in (normal, _step1(name)):
        if key in KNOWN_DATA_LICENSES:
            canonical, families_known = KNOWN_DATA_LICENSES[key]
            return canonical, families_known, True
    for key in (name.strip(), _step1(name), normal):
        license_id = resolve(key)
        if license_id is not None:
            if license_id in COPYLEFT:
                return license_id, ("copyleft",), True
            family = "api-terms" if kind_of(license_id) == "terms-of-service" else "model-license"
            return license_id, (family,), True
    return name, (), False


def training_data_facts(
    items: Sequence[Mapping[str, Any]] | None,
    resolve: Callable[[str], str | None],
    kind_of: Callable[[str], str | None],
    teacher_license: Callable[[str], str | None],
    lineage_teachers: list[str],
) -> dict[str, Any]:
    """The model facts rules read about its components (None, not an empty list, when there is nothing).

    Items of role training (the default) are the training data: their licences and families. Items of
    role input (content given to the model whose outputs are released) and bundled (released together
    with it, `modified` or not) are listed by licence for the component rules of their packs. A licence
    nothing recognises is named whatever the role. `teacher_license` gives the canonical licence of a
    training item's `source_model` (None when it resolves to no catalog model); `lineage_teachers` the
    licences of lineage edges that are outputs (synthetic data, distillation teachers).
    """
    licenses: list[str] = []
    families: set[str] = set()
    unrecognised: list[str] = []
    outputs_of: list[str] = []
    by_role: dict[str, list[str]] = {"input": [], "bundled": [], "bundled_modified": []}
    for item in items or ():
        declared = str(item.get("license", ""))
        canonical, fams, known = classify(declared, resolve, kind_of)
        if not known and declared not in unrecognised:
            unrecognised.append(declared)
        role = item.get("role", "training")
        if role != "training":
            key = "bundled_modified" if role == "bundled" and item.get("modified") is True else role
            if known and canonical not in by_role[key]:
                by_role[key].append(canonical)
            continue
        if canonical not in licenses:
            licenses.append(canonical)
        families.update(fams)
        if known and "api-terms" in fams and canonical not in outputs_of:
            outputs_of.append(canonical)
        source = item.get("source_model")
        if isinstance(source, str):
            teacher = teacher_license(source)
            if teacher is not None and teacher not in outputs_of:
                outputs_of.append(teacher)
    for license_id in lineage_teachers:
        if license_id not in outputs_of:
            outputs_of.append(license_id)
    return {
        "training_data_licenses": licenses or None,
        # a list (maybe empty) whenever there is training data, so a family test is decided
        "training_data_license_families": sorted(families) if licenses else None,
        "training_data_unrecognised_licenses": unrecognised or None,
        "trained_on_outputs_of": sorted(outputs_of) or None,
        "input_licenses": tuple(sorted(by_role["input"])),
        "bundled_licenses": tuple(sorted(by_role["bundled"])),
        "bundled_modified_licenses": tuple(sorted(by_role["bundled_modified"])),
    }
