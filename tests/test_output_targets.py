"""`--output` writes without damaging what the path names (issue 11, "files it must not damage").

A regular or new file is replaced atomically and keeps its mode (a new one gets 0666 & ~umask);
a symlink's target is written (the link stays); a FIFO or character device is written straight;
a socket, block device or directory is refused with exit 2. Device nodes are made with mknod in
a temporary folder (as root), never the machine's own /dev entries.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES, run_process

from licensecheck.cli import cli

USECASE = SAMPLES / "retail-support-llama.yaml"
ARGS = ("--fail-on", "never", "--as-of", "2026-11-27", "--no-color")


def evaluate_to(target: Path | str, *extra: str) -> Result:
    return CliRunner().invoke(
        cli, ["evaluate", str(USECASE), "--output", str(target), *ARGS, *extra], catch_exceptions=False
    )


def expected_report() -> str:
    result = CliRunner().invoke(cli, ["evaluate", str(USECASE), *ARGS], catch_exceptions=False)
    assert result.exit_code == 0
    return result.stdout


def device(path: Path, kind: int, major: int, minor: int) -> Path:
    try:
        os.mknod(path, kind | 0o666, os.makedev(major, minor))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return path


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".licensecheck-"))


def test_a_symlink_stays_a_link_and_its_target_gets_the_report(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "report.txt"
    target.write_text("previous")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    chain = tmp_path / "chain.txt"
    chain.symlink_to(link)
    result = evaluate_to(chain)
    assert result.exit_code == 0, result.stderr
    assert chain.is_symlink() and link.is_symlink()
    assert target.read_text() == expected_report()
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to("made-by-licensecheck.txt")
    assert evaluate_to(link).exit_code == 0
    assert link.is_symlink() and (tmp_path / "made-by-licensecheck.txt").read_text() == expected_report()


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    result = evaluate_to(tmp_path / "a")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{tmp_path / 'a'}: error: cannot write the report: ")
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


def test_a_fifo_with_a_reader_receives_the_report_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # the reader is open before the run; a small report fits in the pipe's buffer
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = evaluate_to(fifo)
        assert result.exit_code == 0, result.stderr
        received = b""
        while chunk := os.read(reader, 65536):
            received += chunk
    finally:
        os.close(reader)
    assert received.decode() == expected_report()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_to_a_fifo_writes_into_the_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "link").symlink_to(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        assert evaluate_to(tmp_path / "link").exit_code == 0
        assert os.read(reader, 65536).decode().startswith("ALLOWED")
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and (tmp_path / "link").is_symlink()


def test_a_fifo_without_a_reader_is_refused_at_once_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = evaluate_to(fifo)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{fifo}: error: cannot write the report: the FIFO has no reader")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and leftovers(tmp_path) == []


def test_a_character_device_is_written_straight_and_stays_a_device(tmp_path: Path) -> None:
    null = device(tmp_path / "null", stat.S_IFCHR, 1, 3)  # a /dev/null of our own
    result = evaluate_to(null)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode) and leftovers(tmp_path) == []


def test_a_full_device_gives_exit_2_and_stays_a_device(tmp_path: Path) -> None:
    full = device(tmp_path / "full", stat.S_IFCHR, 1, 7)  # a /dev/full of our own
    result = evaluate_to(full)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{full}: error: cannot write the report: No space left on device")
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_a_block_device_is_refused_untouched(tmp_path: Path) -> None:
    disk = device(tmp_path / "disk", stat.S_IFBLK, 7, 0)
    result = evaluate_to(disk)
    assert result.exit_code == 2
    assert "cannot write the report: it is a block device" in result.stderr
    assert stat.S_ISBLK(os.lstat(disk).st_mode) and leftovers(tmp_path) == []


def test_a_socket_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        result = evaluate_to(path)
    finally:
        server.close()
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}: error: cannot write the report: it is a socket")
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_a_directory_or_a_symlink_to_one_is_refused(tmp_path: Path) -> None:
    (tmp_path / "adir").mkdir()
    (tmp_path / "dirlink").symlink_to("adir")
    for target in ("adir", "dirlink"):
        result = evaluate_to(tmp_path / target)
        assert result.exit_code == 2, target
    assert (tmp_path / "dirlink").is_symlink() and list((tmp_path / "adir").iterdir()) == []


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_report_gets_0666_minus_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        assert evaluate_to(tmp_path / "new.txt").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.txt").st_mode) == mode


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664, 0o600])
def test_a_replaced_report_keeps_its_mode(tmp_path: Path, umask_022: None, mode: int) -> None:
    path = tmp_path / "report.txt"
    path.write_text("previous")
    path.chmod(mode)
    assert evaluate_to(path).exit_code == 0
    assert stat.S_IMODE(os.stat(path).st_mode) == mode
    assert path.read_text() == expected_report()


def test_dev_stdout_writes_into_the_open_stdout_in_a_real_process(tmp_path: Path) -> None:
    """/dev/stdout resolves through /proc to this process's descriptor: a pipe, then a file."""
    piped = run_process("evaluate", str(USECASE), "--output", "/dev/stdout", *ARGS)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == expected_report()
    out = tmp_path / "out.txt"
    with out.open("wb") as handle:
        inode = os.fstat(handle.fileno()).st_ino
        done = subprocess.run(
            [*_command(), "evaluate", str(USECASE), "--output", "/dev/stdout", *ARGS],
            stdout=handle,
            stderr=subprocess.PIPE,
            env=dict(os.environ, NO_COLOR="1"),
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    assert os.stat(out).st_ino == inode  # written into, not replaced
    assert out.read_text() == expected_report()


def _command() -> list[str]:
    import sys

    exe = Path(sys.executable).parent / "licensecheck"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "licensecheck"]
