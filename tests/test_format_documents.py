"""JSON records built field by field (typed as TypedDicts) still carry every field of the object they describe."""

from __future__ import annotations

import dataclasses

from licensecheck.basics import OptionView
from licensecheck.formats.catalog import entry_record, gpu_record
from licensecheck.formats.documents import CatalogRecord, GpuRecord, OptionDoc, ProvenanceRecord
from licensecheck.formats.shortlist import option_json
from licensecheck.gpus import Gpu, GpuPrice
from licensecheck.model import FACT_KEYS, CatalogEntry
from licensecheck.routes import Provenance

PROVENANCE = Provenance(("https://example.com/datasheet",), "2026-12-01", None, "S", None)


def test_a_model_record_has_every_fact_key_in_order_then_the_other_facts() -> None:
    record = entry_record(
        CatalogEntry("m", name="M", sources=(("price", ("https://p.example",)),)), day="2026-12-01"
    )
    others = ["license_name", "as_of", "sources", "notes", "aliases", "gated", "gating"]
    others += ["extended_context", "transformer", "reasoning", "routes", "status", "status_date"]
    assert list(record) == ["id", "name", "provider", *FACT_KEYS, *others]
    assert list(record) == list(CatalogRecord.__annotations__)
    assert record["sources"] == {"price": ["https://p.example"]} and record["routes"] is None
    assert list(entry_record(CatalogEntry("m"))) == list(record)[:-2]  # no day: no status


def test_a_route_record_has_every_field_of_the_option_view_in_order() -> None:
    view = OptionView(*(f"value-{i}" for i in range(len(OptionView._fields))))  # type: ignore[arg-type]
    view = view._replace(cost_unknown=("gpu",), evidence=(("derived.x", {"value": 1}),))
    record = option_json(view)
    assert record is not None
    assert list(record) == list(OptionView._fields) == list(OptionDoc.__annotations__)
    assert record["route"] == "value-0" and record["cost_unknown"] == ["gpu"]
    assert record["evidence"] == {"derived.x": {"value": 1}}
    assert option_json(None) is None


def test_a_gpu_record_has_every_field_of_the_gpu_its_prices_and_their_provenance() -> None:
    price = GpuPrice("cloud", None, "eu", 2.5, 8, 20.0, PROVENANCE)
    gpu = Gpu(
        "g", "G", "v", 80.0, None, 3350.0, 989.0, None, True, ("g80",), (price,), PROVENANCE, "gpus.yaml"
    )
    record = gpu_record(gpu)
    assert list(record) == [f.name for f in dataclasses.fields(Gpu)] + ["cheapest"]
    assert list(record) == list(GpuRecord.__annotations__)
    provenance = {
        "sources": ("https://example.com/datasheet",),
        "read": "2026-12-01",
        "as_of": None,
        "confidence": "S",
        "note": None,
    }
    assert list(provenance) == list(ProvenanceRecord.__annotations__)
    assert (
        record["cheapest"] == record["prices"][0] == {**dataclasses.asdict(price), "provenance": provenance}
    )
    assert {k: v for k, v in record.items() if k != "cheapest"} == {
        **dataclasses.asdict(gpu),
        "prices": (record["cheapest"],),
        "provenance": provenance,
    }


def test_an_excluded_line_gives_the_reason_it_carries_or_the_first_violation_of_its_evaluation() -> None:
    from licensecheck.formats.shortlist import reason_lines
    from licensecheck.model import Finding, ModelFacts, Outcome, Severity
    from licensecheck.selection import Candidate

    def finding(rule: str, outcome: Outcome) -> Finding:
        return Finding(
            rule, "licence", outcome, Severity.ERROR, "t", f"{rule} says no", "r", "mit", "s1", "u"
        )

    found = [finding("NOTE", Outcome.INFO), finding("FIRST", Outcome.VIOLATION)]

    class Evaluated:  # a model excluded after its full evaluation: no reason carried
        def findings(self) -> list[Finding]:
            return found

    model = ModelFacts(id="m", name="m")
    carried = Candidate(model, None, finding("CARRIED", Outcome.VIOLATION), None, None)  # type: ignore[arg-type]
    evaluated = Candidate(model, Evaluated(), None, None, None)  # type: ignore[arg-type]
    line = reason_lines(str.upper)
    assert line(carried) == "CARRIED (MIT S1): CARRIED SAYS NO"
    assert line(evaluated) == "FIRST (MIT S1): FIRST SAYS NO"
    assert line(evaluated) is line(evaluated)  # made once per finding
