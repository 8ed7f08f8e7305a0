"""The rule packs for people: a table of packs, one pack with its rules, one rule with its citation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from licensecheck.model import Pack, Rule
from licensecheck.text import table

if TYPE_CHECKING:
    from licensecheck.library import Entry, Library


class PackTable:
    """Every pack, one a line: id, kind, licence, version, number of rules, name."""

    name = "text"

    def render(self, packs: list[Pack]) -> str:
        rows = [("PACK", "KIND", "LICENCE", "VERSION", "RULES", "NAME")]
        for pack in sorted(packs, key=lambda p: p.id):
            licence = pack.license or "(every model)"
            rows.append((pack.id, pack.kind, licence, pack.version, str(len(pack.rules)), pack.name))
        return table(rows) + "\n"


class PackText:
    """Packs with their metadata and one line per rule."""

    name = "text"

    def render(self, packs: list[Pack]) -> str:
        lines: list[str] = []
        for pack in packs:
            lines.append(f"{pack.id}: {pack.name}")
            lines.append(
                f"  kind: {pack.kind}   version: {pack.version}   licence: {pack.license or '(every model)'}"
            )
            if pack.aliases:
                lines.append(f"  aliases: {', '.join(pack.aliases)}")
            lines.append(f"  source: {pack.source}")
            lines.append(f"  file: {pack.file}   sha256: {pack.digest}")
            lines.extend(f"  - {r.id} [{r.outcome.value}] {r.clause}: {r.title}" for r in pack.rules)
        return "\n".join(lines) + "\n"


class RuleText:
    """One rule: its pack, outcome, citation, the facts it reads, message, remedy and condition.

    `when` is the condition as the pack writes it: it is shown with its library references
    expanded (a comment names each entry used)."""

    name = "text"

    def __init__(self, library: Library, when: Any) -> None:
        self.library = library
        self.when = when

    def render(self, rule: Rule) -> str:
        lines = [
            f"{rule.id}: {rule.title}",
            f"  pack: {rule.pack}   licence: {rule.license}   category: {rule.category}",
            f"  outcome: {rule.outcome.value}   severity: {rule.severity.value}"
            f"   confidence: {rule.confidence or '-'}",
            f"  clause: {rule.clause}   source: {rule.source}",
            f"  reads: {', '.join(rule.facts)}",
            f"  message: {rule.message}",
        ]
        if rule.remedy:
            lines.append(f"  remedy: {rule.remedy}")
        if rule.text:
            lines.append(f"  required text: {rule.text}")
        if rule.quote:
            lines.append(f'  quote: "{rule.quote}"')
        used = self.library.uses(self.when)
        lines.append("  when:" + (f"  # library entries expanded: {', '.join(used)}" if used else ""))
        lines += [f"    {line}" for line in self.library.explain(self.when)]
        return "\n".join(lines) + "\n"


class EntryText:
    """One library entry: what it means, where it is written, the rules using it, its expansion."""

    name = "text"

    def __init__(self, library: Library, users: list[str]) -> None:
        self.library = library
        self.users = users

    def render(self, entry: Entry) -> str:
        from licensecheck.library import PHRASES

        lines = [
            f"{entry.name}: library {entry.kind}, {entry.where}",
            f"  description: {entry.description}",
            f"  used by: {', '.join(self.users) or '(no rule)'}",
            "  phrases:" if entry.kind == PHRASES else "  when:",
        ]
        lines += [f"    {line}" for line in self.library.body_lines(entry)]
        return "\n".join(lines) + "\n"
