"""Pack tests: cases next to each pack that must fire, and must not fire, its rules.

A file `<name>.tests.yaml` names a pack and lists use cases (merged over an optional `base`).
Each case says which rules must fire (give their declared outcome), which must not give any
finding, optionally the outcome per rule and the verdict. The meta-check fails a pack whose
rules lack a firing case or a non-firing case.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from licensecheck.basics import check_gpu
from licensecheck.document import Document
from licensecheck.records import NamedTuple

if TYPE_CHECKING:
    from licensecheck.api import Context
    from licensecheck.catalog import Catalog
from licensecheck.engine import evaluate
from licensecheck.errors import InputError, InputErrors
from licensecheck.model import Outcome, Pack, Rule, RuleSet
from licensecheck.packs import LIBRARY_FOLDER, TESTS_SUFFIXES, bundled_rules_dir, load_rules, yaml_files
from licensecheck.resolve import resolve_model
from licensecheck.usecase import parse_usecase
from licensecheck.yamlsource import parse_yaml, read_text


@dataclass
class TestResult:
    passed: int = 0
    failures: list[str] = field(default_factory=list)


class LintResult(NamedTuple):
    """What `rules lint` found valid in a folder."""

    packs: int
    rules: int
    cases: int
    entries: int = 0  # library entries written in the folder


def lint_rules(directory: Path) -> LintResult:
    """Validate every rule pack, catalog and pack test in `directory` (with the bundled packs)."""
    from licensecheck.catalog import build_catalog
    from licensecheck.gpus import build_gpu_table
    from licensecheck.library import Library, LibraryFile

    dirs = [str(directory)] if is_bundled(directory) else [bundled_rules_dir(), str(directory)]
    # the folder linted is read and checked again; the bundled packs beside it may come from the
    # cache, which holds only packs that passed the same checks when it was filled
    loaded = load_rules(dirs, recheck=1)
    build_catalog(loaded.catalogs)
    build_gpu_table(loaded.gpus)
    cases = lint_tests(loaded.ruleset, directory)
    library = Library([LibraryFile(*file) for file in loaded.library])
    conditions = (rule["when"] for doc in loaded.documents.values() for rule in doc.data["rules"])
    unused = library.unused(directory, conditions)
    if unused:
        hint = "use it from a pack (`when: {use: NAME}`, `mentions: {use: NAME}`) or remove it"
        raise InputErrors(
            [e.error(f"library {e.kind} '{e.name}' is not used by any rule", hint) for e in unused]
        )
    own = [p for p in loaded.ruleset.packs if directory.resolve() in Path(p.path).parents]
    unquoted = [unquoted_error(pack, rule) for pack in own for rule in pack.rules if needs_quote(rule)]
    if unquoted:
        raise InputErrors(unquoted)
    return LintResult(len(own), sum(len(p.rules) for p in own), cases, len(library.entries_in(directory)))


# Rules that need no `quote` although they are a violation or an obligation (rules/README.md,
# "Quotes"): a deployment constraint compares the use case's requirements with catalog facts and
# rests on no licence text; a rule read only in a secondary or unverified source (confidence S or
# U) has no verbatim text to quote, and the loader already refuses it as a violation.
QUOTE_EXEMPT_CATEGORIES = frozenset({"constraint"})
QUOTE_EXEMPT_CONFIDENCE = frozenset({"S", "U"})


def needs_quote(rule: Rule) -> bool:
    """Whether `rules lint` refuses the rule for lacking the verbatim sentence it rests on."""
    return (
        rule.outcome in (Outcome.VIOLATION, Outcome.OBLIGATION)
        and not rule.quote
        and rule.category not in QUOTE_EXEMPT_CATEGORIES
        and rule.confidence not in QUOTE_EXEMPT_CONFIDENCE
    )


def unquoted_error(pack: Pack, rule: Rule) -> InputError:
    line, col = rule.position
    return InputError(
        pack.file,
        line,
        col,
        f"rule {rule.id} is {'an' if rule.outcome is Outcome.OBLIGATION else 'a'} {rule.outcome.value} "
        "without a `quote`: a reviewer cannot check the "
        "clause it rests on",
        "add `quote:` with the licence's own sentence, verbatim (at most 400 characters); only a "
        "rule not read in the licensor's words (confidence S or U, never a violation) or a "
        "deployment constraint goes without (rules/README.md, Quotes)",
    )


def run_pack_tests(directory: Path) -> TestResult:
    """Run the pack tests in `directory`; every rule needs a case that fires it and one that does not."""
    from licensecheck.api import load_context

    return run_tests(load_context((directory,), bundled=not is_bundled(directory)), directory)


def is_bundled(directory: Path) -> bool:
    """Whether a folder is the bundled rules or a copy of them (a checkout of this repository's rules/).

    Such a folder replaces the bundled rules instead of adding to them: loading both would make
    every pack a duplicate. An organisation's own folder uses its own file names.
    """
    given, bundled = directory.resolve(), Path(bundled_rules_dir()).resolve()
    if given == bundled:
        return True
    if not os.path.isdir(given):  # not Path.is_dir: it raises on a name too long to look up
        return False
    # Library files do not count: an organisation's lib/common.yaml may share a bundled name.
    inside = (Path(p).relative_to(given) for p in yaml_files(given))
    return any((bundled / p).is_file() for p in inside if p.parts[0] != LIBRARY_FOLDER or len(p.parts) == 1)


def merge(base: Any, over: Any) -> Any:
    """Mappings merged key by key (a null removes the key), everything else replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = merge(base.get(key), value) if key in base else value
        return out
    return over


def _test_docs(directory: Path) -> list[Document]:
    docs = []
    for path in yaml_files(directory):
        if path.endswith(TESTS_SUFFIXES):
            doc = parse_yaml(read_text(path), path)
            if not isinstance(doc.data, dict):
                raise doc.error((), "a pack test file must be a mapping with `pack:` and `cases:`")
            doc.check("ruletests")
            docs.append(doc)
    return docs


def lint_tests(ruleset: RuleSet, directory: Path) -> int:
    """Validate the test files in `directory`; return the number of cases."""
    from licensecheck.catalog import Catalog

    count = 0
    for doc in _test_docs(directory):
        _check_refs(ruleset, doc)
        with_test_data(doc, Catalog(), ruleset)
        count += len(doc.data["cases"])
    return count


def with_test_data(doc: Document, catalog: Catalog, ruleset: RuleSet) -> tuple[Catalog, RuleSet]:
    """The catalog and rule set a test file's cases run with: its own `models` and `gpus` added.

    They are validated as a catalog and a GPU table would be, located in the test file, and seen
    by this file's cases only, so a case pins the lifecycle, limits and prices it tests.
    """
    if "models" in doc.data:
        combined = catalog.copy()
        combined.add(
            doc.with_data({"catalog": {"name": f"{doc.name} (pack tests)"}, "models": doc.data["models"]})
        )
        catalog = combined
    if "gpus" in doc.data:
        from licensecheck.gpus import build_gpu_table, check_gpus

        table = doc.with_data({"gpu_table": {"name": f"{doc.name} (pack tests)"}, "gpus": doc.data["gpus"]})
        check_gpus(table)
        docs = (*ruleset.gpu_docs, table)
        build_gpu_table(list(docs), {d.name for d in docs})  # a repeated GPU id is an error here
        ruleset = RuleSet(ruleset.packs, ruleset.licenses, gpu_docs=docs)
    return catalog, ruleset


def _check_refs(ruleset: RuleSet, doc: Document) -> None:
    pack = ruleset.pack(doc.data["pack"])
    if pack is None:
        raise doc.error(("pack",), f"no pack '{doc.data['pack']}' to test")
    for i, case in enumerate(doc.data["cases"]):
        for key in ("fires", "not_fires"):
            for j, rule_id in enumerate(case.get(key, [])):
                if rule_id not in ruleset.rules:
                    raise doc.error(("cases", i, key, j), f"unknown rule '{rule_id}'")
        for rule_id in case.get("outcomes", {}):
            if rule_id not in ruleset.rules:
                raise doc.error(("cases", i, "outcomes", rule_id), f"unknown rule '{rule_id}'")


def run_tests(ctx: Context, directory: Path, as_of: str = "2026-01-01") -> TestResult:
    """Run every case in `directory` and the per-rule meta-check."""
    result = TestResult()
    ruleset: RuleSet = ctx.ruleset
    tested: dict[str, tuple[set[str], set[str]]] = {}
    for doc in _test_docs(directory):
        _check_refs(ruleset, doc)
        pack = ruleset.pack(doc.data["pack"])
        assert pack is not None
        fired_somewhere, quiet_somewhere = tested.setdefault(pack.id, (set(), set()))
        base = doc.data.get("base", {})
        catalog, rules = with_test_data(doc, ctx.catalog, ruleset)
        for i, case in enumerate(doc.data["cases"]):
            where = f"{doc.name}:{doc.where(('cases', i))[0]}"
            data = merge(base, case["usecase"])
            case_doc = doc.sub(("cases", i, "usecase"), data)
            try:
                usecase = parse_usecase(case_doc)
                check_gpu(usecase, rules)
                model = resolve_model(usecase, catalog, ruleset.licenses)
            except InputError as exc:
                line = doc.where(("cases", i, "usecase"))[0]
                raise InputError(
                    doc.name, line, 1, f"case '{case['name']}': {exc.message}", exc.hint
                ) from None
            report = evaluate(usecase, model, rules, (), case.get("as_of", as_of))
            found = {f.rule: f for f in report.findings}
            problems = []
            for rule_id in case.get("fires", []):
                want = case.get("outcomes", {}).get(rule_id, ruleset.rules[rule_id].outcome.value)
                got = found.get(rule_id)
                if got is None:
                    problems.append(f"{rule_id} did not fire")
                elif got.outcome.value != want:
                    problems.append(f"{rule_id} gave {got.outcome.value}, expected {want} ({got.message})")
                else:
                    fired_somewhere.add(rule_id)
            for rule_id in case.get("not_fires", []):
                if rule_id in found:
                    problems.append(f"{rule_id} fired: {found[rule_id].message}")
                else:
                    quiet_somewhere.add(rule_id)
            for rule_id, want in case.get("outcomes", {}).items():
                if rule_id in case.get("fires", []):
                    continue
                got = found.get(rule_id)
                if got is None or got.outcome.value != want:
                    problems.append(
                        f"{rule_id} expected {want}, got {got.outcome.value if got else 'nothing'}"
                    )
            if "verdict" in case and report.verdict.value != case["verdict"]:
                problems.append(f"verdict {report.verdict.value}, expected {case['verdict']}")
            if problems:
                result.failures.append(f"{where} {case['name']}: " + "; ".join(problems))
            else:
                result.passed += 1
    for pack in ruleset.packs:
        if not _pack_in(pack.path, directory):
            continue
        fired, quiet = tested.get(pack.id, (set(), set()))
        for rule in pack.rules:
            lacks = [
                what
                for what, seen in (("a case that fires it", fired), ("a case that does not", quiet))
                if rule.id not in seen
            ]
            if lacks:
                result.failures.append(f"{pack.file}: rule {rule.id} lacks " + " and ".join(lacks))
    return result


def _pack_in(file: str, directory: Path) -> bool:
    try:
        Path(file).resolve().relative_to(directory.resolve())
        return True
    except ValueError:
        return False
