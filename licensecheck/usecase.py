"""Use-case files: load and validate them against the use-case schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from licensecheck.document import Document
from licensecheck.facts import flatten_usecase
from licensecheck.model import UseCase
from licensecheck.resolve import DERIVATION_KEYS
from licensecheck.schema import usecase_is_valid
from licensecheck.yamlsource import decode, parse_yaml, read_bytes, sha256_hex

# ISO 3166-1 alpha-2 codes assigned to a country or territory (249), with XK (Kosovo, user-assigned
# but in common use) and UK (read as GB): a code outside this list would match no rule's list
# of countries (`country: EU` or `EL` for Greece dropped the Llama EU clause).
# fmt: off
COUNTRY_CODES = frozenset([
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW", "XK", "UK",
])
# fmt: on


# The domain tags of the use-case format (README, "The use-case format"); other tags are accepted
# for an organisation's own packs, unless they read like one of these (`weapon`, `militry`).
DOMAIN_TAGS = (
    "military", "weapons", "surveillance", "biometric-identification", "law-enforcement",
    "critical-infrastructure", "medical-advice", "legal-advice", "financial-advice",
    "automated-decisions", "political-campaigning", "adult-content", "minors", "synthetic-media",
    "customer-support", "e-commerce", "code-generation", "education", "research", "healthcare",
    "finance", "marketing", "employment", "housing", "insurance", "social-welfare",
)  # fmt: skip
NEAR_MISS = 0.85  # difflib's similarity from which an unknown tag reads as a vocabulary tag
# Tags no rule restricts on (they describe the product or grant a research use): a tag of one's own
# that reads like one of these (`researcher`, `ecommerce`) cannot drop a prohibition, so it stands.
UNRESTRICTED_TAGS = frozenset(["customer-support", "e-commerce", "code-generation", "research", "marketing"])


def usecase_of(doc: Document, sha256: str | None = None) -> UseCase:
    """The domain object of a validated use-case document (`sha256`: of the file's bytes)."""
    return UseCase(doc.data["name"], doc.name, doc.data, flatten_usecase(doc.data), doc, sha256)


def read_usecase(
    path: str, shown: str | None = None, model_override: Mapping[str, str] | None = None
) -> UseCase:
    """Load and validate a use-case file (`model_override`: --model, replacing the model it names)."""
    return read_usecase_bytes(read_bytes(path, shown or path), shown or path, model_override)


def read_usecase_bytes(raw: bytes, shown: str, model_override: Mapping[str, str] | None = None) -> UseCase:
    """Load and validate a use case given as bytes (a file's, or standard input); the report
    records their SHA-256, so a signature on it binds to exactly this input."""
    doc = parse_yaml(decode(raw, shown), shown)
    return parse_usecase(doc, model_override, sha256_hex(raw))


def parse_usecase(
    doc: Document, model_override: Mapping[str, str] | None = None, sha256: str | None = None
) -> UseCase:
    if model_override is not None and isinstance(doc.data, dict):
        # --model gives the model (a folder {"path": ...} or a catalog model {"id": ...}): it
        # replaces id/path/inline facts; how the team derives the model (modification,
        # base_models, training data, name) stays.
        given = doc.data.get("model")
        kept = {k: v for k, v in given.items() if k in DERIVATION_KEYS} if isinstance(given, dict) else {}
        doc = doc.with_data({**doc.data, "model": {**kept, **model_override}})
    if not isinstance(doc.data, dict):
        raise doc.error(
            (),
            "a use case must be a mapping with at least `name:` and `model:`",
            "see `licensecheck schema usecase`",
        )
    if not usecase_is_valid(doc.data):  # the fast check; jsonschema gives the messages
        doc.check("usecase", waiver_hint)
    _check_dates(doc)
    _check_country_codes(doc)
    _check_domain_tags(doc)
    return usecase_of(doc, sha256)


def waiver_hint(path: tuple[Any, ...]) -> str | None:
    """The hint for a schema error inside `waivers:`: what a valid waiver needs."""
    if not path or path[0] != "waivers":
        return None
    return (
        "a waiver needs `rule` (id or glob), `reason`, `approved_by` and `expires` (YYYY-MM-DD); "
        "optional: `usecase`, `model`, `license_version` (see `licensecheck schema waivers`)"
    )


def _check_dates(doc: Document) -> None:
    data = doc.data
    places: list[tuple[tuple[Any, ...], Any]] = []
    for i, rec in enumerate(data.get("organization", {}).get("accepted_terms", [])):
        places.append((("organization", "accepted_terms", i, "accepted_on"), rec.get("accepted_on")))
    for i, rec in enumerate(data.get("organization", {}).get("registrations", [])):
        places.append((("organization", "registrations", i, "registered_on"), rec.get("registered_on")))
    for key in ("knowledge_cutoff_after", "released_after"):
        places.append((("requirements", key), data.get("requirements", {}).get(key)))
    for key in ("release_date", "knowledge_cutoff"):
        places.append((("model", key), data["model"].get(key)))
    for i, waiver in enumerate(data.get("waivers", [])):
        places.append((("waivers", i, "expires"), waiver.get("expires")))
    for path, value in places:
        check_date(doc, path, value)


def _check_domain_tags(doc: Document) -> None:
    """A tag of one's own may not be a near-spelling of a vocabulary tag: the rules match the
    vocabulary exactly, so `weapon` for `weapons` would pass the weapons prohibitions."""
    for i, tag in enumerate(doc.data.get("use", {}).get("domains", [])):
        if not isinstance(tag, str) or tag in DOMAIN_TAGS:
            continue
        import difflib  # a start-up cost only for a use case with a tag of its own

        close = difflib.get_close_matches(tag, DOMAIN_TAGS, n=1, cutoff=NEAR_MISS)
        if close and close[0] not in UNRESTRICTED_TAGS:
            raise doc.error(
                ("use", "domains", i),
                f"domain tag '{tag}' reads like the tag '{close[0]}' but is not it",
                f"write '{close[0]}' (rules match tags exactly); a tag of your own must not look like "
                "one of the README's domain tags",
            )


def _check_country_codes(doc: Document) -> None:
    """Country and region codes must be assigned ISO codes (regions may also name EU or EEA)."""
    places: list[tuple[tuple[Any, ...], Any]] = [
        (("organization", "country"), doc.data.get("organization", {}).get("country"))
    ]
    for i, region in enumerate(doc.data.get("deployment", {}).get("regions", [])):
        places.append((("deployment", "regions", i), region))
    for path, code in places:
        if (
            not isinstance(code, str)
            or code in COUNTRY_CODES
            or (path[0] == "deployment" and code in ("EU", "EEA"))
        ):
            continue
        groups = (
            ""
            if path[0] == "deployment"
            else "; EU and EEA are regions, not a country: name the member state"
        )
        raise doc.error(
            path,
            f"'{code}' is not an ISO 3166-1 alpha-2 country code",
            f"write the country's ISO code (Greece is GR, the United Kingdom GB){groups}",
        )


def check_date(doc: Document, path: tuple[Any, ...], value: Any) -> None:
    """A schema-shaped date must also exist in the calendar (2024-02-30 does not)."""
    if not isinstance(value, str) or len(value) != 10:
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise doc.error(
            path, f"'{value}' is not a date in the calendar", "write YYYY-MM-DD with a real day of the month"
        ) from None
