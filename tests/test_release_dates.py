"""Release dates on the evaluation date: a model or route released after --as-of is `unreleased`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT

from licensecheck.routes import Lifecycle, Provenance, release_state

SAMPLE = str(ROOT / "samples" / "select-support-chat.yaml")


def invoke(*args: str) -> Result:
    from licensecheck.cli import cli

    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(
    ("released", "day", "expected"),
    [
        ("2025-09-10", "2025-09-09", "unreleased"),
        ("2025-09-10", "2025-09-10", "released"),
        ("2025-08", "2025-07-31", "unreleased"),
        ("2025-08", "2025-08-01", "same-month"),
        ("2025-08", "2025-08-31", "same-month"),
        ("2025-08", "2025-09-01", "released"),
        (None, "2025-01-01", None),
    ],
)
def test_release_state_of_full_and_month_only_dates(
    released: str | None, day: str, expected: str | None
) -> None:
    assert release_state(released, day) == expected


def test_a_route_before_its_availability_date_is_unreleased() -> None:
    life = Lifecycle(
        "active",
        "2026-01-01",
        None,
        None,
        None,
        Provenance(("https://x",), "2026-01-01", None, "P", None),
        "2025-11-03",
    )
    assert life.on("2025-11-02") == "unreleased"
    assert life.on("2025-11-03") == "active"


def _shortlist(day: str) -> dict[str, object]:
    result = invoke("shortlist", "--as-of", day, "--format", "json", "--", SAMPLE)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_shortlist_leaves_out_models_released_after_the_date_with_the_date_and_source() -> None:
    early = _shortlist("2025-06-01")
    ranked = {m["model"]["id"] for m in early["shortlist"]}  # type: ignore[attr-defined,index]
    excluded = {m["model"]["id"]: m for m in early["excluded"]}  # type: ignore[attr-defined,index]
    assert "gpt-6-luna" not in ranked
    luna = excluded["gpt-6-luna"]
    assert luna["status"] == "unreleased"
    assert luna["reason"]["rule"] == "CONSTRAINT-NOT-RELEASED"
    assert "2026-09-22" in luna["reason"]["message"]
    assert "runware.ai" in luna["reason"]["message"]
    assert luna["reason"]["outcome"] == "review"  # the release date rests on a secondary source
    # on the catalog's own date it is released, and ranked
    late = _shortlist("2026-11-01")
    assert "gpt-6-luna" in {m["model"]["id"] for m in late["shortlist"]}  # type: ignore[attr-defined,index]


def _listed(*args: str) -> dict[str, str]:
    result = invoke("models", "list", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {m["id"]: m["status"] for m in json.loads(result.stdout)["models"]}


def test_models_list_shows_and_filters_unreleased_on_the_date() -> None:
    assert _listed("--as-of", "2025-06-01")["gpt-6-luna"] == "unreleased"
    assert _listed("--as-of", "2026-11-01")["gpt-6-luna"] == "active"
    unreleased = _listed("--as-of", "2025-06-01", "--status", "unreleased")
    assert "gpt-6-luna" in unreleased and "gpt-4o" not in unreleased
    assert "gpt-6-luna" not in _listed("--as-of", "2025-06-01", "--status", "active")


def _evaluate(tmp_path: Path, model: str, day: str) -> list[dict[str, object]]:
    usecase = tmp_path / "usecase.yaml"
    usecase.write_text(
        f"name: early\nmodel: {{id: {model}}}\nuse: {{commercial: true, distribution: internal}}\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    result = invoke(
        "evaluate", "--as-of", day, "--format", "json", "--output", str(report), "--", str(usecase)
    )
    assert result.exit_code in (0, 1), result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    return [f for r in data["reports"] for f in r["findings"]]  # type: ignore[no-any-return]


def test_evaluate_before_the_release_gives_a_finding_and_after_it_none(tmp_path: Path) -> None:
    before = [
        f for f in _evaluate(tmp_path, "gpt-6-luna", "2025-06-01") if f["rule"] == "CONSTRAINT-NOT-RELEASED"
    ]
    assert len(before) == 1
    assert before[0]["outcome"] == "review"  # confidence S: never a violation
    assert "2026-09-22" in str(before[0]["message"])
    after = _evaluate(tmp_path, "gpt-6-luna", "2026-11-01")
    assert not [
        f for f in after if str(f["rule"]).startswith(("CONSTRAINT-NOT-RELEASED", "CONSTRAINT-RELEASE-MONTH"))
    ]


ACME = """catalog: {name: acme}
models:
  - id: acme-later
    name: Acme Later
    weights: closed
    license: apache-2.0
    modalities: [text]
    sources: {basics: ['https://acme.example/basics']}
    routes:
      - provider: openai
        name: Acme API
        lifecycle: {status: active, status_on: '2026-11-01', released_on: '2025-11-03',
          sources: ['https://acme.example/ga'], read: '2026-11-02', confidence: P}
  - id: acme-undated
    name: Acme Undated
    weights: closed
    license: apache-2.0
    modalities: [text]
    sources: {basics: ['https://acme.example/basics']}
    routes:
      - provider: openai
        name: Acme API
        lifecycle: {status: active, status_on: '2026-11-01',
          sources: ['https://acme.example/models'], read: '2026-11-02', confidence: P}
"""


def test_a_model_whose_only_route_opens_later_is_left_out_and_an_undated_one_is_not(tmp_path: Path) -> None:
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "acme.yaml").write_text(ACME, encoding="utf-8")
    result = invoke(
        "shortlist",
        "--as-of",
        "2025-06-01",
        "--format",
        "json",
        "--catalog",
        str(tmp_path / "cat"),
        "--",
        SAMPLE,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    excluded = {m["model"]["id"]: m for m in data["excluded"]}
    reason = excluded["acme-later"]["reason"]
    assert reason["rule"] == "CONSTRAINT-NOT-RELEASED" and reason["outcome"] == "violation"
    assert "2025-11-03" in reason["message"] and "https://acme.example/ga" in reason["message"]
    # no release date recorded: nothing is guessed, the model is not left out as unreleased
    undated = excluded.get("acme-undated")
    assert undated is None or undated["status"] != "unreleased"
    statuses = _listed("--as-of", "2025-06-01", "--catalog", str(tmp_path / "cat"))
    assert statuses["acme-later"] == "unreleased" and statuses["acme-undated"] == "active"
