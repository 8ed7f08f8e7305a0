"""Where a model folder states its licence: card fields, licence tags, LICENSE files, gate prompt.

The fallback chain (README, "Checking a downloaded model folder"): the card's `license` (one tag, or a list whose
items all apply), else `license_name`, else `license:` tags; then the folder's LICENSE*/LICENCE*
files identified by their text (licensecheck.licensetext), then the licence the gate prompt
(`extra_gated_prompt`) holds or names in its heading, then the card's own licence section. A
LICENSE text that is identified decides the licence even over a card label that says otherwise
(a LINEAGE-LICENSE-MISMATCH review); a modified or unrecognised text is a review naming it. A
folder with none of them is a review that says so, never a silent pass.

Reading (`read_labels`, `read_texts`) needs no rule packs; `licence_facts` turns what was read
into model facts with the licence index (aliases) of the loaded packs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from licensecheck.document import Document
from licensecheck.licensetext import (
    Band,
    Identification,
    fingerprints,
    identify,
    identify_card_section,
    identify_file,
    read_bounded,
)
from licensecheck.records import NamedTuple

if TYPE_CHECKING:
    from licensecheck.hfmodel import ModelFolder

LFS_POINTER = b"version https://git-lfs"
# LICENSE, LICENSE.md, LICENCE.txt, LICENSE-MODEL, LICENSE_GEMMA.md; at most this many are read,
# each up to licensetext's byte bound.
LICENCE_FILE = re.compile(r"^licen[cs]e(?:$|[-_. ])", re.IGNORECASE)
# LICENSE-CODE, LICENSE_CODE.md: the licence of the code in the repository, not of the weights.
CODE_LICENCE = re.compile(r"code", re.IGNORECASE)
MAX_LICENCE_FILES = 8
# A heading or first line of a gate prompt that names a licence ("### LLAMA 3.2 COMMUNITY
# LICENSE AGREEMENT"): at most this long, so a sentence is not taken for a licence name.
_HEADING = re.compile(r"^\s{0,3}#{0,6}\s*(.{3,80}?)\s*#*\s*$")
_NAMES_LICENCE = re.compile(r"\b(?:licen[cs]e|terms)\b", re.IGNORECASE)
# `license:` tags on the Hub: `license:apache-2.0`
TAG_PREFIX = "license:"
# Labels that name no licence: the chain goes on, and they stand only if it finds nothing.
PLACEHOLDERS = frozenset({"other", "unknown"})


class TextFinding(NamedTuple):
    """A licence text found in the folder and what it was identified as."""

    where: str  # "LICENSE", "README.md extra_gated_prompt", "README.md licence section"
    kind: str  # "file", "gate" or "section"
    found: Identification


class Labels(NamedTuple):
    """The licences a card's front matter states, as written, and which field stated them."""

    licenses: tuple[str, ...] = ()  # every item; `other` replaced by license_name when given
    source: str | None = None  # "`license`", "`license_name`", "licence tags"


def _text_items(doc: Document, key: str, value: Any) -> list[str]:
    """A field holding one text or a list of texts (scalars were read as text); else an error."""
    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items):
        if item is None:
            continue
        if not isinstance(item, str):
            where = (key, i) if isinstance(value, list) else (key,)
            raise doc.error(
                where,
                f"`{key}` must be a licence tag or a list of licence tags",
                "write one licence tag or a list of them in the folder's README.md, e.g. `license: apache-2.0`",
            )
        if item.strip():
            out.append(item.strip())
    return out


def read_labels(doc: Document, data: dict[str, Any], tags: list[str]) -> Labels:
    """The card's licence labels: `license`, else `license_name`, else `license:` tags."""
    licenses = _text_items(doc, "license", data.get("license"))
    name = data.get("license_name")
    names = _text_items(doc, "license_name", name) if name is not None else []
    if licenses:
        if names:  # `other` stands for the licence license_name names
            licenses = [item for item in licenses if item.casefold() != "other"] + names
            licenses = list(dict.fromkeys(licenses))
        return Labels(tuple(licenses), "`license`")
    if names:
        return Labels(tuple(names), "`license_name`")
    tagged = [t[len(TAG_PREFIX) :].strip() for t in tags if t.casefold().startswith(TAG_PREFIX)]
    tagged = [t for t in tagged if t]
    if tagged:
        return Labels(tuple(dict.fromkeys(tagged)), "licence tags")
    return Labels()


def licence_files(folder: Path) -> list[str]:
    """Names of the folder's licence files for the weights, sorted, at most MAX_LICENCE_FILES."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(
                e.name for e in entries if LICENCE_FILE.match(e.name) and not CODE_LICENCE.search(e.name)
            )
    except OSError:
        return []
    return names[:MAX_LICENCE_FILES]


def read_texts(
    folder: Path,
    file_of: Callable[[Path, str], Path | None],
    shown: Callable[[Path, str], str],
    gate_prompt: str | None,
    card_text: str | None,
    labelled: bool,
) -> tuple[TextFinding, ...]:
    """Every licence text of the folder, identified: its LICENSE files, the gate prompt, and (only
    when nothing else states a licence) the card's licence section. `file_of` is the folder's
    safe file lookup (a link out of the folder is refused, licensecheck.hfmodel.folder_file)."""
    found: list[TextFinding] = []
    for name in licence_files(folder):
        path = file_of(folder, name)
        if path is None:
            continue
        head, _, _ = read_bounded(path, len(LFS_POINTER))
        if head is not None and head.encode() == LFS_POINTER:
            continue  # a Git LFS pointer: the text is not on disk
        found.append(TextFinding(shown(folder, name), "file", identify_file(path)))
    if gate_prompt:
        found.append(TextFinding("README.md extra_gated_prompt", "gate", identify(gate_prompt)))
    if card_text and not labelled and not any(f.found.band is not Band.UNRECOGNISED for f in found):
        section = identify_card_section(card_text)
        if section is not None:
            found.append(TextFinding("README.md licence section", "section", section))
    return tuple(found)


def gate_heading(prompt: str | None) -> str | None:
    """The licence a gate prompt names in its first non-empty line, when that line is a heading
    or a short title naming a licence ("LLAMA 3.2 COMMUNITY LICENSE AGREEMENT")."""
    if not prompt:
        return None
    for line in prompt.splitlines():
        if not line.strip():
            continue
        match = _HEADING.match(line)
        if match and _NAMES_LICENCE.search(match.group(1)) and not match.group(1).endswith("."):
            return match.group(1).strip("*_ ")
        return None
    return None


def names_licence(labels: Iterable[str]) -> bool:
    """Whether card labels name a licence: not only `other` or `unknown`."""
    return any(label.casefold() not in PLACEHOLDERS for label in labels)


@lru_cache(maxsize=1)
def fingerprinted_licences() -> frozenset[str]:
    """Licence ids with a bundled text: a LICENSE file not recognised as one of them is not theirs."""
    return frozenset(fp.license for fp in fingerprints() if fp.license)


def _text_licence(found: Identification) -> str | None:
    """The licence a text is (its pack licence id, else the bundled text's id), if identified."""
    return found.license or found.text_id


def licence_facts(card: ModelFolder, canonical: Callable[[str], str | None], shown_id: str) -> dict[str, Any]:
    """Model facts from what a folder states about its licence (see the module docstring).

    `card`: what read_model_folder read; `canonical`: licence id of a name (pack aliases) or None.
    Gives license (as declared, resolved later like any licence), license_name, license_source,
    card_licenses (several), license_text_modified / license_text_unrecognised (reviews),
    license_text_differs (the text decides over a different label) and license_missing.
    """
    given = card.licenses
    labels = given if names_licence(given) else ()
    texts = card.license_texts
    out: dict[str, Any] = {}
    label_ids = {canonical(label) for label in labels} - {None}
    files = [t for t in texts if t.kind == "file"]
    decided = [t for t in files if t.found.band is Band.IDENTIFIED and not t.found.ambiguous]
    text_ids = list(dict.fromkeys(lic for t in decided if (lic := _text_licence(t.found))))
    modified = [t for t in texts if t.kind != "gate" and t.found.band is Band.MODIFIED]
    out["license_text_modified"] = [f"{t.where}: {t.found.describe()}" for t in modified] or None
    unrecognised = [
        t
        for t in files
        if t.found.band is Band.UNRECOGNISED
        and (not labels or not label_ids or label_ids & fingerprinted_licences())
    ]
    out["license_text_unrecognised"] = [f"{t.where}: {t.found.describe()}" for t in unrecognised] or None
    if labels:
        out["license_source"] = f"{card.card_file} {card.license_source}"
        declared = list(labels)
        label = ", ".join(labels)
        differs = [lic for lic in text_ids if lic not in label_ids and canonical(lic) not in label_ids]
        if differs:  # the text decides: the licence the LICENSE file is, not the label
            shown = [t for t in decided if _text_licence(t.found) in differs]
            out["license_text_differs"] = [
                f"the card says '{label}' but {t.where} is the text of the {t.found.name} ({t.found.version})"
                for t in shown
            ]
            out["license_source"] = ", ".join(t.where for t in shown) + " (licence text)"
            declared = differs
        else:
            gate = _gate_licence(texts, card.gate_heading, canonical)
            if gate is not None and label_ids and canonical(gate) not in label_ids:
                out["license_text_differs"] = [
                    f"the card says '{label}' but its gate prompt holds the terms of {gate}"
                ]
        out["license"] = declared[0]
        out["card_licenses"] = declared if len(declared) > 1 else None
        return out
    if text_ids:
        out["license"] = text_ids[0]
        out["card_licenses"] = text_ids if len(text_ids) > 1 else None
        out["license_source"] = ", ".join(t.where for t in decided) + " (licence text)"
        return out
    gate = _gate_licence(texts, card.gate_heading, canonical)
    if gate is not None:
        out["license"] = gate
        out["license_source"] = "README.md extra_gated_prompt"
        return out
    section = [t for t in texts if t.kind == "section" and t.found.band is Band.IDENTIFIED]
    if section and (lic := _text_licence(section[0].found)):
        out["license"] = lic
        out["license_source"] = "README.md licence section (licence text)"
        return out
    if given:  # `other` or `unknown` and nothing else: their own rules say so
        out["license"] = given[0]
        out["license_source"] = f"{card.card_file} {card.license_source}"
    elif not (modified or unrecognised):
        out["license_missing"] = _missing(card, shown_id)
    return out


def _gate_licence(
    texts: Iterable[TextFinding], heading: str | None, canonical: Callable[[str], str | None]
) -> str | None:
    """The licence the gate prompt holds (its text, identified or modified) or names (its heading)."""
    for text in texts:
        if text.kind == "gate" and text.found.band is not Band.UNRECOGNISED:
            licence = _text_licence(text.found)
            if licence:
                return licence
    if heading and canonical(heading):
        return heading
    return None


def _missing(card: ModelFolder, shown_id: str) -> str:
    """What the folder was searched for, for the no-licence review."""
    has_card = os.path.basename(card.card_file) == "README.md"
    where = (
        f"{card.card_file} has no `license`, `license_name` or licence tag" if has_card else "no README.md"
    )
    return f"{shown_id}: {where}, no LICENSE file and no licence in a gate prompt or licence section"
