"""Text for people, in one module.

Untrusted text made safe to show, one function per medium: terminal, HTML, Markdown, SARIF/plain, JSON;
and how values read (`display`, `plural`, `money`, `table`), written once for every format.

Every string that came from input (use cases, waivers, model cards, catalogs, packs, file names)
passes through one of these before it is shown; error messages echo input too.
- Control characters (C0 except tab, DEL, C1) are dropped: they drive terminals (an ESC starts
  ANSI and OSC sequences, CR overwrites a line) and mean nothing on a page.
- Characters that reorder or hide text (bidi overrides and isolates, zero-width spaces and
  joiners, tag characters, invisible fillers) are shown visibly as `<U+202E>`: a reviewer sees
  that something was there instead of reading a disguised line ("Trojan Source").
- Lone surrogates (undecodable bytes read with surrogateescape) become U+FFFD, so printing them
  cannot fail.
Line breaks become spaces unless the medium keeps them (`lines=True`): a value from input
cannot start a line of its own (a forged verdict line, a workflow command).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# C0 controls except tab and line feed, DEL, and the C1 controls (U+0080-U+009F).
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Characters that reorder or hide text: every format character (Unicode category Cf: bidi
# controls, zero-width spaces and joiners, soft hyphen, tag characters, ...), the line and
# paragraph separators, and the invisible fillers and joiners of other categories. Variation
# selectors stay: they only pick a glyph (emoji presentation) and cannot hide or reorder words.
_INVISIBLE = (
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0"
    "\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)
_UNSAFE = re.compile(f"[{_CONTROLS}]|([{_INVISIBLE}])|([\ud800-\udfff])")
_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85]")


def _replace(match: re.Match[str]) -> str:
    if match.group(1):
        return f"<U+{ord(match.group(1)):04X}>"
    if match.group(2):
        return "\ufffd"
    return ""


def _safe(value: Any, lines: bool) -> str:
    text = value if isinstance(value, str) else str(value)
    if not lines:
        text = _BREAKS.sub(" ", text)
    elif "\r" in text:
        text = text.replace("\r\n", "\n")
    return _UNSAFE.sub(_replace, text)


def terminal(value: Any, lines: bool = False) -> str:
    """Text for a terminal or a log: no escape sequences, nothing hidden, one line unless `lines`."""
    return _safe(value, lines)


def html(value: Any) -> str:
    """Text for HTML, before autoescaping (which handles markup): no controls, nothing hidden."""
    return _safe(value, True)


def plain(value: Any) -> str:
    """Text for SARIF messages, JUnit and other plain-text fields that viewers render as they are."""
    return _safe(value, True)


# Markdown and HTML syntax characters become numeric entities: GitHub shows them as the characters
# but never parses them as syntax, and entities mean the same in table cells and inside <summary>.
_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]()!|~<>&\"'"})
# These begin a heading, list or quote only at the start of a line.
_LINE_START = re.compile(r"^(\d+(?=[.)](?:\s|$))|)([#+\-=.)])")
_SPACES = re.compile(r"\s+")
# What GitHub turns into a notification or a cross-reference: @user, @org/team (an @ after a
# letter is an e-mail address, not a mention), #123 and owner/repo#123, GH-123. GitHub links
# none of them inside <code>, so only the @, # or GH goes in a code element and the words stay
# plain text. Entities and backslash escapes do not help: the Markdown parser resolves them
# before GitHub looks for mentions; a zero-width character would, but those are what
# `_INVISIBLE` shows as <U+...> (and it breaks copying the name).
_REFERENCE = re.compile(
    r"(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])|#(?=[0-9])|(?<![A-Za-z0-9_])GH(?=-[0-9])", re.IGNORECASE
)


def _escaped(flat: str) -> str:
    return flat.translate(_ENTITIES)


def markdown(value: Any) -> str:
    """Text for GitHub Markdown, on one line: shown as typed, never as HTML, link, emphasis or mention."""
    flat = _SPACES.sub(" ", _safe(value, False)).strip()
    parts: list[str] = []
    start = 0
    for match in _REFERENCE.finditer(flat):
        parts.append(_escaped(flat[start : match.start()]))
        parts.append(f"<code>{match.group()}</code>")
        start = match.end()
    parts.append(_escaped(flat[start:]))
    out = "".join(parts)
    return _LINE_START.sub(lambda m: m.group(1) + f"&#{ord(m.group(2))};", out)


def markdown_code(value: Any) -> str:
    """Inline code for GitHub Markdown: backticks cannot end it early, <code> keeps HTML inert."""
    flat = _SPACES.sub(" ", _safe(value, False)).strip()
    return "<code>" + _escaped(flat) + "</code>"


# In JSON output the data stays exact; only the bytes change: these characters are written as
# \\uXXXX escapes (json.dumps already escapes C0), so a terminal or an editor showing the file
# shows them visibly instead of obeying them.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_INVISIBLE}\ud800-\udfff]")


def json_dumps(data: Any) -> str:
    """JSON text (indented, UTF-8) in which no character can drive a terminal or hide text."""
    import json

    dumped = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: json.dumps(m.group())[1:-1], dumped)


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
        if "value" in value and ("formula" in value or "sources" in value):
            return _explained(value, fact)
        return "; ".join(f"{k}: {display(v, str(k))}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(display(v, fact) for v in value) if value else "none"
    return str(value)


def _explained(value: Mapping[str, Any], fact: str) -> str:
    """An estimate or a sourced route fact in a line: the value, then its formula and inputs, or its source.

    The JSON report keeps everything (factors, every source); this is what a reader scans.
    """
    shown = display(value["value"], fact) + (f" {value['unit']}" if value.get("unit") else "")
    if "formula" in value:
        head = str(value["formula"]).split(";")[0]
        inputs = ", ".join(f"{k} {display(v, str(k))}" for k, v in (value.get("inputs") or {}).items())
        assumed = "; rests on an ASSUMED factor" if value.get("assumed") else ""
        return f"{shown} ({head}; inputs: {inputs}{assumed})"
    sources = value.get("sources") or []
    where = value.get("route") or value.get("from") or ""
    dated = f"as of {value['as_of']}" if value.get("as_of") else f"read {value.get('read', 'unknown')}"
    source = sources[0] if sources else "no source"
    return f"{shown} ({where + ': ' if where else ''}{source}, {dated}, confidence {value.get('confidence', '?')})"


def plural(n: int, one: str, many: str | None = None) -> str:
    """A count with its noun: "1 obligation", "2 obligations" (`many` for irregular plurals)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def money(value: float | None) -> str:
    """US dollars with cents, or unknown."""
    return "unknown" if value is None else f"${value:,.2f}"


def table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as left-aligned columns two spaces apart (the first row is the header).

    Every cell is cleaned for a terminal, on one line: cells quote catalogs and use cases.
    """
    rows = [[terminal(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)
