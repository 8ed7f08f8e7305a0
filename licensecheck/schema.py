"""Validate plain data against the bundled JSON Schemas with `jsonschema`, and one fast check.

The schemas in `licensecheck/schemas/` are the contract (what `licensecheck schema` prints and
editors use). Validation is the `jsonschema` package's, with its errors worded for people
(`unknown key 'containz'`, a "did you mean" hint) and located by the caller (Document.check).
Importing `jsonschema` costs over 100 ms, so the one hot check, "is this use case valid?", is a
small compiled predicate (`usecase_is_valid`) that answers yes only for data `jsonschema`
accepts (a test checks it on every sample, error case and generated use case); any other
answer runs `jsonschema` for the messages.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from licensecheck.errors import did_you_mean
from licensecheck.records import NamedTuple

SCHEMA_NAMES = (
    "usecase",
    "rules",
    "report",
    "catalog",
    "gpus",
    "waivers",
    "ruletests",
    "library",
    "scan",
    "inventory",
)
MAX_ERRORS = 20  # per document: enough to fix a file in one go, not a wall of text
# JSON Schema's `pattern` is an ECMA-262 regex applied as a search, and Python's `$` (like the
# `jsonschema` package's re.search) also matches before a final newline: "DE\n" would pass
# `^[A-Z]{2}$`. An anchored pattern must end in `$(?!\n)`, which means "end of the string" in
# both dialects, so `jsonschema`, the fast check and editors refuse the same values (a test
# checks every bundled pattern).
END_OF_STRING = "$(?!\\n)"


class SchemaError(NamedTuple):
    """One place where data does not fit the schema."""

    path: tuple[Any, ...]
    message: str
    hint: str | None = None
    at_key: bool = False
    vague: bool = False  # "needs one of these forms": dropped when a more precise error is found


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The bundled JSON Schema `name` (usecase, rules, report, catalog, waivers, ruletests).

    Kept parsed in the cache (licensecheck.cache), so the hot path does not even import json.
    """
    from licensecheck import cache as disk

    key = disk.stamp([])
    stored = disk.load(f"schema-{name}", key) if key is not None else None
    if stored:
        return stored[0]  # type: ignore[no-any-return]
    import json

    schema: dict[str, Any] = json.loads(schema_text(name))
    if key is not None:
        disk.store(f"schema-{name}", key, [schema])
    return schema


def schema_text(name: str) -> str:
    """A bundled JSON Schema as its file holds it (what `licensecheck schema NAME` prints)."""
    with open(
        os.path.join(os.path.dirname(__file__), "schemas", f"{name}.schema.json"), encoding="utf-8"
    ) as f:
        return f.read()


@cache
def _validator(name: str) -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(load_schema(name))


def validate(
    data: Any, name: str, moved: tuple[tuple[Any, ...], tuple[Any, ...]] | None = None
) -> list[SchemaError]:
    """Every schema error of `data` (at most MAX_ERRORS), each worded for people; empty when valid.

    `moved` = (at, really): a part validated alone at path `at` stands for the part at `really`
    (an entry of a long list checked by itself), and its errors' paths and messages name that."""
    found: dict[tuple[Any, ...], SchemaError] = {}  # one message per place: the first found
    root = load_schema(name)
    for error in _validator(name).iter_errors(data):
        if moved is not None and tuple(error.path)[: len(moved[0])] == moved[0]:
            for k, part in enumerate(moved[1]):  # the error's own path: its context follows it
                error.path[k] = part
        for explained in _explain(error, root):
            found.setdefault(explained.path, explained)
        if len(found) >= MAX_ERRORS:
            break
    precise = [e.path for e in found.values() if not e.vague]
    return [e for e in found.values() if not (e.vague and any(p[: len(e.path)] == e.path for p in precise))][
        :MAX_ERRORS
    ]


# ------------------------------------------------------------------------------ messages

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def describe(value: Any, ascii_only: bool = False) -> str:
    """A value as a message names it: `the string 'x'`, `the number 5`, `a mapping`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string '{visible(shown, ascii_only)}'"
    return f"the number {value}"


def visible(text: str, ascii_only: bool = False) -> str:
    """`text` with invisible characters (newline, zero-width, bidi controls) written as escapes,
    and with `ascii_only` every non-ASCII character too: a look-alike must not hide in a message."""
    out = []
    for char in text:
        if char == "\\" or not char.isprintable() or (ascii_only and not char.isascii()):
            escaped = char.encode("unicode_escape").decode("ascii")
            out.append(escaped if escaped != char else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def _dotted(path: tuple[Any, ...]) -> str:
    from licensecheck.document import dotted

    return dotted(path)


def _explain(error: Any, root: dict[str, Any]) -> Iterator[SchemaError]:
    """One jsonschema error as the messages people read (a oneOf error as the branch they meant)."""
    path = tuple(error.absolute_path)
    kind, schema, value = error.validator, error.schema, error.instance
    if kind == "additionalProperties":
        props = list(schema.get("properties", {}))
        for key in value:
            if key not in props:
                where = f" in '{_dotted(path)}'" if path else ""
                hint = did_you_mean(key, props) or ("allowed keys: " + ", ".join(props) if props else None)
                yield SchemaError(path + (key,), f"unknown key '{key}'{where}", hint, at_key=True)
    elif kind == "required":
        where = f"'{_dotted(path)}'" if path else "the document"
        for key in error.validator_value:
            if isinstance(value, dict) and key not in value:
                yield SchemaError(path, f"{where} is missing the required key '{key}'")
    elif kind == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wanted = " or ".join(_TYPE_NAMES[k] for k in kinds)
        yield SchemaError(path, f"expected {wanted}, got {describe(value)}")
    elif kind == "enum":
        choices = [c for c in error.validator_value if isinstance(c, str)]
        hint = did_you_mean(value, choices) if isinstance(value, str) else None
        shown = ", ".join(_json(c) for c in error.validator_value)
        yield SchemaError(path, f"{describe(value)} is not one of: {shown}", hint)
    elif kind == "const":
        yield SchemaError(path, f"must be {_json(error.validator_value)}")
    elif kind == "pattern":
        shown = describe(value, ascii_only=True)
        if "title" in schema:
            yield SchemaError(path, f"{shown} is not {schema['title']}")
        else:
            what = schema.get("description", f"must match {error.validator_value}")
            yield SchemaError(path, f"{shown} is not valid here: {what}")
    elif kind in ("oneOf", "anyOf"):
        yield from _alternatives(error, path, root)
    elif kind == "maximum":
        yield SchemaError(
            path,
            f"must be at most {error.validator_value:,}, got {error.instance:,}",
            "check the value: far beyond any real model or deployment",
        )
    else:
        yield SchemaError(path, _MESSAGES.get(kind, _library_message)(error))


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


def _library_message(error: Any) -> str:
    return str(error.message)


_MESSAGES: dict[str, Callable[[Any], str]] = {
    "minLength": lambda e: (
        "must not be empty" if e.validator_value == 1 else f"must be at least {e.validator_value} characters"
    ),
    "maxLength": lambda e: f"must be at most {e.validator_value:,} characters",
    "minimum": lambda e: f"must be at least {e.validator_value}, got {e.instance}",
    "exclusiveMinimum": lambda e: f"must be greater than {e.validator_value}, got {e.instance}",
    "minItems": lambda e: f"must have at least {e.validator_value} item(s)",
    "maxItems": lambda e: f"must have at most {e.validator_value:,} items",
    "uniqueItems": lambda e: f"{describe(_first_repeat(e.instance))} is listed twice",
    "minProperties": lambda e: "must not be empty",
    "not": lambda e: str(e.schema.get("description", "value is not allowed here")),
}


def _first_repeat(items: list[Any]) -> Any:
    seen: list[Any] = []
    for item in items:
        if item in seen:
            return item
        seen.append(item)
    return None


def _alternatives(error: Any, path: tuple[Any, ...], root: dict[str, Any]) -> Iterator[SchemaError]:
    """A value that fits none (or, for oneOf, several) of the allowed forms: say what was meant."""
    branches = [_resolve(b, root) for b in error.validator_value]
    value = error.instance
    by_branch: dict[int, list[Any]] = {}
    for sub in error.context:
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    if error.validator == "oneOf" and len(by_branch) < len(branches) - 1:
        yield SchemaError(path, error.schema.get("description", "matches more than one allowed form"))
        return
    if isinstance(value, dict):
        # The branch the author evidently meant: its type fits and its required keys are given.
        meant = [
            i
            for i in by_branch
            if _type_fits(branches[i], value) and all(k in value for k in branches[i].get("required", []))
        ]
        if len(meant) == 1:
            for sub in by_branch[meant[0]]:
                yield from _explain(sub, root)
            return
    needs = [b.get("required", []) for b in branches]
    if all(needs) and all(set(b) <= {"required"} for b in branches):
        forms = ", or ".join(" and ".join(f"`{k}`" for k in keys) for keys in needs)
        yield SchemaError(path, f"'{_dotted(path) or 'document'}' needs {forms}", vague=True)
    elif "description" in error.schema:
        yield SchemaError(path, error.schema["description"], vague=True)
    else:
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        yield from _explain(deepest, root)


def _resolve(schema: Any, root: dict[str, Any]) -> dict[str, Any]:
    """A branch with its local $ref followed to the schema it names."""
    while isinstance(schema, dict) and "$ref" in schema and schema["$ref"].startswith("#/"):
        node: Any = root
        for part in schema["$ref"][2:].split("/"):
            node = node[part]
        schema = node
    return schema if isinstance(schema, dict) else {}


def _type_fits(schema: dict[str, Any], value: Any) -> bool:
    kind = schema.get("type")
    if kind is None:
        return True
    kinds = kind if isinstance(kind, list) else [kind]
    return any(type(value) in _PY_TYPES[k] for k in kinds)


# ------------------------------------------------------------------------------ the fast check

Predicate = Callable[[Any], bool]
_ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "default", "examples", "$defs"}
_PREDICATE_KEYWORDS = _ANNOTATIONS | {
    "type",
    "enum",
    "const",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "anyOf",
    "oneOf",
    "$ref",
}
_PY_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
    "number": (int, float),
    "integer": (int,),
}


def usecase_is_valid(data: Any) -> bool:
    """True only for a use case `jsonschema` accepts; False means "validate it for the messages"."""
    return _usecase_predicate()(data)


@cache
def _usecase_predicate() -> Predicate:
    return compile_predicate(load_schema("usecase"))


def compile_predicate(schema: Any, root: Any = None) -> Predicate:
    """A fast yes/no test for a (sub-)schema: True only when `jsonschema` would accept the value.

    Schemas using a keyword it does not know always answer False, so it never accepts wrongly.
    """
    root = schema if root is None else root
    refs: dict[str, Predicate] = {}

    def compiled(node: Any) -> Predicate:
        if node is True:
            return _always
        if not isinstance(node, dict) or set(node) - _PREDICATE_KEYWORDS:
            return _never
        if "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/") or set(node) - _ANNOTATIONS - {"$ref"}:
                return _never
            if ref not in refs:
                target: Any = root
                for part in ref[2:].split("/"):
                    target = target[part]
                refs[ref] = _never  # a recursive reference meets itself through the cell below
                cell: list[Predicate] = []
                refs[ref] = lambda value: cell[0](value)
                cell.append(compiled(target))
            return refs[ref]
        return _compile_node(node, deferred)

    def deferred(node: Any) -> Predicate:
        """A sub-schema compiled when a value first meets it: a use case has few of the schema's
        optional parts, and compiling all of it cost every start some 2 ms."""
        if node is True:
            return _always
        cell: list[Predicate] = []

        def check(value: Any) -> bool:
            if not cell:  # a race compiles the same predicate twice
                cell.append(compiled(node))
            return cell[0](value)

        return check

    return compiled(schema)


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _compile_node(schema: dict[str, Any], compiled: Callable[[Any], Predicate]) -> Predicate:
    kinds = schema.get("type")
    kind_list = (kinds if isinstance(kinds, list) else [kinds]) if kinds is not None else None
    # exact type() membership: bool is not int here, as in JSON Schema
    types = frozenset(t for k in kind_list for t in _PY_TYPES[k]) if kind_list is not None else None
    float_as_integer = kind_list is not None and "integer" in kind_list and "number" not in kind_list
    enum = schema.get("enum")
    has_const, const = "const" in schema, schema.get("const")
    pattern = schema.get("pattern")  # compiled on first use: most patterns never meet a value
    min_len, max_len = schema.get("minLength", 0), schema.get("maxLength")
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    above = schema.get("exclusiveMinimum")
    min_items, max_items = schema.get("minItems", 0), schema.get("maxItems")
    unique = bool(schema.get("uniqueItems"))
    item = compiled(schema["items"]) if "items" in schema else None
    props = {k: compiled(sub) for k, sub in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    extra_check = compiled(extra) if extra is not False else None
    required = tuple(schema.get("required", ()))
    min_props = schema.get("minProperties", 0)
    any_of = [compiled(sub) for sub in schema.get("anyOf", ())]
    one_of = [compiled(sub) for sub in schema.get("oneOf", ())]

    def check(v: Any) -> bool:
        t = type(v)
        if types is not None and t not in types and not (float_as_integer and t is float and v.is_integer()):
            return False
        if enum is not None and not any(_same(v, e) for e in enum):
            return False
        if has_const and not _same(v, const):
            return False
        if t is str:
            if len(v) < min_len or (max_len is not None and len(v) > max_len):
                return False
            if pattern is not None and _regex(pattern).search(v) is None:
                return False
        elif t is int or t is float:
            if (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
                return False
            if above is not None and v <= above:
                return False
        elif t is list:
            if len(v) < min_items or (max_items is not None and len(v) > max_items):
                return False
            if unique and any(_same(x, y) for i, x in enumerate(v) for y in v[i + 1 :]):
                return False
            if item is not None and not all(item(x) for x in v):
                return False
        elif t is dict:
            if len(v) < min_props or any(k not in v for k in required):
                return False
            for key, value in v.items():
                sub = props.get(key, extra_check)
                if sub is None or not sub(value):
                    return False
        if any_of and not any(p(v) for p in any_of):
            return False
        return not one_of or sum(1 for p in one_of if p(v)) == 1

    return check


def _same(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, and 1.0 is 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)
