"""Bounded work on hostile input, and no crash where there used to be one (issue 11).

Time and memory are those of the CLI process itself (CPU seconds and peak RSS from os.wait4,
see conftest.run_cli_measured): a busy machine cannot fail these tests, a runaway program can.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, run_cli_measured

from licensecheck.cli import cli

CPU_LIMIT_S = 2.0
MEMORY_LIMIT_MB = 300.0
USECASE = "name: x\nmodel: {path: L0}\nuse: {commercial: true, distribution: internal}\n"


def card(path: Path, bases: list[str], extra: str = "") -> None:
    path.mkdir(parents=True, exist_ok=True)
    listed = ", ".join(f"'{b}'" for b in bases)
    (path / "README.md").write_text(f"---\nlicense: apache-2.0\nbase_model: [{listed}]\n{extra}---\n# m\n")


def invoke(*args: str, input: bytes | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout + result.stderr


def within_budget(result: object) -> None:
    assert result.cpu_seconds < CPU_LIMIT_S, f"{result.cpu_seconds:.2f} s of CPU"  # type: ignore[attr-defined]
    assert result.max_rss_mb < MEMORY_LIMIT_MB, f"{result.max_rss_mb:.0f} MB"  # type: ignore[attr-defined]


def test_a_base_named_many_ways_over_eight_levels_is_read_once(tmp_path: Path) -> None:
    """`../L1`, `../L1/`, `./../L1`, `../L1/.` and a link to it are one base (95 s and 215 MB before)."""
    for level in range(9):
        if level < 8:
            up = f"L{level + 1}"
            card(
                tmp_path / f"L{level}",
                [f"../{up}", f"../{up}/", f"./../{up}", f"../{up}/.", f"../S{level + 1}"],
            )
            os.symlink(up, tmp_path / f"S{level + 1}")
        else:
            card(tmp_path / "L8", [])
    (tmp_path / "uc.yaml").write_text(USECASE)
    result = run_cli_measured("evaluate", "uc.yaml", "--format", "json", "--fail-on", "never", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    within_budget(result)
    lineage = json.loads(result.stdout)["reports"][0]["lineage"]
    assert [link["model"] for link in lineage] == [f"L{i}" for i in range(9)]
    assert {link["relation"] for link in lineage[1:]} == {"fine-tune"}  # one base each, not a merge


def test_a_lineage_wider_than_the_link_limit_is_refused(tmp_path: Path) -> None:
    """Distinct folders (copies, not links) fanning out: a located error, in bounded time."""
    card(tmp_path / "L0", [f"../A{i}" for i in range(20)])
    for i in range(20):
        card(tmp_path / f"A{i}", [f"../B{j}" for j in range(20)])
    for j in range(20):
        card(tmp_path / f"B{j}", [])
    (tmp_path / "uc.yaml").write_text(USECASE)
    result = run_cli_measured("evaluate", "uc.yaml", cwd=tmp_path)
    assert result.returncode == 2
    within_budget(result)
    assert "error: lineage of more than 256 base model links" in result.stderr
    assert result.stderr.startswith("A12/README.md:3:")


def test_the_cards_of_one_lineage_share_the_limits_of_one_file(tmp_path: Path) -> None:
    """Each card alone is under the node limit, a chain of them is not: refused, in bounded time."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    bomb += "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    bomb += "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"  # about 100,000 nodes
    for level in range(8):
        card(tmp_path / f"L{level}", [f"../L{level + 1}"], bomb)
    card(tmp_path / "L8", [])
    (tmp_path / "uc.yaml").write_text(USECASE)
    result = run_cli_measured("evaluate", "uc.yaml", cwd=tmp_path)
    assert result.returncode == 2
    within_budget(result)
    assert result.stderr.startswith("L1/README.md:")
    assert "error: document expands to more than" in result.stderr
    assert "help: a lineage's model cards share the limits of one file" in result.stderr


def test_the_use_case_may_name_at_most_32_bases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bases = ", ".join(f"{{id: b{i}, name: B, license: mit}}" for i in range(33))
    Path("uc.yaml").write_text(f"name: x\nmodel: {{name: M, license: mit, base_models: [{bases}]}}\n")
    code, out = invoke("evaluate", "uc.yaml")
    assert code == 2
    assert "uc.yaml:2:" in out and "error: more than 32 base models" in out


@pytest.mark.parametrize("command", ["evaluate", "shortlist"])
def test_endless_standard_input_is_refused_at_the_file_limit(tmp_path: Path, command: str) -> None:
    """2 GB from /dev/zero used to be read whole; now the first 2 MB + 1 byte decide."""
    with open("/dev/zero", "rb") as zeros:
        result = run_cli_measured(command, "-", cwd=tmp_path, stdin=zeros)
    assert result.returncode == 2
    within_budget(result)
    assert result.stderr.startswith("<stdin>: error: input is more than the limit of 2,097,152 bytes")


@pytest.mark.parametrize("command", ["evaluate", "shortlist"])
def test_undecodable_standard_input_is_a_located_error(command: str) -> None:
    code, out = invoke(command, "-", input=b"name: caf\xe9\nuse: {commercial: true}\n")
    assert code == 2
    assert "<stdin>:1:10: error: the file is not valid UTF-8" in out


def test_a_cost_estimate_cannot_overflow_in_the_shortlist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pick.yaml").write_text(
        "name: x\nrequirements: {max_monthly_cost_usd: 100, monthly_output_tokens: 1,"
        " monthly_input_tokens: 1" + "0" * 400 + "}\n"
    )
    code, out = invoke("shortlist", "pick.yaml")
    assert code == 2
    assert "pick.yaml:2:91: error: integer 100000000000...000000 (401 characters) is out of range" in out


def deep_tree(root: Path, levels: int = 1500) -> None:
    path = str(root)
    os.mkdir(path)
    for _ in range(levels):  # one level at a time: pathlib's mkdir(parents=True) recurses
        path = os.path.join(path, "d")
        os.mkdir(path)
    with open(os.path.join(path, "x.yaml"), "w") as handle:
        handle.write("name: x\n")


def remove_deep_tree(root: Path) -> None:
    """Remove a deep_tree bottom-up without recursion (pytest's own clean-up recurses and fails)."""
    paths = [str(root)]
    while os.path.isdir(os.path.join(paths[-1], "d")):
        paths.append(os.path.join(paths[-1], "d"))
    os.unlink(os.path.join(paths[-1], "x.yaml"))
    for path in reversed(paths):
        os.rmdir(path)


@pytest.fixture(scope="module")
def deep_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One deep_tree for the tests that only read it (its 3,000 mkdir and rmdir take seconds)."""
    root = tmp_path_factory.mktemp("deep-tree") / "deep"
    deep_tree(root)
    yield root
    remove_deep_tree(root)


@pytest.mark.parametrize(
    "args",
    [
        ("evaluate", "deep"),
        ("evaluate", str(ROOT / "samples" / "retail-support-llama.yaml"), "--rules", "deep"),
        ("evaluate", str(ROOT / "samples" / "retail-support-llama.yaml"), "--catalog", "deep"),
        ("rules", "lint", "deep"),
        ("rules", "test", "deep"),
    ],
)
def test_a_folder_tree_1500_levels_deep_is_refused(
    deep_folder: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """os.walk and Path.rglob recursed into it and raised RecursionError (an internal error)."""
    monkeypatch.chdir(deep_folder.parent)
    code, out = invoke(*args)
    assert code == 2
    assert "deep: error: folders nested more than 64 levels deep" in out


LONG = "n" * 300  # one name longer than any file system allows (255): looking it up raises


@pytest.mark.parametrize(
    "args",
    [
        ("evaluate", LONG),
        ("evaluate", "ok.yaml", "--rules", LONG),
        ("evaluate", "ok.yaml", "--catalog", LONG),
        ("evaluate", "ok.yaml", "--model", LONG),
        ("evaluate", "ok.yaml", "--template", LONG),
        ("evaluate", "path.yaml"),
        ("evaluate", "card.yaml"),
        ("rules", "lint", LONG),
        ("rules", "test", LONG),
    ],
)
def test_a_name_too_long_to_look_up_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """Path.is_dir() raised OSError (File name too long) where os.path.isdir says no: found by fuzzing."""
    monkeypatch.chdir(tmp_path)
    Path("ok.yaml").write_text("name: x\nmodel: {id: gpt-oss-20b}\n")
    Path("path.yaml").write_text(f"name: x\nmodel: {{path: {LONG}}}\n")
    card(tmp_path / "m", [f"{LONG}/model"])  # the long name first: looked up, not skipped as absent
    Path("card.yaml").write_text("name: x\nmodel: {path: m}\n")
    code, out = invoke(*args)
    if args[1] == "card.yaml":  # a Hub-style id no folder or catalog entry has: an unresolved base
        assert code == 1 and "unresolved: licence unknown" in out, out
    else:
        assert code == 2 and ": error: " in out, out


def test_a_large_json_catalog_with_one_bad_entry_is_refused_quickly(tmp_path: Path) -> None:
    """Its error was located by re-reading the JSON with the YAML loader: 29 MB took 29 s and 1.6 GB."""
    models = [
        {
            "id": f"acme-{i}",
            "name": "A",
            "license": "mit",
            "weights": "open",
            "modalities": ["text"],
            "sources": {"basics": ["https://acme.example"]},
        }
        for i in range(60_000)
    ]
    models[-1]["context_window"] = "big"
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "c.json").write_text(json.dumps({"catalog": {"name": "acme"}, "models": models}))
    sample = str(ROOT / "samples" / "retail-support-llama.yaml")
    result = run_cli_measured("evaluate", sample, "--catalog", "cat", cwd=tmp_path)
    assert result.returncode == 2
    within_budget(result)
    assert result.stderr.startswith(
        "cat/c.json: error: models[59999].context_window: expected an integer or null, got the string 'big'"
    )


def test_a_file_of_200000_plain_keys_is_refused_before_it_is_composed(tmp_path: Path) -> None:
    """Under the 2 MB size limit, 200,000 one-line keys: counted event by event and refused at the
    node limit (it used to be composed whole first: about 3 s of CPU and 280 MB)."""
    lines = ["name: x", "model: {id: gpt-4o}"] + [f"k{i}: v" for i in range(200_000)]
    (tmp_path / "uc.yaml").write_text("\n".join(lines) + "\n")
    result = run_cli_measured("evaluate", "--", "uc.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("uc.yaml:"), result.stderr
    assert "error: document expands to more than 200,000 nodes" in result.stderr
    within_budget(result)


@pytest.mark.parametrize("stat_size", [0, 10])
def test_a_file_that_grew_since_its_stat_is_read_on_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stat_size: int
) -> None:
    """read_bytes reads what the stat says plus a byte: more means the file grew (or the stat
    cannot tell, as for /proc files), so it reads on, up to one byte past the limit."""
    from licensecheck import yamlsource
    from licensecheck.errors import InputError

    path = tmp_path / "uc.yaml"
    real_stat = os.stat

    def smaller(name: str) -> os.stat_result:
        info = real_stat(name)
        return os.stat_result((info.st_mode, *info[1:6], stat_size, *info[7:]))

    monkeypatch.setattr(yamlsource.os, "stat", smaller)
    path.write_bytes(b"x" * 100)
    assert yamlsource.read_bytes(str(path), max_bytes=200) == b"x" * 100
    path.write_bytes(b"x" * 300)
    assert len(yamlsource.read_bytes(str(path), max_bytes=200)) == 201
    with pytest.raises(InputError, match="more than the limit of 200 bytes"):
        yamlsource.read_text(str(path), max_bytes=200)
