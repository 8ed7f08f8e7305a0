"""Which repositories an inventory reads: folders, files listing them one a line, or globs."""

# A folder is one repository, unless it is not a git checkout itself and holds git checkouts
# directly below it: then every folder directly below it (hidden ones aside) is a repository.
# A regular file lists repository folders, one a line (blank lines and lines starting with '#'
# skipped), relative to the current folder. Anything else with *, ? or [ is a glob, expanded
# to the folders it matches. A repository's name in the records is its path as given.

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Sequence

from licensecheck.errors import InputError
from licensecheck.inventory.model import RepositoryTask
from licensecheck.scan.walk import shown_name

LIST_BYTES = 64 * 1024 * 1024
GLOB_CHARACTERS = "*?["


def expand_sources(sources: Sequence[str]) -> list[RepositoryTask]:
    """The repositories of SOURCES, by name; a source that names nothing is an InputError."""
    found: dict[str, RepositoryTask] = {}
    seen: set[str] = set()
    for source in sources:
        for name in _names(source):
            path = os.path.abspath(name)
            key = os.path.realpath(path)
            shown = shown_name(name)
            if key in seen or shown in found:
                continue
            seen.add(key)
            found[shown] = RepositoryTask(shown, path)
    return [found[name] for name in sorted(found)]


def _names(source: str) -> list[str]:
    try:
        info = os.stat(source)
    except (OSError, ValueError):
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        return _folder(source)
    if info is not None and stat.S_ISREG(info.st_mode):
        return _listed(source)
    if info is None and any(c in source for c in GLOB_CHARACTERS):
        matched = sorted(p for p in glob.glob(source) if os.path.isdir(p))
        if not matched:
            raise InputError(source, None, None, "no folder matches this glob", _HINT)
        return [os.path.normpath(p) for p in matched]
    if info is not None:
        raise InputError(source, None, None, "not a folder or a file listing folders", _HINT)
    raise InputError(source, None, None, "no such file or folder", _HINT)


_HINT = (
    "give repository folders, a file listing them one a line, or a glob such as 'repos/*' "
    "(quoted, so that licensecheck expands it)"
)


def _is_checkout(folder: str) -> bool:
    return os.path.lexists(os.path.join(folder, ".git"))


def _folder(source: str) -> list[str]:
    """The folder itself, or the folders below it when it holds git checkouts and is none."""
    base = os.path.normpath(source)
    if _is_checkout(base):
        return [base]
    try:
        with os.scandir(base) as listing:
            below = sorted(
                os.path.join(base, e.name)
                for e in listing
                if not e.name.startswith(".") and e.is_dir(follow_symlinks=False)
            )
    except OSError:
        return [base]  # unreadable: the repository's own error record says so
    if any(_is_checkout(folder) for folder in below):
        return below
    return [base]


def _listed(source: str) -> list[str]:
    """The folders a list file names (one a line); a line that cannot be a path is an InputError."""
    try:
        with open(source, "rb") as handle:
            data = handle.read(LIST_BYTES + 1)
    except OSError as exc:
        raise InputError(source, None, None, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > LIST_BYTES:
        raise InputError(
            source, None, None, f"a list of repositories holds at most {LIST_BYTES:,} bytes", _HINT
        )
    names = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        line = raw.rstrip(b"\r")
        if not line.strip() or line.lstrip().startswith(b"#"):
            continue
        if b"\0" in line:
            raise InputError(source, number, 1, "a NUL byte cannot be part of a folder's name", _HINT)
        names.append(os.path.normpath(os.fsdecode(line.strip())))
    if not names:
        raise InputError(source, None, None, "this file lists no repository folder", _HINT)
    return names
