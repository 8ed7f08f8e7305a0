"""GitHub Actions annotations: an error at each line of code using a model without a use case."""

# (With --require-usecase; a warning without.) Warnings for probable copies and unresolved
# references, then the use cases' own findings; GitHub's 10 per level per step, most important
# first, and a count of the rest.

from __future__ import annotations

from licensecheck.scan import host
from licensecheck.scan.formats.sarif import _message, _rule_of
from licensecheck.scan.formats.view import counts, gate_sentence
from licensecheck.scan.model import ScanReport


class ScanGithub:
    """Workflow-command annotations for GitHub Actions."""

    name = "github"

    def render(self, report: ScanReport, /) -> str:
        return render(report)


def render(report: ScanReport) -> str:
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
            host.github_command(
                level,
                _message(entry, rule),
                file=loc.uri or loc.path,  # GitHub reads paths from the repository's root
                line=loc.line,
                col=loc.col,
                title=f"{rule}: {title}",
            )
        )
    for diagnostic in report.diagnostics:
        loc = diagnostic.location
        by_level["notice"].append(
            host.github_command(
                "notice",
                diagnostic.message,
                file=loc.uri or loc.path,
                line=loc.line,
                col=loc.col,
                title="file not scanned",
            )
        )
    if report.evaluation is not None:
        for level, items in host.github_annotations(report.evaluation).items():
            by_level[level].extend(items)
    lines = host.github_limited(by_level, "annotation", "SARIF or JSON")
    tally = counts(report)
    summary = (
        f"licensecheck scan: {tally['references']} model references in {tally['files']} files, "
        f"{tally['uncovered']} without a use case, {tally['unresolved']} unresolved; {gate_sentence(report)}"
    )
    lines.append(host.github_log_line(summary))
    return "\n".join(lines) + "\n"
