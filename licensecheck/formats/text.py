"""The terminal report: verdict first, then violations, reviews, obligations, each with clause and remedy."""

from __future__ import annotations

from licensecheck.formats import render_stream
from licensecheck.model import (
    Finding,
    LineageLink,
    Outcome,
    Report,
    RunSummary,
    UseCaseReport,
    Verdict,
    Waiver,
)
from licensecheck.text import display, plural, terminal

_COLORS = {
    Verdict.BLOCKED: "31",
    Verdict.NEEDS_REVIEW: "33",
    Verdict.ALLOWED_WITH_OBLIGATIONS: "36",
    Verdict.ALLOWED: "32",
}
_HEADINGS = (
    (Outcome.VIOLATION, "Violations"),
    (Outcome.REVIEW, "Needs review"),
    (Outcome.OBLIGATION, "Obligations"),
    (Outcome.INFO, "Notes"),
)

# how the counts line names each outcome: singular, plural
_COUNTED = {
    Outcome.VIOLATION: ("violation", "violations"),
    Outcome.REVIEW: ("needs review", "needs review"),
    Outcome.OBLIGATION: ("obligation", "obligations"),
    Outcome.INFO: ("note", "notes"),
}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _finding(finding: Finding, color: bool) -> list[str]:
    label = f"{finding.rule}  {terminal(finding.title)}"
    lines = [f"  - {_paint(label, '1', color)}"]
    lines.append(f"    {terminal(finding.message)}")
    # clause and source come from rule packs, which may be another team's files: clean them too
    lines.append(
        f"    clause: {terminal(finding.clause)} ({terminal(finding.license)})  {terminal(finding.source)}"
    )
    if finding.text:
        lines.append(f'    required text: "{terminal(finding.text)}"')
    if finding.evidence:
        shown = ", ".join(
            f"{terminal(path)} = {terminal(display(value, path))}" for path, value in finding.evidence
        )
        lines.append(f"    evidence: {shown}")
    if finding.remedy:
        lines.append(f"    remedy: {terminal(finding.remedy)}")
    if finding.waiver is not None:
        w = finding.waiver
        if finding.waived:
            lines.append(
                f"    waived: {terminal(w.reason)} (approved by {terminal(w.approved_by)}, expires {w.expires})"
            )
        else:
            lines.append(f"    waiver NOT applied: {terminal(finding.waiver_note or '')}")
    return lines


def render_lineage(report: UseCaseReport) -> list[str]:
    """The chain model <- base <- base, one link a line, indented by depth (merges branch)."""
    lines = []
    for link in report.lineage:
        if link.depth == 0:
            lines.append(f"  lineage: {terminal(link.model)} [{_license(link)}]")
            continue
        relation = f"{terminal(link.relation)} of " if link.relation else ""
        pad = "  " * link.depth
        lines.append(f"  {pad}<- {relation}{terminal(link.model)} [{_license(link)}]")
    return lines


def _license(link: LineageLink) -> str:
    if link.source == "unresolved":
        return "unresolved: licence unknown"
    if link.license is None:
        return (
            f"unrecognised licence {terminal(link.license_declared)}"
            if link.license_declared
            else "no licence"
        )
    return link.license


def render_usecase(report: UseCaseReport, color: bool) -> list[str]:
    verdict = report.verdict
    model = report.model
    head = f"{verdict.value.upper()}  {terminal(report.name)}"
    lines = [_paint(head, "1;" + _COLORS[verdict], color)]
    lines.append(f"  file: {terminal(report.file)}")
    lines.append(f"  model: {terminal(model.name)} ({terminal(model.id)}), licence {terminal(model.license)}")
    lines.extend(render_lineage(report))
    counting = [f for f in report.findings if f.counts]
    counts = {o: sum(1 for f in counting if f.outcome is o) for o, _ in _HEADINGS}
    lines.append(
        "  "
        + ", ".join(plural(counts[o], *_COUNTED[o]) for o, _ in _HEADINGS)
        + (f", {len(report.findings) - len(counting)} waived" if len(counting) < len(report.findings) else "")
    )
    for outcome, title in _HEADINGS:
        group = [f for f in report.findings if f.outcome is outcome and f.counts]
        if group:
            lines.append("")
            lines.append(f" {title}:")
            for finding in group:
                lines.extend(_finding(finding, color))
    waived = [f for f in report.findings if not f.counts]
    if waived:
        lines.append("")
        lines.append(" Waived:")
        for finding in waived:
            lines.extend(_finding(finding, color))
    for waiver in report.stale_waivers:
        lines.append(
            f"  stale waiver: '{terminal(waiver.rule)}' matches no finding ({terminal(waiver.origin)})"
        )
    return lines


def _stale_shared(waivers: tuple[Waiver, ...]) -> list[str]:
    return [
        f"stale waiver: '{terminal(w.rule)}' ({terminal(w.origin)}) matches no finding of any use case in this run"
        for w in waivers
    ]


class TextFormat:
    """The terminal report; `color` paints verdicts and rule titles with ANSI colours."""

    name = "text"

    separator = "\n\n"

    def __init__(self, color: bool = False) -> None:
        self.color = color

    def render(self, report: Report) -> str:
        return render_stream(self, report)

    def head(self, version: str) -> str:
        return ""

    def item(self, report: UseCaseReport) -> str:
        return "\n".join(render_usecase(report, self.color))

    def tail(self, summary: RunSummary) -> str:
        """The tally of verdicts (for several use cases) and the shared waivers nobody used."""
        blocks = []
        if len(summary.verdicts) > 1:
            tally: dict[Verdict, int] = {}
            for verdict in summary.verdicts:
                tally[verdict] = tally.get(verdict, 0) + 1
            counts = ", ".join(f"{n} {v.value}" for v, n in sorted(tally.items(), key=lambda kv: -kv[0].rank))
            blocks.append(f"{len(summary.verdicts)} use cases: {counts}")
        if summary.stale_waivers:
            blocks.append("\n".join(_stale_shared(summary.stale_waivers)))
        lead = self.separator if summary.verdicts and blocks else ""
        return lead + self.separator.join(blocks) + "\n"
