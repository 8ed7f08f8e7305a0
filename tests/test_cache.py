"""The rule-pack cache: same results as a full load, invalidated by any edit, never trusted blindly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

PACK = """licensecheck: 1
pack: {id: acme-policy, name: Acme AI policy, kind: policy, scope: every-model, version: "1", source: https://acme.example/p}
rules:
  - id: ACME-NO-MARKETING
    title: No marketing use
    category: acceptable-use
    outcome: violation
    severity: error
    clause: "Policy 1"
    when: {fact: use.domains, contains: marketing}
    message: MESSAGE
"""


@pytest.fixture
def cache_dir(tmp_path: Path) -> dict[str, str]:
    return {"LICENSECHECK_CACHE_DIR": str(tmp_path / "cache")}


def evaluate_json(*args: str, env: dict[str, str]) -> dict:  # type: ignore[type-arg]
    result = run_cli("evaluate", *args, "--format", "json", "--fail-on", "never", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_cached_load_gives_the_same_report_as_a_full_load(cache_dir: dict[str, str]) -> None:
    first = run_cli("evaluate", str(SAMPLES), "--format", "json", "--fail-on", "never", env=cache_dir)
    assert list(Path(cache_dir["LICENSECHECK_CACHE_DIR"]).glob("rules-*.marshal")), (
        "the first run fills the cache"
    )
    second = run_cli("evaluate", str(SAMPLES), "--format", "json", "--fail-on", "never", env=cache_dir)
    uncached = run_cli(
        "evaluate", str(SAMPLES), "--format", "json", "--fail-on", "never", env={"LICENSECHECK_NO_CACHE": "1"}
    )
    assert first.stdout == second.stdout == uncached.stdout
    rules = run_cli("rules", "show", "LLAMA31-MAU-700M", env=cache_dir)
    assert "clause: §2" in rules.stdout


def test_editing_a_pack_invalidates_the_cache(tmp_path: Path, cache_dir: dict[str, str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    pack = rules / "policy.yaml"
    pack.write_text(PACK.replace("MESSAGE", "first wording"))
    sample = str(SAMPLES / "social-feed-ranking-llama.yaml")
    report = evaluate_json(sample, "--rules", str(rules), env=cache_dir)
    assert "first wording" in json.dumps(report)
    pack.write_text(PACK.replace("MESSAGE", "second wording"))  # same size, same second: the CRC differs
    report = evaluate_json(sample, "--rules", str(rules), env=cache_dir)
    assert "second wording" in json.dumps(report) and "first wording" not in json.dumps(report)


def test_a_broken_pack_is_never_cached(tmp_path: Path, cache_dir: dict[str, str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "policy.yaml").write_text(PACK.replace("contains: marketing", "containz: marketing"))
    for _ in range(2):
        result = run_cli(
            "evaluate", str(SAMPLES / "retail-support-llama.yaml"), "--rules", str(rules), env=cache_dir
        )
        assert result.returncode == 2
        assert "unknown key 'containz'" in result.stderr


def test_a_rule_id_of_another_folder_is_refused_from_the_cache_too(
    tmp_path: Path, cache_dir: dict[str, str]
) -> None:
    """Each folder is cached on its own; the ids of cached packs are still compared across folders."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "policy.yaml").write_text(PACK.replace("ACME-NO-MARKETING", "LLAMA31-MAU-700M"))
    for _ in range(2):  # compiled and stored, then read back from the cache
        result = run_cli(
            "evaluate", str(SAMPLES / "retail-support-llama.yaml"), "--rules", str(rules), env=cache_dir
        )
        assert result.returncode == 2
        assert "duplicate rule id 'LLAMA31-MAU-700M' (also in pack 'llama3.1')" in result.stderr
    assert len(list(Path(cache_dir["LICENSECHECK_CACHE_DIR"]).glob("rules-*.marshal"))) == 2


def test_a_pack_is_decoded_only_when_a_run_needs_it(
    cache_dir: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the cache, a run evaluating a Llama model decodes the every-model packs and the
    Llama licence's, not the other licences' (the report is the same: see the first test)."""
    from licensecheck import api
    from licensecheck.model import PendingPack

    for name, value in cache_dir.items():
        monkeypatch.setenv(name, value)
    api.load_context()  # fills the cache
    ctx = api.load_context()
    entries = ctx.ruleset._entries
    assert all(isinstance(p, PendingPack) for p in entries)
    report = api.evaluate(ctx, SAMPLES / "retail-support-llama.yaml")
    decoded = {p.id for p in entries if not isinstance(p, PendingPack)}
    assert "llama3.1" in decoded and "mit" not in decoded and "llama2" not in decoded
    assert {p.id for p in report.reports[0].packs} <= decoded
    assert len(ctx.ruleset.packs) == len(entries) and not any(isinstance(p, PendingPack) for p in entries)


def test_a_corrupt_or_foreign_cache_file_is_ignored(cache_dir: dict[str, str]) -> None:
    evaluate_json(str(SAMPLES / "retail-support-llama.yaml"), env=cache_dir)
    (cached,) = Path(cache_dir["LICENSECHECK_CACHE_DIR"]).glob("rules-*.marshal")
    for garbage in (b"", b"\x00\x01not marshal", b"\xe9" * 1000):
        cached.write_bytes(garbage)
        report = evaluate_json(str(SAMPLES / "retail-support-llama.yaml"), env=cache_dir)
        assert report["reports"][0]["verdict"] == "allowed-with-obligations"


def test_an_unwritable_cache_folder_does_not_fail_the_run(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = {"LICENSECHECK_CACHE_DIR": str(blocker / "cache")}
    report = evaluate_json(str(SAMPLES / "retail-support-llama.yaml"), env=env)
    assert report["reports"][0]["verdict"] == "allowed-with-obligations"
    assert not os.path.exists(blocker / "cache")


def test_the_key_covers_every_file_of_the_package() -> None:
    from licensecheck import cache

    package = Path(cache.__file__).parent
    expected = {str(p) for p in package.rglob("*") if p.suffix in (".py", ".json")}
    assert set(cache.package_files()) == expected


def test_a_file_changed_within_a_clock_tick_of_the_store_is_checked_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same size and times as when stored (a write in the same tick): the CRC kept for it decides."""
    from licensecheck import cache

    monkeypatch.setenv("LICENSECHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_package_stamp", lambda: ())
    pack = tmp_path / "pack.yaml"
    pack.write_text("first")
    frozen = cache._file_stamp(str(pack), cache.MAX_BYTES)
    monkeypatch.setattr(cache, "_file_stamp", lambda path, limit: frozen)  # the stat cannot tell
    key = cache.stamp([str(pack)])
    assert key is not None
    cache.store("rules", key, ["compiled"])
    assert cache.load("rules", key) == ["compiled"]
    pack.write_text("other")  # same size, and (as far as the stat says) the same times
    assert cache.load("rules", key) is None
