"""Write licensecheck/licence_fingerprints.json from the verbatim licence texts (never shipped).

Usage, from the repository root:

    python scripts/make_fingerprints.py --texts ../shared/reference/texts --texts DIR_WITH_APACHE_AND_MIT
    python scripts/make_fingerprints.py --check ...   # exit 1 if the committed file is stale

Each text file starts with a 4-line header (source, licensor URL, version/date, verbatim) and a
`---` line; only the text after it is fingerprinted. Apache-2.0 and MIT are not in
../shared/reference/texts: their files (apache-2.0.txt, mit.txt, same header form) say where
they were taken from (Apache-2.0: the apache.org file as Debian ships it in
/usr/share/common-licenses/Apache-2.0; MIT: choosealicense.com's copy of the SPDX text).
Every text needs an entry in TEXTS (what licence it is, in which bundled pack), and every entry
a text, so a new text is mapped on purpose.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from licensecheck.licensetext import (  # noqa: E402
    FINGERPRINTS,
    FORMAT,
    SHINGLE_WORDS,
    fingerprint_text,
    pack_hashes,
    shingles,
    words,
)

# text id -> (pack licence id or None, version, display name, part)
TEXTS: dict[str, tuple[str | None, str, str, str]] = {
    "apache-2.0": ("apache-2.0", "2.0", "Apache License 2.0", "licence"),
    "mit": ("mit", "MIT", "MIT License", "licence"),
    "llama2": ("llama2", "2023-07-18", "Llama 2 Community License Agreement", "licence"),
    "llama2-use-policy": ("llama2", "2023-07-18", "Llama 2 Acceptable Use Policy", "use-policy"),
    "llama3": ("llama3", "2024-04-18", "Meta Llama 3 Community License Agreement", "licence"),
    "llama3-use-policy": ("llama3", "2024-04-18", "Meta Llama 3 Acceptable Use Policy", "use-policy"),
    "llama3.1": ("llama3.1", "2024-07-23", "Llama 3.1 Community License Agreement", "licence"),
    "llama3.1-use-policy": ("llama3.1", "2024-07-23", "Llama 3.1 Acceptable Use Policy", "use-policy"),
    "llama3.2": ("llama3.2", "2024-09-25", "Llama 3.2 Community License Agreement", "licence"),
    "llama3.2-use-policy": ("llama3.2", "2024-09-25", "Llama 3.2 Acceptable Use Policy", "use-policy"),
    "llama3.3": ("llama3.3", "2024-12-06", "Llama 3.3 Community License Agreement", "licence"),
    "llama3.3-use-policy": ("llama3.3", "2024-12-06", "Llama 3.3 Acceptable Use Policy", "use-policy"),
    "llama4": ("llama4", "2025-04-05", "Llama 4 Community License Agreement", "licence"),
    "llama4-use-policy": ("llama4", "2025-04-05", "Llama 4 Acceptable Use Policy", "use-policy"),
    "gemma": ("gemma", "2026-04-01", "Gemma Terms of Use", "licence"),
    "gemma-20250324": ("gemma", "2025-03-24", "Gemma Terms of Use", "licence"),
    "gemma-20240401": ("gemma", "2024-04-01", "Gemma Terms of Use", "licence"),
    "gemma-20240221": ("gemma", "2024-02-21", "Gemma Terms of Use", "licence"),
    "gemma-prohibited-use-policy": ("gemma", "2024-02-21", "Gemma Prohibited Use Policy", "use-policy"),
    "google-generative-ai-prohibited-use-policy": (
        "gemini-api-terms",
        "2024-12-17",
        "Google Generative AI Prohibited Use Policy",
        "use-policy",
    ),
    "gemini-api-terms": ("gemini-api-terms", "2025-11-20", "Gemini API Additional Terms of Service", "terms"),
    "qwen": ("qwen", "2024-09-19", "Qwen LICENSE AGREEMENT (three quoted clauses)", "licence"),
    "qwen-research": ("qwen-research", "2024-09-19", "Qwen RESEARCH LICENSE AGREEMENT", "licence"),
    # The 2023 Tongyi Qianwen texts are different licences from the 2024 Qwen ones (the qwen pack
    # says so); the tongyi-qianwen pack encodes the first, no bundled pack the research one.
    "tongyi-qianwen": ("tongyi-qianwen", "2023-08-03", "Tongyi Qianwen LICENSE AGREEMENT", "licence"),
    "tongyi-qianwen-research": (None, "2023-11-30", "Tongyi Qianwen RESEARCH LICENSE AGREEMENT", "licence"),
    "deepseek": ("deepseek", "1.0", "DeepSeek License Agreement", "licence"),
    "falcon-180b": ("falcon-180b", "1.0", "Falcon 180B TII License", "licence"),
    "stabilityai-community": (
        "stabilityai-community",
        "2024-07-05",
        "Stability AI Community License",
        "licence",
    ),
    "stabilityai-acceptable-use": (
        "stabilityai-community",
        "2025-07-31",
        "Stability AI Acceptable Use Policy",
        "use-policy",
    ),
    "mnpl": ("mnpl", "0.1", "Mistral AI Non-Production License", "licence"),
    "mrl": ("mrl", "0.1", "Mistral AI Research License", "licence"),
    "bigscience-bloom-rail-1.0": (
        "bigscience-bloom-rail-1.0",
        "2022-05-19",
        "BigScience RAIL License v1.0",
        "licence",
    ),
    "bigscience-openrail-m": (
        "bigscience-openrail-m",
        "2022-08-18",
        "BigScience Open RAIL-M License",
        "licence",
    ),
    "creativeml-openrail-m": (
        "creativeml-openrail-m",
        "2022-08-22",
        "CreativeML Open RAIL-M License",
        "licence",
    ),
    "openrail++": ("openrail++", "2022-11-24", "CreativeML Open RAIL++-M License", "licence"),
    "openrail++-20230726": ("openrail++", "2023-07-26", "CreativeML Open RAIL++-M License", "licence"),
    "nvidia-open-model": (
        "nvidia-open-model",
        "2025-10-24",
        "NVIDIA Open Model License Agreement",
        "licence",
    ),
    # The gpt-oss usage policy pack applies to every model it is named for and has no licence id.
    "gpt-oss-usage-policy": (None, "2025-08-05", "gpt-oss usage policy", "use-policy"),
    "openai-terms": ("openai-terms", "2023-03-14", "OpenAI Terms of Use", "terms"),
    "openai-services-agreement-excerpts": (
        "openai-terms",
        "2026-01-01",
        "OpenAI Services Agreement (excerpts)",
        "terms",
    ),
    "openai-usage-policies": ("openai-terms", "2025-10-29", "OpenAI Usage Policies (partial)", "use-policy"),
    "anthropic-terms": (
        "anthropic-terms",
        "2025-06-17",
        "Anthropic Commercial Terms (quoted clauses)",
        "terms",
    ),
    "anthropic-usage-policy": (
        "anthropic-terms",
        "2025-09-15",
        "Anthropic Usage Policy (partial)",
        "use-policy",
    ),
    "c4ai-acceptable-use": (
        "c4ai-cc-by-nc",
        "2024-05-14",
        "Cohere For AI Acceptable Use Policy",
        "use-policy",
    ),
    "cohere-labs-acceptable-use": (
        "c4ai-cc-by-nc",
        "2025-04-15",
        "Cohere Labs Acceptable Use Policy",
        "use-policy",
    ),
    "cc-by-nc-4.0": (
        "cc-by-nc-4.0",
        "4.0",
        "Creative Commons Attribution-NonCommercial 4.0 International",
        "licence",
    ),
}
# Licences shipped together with their use policy (a gate prompt, a LICENSE file holding both):
# id -> (parts, pack licence id, version, display name). Cohere's licence is CC BY-NC 4.0 plus
# its acceptable-use addendum; the Llama 3 text already holds its policy.
COMBINATIONS: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "llama2+use-policy": (
        ("llama2", "llama2-use-policy"),
        "llama2",
        "2023-07-18",
        "Llama 2 Community License Agreement and Acceptable Use Policy",
    ),
    "llama3.1+use-policy": (
        ("llama3.1", "llama3.1-use-policy"),
        "llama3.1",
        "2024-07-23",
        "Llama 3.1 Community License Agreement and Acceptable Use Policy",
    ),
    "llama3.2+use-policy": (
        ("llama3.2", "llama3.2-use-policy"),
        "llama3.2",
        "2024-09-25",
        "Llama 3.2 Community License Agreement and Acceptable Use Policy",
    ),
    "llama3.3+use-policy": (
        ("llama3.3", "llama3.3-use-policy"),
        "llama3.3",
        "2024-12-06",
        "Llama 3.3 Community License Agreement and Acceptable Use Policy",
    ),
    "llama4+use-policy": (
        ("llama4", "llama4-use-policy"),
        "llama4",
        "2025-04-05",
        "Llama 4 Community License Agreement and Acceptable Use Policy",
    ),
    "gemma-20240221+use-policy": (
        ("gemma-20240221", "gemma-prohibited-use-policy"),
        "gemma",
        "2024-02-21",
        "Gemma Terms of Use and Prohibited Use Policy",
    ),
    "gemma-20240401+use-policy": (
        ("gemma-20240401", "gemma-prohibited-use-policy"),
        "gemma",
        "2024-04-01",
        "Gemma Terms of Use and Prohibited Use Policy",
    ),
    "gemma-20250324+use-policy": (
        ("gemma-20250324", "gemma-prohibited-use-policy"),
        "gemma",
        "2025-03-24",
        "Gemma Terms of Use and Prohibited Use Policy",
    ),
    "gemma+use-policy": (
        ("gemma", "gemma-prohibited-use-policy"),
        "gemma",
        "2026-04-01",
        "Gemma Terms of Use and Prohibited Use Policy",
    ),
    "stabilityai-community+use-policy": (
        ("stabilityai-community", "stabilityai-acceptable-use"),
        "stabilityai-community",
        "2024-07-05",
        "Stability AI Community License and Acceptable Use Policy",
    ),
    "gemini-api-terms+use-policy": (
        ("gemini-api-terms", "google-generative-ai-prohibited-use-policy"),
        "gemini-api-terms",
        "2025-11-20",
        "Gemini API Additional Terms and Generative AI Prohibited Use Policy",
    ),
    "c4ai-cc-by-nc": (
        ("cc-by-nc-4.0", "c4ai-acceptable-use"),
        "c4ai-cc-by-nc",
        "2024-05-14",
        "CC BY-NC 4.0 with the C4AI Acceptable Use Policy",
    ),
    "cohere-labs-cc-by-nc": (
        ("cc-by-nc-4.0", "cohere-labs-acceptable-use"),
        "c4ai-cc-by-nc",
        "2025-04-15",
        "CC BY-NC 4.0 with the Cohere Labs Acceptable Use Policy",
    ),
}
# Parts of a text that copies may include or leave out.
# The Llama 3 LICENSE file carries its Acceptable Use Policy after the terms; other copies
# (a LICENSE file, a card) often hold the licence alone. A line equal to the phrase starts the part.
OPTIONAL_FROM = {"apache-2.0": "END OF TERMS AND CONDITIONS", "llama3": "Meta Llama 3 Acceptable Use Policy"}


def read_text_file(path: Path) -> tuple[dict[str, str], str]:
    """The header fields and the verbatim text of one reference file."""
    content = path.read_text("utf-8")
    header, separator, text = content.partition("\n---\n")
    if not separator:
        raise SystemExit(f"{path}: no '---' line after the header")
    fields = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields, text


def pack_licences() -> set[str]:
    found = set()
    for path in sorted((ROOT / "rules" / "licenses").glob("*.yaml")):
        if path.name.endswith(".tests.yaml"):
            continue
        pack = yaml.safe_load(path.read_text("utf-8")).get("pack", {})
        if pack.get("license"):
            found.add(pack["license"])
    return found


def build(directories: list[Path]) -> str:
    files: dict[str, Path] = {}
    for directory in directories:
        for path in sorted(directory.glob("*.txt")):
            files.setdefault(path.stem, path)
    unmapped = sorted(set(files) - set(TEXTS))
    absent = sorted(set(TEXTS) - set(files))
    if unmapped or absent:
        raise SystemExit(
            (f"texts without an entry in TEXTS: {', '.join(unmapped)}\n" if unmapped else "")
            + (
                f"entries without a text (give its folder with --texts): {', '.join(absent)}"
                if absent
                else ""
            )
        )
    licences = pack_licences()
    entries = []
    for text_id, (licence, version, name, part) in TEXTS.items():
        if licence is not None and licence not in licences:
            raise SystemExit(f"{text_id}: no bundled pack has licence id {licence!r}")
        fields, text = read_text_file(files[text_id])
        entries.append(
            {
                "id": text_id,
                "license": licence,
                "version": version,
                "name": name,
                "part": part,
                "partial": fields.get("verbatim", "").startswith("partial"),
                "source": fields.get("licensor URL", "").split(" ")[0],
                **fingerprint_text(text, OPTIONAL_FROM.get(text_id)),
            }
        )
    combinations = []
    for combined_id, (parts, licence, version, name) in COMBINATIONS.items():
        if licence not in licences or not set(parts) <= set(TEXTS):
            raise SystemExit(f"{combined_id}: unknown licence {licence!r} or part in {parts}")
        # Shingles spanning the joins between the parts, which no part has on its own.
        texts = [words(read_text_file(files[part])[1])[0] for part in parts]
        joins: set[int] = set()
        for before, after in itertools.pairwise(texts):
            joins |= set(shingles([*before[-(SHINGLE_WORDS - 1) :], *after[: SHINGLE_WORDS - 1]]))
        combinations.append(
            {
                "id": combined_id,
                "parts": list(parts),
                "license": licence,
                "version": version,
                "name": name,
                "joins": pack_hashes(sorted(joins)),
            }
        )
    document = {
        "format": FORMAT,
        "shingle_words": SHINGLE_WORDS,
        "texts": entries,
        "combinations": combinations,
    }
    return json.dumps(document, indent=0, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, action="append", help="folder of reference texts (repeatable)")
    parser.add_argument("--output", type=Path, default=FINGERPRINTS)
    parser.add_argument("--check", action="store_true", help="exit 1 if --output differs from the texts")
    args = parser.parse_args()
    directories = args.texts or [ROOT.parent / "shared" / "reference" / "texts"]
    document = build(directories)
    if args.check:
        current = args.output.read_text("utf-8") if args.output.exists() else ""
        if current != document:
            print(f"{args.output} is stale: run scripts/make_fingerprints.py", file=sys.stderr)
            return 1
        print(f"{args.output} matches the texts")
        return 0
    args.output.write_text(document, "utf-8")
    print(f"wrote {args.output} ({len(document):,} bytes, {len(TEXTS)} texts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
