"""`licensecheck identify-licence FILE...`: which bundled licence each file's text is."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from licensecheck.cli import PathSafeCommand
from licensecheck.licensetext import Identification, identify_card_section, identify_file, read_bounded
from licensecheck.text import terminal


@click.command("identify-licence", cls=PathSafeCommand)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--card",
    is_flag=True,
    help="The files are model cards (README.md): identify the text of their licence section.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file.")
def identify_licence(files: tuple[str, ...], card: bool, as_json: bool) -> None:
    """Identify the licence text of each FILE against the bundled licence fingerprints.

    Prints, per file, the licence and version it is, a modified text of one (with the lines that
    differ) or "unrecognised licence text". Files are read up to 1 MB; binary files are refused.
    """
    for path in files:
        found = _card(path) if card else identify_file(path)
        if as_json:
            click.echo(
                json.dumps({"file": path, **_plain(found)} if found else {"file": path, "section": None})
            )
        elif found is None:
            click.echo(f"{terminal(path)}: no licence section in the card")
        else:
            click.echo(f"{terminal(path)}: {found.band.value}: {terminal(found.describe())}")


def _card(path: str) -> Identification | None:
    text, reason, _ = read_bounded(path)
    if text is None:
        raise click.ClickException(f"{terminal(path)}: {reason}")
    return identify_card_section(text)


def _plain(found: Identification) -> dict[str, object]:
    data = asdict(found)
    data["band"] = found.band.value
    data["description"] = found.describe()
    return data


if __name__ == "__main__":
    identify_licence()
