"""Component licence packs (issue 16): every duty carries a verbatim quote of the text read, whose sha256 is recorded.

The texts (SPDX License List copies, Meta's OPT-175B file) are not in the repository. Give folders
holding them as `<pack id>.txt` in LICENSECHECK_LICENCE_TEXTS (os.pathsep-separated, as for the licence
fingerprints' tests), or put them in ../shared/reference/texts, and the quotes are checked word for word (whitespace collapsed) against the file whose sha256 the pack's notes
name; without them only the checks that need no text run.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

PACKS = ROOT / "rules" / "licenses"
SHARED_TEXTS = ROOT.parent / "shared" / "reference" / "texts"
# Packs whose text was read whole: their notes name the file's sha256, and duties quote it.
READ_WHOLE = (
    "gpl-2.0",
    "gpl-3.0",
    "agpl-3.0",
    "lgpl-2.1",
    "lgpl-3.0",
    "mpl-2.0",
    "bsd-2-clause",
    "bsd-3-clause",
    "cc0-1.0",
    "cc-by-4.0",
    "cc-by-sa-4.0",
    "cc-by-nd-4.0",
    "cc-by-nc-sa-4.0",
    "cc-by-nc-nd-4.0",
    "odc-by-1.0",
    "pddl-1.0",
    "opt-175b",
)
# Packs whose text was not read whole: reviews only, never a violation, no quote to check.
NOT_READ = ("ai2-impact-lr", "ai2-impact-mr", "ai2-impact-hr")
SHA256 = re.compile(r"\bsha256 ([0-9a-f]{64})\b")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _pack(pack_id: str) -> dict[str, object]:
    document: dict[str, object] = yaml.safe_load((PACKS / f"{pack_id}.yaml").read_text(encoding="utf-8"))
    return document


def _rules(pack_id: str) -> list[dict[str, object]]:
    rules: list[dict[str, object]] = _pack(pack_id)["rules"]  # type: ignore[assignment]
    return rules


def _notes(pack_id: str) -> str:
    meta: dict[str, object] = _pack(pack_id)["pack"]  # type: ignore[assignment]
    return _collapse(str(meta.get("notes", "")))


def _text_file(pack_id: str) -> Path | None:
    folders = [SHARED_TEXTS] + [
        Path(p) for p in os.environ.get("LICENSECHECK_LICENCE_TEXTS", "").split(os.pathsep) if p
    ]
    return next((f / f"{pack_id}.txt" for f in folders if (f / f"{pack_id}.txt").is_file()), None)


@pytest.mark.parametrize("pack_id", READ_WHOLE)
def test_notes_name_the_source_and_sha256_of_the_text_read(pack_id: str) -> None:
    notes = _notes(pack_id)
    assert "https://" in notes
    assert SHA256.search(notes), f"{pack_id}: notes name no sha256 of the text read"


@pytest.mark.parametrize("pack_id", READ_WHOLE)
def test_every_violation_and_obligation_quotes_its_clause(pack_id: str) -> None:
    unquoted = [
        r["id"] for r in _rules(pack_id) if r["outcome"] in ("violation", "obligation") and not r.get("quote")
    ]
    assert unquoted == []
    too_long = [r["id"] for r in _rules(pack_id) if len(_collapse(str(r.get("quote", "")))) > 400]
    assert too_long == []


@pytest.mark.parametrize("pack_id", NOT_READ)
def test_packs_of_unread_texts_only_ask_for_review(pack_id: str) -> None:
    assert {r["outcome"] for r in _rules(pack_id)} == {"review"}
    assert {r["confidence"] for r in _rules(pack_id)} <= {"S", "U"}


@pytest.mark.parametrize("pack_id", READ_WHOLE)
def test_quotes_are_verbatim_in_the_text_read(pack_id: str) -> None:
    path = _text_file(pack_id)
    if path is None:
        pytest.skip(f"no {pack_id}.txt in {SHARED_TEXTS} or LICENSECHECK_LICENCE_TEXTS")
    raw = path.read_bytes()
    lines = raw.decode("utf-8").split("\n")
    if len(lines) > 5 and lines[4] == "---":  # a reference text: 4-line header, then the text unchanged
        body = "\n".join(lines[5:])
    else:
        assert hashlib.sha256(raw).hexdigest() in _notes(pack_id), (
            f"{path} is not the file the pack was read from"
        )
        body = raw.decode("utf-8")
    text = _collapse(body)
    quoted = [r for r in _rules(pack_id) if r.get("quote")]
    assert quoted
    missing = [r["id"] for r in quoted if _collapse(str(r["quote"])) not in text]
    assert missing == []


def test_a_changed_word_is_not_verbatim() -> None:
    """The comparison can fail: one word changed in a real quote is not found."""
    path = _text_file("cc-by-nd-4.0")
    if path is None:
        pytest.skip("no cc-by-nd-4.0.txt to compare with")
    text = _collapse(path.read_text(encoding="utf-8"))
    assert "produce and reproduce, but not Share, Adapted Material." in text
    assert "produce and reproduce, and Share, Adapted Material." not in text
