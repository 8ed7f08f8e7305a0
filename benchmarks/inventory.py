"""Benchmark: `licensecheck inventory` throughput on N synthetic repositories, local pool and Dask.

Generates N repositories (sizes from 1 to about 120 files; references in every style the scan
reads: Python calls and constants, notebooks, YAML/JSON/TOML configs, .env, Dockerfiles, shell
scripts, workflows, model cards; a third with use cases, some blocked; a few broken: an
invalid use case, a syntax error, a FIFO, a bogus .git), a fifth of them git checkouts. Then
inventories them with four set-ups, in alternating repetitions (the machine is shared: each
round runs every set-up once, so a busy moment hits them alike):

    one process      --engine local --jobs 1 (the baseline: in the command's own process)
    local, N cores   --engine local --jobs N (a process pool)
    dask, 1 worker   --engine dask --scheduler: a cluster of 1 worker process
    dask, N workers  --engine dask --scheduler: a cluster of N worker processes

Every run is the `licensecheck inventory` command in a process of its own, timed end to end
(start, sources, context, every repository, the sorted records, summary and views). The Dask
clusters are separate processes (`dask scheduler`, `dask worker --nworkers W --nthreads 1`),
started and warmed up once before the rounds and used through --scheduler, as an existing
cluster would be; their start-up time is printed apart. Throughput is repositories per second
(median and best of the rounds) and its ratio to the one-process run of the same round (the
median of those ratios: a busy moment slows both alike); the CPU time per repository counts the
command, its pool workers and git processes, and the Dask processes; the time 100,000
repositories would take is at the median rate. Every set-up must write the same bytes (checked).
Targets: dask on N workers >= 0.8 x the local pool, and both >= 0.8 x N x the one-process rate.

    python benchmarks/inventory.py [--repositories 1000] [--rounds 5] [--jobs N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
HF = [
    "meta-llama/Llama-3.1-8B-Instruct",
    "Qwen/Qwen2.5-7B-Instruct",
    "mistralai/Mistral-7B-Instruct-v0.3",
    "google/gemma-2-9b-it",
    "microsoft/Phi-3-mini-4k-instruct",
    "deepseek-ai/DeepSeek-R1",
    "TheBloke/Llama-2-7B-Chat-GGUF",
    "acme-corp/internal-ranker-v2",
]
API = ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet-20241022", "gemini-1.5-pro"]
OLLAMA = ["llama3.2", "qwen2.5:7b", "mistral:7b-instruct"]
FILLER = '''

def helper_{i}(values):
    """Unrelated code: parsed only when a trigger word is on its lines."""
    total = 0
    for value in values:
        if value % {m} == 0:
            total += value * {i}
    return total
'''


def python_file(rng: random.Random, i: int) -> str:
    model = rng.choice(HF)
    style = rng.randrange(5)
    if style == 0:
        body = f'from transformers import AutoModelForCausalLM\nMODEL_ID = "{model}"\nmodel = AutoModelForCausalLM.from_pretrained(MODEL_ID)\n'
    elif style == 1:
        body = f'import openai\nclient = openai.OpenAI()\nreply = client.chat.completions.create(model="{rng.choice(API)}", messages=[])\n'
    elif style == 2:
        body = f'from transformers import pipeline\npipe = pipeline("text-generation", model="{model}")\n'
    elif style == 3:
        body = 'import os\nimport anthropic\nanthropic.Anthropic().messages.create(model=os.environ["JUDGE_MODEL"], max_tokens=1, messages=[])\n'
    else:
        body = f'from vllm import LLM\nllm = LLM(model=os.getenv("MODEL", "{model}"))\nimport os\n'
    return body + "".join(FILLER.format(i=i * 10 + k, m=k + 2) for k in range(rng.randrange(1, 12)))


def notebook(rng: random.Random) -> str:
    cell = {
        "cell_type": "code",
        "metadata": {},
        "execution_count": None,
        "outputs": [],
        "source": [
            "from transformers import AutoModel\n",
            f'm = AutoModel.from_pretrained("{rng.choice(HF)}")\n',
        ],
    }
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def repository(rng: random.Random, index: int) -> dict[str, str]:
    """The files of one synthetic repository: mostly small, some medium, a few large."""
    size = rng.choices([rng.randrange(1, 6), rng.randrange(6, 30), rng.randrange(30, 120)], [70, 25, 5])[0]
    files: dict[str, str] = {"README.md": f"# service {index}\n"}
    for i in range(size):
        kind = rng.randrange(10)
        if kind < 6:
            files[f"src/module_{i}.py"] = python_file(rng, i)
        elif kind == 6:
            files[f"notebooks/explore_{i}.ipynb"] = notebook(rng)
        elif kind == 7:
            files[f"configs/train_{i}.yaml"] = f"model_id: {rng.choice(HF)}\nlearning_rate: 0.0001\n"
        elif kind == 8:
            files[f"scripts/serve_{i}.sh"] = (
                f"ollama pull {rng.choice(OLLAMA)}\nvllm serve {rng.choice(HF)}\n"
            )
        else:
            files[f"deploy/{i}/.env"] = f"CHAT_MODEL={rng.choice(API)}\n"
    if rng.random() < 0.15:
        files["Dockerfile"] = f"FROM python:3.12\nRUN huggingface-cli download {rng.choice(HF)}\n"
    if rng.random() < 0.15:
        files[".github/workflows/eval.yml"] = (
            f"jobs:\n  eval:\n    steps:\n      - run: python eval.py --model {rng.choice(HF)}\n"
        )
    if rng.random() < 0.1:
        files["pyproject.toml"] = f'[tool.eval]\nmodel_name = "{rng.choice(HF)}"\n'
    if rng.random() < 0.1:
        files["MODEL_CARD.md"] = f"---\nbase_model: {rng.choice(HF)}\n---\n# card\n"
    roll = rng.random()
    if roll < 0.25:
        files["usecases/support.yaml"] = (SAMPLES / "retail-support-llama.yaml").read_text()
        files["src/support.py"] = (
            'from transformers import AutoModel\nAutoModel.from_pretrained("meta-llama/Llama-3.1-8B-Instruct")\n'
        )
    elif roll < 0.32:
        files["usecases/feed.yaml"] = (SAMPLES / "social-feed-ranking-llama.yaml").read_text()  # blocked
        files["src/feed.py"] = (
            'from transformers import AutoModel\nAutoModel.from_pretrained("meta-llama/Llama-3.1-70B-Instruct")\n'
        )
    elif roll < 0.35:
        files["usecases/broken.yaml"] = (
            "licensecheck: 1\nname: Broken\nmodel: {id: gpt-4o}\nuse: {commercial: perhaps}\n"
        )
    if rng.random() < 0.03:
        files["src/broken_syntax.py"] = (
            'import openai\nopenai.OpenAI().chat.completions.create(model="gpt-4o"\n'
        )
    return files


def generate(root: Path, count: int, seed: int = 18) -> None:
    rng = random.Random(seed)
    env = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@example.com", GIT_COMMITTER_NAME="b")
    env.update(GIT_COMMITTER_EMAIL="b@example.com", GIT_AUTHOR_DATE="2026-01-01T00:00:00Z")
    env["GIT_COMMITTER_DATE"] = "2026-01-01T00:00:00Z"
    for index in range(count):
        folder = root / f"repo-{index:05d}"
        for name, text in repository(rng, index).items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if index % 5 == 0:
            for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "synthetic"]):
                subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)
        elif index % 97 == 1:
            os.mkfifo(folder / "pipe.py")  # a FIFO where a file was: never opened for reading
        elif index % 89 == 2:
            (folder / ".git").mkdir()
            (folder / ".git" / "HEAD").write_text("ref: ../../../etc/passwd\n")


class Measured(NamedTuple):
    wall: float
    cpu: float  # the command and what it waited for (pool workers, git), and the Dask workers


def cluster_cpu(processes: list[subprocess.Popen[bytes]]) -> float:
    """CPU time so far of the cluster processes, their workers and what those waited for (git)."""
    import psutil  # a dependency of distributed

    total = 0.0
    for popen in processes:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(popen.pid)
            for process in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    t = process.cpu_times()
                    total += t.user + t.system + t.children_user + t.children_system
    return total


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


COMMAND = [str(Path(sys.executable).parent / "licensecheck")]


def run(repos: Path, out: Path, args: list[str], cluster: list[subprocess.Popen[bytes]]) -> Measured:
    shutil.rmtree(out, ignore_errors=True)
    command = [*COMMAND, "inventory", "--as-of", "2026-06-01", "--output", str(out), *args, "--", str(repos)]
    before, start = children_cpu() + cluster_cpu(cluster), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or " 0 unchanged" not in done.stdout:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stdout}{done.stderr}")
    return Measured(elapsed, children_cpu() + cluster_cpu(cluster) - before)


def start_cluster(workers: int, folder: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A scheduler and `workers` worker processes (one thread each), on this machine only."""
    from distributed import Client

    file = folder / f"scheduler-{workers}.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0"]
        + ["--no-dashboard", "--scheduler-file", str(file)],
        **quiet,
    )
    for _ in range(600):
        if file.exists() and file.stat().st_size:
            break
        time.sleep(0.1)
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(file)]
        + ["--nworkers", str(workers), "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
        **quiet,
    )
    with Client(scheduler_file=str(file), timeout="60s") as client:
        client.wait_for_workers(workers, timeout=120)
        address = str(client.scheduler.address)
    return address, [scheduler, worker]


def tree_bytes(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m {secs:02d}s"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repositories", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=0, help="cores for the parallel set-ups (0: all)")
    parser.add_argument("--keep", help="generate into (or reuse) this folder instead of a temporary one")
    args = parser.parse_args()
    logging.getLogger("distributed").setLevel(logging.ERROR)

    from licensecheck.inventory.engines import cpu_count

    cores = args.jobs or cpu_count()
    scratch = Path(args.keep or tempfile.mkdtemp(prefix="licensecheck-inventory-bench-"))
    repos = scratch / "repos"
    if not repos.is_dir() or len(os.listdir(repos)) != args.repositories:
        shutil.rmtree(repos, ignore_errors=True)
        repos.mkdir(parents=True)
        start = time.perf_counter()
        generate(repos, args.repositories)
        print(f"generated {args.repositories:,} repositories in {time.perf_counter() - start:.1f} s: {repos}")
    clusters: dict[int, tuple[str, list[subprocess.Popen[bytes]]]] = {}
    for workers in sorted({1, cores}):
        start = time.perf_counter()
        clusters[workers] = start_cluster(workers, scratch)
        print(f"dask cluster of {workers} worker process(es) started in {time.perf_counter() - start:.1f} s")
    setups = {
        "one process": (["--jobs", "1"], []),
        f"local, {cores} cores": (["--jobs", str(cores)], []),
        "dask, 1 worker": (["--engine", "dask", "--scheduler", clusters[1][0]], clusters[1][1]),
        f"dask, {cores} workers": (
            ["--engine", "dask", "--scheduler", clusters[cores][0]],
            clusters[cores][1],
        ),
    }
    # A cluster in use has its workers' imports done and context loaded: warm them up, untimed.
    warm = scratch / "warm-up.txt"
    warm.write_text("".join(f"{p}\n" for p in sorted(repos.iterdir())[:8]))
    for name, (options, cluster) in setups.items():
        if cluster:
            start = time.perf_counter()
            run(warm, scratch / "out" / "warm-up", options, cluster)
            print(f"{name}: workers warmed up (imports, context) in {time.perf_counter() - start:.1f} s")
    times: dict[str, list[Measured]] = {name: [] for name in setups}
    reference: dict[str, bytes] | None = None
    identical = True
    try:
        for round_ in range(args.rounds):
            for name, (options, cluster) in setups.items():
                out = scratch / "out" / name.replace(" ", "-").replace(",", "")
                times[name].append(run(repos, out, options, cluster))
                if round_ == 0:
                    found = tree_bytes(out)
                    reference = reference or found
                    identical = identical and found == reference
            print(f"round {round_ + 1}: " + ", ".join(f"{n} {t[-1].wall:.1f} s" for n, t in times.items()))
    finally:
        for _, processes in clusters.values():
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=60)
    n = args.repositories
    walls = {name: [m.wall for m in measured] for name, measured in times.items()}
    one = walls["one process"]
    base_median, base_best = n / statistics.median(one), n / min(one)
    base_cpu = statistics.median(m.cpu for m in times["one process"]) / n

    def paired(name: str, over: str = "one process") -> float:
        """The median over rounds of the ratio of two set-ups' rates in the same round."""
        return statistics.median(b / a for a, b in zip(walls[name], walls[over]))

    print()
    print(
        f"{n:,} repositories, {args.rounds} alternating rounds, {cores} cores (os reports {os.cpu_count()}):"
    )
    print(
        f"{'set-up':<18} {'median repos/s':>15} {'best repos/s':>13} {'ratio/round':>12}"
        f" {'CPU ms/repo':>12} {'ratio':>6} {'100,000 repos (median)':>23}"
    )
    for name, measured in times.items():
        median, best = n / statistics.median(walls[name]), n / min(walls[name])
        cpu = statistics.median(m.cpu for m in measured) / n
        print(
            f"{name:<18} {median:>15.1f} {best:>13.1f} {paired(name):>11.2f}x"
            f" {cpu * 1000:>12.1f} {cpu / base_cpu:>5.2f}x {duration(100_000 / median):>23}"
        )
    local, dask = f"local, {cores} cores", f"dask, {cores} workers"
    print()
    print(f"identical records, summary and views in every set-up: {'yes' if identical else 'NO'}")
    print(
        f"targets: dask/local {paired(dask, local):.2f} per round (>= 0.8); local {paired(local):.2f}x and "
        f"dask {paired(dask):.2f}x one process per round (>= {0.8 * cores:.1f}x = 0.8 x {cores} cores); "
        f"best runs: dask/local {min(walls[local]) / min(walls[dask]):.2f}, local "
        f"{min(one) / min(walls[local]):.2f}x, dask {min(one) / min(walls[dask]):.2f}x; "
        f"one process: {base_median:.1f} repos/s median, {base_best:.1f} best"
    )
    print(
        f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
