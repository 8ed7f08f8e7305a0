"""Local Hugging Face model folders: model-card front matter, config.json and safetensors headers.

Everything in a folder is untrusted input: only regular files inside the folder are read (a
symbolic link out of it is refused, so a folder cannot make licensecheck read and echo other
files), files are size-bounded, only the JSON header of a safetensors file is read (never the
weights), and every problem is a located InputError.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from licensecheck.errors import InputError
from licensecheck.jsonsource import loads
from licensecheck.yamlsource import MAX_BYTES, MAX_NODES, parse_yaml, read_text

MAX_JSON_BYTES = 8 * 1024 * 1024
# The format allows 100 MB, but real headers are a few MB at most (one entry per tensor); 25 MB
# keeps a hostile header well inside the 300 MB memory bound (a 90 MB one peaked at 204 MB).
MAX_SAFETENSORS_HEADER = 25 * 1024 * 1024
MAX_SHARDS = 10_000
# Real tensors have at most 5 or 6 dimensions; numpy's historical limit is 32.
MAX_DIMENSIONS = 32
# A quadrillion parameters (1,000,000 B), the use-case schema's bound on parameters_b.
MAX_PARAMETERS = 10**15
LFS_POINTER = b"version https://git-lfs"
# Bases one model may name (a card's base_model, a use case's model.base_models).
MAX_BASES = 32
# The model cards of one lineage together: README text read, and front matter parsed (the
# limits of one YAML file), so a lineage of many folders costs no more than one large file.
MAX_CARDS_BYTES = 8 * 1024 * 1024

# vLLM's order of context-length keys in config.json; the minimum present is the context.
CONTEXT_KEYS = (
    "max_position_embeddings",
    "n_positions",
    "max_seq_len",
    "seq_length",
    "model_max_length",
    "max_target_positions",
    "max_sequence_length",
    "max_seq_length",
    "seq_len",
)
# tokenizer_config.json and some configs use 1e30 as "no limit": not a context length.
CONTEXT_SENTINEL = 10**12
RELATIONS = {"finetune": "fine-tune", "adapter": "adapter", "merge": "merge", "quantized": "quantization"}
FRONT_MATTER = re.compile(r"^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$))")


@dataclass
class CardBudget:
    """What the model cards of one model's lineage may still cost, shared by every folder read."""

    readme_bytes: int = MAX_CARDS_BYTES
    front_matter_bytes: int = MAX_BYTES
    nodes: int = MAX_NODES


def _file_root(folder: Path) -> str:
    """Where a model folder's files may really be: the folder itself, or for a Hugging Face cache
    snapshot (`models--ORG--NAME/snapshots/REV`) that repository's cache folder, whose `blobs/`
    the snapshot's files link to."""
    real = Path(os.path.realpath(folder))
    if real.parent.name == "snapshots" and real.parent.parent.name.startswith("models--"):
        return str(real.parent.parent)
    return str(real)


def is_inside(path: str, root: str) -> bool:
    """Whether the real path `path` is `root` or below it."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def folder_file(folder: Path, name: str) -> Path | None:
    """`folder/name` when it is a regular file inside the folder; None when there is none.

    A symbolic link leaving the folder, or a name that is not a regular file (a FIFO, a device,
    a directory), is an InputError: the folder is untrusted input.
    """
    path = folder / name
    shown = shown_path(folder, name)
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if not is_inside(os.path.realpath(path), _file_root(folder)):
                raise InputError(
                    shown,
                    None,
                    None,
                    "is a symbolic link to a file outside the model folder",
                    "licensecheck reads only files inside a model folder; copy the file in",
                )
            info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None  # absent, or a link inside the folder to nothing
    except OSError as exc:
        raise InputError(shown, None, None, f"cannot read the file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            shown, None, None, "not a regular file (a directory, pipe, socket or device)", "give a file"
        )
    return path


def shown_path(folder: Path, name: str) -> str:
    """How a file inside a model folder is named in messages (relative to the current folder)."""
    path = folder / name
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


class ModelFolder(NamedTuple):
    """What a local model folder says about its model: card front matter, config.json, weights."""

    id: str  # the folder's name
    path: str
    card_file: str  # README.md as messages name it
    license: str | None = None
    license_name: str | None = None
    base_models: tuple[str, ...] = ()
    base_positions: tuple[tuple[int, int], ...] = ()  # where each base is named in README.md
    relation: str | None = None  # base_model_relation, or adapter for an adapter_config.json
    gated: bool = False
    context_window: int | None = None
    architecture: str | None = None
    modalities: tuple[str, ...] | None = None
    parameters_b: float | None = None
    weights_present: bool = False


def read_model_folder(folder: Path, budget: CardBudget | None = None, card_only: bool = False) -> ModelFolder:
    """Facts of a Hugging Face-style folder as it lies on disk after a download.

    `card_only`: only what lineage needs of a base model (card, and whether it is an adapter);
    its config and weights are not read. `budget`: shared by the cards of one lineage.
    """
    if not os.path.isdir(folder):  # not Path.is_dir: it raises on a name too long to look up
        raise InputError(
            str(folder),
            None,
            None,
            "model folder not found",
            "give the folder holding README.md and config.json",
        )
    card = read_card(folder, budget or CardBudget())
    config = read_config(folder) if not card_only else {}
    params, weights_present = count_parameters(folder) if not card_only else (None, False)
    relation = card.get("relation")
    if relation is None and folder_file(folder, "adapter_config.json") is not None:
        relation = "adapter"
    return ModelFolder(
        id=card.get("model_id") or folder.resolve().name,
        path=str(folder),
        card_file=card.get("card_file", str(folder)),
        license=card.get("license"),
        license_name=card.get("license_name"),
        base_models=tuple(card.get("base_models", ())),
        base_positions=tuple(card.get("base_positions", ())),
        relation=relation,
        gated=card.get("gated", False),
        context_window=config.get("context_window"),
        architecture=config.get("architecture"),
        modalities=tuple(config["modalities"]) if "modalities" in config else None,
        parameters_b=round(params / 1e9, 3) if params is not None else None,
        weights_present=weights_present,
    )


def read_card(folder: Path, budget: CardBudget) -> dict[str, Any]:
    """Licence, base models, tags and gating from README.md's YAML front matter (empty if none)."""
    path = folder_file(folder, "README.md")
    if path is None:
        return {}
    shown = shown_path(folder, "README.md")
    text = read_text(str(path), shown)
    budget.readme_bytes -= len(text)
    if budget.readme_bytes < 0:
        raise InputError(shown, None, None, *_over_budget(f"{MAX_CARDS_BYTES:,} characters of README.md"))
    match = FRONT_MATTER.match(text)
    if match is None:
        return {}
    # Parse the text up to the closing '---': the opening '---' is a YAML document start, so
    # line and column numbers of the card are those of README.md.
    front = text[: match.end(2)]
    budget.front_matter_bytes -= len(front)
    if budget.front_matter_bytes < 0:
        raise InputError(shown, 1, 1, *_over_budget(f"{MAX_BYTES:,} characters of front matter"))
    nodes_hint = _over_budget(f"{MAX_NODES:,} YAML nodes")[1] if budget.nodes < MAX_NODES else None
    doc = parse_yaml(front, shown, max_nodes=budget.nodes, nodes_hint=nodes_hint, strict_scalars=False)
    budget.nodes -= doc.nodes
    data = doc.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise doc.error(
            (), "the model card front matter must be a mapping", "see huggingface.co/docs/hub/model-cards"
        )
    out: dict[str, Any] = {}
    for key in ("license", "license_name", "license_link", "pipeline_tag"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise doc.error(
                (key,), f"`{key}` must be text", "write a single licence tag, e.g. `license: apache-2.0`"
            )
        out[key] = value
    if isinstance(data.get("license"), list):
        raise doc.error(("license",), "`license` must be one licence tag")
    base = data.get("base_model")
    if base is not None:
        bases = [base] if isinstance(base, str) else base
        if not isinstance(bases, list) or not all(isinstance(b, str) and b for b in bases):
            raise doc.error(("base_model",), "`base_model` must be a repo id or a list of repo ids")
        if len(bases) > MAX_BASES:
            raise doc.error(
                ("base_model", MAX_BASES),
                f"more than {MAX_BASES} base models",
                "a merge of this many models is not a lineage licensecheck can check; list the real bases",
            )
        out["base_models"] = bases
        out["base_positions"] = [
            doc.where(("base_model",) if isinstance(base, str) else ("base_model", i))
            for i in range(len(bases))
        ]
    relation = data.get("base_model_relation")
    if relation is not None:
        if relation not in RELATIONS:
            raise doc.error(
                ("base_model_relation",),
                f"unknown base_model_relation '{relation}'",
                "use one of: " + ", ".join(RELATIONS),
            )
        out["relation"] = RELATIONS[relation]
    tags = data.get("tags")
    if tags is not None:
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise doc.error(("tags",), "`tags` must be a list of text")
        out["tags"] = tags
    out["gated"] = bool(data.get("gated")) or any(k.startswith("extra_gated_") for k in data)
    out["card_file"] = shown
    return out


def _over_budget(what: str) -> tuple[str, str]:
    return (
        f"the model cards of this lineage are larger than {what} together",
        "a lineage's model cards share the limits of one file; give deep ancestors as catalog ids "
        "or inline facts in the use case",
    )


def _read_json(path: Path, shown: str) -> Any:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(shown, None, None, f"cannot read the file: {exc.strerror or exc}") from None
    if size > MAX_JSON_BYTES:
        raise InputError(
            shown, None, None, f"file is {size:,} bytes, more than the limit of {MAX_JSON_BYTES:,}"
        )
    return loads(read_text(str(path), shown, MAX_JSON_BYTES), shown)


def _context_of(config: dict[str, Any]) -> int | None:
    found = [
        v
        for k in CONTEXT_KEYS
        if isinstance(v := config.get(k), int) and not isinstance(v, bool) and 0 < v < CONTEXT_SENTINEL
    ]
    return min(found) if found else None


def read_config(folder: Path) -> dict[str, Any]:
    """Context window, architecture and modalities from config.json (empty if there is none)."""
    path = folder_file(folder, "config.json")
    if path is None:
        return {}
    shown = shown_path(folder, "config.json")
    config = _read_json(path, shown)
    if not isinstance(config, dict):
        raise InputError(shown, 1, 1, "config.json must be a JSON object")
    out: dict[str, Any] = {}
    text_config = config.get("text_config")
    context = _context_of(text_config) if isinstance(text_config, dict) else None
    if context is None:
        context = _context_of(config)
    if context is not None:
        out["context_window"] = context
    architectures = config.get("architectures")
    if isinstance(architectures, list) and architectures and isinstance(architectures[0], str):
        out["architecture"] = architectures[0]
    elif isinstance(config.get("model_type"), str):
        out["architecture"] = config["model_type"]
    modalities = ["text"]
    if isinstance(config.get("vision_config"), dict):
        modalities.append("vision")
    if isinstance(config.get("audio_config"), dict):
        modalities.append("audio")
    out["modalities"] = modalities
    return out


def count_parameters(folder: Path) -> tuple[int | None, bool]:
    """Parameters summed over the safetensors headers, and whether the weights are on disk.

    LFS pointer files (a clone without `git lfs pull`) mean "weights not present": no count.
    """
    index = folder_file(folder, "model.safetensors.index.json")
    if index is not None:
        shown = shown_path(folder, index.name)
        data = _read_json(index, shown)
        weight_map = data.get("weight_map") if isinstance(data, dict) else None
        if not isinstance(weight_map, dict) or not all(isinstance(v, str) for v in weight_map.values()):
            raise InputError(shown, 1, 1, "`weight_map` must map tensor names to shard file names")
        names = sorted(set(weight_map.values()))
        for name in names:
            if "/" in name or "\\" in name or name.startswith("."):
                raise InputError(shown, 1, 1, f"shard '{name}' is not a file in the model folder")
    else:
        names = sorted(p.name for p in folder.glob("*.safetensors"))
    if not names:
        return None, False
    if len(names) > MAX_SHARDS:
        raise InputError(str(folder), None, None, f"more than {MAX_SHARDS:,} safetensors shards")
    total = 0
    header_bytes_left = MAX_SAFETENSORS_HEADER  # for all shards together: 10,000 shards are allowed
    for name in names:
        shown = shown_path(folder, name)
        path = folder_file(folder, name)
        if path is None:
            return None, False
        count, header_bytes = safetensors_parameters(path, shown, header_bytes_left)
        if count is None:
            return None, False
        header_bytes_left -= header_bytes
        total += count
        if total > MAX_PARAMETERS:
            raise InputError(
                str(folder),
                None,
                None,
                f"the safetensors headers claim more than {MAX_PARAMETERS:,} parameters",
            )
    return total, True


def safetensors_parameters(
    path: Path, shown: str, limit: int = MAX_SAFETENSORS_HEADER
) -> tuple[int | None, int]:
    """Parameters in one safetensors file from its header (None for a Git LFS pointer file), and
    the header's length; `limit` is what the headers of the folder's other shards left over."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            if size < 1024 and handle.read(len(LFS_POINTER)) == LFS_POINTER:
                return None, 0
            handle.seek(0)
            head = handle.read(8)
            if len(head) < 8:
                raise InputError(
                    shown, None, None, "not a safetensors file: shorter than its 8-byte header length"
                )
            length = int.from_bytes(head, "little")
            if length > MAX_SAFETENSORS_HEADER or length > size - 8:
                raise InputError(
                    shown,
                    None,
                    None,
                    f"safetensors header length {length:,} is beyond the file or the {MAX_SAFETENSORS_HEADER:,}-byte limit",
                    "the file is truncated or not a safetensors file",
                )
            if length > limit:
                raise InputError(
                    shown,
                    None,
                    None,
                    f"the safetensors headers of this folder are longer than {MAX_SAFETENSORS_HEADER:,} bytes together",
                    "real headers are a few MB in all; the folder is not a model's weights",
                )
            raw = handle.read(length)
    except OSError as exc:
        raise InputError(shown, None, None, f"cannot read the file: {exc.strerror or exc}") from None
    header = _header_json(raw, shown)
    total = 0
    for name, tensor in header.items():
        if name == "__metadata__":
            continue
        shape = tensor.get("shape") if isinstance(tensor, dict) else None
        if not isinstance(shape, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape
        ):
            raise InputError(
                shown, None, None, f"tensor '{name}' has no valid shape in the safetensors header"
            )
        if len(shape) > MAX_DIMENSIONS:
            raise InputError(
                shown,
                None,
                None,
                f"tensor '{name}' has {len(shape):,} dimensions, more than {MAX_DIMENSIONS}",
                "the file is damaged or not a model's weights",
            )
        total += _elements(shape, name, shown)
        if total > MAX_PARAMETERS:
            raise InputError(shown, None, None, f"the header claims more than {MAX_PARAMETERS:,} parameters")
    return total, length


def _header_json(raw: bytes, shown: str) -> dict[str, Any]:
    try:
        header = loads(raw.decode("utf-8"), shown)
    except UnicodeDecodeError:
        raise InputError(shown, None, None, "safetensors header is not valid JSON") from None
    except InputError as exc:  # positions in a binary file's header mean little: not shown
        message = "safetensors header is not valid JSON"
        if not exc.message.startswith("invalid JSON"):
            message = f"safetensors header: {exc.message}"
        raise InputError(shown, None, None, message, exc.hint) from None
    if not isinstance(header, dict):
        raise InputError(shown, None, None, "safetensors header must be a JSON object")
    return header


def _elements(shape: list[int], name: str, shown: str) -> int:
    """Elements of a tensor; a product past MAX_PARAMETERS is refused as soon as it gets there."""
    count = 1
    for dimension in shape:
        count *= dimension
        if count > MAX_PARAMETERS:
            raise InputError(
                shown, None, None, f"tensor '{name}' claims more than {MAX_PARAMETERS:,} elements"
            )
    return count


def download_hub_folder(repo_id: str) -> Path:
    """The metadata files of a Hub repo in the local cache (optional extra `hub`).

    Honours HF_HUB_OFFLINE=1 (cache only); only README.md, config.json and the shard index are
    fetched, never weights, so no parameter count comes from the Hub.
    """
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise InputError(
            repo_id,
            None,
            None,
            "reading a model from the Hugging Face Hub needs the optional extra `hub`",
            "pip install 'ai-model-licensecheck[hub]', or download the model and give its folder",
        ) from None
    offline = os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")
    try:
        folder = snapshot_download(
            repo_id,
            allow_patterns=["README.md", "config.json", "adapter_config.json"],
            local_files_only=offline,
        )
    except Exception as exc:  # the hub raises many types (network, auth, gating, cache miss)
        raise InputError(
            repo_id,
            None,
            None,
            f"cannot read the model from the Hugging Face Hub: {type(exc).__name__}",
            str(exc)[:300],
        ) from None
    return Path(folder)
