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

import functools
import re
from collections.abc import Mapping, Sequence
from itertools import repeat
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
_UNSAFE = f"[{_CONTROLS}]|([{_INVISIBLE}])|([\ud800-\udfff])"
_BREAKS = r"\r\n|[\r\n\v\f\x85]"


def _members(char_class: str) -> set[str]:
    """The characters of a regular-expression character class written as above (ranges a-b)."""
    found: set[str] = set()
    i = 0
    while i < len(char_class):
        if char_class[i + 1 : i + 2] == "-" and i + 2 < len(char_class):
            found.update(map(chr, range(ord(char_class[i]), ord(char_class[i + 2]) + 1)))
            i += 3
        else:
            found.add(char_class[i])
            i += 1
    return found


# The characters `_UNSAFE` changes that str.isprintable() accepts (invisible fillers and joiners
# of categories Mn and Lo): text that is printable and has none of them is safe as it is.
_PRINTABLE_UNSAFE = frozenset(c for c in _members(_INVISIBLE) if c.isprintable())


@functools.cache
def _pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """A regular expression compiled on first use: the character classes above take about 2 ms
    to compile, a cost every start would pay for text that is mostly plain ASCII."""
    return re.compile(source, flags)


def _replace(match: re.Match[str]) -> str:
    if match.group(1):
        return f"<U+{ord(match.group(1)):04X}>"
    if match.group(2):
        return "\ufffd"
    return ""


def _as_it_is(text: str) -> bool:
    """The common case, safe as it is: printable ASCII (isascii() reads a flag; every character
    _safe changes that isprintable() accepts is outside ASCII), or printable text without them.
    Each test is of every character alone, so text passes exactly when each of its parts does."""
    return text.isprintable() and (text.isascii() or _PRINTABLE_UNSAFE.isdisjoint(text))


def _safe(value: Any, lines: bool) -> str:
    text = value if isinstance(value, str) else str(value)
    if _as_it_is(text):
        return text
    if not lines:
        text = _pattern(_BREAKS).sub(" ", text)
    elif "\r" in text:
        text = text.replace("\r\n", "\n")
    return _pattern(_UNSAFE).sub(_replace, text)


def terminal(value: Any, lines: bool = False) -> str:
    """Text for a terminal or a log: no escape sequences, nothing hidden, one line unless `lines`."""
    return _safe(value, lines)


def terminal_each(values: Sequence[str]) -> Sequence[str]:
    """terminal() of each value, tested together for the common case (see _as_it_is): one test of
    the joined text instead of a call per value (a shortlist's 10,000 ids)."""
    if _as_it_is("".join(values)):
        return values
    return [_safe(value, False) for value in values]


def html(value: Any) -> str:
    """Text for HTML, before autoescaping (which handles markup): no controls, nothing hidden."""
    return _safe(value, True)


def plain(value: Any) -> str:
    """Text for SARIF messages, JUnit and other plain-text fields that viewers render as they are."""
    return _safe(value, True)


# Markdown: only what would be read as syntax is escaped, with a backslash (GitHub's e-mail
# notifications show the raw text, where `&#39;` reads as noise): code spans, emphasis, links,
# raw HTML and autolinks, table cells, strikethrough, math, and an entity written in the input.
# Quotes, parentheses, `!`, `#` and `>` need nothing in the middle of a line.
_SYNTAX = (
    r"[`*\[\]<|~]"  # code span, emphasis, link or image, HTML or autolink, table cell, strikethrough
    r"|\\(?=[!-/:-@\[-`{-~]|$)"  # a backslash that would escape the next character (or break the line)
    r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"  # an underscore not inside a word (snake_case stays plain)
    r"|&(?=#?[A-Za-z0-9]+;)"  # an entity in the input would be decoded (&#64; to @)
)
# The characters every match of _SYNTAX starts with: one scan for them is much faster than trying
# its alternatives at every position of text that has none.
_SYNTAX_START = r"[`*\[\]<|~\\_&]"
# These begin a heading, list, quote or rule only at the start of a line.
_LINE_START = r"^(\d+(?=[.)](?:\s|$))|)([#+\-=.)>])"
_SPACES = r"\s+"
# What GitHub turns into a notification or a cross-reference: @user, @org/team (an @ after a
# letter is an e-mail address, not a mention), #123 and owner/repo#123, GH-123. GitHub links
# none of them inside <code>, so only the @, # or GH goes in a code element and the words stay
# plain text. Entities and backslash escapes do not help: the Markdown parser resolves them
# before GitHub looks for mentions; a zero-width character would, but those are what
# `_INVISIBLE` shows as <U+...> (and it breaks copying the name).
_MENTION = r"(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])|#(?=[0-9])|(?<![A-Za-z0-9_])GH(?=-[0-9])"
_IN_LINK = _MENTION
# GitHub also links bare web addresses (https://host, www.host): the `:` of `://` and the `www.`
# go in a code element too, so input cannot put a link in a pull-request comment (the text of
# a link a report makes itself is not linked again).
_REFERENCE = _MENTION + r"|:(?=//)|(?<![A-Za-z0-9_])www\."
# Inside an HTML block (a <details><summary> line) Markdown is not parsed and a backslash shows
# as typed: there only the characters that make HTML are written as entities.
_HTML_SYNTAX = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


_HIDDEN = f"[{_INVISIBLE}\u2800]"


def blank(value: str) -> bool:
    """Whether `value` shows nothing a reader could read: no letter, digit, punctuation or symbol
    except invisible ones (spaces, format characters, fillers, lone combining marks, variation
    selectors, private-use and unassigned code points)."""
    import unicodedata

    return not any(unicodedata.category(c)[0] in "LNPS" and not _pattern(_HIDDEN).match(c) for c in value)


def _escaped(flat: str, html_block: bool) -> str:
    if html_block:
        return flat.translate(_HTML_SYNTAX)
    if not _pattern(_SYNTAX_START).search(flat):  # nothing to escape (ids, numbers, dates)
        out = flat
    else:
        out = _pattern(_SYNTAX).sub(lambda m: "\\" + m.group(), flat)
    # GitHub renders $...$ as math: with two dollar signs in one value, escape them
    return out.replace("$", "\\$") if out.count("$") > 1 else out


def markdown(value: Any, html_block: bool = False, in_link: bool = False) -> str:
    """Text for GitHub Markdown, on one line: shown as typed, never as HTML, link, emphasis or mention.

    `html_block`: the text stands inside an HTML block (`<details><summary>...`), where only
    `&`, `<` and `>` need escaping. `in_link`: the text of a link the report makes (GitHub links
    nothing inside it).
    """
    flat = _one_line(value)
    parts: list[str] = []
    start = 0
    if _may_refer(flat):
        for match in _pattern(_IN_LINK if in_link else _REFERENCE, re.IGNORECASE).finditer(flat):
            parts.append(_escaped(flat[start : match.start()], html_block))
            parts.append(f"<code>{match.group()}</code>")
            start = match.end()
    parts.append(_escaped(flat[start:], html_block))
    out = "".join(parts)
    if html_block:
        return out
    start_of_line = _pattern(_LINE_START).match(out)  # the pattern matches only at the start
    if start_of_line is None:
        return out
    return start_of_line.group(1) + "\\" + start_of_line.group(2) + out[start_of_line.end() :]


def markdown_code(value: Any, html_block: bool = False) -> str:
    """Inline code for GitHub Markdown: backticks cannot end it early, <code> keeps HTML inert."""
    return "<code>" + _escaped(_one_line(value), html_block) + "</code>"


def _one_line(value: Any) -> str:
    """Input on one line for Markdown: cleaned, every run of white space one space, trimmed."""
    flat = _safe(value, False)
    # in printable ASCII the only white space is the space: without two in a row, nothing to join
    if not (flat.isascii() and flat.isprintable() and "  " not in flat):
        flat = _pattern(_SPACES).sub(" ", flat)
    return flat.strip()


def _may_refer(flat: str) -> bool:
    """Whether `flat` may hold a match of _REFERENCE (or _IN_LINK): each holds an '@', a '#', the
    '://' of an address, the 'H-' of GH-1 or the 'W.' of www. (in either case; no other letter
    folds to h or w), and text without any of them is common enough to skip the expression."""
    return any(part in flat for part in ("@", "#", "://", "h-", "H-", "w.", "W."))


# In JSON output the data stays exact; only the bytes change: these characters are written as
# \\uXXXX escapes (json.dumps already escapes C0), so a terminal or an editor showing the file
# shows them visibly instead of obeying them.
_JSON_UNSAFE = f"[\x7f-\x9f{_INVISIBLE}\ud800-\udfff]"


def json_dumps(data: Any) -> str:
    """JSON text (indented, UTF-8) in which no character can drive a terminal or hide text.

    The text of json.dumps(data, indent=2, ensure_ascii=False) with the escapes above, written by
    `_Json` (the json module's indented encoder is pure Python with a generator per level, and
    the escapes a scan of the whole text: most of the time of a 10,000-model shortlist's 250,000
    lines); a value that is not JSON data goes to json.dumps for its error.
    """
    import json

    try:
        dumped = _Json().dumps(data)
    except (_NotJson, RecursionError):
        dumped = json.dumps(data, indent=2, ensure_ascii=False)
        return _pattern(_JSON_UNSAFE).sub(_json_escape, dumped)
    # the strings' characters outside ASCII are escaped already: what is left is DEL
    return _pattern(_JSON_UNSAFE).sub(_json_escape, dumped) if "\x7f" in dumped else dumped


def _json_escape(match: re.Match[str]) -> str:
    import json

    return json.dumps(match.group())[1:-1]


class _NotJson(Exception):
    """A value json.dumps would reject, or pass to its `default`."""


class _Json:
    """json.dumps(indent=2, ensure_ascii=False, allow_nan=True), each string escaped as json_dumps
    escapes it; the structure between the strings is ASCII without DEL."""

    def __init__(self) -> None:
        from json.encoder import encode_basestring

        self.encode = encode_basestring
        self.unsafe = _pattern(_JSON_UNSAFE)

    def dumps(self, data: Any) -> str:
        out: list[str] = []
        text = self.scalar(data)
        if text is None:
            self.container(data, "\n", "", out)
        else:
            out.append(text)
        return "".join(out)

    def string(self, value: str) -> str:
        text = self.encode(value)
        return text if text.isascii() else self.unsafe.sub(_json_escape, text)

    def scalar(self, value: Any) -> str | None:
        """A JSON scalar as json.dumps writes it, or None for a list or mapping."""
        if isinstance(value, str):
            return self.string(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            if value != value:
                return "NaN"
            if value in (float("inf"), float("-inf")):
                return "Infinity" if value > 0 else "-Infinity"
            return float.__repr__(value)
        if isinstance(value, (list, tuple, dict)):
            return None
        raise _NotJson

    def key(self, key: Any) -> str:
        """A mapping key as json.dumps writes it: a string, or a number, boolean or null made one."""
        if isinstance(key, str):
            return self.string(key)
        if isinstance(key, (int, float)) or key is None:  # bool is an int
            return f'"{self.scalar(key)}"'
        raise _NotJson

    def container(self, value: Any, newline: str, head: str, out: list[str]) -> None:
        """Append `head` and the JSON text of a list or mapping at the depth of `newline` (a line
        break and the indentation of the value's own line) to `out`."""
        mapping = isinstance(value, dict)
        if not value:
            out.append(head + ("{}" if mapping else "[]"))
            return
        inner = newline + "  "
        separator = head + ("{" if mapping else "[") + inner
        encode, append = self.encode, out.append
        # the common keys and values (ASCII strings, null) inline, the rest by the methods
        for key, item in value.items() if mapping else zip(repeat(""), value):
            if mapping:
                name = encode(key) if type(key) is str else None
                line = separator + (name if name is not None and name.isascii() else self.key(key)) + ": "
            else:
                line = separator
            if type(item) is str and (text := encode(item)).isascii():
                append(line + text)
            elif item is None:
                append(line + "null")
            else:
                self.item(item, line, inner, out)
            separator = "," + inner
        append(newline + ("}" if mapping else "]"))

    def item(self, item: Any, head: str, newline: str, out: list[str]) -> None:
        text = self.scalar(item)
        if text is None:
            self.container(item, newline, head, out)
        else:
            out.append(head + text)


def json_line(data: Any) -> str:
    """One compact JSON line (UTF-8, a JSON Lines record) with the escapes of json_dumps."""
    import json

    dumped = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _pattern(_JSON_UNSAFE).sub(lambda m: json.dumps(m.group())[1:-1], dumped)


def display(value: Any, fact: str = "") -> str:
    """A fact value as a reader expects it, the same in every message, table and report.

    Unknown (None) says so, never 0; yes/no; thousands separators; a US dollar amount (a fact
    named `..._usd`) with cents unless it is whole or needs more digits (a price of 0.075); lists
    joined with commas ("none" when empty); the phrases a `mentions` test matched, quoted.
    """
    if type(value) is str:  # the common case, before the isinstance tests (Mapping's is slow)
        return value
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
    if not _as_it_is("".join(map("".join, rows))):
        rows = [terminal_each(r) for r in rows]
    widths = [max(map(len, column)) for column in zip(*rows)]
    return "\n".join("  ".join(map(str.ljust, r, widths)).rstrip() for r in rows)
