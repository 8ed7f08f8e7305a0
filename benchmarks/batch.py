"""Benchmark: `licensecheck evaluate` over a folder of 10,000 use cases, time and peak memory.

The use cases are the samples, renamed and with varied user counts, written to a temporary
folder. Each run is a whole process; its wall time, CPU time and peak RSS come from `os.wait4`.
One `licensecheck evaluate` of a single sample is measured in the same run, alternating, as the
baseline; `--compare EXE` measures another installation (an older commit) the same way, so a
before/after comparison shares the machine's load. Targets: 8 s and 100 MiB on 2 cores.

    python benchmarks/batch.py [--usecases 10000] [--runs 3] [--format json] [--compare EXE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from timing import licensecheck_exe

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


class Measured(NamedTuple):
    wall: float
    cpu: float
    max_rss_mib: float


def measure(command: list[str]) -> Measured:
    """Run `command` to completion; its wall time, CPU time and peak RSS via wait4."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE, cwd=ROOT)
        assert process.stderr is not None
        errors = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code
    if code not in (0, 1):
        sys.exit(f"{' '.join(command[:3])} ... failed ({code}):\n{errors.decode()[:2000]}")
    return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def write_usecases(folder: Path, count: int) -> None:
    texts = [path.read_text(encoding="utf-8") for path in SAMPLES]
    for i in range(count):
        text = texts[i % len(texts)]
        text = text.replace("\nname: ", f"\nname: case {i:05d} ", 1)
        text = text.replace("monthly_active_users: ", f"monthly_active_users: {i * 97}", 1)
        (folder / f"case-{i:05d}.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--usecases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", default="json")
    parser.add_argument("--jobs", help="pass --jobs N to this installation (default: its own default)")
    parser.add_argument("--compare", help="another licensecheck executable to measure alongside")
    args = parser.parse_args()
    exe = licensecheck_exe()
    tmp = Path(tempfile.mkdtemp(prefix="licensecheck-batch-"))
    try:
        write_usecases(tmp, args.usecases)
        jobs = ["--jobs", args.jobs] if args.jobs else []
        commands = {"this": [exe, "evaluate", str(tmp), "--format", args.format, "--fail-on", "never", *jobs]}
        if args.compare:
            commands["compare"] = [args.compare, "evaluate", str(tmp), "--format", args.format]
            commands["compare"] += ["--fail-on", "never"]
        single = [exe, "evaluate", str(SAMPLES[0]), "--fail-on", "never"]
        measure(single)  # warm the rule cache
        runs: dict[str, list[Measured]] = {name: [] for name in [*commands, "single"]}
        for _ in range(args.runs):  # alternating, so every command sees the same machine
            for name, command in commands.items():
                runs[name].append(measure(command))
            runs["single"].append(measure(single))
        print(f"{args.usecases:,} use cases, --format {args.format}, {args.runs} runs, {os.cpu_count()} CPUs")
        base = statistics.median(r.wall for r in runs["single"])
        for name, measured in runs.items():
            wall = statistics.median(r.wall for r in measured)
            cpu = statistics.median(r.cpu for r in measured)
            rss = max(r.max_rss_mib for r in measured)
            print(
                f"{name:8} wall median {wall:7.2f} s ({wall / base:6.1f}x one evaluate)"
                f"  cpu median {cpu:7.2f} s  peak RSS {rss:6.1f} MiB"
            )
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
