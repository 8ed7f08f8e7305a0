"""A model's composition as a typed graph: the licences that reach it, how, and which of them govern it."""

from __future__ import annotations

from collections.abc import Mapping

from licensecheck.model import LicenseIndex, ModelFacts
from licensecheck.records import NamedTuple

# Relations of lineage edges through which a model learnt from another's outputs ("distillation" is how
# a use case's `modification` names it; SPEC 2c's edge kind is "distillation-teacher").
OUTPUT_RELATIONS = frozenset({"synthetic-data", "distillation-teacher", "distillation"})


class Edge(NamedTuple):
    """How a model (`parent`) derives from one of its bases (`child`), by their identities."""

    parent: str
    child: str
    relation: str | None  # fine-tune, adapter, merge, quantization, distillation-teacher, synthetic-data, ...
    modified: bool | None  # false: the base's weights are kept as they are in the parent


class Composition(NamedTuple):
    """The composition facts of a model (ModelFacts fields of the same names)."""

    governing_licenses: tuple[str, ...]
    teacher_licenses: tuple[str, ...]
    ancestor_teacher_licenses: tuple[str, ...]
    licenses_in_weights: tuple[str, ...]
    licenses_unmodified: tuple[str, ...]
    licenses_via_adapter: tuple[str, ...]
    licenses_quantized: tuple[str, ...]
    licenses_adapted: tuple[str, ...]


# Resolution (licensecheck.lineage) records an edge for every base a model names, with its kind; the
# facts rules read are computed here once (rules/README.md, "Composition facts").
# How much a licence's material is changed in the model, strongest last: kept as it is, the base an
# adapter runs on, re-encoded (quantization), changed (fine-tune, merge, or a relation not given).
UNMODIFIED, ADAPTER, QUANTIZED, ADAPTED = 0, 1, 2, 3
_EDGE_CHANGE = {"adapter": ADAPTER, "quantization": QUANTIZED}
_OWN_CHANGE = {"fine-tune": ADAPTED, "merge": ADAPTED, "quantization": QUANTIZED, "adapter": ADAPTER}


def edge_change(relation: str | None, modified: bool | None) -> int:
    """How a base's weights are changed in the model derived from it through one edge."""
    if modified is False:
        return UNMODIFIED
    return _EDGE_CHANGE.get(relation or "", ADAPTED)


def composition(
    model: ModelFacts,
    licenses: LicenseIndex,
    root_key: str = "",
    edges: tuple[Edge, ...] = (),
    node_license: Mapping[str, str | None] | None = None,
) -> tuple[ModelFacts, frozenset[str]]:
    """The model with its licences by role and reach (the composition facts), and the identities of the
    bases whose weights are in it (their training data is the model's too); see composition_facts."""
    facts, in_model = composition_facts(model, licenses, root_key, edges, node_license)
    return model._replace(**facts._asdict()), in_model


def composition_facts(
    model: ModelFacts,
    licenses: LicenseIndex,
    root_key: str = "",
    edges: tuple[Edge, ...] = (),
    node_license: Mapping[str, str | None] | None = None,
) -> tuple[Composition, frozenset[str]]:
    """The composition facts (ModelFacts fields) of the model, and the identities of the bases whose
    weights are in it. They depend on the model's licence, licences and modification, and the graph.

    The lineage is a typed graph: from the model, an edge of a teacher's kind (distillation-teacher,
    synthetic-data) reaches a model whose outputs trained it, any other edge a model whose weights are in
    it, changed by the strongest change on the way (fine-tune and merge change them unless `modified:
    false`; quantization re-encodes; an adapter runs on them). A teacher's own bases are not in the model.
    """
    node_license = node_license or {}
    children: dict[str, list[Edge]] = {}
    for edge in edges:
        children.setdefault(edge.parent, []).append(edge)
    change: dict[str, int] = {}
    teachers: set[str] = set()
    ancestor_teachers: set[str] = set()
    pending = [(root_key, UNMODIFIED)]
    while pending:  # the graph is acyclic (cycles are input errors); a node is revisited only if changed more
        key, done = pending.pop()
        for edge in children.get(key, ()):
            if edge.relation in OUTPUT_RELATIONS:
                (teachers if key == root_key else ancestor_teachers).add(edge.child)
                continue
            reach = max(done, edge_change(edge.relation, edge.modified))
            if change.get(edge.child, -1) < reach:
                change[edge.child] = reach
                pending.append((edge.child, reach))
    strongest: dict[str, int] = {}
    for own in (model.license, *(model.licenses or ())):  # a card may list several: each governs
        if own:
            strongest[own] = _OWN_CHANGE.get(model.modification or "", UNMODIFIED)
    for key, reach in change.items():
        lic = node_license.get(key)
        if lic:
            strongest[lic] = max(strongest.get(lic, -1), reach)

    def reached(level: int) -> tuple[str, ...]:
        return tuple(sorted(lic for lic, reach in strongest.items() if reach == level))

    def licences_of(keys: set[str]) -> tuple[str, ...]:
        return tuple(sorted({lic for key in keys if (lic := node_license.get(key))}))

    taught = licences_of(teachers)
    taught_ancestors = licences_of(ancestor_teachers)
    governing = set(strongest) | {
        lic for lic in taught + taught_ancestors if licenses.distilled_models_are_derivatives(lic)
    }
    facts = Composition(
        governing_licenses=tuple(sorted(governing)),
        teacher_licenses=taught,
        ancestor_teacher_licenses=taught_ancestors,
        licenses_in_weights=tuple(sorted(lic for lic, reach in strongest.items() if reach != ADAPTER)),
        licenses_unmodified=reached(UNMODIFIED),
        licenses_via_adapter=reached(ADAPTER),
        licenses_quantized=reached(QUANTIZED),
        licenses_adapted=reached(ADAPTED),
    )
    return facts, frozenset(change)
