"""Read one file safely (size, binary, encoding, no FIFO) and run the finder for its kind."""

from __future__ import annotations

import io
import os
import stat
import tokenize

from licensecheck.scan import config, notebook, python, shell
from licensecheck.scan.found import Found, Problem
from licensecheck.scan.model import Diagnostic, FileResult, Location, Reference
from licensecheck.scan.walk import FileEntry

# Source files larger than this are not read (a generated or data file, or an attack).
MAX_BYTES = {"python": 5 * 1024 * 1024, "notebook": 20 * 1024 * 1024}
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
BINARY_PROBE = 8192


class Skipped(Exception):
    """A file not read, and why (binary data is skipped quietly; too large says so)."""

    def __init__(self, reason: str, say: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.say = say


def read(entry: FileEntry) -> str:
    """The file's text; Skipped when it is not a regular file, too large, binary or not text."""
    limit = MAX_BYTES.get(entry.kind, DEFAULT_MAX_BYTES)
    try:
        # O_NONBLOCK: a FIFO put in place of a file after the walk must not hang the scan.
        fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise Skipped(f"cannot be read: {exc.strerror or exc}", True) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Skipped("not a regular file", True)
        if info.st_size > limit:
            raise Skipped(f"not read: {info.st_size:,} bytes, more than {limit:,}", True)
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise Skipped(f"not read: more than {limit:,} bytes", True)
    if b"\0" in raw[:BINARY_PROBE]:
        raise Skipped("binary", False)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if entry.kind == "python":
            try:
                encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
                return raw.decode(encoding)
            except (SyntaxError, LookupError, UnicodeDecodeError):
                pass
        raise Skipped("not read: not UTF-8 text", True) from None


def find_in_text(text: str, entry: FileEntry) -> tuple[list[Found], list[Problem], bool]:
    """Findings, problems and whether the file is a use case, for text of `entry`'s kind."""
    kind = entry.kind
    if kind == "python":
        return (*python.find(text), False)
    if kind == "notebook":
        return (*notebook.find(text), False)
    if kind == "yaml":
        return config.find_yaml(text, entry.uri or entry.shown)
    if kind == "json":
        return (*config.find_json(text), False)
    if kind == "toml":
        return (*config.find_toml(text), False)
    if kind == "card":
        return (*config.find_card(text), False)
    return shell.find(text, kind), [], False


def scan_file(entry: FileEntry) -> FileResult:
    """Everything one file says; never raises for what the file holds."""
    try:
        text = read(entry)
    except Skipped as skipped:
        where = Location(entry.shown, 1, 1, entry.uri)
        notes = (Diagnostic(where, skipped.reason, "note"),) if skipped.say else ()
        return FileResult((), notes, skipped=skipped.reason if not skipped.say else "")
    try:
        found, problems, usecase = find_in_text(text, entry)
    except (RecursionError, MemoryError) as exc:
        where = Location(entry.shown, 1, 1, entry.uri)
        return FileResult((), (Diagnostic(where, f"not scanned: {type(exc).__name__}"),))
    references = tuple(sorted((_reference(entry, f) for f in found), key=_order))
    diagnostics = tuple(
        Diagnostic(Location(entry.shown, p.line, p.col, entry.uri), p.message) for p in problems
    )
    return FileResult(references, diagnostics, usecase)


def scan_files(entries: list[FileEntry]) -> list[FileResult]:
    """scan_file over a batch (the unit of work a --jobs worker gets)."""
    return [scan_file(entry) for entry in entries]


def _order(reference: Reference) -> tuple[int, int, str, str]:
    return (reference.location.line, reference.location.col, reference.value or "", reference.kind)


def _reference(entry: FileEntry, found: Found) -> Reference:
    location = Location(entry.shown, found.line, found.col, entry.uri, found.cell, found.cell_line)
    used = Location(entry.shown, found.used[0], found.used[1], entry.uri) if found.used else None
    return Reference(
        location,
        found.value,
        found.expression,
        found.kind,
        found.via,
        found.provider,
        used,
        found.reason,
        found.generic,
    )
