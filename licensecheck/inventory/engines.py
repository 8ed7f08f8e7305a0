"""Where the per-repository function runs: in this process, a local process pool, or a Dask cluster.

Every engine runs `run_batch` (inventory_repository over a few repositories, with the context
loaded once per worker process) and yields results as they finish; the order does not matter,
the records are sorted when they are written. A worker that dies (killed for its memory, a
crash) never stops the run: its repositories are tried again one at a time, and the one it
dies on becomes an error record.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import warnings
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from licensecheck.errors import InputError
from licensecheck.inventory import host
from licensecheck.inventory.model import ContextSpec, RepositoryResult, RepositoryTask
from licensecheck.inventory.repository import failed_result, inventory_repository

MAX_BATCH = 16  # repositories per task: fewer tasks for the scheduler, little imbalance at the end
MAX_BREAKS = 10  # worker pools lost in one run before it gives up (the machine, not a repository)
_DIED = "the worker process died while inventorying this repository (out of memory, or a crash)"
_DIED_HELP = "inventory it alone with `licensecheck scan` to see why; the other repositories were inventoried"


Results = Generator[RepositoryResult, None, None]


class EngineError(Exception):
    """The engine itself cannot go on (no Dask, no scheduler, workers that keep dying)."""


def run_batch(tasks: Sequence[RepositoryTask], spec: ContextSpec) -> list[RepositoryResult]:
    """The unit of work of every engine: a few repositories, with the worker's own context."""
    context = host.worker_context(spec)
    return [inventory_repository(t.path, context, name=t.name, previous=t.previous) for t in tasks]


def batches(tasks: Sequence[RepositoryTask], workers: int) -> list[list[RepositoryTask]]:
    """Tasks in batches small enough that every worker gets several (the last ones finish together)."""
    size = max(1, min(MAX_BATCH, len(tasks) // max(1, workers * 8)))
    return [list(tasks[i : i + size]) for i in range(0, len(tasks), size)]


def serial(tasks: Sequence[RepositoryTask], spec: ContextSpec) -> Results:
    """In this process, one repository after the other (--jobs 1)."""
    for task in tasks:
        yield from run_batch([task], spec)


def _start_method() -> Any:
    """fork when this process runs no other thread: a worker starts with the context this process
    loaded (no import, no second load). With threads (a library caller's), a forked child could
    inherit a lock held by one of them: forkserver, else spawn, and each worker loads its own."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _worker_init(spec: ContextSpec) -> None:
    """A pool worker leaves Ctrl-C to the run (which stops the pool) and loads its context once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    host.worker_context(spec)


def local(tasks: Sequence[RepositoryTask], spec: ContextSpec, jobs: int) -> Results:
    """A pool of `jobs` processes. When the pool breaks (a worker died), the batches that were
    running are tried again one repository at a time in a pool of their own, the rest as before."""
    queue = batches(tasks, jobs)
    breaks = 0
    while queue:
        broken: list[int] = []
        pool = ProcessPoolExecutor(
            jobs, mp_context=_start_method(), initializer=_worker_init, initargs=(spec,)
        )
        try:
            futures: dict[Future[list[RepositoryResult]], int] = {
                pool.submit(run_batch, batch, spec): i for i, batch in enumerate(queue)
            }
            waiting = set(futures)
            while waiting:
                done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                for future in done:
                    index = futures[future]
                    try:
                        results = future.result()
                    except BrokenProcessPool:
                        broken.append(index)
                        continue
                    except host.PolicyMismatch:
                        raise
                    except Exception as exc:  # a result that cannot come back (pickling): the batch fails
                        results = [
                            failed_result(t.name, f"{_DIED}: {type(exc).__name__}", _DIED_HELP)
                            for t in queue[index]
                        ]
                    yield from results
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if not broken:
            return
        breaks += 1
        if breaks > MAX_BREAKS:
            raise EngineError(
                f"the worker processes died {breaks} times: the machine lacks memory, or the engine fails"
            )
        broken.sort()
        # Batches are handed to workers in order: the earliest unfinished ones were running.
        running = broken[: jobs + 1]
        yield from _one_by_one([t for i in running for t in queue[i]], spec)
        queue = [queue[i] for i in broken[jobs + 1 :]]


def _one_by_one(tasks: Sequence[RepositoryTask], spec: ContextSpec) -> Results:
    """Each repository alone in a one-process pool: a death names its repository."""
    pool: ProcessPoolExecutor | None = None
    try:
        for task in tasks:
            if pool is None:
                pool = ProcessPoolExecutor(
                    1, mp_context=_start_method(), initializer=_worker_init, initargs=(spec,)
                )
            try:
                yield from pool.submit(run_batch, [task], spec).result()
            except BrokenProcessPool:
                pool.shutdown(wait=True)
                pool = None
                yield failed_result(task.name, _DIED, _DIED_HELP)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def require_dask() -> None:
    """InputError unless dask.distributed can be imported (the `dask` extra)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise InputError(
            "--engine dask",
            None,
            None,
            "Dask is not installed",
            "pip install 'ai-model-licensecheck[dask]' (dask.distributed)",
        ) from None


@contextlib.contextmanager
def dask_client(jobs: int, scheduler: str | None) -> Iterator[Any]:
    """A client of the Dask cluster at `scheduler`, else of a LocalCluster of `jobs` worker
    processes it starts; both closed after. InputError when the scheduler cannot be reached."""
    import logging

    require_dask()
    import distributed

    dd: Any = distributed  # untyped: its calls are Any

    cluster: Any = None
    client: Any = None
    try:
        if scheduler:
            try:
                client = dd.Client(scheduler, timeout=SCHEDULER_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError(
                    scheduler, None, None, f"cannot connect to the Dask scheduler: {exc}", _SCHEDULER_HELP
                ) from None
        else:
            with warnings.catch_warnings():
                # its HTTP server takes another port when 8787 is in use (another cluster): fine
                warnings.filterwarnings("ignore", message="Port .* is already in use")
                cluster = dd.LocalCluster(
                    n_workers=jobs,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            client = dd.Client(cluster)
        yield client
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


def on_dask(tasks: Sequence[RepositoryTask], spec: ContextSpec, client: Any, jobs: int) -> Results:
    """The batches on the cluster of a connected `client`. Each worker loads the context once
    (a worker plugin, at its start)."""
    import distributed

    from licensecheck.inventory.dask_plugin import ContextPlugin

    dd: Any = distributed

    client.register_plugin(ContextPlugin(spec), name="licensecheck-inventory-context")
    workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
    queue = batches(tasks, workers)
    futures = client.map(run_batch, queue, spec=spec, pure=False)
    batch_of = {future.key: batch for future, batch in zip(futures, queue)}
    pending = dd.as_completed(futures)
    for future in pending:
        batch = batch_of.pop(future.key)
        try:
            results = future.result()
        except host.PolicyMismatch:
            raise
        except Exception as exc:  # KilledWorker: the batch's workers died; or a result lost
            if len(batch) > 1:
                for task in batch:
                    again = client.submit(run_batch, [task], spec, pure=False)
                    batch_of[again.key] = [task]
                    pending.add(again)
            else:
                results = [failed_result(batch[0].name, f"{_DIED}: {type(exc).__name__}", _DIED_HELP)]
                yield from results
            continue
        finally:
            future.release()
        yield from results


SCHEDULER_TIMEOUT = "30s"  # how long to try reaching a --scheduler before exit 2
_SCHEDULER_HELP = (
    "give the scheduler's address as `dask scheduler` prints it (tcp://HOST:8786), or leave out "
    "--scheduler to start a local cluster"
)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
