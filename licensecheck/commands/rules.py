"""`licensecheck rules`: browse, validate and test rule packs."""

from __future__ import annotations

import sys

import click

from licensecheck.cli import _Commands, _emit
from licensecheck.errors import InputError
from licensecheck.text import terminal


@click.group(cls=_Commands)
def rules() -> None:
    """Rule packs: browse, validate, run their tests."""


@rules.command("list")
@click.option("--rules", "extra", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
def rules_list(extra: tuple[str, ...]) -> None:
    """List the rule packs (bundled and added)."""
    from licensecheck import api
    from licensecheck.formats.rules import PackTable

    _emit(terminal(PackTable().render(list(api.load_context(extra).ruleset.packs)), lines=True))


@rules.command("show")
@click.argument("ident")
@click.option("--rules", "extra", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
def rules_show(ident: str, extra: tuple[str, ...]) -> None:
    """Show a pack (by pack or licence id), a rule (by rule id, with its resolved condition) or a library entry."""
    from licensecheck import api
    from licensecheck.errors import did_you_mean
    from licensecheck.formats.rules import EntryText, PackText, RuleText

    ctx = api.load_context(extra)
    rs = ctx.ruleset
    rule = rs.rules.get(ident) or rs.rules.get(ident.upper())
    if rule is not None:
        when = api.rule_conditions(ctx, [rule.pack])[rule.id]
        _emit(terminal(RuleText(api.library(ctx), when).render(rule), lines=True))
        return
    library = api.library(ctx)
    entry = library.entries.get(ident.casefold())
    if entry is not None:
        users = [
            rule_id for rule_id, when in api.rule_conditions(ctx).items() if entry.name in library.uses(when)
        ]
        _emit(terminal(EntryText(library, users).render(entry), lines=True))
        return
    lic = rs.licenses.canonical(ident)
    packs = [p for p in rs.packs if p.id == ident.casefold() or (lic and p.license == lic)]
    if not packs:
        hint = did_you_mean(ident, [p.id for p in rs.packs] + list(rs.rules) + list(library.entries))
        raise InputError(ident, None, None, "no pack, licence, rule or library entry with this id", hint)
    _emit(terminal(PackText().render(packs), lines=True))


@rules.command("lint")
@click.argument("directory", type=click.Path())
def rules_lint(directory: str) -> None:
    """Validate every rule pack, library file, catalog and pack test in DIRECTORY.

    A library entry in DIRECTORY that no rule uses (directly or through another entry) is an error."""
    from licensecheck import api

    found = api.lint_rules(directory)
    entries = f"{found.entries} library entries, " if found.entries else ""
    _emit(
        terminal(
            f"{directory}: {found.packs} packs, {found.rules} rules, {entries}{found.cases} test cases: all valid"
        )
        + "\n"
    )


@rules.command("test")
@click.argument("directory", type=click.Path())
def rules_test(directory: str) -> None:
    """Run the pack tests (*.tests.yaml) in DIRECTORY; every rule needs a case that fires it and one that does not."""
    from licensecheck import api

    result = api.run_pack_tests(directory)
    lines = [f"FAIL {line}" for line in result.failures]
    lines.append(f"{result.passed} passed, {len(result.failures)} failed")
    _emit(terminal("\n".join(lines), lines=True) + "\n")
    if result.failures:
        sys.exit(1)
