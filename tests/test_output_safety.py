"""Nothing lost, nothing injected: atomic --output, concurrent runs, escaping, and YAML that stays data."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, run_process

ESC = "\x1b[2J\x1b]8;;http://evil.example\x07"
HOSTILE = f"<script>alert(1)</script> **bold** [x](javascript:alert(1)) {ESC} | pipe"
IN_YAML = HOSTILE.replace(ESC, "\\e[2J\\a")  # YAML double-quoted escapes for ESC and BEL
USECASE = f"""name: "{IN_YAML}"
organization: {{name: "Org {IN_YAML}", type: company, monthly_active_users: 10}}
model: {{id: llama-3.1-8b-instruct, modification: fine-tune, published_name: "Pub \\e[31m <img src=x onerror=alert(1)>"}}
use: {{commercial: true, distribution: hosted-service, purpose: "Purpose \\e[31m <b>weapons</b>"}}
waivers: [{{rule: LLAMA31-BUILT-WITH-LLAMA, reason: "Reason \\e[31m <iframe src=x>", approved_by: "legal \\e[0m", expires: 2030-01-01}}]
"""
ORG_PACK = """pack: {id: acme-policy, name: "Acme <svg onload=alert(1)>", kind: policy, scope: every-model, version: '1', source: https://acme.example/policy}
rules:
  - id: ACME-REVIEW-ALL
    title: "Title <marquee> \\e[31m"
    category: acceptable-use
    outcome: review
    severity: warning
    confidence: P
    clause: "§1 <u>clause</u> \\e[31m"
    when: {fact: use.commercial, eq: true}
    message: "Message <object data=x> \\e[31m"
    remedy: "Remedy <embed src=x> \\e[31m"
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    (tmp_path / "uc.yaml").write_text(USECASE, encoding="utf-8")
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "acme.yaml").write_text(ORG_PACK, encoding="utf-8")
    return tmp_path


def _render(folder: Path, fmt: str) -> str:
    result = run_cli(
        "evaluate", "uc.yaml", "--rules", "own", "--format", fmt, "--fail-on", "never", cwd=folder
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_terminal_formats_drop_control_characters_from_every_input_string(hostile: Path, fmt: str) -> None:
    out = _render(hostile, fmt)
    assert "\x1b" not in out and "\x07" not in out
    shown = ("<script>alert", "Message <object") + (
        ("<iframe src=x>", "§1 <u>clause</u>") if fmt == "text" else ()
    )
    for visible in shown:
        assert visible in out, visible


def test_html_escapes_every_string_from_input_and_from_an_organisation_pack(hostile: Path) -> None:
    out = _render(hostile, "html")
    for raw in (
        "<script>alert",
        "<img src=x",
        "<b>weapons",
        "<iframe",
        "<svg onload",
        "<marquee>",
        "<u>clause",
        "<object",
        "<embed",
    ):
        assert raw not in out, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;iframe src=x&gt;" in out  # the waiver reason
    assert "&lt;object data=x&gt;" in out  # the organisation's pack text
    assert "\x1b" not in out


def test_markdown_neutralises_html_and_links_from_input(hostile: Path) -> None:
    from markdown_it import MarkdownIt

    out = _render(hostile, "markdown")
    # as GitHub's parser reads it (backslashes and entities resolved): no element or link from input
    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(out)
    for raw in ("<script", "<img", "<iframe", "<object", "<embed", 'href="javascript:'):
        assert raw not in page, raw
    assert "\x1b" not in out


def test_output_into_a_directory_or_a_missing_folder_fails_and_keeps_the_previous_report(
    tmp_path: Path,
) -> None:
    (tmp_path / "uc.yaml").write_text("name: ok\nmodel: {id: gpt-oss-20b}\n", encoding="utf-8")
    (tmp_path / "report.json").write_text("previous", encoding="utf-8")
    (tmp_path / "adir").mkdir()
    into_dir = run_cli("evaluate", "uc.yaml", "--output", "adir", "--fail-on", "never", cwd=tmp_path)
    assert into_dir.returncode == 2 and "Traceback" not in into_dir.stderr
    missing = run_cli(
        "evaluate", "uc.yaml", "--output", "nope/report.json", "--fail-on", "never", cwd=tmp_path
    )
    assert missing.returncode == 2 and missing.stderr.startswith(
        "nope/report.json: error: cannot write the report"
    )
    broken = run_cli("evaluate", "uc.yaml", "bad.yaml", "--output", "report.json", cwd=tmp_path)
    assert broken.returncode == 2
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "report.json", "uc.yaml"]


def test_concurrent_runs_write_their_own_complete_reports(tmp_path: Path) -> None:
    samples = sorted((ROOT / "samples").glob("*.yaml"))[:6]

    def one(i: int) -> subprocess.CompletedProcess[str]:
        # real processes: run_cli runs in this process, and its sys.argv, working folder and
        # streams are the process's own, so threads calling it would mix their runs up
        out = tmp_path / f"r{i}.json"
        return run_process(
            "evaluate",
            str(samples[i % len(samples)]),
            "--format",
            "json",
            "--output",
            str(out),
            "--fail-on",
            "never",
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(8)))
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    for i in range(8):
        alone = run_cli("evaluate", str(samples[i % len(samples)]), "--format", "json", "--fail-on", "never")
        assert (tmp_path / f"r{i}.json").read_text(encoding="utf-8") == alone.stdout
    assert not list(tmp_path.glob(".licensecheck-*"))


PAYLOADS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/object:pathlib.Path {{}}",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/apply:subprocess.call [['touch', '{marker}']]",
    "!!python/tuple [1, 2]",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    "!acme/custom {{run: 'touch {marker}'}}",
]
WHERE = {
    "usecase": lambda p: (
        "uc.yaml",
        f"name: x\nmodel: {{id: gpt-oss-20b}}\nuse:\n  purpose: {p}\n",
        ("evaluate", "uc.yaml"),
    ),
    "pack": lambda p: ("own/p.yaml", f"pack: {p}\nrules: []\n", ("evaluate", "ok.yaml", "--rules", "own")),
    "waivers": lambda p: ("w.yaml", f"waivers: {p}\n", ("evaluate", "ok.yaml", "--waivers", "w.yaml")),
    "catalog": lambda p: (
        "cat/c.yaml",
        f"catalog: {{name: c}}\nmodels: {p}\n",
        ("evaluate", "ok.yaml", "--catalog", "cat"),
    ),
    "model-card": lambda p: (
        "m/README.md",
        f"---\nlicense: {p}\n---\n",
        ("evaluate", "ok.yaml", "--model", "m"),
    ),
    "pack-test": lambda p: ("own/p.tests.yaml", f"pack: {p}\ncases: []\n", ("rules", "test", "own")),
}


@pytest.mark.parametrize("where", sorted(WHERE))
def test_no_yaml_construct_imports_or_calls_python(tmp_path: Path, where: str) -> None:
    marker = tmp_path / "pwned"
    for i, payload in enumerate(PAYLOADS):
        case = tmp_path / f"c{i}"
        case.mkdir()
        (case / "ok.yaml").write_text("name: ok\nmodel: {id: gpt-oss-20b}\n", encoding="utf-8")
        name, text, args = WHERE[where](payload.format(marker=marker))
        (case / name).parent.mkdir(parents=True, exist_ok=True)
        (case / name).write_text(text, encoding="utf-8")
        if where == "pack-test":
            (case / "own" / "p.yaml").write_text(ORG_PACK.replace("\\e[31m", ""), encoding="utf-8")
        result = run_cli(*args, cwd=case)
        assert result.returncode == 2, (payload, result.stdout, result.stderr)
        assert "unsupported YAML tag" in result.stderr, (payload, result.stderr)
        assert not marker.exists(), f"{payload} ran code from a {where}"
