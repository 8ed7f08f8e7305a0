"""Hostile and broken input beyond use cases: rule packs, waivers, catalogs, pack tests, model folders.

Every case is one real process that must exit 2 with a located message (golden file), write no
report, print no traceback, and stay under CPU_LIMIT_S of CPU time (os.wait4; never wall time)
and MEMORY_LIMIT_MB: these are correctness bounds (a hang or a blow-up is a bug), not
benchmarks; benchmarks/hostile_input.py prints the worst numbers seen.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import GOLDEN, ROOT, check_golden, run_cli, run_cli_measured

CPU_LIMIT_S = 2.0  # CPU time of the child (os.wait4), not wall time: steady on a busy machine
MEMORY_LIMIT_MB = 300.0
BIG = 50 * 1024 * 1024

USECASE = b"name: ok\nmodel: {id: llama-3.1-8b-instruct}\nuse: {commercial: true, distribution: internal}\n"
MIT_PACK = (ROOT / "rules" / "licenses" / "mit.yaml").read_bytes()


def pack(rule: str = "", *, meta: str = "") -> bytes:
    """An organisation's pack with one rule; `rule` replaces or extends the rule's keys."""
    head = (
        "pack: {id: acme-policy, name: Acme policy, kind: policy, scope: every-model, version: '1',"
        " source: https://acme.example/policy" + meta + "}\n"
    )
    body = (
        "rules:\n  - id: ACME-NO-MILITARY\n    title: No military use\n    category: acceptable-use\n"
        "    outcome: violation\n    severity: error\n    confidence: P\n    clause: '§1'\n"
        "    message: Acme policy forbids this.\n"
    )
    if "when:" not in rule:
        body += "    when: {fact: use.domains, contains: military}\n"
    return (head + body + rule).encode()


def safetensors(header: bytes, length: int | None = None) -> bytes:
    return struct.pack("<Q", len(header) if length is None else length) + header


class Case(NamedTuple):
    files: dict[str, bytes]
    args: tuple[str, ...]
    setup: Callable[[Path], None] | None = None


def _symlink_loop(tmp: Path) -> None:
    (tmp / "own").mkdir(exist_ok=True)
    os.symlink("b.yaml", tmp / "own" / "a.yaml")
    os.symlink("a.yaml", tmp / "own" / "b.yaml")


def _fifo(name: str) -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(tmp / name)

    return make


def _big(name: str, prefix: bytes = b"", fill: bytes = b"a") -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        with open(tmp / name, "wb") as handle:
            handle.write(prefix)
            handle.truncate(BIG) if fill == b"\0" else handle.write(fill * (BIG - len(prefix)))

    return make


def _link(name: str, target: str) -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        os.symlink(target, tmp / name)

    return make


def _sparse_shard(tmp: Path) -> None:
    # a header that claims 90 MB (under the format's limit) in a sparse 100 MB file of zeros
    with open(tmp / "m" / "model.safetensors", "wb") as handle:
        handle.write(struct.pack("<Q", 90 * 1024 * 1024))
        handle.truncate(100 * 1024 * 1024)


RULES = ("evaluate", "uc.yaml", "--rules", "own", "--format", "json", "--output", "report.json")
WAIVERS = ("evaluate", "uc.yaml", "--waivers", "waivers.yaml", "--format", "json", "--output", "report.json")
CATALOG = ("evaluate", "uc.yaml", "--catalog", "cat", "--format", "json", "--output", "report.json")
MODEL = ("evaluate", "uc.yaml", "--model", "m", "--format", "json", "--output", "report.json")
TESTS = ("rules", "test", "own")
UC = {"uc.yaml": USECASE}
DEEP_CONDITION = "    when: " + "{not: " * 10_000 + "{fact: use.commercial, eq: true}" + "}" * 10_000 + "\n"
ALIAS_BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
)
VALID_WAIVER = (
    "{rule: LLAMA31-BUILT-WITH-LLAMA, reason: ok, approved_by: legal@acme.example, expires: 2030-01-01}"
)
CARD = b"---\nlicense: apache-2.0\n---\n# Acme 8B\n"
CONFIG = b'{"architectures": ["LlamaForCausalLM"], "max_position_embeddings": 8192}'
TEST_FILE = "licensecheck: 1\npack: acme-policy\nbase: {name: t, model: {id: phi-3-mini-4k-instruct}}\n"


def library(*conditions: str) -> bytes:
    """An organisation's library file (own/lib/) with these condition entries: 'NAME: CONDITION'."""
    entries = "".join(
        f"  - id: {name}\n    description: d\n    when: {when}\n"
        for name, when in (c.split(": ", 1) for c in conditions)
    )
    return f"library: {{name: Acme}}\nconditions:\n{entries}".encode()


USES_LIB = pack("    when: {use: acme-top}\n")
FAN_OUT = [f"acme-{i}: {{any: [{', '.join([f'{{use: acme-{i - 1}}}'] * 10)}]}}" for i in range(1, 12)]
CHAIN = [f"acme-{i}: {{not: {{use: acme-{i - 1}}}}}" for i in range(1, 100)]


def model_folder(**files: bytes) -> dict[str, bytes]:
    out = {"uc.yaml": USECASE, "m/README.md": CARD, "m/config.json": CONFIG}
    out.update({"m/" + name.replace("__", "."): data for name, data in files.items()})
    return out


CASES: dict[str, Case] = {
    # ------------------------------------------------------------------ rule packs (--rules DIR)
    "pack-broken-yaml": Case(UC | {"own/p.yaml": pack("    remedy: [unclosed\n")}, RULES),
    "pack-empty-file": Case(UC | {"own/p.yaml": b""}, RULES),
    "pack-binary": Case(UC | {"own/p.yaml": b"\x7fELF\x02\x01\x01\x00\x00\x00"}, RULES),
    "pack-utf16": Case(UC | {"own/p.yaml": pack().decode().encode("utf-16")}, RULES),
    "pack-latin1-bytes": Case(UC | {"own/p.yaml": pack() + b"    remedy: caf\xe9\n"}, RULES),
    "pack-unknown-key": Case(UC | {"own/p.yaml": pack("    remedies: Stop.\n")}, RULES),
    "pack-wrong-type": Case(UC | {"own/p.yaml": pack().replace(b"severity: error", b"severity: 5")}, RULES),
    "pack-duplicate-key": Case(UC | {"own/p.yaml": pack("    title: Again\n")}, RULES),
    "pack-duplicate-rule-id": Case(
        UC | {"own/p.yaml": pack() + b"  - " + pack().split(b"rules:\n  - ")[1].lstrip()}, RULES
    ),
    "pack-rule-id-of-bundled-pack": Case(
        UC | {"own/p.yaml": pack().replace(b"ACME-NO-MILITARY", b"MIT-KEEP-NOTICE")}, RULES
    ),
    "pack-duplicate-pack-id": Case(UC | {"own/mit.yaml": MIT_PACK.replace(b"MIT-KEEP", b"ACME-KEEP")}, RULES),
    "pack-unknown-operator": Case(
        UC | {"own/p.yaml": pack("    when: {fact: use.domains, has: military}\n")}, RULES
    ),
    "pack-unknown-fact": Case(
        UC | {"own/p.yaml": pack("    when: {fact: organization.monthly_users, gt: 5}\n")}, RULES
    ),
    "pack-unknown-placeholder": Case(
        UC | {"own/p.yaml": pack().replace(b"forbids this.", b"forbids {use.purpose_text}.")}, RULES
    ),
    "pack-catastrophic-regex": Case(
        UC | {"own/p.yaml": pack("    when: {fact: use.purpose, matches: '(a+)+$'}\n")}, RULES
    ),
    "pack-polynomial-regex": Case(
        UC | {"own/p.yaml": pack("    when: {fact: use.purpose, matches: 'a*a*a*a*a*a*b'}\n")}, RULES
    ),
    "pack-backreference": Case(
        UC | {"own/p.yaml": pack("    when: {fact: use.purpose, matches: '(ab)\\1'}\n")}, RULES
    ),
    "pack-invalid-regex": Case(
        UC | {"own/p.yaml": pack("    when: {fact: use.purpose, matches: '[a-'}\n")}, RULES
    ),
    "pack-nan-threshold": Case(
        UC | {"own/p.yaml": pack("    when: {fact: organization.monthly_active_users, gt: .nan}\n")}, RULES
    ),
    "pack-bad-date": Case(UC | {"own/p.yaml": pack(meta=", effective: 2024-13-40")}, RULES),
    "pack-unverified-violation": Case(
        UC | {"own/p.yaml": pack().replace(b"confidence: P", b"confidence: S")}, RULES
    ),
    "pack-python-tag": Case(
        UC | {"own/p.yaml": pack("    remedy: !!python/object/apply:os.system ['true']\n")}, RULES
    ),
    "pack-alias-bomb": Case(UC | {"own/p.yaml": ALIAS_BOMB.encode()}, RULES),
    "pack-deep-condition": Case(UC | {"own/p.yaml": pack(DEEP_CONDITION)}, RULES),
    "pack-not-a-pack": Case(UC | {"own/p.yaml": b"policies: []\n"}, RULES),
    "pack-50mb": Case(UC, RULES, _big("own/p.yaml", pack() + b"#")),
    "pack-symlink-loop": Case(UC | {"own/ok.yaml": pack()}, RULES, _symlink_loop),
    "pack-fifo": Case(UC | {"own/ok.yaml": pack()}, RULES, _fifo("own/z.yaml")),
    "rules-dir-is-a-file": Case(UC | {"own": pack()}, RULES),
    # ------------------------------------------------------------------ rule library (own/lib/)
    "library-unknown-key": Case(
        UC
        | {
            "own/p.yaml": USES_LIB,
            "own/lib/a.yaml": library("acme-top: {fact: use.commercial, eq: true}").replace(
                b"when:", b"wen:"
            ),
        },
        RULES,
    ),
    "library-not-a-library": Case(UC | {"own/p.yaml": pack(), "own/lib/a.yaml": pack()}, RULES),
    "library-python-tag": Case(
        UC | {"own/p.yaml": pack(), "own/lib/a.yaml": b"library: !!python/object/apply:os.system ['true']\n"},
        RULES,
    ),
    "library-alias-bomb": Case(UC | {"own/p.yaml": pack(), "own/lib/a.yaml": ALIAS_BOMB.encode()}, RULES),
    "library-50mb": Case(
        UC | {"own/p.yaml": pack()}, RULES, _big("own/lib/a.yaml", b"library: {name: a}\n#")
    ),
    "library-cycle": Case(
        UC
        | {
            "own/p.yaml": USES_LIB,
            "own/lib/a.yaml": library("acme-top: {all: [{use: acme-b}]}", "acme-b: {not: {use: acme-top}}"),
        },
        RULES,
    ),
    "library-unknown-reference": Case(
        UC | {"own/p.yaml": USES_LIB, "own/lib/a.yaml": library("acme-top: {any: [{use: tagged-militar}]}")},
        RULES,
    ),
    "library-unknown-fact": Case(
        UC | {"own/p.yaml": USES_LIB, "own/lib/a.yaml": library("acme-top: {fact: use.domain, contains: x}")},
        RULES,
    ),
    "library-reference-bomb": Case(
        UC
        | {
            "own/p.yaml": pack("    when: {use: acme-11}\n"),
            "own/lib/a.yaml": library("acme-0: {fact: use.commercial, eq: true}", *FAN_OUT),
        },
        RULES,
    ),
    "library-deep-chain": Case(
        UC
        | {
            "own/p.yaml": pack("    when: {use: acme-99}\n"),
            "own/lib/a.yaml": library("acme-0: {fact: use.commercial, eq: true}", *CHAIN),
        },
        RULES,
    ),
    "library-duplicate-of-bundled-entry": Case(
        UC
        | {
            "own/p.yaml": pack(),
            "own/lib/a.yaml": library("tagged-military: {fact: use.commercial, eq: true}"),
        },
        RULES,
    ),
    "pack-unknown-library-reference": Case(
        UC | {"own/p.yaml": pack("    when: {use: tagged-militry}\n")}, RULES
    ),
    "pack-library-phrase-list-as-condition": Case(
        UC | {"own/p.yaml": pack("    when: {all: [{use: defensive-context-phrases}]}\n")}, RULES
    ),
    "pack-library-reference-wrong-form": Case(
        UC
        | {"own/p.yaml": pack("    when: {fact: use.purpose, mentions: {use: minor-phrases, extra: 1}}\n")},
        RULES,
    ),
    # ------------------------------------------------------------------ waiver files (--waivers FILE)
    "waivers-empty": Case(UC | {"waivers.yaml": b""}, WAIVERS),
    "waivers-not-a-mapping": Case(UC | {"waivers.yaml": b"- rule: X\n"}, WAIVERS),
    "waivers-unknown-key": Case(
        UC | {"waivers.yaml": ("waivers: [" + VALID_WAIVER[:-1] + ", ticket: 5}]\n").encode()}, WAIVERS
    ),
    "waivers-missing-reason": Case(
        UC | {"waivers.yaml": b"waivers: [{rule: X-Y, approved_by: me, expires: 2030-01-01}]\n"}, WAIVERS
    ),
    "waivers-bad-date": Case(
        UC
        | {
            "waivers.yaml": ("waivers: [" + VALID_WAIVER.replace("2030-01-01", "2024-13-40") + "]\n").encode()
        },
        WAIVERS,
    ),
    "waivers-python-tag": Case(
        UC | {"waivers.yaml": b"waivers: !!python/object/new:os.system [true]\n"}, WAIVERS
    ),
    "waivers-binary": Case(UC | {"waivers.yaml": b"\x00\x01\x02waivers"}, WAIVERS),
    "waivers-is-a-directory": Case(UC | {"waivers.yaml/x": b""}, WAIVERS),
    "waivers-fifo": Case(UC, WAIVERS, _fifo("waivers.yaml")),
    "waivers-50mb-zeros": Case(UC, WAIVERS, _big("waivers.yaml", fill=b"\0")),
    # ------------------------------------------------------------------ catalogs (--catalog DIR, and in --rules)
    "catalog-broken-yaml": Case(UC | {"cat/c.yaml": b"catalog: {name: acme}\nmodels: [{id: x\n"}, CATALOG),
    "catalog-unknown-key": Case(
        UC
        | {
            "cat/c.yaml": b"catalog: {name: acme}\nmodels:\n  - {id: acme-1, name: A, license: mit, weights: open, modalities: [text], sources: {basics: ['https://acme.example']}, context: 5}\n"
        },
        CATALOG,
    ),
    "catalog-negative-parameters": Case(
        UC
        | {
            "cat/c.yaml": b"catalog: {name: acme}\nmodels:\n  - {id: acme-1, name: A, license: mit, weights: open, modalities: [text], sources: {basics: ['https://acme.example']}, parameters_b: -7}\n"
        },
        CATALOG,
    ),
    "catalog-infinite-price": Case(
        UC
        | {
            "cat/c.yaml": b"catalog: {name: acme}\nmodels:\n  - {id: acme-1, name: A, license: mit, weights: open, modalities: [text], sources: {basics: ['https://acme.example']}, price_input_per_mtok_usd: .inf}\n"
        },
        CATALOG,
    ),
    "catalog-duplicate-of-bundled-id": Case(
        UC
        | {
            "cat/c.yaml": b"catalog: {name: acme}\nmodels:\n  - {id: gpt-4o, name: A, license: mit, weights: open, modalities: [text], sources: {basics: ['https://acme.example']}}\n"
        },
        CATALOG,
    ),
    "catalog-json-invalid": Case(UC | {"cat/c.json": b'{"catalog": {"name": "acme"}, "models": [}'}, CATALOG),
    "catalog-json-nan": Case(
        UC
        | {
            "cat/c.json": b'{"catalog": {"name": "acme"}, "models": [{"id": "a", "name": "A", "license": "mit", "weights": "open", "modalities": ["text"], "sources": {"basics": ["https://acme.example"]}, "context_window": NaN}]}'
        },
        CATALOG,
    ),
    "catalog-json-deep": Case(UC | {"cat/c.json": b"[" * 100_000 + b"]" * 100_000}, CATALOG),
    "catalog-in-rules-python-tag": Case(
        UC | {"own/c.yaml": b"catalog: {name: acme}\nmodels: [!!python/name:os.system x]\n"}, RULES
    ),
    "catalog-dir-symlink-loop-and-bad-file": Case(
        UC | {"cat/c.yaml": b"catalog: 1\n"}, CATALOG, lambda t: os.symlink(".", t / "cat" / "loop")
    ),
    # ------------------------------------------------------------------ pack tests (rules test DIR)
    "tests-broken-yaml": Case(
        {"own/p.yaml": pack(), "own/p.tests.yaml": TEST_FILE.encode() + b"cases: [\n"}, TESTS
    ),
    "tests-unknown-key": Case(
        {
            "own/p.yaml": pack(),
            "own/p.tests.yaml": (
                TEST_FILE + "cases:\n  - {name: c, usecase: {}, fire: [ACME-NO-MILITARY]}\n"
            ).encode(),
        },
        TESTS,
    ),
    "tests-unknown-rule": Case(
        {
            "own/p.yaml": pack(),
            "own/p.tests.yaml": (
                TEST_FILE + "cases:\n  - {name: c, usecase: {}, fires: [ACME-NO-MILITRY]}\n"
            ).encode(),
        },
        TESTS,
    ),
    "tests-invalid-usecase": Case(
        {
            "own/p.yaml": pack(),
            "own/p.tests.yaml": (
                TEST_FILE
                + "cases:\n  - {name: c, usecase: {use: {domains: military}}, fires: [ACME-NO-MILITARY]}\n"
            ).encode(),
        },
        TESTS,
    ),
    "tests-python-tag": Case(
        {
            "own/p.yaml": pack(),
            "own/p.tests.yaml": (TEST_FILE + "cases: !!python/object/apply:os.system ['true']\n").encode(),
        },
        TESTS,
    ),
    # ------------------------------------------------------------------ model folders (--model DIR)
    "model-card-broken-yaml": Case(model_folder(README__md=b"---\nlicense: [apache-2.0\n---\n# x\n"), MODEL),
    "model-card-python-tag": Case(
        model_folder(README__md=b"---\nlicense: !!python/object/apply:os.system ['true']\n---\n"), MODEL
    ),
    "model-card-license-list": Case(
        model_folder(README__md=b"---\nlicense: [mit, apache-2.0]\n---\n"), MODEL
    ),
    "model-card-not-a-mapping": Case(model_folder(README__md=b"---\n- license\n---\n"), MODEL),
    "model-card-alias-bomb": Case(model_folder(README__md=b"---\n" + ALIAS_BOMB.encode() + b"---\n"), MODEL),
    "model-card-not-utf8": Case(model_folder(README__md=b"---\nlicense: mit\n---\n# Caf\xe9\n"), MODEL),
    "model-card-50mb": Case(model_folder(), MODEL, _big("m/README.md", b"---\nlicense: mit\n---\n")),
    "model-config-invalid-json": Case(
        model_folder(config__json=b'{"max_position_embeddings": 4096,}'), MODEL
    ),
    "model-config-not-an-object": Case(model_folder(config__json=b"[1, 2]"), MODEL),
    "model-config-deep-nesting": Case(
        model_folder(config__json=b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"), MODEL
    ),
    "model-config-binary": Case(model_folder(config__json=b"\x00\x00garbage"), MODEL),
    "model-safetensors-huge-header-length": Case(
        model_folder(model__safetensors=safetensors(b"{}", 2**63)), MODEL
    ),
    "model-safetensors-sparse-90mb-header": Case(model_folder(), MODEL, _sparse_shard),
    "model-safetensors-garbage-header": Case(
        model_folder(model__safetensors=safetensors(b"\xff\xfe{not json")), MODEL
    ),
    "model-safetensors-bad-shape": Case(
        model_folder(
            model__safetensors=safetensors(
                b'{"w": {"dtype": "F16", "shape": [-1, 5], "data_offsets": [0, 0]}}'
            )
        ),
        MODEL,
    ),
    "model-safetensors-truncated": Case(model_folder(model__safetensors=b"\x01\x02"), MODEL),
    "model-index-outside-folder": Case(
        model_folder(
            model__safetensors__index__json=json.dumps({"weight_map": {"w": "../../etc/passwd"}}).encode()
        ),
        MODEL,
    ),
    "model-index-absolute-path": Case(
        model_folder(
            model__safetensors__index__json=json.dumps({"weight_map": {"w": "/etc/passwd"}}).encode()
        ),
        MODEL,
    ),
    "model-index-not-a-map": Case(
        model_folder(model__safetensors__index__json=b'{"weight_map": ["a"]}'), MODEL
    ),
    "model-folder-is-a-file": Case(UC | {"m": CARD}, MODEL),
    # issue 11: bounded headers, files only inside the folder, base models only inside the repository
    "model-safetensors-100000-dimensions": Case(
        model_folder(model__safetensors=safetensors(json.dumps({"w": {"shape": [2] * 100_000}}).encode())),
        MODEL,
    ),
    "model-safetensors-300-digit-dimension": Case(
        model_folder(model__safetensors=safetensors(b'{"w": {"shape": [' + b"9" * 300 + b"]}}")), MODEL
    ),
    "model-safetensors-5000-digit-dimension": Case(
        model_folder(model__safetensors=safetensors(b'{"w": {"shape": [' + b"7" * 5000 + b"]}}")), MODEL
    ),
    "model-safetensors-elements-overflow": Case(
        model_folder(model__safetensors=safetensors(b'{"w": {"shape": [4611686018427387904, 64, 64]}}')),
        MODEL,
    ),
    "model-safetensors-infinite-float": Case(
        model_folder(model__safetensors=safetensors(b'{"__metadata__": {"x": 1e999}, "w": {"shape": [1]}}')),
        MODEL,
    ),
    "model-safetensors-headers-over-25mb-together": Case(
        model_folder(
            **{
                f"model-{i}-of-3__safetensors": safetensors(
                    b'{"__metadata__": {"x": "' + b"a" * (9 * 1024 * 1024) + b'"}, "w": {"shape": [1]}}'
                )
                for i in range(3)
            }
        ),
        MODEL,
    ),
    "model-safetensors-symlink-to-etc-passwd": Case(
        model_folder(), MODEL, _link("m/model.safetensors", "/etc/passwd")
    ),
    "model-shard-in-index-symlink-outside": Case(
        model_folder(model__safetensors__index__json=b'{"weight_map": {"w": "a.safetensors"}}')
        | {"outside.bin": safetensors(b'{"w": {"shape": [1]}}')},
        MODEL,
        _link("m/a.safetensors", "../outside.bin"),
    ),
    "model-card-symlink-outside": Case(
        {"uc.yaml": USECASE, "m/config.json": CONFIG, "secret.md": CARD},
        MODEL,
        _link("m/README.md", "../secret.md"),
    ),
    "model-config-symlink-outside": Case(
        {"uc.yaml": USECASE, "m/README.md": CARD}, MODEL, _link("m/config.json", "/etc/hostname")
    ),
    "model-config-is-a-fifo": Case({"uc.yaml": USECASE, "m/README.md": CARD}, MODEL, _fifo("m/config.json")),
    "model-config-huge-integer": Case(
        model_folder(config__json=b'{"max_position_embeddings": ' + b"8" * 5000 + b"}"), MODEL
    ),
    "model-card-base-model-absolute": Case(
        model_folder(README__md=b"---\nlicense: apache-2.0\nbase_model: /etc\n---\n"), MODEL
    ),
    "model-card-base-model-home": Case(
        model_folder(README__md=b"---\nlicense: apache-2.0\nbase_model: ~/.ssh\n---\n"), MODEL
    ),
    "model-card-base-model-outside": Case(
        model_folder(README__md=b"---\nlicense: apache-2.0\nbase_model: [../../../../../../../etc]\n---\n"),
        MODEL,
    ),
    "model-card-base-model-dotdot-in-repo-id": Case(
        model_folder(
            README__md=b"---\nlicense: apache-2.0\nbase_model: org/../../../../../../../../etc\n---\n"
        ),
        MODEL,
    ),
    "model-card-base-model-symlink-outside": Case(
        model_folder(README__md=b"---\nlicense: apache-2.0\nbase_model: ./up/etc\n---\n"),
        MODEL,
        _link("m/up", "/"),
    ),
    "model-card-33-bases": Case(
        model_folder(
            README__md=(
                "---\nlicense: apache-2.0\nbase_model: ["
                + ", ".join(f"b{i}/x" for i in range(33))
                + "]\n---\n"
            ).encode()
        ),
        MODEL,
    ),
    "catalog-json-huge-integer": Case(
        UC
        | {
            "cat/c.json": b'{"catalog": {"name": "acme"}, "models": [{"id": "a", "context_window": '
            + b"1" * 4400
            + b"}]}"
        },
        CATALOG,
    ),
    "catalog-json-float-overflow": Case(
        UC | {"cat/c.json": b'{"catalog": {"name": "acme"}, "models": [{"id": "a", "parameters_b": 1e400}]}'},
        CATALOG,
    ),
    "catalog-yaml-huge-hex-integer": Case(
        UC
        | {
            "cat/c.yaml": b"catalog: {name: acme}\nmodels: [{id: a, context_window: 0x"
            + b"f" * 5000
            + b"}]\n"
        },
        CATALOG,
    ),
    "catalog-price-too-large": Case(
        UC
        | {
            "cat/c.yaml": b"catalog: {name: acme}\nmodels:\n  - {id: acme-1, name: A, license: mit, weights: open, modalities: [text], sources: {basics: ['https://acme.example']}, price_input_per_mtok_usd: 1.0e+308}\n"
        },
        CATALOG,
    ),
    "pack-huge-integer-threshold": Case(
        UC
        | {
            "own/p.yaml": pack(
                "    when: {fact: organization.monthly_active_users, gt: " + "9" * 4400 + "}\n"
            )
        },
        RULES,
    ),
    "waivers-huge-integer": Case(UC | {"waivers.yaml": b"waivers: " + b"1" * 5000 + b"\n"}, WAIVERS),
}


def _materialise(case: Case, tmp: Path) -> None:
    for name, data in case.files.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if case.setup is not None:
        case.setup(tmp)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_gives_a_located_message_exit_2_fast_and_small(
    name: str, tmp_path: Path, update_golden: bool
) -> None:
    case = CASES[name]
    _materialise(case, tmp_path)
    result = run_cli(*case.args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "report.json").exists(), "no report may be written on invalid input"
    assert ": error: " in result.stderr.splitlines()[0]
    check_golden(GOLDEN / "hostile" / f"{name}.txt", result.stderr, update_golden)


# The cases built to exhaust time or memory run in a process of their own, with budgets on its
# CPU time and peak memory (os.wait4: steady on a busy machine, unlike the wall clock).
HEAVY = ("bomb", "50mb", "deep", "huge", "sparse", "too-long", "100000", "digit", "bases", "over-25mb")


@pytest.mark.parametrize("name", sorted(n for n in CASES if any(word in n for word in HEAVY)))
def test_hostile_input_is_refused_within_cpu_and_memory_budgets(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    _materialise(case, tmp_path)
    result = run_cli_measured(*case.args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.cpu_seconds < CPU_LIMIT_S, f"{result.cpu_seconds:.2f} s of CPU"
    assert result.max_rss_mb < MEMORY_LIMIT_MB, f"{result.max_rss_mb:.0f} MB"
