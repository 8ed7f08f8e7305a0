"""Cold-start benchmark: `licensecheck evaluate <sample>` against `python -c "import yaml, click"`.

Both commands run as whole processes, alternating, in the same run (the machine is noisy);
the figure reported is the ratio of their medians. Target: at most 1.5.

    python benchmarks/startup.py [--runs 30] [--sample samples/retail-support-llama.yaml]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sample", default=str(ROOT / "samples" / "retail-support-llama.yaml"))
    args = parser.parse_args()
    exe = shutil.which("licensecheck") or str(Path(sys.executable).parent / "licensecheck")
    evaluate = [exe, "evaluate", args.sample]
    baseline = [sys.executable, "-c", "import yaml, click"]
    for command in (evaluate, baseline):  # warm the file cache
        timed(command)
    ours: list[float] = []
    base: list[float] = []
    for _ in range(args.runs):
        ours.append(timed(evaluate))
        base.append(timed(baseline))
    m_ours, m_base = statistics.median(ours), statistics.median(base)
    print(f"licensecheck evaluate: median {m_ours * 1000:.1f} ms over {args.runs} runs")
    print(f"import yaml, click:    median {m_base * 1000:.1f} ms over {args.runs} runs")
    print(f"ratio of medians: {m_ours / m_base:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
