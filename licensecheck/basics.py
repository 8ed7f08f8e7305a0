"""The route a use case takes (a provider's API or its own GPUs) and what it gets there, as derived facts.

Which route: `deployment.hosting: self-hosted` runs the open weights on `deployment.gpu`;
`provider-api` / `managed-cloud` call the route of `deployment.provider`, or without one the
model's first route not retired on the evaluation date (the developer's own API comes first).
Without `deployment.hosting`, a closed model is called through its API, and an open one takes
the cheaper of its API route and self-hosting on `deployment.gpu` (the API when the costs
cannot be compared, self-hosting when no API route is left). Every figure carries its source:
route facts their provenance block, estimates their formula, inputs and factors
(licensecheck.estimates).
"""

import datetime as dt
from collections.abc import Callable, Mapping
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from licensecheck.facts import DERIVED, Derived, Explained, Facts, Missing
from licensecheck.model import release_state
from licensecheck.records import NamedTuple

if TYPE_CHECKING:
    from licensecheck.estimates import Architecture, Estimate, Factor
    from licensecheck.gpus import Gpu
    from licensecheck.model import RuleSet, UseCase
    from licensecheck.routes import Provenance, Route

CONFIDENCE_ORDER = ("P", "C", "S", "U")
SHUTDOWN_WARNING_MONTHS = 6
Value = Any  # a fact value, Missing or Explained


def worst(*tags: str) -> str:
    """The weakest of some confidence tags (P, C, S, U)."""
    return max(tags, key=CONFIDENCE_ORDER.index)


def months_after(day: str, months: int) -> str:
    """The date `months` calendar months after `day` (YYYY-MM-DD), the day clamped to the month's end."""
    start = dt.date.fromisoformat(day)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(start.day, (following - dt.timedelta(days=1)).day)).isoformat()


class Api(NamedTuple):
    """A provider's API, and why it is the one taken. `route` is None when the catalog lists no route
    for it (a model without routes, or a provider the catalog does not know for the model); then
    the model's own list prices apply only when `list_prices` says so."""

    route: "Route | None"
    chosen_by: str
    list_prices: bool = False
    provider: str | None = None  # deployment.provider, when the catalog lists no route of it


class SelfHosted(NamedTuple):
    """The open weights on the use case's GPUs (`gpu` None when deployment.gpu is not given)."""

    gpu: "Gpu | None"
    gpu_count: int | None


Option = Api | SelfHosted


def _provenance(p: "Provenance", **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = dict(extra)
    out.update({"sources": list(p.sources), "read": p.read, "as_of": p.as_of, "confidence": p.confidence})
    if p.note:
        out["note"] = p.note
    return out


def _cached(facts: Facts, key: str, compute: Callable[..., Any], *args: Any) -> Any:
    """`compute(*args)`, computed once per Facts object and kept under `key` (a None too). The
    arguments are passed, not closed over: some of these are asked of every model a shortlist meets."""
    cache = facts.cache
    found = cache.get(key, _NOT_KEPT)
    if found is _NOT_KEPT:
        found = cache[key] = compute(*args)
    return found


_NOT_KEPT = object()  # a cache entry not computed yet


# ------------------------------------------------------------------------------ the route


def routes(facts: Facts) -> "tuple[Route, ...]":
    """The model's routes, typed (parsed once per evaluation)."""
    model = facts.model
    raw = model.routes if model is not None else ()
    if not raw:
        return ()
    return _cached(facts, "routes", _typed_routes, raw)  # type: ignore[no-any-return]


def _typed_routes(raw: tuple[Any, ...]) -> "tuple[Route, ...]":
    from licensecheck.routes import route_of

    return tuple(route_of(r) for r in raw)


# The API of a model that lists no routes (most catalog models): at its list prices, or for open
# weights without any, at none. Made once, not for each of the thousands a shortlist meets.
_AT_LIST_PRICES = Api(None, "the model's list prices (no routes in the catalog)", True)
_WITHOUT_PRICES = Api(None, "the model's list prices (no routes in the catalog)", False)


def api_route(facts: Facts) -> Api:
    """The API route the use case calls: its provider's, or the first serving the model on the date."""
    found = routes(facts)
    model = facts.model
    open_weights = model is not None and model.weights == "open"
    provider = facts.values.get("deployment.provider")
    if provider is not None:
        route = next((r for r in found if r.provider == provider), None)
        if route is None:
            return Api(None, "deployment.provider (the catalog lists no route of it)", provider=provider)
        return Api(route, f"deployment.provider: {provider}")
    if not found:
        priced = model is not None and (
            model.price_input_per_mtok_usd is not None or model.price_output_per_mtok_usd is not None
        )
        return _AT_LIST_PRICES if priced or not open_weights else _WITHOUT_PRICES
    day = facts.environment.as_of
    live = next((r for r in found if day and r.lifecycle.on(day) in ("active", "deprecated")), None)
    if live is not None:
        return Api(live, f"first route serving the model on {day} (no deployment.provider)")
    if open_weights:  # other hosts may serve open weights: no listed route is the one taken
        return Api(None, f"no route in the catalog serves the open weights on {day} (no deployment.provider)")
    return Api(found[0], "the developer's own route (no deployment.provider)")


def usable(api: Api, day: str) -> bool:
    """Whether an API route can be called and priced: listed, released and not retired, or at list prices."""
    if api.route is None:
        return api.list_prices
    return not day or api.route.lifecycle.on(day) not in ("retired", "unreleased")


def chosen(facts: Facts) -> Option:
    """The route the use case takes (see the module docstring), chosen once per Facts object."""
    found: Option | None = facts.cache.get("chosen")  # read some thirty times per model: no closure
    if found is None:
        found = facts.cache["chosen"] = _choose(facts)
    return found


def _self_hosted(facts: Facts) -> SelfHosted:
    kind = facts.values.get("deployment.gpu.type")
    gpus = facts.environment.gpus
    gpu = gpus.find(kind) if kind is not None and gpus is not None else None
    return SelfHosted(gpu, facts.values.get("deployment.gpu.count"))


def _choose(facts: Facts) -> Option:
    model = facts.model
    hosting = facts.values.get("deployment.hosting")
    open_weights = model is not None and model.weights == "open"
    if hosting == "self-hosted":
        return _self_hosted(facts)
    api = api_route(facts)
    if hosting is not None or not open_weights:
        return api
    # No hosting given, open weights: the cheaper of the API and the use case's GPUs.
    own = _self_hosted(facts)
    if not usable(api, facts.environment.as_of):
        return own
    if own.gpu is None:
        return api
    api_cost = _api_cost(facts, api)
    own_cost = _self_hosted_cost(facts, own)
    if (
        isinstance(api_cost, Explained)
        and isinstance(own_cost, Explained)
        and own_cost.value < api_cost.value
    ):
        return own
    return api


def route_label(option: Option) -> str:
    """How a report names a route: the provider's route name, or the GPUs that run the weights."""
    if isinstance(option, Api):
        if option.route is not None:
            return f"{option.route.name} [{option.route.provider}]"
        if option.provider is not None:
            return f"the {option.provider} API (no route in the catalog)"
        return "the provider's API at the model's list prices" if option.list_prices else "a provider's API"
    if option.gpu is None:
        return "self-hosted (deployment.gpu not given)"
    return f"self-hosted on {option.gpu_count or 1} x {option.gpu.id}"


def short_label(option: Option) -> str:
    """The route in a few words, for a table."""
    if isinstance(option, Api):
        provider = option.route.provider if option.route is not None else option.provider
        return f"{provider} API" if provider else "API"
    return route_label(option).removeprefix("self-hosted on ")


def _route_fact(facts: Facts) -> Value:
    option = chosen(facts)
    why = option.chosen_by if isinstance(option, Api) else "deployment.hosting / cheaper than the API route"
    label = route_label(option)
    return Explained(label, {"value": label, "chosen_by": why})


def _listed(facts: Facts) -> Value:
    return _route(facts) is not None


def _hosting(facts: Facts) -> Value:
    option = chosen(facts)
    return "api" if isinstance(option, Api) else "self-hosted"


def _route(facts: Facts) -> "Route | None":
    """The API route taken, when it is one the catalog lists."""
    option = chosen(facts)
    return option.route if isinstance(option, Api) else None


# ------------------------------------------------------------------------------ lifecycle and limits


def _lifecycle(field: str) -> Callable[[Facts], Value]:
    def compute(facts: Facts) -> Value:
        route = _route(facts)
        if route is None:
            return Missing(("derived.route (not a provider's API route in the catalog)",))
        life = route.lifecycle
        day = facts.environment.as_of
        if field in ("status", "retired"):
            value: Any = life.on(day) if day else None
            if field == "retired":
                # before a recorded shutdown the route was not retired, even when its status then is unknown
                before = (
                    value is None and bool(day) and life.shutdown_on is not None and day < life.shutdown_on
                )
                value = False if before else None if value is None else value == "retired"
            if value is None:
                return Missing((f"the lifecycle of {route.name} on {day or 'the evaluation date'}",))
        elif field == "shutdown_within_6_months":
            if life.shutdown_on is None or not day:
                return False
            value = day < life.shutdown_on <= months_after(day, SHUTDOWN_WARNING_MONTHS)
        elif field == "source":
            value = life.provenance.sources[0]
        elif field == "confidence":
            return life.provenance.confidence
        else:
            value = getattr(life, field)
            if value is None:
                return Missing((f"{field} of {route.name}",))
        extra = {
            "value": value,
            "route": route.name,
            "shutdown_on": life.shutdown_on,
            "replacement": life.replacement,
        }
        return Explained(value, _provenance(life.provenance, **extra))

    return compute


def _release(field: str) -> Callable[[Facts], Value]:
    """The release date that holds for the route taken: the API route's own (released_on), else the model's."""

    def compute(facts: Facts) -> Value:
        route = _route(facts)
        model = facts.model
        day = facts.environment.as_of
        source: str | None
        confidence: str | None
        if route is not None and route.lifecycle.released_on is not None:
            life = route.lifecycle
            date, source, confidence = (
                life.released_on,
                life.provenance.sources[0],
                life.provenance.confidence,
            )
            where = f"{route.name} (lifecycle.released_on)"
        elif model is not None and model.release_date is not None:
            date, source = model.release_date, model.release_date_source
            confidence, where = model.release_date_confidence, "the model (release_date)"
        else:
            return Missing(("model.release_date",))
        if field == "confidence":
            return confidence if confidence is not None else Missing((f"the confidence of {where}",))
        if field == "source":
            return source or where
        if field == "date":
            return date
        state = release_state(date, day)
        if state is None:
            return Missing(("the evaluation date",))
        value = state == "unreleased" if field == "unreleased" else state == "same-month"
        return Explained(value, partial(_release_evidence, value, date, where, day, source, confidence))

    return compute


def _release_evidence(
    value: bool, date: str | None, where: str, day: str, source: str | None, confidence: str | None
) -> dict[str, Any]:
    """A release fact's evidence, built only when a report shows it."""
    return {
        "value": value,
        "release_date": date,
        "of": where,
        "as_of": day,
        "sources": [source] if source else [],
        "confidence": confidence or "not recorded",
    }


def _limit(field: str) -> Callable[[Facts], Value]:
    """The route's own limit, or the model's where the route has none (self-hosted: the model's)."""

    def compute(facts: Facts) -> Value:
        option = chosen(facts)
        route = option.route if isinstance(option, Api) else None
        limits = route.limits if route is not None else None
        own = getattr(limits, field) if limits is not None else None
        if own is not None and limits is not None:
            return Explained(own, _provenance(limits.provenance, value=own, route=route_label(option)))
        model = getattr(facts.model, field, None)
        return Missing((f"model.{field}",)) if model is None else model

    return compute


def _limit_confidence(facts: Facts) -> Value:
    route = _route(facts)
    if route is None or route.limits is None:
        return "P"  # the model's own facts, as every other constraint reads them
    return route.limits.provenance.confidence


# ------------------------------------------------------------------------------ API facts


def _api_speed(facts: Facts, field: str) -> Value:
    route = _route(facts)
    if route is None:
        return Missing((f"{field} of the route (model.routes speed)",))
    speed = route.speed
    value = getattr(speed, field) if speed is not None else None
    if speed is None or value is None:
        return Missing((f"{field} of {route.name} (model.routes speed)",))
    extra = {"value": value, "route": route.name, "measured_by": speed.measured_by}
    return Explained(value, _provenance(speed.provenance, **extra))


def _tier_rows(facts: Facts, route: "Route") -> list[Any] | Missing:
    tier = facts.values.get("deployment.api_tier")
    if tier is None:
        return Missing(("deployment.api_tier",))
    rows = [r for r in route.rate_limits if r.free == (tier == "free")]
    if not rows:
        return Missing((f"rate limits of {route.name} at the {tier} tier (model.routes rate_limits)",))
    return rows


def _per_minute(row: Any, field: str) -> int | None:
    value: int | None = getattr(row, field)
    split = (row.input_tokens_per_minute, row.output_tokens_per_minute)
    if field == "tokens_per_minute" and value is None and None not in split:
        return int(split[0] + split[1])  # input and output limited apart (Anthropic): both together
    return value


def _rate_limit(field: str, entry: bool) -> Callable[[Facts], Value]:
    """The highest limit of the use case's tier (`entry`: of its first tier listed, where accounts start)."""

    def compute(facts: Facts) -> Value:
        route = _route(facts)
        if route is None:
            return Missing(("derived.route (not a provider's API route in the catalog)",))
        rows = _tier_rows(facts, route)
        if isinstance(rows, Missing):
            return rows
        known = [(r, v) for r in rows if (v := _per_minute(r, field)) is not None]
        if not known:
            return Missing((f"{field} of {route.name} (model.routes rate_limits)",))
        row, value = known[0] if entry else max(known, key=lambda rv: rv[1])
        return Explained(value, _provenance(row.provenance, value=value, route=route.name, tier=row.tier))

    return compute


def _rate_ceiling_known(facts: Facts) -> Value:
    """Whether the rows of the use case's tier reach its ceiling: the free tier is one row; among
    paid tiers, only a row marked `highest` says that no higher tier allows more."""
    route = _route(facts)
    if route is None:
        return Missing(("derived.route (not a provider's API route in the catalog)",))
    rows = _tier_rows(facts, route)
    if isinstance(rows, Missing):
        return rows
    if facts.values.get("deployment.api_tier") == "free" or any(r.highest for r in rows):
        return True
    recorded = ", ".join(r.tier for r in rows)
    return Missing(
        (
            f"the limits of {route.name}'s highest paid tier (the catalog records {recorded}; a higher tier may allow more)",
        )
    )


def _rate_limit_confidence(facts: Facts) -> Value:
    route = _route(facts)
    if route is None:
        return Missing(("derived.route (not a provider's API route in the catalog)",))
    rows = _tier_rows(facts, route)
    if isinstance(rows, Missing):
        return rows
    return worst(*(r.provenance.confidence for r in rows))


def _uptime(facts: Facts) -> Value:
    route = _route(facts)
    if route is None:
        return Missing(("derived.route (not a provider's API route in the catalog)",))
    up = route.uptime
    value = (
        None if up is None else up.sla_percent if up.sla_percent is not None else up.published_uptime_percent
    )
    if up is None or value is None:
        return Missing((f"uptime of {route.name} (no SLA or published uptime in the catalog)",))
    kind = "SLA" if up.sla_percent is not None else "published uptime"
    return Explained(value, _provenance(up.provenance, value=value, route=route.name, kind=kind))


def _uptime_confidence(facts: Facts) -> Value:
    route = _route(facts)
    up = route.uptime if route is not None else None
    return Missing(("uptime",)) if up is None else up.provenance.confidence


# ------------------------------------------------------------------------------ costs


def _explained(estimate: "Estimate", **sources: Any) -> Explained:
    evidence = estimate.evidence()
    if sources:
        evidence["sources"] = sources
    return Explained(estimate.value, evidence)


def _reasoning_factor(facts: Facts) -> "Factor | None":
    """The reasoning overhead a model's API cost bills, None for a model without hidden reasoning: told
    from its reasoning block without a memo (most models of a shortlist, asked twice each), and the
    factor of a reasoning model made once per Facts object."""
    model = facts.model
    block = model.reasoning if model is not None else None
    if not block or not block.get("reasoning_model"):
        return None
    return _cached(facts, "reasoning factor", _reasoning_factor_of, block)  # type: ignore[no-any-return]


def _reasoning_factor_of(block: Mapping[str, Any]) -> "Factor":
    from licensecheck.estimates import reasoning_overhead

    return reasoning_overhead(block.get("overhead_factor"), block.get("overhead_source"))


def _api_prices(facts: Facts, api: Api) -> "tuple[float, float, Route | None] | Missing":
    """Input and output prices, and the route whose dated prices they are (None: the model's list prices)."""
    route = api.route
    if route is not None and route.prices is not None:
        p = route.prices
        if p.historical:
            return Missing((f"current prices of {route.name} (the catalog's are historical)",))
        if p.input is None or p.output is None:
            return Missing((f"input and output prices of {route.name}",))
        return p.input, p.output, route
    model = facts.model
    developer_route = route is not None and route is routes(facts)[0]
    if model is None or not (api.list_prices or developer_route):
        if route is None:
            return _NO_PROVIDER_PRICES
        return Missing((f"prices of {route.name} (model.routes prices)",))
    if model.price_input_per_mtok_usd is None or model.price_output_per_mtok_usd is None:
        names = ("model.price_input_per_mtok_usd", "model.price_output_per_mtok_usd")
        return Missing(tuple(n for n in names if getattr(model, n[6:]) is None))
    return model.price_input_per_mtok_usd, model.price_output_per_mtok_usd, None


# What an API the catalog lists no route of lacks, made once: a shortlist asks it of every open-weights
# model without routes or list prices (some 1,700 of a 10,000-model catalog).
_NO_PROVIDER_PRICES = Missing(("prices of the provider (model.routes prices)",))

_TOKEN_FACTS = ("requirements.monthly_input_tokens", "requirements.monthly_output_tokens")


def _tokens(facts: Facts) -> tuple[int, int] | Missing:
    values = facts.values  # read for every priced model: no comprehension
    tokens_in = values.get(_TOKEN_FACTS[0])
    tokens_out = values.get(_TOKEN_FACTS[1])
    if tokens_in is None or tokens_out is None:
        return Missing(tuple(n for n, v in zip(_TOKEN_FACTS, (tokens_in, tokens_out)) if v is None))
    return int(tokens_in), int(tokens_out)


def _api_cost(facts: Facts, api: Api, floor: bool = False) -> Value:
    """API cost per month; `floor` leaves hidden reasoning out (the least it can cost).

    Kept per route and factor: the route choice, the cost fact and its floor (the same figure for a
    model without hidden reasoning) ask for it on one Facts object.
    """
    factor = None if floor else _reasoning_factor(facts)
    key = "api cost" if factor is None else "api cost with reasoning"
    kept = facts.cache.get(key)
    if kept is not None and kept[0] is api:
        return kept[1]  # type: ignore[no-any-return]
    value = _api_cost_of(facts, api, factor)
    facts.cache[key] = (api, value)
    return value


def _api_cost_of(facts: Facts, api: Api, factor: "Factor | None") -> Value:
    tokens = _tokens(facts)
    if isinstance(tokens, Missing):
        return tokens
    prices = _api_prices(facts, api)
    if isinstance(prices, Missing):
        return prices
    value = _api_monthly_cost_usd()(*tokens, prices[0], prices[1], factor)
    return Explained(value, partial(_api_cost_evidence, tokens, prices, factor))


@lru_cache(maxsize=1)
def _api_monthly_cost_usd() -> "Callable[[float, float, float, float, Factor | None], float]":
    """estimates.api_monthly_cost_usd, imported once a cost can be estimated (an evaluate may price
    nothing), and once: an import statement run for each priced model of a shortlist cost some 8,000
    instructions, the module loaded or not."""
    from licensecheck.estimates import api_monthly_cost_usd

    return api_monthly_cost_usd


def _api_cost_evidence(
    tokens: tuple[int, int], prices: "tuple[float, float, Route | None]", factor: "Factor | None"
) -> Any:
    """The API cost's evidence (its Estimate's and the prices' source), built only when a report shows it."""
    from licensecheck.estimates import api_monthly_cost

    route = prices[2]
    if route is not None and route.prices is not None:
        sources = _provenance(route.prices.provenance, route=route.name)
    else:
        sources = {"from": "model list prices"}
    return _explained(api_monthly_cost(*tokens, prices[0], prices[1], factor), prices=sources).evidence


def _monthly_cost(floor: bool) -> Callable[[Facts], Value]:
    def compute(facts: Facts) -> Value:
        option = chosen(facts)
        if isinstance(option, SelfHosted):
            return Missing(("derived.route (self-hosted: see derived.self_hosted_monthly_cost_usd)",))
        return _api_cost(facts, option, floor)

    return compute


def _cost_assumed(facts: Facts) -> Value:
    factor = _reasoning_factor(facts)
    return factor is not None and factor.assumed


# ------------------------------------------------------------------------------ self-hosting


def _architecture(facts: Facts) -> "Architecture | Missing":
    from licensecheck.estimates import architecture_of

    model = facts.model
    if model is None:
        return Missing(("model",))
    found, missing = architecture_of(
        {
            "parameters_b": model.parameters_b,
            "active_parameters_b": model.active_parameters_b,
            "transformer": model.transformer,
        }
    )
    return Missing(missing) if found is None else found


def _precision(facts: Facts) -> str | Missing:
    from licensecheck.estimates import weight_precision

    native = (facts.model.transformer or {}).get("weight_precision") if facts.model is not None else None
    found = weight_precision(facts.values.get("deployment.precision"), native)
    return Missing(("deployment.precision",)) if found is None else found


def _gpu_sources(facts: Facts, own: SelfHosted, price: bool = True) -> dict[str, Any]:
    gpu = own.gpu
    assert gpu is not None
    out: dict[str, Any] = {"gpu": _provenance(gpu.provenance, id=gpu.id, name=gpu.name)}
    cheapest = gpu.cheapest() if price else None
    if cheapest is not None:
        out["price"] = _provenance(
            cheapest.provenance,
            usd_per_gpu_hour=cheapest.usd_per_gpu_hour,
            provider=cheapest.provider,
            offering=cheapest.offering,
        )
    transformer = facts.model.transformer if facts.model is not None else None
    if transformer:
        out["transformer"] = {k: transformer.get(k) for k in ("sources", "read", "as_of", "confidence")}
    return out


class _Inputs(NamedTuple):
    arch: "Architecture"
    precision: str
    gpu: "Gpu"
    gpus: int


def _inputs(facts: Facts, own: SelfHosted, *gpu_fields: str) -> _Inputs | Missing:
    missing: list[str] = []
    if own.gpu is None:
        given = facts.values.get("deployment.gpu.type")
        missing.append(
            "deployment.gpu" if given is None else f"deployment.gpu.type ({given} not in the GPU table)"
        )
    arch = _architecture(facts)
    if isinstance(arch, Missing):
        missing += arch.facts
    precision = _precision(facts)
    if isinstance(precision, Missing):
        missing += precision.facts
    if own.gpu is not None:
        missing += [f"{field} of GPU {own.gpu.id}" for field in gpu_fields if getattr(own.gpu, field) is None]
    if missing:
        return Missing(tuple(missing))
    assert own.gpu is not None and not isinstance(arch, Missing) and not isinstance(precision, Missing)
    return _Inputs(arch, precision, own.gpu, own.gpu_count or 1)


def _own(facts: Facts) -> SelfHosted | Missing:
    option = chosen(facts)
    if isinstance(option, Api):
        return Missing(("derived.route (a provider's API, not self-hosted)",))
    return option


def _usage(facts: Facts, *, need: bool, streams_too: bool = True) -> tuple[float, int] | Missing:
    """(context tokens, concurrency) from the requirements; when not `need`ed, missing ones are 0
    and 1 (what a bound takes: less context and fewer streams need less memory and go faster)."""
    context = facts.values.get("requirements.min_context_tokens")
    streams = facts.values.get("requirements.concurrent_requests")
    names = ("requirements.min_context_tokens", "requirements.concurrent_requests")
    wanted = (context, streams if streams_too else 1)
    if need and None in wanted:
        return Missing(tuple(n for n, v in zip(names, wanted) if v is None))
    return float(context or 0), int(streams or 1)


def _fit_estimate(facts: Facts, need: bool) -> "tuple[Estimate, Explained] | Missing":
    """The self-hosted memory estimate and its evidence, computed once per model and `need` (see _usage)
    for the four derived.self_hosted_* memory facts. Not for _self_hosted_cost: choosing the route
    calls that, and this asks for the chosen route."""

    def compute() -> "tuple[Estimate, Explained] | Missing":
        from licensecheck.estimates import self_hosted_fit

        own = _own(facts)
        if isinstance(own, Missing):
            return own
        inputs = _inputs(facts, own, "memory_gb")
        if isinstance(inputs, Missing):
            return inputs
        usage = _usage(facts, need=need)
        if isinstance(usage, Missing):
            return usage
        assert inputs.gpu.memory_gb is not None
        estimate = self_hosted_fit(inputs.arch, inputs.precision, *usage, inputs.gpu.memory_gb, inputs.gpus)
        return estimate, _explained(estimate, **_gpu_sources(facts, own, price=False))

    return _cached(facts, f"fit needed={need}", compute)  # type: ignore[no-any-return]


def _fit(field: str) -> Callable[[Facts], Value]:
    """Self-hosted memory: `required_gb` (weights + KV cache), `weights_gb` (a lower bound), `usable_gb`,
    `min_gpus` (the fewest GPUs of the type whose memory holds what is known of the need)."""

    def compute(facts: Facts) -> Value:
        fit = _fit_estimate(facts, need=field == "required_gb")
        if isinstance(fit, Missing):
            return fit
        estimate, explained = fit
        value = estimate.value if field == "required_gb" else estimate.part(field)
        return Explained(value, {**explained.evidence, "value": value, "estimate": estimate.name})

    return compute


def _self_hosted_speed(facts: Facts, own: SelfHosted, field: str) -> Value:
    """Self-hosted decode speed per stream (or its bound) and time to first token (or its bound)."""
    from licensecheck.estimates import compute_tflops, decode_speed, time_to_first_token

    ttft = field.startswith("time_to_first_token")
    bound = field.endswith("_bound")
    inputs = _inputs(facts, own, "bf16_dense_tflops" if ttft else "bandwidth_gb_s")
    if isinstance(inputs, Missing):
        return inputs
    usage = _usage(facts, need=not bound, streams_too=not ttft)
    if isinstance(usage, Missing):
        return usage
    gpu = inputs.gpu
    if ttft:
        tflops = compute_tflops(inputs.precision, gpu.bf16_dense_tflops, gpu.fp8_dense_tflops)
        assert tflops is not None
        estimate = time_to_first_token(inputs.arch, usage[0], tflops, inputs.gpus)
        value = estimate.part("bound_ms") if bound else estimate.value
    else:
        assert gpu.bandwidth_gb_s is not None
        estimate = decode_speed(inputs.arch, inputs.precision, *usage, gpu.bandwidth_gb_s, inputs.gpus)
        value = estimate.part("bound_tokens_per_second") if bound else estimate.value
    explained = _explained(estimate, **_gpu_sources(facts, own, price=False))
    return Explained(value, {**explained.evidence, "value": value})


def _speed_field(field: str, bound: bool) -> Callable[[Facts], Value]:
    """Decode speed or time to first token of the route: API measurements, or the self-hosted estimate."""
    own_field = field + ("_bound" if bound else "")

    def compute(facts: Facts) -> Value:
        option = chosen(facts)
        if isinstance(option, SelfHosted):
            return _self_hosted_speed(facts, option, own_field)
        return _api_speed(facts, field)

    return compute


def _self_hosted_confidence(facts: Facts, own: SelfHosted) -> str:
    tags = [own.gpu.provenance.confidence] if own.gpu is not None else ["U"]
    transformer = facts.model.transformer if facts.model is not None else None
    tags.append(str((transformer or {}).get("confidence") or "U"))
    return worst(*tags)


def _speed_confidence(facts: Facts) -> Value:
    option = chosen(facts)
    if isinstance(option, SelfHosted):
        return _self_hosted_confidence(facts, option)
    speed = option.route.speed if option.route is not None else None
    return Missing(("speed",)) if speed is None else speed.provenance.confidence


def _self_hosted_cost(facts: Facts, own: SelfHosted) -> Value:
    from licensecheck.estimates import compute_tflops, decode_speed, self_hosted_fit, self_hosted_monthly_cost

    inputs = _inputs(facts, own, "bandwidth_gb_s", "bf16_dense_tflops", "memory_gb")
    if isinstance(inputs, Missing):
        return inputs
    tokens = _tokens(facts)
    usage = _usage(facts, need=True)
    price = inputs.gpu.cheapest()
    missing = [m for part in (tokens, usage) if isinstance(part, Missing) for m in part.facts]
    if price is None:
        missing.append(f"a price of GPU {inputs.gpu.id} (GPU table)")
    if missing:
        return Missing(tuple(missing))
    assert not isinstance(tokens, Missing) and not isinstance(usage, Missing) and price is not None
    gpu = inputs.gpu
    assert gpu.bandwidth_gb_s is not None and gpu.memory_gb is not None
    fit = self_hosted_fit(inputs.arch, inputs.precision, *usage, gpu.memory_gb, inputs.gpus)
    if not fit.part("fits"):
        needed, usable = fit.value, fit.part("usable_gb")
        least = f"at least {fit.part('min_gpus')} x {gpu.id} by memory"
        return Missing(
            (f"deployment.gpu that fits the model ({needed} GB needed, {usable} GB usable: {least})",)
        )
    speed = decode_speed(inputs.arch, inputs.precision, *usage, gpu.bandwidth_gb_s, inputs.gpus)
    tflops = compute_tflops(inputs.precision, gpu.bf16_dense_tflops, gpu.fp8_dense_tflops)
    assert tflops is not None
    estimate = self_hosted_monthly_cost(
        inputs.arch, speed.value, usage[1], tflops, inputs.gpus, price.usd_per_gpu_hour, *tokens
    )
    explained = _explained(estimate, **_gpu_sources(facts, own))
    explained.evidence["decode_speed"] = speed.evidence()
    return explained


def _self_hosted_monthly_cost(facts: Facts) -> Value:
    own = _own(facts)
    return own if isinstance(own, Missing) else _self_hosted_cost(facts, own)


def _self_hosted_confidence_fact(facts: Facts) -> Value:
    own = _own(facts)
    return own if isinstance(own, Missing) else _self_hosted_confidence(facts, own)


def _route_monthly_cost(facts: Facts) -> Value:
    """The monthly cost of the route taken, whichever it is (what a shortlist ranks on)."""
    option = chosen(facts)
    if isinstance(option, SelfHosted):
        return _self_hosted_cost(facts, option)
    return _api_cost(facts, option)


# ------------------------------------------------------------------------------ fine-tuning


def _fine_tuning_available(facts: Facts) -> Value:
    option = chosen(facts)
    if isinstance(option, SelfHosted):
        return Explained(True, {"value": True, "route": route_label(option), "why": "the weights are open"})
    if option.route is None:
        return Missing(("model.routes fine_tuning",))
    tuning = option.route.fine_tuning
    if tuning is None or tuning.available is None:
        return Missing((f"fine-tuning on {option.route.name} (model.routes fine_tuning)",))
    return Explained(
        tuning.available, _provenance(tuning.provenance, value=tuning.available, route=option.route.name)
    )


def _fine_tuning_cost(facts: Facts) -> Value:
    from licensecheck.estimates import provider_fine_tuning_cost, self_hosted_fine_tuning_cost

    tokens = facts.values.get("requirements.fine_tuning_tokens")
    if tokens is None:
        return Missing(("requirements.fine_tuning_tokens",))
    option = chosen(facts)
    if isinstance(option, Api):
        if option.route is None:
            return Missing(("model.routes fine_tuning",))
        tuning = option.route.fine_tuning
        if tuning is not None and tuning.available is False:
            return Missing((f"fine-tuning on {option.route.name} (not offered)",))
        if tuning is None or tuning.training_per_mtok_usd is None:
            return Missing((f"the fine-tuning price of {option.route.name} (model.routes fine_tuning)",))
        estimate = provider_fine_tuning_cost(tokens, tuning.training_per_mtok_usd)
        return _explained(estimate, price=_provenance(tuning.provenance, route=option.route.name))
    inputs = _inputs(facts, option, "bf16_dense_tflops", "memory_gb")
    if isinstance(inputs, Missing):
        return inputs
    price = inputs.gpu.cheapest()
    if price is None:
        return Missing((f"a price of GPU {inputs.gpu.id} (GPU table)",))
    assert inputs.gpu.bf16_dense_tflops is not None and inputs.gpu.memory_gb is not None
    estimate = self_hosted_fine_tuning_cost(
        inputs.arch,
        tokens,
        inputs.gpu.bf16_dense_tflops,
        price.usd_per_gpu_hour,
        inputs.gpu.memory_gb,
        inputs.gpus,
    )
    return _explained(estimate, **_gpu_sources(facts, option))


def _fine_tuning_confidence(facts: Facts) -> Value:
    option = chosen(facts)
    if isinstance(option, SelfHosted):
        return _self_hosted_confidence(facts, option)
    tuning = option.route.fine_tuning if option.route is not None else None
    return Missing(("fine-tuning",)) if tuning is None else tuning.provenance.confidence


# ------------------------------------------------------------------------------ the facts


def _whole(compute: Callable[[Facts], Value], description: str, *inputs: str) -> Derived:
    return Derived(inputs, compute, description, whole=True)


ROUTE_FACTS: Mapping[str, Derived] = {
    "derived.route": _whole(
        _route_fact, "The route the use case takes: a provider's API route, or self-hosting."
    ),
    "derived.route_hosting": _whole(_hosting, "api or self-hosted: how the route runs the model."),
    "derived.route_listed": _whole(
        _listed, "The API route taken is one the catalog lists (with its lifecycle, limits and prices)."
    ),
    "derived.route_status": _whole(
        _lifecycle("status"), "Lifecycle status of the API route on the evaluation date (--as-of)."
    ),
    "derived.route_retired": _whole(
        _lifecycle("retired"),
        "The API route is retired on the evaluation date (shut down, or recorded retired).",
    ),
    "derived.route_shutdown_on": _whole(_lifecycle("shutdown_on"), "Date the API route is shut down."),
    "derived.route_deprecated_on": _whole(_lifecycle("deprecated_on"), "Date the API route was deprecated."),
    "derived.route_replacement": _whole(_lifecycle("replacement"), "The provider's named replacement."),
    "derived.route_shutdown_within_6_months": _whole(
        _lifecycle("shutdown_within_6_months"),
        "The API route shuts down after the evaluation date and within 6 months of it.",
    ),
    "derived.route_lifecycle_source": _whole(_lifecycle("source"), "The provider's deprecation source."),
    "derived.route_lifecycle_confidence": _whole(
        _lifecycle("confidence"), "Confidence of the lifecycle facts."
    ),
    "derived.release_date": _whole(
        _release("date"),
        "Release date of the route taken: the API route's own (lifecycle.released_on), else the model's.",
    ),
    "derived.not_yet_released": _whole(
        _release("unreleased"), "The model (the route taken) is released after the evaluation date (--as-of)."
    ),
    "derived.release_month_unsure": _whole(
        _release("same-month"),
        "Only the month of the release is known, and the evaluation date falls in that month.",
    ),
    "derived.release_source": _whole(_release("source"), "Where the release date was read."),
    "derived.release_confidence": _whole(_release("confidence"), "Confidence of the release date."),
    "derived.route_context_window": _whole(
        _limit("context_window"),
        "Context window of the route taken (a provider may serve less than the weights).",
    ),
    "derived.route_max_output_tokens": _whole(
        _limit("max_output_tokens"), "Output limit of the route taken."
    ),
    "derived.route_limits_confidence": _whole(_limit_confidence, "Confidence of the route's limits."),
    "derived.output_tokens_per_second": _whole(
        _speed_field("output_tokens_per_second", bound=False),
        "Decode speed per stream: the API's measured median, or the self-hosted estimate.",
    ),
    "derived.output_tokens_per_second_bound": _whole(
        _speed_field("output_tokens_per_second", bound=True),
        "The most the route can reach: the API's measured median, or the self-hosted bandwidth bound.",
    ),
    "derived.time_to_first_token_ms": _whole(
        _speed_field("time_to_first_token_ms", bound=False),
        "Time to first token: the API's measured median, or the self-hosted prefill estimate.",
    ),
    "derived.time_to_first_token_bound_ms": _whole(
        _speed_field("time_to_first_token_ms", bound=True),
        "The least time to first token: the API's measured median, or the self-hosted compute bound.",
    ),
    "derived.speed_confidence": _whole(_speed_confidence, "Confidence of the speed figures."),
    "derived.rate_limit_requests_per_minute": _whole(
        _rate_limit("requests_per_minute", entry=False), "Highest requests-per-minute limit of the api_tier."
    ),
    "derived.rate_limit_requests_per_minute_entry": _whole(
        _rate_limit("requests_per_minute", entry=True), "Requests per minute of the first tier listed."
    ),
    "derived.rate_limit_tokens_per_minute": _whole(
        _rate_limit("tokens_per_minute", entry=False), "Highest tokens-per-minute limit of the api_tier."
    ),
    "derived.rate_limit_tokens_per_minute_entry": _whole(
        _rate_limit("tokens_per_minute", entry=True), "Tokens per minute of the first tier listed."
    ),
    "derived.rate_limit_ceiling_known": _whole(
        _rate_ceiling_known,
        "The api_tier's rows reach its ceiling: the free tier, or a paid tier marked highest.",
    ),
    "derived.rate_limit_confidence": _whole(_rate_limit_confidence, "Confidence of the rate limits."),
    "derived.uptime_percent": _whole(_uptime, "The route's SLA, or its published uptime, percent."),
    "derived.uptime_confidence": _whole(_uptime_confidence, "Confidence of the uptime figure."),
    "derived.fine_tuning_available": _whole(_fine_tuning_available, "The route offers fine-tuning."),
    "derived.fine_tuning_cost_usd": _whole(_fine_tuning_cost, "Estimated fine-tuning cost on the route."),
    "derived.fine_tuning_confidence": _whole(_fine_tuning_confidence, "Confidence of the fine-tuning facts."),
    "derived.api_monthly_cost_usd": _whole(
        _monthly_cost(floor=False),
        "API cost per month on the route taken, hidden reasoning tokens billed as output.",
    ),
    "derived.api_monthly_cost_floor_usd": _whole(
        _monthly_cost(floor=True), "API cost per month without hidden reasoning tokens (the least it costs)."
    ),
    "derived.api_monthly_cost_assumed": _whole(
        _cost_assumed, "The API cost rests on the assumed reasoning overhead (no source documents one)."
    ),
    "derived.self_hosted_monthly_cost_usd": _whole(
        _self_hosted_monthly_cost, "Self-hosted cost per month: GPU sets x GPUs x price per hour x 730."
    ),
    "derived.route_monthly_cost_usd": _whole(_route_monthly_cost, "Cost per month of the route taken."),
    "derived.self_hosted_required_gb": _whole(
        _fit("required_gb"),
        "GPU memory for the weights and the KV cache of the required context and concurrency.",
    ),
    "derived.self_hosted_weights_gb": _whole(_fit("weights_gb"), "GPU memory for the weights alone."),
    "derived.self_hosted_usable_gb": _whole(_fit("usable_gb"), "GPU memory the deployment's GPUs offer."),
    "derived.self_hosted_min_gpus": _whole(
        _fit("min_gpus"), "Fewest GPUs of the deployment's type whose memory holds the model (a lower bound)."
    ),
    "derived.self_hosted_confidence": _whole(
        _self_hosted_confidence_fact, "Confidence of the GPU table and architecture facts."
    ),
}

DERIVED.update(ROUTE_FACTS)


# ------------------------------------------------------------------------------ side by side (shortlist)


class OptionView(NamedTuple):
    """One route of a model for a use case, as a shortlist shows it (None: not known)."""

    route: str
    hosting: str  # api | self-hosted
    short: str  # the route in a few words: "openai API", "2 x h100-80gb"
    monthly_cost_usd: float | None
    cost_unknown: tuple[str, ...]  # what the cost needs and lacks
    cost_assumed: bool  # the cost rests on the assumed reasoning overhead
    status: str | None  # lifecycle of an API route on the date
    shutdown_on: str | None
    output_tokens_per_second: float | None  # measured (API) or estimated (self-hosted)
    output_tokens_per_second_bound: float | None
    time_to_first_token_ms: float | None
    requests_per_minute: int | None  # highest limit of the api_tier
    tokens_per_minute: int | None
    required_gb: float | None  # self-hosted: weights and KV cache
    usable_gb: float | None
    evidence: tuple[tuple[str, Any], ...] = ()  # derived fact -> its formula and inputs, or its source


class RouteView(NamedTuple):
    """The route a use case takes for a model, and for open weights both routes side by side."""

    taken: OptionView
    api: OptionView | None  # the API route (None when no route can be called or priced)
    self_hosted: OptionView | None  # self-hosting on deployment.gpu (open weights with deployment.gpu)


class RouteBrief(NamedTuple):
    """The route a use case takes for a model in a few words (OptionView's fields of the same names):
    what the text shortlist's table shows of every ranked model, known without estimating the rest."""

    short: str
    hosting: str
    status: str | None
    shutdown_on: str | None


def route_brief(facts: Facts) -> RouteBrief:
    """The route `facts` take: its short label, hosting, and for an API its status on the date
    (made once per Facts object: a text shortlist's table reads it twice per model)."""
    return _cached(facts, "route brief", _route_brief_of, facts)  # type: ignore[no-any-return]


def _route_brief_of(facts: Facts) -> RouteBrief:
    option = chosen(facts)
    api = isinstance(option, Api)
    return RouteBrief(
        short_label(option),
        "api" if api else "self-hosted",
        facts.get("derived.route_status") if api else None,
        facts.get("derived.route_shutdown_on") if api else None,
    )


def _number(facts: Facts, path: str) -> Any:
    value = facts.get(path)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


SHOWN_FACTS = (
    "derived.route_monthly_cost_usd",
    "derived.route_status",
    "derived.output_tokens_per_second",
    "derived.output_tokens_per_second_bound",
    "derived.time_to_first_token_ms",
    "derived.rate_limit_requests_per_minute",
    "derived.rate_limit_tokens_per_minute",
    "derived.self_hosted_required_gb",
)


def option_view(facts: Facts) -> OptionView:
    """The figures of the route `facts` take, each with its evidence (formula and inputs, or source)."""
    option = chosen(facts)
    api = isinstance(option, Api)
    cost_path = "derived.route_monthly_cost_usd"
    cost = _number(facts, cost_path)
    evidence = tuple(
        (path, found)
        for path in SHOWN_FACTS
        if facts.get(path) is not None and (found := facts.explanation(path))
    )
    cost_unknown = () if cost is not None else tuple(facts.missing_inputs(cost_path))
    cost_assumed = api and facts.get("derived.api_monthly_cost_assumed") is True
    brief = route_brief(facts)  # the fields a text shortlist shows without the view
    return OptionView(
        route=route_label(option),
        hosting=brief.hosting,
        short=brief.short,
        monthly_cost_usd=cost,
        cost_unknown=cost_unknown,
        cost_assumed=cost_assumed,
        status=brief.status,
        shutdown_on=brief.shutdown_on,
        output_tokens_per_second=_number(facts, "derived.output_tokens_per_second"),
        output_tokens_per_second_bound=_number(facts, "derived.output_tokens_per_second_bound"),
        time_to_first_token_ms=_number(facts, "derived.time_to_first_token_ms"),
        requests_per_minute=_number(facts, "derived.rate_limit_requests_per_minute") if api else None,
        tokens_per_minute=_number(facts, "derived.rate_limit_tokens_per_minute") if api else None,
        required_gb=None if api else _number(facts, "derived.self_hosted_required_gb"),
        usable_gb=None if api else _number(facts, "derived.self_hosted_usable_gb"),
        evidence=evidence,
    )


def route_view(facts: Facts) -> RouteView:
    """The route taken and, for open weights, the API and self-hosting side by side."""
    taken = option_view(facts)
    model = facts.model
    if model is None or model.weights != "open":
        return RouteView(taken, taken if taken.hosting == "api" else None, None)

    def under(hosting: str) -> Facts:
        values = {**facts.values, "deployment.hosting": hosting}
        return Facts(values, model, facts.acceptance, facts.environment)

    api_facts = under("provider-api")
    api_option = chosen(api_facts)
    api = (
        option_view(api_facts)
        if isinstance(api_option, Api) and usable(api_option, facts.environment.as_of)
        else None
    )
    own = option_view(under("self-hosted")) if facts.values.get("deployment.gpu.type") is not None else None
    return RouteView(taken, api, own)


def check_gpu(usecase: "UseCase", ruleset: "RuleSet") -> None:
    """Refuse a `deployment.gpu.type` the GPU table does not know, located in the use-case file."""
    kind = usecase.values.get("deployment.gpu.type")
    if kind is None:
        return
    table = ruleset.gpus()
    if table.find(kind) is None:
        from licensecheck.errors import did_you_mean

        ids = [g.id for g in table.gpus]
        raise usecase.doc.error(
            ("deployment", "gpu", "type"),
            f"unknown GPU '{kind}'",
            ((did_you_mean(kind, ids) or "") + " the GPU table lists ").lstrip()
            + ", ".join(ids)
            + " (`licensecheck models gpus`); add your own in a GPU table of a --rules folder",
        )
