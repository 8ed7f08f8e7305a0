"""Model cards as they are in the wild: the real-card corpus, and the card oddities it stands for.

tests/model_cards holds real Hugging Face model folders (verbatim, each with its SOURCE.txt) and
expected.yaml, what the tool concludes from each for one stated use case. The other tests build
small folders for each rule of reading a card: tolerant where licensecheck does not need a field,
strict and located where it does, and never a silent pass without a licence.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from licensecheck.cli import cli

CORPUS = Path(__file__).resolve().parent / "model_cards"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8"))["cards"]
USECASES = {"text": CORPUS / "usecase.yaml", "image": CORPUS / "usecase-image.yaml"}
VERDICTS = ("allowed", "allowed-with-obligations", "needs-review", "blocked")
COUNTED = ("violation", "review", "obligation")


def evaluate(folder: Path, usecase: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["evaluate", "--format", "json", "--fail-on", "never", "--as-of", "2025-06-01", *extra]
        + ["--model", str(folder), "--", str(usecase)],
        catch_exceptions=False,
    )


def report_of(folder: Path, usecase: Path = USECASES["text"]) -> dict[str, Any]:
    result = evaluate(folder, usecase)
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.output)["reports"][0]
    return report


def rules_of(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["rule"]: f for f in report["findings"]}


def test_the_corpus_is_real_cards_each_with_its_source_and_an_expectation() -> None:
    folders = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
    assert len(folders) >= 30
    assert folders == sorted(EXPECTED)
    for name in folders:
        source = (CORPUS / name / "SOURCE.txt").read_text("utf-8")
        assert ("repository:" in source or "source:" in source) and "verbatim" in source, name
        assert (CORPUS / name / "README.md").is_file(), name
        entry = EXPECTED[name]
        assert entry["verdict"] in VERDICTS and entry.get("demanded", "allowed") in VERDICTS, name
        assert entry.get("use", "text") in USECASES, name


def _recorded_blobs(source: str) -> dict[str, str]:
    """File name -> the Git blob id SOURCE.txt records for it (`blob: ID` is README.md's)."""
    blobs = {}
    for line in source.splitlines():
        if (match := re.fullmatch(r"blob: ([0-9a-f]{40})", line.strip())) is not None:
            blobs["README.md"] = match.group(1)
        elif (match := re.match(r"([\w.]+): \S+ \(blob ([0-9a-f]{40})\), verbatim", line)) is not None:
            blobs[match.group(1)] = match.group(2)
    return blobs


def test_the_corpus_files_are_the_bytes_their_source_records() -> None:
    checked = 0
    for name in EXPECTED:
        for file, blob in _recorded_blobs((CORPUS / name / "SOURCE.txt").read_text("utf-8")).items():
            data = (CORPUS / name / file).read_bytes()
            assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == blob, f"{name}/{file}"
            checked += 1
    assert checked >= 55


def _corpus_cases() -> list[Any]:
    cases = []
    for name, entry in sorted(EXPECTED.items()):
        marks = [pytest.mark.xfail(reason=entry["gap"], strict=True)] if "gap" in entry else []
        cases.append(pytest.param(name, id=name, marks=marks))
    return cases


@pytest.mark.parametrize("name", _corpus_cases())
def test_a_real_card_gives_the_expected_verdict(name: str) -> None:
    entry = EXPECTED[name]
    report = report_of(CORPUS / name, USECASES[entry.get("use", "text")])
    counted = {f["rule"] for f in report["findings"] if f["outcome"] in COUNTED}
    assert report["verdict"] == entry["verdict"], sorted(counted)
    assert set(entry.get("fires", [])) <= counted, sorted(counted)
    assert not set(entry.get("not_fires", [])) & counted, sorted(counted)
    if report["model"]["license"] is None:  # no licence identified: never a pass
        assert report["verdict"] in ("needs-review", "blocked")


# ------------------------------------------------------------------ card oddities, one at a time

MIT = (
    "MIT License\n\nCopyright (c) 2024 Example Org\n\n"
    "Permission is hereby granted, free of charge, to any person obtaining a copy\n"
    'of this software and associated documentation files (the "Software"), to deal\n'
    "in the Software without restriction, including without limitation the rights\n"
    "to use, copy, modify, merge, publish, distribute, sublicense, and/or sell\n"
    "copies of the Software, and to permit persons to whom the Software is\n"
    "furnished to do so, subject to the following conditions:\n\n"
    "The above copyright notice and this permission notice shall be included in all\n"
    "copies or substantial portions of the Software.\n\n"
    'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\n'
    "IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\n"
    "FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\n"
    "AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\n"
    "LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\n"
    "OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\n"
    "SOFTWARE.\n"
)


def folder(tmp_path: Path, front: str | None, **files: str) -> Path:
    """A model folder: README.md with `front` as its front matter (None: no front matter)."""
    path = tmp_path / "m"
    path.mkdir()
    card = "# A model\n" if front is None else f"---\n{front}---\n# A model\n"
    (path / "README.md").write_text(card, encoding="utf-8")
    for name, text in files.items():
        (path / name.replace("__", ".")).write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "front",
    [
        "license: mit\nmodel-index:\n- results:\n  - metrics:\n    - {type: f1, value: .nan}\n",
        "license: mit\npipeline_tag: fill-mask\ndatasets: [a]\npipeline_tag: text-generation\n",
        "license: mit\nlanguage: [no, nb]\ntags: [no, 'yes', on]\n",
        "license: mit\nthreshold: 0700\nwhen: 1:20\nhuge: 1" + "0" * 200 + "\n",
        "license: mit\ncommercial: false\ninference: {parameters: {temperature: .inf}}\n",
    ],
    ids=["nan", "duplicate-unused-key", "yaml11-booleans", "yaml11-numbers", "mappings-and-booleans"],
)
def test_what_licensecheck_does_not_read_never_stops_a_run(tmp_path: Path, front: str) -> None:
    report = report_of(folder(tmp_path, front))
    assert report["model"]["license"] == "mit"
    assert report["verdict"] == "allowed"


def test_used_fields_read_yes_and_no_as_text(tmp_path: Path) -> None:
    path = folder(
        tmp_path, "license: mit\ntags: [no, gguf, 'on']\nbase_model: microsoft/Phi-3-mini-4k-instruct\n"
    )
    from licensecheck.hfmodel import read_model_folder

    facts = read_model_folder(path)
    assert facts.tags == ("no", "gguf", "on")
    assert facts.relation == "quantization"  # the gguf tag


@pytest.mark.parametrize(
    ("front", "where", "message"),
    [
        ("license: {name: mit}\n", "README.md:2:10:", "`license` must be a licence tag or a list"),
        ("license: mit\nlicense: apache-2.0\n", "README.md:3:1:", "`license` is written twice"),
        ("license: mit\nbase_model: {a: 1}\n", "README.md:3:13:", "`base_model` must be a repo id"),
        ("license: mit\ntags: [a, {b: c}]\n", "README.md:3:11:", "`tags` must be a list of text"),
    ],
    ids=["licence-mapping", "licence-twice", "base-mapping", "tag-mapping"],
)
def test_a_malformed_field_licensecheck_reads_is_a_located_error(
    tmp_path: Path, front: str, where: str, message: str
) -> None:
    result = evaluate(folder(tmp_path, front), USECASES["text"])
    assert result.exit_code == 2
    assert where in result.output and message in result.output, result.output
    assert "Traceback" not in result.output


def test_a_licence_list_applies_every_licence_and_asks_for_a_review(tmp_path: Path) -> None:
    report = report_of(folder(tmp_path, "license:\n- llama2\n- cc-by-nc-4.0\n"))
    found = rules_of(report)
    assert (
        "CARD-LICENSE-SEVERAL" in found and "llama2, cc-by-nc-4.0" in found["CARD-LICENSE-SEVERAL"]["message"]
    )
    assert "CCBYNC-NON-COMMERCIAL" in found and "LLAMA2-AUP-DISCLOSE-DANGERS" in found
    assert report["verdict"] == "blocked"


def test_a_list_of_one_licence_is_that_licence(tmp_path: Path) -> None:
    report = report_of(folder(tmp_path, "license: [mit]\n"))
    assert report["model"]["license"] == "mit"
    assert "CARD-LICENSE-SEVERAL" not in rules_of(report)
    assert report["verdict"] == "allowed"


@pytest.mark.parametrize(
    ("front", "licence"),
    [
        ("license: other\nlicense_name: llama3\n", "llama3"),
        ("license_name: llama3\n", "llama3"),
        ("license_name: gemma-terms-of-use\nlicense: other\n", "gemma"),
        ("tags: [text-generation, 'license:apache-2.0']\n", "apache-2.0"),
    ],
    ids=["other-then-name", "name-alone", "name-before-other", "licence-tag"],
)
def test_the_licence_falls_back_from_license_to_license_name_to_tags(
    tmp_path: Path, front: str, licence: str
) -> None:
    report = report_of(folder(tmp_path, front))
    assert report["model"]["license"] == licence
    assert "CARD-LICENSE-NONE" not in rules_of(report)


def test_a_licence_file_alone_states_the_licence(tmp_path: Path) -> None:
    report = report_of(folder(tmp_path, None, LICENSE=MIT))
    assert report["model"]["license"] == "mit"
    assert report["verdict"] == "allowed"


def test_a_licence_file_that_is_another_licence_decides_over_the_label(tmp_path: Path) -> None:
    report = report_of(folder(tmp_path, "license: cc-by-nc-4.0\n", LICENSE__txt=MIT))
    found = rules_of(report)
    assert report["model"]["license"] == "mit"
    message = found["LINEAGE-LICENSE-MISMATCH"]["message"]
    assert (
        "the card says 'cc-by-nc-4.0'" in message and "LICENSE.txt is the text of the MIT License" in message
    )
    assert "CCBYNC-NON-COMMERCIAL" not in found


def test_a_code_licence_file_is_not_the_weights_licence(tmp_path: Path) -> None:
    report = report_of(folder(tmp_path, "license: cc-by-nc-4.0\n", LICENSE_CODE=MIT))
    assert report["model"]["license"] == "cc-by-nc-4.0"
    assert "LINEAGE-LICENSE-MISMATCH" not in rules_of(report)


def test_a_modified_licence_text_is_a_review_naming_the_changed_lines(tmp_path: Path) -> None:
    changed = MIT.replace("SOFTWARE.\n", "SOFTWARE.\n\nThe Software may not be merged with other models.\n")
    report = report_of(folder(tmp_path, None, LICENCE__md=changed))
    found = rules_of(report)
    message = found["CARD-LICENSE-TEXT-MODIFIED"]["message"]
    assert "LICENCE.md: modified text of the MIT License" in message and "line 23" in message
    assert "CARD-LICENSE-NONE" not in found
    assert report["verdict"] == "needs-review"


def test_an_unrecognised_licence_file_is_a_review_where_the_label_could_be_recognised(tmp_path: Path) -> None:
    text = "Acme Model Licence\n\nYou may run the model for thirty days for evaluation only.\n"
    report = report_of(folder(tmp_path, "license: apache-2.0\n", LICENSE=text))
    assert "CARD-LICENSE-TEXT-UNRECOGNISED" in rules_of(report)
    assert report["verdict"] == "needs-review"


def test_a_gate_prompt_holding_a_licence_heading_states_it(tmp_path: Path) -> None:
    front = 'extra_gated_prompt: "### GEMMA TERMS OF USE\\n\\nBy using Gemma you agree."\n'
    report = report_of(folder(tmp_path, front))
    assert report["model"]["license"] == "gemma"
    assert "CARD-LICENSE-NONE" not in rules_of(report)


@pytest.mark.parametrize(
    "front",
    [None, "tags: [text-generation]\n", "license: ''\n", "license: other\n"],
    ids=["no-front-matter", "no-licence-field", "empty-licence", "other-without-name"],
)
def test_a_folder_without_a_licence_is_a_review_never_a_pass(tmp_path: Path, front: str | None) -> None:
    report = report_of(folder(tmp_path, front))
    assert report["verdict"] in ("needs-review", "blocked")
    found = rules_of(report)
    assert "CARD-LICENSE-NONE" in found or "OTHER-LICENSE-UNIDENTIFIED" in found


def test_a_folder_without_a_licence_still_carries_its_bases_terms(tmp_path: Path) -> None:
    report = report_of(folder(tmp_path, "base_model: meta-llama/Llama-3.1-8B-Instruct\n"))
    found = rules_of(report)
    assert "CARD-LICENSE-NONE" in found and "LLAMA31-BUILT-WITH-LLAMA" in found
    assert "LINEAGE-LICENSE-MISMATCH" not in found  # there is no label to mismatch


def test_front_matter_that_is_not_yaml_is_a_note_and_its_plain_licence_line_counts(tmp_path: Path) -> None:
    report = report_of(folder(tmp_path, "language:\n\t- en\nlicense: mit\n"))
    found = rules_of(report)
    assert found["CARD-FOLDER-NOTE"]["outcome"] == "info"
    assert "README.md:3:1: the front matter is not YAML" in found["CARD-FOLDER-NOTE"]["message"]
    assert report["model"]["license"] == "mit"


def test_front_matter_that_is_a_list_is_a_note_and_no_licence(tmp_path: Path) -> None:
    report = report_of(folder(tmp_path, "- license\n"))
    found = rules_of(report)
    assert "not a mapping of fields" in found["CARD-FOLDER-NOTE"]["message"]
    assert "CARD-LICENSE-NONE" in found


def test_a_git_lfs_pointer_for_config_json_is_a_note_not_an_error(tmp_path: Path) -> None:
    pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 9\n"
    report = report_of(folder(tmp_path, "license: mit\n", config__json=pointer))
    message = rules_of(report)["CARD-FOLDER-NOTE"]["message"]
    assert "config.json is a Git LFS pointer" in message and "git lfs pull" in message
    assert report["verdict"] == "allowed"


@pytest.mark.parametrize(
    ("front", "files", "relation"),
    [
        ("base_model: microsoft/Phi-3-mini-4k-instruct\ntags: [GGUF]\n", {}, "quantization"),
        ("base_model: microsoft/Phi-3-mini-4k-instruct\nquantized_by: someone\n", {}, "quantization"),
        ("base_model: microsoft/Phi-3-mini-4k-instruct\n", {"model-Q4_K_M.gguf": "x"}, "quantization"),
        (
            "base_model: microsoft/Phi-3-mini-4k-instruct\n",
            {"config.json": '{"quantization_config": {"bits": 4}}'},
            "quantization",
        ),
        ("base_model: microsoft/Phi-3-mini-4k-instruct\n", {}, "fine-tune"),
        (
            "license: mit\n",
            {"adapter_config.json": '{"base_model_name_or_path": "microsoft/Phi-3-mini-4k-instruct"}'},
            "adapter",
        ),
    ],
    ids=["gguf-tag", "quantized-by", "gguf-file", "quantization-config", "plain-base", "adapter-config"],
)
def test_how_a_folder_derives_from_its_base_is_inferred(
    tmp_path: Path, front: str, files: dict[str, str], relation: str
) -> None:
    path = folder(tmp_path, "license: mit\n" + front if "license" not in front else front)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    usecase = tmp_path / "usecase.yaml"  # says nothing of how the model derives
    usecase.write_text(USECASES["text"].read_text("utf-8").replace("  modification: none\n", "  {}\n"))
    report = report_of(path, usecase)
    bases = [link for link in report["lineage"] if link["depth"] == 1]
    assert [(b["model"], b["relation"]) for b in bases] == [("phi-3-mini-4k-instruct", relation)]


def test_no_report_prints_licence_none(tmp_path: Path) -> None:
    path = folder(tmp_path, "tags: [x]\n")
    for fmt in ("text", "markdown", "html"):
        result = CliRunner().invoke(
            cli,
            [
                "evaluate",
                "--format",
                fmt,
                "--fail-on",
                "never",
                "--model",
                str(path),
                "--",
                str(USECASES["text"]),
            ],
        )
        assert result.exit_code == 0, result.output
        assert "licence None" not in result.output and "(None)" not in result.output
        assert "none found" in result.output


def test_other_without_a_name_looks_further_and_stands_only_if_nothing_is_found(tmp_path: Path) -> None:
    report = report_of(folder(tmp_path, "license: other\n", LICENSE=MIT))
    assert report["model"]["license"] == "mit"
    assert "OTHER-LICENSE-UNIDENTIFIED" not in rules_of(report)


@pytest.mark.parametrize(
    ("name", "licence"),
    [
        ("google-gemma-terms-of-use", "gemma"),
        ("LLAMA 3.2 COMMUNITY LICENSE AGREEMENT", "llama3.2"),
        ("Meta Llama 3 Community License Agreement", "llama3"),
        ("tongyi-qianwen", "tongyi-qianwen"),
        ("Tongyi Qianwen LICENSE AGREEMENT", "tongyi-qianwen"),
        ("tongyi-qianwen-license-agreement", "tongyi-qianwen"),
        ("CC BY-NC 4.0", "cc-by-nc-4.0"),
        ("Attribution-NonCommercial 4.0 International", "cc-by-nc-4.0"),
        ("CC BY-NC 4.0 International", "cc-by-nc-4.0"),
        ("Creative Commons Attribution-NonCommercial 4.0 International Public License", "cc-by-nc-4.0"),
        ("cc_by_nc_4.0", "cc-by-nc-4.0"),
        ("CC-BY-NC-4", "cc-by-nc-4.0"),
    ],
)
def test_licence_names_as_cards_write_them_resolve(tmp_path: Path, name: str, licence: str) -> None:
    report = report_of(folder(tmp_path, f"license: other\nlicense_name: {name}\n"))
    assert report["model"]["license"] == licence
    assert "LINEAGE-LICENSE-UNRECOGNISED" not in rules_of(report)


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("tongyi-qianwen-research", "tongyi-qianwen-research"),  # Qwen-1.8B: non-commercial, no pack
        ("Tongyi Qianwen RESEARCH LICENSE AGREEMENT", "Tongyi Qianwen RESEARCH LICENSE AGREEMENT"),
    ],
)
def test_a_licence_no_pack_encodes_is_named_in_a_review_not_refused(
    tmp_path: Path, name: str, named: str
) -> None:
    report = report_of(folder(tmp_path, f"license: other\nlicense_name: {name}\n"))
    found = rules_of(report)
    assert named in found["LINEAGE-LICENSE-UNRECOGNISED"]["message"]
    assert report["model"]["license"] is None  # not the commercial Tongyi Qianwen licence
    assert report["verdict"] == "needs-review"


# Every Creative Commons licence as the Hub's licence ids and people's prose spell it. The 4.0
# licences and CC0 1.0 have rule packs (for this commercial hosted service, run unchanged, the
# NonCommercial ones block); the older versions are a review naming their id, never a pass or exit 2.
CC_PACKS = {"cc-by-4.0", "cc-by-sa-4.0", "cc-by-nd-4.0", "cc0-1.0"}
CC_NONCOMMERCIAL = {
    "cc-by-nc-4.0": "CCBYNC-NON-COMMERCIAL",
    "cc-by-nc-sa-4.0": "CCBYNCSA-NON-COMMERCIAL",
    "cc-by-nc-nd-4.0": "CCBYNCND-NON-COMMERCIAL",
}
CC_VARIANTS = [
    *(
        f"cc-{kind}-{version}"
        for kind in ("by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd")
        for version in ("2.0", "2.5", "3.0", "4.0")
    ),
    "cc0-1.0",
]
CC_PROSE = [
    ("CC BY-NC-SA 4.0", "cc-by-nc-sa-4.0"),
    ("Creative Commons Attribution-ShareAlike 4.0 International", "cc-by-sa-4.0"),
    ("Attribution-NonCommercial-NoDerivatives 4.0 International", "cc-by-nc-nd-4.0"),
    ("CC BY 4.0", "cc-by-4.0"),
    ("CC0", "cc0-1.0"),
    ("cc_by_nc_sa_3.0", "cc-by-nc-sa-3.0"),
]


@pytest.mark.parametrize(("name", "cc"), [(v, v) for v in CC_VARIANTS] + CC_PROSE)
def test_every_creative_commons_variant_is_its_pack_or_a_review_naming_it(
    tmp_path: Path, name: str, cc: str
) -> None:
    report = report_of(folder(tmp_path, f"license: other\nlicense_name: '{name}'\n"))
    found = rules_of(report)
    if cc in CC_NONCOMMERCIAL:
        assert report["model"]["license"] == cc and CC_NONCOMMERCIAL[cc] in found
        assert report["verdict"] == "blocked"
        return
    if cc in CC_PACKS:  # sharing nothing: a hosted service is not "Share" of the model
        assert report["model"]["license"] == cc and "LINEAGE-LICENSE-UNRECOGNISED" not in found
        assert report["verdict"] == "allowed"
        return
    message = found["LINEAGE-LICENSE-UNRECOGNISED"]["message"]
    assert f"m: {name} ({cc})" in message if name != cc else f"m: {cc};" in message
    assert report["verdict"] == "needs-review"


def test_the_sweep_counts_refused_no_licence_unresolved_and_silent_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "cards_sweep", CORPUS.parent.parent / "benchmarks/cards_sweep.py"
    )
    assert spec is not None and spec.loader is not None
    cards_sweep = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cards_sweep)

    cards = {
        "ok": "license: mit\n",
        "none": "tags: [x]\n",
        "refused": "license: {name: mit}\n",
        "unresolved": "license: mit\nbase_model: example-org/not-a-known-model\n",
    }
    for name, front in cards.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "README.md").write_text(f"---\n{front}---\n# card\n", encoding="utf-8")
    assert cards_sweep.main([str(tmp_path), "--list", "refused"]) == 0
    out = capsys.readouterr().out
    assert "4 model folders" in out
    assert "refused (input error, exit 2)         1   25.0 %" in out
    assert "no licence found                      1   25.0 %" in out
    assert "unresolved base                       1   25.0 %" in out
    assert "silent passes without a licence       0" in out
    assert "refused/README.md:2:10: error: `license` must be a licence tag" in out


# ------------------------------------------------------------------ lineage that resolves


def test_a_third_party_derivative_used_unchanged_keeps_its_creators_relation(tmp_path: Path) -> None:
    path = folder(tmp_path, "license: llama3.1\nbase_model: meta-llama/Llama-3.1-8B-Instruct\ntags: [gguf]\n")
    report = report_of(path)  # the corpus use case: modification none
    bases = [link for link in report["lineage"] if link["depth"] == 1]
    assert [(b["model"], b["relation"]) for b in bases] == [("llama-3.1-8b-instruct", "quantization")]
    found = rules_of(report)
    assert "LLAMA31-MODEL-NAME-PREFIX" not in found  # naming a derivative is its creator's duty
    assert "LINEAGE-LICENSE-MISMATCH" not in found and "LINEAGE-BASE-UNRESOLVED" not in found


def test_a_use_case_naming_a_model_without_derivation_facts_uses_it_unchanged(tmp_path: Path) -> None:
    usecase = tmp_path / "u.yaml"
    usecase.write_text(
        "name: x\nmodel: {id: llama-3.1-8b-instruct}\nuse: {commercial: true, distribution: weights}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["evaluate", "--format", "json", "--fail-on", "never", "--", str(usecase)]
    )
    found = rules_of(json.loads(result.output)["reports"][0])
    assert "LLAMA31-MODEL-NAME-PREFIX" not in found
    assert not any("model.modification" in str(f.get("missing")) for f in found.values())


@pytest.mark.parametrize(
    ("base", "catalog_id"),
    [
        ("meta-llama/Meta-Llama-3.1-8B-Instruct", "llama-3.1-8b-instruct"),  # renamed on the Hub
        ("meta-llama/Meta-Llama-3.1-8B", "llama-3.1-8b"),
        ("NousResearch/Meta-Llama-3-8B", "meta-llama-3-8b"),  # a mirror
        ("unsloth/Llama-3.2-1B-Instruct", "llama-3.2-1b-instruct"),
        ("Qwen/Qwen2.5-7B", "qwen2.5-7b"),  # a pretrained base, licence only
        ("google/gemma-3-4b-pt", "gemma-3-4b-pt"),
    ],
)
def test_renamed_repos_mirrors_and_pretrained_bases_resolve(
    tmp_path: Path, base: str, catalog_id: str
) -> None:
    report = report_of(folder(tmp_path, f"license: apache-2.0\nbase_model: {base}\n"))
    bases = [link for link in report["lineage"] if link["depth"] == 1]
    assert [(b["model"], b["source"]) for b in bases] == [(catalog_id, "catalog")]
    assert "LINEAGE-BASE-UNRESOLVED" not in rules_of(report)


@pytest.mark.parametrize(
    ("front", "verdict"),
    [
        ("license: apache-2.0\nbase_model: Qwen/Qwen2.5-7B\n", "allowed"),
        ("license: llama3\nbase_model: NousResearch/Meta-Llama-3-8B\n", "allowed-with-obligations"),
        ("license: gemma\nbase_model: google/gemma-3-4b-pt\n", "allowed-with-obligations"),
    ],
    ids=["apache", "llama3-mirror", "gemma-pretrained"],
)
def test_a_base_under_the_model_s_own_licence_is_no_review(tmp_path: Path, front: str, verdict: str) -> None:
    report = report_of(folder(tmp_path, front))
    reviews = [f["rule"] for f in report["findings"] if f["outcome"] == "review"]
    assert reviews == [] and report["verdict"] == verdict
    assert "LINEAGE-LICENSE-MISMATCH" not in rules_of(report)


def test_a_stable_beluga_2_style_card_is_never_allowed_for_a_commercial_public_service(
    tmp_path: Path,
) -> None:
    front = (  # Stable Beluga 2: no licence field; the licence is named only in the card's prose
        "datasets:\n- conceptofmind/cot_submix_original\nlanguage:\n- en\npipeline_tag: text-generation\n"
    )
    body = (
        "`Stable Beluga 2` is a Llama2 70B model finetuned on an Orca style Dataset\n\n"
        "* **License**: Fine-tuned checkpoints (`Stable Beluga 2`) is licensed under the "
        "[STABLE BELUGA NON-COMMERCIAL COMMUNITY LICENSE AGREEMENT](LICENSE.txt)\n"
    )
    path = folder(tmp_path, front)
    (path / "README.md").write_text(f"---\n{front}---\n# Stable Beluga 2\n\n{body}", encoding="utf-8")
    report = report_of(path)
    assert "CARD-LICENSE-NONE" in rules_of(report)
    assert report["verdict"] == "needs-review"
    (path / "README.md").write_text(  # with its Llama 2 base named, Llama 2's terms apply too
        f"---\n{front}base_model: meta-llama/Llama-2-70b-hf\n---\n# Stable Beluga 2\n\n{body}",
        encoding="utf-8",
    )
    report = report_of(path)
    found = rules_of(report)
    assert "CARD-LICENSE-NONE" in found and "LLAMA2-AUP-DISCLOSE-DANGERS" in found
    assert report["verdict"] in ("needs-review", "blocked")


def test_a_gated_card_under_no_gated_licence_obliges_accepting_the_gate_s_terms(tmp_path: Path) -> None:
    front = "license: apache-2.0\nextra_gated_fields:\n  Company: text\n  I agree: checkbox\n"
    report = report_of(folder(tmp_path, front))
    found = rules_of(report)
    assert found["TERMS-ACCEPTANCE-GATE"]["outcome"] == "obligation"
    assert "TERMS-ACCEPTANCE" not in found
    assert report["verdict"] == "allowed-with-obligations"


def test_a_gated_card_under_a_gated_licence_needs_only_that_licence_s_acceptance(tmp_path: Path) -> None:
    report = report_of(folder(tmp_path, "license: gemma\ngated: manual\n"))
    found = rules_of(report)
    assert "TERMS-ACCEPTANCE" in found and "TERMS-ACCEPTANCE-GATE" not in found


def test_licence_only_bases_are_neither_listed_nor_shortlisted() -> None:
    listed = CliRunner().invoke(cli, ["models", "list", "--format", "json"])
    ids = {m["id"] for m in json.loads(listed.output)["models"]}
    assert "llama-3.1-8b-instruct" in ids and "qwen2.5-7b" not in ids and "meta-llama-3-8b" not in ids
    shown = CliRunner().invoke(cli, ["models", "show", "Qwen/Qwen2.5-7B"])
    assert shown.exit_code == 0 and "qwen2.5-7b" in shown.output


@pytest.mark.parametrize(
    "layout", ["Acme__Model-7B", "Acme_Model-7B", "models--Acme--Model-7B/snapshots/0123abc"]
)
def test_a_card_naming_itself_as_its_base_is_ignored(tmp_path: Path, layout: str) -> None:
    path = tmp_path / layout
    path.mkdir(parents=True)
    (path / "README.md").write_text(
        "---\nlicense: mit\nbase_model: Acme/Model-7B\n---\n# x\n", encoding="utf-8"
    )
    report = report_of(path)
    assert "lineage" not in report  # no bases: no chain
    assert report["verdict"] == "allowed"


def test_a_card_naming_another_org_s_model_of_the_same_name_is_a_base(tmp_path: Path) -> None:
    path = tmp_path / "Model-7B"
    path.mkdir()
    (path / "README.md").write_text(
        "---\nlicense: mit\nbase_model: Other/Model-7B\n---\n# x\n", encoding="utf-8"
    )
    assert "LINEAGE-BASE-UNRESOLVED" in rules_of(report_of(path))


@pytest.mark.parametrize(
    ("front", "files", "family"),
    [
        ("license: apache-2.0\ntags: [llama-3]\n", {}, "Llama 3 (tag llama-3)"),
        ("extra_gated_heading: Access Llama 2 on Hugging Face\n", {}, "Llama 2 (gate 'Access Llama 2"),
        (
            "license: mit\n",
            {"config.json": '{"architectures": ["LlamaForCausalLM"], "vocab_size": 128256}'},
            "config.json LlamaForCausalLM with a 128,256-token vocabulary",
        ),
        ("license: apache-2.0\ntags: [gemma2]\n", {}, "Gemma (tag gemma2)"),
    ],
    ids=["tag", "gate-heading", "config", "gemma-tag"],
)
def test_family_signals_without_a_named_base_are_a_review(
    tmp_path: Path, front: str, files: dict[str, str], family: str
) -> None:
    path = folder(tmp_path, front)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    message = rules_of(report_of(path))["LINEAGE-FAMILY-UNDECLARED"]["message"]
    assert family in message


@pytest.mark.parametrize(
    "front",
    [
        "license: llama3\ntags: [llama-3]\n",  # the family's own licence
        "license: apache-2.0\ntags: [llama-3]\nbase_model: meta-llama/Meta-Llama-3-8B\n",  # a named base
        "license: mit\ntags: [mistral, qwen2, tinyllama]\n",  # families whose licence says nothing
    ],
    ids=["own-licence", "named-base", "no-licensed-family"],
)
def test_no_undeclared_lineage_where_the_family_is_declared_or_says_nothing(
    tmp_path: Path, front: str
) -> None:
    assert "LINEAGE-FAMILY-UNDECLARED" not in rules_of(report_of(folder(tmp_path, front)))


def test_a_quantization_takes_its_catalog_base_s_modalities(tmp_path: Path) -> None:
    path = tmp_path / "Llama-3.2-3B-Instruct-bnb-4bit"
    path.mkdir()
    card = "---\nlicense: llama3.2\nbase_model: meta-llama/Llama-3.2-3B-Instruct\n---\n# x\n"
    (path / "README.md").write_text(card, encoding="utf-8")
    found = rules_of(report_of(path))
    assert "LLAMA32-EU-MULTIMODAL" not in found  # text only: the AUP's EU paragraph has nothing to bite on
    assert found["LLAMA32-BUILT-WITH-LLAMA"]["outcome"] == "obligation"
    (path.parent / "Llama-3.2-3B-Instruct-copy").mkdir()  # not a quantization: modalities unknown
    (path.parent / "Llama-3.2-3B-Instruct-copy" / "README.md").write_text(card, encoding="utf-8")
    assert "LLAMA32-EU-MULTIMODAL" in rules_of(report_of(path.parent / "Llama-3.2-3B-Instruct-copy"))
