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

HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def hook_takes(hook_id: str, path: str) -> bool:
    """Whether pre-commit gives `path` to the hook (its `files` and `exclude` patterns)."""
    hook = HOOKS[hook_id]
    return bool(re.search(hook["files"], path)) and not re.search(hook.get("exclude", "^$"), path)


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
        ("usecases/retail.yaml", True),
        ("usecases/retail/support.yml", True),
        ("usecases/.draft.yaml", False),  # hidden, as `licensecheck evaluate -- usecases/` skips it
        ("usecases/.drafts/retail.yaml", False),
        ("usecases/retail.tests.yaml", False),
        ("ml/usecases/retail.yaml", False),  # the convention is the top-level folder
        ("usecase.yaml", False),
        ("other.yaml", False),
    ],
)
def test_documented_file_pattern(path: str, matches: bool) -> None:
    assert hook_takes("licensecheck", path) is matches


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        (".licensecheck-waivers.yaml", True),
        ("licensecheck-rules/acme.yaml", True),
        ("licensecheck-rules/catalog/models.json", True),
        (".pre-commit-config.yaml", True),
        ("usecases/retail.yaml", False),  # the first hook checks a changed use case
        ("docs/.licensecheck-waivers.yaml", False),
        ("other.yaml", False),
    ],
)
def test_the_all_hook_runs_when_waivers_rules_or_the_version_change(path: str, matches: bool) -> None:
    assert hook_takes("licensecheck-all", path) is matches
    assert HOOKS["licensecheck-all"]["pass_filenames"] is False
    assert HOOKS["licensecheck-all"]["args"][-2:] == ["--", "usecases/"]


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


def run_hook(repo: Path, home: Path, all_files: bool = True) -> subprocess.CompletedProcess[str]:
    """`pre-commit run` on every file, or (`all_files=False`) on the staged ones as a commit does."""
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1")
    env.pop("PRE_COMMIT", None)
    command = [sys.executable, "-m", "pre_commit", "run", "--color", "never"]
    command += ["--all-files"] if all_files else []
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def project(path: Path, hook: tuple[Path, str, Path], args: str | None, *more: str) -> Path:
    """A repository using the hook `licensecheck` with `args`; `more`: lines after its entry."""
    hook_repo, rev, _ = hook
    path.mkdir(parents=True)
    git(path, "init", "-q")
    config = f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: licensecheck\n"
    if args is not None:
        config += f"        args: {args}\n"
    config += "".join(f"{line}\n" for line in more)
    (path / ".pre-commit-config.yaml").write_text(config)
    return path


def test_hook_fails_on_a_blocked_usecase_and_passes_after_a_waiver(
    tmp_path: Path, hook: tuple[Path, str, Path]
) -> None:
    repo = project(tmp_path / "project", hook, "[--as-of, '2026-11-27', --]")
    (repo / "usecases").mkdir()
    usecase = repo / "usecases" / "feed.yaml"
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


WAIVER = (
    "  - rule: LLAMA31-MAU-700M\n"
    "    reason: MAU were below 700 million in June 2024 (board minutes, 2024-07-02)\n"
    "    approved_by: legal@hyperscale.example\n"
    "    expires: 2027-06-30\n"
)


def test_emptying_the_shared_waivers_fails_the_commit_that_does_it(
    tmp_path: Path, hook: tuple[Path, str, Path]
) -> None:
    """The README's configuration: a commit that changes only the waivers file re-checks every
    use case (hook licensecheck-all), so `waivers: []` cannot pass while it unblocks nothing."""
    options = "--waivers, .licensecheck-waivers.yaml, --as-of, '2026-11-27'"
    repo = project(
        tmp_path / "project",
        hook,
        f"[{options}, --]",
        "      - id: licensecheck-all",
        f"        args: [{options}, --, usecases/]",
    )
    (repo / "usecases").mkdir()
    (repo / "usecases" / "feed.yaml").write_text((SAMPLES / "social-feed-ranking-llama.yaml").read_text())
    waivers = repo / ".licensecheck-waivers.yaml"
    waivers.write_text("licensecheck: 1\nwaivers:\n" + WAIVER)
    git(repo, "add", "-A")
    first = run_hook(repo, hook[2])
    assert first.returncode == 0, first.stdout + first.stderr
    git(repo, "commit", "-q", "-m", "use case with its waiver")

    waivers.write_text("licensecheck: 1\nwaivers: []\n")
    git(repo, "add", "-A")
    emptied = run_hook(repo, hook[2], all_files=False)
    assert emptied.returncode == 1, emptied.stdout + emptied.stderr
    assert re.search(r"licensecheck \(AI model licence gate\)\.+\(no files to check\)Skipped", emptied.stdout)
    assert re.search(
        r"licensecheck \(every use case, when waivers, rules or the catalog change\)\.+Failed", emptied.stdout
    )
    assert "BLOCKED  Social feed summaries" in emptied.stdout and "LLAMA31-MAU-700M" in emptied.stdout

    git(repo, "reset", "-q", "--hard")
    (repo / "notes.txt").write_text("unrelated\n")
    git(repo, "add", "-A")
    unrelated = run_hook(repo, hook[2], all_files=False)
    assert unrelated.returncode == 0, unrelated.stdout + unrelated.stderr
    assert "Failed" not in unrelated.stdout and "Passed" not in unrelated.stdout  # both skipped


def hostile_project(path: Path, hook: tuple[Path, str, Path], args: str | None) -> Path:
    """Committed files named like options: `--output=ml/usecase.yaml` would overwrite the use case
    with the report, `--template=x/usecase.yaml` would render x/usecase.yaml (a valid use case
    whose name is a Jinja payload) as the report template and run `touch PWNED`.

    Under the convention (`files: ^usecases/`) every name starts with `usecases/`; a project
    with its own layout sets `files:` and gets such names, so this one matches by file name."""
    repo = project(path, hook, args, r"        files: (^|/)usecase\.yaml$")
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


def test_scan_hook_fails_on_a_model_without_a_use_case_and_passes_with_one(
    tmp_path: Path, hook: tuple[Path, str, Path]
) -> None:
    hook_repo, rev, home = hook
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: licensecheck-scan\n"
        "        args: [--as-of, '2026-11-27', --fail-on, blocked, --, .]\n"
    )
    (repo / "app.py").write_text(
        "from transformers import AutoModelForCausalLM\n\n"
        'model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-3.1-8B-Instruct")\n'
    )
    git(repo, "add", "-A")
    failed = run_hook(repo, home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "licensecheck scan (models used without a use case)" in failed.stdout
    assert "app.py:3:46  meta-llama/Llama-3.1-8B-Instruct" in failed.stdout
    assert "gate failed: 1 model without a use case at 1 place" in failed.stdout
    (repo / "usecase.yaml").write_text((SAMPLES / "retail-support-llama.yaml").read_text())
    git(repo, "add", "-A")
    passed = run_hook(repo, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"licensecheck scan \(models used without a use case\)\.+Passed", passed.stdout)
