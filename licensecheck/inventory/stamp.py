"""A repository's stamp without running anything: its commit read from .git, else a hash of its tree."""

# The commit is read from the files git keeps (HEAD, the ref it names, packed-refs): no git
# process, so no hook, fsmonitor or configured program of a hostile checkout can run, and every
# file is opened non-blocking, size-bounded and only if it is a regular file (a FIFO named HEAD
# cannot hang the run). A ref name is accepted only in git's own shape (refs/..., no `..`).

from __future__ import annotations

import hashlib
import os
import re
import stat

from licensecheck.scan.walk import SKIPPED_DIRS

SMALL_FILE = 4096  # HEAD, a ref, a .git file, commondir
PACKED_REFS_BYTES = 64 * 1024 * 1024
MAX_FILES = 100_000  # a repository with more files is too large to inventory
_HASH = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_REF = re.compile(r"refs/[A-Za-z0-9._/+@-]{1,240}")


class TooLarge(Exception):
    """The folder holds more files than an inventory reads."""


def read_commit(repository: str) -> str | None:
    """The commit checked out in `repository` (which must hold .git itself), or None."""
    gitdir = _gitdir(repository)
    if gitdir is None:
        return None
    head = _small(os.path.join(gitdir, "HEAD"))
    if head is None:
        return None
    head = head.strip()
    if _HASH.fullmatch(head):
        return head  # a detached HEAD
    if not head.startswith("ref:"):
        return None
    ref = head[4:].strip()
    if not _REF.fullmatch(ref) or ".." in ref or "//" in ref or ref.endswith((".", "/", ".lock")):
        return None
    common = _common_dir(gitdir)
    for folder in dict.fromkeys((gitdir, common)):
        value = _small(os.path.join(folder, *ref.split("/")))
        if value is not None and _HASH.fullmatch(value.strip()):
            return value.strip()
    return _packed(os.path.join(common, "packed-refs"), ref)


def _gitdir(repository: str) -> str | None:
    dotgit = os.path.join(repository, ".git")
    try:
        info = os.lstat(dotgit)
    except OSError:
        return None
    if stat.S_ISDIR(info.st_mode):
        return dotgit
    if not stat.S_ISREG(info.st_mode):
        return None
    text = _small(dotgit)  # a worktree or submodule: "gitdir: PATH"
    if text is None or not text.startswith("gitdir:"):
        return None
    target = text[7:].strip()
    if not target or "\0" in target:
        return None
    return os.path.normpath(os.path.join(repository, target))


def _common_dir(gitdir: str) -> str:
    """The folder holding refs shared by all worktrees (`commondir`), else `gitdir` itself."""
    text = _small(os.path.join(gitdir, "commondir"))
    if text is None or not text.strip() or "\0" in text:
        return gitdir
    return os.path.normpath(os.path.join(gitdir, text.strip()))


def _packed(path: str, ref: str) -> str | None:
    data = _read(path, PACKED_REFS_BYTES)
    if data is None:
        return None
    wanted = ref.encode("ascii")
    for line in data.split(b"\n"):
        value, _, name = line.partition(b" ")
        if name.rstrip(b"\r") == wanted:
            text = value.decode("ascii", "replace")
            return text if _HASH.fullmatch(text) else None
    return None


def _small(path: str) -> str | None:
    data = _read(path, SMALL_FILE)
    return data.decode("utf-8", "replace") if data is not None else None


def _read(path: str, limit: int) -> bytes | None:
    """A regular file's bytes if it holds at most `limit`; None for anything else or an error."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            data = handle.read(limit + 1)
    except OSError:
        return None
    return data if len(data) <= limit else None


def tree_stamp(repository: str, limit: int | None = None) -> str:
    """A hash of the names, sizes, modes and modification times of the files below `repository`.

    Folders a scan skips (.git, node_modules, venv, ...) are left out and symlinks are not
    followed. More than `limit` (default MAX_FILES) files raises TooLarge; an unreadable
    folder raises OSError.
    """
    limit = MAX_FILES if limit is None else limit
    digest = hashlib.sha256()
    count = 0
    stack = [""]
    while stack:
        relative = stack.pop()
        with os.scandir(os.path.join(repository, relative) if relative else repository) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            name = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_DIRS and not entry.name.endswith(".egg-info"):
                    stack.append(name)
                continue
            count += 1
            if count > limit:
                raise TooLarge(f"more than {limit:,} files")
            info = entry.stat(follow_symlinks=False)
            line = f"{name}\0{info.st_mode:o}\0{info.st_size}\0{info.st_mtime_ns}\n"
            digest.update(line.encode("utf-8", "surrogateescape"))
    return "tree:" + digest.hexdigest()


def count_files(repository: str, limit: int | None = None) -> int:
    """The files below `repository` as tree_stamp counts them; TooLarge past `limit` (MAX_FILES)."""
    limit = MAX_FILES if limit is None else limit
    count = 0
    stack = [repository]
    while stack:
        with os.scandir(stack.pop()) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIPPED_DIRS and not entry.name.endswith(".egg-info"):
                        stack.append(entry.path)
                    continue
                count += 1
                if count > limit:
                    raise TooLarge(f"more than {limit:,} files")
    return count
