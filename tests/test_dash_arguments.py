"""File names never become options (issue 11, "code execution").

pre-commit and CI append file names to a command line. Before `--`, an argument that starts
with '-' and names an existing path is refused (exit 2, with the hint to use `--`); so is a path
option's value starting with '-'. After `--` every argument is a file name; '-' alone is stdin.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import ROOT, SAMPLES

from licensecheck.cli import cli

BLOCKED = (SAMPLES / "social-feed-ranking-llama.yaml").read_text()
AS_OF = ("--as-of", "2026-11-27")


def invoke(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False, prog_name="licensecheck")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout with a use case and committed files named like options."""
    monkeypatch.chdir(tmp_path)
    for name, title in (
        ("ml/usecase.yaml", "Feed"),
        ("--output=ml/usecase.yaml", "Feed via output"),
        ("--template=x/usecase.yaml", "Feed via template"),
        ("--waivers=w/usecase.yaml", "Feed via waivers"),
        ("-o", "Feed via o"),
        ("--help", "Feed via help"),
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(BLOCKED.replace("name: Social feed summaries", f"name: {title}"))
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "usecase.yaml").write_text(
        "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}\n"
    )
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "usecase.yaml").write_text(
        "waivers:\n  - {rule: LLAMA31-MAU-700M, reason: x, approved_by: y, expires: 2030-01-01}\n"
    )
    return tmp_path


@pytest.mark.parametrize(
    "hostile",
    ["--output=ml/usecase.yaml", "--template=x/usecase.yaml", "--waivers=w/usecase.yaml", "--help", "-o"],
)
def test_an_existing_file_named_like_an_option_is_refused_before_dashes(repo: Path, hostile: str) -> None:
    before = (repo / "ml" / "usecase.yaml").read_text()
    result = invoke("evaluate", *AS_OF, hostile, "ml/usecase.yaml")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"{hostile}: error: this argument names an existing file but starts with '-', so it would be read as an option\n"
        "  help: use -- before file names: licensecheck evaluate [OPTIONS] -- FILE..."
    ), result.stderr
    assert not (repo / "PWNED").exists()
    assert (repo / "ml" / "usecase.yaml").read_text() == before


def test_after_dashes_every_argument_is_a_file_name(repo: Path) -> None:
    names = [
        "--output=ml/usecase.yaml",
        "--template=x/usecase.yaml",
        "--waivers=w/usecase.yaml",
        "--help",
        "-o",
    ]
    result = invoke("evaluate", *AS_OF, "--format", "json", "--", *names, "ml/usecase.yaml")
    assert result.exit_code == 1, result.stderr
    assert all(f'"file": "{name}"' in result.stdout for name in names)
    assert '"verdict": "allowed' not in result.stdout
    assert not (repo / "PWNED").exists()


@pytest.mark.parametrize("where", [(), ("--",)])
def test_a_lone_dash_is_stdin_before_and_after_dashes(repo: Path, where: tuple[str, ...]) -> None:
    result = invoke("evaluate", *AS_OF, *where, "-", stdin=BLOCKED)
    assert result.exit_code == 1, result.stderr
    assert "BLOCKED  Social feed summaries" in result.stdout


def test_an_unknown_option_says_how_to_pass_a_file_name(repo: Path) -> None:
    result = invoke("evaluate", *AS_OF, "-nothere.yaml")
    assert result.exit_code == 2
    assert "No such option" in result.stderr
    assert "use -- before file names: licensecheck evaluate [OPTIONS] -- FILE..." in result.stderr


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--output", "-report.txt"),
        ("-o", "--output=ml/usecase.yaml"),
        ("--waivers", "-w.yaml"),
        ("--rules", "-rules"),
        ("--catalog", "-catalog"),
        ("--template", "-t.j2"),
        ("--model", "-model"),
    ],
)
def test_a_path_option_value_starting_with_a_dash_is_refused(repo: Path, option: str, value: str) -> None:
    before = (repo / "ml" / "usecase.yaml").read_text()
    result = invoke("evaluate", *AS_OF, option, value, "--", "ml/usecase.yaml")
    assert result.exit_code == 2, result.stdout + result.stderr
    if value.startswith("--output"):  # an existing file: refused before parsing
        assert "this argument names an existing file" in result.stderr
    else:
        assert result.stderr.startswith(f"{value}: error: the value of ")
        assert f"help: write ./{value} for a file whose name starts with '-'" in result.stderr
    assert (repo / "ml" / "usecase.yaml").read_text() == before
    assert not (repo / "-report.txt").exists()


def test_shortlist_takes_a_dash_file_after_dashes_only(repo: Path) -> None:
    refused = invoke("shortlist", *AS_OF, "--output=ml/usecase.yaml")
    assert refused.exit_code == 2
    assert "use -- before file names: licensecheck shortlist [OPTIONS] -- FILE..." in refused.stderr
    accepted = invoke("shortlist", *AS_OF, "--top", "1", "--", "--output=ml/usecase.yaml")
    assert accepted.exit_code in (0, 1), accepted.stderr
    assert "Feed via output" in accepted.stdout


def test_rules_commands_take_a_dash_folder_after_dashes_only(repo: Path) -> None:
    (repo / "-own").mkdir()
    (repo / "-own" / "p.yaml").write_text(
        "licensecheck: 1\npack: {id: acme, name: Acme, kind: policy, scope: every-model, version: '1', "
        "source: 'https://acme.example/p'}\nrules: []\n"
    )
    assert invoke("rules", "lint", "-own").exit_code == 2
    assert "names an existing file" in invoke("rules", "lint", "-own").stderr
    linted = invoke("rules", "lint", "--", "-own")
    assert linted.exit_code in (0, 2) and "this argument names" not in linted.stderr
    assert invoke("models", "list", "--rules", "-own").exit_code == 2


DOCUMENTED = re.compile(
    r"(?:licensecheck (?:evaluate|shortlist|rules lint/test|rules lint|rules test)|licensecheck\.identify_cli)"
    r"\b([^`\n#]*)"
)


@pytest.mark.parametrize("doc", ["README.md", "rules/README.md", "templates/README.md"])
def test_every_documented_command_taking_paths_ends_its_options_with_dashes(doc: str) -> None:
    # a command continues on the next line after a backslash, or indented under itself (synopsis)
    text = re.sub(r"\\\n|\n {10,}(?=\[)", " ", (ROOT / doc).read_text(encoding="utf-8"))
    commands = [m.group(1).strip() for m in DOCUMENTED.finditer(text)]
    with_paths = [c for c in commands if c and not c.startswith(("checks", "against", "over", "on the"))]
    assert with_paths, doc
    for command in with_paths:
        assert re.search(r"(^|\s)(--|\[--\])(\s|$)", command), f"{doc}: licensecheck ... {command}"


def test_the_hooks_end_their_default_options_with_dashes() -> None:
    hooks = {
        h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    assert {h["entry"] for h in hooks.values()} == {
        "licensecheck evaluate",
        "licensecheck scan --require-usecase",
    }
    assert hooks["licensecheck"]["args"] == ["--"]  # pre-commit appends the file names
    assert hooks["licensecheck-all"]["args"] == ["--", "usecases/"]  # no file names: the folder
    assert hooks["licensecheck-scan"]["args"] == ["--", "."]  # no file names: the repository
    assert hooks["licensecheck-scan"]["pass_filenames"] is False


def test_identify_licence_takes_a_dash_file_after_dashes_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from licensecheck.identify_cli import identify_licence

    monkeypatch.chdir(tmp_path)
    (tmp_path / "--json").write_text("MIT License\n\nPermission is hereby granted, free of charge.\n")
    runner = CliRunner()
    refused = runner.invoke(identify_licence, ["--json"], prog_name="licensecheck identify-licence")
    assert refused.exit_code == 2 and "use -- before file names" in refused.stderr
    read = runner.invoke(identify_licence, ["--", "--json"], prog_name="licensecheck identify-licence")
    assert read.exit_code == 0, read.stderr
    assert read.stdout.startswith("--json: ")
