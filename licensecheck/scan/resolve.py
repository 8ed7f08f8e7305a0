"""Model names as code writes them -> catalog models, by the naming rules in names.yaml."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from licensecheck.catalog import Catalog
from licensecheck.scan.model import Reference, Resolution, Status

NAMES_FILE = Path(__file__).with_name("names.yaml")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_HF_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/(.+)$", re.IGNORECASE)
_HF_SHAPE = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")
_SPLIT = re.compile(r"[-_/:\s@]+")
_ALPHA_NUM = re.compile(r"^([a-z]+)(\d[\w.]*)$")
_SMALL_INT = re.compile(r"^\d{1,2}$")
_PLAIN = re.compile(r"^[\w.:/@+-]{1,200}$")


@dataclass(frozen=True)
class Names:
    """The rule tables of names.yaml, compiled."""

    provider_prefixes: tuple[str, ...]
    ollama_prefixes: tuple[str, ...]
    bedrock_id: re.Pattern[str]
    snapshot_suffixes: tuple[re.Pattern[str], ...]
    format_tokens: frozenset[str]
    rewrites: tuple[tuple[re.Pattern[str], str], ...]
    synonyms: dict[str, str]
    neutral_tokens: frozenset[str]
    ollama_default_tags: dict[str, str]
    ollama_variant_tokens: tuple[str, ...]
    ollama_quant: re.Pattern[str]
    families: tuple[str, ...]
    path_like_orgs: frozenset[str]
    file_suffixes: tuple[str, ...]
    fixture_orgs: frozenset[str]
    fixture_words: tuple[str, ...]
    fixture_names: frozenset[str]
    tokenizer_words: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def load_names(path: str = str(NAMES_FILE)) -> Names:
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.load(handle, Loader=_LOADER)
    low = [str.casefold]

    def folded(key: str) -> tuple[str, ...]:
        return tuple(low[0](str(v)) for v in data[key])

    return Names(
        provider_prefixes=tuple(sorted(folded("provider_prefixes"), key=len, reverse=True)),
        ollama_prefixes=folded("ollama_prefixes"),
        bedrock_id=re.compile(data["bedrock_id"], re.IGNORECASE),
        snapshot_suffixes=tuple(re.compile(p, re.IGNORECASE) for p in data["snapshot_suffixes"]),
        format_tokens=frozenset(folded("format_tokens")),
        rewrites=tuple((re.compile(p), r) for p, r in data["rewrites"]),
        synonyms={str(k).casefold(): str(v).casefold() for k, v in data["synonyms"].items()},
        neutral_tokens=frozenset(folded("neutral_tokens")),
        ollama_default_tags={str(k).casefold(): str(v) for k, v in data["ollama_default_tags"].items()},
        ollama_variant_tokens=folded("ollama_variant_tokens"),
        ollama_quant=re.compile(data["ollama_quant"], re.IGNORECASE),
        families=folded("families"),
        path_like_orgs=frozenset(folded("path_like_orgs")),
        file_suffixes=folded("file_suffixes"),
        fixture_orgs=frozenset(folded("fixture_orgs")),
        fixture_words=folded("fixture_words"),
        fixture_names=frozenset(folded("fixture_names")),
        tokenizer_words=folded("tokenizer_words"),
    )


def name_key(name: str, names: Names | None = None) -> tuple[str, ...]:
    """A name as a sorted tuple of tokens: spelling, order and separators do not matter.

    "Meta-Llama-3.1-8B-Instruct", "llama-3.1-8b-instruct" and "llama3.1 8b instruct" share a key;
    "claude-3-5-sonnet" and "claude-3.5-sonnet" too (two small numbers in a row are a version).
    """
    rules = names or load_names()
    text = name.casefold()
    for pattern, replacement in rules.rewrites:
        text = pattern.sub(replacement, text)
    tokens: list[str] = []
    for raw in _SPLIT.split(text):
        if not raw:
            continue
        match = _ALPHA_NUM.match(raw)
        tokens.extend(match.groups() if match else (raw,))
    merged: list[str] = []
    for token in tokens:
        version = len(merged) >= 2 and _SMALL_INT.match(merged[-1]) and not _SMALL_INT.match(merged[-2])
        if version and _SMALL_INT.match(token):  # "3", "5" after a word: version 3.5
            merged[-1] = f"{merged[-1]}.{token}"
            continue
        merged.append(token)
    out = [rules.synonyms.get(t, t) for t in merged if t not in rules.neutral_tokens]
    return tuple(sorted(out))


def hf_shaped(value: str, names: Names | None = None) -> bool:
    """`org/name` as the Hugging Face Hub writes repo ids (not a folder, not a file)."""
    rules = names or load_names()
    if not _HF_SHAPE.match(value):
        return False
    org, _, name = value.partition("/")
    return org.casefold() not in rules.path_like_orgs and not name.casefold().endswith(rules.file_suffixes)


def local_path(value: str) -> bool:
    """A file-system path rather than a name: ./x, ../x, /x, ~/x, C:\\x, or three or more segments."""
    if value.startswith(("./", "../", "/", "~", ".\\", "..\\")) or re.match(r"^[A-Za-z]:[\\/]", value):
        return True
    return value.count("/") >= 2 and not value.casefold().startswith(("accounts/", "models/", "hf.co/"))


def lookalike(value: str, names: Names | None = None) -> str | None:
    """Why a name is a look-alike and not a model a repository uses (fixture, tokenizer), or None."""
    rules = names or load_names()
    folded = value.casefold()
    org, _, name = folded.rpartition("/")
    if org in rules.fixture_orgs:
        return "a test fixture repository"
    if name in rules.fixture_names or any(w in name for w in rules.fixture_words):
        return "a test fixture name"
    if any(w in name for w in rules.tokenizer_words):
        return "a tokenizer-only repository"
    return None


def plausible(value: str) -> bool:
    """A string that could be a model name at all: one token of name characters, not a number."""
    return bool(_PLAIN.match(value)) and any(c.isalpha() for c in value) and value.casefold() not in _WORDS


_WORDS = frozenset({"true", "false", "none", "null", "auto", "default", "yes", "no", "on", "off"})


def model_shaped(value: str, names: Names | None = None) -> bool:
    """For generic places (a `model:` key of any config): a Hub repo id, a provider-prefixed name,
    or a name that starts like a known model family. `model: linear` is none of these."""
    rules = names or load_names()
    folded = value.casefold()
    if hf_shaped(value, rules) or folded.startswith(rules.provider_prefixes):
        return True
    return folded.startswith(rules.families)


class Resolver:
    """Resolve references against one catalog (the catalog's names are indexed once)."""

    def __init__(self, catalog: Catalog, names: Names | None = None) -> None:
        self.catalog = catalog
        self.names = names or load_names()
        self._keys: dict[tuple[str, ...], str | None] = {}
        self._orgs: dict[str, str | None] = {}
        # Provider model ids of the catalog's routes (deepseek-chat, open-mistral-7b, Bedrock ids).
        self._route_ids: dict[str, tuple[str, str] | None] = {}
        for model in catalog.models:
            ident = str(model.id)
            repo = model.hf_repo
            org, _, repo_name = str(repo).rpartition("/") if repo else ("", "", "")
            self._orgs[ident] = org.casefold() or None
            keys = {name_key(ident, self.names)}
            if repo_name:
                keys.add(name_key(repo_name, self.names))
            for alias in model.aliases or ():
                keys.add(name_key(str(alias).rpartition("/")[2], self.names))
            for route in model.routes or ():
                for route_id in (route.get("model_ids") or ()) if isinstance(route, dict) else ():
                    folded = str(route_id).casefold()
                    seen = self._route_ids.get(folded, (ident, str(route.get("provider"))))
                    self._route_ids[folded] = seen if seen is not None and seen[0] == ident else None
                    keys.add(name_key(str(route_id), self.names))
            for key in keys:
                # Two catalog models with one key: the key decides nothing.
                self._keys[key] = ident if self._keys.get(key, ident) == ident else None

    def resolve(self, reference: Reference) -> Resolution:
        if reference.value is None:
            return Resolution(Status.UNRESOLVED, rule=reference.reason)
        return self.resolve_name(reference.value, reference.provider)

    def resolve_name(self, value: str, provider: str | None = None) -> Resolution:
        """The catalog model `value` names, by the first rule that matches; else unknown + nearest."""
        name = value.strip()
        url = _HF_URL.match(name)
        if url:
            name = "/".join(url.group(1).split("/")[:2])
        ollama = provider == "ollama"
        steps: list[tuple[str, str, bool]] = [(name, "", ollama)]
        current = name
        for _ in range(4):
            folded = current.casefold()
            prefix = next((p for p in self.names.provider_prefixes if folded.startswith(p)), None)
            bedrock = self.names.bedrock_id.match(current)
            if prefix is not None and len(current) > len(prefix):
                ollama = ollama or prefix in self.names.ollama_prefixes
                current = current[len(prefix) :]
                steps.append((current, _then(steps[-1][1], f"'{prefix}' prefix"), ollama))
            elif bedrock:
                current = bedrock.group(1)
                steps.append((current, _then(steps[-1][1], "Bedrock model id"), False))
            else:
                break
        for candidate, how, as_ollama in steps:
            if as_ollama and "/" not in candidate:
                continue  # Ollama's library names are not catalog ids (deepseek-r1 pulls a 7B distill)
            exact = self._exact(candidate)
            if exact is not None:
                return self._with(exact, how)
        # Naming rules: the most stripped name first ("models/gemini-1.5-pro-002" is Google's
        # gemini-1.5-pro-002, not a repository of an organisation called "models").
        for candidate, how, as_ollama in reversed(steps):
            found = self._one(candidate, as_ollama, bedrock=how.endswith("Bedrock model id"))
            if found is not None:
                return self._with(found, how)
        return Resolution(Status.UNKNOWN, nearest=tuple(self.catalog.nearest(steps[-1][0])))

    @staticmethod
    def _with(found: Resolution, how: str) -> Resolution:
        rule = f"{how}, {found.rule}" if how else found.rule
        return Resolution(found.status, found.model, rule, found.license)

    def _exact(self, name: str) -> Resolution | None:
        exact = self.catalog.find(name)
        if exact is None:
            route = self._route_ids.get(name.casefold())
            return self._hit(Status.CATALOG, route[0], f"{route[1]} model id") if route else None
        ident = str(exact.id)
        folded = name.casefold()
        if ident.casefold() == folded:
            rule = "catalog id"
        elif str(exact.hf_repo or "").casefold() == folded:
            rule = "Hugging Face repo id"
        else:
            rule = "catalog alias"
        return self._hit(Status.CATALOG, ident, rule)

    def _hit(self, status: Status, ident: str, rule: str) -> Resolution:
        model = self.catalog.find(ident)
        license_id = model.license if model else None
        return Resolution(status, ident, rule, str(license_id) if license_id else None)

    def _one(self, name: str, ollama: bool, bedrock: bool = False) -> Resolution | None:
        org, _, base = name.rpartition("/")
        if "/" in org:
            return None
        tag = ""
        if ":" in base and not bedrock:
            base, _, tag = base.partition(":")
            if org:  # hf.co/org/repo-GGUF:Q4_K_M: the tag picks a file
                tag = ""
            else:
                ollama = True
        if ollama and not org:
            return self._ollama(base, tag)
        ident = self._keys.get(name_key(base, self.names))
        if ident is not None:
            return self._by_name(ident, org, "same name, spelled differently")
        for pattern in self.names.snapshot_suffixes:
            stripped = pattern.sub("", base)
            if stripped != base:
                ident = self._keys.get(name_key(stripped, self.names))
                if ident is not None:
                    return self._by_name(ident, org, "dated or versioned snapshot")
                base_again = stripped
                for again in self.names.snapshot_suffixes:
                    twice = again.sub("", base_again)
                    ident = self._keys.get(name_key(twice, self.names)) if twice != base_again else None
                    if ident is not None:
                        return self._by_name(ident, org, "dated or versioned snapshot")
        key = name_key(base, self.names)
        kept = tuple(t for t in key if t not in self.names.format_tokens)
        if kept != key and kept:
            ident = self._keys.get(kept)
            if ident is not None:
                return self._hit(
                    Status.PROBABLE, ident, f"a quantized or converted copy of {ident}: check it is one"
                )
        return None

    def _by_name(self, ident: str, org: str, how: str) -> Resolution:
        """A name match is the catalog model under its own organisation (or none given); under
        another organisation it is probably a copy or a fine-tune: the licence may differ."""
        own = self._orgs.get(ident)
        if not org or (own is not None and org.casefold() == own):
            return self._hit(Status.CATALOG, ident, how)
        return self._hit(
            Status.PROBABLE,
            ident,
            f"named like {ident} under another organisation ({org}): a copy or a fine-tune? check it",
        )

    def _ollama(self, base: str, tag: str) -> Resolution | None:
        rules = self.names
        tag = rules.ollama_quant.sub("", tag)
        if not tag or tag.casefold() == "latest":
            default = rules.ollama_default_tags.get(base.casefold())
            if default is None:
                return None
            tag = default
            how = f"Ollama tag {base} (= {base}:{default})" if default else f"Ollama tag {base}"
        else:
            how = f"Ollama tag {base}:{tag}"
        key = name_key(f"{base}-{tag}" if tag else base, rules)
        for extra in ("", *rules.ollama_variant_tokens):
            candidate = tuple(sorted((*key, extra))) if extra and extra not in key else key
            ident = self._keys.get(candidate)
            if ident is not None:
                return self._hit(Status.CATALOG, ident, how)
        return None


def _then(first: str, second: str) -> str:
    return f"{first} and {second}" if first else second


def generic_keeps(value: str, resolution: Resolution, names: Names | None = None) -> bool:
    """Whether a name found in a generic place is a model reference (see `model_shaped`)."""
    if resolution.status in (Status.CATALOG, Status.PROBABLE):
        return True
    return model_shaped(value, names)
