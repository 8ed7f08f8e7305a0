"""Which bundled licence a LICENSE file (or a model card's licence section) is, by its text."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache
from pathlib import Path

# Word 5-grams: long enough that two licences sharing stock phrases ("to the extent permitted by
# applicable law") still differ, short enough that one changed word costs only 5 shingles, so a
# version name repeated through a text (Llama 3.1 / 3.2 / 3.3) separates the editions.
SHINGLE_WORDS = 5
HASH_BYTES = 3  # 24-bit hashes: a foreign shingle collides with a 4,000-shingle text 1 in 4,000 times
FORMAT = 1
FINGERPRINTS = Path(__file__).with_name("licence_fingerprints.json")

# Bounds for hostile input: a licence is a few thousand words (the longest bundled one 4,000);
# a file is read up to MAX_TEXT_BYTES and a text compared up to MAX_WORDS words, so the work is
# linear and capped whatever the file holds.
MAX_TEXT_BYTES = 1024 * 1024
MAX_WORDS = 100_000

# Bands, from the measurements printed by benchmarks/licence_text_scores.py (README, "Licence
# texts"). A text is identified when at most NOISE_SHINGLES of its shingles are not in the licence
# text and at most as many of the licence text's are missing from it: one changed or dropped
# word (5 shingles), a title of up to 8 words before the text; an inserted clause of 5 words is
# already a modified text. Whatever differs is listed either way. The closest bundled texts
# differ in 29 shingles (two editions of Open RAIL++-M; two of the Gemma terms), the closest two
# licences in 52 (CreativeML Open RAIL-M and Open RAIL++-M, Jaccard 0.976): they are told apart
# by the shingles only one of them has.
NOISE_SHINGLES = 8
# Below the identified band, a text sharing at least half its shingles with a licence text (or
# holding nearly all of one, e.g. Apache-2.0 with a use policy appended) is a modified text of
# it. Unrelated bundled texts share at most 0.15; texts built on one another 0.53 to 0.98.
MODIFIED_AT = 0.50
CONTAINED_AT = 0.90
# Runner-ups within this Jaccard distance of the best are checked for being indistinguishable.
AMBIGUOUS_WITHIN = 0.10
# A second contained text sharing this much with the chosen one is an edition of it, not a part.
OVERLAP_SAME_TEXT = 0.5
# A paragraph of the original with less than this share of its shingles in the text is missing.
PARAGRAPH_PRESENT = 0.5
MAX_REGIONS = 20

_WORD = re.compile(r"[^\W_]+")
# List and section markers at the start of a line are dropped: copies renumber lists ("a." in
# one, "1." in another) and Markdown renders them as it likes.
_MARKER = re.compile(
    r"^[\s>#*_+\-\u2022|]*(?:(?:\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}[.)]|\(\d{1,3}\)|\(?[a-z][.)]|\(?[ivxlc]{1,6}[.)])(?=\s|$)[\s*_]*)+",
    re.IGNORECASE,
)
# Links are dropped: copies render them differently (Markdown link, bare URL, plain text).
_URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']*", re.IGNORECASE)
# British and American spellings of the same word compare equal (SPDX matching guideline 8).
_EQUIVALENT = {
    "licence": "license",
    "licences": "licenses",
    "licenced": "licensed",
    "licencing": "licensing",
    "licencee": "licensee",
    "licencor": "licensor",
}
# What makes a line starting with "copyright" a notice rather than wrapped licence text.
_NOTICE = re.compile(
    r"\b(?:19|20)\d\d\b|\(c\)|©|yyyy|<year>|\[year\]|rights reserved"
    r"|\b(?:inc|ltd|llc|gmbh|corp|corporation|affiliates|authors|contributors)\b",
    re.IGNORECASE,
)
_SENTENCE_END = (".", ":", ";", "!", "?", '"', "\u201d", ")")
_LABEL = re.compile(r"^[\s#>*_\-]*(\(?(?:[0-9]{1,2}(?:\.[0-9]{1,2})*|[a-z]|[ivx]{1,5})[.)])\s", re.IGNORECASE)
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LICENCE_HEADING = re.compile(r"\blicen[cs](?:e|es|ing)\b", re.IGNORECASE)


class Band(Enum):
    """How far a text is from the nearest bundled licence text."""

    IDENTIFIED = "identified"
    MODIFIED = "modified"
    UNRECOGNISED = "unrecognised"


@dataclass(frozen=True)
class Region:
    """Lines of the given text that are not in the licence text (added, changed or a cut)."""

    first_line: int
    last_line: int
    words: int  # words of the given text in the region; 0 where text of the original was cut out

    def describe(self) -> str:
        lines = (
            f"line {self.first_line}"
            if self.first_line == self.last_line
            else (f"lines {self.first_line}-{self.last_line}")
        )
        if self.words == 0:
            return f"{lines} (text of the original removed here)"
        return f"{lines} ({self.words} word{'s' if self.words != 1 else ''} not in the original)"


@dataclass(frozen=True)
class MissingPart:
    """A paragraph of the licence text that the given text lacks (or rewrote)."""

    paragraph: int  # 1-based, counted in the original
    label: str | None  # its own numbering ("4.", "(b)") when it starts with one
    near: str | None = None  # else the numbering of the next numbered paragraph ("before 1.")

    def describe(self) -> str:
        if self.label:
            return f"paragraph {self.paragraph} ({self.label})"
        return f"paragraph {self.paragraph}" + (f" ({self.near})" if self.near else "")


@dataclass(frozen=True)
class Fingerprint:
    """One bundled licence text as hashed word shingles, with what it is."""

    id: str
    license: str | None  # the bundled pack's licence id; None when no pack encodes the text
    version: str
    name: str
    part: str  # "licence", "use-policy" or "terms"
    partial: bool  # the bundled copy lacks parts of the text
    source: str
    shingles: tuple[int, ...]  # in text order
    paragraphs: tuple[int, ...]  # index of each paragraph's first shingle
    labels: tuple[str | None, ...]
    optional: frozenset[int]  # shingles a copy may include or leave out (Apache's appendix)
    unique: frozenset[int]
    parts: tuple[str, ...] = ()  # for a licence shipped with its use policy: the texts joined

    def title(self) -> str:
        return f"{self.name} ({self.version})"


@dataclass(frozen=True)
class Score:
    """Similarity of a text to one fingerprint."""

    text_id: str
    jaccard: float  # shared shingles over all shingles of both
    containment: float  # share of the licence text's shingles found in the text
    added: int  # shingles of the text not in the licence text (its optional part aside)
    removed: int  # shingles of the licence text not in the text


@dataclass(frozen=True)
class Identification:
    """What a text is: a bundled licence text, a modified one, or unrecognised."""

    band: Band
    text_id: str | None  # the fingerprint matched (None when unrecognised)
    license: str | None  # bundled pack licence id (None when unrecognised or not encoded)
    version: str | None
    name: str | None
    score: float  # Jaccard similarity to the matched (or nearest) text, 0..1
    containment: float
    nearest: str | None  # nearest fingerprint even when unrecognised, for the message
    alternatives: tuple[str, ...] = ()  # other texts the text cannot be told apart from
    also: tuple[str, ...] = ()  # other bundled texts the text holds whole (a use policy appended)
    changed: tuple[Region, ...] = ()
    more_changes: int = 0  # regions beyond those listed
    missing: tuple[MissingPart, ...] = ()
    truncated: bool = False
    reason: str = ""  # why a text was not compared (binary, not a regular file, no words)

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)

    @property
    def exact(self) -> bool:
        """Identified with nothing added, changed or missing (after normalisation)."""
        return self.band is Band.IDENTIFIED and not (self.changed or self.missing)

    def describe(self) -> str:
        """One sentence for a report: what the text is and, if modified, where it differs."""
        if self.reason:
            return f"unrecognised licence text: {self.reason}"
        if self.band is Band.UNRECOGNISED:
            near = f" (nearest: {self.nearest}, similarity {self.score:.2f})" if self.nearest else ""
            return f"unrecognised licence text{near}"
        what = f"the {self.name} ({self.version})"
        if self.band is Band.IDENTIFIED:
            text = f"text of {what}"
        else:
            text = f"modified text of {what}, similarity {self.score:.2f}"
        if self.alternatives:
            text += "; it matches " + ", ".join(self.alternatives) + " as closely"
        if self.also:
            text += "; it also holds the text of " + ", ".join(self.also)
        details = [r.describe() for r in self.changed]
        if self.more_changes:
            details.append(f"{self.more_changes} more region{'s' if self.more_changes != 1 else ''}")
        if details:
            text += "; differs at " + ", ".join(details)
        if self.missing:
            text += (
                "; missing or rewritten: "
                + ", ".join(m.describe() for m in self.missing)
                + " of the original"
            )
        if self.truncated:
            text += f"; only the first {MAX_TEXT_BYTES // 1024} KB / {MAX_WORDS:,} words were read"
        if self.license is None and self.band is Band.IDENTIFIED:
            text += "; no bundled pack encodes it"
        return text


def words(text: str) -> tuple[list[str], list[int]]:
    """Normalised words of a text and the 1-based line of each.

    Lower case, letters and digits only (punctuation, Markdown and layout never count), British
    spellings mapped to American ones, and copyright notice lines dropped: they name the holder
    and year, not the terms.
    """
    found: list[str] = []
    lines: list[int] = []
    # A notice starts a paragraph (or follows another notice); a line starting "Copyright" in the
    # middle of a sentence is licence text (Llama 2's required "Copyright (c) Meta ..." notice).
    starts_paragraph = True
    for number, line in enumerate(text.splitlines(), 1):
        tokens = _WORD.findall(_URL.sub(" ", _MARKER.sub(" ", line.lower())))
        if not tokens:
            starts_paragraph = True
            continue
        notice = tokens[0] == "copyright" or tokens[:2] == ["portions", "copyright"]
        if starts_paragraph and notice and len(tokens) <= 24 and _NOTICE.search(line):
            continue
        starts_paragraph = line.rstrip().endswith(_SENTENCE_END)
        for token in tokens:
            found.append(_EQUIVALENT.get(token, token))
            lines.append(number)
    return found, lines


def shingles(tokens: Sequence[str]) -> list[int]:
    """24-bit hashes of every run of SHINGLE_WORDS words, in order (one for a shorter text)."""
    if not tokens:
        return []
    count = max(1, len(tokens) - SHINGLE_WORDS + 1)
    return [
        int.from_bytes(
            hashlib.blake2b(
                " ".join(tokens[i : i + SHINGLE_WORDS]).encode(), digest_size=HASH_BYTES
            ).digest(),
            "big",
        )
        for i in range(count)
    ]


def fingerprint_text(text: str, optional_from: str | None = None) -> dict[str, object]:
    """The stored form of a licence text: shingles, paragraph starts and labels, optional part.

    `optional_from` is a phrase after which the rest is optional in copies (Apache-2.0's
    appendix): its shingles neither count for nor against a copy.
    """
    lines = text.splitlines()
    cut = len(lines)
    if optional_from is not None:
        cut = next((i for i, line in enumerate(lines) if line.strip() == optional_from), len(lines))
    body = "\n".join(lines[:cut])
    tokens, token_lines = words(body)
    hashes = shingles(tokens)
    first_token: dict[int, int] = {}
    for index, number in enumerate(token_lines):
        first_token.setdefault(number, index)
    paragraphs: list[int] = []
    labels: list[str | None] = []
    previous_blank = True
    for number, line in enumerate(lines[:cut], 1):
        blank = not _WORD.search(line)
        start = first_token.get(number)
        if previous_blank and start is not None and start < len(hashes):
            paragraphs.append(start)
            match = _LABEL.match(line)
            labels.append(match.group(1) if match else None)
        previous_blank = blank
    # The optional part's shingles, and those spanning the cut, count neither for nor against.
    optional = sorted(set(shingles(words(text)[0])) - set(hashes)) if cut < len(lines) else []
    return {
        "shingles": pack_hashes(hashes),
        "paragraphs": paragraphs,
        "labels": labels,
        "optional": pack_hashes(optional),
    }


def pack_hashes(hashes: Iterable[int]) -> str:
    return base64.b64encode(b"".join(h.to_bytes(HASH_BYTES, "big") for h in hashes)).decode("ascii")


def unpack_hashes(data: str) -> tuple[int, ...]:
    raw = base64.b64decode(data)
    return tuple(int.from_bytes(raw[i : i + HASH_BYTES], "big") for i in range(0, len(raw), HASH_BYTES))


@lru_cache(maxsize=1)
def fingerprints() -> tuple[Fingerprint, ...]:
    """The bundled fingerprints (package data written by scripts/make_fingerprints.py)."""
    return load_fingerprints(FINGERPRINTS.read_text("utf-8"))


def load_fingerprints(document: str) -> tuple[Fingerprint, ...]:
    """Fingerprints from their JSON form, texts first, then the combinations they list."""
    data = json.loads(document)
    if data.get("format") != FORMAT or data.get("shingle_words") != SHINGLE_WORDS:
        raise ValueError(
            "licence fingerprints were made by another version: run scripts/make_fingerprints.py"
        )
    found: dict[str, Fingerprint] = {}
    for entry in data["texts"]:
        hashes = unpack_hashes(entry["shingles"])
        found[entry["id"]] = Fingerprint(
            id=entry["id"],
            license=entry["license"],
            version=entry["version"],
            name=entry["name"],
            part=entry["part"],
            partial=entry["partial"],
            source=entry["source"],
            shingles=hashes,
            paragraphs=tuple(entry["paragraphs"]),
            labels=tuple(entry["labels"]),
            optional=frozenset(unpack_hashes(entry["optional"])),
            unique=frozenset(hashes),
        )
    for entry in data["combinations"]:
        parts = [found[i] for i in entry["parts"]]
        shingles: tuple[int, ...] = ()
        paragraphs: tuple[int, ...] = ()
        for part in parts:
            paragraphs += tuple(len(shingles) + p for p in part.paragraphs)
            shingles += part.shingles
        found[entry["id"]] = Fingerprint(
            id=entry["id"],
            license=entry["license"],
            version=entry["version"],
            name=entry["name"],
            part="licence",
            partial=any(p.partial for p in parts),
            source=parts[0].source,
            shingles=shingles,
            paragraphs=paragraphs,
            labels=tuple(label for p in parts for label in p.labels),
            optional=frozenset(unpack_hashes(entry["joins"])).union(*(p.optional for p in parts)),
            unique=frozenset(shingles),
            parts=tuple(entry["parts"]),
        )
    return tuple(found.values())


def scores(text_shingles: frozenset[int], against: Iterable[Fingerprint]) -> list[Score]:
    """Jaccard and containment of a text's shingles against each fingerprint, best first."""
    result = []
    for fp in against:
        shared = len(text_shingles & fp.unique)
        own = len(text_shingles) - (len(text_shingles & fp.optional) if fp.optional else 0)
        union = own + len(fp.unique) - shared
        result.append(
            Score(
                fp.id,
                shared / union if union else 0.0,
                shared / len(fp.unique) if fp.unique else 0.0,
                own - shared,
                len(fp.unique) - shared,
            )
        )
    result.sort(key=lambda s: (-s.jaccard, -s.containment, s.text_id))
    return result


def identify(
    text: str,
    *,
    first_line: int = 1,
    max_chars: int = MAX_TEXT_BYTES,
    against: Sequence[Fingerprint] | None = None,
) -> Identification:
    """Identify a licence text against the bundled fingerprints (or `against`).

    At most `max_chars` characters and MAX_WORDS words are compared; a longer text is marked
    truncated and is at best a modified text (its unread rest may change the terms). Line numbers
    in the result count from `first_line` (a card's licence section reports card lines).
    """
    known = fingerprints() if against is None else tuple(against)
    truncated = len(text) > max_chars
    tokens, token_lines = words(text[:max_chars])
    if len(tokens) > MAX_WORDS:
        truncated = True
        del tokens[MAX_WORDS:], token_lines[MAX_WORDS:]
    if not tokens:
        return _unrecognised("the text has no words", truncated)
    hashes = shingles(tokens)
    text_set = frozenset(hashes)
    ranked = scores(text_set, known)
    by_id = {fp.id: fp for fp in known}
    best = _best(ranked)
    if best is None:
        nearest = ranked[0] if ranked else None
        return Identification(
            band=Band.UNRECOGNISED,
            text_id=None,
            license=None,
            version=None,
            name=None,
            score=nearest.jaccard if nearest else 0.0,
            containment=nearest.containment if nearest else 0.0,
            nearest=nearest.text_id if nearest else None,
            truncated=truncated,
        )
    fp = by_id[best.text_id]
    alternatives = _alternatives(text_set, best, ranked, by_id)
    also = _also_contained(text_set, fp, ranked, by_id)
    explained = fp.unique.union(*(by_id[i].unique for i in also)) if also else fp.unique
    added = len(text_set - explained - fp.optional)
    clean = added <= NOISE_SHINGLES and best.removed <= NOISE_SHINGLES
    same_licence = all(by_id[i].license == fp.license for i in (*alternatives, *also))
    band = Band.IDENTIFIED if clean and same_licence and not truncated else Band.MODIFIED
    regions = _changed_regions(hashes, token_lines, explained | fp.optional, first_line)
    return Identification(
        band=band,
        text_id=fp.id,
        license=fp.license,
        version=fp.version,
        name=fp.name,
        score=best.jaccard,
        containment=best.containment,
        nearest=fp.id,
        alternatives=alternatives,
        also=also,
        changed=tuple(regions[:MAX_REGIONS]),
        more_changes=max(0, len(regions) - MAX_REGIONS),
        missing=_missing_paragraphs(text_set, fp),
        truncated=truncated,
    )


def _best(ranked: list[Score]) -> Score | None:
    """The text a text is (a version of): the most similar one, or else one it holds whole."""
    if ranked and ranked[0].jaccard >= MODIFIED_AT:
        return ranked[0]
    contained = [s for s in ranked if s.containment >= CONTAINED_AT]
    return max(contained, key=lambda s: (s.containment, s.jaccard)) if contained else None


def _alternatives(
    text_set: frozenset[int], best: Score, ranked: list[Score], by_id: dict[str, Fingerprint]
) -> tuple[str, ...]:
    """Near-identical texts (another edition or licence) that the text cannot be told apart from.

    Close editions share almost every shingle (CreativeML Open RAIL-M and Open RAIL++-M differ in
    2%), so the score alone does not decide: a runner-up is ruled out when the text has shingles
    only the best one has and none that only the runner-up has.
    """
    chosen = by_id[best.text_id]
    found = []
    for other in ranked:
        if other.text_id == best.text_id or other.jaccard < best.jaccard - AMBIGUOUS_WITHIN:
            continue
        candidate = by_id[other.text_id]
        if (candidate.license, candidate.version) == (chosen.license, chosen.version):
            continue
        for_best = len(text_set & (chosen.unique - candidate.unique))
        for_other = len(text_set & (candidate.unique - chosen.unique))
        if for_best > 0 and for_other == 0:
            continue
        found.append(other.text_id)
    return tuple(found)


def _also_contained(
    text_set: frozenset[int], chosen: Fingerprint, ranked: list[Score], by_id: dict[str, Fingerprint]
) -> tuple[str, ...]:
    """Other bundled texts found whole in the text besides the chosen one (a licence + its AUP)."""
    found: list[str] = []
    for other in ranked:
        candidate = by_id[other.text_id]
        if candidate.id == chosen.id or other.containment < CONTAINED_AT:
            continue
        # A text mostly made of the chosen one's words (an earlier edition) is not a second text.
        if len(candidate.unique & chosen.unique) >= len(candidate.unique) * OVERLAP_SAME_TEXT:
            continue
        if any(
            len(candidate.unique & by_id[i].unique) >= len(candidate.unique) * OVERLAP_SAME_TEXT
            for i in found
        ):
            continue
        found.append(candidate.id)
    return tuple(found)


def _unrecognised(reason: str, truncated: bool = False) -> Identification:
    return Identification(
        band=Band.UNRECOGNISED,
        text_id=None,
        license=None,
        version=None,
        name=None,
        score=0.0,
        containment=0.0,
        nearest=None,
        truncated=truncated,
        reason=reason,
    )


def _changed_regions(
    hashes: list[int], token_lines: list[int], known: frozenset[int], first_line: int
) -> list[Region]:
    """Runs of the text's shingles absent from the licence text, as line ranges of the text.

    A run of unmatched shingles starting at words s..e means words s+4..e are new (added or
    changed); when that range is empty the run spans a cut, where words of the original were
    removed between word e and e+1.
    """
    runs: list[list[int]] = []
    for index, value in enumerate(hashes):
        if value in known:
            continue
        if runs and index - runs[-1][1] <= SHINGLE_WORDS:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    offset = first_line - 1
    regions = []
    last = len(token_lines) - 1
    for start, end in runs:
        new_first = start + SHINGLE_WORDS - 1 if start > 0 else 0
        new_last = end if end < len(hashes) - 1 else last
        if new_first <= new_last:
            first, final, count = (
                token_lines[new_first],
                token_lines[min(new_last, last)],
                new_last - new_first + 1,
            )
        else:
            first, final, count = token_lines[min(new_last, last)], token_lines[min(new_first, last)], 0
        regions.append(Region(first + offset, final + offset, count))
    return regions


def _missing_paragraphs(text_set: frozenset[int], fp: Fingerprint) -> tuple[MissingPart, ...]:
    missing = []
    bounds = (*fp.paragraphs, len(fp.shingles))
    for number, (start, end) in enumerate(itertools.pairwise(bounds), 1):
        own = set(fp.shingles[start:end])
        # A heading-sized paragraph has no shingles of its own: its absence is within the noise.
        if len(own) >= SHINGLE_WORDS and len(own & text_set) / len(own) < PARAGRAPH_PRESENT:
            missing.append(MissingPart(number, fp.labels[number - 1], _near(fp.labels, number - 1)))
    return tuple(missing)


def _near(labels: tuple[str | None, ...], index: int) -> str | None:
    """Where an unnumbered paragraph sits: before the next numbered one, else after the last."""
    following = next((label for label in labels[index + 1 :] if label), None)
    if following:
        return f"before {following}"
    previous = next((label for label in reversed(labels[:index]) if label), None)
    return f"after {previous}" if previous else None


def read_bounded(
    path: str | os.PathLike[str], max_bytes: int = MAX_TEXT_BYTES
) -> tuple[str | None, str, bool]:
    """A file's text read up to `max_bytes`: (text or None, why it is not text, truncated).

    A pipe, device or directory is never opened (a FIFO would block the read forever).
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None, "not a regular file", False
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes)
    except OSError as exc:
        return None, f"cannot read the file ({exc.strerror or exc})", False
    text = decode(raw)
    return text, "" if text is not None else "a binary file, not text", info.st_size > max_bytes


def identify_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_TEXT_BYTES) -> Identification:
    """Identify a LICENSE file: read at most `max_bytes`; binary and special files are refused."""
    text, reason, truncated = read_bounded(path, max_bytes)
    if text is None:
        return _unrecognised(reason, truncated)
    found = identify(text, max_chars=max_bytes)
    if truncated and not found.truncated:
        found = _with_truncation(found)
    return found


def _with_truncation(found: Identification) -> Identification:
    band = Band.MODIFIED if found.band is Band.IDENTIFIED else found.band
    return replace(found, band=band, truncated=True)


def decode(raw: bytes) -> str | None:
    """Text of a file's bytes (UTF-8, or UTF-16 with a byte-order mark); None when binary."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\0" in raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    # A few stray bytes (a Windows-1252 quote) are text; many are not.
    if text.count("\ufffd") > max(8, len(text) // 100):
        return None
    return text


def licence_section(card: str, max_chars: int = MAX_TEXT_BYTES) -> tuple[str, int] | None:
    """The licence section of a model card (Markdown) and its first line number, if it has one.

    The section runs from a heading naming the licence (included: it is often the licence's
    title) to the next heading of the same or a higher level; headings in code fences do not count.
    """
    lines = card[:max_chars].splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        start = end + 1 if end is not None else 0
    fenced = False
    level = 0
    first = None
    for index in range(start, len(lines)):
        line = lines[index]
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        heading = _HEADING.match(line)
        if heading is None:
            continue
        depth = len(heading.group(1))
        if first is not None and depth <= level:
            return "\n".join(lines[first:index]), first + 1
        if first is None and _LICENCE_HEADING.search(heading.group(2)):
            # The heading is part of the section: it is often the licence's own title.
            first, level = index, depth
    if first is None:
        return None
    return "\n".join(lines[first:]), first + 1


def identify_card_section(card: str) -> Identification | None:
    """Identify the licence section of a model card; None when the card has none."""
    section = licence_section(card)
    if section is None:
        return None
    text, first_line = section
    return identify(text, first_line=first_line)
