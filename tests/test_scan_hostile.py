"""Hostile repositories for `licensecheck scan`: the same guarantees as `evaluate`."""

# Bounded time and memory, located messages, nothing executed, no traceback; a file the scan
# cannot read is a located note, never a crash, and names from the file system are cleaned
# before they reach a terminal, a log or a comment.

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import run_cli_measured

from licensecheck.cli import cli
from licensecheck.scan import find_references

CPU_LIMIT_S = 60.0  # the child's own CPU time (os.wait4), generous: the machine is shared
MEMORY_LIMIT_MB = 600.0
TRIGGER = 'm = AutoModel.from_pretrained("google/gemma-2-9b-it")\n'


def hostile_files() -> dict[str, bytes]:
    nested_yaml = "model: gpt-4o\nx: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n"
    laughs = "a: &a [model, model, model, model, model, model, model, model, model]\n"
    for i in range(1, 20):
        laughs += f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]\n"
    return {
        "deep_parens.py": (TRIGGER + "x = " + "(" * 200_000 + ")" * 200_000 + "\n").encode(),
        "deep_lists.py": (TRIGGER + "x = " + "[" * 200_000 + "]" * 200_000 + "\n").encode(),
        "long_chain.py": (
            TRIGGER + 'model = "a"' + ' + "b"' * 100_000 + "\nAutoModel.from_pretrained(model)\n"
        ).encode(),
        "unary_chain.py": (TRIGGER + "model_id = " + "-" * 100_000 + "1\n").encode(),
        "many_refs.py": TRIGGER.encode() * 20_000,
        "deep.json": b'{"model": "gpt-4o", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "deep.yaml": nested_yaml.encode(),
        "laughs.yaml": laughs.encode(),
        "deep.ipynb": b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "odd.ipynb": json.dumps(
            {"cells": [{"cell_type": "code", "source": 5}, 7, {"cell_type": "code"}]}
        ).encode(),
        "big.py": b"# " + b"x" * (6 * 1024 * 1024) + b"\n" + TRIGGER.encode(),
        "binary.py": b"\x00\x01" + TRIGGER.encode(),
        "latin1.py": b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + TRIGGER.encode(),
        "bad.yaml": b"model: \xff\xfe gpt-4o\n",
        "broken.py": TRIGGER.encode() + b"def (:\n",
        "tokens.toml": b'model = "claude-3-5-sonnet-20241022"\n' + b"x = [" * 50_000,
        "Dockerfile": b"RUN " + b"\\\n" * 100_000 + b"ollama pull llama3.2\n",
        "run.sh": b"vllm serve " + b"'" * 100_001 + b"\n" + b"$(" * 50_000 + b"\n",
    }


def make(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def run(root: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    return CliRunner().invoke(cli, ["scan", "--as-of", "2026-06-01", *args], catch_exceptions=False)


def test_hostile_files_give_located_notes_not_crashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, hostile_files())
    result = run(tmp_path, "--format", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    notes = {d["file"]: d["message"] for d in data["diagnostics"]}
    assert "not parsed as Python" in notes["deep_parens.py"]
    assert "not parsed as Python" in notes["deep_lists.py"]
    assert notes["big.py"].startswith("not read:")
    assert "not read as JSON" in notes["deep.json"]
    assert "not read as YAML" in notes["deep.yaml"]
    assert "not read as a notebook" in notes["deep.ipynb"]
    assert notes["bad.yaml"] == "not read: not UTF-8 text"
    assert notes["broken.py"].startswith("not parsed as Python: invalid syntax")
    assert "binary.py" not in notes  # binary data is skipped quietly
    assert data["skipped"] == {"binary": 1}
    found = {(r["file"], r["value"]) for r in data["references"]}
    assert ("latin1.py", "google/gemma-2-9b-it") in found  # a PEP 263 coding line is honoured
    assert ("laughs.yaml", None) not in found
    assert ("Dockerfile", "llama3.2") in found
    assert sum(r["file"] == "many_refs.py" for r in data["references"]) == 20_000
    # every diagnostic is located
    assert all(d["line"] >= 1 and d["col"] >= 1 for d in data["diagnostics"])


def test_a_fifo_does_not_hang_the_scan(tmp_path: Path) -> None:
    make(tmp_path, {"app.py": TRIGGER.encode()})
    os.mkfifo(tmp_path / "pipe.py")
    found = find_references([str(tmp_path)])
    assert [Path(r.location.path).name for r in found.references] == ["app.py"]
    assert dict(found.skipped)["not a regular file"] == 1


def test_a_symlink_loop_is_not_followed(tmp_path: Path) -> None:
    make(tmp_path, {"app.py": TRIGGER.encode()})
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self.py").symlink_to(tmp_path / "self.py")
    found = find_references([str(tmp_path)])
    assert [Path(r.location.path).name for r in found.references] == ["app.py"]


HOSTILE_NAMES = {
    "evil\x1b[31mred\x1b[0m.py": TRIGGER,
    "two\nlines.py": TRIGGER,
    "bidi\u202eyp.py": TRIGGER,
}


@pytest.mark.parametrize("fmt", ["text", "github", "markdown"])
def test_file_names_are_cleaned_in_terminals_logs_and_comments(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, {name: text.encode() for name, text in HOSTILE_NAMES.items()})
    (tmp_path / os.fsdecode(b"caf\xe9.py")).write_text(TRIGGER)  # not UTF-8
    result = run(tmp_path, "--require-usecase", "--format", fmt, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    out = result.stdout
    assert "\x1b" not in out and "\u202e" not in out
    if fmt == "github":
        commands = [line for line in out.splitlines() if line.startswith("::error ")]
        assert len(commands) == 4  # one line each: a newline in a name cannot start a command
        assert any("file=two%0Alines.py" in c for c in commands)
    assert "caf\ufffd.py" in out


def test_json_stays_valid_utf8_with_hostile_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / os.fsdecode(b"caf\xe9.py")).write_text(TRIGGER)
    make(tmp_path, {"evil\x1b[31m.py": TRIGGER.encode()})
    result = run(tmp_path, "--format", "json", monkeypatch=monkeypatch)
    data = json.loads(result.stdout_bytes.decode("utf-8"))
    assert {r["file"] for r in data["references"]} == {"caf\ufffd.py", "evil\x1b[31m.py"}


def test_nothing_in_the_code_is_executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "PWNED"
    payload = f"import pathlib; pathlib.Path({str(marker)!r}).touch()\n"
    make(
        tmp_path,
        {
            "app.py": (payload + TRIGGER).encode(),
            "conftest.py": payload.encode(),
            "setup.py": payload.encode(),
            "notebook.ipynb": json.dumps(
                {"cells": [{"cell_type": "code", "source": payload + TRIGGER}]}
            ).encode(),
            "config.yaml": b"model: !!python/object/apply:os.system ['touch PWNED']\n",
            "run.sh": b"ollama pull $(touch PWNED)\n",
        },
    )
    result = run(tmp_path, "--format", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert not marker.exists() and not (tmp_path / "PWNED").exists()


def test_time_and_memory_are_bounded(tmp_path: Path) -> None:
    """A real process over every hostile file at once: its own CPU time and peak memory (measured
    through conftest's launcher: a child started by the test process would count its memory)."""
    make(tmp_path, hostile_files())
    result = run_cli_measured(
        "scan", "--format", "json", "--", str(tmp_path), cwd=tmp_path, cpu_limit_s=int(CPU_LIMIT_S)
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.cpu_seconds < CPU_LIMIT_S
    assert result.max_rss_mb < MEMORY_LIMIT_MB


def test_invisible_or_look_alike_characters_do_not_hide_a_model(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "app.py": (
                'from openai import OpenAI\n\nOpenAI().chat.completions.create(model="gpt\u200b-4o", messages=[])\n'
                'OpenAI().chat.completions.create(model="g\u0440t-4o", messages=[])\n'  # Cyrillic er
            ).encode()
        },
    )
    found = {
        (r.location.line, r.value, r.expression, r.reason)
        for r in find_references([str(tmp_path)]).references
    }
    assert (3, None, "gpt\\u200b-4o", "not a model name as written") in found  # shown escaped, reviewed
    assert (
        4,
        "g\u0440t-4o",
        "g\u0440t-4o",
        "",
    ) in found  # a name the catalog does not know: needs a use case
