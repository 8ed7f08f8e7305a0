"""The bundled schemas: valid JSON Schemas, and the fast validator agrees with jsonschema on real data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT, SAMPLES
from test_input_errors import CASES

from licensecheck.schema import SCHEMA_NAMES, load_schema, validate

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


def _documents() -> list[tuple[str, Any]]:
    docs: list[tuple[str, Any]] = [
        ("usecase", yaml.safe_load(p.read_text())) for p in sorted(SAMPLES.glob("*.yaml"))
    ]
    for name, raw in CASES.items():
        try:
            data = yaml.safe_load(raw)
        except Exception:
            continue
        if isinstance(data, dict) and name not in ("nan", "infinity", "alias-bomb", "python-tag"):
            docs.append(("usecase", data))
    for path in sorted((ROOT / "rules").rglob("*.y*ml")):
        data = yaml.safe_load(path.read_text())
        if path.name.endswith(".tests.yaml"):
            kind = "ruletests"
        else:
            kinds = ("catalog", "gpus", "library")
            kind = next((k for k in kinds if k in data), "rules")
        docs.append((kind, data))
    # mutations: each top-level value replaced by a wrong type
    for kind, data in list(docs):
        if isinstance(data, dict):
            for key in list(data)[:6]:
                docs.append((kind, {**data, key: 12345}))
                docs.append((kind, {**data, key: "text"}))
    return docs


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def test_fast_validator_agrees_with_jsonschema() -> None:
    checked = 0
    for kind, data in _documents():
        data = _jsonable(data)
        ours = validate(data, kind)
        theirs = list(jsonschema.Draft202012Validator(load_schema(kind)).iter_errors(data))
        assert bool(ours) == bool(theirs), (kind, data, ours, [e.message for e in theirs])
        checked += 1
    assert checked > 100


def test_validator_refuses_unimplemented_keywords(tmp_path: Path) -> None:
    from licensecheck.schema import _check_supported

    with pytest.raises(ValueError, match="not implemented"):
        _check_supported({"type": "object", "patternProperties": {}}, "#")
