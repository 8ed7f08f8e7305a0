"""The engine: a pure function from a use case, its model, rule packs and waivers to a Report.

It never prints, exits or reads files, so a library user can call `evaluate` directly.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from typing import Any

from licensecheck.conditions import Lookup
from licensecheck.conditions import evaluate as evaluate_condition
from licensecheck.facts import DERIVED, Facts
from licensecheck.model import (
    Finding,
    ModelSummary,
    Outcome,
    PackUse,
    Severity,
    UseCaseReport,
    Waiver,
    verdict_of,
)
from licensecheck.packs import PLACEHOLDER, Pack, Rule, RuleSet
from licensecheck.usecase import UseCase

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
    model: dict[str, Any],
    ruleset: RuleSet,
    waivers: tuple[Waiver, ...] = (),
    as_of: str = "",
    base: Facts | None = None,
    decided_false: frozenset[str] = frozenset(),
) -> UseCaseReport:
    """Evaluate one use case against its resolved model; deterministic for the same input.

    `base` may carry the use case's facts already flattened (Facts(usecase.data, {})), so that
    evaluating one use case against many models (shortlist) flattens it once; `decided_false`
    names rules whose condition the use case alone makes false for any model (they are listed
    as evaluated, without evaluating them again).
    """
    licenses = [model["license"]] if model.get("license") else []
    # A card listing several licences: each applies.
    licenses += [lic for lic in model.get("licenses") or () if lic not in licenses]
    # Every upstream licence's rules apply to a derived model (licence terms travel with it).
    licenses += [lic for lic in model.get("lineage_licenses") or () if lic not in licenses]
    packs = ruleset.packs_for(licenses)
    model = dict(model, **acceptance_facts(packs, usecase.data, ruleset))
    facts = base.with_model(model) if base is not None else Facts(usecase.data, model)
    inherited = inherited_from(model)
    findings: list[Finding] = []
    evaluated: list[str] = []
    for pack in packs:
        for rule in pack.rules:
            evaluated.append(rule.id)
            if rule.id in decided_false:
                continue
            finding = check_rule(rule, facts, usecase)
            if finding is not None:
                if pack.license in inherited:
                    evidence = tuple(sorted(finding.evidence + (("lineage", inherited[pack.license]),)))
                    finding = _replace(finding, evidence=evidence)
                findings.append(finding)
    findings, stale = apply_waivers(findings, waivers, usecase, model, packs, as_of)
    findings.sort(key=Finding.sort_key)
    summary = ModelSummary(
        id=model.get("id"),
        name=model.get("name"),
        license=model.get("license"),
        facts=tuple((k, model.get(k)) for k in SUMMARY_FACTS),
        license_declared=model.get("license_declared"),
    )
    return UseCaseReport(
        name=usecase.name,
        file=usecase.file,
        model=summary,
        verdict=verdict_of(findings),
        findings=tuple(findings),
        packs=tuple(PackUse(p.id, p.name, p.version, p.digest, p.source) for p in packs),
        rules_evaluated=tuple(evaluated),
        usecase=usecase.data,
        stale_waivers=tuple(stale),
        lineage=tuple(model.get("lineage") or ()),
    )


def inherited_from(model: dict[str, Any]) -> dict[str, str]:
    """Upstream licence -> how the model inherits it ("inherited from X via fine-tune"), nearest first."""
    own = model.get("license")
    out: dict[str, str] = {}
    for link in model.get("lineage") or ():
        if link.depth == 0 or not link.license or link.license == own or link.license in out:
            continue
        via = f" via {link.relation}" if link.relation else ""
        through = f" (base of {link.derived})" if link.depth > 1 else ""
        out[link.license] = f"inherited from {link.model}{through}{via}"
    return out


def acceptance_facts(packs: list[Pack], usecase: dict[str, Any], ruleset: RuleSet) -> dict[str, Any]:
    """Gated licences (pack `gated: true`) with and without an acceptance record of that exact licence.

    A record counts only for the licence it names (aliases of the same licence resolve to it);
    acceptance of another version (llama3 for llama3.1) does not count.
    """
    gated = sorted({p.license for p in packs if p.gated and p.license})
    records = (usecase.get("organization") or {}).get("accepted_terms") or []
    accepted: list[str] = []
    unaccepted: list[str] = []
    for lic in gated:
        match = next((r for r in records if ruleset.resolve_license(r["license"]) == lic), None)
        if match is None:
            unaccepted.append(lic)
            continue
        when = f" on {match['accepted_on']}" if match.get("accepted_on") else ""
        who = f" by {match['by']}" if match.get("by") else ""
        accepted.append(f"{lic} (accepted{when}{who})")
    return {
        "gated_licenses": gated or None,
        "terms_accepted": accepted or None,
        "terms_unaccepted": unaccepted or None,
    }


def check_rule(rule: Rule, facts: Facts, usecase: UseCase | None = None) -> Finding | None:
    """The finding of one rule, a needs-review finding if it cannot be decided, or None."""
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
    return finding_of(
        rule,
        render_message(rule.message, facts),
        render_message(rule.remedy, facts),
        evidence=evidence,
        location=_location(usecase, [], evidence),
    )


def finding_of(rule: Rule, message: str, remedy: str, **details: Any) -> Finding:
    """A finding of `rule` with its citation (licence, clause, source, required text) filled in.

    The outcome and severity are the rule's unless `details` overrides them (a rule that cannot
    be decided is a review whatever its own outcome).
    """
    details.setdefault("outcome", rule.outcome)
    details.setdefault("severity", rule.severity)
    return Finding(
        rule=rule.id,
        category=rule.category,
        title=rule.title,
        message=message,
        remedy=remedy,
        license=rule.license,
        clause=rule.clause,
        source=rule.source,
        text=rule.text,
        quote=rule.quote,
        **details,
    )


def _evidence(lookup: Lookup, facts: Facts) -> tuple[tuple[str, Any], ...]:
    shown: dict[str, Any] = {}
    for path, value in lookup.used.items():
        if path in DERIVED:
            for source in DERIVED[path].inputs:
                source_value = facts.get(source)
                if source_value is not None:
                    shown.setdefault(source, source_value)
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


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}" if not value.is_integer() else f"{int(value):,}"
    if isinstance(value, list):
        return ", ".join(_format_value(v) for v in value)
    if isinstance(value, dict) and "matched" in value:
        return ", ".join(f"'{m}'" for m in value["matched"])
    return str(value)


def render_message(template: str, facts: Facts) -> str:
    """Replace {fact.path} placeholders by fact values; nothing else is interpreted."""

    def fill(match: re.Match[str]) -> str:
        value = facts.get(match.group(1))
        return "(not given)" if value is None else _format_value(value)

    return PLACEHOLDER.sub(fill, template) if "{" in template else template


def waiver_in_scope(waiver: Waiver, usecase: UseCase, model: dict[str, Any]) -> bool:
    """Whether a waiver's optional `usecase` / `model` scope covers this use case and model."""
    if waiver.usecase is not None and waiver.usecase != usecase.name:
        return False
    if waiver.model is None:
        return True
    # The catalog id or the id the use case wrote (a Hugging Face repo id is an alias).
    given = usecase.data.get("model", {}).get("id")
    names = {str(n).casefold() for n in (model.get("id"), given) if n}
    return waiver.model.casefold() in names


def apply_waivers(
    findings: list[Finding],
    waivers: tuple[Waiver, ...],
    usecase: UseCase,
    model: dict[str, Any],
    packs: list[Pack],
    as_of: str,
) -> tuple[list[Finding], list[Waiver]]:
    """Mark findings covered by a waiver; return them and the in-scope waivers that match none.

    An expired waiver, or one approved for another licence version than the rule pack in use,
    matches (so it is not stale) but does not apply: the finding keeps counting and says why.
    """
    if not waivers:
        return findings, []
    versions = {p.license or p.id: p.version for p in packs}
    scoped = [w for w in waivers if waiver_in_scope(w, usecase, model)]
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
            _replace(
                finding, waived=status == "applied", waiver=chosen, waiver_status=status, waiver_note=note
            )
        )
    stale = [w for i, w in enumerate(scoped) if i not in used]
    return out, stale


def _replace(finding: Finding, **changes: Any) -> Finding:
    from dataclasses import replace

    return replace(finding, **changes)
