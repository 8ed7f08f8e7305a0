"""Provider routes of catalog models: typed, read-only views of `routes:` and the lifecycle status on a date."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from licensecheck.model import STATUSES
from licensecheck.model import release_state as release_state  # also imported from here
from licensecheck.records import NamedTuple

if TYPE_CHECKING:
    from licensecheck.model import CatalogEntry

# NamedTuples rather than frozen dataclasses, as in licensecheck.model: every shortlist imports this
# module, and defining nine dataclasses took some 36M instructions, 1.6% of a 10,000-model shortlist.


class Provenance(NamedTuple):
    """Where one block of facts was read: URLs, the read date, the source's own date and the confidence."""

    sources: tuple[str, ...]
    read: str
    as_of: str | None
    confidence: str
    note: str | None


class Lifecycle(NamedTuple):
    """Whether a route can be called: `status` holds on `status_on`; the dates say when it changes."""

    status: str
    status_on: str
    deprecated_on: str | None
    shutdown_on: str | None
    replacement: str | None
    provenance: Provenance
    released_on: str | None = None  # general availability on this route (YYYY-MM-DD or YYYY-MM)

    def on(self, day: str) -> str | None:
        """active | deprecated | retired | unreleased on `day` (YYYY-MM-DD), or None when the facts do not say."""
        if release_state(self.released_on, day) == "unreleased":
            return "unreleased"
        if self.shutdown_on is not None and day >= self.shutdown_on:
            return "retired"
        if self.status == "retired" and self.shutdown_on is None:
            return "retired" if day >= self.status_on else None
        if self.deprecated_on is not None and day >= self.deprecated_on:
            return "deprecated"
        if self.status == "active":
            return "active"
        if self.deprecated_on is not None:
            return "active"  # before the deprecation of a route now deprecated or retired
        if self.status == "deprecated" and day >= self.status_on:
            return "deprecated"
        return None


class Limits(NamedTuple):
    """Token limits of a route; None when the provider's figure is not known."""

    context_window: int | None
    max_input_tokens: int | None
    max_output_tokens: int | None
    max_reasoning_tokens: int | None
    provenance: Provenance


class Prices(NamedTuple):
    """Route prices, USD per 1M tokens; `historical` when they no longer apply."""

    input: float | None
    output: float | None
    cached_input: float | None
    cache_write: float | None
    batch_input: float | None
    batch_output: float | None
    historical: bool
    provenance: Provenance


class Speed(NamedTuple):
    """Measured median speed of a route."""

    output_tokens_per_second: float | None
    time_to_first_token_ms: float | None
    measured_by: str
    provenance: Provenance


class RateLimit(NamedTuple):
    """Rate limits of one usage tier."""

    tier: str
    free: bool
    requests_per_minute: int | None
    requests_per_day: int | None
    tokens_per_minute: int | None
    input_tokens_per_minute: int | None
    output_tokens_per_minute: int | None
    tokens_per_day: int | None
    batch_queue_tokens: int | None
    provenance: Provenance
    highest: bool = False  # the provider's highest self-serve paid tier


class FineTuning(NamedTuple):
    """Fine-tuning on a route: offered or not, and its prices."""

    available: bool | None
    training_per_mtok_usd: float | None
    hosting_per_hour_usd: float | None
    input_per_mtok_usd: float | None
    output_per_mtok_usd: float | None
    provenance: Provenance


class Uptime(NamedTuple):
    """Published availability of a route."""

    sla_percent: float | None
    published_uptime_percent: float | None
    provenance: Provenance


class Route(NamedTuple):
    """One provider serving a model. A route without `limits` has the model's own window and output limit."""

    provider: str
    name: str
    model_ids: tuple[str, ...]
    lifecycle: Lifecycle
    limits: Limits | None
    prices: Prices | None
    speed: Speed | None
    rate_limits: tuple[RateLimit, ...]
    fine_tuning: FineTuning | None
    uptime: Uptime | None
    note: str | None


def _provenance(block: Mapping[str, Any]) -> Provenance:
    return Provenance(
        tuple(block["sources"]), block["read"], block.get("as_of"), block["confidence"], block.get("note")
    )


def _values(block: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: block.get(key) for key in keys}


def _lifecycle(block: Mapping[str, Any]) -> Lifecycle:
    return Lifecycle(
        block["status"],
        block["status_on"],
        block.get("deprecated_on"),
        block.get("shutdown_on"),
        block.get("replacement"),
        _provenance(block),
        block.get("released_on"),
    )


def route_of(raw: Mapping[str, Any]) -> Route:
    """A typed route from one schema-valid `routes:` item."""
    limits = raw.get("limits")
    prices = raw.get("prices")
    speed = raw.get("speed")
    tuning = raw.get("fine_tuning")
    uptime = raw.get("uptime")
    return Route(
        provider=raw["provider"],
        name=raw["name"],
        model_ids=tuple(raw.get("model_ids") or ()),
        lifecycle=_lifecycle(raw["lifecycle"]),
        limits=None
        if limits is None
        else Limits(
            **_values(
                limits, ("context_window", "max_input_tokens", "max_output_tokens", "max_reasoning_tokens")
            ),
            provenance=_provenance(limits),
        ),
        prices=None
        if prices is None
        else Prices(
            **_values(
                prices, ("input", "output", "cached_input", "cache_write", "batch_input", "batch_output")
            ),
            historical=bool(prices.get("historical", False)),
            provenance=_provenance(prices),
        ),
        speed=None
        if speed is None
        else Speed(
            speed.get("output_tokens_per_second"),
            speed.get("time_to_first_token_ms"),
            speed["measured_by"],
            _provenance(speed),
        ),
        rate_limits=tuple(
            RateLimit(
                tier=row["tier"],
                free=row["free"],
                **_values(
                    row,
                    (
                        "requests_per_minute",
                        "requests_per_day",
                        "tokens_per_minute",
                        "input_tokens_per_minute",
                        "output_tokens_per_minute",
                        "tokens_per_day",
                        "batch_queue_tokens",
                    ),
                ),
                provenance=_provenance(row),
                highest=bool(row.get("highest")),
            )
            for row in raw.get("rate_limits") or ()
        ),
        fine_tuning=None
        if tuning is None
        else FineTuning(
            available=tuning["available"],
            **_values(
                tuning,
                (
                    "training_per_mtok_usd",
                    "hosting_per_hour_usd",
                    "input_per_mtok_usd",
                    "output_per_mtok_usd",
                ),
            ),
            provenance=_provenance(tuning),
        ),
        uptime=None
        if uptime is None
        else Uptime(uptime.get("sla_percent"), uptime.get("published_uptime_percent"), _provenance(uptime)),
        note=raw.get("note"),
    )


def routes_of(model: CatalogEntry) -> tuple[Route, ...]:
    """Every route of a catalog entry, in catalog order (the developer's own API first)."""
    return tuple(route_of(raw) for raw in model.routes)


def model_status(model: CatalogEntry, day: str) -> str | None:
    """A model's status on `day`: the best of its routes' statuses; open weights stay available (active).

    `unreleased` before the model's release date (a month-only date leaves a day in that month to
    the routes). None when no route says (a closed model without routes, or only routes whose
    status on that day is unknown).
    """
    if release_state(model.release_date, day) == "unreleased":
        return "unreleased"
    found = {route.lifecycle.on(day) for route in routes_of(model)}
    if model.weights == "open":
        found.add("active")
    return next((status for status in STATUSES if status in found), None)
