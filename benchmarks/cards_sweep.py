"""Sweep: evaluate every model folder below a directory and count what goes wrong.

Each sub-folder holding a README.md is a model folder (a Hugging Face model card, with any
LICENSE, config.json or adapter_config.json beside it). Every folder is evaluated in this
process with one use case (default: a commercial public hosted service of a small EU company,
the model used unchanged; --usecase FILE gives another, its `model` replaced by the folder), and
the sweep prints:

- refused: the run stopped with an input error (exit 2) over the folder;
- no licence found: the folder declares no licence anywhere (card fields, tags, LICENSE file,
  gate prompt);
- unresolved base: a base model the card names resolves to no catalog entry and no folder;
- silent passes without a licence: no licence found, and still `allowed` or
  `allowed-with-obligations` (target 0).

    python benchmarks/cards_sweep.py FOLDER [--usecase FILE] [--list refused|no-licence|unresolved|silent]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import licensecheck
from licensecheck.errors import InputError, InputErrors
from licensecheck.model import UseCaseReport, Verdict

USECASE = """\
licensecheck: 1
name: Acme writing assistant
organization:
  name: Acme Analytics GmbH
  type: company
  country: DE
  annual_revenue_usd: 6500000
  monthly_active_users: 20000
model:
  path: ./model
use:
  commercial: true
  purpose: Public paid chat and writing assistant web app and API.
  distribution: hosted-service
  end_users: public
  outputs_train_models: false
  modalities: [text]
deployment:
  regions: [DE]
  hosting: self-hosted
"""
PASSES = (Verdict.ALLOWED, Verdict.ALLOWED_WITH_OBLIGATIONS)
KINDS = ("refused", "no-licence", "unresolved", "silent")


def model_folders(root: Path) -> list[Path]:
    """Sub-folders of `root` holding a README.md, sorted by name."""
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "README.md").is_file())


def no_licence_found(report: UseCaseReport) -> bool:
    """No licence found for the folder's model anywhere licensecheck looks (a licence no pack
    encodes counts as found: it is named, and is a review of its own)."""
    return report.model.license is None and report.model.license_declared is None


def sweep(root: Path, usecase_file: str) -> dict[str, list[str]]:
    """Every folder below `root` evaluated with the use case; the folders of each kind."""
    context = licensecheck.load_context()
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    verdicts: Counter[str] = Counter()
    for folder in model_folders(root):
        override = {"path": str(folder.resolve())}
        try:
            run = licensecheck.evaluate_files(
                context, [usecase_file], as_of="2025-06-01", model_override=override
            )
        except (InputError, InputErrors) as exc:
            errors = exc.errors if isinstance(exc, InputErrors) else [exc]
            found["refused"].append(f"{folder.name}: {errors[0].render()}")
            continue
        report = run.reports[0]
        verdicts[report.verdict.value] += 1
        if no_licence_found(report):
            found["no-licence"].append(folder.name)
            if report.verdict in PASSES:
                found["silent"].append(f"{folder.name}: {report.verdict.value}")
        unresolved = [link.model for link in report.lineage if link.source == "unresolved"]
        if unresolved:
            found["unresolved"].append(f"{folder.name}: {', '.join(unresolved)}")
    found["verdicts"] = [f"{v}: {n}" for v, n in sorted(verdicts.items())]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="a folder whose sub-folders are model folders")
    parser.add_argument("--usecase", help="use-case file (its model is replaced by each folder)")
    parser.add_argument("--list", choices=KINDS, action="append", default=[], help="print these folders")
    args = parser.parse_args(argv)
    root = Path(args.folder)
    if not root.is_dir():
        print(f"{args.folder}: not a folder", file=sys.stderr)
        return 2
    total = len(model_folders(root))
    if not total:
        print(f"{args.folder}: no sub-folder holds a README.md", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        usecase_file = args.usecase
        if usecase_file is None:
            usecase_file = os.path.join(tmp, "usecase.yaml")
            Path(usecase_file).write_text(USECASE, encoding="utf-8")
        found = sweep(root, usecase_file)
    print(f"{total:,} model folders in {args.folder}")
    for kind, label in (
        ("refused", "refused (input error, exit 2)"),
        ("no-licence", "no licence found"),
        ("unresolved", "unresolved base"),
    ):
        count = len(found[kind])
        print(f"  {label:32} {count:6,}  {100 * count / total:5.1f} %")
    print(f"  {'silent passes without a licence':32} {len(found['silent']):6,}")
    print("  verdicts: " + "; ".join(found["verdicts"]))
    for kind in args.list:
        print(f"\n{kind}:")
        for line in found[kind]:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
