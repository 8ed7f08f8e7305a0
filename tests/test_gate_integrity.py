"""A pull request cannot talk its way through the gate: spellings, YAML 1.1 readings and waivers.

Issue 11, "gate bypasses": each test here failed on 4307383 (a blocked use case passed, or a
value the rules would read differently was accepted silently) and now gives a located exit 2
or a blocked verdict. In-process through click's CliRunner.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from licensecheck.cli import cli
from licensecheck.schema import END_OF_STRING, SCHEMA_NAMES, load_schema

AS_OF = ("--as-of", "2026-11-27")

# Blocked twice over: a weapons use (acceptable-use policy) by a 900M-MAU organisation (700M rule).
BLOCKED = """\
name: Targeting assistant
organization: {name: Arms Co, type: company, country: US, monthly_active_users: 900000000}
model: {id: llama-3.1-8b-instruct}
use:
  commercial: true
  purpose: Plan strikes.
  domains: [weapons]
  distribution: hosted-service
  end_users: public
deployment: {regions: [US]}
"""


def invoke(*args: str | Path, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], input=stdin, catch_exceptions=False)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def report_of(*args: str | Path) -> tuple[int, dict[str, Any]]:
    result = invoke("evaluate", *args, "--format", "json", "--fail-on", "never", *AS_OF)
    assert result.exit_code == 0, result.stderr
    return result.exit_code, json.loads(result.stdout)


def refused(result: Result, file: Path, line: int, *words: str) -> None:
    """Exit 2 with one located message `file:line:col: error: ...` naming `words`; nothing on stdout."""
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert re.match(rf"{re.escape(str(file))}:{line}:\d+: error: ", result.stderr), result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert "Traceback" not in result.stderr


def test_the_base_usecase_is_blocked(tmp_path: Path) -> None:
    _, data = report_of(write(tmp_path, "uc.yaml", BLOCKED))
    assert data["reports"][0]["verdict"] == "blocked"


# ------------------------------------------------------------------ schema patterns: the end is the end

# A value each anchored pattern of the bundled schemas accepts; the test below checks the table
# covers every one, so a new pattern needs an entry (and gets the trailing-newline check).
VALID_FOR_PATTERN = {
    "^[A-Z]{2}$(?!\\n)": "DE",
    "^([A-Z]{2}|EU|EEA)$(?!\\n)": "EU",
    "^[a-z0-9][a-z0-9-]*$(?!\\n)": "weapons",
    "^[a-z0-9][a-z0-9._-]*$(?!\\n)": "llama-3.1-8b",
    "^[a-z0-9][a-z0-9.+_-]*$(?!\\n)": "openrail++",
    "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$(?!\\n)": "2026-01-31",
    "^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$(?!\\n)": "2026-01",
    "^https?://[!-~]+$(?!\\n)": "https://example.com/x",
    "^[A-Z][A-Z0-9]*(-[A-Z0-9][A-Z0-9.]*)+$(?!\\n)": "LLAMA31-MAU-700M",
    "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*(\\[\\])?)+$(?!\\n)": "model.training_data[].license",
    "^[A-Za-z0-9*?\\[\\]._-]+$(?!\\n)": "LLAMA31-*",
    "^[!-~]+( [!-~]+)*$(?!\\n)": "apache license 2.0",
    "^[0-9a-f]{64}$(?!\\n)": "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30",
    "^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$(?!\\n)": "meta-llama/Llama-3.1-8B-Instruct",
    "^[a-z][a-z0-9]*(-[a-z0-9]+)*$(?!\\n)": "purpose-mentions-minors",
    "^derived\\.[a-z0-9_]+$(?!\\n)": "derived.speed_confidence",
    "^[A-Za-z0-9][A-Za-z0-9._-]*$(?!\\n)": "h100-80gb",
    "^[0-9a-f]{40}([0-9a-f]{24})?$(?!\\n)": "a9c89c471f793423afd4cc3ca8671d6e56fe64cb",
}


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return found + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


ALL_PATTERNS = sorted({p for name in SCHEMA_NAMES for p in _patterns(load_schema(name))})


def test_every_anchored_pattern_ends_at_the_end_of_the_string_in_both_dialects() -> None:
    anchored = [p for p in ALL_PATTERNS if "$" in p]
    assert anchored and all(p.endswith(END_OF_STRING) for p in anchored)
    assert set(anchored) == set(VALID_FOR_PATTERN)


@pytest.mark.parametrize("pattern", sorted(VALID_FOR_PATTERN))
@pytest.mark.parametrize("tail", ["\n", "\r\n", " ", "\u200b"])
def test_a_trailing_newline_space_or_zero_width_fails_every_pattern_in_both_validators(
    pattern: str, tail: str
) -> None:
    schema = {"type": "string", "pattern": pattern}
    good = VALID_FOR_PATTERN[pattern]
    checker = jsonschema.Draft202012Validator(schema)
    assert checker.is_valid(good) and re.search(pattern, good)
    assert not checker.is_valid(good + tail), "jsonschema"
    assert not re.search(pattern, good + tail), "the bundled validator (re.search, as jsonschema)"


@pytest.mark.parametrize(
    ("old", "new", "line", "shown"),
    [
        ("domains: [weapons]", 'domains: ["weapons\\n"]', 7, "'weapons\\n'"),
        ("domains: [weapons]", 'domains: ["marketing", "weapons\\n"]', 7, "'weapons\\n'"),
        ("country: US", 'country: "DE\\n"', 2, "'DE\\n'"),
        ("regions: [US]", 'regions: ["US\\n"]', 10, "'US\\n'"),
        ("regions: [US]", 'regions: ["EU\\r\\n"]', 10, "'EU\\r\\n'"),
        ("domains: [weapons]", 'domains: ["weap\\u200bons"]', 7, "'weap\\u200bons'"),
        ("domains: [weapons]", 'domains: ["w\\u0435apons"]', 7, "'w\\u0435apons'"),  # Cyrillic e
        ("country: US", 'country: "\\uff35S"', 2, "'\\uff35S'"),  # full-width U
        ("domains: [weapons]", 'domains: ["weapons "]', 7, "'weapons '"),
    ],
)
def test_a_tag_or_code_the_rules_would_not_recognise_is_refused_and_shown_visibly(
    tmp_path: Path, old: str, new: str, line: int, shown: str
) -> None:
    path = write(tmp_path, "uc.yaml", BLOCKED.replace(old, new))
    refused(invoke("evaluate", path, *AS_OF), path, line, shown)


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("model: {id: llama-3.1-8b-instruct}", 'model: {id: "llama-3.1-8b-instruct "}', 3),
        (
            "model: {id: llama-3.1-8b-instruct}",
            'model: {id: "llama-3.1-8b-instruct\\u200b", name: x, license: apache-2.0}',
            3,
        ),
        (
            "model: {id: llama-3.1-8b-instruct}",
            'model: {id: "ll\\u0430ma-3.1-8b-instruct", name: x, license: apache-2.0}',
            3,
        ),
        ("model: {id: llama-3.1-8b-instruct}", 'model: {name: x, license: "llama3.1\\t"}', 3),
        (
            "model: {id: llama-3.1-8b-instruct}",
            'model: {id: llama-3.1-8b-instruct, training_data: [{name: d, license: "cc-by-nc-4.0\\u200b"}]}',
            3,
        ),
        (
            "model: {id: llama-3.1-8b-instruct}",
            'model: {id: llama-3.1-8b-instruct, training_data: [{name: d, license: " cc-by-nc-4.0"}]}',
            3,
        ),
        (
            "model: {id: llama-3.1-8b-instruct}",
            "model: {id: x/derived, name: d, license: mit, modification: fine-tune, "
            'base_models: [{id: base, license: "llama3.1\\u2060"}]}',
            3,
        ),
    ],
)
def test_an_id_with_invisible_look_alike_or_surrounding_characters_is_refused(
    tmp_path: Path, old: str, new: str, line: int
) -> None:
    path = write(tmp_path, "uc.yaml", BLOCKED.replace(old, new))
    refused(invoke("evaluate", path, *AS_OF), path, line, "printable ASCII")


def test_non_commercial_training_data_in_any_case_is_still_a_review(tmp_path: Path) -> None:
    text = BLOCKED.replace(
        "model: {id: llama-3.1-8b-instruct}",
        "model: {id: llama-3.1-8b-instruct, training_data: [{name: d, license: CC-BY-NC-4.0}]}",
    )
    _, data = report_of(write(tmp_path, "uc.yaml", text))
    assert "TRAINING-DATA-NONCOMMERCIAL" in {f["rule"] for f in data["reports"][0]["findings"]}


@pytest.mark.parametrize("blank", ["\\u200b", "\\u2060\\u200d", "\\u3164", "\\u00a0\\u202e"])
@pytest.mark.parametrize("field", ["reason", "approved_by"])
def test_a_waiver_approved_by_or_for_an_invisible_string_is_invalid(
    tmp_path: Path, blank: str, field: str
) -> None:
    fields = {"rule": "LLAMA31-MAU-700M", "reason": "ok", "approved_by": "legal", "expires": "2027-01-01"}
    fields[field] = blank
    body = ", ".join(f'{k}: "{v}"' for k, v in fields.items())
    path = write(tmp_path, "uc.yaml", BLOCKED + f"waivers:\n  - {{{body}}}\n")
    refused(invoke("evaluate", path, *AS_OF), path, 12, "not blank")


# ------------------------------------------------------------------ YAML 1.1 readings


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("monthly_active_users: 900000000", "monthly_active_users: 0700000000", 2, ("octal", "117,440,512")),
        ("monthly_active_users: 900000000", "monthly_active_users: 0900000000", 2, ("leading zero",)),
        ("monthly_active_users: 900000000", "monthly_active_users: +0700000000", 2, ("octal",)),
        ("monthly_active_users: 900000000", "monthly_active_users: 0_700_000_000", 2, ("octal",)),
        ("monthly_active_users: 900000000", "monthly_active_users: 1:20", 2, ("base-60", "80")),
        ("monthly_active_users: 900000000", "monthly_active_users: 15:00:00:00", 2, ("base-60",)),
        ("country: US", "country: NO", 2, ("boolean false", '"NO"')),
        ("country: US", "country: no", 2, ("boolean false",)),
        ("country: US", "country: On", 2, ("boolean true",)),
        ("regions: [US]", "regions: [DE, NO]", 10, ("boolean false", '"NO"')),
        ("regions: [US]", "regions: [YES]", 10, ("boolean true",)),
        ("commercial: true", "commercial: off", 5, ("boolean false", "true or false")),
        ("name: Targeting assistant", "name: 1:20", 1, ("base-60",)),
        ("commercial: true", "commercial: y", 5, ("ambiguous", "boolean (y/n)")),
        ("name: Targeting assistant", "name: N", 1, ("ambiguous",)),
        ("monthly_active_users: 900000000", "monthly_active_users: 0b101001101110010", 2, ("binary",)),
        ("monthly_active_users: 900000000", "monthly_active_users: 0700_000_000", 2, ("octal",)),
    ],
)
def test_a_yaml_11_reading_in_a_usecase_is_refused_with_a_hint_to_quote(
    tmp_path: Path, old: str, new: str, line: int, words: tuple[str, ...]
) -> None:
    path = write(tmp_path, "uc.yaml", BLOCKED.replace(old, new))
    result = invoke("evaluate", path, *AS_OF)
    refused(result, path, line, *words)
    assert "help: " in result.stderr and "quote it" in result.stderr


def test_quoted_and_plain_decimal_values_are_still_accepted(tmp_path: Path) -> None:
    text = BLOCKED.replace("country: US", 'country: "NO"').replace("regions: [US]", "regions: ['NO', DE]")
    _, data = report_of(write(tmp_path, "uc.yaml", text))
    assert data["reports"][0]["verdict"] == "blocked"


WAIVER_700M = "  - {rule: LLAMA31-MAU-700M, reason: ok, approved_by: legal, expires: 2027-01-01}\n"


@pytest.mark.parametrize(
    ("kind", "files", "args", "where"),
    [
        (
            "waivers",
            {
                "w.yaml": "waivers:\n  - {rule: LLAMA31-MAU-700M, reason: ok, approved_by: no, expires: 2027-01-01}\n"
            },
            ("--waivers", "w.yaml"),
            ("w.yaml", 2),
        ),
        (
            "catalog",
            {
                "cat/c.yaml": "catalog: {name: acme}\nmodels:\n  - {id: acme-1, name: A, license: mit, weights: open, "
                "context_window: 0131072, modalities: [text], sources: {basics: ['https://acme.example']}}\n"
            },
            ("--catalog", "cat"),
            ("cat/c.yaml", 3),
        ),
        (
            "pack",
            {
                "own/p.yaml": "licensecheck: 1\npack: {id: acme, name: Acme, kind: policy, scope: every-model, "
                "version: '1', source: 'https://acme.example/p'}\nrules:\n  - id: ACME-MAU\n    title: MAU\n"
                "    category: license\n    outcome: violation\n    severity: error\n    confidence: P\n"
                "    clause: x\n    when: {fact: organization.monthly_active_users, gt: 0700000000}\n"
                "    message: m\n    remedy: r\n"
            },
            ("--rules", "own"),
            ("own/p.yaml", 11),
        ),
    ],
)
def test_a_yaml_11_reading_in_waivers_catalogs_and_packs_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    files: dict[str, str],
    args: tuple[str, ...],
    where: tuple[str, int],
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "uc.yaml", BLOCKED)
    for name, text in files.items():
        write(tmp_path, name, text)
    result = invoke("evaluate", "uc.yaml", *args, *AS_OF)
    refused(result, Path(where[0]), where[1], "quote it" if kind == "waivers" else "octal")


def test_a_yaml_11_reading_in_a_pack_test_is_refused(tmp_path: Path) -> None:
    own = tmp_path / "own"
    write(
        own,
        "p.yaml",
        "licensecheck: 1\npack: {id: acme, name: Acme, kind: policy, scope: every-model, version: '1', "
        "source: 'https://acme.example/p'}\nrules:\n  - id: ACME-NO\n    title: Norway\n"
        "    category: license\n    outcome: violation\n    severity: error\n    confidence: P\n"
        "    clause: x\n    when: {fact: organization.country, eq: 'NO'}\n    message: m\n    remedy: r\n",
    )
    tests = write(
        own,
        "p.tests.yaml",
        "licensecheck: 1\npack: acme\ncases:\n"
        "  - name: fires\n    usecase: {name: a, model: {id: gpt-4o}, organization: {country: NO}}\n"
        "    fires: [ACME-NO]\n",
    )
    result = invoke("rules", "test", own)
    refused(result, tests, 5, "boolean false", '"NO"')


def test_a_purpose_spelled_with_invisible_wide_or_look_alike_letters_still_matches(tmp_path: Path) -> None:
    text = BLOCKED.replace("domains: [weapons]", "domains: [research]").replace(
        "purpose: Plan strikes.",
        'purpose: "Plan w\\u200barfare with \\uff57\\uff45\\uff41\\uff50\\uff4f\\uff4e\\uff53 and nerve a\\u0261ent"',
    )
    _, data = report_of(write(tmp_path, "uc.yaml", text))
    evidence = {
        f["rule"]: dict(f["evidence"])["use.purpose"]
        for f in data["reports"][0]["findings"]
        if f["rule"].endswith(("-TEXT", "-TEXT-PLAIN"))
    }
    assert "warfare" in evidence["LLAMA31-AUP-MILITARY-TEXT-PLAIN"]["matched"]
    assert {"weapons", "nerve agent"} <= set(evidence["LLAMA31-AUP-WEAPONS-TEXT"]["matched"])


# ------------------------------------------------------------------ waivers


def waiver_line(rule: str, **extra: str) -> str:
    fields = {"rule": rule, "reason": "ok", "approved_by": "legal", "expires": "2027-01-01", **extra}
    return "  - {" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in fields.items()) + "}\n"


BROAD = ["*", "**", "?*", "*-*", "[A-Z]*", "*MAU-700M", "*-AUP-*", "L*", "LLAMA3*", "LLAMA31*", "?LAMA31-*"]


@pytest.mark.parametrize("pattern", BROAD)
def test_a_broad_waiver_in_the_usecase_is_refused(tmp_path: Path, pattern: str) -> None:
    path = write(tmp_path, "uc.yaml", BLOCKED + "waivers:\n" + waiver_line(pattern))
    refused(invoke("evaluate", path, *AS_OF), path, 12, "too broad", "--allow-broad-waivers")


@pytest.mark.parametrize("pattern", ["*", "LLAMA3*", "*-MAU-*"])
def test_a_broad_waiver_in_a_shared_file_is_refused(tmp_path: Path, pattern: str) -> None:
    usecase = write(tmp_path, "uc.yaml", BLOCKED)
    shared = write(
        tmp_path, "w.yaml", "licensecheck: 1\nwaivers:\n" + waiver_line("X-1") + waiver_line(pattern)
    )
    refused(invoke("evaluate", usecase, "--waivers", shared, *AS_OF), shared, 4, "too broad")


def test_a_glob_matching_an_organisation_pack_and_a_bundled_pack_is_refused(tmp_path: Path) -> None:
    own = write(
        tmp_path,
        "own/p.yaml",
        "licensecheck: 1\npack: {id: acme, name: Acme, kind: policy, scope: every-model, version: '1', "
        "source: 'https://acme.example/p'}\nrules:\n  - id: LLAMA31-ACME\n    title: t\n"
        "    category: license\n    outcome: violation\n    severity: error\n    confidence: P\n"
        "    clause: x\n    when: {fact: use.commercial, eq: true}\n    message: m\n    remedy: r\n",
    )
    path = write(tmp_path, "uc.yaml", BLOCKED + "waivers:\n" + waiver_line("LLAMA31-*"))
    result = invoke("evaluate", path, "--rules", own.parent, *AS_OF)
    refused(result, path, 12, "2 packs (acme, llama3.1)")


def test_a_broad_waiver_in_a_shortlist_usecase_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "uc.yaml", BLOCKED + "waivers:\n" + waiver_line("*"))
    refused(invoke("shortlist", path, *AS_OF), path, 12, "too broad")


@pytest.mark.parametrize("pattern", ["LLAMA31-MAU-700M", "LLAMA31-*", "LLAMA31-AUP-*", "LLAMA31-MAU-[0-9]*"])
def test_a_waiver_naming_one_rule_or_one_packs_rules_is_accepted(tmp_path: Path, pattern: str) -> None:
    path = write(tmp_path, "uc.yaml", BLOCKED + "waivers:\n" + waiver_line(pattern))
    result = invoke("evaluate", path, "--format", "json", "--fail-on", "never", *AS_OF)
    assert result.exit_code == 0, result.stderr
    waived = [f["rule"] for f in json.loads(result.stdout)["reports"][0]["findings"] if f["waived"]]
    assert "LLAMA31-MAU-700M" in waived or pattern == "LLAMA31-AUP-*"


def _waive_everything(tmp_path: Path) -> Path:
    return write(tmp_path, "uc.yaml", BLOCKED + "waivers:\n" + waiver_line("*", approved_by="mallory"))


def test_allow_broad_waivers_accepts_a_star_and_every_format_still_shows_what_it_waived(
    tmp_path: Path,
) -> None:
    path = _waive_everything(tmp_path)
    assert invoke("evaluate", path, *AS_OF).exit_code == 2
    result = invoke("evaluate", path, "--allow-broad-waivers", "--format", "json", *AS_OF)
    assert result.exit_code == 0, result.stderr
    findings = json.loads(result.stdout)["reports"][0]["findings"]
    waived = {f["rule"]: f["outcome"] for f in findings if f["waived"]}
    assert {"LLAMA31-MAU-700M", "LLAMA31-AUP-WEAPONS"} <= set(waived)
    for fmt in ("text", "sarif", "junit", "github", "html", "markdown"):
        out = invoke("evaluate", path, "--allow-broad-waivers", "--format", fmt, *AS_OF).stdout
        for rule, outcome in waived.items():
            # SARIF holds violations and reviews only, waived or not
            if fmt != "sarif" or outcome in ("violation", "review"):
                assert rule in out, (fmt, rule)
        assert "mallory" in out, fmt


def test_github_annotations_announce_each_waived_finding_with_who_and_until_when(tmp_path: Path) -> None:
    path = write(
        tmp_path, "uc.yaml", BLOCKED + "waivers:\n" + waiver_line("LLAMA31-MAU-700M", approved_by="cfo")
    )
    out = invoke("evaluate", path, "--format", "github", "--fail-on", "never", *AS_OF).stdout
    (notice,) = [line for line in out.splitlines() if "LLAMA31-MAU-700M" in line]
    assert notice.startswith(f"::notice file={path},line=2,")
    assert "waived::Waived by cfo until 2027-01-01" in notice
    assert "::error " in out  # the weapons violation is not waived and still fails


def test_sarif_marks_a_waiver_in_the_usecase_itself_as_in_source(tmp_path: Path) -> None:
    path = write(tmp_path, "uc.yaml", BLOCKED + "waivers:\n" + waiver_line("LLAMA31-MAU-700M"))
    run = json.loads(invoke("evaluate", path, "--format", "sarif", *AS_OF).stdout)["runs"][0]
    (waived,) = [r for r in run["results"] if r["ruleId"] == "LLAMA31-MAU-700M"]
    assert waived["suppressions"][0]["kind"] == "inSource"
    assert waived["suppressions"][0]["status"] == "accepted"


def test_markdown_lists_waived_findings_and_counts_them(tmp_path: Path) -> None:
    path = write(tmp_path, "uc.yaml", BLOCKED + "waivers:\n" + waiver_line("LLAMA31-MAU-700M"))
    out = invoke("evaluate", path, "--format", "markdown", "--fail-on", "never", *AS_OF).stdout
    assert ", 1 waived)</summary>" in out
    assert "**Waived** (not counted for the verdict)" in out


# ------------------------------------------------------------------ one name, one use case


def test_two_usecases_with_the_same_name_in_one_run_are_refused_naming_both(tmp_path: Path) -> None:
    first = write(tmp_path, "a/usecase.yaml", BLOCKED.replace("weapons", "marketing"))
    second = write(tmp_path, "b/usecase.yaml", BLOCKED)
    shared = write(tmp_path, "w.yaml", "waivers:\n" + waiver_line("LLAMA31-*", usecase="Targeting assistant"))
    result = invoke("evaluate", first, second, "--waivers", shared, *AS_OF)
    refused(result, second, 1, f"also the name of {first}")
    # a folder holding both is refused the same way
    assert invoke("evaluate", tmp_path / "a", tmp_path / "b", *AS_OF).exit_code == 2


def test_the_same_file_given_twice_is_not_a_duplicate(tmp_path: Path) -> None:
    path = write(tmp_path, "uc.yaml", BLOCKED)
    result = invoke("evaluate", path, path, *AS_OF)
    assert result.exit_code == 1, result.stderr
