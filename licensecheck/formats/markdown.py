"""The Markdown report for a pull-request comment: verdict table first, details collapsed, within GitHub's size limit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from licensecheck.formats.view import report_view
from licensecheck.model import Report
from licensecheck.text import markdown, markdown_code, plural

if TYPE_CHECKING:
    from licensecheck.formats.documents import FindingView, SourcePinView, UseCaseView

# GitHub rejects comments longer than 65,536 characters
GITHUB_COMMENT_LIMIT = 65536

DROPPED_NOTE = (
    "_{sections} left out to stay within GitHub's comment size limit;"
    " see the HTML or JSON report for everything._\n"
)


def link(url: str | None, shown: str) -> str:
    if url:
        # the URL comes from a rule pack; escaping parentheses keeps it one link target
        target = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
        return f"[{markdown(shown, in_link=True)}]({target})"
    return markdown(shown)


def pin(p: SourcePinView) -> str:
    """How a cited text is pinned (view.source_pin), in words."""
    if p["commit"]:
        return "pinned to a commit"
    if p["sha256"]:
        return f"text read {markdown(p['retrieved'])}, SHA-256 {markdown_code(p['sha256'])}"
    return "not pinned"


def _quote(f: FindingView) -> str:
    """The licence's own sentence, as a quote block inside a list item (blank lines around it)."""
    return f"\n\n  > {markdown(f['quote'])}\n\n" if f["quote"] else ""


def _finding(f: FindingView) -> str:
    head = f"- **{markdown_code(f['rule'])} {markdown(f['title'])}**  \n  {markdown(f['message'])}"
    lines = [
        f"  Clause: {markdown(f['clause'])} of {markdown(f['license'])},"
        f" {link(f['source_url'], f['source'])} ({pin(f['source_pin'])})  "
    ]
    if f["text"]:
        lines.append(f"  Required text: {markdown_code(f['text'])}  ")
    if f["evidence"]:
        shown = ", ".join(f"{markdown_code(e['fact'])} = {markdown(e['value'])}" for e in f["evidence"])
        lines.append(f"  Evidence: {shown}  ")
    if f["missing"]:
        lines.append("  Not given: " + ", ".join(markdown_code(m) for m in f["missing"]) + "  ")
    if f["remedy"]:
        lines.append(f"  Remedy: {markdown(f['remedy'])}  ")
    if f["waiver"]:
        w = f["waiver"]
        lines.append(
            f"  Waiver ({markdown(w['status_text'])}): {markdown(w['reason'])}, approved by"
            f" {markdown(w['approved_by'])}, expires {markdown(w['expires'])}  "
        )
    lines[-1] = lines[-1].rstrip()
    quote = _quote(f)
    return head + (quote if quote else "  \n") + "\n".join(lines) + "\n"


def _obligation(f: FindingView) -> str:
    line = f"- [ ] **{markdown(f['title'])}** ({markdown_code(f['rule'])}, {markdown(f['clause'])} of {markdown(f['license'])})"
    if f["text"]:
        line += f": show exactly {markdown_code(f['text'])}"
    if f["remedy"]:
        line += f"  \n  {markdown(f['remedy'])}"
    quote = _quote(f)
    if quote:
        source = link(f["source_url"], f["source"])
        line += quote + f"  Source: {source} ({pin(f['source_pin'])})"
    return line + "\n"


def _usecase_line(uc: UseCaseView) -> str:
    """The use case condensed to one line: who, what for, how and where."""
    wanted = {
        "organization.name": "organisation",
        "use.purpose": "purpose",
        "use.distribution": "distribution",
        "use.end_users": "end users",
        "deployment.regions": "regions",
    }
    rows = {row["field"]: row["value"] for section in uc["summary"] for row in section["rows"]}
    shown = [f"{label}: {markdown(rows[field])}" for field, label in wanted.items() if field in rows]
    return ("Use case: " + "; ".join(shown) + "\n\n") if shown else ""


def _usecase_parts(uc: UseCaseView) -> tuple[str, list[str], str]:
    """A use case's collapsible section as (opening, elements, closing); elements are dropped whole."""
    counts = uc["counts"]
    opening = (
        f"<details><summary>{uc['verdict_icon']} <b>{uc['verdict_label']}</b>: {markdown(uc['name'], html_block=True)}"
        f" ({plural(counts['violation'], 'violation')}, {counts['review']} to review,"
        f" {plural(counts['obligation'], 'obligation')}"
        + (f", {counts['waived']} waived" if counts["waived"] else "")
        + ")</summary>\n\n"
        f"File {markdown_code(uc['file'])}"
        + (f" (SHA-256 {markdown_code(uc['sha256'])})" if uc["sha256"] else "")
        + f"; model **{markdown(uc['model']['name'])}**"
        f" ({markdown_code(uc['model']['id'])}), licence {markdown_code(uc['model']['license'])}."
        f" {markdown(uc['verdict_meaning'])}\n\n" + _usecase_line(uc)
    )
    elements: list[str] = []
    if uc["lineage"]:
        chain = " → ".join(
            f"{markdown(link_['name'] or link_['id'])} ({markdown_code(link_['license'])})"
            for link_ in uc["lineage"]
        )
        elements.append(f"Lineage: {chain}\n\n")
    for found, title in (
        (uc["violations"], "Violations"),
        (uc["reviews"], "Needs review"),
        (uc["notes"], "Notes"),
    ):
        if found:
            elements.append(f"**{title}**\n\n")
            elements.extend(_finding(f) for f in found)
            elements.append("\n")
    if uc["waived"]:
        elements.append("**Waived** (not counted for the verdict)\n\n")
        elements.extend(_finding(f) for f in uc["waived"])
        elements.append("\n")
    if uc["obligations"]:
        elements.append("**Obligations checklist**\n\n")
        elements.extend(_obligation(f) for f in uc["obligations"])
        elements.append("\n")
    if uc["waivers"]:
        elements.append(
            "**Waivers**\n\n| Rule | Reason | Approved by | Expires | Status |\n| --- | --- | --- | --- | --- |\n"
        )
        elements.extend(
            f"| {markdown_code(w['rule'])} | {markdown(w['reason'])} | {markdown(w['approved_by'])} | {markdown(w['expires'])}"
            f" | {markdown(w['status_text'])} |\n"
            for w in uc["waivers"]
        )
        elements.append("\n")
    packs = ", ".join(
        f"{markdown_code(p['id'])} {markdown(p['version'])} (sha256 {p['sha256'][:12]})" for p in uc["packs"]
    )
    elements.append(f"Rule packs: {packs or 'none'}.\n\n")
    return opening, elements, "</details>\n\n"


def render_markdown(report: Report, limit: int = GITHUB_COMMENT_LIMIT) -> str:
    """The comment, at most `limit` characters: whole elements are left out, with a note saying so."""
    data = report_view(report)
    head = [
        f"## {data['worst_icon']} licensecheck: {data['worst_label']}\n\n",
        "| Verdict | Use case | Model | Licence | Violations | Reviews | Obligations |\n",
        "| --- | --- | --- | --- | ---: | ---: | ---: |\n",
    ]
    rows = [
        f"| {uc['verdict_icon']} **{uc['verdict_label']}** | {markdown(uc['name'])} | {markdown_code(uc['model']['id'])}"
        f" | {markdown_code(uc['model']['license'])} | {uc['counts']['violation']} | {uc['counts']['review']}"
        f" | {uc['counts']['obligation']} |\n"
        for uc in data["usecases"]
    ]
    waivers = "".join(
        f" Waivers file {markdown_code(w['file'])}, SHA-256 {markdown_code(w['sha256'])}."
        for w in data["waiver_files"]
    )
    footer = (
        f"\n<sub>licensecheck {markdown(data['licensecheck_version'])}, as of {markdown(data['as_of'])}.{waivers}"
        " Not legal advice: a checking aid that says needs review where facts are unclear.</sub>\n"
    )
    # room for the note on left-out sections is kept from the start, so the note always fits
    budget = _Budget(
        limit
        - len(footer)
        - len(DROPPED_NOTE.format(sections=plural(len(data["usecases"]), "use case section")))
    )
    out = budget.take("".join(head))
    left_rows = budget.take_all(rows, reserve=len("\n"))
    out += "".join(rows[: len(rows) - left_rows])
    if left_rows:
        out += budget.take(f"\n_{plural(left_rows, 'more use case')} left out: comment size limit._\n")
    out += budget.take("\n")
    dropped = 0
    for uc in data["usecases"]:
        opening, elements, closing = _usecase_parts(uc)
        note = "_More left out: comment size limit; see the HTML or JSON report._\n\n"
        if not budget.fits(len(opening) + len(closing) + len(note)):
            dropped += 1
            continue
        budget.take(opening + closing)
        kept = []
        for element in elements:
            if not budget.fits(len(element) + len(note)):
                kept.append(note)
                budget.take(note)
                break
            kept.append(budget.take(element))
        out += opening + "".join(kept) + closing
    if dropped:
        out += DROPPED_NOTE.format(sections=plural(dropped, "use case section"))
    return out + footer


class _Budget:
    """Characters left for the comment."""

    def __init__(self, left: int) -> None:
        self.left = left

    def fits(self, size: int) -> bool:
        return size <= self.left

    def take(self, part: str) -> str:
        self.left -= len(part)
        return part

    def take_all(self, parts: list[str], reserve: int) -> int:
        """Take parts while they fit (keeping `reserve`); returns how many were left out."""
        for i, part in enumerate(parts):
            if not self.fits(len(part) + reserve + 80):
                return len(parts) - i
            self.take(part)
        return 0


class MarkdownFormat:
    """The Markdown report for a pull-request comment, at most `limit` characters."""

    name = "markdown"

    def __init__(self, limit: int = GITHUB_COMMENT_LIMIT) -> None:
        self.limit = limit

    def render(self, report: Report) -> str:
        return render_markdown(report, self.limit)
