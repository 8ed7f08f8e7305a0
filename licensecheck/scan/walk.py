"""Which files a scan reads: what git tracks inside a repository, else the tree; no vendored folders."""

# New files git does not ignore are read too; symlinks leaving the tree are not followed.
# Nothing here opens a file: files.py reads them.

from __future__ import annotations

import fnmatch
import os
import stat
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from licensecheck.errors import InputError

# Folders that hold other people's code or build output, not the repository's own use.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "venv",
        ".venv",
        "site-packages",
        "vendor",
        "third_party",
        "build",
        "dist",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".eggs",
        ".ipynb_checkpoints",
    }
)
GIT_TIMEOUT = 120


@dataclass(frozen=True, order=True)
class FileEntry:
    """A file to read: `shown` for people (relative to the working folder), `uri` for SARIF
    (relative to the source root, '/'-separated), `path` to open."""

    shown: str
    uri: str | None
    path: str
    kind: str


@dataclass
class Walk:
    files: list[FileEntry] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    root: str = "."  # the source root's folder name
    base: str = "."  # the source root (absolute)


def kind_of(name: str) -> str | None:
    """The finder for a file name, or None for files a scan does not read."""
    lower = name.casefold()
    if lower.endswith(".py"):
        return "python"
    if lower.endswith(".ipynb"):
        return "notebook"
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    if lower.endswith(".json"):
        return "json"
    if lower.endswith(".toml"):
        return "toml"
    if lower == ".env" or lower.startswith(".env.") or lower.endswith(".env"):
        return "env"
    if (
        lower in ("dockerfile", "containerfile")
        or lower.startswith("dockerfile.")
        or lower.endswith(".dockerfile")
    ):
        return "docker"
    if lower.endswith((".sh", ".bash", ".zsh")):
        return "sh"
    if lower in ("makefile", "gnumakefile") or lower.endswith(".mk"):
        return "make"
    if lower.endswith(".md"):
        return "card"
    return None


def shown_name(path: str) -> str:
    """A file name as text: undecodable bytes become U+FFFD (they cannot be written as UTF-8)."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def walk(paths: list[str], exclude: tuple[str, ...] = ()) -> Walk:
    """The files to scan under `paths` (files or folders); a path that does not exist is an error."""
    result = Walk()
    cwd = os.getcwd()
    seen: set[str] = set()
    for index, given in enumerate(paths):
        try:
            info = os.stat(given)
        except OSError:
            raise InputError(given, None, None, "no such file or folder") from None
        folder = given if stat.S_ISDIR(info.st_mode) else os.path.dirname(given) or "."
        top = _git_toplevel(folder)
        base = top or (cwd if _inside(os.path.abspath(folder), cwd) else os.path.abspath(folder))
        if index == 0:
            result.root = os.path.basename(os.path.normpath(base)) or "."
            result.base = base
        if not stat.S_ISDIR(info.st_mode):
            _add(result, seen, given, os.path.basename(given), base, folder, explicit=True)
            continue
        listed = _git_files(given) if top else None
        names = listed if listed is not None else _tree(given, result.skipped)
        for relative in names:
            parts = relative.split("/")
            if any(p in SKIPPED_DIRS or p.endswith(".egg-info") for p in parts[:-1]):
                result.skipped["vendored or generated folder"] += 1
                continue
            if _excluded(relative, exclude):
                result.skipped["--exclude"] += 1
                continue
            _add(result, seen, os.path.join(given, relative), parts[-1], base, given)
    result.files.sort()
    return result


def _add(
    result: Walk, seen: set[str], path: str, name: str, base: str, tree: str, explicit: bool = False
) -> None:
    kind = kind_of(name)
    if kind is None and "." not in name:
        kind = _shebang(path)
    if kind is None:
        if explicit:
            result.skipped["not a kind of file scan reads"] += 1
        return
    try:
        info = os.lstat(path)
    except OSError:
        return  # tracked but deleted in the working tree
    if stat.S_ISLNK(info.st_mode):
        real = os.path.realpath(path)
        if not _inside(real, os.path.realpath(tree)) or not os.path.isfile(real):
            result.skipped["symlink leaving the tree"] += 1
            return
    elif not stat.S_ISREG(info.st_mode):
        result.skipped["not a regular file"] += 1
        return
    key = os.path.realpath(path)
    if key in seen:
        return
    seen.add(key)
    shown = os.path.normpath(path)
    absolute = os.path.abspath(path)
    uri = Path(os.path.relpath(absolute, base)).as_posix() if _inside(absolute, base) else None
    result.files.append(FileEntry(shown_name(shown), shown_name(uri) if uri else None, path, kind))


def _shebang(path: str) -> str | None:
    """An extension-less script: Python or shell by its `#!` line."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            first = handle.read(128).split(b"\n", 1)[0]
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    if b"python" in first:
        return "python"
    if first.rstrip().endswith((b"sh", b"bash", b"zsh")):
        return "sh"
    return None


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:
        return False


def _excluded(relative: str, patterns: tuple[str, ...]) -> bool:
    parts = relative.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatchcase(p, pattern) for pattern in patterns for p in prefixes)


def _git(folder: str, *args: str) -> bytes | None:
    """Run git (no shell, no pager, no fsmonitor hook) in `folder`; None when it fails."""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0")
    try:
        done = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "-C", folder, *args],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _git_toplevel(folder: str) -> str | None:
    out = _git(folder, "rev-parse", "--show-toplevel")
    if not out:
        return None
    return os.fsdecode(out.strip())


def _git_files(folder: str) -> list[str] | None:
    """Files git tracks under `folder`, and new files it does not ignore (paths relative to it)."""
    out = _git(folder, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".")
    if out is None:
        return None
    return sorted({os.fsdecode(p) for p in out.split(b"\0") if p})


def _tree(folder: str, skipped: Counter[str]) -> list[str]:
    """Files below `folder` (relative, '/'-separated), not entering skipped or symlinked folders."""
    out: list[str] = []
    stack = [""]
    while stack:
        relative = stack.pop()
        try:
            entries = list(os.scandir(os.path.join(folder, relative) if relative else folder))
        except OSError:
            skipped["unreadable folder"] += 1
            continue
        for entry in entries:
            name = f"{relative}/{entry.name}" if relative else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name in SKIPPED_DIRS or entry.name.endswith(".egg-info"):
                        skipped["vendored or generated folder"] += 1
                    else:
                        stack.append(name)
                elif entry.is_symlink() and entry.is_dir():
                    skipped["symlinked folder"] += 1
                else:
                    out.append(name)
            except OSError:
                skipped["unreadable file"] += 1
    return sorted(out)
