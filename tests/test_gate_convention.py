"""One convention for where use cases, waivers and rules live: the pre-commit hooks, the action and
the README's workflow agree on it, and the workflow has the shape the README promises."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

from licensecheck.api import expand_inputs

USECASES, WAIVERS, RULES = "usecases/", ".licensecheck-waivers.yaml", "licensecheck-rules/"
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")

HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())

# paths a repository may hold: use cases (nested, .yml, hidden, pack tests), and everything else
CANDIDATES = [
    "usecases/retail.yaml",
    "usecases/retail.usecase.yml",
    "usecases/team a/social feed.yaml",
    "usecases/deep/er/notes.yml",
    "usecases/.draft.yaml",
    "usecases/.drafts/old.yaml",
    "usecases/acme.tests.yaml",
    "usecases/README.md",
    "ml/usecase.yaml",
    "usecase.yaml",
    WAIVERS,
    RULES + "acme.yaml",
    RULES + "catalog.json",
    ".pre-commit-config.yaml",
    "src/app.py",
]


def readme_block(first_line: str) -> dict[str, Any]:
    """The YAML code block of the README that starts with `first_line` (a comment naming the file)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"```yaml\n{first_line}\n") + len("```yaml\n")
    data: dict[str, Any] = yaml.safe_load(readme[start : readme.index("\n```", start)])
    return data


WORKFLOW = readme_block("# .github/workflows/licensecheck.yml")
PRECOMMIT = readme_block("# .pre-commit-config.yaml")
STEPS: list[dict[str, Any]] = WORKFLOW["jobs"]["gate"]["steps"]


def step(key: str, value: str) -> dict[str, Any]:
    (found,) = [s for s in STEPS if str(s.get(key, "")).startswith(value)]
    return found


def hook_takes(hook_id: str, path: str) -> bool:
    hook = HOOKS[hook_id]
    return bool(re.search(hook["files"], path)) and not re.search(hook.get("exclude", "^$"), path)


def scope_pathspecs() -> list[str]:
    """The paths the workflow's scope step compares (`git diff ... -- PATHS`)."""
    (line,) = [ln for ln in step("id", "scope")["run"].splitlines() if "git diff" in ln]
    specs = line.split(" -- ", 1)[1].split(";")[0].split()
    return specs


def in_pathspecs(path: str, specs: list[str]) -> bool:
    return any(path == s or (s.endswith("/") and path.startswith(s)) for s in specs)


@pytest.fixture
def evaluated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The files `licensecheck evaluate -- usecases/` reads, in a repository holding CANDIDATES."""
    for name in CANDIDATES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    monkeypatch.chdir(tmp_path)
    return {Path(p).as_posix() for p in expand_inputs((USECASES,))}


def test_the_hook_takes_exactly_the_files_the_folder_evaluation_reads(evaluated: set[str]) -> None:
    assert evaluated == {
        "usecases/retail.yaml",
        "usecases/retail.usecase.yml",
        "usecases/team a/social feed.yaml",
        "usecases/deep/er/notes.yml",
    }
    # the hook's `types: [yaml]` leaves out README.md as well
    hooked = {p for p in CANDIDATES if hook_takes("licensecheck", p) and p.endswith((".yaml", ".yml"))}
    assert hooked == evaluated


def test_the_workflow_checks_whenever_the_hooks_would(evaluated: set[str]) -> None:
    specs = scope_pathspecs()
    assert {USECASES, WAIVERS, RULES} <= set(specs)
    assert evaluated <= {p for p in CANDIDATES if in_pathspecs(p, specs)}
    for path in CANDIDATES:
        if hook_takes("licensecheck-all", path) and path != ".pre-commit-config.yaml":
            assert in_pathspecs(path, specs), path  # waivers and rules: the workflow re-checks too


def test_the_all_hook_evaluates_the_folder_when_waivers_or_rules_change() -> None:
    taken = {p for p in CANDIDATES if hook_takes("licensecheck-all", p)}
    assert taken == {WAIVERS, RULES + "acme.yaml", RULES + "catalog.json", ".pre-commit-config.yaml"}
    assert HOOKS["licensecheck-all"]["pass_filenames"] is False
    assert HOOKS["licensecheck-all"]["args"] == ["--", USECASES]


def test_the_action_the_workflow_and_the_readme_config_name_the_same_places() -> None:
    assert ACTION["inputs"]["paths"]["default"] == USECASES
    gate = step("uses", "ORG/licensecheck@")
    assert gate["with"]["paths"] == USECASES and gate["with"]["waivers"] == WAIVERS
    hooks = {h["id"]: h for h in PRECOMMIT["repos"][0]["hooks"]}
    assert set(hooks) == {"licensecheck", "licensecheck-all"}
    assert hooks["licensecheck"]["args"] == ["--waivers", WAIVERS, "--"]
    assert hooks["licensecheck-all"]["args"] == ["--waivers", WAIVERS, "--", USECASES]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Where the gate looks") : readme.index("### Waivers")]
    for place in (USECASES, WAIVERS, RULES):
        assert f"`{place}`" in table


def test_workflow_runs_on_pull_requests_pushes_and_a_schedule() -> None:
    triggers = WORKFLOW.get("on", WORKFLOW.get(True))  # YAML 1.1 reads a bare `on` as true
    assert isinstance(triggers, dict)
    assert triggers["pull_request"] is None  # no paths filter: a required check always reports
    assert triggers["push"]["branches"] == ["main"]  # the base analysis for code scanning
    (cron,) = [entry["cron"] for entry in triggers["schedule"]]
    assert len(cron.split()) == 5 and cron.split()[2:] == ["*", "*", "*"]  # daily
    assert step("uses", "ORG/licensecheck@")["if"] == "steps.scope.outputs.check == 'true'"
    assert "fetch-depth" in step("uses", "actions/checkout@")["with"]


def test_workflow_updates_its_own_comment_by_a_hidden_marker() -> None:
    comment = step("name", "Comment the Markdown report")
    script = comment["run"]
    assert "marker='<!-- licensecheck-report -->'" in script
    assert "--edit-last" not in script and "gh pr comment" not in script
    assert "gh api --method PATCH" in script and "gh api --method POST" in script
    assert 'select(.user.login == \\"github-actions[bot]\\"' in script
    assert "github.event.pull_request.head.repo.full_name == github.repository" in comment["if"]


def test_workflow_scripts_take_values_from_the_environment_only() -> None:
    bash = shutil.which("bash")
    for entry in STEPS:
        assert not EXPRESSION.search(entry.get("run", "")), entry.get("name", entry.get("id"))
        if bash and "run" in entry:
            done = subprocess.run([bash, "-n"], input=entry["run"], capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
    upload = step("uses", "github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ steps.licensecheck.outputs.sarif-file }}"


def git(cwd: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": os.environ["PATH"]}
    subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, check=True)


@pytest.mark.parametrize(
    ("event", "changed", "check"),
    [
        ("pull_request", "usecases/retail.yaml", "true"),
        ("pull_request", WAIVERS, "true"),
        ("pull_request", RULES + "acme.yaml", "true"),
        ("pull_request", "src/app.py", "false"),  # skipped inside: the required check still passes
        ("push", "src/app.py", "true"),
        ("schedule", "src/app.py", "true"),
    ],
)
def test_the_scope_step_on_a_merge_commit(tmp_path: Path, event: str, changed: str, check: str) -> None:
    """As checkout leaves a pull request: the merge commit of its head into the base (HEAD^1)."""
    bash, repo = shutil.which("bash"), tmp_path / "repo"
    if bash is None or shutil.which("git") is None:
        pytest.skip("bash and git are needed")
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for name in ("usecases/retail.yaml", WAIVERS, RULES + "acme.yaml", "src/app.py"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("first\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / changed).write_text("changed\n")
    git(repo, "commit", "-q", "-am", "change")
    git(repo, "checkout", "-q", "main")
    (repo / "README").write_text("meanwhile on main\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "main moves on")
    git(repo, "merge", "-q", "--no-ff", "--no-edit", "feature")
    output = tmp_path / "output"
    env = dict(os.environ, GITHUB_EVENT_NAME=event, GITHUB_OUTPUT=str(output))
    done = subprocess.run(
        [bash, "-e", "-c", step("id", "scope")["run"]], cwd=repo, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert output.read_text() == f"check={check}\n"
