"""A cache of validated, compiled rule packs and catalogs, so each run need not re-read them.

pre-commit runs licensecheck on every commit, and parsing, validating and compiling some 30 rule
packs costs more than the whole run should. The first load does all of it and stores the result
with `marshal` (plain data only: nothing in the cache is executed) under
`$LICENSECHECK_CACHE_DIR`, else `$XDG_CACHE_HOME/licensecheck`, else `~/.cache/licensecheck`.

An entry is valid while licensecheck's version and every file of the package (code, schemas)
and every input file keep their size, modification and change times and inode (`stat` only: no
file is read). Any write to a file changes its change time, which no tool can set back; a file
written within a clock tick of the store could keep all four (the "racy" case git also has), so
for files changed in the two seconds before the store the entry also keeps a CRC-32, checked on
load. An input that may come from a pull request and is costly to read (a user's model catalog)
is keyed by a cryptographic hash of its content instead (content_stamp), so a fresh clone of the
same bytes finds its entry. That entry also keeps the file's stat as it was read, once that stat is
two seconds old (not racy): a later run that finds the file with the same stat takes the entry
without reading and hashing the file again (load_unchanged), as git trusts its index. A cache that
cannot be read or written is ignored. `LICENSECHECK_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import time
import zlib
from typing import Any

from licensecheck import __version__
from licensecheck.yamlsource import MAX_BYTES

_PACKAGE = os.path.dirname(os.path.abspath(__file__))
FORMAT = 7
RACY_NS = 2_000_000_000  # files changed this close before a store are checked by content too


def directory() -> str | None:
    """Where the cache lives, or None when caching is turned off."""
    if os.environ.get("LICENSECHECK_NO_CACHE"):
        return None
    if os.environ.get("LICENSECHECK_CACHE_DIR"):
        return os.environ["LICENSECHECK_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "licensecheck")


def package_files() -> list[str]:
    """Every file of the package that decides what a document means: its modules and schemas."""
    found: list[str] = []
    folders = [_PACKAGE]
    while folders:  # every subpackage too (formats, schemas, scan, ...)
        with contextlib.suppress(OSError), os.scandir(folders.pop()) as listing:
            entries = sorted(listing, key=lambda e: e.name)
            found += [e.path for e in entries if e.name.endswith((".py", ".json")) and e.is_file()]
            folders += [e.path for e in reversed(entries) if e.is_dir() and e.name != "__pycache__"]
    return found


def stamp(paths: list[str], max_bytes: int = MAX_BYTES) -> tuple[Any, ...] | None:
    """What the cache entry of `paths` depends on, or None when caching is off or a file is unusable.

    Files over `max_bytes` (the limit their loader enforces) and anything but regular files are
    not cached: the full load refuses them with a located message."""
    if directory() is None:
        return None
    try:
        return _package_stamp() + tuple(_file_stamp(path, max_bytes) for path in paths)
    except (OSError, ValueError):
        return None  # the full load reports the problem with its location


def content_stamp(path: str, content: bytes) -> tuple[Any, ...] | None:
    """What the cache entry of one input read as `content` depends on: its BLAKE2b hash (any
    edit, whatever its times), and licensecheck's own files; None when caching is off."""
    if directory() is None:
        return None
    try:
        return _package_stamp() + ((path, len(content), _digest(content)),)
    except (OSError, ValueError):
        return None


def _digest(content: bytes) -> str:
    """BLAKE2b from CPython's own module: hashlib loads OpenSSL first, some 3 ms of a run, and its
    SHA-256 saves less than that on a 4 MB catalog."""
    try:
        from _blake2 import blake2b
    except ImportError:  # an interpreter without it
        from hashlib import blake2b
    return blake2b(content).hexdigest()


_OWN: list[tuple[Any, ...]] = []


def _package_stamp() -> tuple[Any, ...]:
    """The stamps of licensecheck's own files, taken once a process: the code that runs was
    imported when it started, and a run's second cache entry (a schema) need not stat every
    module again."""
    if not _OWN:
        _OWN.append(tuple(_file_stamp(path, MAX_BYTES) for path in package_files()))
    return _OWN[0]


def _file_stamp(path: str, max_bytes: int) -> tuple[Any, ...]:
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        raise ValueError(path)  # a FIFO would block a read; the full load refuses both, located
    return (path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _crc(path: str) -> int:
    with open(path, "rb") as handle:
        return zlib.crc32(handle.read())


def _file(kind: str, key: tuple[Any, ...]) -> str | None:
    where = directory()
    if where is None:
        return None
    names = repr((FORMAT, __version__, [part[0] for part in key])).encode("utf-8")
    return os.path.join(where, f"{kind}-{zlib.crc32(names):08x}.marshal")


def load(kind: str, key: tuple[Any, ...], seen: tuple[Any, ...] | None = None) -> list[Any] | None:
    """The entries stored under `key`, or None (missing, stale, unreadable or not ours).

    `seen`: the stat stamp (file_stamp) of the file whose content `key` names, taken before it was
    read: kept with the entry (store) when the entry has none or another, for load_unchanged."""
    path = _file(kind, key)
    found = _read(path) if path is not None else None
    if found is None:
        return None
    stored_key, racy, stored_seen, entries = found
    if stored_key != key or any(_crc(name) != crc for name, crc in racy):
        return None
    # stored again: long after every change (no CRC needed any more), or found under a new settled
    # stat (a fresh clone of the same content), kept for the next run
    settled = racy and all(part[3] < time.time_ns() - RACY_NS for part in key if len(part) == 5)
    kept = seen if seen is not None and seen != stored_seen and _settled(seen) else stored_seen
    if settled or kept != stored_seen:
        store(kind, key, entries, kept)
    return entries


def load_unchanged(
    kind: str, path: str, seen: tuple[Any, ...] | None
) -> tuple[tuple[Any, ...], list[Any]] | None:
    """The key (content_stamp) and entries stored for the content of the file at `path`, without
    reading the file: when `seen`, its stat stamp now, is the one kept with the entry. That stat was
    two seconds old when kept, and any write since would have changed its change time."""
    if seen is None:
        return None
    try:
        package = _package_stamp()
    except (OSError, ValueError):
        return None
    name = _file(kind, package + ((path,),))  # named by the paths alone, as content_stamp's key
    found = _read(name) if name is not None else None
    if found is None:
        return None
    stored_key, racy, stored_seen, entries = found
    if stored_seen != seen or racy or stored_key[:-1] != package or stored_key[-1][0] != path:
        return None
    return stored_key, entries


def file_stamp(path: str, max_bytes: int = MAX_BYTES) -> tuple[Any, ...] | None:
    """A file's stat stamp (path, size, modification and change times, inode), or None when caching
    is off or the stat fails or refuses it (the read that follows reports why)."""
    if directory() is None:
        return None
    try:
        return _file_stamp(path, max_bytes)
    except (OSError, ValueError):
        return None


def _settled(seen: tuple[Any, ...]) -> bool:
    """Whether a stat stamp may be kept: changed long enough ago that a later write changes it."""
    return bool(seen[3] <= time.time_ns() - RACY_NS)


def _read(path: str) -> tuple[tuple[Any, ...], list[Any], tuple[Any, ...] | None, list[Any]] | None:
    """A cache file's key, racy files, stat stamp and entries, or None (missing, unreadable or not ours)."""
    try:
        with open(path, "rb") as handle:
            stored = marshal.loads(handle.read())  # one read: load(handle) reads piece by piece
        if not isinstance(stored, tuple) or len(stored) != 4 or stored[:2] != (FORMAT, __version__):
            return None
        _, _, (key, racy, seen), entries = stored
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(key, tuple) or not isinstance(racy, list) or not isinstance(entries, list):
        return None
    if seen is not None and not (isinstance(seen, tuple) and len(seen) == 5):
        return None
    return key, racy, seen, entries


def store(kind: str, key: tuple[Any, ...], entries: list[Any], seen: tuple[Any, ...] | None = None) -> None:
    """Store entries atomically (temp file and rename); any failure leaves no trace. `seen` (see
    load) is kept only when settled: a stat taken within two seconds of a write may not change."""
    path = _file(kind, key)
    if path is None:
        return
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        now = time.time_ns()
        # a stat part (path, size, mtime, ctime, inode) can be racy; a content part never is
        racy = [(part[0], _crc(part[0])) for part in key if len(part) == 5 and part[3] > now - RACY_NS]
        kept = seen if seen is not None and _settled(seen) else None
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temp, "wb") as handle:
            marshal.dump((FORMAT, __version__, (key, racy, kept), entries), handle)
        os.replace(temp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(temp)
