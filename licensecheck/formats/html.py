"""The HTML compliance report for legal review: the bundled Jinja2 template, or an organisation's own.

Every template, bundled or not, renders in a sandbox (licensecheck.formats.sandbox): a template is
input like any other and may come from a pull request.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError

from licensecheck.errors import InputError
from licensecheck.formats.view import report_view
from licensecheck.model import Report

TEMPLATE = "report.html.j2"
# templates producing plain text are not HTML-escaped; every other name is (the safe default)
_PLAIN_SUFFIXES = (".md", ".md.j2", ".txt", ".txt.j2")


def templates_dir() -> Path:
    """The bundled templates: inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "templates"
    if installed.is_dir():
        return installed
    return here.parent / "templates"


def _autoescape(name: str | None) -> bool:
    return not (name or "").lower().endswith(_PLAIN_SUFFIXES)


def _environment(directory: Path) -> jinja2.Environment:
    from licensecheck.formats.sandbox import sandbox_environment

    return sandbox_environment(
        directory,
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class HtmlFormat:
    """The HTML report for legal review; `template` renders with your own Jinja2 template instead."""

    name = "html"

    def __init__(self, template: str | None = None) -> None:
        self.template = template

    def render(self, report: Report) -> str:
        if self.template is not None:
            return render_template(report, self.template)
        from licensecheck.formats.sandbox import render_bounded

        template = _environment(templates_dir()).get_template(TEMPLATE)
        return render_bounded(template, report_view(report))


def render_template(report: Report, path: str) -> str:
    """Render with the template at `path`; any problem in it is an InputError naming file:line."""
    file = Path(path)
    if not os.path.isfile(file):
        raise InputError(path, None, None, "template not found", "give the path of a Jinja2 template file")
    from licensecheck.formats.sandbox import TemplateRefused, render_bounded

    env = _environment(file.resolve().parent)
    try:
        template = env.get_template(file.name)
        return render_bounded(template, report_view(report))
    except (SecurityError, TemplateRefused, OverflowError) as exc:
        # OverflowError: the sandbox's range() limit, or a number too large for a float
        where, line = _where(exc, file, path)
        raise InputError(where, line, 1, f"template refused: {exc}", _SANDBOX_HELP) from None
    except jinja2.TemplateSyntaxError as exc:
        where = _shown(exc.filename, file, path)
        raise InputError(where, exc.lineno, 1, f"template syntax error: {exc.message}", _HELP) from None
    except jinja2.UndefinedError as exc:
        where, line = _where(exc, file, path)
        raise InputError(where, line, 1, f"template error: {exc.message}", _DATA_HELP) from None
    except jinja2.TemplateNotFound as exc:
        where, line = _where(exc, file, path)
        raise InputError(where, line, 1, f"template not found: {exc.name}", _HELP) from None
    except Exception as exc:  # a user's template can fail in any way; it is their input, not our crash
        where, line = _where(exc, file, path)
        message = f"template error: {type(exc).__name__}: {exc}"
        raise InputError(where, line, 1, message, _HELP) from None


_SANDBOX_HELP = (
    "templates run in a sandbox: use the report data only (no Python internals, underscore "
    "attributes or huge sizes); the README section 'Your own report template' lists it"
)
_HELP = "fix the template; the README section 'Your own report template' describes the data it receives"
_DATA_HELP = "the README section 'Your own report template' lists every variable a template receives"


def _shown(filename: str | None, file: Path, given: str) -> str:
    """The template's name as the user gave it; an included template relative to the current folder."""
    if not filename or Path(filename).resolve() == file.resolve():
        return given
    try:
        return os.path.relpath(filename)
    except ValueError:
        return filename


def _where(exc: BaseException, file: Path, given: str) -> tuple[str, int | None]:
    """The template and line an error happened on: jinja2 rewrites tracebacks to point into templates."""
    folder = file.resolve().parent
    found: tuple[str, int | None] = (given, None)
    # the error itself, else the one it was raised from (a MemoryError turned into a refusal)
    for error in (exc, exc.__cause__):
        if error is None:
            continue
        for frame in traceback.extract_tb(error.__traceback__):
            if not frame.filename.endswith(".py") and folder in Path(frame.filename).parents:
                found = (_shown(frame.filename, file, given), frame.lineno)
        if found[1] is not None:
            break
    return found
