"""The rule-pack cache: same results as a full load, invalidated by any edit, never trusted blindly."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, Ran, run_cli

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


@pytest.fixture(scope="module")
def _bundled_entry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the bundled packs' entry, filled once for the module."""
    from licensecheck.api import load_context

    folder = tmp_path_factory.mktemp("bundled-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LICENSECHECK_CACHE_DIR", str(folder))
        patch.delenv("LICENSECHECK_NO_CACHE", raising=False)
        load_context()
    assert list(folder.glob("rules-*.marshal")), "the bundled packs were stored"
    return folder


@pytest.fixture
def warm_cache(tmp_path: Path, _bundled_entry: Path) -> dict[str, str]:
    """A cache folder of the test's own that already holds the bundled packs: the tests of an
    organisation's packs and catalogs are about their entries, and each run would otherwise
    compile the bundled packs first."""
    shutil.copytree(_bundled_entry, tmp_path / "cache")
    return {"LICENSECHECK_CACHE_DIR": str(tmp_path / "cache")}


_FULL_BUNDLED: dict[tuple[Any, ...], Any] = {}


@contextlib.contextmanager
def bundled_compiled_once() -> Iterator[None]:
    """While it lasts, a full load (LICENSECHECK_NO_CACHE=1) takes the bundled folder as the
    module's first full load compiled it from the same files; every other folder and catalog,
    the subject of each test, is read and compiled in full. The reference runs below differ in
    those only, and each would otherwise compile the bundled packs again."""
    from licensecheck import packs

    compile_files = packs._load_files
    bundled = os.path.join(os.path.realpath(packs.bundled_rules_dir()), "")

    def once(listing: Any, lib: Any, known: Any, documents: dict[str, Any]) -> Any:
        if not listing or not all(real.startswith(bundled) for _, _, real in listing):
            return compile_files(listing, lib, known, documents)
        key = tuple(listing)
        if key not in _FULL_BUNDLED:
            own: dict[str, Any] = {}
            _FULL_BUNDLED[key] = (compile_files(listing, lib, known, own), own)
        compiled, own = _FULL_BUNDLED[key]
        documents.update(own)
        return compiled

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(packs, "_load_files", once)
        yield


def full_load(*args: str) -> Ran:
    """The CLI run without the cache: what a run from the cache must equal (the bundled packs as
    bundled_compiled_once gives them)."""
    with bundled_compiled_once():
        return run_cli(*args, env={"LICENSECHECK_NO_CACHE": "1"})


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


def test_every_pack_decoded_from_the_cache_is_the_compiled_pack(
    cache_dir: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same records of the same classes (rules, enums, conditions), field by field."""
    from licensecheck.conditions import All, AnyOf, Not, PhraseSet, Test
    from licensecheck.model import Rule
    from licensecheck.packs import bundled_rules_dir, load_rules

    def same(a: object, b: object) -> None:
        assert type(a) is type(b) or (isinstance(a, PhraseSet) and isinstance(b, PhraseSet))
        if isinstance(a, PhraseSet) and isinstance(b, PhraseSet):
            assert (a.phrases, a.by_first, a.prefixed) == (b.phrases, b.by_first, b.prefixed)
        elif isinstance(a, (Rule, Test, All, AnyOf, Not, tuple)):
            assert isinstance(b, tuple) and len(a) == len(b)
            for x, y in zip(a, b):
                same(x, y)
        else:
            assert a == b

    for name, value in cache_dir.items():
        monkeypatch.setenv(name, value)
    compiled = load_rules([bundled_rules_dir()]).ruleset.packs  # compiled and stored
    decoded = load_rules([bundled_rules_dir()]).ruleset.packs
    assert [p.id for p in decoded] == [p.id for p in compiled]
    for old, new in zip(compiled, decoded):
        assert len(new.rules) == len(old.rules)
        for a, b in zip(old.rules, new.rules):
            same(a, b)
    assert sum(len(p.rules) for p in decoded) > 1000


def test_editing_a_pack_invalidates_the_cache(tmp_path: Path, warm_cache: dict[str, str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    pack = rules / "policy.yaml"
    pack.write_text(PACK.replace("MESSAGE", "first wording"))
    sample = str(SAMPLES / "social-feed-ranking-llama.yaml")
    report = evaluate_json(sample, "--rules", str(rules), env=warm_cache)
    assert "first wording" in json.dumps(report)
    pack.write_text(PACK.replace("MESSAGE", "second wording"))  # same size, same second: the CRC differs
    report = evaluate_json(sample, "--rules", str(rules), env=warm_cache)
    assert "second wording" in json.dumps(report) and "first wording" not in json.dumps(report)


def test_a_broken_pack_is_never_cached(tmp_path: Path, warm_cache: dict[str, str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "policy.yaml").write_text(PACK.replace("contains: marketing", "containz: marketing"))
    for _ in range(2):
        result = run_cli(
            "evaluate", str(SAMPLES / "retail-support-llama.yaml"), "--rules", str(rules), env=warm_cache
        )
        assert result.returncode == 2
        assert "unknown key 'containz'" in result.stderr


def test_a_rule_id_of_another_folder_is_refused_from_the_cache_too(
    tmp_path: Path, warm_cache: dict[str, str]
) -> None:
    """Each folder is cached on its own; the ids of cached packs are still compared across folders."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "policy.yaml").write_text(PACK.replace("ACME-NO-MARKETING", "LLAMA31-MAU-700M"))
    for _ in range(2):  # compiled and stored, then read back from the cache
        result = run_cli(
            "evaluate", str(SAMPLES / "retail-support-llama.yaml"), "--rules", str(rules), env=warm_cache
        )
        assert result.returncode == 2
        assert "duplicate rule id 'LLAMA31-MAU-700M' (also in pack 'llama3.1')" in result.stderr
    assert len(list(Path(warm_cache["LICENSECHECK_CACHE_DIR"]).glob("rules-*.marshal"))) == 2


def test_a_pack_is_decoded_only_when_a_run_needs_it(
    warm_cache: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the cache, a run evaluating a Llama model decodes the every-model packs and the
    Llama licence's, not the other licences' (the report is the same: see the first test)."""
    from licensecheck import api
    from licensecheck.model import PendingPack

    for name, value in warm_cache.items():
        monkeypatch.setenv(name, value)
    ctx = api.load_context()
    entries = ctx.ruleset._entries
    assert all(isinstance(p, PendingPack) for p in entries)
    report = api.evaluate(ctx, SAMPLES / "retail-support-llama.yaml")
    decoded = {p.id for p in entries if not isinstance(p, PendingPack)}
    assert "llama3.1" in decoded and "mit" not in decoded and "llama2" not in decoded
    assert {p.id for p in report.reports[0].packs} <= decoded
    assert len(ctx.ruleset.packs) == len(entries) and not any(isinstance(p, PendingPack) for p in entries)


def test_a_corrupt_or_foreign_cache_file_is_ignored(warm_cache: dict[str, str]) -> None:
    evaluate_json(str(SAMPLES / "retail-support-llama.yaml"), env=warm_cache)
    (cached,) = Path(warm_cache["LICENSECHECK_CACHE_DIR"]).glob("rules-*.marshal")
    for garbage in (b"", b"\x00\x01not marshal", b"\xe9" * 1000):
        cached.write_bytes(garbage)
        report = evaluate_json(str(SAMPLES / "retail-support-llama.yaml"), env=warm_cache)
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


CATALOG_MODELS = [
    {
        "id": "acme-chat-1",
        "name": "Acme Chat 1",
        "weights": "open",
        "license": "apache-2.0",
        "modalities": ["text"],
        "hf_repo": "acme/Acme-Chat-1",
        "aliases": ["acme-chat"],
        "context_window": 65536,
        "sources": {"basics": ["https://example.com/acme-chat-1"]},
    },
    {
        "id": "acme-api-2",
        "name": "Acme API 2",
        "weights": "closed",
        "license": "openai-terms",
        "modalities": ["text", "vision"],
        "price_input_per_mtok_usd": 0.5,
        "price_output_per_mtok_usd": 2.0,
        "sources": {"basics": ["https://example.com/acme-api-2"]},
    },
]
YAML_CATALOG = """catalog: {name: team}
models:
  - id: team-model
    name: Team model
    weights: open
    license: mit
    modalities: [text]
    sources: {basics: ["https://example.com/team-model"]}
"""


def write_catalog(folder: Path, models: list[dict[str, object]]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "org.json"
    path.write_text(json.dumps({"catalog": {"name": "org"}, "models": models}, indent=1), encoding="utf-8")
    return path


def catalog_entries(cache_dir: dict[str, str]) -> list[Path]:
    return list(Path(cache_dir["LICENSECHECK_CACHE_DIR"]).glob("catalog-*.marshal"))


def test_a_cached_catalog_gives_the_same_results_as_a_full_load(
    tmp_path: Path, warm_cache: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from licensecheck import api, catalog

    folder = tmp_path / "cat"
    write_catalog(folder, CATALOG_MODELS)
    (folder / "team.yaml").write_text(YAML_CATALOG, encoding="utf-8")
    select = ("shortlist", str(SAMPLES / "select-support-chat.yaml"), "--catalog", str(folder))
    commands = [
        (*select, "--format", "json", "--as-of", "2026-11-01"),
        ("models", "show", "team-model", "--catalog", str(folder)),  # its origin: file and line
        ("models", "show", "ACME/acme-chat-1", "--catalog", str(folder)),
        ("models", "show", "Acme-Chat", "--catalog", str(folder)),
    ]
    uncached = [full_load(*command) for command in commands]
    first = [run_cli(*command, env=warm_cache) for command in commands]
    assert len(catalog_entries(warm_cache)) == 2, "each catalog file is stored"
    for name, value in warm_cache.items():
        monkeypatch.setenv(name, value)
    parsed: list[str] = []
    parse = catalog.parse_catalog
    monkeypatch.setattr(catalog, "parse_catalog", lambda *args: parsed.append(args[1]) or parse(*args))
    ctx = api.load_context((), [folder])
    assert parsed == [], "neither file is parsed again"
    found = ctx.catalog.find("ACME/acme-chat-1")
    assert found is not None and found.id == "acme-chat-1" and ctx.catalog.find("acme-chat") is found
    monkeypatch.undo()
    second = [run_cli(*command, env=warm_cache) for command in commands]
    assert [(r.returncode, r.stdout, r.stderr) for r in first] == [
        (r.returncode, r.stdout, r.stderr) for r in uncached
    ]
    assert [(r.returncode, r.stdout, r.stderr) for r in second] == [
        (r.returncode, r.stdout, r.stderr) for r in uncached
    ]
    assert [r.returncode for r in uncached] == [0, 0, 0, 0]
    assert "acme-chat-1" in uncached[0].stdout and "team.yaml:3" in uncached[1].stdout


@pytest.mark.parametrize("settled", [False, True], ids=["fresh", "stat-kept"])
def test_any_edit_of_a_cached_catalog_is_seen_even_with_its_size_and_times(
    tmp_path: Path, warm_cache: dict[str, str], monkeypatch: pytest.MonkeyPatch, settled: bool
) -> None:
    """The catalog's entry is keyed by its content: a broken file written over a cached one, with
    the same size and times, fails as it does without a cache, on every run; also when the entry
    kept the file's stat (settled: RACY_NS after its last change), as the write changed its ctime."""
    if settled:
        from licensecheck import cache

        monkeypatch.setattr(cache, "RACY_NS", 0)
    path = write_catalog(tmp_path / "cat", CATALOG_MODELS)
    listing = ("models", "list", "--catalog", str(tmp_path / "cat"))
    assert run_cli(*listing, env=warm_cache).returncode == 0
    assert len(catalog_entries(warm_cache)) == 1
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"context_window": 65536', '"context_window": -6553'), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "-6553" in t)
    for _ in range(2):
        result = run_cli(*listing, env=warm_cache)
        assert result.returncode == 2
        assert f"org.json:{line}:22: error: must be at least 0, got -6553" in result.stderr


def test_a_broken_catalog_is_never_cached(tmp_path: Path, warm_cache: dict[str, str]) -> None:
    bad = [CATALOG_MODELS[0], {**CATALOG_MODELS[1], "weights": "ajar"}]
    write_catalog(tmp_path / "cat", bad)
    uncached = full_load("models", "list", "--catalog", str(tmp_path / "cat"))
    assert uncached.returncode == 2 and "org.json:" in uncached.stderr
    for _ in range(2):
        result = run_cli("models", "list", "--catalog", str(tmp_path / "cat"), env=warm_cache)
        assert (result.returncode, result.stderr) == (2, uncached.stderr)
    assert catalog_entries(warm_cache) == []


def test_the_names_of_a_cached_catalog_are_compared_with_the_other_files_on_every_run(
    tmp_path: Path, warm_cache: dict[str, str]
) -> None:
    """A file that loaded alone is stored; a file added beside it later may name the same model."""
    folder = tmp_path / "cat"
    write_catalog(folder, CATALOG_MODELS)
    listing = ("models", "list", "--catalog", str(folder))
    assert run_cli(*listing, env=warm_cache).returncode == 0
    (folder / "a.yaml").write_text(YAML_CATALOG.replace("team-model", "acme-chat"), encoding="utf-8")
    uncached = full_load(*listing)
    assert uncached.returncode == 2
    assert "model 'acme-chat' is already in the catalog" in uncached.stderr and "org.json:" in uncached.stderr
    for _ in range(2):
        result = run_cli(*listing, env=warm_cache)
        assert (result.returncode, result.stderr) == (2, uncached.stderr)


@pytest.mark.parametrize("settled", [False, True], ids=["fresh", "stat-kept"])
def test_an_entry_of_a_cached_catalog_is_located_when_a_run_finds_it_wrong(
    tmp_path: Path, warm_cache: dict[str, str], monkeypatch: pytest.MonkeyPatch, settled: bool
) -> None:
    """An unknown licence is found by shortlist, after the catalog loaded (and was stored); with
    the file's stat kept (settled), after its entries came from the cache unread: it is read then."""
    if settled:
        from licensecheck import cache

        monkeypatch.setattr(cache, "RACY_NS", 0)
    folder = tmp_path / "cat"
    path = write_catalog(folder, [CATALOG_MODELS[0], {**CATALOG_MODELS[1], "license": "acme-eula"}])
    (folder / "team.yaml").write_text(YAML_CATALOG.replace("license: mit", "license: team-eula"))
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "acme-eula" in t)
    select = ("shortlist", str(SAMPLES / "select-support-chat.yaml"), "--catalog", str(folder))
    results = [run_cli(*select, env=warm_cache) for _ in range(2)]
    assert len(catalog_entries(warm_cache)) == 2
    (folder / "team.yaml").unlink()
    results += [run_cli(*select, env=warm_cache) for _ in range(2)]
    for result in results[:2]:
        assert (
            result.returncode == 2 and "team.yaml:6:14: error: unknown licence 'team-eula'" in result.stderr
        )
    for result in results[2:]:
        assert result.returncode == 2 and f"org.json:{line}:" in result.stderr
        assert "unknown licence 'acme-eula'" in result.stderr


def test_an_unchanged_catalog_is_neither_read_nor_hashed_again(
    tmp_path: Path, warm_cache: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once a catalog file's stat is settled (RACY_NS after its last change: 0 here), its entry
    keeps that stat; a run that finds the same stat takes the entries without reading the file,
    with the same output. The same bytes under a new stat (a fresh clone) are read, found by their
    content, and kept with the new stat: the run after does not read them."""
    from licensecheck import cache, catalog

    monkeypatch.setattr(cache, "RACY_NS", 0)
    folder = tmp_path / "cat"
    path = write_catalog(folder, CATALOG_MODELS)
    select = (
        "shortlist",
        str(SAMPLES / "select-support-chat.yaml"),
        "--catalog",
        str(folder),
        "--format",
        "json",
    )
    first = run_cli(*select, env=warm_cache)  # stores the entries and the stat
    assert first.returncode == 0 and "acme-chat-1" in first.stdout
    reads: list[str] = []
    read_bytes = catalog.read_bytes
    monkeypatch.setattr(
        catalog, "read_bytes", lambda file, *rest: reads.append(file) or read_bytes(file, *rest)
    )
    assert run_cli(*select, env=warm_cache) == first
    assert reads == []
    clone = path.with_suffix(".new")
    clone.write_bytes(path.read_bytes())
    os.replace(clone, path)  # the same bytes, another inode and change time
    assert run_cli(*select, env=warm_cache) == first
    assert reads == [str(path)]
    assert run_cli(*select, env=warm_cache) == first
    assert reads == [str(path)], "the new stat was kept"
    assert len(catalog_entries(warm_cache)) == 1


def test_a_stat_is_kept_only_once_settled(
    tmp_path: Path, warm_cache: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed within RACY_NS of the store (all of them here) may change again within one
    tick of its clock and keep its stat: its entry is kept by content alone, and each run reads
    and hashes the file to find it."""
    from licensecheck import cache, catalog

    monkeypatch.setattr(cache, "RACY_NS", 10**18)
    folder = tmp_path / "cat"
    path = os.path.realpath(write_catalog(folder, CATALOG_MODELS))
    listing = ("models", "list", "--catalog", str(folder))
    first = run_cli(*listing, env=warm_cache)
    reads: list[str] = []
    read_bytes = catalog.read_bytes
    monkeypatch.setattr(
        catalog, "read_bytes", lambda file, *rest: reads.append(file) or read_bytes(file, *rest)
    )
    for runs in (1, 2):
        assert run_cli(*listing, env=warm_cache) == first
        assert len(reads) == runs
    assert len(catalog_entries(warm_cache)) == 1
    monkeypatch.setenv("LICENSECHECK_CACHE_DIR", warm_cache["LICENSECHECK_CACHE_DIR"])
    seen = cache.file_stamp(path)
    assert seen is not None and cache.load_unchanged("catalog", path, seen) is None
    monkeypatch.setattr(cache, "RACY_NS", 0)
    assert run_cli(*listing, env=warm_cache) == first  # found by content, and now kept with its stat
    assert len(reads) == 3
    unchanged = cache.load_unchanged("catalog", path, seen)
    assert unchanged is not None and unchanged[0][-1][0] == path


def test_bytes_that_changed_since_their_entries_were_stored_are_refused_when_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalog whose entries came from the cache unread is read only to locate an error: if its
    bytes are no longer those the entries were built from, the run stops with that message."""
    from licensecheck import cache, catalog
    from licensecheck.errors import InputError

    monkeypatch.setenv("LICENSECHECK_CACHE_DIR", str(tmp_path / "cache"))
    path = write_catalog(tmp_path / "cat", CATALOG_MODELS)
    real = os.path.realpath(path)
    key = cache.content_stamp(real, path.read_bytes())
    assert key is not None
    assert "acme-chat-1" in catalog._StoredDocument("org.json", str(path), key).text()
    path.write_text(path.read_text(encoding="utf-8").replace("65536", "65537"), encoding="utf-8")
    with pytest.raises(InputError, match="the file changed while licensecheck read it"):
        catalog._StoredDocument("org.json", str(path), key).text()


def load_catalog_or_error(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], rules: list[Path]) -> object:
    """The catalog of a context in-process (bundled rules plus `rules`), or the error's message."""
    from licensecheck import api
    from licensecheck.errors import InputError

    with monkeypatch.context() as patch:
        patch.delenv("LICENSECHECK_NO_CACHE", raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        try:
            with bundled_compiled_once() if env.get("LICENSECHECK_NO_CACHE") else contextlib.nullcontext():
                catalog = api.load_context(rules).catalog
        except InputError as error:
            return error.render()
        return (catalog.models, catalog.index, catalog.origin)


def test_the_bundled_catalog_comes_from_the_cache_built(
    warm_cache: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm run reads the rules folders' catalogs as built entries (no entry is built again),
    with the same models, index and origins as a full load."""
    from licensecheck import catalog, packs
    from licensecheck.catalog import CachedCatalog

    uncached = load_catalog_or_error(monkeypatch, {"LICENSECHECK_NO_CACHE": "1"}, [])
    assert load_catalog_or_error(monkeypatch, warm_cache, []) == uncached  # fills the cache
    built: list[object] = []
    entry = catalog.catalog_entry
    monkeypatch.setattr(catalog, "catalog_entry", lambda data: built.append(data) or entry(data))
    assert load_catalog_or_error(monkeypatch, warm_cache, []) == uncached
    assert built == [], "no entry is built from the cache"
    with monkeypatch.context() as patch:
        for name, value in warm_cache.items():
            patch.setenv(name, value)
        docs = packs.load_rules([packs.bundled_rules_dir()]).catalogs
    assert docs and all(isinstance(doc, CachedCatalog) and doc.stored is not None for doc in docs)


def test_a_warm_catalog_decodes_only_the_entries_a_run_reads(
    warm_cache: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rules folders' catalogs come from the cache encoded: a lookup decodes the entry it
    finds, once; `models` decodes the rest; every answer is a full load's."""
    from licensecheck import api, catalog

    monkeypatch.setenv("LICENSECHECK_NO_CACHE", "1")
    full = api.load_context().catalog
    monkeypatch.delenv("LICENSECHECK_NO_CACHE")
    for name, value in warm_cache.items():
        monkeypatch.setenv(name, value)
    api.load_context()  # fills the cache
    decoded: list[bytes] = []
    decode = catalog._decoded
    monkeypatch.setattr(catalog, "_decoded", lambda row: decoded.append(row) or decode(row))
    warm = api.load_context().catalog
    assert decoded == []
    found = warm.find("META-LLAMA/Llama-3.1-8B-Instruct")
    assert found is not None and found == full.find("llama-3.1-8b-instruct")
    assert warm.find("llama-3.1-8b-instruct") is found and len(decoded) == 1
    assert warm.find("no-such-model") is None and len(decoded) == 1
    assert warm.models == full.models and len(decoded) == len(full.models)
    assert warm.copy().index == full.index and warm.origin == full.origin
    assert warm.select(weights="open") == full.select(weights="open") and len(decoded) == len(full.models)


@pytest.mark.parametrize(
    ("models", "message"),
    [
        (  # another file's name (the bundled catalog's): found when the catalogs are combined
            "  - {id: gpt-4o, name: Mine, weights: open, license: mit, modalities: [text], sources: {basics: ['https://acme.example']}}\n",
            "c.yaml:3:10: error: model 'gpt-4o' is already in the catalog (rules/catalog/models.yaml:",
        ),
        (  # a name written twice in the file: that file cannot be stored built
            "  - {id: team-a, name: A, weights: open, license: mit, modalities: [text], sources: {basics: ['https://acme.example']}}\n"
            "  - {id: team-b, name: B, weights: open, license: mit, aliases: [Team-A], modalities: [text], sources: {basics: ['https://acme.example']}}\n",
            "c.yaml:4:",
        ),
    ],
)
def test_a_duplicate_name_in_a_rules_folder_catalog_fails_the_same_from_the_cache(
    tmp_path: Path, warm_cache: dict[str, str], monkeypatch: pytest.MonkeyPatch, models: str, message: str
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "c.yaml").write_text("catalog: {name: team}\nmodels:\n" + models, encoding="utf-8")
    uncached = load_catalog_or_error(monkeypatch, {"LICENSECHECK_NO_CACHE": "1"}, [rules])
    assert isinstance(uncached, str) and message in uncached and "already in the catalog" in uncached
    for _ in range(2):  # stored, then read back from the cache
        assert load_catalog_or_error(monkeypatch, warm_cache, [rules]) == uncached
    assert len(list(Path(warm_cache["LICENSECHECK_CACHE_DIR"]).glob("rules-*.marshal"))) == 2


def test_an_entry_of_a_cached_rules_folder_catalog_is_located_as_without_the_cache(
    tmp_path: Path, warm_cache: dict[str, str]
) -> None:
    """An unknown licence is found by shortlist, after the catalog came built from the rule cache:
    the error names the licence's line and column, as a full load does."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "c.yaml").write_text(YAML_CATALOG.replace("license: mit", "license: team-eula"))
    select = ("shortlist", str(SAMPLES / "select-support-chat.yaml"), "--rules", str(rules))
    uncached = full_load(*select)
    assert uncached.returncode == 2 and "c.yaml:6:14: error: unknown licence 'team-eula'" in uncached.stderr
    for _ in range(2):
        result = run_cli(*select, env=warm_cache)
        assert (result.returncode, result.stderr) == (2, uncached.stderr)
