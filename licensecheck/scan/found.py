"""What a finder reports, positioned in the text it read (the file layer turns it into a Reference)."""

from __future__ import annotations

from dataclasses import dataclass

from licensecheck.scan.resolve import local_path, lookalike, plausible


@dataclass(frozen=True)
class Found:
    """A model name (or an expression standing for one) at a 1-based line and character column."""

    line: int
    col: int
    value: str | None
    expression: str
    kind: str
    via: str = ""
    provider: str | None = None
    used: tuple[int, int] | None = None  # the call using a constant written at (line, col)
    reason: str = ""
    generic: bool = False
    cell: int | None = None  # notebooks: the code cell (index in the file) and the line in it
    cell_line: int | None = None


@dataclass(frozen=True)
class Problem:
    """A part of a file a finder could not read (a syntax error, a cell too deep to parse)."""

    line: int
    col: int
    message: str


MAX_SHOWN = 120


def shorten(text: str) -> str:
    """An expression as shown: one line, at most MAX_SHOWN characters."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def literal(
    line: int,
    col: int,
    value: str,
    kind: str,
    *,
    via: str = "",
    provider: str | None = None,
    used: tuple[int, int] | None = None,
    generic: bool = False,
) -> Found | None:
    """A model name written as text, or None when it is no model: empty, a test fixture, a
    tokenizer-only repository. Where a model must be named (not a generic place), text that is
    no name as written (spaces, invisible characters, a folder) is kept as unresolved: the
    scan says what it could not read rather than drop it."""
    value = value.strip()
    if not value or lookalike(value) is not None:
        return None
    if not plausible(value):
        if generic or not any(c.isalpha() for c in value):
            return None
        shown = ascii(value)[1:-1] if not value.isprintable() else value
        return Found(
            line, col, None, shorten(shown), kind, via, provider, used, "not a model name as written"
        )
    if local_path(value):
        if generic:
            return None
        return Found(line, col, None, shorten(value), kind, via, provider, used, "a local folder or file")
    return Found(line, col, value, value, kind, via, provider, used, "", generic)


def unresolved(line: int, col: int, expression: str, kind: str, reason: str) -> Found:
    return Found(line, col, None, shorten(expression), kind, reason=reason)
