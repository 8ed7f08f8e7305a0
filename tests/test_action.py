"""action.yml is a well-formed composite action: keys, shells, inputs and outputs that exist, no injection."""

from __future__ import annotations

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


def test_paths_named_like_options_stay_paths(action: dict[str, Any], tmp_path: Path) -> None:
    """The evaluate step, run as the runner would: options first, then `--`, then the paths.

    A path input `--output=ml/usecase.yaml` (an existing file) would otherwise be an option and
    overwrite the use case with the annotations.
    """
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    (step,) = [s for s in action["runs"]["steps"] if s.get("id") == "evaluate"]
    blocked = (SAMPLES / "social-feed-ranking-llama.yaml").read_text()
    (tmp_path / "ml").mkdir()
    (tmp_path / "ml" / "usecase.yaml").write_text(blocked)
    (tmp_path / "--output=ml").mkdir()
    (tmp_path / "--output=ml" / "usecase.yaml").write_text(blocked.replace("Social feed", "Other feed"))
    before = (tmp_path / "ml" / "usecase.yaml").read_text()
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        LC_PATHS="--output=ml/usecase.yaml\nml/usecase.yaml",
        LC_FAIL_ON="needs-review",
        LC_WAIVERS="",
        LC_SARIF="licensecheck.sarif",
        GITHUB_OUTPUT=str(tmp_path / "github-output"),
        NO_COLOR="1",
    )
    done = subprocess.run(
        [bash, "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert (tmp_path / "ml" / "usecase.yaml").read_text() == before
    assert (tmp_path / "github-output").read_text() == "verdict=blocked\n"
    files = {
        r["usecase"]["file"]
        for r in json.loads((tmp_path / "licensecheck-report.json").read_text())["reports"]
    }
    assert files == {"--output=ml/usecase.yaml", "ml/usecase.yaml"}
    assert "file=--output=ml/usecase.yaml," in done.stdout
