"""The library API: what the README promises a Python user, in-process (and the pool example for real)."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

import licensecheck
from licensecheck.api import Context


def test_evaluate_a_mapping_or_a_file_to_a_report(context: Context) -> None:
    usecase = {"name": "chat", "model": {"id": "llama-3.1-8b-instruct"}}
    report = licensecheck.evaluate(context, usecase, as_of="2026-01-01")
    assert isinstance(report, licensecheck.Report)
    assert report.reports[0].model.license == "llama3.1"
    assert report.worst is licensecheck.Verdict.NEEDS_REVIEW  # the user count is not given
    from_file = licensecheck.evaluate(context, SAMPLES / "social-feed-ranking-llama.yaml")
    assert from_file.worst is licensecheck.Verdict.BLOCKED
    assert '"verdict": "blocked"' in licensecheck.render(from_file, "json")
    assert licensecheck.render(from_file, "text", color=True).startswith("\x1b[1;31mBLOCKED")


def test_invalid_input_raises_located_errors(context: Context) -> None:
    with pytest.raises(licensecheck.InputError, match="unknown model"):
        licensecheck.evaluate(context, {"name": "x", "model": {"id": "no-such-model"}})
    with pytest.raises(licensecheck.InputErrors) as info:
        licensecheck.evaluate_files(context, [SAMPLES / "nope.yaml", SAMPLES / "also-nope.yaml"])
    assert [e.message for e in info.value.errors] == ["no such file", "no such file"]


def test_a_context_is_shared_by_threads_and_pickles(context: Context) -> None:
    """Evaluation keeps no state: threads get the reports a single thread gets; workers get a copy."""
    files = sorted(SAMPLES.glob("*.yaml"))
    alone = [licensecheck.evaluate(context, f, as_of="2026-01-01") for f in files]
    results: dict[int, list[licensecheck.Report]] = {}

    def work(n: int) -> None:
        results[n] = [licensecheck.evaluate(context, f, as_of="2026-01-01") for f in files * 5][-len(files) :]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(got == alone for got in results.values())
    copy = pickle.loads(pickle.dumps(context))
    assert [licensecheck.evaluate(copy, f, as_of="2026-01-01") for f in files] == alone


def test_the_readme_process_pool_example_runs(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- example: process-pool .*?-->\n```python\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    code = block.group(1)
    assert len(code.strip().splitlines()) <= 14
    script = tmp_path / "pool.py"
    script.write_text(code.replace("range(0, 10**12, 10**8)", "range(0, 2 * 10**9, 10**8)"), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "12 of 20 blocked\n"  # more than 700 million users: 800M to 1.9B
