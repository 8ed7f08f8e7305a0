"""Safe JSON loading for untrusted files: integers within 64 bits, finite numbers, every problem located."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from licensecheck.errors import InputError
from licensecheck.yamlsource import INTEGER_RANGE_HINT, MAX_INTEGER, integer_range_message


class _BadNumber(ValueError):
    """A number JSON allows but licensecheck does not: out of range, or not finite."""

    def __init__(self, literal: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.literal = literal
        self.message = message
        self.hint = hint


def _integer(literal: str) -> int:
    # Refused before conversion when long: int() of 4,300 digits or more raises (and is slow).
    if len(literal) > 20 or abs(value := int(literal)) > MAX_INTEGER:
        raise _BadNumber(literal, integer_range_message(literal), INTEGER_RANGE_HINT)
    return value


def _float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):  # 1e400 parses as infinity
        raise _BadNumber(literal, f"'{literal}' is not a finite number", "write a number")
    return value


def _constant(name: str) -> Any:
    """NaN and Infinity: Python's json accepts them, JSON does not."""
    raise _BadNumber(name, f"'{name}' is not a finite number", "write a number")


def loads(text: str, name: str) -> Any:
    """Parse JSON text; a syntax error, a bad number or too deep nesting is a located InputError."""
    try:
        return json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise InputError(name, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
    except _BadNumber as exc:
        line, col = position_of(text, exc.literal)
        raise InputError(name, line, col, exc.message, exc.hint) from None
    except RecursionError:
        raise InputError(name, 1, 1, "invalid JSON: nested too deeply") from None


def position_of(text: str, literal: str) -> tuple[int, int]:
    """Line and column of the first value spelled `literal` (after `:`, `[` or `,`)."""
    match = re.search(r"[:\[,]\s*(" + re.escape(literal) + r")(?![0-9.eE+\-A-Za-z])", text)
    if match is None:
        return 1, 1
    start = match.start(1)
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1
