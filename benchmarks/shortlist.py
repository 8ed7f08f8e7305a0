"""Benchmark: `licensecheck shortlist` over a 10,000-model catalog vs one `licensecheck evaluate`.

Both are timed as whole processes (start-up included), alternating runs, and the ratio of the
medians is printed. Target: the shortlist within 4x a single evaluate. `--compare EXE` measures
another installation (an older commit) the same way, in the same alternation.
Last measured 2026-12-02, third round (non-editable, one run of 31): shortlist 219 ms, 3.68x
one evaluate (59.5 ms); main before that round (9fe9bc0) 259 ms, 4.17x in the same run.

    python benchmarks/shortlist.py [--models 10000] [--runs 7] [--compare EXE]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

from timing import Run, licensecheck_exe, report, run_timed

ROOT = Path(__file__).resolve().parent.parent
USECASE = ROOT / "samples" / "select-support-chat.yaml"
LICENSES = (
    "apache-2.0",
    "mit",
    "llama3.1",
    "llama3.2",
    "llama3.3",
    "llama4",
    "gemma",
    "qwen",
    "deepseek",
    "mrl",
    "mnpl",
    "cc-by-nc-4.0",
    "openai-terms",
    "anthropic-terms",
    "gemini-api-terms",
)


def synthetic_model(i: int, rng: random.Random) -> dict[str, object]:
    """One plausible model; about one fact in eight is unknown (null), as in real catalogs."""
    closed = rng.random() < 0.3

    def maybe(value: object) -> object:
        return None if rng.random() < 0.125 else value

    price_in = round(rng.uniform(0.05, 15), 3) if closed or rng.random() < 0.3 else None
    return {
        "id": f"synth-{i:05d}",
        "name": f"Synthetic model {i}",
        "weights": "closed" if closed else "open",
        "release_date": maybe(f"{rng.randint(2022, 2025)}-{rng.randint(1, 12):02d}"),
        "knowledge_cutoff": maybe(f"{rng.randint(2021, 2024)}-{rng.randint(1, 12):02d}"),
        "parameters_b": None if closed else maybe(rng.choice([1, 3, 7, 8, 13, 34, 70, 180, 405])),
        "context_window": maybe(rng.choice([2048, 4096, 8192, 32768, 128000, 200000, 1048576])),
        "max_output_tokens": maybe(rng.choice([2048, 4096, 8192, 16384, 32768])),
        "price_input_per_mtok_usd": price_in,
        "price_output_per_mtok_usd": round(price_in * 4, 3) if price_in is not None else None,
        "license": rng.choice(LICENSES[12:]) if closed else rng.choice(LICENSES[:12]),
        "modalities": rng.choice([["text"], ["text"], ["text", "vision"], ["image-generation"]]),
        "hf_repo": None if closed else f"synth/model-{i:05d}",
        "as_of": "2026-11-01",
        "sources": {"basics": [f"https://example.com/models/{i}"]},
    }


def write_synthetic_catalog(folder: Path, models: int) -> None:
    """`folder`/synthetic.json: a catalog of `models` synthetic models, the same for every seed-4 run."""
    rng = random.Random(4)
    catalog = {"licensecheck": 1, "catalog": {"name": "synthetic"}}
    catalog["models"] = [synthetic_model(i, rng) for i in range(models)]  # type: ignore[assignment]
    folder.mkdir(exist_ok=True)
    (folder / "synthetic.json").write_text(json.dumps(catalog), encoding="utf-8")


def timed(command: list[str]) -> Run:
    run = run_timed(command, cwd=ROOT)
    if run.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({run.returncode}):\n{run.stderr.decode()}")
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--compare", help="another licensecheck executable to measure alongside")
    args = parser.parse_args()
    exe = licensecheck_exe()
    tmp = Path(tempfile.mkdtemp(prefix="licensecheck-bench-"))
    try:
        write_synthetic_catalog(tmp, args.models)
        shortlist = [exe, "shortlist", str(USECASE), "--catalog", str(tmp)]
        evaluate = [
            exe,
            "evaluate",
            str(USECASE),
        ]
        others = [[args.compare, *shortlist[1:]], [args.compare, *evaluate[1:]]] if args.compare else []
        for command in (shortlist, evaluate, *others):  # warm the caches and check it works
            timed(command)
        short_runs, eval_runs = [], []
        other_runs: list[list[Run]] = [[], []]
        for _ in range(args.runs):  # alternating, so all see the same machine
            short_runs.append(timed(shortlist))
            eval_runs.append(timed(evaluate))
            for runs, command in zip(other_runs, others):
                runs.append(timed(command))
        label = f"shortlist, {args.models:,} + bundled models"
        report(label, short_runs, "evaluate, one model", eval_runs, "within 4x")
        if others:
            report(
                f"{args.compare}: {label}", other_runs[0], "evaluate, one model", other_runs[1], "(compared)"
            )
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
