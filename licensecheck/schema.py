"""Validate plain data against the bundled JSON Schemas, reporting each error at its YAML position.

The schemas in `licensecheck/schemas/` are the contract (they are what `licensecheck schema`
prints and what editors use). Importing the `jsonschema` package costs over 100 ms, which is
too much for a pre-commit hook that runs on every commit, so the hot path uses this small
validator for the subset of JSON Schema the bundled schemas use. It refuses any keyword it
does not implement, and the test suite checks that it agrees with `jsonschema` on every sample,
golden case and rule pack.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from licensecheck.errors import did_you_mean

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

_ANNOTATIONS = {
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "$defs",
    "deprecated",
}
_SUPPORTED = _ANNOTATIONS | {
    "type",
    "properties",
    "required",
    "additionalProperties",
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
    "minProperties",
    "items",
    "uniqueItems",
    "anyOf",
    "oneOf",
    "$ref",
    "not",
}


class SchemaError(NamedTuple):
    """One place where data does not fit the schema."""

    path: tuple[Any, ...]
    message: str
    hint: str | None = None
    at_key: bool = False


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The bundled JSON Schema `name` (one of SCHEMA_NAMES)."""
    text = (Path(__file__).parent / "schemas" / f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    _check_supported(schema, "#")
    return schema


# JSON Schema's `pattern` is an ECMA-262 regex applied as a search, and Python's `$` (like the
# `jsonschema` package's re.search) also matches before a final newline: "DE\n" would pass
# `^[A-Z]{2}$`. An anchored pattern must end in `$(?!\n)`, which means "end of the string" in
# both dialects, so this validator, `jsonschema` and editors refuse the same values.
END_OF_STRING = "$(?!\\n)"


def _check_supported(schema: Any, where: str) -> None:
    if isinstance(schema, bool):
        return
    unknown = set(schema) - _SUPPORTED
    if unknown:
        raise ValueError(f"schema keyword(s) {sorted(unknown)} at {where} are not implemented")
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and "$" in pattern and not pattern.endswith(END_OF_STRING):
        raise ValueError(f"pattern at {where} must end with {END_OF_STRING}, not a bare $: {pattern}")
    for key in ("properties", "$defs"):
        for name, sub in schema.get(key, {}).items():
            _check_supported(sub, f"{where}/{key}/{name}")
    for key in ("items", "additionalProperties", "not"):
        if isinstance(schema.get(key), dict):
            _check_supported(schema[key], f"{where}/{key}")
    for key in ("anyOf", "oneOf"):
        for i, sub in enumerate(schema.get(key, [])):
            _check_supported(sub, f"{where}/{key}/{i}")


_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _type_ok(value: Any, kind: str) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if kind == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, (int, float))
    raise ValueError(f"unknown schema type {kind}")


def _describe(value: Any, ascii_only: bool = False) -> str:
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


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class _Validator:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref is supported, got {ref}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def errors(self, value: Any, schema: Any, path: tuple[Any, ...]) -> list[SchemaError]:
        if schema is True:
            return []
        if schema is False:
            return [SchemaError(path, "no value is allowed here")]
        if "$ref" in schema:
            referenced = self.errors(value, self.resolve(schema["$ref"]), path)
            if referenced:
                return referenced
        kind = schema.get("type")
        if kind is not None:
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(_type_ok(value, k) for k in kinds):
                wanted = " or ".join(_TYPE_NAMES[k] for k in kinds)
                return [SchemaError(path, f"expected {wanted}, got {_describe(value)}")]
        if "const" in schema and value != schema["const"]:
            return [SchemaError(path, f"must be {json.dumps(schema['const'])}")]
        if "enum" in schema and value not in schema["enum"]:
            choices = [c for c in schema["enum"] if isinstance(c, str)]
            hint = did_you_mean(value, choices) if isinstance(value, str) else None
            shown = ", ".join(json.dumps(c) for c in schema["enum"])
            return [SchemaError(path, f"{_describe(value)} is not one of: {shown}", hint)]
        found: list[SchemaError] = []
        if isinstance(value, str):
            found += self._string(value, schema, path)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            found += self._number(value, schema, path)
        elif isinstance(value, list):
            found += self._array(value, schema, path)
        elif isinstance(value, dict):
            found += self._object(value, schema, path)
        if found:
            return found
        for key in ("anyOf", "oneOf"):
            if key in schema:
                found += self._alternatives(value, schema, key, path)
        if "not" in schema and not self.errors(value, schema["not"], path):
            found.append(SchemaError(path, schema.get("description", "value is not allowed here")))
        return found

    def _string(self, value: str, schema: dict[str, Any], path: tuple[Any, ...]) -> list[SchemaError]:
        if "minLength" in schema and len(value) < schema["minLength"]:
            if schema["minLength"] == 1:
                return [SchemaError(path, "must not be empty")]
            return [SchemaError(path, f"must be at least {schema['minLength']} characters")]
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return [SchemaError(path, f"must be at most {schema['maxLength']:,} characters")]
        if "pattern" in schema and not _regex(schema["pattern"]).search(value):
            shown = _describe(value, ascii_only=True)
            if "title" in schema:
                return [SchemaError(path, f"{shown} is not {schema['title']}")]
            what = schema.get("description", f"must match {schema['pattern']}")
            return [SchemaError(path, f"{shown} is not valid here: {what}")]
        return []

    def _number(self, value: float, schema: dict[str, Any], path: tuple[Any, ...]) -> list[SchemaError]:
        if "minimum" in schema and value < schema["minimum"]:
            return [SchemaError(path, f"must be at least {schema['minimum']}, got {value}")]
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            return [SchemaError(path, f"must be greater than {schema['exclusiveMinimum']}, got {value}")]
        if "maximum" in schema and value > schema["maximum"]:
            return [
                SchemaError(
                    path,
                    f"must be at most {schema['maximum']:,}, got {value:,}",
                    "check the value: far beyond any real model or deployment",
                )
            ]
        return []

    def _array(self, value: list[Any], schema: dict[str, Any], path: tuple[Any, ...]) -> list[SchemaError]:
        if "minItems" in schema and len(value) < schema["minItems"]:
            return [SchemaError(path, f"must have at least {schema['minItems']} item(s)")]
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            return [SchemaError(path, f"must have at most {schema['maxItems']:,} items")]
        if schema.get("uniqueItems"):
            seen: list[Any] = []
            for i, item in enumerate(value):
                if item in seen:
                    return [SchemaError(path + (i,), f"{_describe(item)} is listed twice")]
                seen.append(item)
        found: list[SchemaError] = []
        if "items" in schema:
            for i, item in enumerate(value):
                found += self.errors(item, schema["items"], path + (i,))
                if found:
                    break
        return found

    def _object(
        self, value: dict[str, Any], schema: dict[str, Any], path: tuple[Any, ...]
    ) -> list[SchemaError]:
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        if extra is False:
            for key in value:
                if key not in props:
                    where = f" in '{_dotted(path)}'" if path else ""
                    hint = did_you_mean(key, list(props)) or (
                        "allowed keys: " + ", ".join(props) if props else None
                    )
                    return [SchemaError(path + (key,), f"unknown key '{key}'{where}", hint, at_key=True)]
        for key in schema.get("required", []):
            if key not in value:
                where = f"'{_dotted(path)}'" if path else "the document"
                return [SchemaError(path, f"{where} is missing the required key '{key}'")]
        if "minProperties" in schema and len(value) < schema["minProperties"]:
            return [SchemaError(path, "must not be empty")]
        found: list[SchemaError] = []
        for key, item in value.items():
            sub = props.get(key, extra if isinstance(extra, dict) else True)
            found += self.errors(item, sub, path + (key,))
            if found:
                break
        return found

    def _alternatives(
        self, value: Any, schema: dict[str, Any], key: str, path: tuple[Any, ...]
    ) -> list[SchemaError]:
        # A branch whose required keys are absent fails for certain: skip validating it, so a
        # condition meets only the branch it names (all/any/not/fact) instead of all four.
        unmet = SchemaError(path, "required key absent")
        results = [
            self.errors(value, sub, path)
            if not isinstance(value, dict) or all(k in value for k in self._required(sub))
            else [unmet]
            for sub in schema[key]
        ]
        passing = sum(1 for r in results if not r)
        if key == "anyOf" and passing >= 1:
            return []
        if key == "oneOf" and passing == 1:
            return []
        if key == "oneOf" and passing > 1:
            return [SchemaError(path, schema.get("description", "matches more than one allowed form"))]
        if isinstance(value, dict):
            # Report the branch the author evidently meant: the one whose required keys are given.
            meant = [
                found
                for sub, found in zip(schema[key], results)
                if found
                and found[0] is not unmet
                and self._type_fits(sub, value)
                and all(k in value for k in self._required(sub))
            ]
            if len(meant) == 1:
                return meant[0]
        needs = [self._required(sub) for sub in schema[key]]
        if all(needs) and all(set(sub) <= {"required"} for sub in schema[key]):
            forms = ", or ".join(" and ".join(f"`{k}`" for k in keys) for keys in needs)
            return [SchemaError(path, f"'{_dotted(path) or 'document'}' needs {forms}")]
        described = schema.get("description")
        if described:
            return [SchemaError(path, described)]
        return max(results, key=lambda r: len(r[0].path))[:1]

    def _type_fits(self, schema: Any, value: Any) -> bool:
        """Whether a branch accepts the value's type (a mapping is not meant for a string branch)."""
        if isinstance(schema, dict) and "$ref" in schema:
            schema = self.resolve(schema["$ref"])
        kind = schema.get("type") if isinstance(schema, dict) else None
        if kind is None:
            return True
        return any(_type_ok(value, k) for k in (kind if isinstance(kind, list) else [kind]))

    def _required(self, schema: Any) -> list[str]:
        if isinstance(schema, dict) and "$ref" in schema:
            schema = self.resolve(schema["$ref"])
        return list(schema.get("required", [])) if isinstance(schema, dict) else []


def _dotted(path: tuple[Any, ...]) -> str:
    from licensecheck.yamlsource import dotted

    return dotted(path)


def validate(data: Any, schema_name: str) -> list[SchemaError]:
    """All schema errors of `data` (the first per branch), empty when it is valid."""
    schema = load_schema(schema_name)
    return _Validator(schema).errors(data, schema, ())


# ------------------------------------------------------------------------------ fast acceptance

Predicate = Callable[[Any], bool]
_PREDICATE_KEYWORDS = _ANNOTATIONS | {
    "type",
    "enum",
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


def compile_predicate(schema: Any, root: dict[str, Any] | None = None) -> Predicate:
    """A fast yes/no test for a sub-schema, used to accept large files (a 10,000-model catalog).

    It answers True only when the value is valid; False means "run `validate` for the message".
    Schemas using keywords it does not know always answer False, so it never accepts wrongly.
    A local `$ref` is followed in `root` (the whole schema); without a root it answers False.
    """
    if schema is True:
        return lambda value: True
    if not isinstance(schema, dict) or set(schema) - _PREDICATE_KEYWORDS:
        return lambda value: False
    if "$ref" in schema:
        if root is None or not schema["$ref"].startswith("#/") or set(schema) - _ANNOTATIONS - {"$ref"}:
            return lambda value: False
        target: Any = root
        for part in schema["$ref"][2:].split("/"):
            target = target[part]
        return compile_predicate(target, root)
    kinds = schema.get("type")
    kind_list = (kinds if isinstance(kinds, list) else [kinds]) if kinds is not None else None
    # exact type() membership: bool is not int here, as in JSON Schema
    types = frozenset(t for k in kind_list for t in _PY_TYPES[k]) if kind_list is not None else None
    float_as_integer = kind_list is not None and "integer" in kind_list and "number" not in kind_list
    enum = schema.get("enum")
    regex = _regex(schema["pattern"]) if "pattern" in schema else None
    min_len, max_len = schema.get("minLength", 0), schema.get("maxLength")
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    above = schema.get("exclusiveMinimum")
    min_items, max_items = schema.get("minItems", 0), schema.get("maxItems")
    unique = bool(schema.get("uniqueItems"))
    item = compile_predicate(schema["items"], root) if "items" in schema else None
    is_object = bool({"properties", "required", "additionalProperties", "minProperties"} & set(schema))
    props = {k: compile_predicate(sub, root) for k, sub in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    extra_check = compile_predicate(extra, root) if extra is not False else None
    required = tuple(schema.get("required", ()))
    min_props = schema.get("minProperties", 0)

    def check(v: Any) -> bool:
        t = type(v)
        if types is not None and t not in types and not (float_as_integer and t is float and v.is_integer()):
            return False
        if enum is not None and v not in enum:
            return False
        if t is str:
            if len(v) < min_len or (max_len is not None and len(v) > max_len):
                return False
            return regex is None or regex.search(v) is not None
        if t is int or t is float:
            return (
                (minimum is None or v >= minimum)
                and (maximum is None or v <= maximum)
                and (above is None or v > above)
            )
        if t is list:
            if len(v) < min_items or (max_items is not None and len(v) > max_items):
                return False
            if unique and any(v.index(x) != i for i, x in enumerate(v)):
                return False
            return item is None or all(item(x) for x in v)
        if t is dict and is_object:
            if len(v) < min_props or any(k not in v for k in required):
                return False
            for key, value in v.items():
                sub = props.get(key, extra_check)
                if sub is None or not sub(value):
                    return False
        return True

    return check
