"""The domain objects every part shares: use cases, resolved models, rules, findings and reports.

They are immutable NamedTuples and Enums rather than frozen dataclasses: a dataclass costs
about 1 ms to define at import, and the CLI's cold start is a feature (see benchmarks/startup.py).
Nothing here reads files; the loaders (packs, catalog, usecase, resolve) build these objects.
"""

from collections.abc import Callable, Iterable, Mapping, Set
from enum import Enum
from functools import cache, partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from licensecheck.conditions import Condition, Known, specialise
from licensecheck.records import NamedTuple, fields_getter

if TYPE_CHECKING:
    from licensecheck.document import Document
    from licensecheck.gpus import GpuTable


class Outcome(str, Enum):
    VIOLATION = "violation"
    REVIEW = "review"
    OBLIGATION = "obligation"
    INFO = "info"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Verdict(str, Enum):
    ALLOWED = "allowed"
    ALLOWED_WITH_OBLIGATIONS = "allowed-with-obligations"
    NEEDS_REVIEW = "needs-review"
    BLOCKED = "blocked"

    @property
    def rank(self) -> int:
        return _VERDICT_RANK[self]


_VERDICT_RANK = {
    Verdict.ALLOWED: 0,
    Verdict.ALLOWED_WITH_OBLIGATIONS: 1,
    Verdict.NEEDS_REVIEW: 2,
    Verdict.BLOCKED: 3,
}
OUTCOME_ORDER = {Outcome.VIOLATION: 0, Outcome.REVIEW: 1, Outcome.OBLIGATION: 2, Outcome.INFO: 3}
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def report_rank(outcome: Outcome, severity: Severity, rule: str) -> tuple[int, int, str]:
    """Where an unwaived finding sorts in a report: most serious outcome, then severity, then rule id."""
    return (OUTCOME_ORDER[outcome], SEVERITY_ORDER[severity], rule)


# ------------------------------------------------------------------------------ use cases


class UseCase(NamedTuple):
    """A validated use case: its data, its facts by dotted path, and the document it came from."""

    name: str
    file: str
    data: Mapping[str, Any]  # as written (validated against the use-case schema)
    values: Mapping[str, Any]  # the use case's facts by dotted path (facts.flatten_usecase)
    doc: "Document"  # positions of the values in the file, for findings and errors
    sha256: str | None = None  # of the file's bytes as read (None for a use case given as data)


class Waiver(NamedTuple):
    """An approved exception to one rule (or a glob of rules)."""

    rule: str
    reason: str
    approved_by: str
    expires: str
    usecase: str | None = None
    model: str | None = None
    license_version: str | None = None
    origin: str = ""
    line: int | None = None
    file: str = ""  # the file the waiver is written in (a use case or a --waivers file)


# ------------------------------------------------------------------------------ models


class LineageLink(NamedTuple):
    """One model in a lineage chain: the evaluated model (depth 0) or a base it derives from."""

    model: str
    name: str | None
    license: str | None  # canonical licence id; None when not given or not recognised
    depth: int
    derived: str | None = None  # the model derived from this one (None for the evaluated model)
    relation: str | None = None  # how `derived` derives from this one: fine-tune, adapter, merge, ...
    source: str = "catalog"  # catalog | folder | inline | unresolved
    license_declared: str | None = None  # the licence as written (card or file), before resolution
    modified: bool | None = None  # false: the base's weights are kept as they are (a frozen part)


class CatalogEntry(NamedTuple):
    """One model as a catalog file gives it (every fact present, None when unknown)."""

    id: str
    name: str | None = None
    provider: str | None = None
    weights: str | None = None
    release_date: str | None = None
    release_date_confidence: str | None = None  # P | C | S | U; None: unknown
    knowledge_cutoff: str | None = None
    parameters_b: float | None = None
    active_parameters_b: float | None = None
    training_tokens_t: float | None = None
    context_window: int | None = None
    max_output_tokens: int | None = None
    price_input_per_mtok_usd: float | None = None
    price_output_per_mtok_usd: float | None = None
    license: str | None = None  # as written; resolved to a licence id when a model is evaluated
    license_name: str | None = None
    modalities: tuple[str, ...] | None = None
    hf_repo: str | None = None
    as_of: str | None = None
    sources: tuple[tuple[str, tuple[str, ...]], ...] = ()  # fact group -> source URLs
    notes: str | None = None
    aliases: tuple[str, ...] | None = None  # other names it is found by
    gated: bool | None = None  # the weights' download needs accepted terms
    lineage_only: bool | None = None  # a base known for its licence only: not listed nor shortlisted
    # Blocks of facts with their provenance, as the catalog schema describes them; read through
    # licensecheck.routes (routes, lifecycle) and shown by `licensecheck models show`.
    gating: Mapping[str, Any] | None = None
    extended_context: Mapping[str, Any] | None = None
    transformer: Mapping[str, Any] | None = None
    reasoning: Mapping[str, Any] | None = None
    routes: tuple[Mapping[str, Any], ...] = ()


# The facts every model has, in the order reports show them (the catalog schema's fact keys).
FACT_KEYS = (
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
    "license",
    "modalities",
    "hf_repo",
)


class ModelFacts(NamedTuple):
    """The resolved model a use case is evaluated against; rules read its fields as `model.FIELD`.

    Built by licensecheck.resolve from one source (catalog entry, local folder or inline facts),
    overlaid by what the use case states, with the licence resolved to a known licence id and the
    lineage of its base models. A fact nobody gives is None (missing), never a default.
    """

    id: str | None
    name: str | None
    source: str = "inline"  # catalog | folder | inline
    provider: str | None = None
    license: str | None = None  # canonical licence id; None when not given or not recognised
    license_declared: str | None = None  # the licence as written, before resolution
    license_name: str | None = None  # free-text name with the Hugging Face tag `other`
    # what a model folder states about its licence (licensecheck.cardlicence)
    licenses: tuple[str, ...] | None = None  # every licence a card lists (several), as licence ids
    card_licenses: tuple[str, ...] | None = None  # ... as written, when it lists more than one
    license_source: str | None = None  # where the folder states its licence (card field, LICENSE, ...)
    license_missing: str | None = None  # no licence anywhere in the folder: what was searched
    license_text_modified: tuple[str, ...] | None = None  # licence texts that are modified known texts
    license_text_unrecognised: tuple[str, ...] | None = None  # licence files no known licence matches
    license_text_differs: tuple[str, ...] | None = None  # a licence text that is another licence
    license_differences: tuple[str, ...] | None = None  # the label against the licences found
    folder_notes: tuple[str, ...] | None = None  # what the folder could not give (not YAML, LFS)
    card_gated: bool | None = None  # the model card gates access (gated, extra_gated_*)
    card_relation: str | None = None  # how the folder's creator derived it from its card's bases
    undeclared_families: tuple[str, ...] | None = None  # families a folder signals, naming no base
    weights: str | None = None
    release_date: str | None = None
    knowledge_cutoff: str | None = None
    parameters_b: float | None = None
    active_parameters_b: float | None = None
    training_tokens_t: float | None = None
    context_window: int | None = None
    max_output_tokens: int | None = None
    price_input_per_mtok_usd: float | None = None
    price_output_per_mtok_usd: float | None = None
    modalities: tuple[str, ...] | None = None
    hf_repo: str | None = None
    # where release_date was read (a catalog's first release or basics source) and its confidence
    release_date_source: str | None = None
    release_date_confidence: str | None = None
    # Catalog blocks the estimates and route checks read (licensecheck.basics), not rule facts themselves.
    transformer: Mapping[str, Any] | None = None  # architecture parameters of open weights
    reasoning: Mapping[str, Any] | None = None  # hidden reasoning tokens and their billing
    routes: tuple[Mapping[str, Any], ...] = ()  # providers serving it, with lifecycle, limits, prices
    architecture: str | None = None  # config.json of a local folder
    weights_present: bool | None = None  # a local folder holds the weights (not only LFS pointers)
    # how the team derives the model (from the use case)
    modification: str | None = None
    published_name: str | None = None
    base_models: tuple[str, ...] | None = None
    training_data: tuple[Mapping[str, Any], ...] | None = None
    # the lineage: the model and its bases, empty for a model without bases
    lineage: tuple[LineageLink, ...] = ()
    lineage_licenses: tuple[str, ...] | None = None  # canonical licences of every base, recursively
    lineage_other_licenses: tuple[str, ...] | None = None  # ... those other than the model's own
    lineage_unresolved: tuple[str, ...] | None = None  # bases named in a model card found nowhere
    lineage_unrecognised_licenses: tuple[str, ...] | None = None  # "model: licence" no pack knows
    # what the model was trained on (licensecheck.datalicense)
    training_data_licenses: tuple[str, ...] | None = None  # each training_data[].license, normalised
    training_data_license_families: tuple[str, ...] | None = None  # noncommercial, share-alike, ...
    training_data_unrecognised_licenses: tuple[str, ...] | None = None  # data licences nothing knows
    trained_on_outputs_of: tuple[str, ...] | None = None  # licences of models whose outputs trained it
    # the composition (licensecheck.lineage.composition): licences by how their material reaches what
    # is released; empty, not missing, when no component plays the role
    governing_licenses: tuple[str, ...] = ()  # licences whose terms govern the model as a whole
    licenses_in_weights: tuple[str, ...] = ()  # material in the model's weights (not only under an adapter)
    licenses_adapted: tuple[str, ...] = ()  # ... changed (fine-tune, merge)
    licenses_quantized: tuple[str, ...] = ()  # ... only re-encoded (quantization)
    licenses_via_adapter: tuple[str, ...] = ()  # ... only as the base an adapter runs on
    licenses_unmodified: tuple[str, ...] = ()  # ... as it is (the model itself, a frozen part)
    teacher_licenses: tuple[str, ...] = ()  # models whose outputs trained this one (teachers, generators)
    ancestor_teacher_licenses: tuple[str, ...] = ()  # ... trained a model this one contains
    input_licenses: tuple[str, ...] = ()  # content given to the model whose transformed outputs go out
    bundled_licenses: tuple[str, ...] = ()  # material released together with the model or outputs
    bundled_modified_licenses: tuple[str, ...] = ()  # ... changed (remixed, translated, rearranged)


class Acceptance(NamedTuple):
    """Facts about the gated licences of the packs that apply (`model.gated_licenses` and so on)."""

    gated_licenses: tuple[str, ...] | None = None
    terms_accepted: tuple[str, ...] | None = None  # "licence (accepted on DATE by WHO)"
    terms_unaccepted: tuple[str, ...] | None = None


# Best first: a model's status is the best of its routes' (licensecheck.routes). `unreleased`:
# before the release date. This and release_state are here rather than in routes, which neither
# the CLI nor a model without routes need import.
STATUSES = ("active", "deprecated", "unreleased", "retired")


def release_state(released: str | None, day: str) -> str | None:
    """released | unreleased | same-month on `day` (YYYY-MM-DD) for a release date; None when unknown.

    A month-only date (YYYY-MM) cannot say whether a day inside that month is before the release:
    `same-month`, never a guess.
    """
    if not released or not day:
        return None
    if len(released) == 7:
        month = day[:7]
        return "unreleased" if month < released else "same-month" if month == released else "released"
    return "unreleased" if day < released else "released"


# ------------------------------------------------------------------------------ rules


class Rule(NamedTuple):
    """One compiled rule."""

    id: str
    title: str
    category: str
    outcome: Outcome
    severity: Severity
    clause: str
    source: str
    when: Condition
    message: str
    remedy: str
    text: str | None
    on_missing: str
    confidence: str | None
    facts: tuple[str, ...]
    pack: str
    license: str
    position: tuple[int, int] = (1, 1)
    quote: str | None = None  # the verbatim clause sentence the rule rests on
    data_confidence: str | None = None  # derived fact with the confidence of the data compared
    # the condition as compiled, kept by RuleSet.prepare (which rewrites `when` for one use case):
    # whether a rule can apply to a model is decided on it, so a prepared run reports the same
    unprepared: Condition | None = None

    def info(self) -> "RuleInfo":
        """What a report says about the rule: everything but its condition."""
        return RuleInfo(
            self.id,
            self.title,
            self.category,
            self.outcome,
            self.severity,
            self.clause,
            self.source,
            self.remedy,
            self.text,
            self.confidence,
            self.pack,
            self.license,
            self.quote,
        )


class RuleInfo(NamedTuple):
    """A rule as a report describes it (SARIF's rule metadata): its citation, outcome and remedy.

    Findings of one rule may differ (a rule that cannot be decided gives a review); this does not.
    """

    id: str
    title: str
    category: str
    outcome: Outcome
    severity: Severity
    clause: str
    source: str
    remedy: str  # with its {fact.path} placeholders
    text: str | None
    confidence: str | None
    pack: str
    license: str
    quote: str | None


class Pack(NamedTuple):
    """One rule pack with its compiled rules."""

    id: str
    name: str
    kind: str
    version: str
    source: str
    license: str | None  # None: the pack applies to every model
    aliases: tuple[str, ...]
    gated: bool
    digest: str
    file: str
    path: str
    rules: tuple[Rule, ...]
    # the source text as read, where it is not pinned by a commit URL: its SHA-256 and the date
    source_sha256: str | None = None
    retrieved: str | None = None
    distilled_models_are_derivatives: bool = False  # teachers under it govern their students


class LicenseIndex:
    """Licence ids and their aliases (tags, SPDX ids), looked up case-insensitively."""

    __slots__ = ("_distilled_derivatives", "_ids", "_kinds")

    def __init__(
        self,
        aliases: Mapping[str, str] | None = None,
        kinds: Mapping[str, tuple[str, ...]] | None = None,
        distilled_derivatives: Iterable[str] = (),
    ) -> None:
        self._ids = {name.casefold(): lic for name, lic in (aliases or {}).items()}
        self._kinds = dict(
            kinds or {}
        )  # licence id -> the kinds of its packs (licence, terms-of-service, ...)
        # licences whose packs say a model trained on their outputs is a derivative (RAIL, Gemma)
        self._distilled_derivatives = frozenset(distilled_derivatives)

    def canonical(self, name: str) -> str | None:
        """The licence id for a tag, SPDX id or alias (case-insensitive), or None if unknown.

        A Creative Commons licence spelled any way cards spell it (`CC BY-NC 4.0 International`,
        `Attribution-NonCommercial 4.0`, `cc_by_nc_4.0`) is looked up by its id.
        """
        found = self._ids.get(name.casefold())
        if found is None and len(name) <= 200:
            from licensecheck.datalicense import cc_id  # imported by the runs that meet such a name

            cc = cc_id(name)
            found = self._ids.get(cc) if cc else None
        return found

    def ids(self) -> list[str]:
        return sorted(set(self._ids.values()))

    def kinds(self, license_id: str) -> tuple[str, ...]:
        """The kinds of the packs of a licence id, in pack order."""
        return self._kinds.get(license_id, ())

    def distilled_models_are_derivatives(self, license_id: str) -> bool:
        """Whether the licence makes a model trained on its model's outputs a derivative (pack key)."""
        return license_id in self._distilled_derivatives

    def __reduce__(self) -> tuple[Any, ...]:
        return (LicenseIndex, (self._ids, self._kinds, self._distilled_derivatives))


class PendingPack:
    """A pack whose rules are decoded on first use: the cache holds every pack, a run needs a few."""

    __slots__ = ("_decode", "head", "rule_ids")

    def __init__(self, head: Pack, rule_ids: tuple[str, ...], decode: Callable[[], tuple[Rule, ...]]) -> None:
        self.head = head  # the pack without its rules (rules=())
        self.rule_ids = rule_ids
        self._decode = decode

    def load(self) -> Pack:
        return self.head._replace(rules=self._decode())


class RuleSet:
    """All packs of a run, indexed by licence so a model meets only the rules that can apply.

    Packs read from the cache arrive as PendingPacks and are decoded when a run first needs
    them (`packs_for` decodes only the packs of the model's licences)."""

    __slots__ = (
        "_by_license",
        "_entries",
        "_every_model",
        "_gpus",
        "_packs",
        "_rules",
        "_violations",
        "applies_cache",
        "gpu_docs",
        "heads",
        "licenses",
        "prepared_for",
        "prepared_model",
        "prepared_read",
        "prepared_values",
        "runs_cache",
    )

    def __init__(
        self,
        packs: Iterable[Pack | PendingPack],
        licenses: LicenseIndex,
        prepared_for: UseCase | None = None,
        prepared_model: Mapping[str, Any] | None = None,
        gpu_docs: "tuple[Document, ...]" = (),
    ) -> None:
        self._entries: list[Pack | PendingPack] = list(packs)
        # every pack's fields but its rules, in order (a decoded pack's rules too)
        self.heads = tuple(p.head if isinstance(p, PendingPack) else p for p in self._entries)
        self.licenses = licenses
        self.gpu_docs = gpu_docs  # the GPU tables of the rules folders, validated (see gpus())
        self._gpus: GpuTable | None = None
        self.prepared_for = prepared_for  # the one use case a prepared rule set serves
        self.prepared_model = prepared_model or {}  # model facts it took as the same for every model
        # ... read from a model in one call, and their values: the engine refuses a model without them
        self.prepared_read: Callable[[ModelFacts], tuple[Any, ...]] = fields_getter(
            ModelFacts, self.prepared_model
        )
        self.prepared_values = self.prepared_read(
            ModelFacts(id=None, name=None)._replace(**self.prepared_model)
        )
        self._packs: tuple[Pack, ...] | None = None
        self._rules: dict[str, Rule] | None = None
        self._every_model = tuple(i for i, p in enumerate(self.heads) if p.license is None)
        self._by_license: dict[str, tuple[int, ...]] = {}
        for i, pack in enumerate(self.heads):
            if pack.license is not None:
                self._by_license[pack.license] = (*self._by_license.get(pack.license, ()), i)
        self._violations: dict[str, tuple[Rule, ...]] = {}
        # (rule id, values of the model's own facts it reads) -> whether it can apply (engine)
        self.applies_cache: dict[tuple[str, str], bool] = {}
        # the licences of a model's composition -> its packs, governing licences and acceptance (engine)
        self.runs_cache: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def _pack_at(self, i: int) -> Pack:
        """The i-th pack, decoded (once; a race decodes the same pack twice)."""
        entry = self._entries[i]
        if isinstance(entry, PendingPack):
            entry = self._entries[i] = entry.load()
        return entry

    @property
    def packs(self) -> tuple[Pack, ...]:
        """Every pack, decoded."""
        if self._packs is None:
            self._packs = tuple(self._pack_at(i) for i in range(len(self._entries)))
        return self._packs

    @property
    def rules(self) -> dict[str, Rule]:
        """Every rule by id."""
        if self._rules is None:
            self._rules = {rule.id: rule for pack in self.packs for rule in pack.rules}
        return self._rules

    def __reduce__(self) -> tuple[Any, ...]:
        return (RuleSet, (self.packs, self.licenses, self.prepared_for, self.prepared_model, self.gpu_docs))

    def gpus(self) -> "GpuTable":
        """The GPU table of the rules folders, built on first use (most runs never need it)."""
        if self._gpus is None:
            from licensecheck.gpus import build_gpu_table

            self._gpus = build_gpu_table(list(self.gpu_docs), {doc.name for doc in self.gpu_docs})
        return self._gpus

    def packs_for(self, licenses: Iterable[str]) -> list[Pack]:
        """The every-model packs, then the packs of each licence, each pack once."""
        chosen = list(self._every_model)
        for lic in licenses:
            for i in self._by_license.get(lic, ()):
                if i not in chosen:
                    chosen.append(i)
        return [self._pack_at(i) for i in chosen]

    def rule(self, rule_id: str) -> Rule | None:
        """The rule with this id (decoding only its pack), or None."""
        if self._rules is not None:
            return self._rules.get(rule_id)
        for i, entry in enumerate(self._entries):
            ids = entry.rule_ids if isinstance(entry, PendingPack) else [r.id for r in entry.rules]
            if rule_id in ids:
                return next(r for r in self._pack_at(i).rules if r.id == rule_id)
        return None

    def pack(self, pack_id: str) -> Pack | None:
        return next((self._pack_at(i) for i, p in enumerate(self.heads) if p.id == pack_id), None)

    def violations(self, pack: Pack) -> tuple[Rule, ...]:
        """The pack's violation rules that can still fire, in the order a report lists them."""
        found = self._violations.get(pack.id)
        if found is None:  # computed once per pack; a race computes the same value twice
            can_fire = [
                rule
                for rule in pack.rules
                if rule.outcome is Outcome.VIOLATION
                and not (isinstance(rule.when, Known) and rule.when.value is False)
            ]
            found = tuple(sorted(can_fire, key=lambda r: report_rank(r.outcome, r.severity, r.id)))
            self._violations[pack.id] = found
        return found

    def prepare(self, usecase: UseCase, model: Mapping[str, Any] | None = None) -> "RuleSet":
        """The same rules with every test of the use case's own facts decided once (partial
        evaluation), a pack's when a run first needs it. Evaluating `usecase` against many models with it gives the same reports,
        byte for byte, faster; the engine refuses it for any other use case. `model` names model
        facts (ModelFacts fields) that every model it meets has, decided too (a shortlist's
        candidates share how the use case derives them); the engine refuses a model without them."""
        from licensecheck.facts import Facts, model_dependent  # facts imports this module

        fixed = dict(model or {})
        decide = Facts(usecase.values, ModelFacts(id=None, name=None, **fixed)).get
        # asked of each fact once for every node above it in its rule: answered once per fact
        known = cache(lambda path: not model_dependent(path, fixed))

        def prepared(i: int) -> tuple[Rule, ...]:
            return tuple(
                rule._replace(
                    when=specialise(rule.when, decide, known, rule.facts),
                    unprepared=rule.unprepared or rule.when,
                )
                for rule in self._pack_at(i).rules
            )

        # each pack prepared when a run first needs it, as a cached pack is decoded: a run meets
        # only the packs of its models' licences
        pending = [
            PendingPack(
                entry.head if isinstance(entry, PendingPack) else entry._replace(rules=()),
                entry.rule_ids if isinstance(entry, PendingPack) else tuple(r.id for r in entry.rules),
                partial(prepared, i),
            )
            for i, entry in enumerate(self._entries)
        ]
        return RuleSet(pending, self.licenses, usecase, fixed, self.gpu_docs)


# ------------------------------------------------------------------------------ findings and reports


class Finding(NamedTuple):
    """One rule that fired for one use case, with the facts that made it fire."""

    rule: str
    category: str
    outcome: Outcome
    severity: Severity
    title: str
    message: str
    remedy: str
    license: str
    clause: str
    source: str
    evidence: tuple[tuple[str, Any], ...] = ()
    waived: bool = False
    waiver: Waiver | None = None
    waiver_status: str | None = None  # "applied", "expired" or "version-changed"
    waiver_note: str | None = None  # why a matching waiver does not apply, in words
    text: str | None = None  # exact text a licence requires (attribution, notice)
    location: tuple[int, int] | None = None  # where in the use-case file the evidence is
    missing: tuple[str, ...] = ()  # facts the rule needed but the use case did not give
    quote: str | None = None  # the verbatim clause sentence the rule rests on
    pack: str | None = None  # the id of the rule's pack (its source text's record: PackUse)

    @property
    def counts(self) -> bool:
        """Whether the finding counts for the verdict (not covered by a valid waiver)."""
        return not self.waived

    def sort_key(self) -> tuple[Any, ...]:
        return (self.waived, *report_rank(self.outcome, self.severity, self.rule), self.message)


class ModelSummary(NamedTuple):
    """The model as the report names it."""

    id: str | None
    name: str | None
    license: str | None
    facts: tuple[tuple[str, Any], ...] = ()
    license_declared: str | None = None  # as written, when no rule pack knows it

    def license_shown(self) -> str:
        """The licence for a reader: its id, the unknown name as written, or that none was found."""
        if self.license:
            return self.license
        if self.license_declared:
            return f"{self.license_declared} (unrecognised)"
        return "none found"


class PackUse(NamedTuple):
    """A rule pack that took part in an evaluation, for the record."""

    id: str
    name: str
    version: str
    digest: str
    source: str
    source_sha256: str | None = None  # the source text's SHA-256, where the URL is not commit-pinned
    retrieved: str | None = None  # the date that text was read


class InputFile(NamedTuple):
    """An input file of a run, by the SHA-256 of its bytes: a signature binds to exact inputs."""

    file: str
    sha256: str


class UseCaseReport(NamedTuple):
    """The evaluation of one use case against one model."""

    name: str
    file: str
    model: ModelSummary
    verdict: Verdict
    findings: tuple[Finding, ...]
    packs: tuple[PackUse, ...] = ()  # the packs that apply to the model (see engine.applies)
    rules_evaluated: tuple[str, ...] = ()  # the rules of those packs that can apply to the model
    usecase: Mapping[str, Any] = MappingProxyType({})  # the use case as written
    stale_waivers: tuple[Waiver, ...] = ()
    lineage: tuple[LineageLink, ...] = ()  # the model and its bases, empty for a model without bases
    sha256: str | None = None  # of the use-case file's bytes (None for a use case given as data)


class Report(NamedTuple):
    """A whole run: one report per use case."""

    reports: tuple[UseCaseReport, ...]
    licensecheck_version: str
    as_of: str
    # shared (--waivers) waivers that match no finding of any use case in this run
    stale_waivers: tuple[Waiver, ...] = ()
    waiver_files: tuple[InputFile, ...] = ()  # the shared waivers files read (--waivers)
    # the rules of the findings, by id: formats describe a rule from it, never from one of its findings
    rules: Mapping[str, RuleInfo] = MappingProxyType({})

    @property
    def worst(self) -> Verdict:
        return worst_of(r.verdict for r in self.reports)

    def summary(self) -> "RunSummary":
        verdicts = tuple(r.verdict for r in self.reports)
        return RunSummary(
            self.licensecheck_version, self.as_of, verdicts, self.stale_waivers, self.waiver_files
        )


class RunSummary(NamedTuple):
    """What a run says besides its reports, for formats that write each report as it comes."""

    licensecheck_version: str
    as_of: str
    verdicts: tuple[Verdict, ...]  # of every use case, in order
    stale_waivers: tuple[Waiver, ...] = ()  # shared waivers that matched no finding in the run
    waiver_files: tuple[InputFile, ...] = ()  # the shared waivers files read (--waivers)

    @property
    def worst(self) -> Verdict:
        return worst_of(self.verdicts)


def worst_of(verdicts: Iterable[Verdict]) -> Verdict:
    return max(verdicts, key=lambda v: v.rank, default=Verdict.ALLOWED)


def verdict_of(findings: Iterable[Finding]) -> Verdict:
    """SPEC section 3: blocked > needs-review > allowed-with-obligations > allowed, unwaived only."""
    return verdict_for({f.outcome for f in findings if f.counts})


def verdict_for(outcomes: Set[Outcome]) -> Verdict:
    """The verdict of findings with these outcomes (all counting)."""
    if Outcome.VIOLATION in outcomes:
        return Verdict.BLOCKED
    if Outcome.REVIEW in outcomes:
        return Verdict.NEEDS_REVIEW
    if Outcome.OBLIGATION in outcomes:
        return Verdict.ALLOWED_WITH_OBLIGATIONS
    return Verdict.ALLOWED
