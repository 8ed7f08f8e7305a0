"""Output formats behind one small protocol: an object with `name` and `render(data) -> str`.

A format takes its options when it is made (`TextFormat(color=True)`, `HtmlFormat(template=...)`),
so `render` needs only the data. There is one registry per kind of data: reports (the
`evaluate` command), shortlists, catalog listings and rule listings; the CLI's `--format`
choices are a registry's keys. Modules are imported only when their format is asked for, so the
CLI does not pay for jinja2 or xml on the default path.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from licensecheck.collector import paused

if TYPE_CHECKING:
    from licensecheck.model import Report, RunSummary, UseCaseReport

T_contra = TypeVar("T_contra", contravariant=True)


class Format(Protocol[T_contra]):
    """What every output format is: a name, and a render function of the data alone."""

    name: str

    def render(self, data: T_contra, /) -> str: ...


class StreamingFormat(Format["Report"], Protocol):
    """A report format that can write one use case at a time (a run of 10,000 holds none of them).

    `render(report)` is `head + separator.join(item(r) for r in report.reports) + tail(summary)`.
    """

    separator: str

    def head(self, version: str) -> str: ...

    def item(self, report: UseCaseReport) -> str: ...

    def tail(self, summary: RunSummary) -> str: ...


def render_stream(fmt: StreamingFormat, report: Report) -> str:
    """A whole report written the way a stream writes it (the one implementation of both)."""
    items = fmt.separator.join(fmt.item(r) for r in report.reports)
    return fmt.head(report.licensecheck_version) + items + fmt.tail(report.summary())


# format name -> "module:Class" under licensecheck.formats
REPORT_FORMATS: dict[str, str] = {
    "text": "text:TextFormat",
    "json": "json_report:JsonFormat",
    "sarif": "sarif:SarifFormat",
    "junit": "junit:JunitFormat",
    "github": "github:GithubFormat",
    "html": "html:HtmlFormat",
    "markdown": "markdown:MarkdownFormat",
}
SHORTLIST_FORMATS: dict[str, str] = {
    "text": "shortlist:ShortlistText",
    "json": "shortlist:ShortlistJson",
    "markdown": "shortlist:ShortlistMarkdown",
    "html": "shortlist_html:ShortlistHtml",
}
MODEL_LIST_FORMATS: dict[str, str] = {
    "text": "catalog:ModelTable",
    "json": "catalog:ModelJson",
}
GPU_LIST_FORMATS: dict[str, str] = {
    "text": "catalog:GpuTableText",
    "json": "catalog:GpuJson",
}


def create(registry: dict[str, str], name: str, **options: Any) -> Any:
    """The format `name` of `registry`, made with `options` (KeyError for an unknown name)."""
    module, _, cls = registry[name].partition(":")
    # A format comes after the work it shows, which may be large (a shortlist's 10,000 candidates):
    # an import's allocations would start collections that walk all of it (licensecheck.collector).
    with paused():
        return getattr(importlib.import_module(f"licensecheck.formats.{module}"), cls)(**options)


def report_format(name: str, **options: Any) -> Format[Any]:
    """A report format: text (color=), json, sarif, junit, github, html (template=), markdown."""
    return create(REPORT_FORMATS, name, **options)  # type: ignore[no-any-return]


def streams(fmt: Any) -> bool:
    """Whether a format writes use cases one at a time (text and json do)."""
    return all(hasattr(fmt, name) for name in ("head", "item", "separator", "tail"))


def names() -> list[str]:
    return list(REPORT_FORMATS)
