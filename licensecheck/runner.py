"""Wiring between files and the engine: load rules, catalog, use cases and waivers, evaluate them."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, NamedTuple

from licensecheck import __version__, cache
from licensecheck.catalog import MAX_JSON_BYTES, Catalog, build_catalog, check_catalog, load_catalog_file
from licensecheck.document import Document
from licensecheck.engine import evaluate, waiver_in_scope
from licensecheck.errors import InputError
from licensecheck.model import Report, RuleSet, UseCase, UseCaseReport, Waiver
from licensecheck.packs import bundled_rules_dir, load_rules, yaml_files
from licensecheck.resolve import resolve_model
from licensecheck.usecase import check_date, read_usecase, read_usecase_bytes, waiver_hint
from licensecheck.yamlsource import parse_yaml, read_text


class Context(NamedTuple):
    """What every command needs: rules and catalog, loaded once."""

    ruleset: RuleSet
    catalog: Catalog


def load_context(
    extra_rules: tuple[str, ...] = (), catalogs: tuple[str, ...] = (), bundled: bool = True
) -> Context:
    """Load the bundled rules (unless `bundled` is false) plus `extra_rules`, and the catalogs."""
    dirs = ([bundled_rules_dir()] if bundled else []) + [Path(d) for d in extra_rules]
    loaded = load_rules(dirs)
    docs = list(loaded.catalogs)
    validated = {doc.name for doc in docs}
    for directory in catalogs:
        path = Path(directory)
        if not path.is_dir():
            raise InputError(directory, None, None, "catalog directory not found")
        files = yaml_files(path) + sorted(path.rglob("*.json"))
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
    return Context(loaded.ruleset, build_catalog(docs, validated))


def expand_inputs(inputs: tuple[str, ...]) -> list[str]:
    """Files as given, directories expanded to their *.yaml / *.yml files, '-' kept for stdin."""
    files: list[str] = []
    for item in inputs:
        if item == "-":
            files.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            found = [str(p) for p in yaml_files(path) if not p.name.endswith((".tests.yaml", ".tests.yml"))]
            if not found:
                raise InputError(item, None, None, "no *.yaml or *.yml use-case files in this folder")
            files.extend(found)
        else:
            files.append(item)
    return files


def load_waivers(path: str) -> tuple[Waiver, ...]:
    doc = parse_yaml(
        read_text(path), path, "a waivers file holds `waivers:`; see `licensecheck schema waivers`"
    )
    if not isinstance(doc.data, dict):
        raise doc.error(
            (),
            "a waivers file must be a mapping with `waivers:`",
            "see `licensecheck schema usecase` ($defs/waiver)",
        )
    doc.check("waivers", waiver_hint)
    return waivers_from(doc, ("waivers",), doc.data["waivers"])


def waivers_from(doc: Document, base: tuple[Any, ...], items: list[dict[str, Any]]) -> tuple[Waiver, ...]:
    out = []
    for i, item in enumerate(items):
        check_date(doc, base + (i, "expires"), item["expires"])
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


def parse_as_of(value: str | None) -> str:
    if value is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError("--as-of", None, None, f"'{value}' is not a date", "write YYYY-MM-DD") from None


def read_one(name: str, stdin: bytes | None, stdin_name: str, model_folder: str | None = None) -> UseCase:
    if name == "-":
        return read_usecase_bytes(stdin or b"", stdin_name, model_folder)
    return read_usecase(name, name, model_folder)


def model_option(value: str) -> str:
    """`--model`: a local model folder (absolute path), or a Hub repo id read via the `hub` extra."""
    path = Path(value).expanduser()
    if path.is_dir():
        return str(path.resolve())
    if path.exists():
        raise InputError(value, None, None, "--model must be a model folder, not a file")
    if value.count("/") == 1 and not value.startswith((".", "/", "~")):
        from licensecheck.hfmodel import download_hub_folder

        return str(download_hub_folder(value))
    raise InputError(
        value,
        None,
        None,
        "model folder not found",
        "give the folder of a downloaded model (README.md, config.json, *.safetensors)",
    )


def evaluate_files(
    ctx: Context,
    files: list[str],
    shared_waivers: tuple[Waiver, ...],
    as_of: str,
    stdin: bytes | None = None,
    stdin_name: str = "<stdin>",
    model_folder: str | None = None,
) -> tuple[Report | None, list[InputError]]:
    """Evaluate every file; any invalid input gives its errors and no report."""
    errors: list[InputError] = []
    results: list[UseCaseReport] = []
    # A shared waiver is stale only if some use case of the run is in its scope and none has a
    # finding it matches: pre-commit passes only the changed files, so out-of-scope is not stale.
    shared_in_scope: set[int] = set()
    shared_matched: set[int] = set()
    for name in files:
        try:
            usecase = read_one(name, stdin, stdin_name, model_folder)
            model = resolve_model(usecase, ctx.catalog, ctx.ruleset.licenses)
            own = waivers_from(usecase.doc, ("waivers",), usecase.data.get("waivers", []))
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
        results.append(result._replace(stale_waivers=own_stale))
    if errors:
        return None, errors
    stale = tuple(w for i, w in enumerate(shared_waivers) if i in shared_in_scope - shared_matched)
    return Report(tuple(results), __version__, as_of, stale), []
