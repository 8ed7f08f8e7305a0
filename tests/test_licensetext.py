"""Licences identified from their text: bundled fingerprints, bands, changed regions, bounds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from licensecheck import licensetext
from licensecheck.identify_cli import identify_licence
from licensecheck.licensetext import Band, identify, identify_card_section, identify_file

ROOT = Path(__file__).resolve().parent.parent
# The verbatim texts are not shipped: ../shared/reference/texts holds them in the project's
# workspace; LICENSECHECK_LICENCE_TEXTS (folders, os.pathsep-separated) adds more, e.g. the
# Apache-2.0 and MIT files the fingerprints were made from.
TEXT_DIRS = [ROOT.parent / "shared" / "reference" / "texts"] + [
    Path(p) for p in os.environ.get("LICENSECHECK_LICENCE_TEXTS", "").split(os.pathsep) if p
]
# Debian ships the apache.org file byte for byte; GPL-3.0 and MPL-2.0 are unrelated licences.
SYSTEM_TEXTS = {"apache-2.0": Path("/usr/share/common-licenses/Apache-2.0")}
GPL3 = Path("/usr/share/common-licenses/GPL-3")
MPL2 = Path("/usr/share/common-licenses/MPL-2.0")
FINGERPRINTS = {fp.id: fp for fp in licensetext.fingerprints()}
TEXT_IDS = sorted(i for i, fp in FINGERPRINTS.items() if not fp.parts)
# Two pages of Cohere's docs hold the same words under two names (renamed 2025-04-15).
SAME_WORDS = {
    "c4ai-acceptable-use": "cohere-labs-acceptable-use",
    "cohere-labs-acceptable-use": "c4ai-acceptable-use",
}
CLAUSE = (
    "The Licensee shall pay the Licensor a royalty of ten percent of all gross revenue derived from any "
    "use of the Materials, reported quarterly in writing to the Licensor's nominated auditor."
)


def reference_text(text_id: str) -> str:
    """The verbatim text of a bundled fingerprint, or skip the test when it is not on this machine."""
    for directory in TEXT_DIRS:
        path = directory / f"{text_id}.txt"
        if path.is_file():
            return path.read_text("utf-8").partition("\n---\n")[2]
    system = SYSTEM_TEXTS.get(text_id)
    if system is not None and system.is_file():
        return system.read_text("utf-8")
    pytest.skip(
        f"the verbatim text of {text_id} is not here (looked in {', '.join(map(str, TEXT_DIRS))}; "
        "set LICENSECHECK_LICENCE_TEXTS to a folder holding it)"
    )


def test_every_fingerprint_names_a_bundled_pack_licence_or_none() -> None:
    licences = set()
    for path in (ROOT / "rules" / "licenses").glob("*.yaml"):
        if not path.name.endswith(".tests.yaml"):
            licences.add(yaml.safe_load(path.read_text("utf-8"))["pack"].get("license"))
    assert {"apache-2.0", "mit", "llama3.1", "gemma"} <= {fp.license for fp in FINGERPRINTS.values()}
    for fp in FINGERPRINTS.values():
        assert fp.license is None or fp.license in licences, fp.id
        assert fp.version and fp.name and len(fp.unique) > 0, fp.id


def test_the_package_ships_fingerprints_not_texts() -> None:
    document = json.loads(licensetext.FINGERPRINTS.read_text("utf-8"))
    for entry in document["texts"]:
        assert set(entry) == {
            "id",
            "license",
            "version",
            "name",
            "part",
            "partial",
            "source",
            "shingles",
            "paragraphs",
            "labels",
            "optional",
        }
    assert "Llama Materials" not in licensetext.FINGERPRINTS.read_text("utf-8")


@pytest.mark.parametrize("text_id", TEXT_IDS)
def test_the_committed_fingerprint_is_made_from_the_text(text_id: str) -> None:
    """A changed reference text without a regenerated fingerprint fails here (scripts/make_fingerprints.py)."""
    text = reference_text(text_id)
    fp = FINGERPRINTS[text_id]
    optional_from = {
        "apache-2.0": "END OF TERMS AND CONDITIONS",
        "llama3": "Meta Llama 3 Acceptable Use Policy",
    }
    made = licensetext.fingerprint_text(text, optional_from.get(text_id))
    assert licensetext.unpack_hashes(str(made["shingles"])) == fp.shingles
    assert tuple(made["paragraphs"]) == fp.paragraphs  # type: ignore[arg-type]


@pytest.mark.parametrize("text_id", TEXT_IDS)
def test_each_bundled_text_is_identified_as_itself(text_id: str) -> None:
    found = identify(reference_text(text_id))
    assert found.band is Band.IDENTIFIED, found.describe()
    assert found.license == FINGERPRINTS[text_id].license
    if text_id in SAME_WORDS:
        # Two pages holding the same words cannot be told apart: the result says so.
        assert {found.text_id, *found.alternatives} == {text_id, SAME_WORDS[text_id]}
    else:
        # Versions are told apart: no other edition or licence is as close.
        assert (found.text_id, found.score, found.alternatives) == (text_id, 1.0, ())
        assert (found.changed, found.missing) == ((), ())


@pytest.mark.parametrize(
    "text_id, others",
    [
        ("llama3.1", {"llama3.2", "llama3.3", "llama4"}),
        ("llama3.2", {"llama3.1", "llama3.3", "llama4"}),
        ("llama3.3", {"llama3.1", "llama3.2", "llama4"}),
        ("gemma-20240221", {"gemma-20240401", "gemma-20250324", "gemma"}),
        ("gemma-20240401", {"gemma-20240221", "gemma-20250324", "gemma"}),
        ("creativeml-openrail-m", {"openrail++", "openrail++-20230726"}),
        ("openrail++", {"creativeml-openrail-m", "openrail++-20230726"}),
    ],
)
def test_near_identical_editions_are_told_apart_even_when_modified(text_id: str, others: set[str]) -> None:
    """Llama 3.1/3.2/3.3 differ in about 90 of 1,200 shingles: a modified copy still names its edition."""
    edited = replace_middle_paragraph(reference_text(text_id), CLAUSE)[0]
    found = identify(edited)
    assert found.band is Band.MODIFIED
    assert found.text_id == text_id
    assert not set(found.alternatives) & others


def replace_middle_paragraph(text: str, new: str) -> tuple[str, int]:
    """The text with a mid-sized middle paragraph replaced by `new`; the 1-based line it is on."""
    lines = text.splitlines()
    spans, start = [], None
    for index, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = index
        elif not line.strip() and start is not None:
            spans.append((start, index - 1))
            start = None
    sized = [s for s in spans if 20 <= len(" ".join(lines[s[0] : s[1] + 1]).split()) <= 120]
    first, last = sized[len(sized) // 2]
    return "\n".join([*lines[:first], new, *lines[last + 1 :]]), first + 1


@pytest.mark.parametrize(
    "text_id", ["llama3.1", "apache-2.0", "gemma-20250324", "bigscience-openrail-m", "mit"]
)
def test_one_clause_changed_is_a_modified_text_naming_the_region(text_id: str) -> None:
    text = reference_text(text_id)
    if text_id == "mit":
        lines = text.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("The above copyright notice"))
        edited = "\n".join([*lines[:at], CLAUSE, *lines[at + 2 :]])
        line = at + 1
    else:
        edited, line = replace_middle_paragraph(text, CLAUSE)
    found = identify(edited)
    assert found.band is Band.MODIFIED, found.describe()
    assert found.text_id == text_id and found.license == FINGERPRINTS[text_id].license
    assert licensetext.MODIFIED_AT <= found.score < 1.0
    assert any(r.first_line <= line <= r.last_line and r.words > 0 for r in found.changed), found.changed
    assert found.missing, "the rewritten paragraph of the original is named"
    assert f"line {line}" in found.describe() or f"lines {line}" in found.describe()


def test_a_dropped_paragraph_is_named_by_its_number_in_the_original() -> None:
    text = reference_text("apache-2.0")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("6. Trademarks."))
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())
    found = identify("\n".join([*lines[:start], *lines[end + 1 :]]))
    assert found.band is Band.MODIFIED
    assert [m.label for m in found.missing] == ["6."]
    assert any(r.words == 0 and r.first_line <= start + 1 <= r.last_line + 1 for r in found.changed)


def test_copyright_lines_a_missing_appendix_and_reflowed_text_still_identify_apache() -> None:
    text = reference_text("apache-2.0")
    filled = text.replace("Copyright [yyyy] [name of copyright owner]", "Copyright 2024 Example Labs GmbH")
    without_appendix = text.split("END OF TERMS AND CONDITIONS")[0]
    reflowed = "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))
    for variant in (filled, without_appendix, reflowed, text.upper(), "Apache License\n\n" + text):
        found = identify(variant)
        assert (found.band, found.license) == (Band.IDENTIFIED, "apache-2.0"), found.describe()


def test_apache_with_an_appended_use_policy_is_not_plain_apache() -> None:
    apache = reference_text("apache-2.0")
    policy = (
        "\n\nACCEPTABLE USE POLICY\n\n"
        "You agree not to use the Model or its outputs to generate disinformation, to harass any person,\n"
        "to provide medical advice, or for any military purpose. Commercial use by an organisation with\n"
        "more than one hundred employees requires a separate written licence from the Licensor.\n"
    )
    found = identify(apache + policy)
    assert found.band is Band.MODIFIED and found.license == "apache-2.0"
    first_policy_line = len(apache.splitlines()) + 3
    assert any(r.words >= 40 and r.last_line >= first_policy_line for r in found.changed), found.changed
    assert "modified text of the Apache License 2.0" in found.describe()


def test_apache_with_a_bundled_use_policy_appended_names_both() -> None:
    found = identify(reference_text("apache-2.0") + "\n\n" + reference_text("llama3.1-use-policy"))
    assert found.band is Band.MODIFIED
    assert found.license == "apache-2.0"
    assert found.also == ("llama3.1-use-policy",)


def test_a_licence_with_its_own_use_policy_is_that_licence() -> None:
    """Gate prompts and LICENSE files often hold the licence and its AUP together."""
    found = identify(reference_text("llama3.2") + "\n\n" + reference_text("llama3.2-use-policy"))
    assert (found.band, found.license, found.version) == (Band.IDENTIFIED, "llama3.2", "2024-09-25")
    cohere = identify(reference_text("cc-by-nc-4.0") + "\n" + reference_text("c4ai-acceptable-use"))
    assert (cohere.band, cohere.license) == (Band.IDENTIFIED, "c4ai-cc-by-nc")


@pytest.mark.parametrize("path", [GPL3, MPL2, ROOT / "README.md"], ids=["gpl-3.0", "mpl-2.0", "readme"])
def test_unrelated_text_is_unrecognised(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine")
    found = identify_file(path)
    assert found.band is Band.UNRECOGNISED
    assert (found.license, found.text_id) == (None, None)
    assert found.score < licensetext.MODIFIED_AT
    assert found.describe().startswith("unrecognised licence text")


def test_short_pointers_and_empty_text_are_unrecognised() -> None:
    pointer = identify("This model is licensed under the Apache License 2.0. See LICENSE for details.")
    assert pointer.band is Band.UNRECOGNISED
    empty = identify("   \n\t\n ---- *** \n")
    assert (empty.band, empty.reason) == (Band.UNRECOGNISED, "the text has no words")


def test_a_hostile_text_is_read_only_up_to_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    original = licensetext.words

    def counting(text: str) -> tuple[list[str], list[int]]:
        seen.append(len(text))
        return original(text)

    monkeypatch.setattr(licensetext, "words", counting)
    hostile = "lorem ipsum dolor sit amet " * 2_000_000  # 54 MB
    found = identify(hostile)
    assert seen == [licensetext.MAX_TEXT_BYTES]
    assert found.truncated and found.band is Band.UNRECOGNISED
    seen.clear()
    found = identify("a " * 300_000, max_chars=10_000_000)
    assert found.truncated, "more than MAX_WORDS words are cut"


def test_a_50_mb_file_is_read_up_to_the_cap_and_never_identified(tmp_path: Path) -> None:
    apache = SYSTEM_TEXTS["apache-2.0"]
    head = apache.read_text("utf-8") if apache.is_file() else reference_text("apache-2.0")
    big = tmp_path / "LICENSE"
    with open(big, "w", encoding="utf-8") as handle:
        handle.write(head + "\n")
        handle.write("more terms follow here " * 50_000)
    os.truncate(big, 50 * 1024 * 1024)  # sparse: the rest reads as NUL bytes
    found = identify_file(big, max_bytes=64 * 1024)
    assert found.truncated
    assert found.band is Band.MODIFIED and found.license == "apache-2.0", found.describe()
    assert "only the first" in found.describe()


def test_binary_and_special_files_are_refused_without_reading(tmp_path: Path) -> None:
    binary = tmp_path / "LICENSE.bin"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 100)
    assert identify_file(binary).reason == "a binary file, not text"
    assert identify_file(tmp_path).reason == "not a regular file"
    assert identify_file(tmp_path / "absent").reason.startswith("cannot read the file")
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "LICENSE.fifo"
        os.mkfifo(fifo)
        assert identify_file(fifo).reason == "not a regular file"  # a read would block forever
    utf16 = tmp_path / "LICENSE.utf16"
    utf16.write_bytes(reference_text("mit").encode("utf-16"))
    assert identify_file(utf16).license == "mit"


def test_a_card_licence_section_is_identified_with_card_line_numbers() -> None:
    mit = reference_text("mit").replace("[year] [fullname]", "2024 Example")
    card = (
        "---\nlicense: mit\n---\n# Model\n\nSome words.\n\n```\n## License\nnot a heading\n```\n\n"
        "## License\n\n" + mit.replace("MIT License\n", "", 1) + "\n## Citation\n\nCite us.\n"
    )
    found = identify_card_section(card)
    assert found is not None and (found.band, found.license) == (Band.IDENTIFIED, "mit")
    edited = card.replace("The above copyright notice", "No copyright notice need be kept; the above")
    changed = identify_card_section(edited)
    assert changed is not None and changed.band is Band.MODIFIED
    line = edited.splitlines().index(next(x for x in edited.splitlines() if x.startswith("No copyright"))) + 1
    assert changed.changed[0].first_line == line
    assert identify_card_section("# Model\n\nNo licence here.\n") is None
    section = licensetext.licence_section(card)
    assert section is not None and section[1] == card.splitlines().index("## License", 10) + 1


def test_the_cli_command_prints_one_line_per_file(tmp_path: Path) -> None:
    licence = tmp_path / "LICENSE"
    licence.write_text(reference_text("llama3.3"), "utf-8")
    odd = tmp_path / "NOTICE\x1b[31m"
    odd.write_text("Some words that are no licence at all, just notes.\n", "utf-8")
    result = CliRunner().invoke(identify_licence, [str(licence), str(odd)])
    assert result.exit_code == 0, result.output
    first, second = result.output.splitlines()
    assert first.endswith("identified: text of the Llama 3.3 Community License Agreement (2024-12-06)")
    assert "\x1b" not in second and ": unrecognised: unrecognised licence text (nearest: " in second
    as_json = CliRunner().invoke(identify_licence, ["--json", str(licence)])
    assert json.loads(as_json.output)["license"] == "llama3.3"


@given(st.text(max_size=2000))
def test_any_text_gives_a_result_in_a_band(text: str) -> None:
    found = identify(text)
    assert found.band in Band
    assert 0.0 <= found.score <= 1.0
    assert all(r.first_line <= r.last_line for r in found.changed)
