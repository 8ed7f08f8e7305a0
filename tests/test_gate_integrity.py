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
