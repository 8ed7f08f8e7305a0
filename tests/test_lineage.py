"""Local model folders, lineage through base models, training data and accepted terms."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from conftest import run_cli

from licensecheck.errors import InputError
from licensecheck.hfmodel import read_model_folder
from licensecheck.schema import validate

LLAMA_REPO = "meta-llama/Llama-3.1-8B-Instruct"


def write_safetensors(path: Path, shapes: dict[str, list[int]]) -> None:
    """A tiny safetensors file: 8-byte little-endian header length, JSON header, zero bytes of data."""
    header = {
        name: {"dtype": "BF16", "shape": shape, "data_offsets": [0, 0]} for name, shape in shapes.items()
    }
    header["__metadata__"] = {"format": "pt"}  # type: ignore[assignment]
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw)


def make_folder(root: Path, name: str, card: str, config: dict[str, object] | None = None) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "README.md").write_text(f"---\n{card}---\n# {name}\n", encoding="utf-8")
    if config is not None:
        (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder


def write_usecase(root: Path, model: str, extra: str = "") -> Path:
    path = root / "usecase.yaml"
    path.write_text(
        "name: Derived model\n"
        "organization: {type: company, country: US, monthly_active_users: 1000}\n"
        f"model:\n{model}"
        "use: {commercial: true, distribution: weights}\n" + extra,
        encoding="utf-8",
    )
    return path


def evaluate_json(usecase: Path, *args: str) -> tuple[int, dict[str, object]]:
    result = run_cli("evaluate", str(usecase), "--format", "json", "--fail-on", "never", *args)
    assert result.returncode == 0, result.stderr
    return result.returncode, json.loads(result.stdout)


def rules_of(report: dict[str, object]) -> dict[str, dict[str, object]]:
    return {f["rule"]: f for f in report["reports"][0]["findings"]}  # type: ignore[index]


def test_folder_facts_from_card_config_and_safetensors_headers(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path,
        "acme-8b",
        f"license: apache-2.0\nbase_model: {LLAMA_REPO}\ntags: [llama]\nextra_gated_prompt: agree\n",
        {
            "architectures": ["LlamaForCausalLM"],
            "max_position_embeddings": 131072,
            "max_seq_len": 8192,
            "vision_config": {},
        },
    )
    write_safetensors(folder / "model-00001-of-00002.safetensors", {"a": [1000, 1000], "b": [3]})
    write_safetensors(folder / "model-00002-of-00002.safetensors", {"c": [2, 500, 1000], "s": []})
    index = {"weight_map": {"a": "model-00001-of-00002.safetensors", "c": "model-00002-of-00002.safetensors"}}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index), encoding="utf-8")
    facts = read_model_folder(folder)
    assert facts.license == "apache-2.0"
    assert facts.base_models == (LLAMA_REPO,)
    assert facts.gated is True
    assert facts.context_window == 8192  # the minimum of the keys present
    assert facts.architecture == "LlamaForCausalLM"
    assert facts.modalities == ("text", "vision")
    assert facts.weights_present is True
    assert facts.parameters_b == round((1_000_000 + 3 + 1_000_000 + 1) / 1e9, 3)


def test_text_config_of_a_multimodal_model_gives_the_context(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path,
        "mm",
        "license: mit\n",
        {"max_position_embeddings": 512, "text_config": {"max_position_embeddings": 4096}},
    )
    assert read_model_folder(folder).context_window == 4096


def test_lfs_pointer_means_weights_not_present(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "pointers", "license: mit\n")
    (folder / "model.safetensors").write_bytes(
        b"version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 9\n"
    )
    facts = read_model_folder(folder)
    assert facts.weights_present is False
    assert "parameters_b" not in facts


def test_oversized_safetensors_header_is_refused_without_reading_it(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "bad", "license: mit\n")
    (folder / "model.safetensors").write_bytes(struct.pack("<Q", 2**40) + b"{}")
    with pytest.raises(InputError) as err:
        read_model_folder(folder)
    assert "header length" in err.value.message


def test_bad_card_is_a_located_error(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "badcard", "license: mit\nbase_model: {a: 1}\n")
    usecase = write_usecase(tmp_path, "  path: badcard\n")
    result = run_cli("evaluate", str(usecase))
    assert result.returncode == 2
    assert "README.md:3:13: error: `base_model` must be a repo id or a list of repo ids" in result.stderr
    assert "Traceback" not in result.stderr
    assert folder.is_dir()


def test_relabelled_llama_fine_tune_folder_carries_the_llama_terms(tmp_path: Path) -> None:
    make_folder(tmp_path, "acme-8b", f"license: apache-2.0\nbase_model: {LLAMA_REPO}\n")
    usecase = write_usecase(tmp_path, "  path: acme-8b\n  published_name: Acme-8B\n")
    _, report = evaluate_json(usecase)
    found = rules_of(report)
    assert found["LINEAGE-LICENSE-MISMATCH"]["outcome"] == "review"
    assert found["LLAMA31-MODEL-NAME-PREFIX"]["outcome"] == "violation"
    assert found["LLAMA31-AGREEMENT-COPY"]["evidence"]["lineage"] == (
        "inherited from llama-3.1-8b-instruct via fine-tune"
    )
    assert found["TERMS-ACCEPTANCE"]["outcome"] == "obligation"
    assert report["reports"][0]["verdict"] == "blocked"  # type: ignore[index]
    lineage = report["reports"][0]["lineage"]  # type: ignore[index]
    assert [(link["model"], link["license"], link["relation"]) for link in lineage] == [
        ("acme-8b", "apache-2.0", None),
        ("llama-3.1-8b-instruct", "llama3.1", "fine-tune"),
    ]
    assert validate(report, "report") == []


def test_text_report_shows_the_chain(tmp_path: Path) -> None:
    make_folder(tmp_path, "acme-8b", f"license: apache-2.0\nbase_model: {LLAMA_REPO}\n")
    usecase = write_usecase(tmp_path, "  path: acme-8b\n")
    result = run_cli("evaluate", str(usecase), "--fail-on", "never")
    assert (
        "  lineage: acme-8b [apache-2.0]\n    <- fine-tune of llama-3.1-8b-instruct [llama3.1]\n"
        in result.stdout
    )


def test_model_option_gives_the_model_of_every_use_case(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "acme-8b", f"license: llama3.1\nbase_model: {LLAMA_REPO}\n")
    usecase = write_usecase(tmp_path, "  id: phi-3-mini-4k-instruct\n")
    _, report = evaluate_json(usecase, "--model", str(folder))
    assert report["reports"][0]["model"]["license"] == "llama3.1"  # type: ignore[index]
    assert "LINEAGE-LICENSE-MISMATCH" not in rules_of(report)


def test_merge_of_two_bases_applies_both_licences(tmp_path: Path) -> None:
    usecase = write_usecase(
        tmp_path,
        "  id: acme/merged\n  name: Merged\n  license: apache-2.0\n  published_name: Merged\n"
        "  base_models: [llama-3.1-8b-instruct, phi-3-mini-4k-instruct]\n",
    )
    _, report = evaluate_json(usecase)
    found = rules_of(report)
    assert "LLAMA31-AGREEMENT-COPY" in found
    assert "via merge" in found["LLAMA31-AGREEMENT-COPY"]["evidence"]["lineage"]
    assert "llama3.1, mit" in found["LINEAGE-LICENSE-MISMATCH"]["message"]
    relations = {link["model"]: link["relation"] for link in report["reports"][0]["lineage"]}  # type: ignore[index]
    assert relations == {
        "acme/merged": None,
        "llama-3.1-8b-instruct": "merge",
        "phi-3-mini-4k-instruct": "merge",
    }


def test_adapter_folder_is_an_adapter_of_its_base(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "lora", f"license: llama3.1\nbase_model: {LLAMA_REPO}\n")
    (folder / "adapter_config.json").write_text("{}", encoding="utf-8")
    usecase = write_usecase(tmp_path, "  path: lora\n  published_name: Llama-Acme-LoRA\n")
    _, report = evaluate_json(usecase)
    assert report["reports"][0]["lineage"][1]["relation"] == "adapter"  # type: ignore[index]
    assert "LLAMA31-MODEL-NAME-PREFIX" not in rules_of(report)


def test_quantization_keeps_the_base_licence(tmp_path: Path) -> None:
    make_folder(
        tmp_path, "q4", f"license: llama3.1\nbase_model: {LLAMA_REPO}\nbase_model_relation: quantized\n"
    )
    usecase = write_usecase(tmp_path, "  path: q4\n  published_name: Llama-3.1-8B-Q4\n")
    _, report = evaluate_json(usecase)
    found = rules_of(report)
    assert report["reports"][0]["lineage"][1]["relation"] == "quantization"  # type: ignore[index]
    assert "LINEAGE-LICENSE-MISMATCH" not in found
    assert "lineage" not in found["LLAMA31-AGREEMENT-COPY"]["evidence"]  # its own licence, not inherited


def test_cycle_is_a_located_input_error(tmp_path: Path) -> None:
    make_folder(tmp_path, "a", "license: mit\nbase_model: ../b\n")
    make_folder(tmp_path, "b", "license: mit\nbase_model: ../a\n")
    usecase = write_usecase(tmp_path, "  path: a\n")
    result = run_cli("evaluate", str(usecase))
    assert result.returncode == 2
    assert "README.md:3:13: error: base model cycle: folder:" in result.stderr
    assert "help: a model cannot derive from itself" in result.stderr


def test_unknown_base_in_the_use_case_is_an_input_error_with_nearest_ids(tmp_path: Path) -> None:
    usecase = write_usecase(
        tmp_path, "  id: acme/x\n  name: X\n  license: mit\n  base_models: [llama-3.1-8b-instrct]\n"
    )
    result = run_cli("evaluate", str(usecase))
    assert result.returncode == 2
    assert "usecase.yaml:7:17: error: unknown base model 'llama-3.1-8b-instrct'" in result.stderr
    assert "nearest catalog ids: llama-3.1-8b-instruct" in result.stderr


def test_unknown_base_in_a_card_is_a_review(tmp_path: Path) -> None:
    make_folder(tmp_path, "m", "license: mit\nbase_model: nobody/unknown-7b\n")
    usecase = write_usecase(tmp_path, "  path: m\n")
    _, report = evaluate_json(usecase)
    assert rules_of(report)["LINEAGE-BASE-UNRESOLVED"]["outcome"] == "review"
    assert report["reports"][0]["lineage"][1]["source"] == "unresolved"  # type: ignore[index]


def test_license_other_resolves_through_pack_aliases(tmp_path: Path) -> None:
    make_folder(tmp_path, "m", "license: other\nlicense_name: llama 3.1 community license\n")
    usecase = write_usecase(tmp_path, "  path: m\n")
    _, report = evaluate_json(usecase)
    assert report["reports"][0]["model"]["license"] == "llama3.1"  # type: ignore[index]


def test_accepted_terms_show_who_and_when(tmp_path: Path) -> None:
    usecase = write_usecase(
        tmp_path,
        "  id: llama-3.1-8b-instruct\n",
        "",
    )
    text = usecase.read_text(encoding="utf-8").replace(
        "monthly_active_users: 1000}",
        "monthly_active_users: 1000, accepted_terms: [{license: llama3.1, accepted_on: 2024-08-02, by: legal@acme.example}]}",
    )
    usecase.write_text(text, encoding="utf-8")
    _, report = evaluate_json(usecase)
    found = rules_of(report)
    assert "TERMS-ACCEPTANCE" not in found
    assert (
        "llama3.1 (accepted on 2024-08-02 by legal@acme.example)"
        in found["TERMS-ACCEPTANCE-RECORDED"]["message"]
    )


def test_distillation_facts_are_set_for_a_derived_model(tmp_path: Path) -> None:
    """A distillation declared in the use case is kept, and makes the base a teacher: the student meets
    Llama 3.1's duty on models trained on its outputs (§1.b.i), not the duties of distributing Llama."""
    make_folder(tmp_path, "student", f"license: apache-2.0\nbase_model: {LLAMA_REPO}\n")
    usecase = write_usecase(tmp_path, "  path: student\n  modification: distillation\n")
    _, report = evaluate_json(usecase)
    assert report["reports"][0]["lineage"][1]["relation"] == "distillation"  # type: ignore[index]
    found = rules_of(report)
    assert found["LLAMA31-OUTPUTS-TRAINED-MODEL-NAME"]["evidence"]["model.teacher_licenses"] == ["llama3.1"]
    assert "LLAMA31-MODEL-NAME-PREFIX" not in found
    assert "LLAMA31-AGREEMENT-COPY" not in found
