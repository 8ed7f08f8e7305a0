"""action.yml is a well-formed composite action: keys, shells, inputs and outputs that exist, no injection."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, SAMPLES

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return data


def test_required_keys_and_composite(action: dict[str, Any]) -> None:
    assert {"name", "description", "runs"} <= set(action)
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "fail-on", "waivers", "sarif-file"}
    assert action["inputs"]["fail-on"]["default"] == "needs-review"
    assert all("description" in spec for spec in action["inputs"].values())


def test_every_run_step_has_a_shell(action: dict[str, Any]) -> None:
    steps = action["runs"]["steps"]
    run_steps = [s for s in steps if "run" in s]
    assert run_steps
    assert all(s.get("shell") for s in run_steps)
    assert all(("run" in s) != ("uses" in s) for s in steps)


def test_expressions_name_existing_inputs_and_never_enter_a_script(action: dict[str, Any]) -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    used = {m.group(1) for m in EXPRESSION.finditer(text)}
    inputs = {e.split(".", 1)[1] for e in used if e.startswith("inputs.")}
    assert inputs and inputs <= set(action["inputs"])
    assert "paths" in inputs and "waivers" in inputs
    for step in action["runs"]["steps"]:
        assert not EXPRESSION.search(step.get("run", "")), f"expression spliced into the script of {step}"


def test_outputs_map_to_a_step_id(action: dict[str, Any]) -> None:
    ids = {s["id"] for s in action["runs"]["steps"] if "id" in s}
    assert "verdict" in action["outputs"]
    for name, spec in action["outputs"].items():
        (expression,) = EXPRESSION.findall(spec["value"])
        match = re.fullmatch(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", expression)
        assert match, f"output {name} must map to a step output"
        assert match.group(1) in ids
        step = next(s for s in action["runs"]["steps"] if s.get("id") == match.group(1))
        assert f"{match.group(2)}=" in step["run"] and "$GITHUB_OUTPUT" in step["run"]


def test_scripts_are_valid_bash(action: dict[str, Any]) -> None:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    for step in action["runs"]["steps"]:
        if step.get("shell") == "bash":
            result = subprocess.run([bash, "-n"], input=step["run"], capture_output=True, text=True)
            assert result.returncode == 0, result.stderr


def test_no_setup_python_and_a_cached_environment_of_its_own(action: dict[str, Any]) -> None:
    """The caller's Python stays as it was: no setup-python, no pip into it, nothing on PATH."""
    steps = action["runs"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert not any("setup-python" in u for u in uses)
    (cache,) = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert cache["with"]["key"] == "${{ steps.prepare.outputs.key }}"
    assert cache["with"]["path"] == "${{ steps.prepare.outputs.dir }}"
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert "GITHUB_PATH" not in scripts and "GITHUB_ENV" not in scripts
    (install,) = [s for s in steps if s.get("id") == "install"]
    assert (
        '"$venv/bin/python" -m pip install' in install["run"]
        and '--cache-dir "$LC_DIR/pip"' in install["run"]
    )
    # every pip runs in the action's own environment
    assert set(re.findall(r"(\S+) -m pip ", install["run"])) == {'"$venv/bin/python"'}
    assert not re.search(r"(^|[;&|]\s*)pip3? ", install["run"], re.M)


def run_step(
    action: dict[str, Any], step_id: str, env: dict[str, str], cwd: Path
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run one bash step as the runner does (bash -e), with its outputs read from GITHUB_OUTPUT."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    (step,) = [s for s in action["runs"]["steps"] if s.get("id") == step_id]
    outputs = cwd.parent / f"{step_id}-output"
    outputs.write_text("")
    full = dict(os.environ, GITHUB_OUTPUT=str(outputs), NO_COLOR="1", **env)
    done = subprocess.run([bash, "-e", "-c", step["run"]], cwd=cwd, env=full, capture_output=True, text=True)
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return done, values


@pytest.fixture(scope="module")
def restored_rules_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The action's rules-cache folder as actions/cache restores it after a first run: the bundled
    packs' entry, stored once for the module by the licensecheck the steps run (LC_BIN), so each
    step need not compile the bundled packs again (the cache itself is tested in test_cache.py)."""
    folder = tmp_path_factory.mktemp("action-cache") / "rules-cache"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "licensecheck"), "rules", "list"],
        env=dict(os.environ, LICENSECHECK_CACHE_DIR=str(folder)),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert list(folder.glob("rules-*.marshal")), "the bundled packs were stored"
    return folder


@pytest.fixture
def runner(tmp_path: Path, restored_rules_cache: Path) -> dict[str, Path]:
    """A workspace and a RUNNER_TEMP outside it, as on a GitHub runner, with the action's cache
    folder restored."""
    workspace, temp = tmp_path / "workspace", tmp_path / "runner temp"
    workspace.mkdir()
    temp.mkdir()
    shutil.copytree(restored_rules_cache, temp / "licensecheck-action" / "rules-cache")
    return {"workspace": workspace, "temp": temp}


def evaluate_env(runner: dict[str, Path], **inputs: str) -> dict[str, str]:
    env = {
        "RUNNER_TEMP": str(runner["temp"]),
        "LC_BIN": str(Path(sys.executable).parent),  # this test's environment has licensecheck
        "LC_CACHE": str(runner["temp"] / "licensecheck-action"),
        "LC_PATHS": "usecases/",
        "LC_FAIL_ON": "needs-review",
        "LC_WAIVERS": "",
        "LC_RULES": "",
        "LC_SARIF": "",
        "LC_JSON": "",
        "LC_MARKDOWN": "",
    }
    env.update(inputs)
    return env


def test_reports_go_to_runner_temp_and_the_workspace_stays_clean(
    action: dict[str, Any], runner: dict[str, Path]
) -> None:
    workspace = runner["workspace"]
    (workspace / "usecases").mkdir()
    (workspace / "usecases" / "feed.yaml").write_text(
        (SAMPLES / "social-feed-ranking-llama.yaml").read_text()
    )
    before = sorted(p.relative_to(workspace) for p in workspace.rglob("*"))
    done, outputs = run_step(action, "evaluate", evaluate_env(runner), workspace)
    assert done.returncode == 1, done.stdout + done.stderr  # blocked
    assert sorted(p.relative_to(workspace) for p in workspace.rglob("*")) == before
    assert outputs["verdict"] == "blocked"
    for name, suffix in (("sarif-file", ".sarif"), ("json-file", ".json"), ("markdown-file", ".md")):
        path = Path(outputs[name])
        assert path.parent == runner["temp"] / "licensecheck" and path.suffix == suffix
        assert path.stat().st_size > 100
    assert json.loads(Path(outputs["sarif-file"]).read_text())["version"] == "2.1.0"
    assert "## ✖ licensecheck: BLOCKED" in Path(outputs["markdown-file"]).read_text()
    assert "::error file=usecases/feed.yaml," in done.stdout


def test_paths_with_spaces_one_a_line_and_reports_where_asked(
    action: dict[str, Any], runner: dict[str, Path]
) -> None:
    workspace = runner["workspace"]
    blocked = (SAMPLES / "social-feed-ranking-llama.yaml").read_text()
    (workspace / "use cases").mkdir()
    (workspace / "use cases" / "social feed.yaml").write_text(blocked)
    (workspace / "usecases").mkdir()
    (workspace / "usecases" / "retail.yaml").write_text((SAMPLES / "retail-support-llama.yaml").read_text())
    env = evaluate_env(
        runner,
        LC_PATHS="  use cases/social feed.yaml  \n\nusecases/\n",
        LC_FAIL_ON="blocked",
        LC_SARIF="out dir/licensecheck.sarif",
    )
    (workspace / "out dir").mkdir()
    done, outputs = run_step(action, "evaluate", env, workspace)
    assert done.returncode == 1, done.stdout + done.stderr
    assert outputs["sarif-file"] == "out dir/licensecheck.sarif"
    assert (workspace / "out dir" / "licensecheck.sarif").is_file()
    files = {r["usecase"]["file"] for r in json.loads(Path(outputs["json-file"]).read_text())["reports"]}
    assert files == {"use cases/social feed.yaml", "usecases/retail.yaml"}


def test_no_paths_is_an_error(action: dict[str, Any], runner: dict[str, Path]) -> None:
    done, _ = run_step(action, "evaluate", evaluate_env(runner, LC_PATHS=" \n "), runner["workspace"])
    assert done.returncode == 2
    assert "::error title=licensecheck::the paths input names no use-case file or folder" in done.stdout


def test_paths_named_like_options_stay_paths(action: dict[str, Any], runner: dict[str, Path]) -> None:
    """The evaluate step, run as the runner would: options first, then `--`, then the paths.

    A path input `--output=ml/usecase.yaml` (an existing file) would otherwise be an option and
    overwrite the use case with the annotations.
    """
    workspace = runner["workspace"]
    blocked = (SAMPLES / "social-feed-ranking-llama.yaml").read_text()
    (workspace / "ml").mkdir()
    (workspace / "ml" / "usecase.yaml").write_text(blocked)
    (workspace / "--output=ml").mkdir()
    (workspace / "--output=ml" / "usecase.yaml").write_text(blocked.replace("Social feed", "Other feed"))
    before = (workspace / "ml" / "usecase.yaml").read_text()
    env = evaluate_env(runner, LC_PATHS="--output=ml/usecase.yaml\nml/usecase.yaml")
    done, outputs = run_step(action, "evaluate", env, workspace)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (workspace / "ml" / "usecase.yaml").read_text() == before
    assert outputs["verdict"] == "blocked"
    files = {r["usecase"]["file"] for r in json.loads(Path(outputs["json-file"]).read_text())["reports"]}
    assert files == {"--output=ml/usecase.yaml", "ml/usecase.yaml"}
    assert "file=--output=ml/usecase.yaml," in done.stdout


def test_waivers_and_rules_inputs_reach_licensecheck(action: dict[str, Any], runner: dict[str, Path]) -> None:
    workspace = runner["workspace"]
    (workspace / "usecases").mkdir()
    (workspace / "usecases" / "feed.yaml").write_text(
        (SAMPLES / "social-feed-ranking-llama.yaml").read_text()
    )
    (workspace / "my waivers.yaml").write_text(
        "licensecheck: 1\nwaivers:\n  - rule: LLAMA31-MAU-700M\n    reason: MAU below 700 million at release\n"
        "    approved_by: legal@example.com\n    expires: 2999-12-31\n"
    )
    (workspace / "our rules").mkdir()
    (workspace / "our rules" / "models.yaml").write_text(
        "catalog: {name: acme}\nmodels:\n  - {id: acme-1, name: A, license: mit, weights: open,"
        " modalities: [text], sources: {basics: ['https://acme.example']}}\n"
    )
    env = evaluate_env(runner, LC_WAIVERS="my waivers.yaml", LC_RULES="\n  our rules  \n")
    done, outputs = run_step(action, "evaluate", env, workspace)
    assert done.returncode == 0, done.stdout + done.stderr  # the waiver lifts the block
    assert outputs["verdict"] == "allowed-with-obligations"
    env = evaluate_env(runner, LC_RULES="missing rules")
    done, _ = run_step(action, "evaluate", env, workspace)
    assert done.returncode == 2 and "missing rules" in done.stdout + done.stderr


def copy_action(target: Path) -> Path:
    """The files `pip install` and the cache key read from the action's checkout."""
    for name in ("licensecheck", "rules", "templates"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("setup.cfg", "pyproject.toml", "README.md", "action.yml"):
        shutil.copy2(ROOT / name, target / name)
    return target


def test_install_builds_its_own_environment_and_reuses_the_cached_one(
    action: dict[str, Any], runner: dict[str, Path]
) -> None:
    """prepare and install for real: a virtual environment in RUNNER_TEMP, then a cache hit."""
    if importlib.util.find_spec("venv") is None:
        pytest.skip("venv is not available")
    action_path = copy_action(runner["temp"].parent / "action checkout")
    base = {"RUNNER_TEMP": str(runner["temp"]), "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64"}
    base |= {"GITHUB_ACTION_PATH": str(action_path), "LC_PYTHON": sys.executable}
    done, prepared = run_step(action, "prepare", base, runner["workspace"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert prepared["dir"] == str(runner["temp"] / "licensecheck-action")
    assert prepared["key"].startswith(prepared["restore-key"]) and prepared["key"] != prepared["restore-key"]
    _, same = run_step(action, "prepare", base, runner["workspace"])
    assert same["key"] == prepared["key"]  # stable for the same action files and Python

    env = base | {"LC_DIR": prepared["dir"], "LC_CACHE_HIT": ""}
    done, installed = run_step(action, "install", env, runner["workspace"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert installed["bin"] == str(runner["temp"] / "licensecheck-action" / "venv" / "bin")
    assert "licensecheck installed: licensecheck, version" in done.stdout
    assert (Path(installed["bin"]) / "licensecheck").is_file()

    hit, again_installed = run_step(action, "install", env | {"LC_CACHE_HIT": "true"}, runner["workspace"])
    assert hit.returncode == 0, hit.stdout + hit.stderr
    assert "licensecheck from the cache: licensecheck, version" in hit.stdout
    assert again_installed["bin"] == installed["bin"]

    (action_path / "rules" / "extra.md").write_text("a changed action\n")
    _, changed = run_step(action, "prepare", base, runner["workspace"])
    assert changed["key"] != prepared["key"] and changed["restore-key"] == prepared["restore-key"]


def scan_env(runner: dict[str, Path], **inputs: str) -> dict[str, str]:
    env = {
        "RUNNER_TEMP": str(runner["temp"]),
        "LC_BIN": str(Path(sys.executable).parent),
        "LC_CACHE": str(runner["temp"] / "licensecheck-action"),
        "LC_SCAN": ".",
        "LC_PATHS": "usecases/",
        "LC_FAIL_ON": "needs-review",
        "LC_WAIVERS": "",
        "LC_RULES": "",
        "LC_SCAN_SARIF": "",
    }
    env.update(inputs)
    return env


def test_the_scan_step_fails_at_the_line_of_an_uncovered_model(
    action: dict[str, Any], runner: dict[str, Path]
) -> None:
    """The scan step as the runner runs it: SARIF in RUNNER_TEMP, annotation at the line, exit 1."""
    (step,) = [s for s in action["runs"]["steps"] if s.get("id") == "scan"]
    assert step["if"] == "always() && inputs.scan != '' && steps.install.outcome == 'success'"
    workspace = runner["workspace"]
    (workspace / "src").mkdir()
    (workspace / "src" / "app.py").write_text('import ollama\n\nollama.chat(model="llama3.2", messages=[])\n')
    done, outputs = run_step(action, "scan", scan_env(runner), workspace)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "::error file=src/app.py,line=3,col=19,title=SCAN-NO-USECASE" in done.stdout
    sarif = Path(outputs["scan-sarif-file"])
    assert sarif.parent == runner["temp"] / "licensecheck"
    assert [r["ruleId"] for r in json.loads(sarif.read_text())["runs"][0]["results"]] == ["SCAN-NO-USECASE"]


def test_the_scan_step_takes_coverage_from_paths_and_leaves_verdicts_to_evaluate(
    action: dict[str, Any], runner: dict[str, Path]
) -> None:
    workspace = runner["workspace"]
    (workspace / "src").mkdir()
    (workspace / "src" / "app.py").write_text(
        'import ollama\n\nollama.chat(model="llama3.1:70b", messages=[])\n'
    )
    (workspace / "usecases").mkdir()
    # a use case the evaluate step blocks: the scan step reports coverage only
    (workspace / "usecases" / "feed.yaml").write_text(
        (SAMPLES / "social-feed-ranking-llama.yaml").read_text()
    )
    done, _ = run_step(action, "scan", scan_env(runner, LC_SCAN="src"), workspace)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "::error" not in done.stdout and "LLAMA31-MAU-700M" not in done.stdout
    assert "gate passed: every model has a use case" in done.stdout
