"""Benchmark: what a 10,000-model `--catalog` folder adds to a run (`models show` of one model).

Both commands are timed as whole processes (start-up included), alternating, warm caches: one
shows a model of the synthetic catalog (loading it), the other a bundled model without it. The
difference of the medians is the catalog's load; target: within 40 ms. `--compare EXE` measures
another installation (an older commit) the same way, in the same alternation.
Last measured 2026-12-02 (busy machine, load 8): the catalog adds 38.5 ms of CPU (66 ms wall);
main of cbee4c3, before the catalog cache, 155 ms of CPU (201 ms wall).

    python benchmarks/catalog_load.py [--models 10000] [--runs 9] [--compare EXE]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from shortlist import write_synthetic_catalog
from timing import Run, licensecheck_exe, report, run_timed

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> Run:
    run = run_timed(command, cwd=ROOT)
    if run.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({run.returncode}):\n{run.stderr.decode()}")
    return run


def added(label: str, with_catalog: list[Run], without: list[Run]) -> None:
    report(label, with_catalog, "the same without --catalog", without, "difference within 40 ms")
    wall = statistics.median(r.wall for r in with_catalog) - statistics.median(r.wall for r in without)
    cpu = statistics.median(r.cpu for r in with_catalog) - statistics.median(r.cpu for r in without)
    print(f"the catalog adds: wall {wall * 1000:.1f} ms, cpu {cpu * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--compare", help="another licensecheck executable to measure alongside")
    args = parser.parse_args()
    exe = licensecheck_exe()
    tmp = Path(tempfile.mkdtemp(prefix="licensecheck-bench-"))
    try:
        write_synthetic_catalog(tmp, args.models)
        loaded = ["models", "show", "synth-00000", "--catalog", str(tmp)]
        bundled = ["models", "show", "gpt-4o"]
        exes = [exe, args.compare] if args.compare else [exe]
        commands = [[e, *c] for e in exes for c in (loaded, bundled)]
        for command in commands:  # warm the caches and check it works
            timed(command)
        runs: list[list[Run]] = [[] for _ in commands]
        for _ in range(args.runs):  # alternating, so all see the same machine
            for kept, command in zip(runs, commands):
                kept.append(timed(command))
        label = f"models show, {args.models:,}-model --catalog"
        added(label, runs[0], runs[1])
        if args.compare:
            added(f"{args.compare}: {label}", runs[2], runs[3])
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
