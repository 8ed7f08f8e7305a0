"""GitHub Actions annotations: an error at each line of code using a model without a use case
(with --require-usecase), warnings for probable copies and unresolved references, then the use
cases' own findings; GitHub's 10 per level per step, most important first, and a count of the rest.
"""

from __future__ import annotations

from licensecheck.formats import github as evaluate_github
from licensecheck.model import OUTCOME_ORDER, SEVERITY_ORDER
from licensecheck.scan.formats.sarif import _message, _rule_of
from licensecheck.scan.formats.view import counts, gate_sentence
from licensecheck.scan.model import ScanReport

NAME = "github"
_RANK = {"error": 0, "warning": 1, "notice": 2}


def render(report: ScanReport, color: bool = False) -> str:
    by_level: dict[str, list[str]] = {"error": [], "warning": [], "notice": []}
    for entry in report.entries:
        rule = _rule_of(entry)
        if rule is None:
            continue
        level = "error" if rule == "SCAN-NO-USECASE" and report.require_usecase else "warning"
        loc = entry.reference.location
        title = {
            "SCAN-NO-USECASE": "model without a use case",
            "SCAN-PROBABLE-COPY": "probable copy of a catalog model",
            "SCAN-UNRESOLVED": "model known only at run time",
        }[rule]
        by_level[level].append(
            evaluate_github.command(
                level,
                _message(entry, rule),
                file=loc.path,
                line=loc.line,
                col=loc.col,
                title=f"{rule}: {title}",
            )
        )
    for diagnostic in report.diagnostics:
        loc = diagnostic.location
        by_level["notice"].append(
            evaluate_github.command(
                "notice",
                diagnostic.message,
                file=loc.path,
                line=loc.line,
                col=loc.col,
                title="file not scanned",
            )
        )
    if report.evaluation is not None:
        ranked = sorted(
            (
                (OUTCOME_ORDER[f.outcome], -r.verdict.rank, SEVERITY_ORDER[f.severity], i, f.rule, r, f)
                for i, r in enumerate(report.evaluation.reports)
                for f in r.findings
                if f.counts and f.outcome in evaluate_github._LEVELS
            ),
            key=lambda item: item[:5],
        )
        for *_, usecase, finding in ranked:
            by_level[evaluate_github._LEVELS[finding.outcome]].append(
                evaluate_github._annotation(usecase, finding)
            )
        stale = [w for r in report.evaluation.reports for w in r.stale_waivers] + list(
            report.evaluation.stale_waivers
        )
        by_level["warning"].extend(evaluate_github._stale(w) for w in stale)
    limit = evaluate_github.PER_LEVEL_LIMIT
    over = sum(max(0, len(items) - limit) for items in by_level.values())
    room = {"error": limit, "warning": limit, "notice": limit - 1 if over else limit}
    lines: list[str] = []
    hidden = 0
    for level in sorted(by_level, key=_RANK.__getitem__):
        lines.extend(by_level[level][: room[level]])
        hidden += max(0, len(by_level[level]) - room[level])
    if hidden:
        lines.append(
            evaluate_github.command(
                "notice",
                f"{hidden} more licensecheck annotations not shown (GitHub shows 10 per level per step): "
                "see the SARIF or JSON report.",
            )
        )
    tally = counts(report)
    summary = (
        f"licensecheck scan: {tally['references']} model references in {tally['files']} files, "
        f"{tally['uncovered']} without a use case, {tally['unresolved']} unresolved; {gate_sentence(report)}"
    )
    # a plain log line: a name with a line break must not start a workflow command of its own
    lines.append(evaluate_github._CONTROL.sub("", summary.replace("\r", " ").replace("\n", " ")))
    return "\n".join(lines) + "\n"
