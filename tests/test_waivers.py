"""Waivers: in the use case or a shared file, scoped, expiring, re-opened by a new licence version, stale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, run_cli

BLOCKED = SAMPLES / "social-feed-ranking-llama.yaml"  # LLAMA31-MAU-700M violation + an obligation
AS_OF = ("--as-of", "2026-11-27")


def waiver(**overrides: str) -> str:
    fields = {
        "rule": "LLAMA31-MAU-700M",
        "reason": "MAU were below 700M in June 2024 (board minutes)",
        "approved_by": "legal@hyperscale.example",
        "expires": "2027-06-30",
    }
    fields.update(overrides)
    return "  - {" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in fields.items() if v is not None) + "}\n"


def usecase_with(tmp_path: Path, *waivers: str, name: str = "usecase.yaml") -> Path:
    path = tmp_path / name
    text = BLOCKED.read_text()
    if waivers:
        text += "waivers:\n" + "".join(waivers)
    path.write_text(text)
    return path


def shared_file(tmp_path: Path, *waivers: str) -> Path:
    path = tmp_path / ".licensecheck-waivers.yaml"
    path.write_text("licensecheck: 1\nwaivers:\n" + "".join(waivers))
    return path


def json_report(*args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("evaluate", *args, "--format", "json", *AS_OF)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def finding(report: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(f for f in report["findings"] if f["rule"] == rule)


def test_waiver_in_the_usecase_keeps_the_finding_but_not_its_vote(tmp_path: Path) -> None:
    code, data = json_report(str(usecase_with(tmp_path, waiver())))
    report = data["reports"][0]
    mau = finding(report, "LLAMA31-MAU-700M")
    assert code == 0
    assert report["verdict"] == "allowed-with-obligations"
    assert mau["waived"] is True
    assert mau["waiver"]["approved_by"] == "legal@hyperscale.example"
    assert mau["waiver"]["reason"].startswith("MAU were below")
    assert mau["waiver"]["status"] == "applied"
    assert "stale_waivers" not in report and "stale_waivers" not in data


def test_waived_finding_is_listed_in_the_text_report(tmp_path: Path) -> None:
    result = run_cli("evaluate", str(usecase_with(tmp_path, waiver())), *AS_OF)
    assert result.returncode == 0
    assert " Waived:\n  - LLAMA31-MAU-700M" in result.stdout
    assert (
        "waived: MAU were below 700M in June 2024 (board minutes) (approved by legal@hyperscale.example"
        in (result.stdout)
    )


def test_shared_waivers_file_with_a_glob(tmp_path: Path) -> None:
    shared = shared_file(tmp_path, waiver(rule="LLAMA31-MAU-*"))
    code, data = json_report(str(BLOCKED), "--waivers", str(shared))
    assert code == 0
    assert finding(data["reports"][0], "LLAMA31-MAU-700M")["waived"] is True


def test_expired_waiver_does_not_apply_and_says_so(tmp_path: Path) -> None:
    path = usecase_with(tmp_path, waiver(expires="2026-11-26"))
    code, data = json_report(str(path))
    mau = finding(data["reports"][0], "LLAMA31-MAU-700M")
    assert code == 1
    assert data["reports"][0]["verdict"] == "blocked"
    assert mau["waived"] is False
    assert mau["waiver"]["status"] == "expired"
    assert "expired on 2026-11-26" in mau["waiver"]["note"]
    text = run_cli("evaluate", str(path), *AS_OF).stdout
    assert "waiver NOT applied: A waiver (" in text and "expired on 2026-11-26" in text


def test_waiver_applies_through_its_last_day(tmp_path: Path) -> None:
    code, _ = json_report(str(usecase_with(tmp_path, waiver(expires="2026-11-27"))))
    assert code == 0


def test_new_licence_version_reopens_the_finding(tmp_path: Path) -> None:
    path = usecase_with(tmp_path, waiver(license_version="2023-01-01"))
    code, data = json_report(str(path))
    mau = finding(data["reports"][0], "LLAMA31-MAU-700M")
    assert code == 1
    assert mau["waived"] is False
    assert mau["waiver"]["status"] == "version-changed"
    assert "approved for llama3.1 version 2023-01-01" in mau["waiver"]["note"]
    assert "re-opened" in mau["waiver"]["note"]


def test_matching_licence_version_applies(tmp_path: Path) -> None:
    version = run_cli("rules", "show", "llama3.1").stdout.split("version: ")[1].split()[0]
    code, _ = json_report(str(usecase_with(tmp_path, waiver(license_version=version))))
    assert code == 0


@pytest.mark.parametrize(
    ("scope", "applies"),
    [
        ({"usecase": "Social feed summaries"}, True),
        ({"usecase": "Another use case"}, False),
        ({"model": "llama-3.1-70b-instruct"}, True),
        ({"model": "meta-llama/llama-3.1-70b-instruct"}, True),  # the HF repo id the use case wrote
        ({"model": "llama-3.1-8b-instruct"}, False),
    ],
)
def test_scope_by_usecase_name_and_model_id(tmp_path: Path, scope: dict[str, str], applies: bool) -> None:
    shared = shared_file(tmp_path, waiver(**scope))
    code, data = json_report(str(BLOCKED), "--waivers", str(shared))
    assert finding(data["reports"][0], "LLAMA31-MAU-700M")["waived"] is applies
    assert code == (0 if applies else 1)
    # Out of scope for every use case in the run: not judged stale (pre-commit passes subsets).
    assert "stale_waivers" not in data


def test_own_waiver_matching_nothing_is_stale_in_every_format(tmp_path: Path) -> None:
    path = usecase_with(tmp_path, waiver(), waiver(rule="GEMMA-*"))
    code, data = json_report(str(path))
    assert code == 0
    stale = data["reports"][0]["stale_waivers"]
    assert [w["rule"] for w in stale] == ["GEMMA-*"]
    assert stale[0]["origin"] == f"{path}:{len(BLOCKED.read_text().splitlines()) + 3}"
    text = run_cli("evaluate", str(path), *AS_OF).stdout
    assert "stale waiver: 'GEMMA-*' matches no finding" in text
    github = run_cli("evaluate", str(path), "--format", "github", *AS_OF).stdout
    assert "title=stale waiver::Waiver for 'GEMMA-*' matches no finding" in github


def test_shared_waiver_is_stale_only_if_no_usecase_of_the_run_matches(tmp_path: Path) -> None:
    shared = shared_file(tmp_path, waiver(), waiver(rule="NOTHING-MATCHES"))
    allowed = SAMPLES / "retail-support-llama.yaml"  # no MAU finding: the first waiver matches elsewhere
    code, data = json_report(str(allowed), str(BLOCKED), "--waivers", str(shared))
    assert code == 0
    assert [w["rule"] for w in data["stale_waivers"]] == ["NOTHING-MATCHES"]
    assert all("stale_waivers" not in r for r in data["reports"])
    text = run_cli("evaluate", str(allowed), str(BLOCKED), "--waivers", str(shared), *AS_OF).stdout
    assert "stale waiver: 'NOTHING-MATCHES'" in text and "matches no finding of any use case" in text


@pytest.mark.parametrize(
    ("missing", "column"),
    [("reason", 5), ("approved_by", 5)],
)
def test_waiver_without_reason_or_approver_is_invalid_input(
    tmp_path: Path, missing: str, column: int
) -> None:
    shared = shared_file(tmp_path, "  - rule: LLAMA31-MAU-700M\n", "    expires: 2027-01-01\n")
    other = "approved_by: legal@x.example" if missing == "reason" else "reason: fine"
    shared.write_text(shared.read_text() + f"    {other}\n")
    out = tmp_path / "report.json"
    result = run_cli("evaluate", str(BLOCKED), "--waivers", str(shared), "--output", str(out), *AS_OF)
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"{shared}:3:{column}: error: 'waivers[0]' is missing the required key '{missing}'"
    )
    assert "\n  help: a waiver needs `rule` (id or glob), `reason`, `approved_by`" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_blank_reason_in_the_usecase_is_invalid_input(tmp_path: Path) -> None:
    path = usecase_with(tmp_path, waiver(reason="   "))
    result = run_cli("evaluate", str(path), *AS_OF)
    line = len(BLOCKED.read_text().splitlines()) + 2
    assert result.returncode == 2
    assert result.stderr.startswith(f"{path}:{line}:")
    assert (
        "error: the string '   ' is not valid here: Why the exception is acceptable (not blank)."
        in result.stderr
    )
    assert "help: a waiver needs" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("reason", "\u034f"),  # combining grapheme joiner
        ("reason", "\ufe0f"),  # variation selector
        ("reason", "\u1ab0 \u0300"),  # combining marks and a space
        ("approved_by", "\u17b4"),  # Khmer inherent vowel
        ("approved_by", "\ue000"),  # private use
        ("approved_by", "\u0301\u0301"),  # combining marks on nothing
    ],
)
def test_an_invisible_reason_or_approver_is_blank(tmp_path: Path, key: str, value: str) -> None:
    """Red team: characters that show nothing passed the schema's "not blank" pattern."""
    shared = shared_file(tmp_path, waiver(**{key: value}))
    result = run_cli("evaluate", str(BLOCKED), "--waivers", str(shared), *AS_OF)
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith(f"{shared}:3:"), result.stderr
    assert f"error: a waiver's `{key}` shows nothing readable" in result.stderr
    assert result.stdout == ""


def test_a_short_or_non_latin_reason_is_readable(tmp_path: Path) -> None:
    shared = shared_file(tmp_path, waiver(reason="法務承認 ✓", approved_by="é"))
    _, report = json_report(str(BLOCKED), "--waivers", str(shared))
    assert finding(report["reports"][0], "LLAMA31-MAU-700M")["waived"] is True
