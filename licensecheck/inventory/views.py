"""The inventory for people: HTML (the report's sandboxed template, no network) and Markdown.

Models in use by licence and by state, the uncovered and blocked first, each linking to its
locations; the failed repositories with their located errors. Every value from a repository
(names, paths, model names as written, error messages) is cleaned for its medium in one place
(licensecheck.text, through host).
"""

from __future__ import annotations

from typing import Any

from licensecheck.inventory import host
from licensecheck.inventory.model import STATES
from licensecheck.inventory.summary import LOCATIONS_SHOWN

TEMPLATE = "inventory.html.j2"
# The views stay readable (and within the template sandbox's output limit) for any inventory:
# the most urgent models and the first failed repositories; summary.json and the records hold all.
MODELS_SHOWN = 1000
FAILED_SHOWN = 1000
STATE_WORDS = {
    "blocked": "blocked",
    "uncovered": "no use case",
    "needs-review": "needs review",
    "allowed-with-obligations": "allowed with obligations",
    "allowed": "allowed",
}
STATUS_WORDS = {
    "catalog": "in the catalog",
    "probable": "probably a copy of a catalog model",
    "unknown": "not in the catalog",
}


def view(
    summary: dict[str, Any], locations: dict[tuple[str, str], tuple[list[dict[str, Any]], int]]
) -> dict[str, Any]:
    """The data both views show (plain values; cleaning is the medium's)."""
    models = []
    anchors: dict[tuple[str, str], str] = {}
    for index, model in enumerate(summary["models"][:MODELS_SHOWN], start=1):
        key = (model["status"], model["model"])
        anchors[key] = f"model-{index}"
        shown, more = locations.get(key, ([], 0))
        models.append(
            {
                **model,
                "anchor": anchors[key],
                "status_words": STATUS_WORDS.get(model["status"], model["status"]),
                "state_words": STATE_WORDS[model["state"]],
                "states": [
                    {"state": s, "words": STATE_WORDS[s], "repositories": model["by_state"][s]}
                    for s in STATES
                ],
                "locations": [{**loc, "state_words": STATE_WORDS[loc["state"]]} for loc in shown],
                "more": more,
            }
        )
    grouped: dict[str | None, list[dict[str, Any]]] = {}
    for model in models:
        grouped.setdefault(model["license"], []).append(model)
    licenses = [
        {
            **group,
            "license": group["license"] or "licence unknown",
            "models": grouped.get(group["license"], []),
            "more": len(group["models"]) - len(grouped.get(group["license"], [])),
        }
        for group in summary["licenses"]
    ]
    return {
        "licensecheck_version": summary["licensecheck_version"],
        "as_of": summary["as_of"],
        "repositories": summary["repositories"],
        "references": summary["references"],
        "usecases": summary["usecases"],
        "models": models,
        "models_total": len(summary["models"]),
        "models_left_out": len(summary["models"]) - len(models),
        "licenses": licenses,
        "failed": [
            {"repository": f["repository"], "errors": [{**e, "where": _where(e)} for e in f["errors"]]}
            for f in summary["failed"][:FAILED_SHOWN]
        ],
        "failed_left_out": max(0, len(summary["failed"]) - FAILED_SHOWN),
        "locations_shown": LOCATIONS_SHOWN,
    }


def _where(error: dict[str, Any]) -> str:
    if not error["file"]:
        return "(the repository)"
    if error["line"] is None:
        return str(error["file"])
    return f"{error['file']}:{error['line']}:{error['col'] or 1}"


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return host.html_text(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def render_html(data: dict[str, Any]) -> str:
    return host.render_html(TEMPLATE, _clean(data))


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def render_markdown(data: dict[str, Any]) -> str:
    text, code = host.markdown_text, host.markdown_code
    repos, refs = data["repositories"], data["references"]
    out = [
        "# Model inventory",
        "",
        f"{_plural(repos['total'], 'repository', 'repositories')} ({repos['scanned']:,} scanned, "
        f"{repos['failed']:,} failed), {_plural(data['models_total'], 'model')}, "
        f"{_plural(refs['total'], 'reference')} ({refs['uncovered']:,} without a use case, "
        f"{refs['unresolved']:,} unresolved); use cases as of {text(data['as_of'])}.",
        "",
        "## Models in use, the uncovered and blocked first",
        "",
        "| Model | Licence | State | Repositories | "
        + " | ".join(STATE_WORDS[s].capitalize() for s in STATES)
        + " |",
        "| --- | --- | --- | ---: | " + " | ".join("---:" for _ in STATES) + " |",
    ]
    for m in data["models"]:
        counts = " | ".join(str(s["repositories"]) for s in m["states"])
        out.append(
            f"| [{text(m['model'])}](#{m['anchor']}) ({text(m['status_words'])}) | {text(m['license'] or 'unknown')} "
            f"| **{text(m['state_words'])}** | {m['repositories']:,} | {counts} |"
        )
    if not data["models"]:
        out.append("| (no model found) | | | | " + " | ".join("" for _ in STATES) + " |")
    if data["models_left_out"]:
        out += [
            "",
            f"And {_plural(data['models_left_out'], 'more model')}: `summary.json` lists every model.",
        ]
    out += ["", "## By licence", ""]
    for group in data["licenses"]:
        names = ", ".join(f"[{text(m['model'])}](#{m['anchor']})" for m in group["models"])
        if group["more"]:
            names += f" and {group['more']:,} more"
        out.append(
            f"- **{text(group['license'])}**: {names} "
            f"({_plural(group['repositories'], 'repository', 'repositories')})"
        )
    if data["failed"] or data["failed_left_out"]:
        out += [
            "",
            "## Repositories that failed",
            "",
            "| Repository | Where | Error |",
            "| --- | --- | --- |",
        ]
        for failed in data["failed"]:
            for error in failed["errors"]:
                hint = f" (help: {text(error['hint'])})" if error["hint"] else ""
                out.append(
                    f"| {code(failed['repository'])} | {code(error['where'])} | {text(error['message'])}{hint} |"
                )
        if data["failed_left_out"]:
            out += [
                "",
                f"And {_plural(data['failed_left_out'], 'more repository', 'more repositories')}: `summary.json` lists all.",
            ]
    out += ["", "## Where each model is used", ""]
    for m in data["models"]:
        out += [f'<a id="{m["anchor"]}"></a>', "", f"### {text(m['model'])}: {text(m['state_words'])}", ""]
        for loc in m["locations"]:
            covered = (
                f" covered by {', '.join(code(f) for f in loc['covered_by'])}" if loc["covered_by"] else ""
            )
            out.append(
                f"- {code(loc['repository'])} {code(_position(loc))} {code(loc['value'] or '')}: "
                f"{text(loc['state_words'])}{covered}"
            )
        if m["more"]:
            out.append(f"- and {m['more']:,} more in the records (`records/*.jsonl`)")
        out.append("")
    out.append(f"licensecheck {text(data['licensecheck_version'])} · not legal advice")
    return "\n".join(out) + "\n"


def _position(location: dict[str, Any]) -> str:
    return f"{location['file']}:{location['line']}:{location['col']}"
