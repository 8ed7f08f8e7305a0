"""Precision and recall of the acceptable-use rules on purpose corpora, per family of policies.

Runs the real engine: each item of a corpus (tests/data/aup/*.yaml) becomes one use case per base of
its family (the family's `bases`, with the item's purpose, its `domains` replacing the base's and its
`use` facts added) and per pack of the family (a pack that no base's model reaches is run with an
inline model under that licence), and its outcome is the strongest `violation` or `review` finding of
an `acceptable-use` rule over all those runs. Then, per family:

    recall    = prohibited items flagged (review or violation) / prohibited items
    precision = flagged prohibited / (flagged prohibited + benign items flagged above their expected outcome)
    level     = prohibited items whose outcome equals the expected one (printed, not gated)

tests/test_aup_corpus.py asserts recall and precision >= 0.95 in every family of corpus.yaml. dev.yaml
holds more wordings written later and is tuned on too. heldout-researcher.yaml (written by the licence
researcher after tuning their own lists) and heldout-own.yaml (written by lic-c before the signatures were
designed) measured generalisation until aup2 studied their misses to generalise the phrase lists (not to
copy their sentences): their scores are now dev scores. heldout-aup2.yaml was written by aup2 before it
was measured: recall 0.929 (39/42) with 3 false alarms. Two of those false alarms (protecting addresses
from doxing, investigating harassment complaints) were then fixed as wrong blocks, and aup4 fixed its
three misses and last false alarm, so it is now tuned on too (1.000, no false alarms). heldout-aup4.yaml
(google, openai, anthropic) was written by aup4 before any of that tuning and measured on the rules
before it: recall 0.375 (9/24), 0/24 false alarms, and the same after; aup5 then used its misses to
choose categories to widen, so it is tuned on too. heldout-aup5.yaml (all seven families, 4 + 4 each)
was written by aup5 before any of that tuning and measured on the rules before it: recall 0.429
(12/28), 1/28 false alarms; it is the untuned set. Do not tune on it; the next held-out set should be
written before anyone measures it.

    python benchmarks/aup_corpus.py [--verbose] [CORPUS.yaml ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data" / "aup"
CORPUS = DATA / "corpus.yaml"
DEV = DATA / "dev.yaml"  # more tuning data (other wordings), tuned on like the corpus
HELD_OUT = (
    DATA / "heldout-researcher.yaml",
    DATA / "heldout-own.yaml",
    DATA / "heldout-aup2.yaml",
    DATA / "heldout-aup4.yaml",
    DATA / "heldout-aup5.yaml",
)
RANK = {"none": 0, "review": 1, "violation": 2}


class Score(NamedTuple):
    """One family's result on one corpus."""

    family: str
    prohibited: int
    benign: int
    flagged: int
    false_positives: int
    exact: int
    misses: list[str]
    false_alarms: list[str]

    @property
    def recall(self) -> float:
        return self.flagged / self.prohibited if self.prohibited else 1.0

    @property
    def precision(self) -> float:
        found = self.flagged + self.false_positives
        return self.flagged / found if found else 1.0

    @property
    def level(self) -> float:
        return self.exact / self.prohibited if self.prohibited else 1.0


class Scorer:
    """The loaded rules and catalog, and the use cases of each family's bases."""

    def __init__(self) -> None:
        from licensecheck.api import load_context

        self.ctx = load_context()
        self.families: dict[str, dict[str, Any]] = load(CORPUS)["families"]
        self._bases: dict[str, list[dict[str, Any]]] = {}

    def outcome(self, family: str, item: dict[str, Any]) -> tuple[str, list[str]]:
        """The strongest acceptable-use outcome for one item, and the rules that gave it."""
        from licensecheck.api import evaluate
        from licensecheck.ruletest import merge

        best, rules = "none", []
        for base in self.bases(family):
            use = {"purpose": item["purpose"], **item.get("use", {})}
            if "domains" in item:
                use["domains"] = item["domains"]
            report = evaluate(self.ctx, merge(base, {"use": use}), as_of="2026-01-01")
            for finding in report.reports[0].findings:
                if finding.category != "acceptable-use" or finding.outcome.value not in RANK:
                    continue
                rank = RANK[finding.outcome.value]
                if rank > RANK[best]:
                    best, rules = finding.outcome.value, [finding.rule]
                elif rank == RANK[best] and rank and finding.rule not in rules:
                    rules.append(finding.rule)
        return best, rules

    def bases(self, family: str) -> list[dict[str, Any]]:
        """The family's bases, plus one inline-model base per pack that no base's model reaches."""
        if family not in self._bases:
            self._bases[family] = self._family_bases(family)
        return self._bases[family]

    def _family_bases(self, family: str) -> list[dict[str, Any]]:
        from licensecheck.api import evaluate
        from licensecheck.ruletest import merge

        spec = self.families[family]
        bases = [dict(b) for b in spec["bases"]]
        reached = set()
        for base in bases:
            reached.add(str(evaluate(self.ctx, base, as_of="2026-01-01").reports[0].model.license))
        for pack in spec["packs"]:
            if pack not in reached:
                inline = {
                    "name": f"a model under {pack}",
                    "license": pack,
                    "modification": "none",
                    "weights": "open",
                }
                bases.append(merge(bases[0], {"model": {"id": None, **inline}}))
        return bases

    def score(self, path: Path) -> list[Score]:
        scores = []
        for family, spec in load(path)["families"].items():
            flagged = exact = false_positives = 0
            misses, alarms = [], []
            for item in spec["prohibited"]:
                best, rules = self.outcome(family, item)
                flagged += best != "none"
                exact += best == item["expected"]
                if best == "none":
                    misses.append(item["purpose"])
            for item in spec["benign"]:
                best, rules = self.outcome(family, item)
                if RANK[best] > RANK[item["expected"]]:
                    false_positives += 1
                    alarms.append(f"{item['purpose']}  [{best}: {', '.join(rules)}]")
            scores.append(
                Score(
                    family,
                    len(spec["prohibited"]),
                    len(spec["benign"]),
                    flagged,
                    false_positives,
                    exact,
                    misses,
                    alarms,
                )
            )
        return scores


def load(path: Path) -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def table(name: str, scores: list[Score], verbose: bool) -> str:
    lines = [name, f"  {'family':16} {'prohib':>6} {'benign':>6} {'recall':>7} {'precision':>9} {'level':>6}"]
    for s in scores:
        lines.append(
            f"  {s.family:16} {s.prohibited:6} {s.benign:6} {s.recall:7.3f} {s.precision:9.3f} {s.level:6.3f}"
        )
        if verbose:
            lines += [f"      missed: {m}" for m in s.misses] + [
                f"      false alarm: {a}" for a in s.false_alarms
            ]
    flagged = sum(s.flagged for s in scores)
    prohibited = sum(s.prohibited for s in scores)
    alarms = sum(s.false_positives for s in scores)
    benign = sum(s.benign for s in scores)
    lines.append(
        f"  all families: recall {flagged / prohibited:.3f} ({flagged}/{prohibited}), "
        f"false alarms {alarms}/{benign}, lowest recall/precision "
        f"{min(min(s.recall, s.precision) for s in scores):.3f}"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "corpora", nargs="*", type=Path, help="corpus files (default: the corpus, dev and the held-out sets)"
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="list missed and falsely flagged purposes"
    )
    args = parser.parse_args()
    scorer = Scorer()
    for path in args.corpora or [CORPUS, DEV, *HELD_OUT]:
        print(table(path.name, scorer.score(path), args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
