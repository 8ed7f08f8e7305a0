"""The shortlist in text, Markdown and JSON: ranked models side by side, excluded ones with their reason."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, cast

from licensecheck import __version__
from licensecheck.basics import OptionView, RouteBrief
from licensecheck.collector import paused
from licensecheck.model import Finding, Outcome
from licensecheck.records import NamedTuple
from licensecheck.selection import CANDIDATE_ID, Candidate, Shortlist
from licensecheck.text import (
    display,
    json_dumps,
    markdown,
    markdown_code,
    money,
    table,
    terminal,
    terminal_each,
)

if TYPE_CHECKING:
    from licensecheck.formats.documents import (
        EstimateEvidence,
        ExcludedDoc,
        OptionDoc,
        RankedDoc,
        RoutesDoc,
        ShortlistDoc,
        ShortlistFindingDoc,
        SourceBlock,
    )

# The facts shown side by side for each candidate.
KEY_FACTS = (
    "weights",
    "parameters_b",
    "context_window",
    "max_output_tokens",
    "knowledge_cutoff",
    "release_date",
    "price_input_per_mtok_usd",
    "price_output_per_mtok_usd",
    "modalities",
)


def reason_line(candidate: Candidate) -> str:
    finding = candidate.reason()
    return f"{finding.rule} ({finding.license} {finding.clause}): {finding.message}"


def reason_lines(clean: Callable[[str], str]) -> Callable[[Candidate], str]:
    """reason_line cleaned by `clean`, for one rendering, made once per reason: the models a
    shortlist excludes for one rule with the same placeholder values share one finding (the 9,075
    of a 10,000-model catalog have some 1,400)."""
    done: dict[int, str] = {}  # by the finding's id: the candidates hold their findings meanwhile

    def line(candidate: Candidate) -> str:
        # most excluded models carry their reason (blocking); the rest find it in their findings
        finding = candidate.blocking
        if finding is None:
            finding = candidate.reason()
        out = done.get(id(finding))
        if out is None:
            out = done[id(finding)] = clean(reason_line(candidate))
        return out

    return line


def _short_route(route: RouteBrief | None) -> str:
    return "none" if route is None else route.short


def _cost(view: OptionView | None) -> str:
    if view is None:
        return "n/a"
    if view.required_gb is not None and view.usable_gb is not None and view.required_gb > view.usable_gb:
        return "does not fit"
    if view.monthly_cost_usd is None:
        return "unknown"
    return money(view.monthly_cost_usd) + (" (assumed reasoning)" if view.cost_assumed else "")


def _status(c: Candidate) -> str:
    taken = c.route()
    if taken is not None and taken.hosting == "api" and taken.status is not None:
        until = f" until {taken.shutdown_on}" if taken.shutdown_on and taken.status == "deprecated" else ""
        return taken.status + until
    return c.status or "unknown"


def _speed(view: OptionView | None) -> str:
    if view is None:
        return "n/a"
    if view.hosting == "api":
        speed = view.output_tokens_per_second
        return "unknown" if speed is None else f"{display(speed)} measured"
    est, bound = view.output_tokens_per_second, view.output_tokens_per_second_bound
    if bound is None:
        return "unknown"
    return f"{display(est)} est., bound {display(bound)}"


def _ttft(view: OptionView | None) -> str:
    if view is None:
        return "n/a"
    if view.time_to_first_token_ms is None:
        return "unknown"
    kind = "measured" if view.hosting == "api" else "est."
    return f"{display(view.time_to_first_token_ms)} ms {kind}"


def _fit(view: OptionView | None) -> str:
    if view is None:
        return "n/a"
    if view.usable_gb is None:
        return "unknown"
    need = "unknown" if view.required_gb is None else display(view.required_gb)
    verdict = (
        "" if view.required_gb is None else (" ok" if view.required_gb <= view.usable_gb else " too big")
    )
    return f"{need} / {display(view.usable_gb)} GB{verdict}"


RATE_REQUIREMENTS = (
    ("requirements.min_requests_per_minute", "requests_per_minute", "rpm"),
    ("requirements.min_tokens_per_minute", "tokens_per_minute", "tpm"),
)


def _rate_limit(view: OptionView | None, values: Mapping[str, object]) -> str:
    if view is None:
        return "n/a"
    if view.hosting != "api":
        return "n/a (self-hosted)"
    parts = []
    for path, field, unit in RATE_REQUIREMENTS:
        need = values.get(path)
        if need is None:
            continue
        limit = getattr(view, field)
        verdict = "unknown" if limit is None else "ok" if limit >= need else "below"
        parts.append(f"{display(limit)} {unit} {verdict}")
    return ", ".join(parts)


class Column(NamedTuple):
    """One column of the shortlist table: its header and how a candidate fills it."""

    header: str
    cell: Callable[[Candidate], str]


def columns(shortlist: Shortlist) -> list[Column]:
    """The table's columns: the basics always, route figures when the use case asks about them.

    Speed and time to first token are shown when a requirement names them, rate limits when a
    rate is required, and with `deployment.gpu` each open model's self-hosting cost, fit and
    speed next to its API route.
    """
    values = shortlist.usecase.values

    def view(c: Candidate, which: str) -> OptionView | None:
        return getattr(c.view, which) if c.view is not None else None

    cols = [
        Column("MODEL", lambda c: c.id),
        Column("VERDICT", lambda c: c.verdict.value),
        Column("ROUTE", lambda c: _short_route(c.route())),
        Column("EST. $/MONTH", lambda c: money(c.monthly_cost_usd)),
        Column("STATUS", _status),
    ]
    if values.get("deployment.gpu.type") is not None:
        cols += [
            Column("API $/MONTH", lambda c: _cost(view(c, "api"))),
            Column("SELF-HOSTED $/MONTH", lambda c: _cost(view(c, "self_hosted"))),
            Column("FIT (NEED / HAVE)", lambda c: _fit(view(c, "self_hosted"))),
            Column("SELF-HOSTED TOK/S", lambda c: _speed(view(c, "self_hosted"))),
        ]
    if values.get("requirements.min_output_tokens_per_second") is not None:
        cols.append(Column("TOK/S", lambda c: _speed(view(c, "taken"))))
    if values.get("requirements.max_time_to_first_token_ms") is not None:
        cols.append(Column("TTFT", lambda c: _ttft(view(c, "taken"))))
    if any(values.get(path) is not None for path, _, _ in RATE_REQUIREMENTS):
        cols.append(Column("RATE LIMIT", lambda c: _rate_limit(view(c, "api"), values)))
    cols += [
        Column("LICENCE", lambda c: str(c.model.license)),
        Column("WEIGHTS", lambda c: display(c.model.weights)),
        Column("PARAMS (B)", lambda c: display(c.model.parameters_b)),
        Column("CONTEXT", lambda c: display(c.model.context_window)),
        Column("MAX OUT", lambda c: display(c.model.max_output_tokens)),
        Column("CUTOFF", lambda c: display(c.model.knowledge_cutoff)),
        Column("RELEASED", lambda c: display(c.model.release_date)),
    ]
    return cols


def _rows(shortlist: Shortlist) -> list[tuple[str, ...]]:
    shown = shortlist.shown
    # column by column: one list per column, then one tuple per row
    cells = [[str(rank) for rank in range(1, len(shown) + 1)]]
    cells += [list(map(col.cell, shown)) for col in columns(shortlist)]
    return list(zip(*cells))


def _header(shortlist: Shortlist) -> tuple[str, ...]:
    return ("RANK", *(col.header for col in columns(shortlist)))


def remembered(clean: Callable[[str], str]) -> Callable[[str], str]:
    """`clean` for one rendering, each distinct text cleaned once: a shortlist repeats its cells and
    reasons thousands of times (the 9,075 models a 10,000-model catalog excludes have some 1,400
    reasons between them)."""
    done: dict[str, str] = {}

    def cached(value: str) -> str:
        out = done.get(value)
        if out is None:
            out = done[value] = clean(value)
        return out

    return cached


RANKING = (
    "Ranked by verdict, then the estimated monthly cost of the route taken (unknown last), then fewer "
    "findings, then id. The route is the use case's (deployment.hosting, deployment.provider); without "
    "deployment.hosting an open model takes the cheaper of its API and self-hosting on deployment.gpu."
)


JSON_EVIDENCE = (
    "Every figure's formula, inputs, factors and dated sources: --format json (routes.*.evidence)."
)


def _dated(source: SourceBlock) -> str:
    """A source block in a few words: its first address, its date, its confidence."""
    urls = source.get("sources") or []
    when = f"as of {source['as_of']}" if source.get("as_of") else f"read {source.get('read') or 'unknown'}"
    return f"{urls[0] if urls else 'no source'}, {when}, confidence {source.get('confidence') or '?'}"


def _self_hosted_evidence(shortlist: Shortlist) -> dict[str, EstimateEvidence]:
    """The evidence of the first self-hosted estimate shown: its GPU, price and factors are every row's."""
    for c in shortlist.shown:
        own = c.view.self_hosted if c.view is not None else None
        if own is not None and own.evidence:
            return dict(own.evidence)
    return {}


def basis(shortlist: Shortlist) -> list[str]:
    """How the figures in the table's route columns are made: formula, factors and dated sources.

    Only for the columns shown; the numbers (GPU, price, factors) come from the estimates themselves.
    """
    values = shortlist.usecase.values
    lines = [
        "An API route's $/MONTH = monthly input tokens / 1M x the route's input price + monthly output tokens x "
        "reasoning overhead / 1M x its output price (the route's list prices, dated in the catalog; the "
        "overhead is 1 for a model without hidden reasoning tokens)."
    ]
    if values.get("deployment.gpu.type") is not None:
        evidence = _self_hosted_evidence(shortlist)
        cost = evidence.get("derived.route_monthly_cost_usd") or {}
        speed = evidence.get("derived.output_tokens_per_second") or {}
        fit = evidence.get("derived.self_hosted_required_gb") or {}
        gpu = (speed.get("sources") or fit.get("sources") or {}).get("gpu")
        price = (cost.get("sources") or {}).get("price")
        count = values.get("deployment.gpu.count") or 1
        if price is not None:
            lines.append(
                f"SELF-HOSTED $/MONTH = GPU sets x {count} GPUs x {money(price['usd_per_gpu_hour'])} per GPU-hour "
                f"({price.get('provider')}, {_dated(price)}) x 730 h; one more set while the month's tokens keep a "
                "set busier than the month (prefill at the prefill utilisation, decode at the estimate)."
            )
        if fit:
            reserve = (fit.get("factors") or {}).get("memory_reserve", {}).get("value")
            lines.append(
                "FIT = weights (parameters x bytes per weight) + KV cache of min_context_tokens x "
                f"concurrent_requests, against {count} x GPU memory x (1 - {display(reserve)})."
            )
        if speed:
            efficiency = (speed.get("factors") or {}).get("decode_efficiency", {}).get("value")
            lines.append(
                f"SELF-HOSTED TOK/S: bound = {count} x memory bandwidth / bytes read per token (active weights + "
                f"each stream's KV cache); estimate = bound x {display(efficiency)}, the median measured / bound of "
                "published batch-1 runs (benchmarks/speed_bound.py)."
            )
        if gpu is not None:
            lines.append(f"GPU {gpu.get('id')} figures: {_dated(gpu)}.")
    asked = ("requirements.min_output_tokens_per_second", "requirements.max_time_to_first_token_ms")
    if any(values.get(path) is not None for path in asked):
        lines.append(
            "TOK/S and TTFT: an API's measured median (source and date per route); self-hosted, the estimates "
            "(TTFT = 2 x active parameters x min_context_tokens / (GPUs x dense TFLOPS x prefill utilisation))."
        )
    if any(values.get(path) is not None for path, _, _ in RATE_REQUIREMENTS):
        tier = values.get("deployment.api_tier") or "any"
        lines.append(
            f"RATE LIMIT: the API route's highest limit at api_tier {tier} (source and date per route)."
        )
    lines.append(JSON_EVIDENCE)
    return lines


def _summary(shortlist: Shortlist) -> str:
    n = len(shortlist.ranked)
    shown = len(shortlist.shown)
    top = f", top {shown} shown" if shown < n else ""
    return f"{n} of {shortlist.catalog_size} catalog models fit{top}; {len(shortlist.excluded)} excluded"


def render_text(shortlist: Shortlist) -> str:
    uc = shortlist.usecase
    out = [f"SHORTLIST  {terminal(uc.name)}", f"  file: {terminal(uc.file)}", f"  {_summary(shortlist)}", ""]
    if shortlist.shown:
        out += [table([_header(shortlist), *_rows(shortlist)]), ""]
        out.append("Findings to act on:")
        shown = shortlist.shown
        # the candidates of a licence share their findings to act on (996 ranked models: 75 lists)
        listed: dict[tuple[tuple[str, Outcome], ...], str] = {}
        for rank, (model_id, c) in enumerate(zip(terminal_each([c.id for c in shown]), shown), 1):
            acting = c.acting()
            text = listed.get(acting)
            if text is None:
                words = ", ".join(f"{rule} [{outcome.value}]" for rule, outcome in acting) or "none"
                text = listed[acting] = terminal(words)
            out.append(f"  {rank}. {model_id}: {text}")
        out.append("")
    else:
        out += ["No catalog model fits this use case.", ""]
    excluded = shortlist.excluded
    out.append(f"Excluded ({len(excluded)}):")
    reason = reason_lines(terminal)
    out += [
        f"  - {model_id}: {reason(c)}"
        for model_id, c in zip(terminal_each(list(map(CANDIDATE_ID, excluded))), excluded)
    ]
    out.append("")
    out.append(RANKING)
    out += ["", "How the figures are made:", *(f"  - {line}" for line in basis(shortlist))]
    return "\n".join(out) + "\n"


def render_markdown(shortlist: Shortlist) -> str:
    uc = shortlist.usecase
    out = [
        f"# Shortlist: {markdown(uc.name)}",
        "",
        f"{markdown_code(uc.file)}: {markdown(_summary(shortlist))}.",
        "",
    ]
    if shortlist.shown:
        header = _header(shortlist)
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "---|" * len(header))
        cell = remembered(markdown)
        for row in _rows(shortlist):
            out.append("| " + " | ".join(map(cell, row)) + " |")
    else:
        out.append("No catalog model fits this use case.")
    out += ["", f"## Excluded ({len(shortlist.excluded)})", ""]
    reason = reason_lines(markdown)
    for c in shortlist.excluded:
        out.append(f"- {markdown_code(c.id)}: {reason(c)}")
    out += ["", markdown(RANKING)]
    out += ["", "How the figures are made:", "", *(f"- {markdown(line)}" for line in basis(shortlist))]
    return "\n".join(out) + "\n"


def option_json(view: OptionView | None) -> OptionDoc | None:
    """One route's figures for JSON (every field of the OptionView, in its order), each with its
    evidence (formula and inputs, or source)."""
    if view is None:
        return None
    out = {**view._asdict(), "cost_unknown": list(view.cost_unknown), "evidence": dict(view.evidence)}
    return cast("OptionDoc", out)


def routes_json(c: Candidate) -> RoutesDoc | None:
    if c.view is None:
        return None
    return {
        "taken": option_json(c.view.taken),
        "api": option_json(c.view.api),
        "self_hosted": option_json(c.view.self_hosted),
    }


def to_json(shortlist: Shortlist) -> ShortlistDoc:
    def finding(f: Finding) -> ShortlistFindingDoc:
        return {
            "rule": f.rule,
            "category": f.category,
            "outcome": f.outcome.value,
            "license": f.license,
            "clause": f.clause,
            "message": f.message,
            "source": f.source,
        }

    ranked: list[RankedDoc] = [
        {
            "rank": rank,
            "model": {"id": c.id, "name": c.model.name, "license": c.model.license},
            "verdict": c.verdict.value,
            "monthly_cost_usd": c.monthly_cost_usd,
            "status": c.status,
            "routes": routes_json(c),
            "facts": {k: getattr(c.model, k) for k in KEY_FACTS},
            "findings": [finding(f) for f in c.to_act_on()],
        }
        for rank, c in enumerate(shortlist.shown, 1)
    ]
    excluded: list[ExcludedDoc] = [
        {
            "model": {"id": c.id, "name": c.model.name, "license": c.model.license},
            "verdict": c.verdict.value,
            "status": c.status,
            "reason": finding(c.reason()),
        }
        for c in shortlist.excluded
    ]
    return {
        "report_format": 1,
        "licensecheck_version": __version__,
        "usecase": {"name": shortlist.usecase.name, "file": shortlist.usecase.file},
        "as_of": shortlist.as_of,
        "catalog_size": shortlist.catalog_size,
        "shortlist": ranked,
        "excluded": excluded,
    }


class ShortlistText:
    """The shortlist for a terminal: the ranked table, findings to act on, then the excluded models."""

    name = "text"

    def render(self, shortlist: Shortlist) -> str:
        with paused():
            return render_text(shortlist)


class ShortlistMarkdown:
    """The shortlist as Markdown (a pull-request comment or a wiki page)."""

    name = "markdown"

    def render(self, shortlist: Shortlist) -> str:
        with paused():
            return render_markdown(shortlist)


class ShortlistJson:
    """The shortlist as JSON: every ranked model with its facts and findings, every excluded one with its reason."""

    name = "json"

    def render(self, shortlist: Shortlist) -> str:
        with paused():
            return json_dumps(to_json(shortlist)) + "\n"
