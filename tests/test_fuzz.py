"""Property tests: generated and mutated use cases never crash the CLI, and verdicts behave.

Properties: no exception escapes (only located input errors); the same input gives the same
bytes in json, text and sarif; a waiver never makes a verdict worse; more users or revenue never
turn a blocked threshold-licence use case into a passing one. Example counts come from the
hypothesis profile chosen in conftest.py (LICENSECHECK_FUZZ_EXAMPLES raises them).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from conftest import run_cli
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from licensecheck import formats
from licensecheck.api import Context, evaluate_files, load_context
from licensecheck.cli import cli
from licensecheck.errors import InputError, InputErrors
from licensecheck.model import Report, Verdict

AS_OF = "2025-06-01"
THRESHOLD_LICENSES = (
    "llama2",
    "llama3",
    "llama3.1",
    "llama3.2",
    "llama3.3",
    "llama4",
    "qwen",
    "stabilityai-community",
)
DOMAINS = ["military", "weapons", "surveillance", "medical-advice", "customer-support", "research", "minors"]
COUNTRIES = ["US", "DE", "FR", "CN", "GB", "BR", "RU", "IN", "XX", "de"]


@cache
def context() -> Context:
    return load_context()


@cache
def model_ids() -> list[str]:
    return sorted(m.id for m in context().catalog.models)


@cache
def threshold_model_ids() -> list[str]:
    return sorted(m.id for m in context().catalog.models if m.license in THRESHOLD_LICENSES)


def evaluate_bytes(raw: bytes, waivers: tuple[Any, ...] = ()) -> tuple[Report | None, list[InputError]]:
    try:
        return evaluate_files(
            context(), ["-"], waivers=waivers, as_of=AS_OF, stdin=raw, stdin_name="fuzz.yaml"
        ), []
    except InputError as exc:
        return None, [exc]
    except InputErrors as exc:
        return None, exc.errors


hostile_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200) | st.sampled_from(
    ["\x1b[31mred\x1b[0m", "<script>alert(1)</script>", "weapons of mass destruction", "", " "]
)
counts = st.integers(min_value=0, max_value=10**13)


def usecases(model_id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Schema-shaped use cases; optional parts are left out at random."""
    organization = st.fixed_dictionaries(
        {},
        optional={
            "name": hostile_text,
            "type": st.sampled_from(["company", "individual", "nonprofit", "academic", "government"]),
            "country": st.sampled_from(COUNTRIES),
            "annual_revenue_usd": counts,
            "monthly_active_users": counts,
        },
    )
    model = st.fixed_dictionaries(
        {"id": model_id if model_id is not None else st.deferred(lambda: st.sampled_from(model_ids()))},
        optional={
            "modification": st.sampled_from(
                ["none", "fine-tune", "adapter", "merge", "distillation", "quantization"]
            ),
            "published_name": hostile_text,
        },
    )
    use = st.fixed_dictionaries(
        {},
        optional={
            "commercial": st.booleans(),
            "purpose": hostile_text,
            "domains": st.lists(st.sampled_from(DOMAINS), unique=True, max_size=3),
            "distribution": st.sampled_from(
                ["hosted-service", "api", "on-premise", "on-device", "weights", "internal", "research"]
            ),
            "end_users": st.sampled_from(["public", "internal", "none"]),
            "outputs_train_models": st.booleans(),
        },
    )
    deployment = st.fixed_dictionaries(
        {}, optional={"regions": st.lists(st.sampled_from(COUNTRIES + ["EU"]), unique=True, max_size=3)}
    )
    return st.fixed_dictionaries(
        {"name": hostile_text.map(lambda s: "use case " + s), "model": model},
        optional={"organization": organization, "use": use, "deployment": deployment},
    )


def dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid use case broken at one place: a value replaced, a key added, or bytes flipped."""
    data = draw(usecases())
    how = draw(st.sampled_from(["replace", "add", "bytes", "truncate"]))
    if how in ("replace", "add"):
        section = draw(st.sampled_from(sorted(data)))
        target = data[section] if isinstance(data[section], dict) and how == "replace" else data
        key = draw(st.sampled_from(sorted(target))) if how == "replace" and target else draw(hostile_text)
        target[key] = draw(json_values)
        return dump(data)
    raw = bytearray(dump(data))
    if how == "truncate":
        return bytes(raw[: draw(st.integers(0, len(raw)))])
    for _ in range(draw(st.integers(1, 5))):
        raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
    return bytes(raw)


def check_outcome(report: Report | None, errors: list[InputError]) -> None:
    if report is None:
        assert errors and all(e.file == "fuzz.yaml" for e in errors)
        assert all(e.render().startswith("fuzz.yaml") for e in errors)
    else:
        assert not errors and len(report.reports) == 1


@given(raw=st.one_of(usecases().map(dump), mutated()))
def test_no_exception_escapes_and_output_is_deterministic(raw: bytes) -> None:
    report, errors = evaluate_bytes(raw)
    check_outcome(report, errors)
    event("input error" if report is None else report.reports[0].verdict.value)
    if report is None:
        return
    again, _ = evaluate_bytes(raw)
    assert again is not None
    for name in ("json", "text", "sarif"):
        render = formats.report_format(name).render
        assert render(report) == render(again), name


@given(data=usecases(), pick=st.integers(min_value=0), expires=st.sampled_from(["2030-12-31", "2020-01-01"]))
def test_a_waiver_never_makes_the_verdict_worse(data: dict[str, Any], pick: int, expires: str) -> None:
    report, _ = evaluate_bytes(dump(data))
    assume(report is not None)
    assert report is not None
    findings = report.reports[0].findings
    rule = findings[pick % len(findings)].rule if findings and pick % 4 else "NO-SUCH-RULE"
    waived = dict(
        data,
        waivers=[{"rule": rule, "reason": "fuzz", "approved_by": "legal@acme.example", "expires": expires}],
    )
    after, errors = evaluate_bytes(dump(waived))
    assert after is not None, errors
    assert after.reports[0].verdict.rank <= report.reports[0].verdict.rank


@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(
    data=usecases(st.deferred(lambda: st.sampled_from(threshold_model_ids()))),
    # around the licences' thresholds (1M revenue, 100M and 700M users) as well as anywhere
    low=st.sampled_from([0, 999_999, 10**6, 10**8, 7 * 10**8, 7 * 10**8 + 1]) | st.integers(0, 10**12),
    more=st.integers(min_value=0, max_value=10**12),
    field=st.sampled_from(["monthly_active_users", "annual_revenue_usd"]),
)
def test_more_users_or_revenue_never_unblocks_a_threshold_licence(
    data: dict[str, Any], low: int, more: int, field: str
) -> None:
    organization = dict(data.get("organization", {}))
    organization[field] = low
    before, _ = evaluate_bytes(dump(dict(data, organization=organization)))
    assume(before is not None)
    assert before is not None
    organization[field] = low + more
    after, errors = evaluate_bytes(dump(dict(data, organization=organization)))
    assert after is not None, errors
    event(f"{before.reports[0].verdict.value} -> {after.reports[0].verdict.value}")
    if before.reports[0].verdict is Verdict.BLOCKED:
        assert after.reports[0].verdict is Verdict.BLOCKED
    assert after.reports[0].verdict.rank >= before.reports[0].verdict.rank


@settings(max_examples=25)
@given(raw=st.one_of(usecases().map(dump), mutated()))
def test_the_click_command_exits_0_1_or_2_and_never_raises(raw: bytes) -> None:
    result = CliRunner().invoke(
        cli,
        ["evaluate", "-", "--stdin-filename", "fuzz.yaml", "--format", "json", "--as-of", AS_OF],
        input=raw,
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2)


def test_mutated_examples_through_the_real_process(tmp_path: Path) -> None:
    """A handful through the installed command: exit 0, 1 or 2 and never a traceback."""
    seen: list[bytes] = []

    @settings(max_examples=5, database=None)
    @given(raw=mutated())
    def collect(raw: bytes) -> None:
        seen.append(raw)

    collect()
    assert seen
    for raw in seen:
        result = run_cli(
            "evaluate", "-", "--as-of", AS_OF, input=raw.decode("utf-8", "replace").encode(), cwd=tmp_path
        )
        assert result.returncode in (0, 1, 2)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
