"""CLI behaviour as a user meets it: exit codes, --fail-on, stdin, directories, --output, schemas, rules commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import ROOT, SAMPLES, run_cli

BLOCKED = SAMPLES / "social-feed-ranking-llama.yaml"
REVIEW = SAMPLES / "internal-code-review-llama.yaml"
OBLIGATIONS = SAMPLES / "retail-support-llama.yaml"


@pytest.mark.parametrize(
    ("sample", "fail_on", "code"),
    [
        (OBLIGATIONS, "needs-review", 0),
        (REVIEW, "needs-review", 1),
        (REVIEW, "blocked", 0),
        (BLOCKED, "blocked", 1),
        (BLOCKED, "never", 0),
    ],
)
def test_exit_code_follows_fail_on(sample: Path, fail_on: str, code: int) -> None:
    assert run_cli("evaluate", str(sample), "--fail-on", fail_on).returncode == code


def test_many_files_give_one_combined_exit_code() -> None:
    result = run_cli("evaluate", str(OBLIGATIONS), str(BLOCKED), "--format", "json")
    assert result.returncode == 1
    assert [r["verdict"] for r in json.loads(result.stdout)["reports"]] == [
        "allowed-with-obligations",
        "blocked",
    ]


def test_stdin_with_a_name() -> None:
    result = run_cli(
        "evaluate", "-", "--stdin-filename", "ml/usecase.yaml", "--format", "json", input=BLOCKED.read_bytes()
    )
    assert result.returncode == 1
    assert json.loads(result.stdout)["reports"][0]["usecase"]["file"] == "ml/usecase.yaml"


def test_output_file_is_written_and_stdout_stays_empty(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run_cli("evaluate", str(OBLIGATIONS), "--format", "json", "-o", str(out))
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(out.read_text())["reports"][0]["verdict"] == "allowed-with-obligations"


def test_json_report_matches_the_published_schema_and_spec_keys() -> None:
    result = run_cli("evaluate", str(SAMPLES), "--format", "json", "--fail-on", "never")
    report = json.loads(result.stdout)
    schema = json.loads(run_cli("schema", "report").stdout)
    jsonschema.validate(report, schema)
    assert set(report) == {"report_format", "licensecheck_version", "reports"}
    for r in report["reports"]:
        assert set(r) == {"usecase", "model", "verdict", "findings"}
        for f in r["findings"]:
            assert set(f) - {"quote"} == {
                "rule", "category", "outcome", "severity", "title", "message", "remedy",
                "license", "clause", "source", "evidence", "waived", "waiver",
            }  # fmt: skip
    quoted = [f for r in report["reports"] for f in r["findings"] if "quote" in f]
    assert quoted and all(0 < len(f["quote"]) <= 400 for f in quoted)  # SPEC 3: optional, the clause sentence


def test_text_report_has_no_colour_with_no_color_and_strips_control_characters(tmp_path: Path) -> None:
    text = BLOCKED.read_text().replace("name: Social feed summaries", 'name: "Evil\\e[31m name"')
    (tmp_path / "u.yaml").write_text(text)
    result = run_cli("evaluate", "u.yaml", "--color", cwd=tmp_path, env={"NO_COLOR": "1"})
    assert "\x1b" not in result.stdout
    assert "Evil[31m name" in result.stdout
    coloured = run_cli("evaluate", "u.yaml", "--color", cwd=tmp_path, env={"NO_COLOR": ""})
    assert "\x1b[1;31mBLOCKED" in coloured.stdout
    assert "Evil\x1b[31m" not in coloured.stdout


def test_output_has_ansi_sequences_stripped_unless_coloured_and_other_text_as_it_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """_emit passes text without an ESC through as it is (click's strip pass is skipped for it) and
    still strips the sequences of output it does not colour."""
    from licensecheck.cli import _emit

    _emit("plain \u00a7 text\n")
    _emit("a \x1b[31mred\x1b[0m b\n")
    _emit("c \x1b[1mbold\x1b[0m\n", color=True)
    assert capsys.readouterr().out == "plain \u00a7 text\na red b\nc \x1b[1mbold\x1b[0m\n"


@pytest.mark.parametrize("name", ["usecase", "rules", "report", "catalog", "waivers", "ruletests", "library"])
def test_schema_command_prints_valid_json_schemas(name: str) -> None:
    result = run_cli("schema", name)
    assert result.returncode == 0
    jsonschema.Draft202012Validator.check_schema(json.loads(result.stdout))


def test_rules_list_show_lint_and_test() -> None:
    listing = run_cli("rules", "list")
    assert listing.returncode == 0 and "llama3.1" in listing.stdout
    shown = run_cli("rules", "show", "LLAMA31-MAU-700M")
    assert "clause: §2" in shown.stdout
    pack = run_cli("rules", "show", "LicenseRef-scancode-llama-3.1-license-2024")
    assert "llama3.1: Llama 3.1 Community License Agreement" in pack.stdout
    missing = run_cli("rules", "show", "LLAMA31-MAU-70")
    assert missing.returncode == 2 and "did you mean" in missing.stderr
    linted = run_cli("rules", "lint", str(ROOT / "rules"))  # the quote lint too (test_signoff_record.py)
    assert linted.returncode == 0 and "all valid" in linted.stdout, linted.stderr
    tested = run_cli("rules", "test", str(ROOT / "rules"))
    assert tested.returncode == 0, tested.stdout
    assert ", 0 failed" in tested.stdout


def test_organisation_rules_dir_adds_a_pack(tmp_path: Path) -> None:
    pack = tmp_path / "policy.yaml"
    pack.write_text(
        """licensecheck: 1
pack: {id: acme-policy, name: Acme AI policy, kind: policy, scope: every-model, version: "1", source: https://acme.example/ai-policy}
rules:
  - id: ACME-NO-BIOMETRICS
    title: No biometric identification at Acme
    category: acceptable-use
    outcome: violation
    severity: error
    clause: "Policy 4.2"
    when: {fact: use.domains, contains: biometric-identification}
    message: Acme policy forbids biometric identification.
"""
    )
    usecase = tmp_path / "u.yaml"
    usecase.write_text(
        "name: door cam\nmodel: {id: gpt-oss-20b}\nuse: {domains: [biometric-identification], distribution: api}\n"
    )
    plain = run_cli("evaluate", str(usecase), "--format", "json")
    assert json.loads(plain.stdout)["reports"][0]["verdict"] == "allowed"
    with_policy = run_cli("evaluate", str(usecase), "--rules", str(tmp_path / "."), "--format", "json")
    assert with_policy.returncode == 2  # the use case file itself sits in the rules folder: not a pack
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    pack.rename(rules_dir / "policy.yaml")
    result = run_cli("evaluate", str(usecase), "--rules", str(rules_dir), "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["reports"][0]["findings"][0]["rule"] == "ACME-NO-BIOMETRICS"


@pytest.mark.parametrize(
    ("pack", "message"),
    [
        (
            "pack: {id: x, name: X, kind: policy, scope: every-model, version: '1', source: https://x.example}\nrules:\n"
            "  - {id: X-ONE, title: t, category: license, outcome: info, severity: info, clause: c, message: m,\n"
            "     when: {fact: use.domains, containz: military}}\n",
            "policy.yaml:4:32: error: unknown key 'containz'",
        ),
        (
            "pack: {id: x, name: X, kind: policy, scope: every-model, version: '1', source: https://x.example}\nrules:\n"
            "  - {id: X-ONE, title: t, category: license, outcome: info, severity: info, clause: c, message: m,\n"
            "     when: {fact: use.domain, contains: military}}\n",
            "policy.yaml:4:19: error: unknown fact 'use.domain'",
        ),
        (
            "pack: {id: x, name: X, kind: policy, scope: every-model, version: '1', source: https://x.example}\nrules:\n"
            "  - {id: X-ONE, title: t, category: license, outcome: violation, severity: error, clause: c, message: m,\n"
            "     confidence: S, when: {fact: use.domains, contains: military}}\n",
            "may not be a violation",
        ),
        (
            "pack: {id: x, name: X, kind: policy, scope: every-model, version: '1', source: https://x.example}\nrules:\n"
            "  - {id: LLAMA31-MAU-700M, title: t, category: license, outcome: info, severity: info, clause: c, message: m,\n"
            "     when: {fact: use.domains, contains: military}}\n",
            "duplicate rule id 'LLAMA31-MAU-700M'",
        ),
        (
            "pack: {id: x, name: X, kind: policy, scope: every-model, version: '1', source: https://x.example}\nrules:\n"
            "  - {id: X-ONE, title: t, category: license, outcome: info, severity: info, clause: c, message: 'see {use.nope}',\n"
            "     when: {fact: use.domains, contains: military}}\n",
            "unknown fact '{use.nope}' in message",
        ),
    ],
)
def test_broken_rule_pack_is_a_located_input_error(tmp_path: Path, pack: str, message: str) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "policy.yaml").write_text(pack)
    result = run_cli("evaluate", str(OBLIGATIONS), "--rules", str(rules_dir), cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_pauses_the_cycle_collector_only_while_it_runs() -> None:
    """A short run turns the collector off; the process has it back afterwards, even on failure."""
    import gc

    assert gc.isenabled()
    seen: list[bool] = []
    from licensecheck import api

    real = api.load_context

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api, "load_context", spy)
        run_cli("evaluate", str(SAMPLES / "retail-support-llama.yaml"))
        run_cli("evaluate", str(SAMPLES / "no-such-file.yaml"))
    assert seen and not any(seen) and gc.isenabled()


def _evaluate_in_a_fresh_interpreter(probe: str) -> None:
    """Run `probe`, code that evaluates the use case sys.argv[1] (a sample) and asserts what that
    run imported or called, in a new Python process: an assert that fails there fails the test."""
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-c", probe, str(SAMPLES / "retail-support-llama.yaml")],
        check=True,
        capture_output=True,
    )


def test_a_one_file_evaluate_makes_no_gettext_call_and_imports_only_what_it_uses() -> None:
    """click's gettext calls (its help and --version options, path types) import the locale
    module and look for message catalogs at every start; the commands built at every start name
    those themselves. A model whose licences are all known needs no data-licence names, and a
    report on stdout no --output checks."""
    probe = (
        "import gettext, sys; calls = []\n"
        "real = gettext.dgettext\n"
        "gettext.dgettext = lambda domain, message: calls.append(message) or real(domain, message)\n"
        "sys.argv = ['licensecheck', 'evaluate', sys.argv[1]]\n"
        "from licensecheck.__main__ import cli\n"  # its main() would end the process: no asserts after
        "try: cli.main()\n"
        "except SystemExit as exit: assert exit.code == 0, exit.code\n"
        "assert calls == [], calls\n"
        "assert not {'licensecheck.datalicense', 'licensecheck.output'} & set(sys.modules)"
    )
    _evaluate_in_a_fresh_interpreter(probe)


def test_the_options_named_without_gettext_are_clicks_own() -> None:
    """PathType, the help option and --version are what click's own would be."""
    import click
    from click.testing import CliRunner

    from licensecheck import __version__
    from licensecheck.cli import PathType, cli

    for options in ({}, {"dir_okay": False}, {"file_okay": False}, {"file_okay": False, "dir_okay": False}):
        assert vars(PathType(**options)) == vars(click.Path(**options))
    ctx = click.Context(cli, info_name="licensecheck", help_option_names=["-h", "--help"])
    ours = cli.get_help_option(ctx)
    theirs = click.Group.get_help_option(click.Group("other"), ctx)
    assert ours is not None and theirs is not None and ours is cli.get_help_option(ctx)
    for option in (ours, theirs):
        assert option.is_eager and option.is_flag and not option.expose_value
    assert ours.get_help_record(ctx) == theirs.get_help_record(ctx)

    @click.command()
    @click.version_option(__version__, prog_name="licensecheck")
    def other() -> None:
        """A command with click's own --version."""

    runner = CliRunner()
    assert runner.invoke(cli, ["--version"]).output == runner.invoke(other, ["--version"]).output
    version = next(p for p in cli.params if p.name == "version")
    theirs = next(p for p in other.params if p.name == "version")
    assert version.get_help_record(ctx) == theirs.get_help_record(ctx)
    assert runner.invoke(cli, ["-h"]).output == runner.invoke(cli, ["--help"]).output


def test_a_command_is_built_only_when_it_runs_or_help_lists_it() -> None:
    """`evaluate` builds no other command; --help and each command find every module of
    licensecheck.commands as the command of its name."""
    probe = (
        "import sys; sys.argv = ['licensecheck', 'evaluate', sys.argv[1]]; "
        "from licensecheck.cli import main\n"
        "try: main()\n"
        "except SystemExit: pass\n"
        "assert not [m for m in sys.modules if m.startswith(('licensecheck.commands', 'licensecheck.scan'))]"
    )
    _evaluate_in_a_fresh_interpreter(probe)
    modules = sorted(p.stem for p in (ROOT / "licensecheck" / "commands").glob("[!_]*.py"))
    assert modules == ["inventory", "models", "rules", "scan", "schema", "shortlist"]
    shown = run_cli("--help").stdout
    listed = shown[shown.index("Commands:") :].split("\n\n")[0].splitlines()[1:]
    assert [line.split()[0] for line in listed] == sorted(["evaluate", *modules])
    for name in modules:
        assert run_cli(name, "--help").stdout.startswith(f"Usage: licensecheck {name} ")
    assert "No such command 'nope'" in run_cli("nope").stderr


def test_a_run_in_process_holds_nothing_once_it_returns() -> None:
    """Only the console script keeps a run's objects until the process ends (cli._hold); a test or
    a library user calling licensecheck.cli.main gets their memory back."""
    from licensecheck import cli

    for args in (["shortlist", str(SAMPLES / "select-support-chat.yaml")], ["evaluate", str(SAMPLES)]):
        assert run_cli(*args).returncode in (0, 1)
        assert cli._held is None
