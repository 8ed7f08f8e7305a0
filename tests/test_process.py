"""The process as a CI gate sees it: exit codes when output cannot be written or a signal stops it (issue 11).

These start real processes on purpose: closed descriptors, a full disk and signals are
properties of the process, not of the code a CliRunner calls. Nothing here reads a clock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLES

SAMPLE = str(SAMPLES / "retail-support-llama.yaml")  # allowed-with-obligations: exit 0 when written


def command() -> list[str]:
    exe = Path(sys.executable).parent / "licensecheck"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "licensecheck"]


def test_a_closed_standard_output_fails_the_gate_with_exit_2(tmp_path: Path) -> None:
    """`licensecheck evaluate x.yaml >&-` crashed (AttributeError); no report means no pass."""
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *command(), "evaluate", SAMPLE],
        stderr=subprocess.PIPE,
        timeout=600,
    )
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "<stdout>: error: cannot write the output: standard output is closed\n"
        "  help: no report was delivered; write it with --output FILE, or fix the output stream\n"
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["evaluate", SAMPLE], ["rules", "list"], ["models", "list"]])
def test_a_full_disk_on_standard_output_fails_with_exit_2(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(command() + args, stdout=full, stderr=subprocess.PIPE, timeout=600)
    assert done.returncode == 2
    assert done.stderr.decode().startswith(
        "<stdout>: error: cannot write the output: No space left on device\n"
    )
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr


def test_a_closed_standard_input_is_a_located_error() -> None:
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" <&-', "sh", *command(), "evaluate", "-"],
        capture_output=True,
        timeout=600,
    )
    assert done.returncode == 2
    assert done.stderr.decode().startswith("<stdin>: error: standard input is closed")


def _reading_stdin(pid: int) -> bool:
    """Whether the process is blocked reading its standard input (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/syscall") as handle:
            call = handle.read().split()
    except OSError:
        return False
    read_syscall = {"x86_64": "0", "aarch64": "63"}.get(os.uname().machine)
    return call[:2] == [read_syscall, "0x0"]


@pytest.mark.skipif(not os.path.exists("/proc/self/syscall"), reason="needs Linux /proc/PID/syscall")
@pytest.mark.parametrize(
    ("signum", "code", "message"),
    [
        (signal.SIGINT, 130, "licensecheck: interrupted\n"),
        (signal.SIGTERM, 143, "licensecheck: terminated\n"),
    ],
)
def test_a_signal_ends_the_run_with_its_own_exit_code(signum: int, code: int, message: str) -> None:
    """Ctrl-C gave click's `Aborted!` and exit 1, which a CI gate reads as "the gate failed"."""
    env = dict(os.environ, NO_COLOR="1")
    with subprocess.Popen(
        [*command(), "evaluate", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        # wait (without any deadline) until it is blocked on the use case it reads from stdin
        while not _reading_stdin(process.pid):
            assert process.poll() is None, process.stderr.read() if process.stderr else b""
            time.sleep(0.05)
        process.send_signal(signum)
        out, err = process.communicate(timeout=600)
    assert process.returncode == code
    assert err.decode() == message
    assert out == b""


# A sitecustomize in the child's path: an atexit handler of the user's (or coverage's) must run
# when the console script ends the process without freeing it (licensecheck.__main__).
_SITECUSTOMIZE = "import atexit, sys\natexit.register(lambda: print('atexit handler ran', file=sys.stderr))\n"
# The same run ended as Python ends it: every object freed, then the exit code
_NORMAL_EXIT = "import sys; sys.argv[0] = 'licensecheck'; from licensecheck.cli import main; main()"


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", SAMPLE],  # 0
        ["evaluate", str(SAMPLES / "social-feed-ranking-llama.yaml")],  # 1
        ["shortlist", str(SAMPLES / "select-support-chat.yaml"), "--top", "2"],  # 0
        ["evaluate", "--format", "nope", SAMPLE],  # 2, click's usage error
        ["evaluate", "missing.yaml"],  # 2, invalid input
        ["--version"],
    ],
)
def test_the_console_script_exits_as_a_normal_exit_would(tmp_path: Path, args: list[str]) -> None:
    """The same exit code, outputs and atexit handlers as the process Python ends itself."""
    (tmp_path / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(tmp_path))
    ours = subprocess.run(command() + args, capture_output=True, env=env, timeout=600)
    normal = subprocess.run(
        [sys.executable, "-c", _NORMAL_EXIT, *args], capture_output=True, env=env, timeout=600
    )
    assert (ours.returncode, ours.stdout, ours.stderr) == (
        normal.returncode,
        normal.stdout,
        normal.stderr,
    )
    assert ours.stderr.endswith(b"atexit handler ran\n")


def test_a_broken_pipe_on_standard_output_fails_with_exit_2() -> None:
    """`licensecheck rules list | head -1` with head gone: no report delivered, no 120 at exit."""
    read, write = os.pipe()
    os.close(read)  # the reader has gone before the first write: EPIPE, every time
    with os.fdopen(write, "wb") as pipe:
        done = subprocess.run(command() + ["rules", "list"], stdout=pipe, stderr=subprocess.PIPE, timeout=600)
    assert done.returncode == 2
    assert done.stderr.decode().startswith("<stdout>: error: cannot write the output: Broken pipe\n")
    assert b"Exception ignored" not in done.stderr


def test_the_process_ends_normally_when_it_cannot_end_as_python_would() -> None:
    """A code Python prints, or another thread still running: _end_unfreed leaves it to Python."""
    import threading

    from licensecheck.__main__ import _end_unfreed

    _end_unfreed("a message")  # returns: Python prints it and exits 1
    _end_unfreed(256)
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        _end_unfreed(0)  # returns: Python waits for the thread first
    finally:
        stop.set()
        waiting.join()
