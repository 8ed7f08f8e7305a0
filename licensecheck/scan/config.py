"""Configuration files (YAML, JSON, TOML) and model cards: keys that name a model."""

# `model_id`, `model_name_or_path`, `pretrained_model_name_or_path` and `base_model` always name
# one; `model` and `model_name` are common words, so their value counts only when it looks like
# a model (resolve.generic_keeps). `*_MODEL` keys hold one as in .env files; `run:`/`command:`
# values are read as shell. A YAML file that is a licensecheck use case is reported as such.
# YAML is composed into nodes (positions kept), never constructed: no tag runs anything.

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from licensecheck.scan import shell
from licensecheck.scan.found import Found, Problem, literal, unresolved

STRICT_KEYS = frozenset({"model_id", "model_name_or_path", "pretrained_model_name_or_path", "base_model"})
GENERIC_KEYS = frozenset({"model", "model_name"})
SHELL_KEYS = frozenset(
    {"run", "command", "entrypoint", "args", "script", "cmd", "before_script", "after_script"}
)
USECASE_KEYS = frozenset({"licensecheck", "use", "organization", "deployment", "requirements"})
USECASE_NAME = re.compile(r"(^|/)(usecase[^/]*|[^/]*\.usecase)\.ya?ml$")
MAX_NODES = 200_000
# `judge_model`, `embedding_model_name`: named for a model, like `model` (a generic place).
# Keys naming where a trained model is published (Hugging Face TrainingArguments): not a use.
PUBLISH_KEYS = frozenset({"hub_model_id"})
MODEL_KEY = re.compile(r"^(?:\w*_)?model(?:_name|_id)?$", re.IGNORECASE)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"


def find_yaml(text: str, name: str) -> tuple[list[Found], list[Problem], bool]:
    """References in a YAML file, problems, and whether the file is a licensecheck use case."""
    found: list[Found] = []
    lines = text.split("\n")
    try:
        documents = list(yaml.compose_all(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as exc:
        if USECASE_NAME.search(name) or _in_usecases_folder(name):
            return [], [], True  # its evaluation gives the located error
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return [], [Problem(line, col, f"not read as YAML: {exc.problem or exc.context}")], False
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        return [], [Problem(1, 1, f"not read as YAML: {type(exc).__name__}")], False
    if is_usecase(documents[0] if documents else None, name):
        return [], [], True
    problems: list[Problem] = []
    for document in documents:
        if document is not None and not _walk_yaml(document, lines, found):
            problems.append(Problem(1, 1, f"partly scanned: more than {MAX_NODES:,} YAML nodes"))
            break
    return found, problems, False


def is_usecase(root: yaml.Node | None, name: str) -> bool:
    """A file below usecases/ or named like a use case (usecase*.yaml, *.usecase.yaml), or a
    mapping with `name`, a `model` mapping and a use-case section (`licensecheck:`, `use:`, ...;
    rule packs, catalogs and libraries carry `licensecheck:` too, but no `name` and `model`).
    A broken use case is still one: its evaluation reports the error, as `evaluate` would."""
    if USECASE_NAME.search(name) or _in_usecases_folder(name):
        return True
    if not isinstance(root, yaml.MappingNode):
        return False
    keys = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    return (
        "name" in keys and isinstance(keys.get("model"), yaml.MappingNode) and bool(USECASE_KEYS & set(keys))
    )


def _in_usecases_folder(name: str) -> bool:
    """The convention of the hooks and the action: every YAML file below usecases/ is a use case
    (hidden ones and *.tests.yaml aside), as `licensecheck evaluate -- usecases/` reads them."""
    parts = name.split("/")
    hidden = any(part.startswith(".") for part in parts)
    return (
        len(parts) > 1
        and parts[0] == "usecases"
        and not hidden
        and not name.endswith((".tests.yaml", ".tests.yml"))
    )


def _walk_yaml(root: yaml.Node, lines: list[str], found: list[Found]) -> bool:
    seen: set[int] = set()
    stack: list[yaml.Node] = [root]
    count = 0
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: its node was read already
            continue
        seen.add(id(node))
        count += 1
        if count > MAX_NODES:
            return False
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag == _STR:
                found.extend(_yaml_pair(str(key.value), value, lines))
            stack.append(value)
    return True


def _yaml_pair(key: str, value: yaml.Node, lines: list[str]) -> list[Found]:
    scalars = [value] if isinstance(value, yaml.ScalarNode) else []
    if isinstance(value, yaml.SequenceNode) and key in (STRICT_KEYS | SHELL_KEYS | {"environment", "env"}):
        scalars = [v for v in value.value if isinstance(v, yaml.ScalarNode)]
    out: list[Found] = []
    if key in SHELL_KEYS:
        if isinstance(value, yaml.SequenceNode):
            words = [shell.Token(str(v.value), 0) for v in scalars]
            return _located_words(words, scalars, lines)
        return [f for s in scalars if s.tag == _STR for f in _yaml_shell(s, lines)]
    if key in ("environment", "env") and isinstance(value, yaml.SequenceNode):
        for scalar in scalars:  # docker compose: environment: ["OPENAI_MODEL=gpt-4o"]
            name, _, text = str(scalar.value).partition("=")
            if shell.ENV_KEY.match(name) and text:
                item = _scalar_found(scalar, lines, text, "config:env", offset=len(name) + 1)
                out.extend([item] if item else [])
        return out
    strict, generic = _key_kind(key)
    if not (strict or generic):
        return []
    for scalar in scalars:
        if scalar.tag != _STR or scalar.style not in (None, "", "'", '"'):
            continue
        item = _scalar_found(scalar, lines, str(scalar.value), f"config:{key}", generic=not strict)
        out.extend([item] if item else [])
    return out


def _key_kind(key: str) -> tuple[bool, bool]:
    """(strict, generic): a key that always names a model, or one that may (value must look like one)."""
    if key.casefold() in PUBLISH_KEYS:
        return False, False
    strict = key.casefold() in STRICT_KEYS or (shell.ENV_KEY.match(key) is not None and key.isupper())
    return strict, not strict and (key.casefold() in GENERIC_KEYS or MODEL_KEY.match(key) is not None)


def _scalar_found(
    node: yaml.ScalarNode, lines: list[str], text: str, kind: str, *, generic: bool = False, offset: int = 0
) -> Found | None:
    line = node.start_mark.line + 1
    col = node.start_mark.column + 1 + (1 if node.style in ("'", '"') else 0) + offset
    if "${" in text or "{{" in text or text.startswith("$"):
        return None if generic else unresolved(line, col, text, kind, "a variable set at run time")
    return literal(line, col, text, kind, generic=generic)


def _yaml_shell(node: yaml.ScalarNode, lines: list[str]) -> list[Found]:
    """A `run:` script: read as shell, each finding placed where its word stands in the file."""
    script = str(node.value)
    out = []
    start = node.start_mark.line
    for item in shell.find(script, "sh"):
        word = _word_at(script, item)
        line, col = _search(lines, start, word) or (node.start_mark.line + 1, node.start_mark.column + 1)
        out.append(_moved(item, line, col))
    return out


def _word_at(script: str, item: Found) -> str:
    rows = script.split("\n")
    row = rows[item.line - 1] if 0 < item.line <= len(rows) else ""
    words = shell.tokens(row[item.col - 1 :])
    return words[0].text if words else (item.value or item.expression)


def _located_words(words: list[shell.Token], scalars: list[yaml.ScalarNode], lines: list[str]) -> list[Found]:
    """`command: ["vllm", "serve", "x"]`: each word is its own node, located by its mark."""
    marks = {i: s for i, s in enumerate(scalars)}
    indexed = [shell.Token(w.text, i) for i, w in enumerate(words)]

    class _ByIndex(shell.Positions):
        def __init__(self) -> None:
            self.starts = [0]

        def at(self, offset: int) -> tuple[int, int]:
            scalar = marks.get(offset)
            if scalar is None:
                return 1, 1
            quote = 1 if scalar.style in ("'", '"') else 0
            return scalar.start_mark.line + 1, scalar.start_mark.column + 1 + quote

    return shell.command_references(indexed, _ByIndex(), {}, "config:command")


def _search(lines: list[str], start: int, word: str) -> tuple[int, int] | None:
    """The first place at or after line `start` (0-based) where `word` is written."""
    if not word:
        return None
    for index in range(start, min(len(lines), start + 10_000)):
        col = lines[index].find(word)
        if col >= 0:
            return index + 1, col + 1
    return None


def _moved(item: Found, line: int, col: int) -> Found:
    return Found(
        line,
        col,
        item.value,
        item.expression,
        item.kind.replace("shell:sh", "config:run"),
        item.via,
        item.provider,
        None,
        item.reason,
        item.generic,
    )


# --- JSON and TOML: parsed without positions; each finding is placed by searching the text ---


def find_json(text: str) -> tuple[list[Found], list[Problem]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Problem(exc.lineno, exc.colno, f"not read as JSON: {exc.msg}")]
    except (RecursionError, MemoryError):
        return [], [Problem(1, 1, "not read as JSON: nested too deeply")]
    return _from_data(data, text, _json_place), []


def find_toml(text: str) -> tuple[list[Found], list[Problem]]:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        return [], [Problem(1, 1, "TOML files are read with Python 3.11 or later")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [], [Problem(1, 1, f"not read as TOML: {exc}")]
    except (RecursionError, MemoryError):
        return [], [Problem(1, 1, "not read as TOML: nested too deeply")]
    return _from_data(data, text, _toml_place), []


def _pairs(data: Any) -> Iterator[tuple[str, Any]]:
    """(key, value) of every mapping, in document order (so that each is found after the last)."""
    stack: list[tuple[str | None, Any]] = [(None, data)]
    count = 0
    while stack and count < MAX_NODES:
        key, node = stack.pop()
        count += 1
        if key is not None:
            yield key, node
        if isinstance(node, dict):
            stack.extend(reversed([(str(k), v) for k, v in node.items()]))
        elif isinstance(node, list):
            stack.extend(reversed([(None, v) for v in node]))


def _from_data(data: Any, text: str, place: Any) -> list[Found]:
    out: list[Found] = []
    cursor = 0
    where = shell.Positions(text)
    for key, value in _pairs(data):
        strict, generic = _key_kind(key)
        if not (strict or generic):
            continue
        values = (
            [value]
            if isinstance(value, str)
            else [v for v in value if isinstance(v, str)]
            if (isinstance(value, list) and strict)
            else []
        )
        for item in values:
            offset = place(text, key, item, cursor)
            if offset is None:
                offset = place(text, key, item, 0)
            line, col = where.at(offset) if offset is not None else (1, 1)
            cursor = offset + 1 if offset is not None else cursor
            kind = f"config:{key}"
            if "${" in item or "{{" in item:
                if not generic:
                    out.append(unresolved(line, col, item, kind, "a variable set at run time"))
                continue
            found = literal(line, col, item, kind, generic=not strict)
            if found is not None:
                out.append(found)
    return out


def _json_place(text: str, key: str, value: str, start: int) -> int | None:
    quoted = json.dumps(value, ensure_ascii=False)[1:-1]
    pattern = re.compile(r'"' + re.escape(key) + r'"\s*:\s*(?:\[[^\]]*?)?"(' + re.escape(quoted) + ')"')
    match = pattern.search(text, start)
    if match is None and quoted != json.dumps(value)[1:-1]:
        pattern = re.compile(
            r'"' + re.escape(key) + r'"\s*:\s*(?:\[[^\]]*?)?"(' + re.escape(json.dumps(value)[1:-1]) + ')"'
        )
        match = pattern.search(text, start)
    return match.start(1) if match else None


def _toml_place(text: str, key: str, value: str, start: int) -> int | None:
    pattern = re.compile(
        r'(?:^|[\s{,.])"?' + re.escape(key) + r'"?\s*=\s*(?:\[[^\]]*?)?["\']{1,3}(' + re.escape(value) + ")",
        re.MULTILINE,
    )
    match = pattern.search(text, start)
    return match.start(1) if match else None


# --- model cards ------------------------------------------------------------------------------


def find_card(text: str) -> tuple[list[Found], list[Problem]]:
    """A model card's YAML front matter: `base_model` names the model(s) it derives from."""
    if not text.startswith("---"):
        return [], []
    end = re.search(r"^(?:---|\.\.\.)\s*$", text[3:], re.MULTILINE)
    if end is None:
        return [], []
    front = text[: 3 + end.start()]
    lines = front.split("\n")
    try:
        root = yaml.compose(front[3:], Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return [], [
            Problem(line, col, f"model card front matter not read as YAML: {exc.problem or exc.context}")
        ]
    except (yaml.YAMLError, RecursionError, MemoryError):
        return [], [Problem(1, 1, "model card front matter not read as YAML")]
    if not isinstance(root, yaml.MappingNode):
        return [], []
    out: list[Found] = []
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "base_model":
            nodes = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for node in nodes:
                if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
                    item = _scalar_found(node, lines, str(node.value), "card:base_model")
                    if item is not None:
                        out.append(item)
    return out, []
