"""The merge-gate formats (SARIF, JUnit, GitHub annotations) and the gate's exit codes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import GOLDEN, ROOT, check_golden, run_cli

from licensecheck.formats import github, junit
from licensecheck.model import Finding, ModelSummary, Outcome, Report, Severity, UseCaseReport, Verdict

SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
BLOCKED = "samples/social-feed-ranking-llama.yaml"
REVIEW = "samples/internal-code-review-llama.yaml"
OBLIGATIONS = "samples/retail-support-llama.yaml"
AS_OF = ("--as-of", "2026-11-27")


def line_of(path: str, key: str) -> int:
    """1-based line of the first line in `path` that starts (after indentation) with `key:`."""
    for number, line in enumerate((ROOT / path).read_text().splitlines(), 1):
        if line.strip().startswith(f"{key}:"):
            return number
    raise AssertionError(f"{key} not in {path}")


def sarif_of(*args: str) -> dict[str, Any]:
    result = run_cli("evaluate", *args, "--format", "sarif", *AS_OF)
    assert result.returncode in (0, 1), result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_sarif_validates_against_the_official_schema() -> None:
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SARIF_SCHEMA} (it is read from there, not vendored)")
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    data = sarif_of(BLOCKED, REVIEW, OBLIGATIONS)
    errors = sorted(validator.iter_errors(data), key=str)
    assert errors == [], errors[0].message if errors else ""
    assert data["runs"][0]["results"], "the schema check must see real results"


def test_sarif_results_point_at_the_fact_that_triggered_them() -> None:
    run = sarif_of(BLOCKED, REVIEW)["runs"][0]
    results = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r
        for r in run["results"]
    }
    assert set(results) == {("LLAMA31-MAU-700M", BLOCKED), ("LLAMA31-MAU-700M", REVIEW)}
    violation = results[("LLAMA31-MAU-700M", BLOCKED)]
    assert violation["level"] == "error"
    assert violation["locations"][0]["physicalLocation"]["region"]["startLine"] == line_of(
        BLOCKED, "monthly_active_users"
    )
    review = results[("LLAMA31-MAU-700M", REVIEW)]
    assert review["level"] == "warning"
    assert (
        review["partialFingerprints"]["licensecheck/v1"]
        != violation["partialFingerprints"]["licensecheck/v1"]
    )
    assert run["automationDetails"]["id"] == "licensecheck/"


def test_sarif_alerts_on_unwaived_violations_and_reviews_suppresses_waived_and_describes_rules(
    tmp_path: Path,
) -> None:
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n  - {rule: LLAMA31-MAU-700M, reason: ok, approved_by: legal, expires: 2027-01-01, "
        "usecase: Social feed summaries}\n"
    )
    run = sarif_of(BLOCKED, REVIEW, OBLIGATIONS, "--waivers", str(waivers))["runs"][0]

    def uri(result: dict[str, Any]) -> str:
        return str(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])

    # obligations are not alerts; the waived violation is a result, suppressed with the waiver
    assert [uri(r) for r in run["results"] if "suppressions" not in r] == [REVIEW]
    (waived,) = [r for r in run["results"] if "suppressions" in r]
    assert uri(waived) == BLOCKED and waived["level"] == "error"
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": f"ok (approved by legal, expires 2027-01-01; waiver {waivers}:2)",
        }
    ]
    (rule,) = run["tool"]["driver"]["rules"]
    assert rule["id"] == "LLAMA31-MAU-700M"
    assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
    assert rule["helpUri"].startswith("https://")
    assert rule["helpUri"] in rule["help"]["text"]
    assert "security-severity" not in json.dumps(run)


def test_sarif_is_deterministic() -> None:
    assert sarif_of(BLOCKED, REVIEW) == sarif_of(BLOCKED, REVIEW)


def junit_of(*args: str) -> ET.Element:
    result = run_cli("evaluate", *args, "--format", "junit", *AS_OF)
    assert result.returncode in (0, 1), result.stderr
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(result.stdout.encode("utf-8"))


def test_junit_one_suite_per_file_one_case_per_rule() -> None:
    root = junit_of(BLOCKED, OBLIGATIONS)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [BLOCKED, OBLIGATIONS]
    # the rules a Llama 3.1 model meets: its licence's packs plus every every-model pack
    from licensecheck.api import load_context

    n_rules = sum(len(p.rules) for p in load_context().ruleset.packs_for(["llama3.1"]))
    for suite in suites:
        cases = suite.findall("testcase")
        assert len(cases) == int(suite.get("tests", "-1")) == n_rules
        assert len({c.get("name") for c in cases}) == len(cases)
    blocked_failures = suites[0].findall("testcase/failure")
    assert [f.get("type") for f in blocked_failures] == ["violation"]
    assert suites[0].get("failures") == "1"
    assert suites[1].findall("testcase/failure") == []
    assert root.get("tests") == str(2 * n_rules) and root.get("failures") == "1"


def test_junit_waived_is_skipped_with_the_reason_and_illegal_characters_are_stripped(tmp_path: Path) -> None:
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        'waivers:\n  - {rule: LLAMA31-MAU-700M, reason: "Below 700M\\x01 in June 2024\\x1b", '
        "approved_by: legal, expires: 2027-01-01}\n"
    )
    result = run_cli("evaluate", BLOCKED, "--waivers", str(waivers), "--format", "junit", *AS_OF)
    assert result.returncode == 0
    assert "\x01" not in result.stdout and "\x1b" not in result.stdout
    root = ET.fromstring(result.stdout.encode("utf-8"))
    (skipped,) = root.findall("testsuite/testcase/skipped")
    assert skipped.get("message", "").startswith("waived: Below 700M in June 2024 (approved by legal")
    assert root.get("skipped") == "1" and root.get("failures") == "0"


def test_junit_review_is_a_failure_of_type_review() -> None:
    (failure,) = junit_of(REVIEW).findall("testsuite/testcase/failure")
    assert failure.get("type") == "review"


@pytest.mark.parametrize(
    ("data", "expected"),
    [("100% sure", "100%25 sure"), ("a\r\nb", "a%0D%0Ab"), ("%0A", "%250A"), ("k: v, w", "k: v, w")],
)
def test_annotation_message_escaping(data: str, expected: str) -> None:
    assert github.escape_data(data) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ml/use,case.yaml", "ml/use%2Ccase.yaml"), ("LC: a\nb", "LC%3A a%0Ab"), ("50%", "50%25")],
)
def test_annotation_property_escaping(value: str, expected: str) -> None:
    assert github.escape_property(value) == expected


def test_annotations_from_a_file_with_awkward_characters(tmp_path: Path) -> None:
    folder = tmp_path / "ml"
    folder.mkdir()
    usecase = folder / "use,case:1.yaml"
    usecase.write_text((ROOT / BLOCKED).read_text())
    result = run_cli("evaluate", "ml/use,case:1.yaml", "--format", "github", *AS_OF, cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1
    line = line_of(BLOCKED, "monthly_active_users")
    assert errors[0].startswith(f"::error file=ml/use%2Ccase%3A1.yaml,line={line},col=")
    assert ",title=LLAMA31-MAU-700M%3A Over 700 million" in errors[0]
    message = errors[0].split("::", 2)[2]
    assert "\n" not in message and "%0ARemedy: Request a licence from Meta." in message


def _finding(outcome: Outcome, n: int) -> Finding:
    return Finding(
        rule=f"R-{outcome.value}-{n:02d}",
        category="license",
        outcome=outcome,
        severity=Severity.ERROR if outcome is Outcome.VIOLATION else Severity.WARNING,
        title="t",
        message="m",
        remedy="",
        license="x",
        clause="§1",
        source="https://x.example",
        location=(n + 1, 1),
    )


def test_annotations_keep_ten_per_level_most_important_first_then_say_how_many_more() -> None:
    findings = [_finding(Outcome.VIOLATION, n) for n in range(12)] + [
        _finding(Outcome.REVIEW, n) for n in range(3)
    ]
    findings += [_finding(Outcome.OBLIGATION, n) for n in range(10)]
    report = Report(
        (
            UseCaseReport(
                "u",
                "u.yaml",
                ModelSummary("m", "M", "x"),
                Verdict.BLOCKED,
                tuple(findings),
                rules_evaluated=(),
            ),
        ),
        "0",
        "2026-11-27",
    )
    lines = github.render(report).splitlines()
    levels = [line.split(" ", 1)[0].split("::")[1] for line in lines if line.startswith("::")]
    assert levels.count("error") == 10 and levels.count("warning") == 3 and levels.count("notice") == 10
    assert levels == sorted(levels, key=["error", "warning", "notice"].index)
    assert "title=R-violation-00" in lines[0] and "title=R-violation-09" in lines[9]
    # 2 errors over the limit, and one obligation gives its slot to the summary notice.
    assert lines[-2] == (
        "::notice::3 more licensecheck findings not shown (GitHub shows 10 annotations per level per step): "
        "see the SARIF or Markdown report."
    )
    assert lines[-1].startswith("licensecheck: 1 use case(s), worst verdict blocked.")


def test_junit_xml_text_strips_only_illegal_characters() -> None:
    assert junit.xml_text("a\x00b\x08c\td\ne\ufffe\U0001f600") == "abc\td\ne\U0001f600"


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("blocked", 1), ("needs-review", 1), ("never", 0)],
)
def test_exit_code_of_a_batch_is_combined(fail_on: str, expected: int) -> None:
    result = run_cli("evaluate", OBLIGATIONS, BLOCKED, "--fail-on", fail_on, "--format", "sarif", *AS_OF)
    assert result.returncode == expected, result.stderr


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("blocked", 0), ("needs-review", 1), ("never", 0)],
)
def test_needs_review_fails_only_at_or_above_fail_on(fail_on: str, expected: int) -> None:
    result = run_cli("evaluate", OBLIGATIONS, REVIEW, "--fail-on", fail_on, "--format", "junit", *AS_OF)
    assert result.returncode == expected, result.stderr


def test_invalid_input_in_a_batch_writes_no_report(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nmodel: {id: no-such-model}\n")
    out = tmp_path / "report.sarif"
    result = run_cli("evaluate", BLOCKED, str(bad), "--format", "sarif", "--output", str(out), *AS_OF)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{bad}:2:")
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github"])
def test_gate_formats_golden(fmt: str, update_golden: bool) -> None:
    result = run_cli("evaluate", "samples", "--format", fmt, *AS_OF)
    assert result.returncode == 1, result.stderr
    check_golden(GOLDEN / f"samples.{fmt}", result.stdout, update_golden)
