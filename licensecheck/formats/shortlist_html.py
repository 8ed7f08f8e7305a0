"""The shortlist as one self-contained HTML page: the comparison table and an SVG chart of cost against a basic.

The chart is laid out here (positions, ticks, labels) and drawn by the bundled template, which
renders in the same sandbox as the report and under the same Content-Security-Policy: no script,
no request, every value cleaned as text (licensecheck.text.html) and escaped by Jinja.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from licensecheck import __version__
from licensecheck.collector import paused
from licensecheck.formats.shortlist import RANKING, basis, columns, reason_line, remembered
from licensecheck.records import NamedTuple
from licensecheck.selection import Candidate, Shortlist
from licensecheck.text import html, money

if TYPE_CHECKING:
    from licensecheck.formats.documents import ChartView, ExcludedView, ShortlistView

TEMPLATE = "shortlist.html.j2"

# The plot area inside the SVG's 760 x 440 view box.
WIDTH, HEIGHT = 760, 440
LEFT, RIGHT, TOP, BOTTOM = 86, 24, 20, 56


class Axis(NamedTuple):
    """How one basic is read from a candidate and laid out on the x axis."""

    label: str
    value: Callable[[Candidate], float | None]
    log: bool
    tick: Callable[[float], str]


def _speed(c: Candidate) -> float | None:
    return c.taken("derived.output_tokens_per_second")


def _release(c: Candidate) -> float | None:
    day = c.model.release_date
    if not day or len(day) < 10:
        return None  # a month-only date has no place on a day axis
    try:
        return float(dt.date.fromisoformat(day[:10]).toordinal())
    except ValueError:
        return None


AXES: dict[str, Axis] = {
    "speed": Axis(
        "Output speed of the route taken, tokens/s per request (API: measured median; self-hosted: estimate)",
        _speed,
        False,
        lambda v: f"{v:,.0f}",
    ),
    "context": Axis(
        "Context window, tokens (log scale)",
        lambda c: float(c.model.context_window) if c.model.context_window else None,
        True,
        lambda v: _short_number(v),
    ),
    "release-date": Axis(
        "Release date",
        _release,
        False,
        lambda v: dt.date.fromordinal(int(v)).isoformat()[:7],
    ),
}


def _short_number(value: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def _cost(c: Candidate) -> float | None:
    if c.monthly_cost_usd is not None:
        return c.monthly_cost_usd
    return c.taken("derived.route_monthly_cost_usd")


def _linear_ticks(low: float, high: float, count: int = 6) -> list[float]:
    span = high - low or 1.0
    raw = span / count
    step = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= step * factor:
            step *= factor
            break
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


class _Scale(NamedTuple):
    low: float
    high: float
    log: bool

    def at(self, value: float, start: float, length: float) -> float:
        if self.log:
            value, low, high = math.log10(value), math.log10(self.low), math.log10(self.high)
        else:
            low, high = self.low, self.high
        return start + (value - low) / ((high - low) or 1.0) * length


def _scale(values: list[float], log: bool) -> tuple[_Scale, list[float]]:
    if log:
        low = 10 ** math.floor(math.log10(min(values)))
        high = 10 ** math.ceil(math.log10(max(values)))
        if high == low:
            high = low * 10
        ticks = [10**e for e in range(round(math.log10(low)), round(math.log10(high)) + 1)]
        return _Scale(low, high, True), ticks
    low, high = min(values), max(values)
    pad = (high - low) * 0.05 or 1.0  # points off the axes
    low, high = low - pad, high + pad
    ticks = _linear_ticks(low, high)
    low = min(low, ticks[0])
    high = max(high, ticks[-1])
    return _Scale(low, high, False), ticks


def chart(shortlist: Shortlist, chart_x: str) -> ChartView:
    """Points of every model with a known cost and a known x: ranked ones by verdict, excluded ones grey."""
    axis = AXES[chart_x]
    placed: list[tuple[Candidate, bool, float, float]] = []
    unplotted: list[str] = []
    for ranked, group in ((True, shortlist.ranked), (False, shortlist.excluded)):
        for c in group:
            x, y = axis.value(c), _cost(c)
            if x is None or y is None or y <= 0 or (axis.log and x <= 0):
                unplotted.append(c.id)
                continue
            placed.append((c, ranked, x, y))
    out: ChartView = {
        "width": WIDTH,
        "height": HEIGHT,
        "x_label": html(axis.label),
        "y_label": "Estimated cost of the route taken, USD per month (log scale)",
        "plot": {"left": LEFT, "top": TOP, "right": WIDTH - RIGHT, "bottom": HEIGHT - BOTTOM},
        "points": [],
        "x_ticks": [],
        "y_ticks": [],
        "unplotted": [html(i) for i in sorted(unplotted)],
        "axis": chart_x,
    }
    if not placed:
        return out
    xs, x_ticks = _scale([p[2] for p in placed], axis.log)
    ys, y_ticks = _scale([p[3] for p in placed], True)
    across, down = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    out["x_ticks"] = [{"pos": round(xs.at(t, LEFT, across), 1), "label": html(axis.tick(t))} for t in x_ticks]
    out["y_ticks"] = [
        {"pos": round(ys.at(t, HEIGHT - BOTTOM, -down), 1), "label": html(money(t).removesuffix(".00"))}
        for t in y_ticks
    ]
    rank = {c.id: i for i, c in enumerate(shortlist.ranked, 1)}
    # Excluded points first, so the ranked ones are drawn over them.
    for c, ranked, x, y in sorted(placed, key=lambda p: (p[1], -rank.get(p[0].id, 0))):
        what = f"rank {rank[c.id]}, {c.verdict.value}" if ranked else "excluded: " + reason_line(c)
        title = f"{c.id}: {money(y)} a month, {axis.tick(x)}; {what}"
        out["points"].append(
            {
                "cx": round(xs.at(x, LEFT, across), 1),
                "cy": round(ys.at(y, HEIGHT - BOTTOM, -down), 1),
                "cls": f"pt pt-{c.verdict.value}" if ranked else "pt pt-excluded",
                "title": html(title),
                "label": html(str(rank[c.id])) if ranked and rank[c.id] <= 5 else "",
            }
        )
    return out


def _excluded(c: Candidate, clean: Callable[[str], str]) -> ExcludedView:
    reason = c.reason()
    source = clean(reason.source)
    return {
        "model": html(c.id),
        "status": clean(c.status or "unknown"),
        "rule": clean(reason.rule),
        "reason": clean(reason_line(c)),
        "source": source,
        "source_url": source if reason.source.startswith(("https://", "http://")) else None,
        "cost": html(money(_cost(c))),
    }


def shortlist_view(shortlist: Shortlist, chart_x: str) -> ShortlistView:
    """Everything the template shows, cleaned for HTML (the template escapes it again)."""
    clean = remembered(html)  # for the texts the excluded models share (status, reason, source)
    cols = columns(shortlist)
    uc = shortlist.usecase
    n = len(shortlist.ranked)
    return {
        "licensecheck_version": html(__version__),
        "as_of": html(shortlist.as_of),
        "usecase": {"name": html(uc.name), "file": html(uc.file)},
        "summary": html(
            f"{n} of {shortlist.catalog_size} catalog models fit"
            + (f", top {len(shortlist.shown)} shown" if len(shortlist.shown) < n else "")
            + f"; {len(shortlist.excluded)} excluded"
        ),
        "headers": [html(col.header) for col in cols],
        "rows": [
            {
                "rank": rank,
                "verdict": html(c.verdict.value),
                "cells": [html(col.cell(c)) for col in cols],
            }
            for rank, c in enumerate(shortlist.shown, 1)
        ],
        "excluded": [_excluded(c, clean) for c in shortlist.excluded],
        "chart": chart(shortlist, chart_x),
        "ranking": html(RANKING),
        "basis": [html(line) for line in basis(shortlist)],
    }


class ShortlistHtml:
    """The shortlist as a self-contained HTML page with a chart of monthly cost against `chart_x`."""

    name = "html"

    def __init__(self, chart_x: str = "speed") -> None:
        if chart_x not in AXES:
            raise ValueError(f"chart_x must be one of {', '.join(AXES)}")
        self.chart_x = chart_x

    def render(self, shortlist: Shortlist) -> str:
        with paused():  # the imports and the template's compiling too
            from licensecheck.formats.html import _environment, templates_dir
            from licensecheck.formats.sandbox import render_bounded

            template = _environment(templates_dir()).get_template(TEMPLATE)
            return render_bounded(template, shortlist_view(shortlist, self.chart_x))
