"""The condition language: the operator table, three-valued logic, phrases and safe patterns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from licensecheck.conditions import (
    OPERATORS,
    ConditionError,
    Constant,
    Known,
    Lookup,
    PhraseSet,
    _reads_decided,
    compile_check,
    compile_condition,
    compile_pattern,
    evaluate,
    facts_of,
    specialise,
)

ROOT = Path(__file__).resolve().parent.parent


def known(path: str) -> bool:
    return True


def run(cond: dict, facts: dict) -> bool | None:
    return evaluate(compile_condition(cond, known), Lookup(facts.get))


def test_schema_operator_list_equals_the_operator_table() -> None:
    schema = json.loads((ROOT / "licensecheck/schemas/rules.schema.json").read_text())
    leaf = schema["$defs"]["leaf"]
    assert set(leaf["properties"]) - {"fact"} == set(OPERATORS)
    assert {next(iter(alt["required"])) for alt in leaf["oneOf"]} == set(OPERATORS)


@pytest.mark.parametrize(
    ("op", "value", "arg", "expected"),
    [
        ("eq", "Apache-2.0", "apache-2.0", True),
        ("eq", 3, 4, False),
        ("ne", "a", "b", True),
        ("ne", "A", "a", False),
        ("in", "DE", ["FR", "de"], True),
        ("in", "US", ["FR", "DE"], False),
        ("not_in", "US", ["FR", "DE"], True),
        ("not_in", "FR", ["FR"], False),
        ("lt", 5, 6, True),
        ("lt", 6, 6, False),
        ("le", 6, 6, True),
        ("le", 7, 6, False),
        ("gt", 700000001, 700000000, True),
        ("gt", 700000000, 700000000, False),
        ("ge", 700000000, 700000000, True),
        ("ge", 1, 2, False),
        ("lt", "2023-10", "2024-01", True),
        ("ge", "2024-07-23", "2024-07", True),
        ("contains", ["text", "vision"], "vision", True),
        ("contains", ["text"], "vision", False),
        ("contains", "Meta Llama", "llama", True),
        ("contains_any", ["a", "b"], ["c", "b"], True),
        ("contains_any", ["a"], ["c"], False),
        ("contains_all", ["a", "b", "c"], ["a", "c"], True),
        ("contains_all", ["a"], ["a", "c"], False),
        ("within", ["apache-2.0", "MIT"], ["mit", "apache-2.0", "bsd-3-clause"], True),
        ("within", ["apache-2.0", "llama3.1"], ["mit", "apache-2.0"], False),
        ("within", [], ["mit"], True),
        ("startswith", "Llama-Acme-8B", "llama", True),
        ("startswith", "Acme-Llama", "Llama", False),
        ("matches", "acme-8b-v2", r"-v[0-9]$", True),
        ("matches", "acme-8b", r"-v[0-9]$", False),
        ("mentions", "We design guided missiles.", ["missile*"], True),
        ("mentions", "A weapons-free zone.", ["weapon*"], False),
    ],
)
def test_each_operator_holds_and_fails(op: str, value: object, arg: object, expected: bool) -> None:
    assert run({"fact": "x.y", op: arg}, {"x.y": value}) is expected


def test_present_and_missing_are_never_unknown() -> None:
    assert run({"fact": "x.y", "present": True}, {}) is False
    assert run({"fact": "x.y", "missing": True}, {}) is True
    assert run({"fact": "x.y", "present": True}, {"x.y": 0}) is True


def test_a_missing_fact_is_unknown_and_named() -> None:
    lookup = Lookup({}.get)
    cond = compile_condition({"fact": "organization.monthly_active_users", "gt": 700000000}, known)
    assert evaluate(cond, lookup) is None
    assert lookup.missing == ["organization.monthly_active_users"]


def test_three_valued_all_any_not() -> None:
    unknown = {"fact": "gone", "eq": 1}
    true = {"fact": "one", "eq": 1}
    false = {"fact": "one", "eq": 2}
    facts = {"one": 1}
    assert run({"all": [unknown, false]}, facts) is False
    assert run({"all": [unknown, true]}, facts) is None
    assert run({"all": [true, true]}, facts) is True
    assert run({"any": [unknown, true]}, facts) is True
    assert run({"any": [unknown, false]}, facts) is None
    assert run({"any": [false, false]}, facts) is False
    assert run({"not": unknown}, facts) is None
    assert run({"not": false}, facts) is True


def test_comparing_two_facts() -> None:
    cond = {"fact": "model.context_window", "lt": {"fact": "requirements.min_context_tokens"}}
    assert run(cond, {"model.context_window": 8192, "requirements.min_context_tokens": 32000}) is True
    assert run(cond, {"model.context_window": 32000, "requirements.min_context_tokens": 32000}) is False
    assert run(cond, {"requirements.min_context_tokens": 32000}) is None


def test_type_mismatch_is_unknown_not_an_exception() -> None:
    assert run({"fact": "x", "gt": 5}, {"x": "many"}) is None
    assert run({"fact": "x", "startswith": "a"}, {"x": 5}) is None


@pytest.mark.parametrize(
    ("cond", "message"),
    [
        ({"fact": "x", "in": "not-a-list"}, "'in' needs a list of values"),
        ({"fact": "x", "present": False}, "'present' needs true"),
        ({"fact": "x", "mentions": []}, "'mentions' needs a non-empty list"),
        ({"fact": "x", "matches": "(a+)+$"}, "a group may not be repeated"),
        ({"fact": "x", "matches": r"(a)\1"}, "backreferences are not allowed"),
        ({"fact": "x", "matches": "(?=a)"}, "lookaround is not allowed"),
        ({"fact": "x", "matches": "[unclosed"}, "invalid pattern"),
        ({"fact": "x", "contains_any": {"fact": "y"}}, "cannot take another fact"),
    ],
)
def test_bad_arguments_are_load_errors(cond: dict, message: str) -> None:
    with pytest.raises(ConditionError) as info:
        compile_condition(cond, known)
    assert message in str(info.value)


def test_unknown_fact_is_a_load_error() -> None:
    with pytest.raises(ConditionError) as info:
        compile_condition({"fact": "organisation.country", "eq": "DE"}, lambda p: p == "organization.country")
    assert "unknown fact 'organisation.country'" in str(info.value)


def test_phrases_match_whole_words_and_report_what_matched() -> None:
    phrases = PhraseSet(["weapon*", "assault rifle", "nuclear"])
    assert phrases.find("Customer support for a weapons-free zone") == []
    assert phrases.find("Design an ASSAULT rifle and nuclear weapons") == [
        "assault rifle",
        "nuclear",
        "weapons",
    ]
    assert phrases.find("nuclearity") == []


def test_phrase_matching_is_linear_on_adversarial_input() -> None:
    phrases = PhraseSet(["a a a a b", "a*"])
    text = "a " * 200_000
    found = phrases.find(text)
    assert found == ["a"]


def test_indexed_prefix_stems_find_what_a_scan_of_every_stem_finds() -> None:
    """Stems are looked up by their first letters; short stems (under STEM_KEY letters) still match."""
    phrases = ["we*", "weapon*", "a*", "x", "nuclear weapon*", "un*", "unde* age", "zo*", "z* x"]
    text = "We want weapons-free zones, a nuclear weaponry ban, under age rules, unwise zoo x z x; weapon."
    got = PhraseSet(phrases).find(text)
    tokens = text.lower().replace(",", "").replace(";", "").replace(".", "").split()
    naive = []
    for i in range(len(tokens)):
        for phrase in phrases:
            parts = phrase.split()
            window = tokens[i : i + len(parts)]
            if len(window) == len(parts) and all(
                t.startswith(p[:-1]) and "-" not in t[len(p) - 1 :] if p.endswith("*") else t == p
                for p, t in zip(parts, window)
            ):
                hit = " ".join(window)
                if hit not in naive:
                    naive.append(hit)
    assert got == naive
    assert "weapons-free" not in got and "we" in got and "a" in got and "z x" in got


def test_evidence_lists_the_words_of_every_list_a_signature_matched() -> None:
    cond = compile_condition(
        {
            "all": [
                {"fact": "use.purpose", "mentions": ["track*"]},
                {"fact": "use.purpose", "mentions": ["secretly"]},
            ]
        },
        known,
    )
    lookup = Lookup({"use.purpose": "Secretly track the drivers; tracking again."}.get)
    assert evaluate(cond, lookup) is True
    assert lookup.used["use.purpose"] == {"matched": ["track", "tracking", "secretly"]}


def test_the_same_phrase_list_compiles_to_one_shared_phrase_set() -> None:
    """A library list used by many rules is one matcher, so a purpose is scanned once per list."""
    first = compile_condition({"fact": "use.purpose", "mentions": ["alpha*", "beta gamma"]}, known)
    second = compile_condition({"fact": "use.purpose", "mentions": ["alpha*", "beta gamma"]}, known)
    other = compile_condition({"fact": "use.purpose", "mentions": ["alpha*"]}, known)
    assert first.arg is second.arg  # type: ignore[union-attr]
    assert first.arg is not other.arg  # type: ignore[union-attr]


def test_safe_pattern_rejects_nested_quantifiers() -> None:
    with pytest.raises(ConditionError):
        compile_pattern("(x+x+)+y")
    assert compile_pattern("^Llama").search("Llama-3")


# ------------------------------------------------------------------------------ partial evaluation

_USE_CASE_FACTS = ("u.n", "u.s", "u.l")  # decided before the model is known
_MODEL_FACTS = ("m.n", "m.s", "m.l")
_VALUES = {
    # a bool and a text among the numbers: an ordered test of them is unknown, never a comparison
    "n": st.one_of(st.none(), st.integers(-3, 3), st.floats(-3, 3), st.booleans(), st.just("2")),
    "s": st.one_of(st.none(), st.sampled_from(["alpha", "Beta", "alpha beta", "", "gamma"])),
    "l": st.one_of(st.none(), st.lists(st.sampled_from(["a", "b", "c"]), max_size=3)),
}


def _leaf(fact: str) -> st.SearchStrategy[dict]:  # type: ignore[type-arg]
    kind = fact[-1]
    other = st.sampled_from([f for f in _USE_CASE_FACTS + _MODEL_FACTS if f[-1] == kind and f != fact])
    by_kind = {
        "n": [
            st.builds(lambda v: {"eq": v}, st.integers(-3, 3)),
            st.builds(lambda v: {"gt": v}, st.one_of(st.integers(-3, 3), st.floats(-3, 3))),
            st.builds(lambda v: {"le": v}, st.integers(-3, 3)),
            st.builds(lambda v: {"in": v}, st.lists(st.integers(-3, 3), max_size=3)),
            st.builds(
                lambda v: {"not_in": v}, st.lists(st.one_of(st.integers(-3, 3), st.floats(-3, 3)), max_size=3)
            ),
            st.builds(lambda f: {"lt": {"fact": f}}, other),
        ],
        "s": [
            st.builds(lambda v: {"eq": v}, st.sampled_from(["alpha", "beta"])),
            st.builds(lambda v: {"contains": v}, st.sampled_from(["alpha", "x"])),
            st.builds(lambda v: {"mentions": v}, st.sampled_from([["alpha"], ["beta", "gam*"]])),
            st.builds(lambda v: {"matches": v}, st.sampled_from(["^a", "a$"])),
            st.builds(lambda f: {"ne": {"fact": f}}, other),
            # a value folded already (compared at once) and one that is not ("Beta" to "beta")
            st.builds(lambda v: {"ne": v}, st.sampled_from(["alpha", "BETA"])),
            st.builds(lambda v: {"lt": v}, st.sampled_from(["alpha", "beta"])),
            st.builds(lambda v: {"in": v}, st.lists(st.sampled_from(["ALPHA", "beta", "x"]), max_size=3)),
            st.builds(lambda v: {"not_in": v}, st.lists(st.sampled_from(["Alpha", "gamma", 1]), max_size=3)),
            st.builds(lambda f: {"ge": {"fact": f}}, other),
        ],
        "l": [
            st.builds(lambda v: {"contains": v}, st.sampled_from(["a", "b"])),
            st.builds(lambda v: {"contains_any": v}, st.lists(st.sampled_from(["a", "c"]), min_size=1)),
            st.builds(lambda v: {"contains_all": v}, st.lists(st.sampled_from(["a", "b"]), min_size=1)),
            st.builds(lambda v: {"within": v}, st.lists(st.sampled_from(["a", "b", "c"]), min_size=1)),
        ],
    }
    flags = [st.just({"present": True}), st.just({"missing": True})]
    return st.one_of(*by_kind[kind], *flags).map(lambda test: {"fact": fact, **test})


_CONDITIONS = st.recursive(
    st.one_of([_leaf(fact) for fact in _USE_CASE_FACTS + _MODEL_FACTS]),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4).map(lambda parts: {"all": parts}),
        st.lists(inner, min_size=1, max_size=4).map(lambda parts: {"any": parts}),
        inner.map(lambda part: {"not": part}),
    ),
    max_leaves=10,
)
_FACTS = st.fixed_dictionaries({f: _VALUES[f[-1]] for f in _USE_CASE_FACTS + _MODEL_FACTS})


@given(raw=_CONDITIONS, facts=_FACTS)
def test_partial_evaluation_agrees_with_full_evaluation(raw: dict, facts: dict) -> None:  # type: ignore[type-arg]
    """Deciding the use case's facts first never changes the value, the evidence or the missing facts."""
    cond = compile_condition(raw, known)
    given_now = {k: v for k, v in facts.items() if k in _USE_CASE_FACTS}
    residue = specialise(cond, given_now.get, lambda path: path in _USE_CASE_FACTS)
    full, later = Lookup(facts.get), Lookup(facts.get)
    value = evaluate(cond, full)
    assert evaluate(residue, later) is value
    assert (later.used, later.missing) == (full.used, full.missing)
    if all(path in _USE_CASE_FACTS for path in facts_of(cond)):
        assert isinstance(residue, Known)  # nothing is left for later
    # told the facts the condition reads (a Rule's `facts`), it gives the same residue
    assert specialise(cond, given_now.get, lambda path: path in _USE_CASE_FACTS, facts_of(cond)) == residue


@given(raw=_CONDITIONS, decided=st.sets(st.sampled_from(_USE_CASE_FACTS + _MODEL_FACTS)))
def test_reads_decided_is_every_fact_read_decided(raw: dict, decided: set[str]) -> None:  # type: ignore[type-arg]
    """specialise's test of a node, without the list of its facts, answers as all() over facts_of."""
    cond = compile_condition(raw, known)
    assert _reads_decided(cond, decided.__contains__) is all(path in decided for path in facts_of(cond))


@given(raw=_CONDITIONS, facts=_FACTS)
def test_compiled_check_agrees_with_evaluation(raw: dict, facts: dict) -> None:  # type: ignore[type-arg]
    """A compiled condition gives what evaluate() gives, before and after partial evaluation."""
    cond = compile_condition(raw, known)
    given_now = {k: v for k, v in facts.items() if k in _USE_CASE_FACTS}
    residue = specialise(cond, given_now.get, lambda path: path in _USE_CASE_FACTS)
    value = evaluate(cond, Lookup(facts.get))
    reader = lambda path: lambda values: values.get(path)  # noqa: E731
    assert compile_check(cond, reader)(facts) is value
    assert compile_check(residue, reader)(facts) is value
    # the use case's facts read as the constants they are for every model (a prepared rule set's checks)
    bound = lambda path: Constant(facts.get(path)) if path in _USE_CASE_FACTS else reader(path)  # noqa: E731
    assert compile_check(cond, bound)(facts) is value
    assert compile_check(residue, bound)(facts) is value


def test_compiled_check_reads_what_evaluation_reads_in_its_order() -> None:
    """Decided parts are folded in, the rest is read as evaluate() reads it (a read may compute a fact)."""
    facts = {"a": 1, "b": None, "c": "X"}
    cond = compile_condition(
        {"all": [{"fact": "a", "eq": 1}, {"any": [{"fact": "b", "gt": 0}, {"fact": "c", "eq": "x"}]}]}, known
    )
    read: list[str] = []

    def reader(path: str):  # type: ignore[no-untyped-def]
        def get(values: dict) -> object:  # type: ignore[type-arg]
            read.append(path)
            return values.get(path)

        return get

    assert compile_check(cond, reader)(facts) is True
    assert read == ["a", "b", "c"]
    for decided, expected in ((Known(False, (), (), ()), False), (Known(None, (), (), ()), None)):
        read.clear()
        check = compile_check(cond._replace(parts=(decided, *cond.parts)), reader)
        assert check(facts) is expected
        assert read == ([] if expected is False else ["a", "b", "c"])


_PHRASE_WORDS = st.sampled_from(["a", "ab", "abc", "abcd", "abx", "b", "ba", "bar", "x-y", "ab-c", "bard"])
_PHRASES = st.lists(
    st.lists(st.tuples(_PHRASE_WORDS, st.booleans()), min_size=1, max_size=3).map(
        lambda parts: " ".join(word + ("*" if star else "") for word, star in parts)
    ),
    min_size=1,
    max_size=6,
    unique=True,
)


@given(phrases=_PHRASES, text=st.lists(_PHRASE_WORDS, max_size=8).map(" ".join))
def test_a_phrase_list_from_the_cache_finds_what_the_compiled_list_finds(
    phrases: list[str], text: str
) -> None:
    """A cached list answers from the words a match can start with while it is still marshalled,
    and from the list once read: both as the compiled list does."""
    from licensecheck.conditions import PhraseSet, PhraseTable

    compiled = PhraseSet(phrases)
    table = PhraseTable()
    table.add(compiled)
    unread = PhraseTable(list(table.stored)).get(0)
    assert unread.find(text) == compiled.find(text)
    read = PhraseTable(list(table.stored)).get(0)
    assert read.by_first == compiled.by_first
    assert read.find(text) == compiled.find(text)


def test_a_phrase_list_remembers_its_last_search_only_for_the_same_text() -> None:
    """find remembers its last search (many rules test one purpose against one library list): the
    same text finds the same phrases, another text is searched, and a caller's list is its own."""
    from licensecheck.conditions import PhraseTable

    compiled = PhraseSet(["train* a model", "resell", "weapon*"])
    table = PhraseTable()
    table.add(compiled)
    for phrases in (compiled, PhraseTable(list(table.stored)).get(0)):
        found = phrases.find("We train a model and resell weapons")
        assert found == ["train a model", "resell", "weapons"]
        found.append("changed by the caller")
        assert phrases.find("We train a model and resell weapons") == ["train a model", "resell", "weapons"]
        assert phrases.find("nothing to see") == []
        assert phrases.find("We resell") == ["resell"]
        assert phrases.find("We train a model and resell weapons") == ["train a model", "resell", "weapons"]


def test_a_phrase_list_from_the_cache_finds_what_it_found_when_compiled() -> None:
    """A cached list stays marshalled until read; then it finds, lists and pickles as compiled."""
    import pickle

    from licensecheck.conditions import PhraseTable, Test, decode, encode, phrase_set

    compiled = phrase_set(("facial recognition", "biometric*", "track people"))
    table = PhraseTable()
    data = encode(Test("usecase.purpose", "mentions", None, compiled, None), table)
    stored = PhraseTable(list(table.stored))
    text = "We track people with facial recognition and biometrics."
    cond = decode(data, stored)
    assert isinstance(cond, Test) and cond.arg is decode(data, stored).arg  # one object per list
    assert pickle.loads(pickle.dumps(cond)).arg.find(text) == compiled.find(text)
    assert cond.arg.find(text) == compiled.find(text) == ["track people", "facial recognition", "biometrics"]
    assert (cond.arg.phrases, cond.arg.by_first, cond.arg.prefixed) == (
        compiled.phrases,
        compiled.by_first,
        compiled.prefixed,
    )
    with pytest.raises(AttributeError):
        _ = cond.arg.colour  # type: ignore[attr-defined]
