"""Timing of whole processes for the benchmarks: wall-clock and CPU seconds of the child.

Wall time is what a user waits; CPU time (user + system of the child process, from
getrusage) is steadier on a shared, noisy machine. Benchmarks report both as ratios of medians
against a baseline measured in the same run.

Children run without PYTHONDONTWRITEBYTECODE: an installed package has its bytecode compiled
(pip does it), and a warm run should not compile licensecheck's modules on every start while
the baseline's come precompiled from site-packages.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple


def licensecheck_exe() -> str:
    """The `licensecheck` the benchmarks measure: the one first on PATH, else the one beside this
    Python (put the installation's bin first on PATH: a version manager's shim adds its own start-up)."""
    return shutil.which("licensecheck") or str(Path(sys.executable).parent / "licensecheck")


class Run(NamedTuple):
    wall: float
    cpu: float
    returncode: int
    stderr: bytes


def run_timed(command: list[str], cwd: Path | None = None) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run(command, capture_output=True, cwd=cwd, check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, result.returncode, result.stderr)


def report(label_a: str, runs_a: list[Run], label_b: str, runs_b: list[Run], target: str) -> None:
    """Print medians of both and the ratios a/b for wall and CPU time."""
    wall_a, wall_b = statistics.median(r.wall for r in runs_a), statistics.median(r.wall for r in runs_b)
    cpu_a, cpu_b = statistics.median(r.cpu for r in runs_a), statistics.median(r.cpu for r in runs_b)
    width = max(len(label_a), len(label_b))
    n = len(runs_a)
    print(
        f"{label_a:<{width}}  wall median {wall_a * 1000:7.1f} ms  cpu median {cpu_a * 1000:7.1f} ms  ({n} runs)"
    )
    print(
        f"{label_b:<{width}}  wall median {wall_b * 1000:7.1f} ms  cpu median {cpu_b * 1000:7.1f} ms  ({n} runs)"
    )
    print(f"ratio of medians: wall {wall_a / wall_b:.2f}x, cpu {cpu_a / cpu_b:.2f}x (target: {target})")
