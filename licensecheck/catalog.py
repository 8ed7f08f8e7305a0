"""The model catalog: basic facts of known models, looked up by catalog id or Hugging Face repo id."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from licensecheck.document import Document
from licensecheck.errors import InputError
from licensecheck.model import CatalogEntry
from licensecheck.yamlsource import MAX_BYTES, parse_yaml, read_text

if TYPE_CHECKING:
    from licensecheck.routes import Route
    from licensecheck.schema import SchemaError

# A JSON catalog may be far larger than a hand-written YAML file (an organisation's whole model
# inventory); it is parsed without positions, which are recovered only when there is an error.
MAX_JSON_BYTES = 64 * 1024 * 1024


class Catalog:
    """All catalog entries of a run, with a case-insensitive index over ids and HF repo ids."""

    __slots__ = ("entries", "index", "models", "origin")

    def __init__(self) -> None:
        self.models: list[CatalogEntry] = []
        self.index: dict[str, CatalogEntry] = {}
        self.origin: dict[str, str] = {}  # model id -> file:line
        self.entries: dict[str, tuple[Document, int]] = {}  # model id -> (file, index in it)

    def find(self, ref: str) -> CatalogEntry | None:
        return self.index.get(ref.casefold())

    def nearest(self, ref: str, limit: int = 3, lineage: bool = True) -> list[str]:
        """The catalog ids closest to an unknown reference, for a hint (`lineage` false: not the
        bases known for lineage only)."""
        import difflib

        folded = ref.casefold().rsplit("/", 1)[-1]
        ids = [m.id for m in self.models if lineage or not m.lineage_only]
        close = difflib.get_close_matches(folded, ids, n=limit, cutoff=0.5)
        if not close:
            close = [i for i in ids if folded[:4] and i.startswith(folded[:4])][:limit]
        return close

    def select(
        self,
        weights: str | None = None,
        license_id: str | None = None,
        min_context: int | None = None,
        modalities: tuple[str, ...] = (),
        status: str | None = None,
        day: str | None = None,
    ) -> list[CatalogEntry]:
        """Models matching every filter, by id; a model whose fact is unknown does not match a filter on it.

        `status` keeps the models whose lifecycle status on `day` (YYYY-MM-DD) is that status."""
        from licensecheck.routes import model_status

        out = []
        for model in self.models:
            if model.lineage_only:  # a base known for lineage, not a model to choose
                continue
            if weights and model.weights != weights:
                continue
            if license_id and str(model.license).casefold() != license_id.casefold():
                continue
            if min_context is not None and (
                model.context_window is None or model.context_window < min_context
            ):
                continue
            if modalities and not all(m in (model.modalities or ()) for m in modalities):
                continue
            if status and (day is None or model_status(model, day) != status):
                continue
            out.append(model)
        return sorted(out, key=lambda m: m.id)

    def add(self, doc: Document, validated: bool = False) -> None:
        """Validate a catalog document and add its models; nothing is added if it has an error."""
        try:
            self._add(doc, validated)
        except InputError:
            positioned = _with_positions(doc)
            if positioned is doc:
                raise
            self._add(positioned)  # raises the same error, now at its line and column
            raise

    def _add(self, doc: Document, validated: bool = False) -> None:
        if not validated:
            check_catalog(doc)
        seen: dict[str, int] = {}
        models = doc.data["models"]
        for i, entry in enumerate(models):
            for path, key in _names(entry):
                folded = key.casefold()
                other = self.index.get(folded)
                where = self.origin[other.id] if other is not None else None
                if folded in seen and seen[folded] != i:
                    where = f"{doc.name}:{doc.where(('models', seen[folded]))[0]}"
                if where is not None:
                    raise doc.error(
                        ("models", i, *path),
                        f"model '{key}' is already in the catalog ({where})",
                        "catalog ids, Hugging Face repo ids and aliases must be unique",
                    )
                seen[folded] = i
        located = bool(doc.marks)  # a JSON catalog has no positions (recovered only on error)
        for i, data in enumerate(models):
            model = catalog_entry(data)
            for _, key in _names(data):
                self.index[key.casefold()] = model
            self.origin[model.id] = f"{doc.name}:{doc.where(('models', i))[0]}" if located else doc.name
            self.entries[model.id] = (doc, i)
            self.models.append(model)

    def routes(self, ref: str) -> tuple[Route, ...]:
        """The provider routes of a model (by id, Hugging Face repo id or alias), main routes first."""
        from licensecheck.routes import routes_of

        model = self.find(ref)
        return routes_of(model) if model is not None else ()

    def status(self, ref: str, day: str) -> str | None:
        """active | deprecated | retired for a model on `day` (YYYY-MM-DD); None when unknown."""
        from licensecheck.routes import model_status

        model = self.find(ref)
        return model_status(model, day) if model is not None else None

    def error_at(self, model_id: str, key: str, message: str, hint: str | None = None) -> InputError:
        """An error about one catalog entry, located at its key in the catalog file."""
        doc, i = self.entries[model_id]
        return _with_positions(doc).error(("models", i, key), message, hint)


def catalog_entry(data: dict[str, Any]) -> CatalogEntry:
    """A schema-valid catalog entry as a typed record (lists become tuples)."""
    fields = dict(data)
    for key in ("modalities", "aliases", "routes"):
        if fields.get(key) is not None:
            fields[key] = tuple(fields[key])
    fields["sources"] = tuple((group, tuple(urls)) for group, urls in (fields.get("sources") or {}).items())
    if "id" not in fields or not _ENTRY_FIELDS.issuperset(fields):
        return CatalogEntry(**fields)  # raises the TypeError
    # By field, not by keyword: a file's keys are not the interned names a keyword call matches
    # by identity, so CatalogEntry(**fields) compared strings, a third of building the catalog.
    return CatalogEntry._make(map(fields.get, CatalogEntry._fields, _ENTRY_DEFAULTS))


_ENTRY_FIELDS = frozenset(CatalogEntry._fields)
_ENTRY_DEFAULTS = tuple(CatalogEntry._field_defaults.get(name) for name in CatalogEntry._fields)


def _names(entry: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """Every name that finds a catalog entry, with its path in the entry: id, hf_repo, aliases."""
    names: list[tuple[tuple[Any, ...], str]] = [(("id",), entry["id"])]
    if entry.get("hf_repo"):
        names.append((("hf_repo",), entry["hf_repo"]))
    names += [(("aliases", j), alias) for j, alias in enumerate(entry.get("aliases") or ())]
    return names


def check_catalog(doc: Document) -> None:
    """Raise the schema errors of a catalog document, located (a JSON catalog is re-read for them).

    A JSON catalog larger than the YAML size limit is not re-read (the YAML loader needs far more
    time and memory than json: 29 MB took 29 s and 1.6 GB): its errors name a path instead."""
    from licensecheck.document import dotted
    from licensecheck.errors import InputErrors

    errors = catalog_errors(doc.data)
    if not errors:
        return
    located = _with_positions(doc)
    if isinstance(located, _JsonDocument) and not located.marks:
        found = []
        for e in errors:
            path = dotted(e.path)
            where = f"{path}: " if path and path not in e.message else ""
            found.append(InputError(doc.name, None, None, where + e.message, e.hint))
    else:
        found = [located.error(e.path, e.message, e.hint, e.at_key) for e in errors]
        found.sort(key=lambda e: (e.line or 0, e.col or 0))
    raise found[0] if len(found) == 1 else InputErrors(found)


def catalog_errors(data: Any) -> list[SchemaError]:
    """The schema errors of a catalog (up to schema.MAX_ERRORS), in order.

    `jsonschema` over 100,000 entries takes seconds: the compiled predicate (the same one the
    use-case check uses, tested to agree with jsonschema) screens the entries, and jsonschema
    explains the rest of the document and the entries it rejects, each alone."""
    from licensecheck.schema import MAX_ERRORS, compile_predicate, load_schema, validate

    root = load_schema("catalog")
    models = data.get("models") if isinstance(data, dict) else None
    if not isinstance(models, list) or len(models) > root["properties"]["models"]["maxItems"]:
        return validate(data, "catalog")
    entry_ok = compile_predicate(root["properties"]["models"]["items"], root)
    errors = validate({**data, "models": []}, "catalog")
    for i, entry in enumerate(models):
        if len(errors) >= MAX_ERRORS:
            break
        if not entry_ok(entry):
            found = validate({**data, "models": [entry]}, "catalog", (("models", 0), ("models", i)))
            errors += [e for e in found if e.path[:2] == ("models", i)]
    return errors[:MAX_ERRORS]


def load_catalog_file(path: str, shown: str) -> Document:
    """A catalog file: YAML with positions, or JSON (fast; positions recovered on error)."""
    if path.endswith(".json"):
        from licensecheck.jsonsource import loads

        text = read_text(path, shown, MAX_JSON_BYTES)
        data = loads(text, shown)
        if not isinstance(data, dict) or "catalog" not in data:
            raise InputError(shown, 1, 1, "a catalog must be a mapping with `catalog:` and `models:`")
        return _JsonDocument(shown, data, text=text)
    doc = parse_yaml(read_text(path, shown), shown)
    if not isinstance(doc.data, dict) or "catalog" not in doc.data:
        raise doc.error((), "a catalog must be a mapping with `catalog:` and `models:`")
    return doc


class _JsonDocument(Document):
    """A JSON catalog parsed without positions; keeps its text to find them when needed."""

    __slots__ = ("text",)

    def __init__(self, name: str, data: Any, text: str) -> None:
        super().__init__(name, data)
        self.text = text


def _with_positions(doc: Document) -> Document:
    """The same document with node positions (JSON is re-read by the YAML loader, which keeps them).

    Only a JSON catalog within the YAML size limit is re-read: the YAML loader needs far more
    time and memory than json (29 MB took 29 s and 1.6 GB); a larger one's errors name a path."""
    if not isinstance(doc, _JsonDocument) or doc.marks or len(doc.text) > MAX_BYTES:
        return doc
    try:
        return parse_yaml(doc.text, doc.name)
    except InputError:
        return doc


def build_catalog(docs: list[Document], validated: set[str] | frozenset[str] = frozenset()) -> Catalog:
    """A catalog of `docs`; those named in `validated` were schema-checked already (rule cache)."""
    catalog = Catalog()
    for doc in docs:
        catalog.add(doc, doc.name in validated)
    return catalog


def load_catalogs(validated: list[Document], dirs: list[str]) -> Catalog:
    """A catalog of the (validated) catalog documents of the rules folders plus catalog folders."""
    from licensecheck import cache
    from licensecheck.packs import files_below, yaml_files

    docs = list(validated)
    checked = {doc.name for doc in docs}
    for path in dirs:
        if not os.path.isdir(path):
            raise InputError(path, None, None, "catalog directory not found")
        files = yaml_files(path) + sorted(files_below(path, (".json",)))
        if not files:
            raise InputError(path, None, None, "no *.yaml or *.json catalog files in this folder")
        for file in files:
            doc = load_catalog_file(file, os.path.relpath(file))
            # A catalog file that passed validation before, unchanged, need not be walked again
            # (an organisation's inventory of thousands of models): the cache keeps a marker.
            key = cache.stamp([os.path.realpath(file)], MAX_JSON_BYTES)
            if key is None or cache.load("catalog-valid", key) != [doc.name]:
                check_catalog(doc)
                if key is not None:
                    cache.store("catalog-valid", key, [doc.name])
            checked.add(doc.name)
            docs.append(doc)
    return build_catalog(docs, checked)


def unknown_model_error(doc: Document, path: tuple[Any, ...], ref: str, catalog: Catalog) -> InputError:
    near = catalog.nearest(ref)
    hint = ("nearest catalog ids: " + ", ".join(near)) if near else None
    hint = (
        hint + "; " if hint else ""
    ) + "see `licensecheck models list`, or give inline facts (name, license, ...)"
    return doc.error(path, f"unknown model '{ref}'", hint)
