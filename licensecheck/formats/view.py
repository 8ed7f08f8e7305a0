"""The report as plain data for templates: what the HTML and Markdown reports (and your own templates) show."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from licensecheck import text
from licensecheck.model import Finding, LineageLink, Outcome, PackUse, Report, UseCaseReport, Verdict, Waiver
from licensecheck.text import html

if TYPE_CHECKING:
    from licensecheck.formats.documents import (
        FindingView,
        LineageView,
        ReportView,
        SourcePinView,
        SummaryRowView,
        SummarySectionView,
        UseCaseView,
        WaiverView,
    )

# verdict -> (label, icon, one-line meaning); the icon is decoration, the words carry the status
VERDICTS: dict[Verdict, tuple[str, str, str]] = {
    Verdict.BLOCKED: ("BLOCKED", "\u2716", "A licence term is violated: do not ship as described."),
    Verdict.NEEDS_REVIEW: (
        "NEEDS REVIEW",
        "\u26a0",
        "Some terms cannot be decided from the use case: a reviewer must decide.",
    ),
    Verdict.ALLOWED_WITH_OBLIGATIONS: (
        "ALLOWED WITH OBLIGATIONS",
        "\u2714",
        "Allowed, provided the obligations below are met.",
    ),
    Verdict.ALLOWED: ("ALLOWED", "\u2714", "No licence term stands in the way."),
}

SUMMARY_SECTIONS = (
    ("organization", "Organisation"),
    ("model", "Model as used"),
    ("use", "Use"),
    ("deployment", "Deployment"),
    ("requirements", "Requirements"),
)

MODEL_FACT_LABELS = {
    "weights": "Weights",
    "release_date": "Released",
    "knowledge_cutoff": "Knowledge cutoff",
    "parameters_b": "Parameters (billions)",
    "context_window": "Context window (tokens)",
    "max_output_tokens": "Max output (tokens)",
    "price_input_per_mtok_usd": "Input price (USD per 1M tokens)",
    "price_output_per_mtok_usd": "Output price (USD per 1M tokens)",
    "modalities": "Modalities",
}

WAIVER_STATUS = {
    "applied": "applied",
    "expired": "EXPIRED (does not apply)",
    "version-changed": "for another licence version (does not apply)",
    "stale": "matches no finding",
}

_SLUG = re.compile(r"[^a-z0-9]+")
# A URL of one version of a file in git: GitHub, GitLab (/-/blob/), Hugging Face (/blob/, /resolve/)
_COMMIT_URL = re.compile(r"^https://[^/?#]+/.+/(?:blob|raw|resolve|tree)/[0-9a-f]{40}(?:/|$)")


def commit_pinned(url: str) -> bool:
    """Whether a source URL names one commit's version of a file (it cannot change under a reader)."""
    return bool(_COMMIT_URL.match(url))


def web_link(url: str) -> str | None:
    """The URL cleaned for HTML if it is a web link, else None: a pack could give any text, and
    javascript: must stay text."""
    return html(url) if url.startswith(("https://", "http://")) else None


def source_pin(source: str, pack: PackUse | None) -> SourcePinView:
    """How a cited text is pinned: `commit` (the URL names a commit), or the text's `sha256` and the
    date it was `retrieved` (recorded in its pack for the pack's own source), or neither."""
    if commit_pinned(source):
        return {"commit": True, "sha256": None, "retrieved": None}
    if pack is not None and pack.source == source and pack.source_sha256:
        return {"commit": False, "sha256": pack.source_sha256, "retrieved": html(pack.retrieved or "")}
    return {"commit": False, "sha256": None, "retrieved": None}


def display(value: object, fact: str = "") -> str:
    """A fact value as a reader expects it (licensecheck.text.display), cleaned for HTML."""
    return html(text.display(value, fact))


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "usecase"


def finding_view(
    finding: Finding, anchor_prefix: str, packs: dict[str, PackUse] | None = None
) -> FindingView:
    waiver = None
    if finding.waiver is not None:
        waiver = waiver_view(finding.waiver, finding.waiver_status or "applied", finding.rule)
    return {
        "anchor": f"{anchor_prefix}-{finding.rule}",
        "rule": html(finding.rule),
        "category": html(finding.category),
        "outcome": finding.outcome.value,
        "severity": finding.severity.value,
        "title": html(finding.title),
        "message": html(finding.message),
        "remedy": html(finding.remedy),
        # rule packs may be another team's files: their text is cleaned like the use case's
        "license": html(finding.license),
        "clause": html(finding.clause),
        "source": html(finding.source),
        "source_url": web_link(finding.source),
        "source_pin": source_pin(finding.source, (packs or {}).get(finding.pack or "")),
        # the licence's own sentence the rule rests on (verbatim, at most 400 characters), or none
        "quote": html(finding.quote) if finding.quote else None,
        "evidence": [{"fact": html(path), "value": display(value, path)} for path, value in finding.evidence],
        "missing": list(finding.missing),
        "text": html(finding.text) if finding.text else None,
        "location": list(finding.location) if finding.location else None,
        "waived": finding.waived,
        "waiver": waiver,
    }


def waiver_view(waiver: Waiver, status: str, finding_rule: str | None) -> WaiverView:
    return {
        "rule": html(waiver.rule),
        "finding": finding_rule,
        "reason": html(waiver.reason),
        "approved_by": html(waiver.approved_by),
        "expires": html(waiver.expires),
        "status": status,
        "status_text": WAIVER_STATUS.get(status, status),
        "origin": html(waiver.origin),
    }


def _summary(usecase: Mapping[str, object]) -> list[SummarySectionView]:
    sections: list[SummarySectionView] = []
    for key, title in SUMMARY_SECTIONS:
        block = usecase.get(key)
        if not isinstance(block, dict) or not block:
            continue
        rows: list[SummaryRowView] = [
            {"field": f"{key}.{name}", "label": name.replace("_", " "), "value": display(value, name)}
            for name, value in block.items()
        ]
        sections.append({"key": key, "title": title, "rows": rows})
    return sections


def _lineage_link(link: LineageLink) -> LineageView:
    """One link of the lineage chain: the model's id and name, its licence and how it was derived."""
    return {
        "id": html(link.model),
        "name": html(link.name or ""),
        "license": html(link.license or "unknown"),
        "relation": html(link.relation or ""),
    }


def usecase_view(report: UseCaseReport, anchor: str) -> UseCaseView:
    label, icon, meaning = VERDICTS[report.verdict]
    packs = {p.id: p for p in report.packs}
    findings = [finding_view(f, anchor, packs) for f in report.findings]
    counting = [f for f in findings if not f["waived"]]

    def group(outcome: Outcome) -> list[FindingView]:
        return [f for f in counting if f["outcome"] == outcome.value]

    waivers = [f["waiver"] for f in findings if f["waiver"] is not None]
    waivers += [waiver_view(w, "stale", None) for w in report.stale_waivers]
    return {
        "anchor": anchor,
        "name": html(report.name),
        "file": html(report.file),
        "sha256": report.sha256,  # of the use-case file's bytes (none for a use case given as data)
        "description": html(report.usecase.get("description") or ""),
        "verdict": report.verdict.value,
        "verdict_label": label,
        "verdict_icon": icon,
        "verdict_meaning": meaning,
        "model": {
            "id": html(report.model.id or ""),
            "name": html(report.model.name or report.model.id or "unknown model"),
            "license": html(report.model.license_shown()),
            "facts": [
                {"fact": key, "label": MODEL_FACT_LABELS.get(key, key), "value": display(value, key)}
                for key, value in report.model.facts
            ],
        },
        "lineage": [_lineage_link(link) for link in report.lineage],
        "summary": _summary(report.usecase),
        "violations": group(Outcome.VIOLATION),
        "reviews": group(Outcome.REVIEW),
        "obligations": group(Outcome.OBLIGATION),
        "notes": group(Outcome.INFO),
        "waived": [f for f in findings if f["waived"]],
        "counts": {
            "violation": len(group(Outcome.VIOLATION)),
            "review": len(group(Outcome.REVIEW)),
            "obligation": len(group(Outcome.OBLIGATION)),
            "info": len(group(Outcome.INFO)),
            "waived": len(findings) - len(counting),
        },
        "waivers": waivers,
        "packs": [
            {
                "id": html(p.id),
                "name": html(p.name),
                "version": html(p.version),
                "sha256": p.digest,
                "source": html(p.source),
                "source_url": web_link(p.source),
                "source_pin": source_pin(p.source, p),
            }
            for p in report.packs
        ],
    }


def report_view(report: Report) -> ReportView:
    """Everything a report template receives (documented in the README, section "Your own template")."""
    anchors: set[str] = set()
    usecases = []
    for r in report.reports:
        base = slug(r.file.rsplit("/", 1)[-1].rsplit(".", 1)[0] if r.file else r.name)
        anchor, n = base, 1
        while anchor in anchors:
            n += 1
            anchor = f"{base}-{n}"
        anchors.add(anchor)
        usecases.append(usecase_view(r, anchor))
    worst = report.worst
    tally = {v.value: sum(1 for r in report.reports if r.verdict is v) for v in Verdict}
    return {
        "licensecheck_version": report.licensecheck_version,
        "as_of": report.as_of,
        "worst": worst.value,
        "worst_label": VERDICTS[worst][0],
        "worst_icon": VERDICTS[worst][1],
        "tally": tally,
        "usecases": usecases,
        # the shared waivers files read (--waivers), with the SHA-256 of their bytes
        "waiver_files": [{"file": html(w.file), "sha256": w.sha256} for w in report.waiver_files],
    }
