"""The terminal report of a scan: models and where they are used, what needs a look, the gate."""

from __future__ import annotations

from licensecheck.scan.formats.view import counts, found_how, gate_sentence, groups, resolved_how, where
from licensecheck.scan.host import plural, text_report
from licensecheck.scan.host import terminal as clean
from licensecheck.scan.model import ScanReport, Status

_HEADINGS = {
    Status.CATALOG: "Models in the catalog",
    Status.PROBABLE: "Probable copies of catalog models (check them)",
    Status.UNKNOWN: "Models not in the catalog",
}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


class ScanText:
    """For a terminal: references grouped by model, coloured when `color`."""

    name = "text"

    def __init__(self, color: bool = False) -> None:
        self.color = color

    def render(self, report: ScanReport, /) -> str:
        return render(report, self.color)


def render(report: ScanReport, color: bool = False) -> str:
    tally = counts(report)
    lines = [
        f"licensecheck scan of {clean(report.root)}: {tally['files']} files, {tally['references']} model "
        f"references ({tally['catalog']} in the catalog, {tally['probable']} probable, "
        f"{tally['unknown']} unknown, {tally['unresolved']} unresolved), {plural(tally['usecases'], 'use case')}"
    ]
    heading = None
    for group in groups(report):
        if group.status is not heading:
            heading = group.status
            lines += ["", _paint(_HEADINGS[group.status], "1", color)]
        if group.covered_by:
            cover = "covered by " + ", ".join(clean(f) for f in group.covered_by)
        else:
            cover = _paint("no use case", "31" if report.require_usecase else "33", color)
        licence = f"  licence {clean(group.license)}" if group.license else ""
        lines.append(f"  {clean(group.key)}{licence}  {cover}")
        if group.status is Status.UNKNOWN and group.nearest:
            lines.append(f"    nearest catalog ids: {', '.join(clean(n) for n in group.nearest)}")
        for entry in group.entries:
            written = entry.reference.value or ""
            lines.append(f"    {clean(where(entry))}  {clean(written)}  [{clean(found_how(entry))}]")
            if group.status is not Status.UNKNOWN:
                lines.append(f"      {clean(entry.resolution.rule)}")
    unresolved = report.unresolved
    if unresolved:
        lines += [
            "",
            _paint("Unresolved references (review: the model is known only at run time)", "1", color),
        ]
        for entry in unresolved:
            lines.append(
                f"  {clean(where(entry))}  {clean(entry.reference.expression)}  "
                f"[{clean(found_how(entry))}: {clean(resolved_how(entry))}]"
            )
    if report.diagnostics:
        lines += ["", _paint("Files not fully read", "1", color)]
        for diagnostic in report.diagnostics:
            lines.append(
                f"  {clean(diagnostic.location)}: {diagnostic.severity}: {clean(diagnostic.message)}"
            )
    if report.evaluation is not None and report.evaluation.reports:
        lines += ["", _paint("Use cases (evaluated as `licensecheck evaluate` would)", "1", color), ""]
        lines.append(text_report(report.evaluation, color).rstrip("\n"))
    elif not report.usecases:
        lines += ["", "No use-case files found (see `licensecheck schema usecase`)."]
    failed = report.gate_failed
    lines += ["", _paint(gate_sentence(report), "31" if failed else "32", color)]
    return "\n".join(lines) + "\n"
