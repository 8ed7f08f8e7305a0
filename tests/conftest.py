"""Shared test helpers: paths, a CLI runner, and the explicit golden-file update flag."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import settings

# Fuzzing: a fixed, derandomized run in CI (same examples every time); raise the count locally
# with LICENSECHECK_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py.
settings.register_profile(
    "licensecheck",
    max_examples=int(os.environ.get("LICENSECHECK_FUZZ_EXAMPLES", "200")),
    derandomize=True,
    deadline=None,
    database=None,
)
settings.load_profile("licensecheck")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output (do this on purpose only)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare `actual` with the golden file; rewrite it only when --update-golden is given."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"golden file {path} is missing: run pytest --update-golden on purpose"
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path.relative_to(ROOT)}"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Rule-pack caches of the test run go to a temporary folder, not the user's cache."""
    os.environ["LICENSECHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("licensecheck-cache"))


def run_cli(
    *args: str, input: bytes | None = None, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `licensecheck` command as a user would (a real process)."""
    full_env = dict(os.environ, NO_COLOR="1")
    if env:
        full_env.update(env)
    exe = Path(sys.executable).parent / "licensecheck"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "licensecheck"]
    return subprocess.run(
        command + list(args),
        input=input.decode() if input is not None else None,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=60,
    )


class Measured(NamedTuple):
    """A finished CLI process with its own wall time and peak memory (not its siblings')."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


def run_cli_measured(*args: str, cwd: Path, timeout: float = 30) -> Measured:
    """Run the CLI in its own process and read that process's peak RSS via wait4.

    wait4 gives the rusage of exactly this child; RUSAGE_CHILDREN would report the maximum over
    every child the test session has reaped so far.
    """
    exe = Path(sys.executable).parent / "licensecheck"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "licensecheck"]
    env = dict(os.environ, NO_COLOR="1")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command + list(args), cwd=cwd, env=env, stdout=out, stderr=err)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise AssertionError(f"licensecheck {' '.join(args)} did not finish in {timeout} s")
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            usage.ru_maxrss / 1024,  # KiB on Linux
        )
