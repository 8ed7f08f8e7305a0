"""The parts of licensecheck a scan uses: evaluating use cases, and the evaluate report's formats."""

# One module between the scan and the rest of the code base, so that a change of their shape
# (the library API, format objects, one place that cleans text) is followed here alone.

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from licensecheck.catalog import Catalog
from licensecheck.errors import InputError, InputErrors
from licensecheck.formats import github as _github
from licensecheck.formats import markdown as _markdown
from licensecheck.model import Report, Waiver

if TYPE_CHECKING:
    from licensecheck.formats.documents import ReportDoc, SarifRun

GITHUB_COMMENT_LIMIT = _markdown.GITHUB_COMMENT_LIMIT


def evaluate_usecases(
    catalog: Catalog,
    ruleset: Any,
    files: list[str],
    waivers: tuple[Waiver, ...],
    as_of: str,
    allow_broad_waivers: bool = False,
) -> tuple[Report | None, list[InputError]]:
    """Evaluate use-case files as `licensecheck evaluate` does: a report, or the located errors."""
    from licensecheck import api

    try:
        report = api.evaluate_files(
            api.Context(ruleset, catalog),
            files,
            waivers=waivers,
            as_of=as_of or None,
            allow_broad_waivers=allow_broad_waivers,
        )
    except InputErrors as exc:
        return None, list(exc.errors)
    except InputError as exc:
        return None, [exc]
    return report, []


def expand_usecases(paths: tuple[str, ...]) -> list[str]:
    """Use-case files and folders as `evaluate` takes them (a folder: its *.yaml/*.yml files)."""
    from licensecheck.api import expand_inputs

    return expand_inputs(paths)


def report_dict(report: Report) -> ReportDoc:
    """The use cases' report as `evaluate --format json` writes it."""
    from licensecheck.formats.json_report import report_dict as evaluate_dict

    return evaluate_dict(report)


def sarif_run(report: Report) -> SarifRun:
    """The one run of `evaluate --format sarif` (its rules and results)."""
    from licensecheck.formats.sarif import sarif_dict

    return sarif_dict(report)["runs"][0]


def text_report(report: Report, color: bool) -> str:
    from licensecheck.formats.text import TextFormat

    return TextFormat(color=color).render(report)


def markdown_report(report: Report, limit: int) -> str:
    return _markdown.render_markdown(report, limit=limit)


def github_annotations(report: Report) -> dict[str, list[str]]:
    """The use cases' annotations by level (error, warning, notice), before GitHub's limit."""
    return _github.level_annotations(report)


def github_command(level: str, message: str, **properties: str | int) -> str:
    return _github.command(level, message, **properties)


def github_limited(by_level: dict[str, list[str]], what: str, see: str) -> list[str]:
    """The annotations GitHub shows: 10 per level, and a notice counting the rest."""
    return _github.limited(by_level, what, see)


def github_log_line(text: str) -> str:
    """A plain line of a workflow log that cannot start a workflow command."""
    return _github.log_line(text)


def terminal(value: Any) -> str:
    """Text for a terminal: no escape sequences, hidden characters shown (licensecheck.text)."""
    from licensecheck import text

    return text.terminal(value)


def markdown_text(value: Any) -> str:
    """Untrusted text for Markdown, shown as typed, no mentions (licensecheck.text)."""
    from licensecheck import text

    return text.markdown(value)


def markdown_code(value: Any, html_block: bool = False) -> str:
    from licensecheck import text

    return text.markdown_code(value, html_block)


def plural(n: int, one: str) -> str:
    """A count with its noun: "1 use case", "2 use cases"."""
    from licensecheck.text import plural as counted

    return counted(n, one)
