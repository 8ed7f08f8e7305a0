"""The engine: a pure function from a use case, its model, rule packs and waivers to a report.

It never prints, exits or reads files, and keeps no state between calls, so a library user can
call `evaluate` directly, from several threads or processes at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache, partial
from operator import itemgetter
from typing import Any, TypeAlias

from licensecheck.conditions import (
    Check,
    Condition,
    Constant,
    Known,
    Lookup,
    compile_check,
    facts_of,
    specialise,
)
from licensecheck.conditions import evaluate as evaluate_condition
from licensecheck.facts import DERIVED, ROLE_FACTS, Environment, Facts, model_dependent, reader
from licensecheck.model import (
    Acceptance,
    Finding,
    ModelFacts,
    ModelSummary,
    Outcome,
    Pack,
    PackUse,
    Rule,
    RuleSet,
    Severity,
    UseCase,
    UseCaseReport,
    Waiver,
    report_rank,
    verdict_for,
    verdict_of,
)
from licensecheck.records import NamedTuple, fields_getter
from licensecheck.text import display

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_.\[\]]*)\}")
SUMMARY_FACTS = (
    "weights",
    "release_date",
    "knowledge_cutoff",
    "parameters_b",
    "context_window",
    "max_output_tokens",
    "price_input_per_mtok_usd",
    "price_output_per_mtok_usd",
    "modalities",
)


def evaluate(
    usecase: UseCase,
    model: ModelFacts,
    ruleset: RuleSet,
    waivers: tuple[Waiver, ...] = (),
    as_of: str = "",
) -> UseCaseReport:
    """Evaluate one use case against its resolved model; deterministic for the same input.

    `ruleset` may be the full rule set or one prepared for this use case (RuleSet.prepare):
    the report is the same, byte for byte.
    """
    return _evaluate(_Run.of(usecase, model, ruleset, as_of), waivers)


def _evaluate(run: _Run, waivers: tuple[Waiver, ...]) -> UseCaseReport:
    return _report(run, _decide(run), waivers)


# A rule that fires for a model (or cannot be decided): its pack, the rule, its ranks if its compiled
# condition decided that (_Ranks; None: the interpreter decides, check_rule, and the value is not
# known before the finding is made), and its value (True, or None: unknown).
_Fired = tuple[Pack, Rule, "_Ranks | None", bool | None]


class _Decided(NamedTuple):
    """The rules that fire for a model: all a report says but its findings' words (message,
    evidence, location) and which rules and packs took part (listed when the report is built)."""

    fired: tuple[_Fired, ...]
    steps: list[_PackStep]  # the run's packs and rules (made once, for the report's list)
    own: _ModelOwn  # which rules can apply to the model, remembered for the report's list


def _decide(run: _Run) -> _Decided:
    """The rules that fire for the run's model, in report order before sorting."""
    fired: list[_Fired] = []
    own = _ModelOwn(run.model, run.ruleset)
    facts = run.facts
    steps = run.steps()
    for pack, _, _, live, _, _ in steps:
        for rule, check, ignored, owned, ranks in live:
            result = None
            if check is not None:  # what check_rule decides from the same facts, without recording them
                result = check(facts)
                if result is False or (result is None and ignored):
                    continue
            # a rule reading the model's own facts may not apply to it (then it is not evaluated):
            # asked only of the rules that fire, as most do not
            if owned is not None and not own.applies(owned):
                continue
            fired.append((pack, rule, ranks, result))
    return _Decided(tuple(fired), steps, own)


def _listed(decided: _Decided) -> tuple[list[Pack], list[str]]:
    """The packs that apply to the model and the ids of the rules evaluated, in order."""
    evaluated: list[str] = []
    applying: list[Pack] = []
    own = decided.own
    for pack, considered, ids, _, owned, variants in decided.steps:
        # rules reading the model's own facts may not apply to it (then neither counted nor listed)
        dropped = tuple(i for i, step in enumerate(owned) if not own.applies(step)) if owned else ()
        if dropped:
            found = variants.get(dropped)
            if found is None:
                left = {id(owned[i]) for i in dropped}
                found = variants[dropped] = tuple(step[0].id for step in considered if id(step) not in left)
            ids = found
        # a pack of a licence that governs the model applies by its licence; an every-model pack
        # only if one of its rules can apply to this model (not gpt-oss's policy for a Llama)
        if ids or (pack.license is not None and considered):
            applying.append(pack)
        evaluated += ids
    return applying, evaluated


def _findings(
    run: _Run, decided: _Decided, waivers: tuple[Waiver, ...]
) -> tuple[tuple[Finding, ...], tuple[Waiver, ...]]:
    """The findings of the decided rules (check_rule), waivers applied, in report order; and the
    stale waivers."""
    findings: list[Finding] = []
    for pack, rule, _, _ in decided.fired:
        finding = run.finding(pack, rule)
        if finding is not None:
            findings.append(finding)
    findings, stale = apply_waivers(findings, waivers, run.usecase, run.model, run.packs, run.as_of)
    findings.sort(key=Finding.sort_key)
    return tuple(findings), tuple(stale)


def _report(
    run: _Run,
    decided: _Decided,
    waivers: tuple[Waiver, ...],
    found: tuple[tuple[Finding, ...], tuple[Waiver, ...]] | None = None,  # its _findings, if made already
) -> UseCaseReport:
    """The report of the decided rules: their findings, and the rules and packs that took part."""
    usecase, model = run.usecase, run.model
    findings, stale = found or _findings(run, decided, waivers)
    applying, evaluated = _listed(decided)
    summary = ModelSummary(
        id=model.id,
        name=model.name,
        license=model.license,
        facts=tuple((k, getattr(model, k)) for k in SUMMARY_FACTS),
        license_declared=model.license_declared,
    )
    return UseCaseReport(
        name=usecase.name,
        file=usecase.file,
        model=summary,
        verdict=verdict_of(findings),
        findings=findings,
        packs=tuple(run.pack_use(p) for p in applying),
        rules_evaluated=tuple(evaluated),
        usecase=usecase.data,
        stale_waivers=stale,
        lineage=model.lineage,
        sha256=usecase.sha256,
    )


# Model facts that say how the use case derives the model, not what the model is (with what is
# computed from them): a rule testing them can apply to any model.
_DERIVATION_FIELDS = frozenset(
    (
        "modification",
        "published_name",
        "base_models",
        "training_data",
        "lineage_licenses",
        "lineage_other_licenses",
        "lineage_unresolved",
        "lineage_unrecognised_licenses",
        "training_data_licenses",
        "training_data_license_families",
        "training_data_unrecognised_licenses",
        "trained_on_outputs_of",
    )
)


class _ModelOwn:
    """Whether a rule can apply to a model at all, whatever the use case says.

    A rule cannot apply when the tests of its condition on the model's own facts (catalog,
    folder or inline: id, licence, modalities, weights, ...) decide it false, for any value of
    the use case's facts (partial evaluation, conditions.specialise): the gpt-oss usage policy
    for a Llama model, the EU clause on multimodal models for a text-only one. Such a rule is
    not evaluated, counted or listed: a report says what it checked for this model. The answer
    depends only on the rule and the values of the model facts it reads, so the rule set keeps it.
    """

    __slots__ = ("_cache", "_facts", "_keys", "_model")

    def __init__(self, model: ModelFacts, ruleset: RuleSet) -> None:
        self._model = model
        self._facts: Facts | None = None  # the model's own facts, made when a rule first reads them
        self._keys: dict[tuple[str, ...], str] = {}  # the values of some own facts, as a memo key
        self._cache = ruleset.applies_cache

    def applies(self, step: _Step) -> bool:
        rule, reads, _, decide = step
        if not reads:
            return True  # the common case: the use case's facts alone decide
        if self._facts is None:
            # Only the model's own facts are read from these (_model_own, as _step and specialise
            # ask), never the derivation facts: the model itself serves, without a copy that sets
            # those to their defaults.
            self._facts = Facts({}, self._model, None, _NO_ENVIRONMENT)
        if decide is not None:  # it reads only the model's own facts: evaluated, it is decided
            return decide(self._facts) is not False
        get = self._facts.get
        values = self._keys.get(reads)
        if values is None:
            values = self._keys[reads] = repr(list(map(get, reads)))
        key = (rule.id, values)
        found = self._cache.get(key)
        if found is None:
            decided = specialise(rule.unprepared or rule.when, get, _model_own)
            found = not (isinstance(decided, Known) and decided.value is False)
            self._cache[key] = found
        return found


# The environment of a model's own facts, which read neither the date nor the GPU table: one made
# once rather than Facts' default (an Environment built for each of some 500 models of a shortlist)
_NO_ENVIRONMENT = Environment()

# A rule as evaluate() meets it: the rule, the model's own facts it reads (_ModelOwn), and on a
# prepared rule set its compiled condition and, when it reads only the model's own facts, its
# unprepared condition compiled (partial evaluation on them decides it: to its value). None: the
# interpreter does it (check_rule, specialise).
_Step = tuple[Rule, tuple[str, ...], Check | None, Check | None]


@lru_cache(maxsize=4096)
def _own_facts(facts: tuple[str, ...]) -> tuple[str, ...]:
    """The facts among `facts` that are the model's own (whose values decide what can apply)."""
    return tuple(fact for fact in facts if _model_own(fact))


def _model_own(path: str) -> bool:
    """Whether a fact is the model's own: a model fact (not a derivation one) or derived only from such."""
    if path.startswith("model."):
        field = path[6:].split("[]", 1)[0]
        return field not in _DERIVATION_FIELDS and field in ModelFacts._fields
    derived = DERIVED.get(path)
    # a whole derived fact (the route taken, estimates: licensecheck.basics) reads the use case and
    # the evaluation date as well, so it is never the model's own
    return derived is not None and not derived.whole and all(_model_own(p) for p in derived.inputs)


def first_violation(usecase: UseCase, model: ModelFacts, ruleset: RuleSet, as_of: str = "") -> Finding | None:
    """The violation `evaluate` would list first for this model (waivers aside), or None.

    It looks only at violation rules that can still fire, each pack's in report order, so it is
    the cheap way to exclude a model (shortlist). The finding is the report's first one as far as
    a reason needs it (rule, citation, message, remedy), without its evidence and location. It is
    screen's first answer (a model without one is evaluated too, as screen does).
    """
    return screen(usecase, model, ruleset, (), as_of)[0]


# What screen() finds of a model: its first violation, else its evaluation; and the facts they read.
Screened: TypeAlias = "tuple[Finding | None, Evaluation | None, Facts]"


def screen(
    usecase: UseCase,
    model: ModelFacts,
    ruleset: RuleSet,
    waivers: tuple[Waiver, ...] = (),
    as_of: str = "",
) -> Screened:
    """One model of a shortlist: its first violation (looked for only without waivers, as a waiver
    may lift it), else its evaluation; and the facts they read, for its route view. The three
    share one set of facts: what those compute depends only on the use case, model and date.

    Without waivers, on a rule set prepared for the use case, the evaluation decides which rules
    fire and builds the report (the findings' messages, evidence and locations) on first use."""
    return Screener(usecase, ruleset, waivers, as_of)(model)


class Screener:
    """screen() for the models of one use case, rule set, waivers and date: the rule set is checked
    against the use case once, and a model excluded by its first violation is screened without the
    run an evaluation needs (a shortlist screens 10,000 models and excludes most of them)."""

    __slots__ = ("as_of", "ruleset", "usecase", "waivers")

    def __init__(
        self, usecase: UseCase, ruleset: RuleSet, waivers: tuple[Waiver, ...] = (), as_of: str = ""
    ) -> None:
        _check_prepared_for(usecase, ruleset)
        self.usecase = usecase
        self.ruleset = ruleset
        self.waivers = waivers
        self.as_of = as_of

    def __call__(self, model: ModelFacts) -> Screened:
        _check_prepared_model(model, self.ruleset)
        return self._screen(*self._bound(*_shared(self.usecase, model, self.ruleset)), model)

    def alike(self, model: ModelFacts) -> Callable[[ModelFacts], Screened]:
        """This screener for the models alike `model`: with its values of the facts the rule set
        was prepared with (RuleSet.prepare) and of its composition (what the packs that apply
        depend on), as the candidates a shortlist makes from one template are. `model` is checked
        and its composition's shared part, environment and chain found once, not for each of them."""
        _check_prepared_model(model, self.ruleset)
        return partial(self._screen, *self._bound(*_shared(self.usecase, model, self.ruleset)))

    def _bound(
        self, shared: _Shared, keyed: bool
    ) -> tuple[_Shared, bool, Environment, tuple[_Link, ...] | None]:
        """What _screen takes besides the model: the same for every model of the composition on
        this screener's date, the chain (None: with waivers, no first violation is looked for)."""
        ruleset = self.ruleset
        chain = None
        if not self.waivers:
            chain = shared.chain(ruleset) if keyed else _chain(shared.packs, shared.governing, ruleset, None)
        return shared, keyed, _environment(shared, self.usecase, ruleset, self.as_of), chain

    def _screen(
        self,
        shared: _Shared,
        keyed: bool,
        environment: Environment,
        chain: tuple[_Link, ...] | None,
        model: ModelFacts,
    ) -> Screened:
        facts = Facts(self.usecase.values, model, shared.acceptance, environment)
        if chain is not None:
            # the first violation, looked for in this frame before a run is made
            for stands, reason in chain:
                if stands(facts) is True:
                    return reason(facts), None, facts
        run = _Run(self.usecase, model, self.ruleset, self.as_of, shared, keyed, facts)
        return None, Evaluation(run, _decide(run), self.waivers), facts


class Evaluation:
    """A model's evaluation: which rules fire with which outcome, and its report, built by the
    function `evaluate` builds it with (so the same, byte for byte).

    The outcomes come from the rules' compiled conditions, the values check_rule then finds: a
    ranking reads the verdict and the findings to act on from them without the report. The report
    is built on first use, or at once where those outcomes are not known without it: with
    waivers (which may lift a finding) or a rule decided by the interpreter alone.
    """

    __slots__ = ("_decided", "_findings", "_report", "_run", "acting", "verdict")

    def __init__(self, run: _Run, decided: _Decided, waivers: tuple[Waiver, ...] = ()) -> None:
        self._report: UseCaseReport | None = None
        self._findings: tuple[tuple[Finding, ...], tuple[Waiver, ...]] | None = None
        acting = _acting(decided, run.facts) if not waivers else None
        if acting is None:
            self._report = _report(run, decided, waivers)
            acting = tuple(
                (f.rule, f.outcome)
                for f in self._report.findings
                if f.counts and f.outcome is not Outcome.INFO
            )
            self.verdict = self._report.verdict
        else:
            self._run, self._decided = run, decided
            self.verdict = _verdict_for(frozenset(map(_OUTCOME, acting)))
        self.acting: tuple[tuple[str, Outcome], ...] = acting  # rule id and outcome, in report order

    def report(self) -> UseCaseReport:
        found = self._report
        if found is None:  # two threads may both build it: the same report
            found = self._report = _report(self._run, self._decided, (), self._findings)
        return found

    def findings(self) -> tuple[Finding, ...]:
        """The report's findings, without the rest of the report (which rules and packs took
        part) where it is not built yet: what a shortlist lists of a model."""
        if self._report is not None:
            return self._report.findings
        if self._findings is None:
            self._findings = _findings(self._run, self._decided, ())
        return self._findings[0]


def _acting(decided: _Decided, facts: Facts) -> tuple[tuple[str, Outcome], ...] | None:
    """The findings to act on (rule id, outcome) in report order, as check_rule will give them for
    the fired rules, or None if a rule's value is not known without it."""
    ranked: list[_Ranked] = []
    for _, rule, ranks, result in decided.fired:
        if ranks is None:
            return None
        if result is None or not confirmed(rule, facts):  # cannot be decided, or rests on weak data
            ranked.append(ranks[1])
        elif ranks[0] is not None:
            ranked.append(ranks[0])
    ranked.sort()
    return tuple(map(_RULE_AND_OUTCOME, ranked))


# A finding to act on as _acting sorts it: its report rank and its outcome
_Ranked = tuple[int, int, str, Outcome]

# A compiled rule's findings to act on when it fires: as the rule says (None if that is information
# only) and as a review (undecided, or resting on weak data). Made once per prepared rule set and
# composition (_steps), not for each of the some 2,700 findings of a shortlist's ranked models.
_Ranks = tuple[_Ranked | None, _Ranked]


def _ranks(rule: Rule) -> _Ranks:
    outcome = rule.outcome
    as_said = None if outcome is Outcome.INFO else report_rank(outcome, rule.severity, rule.id) + (outcome,)
    return as_said, report_rank(Outcome.REVIEW, Severity.WARNING, rule.id) + (Outcome.REVIEW,)


# The verdict of a set of outcomes, kept for each of the few such sets (of four outcomes): a
# shortlist's 1,001 ranked models read it without a Python call, and verdict_for reads an Enum's
# members (some 80 ns each)
_verdict_for = lru_cache(maxsize=None)(verdict_for)
_OUTCOME = itemgetter(1)  # of a finding to act on (rule id, outcome)

# (rule id, outcome) of a ranked finding to act on: taken in C, not unpacked in a generator for
# each of the some 2,700 findings of a shortlist's ranked models
_RULE_AND_OUTCOME = itemgetter(2, 3)


def _rank(rule: Rule) -> tuple[int, int, str]:
    return report_rank(rule.outcome, rule.severity, rule.id)


class _Run:
    """The facts of one (use case, model) pair and the packs that apply to the model."""

    __slots__ = ("as_of", "facts", "governing", "inherited", "model", "packs", "ruleset", "shared", "usecase")

    def __init__(
        self,
        usecase: UseCase,
        model: ModelFacts,
        ruleset: RuleSet,
        as_of: str,
        shared: _Shared,
        keyed: bool,  # whether `shared` is the rule set's for the model's composition (else its own)
        facts: Facts | None = None,  # the model's, if read already
    ) -> None:
        self.usecase = usecase
        self.model = model
        self.ruleset = ruleset
        self.as_of = as_of
        self.shared = shared if keyed else None
        self.governing, self.packs = shared.governing, shared.packs
        if facts is None:
            environment = _environment(shared, usecase, ruleset, as_of)
            facts = Facts(usecase.values, model, shared.acceptance, environment)
        self.facts = facts
        self.inherited = inherited_from(model) if model.lineage else _NOTHING_INHERITED

    @classmethod
    def of(cls, usecase: UseCase, model: ModelFacts, ruleset: RuleSet, as_of: str = "") -> _Run:
        """The run of a model: the rule set checked against the use case and model, and what the
        runs of the model's composition share found (on a prepared rule set) or made."""
        _check_prepared_for(usecase, ruleset)
        _check_prepared_model(model, ruleset)
        shared, keyed = _shared(usecase, model, ruleset)
        return cls(usecase, model, ruleset, as_of, shared, keyed)

    def pack_use(self, pack: Pack) -> PackUse:
        """The record of a pack that took part (one per pack of a prepared rule set)."""
        uses = _memo(self.ruleset, _USES) if self.shared is not None else None
        found: PackUse | None = uses.get(id(pack)) if uses is not None else None
        if found is None:
            p = pack
            found = PackUse(p.id, p.name, p.version, p.digest, p.source, p.source_sha256, p.retrieved)
            if uses is not None:
                uses[id(pack)] = found  # the rule set holds the pack: its id is not reused meanwhile
        return found

    def steps(self) -> list[_PackStep]:
        """Each pack with the rules evaluate() considers for the model (those `applies` lets in)."""
        if self.shared is not None:
            return self.shared.steps(self.ruleset)
        return _steps(self.packs, self.governing, None)

    def finding(self, pack: Pack, rule: Rule) -> Finding | None:
        finding = check_rule(rule, self.facts, self.usecase)
        if finding is not None and pack.license in self.inherited:
            evidence = tuple(sorted(finding.evidence + (("lineage", self.inherited[pack.license]),)))
            finding = finding._replace(evidence=evidence)
        return finding


def _check_prepared_for(usecase: UseCase, ruleset: RuleSet) -> None:
    prepared_for = ruleset.prepared_for
    if prepared_for is not None and prepared_for is not usecase:
        raise ValueError("the rule set was prepared for another use case")


def _check_prepared_model(model: ModelFacts, ruleset: RuleSet) -> None:
    if ruleset.prepared_values and ruleset.prepared_read(model) != ruleset.prepared_values:
        raise ValueError("the rule set was prepared for models with other facts")


def _shared(usecase: UseCase, model: ModelFacts, ruleset: RuleSet) -> tuple[_Shared, bool]:
    """What the runs of the model's composition share, and whether the rule set keeps it for them.

    A prepared rule set serves one use case: what a run shares depends only on the licences of the
    model's composition, of which a shortlist's thousands of candidates share a few dozen."""
    key: tuple[Any, ...] | None = _COMPOSITION(model) if ruleset.prepared_for is usecase else None
    try:
        found = ruleset.runs_cache.get(key) if key is not None else None
    except TypeError:  # an unhashable composition: nothing shared
        key = found = None
    if found is not None:
        return found[0], True
    # The packs of every licence in the composition; a pack's rules about the model itself apply
    # where its licence governs the model, its rules about a role wherever the licence has one.
    governing = frozenset((*model.governing_licenses, *([model.license] if model.license else ())))
    packs = ruleset.packs_for(component_licenses(model))
    accepting = [p for p in packs if p.license is None or p.license in governing]
    accepting += [p for p in packs if p.license in model.teacher_licenses and p not in accepting]
    shared = _Shared(governing, packs, acceptance_facts(accepting, usecase, ruleset))
    if key is not None:
        ruleset.runs_cache[key] = (shared,)
    return shared, key is not None


def _environment(shared: _Shared, usecase: UseCase, ruleset: RuleSet, as_of: str) -> Environment:
    """The environment of a run, one for the runs of a composition on one date."""
    environment = shared.environment
    if environment is None or environment.as_of != as_of:
        environment = shared.environment = environment_of(usecase, ruleset, as_of)
    return environment


def environment_of(usecase: UseCase, ruleset: RuleSet, as_of: str) -> Environment:
    """The evaluation date and GPU table the facts of a use case's models read: the table only for a
    use case that names its GPU (basics._self_hosted reads it for no other)."""
    names_gpu = usecase.values.get("deployment.gpu.type") is not None
    return Environment(as_of, ruleset.gpus() if ruleset.gpu_docs and names_gpu else None)


def _applies(pack: Pack, rule: Rule, governing: frozenset[str]) -> bool:
    return pack.license is None or pack.license in governing or not ROLE_FACTS.isdisjoint(rule.facts)


# A rule _decide checks, in the shape its loop takes it (asked of some 20 rules of each model a
# shortlist ranks): the rule, its compiled condition (None: the interpreter decides), whether an
# unknown value leaves it quiet (on_missing: ignore), its step if it reads the model's own facts,
# and given a compiled condition, its ranks (for _acting).
_Live = tuple[Rule, Check | None, bool, _Step | None, _Ranks | None]

# A pack as evaluate() meets it: the pack, the rules it considers for the model, their ids and
# those not decided false (as _Live), those reading the model's own facts (that may not apply to
# it), and the ids evaluated when some of those do not apply (by their positions among them).
_PackStep = tuple[
    Pack,
    tuple[_Step, ...],
    tuple[str, ...],
    tuple[_Live, ...],
    tuple[_Step, ...],
    dict[tuple[int, ...], tuple[str, ...]],
]


def _steps(packs: list[Pack], governing: frozenset[str], checks: _Checks | None) -> list[_PackStep]:
    """Each pack with the rules a run considers, their own-fact reads and (given `checks`, the
    compiled conditions of a prepared rule set) their compiled conditions."""
    out: list[_PackStep] = []
    for pack in packs:
        considered = tuple(_step(rule, checks) for rule in pack.rules if _applies(pack, rule, governing))
        ids = tuple(step[0].id for step in considered)
        live = tuple(_live(step) for step in considered if step[2] is not _never)
        out.append((pack, considered, ids, live, tuple(step for step in considered if step[1]), {}))
    return out


def _live(step: _Step) -> _Live:
    rule, reads, check, _ = step
    ranks = _ranks(rule) if check is not None else None
    return rule, check, rule.on_missing == "ignore", step if reads else None, ranks


def _step(rule: Rule, checks: _Checks | None) -> _Step:
    reads = _own_facts(rule.facts)
    if checks is None:
        return rule, reads, None, None
    unprepared = rule.unprepared or rule.when
    decide = None
    if reads and all(_model_own(fact) for fact in facts_of(unprepared)):
        decide = checks.get(id(unprepared))  # the rule holds it: its id is not reused meanwhile
        if decide is None:
            decide = checks[id(unprepared)] = compile_check(unprepared, reader)
    return rule, reads, _compiled(rule, checks), decide


def _compiled(rule: Rule, checks: _Checks) -> Check:
    """The rule's condition compiled (once per prepared rule set), reading the facts the use case
    decides as the constants they are for every run of the rule set."""
    if isinstance(rule.when, Known) and (
        rule.when.value is False or (rule.when.value is None and rule.on_missing == "ignore")
    ):
        # decided false for the use case, or unknown for it where an unknown value leaves the rule
        # quiet: check_rule returns None at once (and _decide need not ask, for some 2 rules of
        # each model a shortlist ranks)
        return _never
    found = checks.get(id(rule))  # the rule set holds the rule: its id is not reused meanwhile
    if found is None:
        found = checks[id(rule)] = compile_check(rule.when, checks.read)
    return found


class _Shared:
    """What the runs of one prepared rule set share for models of one composition (_COMPOSITION):
    the packs, governing licences and acceptance, and the rules in the order each function meets them."""

    __slots__ = ("_chain", "_steps", "acceptance", "environment", "governing", "packs")

    def __init__(self, governing: frozenset[str], packs: list[Pack], acceptance: Acceptance) -> None:
        self.governing = governing
        self.packs = packs
        self.acceptance = acceptance
        self.environment: Environment | None = None  # of the latest run (the same date: the same one)
        self._chain: tuple[_Link, ...] | None = None
        self._steps: list[_PackStep] | None = None

    def steps(self, ruleset: RuleSet) -> list[_PackStep]:
        if self._steps is None:
            self._steps = _steps(self.packs, self.governing, _checks(ruleset))
        return self._steps

    def chain(self, ruleset: RuleSet) -> tuple[_Link, ...]:
        if self._chain is None:
            self._chain = _chain(self.packs, self.governing, ruleset, _checks(ruleset))
        return self._chain


# A violation rule as first_violation tries it: whether it stands (_standing: its condition,
# compiled or the evaluator, and its data confirmed) and its reason (the finding it then gives).
_Link = tuple[Check, Callable[[Facts], Finding]]


def _chain(
    packs: list[Pack], governing: frozenset[str], ruleset: RuleSet, checks: _Checks | None
) -> tuple[_Link, ...]:
    """The violation rules of `packs` that can fire and apply, in the order first_violation tries
    them, with their compiled conditions (given `checks`) or the evaluator, and their reasons.

    The first violation is the report's first: the firing rule of least report rank, the earliest
    pack's on a tie, so the first to fire in one list of them all sorted (stably) by rank.
    """
    candidates = [
        (pack, rule) for pack in packs for rule in ruleset.violations(pack) if _applies(pack, rule, governing)
    ]
    candidates.sort(key=lambda item: _rank(item[1]))
    if checks is None:
        return tuple((_standing(rule, _evaluator(rule.when)), _Reason(rule).of) for _, rule in candidates)
    reasons = _memo(ruleset, _REASONS)
    links: list[_Link] = []
    for _, rule in candidates:
        reason = reasons.get(id(rule))  # the rule set holds the rule: its id is not reused meanwhile
        if reason is None:
            reason = reasons[id(rule)] = _Reason(rule, ruleset.prepared_model)
        links.append((_standing(rule, _compiled(rule, checks)), reason.of))
    return tuple(links)


def _standing(rule: Rule, check: Check) -> Check:
    """Whether a violation rule stands: its condition `check` is true and its data confirmed.

    A violation rule without data_confidence is always confirmed, so its check is `check` itself:
    most of a shortlist's models are excluded by such a rule, without a call to confirmed each."""
    if rule.data_confidence is None:
        return check
    return lambda facts: check(facts) is True and confirmed(rule, facts)


def _rendered_reason(rule: Rule, facts: Facts) -> Finding:
    """A violation rule's reason with its message and remedy rendered from these facts."""
    return finding_of(rule, render_message(rule.message, facts), render_message(rule.remedy, facts))


class _Reason:
    """The finding of a violation rule as a reason: rule, citation, message and remedy.

    On a prepared rule set (given the model facts it fixed), the models whose placeholder facts
    have the same values (of the same types: display shows 1, 1.0 and True differently) share
    one. Only the facts that depend on the model are read for the key: the use case's are the
    same for every model. The compositions of a rule set share a rule's reasons.
    """

    __slots__ = ("_dependent", "_read", "_reasons", "_texts", "rule")

    def __init__(self, rule: Rule, fixed: Mapping[str, Any] | None = None) -> None:
        self.rule = rule
        self._read: tuple[Callable[[Facts], Any], ...] | None = None  # None: not memoised
        self._reasons: dict[tuple[Any, ...], Finding] = {}
        self._dependent: frozenset[str] = frozenset()
        # the message and remedy split as _pieces splits them, with the facts that are the same for
        # every model already shown: a reason that differs by model (a route's cost: some 1,400 of a
        # shortlist) renders only the facts of the model
        self._texts: tuple[tuple[str, ...], tuple[str, ...]] | None = None
        if fixed is not None:
            paths = _placeholders(rule.message) + _placeholders(rule.remedy)
            self._dependent = frozenset(p for p in paths if model_dependent(p, fixed))
            self._read = tuple(reader(p) for p in paths if p in self._dependent)

    def of(self, facts: Facts) -> Finding:
        rule, read = self.rule, self._read
        if read is None:
            return _rendered_reason(rule, facts)
        key: tuple[Any, ...] = ()  # a tuple, not a list: most messages read one fact of the model
        for get in read:
            value = get(facts)
            kind = value.__class__
            if kind in _PLAIN:
                key += (kind, value)
            elif (kind is tuple or kind is list) and all(item.__class__ is str for item in value):
                key += (kind, tuple(value))  # a list of names (modalities): shown the same either way
            else:
                return _rendered_reason(rule, facts)  # a value no key can hold: rendered anew
        reason = self._reasons.get(key)
        if reason is None:
            texts = self._texts
            if texts is None:
                texts = self._texts = (self._partly(rule.message, facts), self._partly(rule.remedy, facts))
            message, remedy = _rendered(texts[0], facts), _rendered(texts[1], facts)
            reason = self._reasons[key] = finding_of(rule, message, remedy)
        return reason

    def _partly(self, template: str, facts: Facts) -> tuple[str, ...]:
        """`template` split as _pieces splits it, each placeholder of a fact that does not depend on
        the model shown as render_message shows it and joined to the text around it."""
        pieces = _pieces(template) if "{" in template else (template,)
        joined = [pieces[0]]
        for i in range(1, len(pieces), 2):
            path = pieces[i]
            if path in self._dependent:
                joined += (path, pieces[i + 1])
            else:
                joined[-1] += _rendered(("", path, ""), facts) + pieces[i + 1]
        return tuple(joined)


def _evaluator(cond: Condition) -> Check:
    return lambda facts: evaluate_condition(cond, Lookup(facts.get))


def _never(facts: Facts) -> bool:
    return False


# runs_cache entries of a prepared rule set besides the compositions: its compiled conditions (by
# rule or condition), the reasons first_violation gives (by rule: _Reason), and the records of its
# packs (by pack)
_CHECKS = ("compiled conditions",)
_REASONS = ("reasons",)
_USES = ("pack uses",)
_PLAIN = frozenset((str, int, float, bool, type(None)))  # fact values a reason memo may be keyed on


def _memo(ruleset: RuleSet, name: tuple[str]) -> dict[Any, Any]:
    found = ruleset.runs_cache.get(name)
    if found is None:
        found = ruleset.runs_cache[name] = ({},)
    memo: dict[Any, Any] = found[0]
    return memo


class _Checks(dict[int, Check]):
    """The compiled conditions of a prepared rule set by rule (or condition), and the reader its
    rules' conditions are compiled with."""

    __slots__ = ("read",)

    def __init__(self, ruleset: RuleSet) -> None:
        super().__init__()
        usecase, fixed = ruleset.prepared_for, ruleset.prepared_model
        assert usecase is not None  # only the runs of a prepared rule set share compiled conditions
        decided = Facts(usecase.values, ModelFacts(id=None, name=None, **fixed)).get

        def read(path: str) -> Callable[[Facts], Any]:
            # a fact the use case decides (as RuleSet.prepare does) has one value in every run
            return reader(path) if model_dependent(path, fixed) else Constant(decided(path))

        self.read = read


def _checks(ruleset: RuleSet) -> _Checks:
    """The compiled conditions of a prepared rule set (kept in the rule set's run memo)."""
    found = ruleset.runs_cache.get(_CHECKS)
    if found is None:
        found = ruleset.runs_cache[_CHECKS] = (_Checks(ruleset),)
    checks: _Checks = found[0]
    return checks


# The model facts a run's packs, governing licences and acceptance depend on: its composition.
COMPOSITION_FIELDS = (
    "license",
    "licenses",
    "governing_licenses",
    "lineage_licenses",
    "teacher_licenses",
    "ancestor_teacher_licenses",
    "input_licenses",
    "bundled_licenses",
    "bundled_modified_licenses",
    "training_data_licenses",
)
_COMPOSITION = fields_getter(ModelFacts, COMPOSITION_FIELDS)


def component_licenses(model: ModelFacts) -> list[str]:
    """Every licence in the model's composition, the model's own first: the packs that may apply (a
    training-data licence that no pack knows is skipped by packs_for)."""
    found: list[str] = [model.license] if model.license else []
    for group in (
        model.licenses or (),  # a card listing several licences: each applies
        model.governing_licenses,
        model.lineage_licenses or (),
        model.teacher_licenses,
        model.ancestor_teacher_licenses,
        model.input_licenses,
        model.bundled_licenses,
        model.bundled_modified_licenses,
        model.training_data_licenses or (),
    ):
        found += [lic for lic in group if lic not in found]
    return found


_NOTHING_INHERITED: dict[str, str] = {}  # never written: a run only reads it


def inherited_from(model: ModelFacts) -> dict[str, str]:
    """Upstream licence -> how the model inherits it ("inherited from X via fine-tune"), nearest first."""
    out: dict[str, str] = {}
    for link in model.lineage:
        if link.depth == 0 or not link.license or link.license == model.license or link.license in out:
            continue
        via = f" via {link.relation}" if link.relation else ""
        through = f" (base of {link.derived})" if link.depth > 1 else ""
        out[link.license] = f"inherited from {link.model}{through}{via}"
    return out


def acceptance_facts(packs: list[Pack], usecase: UseCase, ruleset: RuleSet) -> Acceptance:
    """Gated licences (pack `gated: true`) with and without an acceptance record of that exact licence.

    A record counts only for the licence it names (aliases of the same licence resolve to it);
    acceptance of another version (llama3 for llama3.1) does not count.
    """
    gated = sorted({p.license for p in packs if p.gated and p.license})
    if not gated:
        return _NOTHING_GATED
    records = usecase.values.get("organization.accepted_terms") or []
    accepted: list[str] = []
    unaccepted: list[str] = []
    for lic in gated:
        match = next((r for r in records if ruleset.licenses.canonical(r["license"]) == lic), None)
        if match is None:
            unaccepted.append(lic)
            continue
        when = f" on {match['accepted_on']}" if match.get("accepted_on") else ""
        who = f" by {match['by']}" if match.get("by") else ""
        accepted.append(f"{lic} (accepted{when}{who})")
    return Acceptance(tuple(gated), tuple(accepted) or None, tuple(unaccepted) or None)


_NOTHING_GATED = Acceptance()


def check_rule(rule: Rule, facts: Facts, usecase: UseCase | None = None) -> Finding | None:
    """The finding of one rule, a needs-review finding if it cannot be decided, or None."""
    if isinstance(rule.when, Known) and rule.when.value is False:
        return None  # decided false for this use case (RuleSet.prepare): most rules of a shortlist
    lookup = Lookup(facts.get)
    result = evaluate_condition(rule.when, lookup)
    if result is False:
        return None
    evidence = _evidence(lookup, facts)
    if result is None:
        if rule.on_missing == "ignore":
            return None
        missing: list[str] = []
        for path in lookup.missing:
            for name in facts.missing_inputs(path):
                if name not in missing:
                    missing.append(name)
        names = ", ".join(missing)
        return finding_of(
            rule,
            f"Cannot decide '{rule.title}': the use case does not give {names}.",
            f"Add {names} to the use case, then run licensecheck again."
            + (f" If it applies: {rule.remedy}" if rule.remedy else ""),
            outcome=Outcome.REVIEW,
            severity=Severity.WARNING,
            evidence=evidence,
            location=_location(usecase, missing, evidence),
            missing=tuple(missing),
        )
    if not confirmed(rule, facts):
        tag = facts.get(rule.data_confidence or "")
        said = f"confidence {tag}" if tag else "a source of unknown confidence"
        shown = dict(evidence)
        shown.setdefault(rule.data_confidence or "", tag)
        evidence = tuple(sorted(shown.items()))
        return finding_of(
            rule,
            render_message(rule.message, facts)
            + f" The figure rests on {said} (not the provider's or developer's own text): check it before relying on it.",
            render_message(rule.remedy, facts),
            outcome=Outcome.REVIEW,
            severity=Severity.WARNING,
            evidence=evidence,
            location=_location(usecase, [], evidence),
        )
    return finding_of(
        rule,
        render_message(rule.message, facts),
        render_message(rule.remedy, facts),
        evidence=evidence,
        location=_location(usecase, [], evidence),
    )


def confirmed(rule: Rule, facts: Facts) -> bool:
    """Whether a violation rule's data rests on the provider's or developer's own text (P or C).

    A rule with `data_confidence` compares figures that carry their own confidence (a route's
    provenance, the GPU table); resting on a secondary or unverified source, the violation is a
    review, as a rule of confidence S or U may never be a violation.
    """
    if rule.data_confidence is None or rule.outcome is not Outcome.VIOLATION:
        return True
    return facts.get(rule.data_confidence) in ("P", "C")


def finding_of(
    rule: Rule,
    message: str,
    remedy: str,
    *,
    outcome: Outcome | None = None,
    severity: Severity | None = None,
    evidence: tuple[tuple[str, Any], ...] = (),
    location: tuple[int, int] | None = None,
    missing: tuple[str, ...] = (),
) -> Finding:
    """A finding of `rule` with its citation (licence, clause, source, required text) filled in.

    The outcome and severity are the rule's unless given (a rule that cannot be decided is a
    review whatever its own outcome).
    """
    # every field in Finding's order, none by keyword: matching 16 keywords was half the cost of
    # the call, and a shortlist builds some 1,400 reasons (one per distinct message)
    return Finding(
        rule.id,
        rule.category,
        outcome or rule.outcome,
        severity or rule.severity,
        rule.title,
        message,
        remedy,
        rule.license,
        rule.clause,
        rule.source,
        evidence,
        False,  # waived
        None,  # waiver
        None,  # waiver_status
        None,  # waiver_note
        rule.text,
        location,
        missing,
        rule.quote,
        rule.pack,
    )


def _evidence(lookup: Lookup, facts: Facts) -> tuple[tuple[str, Any], ...]:
    shown: dict[str, Any] = {}
    for path, value in lookup.used.items():
        if path in DERIVED:
            for source in DERIVED[path].inputs:
                source_value = facts.get(source)
                if source_value is not None:
                    shown.setdefault(source, source_value)
            explained = facts.explanation(path)
            if explained is not None:  # an estimate's formula and inputs, a route fact's source
                value = explained
        shown[path] = value
    return tuple(sorted(shown.items()))


def _location(
    usecase: UseCase | None, missing: list[str], evidence: tuple[tuple[str, Any], ...]
) -> tuple[int, int] | None:
    if usecase is None:
        return None
    for path in list(missing) + [p for p, _ in evidence]:
        if path.startswith("derived."):
            continue
        parts = tuple(part for part in re.split(r"\.|\[\]", path) if part)
        return usecase.doc.where(parts)
    return usecase.doc.where(("model",))


def render_message(template: str, facts: Facts) -> str:
    """Replace {fact.path} placeholders by fact values; nothing else is interpreted."""

    if "{" not in template:
        return template
    return _rendered(_pieces(template), facts)


def _rendered(pieces: tuple[str, ...], facts: Facts) -> str:
    """A template split by _pieces (text, placeholder path, text, ..., text), rendered."""
    out = [pieces[0]]
    for i in range(1, len(pieces), 2):
        path = pieces[i]
        value = facts.get(path)
        out += ("(not given)" if value is None else display(value, path), pieces[i + 1])
    return "".join(out)


def _placeholders(template: str) -> tuple[str, ...]:
    """The fact paths a template reads, in order."""
    return _pieces(template)[1::2] if "{" in template else ()


@lru_cache(maxsize=4096)
def _pieces(template: str) -> tuple[str, ...]:
    """A template split once: text, placeholder path, text, ..., text (a shortlist renders a few
    dozen templates for thousands of models)."""
    return tuple(PLACEHOLDER.split(template))


def waiver_in_scope(waiver: Waiver, usecase: UseCase, model: ModelFacts) -> bool:
    """Whether a waiver's optional `usecase` / `model` scope covers this use case and model."""
    if waiver.usecase is not None and waiver.usecase != usecase.name:
        return False
    if waiver.model is None:
        return True
    # The catalog id or the id the use case wrote (a Hugging Face repo id is an alias).
    given = usecase.data.get("model", {}).get("id")
    names = {str(n).casefold() for n in (model.id, given) if n}
    return waiver.model.casefold() in names


def apply_waivers(
    findings: list[Finding],
    waivers: Iterable[Waiver],
    usecase: UseCase,
    model: ModelFacts,
    packs: list[Pack],
    as_of: str,
) -> tuple[list[Finding], list[Waiver]]:
    """Mark findings covered by a waiver; return them and the in-scope waivers that match none.

    An expired waiver, or one approved for another licence version than the rule pack in use,
    matches (so it is not stale) but does not apply: the finding keeps counting and says why.
    """
    scoped = [w for w in waivers if waiver_in_scope(w, usecase, model)]
    if not scoped:
        return findings, []
    from fnmatch import fnmatchcase

    versions = {p.license or p.id: p.version for p in packs}
    used: set[int] = set()
    out: list[Finding] = []
    for finding in findings:
        chosen: Waiver | None = None
        status = note = None
        for i, waiver in enumerate(scoped):
            if not fnmatchcase(finding.rule, waiver.rule):
                continue
            used.add(i)
            current = versions.get(finding.license)
            if waiver.license_version is not None and current != waiver.license_version:
                if chosen is None:
                    chosen, status = waiver, "version-changed"
                    note = (
                        f"A waiver ({waiver.origin}) was approved for {finding.license} version "
                        f"{waiver.license_version}, but the rules in use are for version {current}: "
                        "the finding is re-opened until the waiver is approved again."
                    )
                continue
            if as_of and waiver.expires < as_of:
                if chosen is None:
                    chosen, status = waiver, "expired"
                    note = (
                        f"A waiver ({waiver.origin}) expired on {waiver.expires}: "
                        "it no longer applies until it is renewed."
                    )
                continue
            chosen, status, note = waiver, "applied", None
            break
        if chosen is None:
            out.append(finding)
            continue
        out.append(
            finding._replace(
                waived=status == "applied", waiver=chosen, waiver_status=status, waiver_note=note
            )
        )
    stale = [w for i, w in enumerate(scoped) if i not in used]
    return out, stale
