"""Model selection: evaluate one use case against every catalog model and rank the ones that fit.

Ranking (documented in README): verdict first (allowed, allowed-with-obligations,
needs-review), then estimated monthly API cost (cheapest first, unknown cost after every known
one), then the number of findings to act on (fewer first), then the catalog id (alphabetical),
so the order is total and the output deterministic. A model is excluded when its verdict is
blocked; the reason shown is its first violation (rule id, licence or constraint clause, message).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from licensecheck.catalog import Catalog
from licensecheck.conditions import All, AnyOf, Condition, Lookup, Not, Test
from licensecheck.conditions import evaluate as evaluate_condition
from licensecheck.engine import evaluate, finding_of, render_message
from licensecheck.errors import did_you_mean
from licensecheck.facts import DERIVED, Facts
from licensecheck.model import SEVERITY_ORDER, Finding, Outcome, UseCaseReport, Verdict, Waiver
from licensecheck.packs import Rule, RuleSet
from licensecheck.text import json_dumps, markdown, markdown_code, terminal
from licensecheck.usecase import DERIVATION_KEYS, UseCase, parse_usecase
from licensecheck.yamlsource import Document

# Stands in for the use case's `model` while validating: in shortlist the model is what we pick.
_PLACEHOLDER_MODEL = {"id": "shortlist-candidate"}

# The facts shown side by side for each candidate.
KEY_FACTS = (
    "weights",
    "parameters_b",
    "context_window",
    "max_output_tokens",
    "knowledge_cutoff",
    "release_date",
    "price_input_per_mtok_usd",
    "price_output_per_mtok_usd",
    "modalities",
)


class Candidate(NamedTuple):
    """One catalog model evaluated for the use case (a NamedTuple: 10,000 are made per shortlist)."""

    model: dict[str, Any]
    report: UseCaseReport | None  # None for a model excluded by the fast path (no full report needed)
    monthly_cost_usd: float | None
    blocking: Finding | None = None

    @property
    def id(self) -> str:
        return str(self.model["id"])

    @property
    def verdict(self) -> Verdict:
        return Verdict.BLOCKED if self.report is None else self.report.verdict

    def to_act_on(self) -> list[Finding]:
        findings = self.report.findings if self.report is not None else ()
        return [f for f in findings if f.counts and f.outcome is not Outcome.INFO]

    def reason(self) -> Finding:
        """The finding that excludes the model: its first unwaived violation."""
        if self.blocking is not None:
            return self.blocking
        return next(f for f in self.to_act_on() if f.outcome is Outcome.VIOLATION)


@dataclass(frozen=True)
class Shortlist:
    """The ranked models that fit, and every excluded model with its reason."""

    usecase: UseCase
    ranked: tuple[Candidate, ...]
    excluded: tuple[Candidate, ...]
    catalog_size: int
    top: int | None = None

    @property
    def shown(self) -> tuple[Candidate, ...]:
        return self.ranked if self.top is None else self.ranked[: self.top]


def parse_selection_usecase(doc: Document) -> UseCase:
    """A use case for model selection: like any use case, but `model` may be left out."""
    if isinstance(doc.data, dict) and "model" not in doc.data:
        probe = Document(doc.name, {**doc.data, "model": dict(_PLACEHOLDER_MODEL)}, doc.marks)
        parsed = parse_usecase(probe)
        return UseCase(parsed.name, parsed.file, parsed.data, probe)
    return parse_usecase(doc)


def candidate_model(entry: dict[str, Any], given: dict[str, Any], license_id: str) -> dict[str, Any]:
    """A catalog entry as the engine sees it, with the use case's derivation facts on top."""
    model = dict(entry)  # catalog entries carry every fact key already (null when unknown)
    model.setdefault("name", model["id"])
    model["license_declared"] = model["license"]
    model["license"] = license_id
    for key in DERIVATION_KEYS:
        if key in given:
            model[key] = given[key]
    return model


@dataclass(frozen=True)
class _FastRule:
    """A violation rule with its condition reduced to the tests that depend on the model."""

    rule: Rule
    when: Condition | bool


def _violation_rules(ruleset: RuleSet, license_id: str, usecase_facts: Facts) -> list[_FastRule]:
    """The violation rules that can hold for a licence's models, in the order a report lists them.

    Tests on use-case facts are decided once here; a rule that cannot become true for any
    model (a requirement not given, or a use-case fact unknown) is left out.
    """
    fast = []
    for pack in ruleset.packs_for([license_id]):
        for rule in pack.rules:
            if rule.outcome is Outcome.VIOLATION:
                when = _specialise(rule.when, usecase_facts)
                if when is not None and when is not False:
                    fast.append(_FastRule(rule, when))
    # Sorted as a report sorts findings, so the first that holds is the reason a full run gives.
    return sorted(fast, key=lambda f: (SEVERITY_ORDER[f.rule.severity], f.rule.id))


def _decided_false(ruleset: RuleSet, license_id: str, usecase_facts: Facts) -> frozenset[str]:
    """Rules of a licence's models that the use case alone makes false, whatever the model.

    Only a definite False counts: a rule that is unknown for lack of a use-case fact still
    yields its needs-review finding in the full report.
    """
    return frozenset(
        rule.id
        for pack in ruleset.packs_for([license_id])
        for rule in pack.rules
        if _specialise(rule.when, usecase_facts) is False
    )


def _model_dependent(path: str) -> bool:
    if path.startswith("model."):
        return True
    return path in DERIVED and any(_model_dependent(p) for p in DERIVED[path].inputs)


def _specialise(cond: Condition, usecase_facts: Facts, negated: bool = False) -> Condition | bool | None:
    """`cond` with model-independent tests decided: True, False, None (can never be true) or a condition.

    The residue is only ever asked "is it true?", so an unknown part of an `any` may be dropped,
    except under a `not` (`negated`), where any(unknown, x) with x false must stay unknown.
    """
    if isinstance(cond, Test):
        if _model_dependent(cond.fact) or (cond.arg_fact is not None and _model_dependent(cond.arg_fact)):
            return cond
        return evaluate_condition(cond, Lookup(usecase_facts.get))
    if isinstance(cond, Not):
        part = _specialise(cond.part, usecase_facts, not negated)
        return (not part) if isinstance(part, bool) else None if part is None else Not(part)
    parts: list[Condition] = []
    if isinstance(cond, All):
        for sub in cond.parts:
            done = _specialise(sub, usecase_facts, negated)
            if done is False or done is None:  # all() is true only if every part is
                return done
            if done is not True:
                parts.append(done)
        return All(tuple(parts)) if parts else True
    assert isinstance(cond, AnyOf)
    unknown = False
    for sub in cond.parts:
        done = _specialise(sub, usecase_facts, negated)
        if done is True:
            return True
        unknown = unknown or done is None
        if isinstance(done, (Test, All, AnyOf, Not)):
            parts.append(done)
    if unknown and (negated or not parts):
        return None
    return AnyOf(tuple(parts)) if parts else False


def _first_violation(rules: list[_FastRule], facts: Facts) -> Rule | None:
    lookup = Lookup(facts.get)  # one per model: only the truth value matters here, not the evidence
    for fast in rules:
        if fast.when is True or evaluate_condition(fast.when, lookup) is True:  # type: ignore[arg-type]
            return fast.rule
    return None


def _blocking_finding(rule: Rule, facts: Facts, memo: dict[tuple[str, str, str], Finding]) -> Finding:
    """The reason line of an excluded model: what a full report would say first, without the evidence.

    Many excluded models share their reason word for word; they share one (frozen) Finding.
    """
    message, remedy = render_message(rule.message, facts), render_message(rule.remedy, facts)
    key = (rule.id, message, remedy)
    if key not in memo:
        memo[key] = finding_of(rule, message, remedy)
    return memo[key]


def rank_key(candidate: Candidate) -> tuple[Any, ...]:
    cost = candidate.monthly_cost_usd
    return (
        candidate.verdict.rank,
        cost is None,
        cost if cost is not None else 0.0,
        len(candidate.to_act_on()),
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
    given = usecase.data.get("model", {})
    base = Facts(usecase.data, {})
    violation_rules: dict[str, list[_FastRule]] = {}
    reasons: dict[tuple[str, str, str], Finding] = {}
    decided_false: dict[str, frozenset[str]] = {}
    candidates: list[Candidate] = []
    for entry in catalog.models:
        license_id = ruleset.resolve_license(entry["license"])
        if license_id is None:
            known = sorted(set(ruleset.license_ids.values()))
            raise catalog.error_at(
                entry["id"],
                "license",
                f"unknown licence '{entry['license']}' of model '{entry['id']}'",
                did_you_mean(entry["license"], known)
                or "add a rule pack for it, or see `licensecheck rules list`",
            )
        model = candidate_model(entry, given, license_id)
        facts = base.with_model(model)
        if not waivers:
            # Fast path: one violation excludes a model, so look only for that first; the full
            # report is built for the models that pass. (A waiver may lift a violation: then full.)
            if license_id not in violation_rules:
                violation_rules[license_id] = _violation_rules(ruleset, license_id, base)
            blocking = _first_violation(violation_rules[license_id], facts)
            if blocking is not None:
                candidates.append(Candidate(model, None, None, _blocking_finding(blocking, facts, reasons)))
                continue
        if license_id not in decided_false:
            decided_false[license_id] = _decided_false(ruleset, license_id, base)
        report = evaluate(usecase, model, ruleset, waivers, as_of, base, decided_false[license_id])
        candidates.append(Candidate(model, report, facts.get("derived.monthly_cost_usd")))
    ranked = sorted((c for c in candidates if c.verdict is not Verdict.BLOCKED), key=rank_key)
    excluded = sorted((c for c in candidates if c.verdict is Verdict.BLOCKED), key=lambda c: c.id)
    return Shortlist(usecase, tuple(ranked), tuple(excluded), len(catalog.models), top)


# ------------------------------------------------------------------------------ rendering


def show(value: Any) -> str:
    """A fact for people: unknown (null) facts say so, never 0."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "none"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def money(value: float | None) -> str:
    return "unknown" if value is None else f"${value:,.2f}"


def reason_line(candidate: Candidate) -> str:
    finding = candidate.reason()
    return f"{finding.rule} ({finding.license} {finding.clause}): {finding.message}"


def _rows(shortlist: Shortlist) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for rank, c in enumerate(shortlist.shown, 1):
        m = c.model
        rows.append(
            (
                str(rank),
                c.id,
                c.verdict.value,
                money(c.monthly_cost_usd),
                str(m["license"]),
                show(m["weights"]),
                show(m["parameters_b"]),
                show(m["context_window"]),
                show(m["max_output_tokens"]),
                show(m["knowledge_cutoff"]),
                show(m["release_date"]),
            )
        )
    return rows


HEADER = (
    "RANK",
    "MODEL",
    "VERDICT",
    "EST. $/MONTH",
    "LICENCE",
    "WEIGHTS",
    "PARAMS (B)",
    "CONTEXT",
    "MAX OUT",
    "CUTOFF",
    "RELEASED",
)


def table(rows: list[tuple[str, ...]]) -> str:
    """Aligned columns for a terminal; every cell is cleaned to one line (cells quote catalogs)."""
    rows = [tuple(terminal(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def _summary(shortlist: Shortlist) -> str:
    n = len(shortlist.ranked)
    shown = len(shortlist.shown)
    top = f", top {shown} shown" if shown < n else ""
    return f"{n} of {shortlist.catalog_size} catalog models fit{top}; {len(shortlist.excluded)} excluded"


def render_text(shortlist: Shortlist) -> str:
    uc = shortlist.usecase
    out = [f"SHORTLIST  {terminal(uc.name)}", f"  file: {terminal(uc.file)}", f"  {_summary(shortlist)}", ""]
    if shortlist.shown:
        out += [table([HEADER, *_rows(shortlist)]), ""]
        out.append("Findings to act on:")
        for rank, c in enumerate(shortlist.shown, 1):
            todo = c.to_act_on()
            listed = ", ".join(f"{f.rule} [{f.outcome.value}]" for f in todo) or "none"
            out.append(f"  {rank}. {terminal(c.id)}: {terminal(listed)}")
        out.append("")
    else:
        out += ["No catalog model fits this use case.", ""]
    out.append(f"Excluded ({len(shortlist.excluded)}):")
    for c in shortlist.excluded:
        out.append(f"  - {terminal(c.id)}: {terminal(reason_line(c))}")
    out.append("")
    out.append(
        "Ranked by verdict, then estimated monthly API cost (unknown last), then fewer findings, then id."
    )
    return "\n".join(out) + "\n"


def render_markdown(shortlist: Shortlist) -> str:
    uc = shortlist.usecase
    out = [
        f"# Shortlist: {markdown(uc.name)}",
        "",
        f"{markdown_code(uc.file)}: {markdown(_summary(shortlist))}.",
        "",
    ]
    if shortlist.shown:
        out.append("| " + " | ".join(HEADER) + " |")
        out.append("|" + "---|" * len(HEADER))
        for row in _rows(shortlist):
            out.append("| " + " | ".join(markdown(c) for c in row) + " |")
    else:
        out.append("No catalog model fits this use case.")
    out += ["", f"## Excluded ({len(shortlist.excluded)})", ""]
    for c in shortlist.excluded:
        out.append(f"- {markdown_code(c.id)}: {markdown(reason_line(c))}")
    out += [
        "",
        "Ranked by verdict, then estimated monthly API cost (unknown last), then fewer findings, then id.",
    ]
    return "\n".join(out) + "\n"


def to_json(shortlist: Shortlist, version: str) -> dict[str, Any]:
    def finding(f: Finding) -> dict[str, Any]:
        return {
            "rule": f.rule,
            "category": f.category,
            "outcome": f.outcome.value,
            "license": f.license,
            "clause": f.clause,
            "message": f.message,
        }

    return {
        "report_format": 1,
        "licensecheck_version": version,
        "usecase": {"name": shortlist.usecase.name, "file": shortlist.usecase.file},
        "catalog_size": shortlist.catalog_size,
        "shortlist": [
            {
                "rank": rank,
                "model": {"id": c.id, "name": c.model.get("name"), "license": c.model["license"]},
                "verdict": c.verdict.value,
                "monthly_cost_usd": c.monthly_cost_usd,
                "facts": {k: c.model.get(k) for k in KEY_FACTS},
                "findings": [finding(f) for f in c.to_act_on()],
            }
            for rank, c in enumerate(shortlist.shown, 1)
        ],
        "excluded": [
            {
                "model": {"id": c.id, "name": c.model.get("name"), "license": c.model["license"]},
                "verdict": c.verdict.value,
                "reason": finding(c.reason()),
            }
            for c in shortlist.excluded
        ],
    }


def render(shortlist: Shortlist, fmt: str, version: str) -> str:
    if fmt == "json":
        return json_dumps(to_json(shortlist, version)) + "\n"
    if fmt == "markdown":
        return render_markdown(shortlist)
    return render_text(shortlist)
