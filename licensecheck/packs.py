"""Rule packs and catalogs: find them in directories, validate them, compile them once.

A rules directory holds YAML files of four kinds, told apart by their top-level key or name:
rule packs (`pack:`), model catalogs (`catalog:`), GPU tables (`gpus:`) and pack tests
(`*.tests.yaml`, used by `licensecheck rules test`); its `lib/` subfolder holds the rule library
(licensecheck.library), whose named conditions packs use. Every problem is an InputError at the
file, line and column.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from licensecheck.conditions import Condition, ConditionError, compile_condition, facts_of
from licensecheck.errors import InputError, did_you_mean
from licensecheck.facts import KnownFact, vocabulary
from licensecheck.library import Library, LibraryFile, in_library, load_file
from licensecheck.model import Outcome, Severity
from licensecheck.schema import validate
from licensecheck.yamlsource import Document, parse_yaml, read_text

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_.\[\]]*)\}")
TESTS_SUFFIXES = (".tests.yaml", ".tests.yml")


def bundled_rules_dir() -> Path:
    """The bundled rules: inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "rules"
    if installed.is_dir():
        return installed
    return here.parent / "rules"


class Rule(NamedTuple):
    """One compiled rule (a NamedTuple like the condition nodes: cheap to define at start-up)."""

    id: str
    title: str
    category: str
    outcome: Outcome
    severity: Severity
    clause: str
    source: str
    when: Condition
    message: str
    remedy: str
    text: str | None
    on_missing: str
    confidence: str | None
    facts: tuple[str, ...]
    pack: str
    license: str
    position: tuple[int, int] = (1, 1)
    quote: str | None = None  # the verbatim clause sentence the rule rests on


@dataclass(frozen=True)
class Pack:
    """One compiled rule pack."""

    id: str
    name: str
    kind: str
    version: str
    source: str
    license: str | None
    aliases: tuple[str, ...]
    gated: bool
    digest: str
    file: str
    path: str = ""
    effective: str | None = None
    spdx: str | None = None
    notes: str | None = None
    compiled: tuple[Rule, ...] | None = field(default=None, repr=False, compare=False)
    doc: Document | None = field(default=None, repr=False, compare=False)
    blob: bytes | None = field(default=None, repr=False, compare=False)  # cached rules, not yet read
    library: Library | None = field(default=None, repr=False, compare=False)  # what its rules may use

    @cached_property
    def rules(self) -> tuple[Rule, ...]:
        """The compiled rules; a pack read from the cache compiles them on first use only."""
        if self.compiled is not None:
            return self.compiled
        doc = (self.library or Library()).resolve_pack(self.document())
        return _compile_rules(doc, KnownFact(vocabulary()))

    def document(self) -> Document:
        """The pack's rules as written (library references unresolved), with their positions."""
        if self.doc is not None:
            return self.doc
        import marshal

        assert self.blob is not None
        rules, marks = marshal.loads(self.blob)
        return Document(self.file, {"pack": self._meta(), "rules": rules}, marks)

    def rule_ids(self) -> tuple[str, ...]:
        """The ids of the pack's rules, without compiling them (waiver globs are checked on ids)."""
        if self.compiled is not None or "rules" in self.__dict__ or (self.doc is None and self.blob is None):
            return tuple(rule.id for rule in self.rules)
        return tuple(str(rule["id"]) for rule in self.document().data["rules"])

    def _meta(self) -> dict[str, object]:
        meta: dict[str, object] = {"id": self.id, "source": self.source}
        if self.license is not None:
            meta["license"] = self.license
        return meta


@dataclass
class RuleSet:
    """All packs of a run, indexed by licence so a model meets only the rules that can apply."""

    packs: list[Pack] = field(default_factory=list)
    catalog_files: list[Document] = field(default_factory=list)
    gpu_files: list[Document] = field(default_factory=list)
    test_files: list[str] = field(default_factory=list)
    license_ids: dict[str, str] = field(default_factory=dict)  # alias (folded) -> licence id
    by_license: dict[str, list[Pack]] = field(default_factory=dict)
    every_model: list[Pack] = field(default_factory=list)
    validated_catalogs: set[str] = field(default_factory=set)  # catalog and GPU files already schema-checked
    library: Library = field(default_factory=Library)  # the named conditions packs may use
    _rule_index: dict[str, Rule] | None = field(default=None, repr=False)

    @property
    def rule_index(self) -> dict[str, Rule]:
        """Rule id -> rule over all packs (compiles every pack: for listing and pack tests)."""
        if self._rule_index is None:
            self._rule_index = {rule.id: rule for pack in self.packs for rule in pack.rules}
        return self._rule_index

    def resolve_license(self, name: str) -> str | None:
        """The licence id for a tag, SPDX id or alias (case-insensitive), or None if unknown."""
        return self.license_ids.get(name.casefold())

    def packs_for(self, licenses: list[str]) -> list[Pack]:
        chosen = list(self.every_model)
        for lic in licenses:
            for pack in self.by_license.get(lic, ()):
                if pack not in chosen:
                    chosen.append(pack)
        return chosen

    def pack(self, pack_id: str) -> Pack | None:
        return next((p for p in self.packs if p.id == pack_id), None)


MAX_TREE_DEPTH = 64


def yaml_files(directory: Path) -> list[Path]:
    """Every *.yaml / *.yml file below `directory`, sorted, hidden files and folders skipped."""
    return files_below(directory, (".yaml", ".yml"))


def files_below(directory: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Files ending in one of `suffixes` below `directory`, in os.walk's order with sorted names.

    Hidden files and folders are skipped and links to folders are not followed (as os.walk
    does). The walk keeps its own stack instead of recursing, and a tree deeper than
    MAX_TREE_DEPTH is an InputError: a folder from a pull request is untrusted input too.
    """
    found: list[Path] = []
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
                found.append(Path(root) / entry.name)
        if folders and depth >= MAX_TREE_DEPTH:
            raise InputError(
                str(directory),
                None,
                None,
                f"folders nested more than {MAX_TREE_DEPTH} levels deep",
                "give the folder that holds the files; a tree this deep is a copy or link gone wrong",
            )
        stack.extend((folder, depth + 1) for folder in reversed(folders))
    return found


def load_rules(dirs: list[Path], display_base: Path | None = None) -> RuleSet:
    """Load every pack and catalog in `dirs` (the bundled rules come first).

    The first load validates and compiles everything and stores the validated documents in a
    cache (see licensecheck.cache); later loads of the same, unchanged files skip parsing and
    validation and compile a pack's rules only when a model meets them.
    """
    from licensecheck import cache

    listing: list[tuple[Path, str]] = []
    lib_listing: list[tuple[Path, str]] = []  # library files: loaded before any pack compiles
    real: dict[Path, str] = {}  # file -> its real path (realpath once per folder: it is slow)
    ruleset = RuleSet()
    bundled_dir = os.path.realpath(bundled_rules_dir())
    for directory in dirs:
        if not os.path.isdir(directory):
            raise InputError(
                str(directory), None, None, "rules directory not found", "give a folder of rule packs"
            )
        files = yaml_files(directory)
        if not files:
            raise InputError(str(directory), None, None, "no *.yaml rule packs or catalogs in this folder")
        folder = os.path.realpath(directory)
        bundled = folder == bundled_dir
        for path in files:
            if path.name.endswith(TESTS_SUFFIXES):
                ruleset.test_files.append(str(path))
                continue
            real[path] = os.path.join(folder, os.path.relpath(path, directory))
            shown = (
                "rules/" + path.relative_to(directory).as_posix() if bundled else _display(path, display_base)
            )
            (lib_listing if in_library(path, directory) else listing).append((path, shown))
    # The key covers the library files too: a changed library entry changes the packs using it.
    stamp = cache.stamp([real[path] for path, _ in lib_listing + listing])
    cached = cache.load("rules", stamp) if stamp is not None else None
    if cached is not None and len(cached) == len(lib_listing) + len(listing):
        ruleset.library = Library(
            [
                LibraryFile(Document(shown, data, marks), real_path, digest)
                for (_, shown), (_, data, marks, real_path, digest) in zip(lib_listing, cached)
            ]
        )
        for (path, shown), entry in zip(listing, cached[len(lib_listing) :]):
            if entry[0] in ("catalog", "gpus"):
                kept = ruleset.catalog_files if entry[0] == "catalog" else ruleset.gpu_files
                kept.append(Document(shown, entry[1], entry[2]))
                ruleset.validated_catalogs.add(shown)
            else:
                _, meta, blob, digest = entry
                pack = _pack_of(
                    Document(shown, {"pack": meta}), digest, real[path], blob=blob, library=ruleset.library
                )
                _add_pack(ruleset, pack, check_rules=False)
        return ruleset
    import marshal

    from licensecheck.catalog import check_catalog
    from licensecheck.gpus import check_gpus

    known = KnownFact(vocabulary())
    entries: list[tuple[object, ...]] = []
    lib_files = [load_file(str(path), shown, real[path]) for path, shown in lib_listing]
    ruleset.library = Library(lib_files)
    ruleset.library.check(known)
    for file in lib_files:
        marks = {k: v for k, v in file.doc.marks.items() if len(k) <= 3}
        entries.append(("library", file.doc.data, marks, file.path, file.digest))
    for path, shown in listing:
        raw = read_text(str(path), shown).encode("utf-8")
        doc = parse_yaml(raw.decode("utf-8"), shown, "a rule pack starts with `pack:`; see rules/README.md")
        if not isinstance(doc.data, dict):
            raise doc.error(
                (),
                "expected a mapping with `pack:` (a rule pack), `catalog:` (a model catalog)"
                " or `gpus:` (a GPU table)",
            )
        if "catalog" in doc.data:
            check_catalog(doc)
            ruleset.catalog_files.append(doc)
            ruleset.validated_catalogs.add(shown)
            marks = {k: v for k, v in doc.marks.items() if len(k) <= 2 and k[:1] == ("models",)}
            entries.append(("catalog", doc.data, marks))
        elif "gpus" in doc.data:
            check_gpus(doc)
            ruleset.gpu_files.append(doc)
            ruleset.validated_catalogs.add(shown)
            marks = {k: v for k, v in doc.marks.items() if len(k) <= 2 and k[:1] == ("gpus",)}
            entries.append(("gpus", doc.data, marks))
        elif "pack" in doc.data or "rules" in doc.data:
            digest = _sha256(raw)
            pack = compile_pack(doc, raw, known, real[path], digest, ruleset.library)
            _add_pack(ruleset, pack)
            marks = {
                k[1:]: v for k, v in doc.marks.items() if len(k) == 3 and k[0] == "rules" and k[2] == "id"
            }
            blob = marshal.dumps((doc.data["rules"], {("rules", *k): v for k, v in marks.items()}))
            entries.append(("pack", doc.data["pack"], blob, pack.digest))
        else:
            keys = ", ".join(sorted(doc.data)) or "none"
            raise doc.error(
                (),
                f"not a rule pack, catalog or GPU table (top-level keys: {keys})",
                "a library file goes in the `lib/` folder of a rules folder"
                if "library" in doc.data
                else "a rule pack starts with `pack:`, a catalog with `catalog:`, a GPU table with `gpus:`;"
                " see rules/README.md",
            )
    if stamp is not None:
        cache.store("rules", stamp, entries)
    return ruleset


def _display(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            pass
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def compile_pack(
    doc: Document,
    raw: bytes,
    known: KnownFact,
    path: str = "",
    digest: str = "",
    library: Library | None = None,
) -> Pack:
    """Validate one pack document, resolve its library references and compile its conditions.

    InputError on the first problem. The pack's digest is its file's sha256; for a pack that uses
    library entries, the sha256 of its file's sha256 and those of the library files it uses, so a
    report's record of the pack changes when the rules it evaluated do."""
    errors = validate(doc.data, "rules")
    if errors:
        first = errors[0]
        raise doc.error(first.path, first.message, first.hint, first.at_key)
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
    library = library or Library()
    rules = _compile_rules(library.resolve_pack(doc), known)
    digest = digest or _sha256(raw)
    used = library.files_used(doc)
    if used:
        digest = _sha256("\n".join([digest, *(file.digest for file in used)]).encode("ascii"))
    return _pack_of(doc, digest, path, rules, library=library)


def _pack_of(
    doc: Document,
    digest: str,
    path: str,
    rules: tuple[Rule, ...] | None = None,
    blob: bytes | None = None,
    library: Library | None = None,
) -> Pack:
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
        effective=meta.get("effective"),
        spdx=meta.get("spdx"),
        notes=meta.get("notes"),
        path=path,
        compiled=rules,
        doc=None if blob is not None else doc,
        blob=blob,
        library=library,
    )


def _compile_rules(doc: Document, known: KnownFact) -> tuple[Rule, ...]:
    """Compile the rules of a schema-valid pack document."""
    meta = doc.data["pack"]
    license_id = meta.get("license")
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, raw_rule in enumerate(doc.data["rules"]):
        rule_id = raw_rule["id"]
        if rule_id in seen:
            raise doc.error(
                ("rules", i, "id"),
                f"duplicate rule id '{rule_id}' (also rule {seen[rule_id] + 1} of this pack)",
            )
        seen[rule_id] = i
        try:
            when = compile_condition(raw_rule["when"], known, ())
        except ConditionError as exc:
            raise doc.error(("rules", i, "when") + exc.path, str(exc), exc.hint) from None
        for key in ("message", "remedy", "title"):
            for name in PLACEHOLDER.findall(raw_rule.get(key, "")):
                if not known(name):
                    raise doc.error(
                        ("rules", i, key),
                        f"unknown fact '{{{name}}}' in {key}",
                        did_you_mean(name, sorted(known.names)),
                    )
        if raw_rule.get("confidence") in ("S", "U") and raw_rule["outcome"] == "violation":
            raise doc.error(
                ("rules", i, "outcome"),
                "a rule resting on a secondary or unverified source (confidence S/U) may not be a violation",
                "make it `review`, or verify the clause in the licensor's text and set confidence P or C",
            )
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
                position=doc.where(("rules", i, "id")),
                quote=raw_rule.get("quote"),
            )
        )
    return tuple(rules)


def _sha256(raw: bytes) -> str:
    import hashlib  # about 3 ms to import: only paid when packs are loaded

    return hashlib.sha256(raw).hexdigest()


def _add_pack(ruleset: RuleSet, pack: Pack, check_rules: bool = True) -> None:
    if ruleset.pack(pack.id) is not None:
        other = ruleset.pack(pack.id)
        assert other is not None
        raise InputError(
            pack.file,
            1,
            1,
            f"duplicate pack id '{pack.id}' (also in {other.file})",
            "pack ids must be unique",
        )
    # Rule ids are unique across packs: checked when the packs are first loaded (a cached load
    # is of the same files, so it skips the check and leaves compilation for later).
    seen: dict[str, Rule] = {}
    if check_rules:
        if ruleset._rule_index is None:
            ruleset._rule_index = {}
        seen = ruleset._rule_index
    for rule in pack.rules if check_rules else ():
        if rule.id in seen:
            first = seen[rule.id]
            line, col = rule.position
            raise InputError(
                pack.file,
                line,
                col,
                f"duplicate rule id '{rule.id}' (also in pack '{first.pack}')",
                "rule ids are unique across all packs; waivers refer to them",
            )
        seen[rule.id] = rule
    ruleset.packs.append(pack)
    if pack.license is None:
        ruleset.every_model.append(pack)
        return
    for name in (pack.license, *pack.aliases):
        folded = name.casefold()
        owner = ruleset.license_ids.get(folded)
        if owner is not None and owner != pack.license:
            raise InputError(
                pack.file, 1, 1, f"alias '{name}' of licence '{pack.license}' already names licence '{owner}'"
            )
        ruleset.license_ids[folded] = pack.license
    ruleset.by_license.setdefault(pack.license, []).append(pack)
