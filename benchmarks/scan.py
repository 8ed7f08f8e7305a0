"""Benchmark: `licensecheck scan` on large real codebases, and its precision and recall.

1. Precision and recall on the labelled corpus (tests/scan_corpus, labels in
   tests/scan_corpus_labels.yaml). Target: 0.95 or more each.
2. The transformers and vllm source distributions, downloaded with
   `pip download --no-deps --no-binary :all:` into a temporary folder (skipped with a message
   when that fails, e.g. offline). Each tree is scanned with --jobs 1 and --jobs N, alternating
   with the floor: reading and `ast.parse` of every Python file of the same tree, in this
   process. The best of --runs runs of each is compared, as wall time and as CPU time (the
   workers' included): CPU time is steadier on a shared machine. Target: 1.5x the floor or
   less, with --jobs.

    python benchmarks/scan.py [--jobs 2] [--runs 3] [--packages transformers vllm] [--keep DIR]
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import glob
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


class Timing(NamedTuple):
    wall: float
    cpu: float


def clock() -> Timing:
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Timing(time.perf_counter(), own + children.ru_utime + children.ru_stime)


def since(start: Timing) -> Timing:
    now = clock()
    return Timing(now.wall - start.wall, now.cpu - start.cpu)


def corpus() -> None:
    from scan_corpus_score import score

    from licensecheck.api import load_context

    ctx = load_context()
    result = score(ctx.catalog, ctx.ruleset)
    references = result.true_positives + len(result.false_negatives)
    print(
        f"corpus: {result.snippets} snippets, {references} labelled references: "
        f"precision {result.precision:.3f}, recall {result.recall:.3f} (target >= 0.95 each)"
    )
    for key in result.false_positives:
        print(f"  false positive: {key[0]}:{key[1]} {key[2]!r}")
    for key in result.false_negatives:
        print(f"  missed:         {key[0]}:{key[1]} {key[2]!r}")
    for key, want, got in result.wrong_models:
        print(f"  wrong model:    {key[0]}:{key[1]} {key[2]!r} -> {got} (labelled {want})")


def download(package: str, work: Path) -> Path | None:
    """The unpacked source tree of `package`'s sdist, or None (with a message) when pip fails.

    pip prepares an sdist's metadata after downloading it, which for vllm needs its whole GPU
    build toolchain; with --no-build-isolation and --no-clean the unpacked tree stays in pip's
    temporary folder even when that step fails, and that tree is what is scanned.
    """
    saved, scratch = work / "sdists", work / f"pip-tmp-{package}"
    kept = sorted(glob.glob(str(scratch / "pip-download-*" / f"{package}_*")))
    if kept:  # --keep: downloaded by an earlier run
        return Path(kept[-1])
    saved.mkdir(exist_ok=True)
    scratch.mkdir(exist_ok=True)
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
        "--no-build-isolation", "--no-clean", "--timeout", "30", "--retries", "1",
        "-q", "-d", str(saved), package,
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=1800, env=dict(os.environ, TMPDIR=str(scratch))
        )
    except subprocess.TimeoutExpired:
        print(f"{package}: skipped, pip download timed out")
        return None
    archives = sorted(saved.glob(f"{package}-*.tar.gz"))
    if archives:
        target = work / "trees"
        target.mkdir(exist_ok=True)
        with tarfile.open(archives[-1]) as archive:
            if hasattr(tarfile, "data_filter"):
                archive.extractall(target, filter="data")
            else:  # Python < 3.12 without the backported filter
                archive.extractall(target)
        name = archives[-1].name[: -len(".tar.gz")]
        return target / name
    unpacked = sorted(glob.glob(str(scratch / "pip-download-*" / f"{package}_*")))
    if unpacked:
        return Path(unpacked[-1])
    reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
    print(f"{package}: skipped, pip download failed (offline?): {reason}")
    return None


def python_files(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*.py") if p.is_file() and not p.is_symlink())


def floor(files: list[Path]) -> Timing:
    """Reading and parsing every Python file: no scanner can do less."""
    start = clock()
    for path in files:
        with contextlib.suppress(SyntaxError, ValueError, RecursionError, MemoryError):
            ast.parse(path.read_bytes())
    return since(start)


def scan_once(tree: Path, jobs: int, ctx: object) -> tuple[Timing, int, int]:
    from licensecheck.scan import ScanOptions, scan

    start = clock()
    report = scan([str(tree)], ctx.catalog, ctx.ruleset, ScanOptions(jobs=jobs, fail_on_rank=99))  # type: ignore[attr-defined]
    return since(start), len(report.entries), report.files_scanned


def bench(tree: Path, jobs: int, runs: int) -> None:
    from licensecheck.api import load_context

    ctx = load_context()
    files = python_files(tree)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(f"\n{tree.name}: {len(files):,} Python files, {lines:,} lines")
    best: dict[str, Timing] = {}
    counts = (0, 0)
    settings = [("floor", 0), ("scan --jobs 1", 1)] + ([(f"scan --jobs {jobs}", jobs)] if jobs > 1 else [])
    for _ in range(runs):
        for label, n in settings:
            if n == 0:
                timing = floor(files)
            else:
                timing, *found = scan_once(tree, n, ctx)
                counts = (found[0], found[1])
            old = best.get(label)
            best[label] = Timing(
                min(timing.wall, old.wall) if old else timing.wall,
                min(timing.cpu, old.cpu) if old else timing.cpu,
            )
    base = best["floor"]
    print(f"  scanned {counts[1]:,} files, {counts[0]:,} model references")
    for label, timing in best.items():
        ratio = (
            ""
            if label == "floor"
            else f"  ratio to floor: wall {timing.wall / base.wall:.2f}x, cpu {timing.cpu / base.cpu:.2f}x"
        )
        print(f"  {label:<15} wall {timing.wall:7.2f} s  cpu {timing.cpu:7.2f} s{ratio}")
    print(
        f"  (best of {runs} runs each, alternating; target: scan <= 1.5x the floor with --jobs; load {os.getloadavg()[0]:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--packages", nargs="*", default=["transformers", "vllm"])
    parser.add_argument("--keep", help="download into this folder and keep it (default: a temporary folder)")
    args = parser.parse_args()
    corpus()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="licensecheck-scan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for package in args.packages:
            tree = download(package, work)
            if tree is not None:
                bench(tree, args.jobs, args.runs)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
