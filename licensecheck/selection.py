"""Model selection: evaluate one use case against every catalog model and rank the ones that fit.

Ranking (documented in README): verdict first (allowed, allowed-with-obligations,
needs-review), then the estimated monthly cost of the route the use case takes (licensecheck.basics:
the API, or self-hosting on deployment.gpu, for open weights without deployment.hosting the
cheaper; cheapest first, unknown cost after every known one), then the number of findings to
act on (fewer first), then the catalog id (alphabetical), so the order is total and the output
deterministic. A model is excluded when it is retired on the date (no route serves it and its
weights are closed), not yet released on it (before its release date, or before every route's
own availability date), or its verdict is blocked; the reason shown is the retirement, with its
date and the provider's notice, the release date with its source, or its first violation (rule
id, licence or constraint clause, message).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from operator import attrgetter, itemgetter
from typing import Any

from licensecheck.basics import RouteBrief, RouteView, route_brief, route_view
from licensecheck.catalog import Catalog
from licensecheck.collector import paused
from licensecheck.composition import Composition, composition_facts
from licensecheck.document import Document
from licensecheck.engine import COMPOSITION_FIELDS, Evaluation, Screened, Screener, environment_of
from licensecheck.errors import did_you_mean
from licensecheck.facts import Facts
from licensecheck.model import (
    CatalogEntry,
    Finding,
    LicenseIndex,
    ModelFacts,
    Outcome,
    RuleSet,
    Severity,
    UseCase,
    UseCaseReport,
    Verdict,
    Waiver,
)
from licensecheck.records import NamedTuple
from licensecheck.resolve import (
    CATALOG_FIELDS,
    DERIVATION_KEYS,
    from_catalog,
    overlay,
    release_source,
    resolve_model,
)
from licensecheck.usecase import parse_usecase

# Stands in for the use case's `model` while validating: in shortlist the model is what we pick.
_PLACEHOLDER_MODEL = {"id": "shortlist-candidate"}


# The figures Candidate.taken reads: the derived fact and the OptionView field that shows it.
TAKEN_FIGURES = {
    "derived.route_monthly_cost_usd": "monthly_cost_usd",
    "derived.output_tokens_per_second": "output_tokens_per_second",
}


class Candidate:
    """One catalog model evaluated for the use case (slotted: 10,000 are made per shortlist).

    `view` (the route taken, and the API and self-hosting side by side) is estimated on first
    use from `facts`: the Markdown and JSON shortlists show it only for ranked models, the text
    one only the route taken in brief (`route`) unless the use case asks for more figures.
    `report` is built on first use from the evaluation (its verdict and findings to act on, which
    the ranking and the text shortlist read, are known without it).
    """

    __slots__ = ("_facts", "_view", "blocking", "evaluation", "model", "monthly_cost_usd", "status")

    def __init__(
        self,
        model: ModelFacts,
        evaluation: Evaluation | None,  # None for a model excluded by the fast path (no full report needed)
        blocking: Finding | None,  # the reason of a model excluded without an evaluation
        facts: Facts,  # what the view is estimated from on first use
        status: str | None,  # lifecycle on the date: active | deprecated | retired (None: unknown)
    ) -> None:
        self.model = model
        self.evaluation = evaluation
        self.monthly_cost_usd: float | None = None  # of the route taken (view.taken): a ranked model's
        self.blocking = blocking
        self._facts: Facts | None = facts
        self._view: RouteView | None = None
        self.status = status

    @property
    def view(self) -> RouteView | None:
        if self._view is None and self._facts is not None:
            self._view, self._facts = route_view(self._facts), None
        return self._view

    def route(self) -> RouteBrief | None:
        """The route taken in brief (the view's), read from the facts when the view is not estimated yet."""
        if self._view is None and self._facts is not None:
            return route_brief(self._facts)
        view = self.view
        if view is None:
            return None
        taken = view.taken
        return RouteBrief(taken.short, taken.hosting, taken.status, taken.shutdown_on)

    def taken(self, fact: str) -> float | None:
        """A figure of the route taken (`derived.route_monthly_cost_usd` or
        `derived.output_tokens_per_second`) as the view shows it, read from the facts when the view
        is not estimated yet: the HTML chart reads two figures of every excluded model, whose whole
        view no format shows."""
        field = TAKEN_FIGURES[fact]
        if self._view is None and self._facts is not None:
            value = self._facts.get(fact)  # as basics.option_view reads it for the route taken
            return value if isinstance(value, int | float) and not isinstance(value, bool) else None
        view = self.view
        return getattr(view.taken, field) if view is not None else None

    @property
    def id(self) -> str:
        return str(self.model.id)

    @property
    def report(self) -> UseCaseReport | None:
        return self.evaluation.report() if self.evaluation is not None else None

    @property
    def verdict(self) -> Verdict:
        return Verdict.BLOCKED if self.evaluation is None else self.evaluation.verdict

    def to_act_on(self) -> list[Finding]:
        findings = self.evaluation.findings() if self.evaluation is not None else ()
        return [f for f in findings if f.counts and f.outcome is not Outcome.INFO]

    def acting(self) -> tuple[tuple[str, Outcome], ...]:
        """The rule id and outcome of each finding to act on (to_act_on's), without the report."""
        return self.evaluation.acting if self.evaluation is not None else ()

    def reason(self) -> Finding:
        """The finding that excludes the model: its first unwaived violation."""
        if self.blocking is not None:
            return self.blocking
        return next(f for f in self.to_act_on() if f.outcome is Outcome.VIOLATION)


class Shortlist(NamedTuple):
    """The ranked models that fit, and every excluded model with its reason."""

    usecase: UseCase
    ranked: tuple[Candidate, ...]
    excluded: tuple[Candidate, ...]
    catalog_size: int
    top: int | None = None
    as_of: str = ""

    @property
    def shown(self) -> tuple[Candidate, ...]:
        return self.ranked if self.top is None else self.ranked[: self.top]


def parse_selection_usecase(doc: Document) -> UseCase:
    """A use case for model selection: like any use case, but `model` may be left out."""
    if isinstance(doc.data, dict) and "model" not in doc.data:
        return parse_usecase(doc.with_data({**doc.data, "model": dict(_PLACEHOLDER_MODEL)}))
    return parse_usecase(doc)


def derivation_of(given: Mapping[str, Any]) -> dict[str, Any]:
    """How the use case derives whatever model it picks (modification, base models, training data)."""
    stated = overlay(ModelFacts(id=None, name=None), {k: given[k] for k in DERIVATION_KEYS if k in given})
    return {key: getattr(stated, key) for key in DERIVATION_KEYS}


def candidate_model(
    entry: CatalogEntry,
    derivation: Mapping[str, Any],
    license_id: str,
    composed: dict[tuple[Any, ...], _Template] | None = None,
) -> ModelFacts:
    """A catalog entry as the engine sees it, with the use case's derivation facts on top.

    `composed` keeps the composition facts across the candidates of one shortlist: with no
    lineage graph (a catalog entry) they depend only on the licence(s) and the modification
    (a catalog model's `licenses` is always None). A candidate is then one list of its fields
    filled from a template of those shared facts (the same model as the one built alone).
    """
    if composed is not None:
        key = (license_id, derivation["modification"])
        template = composed.get(key)
        if template is None:
            template = composed[key] = _Template(candidate_model(entry, derivation, license_id))
        return template.model(entry)
    model = from_catalog(entry)
    own: dict[str, Any] = {
        "license": license_id,
        "license_declared": entry.license,
        "name": model.name if model.name is not None else model.id,
    }
    fields = composition_facts(model._replace(**own, **derivation), LicenseIndex())[0]._asdict()
    return model._replace(**own, **derivation, **fields)


_FIELD_INDEX = {name: i for i, name in enumerate(ModelFacts._fields)}
# What candidate_model lays over the entry's facts that is the same for every candidate of one key.
_SHARED = ("license", *DERIVATION_KEYS, *Composition._fields)
# What a template copies from the entry: every field the two records share, but those above and the name.
_COPIED = frozenset(name for name in CATALOG_FIELDS if name not in _SHARED and name != "name")
_SHARED_COUNT, _ENTRY_COUNT = len(ModelFacts._fields), len(CatalogEntry._fields)
# Where each candidate field is read from in (template values + entry + (release source, licence
# as written, name)): one itemgetter call builds a candidate's fields.
_PICK = itemgetter(
    *(
        _SHARED_COUNT + _ENTRY_COUNT
        if name == "release_date_source"
        else _SHARED_COUNT + _ENTRY_COUNT + 1
        if name == "license_declared"
        else _SHARED_COUNT + _ENTRY_COUNT + 2
        if name == "name"
        else _SHARED_COUNT + CatalogEntry._fields.index(name)
        if name in _COPIED
        else i
        for i, name in enumerate(ModelFacts._fields)
    )
)
# ModelFacts._make without its Python frame and length check: _PICK gives every field, in order
_MODEL = partial(tuple.__new__, ModelFacts)


def _model_span(first: str, last: str) -> slice:
    return slice(_FIELD_INDEX[first], _FIELD_INDEX[last] + 1)


def _entry_span(first: str, last: str) -> slice:
    return slice(CatalogEntry._fields.index(first), CatalogEntry._fields.index(last) + 1)


# The runs of neighbouring fields a candidate takes whole, from its template or its entry, in the
# order of ModelFacts (_Template.model): a handful of slices copy the ~60 fields that _PICK picks
# one by one. The spans are read from the two layouts; _SPANS_FIT says whether they still make up
# a candidate as _PICK lays it out (else _PICK builds it: a test says the spans are in use).
_LICENCE_FACTS = _model_span("licenses", "undeclared_families")
_LINEAGE_FACTS = _model_span("architecture", "bundled_modified_licenses")
_DATES = _entry_span("weights", "release_date")
_SIZES_AND_PRICES = _entry_span("knowledge_cutoff", "price_output_per_mtok_usd")
_MODALITIES = _entry_span("modalities", "hf_repo")
_FLAGS_AND_ROUTES = _entry_span("transformer", "routes")


class _Template:
    """A candidate's fields but the entry's own, as candidate_model gives them for one key (licence,
    modification): each candidate of the key is these with the entry's facts filled in."""

    __slots__ = ("licence_facts", "license", "lineage_facts", "source", "values")

    def __init__(self, model: ModelFacts) -> None:
        values = list(ModelFacts(id=None, name=None, source="catalog"))
        for name in _SHARED:
            values[_FIELD_INDEX[name]] = getattr(model, name)
        self.values = tuple(values)
        self.source: Any = values[_FIELD_INDEX["source"]]
        self.license: Any = values[_FIELD_INDEX["license"]]
        self.licence_facts: tuple[Any, ...] = self.values[_LICENCE_FACTS]
        self.lineage_facts: tuple[Any, ...] = self.values[_LINEAGE_FACTS]

    def picked(self, entry: CatalogEntry) -> ModelFacts:
        """The candidate of `entry`, each field picked by _PICK."""
        name = entry.name if entry.name is not None else entry.id
        return _MODEL(_PICK(self.values + entry + (release_source(entry), entry.license, name)))

    def spanned(self, entry: CatalogEntry) -> ModelFacts:
        """The same candidate, copied in a few spans rather than ~60 fields picked one by one."""
        fields: tuple[Any, ...] = entry  # (mypy types a named tuple's slice by a variable badly)
        return _MODEL(
            (
                entry.id,
                entry.name if entry.name is not None else entry.id,
                self.source,
                entry.provider,
                self.license,
                entry.license,
                entry.license_name,
                *self.licence_facts,
                *fields[_DATES],
                *fields[_SIZES_AND_PRICES],
                *fields[_MODALITIES],
                release_source(entry),
                entry.release_date_confidence,
                *fields[_FLAGS_AND_ROUTES],
                *self.lineage_facts,
            )
        )

    model = picked


def _spans_fit() -> bool:
    """Whether _Template.spanned lays out a candidate as _PICK does: on a template and an entry
    whose every field holds its own name (but the sources, read by release_source), the two give
    the same fields."""
    template = _Template(ModelFacts._make(f"model.{name}" for name in ModelFacts._fields))
    entry = CatalogEntry._make(f"entry.{name}" for name in CatalogEntry._fields)._replace(sources=())
    return template.picked(entry) == template.spanned(entry)


_SPANS_FIT = _spans_fit()
if _SPANS_FIT:
    _Template.model = _Template.spanned  # type: ignore[method-assign]


# The fields a template neither takes from its key nor copies from the entry: the same for every
# candidate of every key (a folder's and a lineage's facts, a catalog model has none), so a
# shortlist's prepared rule set decides the tests of them once (its training-data, lineage and
# card rules), as it does the derivation's.
_BLANK = ModelFacts(id=None, name=None, source="catalog")
_LAID = _PICK((*range(_SHARED_COUNT + _ENTRY_COUNT + 3),))  # where _PICK reads each field
_FROM_TEMPLATE = frozenset(name for i, name in enumerate(ModelFacts._fields) if _LAID[i] == i)
_CONSTANT = {
    name: getattr(_BLANK, name)
    for name in ModelFacts._fields
    if name in _FROM_TEMPLATE and name not in _SHARED
}
# Whether the candidates of a template have its values of the facts a shortlist prepares its rule
# set with (the above and the derivation's) and of the composition (what the packs that apply
# depend on): then one Screener.alike screens them all, else each is checked and looked up alone
# (a test says it is in use).
_ALIKE = _FROM_TEMPLATE.issuperset((*DERIVATION_KEYS, *COMPOSITION_FIELDS))


_UNKNOWN = "not known yet"  # a status not worked out yet (a model's is None when no route says)


def derived_candidate(
    usecase: UseCase, entry: CatalogEntry, catalog: Catalog, ruleset: RuleSet
) -> ModelFacts:
    """A catalog model as the use case derives it (base models, training data), resolved as
    `evaluate` resolves a use case that names it: with its lineage and training-data facts."""
    given = usecase.data.get("model", {})
    stated = {"id": entry.id, **{key: given[key] for key in DERIVATION_KEYS if key in given}}
    return resolve_model(usecase._replace(data={**usecase.data, "model": stated}), catalog, ruleset.licenses)


# Candidate.id without its property's call for each of some 9,000 excluded models (their sort, and
# the text shortlist's lines): a candidate's id is its catalog entry's, a string
# (catalog.schema.json), as str() would give it.
CANDIDATE_ID = attrgetter("model.id")


def rank_key(candidate: Candidate) -> tuple[Any, ...]:
    cost = candidate.monthly_cost_usd
    return (
        candidate.verdict.rank,
        cost is None,
        cost if cost is not None else 0.0,
        len(candidate.acting()),
        candidate.id,
    )


def build_shortlist(
    usecase: UseCase,
    catalog: Catalog,
    ruleset: RuleSet,
    waivers: tuple[Waiver, ...] = (),
    as_of: str = "",
    top: int | None = None,
) -> Shortlist:
    """Evaluate `usecase` against every catalog model; the licence of each must resolve to a pack."""
    # Some 30 objects per model and none in a cycle: the collector's passes over the growing young
    # generations found nothing and took a fifth of the CPU time of a 10,000-model shortlist.
    with paused():
        return _build(usecase, catalog, ruleset, waivers, as_of, top)


def _build(
    usecase: UseCase,
    catalog: Catalog,
    ruleset: RuleSet,
    waivers: tuple[Waiver, ...],
    as_of: str,
    top: int | None,
) -> Shortlist:
    from licensecheck.routes import model_status

    given = usecase.data.get("model", {})
    derivation = derivation_of(given)
    # A model derived from base models or training data has lineage and training-data facts that
    # depend on the candidate (its licence against the bases', the data's licences): each candidate
    # is then resolved as `evaluate` resolves the model a use case names, on the full rule set.
    # Else the use case's own tests, and those of how it derives its model and of the facts no
    # catalog model has, are decided once for every model.
    derived = bool(given.get("base_models") or given.get("training_data"))
    prepared = ruleset if derived else ruleset.prepare(usecase, {**_CONSTANT, **derivation})
    environment = environment_of(usecase, ruleset, as_of)  # of the route views of retired models
    screener = Screener(usecase, prepared, waivers, as_of)
    fitting: list[Candidate] = []  # in catalog order, as the sorts below meet them
    blocked: list[Candidate] = []
    # licence as written -> the template of its candidates (candidate_model: the derivation is the
    # use case's, the same for every candidate)
    templates: dict[str, _Template] = {}
    # ... and the screener of its candidates, which share the template's values of the facts the
    # rule set was prepared with and of the composition (_ALIKE): checked and looked up once
    alike: dict[str, Callable[[ModelFacts], Screened]] = {}
    # without routes, a model's status on the date depends only on its release date and weights
    statuses: dict[tuple[str | None, str | None], str | None] = {}
    for entry in catalog.models:
        if entry.lineage_only:  # a base known for lineage, not a model to choose
            continue
        written = entry.license or ""
        template = templates.get(written)
        if template is None:
            license_id = ruleset.licenses.canonical(written)
            if license_id is None:
                raise catalog.error_at(
                    entry.id,
                    "license",
                    f"unknown licence '{entry.license}' of model '{entry.id}'",
                    did_you_mean(entry.license or "", ruleset.licenses.ids())
                    or "add a rule pack for it, or see `licensecheck rules list`",
                )
            template = templates[written] = _Template(candidate_model(entry, derivation, license_id))
            if _ALIKE and not derived:
                alike[written] = screener.alike(template.model(entry))
        screen: Callable[[ModelFacts], Screened]
        if derived:
            model, screen = derived_candidate(usecase, entry, catalog, ruleset), screener
        else:
            model, screen = template.model(entry), alike.get(written, screener)
        status = None  # catalog.status(entry.id, as_of): the entry is its id's
        if as_of and entry.routes:
            status = model_status(entry, as_of)
        elif as_of:
            key = (entry.release_date, entry.weights)
            status = statuses.get(key, _UNKNOWN)
            if status is _UNKNOWN:
                status = statuses[key] = model_status(entry, as_of)
        if status == "retired" or status == "unreleased":
            reason = retired_reason(entry, as_of) if status == "retired" else unreleased_reason(entry, as_of)
            facts = Facts(usecase.values, model, None, environment)  # the route view's, estimated when shown
            blocked.append(Candidate(model, None, reason, facts, status))
            continue
        # One violation excludes a model, so look for that first; the full report is built for the
        # models that pass (a waiver may lift a violation: then always the full one). The facts
        # they read serve the route view.
        blocking, evaluation, facts = screen(model)
        if evaluation is None:
            blocked.append(Candidate(model, None, blocking, facts, status))
            continue
        # the view is estimated when a format shows it; the ranking needs only the cost of the route taken
        candidate = Candidate(model, evaluation, None, facts, status)
        candidate.monthly_cost_usd = candidate.taken("derived.route_monthly_cost_usd")
        (blocked if evaluation.verdict is Verdict.BLOCKED else fitting).append(candidate)
    ranked = sorted(fitting, key=rank_key)
    excluded = sorted(blocked, key=CANDIDATE_ID)
    return Shortlist(
        usecase,
        tuple(ranked),
        tuple(excluded),
        sum(1 for m in catalog.models if not m.lineage_only),
        top,
        as_of,
    )


def retired_reason(entry: CatalogEntry, day: str) -> Finding:
    """Why a retired model is left out: the last of its routes to shut down, its date and notice.

    A retirement known only from secondary sources is a review-level reason: the model is still
    left out of the ranking (it cannot be called as far as anyone reports), and says so.
    """
    from licensecheck.routes import routes_of

    last = max(routes_of(entry), key=lambda r: r.lifecycle.shutdown_on or "")
    life = last.lifecycle
    confirmed = life.provenance.confidence in ("P", "C")
    when = life.shutdown_on or f"a date the catalog does not record (retired by {life.status_on})"
    return Finding(
        rule="CONSTRAINT-ROUTE-RETIRED",
        category="constraint",
        outcome=Outcome.VIOLATION if confirmed else Outcome.REVIEW,
        severity=Severity.ERROR if confirmed else Severity.WARNING,
        title="The model is retired",
        message=(
            f"Retired: no route serves it on {day}; the last, {last.name}, shut down on {when} (source: "
            f"{life.provenance.sources[0]}, confidence {life.provenance.confidence}" + ")."
        ),
        remedy="Choose a current model"
        + (f" (the provider names {life.replacement})." if life.replacement else "."),
        license="constraints",
        clause="lifecycle",
        source=life.provenance.sources[0],
        evidence=(("shutdown_on", life.shutdown_on), ("sources", list(life.provenance.sources))),
    )


def unreleased_reason(entry: CatalogEntry, day: str) -> Finding:
    """Why a model not yet released on `day` is left out: its release date (or its routes'), and the source.

    As with a retirement, a release date from a secondary source or of unrecorded confidence is a
    review-level reason: the model is still left out of the ranking on that date.
    """
    from licensecheck.resolve import release_source
    from licensecheck.routes import release_state, routes_of

    if release_state(entry.release_date, day) == "unreleased":
        date, source, confidence = entry.release_date, release_source(entry), entry.release_date_confidence
        of = "the model's release date"
    else:  # every route becomes available after the day: the earliest of them
        first = min(
            (r for r in routes_of(entry) if r.lifecycle.released_on is not None),
            key=lambda r: r.lifecycle.released_on or "",
        )
        life = first.lifecycle
        date, source, confidence = life.released_on, life.provenance.sources[0], life.provenance.confidence
        of = f"the first route's availability date ({first.name})"
    confirmed = confidence in ("P", "C")
    return Finding(
        rule="CONSTRAINT-NOT-RELEASED",
        category="constraint",
        outcome=Outcome.VIOLATION if confirmed else Outcome.REVIEW,
        severity=Severity.ERROR if confirmed else Severity.WARNING,
        title="The model is not yet released on the evaluation date",
        message=(
            f"Not released on {day}: {of} is {date} (source: {source or 'not recorded'}, "
            f"confidence {confidence or 'not recorded'})."
        ),
        remedy="Choose a model released by the evaluation date, or evaluate on a later date (--as-of).",
        license="constraints",
        clause="lifecycle",
        source=source or "",
        evidence=(
            ("release_date", date),
            ("sources", [source] if source else []),
            ("confidence", confidence),
        ),
    )
