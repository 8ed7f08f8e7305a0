"""The rule library: named conditions and phrase lists resolved into packs, shown, linted and cached."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from licensecheck.cli import cli
from licensecheck.errors import InputError
from licensecheck.library import Library, LibraryFile
from licensecheck.packs import LoadedRules, bundled_rules_dir
from licensecheck.packs import load_rules as load
from licensecheck.schema import load_schema


def load_rules(dirs: list[Any], use_cache: bool = True) -> LoadedRules:
    return load([str(d) for d in dirs], use_cache)


def library_of(loaded: LoadedRules) -> Library:
    return Library([LibraryFile(*file) for file in loaded.library])


LIB = """licensecheck: 1
library: {name: Acme building blocks}
conditions:
  - id: acme-marketing
    description: The use is tagged marketing.
    when: {fact: use.domains, contains: marketing}
  - id: acme-marketing-or-kids
    description: Tagged marketing, or the purpose mentions children (a bundled phrase list).
    when:
      any:
        - {use: acme-marketing}
        - {fact: use.purpose, mentions: {use: acme-kids}}
phrases:
  - id: acme-kids
    description: Words for children.
    phrases: [kids, children, "teen*"]
"""

PACK_HEAD = """licensecheck: 1
pack: {id: acme-policy, name: Acme AI policy, kind: policy, scope: every-model, version: "1", source: https://acme.example/p}
rules:
"""


def rule(rule_id: str, when: str) -> str:
    return (
        f"  - id: {rule_id}\n    title: T\n    category: acceptable-use\n    outcome: review\n"
        f"    severity: warning\n    clause: '§1'\n    when: {when}\n    message: M\n"
    )


def org_rules(tmp_path: Path, rules: str, lib: str | None = LIB) -> Path:
    folder = tmp_path / "own"
    (folder / "lib").mkdir(parents=True)
    (folder / "policy.yaml").write_text(PACK_HEAD + rules)
    if lib is not None:
        (folder / "lib" / "acme.yaml").write_text(lib)
    return folder


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def usecase(tmp_path: Path, domains: list[str], purpose: str) -> str:
    data = {
        "name": "t",
        "model": {"id": "phi-3-mini-4k-instruct"},
        "use": {"commercial": True, "distribution": "internal", "domains": domains, "purpose": purpose},
    }
    path = tmp_path / f"uc-{len(list(tmp_path.glob('uc-*')))}.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def fired(tmp_path: Path, folder: Path, domains: list[str], purpose: str) -> dict[str, Any]:
    result = invoke(
        "evaluate", usecase(tmp_path, domains, purpose), "--rules", str(folder), "--format", "json",
        "--fail-on", "never",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["reports"][0]["findings"]
    return {f["rule"]: f["evidence"] for f in findings if f["rule"].startswith("ACME-")}


# ---------------------------------------------------------------------- resolution


def test_references_inside_all_any_not_give_the_same_findings_as_the_spelled_out_condition(
    tmp_path: Path,
) -> None:
    rules = (
        rule("ACME-LIB", "{all: [{use: acme-marketing-or-kids}, {not: {use: tagged-military}}]}")
        + rule(
            "ACME-INLINE",
            "{all: [{any: [{fact: use.domains, contains: marketing}, {fact: use.purpose, mentions: [kids,"
            " children, 'teen*']}]}, {not: {fact: use.domains, contains: military}}]}",
        )
        + rule("ACME-BUNDLED-PHRASES", "{fact: use.purpose, mentions: {use: minor-phrases}}")
    )
    folder = org_rules(tmp_path, rules)
    cases = [
        (["marketing"], "Ads."),
        (["research"], "Homework help for teenagers and their kids."),
        (["marketing", "military"], "Ads."),
        (["research"], "Summaries."),
    ]
    for domains, purpose in cases:
        got = fired(tmp_path, folder, domains, purpose)
        assert got.get("ACME-LIB") == got.get("ACME-INLINE"), (domains, purpose, got)
    assert set(fired(tmp_path, folder, ["research"], "Homework help for kids.")) == {
        "ACME-LIB",
        "ACME-INLINE",
        "ACME-BUNDLED-PHRASES",
    }
    assert fired(tmp_path, folder, ["marketing", "military"], "Ads.") == {}


def test_an_organisation_library_may_use_bundled_entries(tmp_path: Path) -> None:
    lib = LIB + "  - id: acme-minors\n    description: d\n    phrases: [pupils]\n"
    lib = lib.replace(
        "conditions:\n",
        "conditions:\n  - id: acme-minors-anywhere\n    description: d\n"
        "    when: {any: [{use: tagged-minors}, {use: purpose-suggests-minor-audience}]}\n",
    )
    folder = org_rules(tmp_path, rule("ACME-MINORS", "{use: acme-minors-anywhere}") + rule("ACME-X", "{use: acme-marketing-or-kids}") + rule("ACME-P", "{fact: use.purpose, mentions: {use: acme-minors}}"))  # fmt: skip
    (folder / "lib" / "acme.yaml").write_text(lib)
    assert "ACME-MINORS" in fired(tmp_path, folder, ["minors"], "x")
    assert "ACME-MINORS" in fired(tmp_path, folder, ["research"], "for children")
    assert "ACME-MINORS" not in fired(tmp_path, folder, ["research"], "for adults")


def test_resolution_keeps_the_pack_document_and_its_positions(tmp_path: Path) -> None:
    folder = org_rules(tmp_path, rule("ACME-LIB", "{use: acme-marketing}"))
    loaded = load_rules([bundled_rules_dir(), folder])  # the folder is new: compiled, not cached
    pack = loaded.ruleset.pack("acme-policy")
    assert pack is not None
    assert loaded.documents["acme-policy"].data["rules"][0]["when"] == {"use": "acme-marketing"}
    (compiled,) = pack.rules
    assert compiled.facts == ("use.domains",)
    assert compiled.position == (4, 9)


# ---------------------------------------------------------------------- located errors


def error_of(tmp_path: Path, rules: str, lib: str | None = LIB) -> str:
    folder = org_rules(tmp_path, rules, lib)
    here = os.getcwd()
    os.chdir(folder.parent)  # messages name files relative to the current folder
    try:
        with pytest.raises(InputError) as caught:
            load_rules([bundled_rules_dir(), folder])
    finally:
        os.chdir(here)
    return caught.value.render()


def test_an_unknown_reference_is_located_in_the_pack_with_a_suggestion(tmp_path: Path) -> None:
    message = error_of(tmp_path, rule("ACME-X", "{all: [{use: acme-marketin}]}"))
    assert message.startswith("own/policy.yaml:10:24: error: unknown library condition 'acme-marketin'")
    assert "did you mean 'acme-marketing'" in message


def test_a_phrase_list_is_not_a_condition_and_back(tmp_path: Path) -> None:
    message = error_of(tmp_path, rule("ACME-X", "{use: acme-kids}"))
    assert "'acme-kids' is a library phrase list, not a condition" in message
    assert "mentions: {use: NAME}" in message
    message = error_of(tmp_path / "b", rule("ACME-X", "{fact: use.purpose, mentions: {use: acme-marketing}}"))
    assert "'acme-marketing' is a library condition, not a phrase list" in message


def test_only_mentions_takes_a_library_entry(tmp_path: Path) -> None:
    message = error_of(tmp_path, rule("ACME-X", "{fact: use.domains, contains_any: {use: acme-kids}}"))
    assert "'contains_any' cannot take a library entry" in message


def test_a_cycle_is_located_at_the_reference_that_closes_it(tmp_path: Path) -> None:
    lib = (
        "library: {name: loop}\nconditions:\n"
        "  - id: acme-a\n    description: d\n    when: {any: [{fact: use.commercial, eq: true}, {use: acme-b}]}\n"
        "  - id: acme-b\n    description: d\n    when: {not: {use: acme-a}}\n"
    )
    message = error_of(tmp_path, rule("ACME-X", "{use: acme-a}"), lib)
    assert message.startswith(
        "own/lib/acme.yaml:8:23: error: library entry 'acme-a' uses itself: acme-a -> acme-b -> acme-a"
    )


def test_an_unknown_fact_in_an_entry_is_located_in_the_library_file(tmp_path: Path) -> None:
    lib = LIB.replace(
        "when: {fact: use.domains, contains: marketing}", "when: {fact: use.domain, contains: x}"
    )
    message = error_of(tmp_path, rule("ACME-X", "{use: acme-marketing}"), lib)
    assert message.startswith("own/lib/acme.yaml:6:18: error: unknown fact 'use.domain'")


def test_a_nested_reference_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    levels = ["  - id: bomb-0\n    description: d\n    when: {fact: use.commercial, eq: true}\n"]
    for i in range(1, 12):
        parts = ", ".join([f"{{use: bomb-{i - 1}}}"] * 10)
        levels.append(f"  - id: bomb-{i}\n    description: d\n    when: {{any: [{parts}]}}\n")
    lib = "library: {name: bomb}\nconditions:\n" + "".join(levels)
    message = error_of(tmp_path, rule("ACME-X", "{use: bomb-11}"), lib)
    assert "expands to more than 10,000 nodes" in message
    assert message.startswith("own/lib/acme.yaml:")


def test_a_long_chain_of_references_is_refused_as_too_deep(tmp_path: Path) -> None:
    levels = ["  - id: deep-0\n    description: d\n    when: {fact: use.commercial, eq: true}\n"]
    levels += [
        f"  - id: deep-{i}\n    description: d\n    when: {{not: {{use: deep-{i - 1}}}}}\n"
        for i in range(1, 80)
    ]
    lib = "library: {name: deep}\nconditions:\n" + "".join(levels)
    message = error_of(tmp_path, rule("ACME-X", "{use: deep-79}"), lib)
    assert "nests deeper than 64 levels" in message


def test_an_entry_may_not_share_a_name_with_a_bundled_one(tmp_path: Path) -> None:
    lib = LIB.replace("id: acme-marketing\n", "id: tagged-military\n")
    message = error_of(tmp_path, rule("ACME-X", "{use: acme-kids}"), lib)
    assert "duplicate library entry 'tagged-military' (also at rules/lib/acceptable-use.yaml:" in message


# ---------------------------------------------------------------------- rules show, rules lint


def test_rules_show_prints_the_resolved_condition_naming_its_entries() -> None:
    result = invoke("rules", "show", "LLAMA31-MODEL-NAME-PREFIX")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "# llama-derivative-without-prefix: library condition, rules/lib/llama.yaml:" in text
    assert "# makes-available: library condition, rules/lib/distribution.yaml:" in text
    block = text.split("  when:", 1)[1].split("\n", 1)[1]
    assert yaml.safe_load(block) == {
        "all": [
            {"fact": "model.modification", "in": ["fine-tune", "adapter", "merge", "distillation"]},
            {"fact": "derived.makes_available", "eq": True},
            {"not": {"fact": "model.published_name", "startswith": "Llama"}},
        ]
    }


def test_rules_show_names_a_phrase_list_and_shows_an_entry_with_its_users() -> None:
    text = invoke("rules", "show", "GEMINI-AGE-18-TEXT").output
    assert "mentions: [for children, for kids, for teens," in text
    assert "# minor-audience-phrases: library phrase list, rules/lib/phrases.yaml:" in text
    entry = invoke("rules", "show", "minor-phrases")
    assert entry.exit_code == 0
    assert entry.output.startswith("minor-phrases: library phrase list, rules/lib/phrases.yaml:")
    assert (
        "LLAMA31-AUP-MINORS-TEXT" in entry.output and "LLAMA31-AUP-MINORS-SEXUAL-TEXT-PLAIN" in entry.output
    )


def test_lint_rejects_an_unused_entry_of_the_folder_it_lints(tmp_path: Path) -> None:
    folder = org_rules(tmp_path, rule("ACME-X", "{use: acme-marketing}"))
    result = invoke("rules", "lint", str(folder))
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].endswith(
        "own/lib/acme.yaml:7:9: error: library condition 'acme-marketing-or-kids' is not used by any rule"
    )
    assert lines[2].endswith(
        "own/lib/acme.yaml:14:9: error: library phrase list 'acme-kids' is not used by any rule"
    )
    # bundled entries the organisation does not use are not its problem
    (folder / "policy.yaml").write_text(PACK_HEAD + rule("ACME-X", "{use: acme-marketing-or-kids}"))
    result = invoke("rules", "lint", str(folder))
    assert result.exit_code == 0, result.output
    assert "1 packs, 1 rules, 3 library entries, 0 test cases: all valid" in result.output


def test_lint_rejects_an_unknown_entry(tmp_path: Path) -> None:
    folder = org_rules(tmp_path, rule("ACME-X", "{use: acme-nothing}"))
    result = invoke("rules", "lint", str(folder))
    assert result.exit_code == 2
    assert "error: unknown library condition 'acme-nothing'" in result.output


def test_the_bundled_packs_do_not_copy_the_library() -> None:
    """No pack spells out a composite condition or a phrase list that the library holds (single
    facts such as `use.commercial eq true` may stay inline). That every bundled entry is used is
    `rules lint` of the bundled folder (test_cli.py::test_rules_list_show_lint_and_test), which
    rejects an unused entry (test_lint_rejects_an_unused_entry_of_the_folder_it_lints)."""
    loaded = load_rules([bundled_rules_dir()], use_cache=False)
    library = library_of(loaded)
    spelled = {json.dumps(library.expansion(name), sort_keys=True): name for name in library.entries}
    for doc in loaded.documents.values():
        for raw in doc.data["rules"]:
            for node in _conditions(raw["when"]):
                composite = node is raw["when"] or not {"all", "any", "not"}.isdisjoint(node)
                copied = spelled.get(json.dumps(node, sort_keys=True)) if composite else None
                assert copied is None, f"{raw['id']} spells out library entry '{copied}'"
                if isinstance(node.get("mentions"), list):
                    copied = spelled.get(json.dumps(node["mentions"], sort_keys=True))
                    assert copied is None, f"{raw['id']} copies phrase list '{copied}'"


def _conditions(cond: Any) -> list[Any]:
    out = [cond]
    for key in ("all", "any"):
        for part in cond.get(key, ()):
            out += _conditions(part)
    if "not" in cond:
        out += _conditions(cond["not"])
    return out


# ---------------------------------------------------------------------- cache, digest, schema


def test_a_changed_library_entry_changes_rule_results_through_the_cache(tmp_path: Path) -> None:
    lib = "library: {name: a}\nconditions:\n  - id: acme-tag\n    description: d\n    when: {fact: use.domains, contains: TAG}\n"
    folder = org_rules(tmp_path, rule("ACME-X", "{use: acme-tag}"), lib.replace("TAG", "marketing"))
    assert "ACME-X" in fired(tmp_path, folder, ["marketing"], "x")
    assert "ACME-X" in fired(tmp_path, folder, ["marketing"], "x")  # from the cache
    digest_before = _digest(folder)
    (folder / "lib" / "acme.yaml").write_text(lib.replace("TAG", "education"))
    assert "ACME-X" not in fired(tmp_path, folder, ["marketing"], "x")
    assert "ACME-X" in fired(tmp_path, folder, ["education"], "x")
    assert _digest(folder) != digest_before


def _record_compiled_folders(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """From now on, the files (as messages name them) of every folder load_rules compiles, a list each."""
    from licensecheck import packs

    compiled: list[list[str]] = []
    compile_files = packs._load_files

    def spy(listing: Any, *rest: Any) -> Any:
        compiled.append([shown for _, shown, _ in listing])
        return compile_files(listing, *rest)

    monkeypatch.setattr(packs, "_load_files", spy)
    return compiled


def test_an_organisation_library_never_recompiles_the_bundled_packs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from licensecheck import library

    load_rules([bundled_rules_dir()])  # the bundled folder is cached (if it was not yet)
    compiled = _record_compiled_folders(monkeypatch)
    read: list[str] = []  # library files read and checked from their YAML
    load_file = library.load_file
    monkeypatch.setattr(library, "load_file", lambda *file: read.append(file[1]) or load_file(*file))
    folder = org_rules(tmp_path, rule("ACME-X", "{use: acme-marketing}"))
    load_rules([bundled_rules_dir(), folder])
    (folder / "lib" / "acme.yaml").write_text(LIB.replace("contains: marketing", "contains: education"))
    load_rules([bundled_rules_dir(), folder])
    assert len(compiled) == 2, compiled  # the organisation's folder, once per library edit
    assert not [shown for files in compiled for shown in files if shown.startswith("rules/")]
    # the bundled library comes validated from its folder's cache entry; only the edited one is read
    assert [shown.rsplit("/", 1)[-1] for shown in read] == ["acme.yaml", "acme.yaml"], read
    assert "ACME-X" in fired(tmp_path, folder, ["education"], "x")  # the edit took effect
    assert "ACME-X" not in fired(tmp_path, folder, ["marketing"], "x")


def test_lint_checks_its_folder_again_and_takes_the_bundled_packs_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = org_rules(tmp_path, rule("ACME-X", "{use: acme-marketing-or-kids}"))
    load_rules([bundled_rules_dir(), folder])  # both folders cached
    compiled = _record_compiled_folders(monkeypatch)
    result = invoke("rules", "lint", "--", str(folder))
    assert result.exit_code == 0, result.output
    assert [[shown.rsplit("/", 1)[-1] for shown in files] for files in compiled] == [["policy.yaml"]]
    (folder / "lib" / "acme.yaml").write_text(
        LIB + "  - id: acme-unused\n    description: d\n    phrases: [x]\n"
    )
    result = invoke("rules", "lint", "--", str(folder))
    assert result.exit_code == 2 and "'acme-unused' is not used by any rule" in result.output


def test_a_pack_does_not_see_the_library_of_a_folder_given_after_it(tmp_path: Path) -> None:
    first = tmp_path / "first"
    first.mkdir()
    (first / "policy.yaml").write_text(PACK_HEAD + rule("ACME-X", "{use: acme-marketing}"))
    second = tmp_path / "second"
    (second / "lib").mkdir(parents=True)
    (second / "lib" / "acme.yaml").write_text(LIB)
    (second / "other.yaml").write_text(
        PACK_HEAD.replace("acme-policy", "acme-other") + rule("ACME-Y", "{use: acme-marketing}")
    )
    with pytest.raises(InputError, match="unknown library condition 'acme-marketing'") as caught:
        load_rules([bundled_rules_dir(), first, second])
    assert caught.value.file.endswith(os.path.join("first", "policy.yaml")), caught.value.file
    # given the other way round, the library's folder comes first and both packs compile
    loaded = load_rules([bundled_rules_dir(), second, first])
    assert loaded.ruleset.pack("acme-policy") is not None and loaded.ruleset.pack("acme-other") is not None


def _digest(folder: Path) -> str:
    pack = load_rules([bundled_rules_dir(), folder]).ruleset.pack("acme-policy")
    assert pack is not None
    return pack.digest


def test_a_pack_without_library_references_keeps_its_file_digest() -> None:
    import hashlib

    pack = load_rules([bundled_rules_dir()]).ruleset.pack("provider-terms")
    assert pack is not None
    raw = (Path(bundled_rules_dir()) / "licenses" / "provider-terms.yaml").read_bytes()
    assert re.search(rb"\buse:", raw) is None  # no library reference in the pack
    assert pack.digest == hashlib.sha256(raw).hexdigest()


def test_schema_library_is_printed_and_shares_the_condition_language_with_packs() -> None:
    result = invoke("schema", "library")
    assert result.exit_code == 0
    assert json.loads(result.output) == load_schema("library")
    library, rules = load_schema("library")["$defs"], load_schema("rules")["$defs"]
    for name in ("condition", "reference", "leaf"):
        assert library[name] == rules[name], name


def test_an_empty_library_resolves_nothing_and_knows_no_entries() -> None:
    library = Library()
    assert library.entries == {}
    assert library.uses({"all": [{"fact": "use.commercial", "eq": True}]}) == []


def test_a_library_file_outside_lib_is_named_as_such(tmp_path: Path) -> None:
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "acme.yaml").write_text(LIB)
    with pytest.raises(InputError) as caught:
        load_rules([bundled_rules_dir(), folder])
    assert caught.value.hint == "a library file goes in the `lib/` folder of a rules folder"


def test_a_pack_whose_references_expand_beyond_a_document_is_refused(tmp_path: Path) -> None:
    leaves = ", ".join(["{fact: use.commercial, eq: true}"] * 150)
    groups = ", ".join(["{use: acme-group}"] * 20)  # 20 x 452 + 2 = 9,042 nodes: under the entry limit
    lib = (
        "library: {name: big}\nconditions:\n"
        f"  - id: acme-group\n    description: d\n    when: {{any: [{leaves}]}}\n"
        f"  - id: acme-big\n    description: d\n    when: {{any: [{groups}]}}\n"
    )
    rules = "".join(rule(f"ACME-R{i}", "{use: acme-big}") for i in range(23))  # 23 x 9,042 > 200,000
    message = error_of(tmp_path, rules, lib)
    assert "the pack's conditions expand to more than 200,000 nodes through library references" in message
    assert message.startswith("own/policy.yaml:186:11: error:")
