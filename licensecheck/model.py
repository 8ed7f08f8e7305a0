"""The frozen domain objects every part shares: outcomes, verdicts, findings and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


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


@dataclass(frozen=True)
class Waiver:
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

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "reason": self.reason,
            "approved_by": self.approved_by,
            "expires": self.expires,
        }
        for key in ("usecase", "model", "license_version"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class Finding:
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

    @property
    def counts(self) -> bool:
        """Whether the finding counts for the verdict (not covered by a valid waiver)."""
        return not self.waived

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.waived,
            OUTCOME_ORDER[self.outcome],
            SEVERITY_ORDER[self.severity],
            self.rule,
            self.message,
        )


@dataclass(frozen=True)
class ModelSummary:
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


@dataclass(frozen=True)
class PackUse:
    """A rule pack that took part in an evaluation, for the record."""

    id: str
    name: str
    version: str
    digest: str
    source: str


@dataclass(frozen=True)
class LineageLink:
    """One model in a lineage chain: the evaluated model (depth 0) or a base it derives from."""

    model: str
    name: str | None
    license: str | None  # canonical licence id; None when not given or not recognised
    depth: int
    derived: str | None = None  # the model derived from this one (None for the evaluated model)
    relation: str | None = None  # how `derived` derives from this one: fine-tune, adapter, merge, ...
    source: str = "catalog"  # catalog | folder | inline | unresolved
    license_declared: str | None = None  # the licence as written (card or file), before resolution

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "name": self.name,
            "license": self.license,
            "license_declared": self.license_declared,
            "depth": self.depth,
            "derived": self.derived,
            "relation": self.relation,
            "source": self.source,
        }


@dataclass(frozen=True)
class UseCaseReport:
    """The evaluation of one use case against one model."""

    name: str
    file: str
    model: ModelSummary
    verdict: Verdict
    findings: tuple[Finding, ...]
    packs: tuple[PackUse, ...] = ()
    rules_evaluated: tuple[str, ...] = ()
    usecase: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    stale_waivers: tuple[Waiver, ...] = ()
    lineage: tuple[LineageLink, ...] = ()  # the model and its bases, empty for a model without bases


@dataclass(frozen=True)
class Report:
    """A whole run: one report per use case."""

    reports: tuple[UseCaseReport, ...]
    licensecheck_version: str
    as_of: str
    # shared (--waivers) waivers that match no finding of any use case in this run
    stale_waivers: tuple[Waiver, ...] = ()

    @property
    def worst(self) -> Verdict:
        if not self.reports:
            return Verdict.ALLOWED
        return max((r.verdict for r in self.reports), key=lambda v: v.rank)


def verdict_of(findings: tuple[Finding, ...] | list[Finding]) -> Verdict:
    """SPEC section 3: blocked > needs-review > allowed-with-obligations > allowed, unwaived only."""
    outcomes = {f.outcome for f in findings if f.counts}
    if Outcome.VIOLATION in outcomes:
        return Verdict.BLOCKED
    if Outcome.REVIEW in outcomes:
        return Verdict.NEEDS_REVIEW
    if Outcome.OBLIGATION in outcomes:
        return Verdict.ALLOWED_WITH_OBLIGATIONS
    return Verdict.ALLOWED
