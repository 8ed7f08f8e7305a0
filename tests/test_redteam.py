"""Red-team regressions (issue 11's hidden set): inputs a pull request controls that passed the gate.

Each test is a hole found by attacking main after issue 11's fixes, and asserts the class of fix:
a needs-review or blocked verdict, or a located exit 2. In-process (the process is not under test).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

AS_OF = ("--as-of", "2026-11-27")
# Blocked on the Llama 3.1 licence (weapons) if the model's licence is known.
USECASE = (
    "name: Targeting\n"
    "organization: {name: Acme, type: company, country: DE, monthly_active_users: 1000}\n"
    "model: {path: ./model}\n"
    "use: {commercial: true, distribution: internal, end_users: internal, domains: [weapons],"
    " outputs_train_models: false}\n"
)


def report(cwd: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("evaluate", "--format", "json", "--fail-on", "never", *AS_OF, *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.returncode, json.loads(result.stdout)["reports"][0]


def counted(rep: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in rep["findings"] if f["outcome"] in ("violation", "review") and not f["waived"]}


@pytest.mark.parametrize(
    "files",
    [
        {"README.md": "---\ntags: [text-generation]\n---\n# A model\n"},  # a card without `license:`
        {"config.json": "{}"},  # no card at all
        {"README.md": "# A model\n\nLicensed as you like.\n"},  # a card without front matter
    ],
    ids=["card-without-licence", "no-card", "no-front-matter"],
)
def test_a_model_folder_that_states_no_licence_needs_review(tmp_path: Path, files: dict[str, str]) -> None:
    """A folder whose card leaves out `license:` gave ALLOWED with no finding: no pack applied."""
    (tmp_path / "model").mkdir()
    for name, text in files.items():
        (tmp_path / "model" / name).write_text(text, encoding="utf-8")
    (tmp_path / "uc.yaml").write_text(USECASE, encoding="utf-8")
    _, rep = report(tmp_path, "--", "uc.yaml")
    assert rep["verdict"] == "needs-review"
    assert rep["model"]["license"] is None  # no licence is invented for it
    assert "CARD-LICENSE-NONE" in counted(rep)
    # through --model too
    _, rep = report(tmp_path, "--model", "./model", "--", "uc.yaml")
    assert rep["verdict"] == "needs-review" and "CARD-LICENSE-NONE" in counted(rep)


def test_a_base_model_folder_that_states_no_licence_needs_review(tmp_path: Path) -> None:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "README.md").write_text(
        "---\nlicense: mit\nbase_model: ../base\n---\n", encoding="utf-8"
    )
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "config.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".git").mkdir()  # the repository both folders lie in
    (tmp_path / "uc.yaml").write_text(
        USECASE.replace("{path: ./model}", "{path: ./model, modification: fine-tune}"), encoding="utf-8"
    )
    _, rep = report(tmp_path, "--", "uc.yaml")
    assert rep["verdict"] == "needs-review"
    assert "LINEAGE-LICENSE-UNRECOGNISED" in counted(rep)
    assert any("base: none stated" in f["message"] for f in rep["findings"])


@pytest.mark.parametrize(
    ("model", "source"),
    [
        ("{id: llama-3.1-8b-instruct, license: mit}", "the catalog gives this model the licence llama3.1"),
        ("{id: meta-llama/Llama-3.1-8B-Instruct, license: apache-2.0}", "the catalog gives"),
        ("{id: llama-3.1-8b-instruct, license: other, license_name: mit}", "the catalog gives"),
        ("{path: ./model, license: mit}", "its model card gives this model the licence llama3.1"),
    ],
)
def test_a_use_case_cannot_relabel_its_models_licence(tmp_path: Path, model: str, source: str) -> None:
    """`model: {id: llama-3.1-8b-instruct, license: mit}` dropped every Llama term: ALLOWED."""
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "README.md").write_text("---\nlicense: llama3.1\n---\n", encoding="utf-8")
    (tmp_path / "uc.yaml").write_text(USECASE.replace("{path: ./model}", model), encoding="utf-8")
    result = run_cli("evaluate", *AS_OF, "--", "uc.yaml", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith("uc.yaml:3:"), result.stderr
    assert f"error: {source}" in result.stderr and "a use case cannot restate it as" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "model",
    [
        "{id: llama-3.1-8b-instruct, license: LLAMA3.1}",  # the same licence, as written elsewhere
        "{path: ./model, license: mrl}",  # a card tagged `other`: the use case identifies it
    ],
)
def test_a_use_case_may_restate_the_same_licence_or_identify_an_other(tmp_path: Path, model: str) -> None:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "README.md").write_text("---\nlicense: other\n---\n", encoding="utf-8")
    (tmp_path / "uc.yaml").write_text(USECASE.replace("{path: ./model}", model), encoding="utf-8")
    _, rep = report(tmp_path, "--", "uc.yaml")
    assert rep["model"]["license"] in ("llama3.1", "mrl")
    assert rep["verdict"] in ("blocked", "needs-review")


def _inputs(tmp_path: Path) -> dict[str, bytes]:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "README.md").write_text("---\nlicense: mit\n---\n", encoding="utf-8")
    (tmp_path / "uc.yaml").write_text(USECASE, encoding="utf-8")
    (tmp_path / "w.yaml").write_text("licensecheck: 1\nwaivers: []\n", encoding="utf-8")
    (tmp_path / "t.html").write_text("{{ worst }}\n", encoding="utf-8")
    (tmp_path / "uc-link.yaml").symlink_to("uc.yaml")
    os.link(tmp_path / "uc.yaml", tmp_path / "uc-hard.yaml")
    return {p.name: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("output", "args", "shown"),
    [
        ("uc.yaml", ("--", "uc.yaml"), "names an input of this run (uc.yaml)"),
        ("./sub/../uc.yaml", ("--", "uc.yaml"), "names an input of this run (uc.yaml)"),
        ("uc-link.yaml", ("--", "uc.yaml"), "names an input of this run (uc.yaml)"),
        ("uc-hard.yaml", ("--", "uc.yaml"), "names an input of this run (uc.yaml)"),
        ("uc.yaml", ("--", "."), "names an input of this run (./uc-hard.yaml)"),
        ("w.yaml", ("--waivers", "w.yaml", "--", "uc.yaml"), "names an input of this run (w.yaml)"),
        ("t.html", ("--template", "t.html", "--", "uc.yaml"), "names an input of this run (t.html)"),
        ("model/README.md", ("--model", "./model", "--", "uc.yaml"), "lies in a folder this run reads"),
    ],
)
def test_evaluate_output_may_not_replace_an_input(
    tmp_path: Path, output: str, args: tuple[str, ...], shown: str
) -> None:
    """`evaluate -o uc.yaml -- uc.yaml` replaced the use case with its own report, exit 0."""
    (tmp_path / "sub").mkdir()
    before = _inputs(tmp_path)
    result = run_cli("evaluate", *AS_OF, "--fail-on", "never", "-o", output, *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"{output}: error: --output {shown}"), result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("output", "args"),
    [
        ("uc.yaml", ("--usecases", "uc.yaml", "--", ".")),
        ("uc.yaml", ("--", ".")),
        ("w.yaml", ("--waivers", "w.yaml")),
    ],
)
def test_scan_output_may_not_replace_an_input(tmp_path: Path, output: str, args: tuple[str, ...]) -> None:
    before = _inputs(tmp_path)
    result = run_cli("scan", *AS_OF, "--fail-on", "never", "-o", output, *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"{output}: error: --output "), result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_report_may_still_replace_an_earlier_report(tmp_path: Path) -> None:
    _inputs(tmp_path)
    (tmp_path / "report.json").write_text("old", encoding="utf-8")
    for command, paths in (("evaluate", ("uc.yaml",)), ("scan", ("--usecases", "uc.yaml", "model"))):
        result = run_cli(
            command,
            *AS_OF,
            "--fail-on",
            "never",
            "--format",
            "json",
            "-o",
            "report.json",
            *paths,
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "report.json").read_text(encoding="utf-8").startswith("{")


def test_a_use_case_folder_does_not_lead_out_through_a_link(tmp_path: Path) -> None:
    """`usecases/x.yaml` linking to a file of the machine running the gate was read and echoed
    (`unknown key 'secret_token'`); a link inside the folder still counts."""
    (tmp_path / "secret.yaml").write_text("secret_token: ghp_0123456789\n", encoding="utf-8")
    folder = tmp_path / "usecases"
    (folder / "sub").mkdir(parents=True)
    (folder / "real.yaml").write_text(USECASE.replace("{path: ./model}", "{id: llama-3.1-8b-instruct}"))
    (folder / "sub" / "inner.yaml").symlink_to("../real.yaml")
    _, rep = report(tmp_path, "--", "usecases")
    assert rep["verdict"] == "blocked"
    (folder / "x.yaml").symlink_to(tmp_path / "secret.yaml")
    for args in (
        ("evaluate", *AS_OF, "--", "usecases"),
        ("evaluate", *AS_OF, "--catalog", "usecases", "--", "-"),
    ):
        result = run_cli(*args, cwd=tmp_path, input=b"name: x\nmodel: {id: gpt-4o}\n")
        assert result.returncode == 2
        assert result.stderr.startswith(
            "usecases/x.yaml: error: is a symbolic link to a file outside the folder"
        )
        assert "secret_token" not in result.stderr + result.stdout


EU_VISION = (
    "name: eu vision\n"
    "organization: {name: Acme, type: company, country: DE, monthly_active_users: 1000,"
    " accepted_terms: [{license: llama3.2, accepted_on: 2025-01-01, by: legal@acme.example}]}\n"
    "model: {id: llama-3.2-11b-vision-instruct}\n"
    "use: {commercial: true, distribution: internal, end_users: internal, modalities: [vision, text]}\n"
    "deployment: {regions: [DE], hosting: self-hosted}\n"
)


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("country: DE", "country: EU", 52),  # the union, not a country
        ("country: DE", "country: EL", 52),  # Greece in EU documents; ISO says GR
        ("country: DE", "country: ZZ", 52),  # unassigned
        ("regions: [DE]", "regions: [DE, XX]", 28),
    ],
)
def test_a_country_or_region_code_must_be_an_iso_code(
    tmp_path: Path, old: str, new: str, column: int
) -> None:
    """`country: EU` (or EL, ZZ) matched no member state: the Llama 3.2 EU clause (a violation) vanished."""
    (tmp_path / "uc.yaml").write_text(EU_VISION, encoding="utf-8")
    _, rep = report(tmp_path, "--", "uc.yaml")
    assert "LLAMA32-EU-MULTIMODAL" in counted(rep) and rep["verdict"] == "blocked"
    (tmp_path / "uc.yaml").write_text(EU_VISION.replace(old, new), encoding="utf-8")
    result = run_cli("evaluate", *AS_OF, "--", "uc.yaml", cwd=tmp_path)
    assert result.returncode == 2
    code = new.split("[DE, ")[-1].rstrip("]") if "regions" in new else new.split(": ")[1]
    line = 5 if "regions" in new else 2
    assert result.stderr.startswith(
        f"uc.yaml:{line}:{column}: error: '{code}' is not an ISO 3166-1 alpha-2 country code"
    ), result.stderr


@pytest.mark.parametrize("regions", ["[EU]", "[EEA]", "[UK, XK, GR]"])
def test_region_groups_and_common_codes_still_read(tmp_path: Path, regions: str) -> None:
    (tmp_path / "uc.yaml").write_text(
        EU_VISION.replace("regions: [DE]", f"regions: {regions}"), encoding="utf-8"
    )
    _, rep = report(tmp_path, "--", "uc.yaml")
    assert rep["verdict"] == "blocked"


@pytest.mark.parametrize(
    ("tag", "meant"),
    [("weapon", "weapons"), ("militry", "military"), ("survelliance", "surveillance"), ("minor", "minors")],
)
def test_a_domain_tag_that_reads_like_a_vocabulary_tag_is_refused(
    tmp_path: Path, tag: str, meant: str
) -> None:
    """`domains: [weapon]` matched no prohibition (rules match `weapons` exactly): ALLOWED."""
    (tmp_path / "uc.yaml").write_text(
        USECASE.replace("{path: ./model}", "{id: llama-3.1-8b-instruct}").replace("[weapons]", f"[{tag}]"),
        encoding="utf-8",
    )
    result = run_cli("evaluate", *AS_OF, "--", "uc.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"uc.yaml:4:80: error: domain tag '{tag}' reads like the tag '{meant}' but is not it"
    ), result.stderr


@pytest.mark.parametrize(
    "tag", ["entertainment", "weapons-development", "gaming", "customer-service", "researcher", "ecommerce"]
)
def test_a_tag_of_ones_own_is_still_accepted(tmp_path: Path, tag: str) -> None:
    (tmp_path / "uc.yaml").write_text(
        USECASE.replace("{path: ./model}", "{id: llama-3.1-8b-instruct}").replace("[weapons]", f"[{tag}]"),
        encoding="utf-8",
    )
    _, rep = report(tmp_path, "--", "uc.yaml")
    assert rep["verdict"] in ("allowed", "allowed-with-obligations", "needs-review")
