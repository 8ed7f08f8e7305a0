"""CPU time and peak memory of the bomb and large-file cases, each in its own process (the lead's numbers).

The bounds themselves (2 s of CPU, 300 MB) are asserted in tests/test_hostile_input.py and
tests/test_input_errors.py; this prints the worst seen, against a valid use case as baseline.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import run_cli_measured  # noqa: E402
from test_hostile_input import CASES, USECASE  # noqa: E402
from test_input_errors import CASES as USECASE_CASES  # noqa: E402

HEAVY = ("alias-bomb", "deep", "50mb", "fifty-megabytes", "huge", "sparse", "purpose-too-long")


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        base.mkdir()
        (base / "uc.yaml").write_bytes(USECASE)
        baseline = run_cli_measured("evaluate", "uc.yaml", "--fail-on", "never", cwd=base)
        for name in sorted(USECASE_CASES):
            if any(word in name for word in HEAVY):
                folder = Path(tmp) / ("uc-" + name)
                folder.mkdir()
                (folder / "usecase.yaml").write_bytes(USECASE_CASES[name])
                rows.append((name, run_cli_measured("evaluate", "usecase.yaml", cwd=folder)))
        for name, case in sorted(CASES.items()):
            if any(word in name for word in HEAVY):
                folder = Path(tmp) / name
                folder.mkdir()
                for file, data in case.files.items():
                    (folder / file).parent.mkdir(parents=True, exist_ok=True)
                    (folder / file).write_bytes(data)
                if case.setup:
                    case.setup(folder)
                rows.append((name, run_cli_measured(*case.args, cwd=folder)))
    print(f"baseline (valid use case): {baseline.cpu_seconds:.3f} s CPU, {baseline.max_rss_mb:.0f} MB")
    for name, r in rows:
        print(
            f"{name:45} exit {r.returncode}  {r.cpu_seconds:.3f} s CPU ({r.cpu_seconds / baseline.cpu_seconds:.1f}x)"
            f"  {r.max_rss_mb:.0f} MB ({r.max_rss_mb / baseline.max_rss_mb:.1f}x)"
        )
    worst_time = max(rows, key=lambda row: row[1].cpu_seconds)
    worst_memory = max(rows, key=lambda row: row[1].max_rss_mb)
    print(f"worst CPU time: {worst_time[1].cpu_seconds:.3f} s ({worst_time[0]})")
    print(f"worst memory: {worst_memory[1].max_rss_mb:.0f} MB ({worst_memory[0]})")


if __name__ == "__main__":
    main()
