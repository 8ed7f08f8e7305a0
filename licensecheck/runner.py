"""Wiring between files and the engine: load rules, catalog, use cases and waivers, evaluate them."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, NamedTuple

from licensecheck import __version__, cache
from licensecheck.catalog import MAX_JSON_BYTES, Catalog, build_catalog, check_catalog, load_catalog_file
from licensecheck.engine import evaluate, waiver_in_scope
from licensecheck.errors import InputError
from licensecheck.gpus import GpuTable, build_gpu_table
from licensecheck.model import Report, UseCaseReport, Waiver
from licensecheck.packs import RuleSet, bundled_rules_dir, files_below, load_rules, yaml_files
from licensecheck.schema import validate, visible
from licensecheck.usecase import (
    UseCase,
    check_date,
    read_usecase,
    read_usecase_bytes,
    resolve_model,
    waiver_hint,
)
from licensecheck.yamlsource import Document, parse_yaml, read_text


class Context(NamedTuple):
    """What every command needs: rules, catalog and GPU table, loaded once."""

    ruleset: RuleSet
    catalog: Catalog
    gpus: GpuTable = GpuTable()


def load_context(
    extra_rules: tuple[str, ...] = (), catalogs: tuple[str, ...] = (), bundled: bool = True
) -> Context:
    """Load the bundled rules (unless `bundled` is false) plus `extra_rules`, and the catalogs."""
    dirs = ([bundled_rules_dir()] if bundled else []) + [Path(d) for d in extra_rules]
    ruleset = load_rules(dirs)
    docs = list(ruleset.catalog_files)
    validated = set(ruleset.validated_catalogs)
    for directory in catalogs:
        path = Path(directory)
        if not os.path.isdir(path):
            raise InputError(directory, None, None, "catalog directory not found")
        files = yaml_files(path) + sorted(files_below(path, (".json",)))
        if not files:
            raise InputError(directory, None, None, "no *.yaml or *.json catalog files in this folder")
        for file in files:
            doc = load_catalog_file(str(file), os.path.relpath(file))
            # A catalog file that passed validation before, unchanged, need not be walked again
            # (an organisation's inventory of thousands of models): the cache keeps a marker.
            key = cache.stamp([os.path.realpath(file)], MAX_JSON_BYTES)
            if key is not None and cache.load("catalog-valid", key) == [doc.name]:
                validated.add(doc.name)
            else:
                check_catalog(doc)
                validated.add(doc.name)
                if key is not None:
                    cache.store("catalog-valid", key, [doc.name])
            docs.append(doc)
    gpus = build_gpu_table(ruleset.gpu_files, ruleset.validated_catalogs)
    return Context(ruleset, build_catalog(docs, validated), gpus)


def expand_inputs(inputs: tuple[str, ...]) -> list[str]:
    """Files as given, directories expanded to their *.yaml / *.yml files, '-' kept for stdin."""
    files: list[str] = []
    for item in inputs:
        if item == "-":
            files.append(item)
            continue
        path = Path(item)
        if os.path.isdir(path):  # not Path.is_dir: it raises on a name too long to look up
            found = [str(p) for p in yaml_files(path) if not p.name.endswith((".tests.yaml", ".tests.yml"))]
            if not found:
                raise InputError(item, None, None, "no *.yaml or *.yml use-case files in this folder")
            files.extend(found)
        else:
            files.append(item)
    return files


def load_waivers(path: str, ruleset: RuleSet | None = None, allow_broad: bool = False) -> tuple[Waiver, ...]:
    """A shared waivers file; with `ruleset`, a pattern too broad for it is refused (see waivers_from)."""
    doc = parse_yaml(
        read_text(path), path, "a waivers file holds `waivers:`; see `licensecheck schema waivers`"
    )
    if not isinstance(doc.data, dict):
        raise doc.error(
            (),
            "a waivers file must be a mapping with `waivers:`",
            "see `licensecheck schema usecase` ($defs/waiver)",
        )
    errors = validate(doc.data, "waivers")
    if errors:
        first = errors[0]
        raise doc.error(first.path, first.message, first.hint or waiver_hint(first.path), first.at_key)
    return waivers_from(doc, ("waivers",), doc.data["waivers"], ruleset, allow_broad)


def waivers_from(
    doc: Document,
    base: tuple[Any, ...],
    items: list[dict[str, Any]],
    ruleset: RuleSet | None = None,
    allow_broad: bool = False,
) -> tuple[Waiver, ...]:
    """The waivers at `base` in `doc`. With `ruleset`, a glob that names no pack or rule prefix,
    or that matches rules of several packs, is refused unless `allow_broad` (a waiver lifts a
    finding from the verdict: `*` in a pull request would lift every one)."""
    out = []
    for i, item in enumerate(items):
        check_date(doc, base + (i, "expires"), item["expires"])
        if ruleset is not None and not allow_broad:
            check_waiver_breadth(doc, base + (i, "rule"), item["rule"], ruleset)
        line, _ = doc.where(base + (i,))
        out.append(
            Waiver(
                rule=item["rule"],
                reason=item["reason"],
                approved_by=item["approved_by"],
                expires=item["expires"],
                usecase=item.get("usecase"),
                model=item.get("model"),
                license_version=item.get("license_version"),
                origin=f"{doc.name}:{line}",
                line=line,
                file=doc.name,
            )
        )
    return tuple(out)


GLOB_CHARACTERS = "*?["


def check_waiver_breadth(doc: Document, path: tuple[Any, ...], pattern: str, ruleset: RuleSet) -> None:
    """A waiver's glob must start with a rule-id prefix up to a '-' (a pack's ids, e.g. LLAMA31-)
    and match rules of one pack at most; an exact rule id is always fine."""
    cut = min((pattern.index(c) for c in GLOB_CHARACTERS if c in pattern), default=None)
    if cut is None:
        return
    hint = (
        "name one rule (LLAMA31-MAU-700M) or the rules of one pack (LLAMA31-AUP-*); "
        "--allow-broad-waivers accepts broader patterns, for a waiver approved on purpose"
    )
    prefix = pattern[:cut]
    if "-" not in prefix:
        raise doc.error(
            path,
            f"waiver rule '{pattern}' is too broad: it names no pack or rule prefix "
            "(the part before the first *, ? or [ must end a rule-id segment, such as LLAMA31-)",
            hint,
        )
    packs = sorted({p.id for p in ruleset.packs if any(fnmatchcase(r, pattern) for r in p.rule_ids())})
    if len(packs) > 1:
        shown = ", ".join(packs[:5]) + (", ..." if len(packs) > 5 else "")
        raise doc.error(
            path,
            f"waiver rule '{pattern}' is too broad: it matches rules of {len(packs)} packs ({shown})",
            hint,
        )


def parse_as_of(value: str | None) -> str:
    if value is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError("--as-of", None, None, f"'{value}' is not a date", "write YYYY-MM-DD") from None


def read_one(
    name: str, stdin: bytes | None, stdin_name: str, model_override: dict[str, str] | None = None
) -> UseCase:
    if name == "-":
        return read_usecase_bytes(stdin or b"", stdin_name, model_override)
    return read_usecase(name, name, model_override)


# `--model ./x`, `../x`, `/x`, `~/x`: written as a path, so always a folder
_WRITTEN_AS_PATH = ("./", "../", "/", "~", ".\\", "..\\")


def model_option(value: str, catalog: Catalog) -> dict[str, str]:
    """`--model`: the model that replaces every use case's own, as the use case would give it.

    A catalog id or Hugging Face repo id the catalog knows gives {"id": catalog id}; a local
    folder gives {"path": absolute folder}; another ORG/NAME is read from the Hub (`hub` extra).
    A catalog id wins over a folder of the same name unless the value is written as a path
    (./NAME): a pull request could add a folder named like the model the command line names.
    """
    written_as_path = value.startswith(_WRITTEN_AS_PATH) or value in (".", "..")
    if not written_as_path:
        entry = catalog.find(value)
        if entry is not None:
            return {"id": str(entry["id"])}
    path = Path(value).expanduser()
    if os.path.isdir(path):  # not Path.is_dir: it raises on a name too long to look up
        return {"path": str(path.resolve())}
    if os.path.exists(path):
        raise InputError(value, None, None, "--model must be a model folder or a catalog id, not a file")
    if value.count("/") == 1 and not written_as_path:
        from licensecheck.hfmodel import download_hub_folder

        return {"path": str(download_hub_folder(value))}
    near = catalog.nearest(value)
    raise InputError(
        value,
        None,
        None,
        "--model names no catalog model and no model folder",
        ("nearest catalog ids: " + ", ".join(near) + "; " if near else "")
        + "give a catalog id or Hugging Face repo id (`licensecheck models list`), "
        "or the folder of a downloaded model (README.md, config.json, *.safetensors)",
    )


def _check_unique_name(usecase: UseCase, named: dict[str, str]) -> None:
    other = named.setdefault(usecase.name, usecase.file)
    if other == usecase.file or _same_file(other, usecase.file):
        return
    raise usecase.doc.error(
        ("name",),
        f"the use case name '{visible(usecase.name)}' is also the name of {other}: "
        "waivers scoped to a use case by name would cover both",
        "give each use case of a run its own name",
    )


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def evaluate_files(
    ctx: Context,
    files: list[str],
    shared_waivers: tuple[Waiver, ...],
    as_of: str,
    stdin: bytes | None = None,
    stdin_name: str = "<stdin>",
    model_override: dict[str, str] | None = None,
    allow_broad_waivers: bool = False,
) -> tuple[Report | None, list[InputError]]:
    """Evaluate every file; any invalid input gives its errors and no report.

    Two use cases with the same name are refused: waivers scoped by `usecase:` name would
    cover both (the README's "Waivers" section says so).
    """
    errors: list[InputError] = []
    results: list[UseCaseReport] = []
    # A shared waiver is stale only if some use case of the run is in its scope and none has a
    # finding it matches: pre-commit passes only the changed files, so out-of-scope is not stale.
    shared_in_scope: set[int] = set()
    shared_matched: set[int] = set()
    named: dict[str, str] = {}  # use-case name -> the file that has it
    for name in files:
        try:
            usecase = read_one(name, stdin, stdin_name, model_override)
            _check_unique_name(usecase, named)
            model = resolve_model(usecase, ctx.catalog, ctx.ruleset)
            own = waivers_from(
                usecase.doc, ("waivers",), usecase.data.get("waivers", []), ctx.ruleset, allow_broad_waivers
            )
            result = evaluate(usecase, model, ctx.ruleset, own + shared_waivers, as_of)
        except InputError as exc:
            errors.append(exc)
            continue
        unmatched = {id(w) for w in result.stale_waivers}
        for i, waiver in enumerate(shared_waivers):
            if waiver_in_scope(waiver, usecase, model):
                shared_in_scope.add(i)
                if id(waiver) not in unmatched:
                    shared_matched.add(i)
        shared_ids = {id(w) for w in shared_waivers}
        own_stale = tuple(w for w in result.stale_waivers if id(w) not in shared_ids)
        results.append(replace(result, stale_waivers=own_stale))
    if errors:
        return None, errors
    stale = tuple(w for i, w in enumerate(shared_waivers) if i in shared_in_scope - shared_matched)
    return Report(tuple(results), __version__, as_of, stale), []
