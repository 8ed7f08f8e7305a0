"""The parts of licensecheck an inventory uses: the context (loaded once per process), scan, templates."""

# One module between the inventory and the rest of the code base, so that a change of their
# shape (the library API's context, the report formats' sandbox) is followed here alone.

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from licensecheck import __version__
from licensecheck.inventory.model import ContextSpec
from licensecheck.scan import ScanOptions, ScanReport
from licensecheck.scan import scan as scan_paths

INVENTORY_FORMAT = 1


@dataclass(frozen=True)
class InventoryContext:
    """The rule packs and catalog of a run (licensecheck's Context), with the hash that names them."""

    spec: ContextSpec
    context: Any  # licensecheck.api.Context: ruleset, catalog
    policy: str


class PolicyMismatch(Exception):
    """A worker loaded other rule packs or another catalog than the run (another version or files)."""


def load(spec: ContextSpec) -> InventoryContext:
    """Load the bundled and added rule packs and catalogs; InputError for a bad folder or file."""
    from dataclasses import replace

    from licensecheck.api import load_context

    context = load_context(spec.rules, spec.catalogs)
    spec = replace(spec, as_of=parse_as_of(spec.as_of or None))
    return InventoryContext(spec, context, policy_hash(context, spec.exclude))


_LOADED: dict[ContextSpec, InventoryContext] = {}
_LOCK = threading.Lock()


def worker_context(spec: ContextSpec) -> InventoryContext:
    """The context of `spec`, loaded once per process (threads of a Dask worker share it).

    Raises PolicyMismatch when what this process loads is not what the run loaded.
    """
    key = ContextSpec(spec.rules, spec.catalogs, spec.exclude, spec.as_of)
    with _LOCK:
        found = _LOADED.get(key)
        if found is None:
            found = _LOADED[key] = load(key)
    if spec.policy and found.policy != spec.policy:
        raise PolicyMismatch(
            f"this worker's rule packs and catalog (policy {found.policy[:12]}) are not the run's "
            f"({spec.policy[:12]}): install the same licensecheck version ({__version__}) and give "
            "every worker the same --rules and --catalog folders"
        )
    return found


def remember(context: InventoryContext) -> None:
    """Make `context` the one worker_context returns in this process (the driver loaded it already)."""
    spec = context.spec
    with _LOCK:
        _LOADED[ContextSpec(spec.rules, spec.catalogs, spec.exclude, spec.as_of)] = context


def policy_hash(context: Any, exclude: tuple[str, ...]) -> str:
    """A SHA-256 naming everything that decides an inventory's records besides the repositories:
    licensecheck's version, every rule pack (its version and digest, which covers the library
    files it uses), the catalog's models, the scan's naming rules and --exclude."""
    names = Path(__file__).resolve().parent.parent / "scan" / "names.yaml"
    data = {
        "inventory_format": INVENTORY_FORMAT,
        "licensecheck": __version__,
        "packs": sorted([p.id, p.version, p.digest] for p in context.ruleset.packs),
        "catalog": sorted((m._asdict() for m in context.catalog.models), key=lambda m: str(m["id"])),
        "names": hashlib.sha256(names.read_bytes()).hexdigest(),
        "exclude": list(exclude),
    }
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def scan(path: str, context: InventoryContext, *, evaluate: bool = True) -> ScanReport:
    """scan's report of one repository folder; evaluate=False reads no use case at all.

    Raises ScanInputError for an invalid use case (located errors), InputError for a bad path.
    """
    options = ScanOptions(
        exclude=context.spec.exclude,
        as_of=context.spec.as_of,
        fail_on_rank=99,
        usecases=None if evaluate else (),
    )
    return scan_paths([path], context.context.catalog, context.context.ruleset, options)


def render_html(template: str, data: dict[str, Any]) -> str:
    """A bundled template rendered in the report's sandbox (autoescaped, bounded)."""
    import jinja2

    from licensecheck.formats.html import templates_dir
    from licensecheck.formats.sandbox import render_bounded, sandbox_environment

    env = sandbox_environment(
        templates_dir(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return render_bounded(env.get_template(template), data)


def html_text(value: Any) -> str:
    """Untrusted text for HTML before autoescaping (licensecheck.text)."""
    from licensecheck import text

    return text.html(value)


def markdown_text(value: Any) -> str:
    """Untrusted text for Markdown, shown as typed, no mentions (licensecheck.text)."""
    from licensecheck import text

    return text.markdown(value)


def markdown_code(value: Any) -> str:
    from licensecheck import text

    return text.markdown_code(value)


def terminal(value: Any) -> str:
    from licensecheck import text

    return text.terminal(value)


def json_line(record: dict[str, Any]) -> str:
    """One JSON Lines record: compact, UTF-8, no character that drives a terminal or hides text."""
    from licensecheck import text

    return text.json_line(record)


def json_text(data: Any) -> str:
    """Indented JSON (summary.json), with the escapes of every JSON licensecheck writes."""
    from licensecheck import text

    return text.json_dumps(data) + "\n"


def parse_as_of(value: str | None) -> str:
    """--as-of as YYYY-MM-DD (today when None); InputError for anything else."""
    from licensecheck.api import parse_as_of as parse

    return parse(value)


def write(path: str, text: str) -> None:
    """Replace a file of the output folder atomically (licensecheck.output)."""
    from licensecheck.output import write_report

    write_report(path, text)
