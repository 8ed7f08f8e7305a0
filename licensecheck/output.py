"""Write a report to `--output` without damaging what the path names.

A regular file (or a path that does not exist yet) is replaced atomically: a temporary file in
the same folder, renamed into place, so a reader never sees half a report and a failed run
leaves the previous report whole. A symlink is followed and its target replaced the same way
(the link stays a link). A FIFO or a character device (/dev/null, /dev/stdout, a terminal) is
written straight, as a shell redirection would. Anything else (a directory, a socket, a block
device) is refused. A new file gets mode 0666 minus the umask; a replaced file keeps its mode.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterable

from licensecheck.errors import InputError

_HINT = "give a regular file (or a new name), a FIFO with a reader, or a character device such as /dev/null"


def refuse_inputs(
    path: str | None, files: Iterable[str], folders: Iterable[str] = (), yaml_in: Iterable[str] = ()
) -> None:
    """--output may not name a file the run reads (`files`: use cases, waivers, a template), a
    file inside a folder it reads as data (`folders`: rule packs, catalogs, a model folder), nor a
    *.yaml / *.yml file below a folder whose YAML files it reads as use cases (`yaml_in`), through
    any link: the report would replace the input it was made from. InputError before any work."""
    if path is None:
        return
    try:
        target = os.stat(path)  # follows symlinks: the file that would be written
    except OSError:
        return  # a new file is no input; other problems are write_report's to report
    if not stat.S_ISREG(target.st_mode):
        return
    real = os.path.realpath(path)
    hint = "write the report to another file"
    for name in files:
        with contextlib.suppress(OSError):
            if name != "-" and os.path.samestat(target, os.stat(name)):
                raise InputError(path, None, None, f"--output names an input of this run ({name})", hint)
    yaml = real.endswith((".yaml", ".yml"))
    for folder in [*folders, *(f for f in yaml_in if yaml)]:
        inside = os.path.realpath(folder)
        if os.path.isdir(inside) and os.path.commonpath([inside, real]) == inside:
            raise InputError(path, None, None, f"--output lies in a folder this run reads ({folder})", hint)


def write_report(path: str, text: str) -> None:
    """Write `text` (UTF-8) to `path` as described in the module docstring; InputError on failure."""
    data = text.encode("utf-8")
    try:
        info: os.stat_result | None = os.stat(path)  # follows symlinks: the target decides
    except FileNotFoundError:
        info = None  # a new file, or a symlink to one not created yet
    except OSError as exc:
        raise _cannot(path, exc) from None
    try:
        if info is not None and _via_descriptor(path):
            # /dev/stdout, /dev/fd/N, /proc/self/fd/N name a file this process has open: write
            # into it as a shell redirection does (a rename would detach it from the descriptor)
            if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
                raise InputError(path, None, None, f"cannot write the report: {_kind(info.st_mode)}", _HINT)
            _write_straight(path, data, os.O_APPEND if stat.S_ISREG(info.st_mode) else 0)
        elif info is None or stat.S_ISREG(info.st_mode):
            target = os.path.realpath(path)
            if info is not None and not os.access(target, os.W_OK):
                raise InputError(
                    path,
                    None,
                    None,
                    "cannot write the report: the file is read-only",
                    "make it writable first",
                )
            _replace(target, data, None if info is None else stat.S_IMODE(info.st_mode) & 0o777)
        elif stat.S_ISFIFO(info.st_mode):
            _write_straight(path, data, os.O_NONBLOCK)
        elif stat.S_ISCHR(info.st_mode):
            _write_straight(path, data, 0)
        else:
            raise InputError(path, None, None, f"cannot write the report: {_kind(info.st_mode)}", _HINT)
    except OSError as exc:
        raise _cannot(path, exc) from None


_DESCRIPTOR = re.compile(r"/proc/[^/]+/fd/|/dev/fd/")


def _via_descriptor(path: str) -> bool:
    """Whether `path`, or a symlink on the way to its target, names an open file descriptor."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on symlinks followed
        if _DESCRIPTOR.match(current):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), os.readlink(current)))
    return False


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "it is a directory"
    if stat.S_ISSOCK(mode):
        return "it is a socket"
    if stat.S_ISBLK(mode):
        return "it is a block device (a disk)"
    return "it is not a regular file"


def _cannot(path: str, exc: OSError) -> InputError:
    if exc.errno == errno.ENXIO:
        return InputError(
            path, None, None, "cannot write the report: the FIFO has no reader", "start the reader first"
        )
    return InputError(path, None, None, f"cannot write the report: {exc.strerror or exc}")


def _replace(target: str, data: bytes, mode: int | None) -> None:
    """Temporary file next to `target`, then rename over it; the temporary file never outlives a failure."""
    directory = os.path.dirname(target) or "."
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    import secrets  # with hashlib and hmac about 4 ms of a start: paid only when --output is given

    while True:
        temp = os.path.join(directory, f".licensecheck-{secrets.token_hex(8)}.tmp")
        try:
            fd = os.open(temp, flags, 0o666)  # the kernel applies the umask: 0666 & ~umask
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _write_straight(path: str, data: bytes, extra: int) -> None:
    """Open an existing FIFO, device or /proc file for writing (never creating it) and write all of `data`.

    A FIFO is opened non-blocking first, so one without a reader fails (ENXIO) instead of
    hanging; the writes themselves block as usual.
    """
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | extra)
    try:
        if extra & os.O_NONBLOCK:
            import fcntl  # POSIX only, as FIFOs are

            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
