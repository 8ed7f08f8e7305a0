"""`licensecheck schema`: print a bundled JSON Schema."""

from __future__ import annotations

import click

from licensecheck.cli import PathSafeCommand, _emit
from licensecheck.schema import SCHEMA_NAMES


@click.command(cls=PathSafeCommand)
@click.argument("name", type=click.Choice(SCHEMA_NAMES))
def schema(name: str) -> None:
    """Print a JSON Schema (use it in your editor to validate files)."""
    from licensecheck.schema import schema_text

    _emit(schema_text(name))
