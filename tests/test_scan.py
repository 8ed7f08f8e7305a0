"""`licensecheck scan`: references located, resolved and matched to use cases; the gate; the walk; formats."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from conftest import GOLDEN, ROOT, check_golden

from licensecheck.cli import cli
from licensecheck.commands.scan import SCAN_FORMATS
from licensecheck.scan import find_references
from licensecheck.scan.formats import FORMATS

SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
AS_OF = ("--as-of", "2026-06-01")
USECASE = (ROOT / "samples" / "retail-support-llama.yaml").read_text(encoding="utf-8")
APP = """import os

import anthropic
from transformers import AutoModelForCausalLM

MODEL_ID = "meta-llama/Llama-3.1-8B-Instruct"
model = AutoModelForCausalLM.from_pretrained(MODEL_ID)
reply = anthropic.Anthropic().messages.create(model="claude-3-5-sonnet-20241022", max_tokens=1, messages=[])
judge = anthropic.Anthropic().messages.create(model=os.environ["JUDGE_MODEL"], max_tokens=1, messages=[])
"""
REPO = {
    "app.py": APP,
    "scripts/serve.sh": "vllm serve meta-llama/Llama-3.1-8B-Instruct\nollama pull qwen2.5:7b\n",
    "usecase.yaml": USECASE,
}
CLAUDE_USECASE = """name: Support replies drafted by Claude
model: {id: claude-3.5-sonnet}
use: {commercial: true, purpose: Draft replies to customer questions., end_users: internal}
"""
QWEN_USECASE = """name: Fine-tuned Qwen for tagging tickets
model:
  name: Acme ticket tagger
  license: apache-2.0
  modification: fine-tune
  base_models: [Qwen/Qwen2.5-7B-Instruct]
use: {commercial: true, purpose: Tag support tickets by topic., end_users: internal}
"""


def make(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def scan(root: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    return CliRunner().invoke(cli, ["scan", *AS_OF, *args], catch_exceptions=False)


def scan_json(root: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    result = scan(root, "--format", "json", *args, monkeypatch=monkeypatch)
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def where(data: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["file"], r["line"]): r for r in data["references"]}


def test_every_reference_with_its_location_resolution_and_use_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = scan_json(make(tmp_path, REPO), monkeypatch=monkeypatch)
    refs = where(data)
    assert set(refs) == {
        ("app.py", 6),
        ("app.py", 8),
        ("app.py", 9),
        ("scripts/serve.sh", 1),
        ("scripts/serve.sh", 2),
    }
    constant = refs[("app.py", 6)]
    assert (constant["col"], constant["value"], constant["model"], constant["status"]) == (
        12,
        "meta-llama/Llama-3.1-8B-Instruct",
        "llama-3.1-8b-instruct",
        "catalog",
    )
    assert constant["used_at"] == {"file": "app.py", "line": 7, "col": 46}  # the call that loads it
    assert constant["covered_by"] == ["usecase.yaml"]
    claude = refs[("app.py", 8)]
    assert (claude["model"], claude["license"], claude["covered_by"], claude["uncovered"]) == (
        "claude-3.5-sonnet",
        "anthropic-terms",
        [],
        True,
    )
    assert claude["rule"] == "anthropic model id"  # the provider id the catalog lists for its route
    judge = refs[("app.py", 9)]
    assert (judge["status"], judge["value"], judge["expression"]) == (
        "unresolved",
        None,
        'os.environ["JUDGE_MODEL"]',
    )
    assert "JUDGE_MODEL" in judge["rule"]
    assert refs[("scripts/serve.sh", 2)]["model"] == "qwen2.5-7b-instruct"
    assert data["summary"]["uncovered"] == 2 and data["gate"] == "passed"
    # the use case is evaluated in the same run, as `evaluate` would
    (report,) = data["evaluation"]["reports"]
    assert (report["usecase"]["file"], report["verdict"]) == ("usecase.yaml", "allowed-with-obligations")


def test_require_usecase_fails_at_the_line_that_uses_an_uncovered_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, REPO)
    inventory = scan(tmp_path, "--format", "github", monkeypatch=monkeypatch)
    assert inventory.exit_code == 0, inventory.output
    gate = scan(tmp_path, "--require-usecase", "--format", "github", monkeypatch=monkeypatch)
    assert gate.exit_code == 1
    errors = [line for line in gate.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 2
    assert errors[0].startswith("::error file=app.py,line=8,col=53,title=SCAN-NO-USECASE")
    assert "claude-3-5-sonnet-20241022" in errors[0]
    assert errors[1].startswith("::error file=scripts/serve.sh,line=2,col=13,")
    warnings = [line for line in gate.stdout.splitlines() if line.startswith("::warning ")]
    assert any("file=app.py,line=9," in w and "SCAN-UNRESOLVED" in w for w in warnings)
    assert "gate failed: 2 models without a use case at 2 places" in gate.stdout.splitlines()[-1]


def test_use_cases_naming_the_model_or_its_base_cover_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(
        tmp_path,
        {**REPO, "usecases/claude.usecase.yaml": CLAUDE_USECASE, "usecases/qwen.usecase.yaml": QWEN_USECASE},
    )
    # on a date Claude 3.5 Sonnet's API still served it (it was retired on 2025-10-28)
    data = scan_json(
        tmp_path,
        "--require-usecase",
        "--fail-on",
        "blocked",
        "--as-of",
        "2025-06-01",
        monkeypatch=monkeypatch,
    )
    refs = where(data)
    assert refs[("app.py", 8)]["covered_by"] == ["usecases/claude.usecase.yaml"]
    assert refs[("scripts/serve.sh", 2)]["covered_by"] == ["usecases/qwen.usecase.yaml"]  # by base_models
    assert data["summary"]["uncovered"] == 0
    assert data["gate"] == "passed"
    assert len(data["evaluation"]["reports"]) == 3
    result = scan(
        tmp_path,
        "--require-usecase",
        "--fail-on",
        "blocked",
        "--as-of",
        "2025-06-01",
        monkeypatch=monkeypatch,
    )
    assert result.exit_code == 0, result.output


def test_a_use_case_verdict_fails_the_gate_as_evaluate_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = (ROOT / "samples" / "social-feed-ranking-llama.yaml").read_text(encoding="utf-8")
    make(tmp_path, {"app.py": APP, "usecase.yaml": blocked})
    result = scan(tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "verdict is blocked (--fail-on)" in result.stdout
    assert scan(tmp_path, "--fail-on", "never", monkeypatch=monkeypatch).exit_code == 0


def test_an_invalid_use_case_is_an_input_error_and_no_report_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, {"app.py": APP, "usecase.yaml": USECASE.replace("commercial: true", "commercial: maybe")})
    result = scan(tmp_path, "--output", "report.json", "--format", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.startswith("usecase.yaml:17:")
    assert "error:" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "report.json").exists()


def test_usecases_option_names_the_use_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, {"code/app.py": APP, "policy/claude.yaml": CLAUDE_USECASE})
    found = scan_json(tmp_path, "code", monkeypatch=monkeypatch)
    assert found["usecases"] == [] and found["evaluation"] is None  # not below the scanned path
    given = scan_json(tmp_path, "code", "--usecases", "policy", "--fail-on", "never", monkeypatch=monkeypatch)
    assert [u["file"] for u in given["usecases"]] == ["policy/claude.yaml"]
    assert where(given)[("code/app.py", 8)]["covered_by"] == ["policy/claude.yaml"]


def test_a_path_that_does_not_exist_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = scan(tmp_path, "missing", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("missing: error: no such file or folder")


def test_a_file_name_starting_with_a_dash_is_scanned_after_double_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, {"-app.py": APP})
    refused = scan(tmp_path, "-app.py", monkeypatch=monkeypatch)
    assert refused.exit_code == 2 and "use -- before file names" in refused.stderr
    data = scan_json(tmp_path, "--format", "json", "--", "-app.py", monkeypatch=monkeypatch)
    assert {r["file"] for r in data["references"]} == {"-app.py"}


# --- which files are read --------------------------------------------------------------------


def git(cwd: Path, *args: str) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@e",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@e",
    )
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


LINE = 'm = AutoModel.from_pretrained("google/gemma-2-9b-it")\n'


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_in_a_repository_what_git_tracks_and_new_files_it_does_not_ignore(tmp_path: Path) -> None:
    make(tmp_path, {"tracked.py": LINE, "new.py": LINE, "ignored/x.py": LINE, ".gitignore": "ignored/\n"})
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "tracked.py", ".gitignore")
    git(tmp_path, "commit", "-q", "-m", "x")
    found = find_references([str(tmp_path)])
    assert sorted(Path(r.location.path).name for r in found.references) == ["new.py", "tracked.py"]
    assert {r.location.uri for r in found.references} == {"new.py", "tracked.py"}  # relative to the top level


def test_outside_a_repository_the_tree_without_vendored_folders(tmp_path: Path) -> None:
    files = {
        name: LINE for name in ("src/app.py", "node_modules/pkg/x.py", ".venv/lib/y.py", "third_party/z.py")
    }
    make(tmp_path, files)
    whole = find_references([str(tmp_path)])
    assert [Path(r.location.path).parts[-2:] for r in whole.references] == [("src", "app.py")]
    assert dict(whole.skipped)["vendored or generated folder"] == 3
    # a vendored folder named on the command line is what the user asked for
    named = find_references([str(tmp_path / "third_party")])
    assert [Path(r.location.path).name for r in named.references] == ["z.py"]


def test_exclude_globs(tmp_path: Path) -> None:
    make(tmp_path, {"src/app.py": LINE, "tests/test_app.py": LINE})
    found = find_references([str(tmp_path)], exclude=("tests",))
    assert [Path(r.location.path).name for r in found.references] == ["app.py"]


def test_symlinks_leaving_the_tree_are_not_followed(tmp_path: Path) -> None:
    outside = make(tmp_path / "outside", {"secret.py": LINE})
    tree = make(tmp_path / "tree", {"app.py": LINE})
    (tree / "link.py").symlink_to(outside / "secret.py")
    (tree / "linkdir").symlink_to(outside, target_is_directory=True)
    (tree / "inside.py").symlink_to(tree / "app.py")
    found = find_references([str(tree)])
    assert [Path(r.location.path).name for r in found.references] == [
        "app.py"
    ]  # the in-tree link: same file once
    assert dict(found.skipped)["symlink leaving the tree"] == 1


# --- formats ---------------------------------------------------------------------------------


def test_scan_format_choices_are_the_registry() -> None:
    scan = cli.get_command(click.Context(cli), "scan")
    assert scan is not None
    fmt = next(p for p in scan.params if p.name == "fmt")
    assert isinstance(fmt.type, click.Choice) and list(fmt.type.choices) == list(FORMATS)


@pytest.mark.parametrize("fmt", SCAN_FORMATS)
def test_golden_reports(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    make(tmp_path / "acme-repo", REPO)
    result = scan(tmp_path / "acme-repo", "--require-usecase", "--format", fmt, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    check_golden(GOLDEN / "scan" / f"repo.{fmt}", result.stdout, update_golden)


def test_jsonl_is_one_reference_a_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path / "acme-repo", REPO)
    result = scan(tmp_path / "acme-repo", "--format", "jsonl", monkeypatch=monkeypatch)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 5
    assert {line["repository"] for line in lines} == {"acme-repo"}
    assert all(
        {"file", "line", "col", "value", "status", "model", "covered_by"} <= set(line) for line in lines
    )


def sarif(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    result = scan(root, "--require-usecase", "--format", "sarif", monkeypatch=monkeypatch)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_sarif_validates_and_points_into_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SARIF_SCHEMA}")
    import jsonschema

    make(tmp_path, REPO)
    data = sarif(tmp_path, monkeypatch)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(data))
    assert errors == [], errors[0].message if errors else ""
    run = data["runs"][0]
    uncovered = [r for r in run["results"] if r["ruleId"] == "SCAN-NO-USECASE"]
    assert [r["level"] for r in uncovered] == ["error", "error"]
    location = uncovered[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 8, "startColumn": 53}
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])


def test_sarif_holds_the_use_cases_findings_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    review = (ROOT / "samples" / "internal-code-review-llama.yaml").read_text(encoding="utf-8")
    make(tmp_path, {"app.py": APP, "usecase.yaml": review})
    run = sarif(tmp_path, monkeypatch)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    findings = [r for r in run["results"] if not r["ruleId"].startswith("SCAN-")]
    assert findings and all(r["ruleId"] == rules[r["ruleIndex"]]["id"] for r in findings)
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in findings} == {
        "usecase.yaml"
    }


def test_sarif_fingerprints_and_rules_survive_edits_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path / "a", REPO)
    make(tmp_path / "b", {**REPO, "app.py": "# a comment added above\n\n" + APP})
    before, after = sarif(tmp_path / "a", monkeypatch), sarif(tmp_path / "b", monkeypatch)

    def prints(data: dict[str, Any]) -> list[str]:
        return [r["partialFingerprints"]["licensecheck/v1"] for r in data["runs"][0]["results"]]

    assert prints(before) == prints(after)
    lines = [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after["runs"][0]["results"]
    ]
    assert 10 in lines  # the alert moved with its line
    rules = {r["id"]: r for r in before["runs"][0]["tool"]["driver"]["rules"]}
    assert rules == {r["id"]: r for r in after["runs"][0]["tool"]["driver"]["rules"]}


def test_jobs_give_the_same_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"pkg{i % 7}/mod{i}.py": (LINE if i % 3 else APP) for i in range(150)}
    make(tmp_path, {**files, "usecase.yaml": USECASE})
    one = scan(tmp_path, "--format", "json", "--jobs", "1", monkeypatch=monkeypatch)
    three = scan(tmp_path, "--format", "json", "--jobs", "3", monkeypatch=monkeypatch)
    assert one.stdout == three.stdout
    assert len(json.loads(one.stdout)["references"]) > 150


def test_json_and_jsonl_follow_the_published_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jsonschema

    from licensecheck.schema import load_schema

    schema = load_schema("scan")
    make(
        tmp_path,
        {
            **REPO,
            "nb.ipynb": json.dumps({"cells": [{"cell_type": "code", "source": LINE}]}),
            "bad.py": "def (:\n" + LINE,
        },
    )
    data = scan_json(tmp_path, monkeypatch=monkeypatch)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["diagnostics"] and any("cell" in r for r in data["references"])
    line_schema = {**schema["$defs"]["reference"], "$defs": schema["$defs"]}
    line_schema["properties"] = {**line_schema["properties"], "repository": {"type": "string"}}
    for line in scan(tmp_path, "--format", "jsonl", monkeypatch=monkeypatch).stdout.splitlines():
        jsonschema.Draft202012Validator(line_schema).validate(json.loads(line))
    assert scan(tmp_path, monkeypatch=monkeypatch).exit_code == 0
    printed = CliRunner().invoke(cli, ["schema", "scan"])
    assert json.loads(printed.stdout) == schema


def test_repeated_json_keys_are_each_placed_at_their_own_line(tmp_path: Path) -> None:
    text = '{"a": {"model": "gpt-4o"},\n "b": {"model": "o1", "x": {"model": "gpt-4o"}},\n "c": {"model": "gpt-4o"}}\n'
    make(tmp_path, {"runs.json": text})
    found = find_references([str(tmp_path)])
    placed = [(r.location.line, r.location.col, r.value) for r in found.references]
    assert placed == [(1, 18, "gpt-4o"), (2, 18, "o1"), (2, 39, "gpt-4o"), (3, 18, "gpt-4o")]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_annotations_and_sarif_name_files_from_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, {"service/app.py": APP})
    git(tmp_path, "init", "-q")
    result = scan(tmp_path / "service", "--require-usecase", "--format", "github", monkeypatch=monkeypatch)
    assert "::error file=service/app.py,line=6," in result.stdout
    data = json.loads(scan(tmp_path / "service", "--format", "sarif", monkeypatch=monkeypatch).stdout)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in data["runs"][0]["results"]
    }
    assert uris == {"service/app.py"}
    text = scan(tmp_path / "service", monkeypatch=monkeypatch).stdout
    assert "    app.py:6:12  meta-llama/Llama-3.1-8B-Instruct" in text  # as the user sees it from here


def test_a_broken_file_named_as_a_use_case_is_evaluated_and_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, {"app.py": APP, "ml/usecase.yaml": "name: Chat\nmodel: llama-3.1-8b-instruct\n"})
    result = scan(tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.startswith("ml/usecase.yaml:2:")


def test_every_yaml_below_usecases_is_a_use_case_and_no_evaluate_keeps_coverage_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = (ROOT / "samples" / "social-feed-ranking-llama.yaml").read_text(encoding="utf-8")
    make(
        tmp_path,
        {
            "app.py": APP.replace("meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-70B-Instruct"),
            "usecases/feed.yaml": blocked,
        },
    )
    evaluated = scan_json(tmp_path, monkeypatch=monkeypatch)
    assert [u["file"] for u in evaluated["usecases"]] == ["usecases/feed.yaml"]
    assert evaluated["gate"] == "failed"  # the use case is blocked
    coverage = scan_json(tmp_path, "--no-evaluate", monkeypatch=monkeypatch)
    assert coverage["evaluation"] is None and coverage["gate"] == "passed"
    assert where(coverage)[("app.py", 6)]["covered_by"] == ["usecases/feed.yaml"]


def test_this_repositorys_rule_packs_and_catalogs_are_no_use_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packs, catalogs and libraries carry `licensecheck:` too; only the samples are use cases."""
    result = scan(
        ROOT, "--format", "json", "--fail-on", "never", "--", "rules", "samples", monkeypatch=monkeypatch
    )
    assert result.exit_code == 0, result.output
    files = {u["file"] for u in json.loads(result.stdout)["usecases"]}
    assert files == {f"samples/{p.name}" for p in (ROOT / "samples").glob("*.yaml")}


def test_the_scan_package_imports_its_api_on_first_use() -> None:
    """The CLI reads the scan formats without importing the scanner; the API names still work,
    and `resolve` is the function, not the submodule of the same name that the API imports."""
    import subprocess
    import sys

    probe = (
        "import sys, licensecheck.cli, licensecheck.scan as s; "
        "assert 'licensecheck.scan.api' not in sys.modules; "
        "from licensecheck.scan import find_references, resolve; import licensecheck.scan.api as a; "
        "assert resolve is a.resolve and s.resolve is a.resolve and find_references is a.find_references"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
