"""The model catalog: basic facts of known models, looked up by catalog id or Hugging Face repo id."""

from __future__ import annotations

import marshal
import os
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any, TypeGuard

from licensecheck.document import Document
from licensecheck.errors import InputError
from licensecheck.model import CatalogEntry
from licensecheck.yamlsource import MAX_BYTES, decode, parse_yaml, read_bytes, read_text

if TYPE_CHECKING:
    from licensecheck.routes import Route
    from licensecheck.schema import SchemaError

# A JSON catalog may be far larger than a hand-written YAML file (an organisation's whole model
# inventory); it is parsed without positions, which are recovered only when there is an error.
MAX_JSON_BYTES = 64 * 1024 * 1024


class Catalog:
    """All catalog entries of a run, with a case-insensitive index over ids and HF repo ids.

    An entry the rule cache stored is kept encoded until it is first read (see _stored_form):
    an evaluation reads one model of the bundled catalog, and decoding them all was some 4M
    instructions of every run. `find` decodes the entry it finds, `models` all of them."""

    __slots__ = ("_encoded", "_entries", "_names", "_origin", "_rows", "_stored", "_unnamed")

    def __init__(self) -> None:
        self._rows: list[Any] = []  # each a CatalogEntry, or its fields marshalled (decoded when read)
        self._encoded = False  # whether a row may still be encoded
        self._names: dict[str, int] = {}  # folded id, HF repo id or alias -> the row it finds
        # the names of the last file add_stored took, not yet in _names: names, the index in the
        # file of the entry each finds, the file's first row
        self._unnamed: tuple[list[str], list[int], int] | None = None
        self._origin: dict[str, str] = {}
        self._entries: dict[str, tuple[Document, int]] = {}
        # files added as the cache stored them, not yet in origin and entries: (file, ids, lines)
        self._stored: list[tuple[Document, list[str], list[int] | None]] = []

    @property
    def origin(self) -> dict[str, str]:
        """Model id -> file:line (a JSON file: its name)."""
        self._index_stored()
        return self._origin

    @property
    def entries(self) -> dict[str, tuple[Document, int]]:
        """Model id -> (its file, its index in the file's models)."""
        self._index_stored()
        return self._entries

    def _index_stored(self) -> None:
        """Index the files add_stored took only when an origin is asked for (an error, `models
        show`): a run reads none of the 10,000 of a catalog folder's file otherwise. Threads
        that race here add the same items; the list is emptied once they are in."""
        stored = self._stored
        if not stored:
            return
        for doc, ids, lines in stored:
            if lines is None:
                self._origin.update(zip(ids, repeat(doc.name)))
            else:
                self._origin.update(zip(ids, [f"{doc.name}:{line}" for line in lines]))
            self._entries.update(zip(ids, zip(repeat(doc), range(len(ids)))))
        self._stored = []

    def _named(self) -> dict[str, int]:
        """_names with the last stored file's names in it, put there once a name is looked up or
        another file added: a shortlist looks none up, and a catalog folder is often one file.
        Threads that race here add the same items; the file is marked done once they are in."""
        unnamed = self._unnamed
        if unnamed is not None:
            names, owners, start = unnamed
            self._names.update(zip(names, [start + i for i in owners]))
            self._unnamed = None
        return self._names

    @property
    def models(self) -> list[CatalogEntry]:
        """Every entry, in the order the files list them."""
        if self._encoded:
            for i, row in enumerate(self._rows):
                if type(row) is bytes:
                    self._rows[i] = _decoded(row)
            self._encoded = False
        return self._rows

    @property
    def index(self) -> dict[str, CatalogEntry]:
        """Folded id, HF repo id or alias -> its entry."""
        return {name: self._entry(i) for name, i in self._named().items()}

    def _entry(self, i: int) -> CatalogEntry:
        row = self._rows[i]
        if type(row) is bytes:
            row = self._rows[i] = _decoded(row)
        return row  # type: ignore[no-any-return]

    def find(self, ref: str) -> CatalogEntry | None:
        i = self._named().get(ref.casefold())
        return None if i is None else self._entry(i)

    def copy(self) -> Catalog:
        """Another catalog with the same entries, to add more to."""
        other = Catalog()
        other._rows = list(self._rows)
        other._encoded = self._encoded
        other._names = dict(self._named())
        other._origin = dict(self.origin)
        other._entries = dict(self.entries)
        return other

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
                row = self._named().get(folded)
                where = self.origin[self._entry(row).id] if row is not None else None
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
                self._names[key.casefold()] = len(self._rows)
            self.origin[model.id] = f"{doc.name}:{doc.where(('models', i))[0]}" if located else doc.name
            self.entries[model.id] = (doc, i)
            self._rows.append(model)

    def add_stored(self, doc: Document, stored: list[Any]) -> bool:
        """Add a catalog file's models as the cache stored them (see _stored_form); False, adding
        nothing, when one of its names is in the catalog already (the full add locates that)."""
        rows, names, owners, lines, ids = stored
        if not self._named().keys().isdisjoint(names):
            return False
        start = len(self._rows)
        if rows and type(rows[0]) is bytes:
            self._rows += rows
            self._encoded = True
        else:
            self._rows += map(tuple.__new__, repeat(CatalogEntry), rows)
        self._unnamed = (names, owners, start)
        self._stored.append((doc, ids, lines))
        return True

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


def _decoded(row: bytes) -> CatalogEntry:
    """A catalog entry the cache stored encoded (see _stored_form)."""
    return tuple.__new__(CatalogEntry, marshal.loads(row))


def _stored_form(doc: Document, models: list[CatalogEntry], encoded: bool = False) -> list[Any]:
    """What the cache keeps of a catalog file added without error: its entries as plain tuples,
    the folded names that find them with the index of the entry each finds, each entry's line
    (None for JSON, which has no positions) and id. Equal strings are kept once (marshal then
    writes the later ones as references), column by column in C: a call per value cost 0.1 s.

    `encoded`: each entry as its own marshalled string instead, decoded when it is first read
    (the rules folders' catalogs, of which a run reads a few entries; not a catalog folder, an
    inventory of thousands that a shortlist reads whole)."""
    names: list[str] = []
    owners: list[int] = []
    for i, data in enumerate(doc.data["models"]):
        for _, key in _names(data):
            names.append(key.casefold())
            owners.append(i)
    lines = [doc.where(("models", i))[0] for i in range(len(models))] if doc.marks else None
    shared: dict[Any, Any] = {}
    columns = [list(column) for column in zip(*models)]
    for j, column in enumerate(columns):
        kinds = set(map(type, column)) - {type(None)}
        if kinds == {tuple}:  # tuples of strings only (a number could equal one of another type)
            kinds = set(map(type, chain.from_iterable(filter(None, column)))) or {str}
        if kinds == {str}:
            columns[j] = list(map(shared.setdefault, column, column))
    rows: list[Any] = list(zip(*columns))
    if encoded:
        rows = list(map(marshal.dumps, rows))
    ids = [model.id for model in models]
    return [rows, list(map(shared.setdefault, names, names)), owners, lines, ids]


def _usable(stored: list[Any] | None) -> TypeGuard[list[Any]]:
    """Whether a cache entry has the shape _stored_form gives (another is ignored, as a miss)."""
    return (
        stored is not None
        and len(stored) == 5
        and isinstance(stored[0], list)
        and len(stored[4]) == len(stored[0])
        and (set(map(type, stored[0])) == {bytes} or set(map(len, stored[0])) <= {len(CatalogEntry._fields)})
    )


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
    use-case check uses, tested to agree with jsonschema) screens the document without its
    entries and then each entry, and jsonschema explains what it rejects, each entry alone (a
    valid catalog does not import jsonschema at all: some 50 ms)."""
    from licensecheck.schema import MAX_ERRORS, compile_predicate, load_schema, validate

    root = load_schema("catalog")
    models = data.get("models") if isinstance(data, dict) else None
    if not isinstance(models, list) or len(models) > root["properties"]["models"]["maxItems"]:
        return validate(data, "catalog")
    entry_ok = compile_predicate(root["properties"]["models"]["items"], root)
    envelope = {**data, "models": []}
    errors = [] if compile_predicate(root)(envelope) else validate(envelope, "catalog")
    for i, entry in enumerate(models):
        if len(errors) >= MAX_ERRORS:
            break
        if not entry_ok(entry):
            found = validate({**data, "models": [entry]}, "catalog", (("models", 0), ("models", i)))
            errors += [e for e in found if e.path[:2] == ("models", i)]
    return errors[:MAX_ERRORS]


def parse_catalog(text: str, path: str, shown: str) -> Document:
    """A catalog file's text: YAML with positions, or JSON (fast; positions recovered on error)."""
    if path.endswith(".json"):
        from licensecheck.jsonsource import loads

        data = loads(text, shown)
        if not isinstance(data, dict) or "catalog" not in data:
            raise InputError(shown, 1, 1, "a catalog must be a mapping with `catalog:` and `models:`")
        return _JsonDocument(shown, data, text=text)
    doc = parse_yaml(text, shown)
    if not isinstance(doc.data, dict) or "catalog" not in doc.data:
        raise doc.error((), "a catalog must be a mapping with `catalog:` and `models:`")
    return doc


def _limit(path: str) -> int:
    return MAX_JSON_BYTES if path.endswith(".json") else MAX_BYTES


class CachedCatalog(Document):
    """A rules-folder catalog file as the rule cache holds it: its entries built (see _stored_form;
    None when the file alone has an error). Its file is read again only to locate an error."""

    __slots__ = ("path", "stored")

    def __init__(self, name: str, path: str, stored: list[Any] | None) -> None:
        super().__init__(name, None)
        self.path = path
        self.stored = stored

    def parsed(self) -> Document:
        return parse_yaml(read_text(self.path, self.name), self.name)


def cached_form(doc: Document) -> list[Any] | None:
    """What the rule cache keeps of a validated rules-folder catalog (see CachedCatalog)."""
    catalog = Catalog()
    try:
        catalog.add(doc, validated=True)
    except InputError:  # a name written twice: the full add raises it when the catalog is built
        return None
    return _stored_form(doc, catalog.models, encoded=True)


class _JsonDocument(Document):
    """A JSON catalog parsed without positions; keeps its text to find them when needed."""

    __slots__ = ("text",)

    def __init__(self, name: str, data: Any, text: str) -> None:
        super().__init__(name, data)
        self.text = text


class _StoredDocument(Document):
    """A catalog file whose entries came from the cache (stored under `key`): its bytes, read (if
    they were not) and parsed only to locate an error, and then refused if they are no longer
    the bytes the entries were built from."""

    __slots__ = ("key", "path", "raw")

    def __init__(self, name: str, path: str, key: tuple[Any, ...], raw: bytes | None = None) -> None:
        super().__init__(name, None)
        self.path = path
        self.key = key
        self.raw = raw

    def parsed(self) -> Document:
        return parse_catalog(self.text(), self.path, self.name)

    def text(self) -> str:
        raw = self.raw
        if raw is None:
            from licensecheck import cache

            raw = read_bytes(self.path, self.name, _limit(self.path))
            if cache.content_stamp(os.path.realpath(self.path), raw) != self.key:
                raise InputError(
                    self.name,
                    None,
                    None,
                    "the file changed while licensecheck read it",
                    "run the command again",
                )
            self.raw = raw
        return decode(raw, self.name, _limit(self.path))


def _with_positions(doc: Document) -> Document:
    """The same document with node positions (JSON is re-read by the YAML loader, which keeps them).

    Only a JSON catalog within the YAML size limit is re-read: the YAML loader needs far more
    time and memory than json (29 MB took 29 s and 1.6 GB); a larger one's errors name a path."""
    if isinstance(doc, CachedCatalog):
        return doc.parsed()
    if isinstance(doc, _StoredDocument):
        doc = _JsonDocument(doc.name, None, doc.text())  # a YAML file too: read again, the same positions
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
        if isinstance(doc, CachedCatalog):
            if _usable(doc.stored) and catalog.add_stored(doc, doc.stored):
                continue
            doc = doc.parsed()  # a name written twice or another file's: the full add locates it
        catalog.add(doc, doc.name in validated)
    return catalog


def load_catalogs(validated: list[Document], dirs: list[str]) -> Catalog:
    """A catalog of the (validated) catalog documents of the rules folders plus catalog folders.

    A catalog folder may hold an organisation's inventory of thousands of models. Each of its
    files that loads without error is stored in the cache (licensecheck.cache) as its built
    entries, keyed by a hash of its bytes (BLAKE2b), so a later run reading the same bytes neither
    parses, validates nor builds it again. Only what the file alone decides is stored: its names
    are compared with the other files' on every run, and a file with an error is never stored
    (nor kept: its next run fails the same way)."""
    from licensecheck import cache
    from licensecheck.packs import files_below, yaml_files

    # (file, stored entries, key to store them under, its stat before it was read)
    read: list[tuple[Document, list[Any], tuple[Any, ...] | None, tuple[Any, ...] | None]] = []
    for path in dirs:
        if not os.path.isdir(path):
            raise InputError(path, None, None, "catalog directory not found")
        files = yaml_files(path) + sorted(files_below(path, (".json",)))
        if not files:
            raise InputError(path, None, None, "no *.yaml or *.json catalog files in this folder")
        for file in files:
            shown, real = os.path.relpath(file), os.path.realpath(file)
            # the file as it was when its entries were stored: then it is not read (nor hashed) again
            seen = cache.file_stamp(real, _limit(file))
            unchanged = cache.load_unchanged("catalog", real, seen)
            if unchanged is not None and _usable(unchanged[1]):
                read.append((_StoredDocument(shown, file, unchanged[0]), unchanged[1], None, None))
                continue
            raw = read_bytes(file, shown, _limit(file))
            key = cache.content_stamp(real, raw)
            stored = cache.load("catalog", key, seen) if key is not None else None
            if _usable(stored) and key is not None:
                read.append((_StoredDocument(shown, file, key, raw), stored, None, None))
                continue
            doc = parse_catalog(decode(raw, shown, _limit(file)), file, shown)
            check_catalog(doc)
            read.append((doc, [], key, seen))
    catalog = build_catalog(validated, {doc.name for doc in validated})
    for doc, stored, key, seen in read:
        if isinstance(doc, _StoredDocument):
            if catalog.add_stored(doc, stored):
                continue
            doc = doc.parsed()  # a name of another file's: the full add locates the error
        start = len(catalog.models)
        catalog.add(doc, validated=True)
        if key is not None:
            cache.store("catalog", key, _stored_form(doc, catalog.models[start:]), seen)
    return catalog


def unknown_model_error(doc: Document, path: tuple[Any, ...], ref: str, catalog: Catalog) -> InputError:
    near = catalog.nearest(ref)
    hint = ("nearest catalog ids: " + ", ".join(near)) if near else None
    hint = (
        hint + "; " if hint else ""
    ) + "see `licensecheck models list`, or give inline facts (name, license, ...)"
    return doc.error(path, f"unknown model '{ref}'", hint)
