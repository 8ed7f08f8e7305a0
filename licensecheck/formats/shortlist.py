"""The shortlist in text, Markdown and JSON: ranked models side by side, excluded ones with their reason."""

from __future__ import annotations

from typing import Any

from licensecheck import __version__
from licensecheck.model import Finding
from licensecheck.selection import Candidate, Shortlist
from licensecheck.text import display, json_dumps, markdown, markdown_code, money, table, terminal

# The facts shown side by side for each candidate.
KEY_FACTS = (
    "weights",
    "parameters_b",
    "context_window",
    "max_output_tokens",
    "knowledge_cutoff",
    "release_date",
    "price_input_per_mtok_usd",
    "price_output_per_mtok_usd",
    "modalities",
)


def reason_line(candidate: Candidate) -> str:
    finding = candidate.reason()
    return f"{finding.rule} ({finding.license} {finding.clause}): {finding.message}"


def _rows(shortlist: Shortlist) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for rank, c in enumerate(shortlist.shown, 1):
        m = c.model
        rows.append(
            (
                str(rank),
                c.id,
                c.verdict.value,
                money(c.monthly_cost_usd),
                str(m.license),
                display(m.weights),
                display(m.parameters_b),
                display(m.context_window),
                display(m.max_output_tokens),
                display(m.knowledge_cutoff),
                display(m.release_date),
            )
        )
    return rows


HEADER = (
    "RANK",
    "MODEL",
    "VERDICT",
    "EST. $/MONTH",
    "LICENCE",
    "WEIGHTS",
    "PARAMS (B)",
    "CONTEXT",
    "MAX OUT",
    "CUTOFF",
    "RELEASED",
)


def _summary(shortlist: Shortlist) -> str:
    n = len(shortlist.ranked)
    shown = len(shortlist.shown)
    top = f", top {shown} shown" if shown < n else ""
    return f"{n} of {shortlist.catalog_size} catalog models fit{top}; {len(shortlist.excluded)} excluded"


def render_text(shortlist: Shortlist) -> str:
    uc = shortlist.usecase
    out = [f"SHORTLIST  {terminal(uc.name)}", f"  file: {terminal(uc.file)}", f"  {_summary(shortlist)}", ""]
    if shortlist.shown:
        out += [table([HEADER, *_rows(shortlist)]), ""]
        out.append("Findings to act on:")
        for rank, c in enumerate(shortlist.shown, 1):
            todo = c.to_act_on()
            listed = ", ".join(f"{f.rule} [{f.outcome.value}]" for f in todo) or "none"
            out.append(f"  {rank}. {terminal(c.id)}: {terminal(listed)}")
        out.append("")
    else:
        out += ["No catalog model fits this use case.", ""]
    out.append(f"Excluded ({len(shortlist.excluded)}):")
    for c in shortlist.excluded:
        out.append(f"  - {terminal(c.id)}: {terminal(reason_line(c))}")
    out.append("")
    out.append(
        "Ranked by verdict, then estimated monthly API cost (unknown last), then fewer findings, then id."
    )
    return "\n".join(out) + "\n"


def render_markdown(shortlist: Shortlist) -> str:
    uc = shortlist.usecase
    out = [
        f"# Shortlist: {markdown(uc.name)}",
        "",
        f"{markdown_code(uc.file)}: {markdown(_summary(shortlist))}.",
        "",
    ]
    if shortlist.shown:
        out.append("| " + " | ".join(HEADER) + " |")
        out.append("|" + "---|" * len(HEADER))
        for row in _rows(shortlist):
            out.append("| " + " | ".join(markdown(c) for c in row) + " |")
    else:
        out.append("No catalog model fits this use case.")
    out += ["", f"## Excluded ({len(shortlist.excluded)})", ""]
    for c in shortlist.excluded:
        out.append(f"- {markdown_code(c.id)}: {markdown(reason_line(c))}")
    out += [
        "",
        "Ranked by verdict, then estimated monthly API cost (unknown last), then fewer findings, then id.",
    ]
    return "\n".join(out) + "\n"


def to_json(shortlist: Shortlist) -> dict[str, Any]:
    def finding(f: Finding) -> dict[str, Any]:
        return {
            "rule": f.rule,
            "category": f.category,
            "outcome": f.outcome.value,
            "license": f.license,
            "clause": f.clause,
            "message": f.message,
        }

    return {
        "report_format": 1,
        "licensecheck_version": __version__,
        "usecase": {"name": shortlist.usecase.name, "file": shortlist.usecase.file},
        "catalog_size": shortlist.catalog_size,
        "shortlist": [
            {
                "rank": rank,
                "model": {"id": c.id, "name": c.model.name, "license": c.model.license},
                "verdict": c.verdict.value,
                "monthly_cost_usd": c.monthly_cost_usd,
                "facts": {k: getattr(c.model, k) for k in KEY_FACTS},
                "findings": [finding(f) for f in c.to_act_on()],
            }
            for rank, c in enumerate(shortlist.shown, 1)
        ],
        "excluded": [
            {
                "model": {"id": c.id, "name": c.model.name, "license": c.model.license},
                "verdict": c.verdict.value,
                "reason": finding(c.reason()),
            }
            for c in shortlist.excluded
        ],
    }


class ShortlistText:
    """The shortlist for a terminal: the ranked table, findings to act on, then the excluded models."""

    name = "text"

    def render(self, shortlist: Shortlist) -> str:
        return render_text(shortlist)


class ShortlistMarkdown:
    """The shortlist as Markdown (a pull-request comment or a wiki page)."""

    name = "markdown"

    def render(self, shortlist: Shortlist) -> str:
        return render_markdown(shortlist)


class ShortlistJson:
    """The shortlist as JSON: every ranked model with its facts and findings, every excluded one with its reason."""

    name = "json"

    def render(self, shortlist: Shortlist) -> str:
        return json_dumps(to_json(shortlist)) + "\n"
