"""Model selection: evaluate one use case against every catalog model and rank the ones that fit.

Ranking (documented in README): verdict first (allowed, allowed-with-obligations,
needs-review), then estimated monthly API cost (cheapest first, unknown cost after every known
one), then the number of findings to act on (fewer first), then the catalog id (alphabetical),
so the order is total and the output deterministic. A model is excluded when its verdict is
blocked; the reason shown is its first violation (rule id, licence or constraint clause, message).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from licensecheck.catalog import Catalog
from licensecheck.document import Document
from licensecheck.engine import evaluate, first_violation
from licensecheck.errors import did_you_mean
from licensecheck.facts import Facts
from licensecheck.model import (
    CatalogEntry,
    Finding,
    ModelFacts,
    Outcome,
    RuleSet,
    UseCase,
    UseCaseReport,
    Verdict,
    Waiver,
)
from licensecheck.resolve import DERIVATION_KEYS, from_catalog, overlay
from licensecheck.usecase import parse_usecase

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

    model: ModelFacts
    report: UseCaseReport | None  # None for a model excluded by the fast path (no full report needed)
    monthly_cost_usd: float | None
    blocking: Finding | None = None

    @property
    def id(self) -> str:
        return str(self.model.id)

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
        return parse_usecase(doc.with_data({**doc.data, "model": dict(_PLACEHOLDER_MODEL)}))
    return parse_usecase(doc)


def candidate_model(entry: CatalogEntry, given: Mapping[str, Any], license_id: str) -> ModelFacts:
    """A catalog entry as the engine sees it, with the use case's derivation facts on top."""
    derivation = {key: given[key] for key in DERIVATION_KEYS if key in given}
    model = overlay(from_catalog(entry), derivation)
    return model._replace(license=license_id, license_declared=entry.license)


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
    prepared = ruleset.prepare(usecase)  # the use case's own tests, decided once for every model
    candidates: list[Candidate] = []
    for entry in catalog.models:
        license_id = ruleset.licenses.canonical(entry.license or "")
        if license_id is None:
            raise catalog.error_at(
                entry.id,
                "license",
                f"unknown licence '{entry.license}' of model '{entry.id}'",
                did_you_mean(entry.license or "", ruleset.licenses.ids())
                or "add a rule pack for it, or see `licensecheck rules list`",
            )
        model = candidate_model(entry, given, license_id)
        if not waivers:
            # One violation excludes a model, so look for that first; the full report is built
            # for the models that pass. (A waiver may lift a violation: then always the full one.)
            blocking = first_violation(usecase, model, prepared)
            if blocking is not None:
                candidates.append(Candidate(model, None, None, blocking))
                continue
        report = evaluate(usecase, model, prepared, waivers, as_of)
        cost = Facts(usecase.values, model).get("derived.monthly_cost_usd")
        candidates.append(Candidate(model, report, cost))
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
    if isinstance(value, (list, tuple)):
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
                str(m.license),
                show(m.weights),
                show(m.parameters_b),
                show(m.context_window),
                show(m.max_output_tokens),
                show(m.knowledge_cutoff),
                show(m.release_date),
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
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def _summary(shortlist: Shortlist) -> str:
    n = len(shortlist.ranked)
    shown = len(shortlist.shown)
    top = f", top {shown} shown" if shown < n else ""
    return f"{n} of {shortlist.catalog_size} catalog models fit{top}; {len(shortlist.excluded)} excluded"


def render_text(shortlist: Shortlist) -> str:
    uc = shortlist.usecase
    out = [f"SHORTLIST  {uc.name}", f"  file: {uc.file}", f"  {_summary(shortlist)}", ""]
    if shortlist.shown:
        out += [table([HEADER, *_rows(shortlist)]), ""]
        out.append("Findings to act on:")
        for rank, c in enumerate(shortlist.shown, 1):
            todo = c.to_act_on()
            listed = ", ".join(f"{f.rule} [{f.outcome.value}]" for f in todo) or "none"
            out.append(f"  {rank}. {c.id}: {listed}")
        out.append("")
    else:
        out += ["No catalog model fits this use case.", ""]
    out.append(f"Excluded ({len(shortlist.excluded)}):")
    for c in shortlist.excluded:
        out.append(f"  - {c.id}: {reason_line(c)}")
    out.append("")
    out.append(
        "Ranked by verdict, then estimated monthly API cost (unknown last), then fewer findings, then id."
    )
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(shortlist: Shortlist) -> str:
    uc = shortlist.usecase
    out = [f"# Shortlist: {_md(uc.name)}", "", f"`{uc.file}`: {_summary(shortlist)}.", ""]
    if shortlist.shown:
        out.append("| " + " | ".join(HEADER) + " |")
        out.append("|" + "---|" * len(HEADER))
        for row in _rows(shortlist):
            out.append("| " + " | ".join(_md(c) for c in row) + " |")
    else:
        out.append("No catalog model fits this use case.")
    out += ["", f"## Excluded ({len(shortlist.excluded)})", ""]
    for c in shortlist.excluded:
        out.append(f"- `{c.id}`: {_md(reason_line(c))}")
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
                "model": {"id": c.id, "name": c.model.name, "license": c.model.license},
                "verdict": c.verdict.value,
                "monthly_cost_usd": c.monthly_cost_usd,
                "facts": {k: getattr(c.model, k) for k in KEY_FACTS},
                "findings": [finding(f) for f in c.to_act_on()],
            }
            for rank, c in enumerate(shortlist.shown, 1)
        ],
        "excluded": [
            {
                "model": {"id": c.id, "name": c.model.name, "license": c.model.license},
                "verdict": c.verdict.value,
                "reason": finding(c.reason()),
            }
            for c in shortlist.excluded
        ],
    }


def render(shortlist: Shortlist, fmt: str, version: str) -> str:
    if fmt == "json":
        import json

        return json.dumps(to_json(shortlist, version), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(shortlist)
    return render_text(shortlist)
