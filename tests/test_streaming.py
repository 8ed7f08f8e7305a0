"""Large runs: text and JSON are written one use case at a time, and --jobs N changes nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, run_cli, run_cli_measured

from licensecheck import api, cli
from licensecheck.api import Context
from licensecheck.formats import REPORT_FORMATS, report_format
from licensecheck.formats.json_report import report_dict
from licensecheck.model import Report, Waiver

AS_OF = "2026-11-27"


def _write_copies(folder: Path, count: int) -> Path:
    samples = sorted(SAMPLES.glob("*.yaml"))
    folder.mkdir(exist_ok=True)
    for i in range(count):
        text = samples[i % len(samples)].read_text(encoding="utf-8")
        (folder / f"case-{i:04d}.yaml").write_text(text.replace("\nname: ", f"\nname: {i:04d} ", 1))
    return folder


@pytest.fixture(scope="module")
def reports(context: Context) -> list[Report]:
    stale = Waiver("NO-SUCH-RULE", "r", "a", "2030-01-01", origin="w.yaml:3", line=3, file="w.yaml")
    full = api.evaluate_files(context, [SAMPLES], as_of=AS_OF, waivers=(stale,))
    assert full.stale_waivers == (stale,)
    one = api.evaluate_files(context, [SAMPLES / "retail-support-llama.yaml"], as_of=AS_OF)
    return [full, one, full._replace(stale_waivers=()), Report((), full.licensecheck_version, AS_OF)]


def test_json_written_one_use_case_at_a_time_is_json_dumps_of_the_whole(reports: list[Report]) -> None:
    for report in reports:
        whole = json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"
        assert report_format("json").render(report) == whole


def test_text_written_one_use_case_at_a_time_ends_with_the_tally(reports: list[Report]) -> None:
    full = report_format("text").render(reports[0])
    assert full.endswith(
        "6 use cases: 1 blocked, 1 needs-review, 2 allowed-with-obligations, 2 allowed\n\n"
        "stale waiver: 'NO-SUCH-RULE' (w.yaml:3) matches no finding of any use case in this run\n"
    )
    assert report_format("text").render(reports[1]).count("use cases:") == 0
    assert report_format("text").render(reports[3]) == "\n"


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_jobs_give_the_same_report_as_one_process(context: Context, tmp_path: Path, fmt: str) -> None:
    folder = _write_copies(tmp_path / "cases", 24)
    outputs = []
    for jobs in (1, 2):
        out = io.StringIO()
        summary = api.write_report(context, [folder], report_format(fmt), out, as_of=AS_OF, jobs=jobs)
        outputs.append((out.getvalue(), summary))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("to_file", [False, True])
def test_a_report_past_the_memory_spool_is_written_whole(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, to_file: bool
) -> None:
    args = ["evaluate", str(SAMPLES), "--as-of", AS_OF, "--fail-on", "never"]
    whole = run_cli(*args)
    monkeypatch.setattr(cli._Spool, "SPOOL_CHARS", 100)  # the rest goes to a temporary file
    if to_file:
        assert run_cli(*args, "--output", str(tmp_path / "r.txt")).stdout == ""
        spooled = (tmp_path / "r.txt").read_text(encoding="utf-8")
    else:
        spooled = run_cli(*args).stdout
    assert len(whole.stdout) > 1000 and spooled == whole.stdout


def test_the_spool_moves_to_a_temporary_file_past_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    opened: list[Any] = []
    real = tempfile.TemporaryFile

    def recording(*args: Any, **kwargs: Any) -> Any:
        opened.append(real(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", recording)
    monkeypatch.setattr(cli._Spool, "SPOOL_CHARS", 100)
    small, large = cli._Spool(), cli._Spool()
    small.write("a" * 60)
    small.write("b" * 40)
    assert opened == [] and list(small.chunks()) == ["a" * 60 + "b" * 40]
    pieces = ["a" * 60, "b" * 60, "c\r\n" * 50, "é" * 30]
    for piece in pieces:
        large.write(piece)
    assert len(opened) == 1
    chunks = list(large.chunks())
    assert "".join(chunks) == "".join(pieces) and max(map(len, chunks)) <= 100
    assert list(large.chunks()) == chunks  # read again from the start
    large.close()
    assert opened[0].closed


def test_an_input_error_in_a_worker_is_reported_with_the_others(context: Context, tmp_path: Path) -> None:
    folder = _write_copies(tmp_path / "cases", 6)
    (folder / "case-0002.yaml").write_text("name: x\nmodel: {id: no-such-model}\n")
    (folder / "case-0004.yaml").write_text("name: other\nmodel: {id: gpt-oss-20b}\nuse: {comercial: true}\n")
    with pytest.raises(api.InputErrors) as info:
        api.write_report(context, [folder], report_format("json"), io.StringIO(), jobs=2)
    assert [(Path(e.file).name, e.line) for e in info.value.errors] == [
        ("case-0002.yaml", 2),
        ("case-0004.yaml", 3),
    ]


def _peak_mib(folder: Path) -> float:
    """Peak memory of `licensecheck evaluate FOLDER` in its own process (conftest's launcher, wait4), in MiB."""
    result = run_cli_measured(
        "evaluate", str(folder), "--format", "json", "--fail-on", "never", "--jobs", "1", cwd=folder.parent
    )
    assert result.returncode == 0, result.stderr
    return result.max_rss_mb


def test_memory_stays_flat_over_a_thousand_use_cases(tmp_path: Path) -> None:
    """Reports are not held: 1,200 use cases peak at about the memory of 100 (holding them: +25 MiB)."""
    _peak_mib(_write_copies(tmp_path / "few", 100))  # fills the rule cache: the runs below read it
    few = _peak_mib(tmp_path / "few")
    many = _peak_mib(_write_copies(tmp_path / "many", 1200))
    assert many - few < 8, f"{few:.0f} MiB for 100 use cases, {many:.0f} MiB for 1,200"
