"""Benchmark: rendering a 10,000-model shortlist in each format, in-process, render only.

Each run is a fresh process that loads the context, builds the shortlist of the synthetic catalog
of benchmarks/shortlist.py (same models, same seed) and renders it once in one format, as
`licensecheck shortlist` does; only the rendering is timed (wall and CPU seconds of the process,
from perf_counter and process_time around `render`). `--compare EXE` measures another
installation (its licensecheck executable; the python beside it runs the child) in the same
alternation, and the ratios of the medians are printed per format. Each installation gets its own
cache folder.
Last measured 2026-12-02 (5 runs, non-editable, quiet, against main cbee4c3), median CPU: text 31 vs
42 ms (0.75x), markdown 56 vs 218 ms (0.26x), json 152 vs 415 ms (0.37x), html 271 vs 851 ms (0.32x;
it includes importing jinja2 and compiling the template).

    python benchmarks/shortlist_render.py [--models 10000] [--runs 5] [--compare EXE] [--format F ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from shortlist import USECASE, write_synthetic_catalog

FORMATS = ("text", "markdown", "json", "html")

# The child: everything `licensecheck shortlist` does before rendering, then one timed rendering.
CHILD = """
import json, sys, time
from licensecheck import api, formats
from licensecheck.formats import SHORTLIST_FORMATS
ctx = api.load_context((), (sys.argv[2],))
result = api.shortlist(ctx, sys.argv[3])
fmt = formats.create(SHORTLIST_FORMATS, sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
out = fmt.render(result)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"wall": wall, "cpu": cpu, "size": len(out)}))
"""


def python_of(exe: str) -> str:
    """The python beside a licensecheck executable (a venv's bin folder), else this one."""
    beside = Path(exe).parent / "python"
    return str(beside) if beside.exists() else sys.executable


def render(python: str, fmt: str, catalog: Path, cache: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["LICENSECHECK_CACHE_DIR"] = str(cache)
    command = [python, "-c", CHILD, fmt, str(catalog), str(USECASE)]
    # run outside the source tree: `python -c` imports from the working folder first
    result = subprocess.run(command, capture_output=True, check=False, env=env, text=True, cwd=catalog.parent)
    if result.returncode != 0:
        sys.exit(f"{python} rendering {fmt} failed ({result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", help="another licensecheck executable to measure alongside")
    parser.add_argument("--format", action="append", choices=FORMATS, help="only these formats")
    args = parser.parse_args()
    pythons = [sys.executable] + ([python_of(args.compare)] if args.compare else [])
    tmp = Path(tempfile.mkdtemp(prefix="licensecheck-bench-"))
    try:
        write_synthetic_catalog(tmp / "catalog", args.models)
        caches = [tmp / f"cache-{i}" for i in range(len(pythons))]
        formats = args.format or list(FORMATS)
        runs: dict[tuple[int, str], list[dict[str, float]]] = {}
        for i, python in enumerate(pythons):  # warm the caches and check it works
            render(python, "text", tmp / "catalog", caches[i])
        for _ in range(args.runs):  # alternating, so all see the same machine
            for fmt in formats:
                for i, python in enumerate(pythons):
                    runs.setdefault((i, fmt), []).append(render(python, fmt, tmp / "catalog", caches[i]))
        for fmt in formats:
            line = f"{fmt:<8}"
            for i in range(len(pythons)):
                wall = statistics.median(r["wall"] for r in runs[i, fmt])
                cpu = statistics.median(r["cpu"] for r in runs[i, fmt])
                line += f"  {'this' if i == 0 else 'compared'}: wall {wall * 1000:6.1f} ms cpu {cpu * 1000:6.1f} ms"
            if len(pythons) > 1:
                ratio = [statistics.median(r[key] for r in runs[0, fmt]) for key in ("wall", "cpu")]
                base = [statistics.median(r[key] for r in runs[1, fmt]) for key in ("wall", "cpu")]
                line += f"  ratio wall {ratio[0] / base[0]:.2f}x cpu {ratio[1] / base[1]:.2f}x"
            print(line)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
