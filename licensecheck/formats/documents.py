"""The shapes of the documents the formats write (JSON report, SARIF, views, shortlist, catalog), as TypedDicts.

Formats import this module for type checking only (under TYPE_CHECKING): the classes cost
nothing at run time, and the formats build plain dicts in the key order the golden files show.
A key marked NotRequired is written only when there is something to say (SPEC section 3's
optional keys). Values a format copies through unchanged (evidence, catalog blocks) are `object`:
they are only serialised, never read.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TypedDict

if sys.version_info >= (3, 11):
    from typing import NotRequired
else:  # pragma: no cover (type checking on Python 3.10)
    from typing_extensions import NotRequired

# ------------------------------------------------------------------------------ JSON report (SPEC 3)


class WaiverDoc(TypedDict):
    rule: str
    reason: str
    approved_by: str
    expires: str
    usecase: NotRequired[str]
    model: NotRequired[str]
    license_version: NotRequired[str]


class FindingWaiverDoc(WaiverDoc):
    """The waiver a finding met, with whether it applies."""

    status: str | None  # applied | expired | version-changed
    note: NotRequired[str]  # why it does not apply, in words


class WaiverNoteDoc(TypedDict):
    note: NotRequired[str]


class StaleWaiverDoc(WaiverDoc):
    """A waiver that matched no finding, with where it is written."""

    origin: str


class LineageDoc(TypedDict):
    model: str
    name: str | None
    license: str | None
    license_declared: str | None
    depth: int
    derived: str | None
    relation: str | None
    source: str


class QuoteDoc(TypedDict):
    quote: NotRequired[str]


class FindingDoc(TypedDict):
    rule: str
    category: str
    outcome: str
    severity: str
    title: str
    message: str
    remedy: str
    license: str
    clause: str
    source: str
    evidence: dict[str, object]
    quote: NotRequired[str]
    waived: bool
    waiver: FindingWaiverDoc | None


class UseCaseKeyDoc(TypedDict):
    name: str
    file: str
    sha256: NotRequired[str]


class ModelKeyDoc(TypedDict):
    id: str | None
    name: str | None
    license: str | None


class UseCaseDoc(TypedDict):
    usecase: UseCaseKeyDoc
    model: ModelKeyDoc
    verdict: str
    findings: list[FindingDoc]
    lineage: NotRequired[list[LineageDoc]]
    stale_waivers: NotRequired[list[StaleWaiverDoc]]


class WaiverFileDoc(TypedDict):
    file: str
    sha256: str


class ReportDoc(TypedDict):
    report_format: int
    licensecheck_version: str
    reports: list[UseCaseDoc]
    stale_waivers: NotRequired[list[StaleWaiverDoc]]
    waiver_files: NotRequired[list[WaiverFileDoc]]


# ------------------------------------------------------------------------------ SARIF 2.1.0


class SarifText(TypedDict):
    text: str


class SarifHelp(TypedDict):
    text: str
    markdown: str


class SarifLevel(TypedDict):
    level: str


class SarifRuleProperties(TypedDict):
    tags: list[str]
    outcome: str
    clause: str
    license: str
    pack: str
    confidence: str | None
    quote: NotRequired[str]


class SarifRule(TypedDict):
    """A reportingDescriptor."""

    id: str
    name: str
    shortDescription: SarifText
    fullDescription: SarifText
    help: SarifHelp
    defaultConfiguration: SarifLevel
    properties: SarifRuleProperties
    helpUri: NotRequired[str]


class SarifArtifactLocation(TypedDict):
    uri: str
    uriBaseId: NotRequired[str]


class SarifRegion(TypedDict):
    startLine: int
    startColumn: int


class SarifPhysicalLocation(TypedDict):
    artifactLocation: SarifArtifactLocation
    region: SarifRegion


class SarifLocation(TypedDict):
    physicalLocation: SarifPhysicalLocation


class SarifSuppression(TypedDict):
    kind: str
    status: str
    justification: str


class SarifResultProperties(TypedDict):
    usecase: str
    outcome: str
    category: str
    clause: str
    license: str
    quote: NotRequired[str]


class SarifResult(TypedDict):
    ruleId: str
    ruleIndex: int
    level: str
    message: SarifText
    locations: list[SarifLocation]
    partialFingerprints: dict[str, str]
    properties: SarifResultProperties
    suppressions: NotRequired[list[SarifSuppression]]


class SarifArtifact(TypedDict):
    location: SarifArtifactLocation
    roles: list[str]
    hashes: NotRequired[dict[str, str]]


class SarifDriver(TypedDict):
    name: str
    version: str
    semanticVersion: str
    informationUri: str
    rules: list[SarifRule]


class SarifTool(TypedDict):
    driver: SarifDriver


class SarifAutomation(TypedDict):
    id: str


class SarifUriBase(TypedDict):
    description: SarifText


class SarifRun(TypedDict):
    tool: SarifTool
    automationDetails: SarifAutomation
    originalUriBaseIds: dict[str, SarifUriBase]
    artifacts: list[SarifArtifact]
    columnKind: str
    results: list[SarifResult]


SarifLog = TypedDict("SarifLog", {"$schema": str, "version": str, "runs": list[SarifRun]})


# ------------------------------------------------------------------------------ report view (templates)


class SourcePinView(TypedDict):
    """How a cited text is pinned: to a commit, or by the SHA-256 of the text read on a date."""

    commit: bool
    sha256: str | None
    retrieved: str | None


class WaiverView(TypedDict):
    rule: str
    finding: str | None
    reason: str
    approved_by: str
    expires: str
    status: str
    status_text: str
    origin: str


class FactValueView(TypedDict):
    fact: str
    value: str


class FindingView(TypedDict):
    anchor: str
    rule: str
    category: str
    outcome: str
    severity: str
    title: str
    message: str
    remedy: str
    license: str
    clause: str
    source: str
    source_url: str | None
    source_pin: SourcePinView
    quote: str | None
    evidence: list[FactValueView]
    missing: list[str]
    text: str | None
    location: list[int] | None
    waived: bool
    waiver: WaiverView | None


class SummaryRowView(TypedDict):
    field: str
    label: str
    value: str


class SummarySectionView(TypedDict):
    key: str
    title: str
    rows: list[SummaryRowView]


class LineageView(TypedDict):
    id: str
    name: str
    license: str
    relation: str


class ModelFactView(TypedDict):
    fact: str
    label: str
    value: str


class ModelView(TypedDict):
    id: str
    name: str
    license: str
    facts: list[ModelFactView]


class CountsView(TypedDict):
    violation: int
    review: int
    obligation: int
    info: int
    waived: int


class PackView(TypedDict):
    id: str
    name: str
    version: str
    sha256: str
    source: str
    source_url: str | None
    source_pin: SourcePinView


class UseCaseView(TypedDict):
    anchor: str
    name: str
    file: str
    sha256: str | None
    description: str
    verdict: str
    verdict_label: str
    verdict_icon: str
    verdict_meaning: str
    model: ModelView
    lineage: list[LineageView]
    summary: list[SummarySectionView]
    violations: list[FindingView]
    reviews: list[FindingView]
    obligations: list[FindingView]
    notes: list[FindingView]
    waived: list[FindingView]
    counts: CountsView
    waivers: list[WaiverView]
    packs: list[PackView]


class ReportView(TypedDict):
    """Everything a report template receives (README, "Your own template")."""

    licensecheck_version: str
    as_of: str
    worst: str
    worst_label: str
    worst_icon: str
    tally: dict[str, int]
    usecases: list[UseCaseView]
    waiver_files: list[WaiverFileDoc]


# ------------------------------------------------------------------------------ shortlist JSON


class EstimateFactor(TypedDict, total=False):
    value: float
    basis: str
    sources: list[str]
    as_of: str | None


class SourceBlock(TypedDict, total=False):
    """A dated source of an estimate's input: a GPU's figures, a price, a model's architecture."""

    id: str
    name: str
    provider: str
    offering: str | None
    usd_per_gpu_hour: float
    sources: list[str]
    read: str
    as_of: str | None
    confidence: str
    note: str | None


class EstimateSources(TypedDict, total=False):
    gpu: SourceBlock
    price: SourceBlock
    transformer: SourceBlock


class EstimateEvidence(TypedDict, total=False):
    """A derived figure's evidence (shortlist JSON `routes.*.evidence`): formula, inputs, factors, sources."""

    value: object
    unit: str
    formula: str
    inputs: dict[str, object]
    parts: dict[str, object]
    factors: dict[str, EstimateFactor]
    sources: EstimateSources


class OptionDoc(TypedDict):
    """One route's figures (basics.OptionView, every field)."""

    route: str
    hosting: str
    short: str
    monthly_cost_usd: float | None
    cost_unknown: list[str]
    cost_assumed: bool
    status: str | None
    shutdown_on: str | None
    output_tokens_per_second: float | None
    output_tokens_per_second_bound: float | None
    time_to_first_token_ms: float | None
    requests_per_minute: int | None
    tokens_per_minute: int | None
    required_gb: float | None
    usable_gb: float | None
    evidence: dict[str, EstimateEvidence]


class RoutesDoc(TypedDict):
    taken: OptionDoc | None
    api: OptionDoc | None
    self_hosted: OptionDoc | None


class ShortlistFindingDoc(TypedDict):
    rule: str
    category: str
    outcome: str
    license: str
    clause: str
    message: str
    source: str


class RankedDoc(TypedDict):
    rank: int
    model: ModelKeyDoc
    verdict: str
    monthly_cost_usd: float | None
    status: str | None
    routes: RoutesDoc | None
    facts: dict[str, object]
    findings: list[ShortlistFindingDoc]


class ExcludedDoc(TypedDict):
    model: ModelKeyDoc
    verdict: str
    status: str | None
    reason: ShortlistFindingDoc


class ShortlistDoc(TypedDict):
    report_format: int
    licensecheck_version: str
    usecase: UseCaseKeyDoc
    as_of: str
    catalog_size: int
    shortlist: list[RankedDoc]
    excluded: list[ExcludedDoc]


# ------------------------------------------------------------------------------ shortlist view (HTML)


class TickView(TypedDict):
    pos: float
    label: str


class PlotView(TypedDict):
    left: int
    top: int
    right: int
    bottom: int


class PointView(TypedDict):
    cx: float
    cy: float
    cls: str
    title: str
    label: str


class ChartView(TypedDict):
    width: int
    height: int
    x_label: str
    y_label: str
    plot: PlotView
    points: list[PointView]
    x_ticks: list[TickView]
    y_ticks: list[TickView]
    unplotted: list[str]
    axis: str


class ShortlistRowView(TypedDict):
    rank: int
    verdict: str
    cells: list[str]


class ExcludedView(TypedDict):
    model: str
    status: str
    rule: str
    reason: str
    source: str
    source_url: str | None
    cost: str


class ShortlistView(TypedDict):
    licensecheck_version: str
    as_of: str
    usecase: UseCaseKeyDoc
    summary: str
    headers: list[str]
    rows: list[ShortlistRowView]
    excluded: list[ExcludedView]
    chart: ChartView
    ranking: str
    basis: list[str]


# ------------------------------------------------------------------------------ catalog JSON


class CatalogRecord(TypedDict):
    """A catalog entry with every fact key present (null when unknown): `models list --format json`."""

    id: str
    name: str | None
    provider: str | None
    weights: str | None
    release_date: str | None
    knowledge_cutoff: str | None
    parameters_b: float | None
    active_parameters_b: float | None
    training_tokens_t: float | None
    context_window: int | None
    max_output_tokens: int | None
    price_input_per_mtok_usd: float | None
    price_output_per_mtok_usd: float | None
    license: str | None
    modalities: tuple[str, ...] | None
    hf_repo: str | None
    license_name: str | None
    as_of: str | None
    sources: dict[str, list[str]] | None
    notes: str | None
    aliases: tuple[str, ...] | None
    gated: bool | None
    gating: Mapping[str, object] | None
    extended_context: Mapping[str, object] | None
    transformer: Mapping[str, object] | None
    reasoning: Mapping[str, object] | None
    routes: list[Mapping[str, object]] | None
    status: NotRequired[str | None]
    status_date: NotRequired[str]


class ProvenanceRecord(TypedDict):
    sources: tuple[str, ...]
    read: str
    as_of: str | None
    confidence: str
    note: str | None


class GpuPriceRecord(TypedDict):
    provider: str
    offering: str | None
    region: str | None
    usd_per_gpu_hour: float
    gpus_per_instance: int | None
    instance_usd_per_hour: float | None
    provenance: ProvenanceRecord


class GpuRecord(TypedDict):
    """A GPU with every fact key present (null when unknown): `models gpus --format json`."""

    id: str
    name: str
    vendor: str
    memory_gb: float | None
    memory_type: str | None
    bandwidth_gb_s: float | None
    bf16_dense_tflops: float | None
    fp8_dense_tflops: float | None
    fp8_supported: bool | None
    aliases: tuple[str, ...]
    prices: tuple[GpuPriceRecord, ...]
    provenance: ProvenanceRecord
    origin: str
    cheapest: GpuPriceRecord | None


# ------------------------------------------------------------------------------ scan: JSON and SARIF


class ScanPosition(TypedDict):
    file: str
    line: int
    col: int


class ReferenceDoc(TypedDict):
    """One model reference the scan found (json and jsonl formats)."""

    file: str
    uri: str | None
    line: int
    col: int
    cell: NotRequired[int]  # notebooks: the cell (from 0) and the line in it
    cell_line: NotRequired[int | None]
    value: str | None
    expression: str
    kind: str
    via: str | None
    used_at: ScanPosition | None
    status: str
    model: str | None
    license: str | None
    rule: str | None
    nearest: list[str]
    covered_by: list[str]
    uncovered: bool


class ScanCellDoc(TypedDict):
    cell: NotRequired[int]
    cell_line: NotRequired[int | None]


class ScanModelDoc(TypedDict):
    model: str
    status: str
    license: str | None
    references: int
    covered_by: list[str]
    nearest: list[str]


class ScanUseCaseDoc(TypedDict):
    file: str
    name: str
    model: str | None
    covers: list[str]


class ScanDiagnosticDoc(TypedDict):
    file: str
    line: int
    col: int
    severity: str
    message: str


class ScanDoc(TypedDict):
    """`licensecheck scan --format json` (see `licensecheck schema scan`)."""

    scan_format: int
    licensecheck_version: str
    root: str
    require_usecase: bool
    gate: str
    summary: dict[str, int]
    models: list[ScanModelDoc]
    references: list[ReferenceDoc]
    usecases: list[ScanUseCaseDoc]
    diagnostics: list[ScanDiagnosticDoc]
    skipped: dict[str, int]
    evaluation: ReportDoc | None


class ScanRuleProperties(TypedDict):
    tags: list[str]


class ScanSarifRule(TypedDict):
    id: str
    name: str
    shortDescription: SarifText
    fullDescription: SarifText
    help: SarifHelp
    defaultConfiguration: SarifLevel
    properties: ScanRuleProperties


class ScanResultProperties(TypedDict):
    status: str
    model: str | None
    value: str | None
    kind: str
    coveredBy: list[str]


class ScanSarifResult(TypedDict):
    """A scan alert; its ruleIndex comes last (the evaluated use cases' results follow as SarifResult)."""

    ruleId: str
    level: str
    message: SarifText
    locations: list[SarifLocation]
    partialFingerprints: dict[str, str]
    properties: NotRequired[ScanResultProperties]  # none for a file that was not read
    ruleIndex: int


class ScanSarifDriver(TypedDict):
    name: str
    version: str
    semanticVersion: str
    rules: list[ScanSarifRule | SarifRule]


class ScanSarifTool(TypedDict):
    driver: ScanSarifDriver


class ScanSarifRun(TypedDict):
    tool: ScanSarifTool
    automationDetails: SarifAutomation
    columnKind: str
    results: list[ScanSarifResult | SarifResult]


ScanSarifLog = TypedDict("ScanSarifLog", {"$schema": str, "version": str, "runs": list[ScanSarifRun]})
