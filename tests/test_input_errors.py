"""Bad input: one located message with a hint, exit 2, no traceback, no report (golden messages)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import GOLDEN, check_golden, run_cli, run_cli_measured

VALID = b"""name: ok
organization: {type: company, country: US, monthly_active_users: 100}
model: {id: llama-3.1-8b-instruct, modification: none}
use: {commercial: true, distribution: internal}
"""

CASES: dict[str, bytes] = {
    "broken-yaml": b"name: x\nmodel: {id: llama-3.1-8b-instruct\nuse: {}\n",
    "tab-indent": b"name: x\nmodel:\n\tid: gpt-oss-20b\n",
    "empty-file": b"",
    "not-a-mapping": b"- just\n- a list\n",
    "missing-name": b"model: {id: gpt-oss-20b}\n",
    "unknown-key": b"name: x\nmodel: {id: gpt-oss-20b}\norganisation: {country: DE}\n",
    "unknown-nested-key": b"name: x\nmodel: {id: gpt-oss-20b}\nuse: {comercial: true}\n",
    "wrong-type": b"name: x\nmodel: {id: gpt-oss-20b}\norganization: {monthly_active_users: lots}\n",
    "bad-enum": b"name: x\nmodel: {id: gpt-oss-20b}\nuse: {distribution: hosted}\n",
    "negative-revenue": b"name: x\nmodel: {id: gpt-oss-20b}\norganization: {annual_revenue_usd: -5}\n",
    "unknown-model": b"name: x\nmodel: {id: llama-3.1-8b-instrct}\n",
    "unknown-license": b"name: x\nmodel: {name: Acme 7B, license: apache-3}\n",
    "duplicate-key": b"name: x\nmodel: {id: gpt-oss-20b}\nname: y\n",
    "python-tag": b"name: !!python/object/apply:os.system ['echo pwned']\nmodel: {id: gpt-oss-20b}\n",
    "bad-date": b"name: x\nmodel: {id: gpt-oss-20b}\nrequirements: {released_after: 2024-13-40}\n",
    "impossible-date": b"name: x\nmodel: {id: gpt-oss-20b}\nwaivers: [{rule: X-Y, reason: r, approved_by: me, expires: 2027-02-30}]\n",
    "nan": b"name: x\nmodel: {id: gpt-oss-20b}\norganization: {annual_revenue_usd: .nan}\n",
    "infinity": b"name: x\nmodel: {id: gpt-oss-20b}\norganization: {annual_revenue_usd: .inf}\n",
    "alias-bomb": b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
    "deep-nesting": b"name: x\nmodel: " + b"[" * 10000 + b"]" * 10000 + b"\n",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "not-utf8": b"name: caf\xe9\nmodel: {id: gpt-oss-20b}\n",
    "merge-key": b"base: &b {id: gpt-oss-20b}\nname: x\nmodel: {<<: *b}\n",
    "model-without-facts": b"name: x\nmodel: {modification: none}\n",
    "bad-region": b"name: x\nmodel: {id: gpt-oss-20b}\ndeployment: {regions: [Germany]}\n",
    "python-name-tag": b"name: !!python/name:os.system\nmodel: {id: gpt-oss-20b}\n",
    "python-module-tag": b"name: x\nmodel: !!python/module:os\n",
    "custom-tag": b"name: x\nmodel: !acme/model {id: gpt-oss-20b}\n",
    "deep-block-nesting": b"name: x\nmodel:\n" + b"".join(b" " * i + b"k:\n" for i in range(1, 200)),
    "negative-mau": b"name: x\nmodel: {id: gpt-oss-20b}\norganization: {monthly_active_users: -1}\n",
    "accepted-on-month-13": b"name: x\nmodel: {id: llama-3.1-8b-instruct}\n"
    b"organization: {accepted_terms: [{license: llama3.1, accepted_on: 2024-13-40, by: me}]}\n",
    "purpose-too-long": b"name: x\nmodel: {id: gpt-oss-20b}\nuse: {purpose: " + b"weapons " * 3000 + b"}\n",
    "utf16-with-bom": "name: x\nmodel: {id: gpt-oss-20b}\n".encode("utf-16"),
    "fifty-megabytes": b"name: x\nmodel: {id: gpt-oss-20b}\n#" + b"a" * (50 * 1024 * 1024),
    # issue 11: numbers that crashed (int conversion limit, float overflow in the cost estimate)
    "integer-of-5000-digits": b"name: x\nmodel: {id: gpt-oss-20b}\norganization: {monthly_active_users: "
    + b"9" * 5000
    + b"}\n",
    "hex-integer-of-100-digits": b"name: x\nmodel: {id: gpt-oss-20b}\norganization: {monthly_active_users: 0x"
    + b"f" * 100
    + b"}\n",
    "tokens-ten-to-the-400": b"name: x\nmodel: {id: gpt-4o}\nrequirements: {max_monthly_cost_usd: 100,"
    b" monthly_output_tokens: 1, monthly_input_tokens: 1" + b"0" * 400 + b"}\n",
    "tokens-float-overflow": b"name: x\nmodel: {id: gpt-4o}\nrequirements: {max_monthly_cost_usd: 100,"
    b" monthly_output_tokens: 1.0e+300, monthly_input_tokens: 1.0e+300}\n",
    "price-float-overflow": b"name: x\nmodel: {name: Acme, license: mit, price_input_per_mtok_usd: 1.0e+308,"
    b" price_output_per_mtok_usd: 1}\nrequirements: {max_monthly_cost_usd: 100, monthly_output_tokens: 1,"
    b" monthly_input_tokens: 1000000}\n",
    "parameters-float-overflow": b"name: x\nmodel: {name: Acme, license: mit, parameters_b: 1.0e+308}\n"
    b"deployment: {precision: fp32}\n",
}
CPU_LIMIT_S = 2.0  # CPU time of the child (os.wait4), not wall time: steady on a busy machine
MEMORY_LIMIT_MB = 300.0


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_a_located_message_and_exit_2(name: str, tmp_path: Path, update_golden: bool) -> None:
    (tmp_path / "usecase.yaml").write_bytes(CASES[name])
    result = run_cli("evaluate", "usecase.yaml", "--output", "report.json", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "report.json").exists(), "no report may be written on invalid input"
    assert result.stderr.startswith("usecase.yaml")
    check_golden(GOLDEN / "errors" / f"{name}.txt", result.stderr, update_golden)


# The inputs built to exhaust time or memory run in a process of their own, with budgets on its
# CPU time and peak memory (os.wait4: steady on a busy machine, unlike the wall clock).
HEAVY = ("bomb", "deep", "fifty", "too-long", "digits", "ten-to")


@pytest.mark.parametrize("name", sorted(n for n in CASES if any(word in n for word in HEAVY)))
def test_bad_input_is_refused_within_cpu_and_memory_budgets(name: str, tmp_path: Path) -> None:
    (tmp_path / "usecase.yaml").write_bytes(CASES[name])
    result = run_cli_measured("evaluate", "usecase.yaml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.cpu_seconds < CPU_LIMIT_S, f"{result.cpu_seconds:.2f} s of CPU"
    assert result.max_rss_mb < MEMORY_LIMIT_MB, f"{result.max_rss_mb:.0f} MB"


def test_a_bad_file_among_good_ones_fails_the_batch_and_names_each_problem(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_bytes(VALID)
    (tmp_path / "bad1.yaml").write_bytes(CASES["unknown-key"])
    (tmp_path / "bad2.yaml").write_bytes(CASES["bad-enum"])
    result = run_cli("evaluate", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad1.yaml:3:1: error: unknown key 'organisation'" in result.stderr
    assert "bad2.yaml:3:21: error:" in result.stderr
    assert "2 input errors; no report written." in result.stderr
    assert result.stdout == ""


def test_failed_write_keeps_the_previous_report(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_bytes(VALID)
    (tmp_path / "bad.yaml").write_bytes(CASES["broken-yaml"])
    (tmp_path / "report.json").write_text("previous")
    result = run_cli("evaluate", "ok.yaml", "bad.yaml", "--output", "report.json", cwd=tmp_path)
    assert result.returncode == 2
    assert (tmp_path / "report.json").read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".licensecheck-")] == []


def test_missing_file_and_empty_folder(tmp_path: Path) -> None:
    result = run_cli("evaluate", "nope.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("nope.yaml: error: no such file")
    (tmp_path / "empty").mkdir()
    result = run_cli("evaluate", "empty", cwd=tmp_path)
    assert result.returncode == 2
    assert "no *.yaml or *.yml use-case files" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_bytes(VALID)
    assert run_cli("evaluate", "ok.yaml", "--format", "pdf", cwd=tmp_path).returncode == 2
    assert run_cli("evaluate", cwd=tmp_path).returncode == 2
    bad_date = run_cli("evaluate", "ok.yaml", "--as-of", "tomorrow", cwd=tmp_path)
    assert bad_date.returncode == 2
    assert "--as-of: error: 'tomorrow' is not a date" in bad_date.stderr


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + VALID)
    (tmp_path / "plain.yaml").write_bytes(VALID)
    with_bom = run_cli("evaluate", "bom.yaml", "--format", "json", "--fail-on", "never", cwd=tmp_path)
    plain = run_cli("evaluate", "plain.yaml", "--format", "json", "--fail-on", "never", cwd=tmp_path)
    assert with_bom.returncode == 0, with_bom.stderr
    assert with_bom.stdout.replace("bom.yaml", "plain.yaml") == plain.stdout


def test_a_fifo_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    result = run_cli_measured("evaluate", "pipe.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("pipe.yaml: error: not a regular file")


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root reads a chmod 000 file anyway (CI runs as root)",
)
def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_bytes(VALID)
    path.chmod(0)
    result = run_cli("evaluate", "secret.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("secret.yaml: error: permission denied")


def test_a_directory_named_like_a_use_case_is_walked_not_read(tmp_path: Path) -> None:
    (tmp_path / "cases.yaml").mkdir()
    (tmp_path / "cases.yaml" / "bad.yaml").write_bytes(CASES["unknown-key"])
    result = run_cli("evaluate", "cases.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("cases.yaml/bad.yaml:3:1: error: unknown key")
