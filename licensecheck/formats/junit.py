"""JUnit XML for CI test reports: a testsuite per use-case file, a testcase per rule evaluated.

Mapping (documented in the README): a violation is a `failure` of type "violation"; a review is
a `failure` of type "review" too, because the default gate (`--fail-on needs-review`) fails on
it; a waived finding is `skipped` with the waiver's reason; obligations and notes pass and put
their text in `system-out`; a rule that did not fire passes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from licensecheck.model import Finding, Outcome, Report, UseCaseReport
from licensecheck.text import display, plain

# Characters XML 1.0 cannot carry at all (even escaped): most C0 controls, surrogates, U+FFFE/F.
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """Text for an XML attribute or element: no control characters, nothing hidden (licensecheck.text)."""
    return _ILLEGAL.sub("", plain(value))


def _details(finding: Finding) -> str:
    lines = [
        xml_text(finding.message),
        f"clause: {finding.license} {finding.clause}  {finding.source}",
    ]
    if finding.evidence:
        lines.append(
            "evidence: " + ", ".join(f"{path} = {display(value, path)}" for path, value in finding.evidence)
        )
    if finding.remedy:
        lines.append(f"remedy: {finding.remedy}")
    if finding.waiver_note:
        lines.append(finding.waiver_note)
    return xml_text("\n".join(lines))


def _testcase(suite: ET.Element, report: UseCaseReport, rule: str, finding: Finding | None) -> str:
    """Add one testcase; return its state: passed, failures or skipped (the counter it adds to)."""
    # The name is the rule id alone, so CI test history follows a rule across runs.
    case = ET.SubElement(
        suite,
        "testcase",
        classname=xml_text(f"licensecheck.{report.file}"),
        name=xml_text(rule),
        file=xml_text(report.file),
        time="0",
    )
    if finding is None:
        return "passed"
    if finding.waived and finding.waiver is not None:
        waiver = finding.waiver
        reason = f"waived: {waiver.reason} (approved by {waiver.approved_by}, expires {waiver.expires})"
        ET.SubElement(case, "skipped", message=xml_text(reason)).text = _details(finding)
        return "skipped"
    if finding.outcome in (Outcome.VIOLATION, Outcome.REVIEW):
        failure = ET.SubElement(
            case,
            "failure",
            message=xml_text(f"{finding.title}: {finding.message}"),
            type=finding.outcome.value,
        )
        failure.text = _details(finding)
        return "failures"
    ET.SubElement(case, "system-out").text = f"{finding.outcome.value}: {_details(finding)}"
    return "passed"


def junit_tree(report: Report) -> ET.Element:
    root = ET.Element("testsuites", name="licensecheck")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for usecase in report.reports:
        suite = ET.SubElement(root, "testsuite", name=xml_text(usecase.file))
        by_rule = {f.rule: f for f in usecase.findings}
        # Rules evaluated, then any finding that did not come from a rule listed there.
        rules = list(dict.fromkeys(list(usecase.rules_evaluated) + [f.rule for f in usecase.findings]))
        counts = {"tests": len(rules), "failures": 0, "skipped": 0}
        ET.SubElement(
            ET.SubElement(suite, "properties"),
            "property",
            name="verdict",
            value=usecase.verdict.value,
        )
        for rule in rules:
            state = _testcase(suite, usecase, rule, by_rule.get(rule))
            if state in counts:
                counts[state] += 1
        for key, value in counts.items():
            totals[key] += value
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failures"]))
        suite.set("errors", "0")
        suite.set("skipped", str(counts["skipped"]))
        suite.set("time", "0")
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("skipped", str(totals["skipped"]))
    return root


class JunitFormat:
    """JUnit XML for CI test reports."""

    name = "junit"

    def render(self, report: Report) -> str:
        return render(report)


def render(report: Report) -> str:
    root = junit_tree(report)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
