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
from typing import TYPE_CHECKING, Any

from licensecheck.document import Document
from licensecheck.errors import InputError
from licensecheck.jsonsource import loads
from licensecheck.records import NamedTuple
from licensecheck.yamlsource import MAX_BYTES, MAX_NODES, parse_yaml, read_text

if TYPE_CHECKING:
    from licensecheck.cardlicence import TextFinding

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


# What a model takes and gives by the Hub task its card names (pipeline_tag), for a folder without
# config.json (which says it better: vision_config, audio_config). Tasks not listed say nothing.
_TEXT = ("text",)
PIPELINE_MODALITIES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "text-generation",
            "text2text-generation",
            "fill-mask",
            "feature-extraction",
            "sentence-similarity",
            "text-classification",
            "token-classification",
            "question-answering",
            "summarization",
            "translation",
            "zero-shot-classification",
            "table-question-answering",
            "text-ranking",
        ),
        _TEXT,
    ),
    **dict.fromkeys(
        ("image-text-to-text", "visual-question-answering", "image-to-text", "document-question-answering"),
        ("text", "vision"),
    ),
    **dict.fromkeys(("text-to-image", "image-to-image"), ("text", "image-generation")),
    **dict.fromkeys(("automatic-speech-recognition", "text-to-speech", "text-to-audio"), ("text", "audio")),
}


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
    """What a local model folder says about its model: card front matter, config.json, weights,
    licence files (licensecheck.cardlicence reads the licence out of them)."""

    id: str  # the folder's name
    path: str
    card_file: str  # README.md as messages name it
    license: str | None = None  # the first licence the card's labels name
    license_name: str | None = None
    licenses: tuple[str, ...] = ()  # every label: `license` items, else license_name, else tags
    license_source: str | None = None  # the field the labels come from ("`license`", ...)
    license_texts: tuple[TextFinding, ...] = ()  # LICENSE files, gate prompt, licence section
    gate_heading: str | None = None  # the licence the gate prompt's first line names
    gate_title: str | None = None  # extra_gated_heading ("Access Llama 2 on Hugging Face")
    base_models: tuple[str, ...] = ()
    base_positions: tuple[tuple[int, int] | None, ...] = ()  # where each base is named
    base_file: str | None = None  # where the bases are named when not in README.md
    relation: str | None = None  # base_model_relation, else adapter or quantization as inferred
    tags: tuple[str, ...] = ()
    gated: bool = False
    context_window: int | None = None
    architecture: str | None = None
    vocab_size: int | None = None
    modalities: tuple[str, ...] | None = None
    parameters_b: float | None = None
    weights_present: bool = False
    notes: tuple[str, ...] = ()  # what could not be read (front matter not YAML, LFS pointers)


def read_model_folder(folder: Path, budget: CardBudget | None = None, card_only: bool = False) -> ModelFolder:
    """Facts of a Hugging Face-style folder as it lies on disk after a download.

    `card_only`: only what lineage needs of a base model (card, licence files, and whether it is
    an adapter); its config and weights are not read. `budget`: shared by the cards of one lineage.
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
    modalities = config.get("modalities")
    if modalities is None and not card_only and card.get("pipeline_tag") in PIPELINE_MODALITIES:
        modalities = PIPELINE_MODALITIES[card["pipeline_tag"]]
    bases, positions, base_file = card.get("base_models", []), card.get("base_positions", []), None
    relation = card.get("relation")
    if folder_file(folder, "adapter_config.json") is not None:
        relation = relation or "adapter"
        base = None if bases else adapter_base(folder)
        if base is not None:  # the card names no base: the adapter's config does
            bases, positions, base_file = [base], [None], shown_path(folder, "adapter_config.json")
    if relation is None and quantized(card, config, folder):
        relation = "quantization"
    return ModelFolder(
        id=card.get("model_id") or folder.resolve().name,
        path=str(folder),
        card_file=card.get("card_file", str(folder)),
        license=card.get("license"),
        license_name=card.get("license_name"),
        licenses=tuple(card.get("licenses", ())),
        license_source=card.get("license_source"),
        license_texts=tuple(card.get("license_texts", ())),
        gate_heading=card.get("gate_heading"),
        gate_title=card.get("gate_title"),
        base_models=tuple(bases),
        base_positions=tuple(positions),
        base_file=base_file,
        relation=relation,
        tags=tuple(card.get("tags", ())),
        gated=card.get("gated", False),
        context_window=config.get("context_window"),
        architecture=config.get("architecture"),
        vocab_size=config.get("vocab_size"),
        modalities=tuple(modalities) if modalities is not None else None,
        parameters_b=round(params / 1e9, 3) if params is not None else None,
        weights_present=weights_present,
        notes=tuple(card.get("notes", ())) + tuple(config.get("notes", ())),
    )


def read_card(folder: Path, budget: CardBudget) -> dict[str, Any]:
    """Licence, base models, tags and gating from README.md's YAML front matter, and the licence
    the folder states (licensecheck.cardlicence). A card is third-party data: fields licensecheck
    does not read may hold anything YAML allows (`.nan`, a key written twice, `no`); the fields it
    reads are text as written, and one that is malformed is a located error. Front matter that is
    not YAML at all is a note in the report (the licence is then looked for elsewhere)."""
    from licensecheck.cardlicence import names_licence, read_labels, read_texts

    path = folder_file(folder, "README.md")
    if path is None:
        texts = read_texts(folder, folder_file, shown_path, None, None, False)
        return {"license_texts": texts} if texts else {}
    shown = shown_path(folder, "README.md")
    text = read_text(str(path), shown)
    budget.readme_bytes -= len(text)
    if budget.readme_bytes < 0:
        raise InputError(shown, None, None, *_over_budget(f"{MAX_CARDS_BYTES:,} characters of README.md"))
    out: dict[str, Any] = {"card_file": shown}
    data, doc = _front_matter(text, shown, budget, out)
    tags = _tags(doc, data)
    if tags:
        out["tags"] = tags
    labels = read_labels(doc, data, tags)
    if labels.licenses:
        out["licenses"] = list(labels.licenses)
        out["license_source"] = labels.source
        out["license"] = labels.licenses[0]
    for key in ("license_link", "pipeline_tag", "quantized_by"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    _check_used_once(doc)
    bases = _bases(doc, data)
    if bases:
        out["base_models"] = bases
        out["base_positions"] = [
            doc.where(("base_model",) if isinstance(data["base_model"], str) else ("base_model", i))
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
    gated = data.get("gated")
    out["gated"] = (
        isinstance(gated, str) and gated.strip().casefold() not in ("false", "no", "off", "")
    ) or any(k.startswith("extra_gated_") for k in data)
    title = data.get("extra_gated_heading")
    if isinstance(title, str) and title.strip():
        out["gate_title"] = title.strip()[:200]
    prompt = data.get("extra_gated_prompt")
    prompt = prompt if isinstance(prompt, str) and prompt.strip() else None
    if prompt is not None:
        from licensecheck.cardlicence import gate_heading

        out["gate_heading"] = gate_heading(prompt)
    texts = read_texts(folder, folder_file, shown_path, prompt, text, names_licence(labels.licenses))
    if texts:
        out["license_texts"] = texts
    return out


def _front_matter(
    text: str, shown: str, budget: CardBudget, out: dict[str, Any]
) -> tuple[dict[str, Any], Document]:
    """The card's front matter as third-party YAML (empty when it has none or it is not YAML)."""
    empty = Document(shown, {})
    match = FRONT_MATTER.match(text)
    if match is None:
        return {}, empty
    # Parse the text up to the closing '---': the opening '---' is a YAML document start, so
    # line and column numbers of the card are those of README.md.
    front = text[: match.end(2)]
    budget.front_matter_bytes -= len(front)
    if budget.front_matter_bytes < 0:
        raise InputError(shown, 1, 1, *_over_budget(f"{MAX_BYTES:,} characters of front matter"))
    nodes_hint = _over_budget(f"{MAX_NODES:,} YAML nodes")[1] if budget.nodes < MAX_NODES else None
    try:
        doc = parse_yaml(front, shown, max_nodes=budget.nodes, nodes_hint=nodes_hint, third_party=True)
    except InputError as exc:
        if not exc.message.startswith("invalid YAML"):  # size, depth, tags: refused as always
            raise
        out["notes"] = [
            f"{exc.location()}: the front matter is not YAML ({exc.message}); only its plain "
            "top-level license, license_name and base_model lines were read"
        ]
        return _plain_lines(front), empty
    budget.nodes -= doc.nodes
    if doc.data is None:
        return {}, doc
    if not isinstance(doc.data, dict):
        line, col = doc.where(())
        out["notes"] = [f"{shown}:{line}:{col}: the front matter is not a mapping of fields; not read"]
        return {}, empty
    return doc.data, doc


_PLAIN_LINE = re.compile(r"^(license|license_name|base_model):[ \t]*([\w./+-]+)[ \t]*$", re.MULTILINE)


def _plain_lines(front: str) -> dict[str, Any]:
    """`key: value` lines at the start of a line, for front matter that is not YAML as a whole."""
    found: dict[str, Any] = {}
    for match in _PLAIN_LINE.finditer(front):
        found.setdefault(match.group(1), match.group(2))
    return found


# Front-matter fields licensecheck reads: each must be written once.
USED_FIELDS = (
    "license",
    "license_name",
    "base_model",
    "base_model_relation",
    "tags",
    "gated",
    "extra_gated_prompt",
    "quantized_by",
)


def _check_used_once(doc: Document) -> None:
    for key in USED_FIELDS:
        if (key,) in doc.duplicates:
            line, col = doc.duplicates[(key,)]
            first, _ = doc.key_marks.get((key,), (0, 0))
            raise InputError(
                doc.name,
                line,
                col,
                f"`{key}` is written twice in the model card (first on line {first}): which applies is unclear",
                "keep one of them in the folder's README.md",
            )


def _tags(doc: Document, data: dict[str, Any]) -> list[str]:
    tags = data.get("tags")
    if tags is None:
        return []
    items = tags if isinstance(tags, list) else [tags]
    out = []
    for i, tag in enumerate(items):
        if tag is None:
            continue
        if not isinstance(tag, str):
            raise doc.error(
                ("tags", i) if isinstance(tags, list) else ("tags",), "`tags` must be a list of text"
            )
        out.append(tag)
    return out


def _bases(doc: Document, data: dict[str, Any]) -> list[str]:
    base = data.get("base_model")
    if base is None:
        return []
    bases = [base] if isinstance(base, str) else base
    if not isinstance(bases, list) or not all(isinstance(b, str) and b for b in bases):
        raise doc.error(("base_model",), "`base_model` must be a repo id or a list of repo ids")
    if len(bases) > MAX_BASES:
        raise doc.error(
            ("base_model", MAX_BASES),
            f"more than {MAX_BASES} base models",
            "a merge of this many models is not a lineage licensecheck can check; list the real bases",
        )
    return [b.strip() for b in bases]


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
    if _is_lfs_pointer(path):
        return {"notes": [f"{shown} is a Git LFS pointer, not the file: run `git lfs pull` in the folder"]}
    config = _read_json(path, shown)
    if not isinstance(config, dict):
        raise InputError(shown, 1, 1, "config.json must be a JSON object")
    out: dict[str, Any] = {}
    if isinstance(config.get("quantization_config"), dict):
        out["quantization_config"] = True
    vocabulary = config.get("vocab_size")
    if isinstance(vocabulary, int) and not isinstance(vocabulary, bool):
        out["vocab_size"] = vocabulary
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


def _is_lfs_pointer(path: Path) -> bool:
    """Whether a file is a Git LFS pointer (a clone without `git lfs pull`), not the file itself."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(LFS_POINTER)) == LFS_POINTER
    except OSError:
        return False


def adapter_base(folder: Path) -> str | None:
    """The base model a PEFT adapter's adapter_config.json names (`base_model_name_or_path`)."""
    path = folder_file(folder, "adapter_config.json")
    if path is None or _is_lfs_pointer(path):
        return None
    config = _read_json(path, shown_path(folder, "adapter_config.json"))
    base = config.get("base_model_name_or_path") if isinstance(config, dict) else None
    return base.strip() if isinstance(base, str) and base.strip() else None


# Tags and file names that mark quantized weights (GGUF, AWQ, GPTQ, bitsandbytes, EXL2, MLX 4-bit)
QUANTIZED_TAGS = re.compile(
    r"^(?:gguf|awq|gptq|exl2|bnb|bitsandbytes|4-bit|8-bit|4bit|8bit|quantized)$", re.I
)
# ... and in a repository's name: Llama-3.2-3B-Instruct-bnb-4bit, Mistral-7B-Instruct-v0.2-AWQ
QUANTIZED_NAME = re.compile(r"(?:^|[-_.])(?:gguf|awq|gptq|exl2|bnb|4bit|8bit|int4|int8)(?:$|[-_.])", re.I)
MAX_LISTED = 10_000


def quantized(card: dict[str, Any], config: dict[str, Any], folder: Path) -> bool:
    """Whether the folder holds a quantization of its base: quantization_config in config.json,
    a gguf/awq/gptq/bnb tag, `quantized_by` in the card, *.gguf files, or such a name."""
    if config.get("quantization_config") or card.get("quantized_by"):
        return True
    if QUANTIZED_NAME.search(card.get("model_id") or folder.resolve().name):
        return True
    if any(QUANTIZED_TAGS.match(tag) for tag in card.get("tags") or ()):
        return True
    try:
        with os.scandir(folder) as entries:
            for i, entry in enumerate(entries):
                if i >= MAX_LISTED:
                    break
                if entry.name.casefold().endswith(".gguf"):
                    return True
    except OSError:
        return False
    return False


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
