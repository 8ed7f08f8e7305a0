"""The pre-commit hook, end to end: a real `pre-commit run` in a temporary repository.

pre-commit clones the hook repository at a commit and pip-installs it into its own venv, so the
test commits a snapshot of this checkout (tracked and untracked, not ignored files) to a
temporary repository first: what is tested is the working tree, not the last commit.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLES

HOOK_PATTERN = re.compile(yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]["files"])


def git(cwd: Path, *args: str) -> str:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def snapshot(target: Path) -> str:
    """Commit the checkout's current files into a new repository at `target`; return the sha."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return git(target, "rev-parse", "HEAD")


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("usecase.yaml", True),
        ("ml/usecase-retail.yml", True),
        ("ml/retail.usecase.yaml", True),
        ("ml/usecases/notes.yaml", False),
        ("other.yaml", False),
        ("usecase.yaml.bak", False),
    ],
)
def test_documented_file_pattern(path: str, matches: bool) -> None:
    assert bool(HOOK_PATTERN.search(path)) is matches


def test_manifest_is_valid() -> None:
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def hook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """This checkout as a hook repository (path, commit) and a pre-commit cache shared by the tests."""
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("precommit")
    hook_repo = base / "hook"
    hook_repo.mkdir()
    return hook_repo, snapshot(hook_repo), base / "cache"


def run_hook(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1")
    env.pop("PRE_COMMIT", None)
    command = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def project(path: Path, hook: tuple[Path, str, Path], args: str | None) -> Path:
    hook_repo, rev, _ = hook
    path.mkdir(parents=True)
    git(path, "init", "-q")
    config = f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: licensecheck\n"
    if args is not None:
        config += f"        args: {args}\n"
    (path / ".pre-commit-config.yaml").write_text(config)
    return path


def test_hook_fails_on_a_blocked_usecase_and_passes_after_a_waiver(
    tmp_path: Path, hook: tuple[Path, str, Path]
) -> None:
    repo = project(tmp_path / "project", hook, "[--as-of, '2026-11-27', --]")
    (repo / "ml").mkdir()
    usecase = repo / "ml" / "usecase.yaml"
    usecase.write_text((SAMPLES / "social-feed-ranking-llama.yaml").read_text())
    (repo / "other.yaml").write_text("not: [a use case\n")  # outside the pattern: never passed
    git(repo, "add", "-A")

    failed = run_hook(repo, hook[2])
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "licensecheck (AI model licence gate)" in failed.stdout
    assert "Failed" in failed.stdout
    assert "BLOCKED  Social feed summaries" in failed.stdout
    assert "LLAMA31-MAU-700M" in failed.stdout

    usecase.write_text(
        usecase.read_text() + "waivers:\n"
        "  - rule: LLAMA31-MAU-700M\n"
        "    reason: MAU were below 700 million in June 2024 (board minutes, 2024-07-02)\n"
        "    approved_by: legal@hyperscale.example\n"
        "    expires: 2027-06-30\n"
    )
    git(repo, "add", "-A")
    passed = run_hook(repo, hook[2])
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def hostile_project(path: Path, hook: tuple[Path, str, Path], args: str | None) -> Path:
    """Committed files named like options: `--output=ml/usecase.yaml` would overwrite the use case
    with the report, `--template=x/usecase.yaml` would render x/usecase.yaml (a valid use case
    whose name is a Jinja payload) as the report template and run `touch PWNED`."""
    repo = project(path, hook, args)
    blocked = (SAMPLES / "social-feed-ranking-llama.yaml").read_text()
    for name, title in (
        ("ml/usecase.yaml", "Feed"),
        ("--output=ml/usecase.yaml", "Feed via output"),
        ("--template=x/usecase.yaml", "Feed via template"),
    ):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(blocked.replace("name: Social feed summaries", f"name: {title}"))
    (repo / "x").mkdir()
    (repo / "x" / "usecase.yaml").write_text(
        "name: \"{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}\"\n"
        "model: {id: gpt-oss-20b}\n"
    )
    git(repo, "add", "-A")
    return repo


def test_file_names_that_look_like_options_stay_file_names_with_the_default_args(
    tmp_path: Path, hook: tuple[Path, str, Path]
) -> None:
    repo = hostile_project(tmp_path / "project", hook, None)
    before = (repo / "ml" / "usecase.yaml").read_text()
    result = run_hook(repo, hook[2])
    assert result.returncode == 1, result.stdout + result.stderr
    for shown in ("BLOCKED  Feed\n", "file: --output=ml/usecase.yaml", "file: --template=x/usecase.yaml"):
        assert shown in result.stdout, shown
    assert not (repo / "PWNED").exists()
    assert (repo / "ml" / "usecase.yaml").read_text() == before


def test_own_args_without_the_final_dashes_refuse_such_a_file_name(
    tmp_path: Path, hook: tuple[Path, str, Path]
) -> None:
    repo = hostile_project(tmp_path / "project", hook, "[--fail-on, blocked]")
    before = (repo / "ml" / "usecase.yaml").read_text()
    result = run_hook(repo, hook[2])
    assert result.returncode == 1 and "Failed" in result.stdout, result.stdout + result.stderr
    assert "- exit code: 2" in result.stdout
    assert "--output=ml/usecase.yaml: error: this argument names an existing file but starts with '-'" in (
        result.stdout
    )
    assert "help: use -- before file names" in result.stdout
    assert not (repo / "PWNED").exists()
    assert (repo / "ml" / "usecase.yaml").read_text() == before
