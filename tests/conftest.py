"""Shared test helpers: paths, a CLI runner, and the explicit golden-file update flag."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
