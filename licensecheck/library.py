"""The rule library: named conditions and phrase lists (`lib/*.yaml`) that rule packs use by name.

A pack writes `when: {use: NAME}` (also inside all/any/not) for a library condition and
`{fact: PATH, mentions: {use: NAME}}` for a library phrase list. References are resolved in the
raw pack document before its conditions compile, like a Rego library package imported by a
policy: the compiled rule is exactly the one the pack would give with the condition spelled out,
and the rule's metadata (clause, source, confidence) stays in the pack. Entries may use other
entries. Unknown, mistyped and circular references are located errors, and so is an expansion
larger or deeper than a document the YAML loader accepts, so nested references cannot be a bomb.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from licensecheck.conditions import ConditionError, PhraseSet, compile_condition
from licensecheck.document import Document
from licensecheck.errors import InputError, did_you_mean
from licensecheck.records import NamedTuple
from licensecheck.yamlsource import MAX_DEPTH, MAX_NODES, parse_yaml, read_text

FOLDER = "lib"  # a rules folder's library files live in its lib/ subfolder
CONDITION = "condition"
PHRASES = "phrase list"
_SECTIONS = (("conditions", CONDITION, "when"), ("phrases", PHRASES, "phrases"))
# One expanded condition may hold at most this many YAML nodes; a whole pack (or the check of a
# whole library) at most MAX_NODES, as many as the loader accepts in one document.
MAX_CONDITION_NODES = 10_000
HELP = "see rules/README.md, 'The rule library'"

Path_ = tuple[Any, ...]


class Entry(NamedTuple):
    """One named condition or phrase list, and where it is written."""

    name: str
    kind: str  # CONDITION or PHRASES
    description: str
    body: Any  # the raw `when` mapping, or the list of phrases
    doc: Document
    path: Path_  # ("conditions", i) or ("phrases", i) in `doc`
    file: str  # the library file's real path

    @property
    def body_path(self) -> Path_:
        return (*self.path, "when" if self.kind == CONDITION else "phrases")

    @property
    def where(self) -> str:
        return f"{self.doc.name}:{self.doc.where(self.path)[0]}"

    def error(self, message: str, hint: str | None = None) -> InputError:
        """An InputError at the entry's name in its library file."""
        return self.doc.error((*self.path, "id"), message, hint)


class _Expanded(NamedTuple):
    value: Any  # the condition or phrase list with every reference replaced
    size: int  # YAML nodes of `value`
    depth: int  # nesting levels of `value`


class LibraryFile(NamedTuple):
    """A validated library file: its document, real path and the sha256 of its bytes."""

    doc: Document
    path: str
    digest: str


def in_library(path: Path, directory: Path) -> bool:
    """Whether `path` (a YAML file found below the rules folder `directory`) is a library file."""
    parts = path.relative_to(directory).parts
    return len(parts) > 1 and parts[0] == FOLDER


def load_file(path: str, shown: str, real: str) -> LibraryFile:
    """Read, parse and schema-check one library file; InputError at the first problem."""
    import hashlib

    text = read_text(path, shown)
    doc = parse_yaml(text, shown, "a library file starts with `library:`; " + HELP)
    if not isinstance(doc.data, dict) or "library" not in doc.data:
        found = ", ".join(sorted(doc.data)) if isinstance(doc.data, dict) else "none"
        raise doc.error(
            (),
            f"a file in the library folder `{FOLDER}/` must be a library (top-level keys: {found})",
            "start it with `library: {name: ...}` and list `conditions:` or `phrases:`; packs go elsewhere",
        )
    doc.check("library")
    return LibraryFile(doc, real, hashlib.sha256(text.encode("utf-8")).hexdigest())


class Library:
    """Every library entry of a run, by name: the bundled library plus an organisation's own."""

    def __init__(self, files: Sequence[LibraryFile] = ()) -> None:
        self.files = tuple(files)
        self.entries: dict[str, Entry] = {}
        self._expanded: dict[str, _Expanded] = {}
        self._order: list[str] = []  # entries in the order their expansion finished
        for file in self.files:
            for section, kind, body in _SECTIONS:
                for i, item in enumerate(file.doc.data.get(section, ())):
                    name = item["id"]
                    other = self.entries.get(name)
                    if other is not None:
                        raise file.doc.error(
                            (section, i, "id"),
                            f"duplicate library entry '{name}' (also at {other.where})",
                            "entry names are unique across all library files, the bundled ones included",
                        )
                    self.entries[name] = Entry(
                        name, kind, item["description"], item[body], file.doc, (section, i), file.path
                    )

    # ------------------------------------------------------------------ loading

    def check(self, known_fact: Callable[[str], bool]) -> None:
        """Expand and compile every entry once; the first problem is an InputError in its file."""
        for entry in self.entries.values():
            self._expand(entry, ())
        total = 0
        for name in self._order:  # dependencies first: an error is in the entry that has it
            entry = self.entries[name]
            expanded = self._expanded[name]
            total += expanded.size
            if total > MAX_NODES:
                raise entry.doc.error(
                    entry.path,
                    f"the library's entries expand to more than {MAX_NODES:,} nodes in all",
                    "entries are expanded wherever they are used: use fewer or smaller nested references",
                )
            if entry.kind == PHRASES:
                for j, phrase in enumerate(entry.body):
                    try:
                        PhraseSet([phrase])
                    except ConditionError as exc:
                        raise entry.doc.error((*entry.body_path, j), str(exc)) from None
                continue
            try:
                compile_condition(expanded.value, known_fact, ())
            except ConditionError as exc:
                raise entry.doc.error(entry.body_path + exc.path, str(exc), exc.hint) from None

    def resolve_pack(self, doc: Document) -> Document:
        """The pack document with every library reference in its rules' conditions replaced.

        Paths of the pack's own nodes do not change, so a compile error in them is still located
        in the pack; the entries were compiled when the library was checked."""
        rules = doc.data["rules"]
        resolved: list[Any] | None = None
        total = 0
        for i, rule in enumerate(rules):
            where = ("rules", i, "when")
            expanded = self._resolve(rule["when"], doc, where, ())
            total += expanded.size
            if expanded.size > MAX_CONDITION_NODES or total > MAX_NODES:
                what = (
                    f"this condition expands to more than {MAX_CONDITION_NODES:,}"
                    if expanded.size > MAX_CONDITION_NODES
                    else f"the pack's conditions expand to more than {MAX_NODES:,}"
                )
                raise doc.error(
                    where, f"{what} nodes through library references", "use fewer or smaller library entries"
                )
            if expanded.value is not rule["when"]:
                if resolved is None:
                    resolved = list(rules)
                resolved[i] = {**rule, "when": expanded.value}
        if resolved is None:
            return doc
        return Document(doc.name, {**doc.data, "rules": resolved}, doc.marks, doc.key_marks)

    # ------------------------------------------------------------------ expansion

    def _expand(self, entry: Entry, chain: tuple[str, ...]) -> _Expanded:
        done = self._expanded.get(entry.name)
        if done is not None:
            return done
        if entry.kind == PHRASES:
            done = _Expanded(entry.body, 1 + len(entry.body), 1)
        else:
            done = self._resolve(entry.body, entry.doc, entry.body_path, (*chain, entry.name))
            if done.size > MAX_CONDITION_NODES:
                raise entry.doc.error(
                    entry.path,
                    f"library condition '{entry.name}' expands to more than {MAX_CONDITION_NODES:,} nodes",
                    "entries are expanded wherever they are used: use fewer or smaller nested references",
                )
        self._expanded[entry.name] = done
        self._order.append(entry.name)
        return done

    def _resolve(self, node: Any, doc: Document, path: Path_, chain: tuple[str, ...]) -> _Expanded:
        """Expand the references in one schema-valid condition at `path` of `doc`."""
        if "use" in node:
            entry = self._lookup(node["use"], CONDITION, doc, (*path, "use"), chain)
            expanded = self._expand(entry, chain)
            if len(path) + expanded.depth > MAX_DEPTH:
                raise doc.error(
                    (*path, "use"),
                    f"library condition '{entry.name}' nests deeper than {MAX_DEPTH} levels here",
                    "flatten the nested references",
                )
            return expanded
        for key in ("all", "any"):
            if key in node:
                parts = [self._resolve(c, doc, (*path, key, i), chain) for i, c in enumerate(node[key])]
                changed = any(p.value is not c for p, c in zip(parts, node[key]))
                value = {key: [p.value for p in parts]} if changed else node
                return _Expanded(value, 2 + sum(p.size for p in parts), 2 + max(p.depth for p in parts))
        if "not" in node:
            part = self._resolve(node["not"], doc, (*path, "not"), chain)
            return _Expanded(
                node if part.value is node["not"] else {"not": part.value}, 1 + part.size, 1 + part.depth
            )
        value = node
        for op, arg in node.items():
            if not (isinstance(arg, dict) and "use" in arg):
                continue
            if op != "mentions":
                raise doc.error(
                    (*path, op),
                    f"'{op}' cannot take a library entry; only `mentions` takes a phrase list",
                    "write the values out, or use `mentions: {use: NAME}` on free text",
                )
            if set(arg) != {"use"} or not isinstance(arg["use"], str):
                raise doc.error(
                    (*path, op),
                    "a library phrase list is named as {use: NAME}",
                    "nothing else goes in that mapping; or list the phrases: [word, phrase, ...]",
                )
            entry = self._lookup(arg["use"], PHRASES, doc, (*path, op, "use"), chain)
            value = {**node, op: entry.body}
        return _Expanded(value, _size(value), _depth(value))

    def _lookup(self, name: Any, kind: str, doc: Document, where: Path_, chain: tuple[str, ...]) -> Entry:
        entry = self.entries.get(name) if isinstance(name, str) else None
        if entry is None:
            names = [e.name for e in self.entries.values() if e.kind == kind]
            hint = did_you_mean(str(name), names) or (
                f"library {kind}s: {', '.join(sorted(names)[:12])}"
                if names
                else "there is no library folder `lib/`"
            )
            raise doc.error(where, f"unknown library {kind} '{name}'", hint)
        if entry.kind != kind:
            usage = "`mentions: {use: NAME}`" if entry.kind == PHRASES else "`when: {use: NAME}`"
            raise doc.error(
                where,
                f"'{name}' is a library {entry.kind}, not a {kind} ({entry.where})",
                f"use it as {usage}",
            )
        if name in chain:
            cycle = " -> ".join((*chain[chain.index(name) :], name))
            raise doc.error(where, f"library entry '{name}' uses itself: {cycle}", "break the cycle")
        return entry

    # ------------------------------------------------------------------ reading

    def expansion(self, name: str) -> Any:
        """Entry `name`'s condition or phrase list with every reference replaced."""
        return self._expand(self.entries[name], ()).value

    def uses(self, condition: Any) -> list[str]:
        """The entries a condition uses, directly or through other entries, in order of first use."""
        found: list[str] = []
        self._collect(condition, found)
        return found

    def _collect(self, condition: Any, found: list[str]) -> None:
        for name, _ in _references(condition):
            entry = self.entries.get(name)
            if entry is None or name in found:
                continue
            found.append(name)
            if entry.kind == CONDITION:
                self._collect(entry.body, found)

    def files_used(self, doc: Document) -> list[LibraryFile]:
        """The library files the rules of a pack document use, in library order."""
        names = {name for rule in doc.data["rules"] for name in self.uses(rule["when"])}
        used = {self.entries[name].file for name in names}
        return [file for file in self.files if file.path in used]

    def entries_in(self, directory: Path) -> list[Entry]:
        """The entries written in library files below `directory`."""
        folder = os.path.realpath(directory)
        return [e for e in self.entries.values() if os.path.commonpath([folder, e.file]) == folder]

    def unused(self, directory: Path, conditions: Iterator[Any]) -> list[Entry]:
        """The entries written in library files below `directory` that none of `conditions` uses."""
        used: set[str] = set()
        for condition in conditions:
            used.update(self.uses(condition))
        return [entry for entry in self.entries_in(directory) if entry.name not in used]

    def body_lines(self, entry: Entry) -> list[str]:
        """An entry's condition (references expanded, see `explain`) or phrase list, as YAML lines."""
        return self.explain(entry.body) if entry.kind == CONDITION else [_flow(entry.body)]

    def explain(self, condition: Any) -> list[str]:
        """A condition as YAML lines with every reference expanded; a comment names each entry used."""
        if "use" in condition:
            entry = self.entries[condition["use"]]
            return [f"# {entry.name}: library condition, {entry.where}", *self.explain(entry.body)]
        for key in ("all", "any"):
            if key in condition:
                lines = [f"{key}:"]
                for part in condition[key]:
                    first, *rest = self.explain(part)
                    lines += [f"  - {first}", *(f"    {line}" for line in rest)]
                return lines
        if "not" in condition:
            inner = self.explain(condition["not"])
            if len(inner) == 1 and not inner[0].startswith("#"):
                return [f"not: {inner[0]}"]
            return ["not:", *(f"  {line}" for line in inner)]
        note = ""
        leaf = dict(condition)
        for op, arg in condition.items():
            if isinstance(arg, dict) and "use" in arg:
                entry = self.entries[arg["use"]]
                leaf[op] = entry.body
                note = f"  # {entry.name}: library phrase list, {entry.where}"
        return [_flow(leaf) + note]


def _references(condition: Any) -> Iterator[tuple[str, str]]:
    """(name, kind) of each reference written in a raw condition, in document order."""
    if not isinstance(condition, dict):
        return
    if "use" in condition:
        yield condition["use"], CONDITION
        return
    for key in ("all", "any"):
        for part in condition.get(key, ()):
            yield from _references(part)
    if "not" in condition:
        yield from _references(condition["not"])
    for arg in condition.values():
        if isinstance(arg, dict) and isinstance(arg.get("use"), str):
            yield arg["use"], PHRASES


def _size(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(_size(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_size(v) for v in value)
    return 1


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _flow(value: Any) -> str:
    import yaml

    text: str = yaml.safe_dump(
        value, default_flow_style=True, sort_keys=False, width=1_000_000, allow_unicode=True
    )
    return text.strip()
