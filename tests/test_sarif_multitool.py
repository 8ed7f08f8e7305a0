"""The samples' SARIF as GitHub ingests it: Microsoft's SARIF Multitool, GitHub rules (Gh).

Needs the Multitool from npm (`@microsoft/sarif-multitool`); its executable's path goes in
LICENSECHECK_SARIF_MULTITOOL (`.ci/run` installs it and sets it). Without it the tests skip.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from licensecheck.cli import cli


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("validate_sarif", ROOT / "scripts" / "validate_sarif.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def multitool() -> str:
    path = os.environ.get("LICENSECHECK_SARIF_MULTITOOL")
    if not path or not Path(path).is_file():
        pytest.skip(
            "SARIF Multitool not found: npm install @microsoft/sarif-multitool and set "
            "LICENSECHECK_SARIF_MULTITOOL to its Sarif.Multitool executable (.ci/run does)"
        )
    return path


def sarif_of(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "report.sarif"
    result = CliRunner().invoke(
        cli,
        [
            "evaluate",
            "--format",
            "sarif",
            "--fail-on",
            "never",
            "--as-of",
            "2025-06-01",
            "--output",
            str(out),
            *args,
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return out


def test_samples_pass_githubs_ingestion_rules(
    multitool: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # run from the repository root, as the README's workflow does
    assert _script().validate(multitool, sarif_of(tmp_path, "--", "samples/")) == []


def test_waived_findings_pass_githubs_ingestion_rules(
    multitool: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "licensecheck: 1\nwaivers:\n  - rule: LLAMA31-MAU-700M\n    reason: MAU below 700 million at release\n"
        "    approved_by: legal@example.com\n    expires: 2027-01-01\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(ROOT)
    sarif = sarif_of(tmp_path, "--waivers", str(waivers), "--", "samples/")
    assert "suppressions" in sarif.read_text(encoding="utf-8")
    assert _script().validate(multitool, sarif) == []


def test_the_check_fails_a_result_without_a_location(multitool: str, tmp_path: Path) -> None:
    sarif = sarif_of(tmp_path, "--", str(SAMPLES / "social-feed-ranking-llama.yaml"))
    data = json.loads(sarif.read_text(encoding="utf-8"))
    del data["runs"][0]["results"][0]["locations"]
    sarif.write_text(json.dumps(data), encoding="utf-8")
    problems = _script().validate(multitool, sarif)
    assert any("GH1015 error" in p and "locations" in p for p in problems), problems


def test_the_scans_sarif_passes_githubs_ingestion_rules(
    multitool: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`licensecheck scan --format sarif`: alerts in code, notebooks and configs, a file not parsed,
    and the use cases' own findings in the same run."""
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "app.py").write_text(
        "import os\nimport anthropic\n\n"
        'anthropic.Anthropic().messages.create(model="claude-3-5-sonnet-20241022", max_tokens=1, messages=[])\n'
        'anthropic.Anthropic().messages.create(model=os.environ["MODEL"], max_tokens=1, messages=[])\n',
        encoding="utf-8",
    )
    (repo / "src" / "broken.py").write_text('m = from_pretrained("x")\ndef (:\n', encoding="utf-8")
    (repo / "usecases").mkdir()
    (repo / "usecases" / "feed.yaml").write_text(
        (SAMPLES / "social-feed-ranking-llama.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.chdir(repo)
    out = tmp_path / "scan.sarif"
    result = CliRunner().invoke(
        cli,
        [
            "scan",
            "--require-usecase",
            "--format",
            "sarif",
            "--fail-on",
            "never",
            "--output",
            str(out),
            "--",
            ".",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 1, result.output
    rules = {r["ruleId"] for r in json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]}
    assert {"SCAN-NO-USECASE", "SCAN-UNRESOLVED", "SCAN-FILE-NOT-READ", "LLAMA31-MAU-700M"} <= rules
    assert _script().validate(multitool, out) == []
