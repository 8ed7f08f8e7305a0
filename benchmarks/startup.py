"""Cold-start benchmark: `licensecheck evaluate <sample>` against `python -c "import yaml, click"`.

Both commands run as whole processes, alternating, in the same run (the machine is noisy);
the figure reported is the ratio of their medians. Target: at most 1.3. `--compare EXE` also
measures another installation (an older commit) in the same alternation.

    python benchmarks/startup.py [--runs 30] [--sample samples/retail-support-llama.yaml] [--compare EXE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from timing import Run, licensecheck_exe, report, run_timed

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sample", default=str(ROOT / "samples" / "retail-support-llama.yaml"))
    parser.add_argument("--compare", help="another licensecheck executable to measure alongside")
    args = parser.parse_args()
    exe = licensecheck_exe()
    evaluate = [exe, "evaluate", args.sample]
    baseline = [sys.executable, "-c", "import yaml, click"]
    other = [args.compare, "evaluate", args.sample] if args.compare else None
    for command in (evaluate, baseline, other):  # warm the file cache and the rule cache
        if command:
            run_timed(command)
    ours: list[Run] = []
    base: list[Run] = []
    theirs: list[Run] = []
    for _ in range(args.runs):  # alternating, so all see the same machine
        ours.append(run_timed(evaluate))
        base.append(run_timed(baseline))
        if other:
            theirs.append(run_timed(other))
    report("licensecheck evaluate", ours, 'python -c "import yaml, click"', base, "<= 1.3")
    if other:
        report(f"{args.compare} evaluate", theirs, 'python -c "import yaml, click"', base, "(compared)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
