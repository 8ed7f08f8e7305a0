"""A cache of validated rule-pack and catalog documents, so each run need not re-parse them.

pre-commit runs licensecheck on every commit, and parsing plus validating some 30 rule packs
costs more than the whole run should. The first load validates everything; the validated
documents are then stored with `marshal` (plain data only: nothing in the cache is executed)
under `$LICENSECHECK_CACHE_DIR`, else `$XDG_CACHE_HOME/licensecheck`, else
`~/.cache/licensecheck`. The key covers licensecheck's version, the code and schema files that
decide validity, and every input file's path, size, modification time and CRC-32, so any edit
means a full load. A cache that cannot be read or written is ignored. `LICENSECHECK_NO_CACHE=1`
turns it off.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import zlib
from pathlib import Path
from typing import Any

from licensecheck import __version__
from licensecheck.yamlsource import MAX_BYTES

_PACKAGE = Path(__file__).resolve().parent
# The modules whose behaviour decides whether a document is valid and what it compiles to.
_CODE = (
    "cache.py",
    "catalog.py",
    "conditions.py",
    "facts.py",
    "gpus.py",
    "jsonsource.py",
    "library.py",
    "packs.py",
    "routes.py",
    "schema.py",
    "yamlsource.py",
)
FORMAT = 1


def directory() -> Path | None:
    """Where the cache lives, or None when caching is turned off."""
    if os.environ.get("LICENSECHECK_NO_CACHE"):
        return None
    if os.environ.get("LICENSECHECK_CACHE_DIR"):
        return Path(os.environ["LICENSECHECK_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "licensecheck"


def stamp(paths: list[str], max_bytes: int = MAX_BYTES) -> tuple[Any, ...] | None:
    """The key of a set of input files, or None when caching is off or a file cannot be read.

    Files over `max_bytes` (the limit their loader enforces) are not read here: the full load
    refuses them with a located message."""
    if directory() is None:
        return None
    parts: list[Any] = [FORMAT, __version__]
    try:
        for name in _CODE:
            info = os.stat(_PACKAGE / name)
            parts.append((name, info.st_size, info.st_mtime_ns))
        for schema in sorted((_PACKAGE / "schemas").glob("*.json")):
            info = schema.stat()
            parts.append((schema.name, info.st_size, info.st_mtime_ns))
        for path in paths:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
                return None  # a FIFO would block the read; the full load refuses both, located
            with open(path, "rb") as handle:
                crc = zlib.crc32(handle.read())
            parts.append((path, info.st_size, info.st_mtime_ns, crc))
    except OSError:
        return None  # the full load reports the problem with its location
    return tuple(parts)


def _file(kind: str, key: tuple[Any, ...]) -> Path | None:
    where = directory()
    if where is None:
        return None
    return where / f"{kind}-{zlib.crc32(repr(key).encode('utf-8')):08x}.marshal"


def load(kind: str, key: tuple[Any, ...]) -> list[Any] | None:
    """The entries stored under `key`, or None (missing, stale, unreadable or not ours)."""
    path = _file(kind, key)
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            stored = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] != key:
        return None
    entries = stored[1]
    return entries if isinstance(entries, list) else None


def store(kind: str, key: tuple[Any, ...], entries: list[Any]) -> None:
    """Store entries atomically (temp file and rename); any failure leaves no trace."""
    path = _file(kind, key)
    if path is None:
        return
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "wb") as handle:
            marshal.dump((key, entries), handle)
        os.replace(temp, path)
        _prune(path.parent, kind)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            temp.unlink()


KEEP = 16  # cache files kept per kind: one per set of rule folders in use


def _prune(where: Path, kind: str) -> None:
    """Remove all but the KEEP most recently written cache files of `kind`."""
    files = sorted(where.glob(f"{kind}-*.marshal"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
