"""The facts rules read: the use case, the resolved model, and facts derived from them.

Facts are addressed by dotted paths (`organization.country`, `model.context_window`,
`derived.organization_in_eu`); `a.b[].c` projects a list of mappings onto one key. A fact that
is absent or null is *missing*, never a default: rules that need it get a needs-review finding.
Derived facts name the inputs they are computed from, so a missing derived fact is reported as
its missing input and the evidence shows both.
"""

from collections.abc import Callable, Collection, Mapping, MutableMapping
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from licensecheck.model import Acceptance, ModelFacts
from licensecheck.records import NamedTuple

if TYPE_CHECKING:
    from licensecheck.gpus import GpuTable

EU = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
EEA = EU | {"IS", "LI", "NO"}
EEA_CH_UK = EEA | {"CH", "GB", "UK"}
MAKES_AVAILABLE = frozenset({"hosted-service", "api", "on-premise", "on-device", "weights"})
SHIPS_COPIES = frozenset({"on-premise", "on-device", "weights"})
MONTH_TOKENS = 1_000_000


def _regions_touch(regions: list[str], group: frozenset[str]) -> bool:
    return any(r in group or r in ("EU", "EEA") for r in regions)


class ProviderRegions(NamedTuple):
    """A provider's dated list of the regions it serves, and the regions absent from every list seen."""

    available: frozenset[str]
    never: frozenset[str]
    source: str
    as_of: str | None
    confidence: str


@lru_cache(maxsize=1)
def provider_regions() -> dict[str, ProviderRegions]:
    """The bundled region lists (licensecheck/provider_regions.json): data with a date, not code.

    Read from the cache while the package's files are unchanged (the file is one of them, so the
    cache's stamp covers it): reading the JSON file imports json, some 5.6M instructions of a run
    that needs it for nothing else."""
    from licensecheck import cache

    key = cache.stamp([])
    stored = cache.load("regions", key) if key is not None else None
    if stored is None:
        stored = _region_lists()
        if key is not None:
            cache.store("regions", key, stored)
    return {
        name: ProviderRegions(frozenset(available), frozenset(never), *rest)
        for name, available, never, *rest in stored
    }


def _region_lists() -> list[tuple[Any, ...]]:
    """The region lists of provider_regions.json, as plain data the cache stores: name, available,
    never, source, as_of, confidence."""
    import json
    import os

    # os.path, not pathlib: pathlib brings urllib.parse, ipaddress and fnmatch, some 11M
    # instructions of a shortlist, which imports none of them for anything else
    with open(os.path.join(os.path.dirname(__file__), "provider_regions.json"), encoding="utf-8") as file:
        raw = json.load(file)
    return [
        (name, item["available"], item["never"], item["source"], item["as_of"], item["confidence"])
        for name, item in raw.items()
        if isinstance(item, dict)
    ]


def expand_regions(regions: list[str]) -> list[str]:
    """Region codes with the EU and EEA groups replaced by their members, and UK read as GB."""
    out: list[str] = []
    for region in regions:
        members = (
            sorted(EU)
            if region == "EU"
            else sorted(EEA)
            if region == "EEA"
            else ["GB" if region == "UK" else region]
        )
        out += [m for m in members if m not in out]
    return out


def regions_in_never(provider: str) -> Callable[[list[str]], bool]:
    """Some region is absent from every list of `provider` seen (not served there)."""
    return lambda regions: any(r in provider_regions()[provider].never for r in expand_regions(regions))


def regions_unlisted(provider: str) -> Callable[[list[str]], bool]:
    """Some region is absent from `provider`'s dated list without being in its never-served set."""

    def check(regions: list[str]) -> bool:
        lists = provider_regions()[provider]
        return any(r not in lists.available and r not in lists.never for r in expand_regions(regions))

    return check


def _country(test: Callable[[list[str]], bool]) -> Callable[[str], bool]:
    """A test on region lists applied to one country code."""
    return lambda country: test([country])


def regions_unlisted_or_never(provider: str) -> Callable[[list[str]], bool]:
    """Some region is absent from `provider`'s dated list."""
    return lambda regions: any(
        r not in provider_regions()[provider].available for r in expand_regions(regions)
    )


def estimate_monthly_cost(input_tokens: int, output_tokens: int, price_in: float, price_out: float) -> float:
    """API cost per month: tokens / 1M x list price per 1M tokens, input and output added."""
    return round(input_tokens / MONTH_TOKENS * price_in + output_tokens / MONTH_TOKENS * price_out, 2)


# Bytes per weight at each deployment.precision, for the self-hosting memory estimate.
BYTES_PER_PARAMETER = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}
# Serving needs more than the weights: KV cache, activations and runtime buffers. 20% on top is
# the usual rule of thumb for moderate context and batch sizes; long contexts need more.
MEMORY_OVERHEAD = 1.2


def estimate_self_hosted_memory_gb(parameters_b: float, precision: str) -> float:
    """GPU memory to serve the weights: parameters x bytes per parameter x 1.2 overhead, in GB."""
    return round(parameters_b * BYTES_PER_PARAMETER[precision] * MEMORY_OVERHEAD, 2)


def has_required_modalities(required: list[str], offered: tuple[str, ...]) -> bool:
    # a loop, not all() over a generator (noqa): asked of every model a shortlist meets
    for modality in required:  # noqa: SIM110
        if modality not in offered:
            return False
    return True


class Derived(NamedTuple):
    """A fact computed from other facts; missing when any input is missing.

    A `whole` derived fact is computed from the Facts object itself (the route a use case takes
    and the estimates, licensecheck.basics): it depends on the model, and its compute function
    may return Missing (naming the facts it lacks) or Explained (a value with its evidence).
    """

    inputs: tuple[str, ...]
    compute: Callable[..., Any]
    description: str
    whole: bool = False


class Missing(NamedTuple):
    """A derived fact that cannot be computed, and the facts it lacks (a review names them)."""

    facts: tuple[str, ...]


class Explained(NamedTuple):
    """A derived value and what the finding's evidence shows for it (an estimate's formula, inputs, sources).

    `evidence` may be a function building it: Facts.explanation calls it once, when something reads it.
    """

    value: Any
    evidence: Any


class Environment(NamedTuple):
    """What facts may depend on besides the use case and the model: the evaluation date and the GPU table."""

    as_of: str = ""  # YYYY-MM-DD; empty when not known (lifecycle facts are then missing)
    gpus: "GpuTable | None" = None


DERIVED: dict[str, Derived] = {
    "derived.organization_in_eu": Derived(
        ("organization.country",),
        lambda c: c in EU,
        "The organisation is domiciled (principal place of business) in an EU member state.",
    ),
    "derived.organization_in_eea": Derived(
        ("organization.country",),
        lambda c: c in EEA,
        "The organisation is domiciled in the European Economic Area.",
    ),
    "derived.serves_eu": Derived(
        ("deployment.regions",),
        lambda r: _regions_touch(r, EU),
        "The system is served in at least one EU member state.",
    ),
    "derived.serves_eea_ch_uk": Derived(
        ("deployment.regions",),
        lambda r: _regions_touch(r, EEA_CH_UK),
        "The system is served in the EEA, Switzerland or the UK.",
    ),
    "derived.model_multimodal": Derived(
        ("model.modalities",),
        lambda m: any(x != "text" for x in m),
        "The model handles more than text (vision, image generation or audio).",
    ),
    "derived.model_is_derivative": Derived(
        ("model.modification",),
        lambda m: m != "none",
        "The model is derived from another (fine-tune, adapter, merge, distillation, quantization).",
    ),
    "derived.makes_available": Derived(
        ("use.distribution",),
        lambda d: d in MAKES_AVAILABLE,
        "The model or a product using it is made available to others (not internal or research).",
    ),
    "derived.ships_copies": Derived(
        ("use.distribution",),
        lambda d: d in SHIPS_COPIES,
        "Copies of the model are handed over (weights, on-premise, on-device), not only hosted.",
    ),
    "derived.trained_model_made_available": Derived(
        ("use.trained_model.distribution",),
        lambda d: d in MAKES_AVAILABLE,
        "The model trained on this model's outputs is made available to others (hosted-service, api, "
        "on-premise, on-device or weights; not none, internal or research).",
    ),
    "derived.gemini_region_unavailable": Derived(
        ("deployment.regions",),
        regions_in_never("gemini"),
        "Served in a region absent from every list of Gemini API regions seen (CN, HK, MO, RU, BY, IR, KP, SY, CU).",
    ),
    "derived.gemini_region_unlisted": Derived(
        ("deployment.regions",),
        regions_unlisted("gemini"),
        "Served in a region absent from Google's dated list of Gemini API regions (2025-11-19) but not "
        "in the never-available set: the list changes, so this is a question, not a no.",
    ),
    "derived.gemini_org_country_unavailable": Derived(
        ("organization.country",),
        _country(regions_in_never("gemini")),
        "The organisation is in a country where the Gemini API has never been available.",
    ),
    "derived.openai_region_unsupported": Derived(
        ("deployment.regions",),
        regions_in_never("openai"),
        "Served in a region absent from every list of OpenAI's supported countries seen "
        "(CN, HK, MO, RU, BY, IR, KP, SY, CU, VE).",
    ),
    "derived.openai_region_unlisted": Derived(
        ("deployment.regions",),
        regions_unlisted("openai"),
        "Served in a region absent from the (secondary, undated) list of OpenAI's supported countries "
        "but not in the never-supported set.",
    ),
    "derived.openai_org_country_unsupported": Derived(
        ("organization.country",),
        _country(regions_in_never("openai")),
        "The organisation is in a country absent from every list of OpenAI's supported countries seen.",
    ),
    "derived.anthropic_region_unsupported": Derived(
        ("deployment.regions",),
        regions_unlisted_or_never("anthropic"),
        "Served in a region absent from the (secondary, undated) list of Anthropic's supported countries.",
    ),
    "derived.anthropic_org_country_unsupported": Derived(
        ("organization.country",),
        _country(regions_unlisted_or_never("anthropic")),
        "The organisation is in a country absent from the list of Anthropic's supported countries.",
    ),
    "derived.monthly_cost_usd": Derived(
        (
            "requirements.monthly_input_tokens",
            "requirements.monthly_output_tokens",
            "model.price_input_per_mtok_usd",
            "model.price_output_per_mtok_usd",
        ),
        estimate_monthly_cost,
        "Estimated API cost per month: monthly tokens x list price per 1M tokens.",
    ),
    "derived.self_hosted_memory_gb": Derived(
        ("model.parameters_b", "deployment.precision"),
        estimate_self_hosted_memory_gb,
        "GPU memory to self-host the model: parameters x bytes per parameter at the precision x 1.2.",
    ),
    "derived.model_has_required_modalities": Derived(
        ("requirements.modalities", "model.modalities"),
        has_required_modalities,
        "The model handles every modality the requirements list.",
    ),
}


def _flatten(prefix: str, value: Any, out: MutableMapping[str, Any]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, item, out)
    else:
        out[prefix] = value


def flatten_usecase(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """A use case's facts by dotted path (`model` and `waivers` are not facts of the use case)."""
    values: dict[str, Any] = {}
    for key, item in data.items():
        if key not in ("model", "waivers"):
            _flatten(key, item, values)
    return values


def model_dependent(path: str, fixed: Collection[str] = ()) -> bool:
    """Whether a fact's value depends on the model (a `model.` fact, or derived from one); the
    model fields named in `fixed` are taken as the same for every model."""
    if path.startswith("model."):
        return path[6:].split("[]", 1)[0] not in fixed
    if path not in DERIVED:
        return False
    rule = DERIVED[path]
    return rule.whole or any(model_dependent(p, fixed) for p in rule.inputs)


class Facts:
    """Read-only fact lookup for one (use case, model) pair."""

    __slots__ = (
        "_derived",
        "_notes",
        "acceptance",
        "cache",
        "environment",
        "model",
        "values",
    )

    def __init__(
        self,
        values: Mapping[str, Any],
        model: ModelFacts | None,
        acceptance: Acceptance | None = None,
        environment: Environment | None = None,
    ) -> None:
        self.values = values  # the use case, flattened to dotted paths (flatten_usecase)
        self.model = model  # `model.FIELD` paths read the resolved model (None: not known yet)
        self.acceptance = acceptance  # `model.gated_licenses` and friends, from the packs in use
        self.environment = environment or Environment()
        self.cache: dict[str, Any] = {}  # what whole derived facts compute once (licensecheck.basics)
        self._derived: dict[str, Any] = {}
        # a whole derived fact's Missing (what it lacks) or Explained (its evidence), by path
        self._notes: dict[str, Missing | Explained] = {}

    def get(self, path: str) -> Any:
        # the hot path (a shortlist reads some 20 facts of each of 10,000 models): a model fact, or
        # a derived one computed already (never a use-case value: those are not cached there)
        index = _MODEL_PATHS.get(path)
        if index is not None:
            return self.model[index] if self.model is not None else None
        if path in self._derived:
            return self._derived[path]
        if path.startswith("model."):
            key = path[6:]
            if key in _ACCEPTANCE_FIELDS:
                return getattr(self.acceptance, key) if self.acceptance is not None else None
        elif path in self.values:
            return self.values[path]
        if path.startswith("derived."):
            return self._derive(path)
        if "[]" in path:
            head, _, tail = path.partition("[].")
            items = self.get(head)
            if not isinstance(items, (list, tuple)):
                return None
            picked = [item.get(tail) for item in items if isinstance(item, Mapping)]
            return [p for p in picked if p is not None] or None
        return None

    def _derive(self, path: str) -> Any:
        """A derived fact not computed yet (its rule in DERIVED), computed and kept."""
        return _derived_by(path)(self)

    def missing_inputs(self, path: str) -> list[str]:
        """The given-or-not facts behind `path` that are missing (the path itself if not derived)."""
        if path.startswith("derived."):
            found = [p for p in DERIVED[path].inputs if self.get(p) is None]
            note = self._notes.get(path)
            return found or (list(note.facts) if isinstance(note, Missing) else []) or [path]
        return [path]

    def explanation(self, path: str) -> Any:
        """What the evidence shows for a derived fact instead of its bare value (None: the value)."""
        note = self._notes.get(path)
        if not isinstance(note, Explained):
            return None
        evidence = note.evidence
        if callable(evidence):  # built when first read (most shortlisted models' evidence never is)
            evidence = evidence()
            self._notes[path] = Explained(note.value, evidence)
        return evidence


_MODEL_PATHS = {f"model.{field}": i for i, field in enumerate(ModelFacts._fields)}  # path -> field position
_ACCEPTANCE_FIELDS = frozenset(Acceptance._fields)


def _deriver(path: str) -> Callable[[Facts], Any]:
    """The function that reads the derived fact `path` of a Facts object as Facts.get does: kept
    already, given among the values, or computed by its rule in DERIVED and kept. Made once per
    path, and the reader compiled conditions read the fact through: the rule and the readers of its
    inputs are looked up here, not for each of the thousands of models a shortlist derives it for."""
    names, compute, _, whole = DERIVED[path]
    reads = tuple(map(reader, names))

    def derive_whole(facts: Facts) -> Any:
        known = facts._derived
        if path in known:
            return known[path]
        if path in facts.values:
            return facts.values[path]
        value = compute(facts)
        if isinstance(value, Missing):  # what it lacks, for a review to name
            facts._notes[path] = value
            value = None
        elif isinstance(value, Explained):  # its evidence
            facts._notes[path] = value
            value = value.value
        known[path] = value
        return value

    if whole and not reads:  # the route and the estimates (licensecheck.basics) read the Facts object
        return derive_whole

    def derive(facts: Facts) -> Any:
        known = facts._derived
        if path in known:
            return known[path]
        if path in facts.values:
            return facts.values[path]
        inputs: list[Any] = []
        for read in reads:  # a loop, not a comprehension: asked of every model a shortlist meets
            given = read(facts)
            if given is None:  # a missing input: the fact is missing
                known[path] = None
                return None
            inputs.append(given)
        if whole:
            return derive_whole(facts)
        value = known[path] = compute(*inputs)
        return value

    return derive


def _derived_by(path: str) -> Callable[[Facts], Any]:
    """The _deriver of `path`, made on first use."""
    derive = _DERIVERS.get(path)
    if derive is None:
        derive = _DERIVERS[path] = _deriver(path)
    return derive


_DERIVERS: dict[str, Callable[[Facts], Any]] = {}  # derived fact -> its _deriver


def reader(path: str) -> Callable[[Facts], Any]:
    """The function that reads `path` from a Facts object, giving what Facts.get gives.

    The kind of path (a model field, a gated-licence fact, a use-case value, a derived fact) is
    found once, not on every read: compiled conditions (conditions.compile_check) read through it.
    """
    index = _MODEL_PATHS.get(path)
    if index is not None:
        # a model is a tuple: its field by position, not through the descriptor, and subscripted
        # here rather than through an itemgetter (a C call more for each of some 30,000 reads)

        def model_fact(facts: Facts) -> Any:
            model = facts.model
            return None if model is None else model[index]

        return model_fact
    if path.startswith("derived."):
        return _derived_by(path)
    if path.startswith("model.") and path[6:] in _ACCEPTANCE_FIELDS:
        by_name = attrgetter(path[6:])

        def acceptance_fact(facts: Facts) -> Any:
            acceptance = facts.acceptance
            return None if acceptance is None else by_name(acceptance)

        return acceptance_fact
    if path.startswith("model.") or "[]" in path:
        return lambda facts: facts.get(path)
    return lambda facts: facts.values.get(path)


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every fact path a rule may read: use-case fields, model facts and derived facts."""
    from licensecheck.schema import load_schema

    names: set[str] = set(DERIVED)

    def walk(prefix: str, schema: Mapping[str, Any]) -> None:
        for key, sub in schema.get("properties", {}).items():
            path = f"{prefix}.{key}" if prefix else key
            if key == "waivers" and not prefix:
                continue
            names.add(path)
            if sub.get("type") == "object":
                walk(path, sub)
            items = sub.get("items", {})
            if sub.get("type") == "array" and items.get("type") == "object":
                walk(path + "[]", items)

    walk("", load_schema("usecase"))
    # `model.` facts are the resolved model's fields (a use case's `model.path` is not one);
    # list fields of mappings keep their projections (model.training_data[].license).
    names = {n for n in names if not n.startswith("model.") or "[]" in n}
    names.update(f"model.{name}" for name in MODEL_FACTS)
    return frozenset(names)


# Facts that say in which role a licence takes part in the model (licensecheck.composition). A rule that
# reads one of them tests its own licence's role itself; a rule that reads none speaks of the model under
# its pack's licence, so it applies only where that licence governs the model (engine.governs).
ROLE_FACTS = frozenset(
    {
        "model.licenses_in_weights",
        "model.licenses_adapted",
        "model.licenses_quantized",
        "model.licenses_via_adapter",
        "model.licenses_unmodified",
        "model.teacher_licenses",
        "model.ancestor_teacher_licenses",
        "model.input_licenses",
        "model.bundled_licenses",
        "model.bundled_modified_licenses",
        "model.trained_on_outputs_of",
    }
)

# The resolved model's fields rules may read: all but the chain itself (rules read lineage_*).
# The catalog blocks (transformer, reasoning, routes) are read through derived facts (licensecheck.basics).
MODEL_FACTS = (
    tuple(
        f for f in ModelFacts._fields if f not in ("lineage", "source", "transformer", "reasoning", "routes")
    )
    + Acceptance._fields
)


class KnownFact:
    """Callable membership test for fact paths, with the names for 'did you mean' hints."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def __call__(self, path: str) -> bool:
        return path in self.names


def _register_route_facts() -> None:
    """The facts of the route a use case takes and of the estimates: licensecheck.basics adds them
    to DERIVED when it is imported (whichever of the two modules is imported first)."""
    import licensecheck.basics  # noqa: F401


_register_route_facts()
