"""`licensecheck inventory`: records per reference and use case, engines that agree, failures as
records, resume, the sources, the output folder and the views."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import ROOT
from inventory_repos import AS_OF, BLOCKED, LLAMA_8B, commit_all, git, make_repositories, write

from licensecheck.cli import cli
from licensecheck.inventory import (
    ContextSpec,
    InventoryOptions,
    engines,
    host,
    inventory_repository,
    load_context,
    run_inventory,
    stamp,
)
from licensecheck.inventory.progress import Progress, duration, line
from licensecheck.inventory.sources import expand_sources

SCHEMA = json.loads((ROOT / "licensecheck" / "schemas" / "inventory.schema.json").read_text())


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repositories(tmp_path_factory.mktemp("inventory"))


@pytest.fixture(scope="module")
def serial_output(repos: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serial") / "out"
    run_inventory([str(repos)], str(out), InventoryOptions(jobs=1, as_of=AS_OF))
    return out


def options(**overrides: Any) -> InventoryOptions:
    return InventoryOptions(**{"jobs": 1, "as_of": AS_OF, **overrides})


def read_records(out: Path) -> list[dict[str, Any]]:
    return [
        json.loads(text)
        for part in sorted((out / "records").glob("*.jsonl"))
        for text in part.read_text().splitlines()
    ]


def by_repository(out: Path) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for record in read_records(out):
        found.setdefault(Path(record["repository"]).name, []).append(record)
    return found


def tree_bytes(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_one_record_per_repository_reference_and_use_case(serial_output: Path) -> None:
    found = by_repository(serial_output)
    assert sorted(found) == ["acme-api", "broken-usecase", "empty", "feed", "notebooks", "runtime"]
    api = found["acme-api"]
    assert [r["type"] for r in api] == ["repository", "usecase", "reference", "reference"]
    head, usecase, llama, claude = api
    assert re.fullmatch(r"[0-9a-f]{40}", head["commit"]) and all(r["commit"] == head["commit"] for r in api)
    assert head["status"] == "scanned" and head["references"] == 2 and head["uncovered"] == 1
    assert usecase["file"] == "usecase.yaml" and usecase["verdict"] == "allowed-with-obligations"
    assert (llama["file"], llama["line"], llama["model"]) == ("app.py", 2, "llama-3.1-8b-instruct")
    assert llama["covered_by"] == ["usecase.yaml"] and llama["verdict"] == "allowed-with-obligations"
    assert claude["model"] == "claude-3.5-sonnet" and claude["uncovered"] and claude["verdict"] is None
    feed = found["feed"]
    assert feed[1]["verdict"] == "blocked" and "LLAMA31-MAU-700M" in feed[1]["violations"]
    assert feed[2]["verdict"] == "blocked" and feed[2]["covered_by"] == ["usecases/feed.yaml"]
    notebook = found["notebooks"]
    assert notebook[0]["commit"] is None
    assert (notebook[1]["file"], notebook[1]["cell"], notebook[1]["model"]) == ("explore.ipynb", 0, "gpt-4o")
    assert found["runtime"][1]["status"] == "unresolved"
    assert [r["type"] for r in found["empty"]] == ["repository"]


def test_records_validate_against_the_schema(serial_output: Path) -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    records = read_records(serial_output)
    assert {r["type"] for r in records} == {"repository", "error", "usecase", "reference"}
    for record in records:
        validator.validate(record)
    summary = json.loads((serial_output / "summary.json").read_text())
    jsonschema.Draft202012Validator({**SCHEMA, "oneOf": [{"$ref": "#/$defs/summary"}]}).validate(summary)


def test_schema_is_printed_by_the_cli() -> None:
    result = CliRunner().invoke(cli, ["schema", "inventory"])
    assert result.exit_code == 0 and json.loads(result.output) == SCHEMA


def test_an_invalid_use_case_is_a_located_error_and_its_references_stay(serial_output: Path) -> None:
    head, error, reference = by_repository(serial_output)["broken-usecase"]
    assert head["status"] == "failed" and head["usecases"] == 0
    assert (error["type"], error["file"], error["line"]) == ("error", "usecases/bad.yaml", 5)
    assert "'maybe'" in error["message"] and str(serial_output.parent) not in json.dumps(error)
    assert reference["model"] == "qwen2.5-7b-instruct" and reference["uncovered"]
    summary = json.loads((serial_output / "summary.json").read_text())
    [failed] = summary["failed"]
    assert failed["repository"].endswith("broken-usecase") and failed["errors"][0]["line"] == 5


def test_summary_counts_models_by_licence_and_state(serial_output: Path) -> None:
    summary = json.loads((serial_output / "summary.json").read_text())
    assert summary["repositories"] == {"total": 6, "scanned": 5, "failed": 1, "git": 2}
    models = {m["model"]: m for m in summary["models"]}
    assert models["llama-3.1-70b-instruct"]["state"] == "blocked"
    assert models["claude-3.5-sonnet"]["by_state"]["uncovered"] == 1
    assert models["llama-3.1-8b-instruct"]["state"] == "allowed-with-obligations"
    order = [m["state"] for m in summary["models"]]
    assert order == sorted(
        order, key=["blocked", "uncovered", "needs-review", "allowed-with-obligations", "allowed"].index
    )
    licences = {g["license"]: g for g in summary["licenses"]}
    assert licences["llama3.1"]["models"] == ["llama-3.1-70b-instruct", "llama-3.1-8b-instruct"]
    assert licences["llama3.1"]["repositories"] == 2
    assert {u["model"] for u in summary["uncovered"]} == {
        "claude-3.5-sonnet",
        "gpt-4o",
        "qwen2.5-7b-instruct",
    }
    assert summary["usecases"]["blocked"] == 1 and summary["references"]["unresolved"] == 1


def test_local_pool_and_one_process_write_the_same_bytes(
    repos: Path, serial_output: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_inventory([str(repos)], str(out), options(jobs=2))
    assert tree_bytes(out) == tree_bytes(serial_output)


def test_a_second_run_skips_unchanged_repositories_and_rescans_changed_ones(tmp_path: Path) -> None:
    repos = make_repositories(tmp_path)
    out = tmp_path / "out"
    first = run_inventory([str(repos)], str(out), options())
    assert (first.total, first.scanned, first.unchanged) == (6, 6, 0)
    write(repos / "notebooks", {"more.py": LLAMA_8B})  # a plain folder: its content stamp changes
    write(repos / "acme-api", {"extra.py": LLAMA_8B})
    commit_all(repos / "acme-api", "more")  # a git checkout: its commit changes
    again = run_inventory([str(repos)], str(out), options())
    # the failed repository (an invalid use case) is unchanged too: it fails the same way
    assert (again.scanned, again.unchanged) == (2, 4)
    fresh = tmp_path / "fresh"
    run_inventory([str(repos)], str(fresh), options())
    assert tree_bytes(out) == tree_bytes(fresh)
    assert [r["file"] for r in by_repository(out)["notebooks"] if r["type"] == "reference"] == [
        "explore.ipynb",
        "more.py",
    ]


def test_new_rules_an_exclude_or_fresh_inventory_everything_again(tmp_path: Path) -> None:
    repos = make_repositories(tmp_path)
    out = tmp_path / "out"
    run_inventory([str(repos)], str(out), options())
    assert run_inventory([str(repos)], str(out), options(exclude=("*.sh",))).scanned == 6
    assert run_inventory([str(repos)], str(out), options(exclude=("*.sh",))).scanned == 0
    assert run_inventory([str(repos)], str(out), options(exclude=("*.sh",), fresh=True)).scanned == 6


def test_a_removed_repository_leaves_the_records(tmp_path: Path) -> None:
    repos = make_repositories(tmp_path)
    out = tmp_path / "out"
    run_inventory([str(repos)], str(out), options())
    shutil.rmtree(repos / "runtime")
    stats = run_inventory([str(repos)], str(out), options())
    assert (stats.total, stats.scanned) == (5, 0)
    assert "runtime" not in by_repository(out)
    assert not any("runtime" in name for name in json.loads((out / "state.json").read_text())["repositories"])


def test_an_interrupted_run_keeps_what_it_did_and_the_next_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repos = make_repositories(tmp_path)
    out = tmp_path / "out"
    from licensecheck.inventory.store import OutputFolder

    kept = OutputFolder.append
    calls = []

    def stop_after_two(self: OutputFolder, result: Any) -> None:
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(result.name)
        kept(self, result)

    monkeypatch.setattr(OutputFolder, "append", stop_after_two)
    with pytest.raises(KeyboardInterrupt):
        run_inventory([str(repos)], str(out), options())
    monkeypatch.setattr(OutputFolder, "append", kept)
    assert not (out / "records").exists() and (out / ".work").is_dir()
    stats = run_inventory([str(repos)], str(out), options())
    assert (stats.scanned, stats.unchanged) == (4, 2)
    assert not (out / ".work").exists()
    fresh = tmp_path / "fresh"
    run_inventory([str(repos)], str(fresh), options())
    assert tree_bytes(out) == tree_bytes(fresh)


def test_a_waiver_expiring_between_two_dates_makes_the_repository_scanned_again(tmp_path: Path) -> None:
    waiver = (
        "waivers:\n  - {rule: LLAMA31-MAU-700M, reason: board minutes, approved_by: legal@example.com, "
        "expires: 2026-07-01}\n"
    )
    repo = write(tmp_path / "repos" / "waived", {"usecase.yaml": BLOCKED + waiver, "app.py": LLAMA_8B})
    out = tmp_path / "out"
    first = run_inventory([str(repo)], str(out), options(as_of="2026-06-01"))
    assert first.scanned == 1 and by_repository(out)["waived"][1]["waived"] == 1
    assert run_inventory([str(repo)], str(out), options(as_of="2026-06-20")).unchanged == 1
    later = run_inventory([str(repo)], str(out), options(as_of="2026-08-01"))
    assert later.scanned == 1
    assert by_repository(out)["waived"][1]["verdict"] == "blocked"


def test_a_repository_whose_worker_dies_is_an_error_record_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("the crash is injected into forked workers")
    repos = make_repositories(tmp_path)
    scan = host.scan

    def crash_on_feed(path: str, context: Any, **kw: Any) -> Any:
        if path.endswith("feed"):
            os._exit(9)
        return scan(path, context, **kw)

    monkeypatch.setattr(host, "scan", crash_on_feed)  # forked workers inherit it
    fork = __import__("multiprocessing").get_context("fork")
    monkeypatch.setattr(engines, "_start_method", lambda: fork)
    out = tmp_path / "out"
    stats = run_inventory([str(repos)], str(out), options(jobs=2))
    assert stats.total == 6
    found = by_repository(out)
    head, error = found["feed"]
    assert head["status"] == "failed" and "worker process died" in error["message"]
    assert [r["status"] for r in (v[0] for k, v in found.items() if k not in ("feed", "broken-usecase"))] == [
        "scanned"
    ] * 4
    assert json.loads((out / "state.json").read_text())["repositories"][str(repos / "feed")]["stamp"] is None


def test_inventory_repository_is_a_pure_function_of_the_folder(repos: Path) -> None:
    context = load_context(ContextSpec(as_of=AS_OF))
    first = inventory_repository(str(repos / "acme-api"), context, name="acme")
    second = inventory_repository(str(repos / "acme-api"), context, name="acme")
    assert first == second and first.stamp is not None and first.stamp.startswith("git:")
    assert {r["repository"] for r in first.records} == {"acme"}
    skipped = inventory_repository(str(repos / "acme-api"), context, name="acme", previous=first.stamp)
    assert skipped.unchanged and skipped.records == ()


def test_folders_that_are_no_repository_are_error_records(tmp_path: Path) -> None:
    context = load_context(ContextSpec(as_of=AS_OF))
    (tmp_path / "file.txt").write_text("x")
    missing = inventory_repository(str(tmp_path / "gone"), context)
    not_folder = inventory_repository(str(tmp_path / "file.txt"), context)
    assert [r["message"] for r in missing.records[1:]] == ["no such folder"]
    assert [r["message"] for r in not_folder.records[1:]] == ["not a folder"]
    assert missing.stamp is None and not_folder.failed


def test_a_repository_too_large_is_an_error_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = write(tmp_path / "big", {f"m{i}.py": LLAMA_8B for i in range(5)})
    monkeypatch.setattr(stamp, "MAX_FILES", 3)
    result = inventory_repository(str(repo), load_context(ContextSpec(as_of=AS_OF)))
    assert result.records[1]["message"] == "too large: more than 3 files"


def test_nothing_in_a_repository_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    repo = write(
        tmp_path / "hostile",
        {
            "setup.py": f"open({str(marker)!r}, 'w')\n",
            "run.sh": f"touch {marker}\nollama pull llama3.2\n",
            "conftest.py": f"open({str(marker)!r}, 'w')\n",
        },
    )
    commit_all(repo)
    git(repo, "config", "core.fsmonitor", f"touch {marker}; echo")
    hook = repo / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    result = inventory_repository(str(repo), load_context(ContextSpec(as_of=AS_OF)))
    assert not marker.exists()
    assert result.records[0]["status"] == "scanned" and result.records[0]["commit"] is not None


def test_hostile_names_are_shown_as_text_in_the_views(tmp_path: Path) -> None:
    # Folder and file names are free text; model names are too, as far as the scan keeps them.
    repo = write(
        tmp_path / "repos" / "<script>alert(1)<\u202escript> @team #1",
        {"app<img src=x>.py": LLAMA_8B, "usecases/bad.yaml": "name: '<img src=x onerror=alert(1)>'\n"},
    )
    out = tmp_path / "out"
    run_inventory([str(repo)], str(out), options())
    page = (out / "inventory.html").read_text()
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert f'<meta http-equiv="Content-Security-Policy" content="{csp}">' in page
    assert "<script" not in page and not re.search(r"<(link|img|iframe|object)\b", page)
    assert "&lt;script&gt;" in page and "app&lt;img src=x&gt;.py:2:" in page
    assert "&lt;U+202E&gt;" in page and "\u202e" not in page
    markdown = (out / "inventory.md").read_text()
    from markdown_it import MarkdownIt

    shown = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    assert "<script" not in shown and "<img" not in shown and "\u202e" not in markdown
    assert "&lt;script&gt;alert(1)" in shown  # shown as typed (Markdown escapes it with a backslash)
    assert "@team" in markdown and "@team" not in re.sub(r"<code>.*?</code>", "", markdown)  # no mention
    records = "".join(p.read_text() for p in (out / "records").glob("*.jsonl"))
    assert "\\u202e" in records and "\u202e" not in records


def test_views_link_each_model_to_its_locations(serial_output: Path) -> None:
    page = (serial_output / "inventory.html").read_text()
    anchors = set(re.findall(r'href="#(model-\d+)"', page))
    assert anchors and all(f'id="{a}"' in page for a in anchors)
    first = page.index('id="model-1"')
    assert "llama-3.1-70b-instruct" in page[first : first + 200] and "rank.py:2:" in page[first:]
    markdown = (serial_output / "inventory.md").read_text()
    assert "[llama-3.1-70b-instruct](#model-1)" in markdown and '<a id="model-1"></a>' in markdown
    assert "## Repositories that failed" in markdown and "usecases/bad.yaml:5:" in markdown


def test_sources_folders_lists_and_globs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repos: Path
) -> None:
    monkeypatch.chdir(repos.parent)
    names = [t.name for t in expand_sources(["repos"])]
    assert names == sorted(f"repos/{n}" for n in os.listdir(repos))
    assert [t.name for t in expand_sources(["repos/acme-api"])] == ["repos/acme-api"]
    assert [t.name for t in expand_sources(["repos/notebooks"])] == ["repos/notebooks"]
    assert [t.name for t in expand_sources(["repos/[ef]*", "repos/feed/"])] == ["repos/empty", "repos/feed"]
    listing = tmp_path / "list.txt"
    listing.write_text("# ours\nrepos/feed\n\nrepos/runtime\r\nrepos/feed\n")
    assert [t.name for t in expand_sources([str(listing)])] == ["repos/feed", "repos/runtime"]
    assert all(os.path.isabs(t.path) for t in expand_sources([str(listing)]))


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("nothing-here", "nothing-here: error: no such file or folder"),
        ("none-*", "none-*: error: no folder matches this glob"),
    ],
)
def test_a_source_that_names_nothing_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["inventory", "-o", "out", "--", given])
    assert result.exit_code == 2 and result.output.startswith(message)
    assert not (tmp_path / "out").exists()


def test_a_nul_byte_in_a_list_is_a_located_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.txt").write_bytes(b"a\nb\0c\n")
    result = CliRunner().invoke(cli, ["inventory", "-o", "out", "--", "list.txt"])
    assert result.exit_code == 2 and result.output.startswith("list.txt:2:1: error: a NUL byte")


def test_the_output_folder_must_be_new_empty_or_an_inventory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repos: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["inventory", "--jobs", "1", "-o", "mine", "--", str(repos)])
    assert result.exit_code == 2 and "holds no inventory" in result.output
    assert os.listdir(tmp_path / "mine") == ["notes.txt"]


def test_cli_writes_the_folder_and_says_what_it_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repos: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["inventory", "--jobs", "1", "--as-of", AS_OF, "-o", "out", "--", str(repos)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (
        result.output
        == "inventory of 6 repositories: 6 scanned, 0 unchanged since the last run, 1 failed; written to out\n"
    )
    assert sorted(os.listdir("out")) == [
        "inventory.html",
        "inventory.md",
        "records",
        "state.json",
        "summary.json",
    ]
    again = CliRunner().invoke(cli, args)
    assert "0 scanned, 6 unchanged" in again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler names a Dask scheduler: add --engine dask"),
        (["--engine", "dask", "--scheduler", "tcp://x:1", "--jobs", "2"], "with --scheduler the cluster"),
        (["--engine", "spark"], "'spark' is not one of 'local', 'dask'"),
    ],
)
def test_engine_options_that_do_not_fit_are_usage_errors(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(cli, ["inventory", *args, "-o", str(tmp_path / "out"), "--", str(tmp_path)])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "out").exists()


def test_without_dask_the_dask_engine_is_exit_2_with_the_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # an import of it raises ImportError
    result = CliRunner().invoke(
        cli, ["inventory", "--engine", "dask", "-o", str(tmp_path / "out"), "--", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "--engine dask: error: Dask is not installed" in result.output
    assert "pip install 'ai-model-licensecheck[dask]'" in result.output


def test_progress_is_shown_on_a_terminal_only() -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown = Terminal()
    meter = Progress(2, shown)
    meter.advance()
    meter.advance()
    meter.close()
    assert shown.getvalue().startswith("\r1/2 repositories") and shown.getvalue().endswith("\n")
    assert "\r2/2 repositories" in shown.getvalue()
    quiet = io.StringIO()
    Progress(2, quiet).advance()
    assert quiet.getvalue() == ""
    assert line(1_234, 100_000, 10.0) == "1,234/100,000 repositories  123.4/s  about 13m 20s left"
    assert (duration(7_500), duration(65), duration(8)) == ("2h 05m", "1m 05s", "8s")


def test_the_commit_is_read_from_git_files_without_running_git(tmp_path: Path) -> None:
    repo = write(tmp_path / "r", {"a.py": "x = 1\n"})
    commit_all(repo)
    head = (repo / ".git" / "refs" / "heads" / "main").read_text().strip()
    assert stamp.read_commit(str(repo)) == head
    git(repo, "pack-refs", "--all")  # the branch now lives in packed-refs only
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()
    assert stamp.read_commit(str(repo)) == head
    git(repo, "checkout", "-q", "--detach")
    assert stamp.read_commit(str(repo)) == head
    git(repo, "checkout", "-q", "main")
    git(repo, "worktree", "add", "-q", str(tmp_path / "wt"))
    assert (tmp_path / "wt" / ".git").is_file() and stamp.read_commit(str(tmp_path / "wt")) == head
    assert stamp.read_commit(str(tmp_path)) is None  # no .git of its own


@pytest.mark.parametrize(
    "head",
    [
        "ref: refs/heads/../../../../etc/passwd\n",
        "ref: /etc/passwd\n",
        "ref: refs/heads/x\0y\n",
        "garbage\n",
        "",
    ],
)
def test_a_hostile_head_gives_no_commit(tmp_path: Path, head: str) -> None:
    git_dir = tmp_path / ".git"
    (git_dir / "refs" / "heads").mkdir(parents=True)
    (git_dir / "HEAD").write_text(head)
    assert stamp.read_commit(str(tmp_path)) is None


def test_a_fifo_in_git_files_does_not_hang(tmp_path: Path) -> None:
    git_dir = tmp_path / ".git"
    git_dir.mkdir()
    os.mkfifo(git_dir / "HEAD")
    assert stamp.read_commit(str(tmp_path)) is None
    (tmp_path / "gitdir-file").mkdir()
    os.mkfifo(tmp_path / "gitdir-file" / ".git")
    assert stamp.read_commit(str(tmp_path / "gitdir-file")) is None


def test_the_tree_stamp_follows_content_not_the_folders_a_scan_skips(tmp_path: Path) -> None:
    repo = write(tmp_path / "r", {"a.py": "x = 1\n", "node_modules/m.js": "1"})
    first = stamp.tree_stamp(str(repo))
    write(repo, {"node_modules/n.js": "2"})
    assert stamp.tree_stamp(str(repo)) == first
    write(repo, {"b.py": "y = 2\n"})
    assert stamp.tree_stamp(str(repo)) != first


def test_views_of_a_huge_inventory_show_the_most_urgent_and_say_what_is_left_out(
    serial_output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from licensecheck.inventory import views

    summary = json.loads((serial_output / "summary.json").read_text())
    monkeypatch.setattr(views, "MODELS_SHOWN", 2)
    monkeypatch.setattr(views, "FAILED_SHOWN", 0)
    data = views.view(summary, {})
    assert [m["model"] for m in data["models"]] == [m["model"] for m in summary["models"][:2]]
    left = len(summary["models"]) - 2
    assert data["models_left_out"] == left and data["failed_left_out"] == 1
    markdown = views.render_markdown(data)
    assert f"And {left} more models: `summary.json` lists every model." in markdown
    assert "And 1 more repository: `summary.json` lists all." in markdown
    page = views.render_html(data)
    assert f"And {left} more models" in page and page.count('class="locations"') == 2


def test_pool_workers_are_forked_only_from_a_process_without_other_threads() -> None:
    import threading

    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("no fork on this platform")
    assert threading.active_count() > 1 or engines._start_method().get_start_method() == "fork"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert engines._start_method().get_start_method() in ("forkserver", "spawn")
    finally:
        stop.set()
        other.join()
