"""The bundled schemas: valid JSON Schemas, documented, and the one fast check agrees with jsonschema."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT, SAMPLES
from hypothesis import given
from hypothesis import strategies as st

from licensecheck.schema import SCHEMA_NAMES, load_schema, usecase_is_valid, validate

SCHEMA_DIR = ROOT / "licensecheck" / "schemas"


def _descriptions_everywhere(schema: Any, where: str) -> list[str]:
    missing = []
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            if isinstance(sub, dict) and "description" not in sub and "$ref" not in sub:
                missing.append(f"{where}/{name}")
        for key, value in schema.items():
            if isinstance(value, (dict, list)):
                missing += _descriptions_everywhere(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for i, item in enumerate(schema):
            missing += _descriptions_everywhere(item, f"{where}/{i}")
    return missing


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_valid_strict_and_documented(name: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert _descriptions_everywhere(schema, "#") == []
    assert load_schema(name) == schema


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


# Every sample, and one use case with the parts samples lack: lineage (names and inline facts,
# recursive), training data and waivers.
RICH = {
    "name": "rich",
    "model": {
        "name": "Acme 8B",
        "license": "apache-2.0",
        "modification": "fine-tune",
        "base_models": [
            "llama-3.1-8b-instruct",
            {"id": "acme/base", "license": "mit", "base_models": [{"id": "acme/root", "license": "mit"}]},
        ],
        "training_data": [{"name": "tickets", "license": "proprietary"}],
    },
    "waivers": [{"rule": "LLAMA31-MAU-*", "reason": "r", "approved_by": "a", "expires": "2030-01-01"}],
}
SAMPLE_USECASES = [_jsonable(yaml.safe_load(p.read_text())) for p in sorted(SAMPLES.glob("*.yaml"))] + [RICH]
USECASE_VALIDATOR = jsonschema.Draft202012Validator(load_schema("usecase"))
WRONG = (None, True, 0, -1, 1.5, 10**13, "", "x", "DE\n", "x" * 3000, [], ["x"], ["x", "x"], {}, {"id": "x"})


def _agrees(data: Any) -> None:
    valid = USECASE_VALIDATOR.is_valid(data)
    assert usecase_is_valid(data) is valid, data
    assert (validate(data, "usecase") == []) is valid, data  # our wording of the same errors


def test_the_fast_check_agrees_with_jsonschema_on_every_value_replaced() -> None:
    """Each value of each sample (at any depth) replaced by each of a set of wrong values."""
    checked = 0
    for data in SAMPLE_USECASES:
        assert usecase_is_valid(data)
        for path in _paths(data)[1:]:
            for wrong in WRONG:
                changed = copy.deepcopy(data)
                parent = changed
                for part in path[:-1]:
                    parent = parent[part]
                parent[path[-1]] = wrong
                _agrees(changed)
                checked += 1
            if isinstance(parent, dict):  # the key dropped, and an unknown key beside it
                dropped = {k: v for k, v in parent.items() if k != path[-1]}
                added = {**parent, "extra": 1}
                for variant in (dropped, added):
                    parent.clear()
                    parent.update(variant)
                    _agrees(changed)
    assert checked > 2000


_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**10), 10**13),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "DE", "DE\n", "de", "2024-06", "2024-13", "hosted-service", "x" * 3000, "llama3.1"]),
    st.text(max_size=5),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "x", "name"]), inner, max_size=2)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _paths(item, prefix + (i,))
    return out


@given(data=st.data())
def test_the_fast_check_agrees_with_jsonschema_on_mutated_use_cases(data: st.DataObject) -> None:
    """Any one value of a valid use case replaced (or a key dropped or added): same answer."""
    usecase = copy.deepcopy(data.draw(st.sampled_from(SAMPLE_USECASES)))
    path = data.draw(st.sampled_from(_paths(usecase)[1:]))
    parent = usecase
    for part in path[:-1]:
        parent = parent[part]
    action = data.draw(st.sampled_from(["replace", "drop", "add"]))
    if action == "replace":
        parent[path[-1]] = data.draw(_VALUES)
    elif action == "drop" and isinstance(parent, dict):
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[data.draw(st.sampled_from(["extra", "id", "license", "path", "base_models"]))] = data.draw(
            _VALUES
        )
    _agrees(usecase)


def test_errors_are_worded_and_every_one_is_reported() -> None:
    data = {**SAMPLE_USECASES[0], "organisation": {}, "use": {"distribution": "hosted", "comercial": True}}
    errors = validate(data, "usecase")
    assert sorted((e.path, e.message, e.hint) for e in errors) == [
        (("organisation",), "unknown key 'organisation'", "did you mean 'organization'?"),
        (("use", "comercial"), "unknown key 'comercial' in 'use'", "did you mean 'commercial'?"),
        (
            ("use", "distribution"),
            """the string 'hosted' is not one of: "hosted-service", "api", "on-premise", "on-device", "weights", "internal", "research\"""",
            "did you mean 'hosted-service'?",
        ),
    ]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_anchored_patterns_end_at_the_end_of_the_string(name: str) -> None:
    """`$` alone also matches before a final newline ("DE\\n"): an anchored pattern ends in $(?!\\n)."""
    from licensecheck.schema import END_OF_STRING

    patterns = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.append(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(load_schema(name))
    assert [p for p in patterns if "$" in p and not p.endswith(END_OF_STRING)] == []
