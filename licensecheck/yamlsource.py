"""Safe YAML loading that keeps the line and column of every node and refuses hostile input.

Only the YAML core types are built (mappings with string keys, sequences, strings, integers,
finite floats, booleans, null); dates stay strings so that the schema decides what is valid.
Tags such as `!!python/object` are refused: nothing in a file is ever constructed or executed.
Aliases are allowed, but the number of nodes built (aliases counted each time they are used)
and the nesting depth are bounded, so an alias bomb or a 10,000-deep document is refused fast.
Plain scalars that YAML 1.1 and YAML 1.2 (or JSON) read differently are refused, located, with
a hint to quote them: yes/no/on/off and y/n (`NO`, Norway, would be false), numbers with a
leading zero (`0700000000` would be octal 117,440,512), binary numbers and base-60 numbers
(`1:20` would be 80).
"""

from __future__ import annotations

import math
import os
import re
import stat
from functools import cache
from typing import Any

import yaml

from licensecheck.document import Document, Path
from licensecheck.errors import InputError

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64
# Integers in any input file (YAML or JSON) lie within 64 bits; no fact needs more, and a huge
# integer would fail or crawl when converted, printed or turned into a float.
MAX_INTEGER = 2**63 - 1
INTEGER_RANGE_HINT = "check the value: no licence or model fact needs a number this large"


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data` in hex (a file's record in a report)."""
    digest: str = _sha256()(data).hexdigest()
    return digest


@cache
def _sha256() -> Any:
    """CPython's own SHA-256 where it has one: hashlib loads OpenSSL first, some 4 ms of a start
    that hashes one small file."""
    import importlib

    for name in ("_sha256", "_sha2"):  # CPython up to 3.11; 3.12 on
        try:
            return importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256


def integer_range_message(literal: str) -> str:
    shown = (
        literal if len(literal) <= 24 else f"{literal[:12]}...{literal[-6:]} ({len(literal):,} characters)"
    )
    return f"integer {shown} is out of range (at most {MAX_INTEGER:,} either way)"


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]")
_DIGITS = re.compile(r"[-+]?0[0-9_]+")  # 08, 0900: not octal, so YAML 1.1 keeps them as text


class _Builder:
    def __init__(
        self,
        name: str,
        strict_scalars: bool = True,
        max_nodes: int = MAX_NODES,
        nodes_hint: str | None = None,
        third_party: bool = False,
    ) -> None:
        self.name = name
        self.strict_scalars = strict_scalars and not third_party
        self.third_party = third_party
        self.duplicates: dict[Path, tuple[int, int]] = {}
        self.max_nodes = max_nodes
        self.nodes_hint = nodes_hint
        self.marks: dict[Path, tuple[int, int]] = {}
        self.key_marks: dict[Path, tuple[int, int]] = {}
        self.nodes = 0
        self._scalars = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, message: str, hint: str | None = None) -> InputError:
        mark = node.start_mark
        return InputError(self.name, mark.line + 1, mark.column + 1, message, hint)

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise self.fail(
                node,
                f"document expands to more than {self.max_nodes:,} nodes",
                self.nodes_hint
                or "aliases (*name) are expanded each time they are used; write the data out instead",
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels", "flatten the document")
        self.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self._bad_tag(node)
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        if node.tag != _MAP:
            raise self._bad_tag(node)
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                raise self.fail(
                    key_node,
                    "merge keys (<<) are not supported",
                    "write the keys out; anchors and aliases on whole values are fine",
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a mapping key must be a plain string")
            if key_node.tag not in (_STR, _INT, _BOOL, _NULL, _FLOAT, _TIMESTAMP):
                raise self._bad_tag(key_node)
            key = str(key_node.value)
            if key in first_seen and self.third_party:
                # kept, not refused: a reader decides whether the key matters (its first value)
                mark = key_node.start_mark
                self.duplicates.setdefault((*path, key), (mark.line + 1, mark.column + 1))
                self.nodes += 1
                continue
            if key in first_seen:
                raise self.fail(
                    key_node,
                    f"duplicate key '{key}' (first defined on line {first_seen[key]})",
                    "remove one of them; YAML would silently keep only the last",
                )
            first_seen[key] = key_node.start_mark.line + 1
            self.key_marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            self.marks[path + (key,)] = (
                value_node.start_mark.line + 1,
                value_node.start_mark.column + 1,
            )
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if self.third_party and tag in (_STR, _TIMESTAMP, _BOOL, _INT, _FLOAT):
            return str(node.value)  # as written: `no` is text, `.nan` and 1e999 are not numbers
        if tag in (_STR, _TIMESTAMP):
            if self.strict_scalars and tag == _STR and not getattr(node, "style", None):
                self._check_plain_text(node)
            return str(node.value)
        if tag == _NULL:
            return None
        if tag == _BOOL:
            value = self._scalars.construct_object(node)
            if self.strict_scalars:
                self._check_yaml11(node, value)
            return value
        if tag == _INT:
            value = self._integer(node)
            if self.strict_scalars:
                self._check_yaml11(node, value)
            return value
        if tag == _FLOAT:
            value = self._scalars.construct_object(node)
            if not math.isfinite(value):
                raise self.fail(node, f"'{node.value}' is not a finite number", "write a number")
            if self.strict_scalars:
                self._check_yaml11(node, value)
            return value
        raise self._bad_tag(node)

    def _integer(self, node: yaml.Node) -> int:
        # A long literal is refused before conversion: int() of 4,300 digits or more raises, and
        # converting is quadratic before that; the value is checked after (hex, sexagesimal).
        literal = str(node.value)
        value = None if len(literal) > 100 else self._scalars.construct_object(node)
        if value is None or abs(value) > MAX_INTEGER:
            raise self.fail(node, integer_range_message(literal), INTEGER_RANGE_HINT)
        assert isinstance(value, int)
        return value

    def _check_plain_text(self, node: yaml.Node) -> None:
        """Refuse unquoted text that another YAML reader takes for a number or a boolean."""
        raw = str(node.value)
        if _DIGITS.fullmatch(raw):
            raise self.fail(
                node,
                f"'{raw}' has a leading zero: YAML 1.1 reads it as text, YAML 1.2 as a number",
                f'write the number without leading zeros, or quote it ("{raw}") if it is text',
            )
        if raw in ("y", "Y", "n", "N"):
            raise self.fail(
                node,
                f"'{raw}' is ambiguous: YAML 1.1 readers take it for a boolean (y/n), this one for text",
                f'quote it ("{raw}") if it is text; write true or false for a yes/no value',
            )

    def _check_yaml11(self, node: yaml.Node, value: Any) -> None:
        """Refuse a plain scalar whose YAML 1.1 reading (PyYAML's) differs from YAML 1.2 and JSON."""
        raw = str(node.value)
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        # a very long number is not worth printing (and past 4,300 digits Python will not)
        number = f" {value:,}" if len(raw) <= 40 else ""
        if node.tag == _BOOL and raw.lower() not in ("true", "false"):
            raise self.fail(
                node,
                f"'{raw}' is read as the boolean {'true' if value else 'false'} (YAML 1.1 yes/no/on/off)",
                f'quote it ("{raw}") if it is text such as a country code; write true or false for a yes/no value',
            )
        if ":" in raw:
            raise self.fail(
                node,
                f"'{shown}' is read as the base-60 number{number} (YAML 1.1 sexagesimal)",
                f'quote it ("{shown}") if it is text; write the number in decimal digits',
            )
        if node.tag == _INT and raw.lstrip("+-").startswith("0b"):
            raise self.fail(
                node,
                f"'{shown}' is read as the binary number{number} by YAML 1.1, as text by YAML 1.2",
                f'write the number in decimal digits, or quote it ("{shown}") if it is text',
            )
        if node.tag == _INT and _LEADING_ZERO.match(raw):
            raise self.fail(
                node,
                f"'{shown}' has a leading zero: YAML 1.1 reads it as the octal number{number}",
                f'write the number without leading zeros, or quote it ("{shown}") if it is text',
            )

    def _bad_tag(self, node: yaml.Node) -> InputError:
        return self.fail(
            node,
            f"unsupported YAML tag '{node.tag}'",
            "only plain mappings, lists, strings, numbers, booleans and null are accepted",
        )


def parse_yaml(
    text: str,
    name: str,
    empty_hint: str = "see `licensecheck schema usecase`",
    strict_scalars: bool = True,
    max_nodes: int = MAX_NODES,
    nodes_hint: str | None = None,
    third_party: bool = False,
) -> Document:
    """Parse one YAML document from text into plain data with positions (at most `max_nodes` nodes).

    `strict_scalars` refuses plain scalars read differently by YAML 1.1 and 1.2 (see the module
    docstring). `third_party` (a model card: data nobody here wrote, read for a few keys only)
    reads every scalar as the text written (null stays None: `no` is the text "no", `.nan` is
    no number) and keeps the first value of a key written twice, listing it in
    Document.duplicates; tags, merge keys, depth and size are refused as always.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(text) > COUNT_EVENTS_ABOVE:
        _count_nodes(name, text, max_nodes, nodes_hint)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        hint = _yaml_hint(problem, _char_at(text, line, col))
        raise InputError(name, line, col, f"invalid YAML: {problem}", hint) from None
    except yaml.YAMLError as exc:
        raise InputError(name, 1, 1, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(
            name, 1, 1, f"nesting deeper than {MAX_DEPTH} levels", "flatten the document"
        ) from None
    if node is None:
        raise InputError(name, 1, 1, "the file is empty", empty_hint)
    builder = _Builder(name, strict_scalars, max_nodes, nodes_hint, third_party)
    data = builder.build(node, (), 0)
    return Document(name, data, builder.marks, builder.key_marks, builder.nodes, builder.duplicates)


# A document larger than this is first counted event by event (the C parser, no node objects), so a
# file of a few hundred thousand plain keys is refused before PyYAML composes it (seconds and
# hundreds of MB); smaller documents are composed at once.
COUNT_EVENTS_ABOVE = 64_000


def _count_nodes(name: str, text: str, max_nodes: int, nodes_hint: str | None) -> None:
    """Refuse a document with more than `max_nodes` nodes before composing it. An alias counts once
    here (the builder counts each use), so this never refuses what the builder would accept; a
    syntax error is left for the composer to report."""
    counted = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                counted += 1
                if counted > max_nodes:
                    mark = event.start_mark
                    raise InputError(
                        name,
                        mark.line + 1 if mark else 1,
                        mark.column + 1 if mark else 1,
                        f"document expands to more than {max_nodes:,} nodes",
                        nodes_hint
                        or "aliases (*name) are expanded each time they are used; write the data out instead",
                    )
    except yaml.YAMLError:
        return


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.splitlines()
    if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


def _yaml_hint(problem: str, char: str = "") -> str | None:
    if "tab" in problem or char == "\t":
        return "indent with spaces, not tabs"
    if "nesting depth" in problem:
        return "flatten the document"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted"
    if "found character '@'" in problem or "found character '`'" in problem:
        return "quote values that start with @ or `"
    if "found undefined alias" in problem:
        return "define the anchor (&name) before using the alias (*name)"
    return None


def read_text(path: str, name: str | None = None, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, refusing oversize, binary and undecodable files with a clear error."""
    shown = name or path
    return decode(read_bytes(path, shown, max_bytes), shown, max_bytes)


def read_bytes(path: str, name: str | None = None, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file (refused when over `max_bytes`), or an InputError naming it."""
    shown = name or path
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or device would block the read forever or never end: refuse it up front.
            raise InputError(
                shown,
                None,
                None,
                "not a regular file (a pipe, socket or device)",
                "give a file; use - to read a use case from stdin",
            )
        size = info.st_size
        if size > max_bytes:
            raise InputError(
                shown,
                None,
                None,
                f"file is {size:,} bytes, more than the limit of {max_bytes:,}",
                "split it into several files",
            )
        with open(path, "rb") as handle:
            # What the stat says plus a byte: read(max_bytes + 1) allocates the whole limit first
            # (2 ms for a JSON catalog's 64 MB); a file that grew since is read on to the limit.
            raw = handle.read(size + 1)
            if len(raw) > size:
                raw += handle.read(max_bytes + 1 - len(raw))
    except IsADirectoryError:
        raise InputError(shown, None, None, "is a directory, expected a file") from None
    except FileNotFoundError:
        raise InputError(shown, None, None, "no such file") from None
    except PermissionError:
        raise InputError(shown, None, None, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise InputError(shown, None, None, f"cannot read the file: {exc.strerror or exc}") from None
    return raw  # one byte past the limit when the file grew since stat: decode refuses it


def read_stream(stream: Any, name: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a binary stream (standard input), refused past `max_bytes` without reading on."""
    if stream is None:
        raise InputError(name, None, None, "standard input is closed", "pipe the use case in, or give a file")
    try:
        raw: bytes = stream.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(name, None, None, f"cannot read standard input: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise InputError(
            name,
            None,
            None,
            f"input is more than the limit of {max_bytes:,} bytes",
            "split it into several files",
        )
    return raw


def decode(raw: bytes, name: str, max_bytes: int = MAX_BYTES) -> str:
    """Decode bytes as UTF-8 text (BOM allowed) or raise a located InputError."""
    if len(raw) > max_bytes:
        raise InputError(
            name,
            None,
            None,
            f"input is more than the limit of {max_bytes:,} bytes",
            "split it into several files",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Windows editors save "Unicode" as UTF-16 with a BOM: say so rather than "binary"
        raise InputError(name, 1, 1, "the file is UTF-16 text, expected UTF-8", "save it with UTF-8 encoding")
    if b"\x00" in raw:
        raise InputError(name, 1, 1, "binary data (NUL bytes), expected a UTF-8 YAML text file")
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0  # utf-8-sig would import one more codec
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + bom
        line = raw[:start].count(b"\n") + 1
        col = start - (raw.rfind(b"\n", 0, start) + 1) + 1
        raise InputError(
            name, line, col, "the file is not valid UTF-8", "save it with UTF-8 encoding"
        ) from None
