"""GitHub Actions workflow-command annotations (`::error file=...,line=...::`), most important first.

Waived findings are notices naming who waived them until when, after the obligations.

GitHub shows at most 10 annotations per level per step; the rest are dropped silently, so we
emit the 10 most important per level and one notice saying how many more there are.
Escaping follows actions/toolkit `packages/core/src/command.ts`.
"""

from __future__ import annotations

from licensecheck.model import OUTCOME_ORDER, SEVERITY_ORDER, Finding, Outcome, Report, UseCaseReport, Waiver
from licensecheck.text import plain, plural, terminal

PER_LEVEL_LIMIT = 10
_LEVELS = {Outcome.VIOLATION: "error", Outcome.REVIEW: "warning", Outcome.OBLIGATION: "notice"}


def escape_data(value: str) -> str:
    """The message part: `%`, CR and LF escaped, then other control characters dropped (no ANSI
    injection into the log) and hidden characters shown (licensecheck.text)."""
    return plain(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(value: str) -> str:
    """A property value: like data, plus `:` and `,` (they delimit properties)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: str | int) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{level} {props}::{escape_data(message)}" if props else f"::{level}::{escape_data(message)}"


def _annotation(report: UseCaseReport, finding: Finding) -> str:
    line, col = finding.location or (1, 1)
    message = f"{finding.message}\n{finding.license} {finding.clause}: {finding.source}"
    if finding.remedy:
        message += f"\nRemedy: {finding.remedy}"
    if finding.waiver_note:
        message += f"\n{finding.waiver_note}"
    title = f"{finding.rule}: {finding.title} ({report.name})"
    return command(_LEVELS[finding.outcome], message, file=report.file, line=line, col=col, title=title)


def _waived(report: UseCaseReport, finding: Finding) -> str:
    """A waived finding is still announced, as a notice: who waived it, until when, and why."""
    line, col = finding.location or (1, 1)
    waiver = finding.waiver
    assert waiver is not None
    message = (
        f"Waived by {waiver.approved_by} until {waiver.expires} (waiver {waiver.origin}): {waiver.reason}\n"
        f"{finding.outcome.value}: {finding.message}\n{finding.license} {finding.clause}: {finding.source}"
    )
    title = f"{finding.rule}: {finding.title} ({report.name}), waived"
    return command("notice", message, file=report.file, line=line, col=col, title=title)


def _stale(waiver: Waiver) -> str:
    message = f"Waiver for '{waiver.rule}' matches no finding: remove it, or fix its rule, scope or version."
    return command("warning", message, file=waiver.file, line=waiver.line or 1, title="stale waiver")


class GithubFormat:
    """GitHub Actions workflow-command annotations."""

    name = "github"

    def render(self, report: Report) -> str:
        return render(report)


def level_annotations(report: Report) -> dict[str, list[str]]:
    """Every annotation of a report by level, most important first (before GitHub's limit)."""
    ranked = sorted(
        (
            (OUTCOME_ORDER[f.outcome], -r.verdict.rank, SEVERITY_ORDER[f.severity], i, f.rule, r, f)
            for i, r in enumerate(report.reports)
            for f in r.findings
            if f.counts and f.outcome in _LEVELS
        ),
        key=lambda item: item[:5],
    )
    by_level: dict[str, list[str]] = {"error": [], "warning": [], "notice": []}
    for *_, usecase, finding in ranked:
        by_level[_LEVELS[finding.outcome]].append(_annotation(usecase, finding))
    stale = [w for r in report.reports for w in r.stale_waivers] + list(report.stale_waivers)
    by_level["warning"].extend(_stale(w) for w in stale)
    by_level["notice"].extend(
        _waived(r, f)
        for r in report.reports
        for f in sorted(r.findings, key=Finding.sort_key)
        if f.waived and f.waiver is not None and f.outcome in _LEVELS
    )
    return by_level


def limited(
    by_level: dict[str, list[str]], what: str = "finding", see: str = "SARIF or Markdown"
) -> list[str]:
    """The annotations GitHub will show: 10 per level, and a notice counting the rest."""
    # The "N more" notice takes one of the notice slots when anything is cut.
    over = sum(max(0, len(items) - PER_LEVEL_LIMIT) for items in by_level.values())
    notice_room = PER_LEVEL_LIMIT - 1 if over else PER_LEVEL_LIMIT
    kept = {
        "error": by_level["error"][:PER_LEVEL_LIMIT],
        "warning": by_level["warning"][:PER_LEVEL_LIMIT],
        "notice": by_level["notice"][:notice_room],
    }
    hidden = sum(len(by_level[level]) - len(kept[level]) for level in by_level)
    lines = kept["error"] + kept["warning"] + kept["notice"]
    if hidden:
        lines.append(
            command(
                "notice",
                f"{plural(hidden, f'more licensecheck {what}')} not shown (GitHub shows 10 annotations "
                f"per level per step): see the {see} report.",
            )
        )
    return lines


def log_line(text: str) -> str:
    """A plain log line; a name with a line break must not start a workflow command of its own."""
    return terminal(text)


def render(report: Report, color: bool = False) -> str:
    lines = limited(level_annotations(report))
    tally = log_line(", ".join(f"{r.verdict.value}: {r.name} ({r.file})" for r in report.reports))
    lines.append(
        f"licensecheck: {len(report.reports)} use case(s), worst verdict {report.worst.value}. {tally}"
    )
    return "\n".join(lines) + "\n"
