"""The scan as a pull-request comment: models and coverage in a table, the use cases' report below."""

# Places are collapsed; the comment stays within GitHub's size limit.

from __future__ import annotations

from licensecheck.scan.formats.view import counts, found_how, gate_sentence, groups, resolved_how, where
from licensecheck.scan.host import GITHUB_COMMENT_LIMIT, markdown_report, plural
from licensecheck.scan.host import markdown_code as code
from licensecheck.scan.host import markdown_text as text
from licensecheck.scan.model import ScanReport, Status

_STATUS = {
    Status.CATALOG: "catalog",
    Status.PROBABLE: "probable copy: check it",
    Status.UNKNOWN: "not in the catalog",
}
_CUT = "\n_Left out to stay within GitHub's comment size limit: see the JSON or SARIF report._\n"


class ScanMarkdown:
    """A pull-request comment of at most `limit` characters."""

    name = "markdown"

    def __init__(self, limit: int = GITHUB_COMMENT_LIMIT) -> None:
        self.limit = limit

    def render(self, report: ScanReport, /) -> str:
        return render(report, self.limit)


def render(report: ScanReport, limit: int = GITHUB_COMMENT_LIMIT) -> str:
    tally = counts(report)
    icon = "❌" if report.gate_failed else "✅"
    parts = [
        f"## {icon} licensecheck scan: {text(gate_sentence(report))}\n\n",
        f"{tally['references']} model references in {tally['files']} files: {tally['catalog']} in the catalog, "
        f"{tally['probable']} probable copies, {tally['unknown']} not in the catalog, {tally['unresolved']} "
        f"unresolved; {plural(tally['usecases'], 'use case')}.\n\n",
    ]
    rows = ["| Model | Status | Licence | Places | Use case |\n", "| --- | --- | --- | ---: | --- |\n"]
    details: list[str] = []
    for group in groups(report):
        cover = ", ".join(code(f) for f in group.covered_by) if group.covered_by else "**none**"
        status = _STATUS[group.status]
        if group.status is Status.UNKNOWN and group.nearest:
            status += "; nearest " + ", ".join(code(n) for n in group.nearest)
        rows.append(
            f"| {code(group.key)} | {text(status)} | {code(group.license) if group.license else ''} "
            f"| {len(group.entries)} | {cover} |\n"
        )
        places = "".join(
            f"- {code(where(e))} {code(e.reference.value or '')} {text(found_how(e))}\n"
            for e in group.entries
        )
        details.append(
            f"<details><summary>{code(group.key, html_block=True)}</summary>\n\n{places}\n</details>\n\n"
        )
    unresolved = report.unresolved
    if unresolved:
        lines = "".join(
            f"- {code(where(e))} {code(e.reference.expression)}: {text(resolved_how(e))}\n"
            for e in unresolved
        )
        details.append(
            f"<details><summary>{len(unresolved)} unresolved references (review)</summary>\n\n{lines}\n</details>\n\n"
        )
    if report.diagnostics:
        lines = "".join(f"- {code(d.location)}: {text(d.message)}\n" for d in report.diagnostics)
        details.append(f"<details><summary>Files not fully read</summary>\n\n{lines}\n</details>\n\n")
    evaluation = ""
    if report.evaluation is not None and report.evaluation.reports:
        evaluation = "### Use cases\n\n" + markdown_report(report.evaluation, limit // 2)
    footer = (
        f"\n<sub>licensecheck {text(report.licensecheck_version)}. Not legal advice: a checking aid that "
        "says review where facts are unclear.</sub>\n"
    )
    budget = limit - len(footer) - len(_CUT) - len(evaluation)
    out = ""
    cut = False
    for part in [*parts, *(rows if len(rows) > 2 else []), "\n", *details]:
        if len(out) + len(part) > budget:
            cut = True
            break
        out += part
    return out + (_CUT if cut else "") + evaluation + footer
