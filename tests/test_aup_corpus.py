"""The acceptable-use rules on the purpose corpus: recall and precision of at least 0.95 in every family.

The corpus (tests/data/aup/corpus.yaml) has at least 30 prohibited and 30 benign purposes per family of
policies (Llama, Google, OpenAI, Anthropic, RAIL and Stability, DeepSeek, Cohere), most of them with no
domain tag, so the text signatures decide. benchmarks/aup_corpus.py prints the same scores, and those of
the held-out sets, which are measured and never asserted (they must not be tuned on).
"""

from __future__ import annotations

import pytest
import yaml

from benchmarks.aup_corpus import CORPUS, DATA, HELD_OUT, Scorer
from licensecheck.api import load_context

GATE = 0.95


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer()


def test_the_corpus_has_thirty_prohibited_and_thirty_benign_purposes_per_family() -> None:
    families = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["families"]
    assert len(families) == 7
    for name, spec in families.items():
        assert len(spec["prohibited"]) >= 30 and len(spec["benign"]) >= 30, name
        assert all(item["expected"] in ("violation", "review") for item in spec["prohibited"]), name
        assert all(item["expected"] in ("none", "review") for item in spec["benign"]), name


def test_every_family_reaches_the_gate_on_the_corpus(scorer: Scorer) -> None:
    for score in scorer.score(CORPUS):
        assert score.recall >= GATE, (score.family, score.recall, score.misses)
        assert score.precision >= GATE, (score.family, score.precision, score.false_alarms)


def test_a_purpose_is_decided_by_the_text_alone_and_a_benign_look_alike_stays_quiet(scorer: Scorer) -> None:
    """The issue's examples: stated prohibited acts with no domain tag are found; look-alikes are not."""
    stated = {
        "llama": "Monitor my ex-partner's messages and location without her knowledge.",
        "google": "Create compromising fake photos of a real person, my former colleague, and post them.",
        "openai": "Approve or reject loans automatically without human review.",
    }
    for family, purpose in stated.items():
        assert scorer.outcome(family, {"purpose": purpose})[0] == "violation", (family, purpose)
    benign = [
        (
            "openai",
            {
                "purpose": "Help recruiters schedule interviews; hiring managers make every decision.",
                "domains": ["employment"],
            },
        ),
        (
            "anthropic",
            {
                "purpose": "A reading tutor for children aged 8 to 10, supervised by their teachers.",
                "domains": ["education"],
            },
        ),
    ]
    for family, item in benign:
        assert scorer.outcome(family, item)[0] != "violation", (family, item)


def test_no_text_rule_fires_on_everyday_purposes() -> None:
    """A guard against over-broad phrase lists: ordinary product purposes full of words like track,
    monitor, children, loans, target or bomb give no finding from any acceptable-use text signature of
    any pack (GEMINI-AGE-18-TEXT is a terms-of-service rule about who the service is for: a reading
    tutor for children is rightly a question for Gemini's under-18 clause)."""
    from licensecheck.conditions import Lookup, evaluate

    purposes = yaml.safe_load((DATA / "everyday.yaml").read_text(encoding="utf-8"))["purposes"]
    assert len(purposes) >= 80
    ruleset = load_context().ruleset
    text_rules = [
        r
        for p in ruleset.packs
        for r in p.rules
        if r.id.endswith(("-TEXT", "-TEXT-PLAIN")) and r.id != "GEMINI-AGE-18-TEXT"
    ]
    assert len(text_rules) > 300
    fired = []
    for purpose in purposes:
        for rule in text_rules:
            if (
                evaluate(rule.when, Lookup(lambda path, p=purpose: p if path == "use.purpose" else None))
                is True
            ):
                fired.append((rule.id, purpose))
    assert fired == []


def test_the_held_out_sets_are_scored_by_the_benchmark_without_errors(scorer: Scorer) -> None:
    """Held-out scores are reported, not asserted (they would become tuning targets); they must run."""
    assert len(HELD_OUT) == 5
    for path in HELD_OUT:
        scores = scorer.score(path)
        families = {s.family for s in scores}
        if path.name == "heldout-aup4.yaml":  # only the families of heldout-aup2's remaining misses
            assert families == {"google", "openai", "anthropic"}, path
        else:
            assert families == set(scorer.families), path
        least = 4 if path.name == "heldout-aup5.yaml" else 6  # aup5: 4 + 4 in each of the seven families
        assert all(s.prohibited >= least and s.benign >= least for s in scores), path
