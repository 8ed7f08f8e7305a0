"""`evaluate --model`: a catalog id or a Hugging Face repo id the catalog knows, a folder, or a Hub repo."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from licensecheck.cli import cli

# a use case that names another model (Phi-3, MIT) and says how the team derives its own
USECASE = """\
name: Support bot
organization: {type: company, country: US, monthly_active_users: 1000}
model:
  id: phi-3-mini-4k-instruct
  modification: fine-tune
  published_name: Acme-Support-8B
use: {commercial: true, distribution: weights}
"""


@pytest.fixture
def usecase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    # no Hub access in these tests: importing huggingface_hub fails as if the extra were missing
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)
    path = tmp_path / "usecase.yaml"
    path.write_text(USECASE, encoding="utf-8")
    return path


def evaluate(*args: str) -> Result:
    return CliRunner().invoke(
        cli, ["evaluate", "--format", "json", "--fail-on", "never", *args], catch_exceptions=False
    )


def report_of(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)["reports"][0]
    return data


@pytest.mark.parametrize(
    "given", ["llama-3.1-8b-instruct", "meta-llama/Llama-3.1-8B-Instruct", "META-LLAMA/llama-3.1-8b-instruct"]
)
def test_a_catalog_id_or_repo_id_replaces_the_model(usecase: Path, given: str) -> None:
    report = report_of(evaluate("--model", given, "--", str(usecase)))
    assert report["model"]["id"] == "llama-3.1-8b-instruct"
    assert report["model"]["license"] == "llama3.1"
    rules = {f["rule"] for f in report["findings"]}
    # how the team derives the model stays: a fine-tune published without the Llama prefix
    assert "LLAMA31-MODEL-NAME-PREFIX" in rules


def test_without_model_the_use_case_model_is_used(usecase: Path) -> None:
    report = report_of(evaluate("--", str(usecase)))
    assert report["model"]["id"] == "phi-3-mini-4k-instruct"


def test_a_catalog_id_wins_over_a_folder_of_that_name_unless_written_as_a_path(usecase: Path) -> None:
    """A pull request could add a folder named like the model the command line names."""
    folder = usecase.parent / "llama-3.1-8b-instruct"
    folder.mkdir()
    (folder / "README.md").write_text("---\nlicense: apache-2.0\n---\n# not Llama\n", encoding="utf-8")
    assert report_of(evaluate("--model", "llama-3.1-8b-instruct", "--", str(usecase)))["model"][
        "license"
    ] == ("llama3.1")
    as_folder = report_of(evaluate("--model", "./llama-3.1-8b-instruct", "--", str(usecase)))
    assert as_folder["model"]["license"] == "apache-2.0"


def test_an_unknown_id_names_the_nearest_catalog_ids(usecase: Path) -> None:
    result = evaluate("--model", "llama-3.1-8b-instrct", "--", str(usecase))
    assert result.exit_code == 2
    assert "llama-3.1-8b-instrct: error: --model names no catalog model and no model folder" in result.output
    assert "help: nearest catalog ids: llama-3.1-8b-instruct" in result.output
    assert "Traceback" not in result.output and "hub" not in result.output


def test_an_unknown_repo_id_needs_the_hub_extra_by_its_real_name(usecase: Path) -> None:
    result = evaluate("--model", "acme/unknown-model", "--", str(usecase))
    assert result.exit_code == 2
    assert "needs the optional extra `hub`" in result.output
    assert "pip install 'ai-model-licensecheck[hub]'" in result.output


def test_a_file_is_not_a_model(usecase: Path) -> None:
    result = evaluate("--model", str(usecase), "--", str(usecase))
    assert result.exit_code == 2
    assert "--model must be a model folder or a catalog id, not a file" in result.output


def test_a_model_from_an_extra_catalog(usecase: Path, tmp_path: Path) -> None:
    catalogs = tmp_path / "catalogs"
    catalogs.mkdir()
    (catalogs / "ours.yaml").write_text(
        "catalog: {name: acme}\nmodels:\n  - {id: acme-chat-7b, name: Acme Chat 7B, license: apache-2.0,"
        " weights: open, modalities: [text], sources: {basics: ['https://acme.example']}}\n",
        encoding="utf-8",
    )
    result = evaluate("--catalog", str(catalogs), "--model", "acme-chat-7b", "--", str(usecase))
    assert report_of(result)["model"]["id"] == "acme-chat-7b"
