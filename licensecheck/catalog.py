"""The model catalog: basic facts of known models, looked up by catalog id or Hugging Face repo id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from licensecheck.errors import InputError
from licensecheck.jsonsource import loads
from licensecheck.routes import Route, model_status, routes_of
from licensecheck.schema import Predicate, SchemaError, compile_predicate, load_schema, validate
from licensecheck.yamlsource import MAX_BYTES, Document, dotted, parse_yaml, read_text

# A JSON catalog may be far larger than a hand-written YAML file (an organisation's whole model
# inventory); it is parsed without positions, which are recovered only when there is an error.
MAX_JSON_BYTES = 64 * 1024 * 1024

# Facts every catalog entry carries (null when unknown), in the order reports show them.
FACT_KEYS = (
    "weights",
    "release_date",
    "knowledge_cutoff",
    "parameters_b",
    "active_parameters_b",
    "training_tokens_t",
    "context_window",
    "max_output_tokens",
    "price_input_per_mtok_usd",
    "price_output_per_mtok_usd",
    "license",
    "modalities",
    "hf_repo",
)


_NO_FACTS: dict[str, Any] = dict.fromkeys(FACT_KEYS)


@dataclass
class Catalog:
    """All catalog entries of a run, with a case-insensitive index over ids and HF repo ids."""

    models: list[dict[str, Any]] = field(default_factory=list)
    index: dict[str, dict[str, Any]] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)  # model id -> file:line
    entries: dict[str, tuple[Document, int]] = field(default_factory=dict)  # model id -> (file, index)

    def find(self, ref: str) -> dict[str, Any] | None:
        return self.index.get(ref.casefold())

    def nearest(self, ref: str, limit: int = 3) -> list[str]:
        """The catalog ids closest to an unknown reference, for a hint."""
        import difflib

        folded = ref.casefold().rsplit("/", 1)[-1]
        ids = [m["id"] for m in self.models]
        close = difflib.get_close_matches(folded, ids, n=limit, cutoff=0.5)
        if not close:
            close = [i for i in ids if folded[:4] and i.startswith(folded[:4])][:limit]
        return close

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
                where = self.origin[other["id"]] if other is not None else None
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
        for i, entry in enumerate(models):
            model = {**_NO_FACTS, **entry}  # every fact present, null when unknown
            for _, key in _names(entry):
                self.index[key.casefold()] = model
            self.origin[entry["id"]] = f"{doc.name}:{doc.where(('models', i))[0]}" if located else doc.name
            self.entries[entry["id"]] = (doc, i)
            self.models.append(model)

    def routes(self, ref: str) -> tuple[Route, ...]:
        """The provider routes of a model (by id, Hugging Face repo id or alias), main routes first."""
        model = self.find(ref)
        return routes_of(model) if model is not None else ()

    def status(self, ref: str, day: str) -> str | None:
        """active | deprecated | retired for a model on `day` (YYYY-MM-DD); None when unknown."""
        model = self.find(ref)
        return model_status(model, day) if model is not None else None

    def error_at(self, model_id: str, key: str, message: str, hint: str | None = None) -> InputError:
        """An error about one catalog entry, located at its key in the catalog file."""
        doc, i = self.entries[model_id]
        return _with_positions(doc).error(("models", i, key), message, hint)


def _names(entry: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """Every name that finds a catalog entry, with its path in the entry: id, hf_repo, aliases."""
    names: list[tuple[tuple[Any, ...], str]] = [(("id",), entry["id"])]
    if entry.get("hf_repo"):
        names.append((("hf_repo",), entry["hf_repo"]))
    names += [(("aliases", j), alias) for j, alias in enumerate(entry.get("aliases") or ())]
    return names


_entry_ok: Predicate | None = None


def check_catalog(doc: Document) -> None:
    """Raise the first schema error of a catalog document, located."""
    error = _first_error(doc.data)
    if error is not None:
        located = _with_positions(doc)  # a JSON catalog is re-read with positions for the message
        first = _first_error(located.data) or error if located is not doc else error
        if isinstance(located, _JsonDocument):  # too large to re-read: the path names the place
            path = dotted(first.path)
            where = f"{path}: " if path and path not in first.message else ""
            raise InputError(located.name, None, None, where + first.message, first.hint)
        raise located.error(first.path, first.message, first.hint, first.at_key)


def _first_error(data: Any) -> SchemaError | None:
    """The first schema error of a catalog, or None; only the first bad entry is explained.

    The full validator over 100,000 entries takes seconds: the compiled predicate finds the
    first entry it rejects, and the validator explains that entry alone."""
    if _quickly_valid(data):
        return None
    models = data.get("models") if isinstance(data, dict) else None
    if isinstance(models, list):
        head = validate({**data, "models": []}, "catalog")
        if head:
            return head[0]
        assert _entry_ok is not None  # compiled by _quickly_valid
        for i, entry in enumerate(models):
            if not _entry_ok(entry):
                for error in validate({**data, "models": [entry]}, "catalog"):
                    return error._replace(path=("models", i, *error.path[2:]))
    errors = validate(data, "catalog")  # too many entries, or not a list: found at once
    return errors[0] if errors else None


def _quickly_valid(data: Any) -> bool:
    """True when a catalog is certainly valid; the full validator then need not walk every entry."""
    global _entry_ok
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        return False
    if _entry_ok is None:
        root = load_schema("catalog")
        _entry_ok = compile_predicate(root["properties"]["models"]["items"], root)
    head = {k: v for k, v in data.items() if k != "models"}
    head["models"] = []
    limit = load_schema("catalog")["properties"]["models"]["maxItems"]
    return (
        len(data["models"]) <= limit and not validate(head, "catalog") and all(map(_entry_ok, data["models"]))
    )


def load_catalog_file(path: str, shown: str) -> Document:
    """A catalog file: YAML with positions, or JSON (fast; positions recovered on error)."""
    if path.endswith(".json"):
        text = read_text(path, shown, MAX_JSON_BYTES)
        data = loads(text, shown)
        if not isinstance(data, dict) or "catalog" not in data:
            raise InputError(shown, 1, 1, "a catalog must be a mapping with `catalog:` and `models:`")
        return _JsonDocument(shown, data, text=text)
    doc = parse_yaml(read_text(path, shown), shown)
    if not isinstance(doc.data, dict) or "catalog" not in doc.data:
        raise doc.error((), "a catalog must be a mapping with `catalog:` and `models:`")
    return doc


@dataclass(frozen=True)
class _JsonDocument(Document):
    """A JSON catalog parsed without positions; keeps its text to find them when needed."""

    text: str = field(default="", repr=False)


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


def unknown_model_error(doc: Document, path: tuple[Any, ...], ref: str, catalog: Catalog) -> InputError:
    near = catalog.nearest(ref)
    hint = ("nearest catalog ids: " + ", ".join(near)) if near else None
    hint = (
        hint + "; " if hint else ""
    ) + "see `licensecheck models list`, or give inline facts (name, license, ...)"
    return doc.error(path, f"unknown model '{ref}'", hint)
