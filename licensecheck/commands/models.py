"""`licensecheck models`: list and show the catalog's models and the GPU table."""

from __future__ import annotations

import click

from licensecheck.cli import _Commands, _emit, context_options, format_option
from licensecheck.errors import InputError
from licensecheck.formats import GPU_LIST_FORMATS, MODEL_LIST_FORMATS
from licensecheck.model import STATUSES
from licensecheck.text import terminal


@click.group(cls=_Commands)
def models() -> None:
    """The model catalog: list and show models and their facts."""


@models.command("list")
@click.option("--weights", type=click.Choice(["open", "closed"]), help="Only open or closed weights.")
@click.option("--license", "license_id", help="Only models under this licence id.")
@click.option(
    "--min-context", type=click.IntRange(min=0), help="Only models with at least this context window."
)
@click.option(
    "--modality", "modalities", multiple=True, help="Only models handling this modality (repeatable)."
)
@click.option(
    "--status",
    type=click.Choice(list(STATUSES)),
    help="Only models with this lifecycle status on the --as-of date (unreleased: before its release date).",
)
@click.option("--as-of", "as_of", help="Lifecycle status as of this date (YYYY-MM-DD); default today.")
@format_option(MODEL_LIST_FORMATS)
@context_options
def models_list(
    weights: str | None,
    license_id: str | None,
    min_context: int | None,
    modalities: tuple[str, ...],
    status: str | None,
    as_of: str | None,
    fmt: str,
    rules: tuple[str, ...],
    catalogs: tuple[str, ...],
) -> None:
    """List catalog models, filtered; a model whose fact is unknown does not pass a filter on it."""
    from licensecheck import api, formats

    day = api.parse_as_of(as_of)
    catalog = api.load_context(rules, catalogs).catalog
    found = catalog.select(weights, license_id, min_context, modalities, status, day)
    shown = formats.create(MODEL_LIST_FORMATS, fmt, day=day).render(found)
    _emit(shown if fmt == "json" else terminal(shown, lines=True))


@models.command("show")
@click.argument("ident")
@click.option("--as-of", "as_of", help="Also show the lifecycle status on this date (YYYY-MM-DD).")
@context_options
def models_show(ident: str, as_of: str | None, rules: tuple[str, ...], catalogs: tuple[str, ...]) -> None:
    """Show every fact of a model (by catalog id, Hugging Face repo id or alias): routes, lifecycle, sources."""
    from licensecheck import api
    from licensecheck.formats.catalog import ModelCard

    day = api.parse_as_of(as_of) if as_of is not None else None
    catalog = api.load_context(rules, catalogs).catalog
    model = catalog.find(ident)
    if model is None:
        near = catalog.nearest(ident)
        hint = (
            "nearest catalog ids: " + ", ".join(near) + "; " if near else ""
        ) + "see `licensecheck models list`"
        raise InputError(ident, None, None, "no model with this id in the catalog", hint)
    _emit(terminal(ModelCard(catalog.origin[model.id], day).render(model), lines=True))


@models.command("gpus")
@click.argument("ident", required=False)
@format_option(GPU_LIST_FORMATS)
@click.option("--rules", "rules", multiple=True, type=click.Path(), help="Add a directory of rule packs.")
def models_gpus(ident: str | None, fmt: str, rules: tuple[str, ...]) -> None:
    """The GPU table for self-hosting: memory, bandwidth, throughput, prices; with ID, one GPU and its sources."""
    from licensecheck import api, formats
    from licensecheck.formats.catalog import GpuCard

    gpus = api.gpu_table(api.load_context(rules))
    if ident is None:
        shown = formats.create(GPU_LIST_FORMATS, fmt).render(list(gpus.gpus))
        _emit(shown if fmt == "json" else terminal(shown, lines=True))
        return
    gpu = gpus.find(ident)
    if gpu is None:
        near = gpus.nearest(ident)
        hint = (
            "nearest GPU ids: " + ", ".join(near) + "; " if near else ""
        ) + "see `licensecheck models gpus`"
        raise InputError(ident, None, None, "no GPU with this id in the GPU table", hint)
    if fmt == "text":
        _emit(terminal(GpuCard().render(gpu), lines=True))
    else:
        _emit(formats.create(GPU_LIST_FORMATS, fmt).render([gpu]))
