"""GitHub Actions workflow-command annotations (`::error file=...,line=...::`), most important first.

Waived findings are notices naming who waived them until when, after the obligations.

GitHub shows at most 10 annotations per level per step; the rest are dropped silently, so we
emit the 10 most important per level and one notice saying how many more there are.
Escaping follows actions/toolkit `packages/core/src/command.ts`.
"""

from __future__ import annotations

import re

from licensecheck.formats.view import plural
from licensecheck.model import OUTCOME_ORDER, SEVERITY_ORDER, Finding, Outcome, Report, UseCaseReport, Waiver

NAME = "github"

PER_LEVEL_LIMIT = 10
# Control characters from input (an ESC starts an ANSI sequence in the log); CR and LF stay,
# they are escaped below, and tabs are harmless.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LEVELS = {Outcome.VIOLATION: "error", Outcome.REVIEW: "warning", Outcome.OBLIGATION: "notice"}


def escape_data(value: str) -> str:
    """The message part: control characters dropped (no ANSI injection into the log), then `%`, CR, LF."""
    value = _CONTROL.sub("", value)
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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


def render(report: Report, color: bool = False) -> str:
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
                f"{plural(hidden, 'more licensecheck finding')} not shown (GitHub shows 10 annotations per level "
                "per step): see the SARIF or Markdown report.",
            )
        )
    tally = ", ".join(f"{r.verdict.value}: {r.name} ({r.file})" for r in report.reports)
    # A plain log line; a name with a line break must not start a workflow command of its own.
    tally = _CONTROL.sub("", tally.replace("\r", " ").replace("\n", " "))
    lines.append(
        f"licensecheck: {len(report.reports)} use case(s), worst verdict {report.worst.value}. {tally}"
    )
    return "\n".join(lines) + "\n"
