"""`licensecheck inventory --engine dask` on a LocalCluster of 2 workers: the local engine's bytes."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from inventory_repos import AS_OF, make_repositories

from licensecheck.inventory import (
    ContextSpec,
    InventoryOptions,
    PolicyMismatch,
    engines,
    load_context,
    run_inventory,
)
from licensecheck.inventory.sources import expand_sources

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """One cluster for the module: 2 workers as threads of this process (fast to start), closed after."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Port .* is already in use")  # another cluster's
        local = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        )
    with local:
        yield local


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repositories(tmp_path_factory.mktemp("inventory-dask"))


def tree_bytes(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_dask_writes_the_bytes_of_the_local_engine(cluster: Any, repos: Path, tmp_path: Path) -> None:
    local, dask = tmp_path / "local", tmp_path / "dask"
    run_inventory([str(repos)], str(local), InventoryOptions(jobs=2, as_of=AS_OF))
    stats = run_inventory(
        [str(repos)],
        str(dask),
        InventoryOptions(engine="dask", scheduler=cluster.scheduler_address, as_of=AS_OF),
    )
    assert (stats.total, stats.scanned, stats.failed) == (6, 6, 1)
    assert tree_bytes(dask) == tree_bytes(local)
    errors = [text for text in (dask / "records").glob("*.jsonl") if '"type":"error"' in text.read_text()]
    assert len(errors) == 1 and "usecases/bad.yaml" in errors[0].read_text()


def test_dask_resumes_like_the_local_engine(cluster: Any, repos: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_inventory([str(repos)], str(out), InventoryOptions(jobs=1, as_of=AS_OF))
    again = run_inventory(
        [str(repos)],
        str(out),
        InventoryOptions(engine="dask", scheduler=cluster.scheduler_address, as_of=AS_OF),
    )
    assert (again.scanned, again.unchanged) == (0, 6)


def test_a_worker_with_other_rule_packs_stops_the_run(cluster: Any, repos: Path) -> None:
    context = load_context(ContextSpec(as_of=AS_OF))
    spec = replace(context.spec, policy="0" * 64)  # what the run loaded is not what workers load
    tasks = expand_sources([str(repos / "feed")])
    with (
        pytest.raises(PolicyMismatch, match="install the same licensecheck version"),
        engines.dask_client(2, cluster.scheduler_address) as client,
    ):
        list(engines.on_dask(tasks, spec, client, 2))


def test_an_unreachable_scheduler_is_exit_2_naming_its_address(
    repos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from click.testing import CliRunner

    from licensecheck.cli import cli

    monkeypatch.setattr(engines, "SCHEDULER_TIMEOUT", "1s")
    with socket.socket() as closed:  # bound, never listening: a connection to it is refused
        closed.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{closed.getsockname()[1]}"
        out = tmp_path / "out"
        result = CliRunner().invoke(
            cli, ["inventory", "--engine", "dask", "--scheduler", address, "-o", str(out), "--", str(repos)]
        )
    assert result.exit_code == 2, result.output
    assert f"{address}: error: cannot connect to the Dask scheduler" in result.output
    assert "help: give the scheduler's address as `dask scheduler` prints it" in result.output
    assert "Traceback" not in result.output and not out.exists()
