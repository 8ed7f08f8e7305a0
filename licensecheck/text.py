"""Text for people: how a fact value reads (`display`), money, and plain-text tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def display(value: Any, fact: str = "") -> str:
    """A fact value as a reader expects it, the same in every message, table and report.

    Unknown (None) says so, never 0; yes/no; thousands separators; a US dollar amount (a fact
    named `..._usd`) with cents unless it is whole or needs more digits (a price of 0.075); lists
    joined with commas ("none" when empty); the phrases a `mentions` test matched, quoted.
    """
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}"
        cents = f"{value:,.2f}"
        if fact.endswith("_usd") and float(cents.replace(",", "")) == value:
            return cents
        return f"{value:,}"
    if isinstance(value, Mapping):
        if "matched" in value:
            return "matched " + ", ".join(f"'{m}'" for m in value["matched"])
        return "; ".join(f"{k}: {display(v, str(k))}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(display(v, fact) for v in value) if value else "none"
    return str(value)


def plural(n: int, one: str, many: str | None = None) -> str:
    """A count with its noun: "1 obligation", "2 obligations" (`many` for irregular plurals)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def money(value: float | None) -> str:
    """US dollars with cents, or unknown."""
    return "unknown" if value is None else f"${value:,.2f}"


def table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as left-aligned columns two spaces apart (the first row is the header)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)
