"""SARIF in the shape GitHub code scanning documents: stable rule metadata, repository-relative
locations (uriBaseId %SRCROOT%), fingerprints that survive line shifts (issue 14)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from licensecheck.cli import cli

SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
BLOCKED = "social-feed-ranking-llama.yaml"  # LLAMA31-MAU-700M: a violation (users given)
REVIEW = "internal-code-review-llama.yaml"  # the same rule: a review (users not given)


def sarif(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli, ["evaluate", "--format", "sarif", "--fail-on", "never", "--as-of", "2026-01-01", *args]
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def uris(data: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [
        (loc["uri"], loc.get("uriBaseId"))
        for r in data["runs"][0]["results"]
        for loc in [r["locations"][0]["physicalLocation"]["artifactLocation"]]
    ]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (a folder with .git) holding use cases in a subfolder."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "ml" / "usecases").mkdir(parents=True)
    for name in (BLOCKED, REVIEW):
        shutil.copy(SAMPLES / name, root / "ml" / "usecases" / name)
    monkeypatch.chdir(root)
    return root


def test_rule_metadata_comes_from_the_rule_whatever_the_order(repo: Path) -> None:
    first = sarif(f"ml/usecases/{REVIEW}", f"ml/usecases/{BLOCKED}")["runs"][0]
    second = sarif(f"ml/usecases/{BLOCKED}", f"ml/usecases/{REVIEW}")["runs"][0]
    (rule_a,) = first["tool"]["driver"]["rules"]
    (rule_b,) = second["tool"]["driver"]["rules"]
    assert rule_a == rule_b
    assert rule_a["defaultConfiguration"]["level"] == "error"  # the rule is a violation ...
    assert sorted(r["level"] for r in first["results"]) == ["error", "warning"]  # ... one finding a review
    # the help is the rule's remedy, not the review's "Add ... to the use case"
    assert "Add organization.monthly_active_users" not in json.dumps(rule_a)
    assert rule_a["name"] != rule_a["id"] and first["tool"]["driver"]["informationUri"].startswith("https://")


def test_locations_are_relative_to_the_repository_from_anywhere(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = [(f"ml/usecases/{BLOCKED}", "%SRCROOT%")]
    assert uris(sarif(f"ml/usecases/{BLOCKED}")) == expected
    assert uris(sarif(str(repo / "ml" / "usecases" / BLOCKED))) == expected  # absolute input
    monkeypatch.chdir(repo / "ml" / "usecases")
    assert uris(sarif(BLOCKED)) == expected  # from a subfolder
    monkeypatch.chdir(repo / "ml")
    assert uris(sarif(f"./usecases/{BLOCKED}")) == expected
    assert uris(sarif(f"usecases/{BLOCKED}", "--sarif-root", ".")) == [(f"usecases/{BLOCKED}", "%SRCROOT%")]
    run = sarif(f"usecases/{BLOCKED}")["runs"][0]
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    assert str(repo) not in json.dumps(run)  # no machine path: the same bytes on every checkout


def test_a_file_outside_the_root_keeps_an_absolute_uri(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(SAMPLES / BLOCKED, outside / "feed case.yaml")
    ((uri, base),) = uris(sarif(str(outside / "feed case.yaml"), "--sarif-root", str(repo)))
    assert base is None and uri.startswith("file:///") and uri.endswith("/feed%20case.yaml")


def test_sarif_root_is_only_for_sarif(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["evaluate", f"ml/usecases/{BLOCKED}", "--sarif-root", "."])
    assert result.exit_code == 2 and "--sarif-root applies to --format sarif" in result.output


def test_fingerprints_survive_a_line_shift_and_differ_between_results(repo: Path) -> None:
    path = repo / "ml" / "usecases" / BLOCKED
    before = sarif(f"ml/usecases/{BLOCKED}", f"ml/usecases/{REVIEW}")["runs"][0]["results"]
    path.write_text(
        "# a comment pushes every line down\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8"
    )
    after = sarif(f"ml/usecases/{BLOCKED}", f"ml/usecases/{REVIEW}")["runs"][0]["results"]

    def line(result: dict[str, Any]) -> int:
        return int(result["locations"][0]["physicalLocation"]["region"]["startLine"])

    assert line(after[0]) == line(before[0]) + 2
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]
    assert len({json.dumps(r["partialFingerprints"]) for r in after}) == len(after) == 2


def test_the_sarif_validates_against_the_official_schema(repo: Path, tmp_path: Path) -> None:
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SARIF_SCHEMA}")
    import jsonschema

    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers: [{rule: LLAMA31-MAU-700M, reason: ok, approved_by: legal, expires: 2030-01-01}]\n",
        encoding="utf-8",
    )
    outside = tmp_path / "outside.yaml"
    outside.write_text(
        (SAMPLES / BLOCKED).read_text(encoding="utf-8").replace("Social feed summaries", "Outside"),
        encoding="utf-8",
    )
    data = sarif(f"ml/usecases/{BLOCKED}", f"ml/usecases/{REVIEW}", str(outside), "--waivers", str(waivers))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.validators.validator_for(schema)(schema).iter_errors(data), key=str)
    assert errors == [], errors[0].message if errors else ""
    assert len(data["runs"][0]["artifacts"]) == 4  # three use cases and the waivers file


def test_the_help_markdown_has_no_entities() -> None:
    rules = sarif(str(SAMPLES))["runs"][0]["tool"]["driver"]["rules"]
    assert rules and not [r["id"] for r in rules if "&#" in r["help"]["markdown"]]


def test_no_sarif_multitool_warning_of_any_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GitHub's rules and the Multitool's general SARIF advice (SARIF2005 informationUri, SARIF1001
    rule name equal to its id) both pass for the samples."""
    multitool = os.environ.get("LICENSECHECK_SARIF_MULTITOOL")
    if not multitool or not Path(multitool).is_file():
        pytest.skip("SARIF Multitool not found (LICENSECHECK_SARIF_MULTITOOL; .ci/run sets it)")
    monkeypatch.chdir(ROOT)
    out = tmp_path / "samples.sarif"
    out.write_text(json.dumps(sarif("samples/")), encoding="utf-8")
    done = subprocess.run(
        [
            "python",
            str(ROOT / "scripts" / "validate_sarif.py"),
            "--multitool",
            multitool,
            "--rule-kind",
            "Gh;Sarif",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
