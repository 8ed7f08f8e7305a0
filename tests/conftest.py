"""Shared test helpers: paths, the CLI in this process or in its own, and the golden-file update flag."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
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


@functools.cache
def bundled_context() -> Any:
    """The bundled rule packs and catalog, loaded once for the whole test run (on first use, never
    when a module is collected); tests only read it."""
    from licensecheck.api import load_context

    return load_context()


@pytest.fixture(scope="session")
def context(_private_cache: None) -> Any:
    """The bundled rule packs and catalog, loaded once for the whole test run."""
    return bundled_context()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium per worker for the browser tests (tests/browser.py): each test opens
    its pages in a browser context of its own."""
    from browser import launched

    yield from launched()


def evaluate_usecase(tmp_path: Path, usecase: dict[str, Any], *options: str) -> dict[str, Any]:
    """Write the use case, run `licensecheck evaluate --format json --fail-on never` on it in this
    process (with `options`), and return its one report."""
    path = tmp_path / "usecase.yaml"
    path.write_text(yaml.safe_dump(usecase, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = run_cli("evaluate", str(path), "--format", "json", "--fail-on", "never", *options)
    assert result.returncode == 0, result.stderr
    reports = json.loads(result.stdout)["reports"]
    assert len(reports) == 1
    report: dict[str, Any] = reports[0]
    return report


def rules(report: dict[str, Any], outcome: str | None = None) -> set[str]:
    """The rules of a JSON report's findings that are not waived (with `outcome`, if given)."""
    return {
        f["rule"]
        for f in report["findings"]
        if not f["waived"] and (outcome is None or f["outcome"] == outcome)
    }


class Ran(NamedTuple):
    """What a CLI run printed and its exit code."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(
    *args: str, input: bytes | None = None, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Ran:
    """Run the CLI in this process through its console entry point (click's CliRunner isolation).

    Exit codes, messages and outputs are the command's own; only tests of the process itself
    (packaging, signals, descriptors, memory and CPU budgets) need run_process.
    """
    import signal

    from click.testing import CliRunner

    from licensecheck.cli import main

    isolation = CliRunner().isolation(input=input, env={"NO_COLOR": "1", **(env or {})})
    old_cwd, old_argv = os.getcwd(), sys.argv
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}  # main() sets them
    os.chdir(cwd or ROOT)
    sys.argv = ["licensecheck", *args]
    try:
        with isolation as (out, err, _):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            return Ran(
                code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace")
            )
    finally:
        os.chdir(old_cwd)
        sys.argv = old_argv
        with contextlib.suppress(ValueError):  # a test's thread: main() left the handlers alone
            for signum, handler in handlers.items():
                signal.signal(signum, handler)


def run_process(
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
    """A finished CLI process with its own CPU time and peak memory (not its siblings')."""

    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float  # user + system time of the CLI process itself: steady on a busy machine
    max_rss_mb: float


# A small launcher process starts the CLI and reaps it with os.wait4, which gives that one
# child's own resource usage: a child forked straight from the test process would count the
# test process's memory (ru_maxrss includes the pages it had before exec), and RUSAGE_CHILDREN
# in the test process mixes every child reaped so far. RLIMIT_CPU ends a runaway child by its
# CPU time, never by the wall clock of a busy machine.
_LAUNCHER = (
    "import os, resource, sys\n"
    "cpu = int(sys.argv[2])\n"
    "resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))\n"
    "pid = os.posix_spawnp(sys.argv[3], sys.argv[3:], os.environ)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "open(sys.argv[1], 'w').write(f'{usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}')\n"
    "code = os.waitstatus_to_exitcode(status)\n"
    "sys.exit(code if code >= 0 else 128 - code)\n"
)


def run_cli_measured(
    *args: str,
    cwd: Path,
    stdin: Any = None,
    input: bytes | None = None,
    cpu_limit_s: int = 30,
    env: dict[str, str] | None = None,
) -> Measured:
    """Run the CLI in its own process; its CPU seconds and peak RSS (MiB), from os.wait4."""
    exe = Path(sys.executable).parent / "licensecheck"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "licensecheck"]
    return run_measured([*command, *args], cwd, stdin, input, cpu_limit_s, env)


def run_measured(
    command: list[str],
    cwd: Path,
    stdin: Any = None,
    input: bytes | None = None,
    cpu_limit_s: int = 30,
    env: dict[str, str] | None = None,
) -> Measured:
    """Run `command` in its own process; its CPU seconds and peak RSS (MiB), from os.wait4.

    The timeout only keeps a blocked process from hanging the suite; nothing is asserted
    about wall time."""
    full_env = dict(os.environ, NO_COLOR="1", **(env or {}))
    with tempfile.TemporaryDirectory() as scratch:
        usage_file = os.path.join(scratch, "usage")
        done = subprocess.run(
            [sys.executable, "-S", "-c", _LAUNCHER, usage_file, str(cpu_limit_s), *command],
            cwd=cwd,
            env=full_env,
            stdin=stdin,
            input=input,
            capture_output=True,
            timeout=600,
        )
        with open(usage_file, encoding="ascii") as handle:
            cpu, max_rss_kib = handle.read().split()
    return Measured(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        float(cpu),
        int(max_rss_kib) / 1024,  # KiB on Linux
    )
