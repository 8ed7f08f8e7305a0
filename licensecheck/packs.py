"""Rule packs and catalogs: find them in directories, validate them, compile them once.

A rules directory holds YAML files of four kinds, told apart by their top-level key or name:
rule packs (`pack:`), model catalogs (`catalog:`), GPU tables (`gpus:`) and pack tests
(`*.tests.yaml`, used by `licensecheck rules test`); its `lib/` subfolder holds the rule library
(licensecheck.library), whose named conditions packs use. Every problem is an InputError at the
file, line and column.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from licensecheck.conditions import ConditionError, PhraseTable, compile_condition, decode, encode, facts_of
from licensecheck.document import Document
from licensecheck.engine import PLACEHOLDER
from licensecheck.errors import InputError, did_you_mean
from licensecheck.facts import KnownFact, vocabulary
from licensecheck.model import LicenseIndex, Outcome, Pack, PendingPack, Rule, RuleSet, Severity
from licensecheck.records import NamedTuple
from licensecheck.yamlsource import parse_yaml, read_text

if TYPE_CHECKING:
    from licensecheck.library import Library

TESTS_SUFFIXES = (".tests.yaml", ".tests.yml")
LIBRARY_FOLDER = "lib"  # a rules folder's library files live in its lib/ subfolder


def bundled_rules_dir() -> str:
    """The bundled rules: inside the installed package, or at the top of a source checkout."""
    here = os.path.dirname(os.path.realpath(__file__))
    installed = os.path.join(here, "rules")
    return installed if os.path.isdir(installed) else os.path.join(os.path.dirname(here), "rules")


StoredFile = tuple[str, str, bytes, str]  # a library file as the cache holds it (see LibraryFiles)


class LibraryFiles:
    """The rule library's files, each (document, real path, sha256). Those read from the cache
    become documents when first iterated: an evaluation never reads them (its packs are compiled
    already), and unmarshalling them was a fifth of loading the cache entry."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[tuple[Document, str, str] | StoredFile] = ()) -> None:
        self._items = list(items)

    def __iter__(self) -> Iterator[tuple[Document, str, str]]:
        if any(len(item) == 4 for item in self._items):  # a race decodes them twice, the same
            self._items = [_library_file(item) for item in self._items]
        return iter(self._items)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._items)


def _library_file(item: tuple[Document, str, str] | StoredFile) -> tuple[Document, str, str]:
    if len(item) == 3:
        return item
    shown, real, stored, digest = item
    data, marks = marshal.loads(stored)
    return (Document(shown, data, marks), real, digest)


class LoadedRules(NamedTuple):
    """What the rules folders hold: the rule set, the catalog documents and the pack-test files."""

    ruleset: RuleSet
    catalogs: list[Document]  # validated already
    gpus: list[Document]  # GPU tables, validated already
    test_files: list[str]
    library: LibraryFiles = LibraryFiles()  # library files: (document, real path, sha256)
    documents: Mapping[str, Document] = MappingProxyType({})  # pack id -> as written (uncached loads)


MAX_TREE_DEPTH = 64


def yaml_files(directory: str | os.PathLike[str]) -> list[str]:
    """Every *.yaml / *.yml file below `directory`, sorted, hidden files and folders skipped."""
    return files_below(directory, (".yaml", ".yml"))


def files_below(directory: str | os.PathLike[str], suffixes: tuple[str, ...]) -> list[str]:
    """Files ending in one of `suffixes` below `directory`, in os.walk's order with sorted names.

    Hidden files and folders are skipped, links to folders are not followed (as os.walk
    does) and a link to a file outside `directory` is an InputError. The walk keeps its own stack instead of recursing, and a tree deeper than
    MAX_TREE_DEPTH is an InputError: a folder from a pull request is untrusted input too.
    """
    found: list[str] = []
    stack: list[tuple[str, int]] = [(os.fspath(directory), 0)]
    while stack:
        root, depth = stack.pop()
        try:
            with os.scandir(root) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue  # unreadable or gone: os.walk skips it too; reading a file reports problems
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:  # a link loop, say: a file, and reading it is a located error
                is_dir = False
            if is_dir:
                if not entry.is_symlink():
                    folders.append(entry.path)
            elif entry.name.endswith(suffixes):
                if entry.is_symlink():
                    _inside(directory, entry.path)
                found.append(os.path.join(root, entry.name))
        if folders and depth >= MAX_TREE_DEPTH:
            raise InputError(
                os.fspath(directory),
                None,
                None,
                f"folders nested more than {MAX_TREE_DEPTH} levels deep",
                "give the folder that holds the files; a tree this deep is a copy or link gone wrong",
            )
        stack.extend((folder, depth + 1) for folder in reversed(folders))
    return found


def _inside(directory: str | os.PathLike[str], path: str) -> None:
    """A file found by walking a folder is read only if it lies inside it, links resolved: a
    pull request could commit `usecases/x.yaml` linking to a file of the machine running the gate."""
    top = os.path.realpath(directory)
    if os.path.commonpath([top, os.path.realpath(path)]) != top:
        raise InputError(
            path,
            None,
            None,
            f"is a symbolic link to a file outside the folder {os.fspath(directory)}",
            "licensecheck reads only files inside a folder it walks; copy the file in, or name it",
        )


def load_rules(dirs: list[str], use_cache: bool = True, recheck: int = 0) -> LoadedRules:
    """Load every pack and catalog in `dirs` (the bundled rules come first) and compile the packs.

    The first load validates and compiles everything and stores the result in a cache (see
    licensecheck.cache), one entry per folder, so the bundled rules stay cached when an
    organisation's folder is added or edited; later loads of unchanged folders read the
    compiled packs from it. A pack's library references resolve as it compiles, against the
    library files (`lib/`) of its own folder and the folders before it (the bundled library
    first), so those files, and no later folder's, are part of its folder's cache key: an
    organisation's library does not make the bundled packs compile again. The last `recheck`
    folders are read and checked again whatever the cache holds (`rules lint` of a folder).
    """
    from licensecheck import cache

    folders: list[tuple[Listing, Listing]] = []  # per folder: (library files, other files)
    test_files: list[str] = []
    bundled_dir = os.path.realpath(bundled_rules_dir())
    for directory in dirs:
        if not os.path.isdir(directory):
            raise InputError(
                directory, None, None, "rules directory not found", "give a folder of rule packs"
            )
        files = yaml_files(directory)
        if not files:
            raise InputError(directory, None, None, "no *.yaml rule packs or catalogs in this folder")
        folder = os.path.realpath(directory)  # once per folder: realpath is slow
        library: Listing = []
        listing: Listing = []  # (file, as messages name it, real path)
        # files_below joins each name to `directory`: what follows it is the path inside (a start
        # paid os.path.relpath, which makes both paths absolute, for every file)
        top = os.path.join(directory, "")
        for path in files:
            if path.endswith(TESTS_SUFFIXES):
                test_files.append(path)
                continue
            inside = path[len(top) :] if path.startswith(top) else os.path.relpath(path, directory)
            shown = "rules/" + inside.replace(os.sep, "/") if folder == bundled_dir else _display(path)
            in_library = inside.split(os.sep)[0] == LIBRARY_FOLDER and os.sep in inside
            (library if in_library else listing).append((path, shown, os.path.join(folder, inside)))
        folders.append((library, listing))
    loaded: list[tuple[Lib, list[Pack | PendingPack], Docs] | None] = []
    stamps: list[Any] = []
    visible: list[str] = []  # library files of this folder and the folders before it
    for i, (library, listing) in enumerate(folders):
        visible += [real for _, _, real in library]
        stamp = cache.stamp(visible + [real for _, _, real in listing]) if use_cache else None
        again = i >= len(folders) - recheck
        cached = cache.load("rules", stamp) if stamp is not None and not again else None
        stamps.append(stamp)
        if cached is None or len(cached) != len(library) + len(listing) + 1:
            loaded.append(None)
            continue
        stored: Lib = [(shown, real, e[1], e[2]) for (_, shown, real), e in zip(library, cached)]
        loaded.append((stored, *_from_cache(listing, cached[len(library) : -1], cached[-1])))
    documents: dict[str, Document] = {}
    if None in loaded:  # some folder changed: compile it with the library it sees
        from licensecheck.library import Library, LibraryFile, load_file

        known = KnownFact(vocabulary())
        # a folder read from the cache brings its library files validated (the bundled library
        # when only an organisation's folder changed): only the others are read and checked
        lib_files = [
            [LibraryFile(*_library_file(item)) for item in done[0]]
            if done is not None
            else [load_file(*file) for file in library]
            for (library, _), done in zip(folders, loaded)
        ]
        for i, (_, listing) in enumerate(folders):
            if loaded[i] is None:
                seen = Library([file for files in lib_files[: i + 1] for file in files])
                seen.check(known)
                compiled, docs, entries = _load_files(listing, seen, known, documents)
                if stamps[i] is not None:
                    kept = [
                        ("library", marshal.dumps((file.doc.data, _marks(file.doc, 3))), file.digest)
                        for file in lib_files[i]
                    ]
                    cache.store("rules", stamps[i], kept + entries)
                lib: Lib = [(file.doc, file.path, file.digest) for file in lib_files[i]]
                loaded[i] = (lib, list[Pack | PendingPack](compiled), docs)
    packs = [pack for done in loaded if done for pack in done[1]]
    docs = [doc for done in loaded if done for doc in done[2]]
    catalogs = [doc for kind, doc in docs if kind == "catalog"]
    gpus = [doc for kind, doc in docs if kind == "gpus"]
    heads = [p.head if isinstance(p, PendingPack) else p for p in packs]
    ruleset = RuleSet(packs, license_index(heads), gpu_docs=tuple(gpus))
    check_rule_ids(packs)
    every_file = LibraryFiles(file for done in loaded if done for file in done[0])
    return LoadedRules(ruleset, catalogs, gpus, test_files, every_file, documents)


Docs = list[tuple[str, Document]]  # catalogs and GPU tables: ("catalog" or "gpus", document)
Listing = list[tuple[str, str, str]]
Lib = Sequence[tuple[Document, str, str] | StoredFile]  # library files (see LibraryFiles)


def _marks(doc: Document, depth: int, under: str | None = None) -> dict[Any, tuple[int, int]]:
    return {k: v for k, v in doc.marks.items() if len(k) <= depth and (under is None or k[:1] == (under,))}


def _load_files(
    listing: Listing, lib: Library, known: KnownFact, documents: dict[str, Document]
) -> tuple[list[Pack], Docs, list[Any]]:
    """Parse, validate and compile a folder's files; also the plain data the cache stores for them."""
    from licensecheck.catalog import cached_form, check_catalog

    packs: list[Pack] = []
    docs: Docs = []
    entries: list[Any] = []
    phrases = PhraseTable()
    for path, shown, real in listing:
        doc, raw = _read(path, shown)
        kind = "catalog" if "catalog" in doc.data else "gpus" if "gpus" in doc.data else "pack"
        if kind != "pack":
            if kind == "catalog":
                check_catalog(doc)
            else:
                doc.check("gpus")
            docs.append((kind, doc))
            entries.append(
                (kind, cached_form(doc)) if kind == "catalog" else (kind, doc.data, _marks(doc, 2, "gpus"))
            )
        else:
            check_pack(doc)
            positions = [doc.where(("rules", i, "id")) for i in range(len(doc.data["rules"]))]
            digest = _sha256(raw)
            used = lib.files_used(doc)
            if used:  # the record of the pack changes when the library rules it evaluates do
                digest = _sha256("\n".join([digest, *(file.digest for file in used)]).encode("ascii"))
            pack = compile_pack(lib.resolve_pack(doc), positions, digest, real, known)
            packs.append(pack)
            documents[pack.id] = doc
            entries.append(("pack", _encode_pack(pack, phrases)))
    entries.append(("phrases", tuple(phrases.stored)))  # last: the lists the packs' rules name
    return packs, docs, entries


def _from_cache(
    listing: list[tuple[str, str, str]], cached: list[Any], stored_phrases: tuple[str, tuple[bytes, ...]]
) -> tuple[list[Pack | PendingPack], Docs]:
    """The packs, catalogs and GPU tables as the cache holds them: compiled and validated. A
    pack's rules stay encoded until a run needs them (most runs need the packs of one licence),
    and so does each phrase list (stored once for all the folder's packs)."""
    from licensecheck.catalog import CachedCatalog

    phrases = PhraseTable(stored_phrases[1])
    packs: list[Pack | PendingPack] = []
    docs: Docs = []
    for (path, shown, real), entry in zip(listing, cached):
        if entry[0] == "pack":
            meta, rule_ids, rules, rest = entry[1]
            head = Pack._make((*meta, shown, real, (), *rest))
            packs.append(PendingPack(head, rule_ids, partial(_decode_rules, rules, phrases)))
        elif entry[0] == "catalog":  # built entries, read as they are (see CachedCatalog)
            docs.append(("catalog", CachedCatalog(shown, path, entry[1])))
        else:
            docs.append((entry[0], Document(shown, entry[1], entry[2])))
    return packs, docs


def _encode_pack(pack: Pack, phrases: PhraseTable) -> tuple[Any, ...]:
    rules: tuple[Any, ...] = tuple(
        (
            *rule[:3],
            rule.outcome.value,
            rule.severity.value,
            *rule[5:7],
            encode(rule.when, phrases),
            *rule[8:],
        )
        for rule in pack.rules
    )
    # the fields before `file` and `path` (which the cache entry does not keep), the rule ids,
    # the rules as one marshalled string (unmarshalled only when a run needs the pack), then
    # the fields after `rules`
    return (pack[:9], tuple(rule.id for rule in pack.rules), marshal.dumps(rules), pack[12:])


def _decode_rules(data: bytes, phrases: PhraseTable) -> tuple[Rule, ...]:
    # trusted (encoded from compiled rules): each record made as the tuple of its fields, and
    # the enums found by value in a dict rather than through their classes' call
    outcomes = {o.value: o for o in Outcome}
    severities = {s.value: s for s in Severity}
    return tuple(
        [
            tuple.__new__(
                Rule, (*r[:3], outcomes[r[3]], severities[r[4]], *r[5:7], decode(r[7], phrases), *r[8:])
            )
            for r in marshal.loads(data)
        ]
    )


def _read(path: str, shown: str) -> tuple[Document, bytes]:
    """One rules-folder file, parsed: a rule pack or a catalog (else a located error)."""
    raw = read_text(path, shown).encode("utf-8")
    doc = parse_yaml(raw.decode("utf-8"), shown, "a rule pack starts with `pack:`; see rules/README.md")
    if not isinstance(doc.data, dict):
        raise doc.error(
            (),
            "expected a mapping with `pack:` (a rule pack), `catalog:` (a model catalog)"
            " or `gpus:` (a GPU table)",
        )
    if not {"catalog", "gpus", "pack", "rules"} & set(doc.data):
        keys = ", ".join(sorted(doc.data)) or "none"
        raise doc.error(
            (),
            f"not a rule pack, catalog or GPU table (top-level keys: {keys})",
            "a library file goes in the `lib/` folder of a rules folder"
            if "library" in doc.data
            else "a rule pack starts with `pack:`, a catalog with `catalog:`, a GPU table with `gpus:`;"
            " see rules/README.md",
        )
    return doc, raw


def _display(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path


def check_pack(doc: Document) -> None:
    """Validate one pack document against the schema and the rules the schema cannot say."""
    doc.check("rules")
    meta = doc.data["pack"]
    scope = meta.get("scope", "license")
    if scope == "license" and "license" not in meta:
        raise doc.error(
            ("pack",),
            "a licence pack needs `license:` (the licence id it applies to)",
            "or set `scope: every-model`",
        )
    if scope == "every-model" and "license" in meta:
        raise doc.error(("pack", "license"), "`license:` and `scope: every-model` exclude each other")
    for given, needed in (("source_sha256", "retrieved"), ("retrieved", "source_sha256")):
        if given in meta and needed not in meta:
            raise doc.error(
                ("pack", given),
                f"`{given}:` needs `{needed}:` too",
                "a source text is recorded by its SHA-256 and the date it was retrieved (YYYY-MM-DD)",
            )


def compile_pack(
    doc: Document,
    positions: list[tuple[int, int]],
    digest: str,
    path: str,
    known: KnownFact | None = None,
) -> Pack:
    """A schema-valid pack document with its rules compiled; `known=None` trusts a cached document."""
    meta = doc.data["pack"]
    return Pack(
        id=meta["id"],
        name=meta["name"],
        kind=meta["kind"],
        version=str(meta["version"]),
        source=meta["source"],
        license=meta.get("license"),
        aliases=tuple(meta.get("aliases", ())),
        gated=bool(meta.get("gated", False)),
        digest=digest,
        file=doc.name,
        path=path,
        rules=_compile_rules(doc, positions, known),
        source_sha256=meta.get("source_sha256"),
        retrieved=meta.get("retrieved"),
        distilled_models_are_derivatives=bool(meta.get("distilled_models_are_derivatives", False)),
    )


def _any_fact(path: str) -> bool:
    return True


def _compile_rules(
    doc: Document, positions: list[tuple[int, int]], known: KnownFact | None
) -> tuple[Rule, ...]:
    """Compile the rules of a schema-valid pack document (checking facts unless `known` is None)."""
    meta = doc.data["pack"]
    license_id = meta.get("license")
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, raw_rule in enumerate(doc.data["rules"]):
        rule_id = raw_rule["id"]
        if known is not None:
            _check_rule(doc, i, raw_rule, seen, known)
        try:
            when = compile_condition(raw_rule["when"], known or _any_fact, ())
        except ConditionError as exc:
            raise doc.error(("rules", i, "when") + exc.path, str(exc), exc.hint) from None
        rules.append(
            Rule(
                id=rule_id,
                title=raw_rule["title"],
                category=raw_rule["category"],
                outcome=Outcome(raw_rule["outcome"]),
                severity=Severity(raw_rule["severity"]),
                clause=raw_rule["clause"],
                source=raw_rule.get("source", meta["source"]),
                when=when,
                message=raw_rule["message"],
                remedy=raw_rule.get("remedy", ""),
                text=raw_rule.get("text"),
                on_missing=raw_rule.get("on_missing", "review"),
                confidence=raw_rule.get("confidence"),
                facts=tuple(facts_of(when)),
                pack=meta["id"],
                license=license_id or meta["id"],
                position=tuple(positions[i]),  # type: ignore[arg-type]
                quote=raw_rule.get("quote"),
                data_confidence=raw_rule.get("data_confidence"),
            )
        )
    return tuple(rules)


def _check_rule(
    doc: Document, i: int, raw_rule: dict[str, Any], seen: dict[str, int], known: KnownFact
) -> None:
    """What a rule must satisfy beyond the schema: a unique id, known placeholders, S/U never a violation."""
    rule_id = raw_rule["id"]
    if rule_id in seen:
        raise doc.error(
            ("rules", i, "id"),
            f"duplicate rule id '{rule_id}' (also rule {seen[rule_id] + 1} of this pack)",
        )
    seen[rule_id] = i
    for key in ("message", "remedy", "title"):
        for name in PLACEHOLDER.findall(raw_rule.get(key, "")):
            if not known(name):
                raise doc.error(
                    ("rules", i, key),
                    f"unknown fact '{{{name}}}' in {key}",
                    did_you_mean(name, sorted(known.names)),
                )
    data = raw_rule.get("data_confidence")
    if data is not None and not known(data):
        raise doc.error(
            ("rules", i, "data_confidence"),
            f"unknown fact '{data}' in data_confidence",
            did_you_mean(data, sorted(n for n in known.names if n.endswith("_confidence"))),
        )
    if raw_rule.get("confidence") in ("S", "U") and raw_rule["outcome"] == "violation":
        raise doc.error(
            ("rules", i, "outcome"),
            "a rule resting on a secondary or unverified source (confidence S/U) may not be a violation",
            "make it `review`, or verify the clause in the licensor's text and set confidence P or C",
        )


def _sha256(raw: bytes) -> str:
    import hashlib  # about 3 ms to import: only paid when packs are loaded

    return hashlib.sha256(raw).hexdigest()


def license_index(packs: list[Pack]) -> LicenseIndex:
    """Every licence id and alias of the packs; a pack id, or an alias naming two licences, is an error."""
    aliases: dict[str, str] = {}
    kinds: dict[str, tuple[str, ...]] = {}
    distilled: set[str] = set()
    seen: dict[str, Pack] = {}
    for pack in packs:
        if pack.id in seen:
            raise InputError(
                pack.file,
                1,
                1,
                f"duplicate pack id '{pack.id}' (also in {seen[pack.id].file})",
                "pack ids must be unique",
            )
        seen[pack.id] = pack
        if pack.license is None:
            continue
        kinds[pack.license] = (*kinds.get(pack.license, ()), pack.kind)
        if pack.distilled_models_are_derivatives:
            distilled.add(pack.license)
        for name in (pack.license, *pack.aliases):
            folded = name.casefold()
            owner = aliases.get(folded)
            if owner is not None and owner != pack.license:
                raise InputError(
                    pack.file,
                    1,
                    1,
                    f"alias '{name}' of licence '{pack.license}' already names licence '{owner}'",
                )
            aliases[folded] = pack.license
    return LicenseIndex(aliases, kinds, distilled)


def check_rule_ids(packs: list[Pack | PendingPack]) -> None:
    """Rule ids are unique across all packs: waivers refer to them (packs are decoded only to
    locate a duplicate)."""
    ids = [i for p in packs for i in (p.rule_ids if isinstance(p, PendingPack) else [r.id for r in p.rules])]
    if len(set(ids)) == len(ids):
        return
    seen: dict[str, Rule] = {}
    for pack in (p.load() if isinstance(p, PendingPack) else p for p in packs):
        for rule in pack.rules:
            if rule.id in seen:
                line, col = rule.position
                raise InputError(
                    pack.file,
                    line,
                    col,
                    f"duplicate rule id '{rule.id}' (also in pack '{seen[rule.id].pack}')",
                    "rule ids are unique across all packs; waivers refer to them",
                )
            seen[rule.id] = rule
