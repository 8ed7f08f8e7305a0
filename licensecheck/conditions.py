"""The condition language of rule packs: a closed operator table and three-valued evaluation.

A condition is `{all: [...]}`, `{any: [...]}`, `{not: ...}` or a test `{fact: PATH, OP: VALUE}`.
The value may itself be `{fact: PATH}` to compare two facts. A test on a fact that is not
given is *unknown*, not false: `all`/`any`/`not` follow Kleene's three-valued logic, so a rule
whose outcome depends on a missing fact becomes a needs-review finding naming that fact instead
of a guess. Operators are small pure functions in one table; the rule-pack schema's operator
list equals this table's keys (a test checks it).
"""

import functools
import marshal
import operator
import re
from collections.abc import Callable, Iterable
from typing import Any

from licensecheck.records import NamedTuple

try:  # Python 3.11+ moved the regex parser; it is only used to vet pack patterns
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse

UNKNOWN = None  # the third truth value


class ConditionError(ValueError):
    """A condition that cannot be compiled; carries the offending key path inside the condition."""

    def __init__(self, message: str, path: tuple[Any, ...] = (), hint: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.hint = hint


def _ordered(value: Any, arg: Any) -> tuple[Any, Any]:
    if isinstance(value, bool) or isinstance(arg, bool):
        raise TypeError("booleans are not ordered")
    if isinstance(value, (int, float)) and isinstance(arg, (int, float)):
        return value, arg
    if isinstance(value, str) and isinstance(arg, str):
        return value, arg
    raise TypeError(f"cannot compare {type(value).__name__} with {type(arg).__name__}")


def _lt(value: Any, arg: Any) -> bool:
    a, b = _ordered(value, arg)
    return bool(a < b)


def _le(value: Any, arg: Any) -> bool:
    a, b = _ordered(value, arg)
    return bool(a <= b)


def _gt(value: Any, arg: Any) -> bool:
    a, b = _ordered(value, arg)
    return bool(a > b)


def _ge(value: Any, arg: Any) -> bool:
    a, b = _ordered(value, arg)
    return bool(a >= b)


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _eq(value: Any, arg: Any) -> bool:
    return bool(_fold(value) == _fold(arg))


def _ne(value: Any, arg: Any) -> bool:
    return not _eq(value, arg)


def _in(value: Any, arg: Any) -> bool:
    return _fold(value) in [_fold(a) for a in arg]


def _not_in(value: Any, arg: Any) -> bool:
    return not _in(value, arg)


def _always(value: Any, arg: Any) -> bool:
    return True  # present/missing are decided by whether the fact is given, before any test


def _contains(value: Any, arg: Any) -> bool:
    if isinstance(value, str):
        return str(arg).casefold() in value.casefold()
    if isinstance(value, (list, tuple)):
        return _fold(arg) in [_fold(v) for v in value]
    raise TypeError("contains needs a list or text")


def _as_list(value: Any) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise TypeError("needs a list")
    return [_fold(v) for v in value]


def _contains_any(value: Any, arg: Any) -> bool:
    have = _as_list(value)
    return any(_fold(a) in have for a in arg)


def _contains_all(value: Any, arg: Any) -> bool:
    have = _as_list(value)
    return all(_fold(a) in have for a in arg)


def _within(value: Any, arg: Any) -> bool:
    allowed = {_fold(a) for a in arg}
    return all(v in allowed for v in _as_list(value))


def _startswith(value: Any, arg: Any) -> bool:
    if not isinstance(value, str):
        raise TypeError("startswith needs text")
    return value.casefold().startswith(str(arg).casefold())


def _matches(value: Any, arg: re.Pattern[str]) -> bool:
    if not isinstance(value, str):
        raise TypeError("matches needs text")
    return arg.search(value[:MATCH_INPUT_LIMIT]) is not None


def _mentions(value: Any, arg: "PhraseSet") -> bool:
    if not isinstance(value, str):
        raise TypeError("mentions needs text")
    return bool(arg.find(value))


class Operator(NamedTuple):
    """One entry of the operator table."""

    test: Callable[[Any, Any], bool]
    argument: str  # what the argument must be: any, list, number-or-text, text, phrases, pattern, true


OPERATORS: dict[str, Operator] = {
    "eq": Operator(_eq, "scalar"),
    "ne": Operator(_ne, "scalar"),
    "in": Operator(_in, "list"),
    "not_in": Operator(_not_in, "list"),
    "lt": Operator(_lt, "ordered"),
    "le": Operator(_le, "ordered"),
    "gt": Operator(_gt, "ordered"),
    "ge": Operator(_ge, "ordered"),
    "contains": Operator(_contains, "scalar"),
    "contains_any": Operator(_contains_any, "list"),
    "contains_all": Operator(_contains_all, "list"),
    "within": Operator(_within, "list"),
    "startswith": Operator(_startswith, "text"),
    "matches": Operator(_matches, "pattern"),
    "mentions": Operator(_mentions, "phrases"),
    "present": Operator(_always, "flag"),
    "missing": Operator(_always, "flag"),
}

MATCH_INPUT_LIMIT = 10_000  # `matches` looks at most this many characters

# ------------------------------------------------------------------------------ phrases

_WORD = re.compile(r"[a-z0-9]+(?:['\u2019-][a-z0-9]+)*")


# Latin look-alikes from Cyrillic and Greek (after case folding): "weapons" written with a
# Cyrillic e (U+0435) must read as "weapons", not as the words "w" and "apons".
_LOOK_ALIKES = str.maketrans(
    "\u0430\u0435\u0456\u0458\u043e\u0440\u0441\u0443\u0445\u0455\u0501\u051b\u051d\u04bb\u04cf"
    "\u0261\u03bf\u03b1\u03bd\u03c1\u03b9\u03ba\u03c7",
    "aeijopcyxsdqwhlgoavpikx",
)


@functools.lru_cache(maxsize=8)
def words(text: str) -> tuple[str, ...]:
    """Lower-case words of a text; hyphenated and apostrophe words stay one word. Linear time.

    Text that is not plain ASCII is first read as a person sees it: compatibility forms
    (full-width letters, ligatures) become their letters, accents and invisible characters
    (zero-width spaces, joiners, bidi controls, soft hyphens) are dropped, and Cyrillic or Greek
    letters that look Latin read as Latin, so none of them splits or hides a word.

    Remembered for the last few texts (a tuple, which no caller can change): a run searches one
    text for many phrase lists, and a shortlist prepares the rules of every licence in its
    catalog, some 900 searches of the use case's purpose.
    """
    folded = text.casefold()
    if not folded.isascii():
        folded = _as_seen(folded)
    return tuple(_WORD.findall(folded))


def _as_seen(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Cf"))
    return kept.casefold().translate(_LOOK_ALIKES)


STEM_KEY = 3  # letters of a prefix stem used to index it
# prefixed phrases by the first STEM_KEY letters of their stem, and those with shorter stems
_StemIndex = tuple[dict[str, list[tuple[int, str, tuple[str, ...]]]], list[tuple[int, str, tuple[str, ...]]]]


class PhraseSet:
    """Whole-word phrase matching in linear time (no regular expression over the phrases)."""

    def __init__(self, phrases: list[str] | tuple[str, ...]) -> None:
        self.phrases = tuple(phrases)
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        self.prefixed: list[tuple[str, tuple[str, ...]]] = []
        for phrase in phrases:
            parts = tuple(_phrase_words(phrase))
            if not parts:
                raise ConditionError(f"phrase '{phrase}' has no words")
            first = parts[0]
            if first.endswith("*"):
                self.prefixed.append((first[:-1], parts))
            else:
                self.by_first.setdefault(first, []).append(parts)
        self._stems: _StemIndex | None = None
        self._last: tuple[str, tuple[str, ...]] | None = None  # the last search: text, found

    def _stem_index(self) -> _StemIndex:
        """Prefixed phrases indexed by the first STEM_KEY letters of their stem, so a word is
        compared with the few stems it can start with, not with every stem of a long list.

        Built on the first search: a run loads every pack's phrase lists but reads few of them.
        Threads that race here build the same index, and one assignment publishes it.
        """
        if self._stems is not None:
            return self._stems
        by_key: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
        short: list[tuple[int, str, tuple[str, ...]]] = []
        for i, (stem, parts) in enumerate(self.prefixed):
            if len(stem) >= STEM_KEY:
                by_key.setdefault(stem[:STEM_KEY], []).append((i, stem, parts))
            else:
                short.append((i, stem, parts))
        self._stems = (by_key, short)
        return self._stems

    def find(self, text: str) -> list[str]:
        """The phrases found in `text`, as they appear there, in order, without repeats.

        The last search is remembered: many rules test one text against the same library list (a
        shortlist prepares the rules of every licence: some 900 searches, of 70 lists). It is one
        tuple, replaced whole, so one PhraseSet still serves several threads at once.
        """
        last = self._last
        if last is None or last[0] != text:
            last = self._last = (text, tuple(self._search(text)))
        return list(last[1])

    def _search(self, text: str) -> list[str]:
        tokens = words(text)
        found: list[str] = []
        seen: set[str] = set()  # a list lookup would make many distinct hits quadratic
        by_stem_key, short_stems = self._stem_index()
        for i, token in enumerate(tokens):
            candidates = list(self.by_first.get(token, ()))
            keyed = by_stem_key.get(token[:STEM_KEY], [])
            stems = sorted(keyed + short_stems) if keyed and short_stems else keyed or short_stems
            for _, stem, parts in stems:  # in the order the phrases are listed
                if _prefix_hit(token, stem):
                    candidates.append(parts)
            for parts in candidates:
                if _match_at(tokens, i, parts):
                    hit = " ".join(tokens[i : i + len(parts)])
                    if hit not in seen:
                        seen.add(hit)
                        found.append(hit)
        return found


_PHRASE_SETS: dict[tuple[str, ...], PhraseSet] = {}


def phrase_set(phrases: tuple[str, ...]) -> PhraseSet:
    """One PhraseSet per distinct list: a library list used by many rules scans a purpose once."""
    found = _PHRASE_SETS.get(phrases)
    if found is None:
        found = _PHRASE_SETS[phrases] = PhraseSet(list(phrases))
    return found


def _phrase_words(phrase: str) -> list[str]:
    out: list[str] = []
    for raw in phrase.casefold().split():
        out.extend(_WORD.findall(raw))
        if raw.endswith("*") and out:
            out[-1] += "*"
    return out


def _prefix_hit(token: str, stem: str) -> bool:
    """`weapon*` matches weapons and weaponry, but not the compound weapons-free."""
    return token.startswith(stem) and "-" not in token[len(stem) :]


def _match_at(tokens: tuple[str, ...], i: int, parts: tuple[str, ...]) -> bool:
    if i + len(parts) > len(tokens):
        return False
    for offset, part in enumerate(parts):
        token = tokens[i + offset]
        if part.endswith("*"):
            if not _prefix_hit(token, part[:-1]):
                return False
        elif token != part:
            return False
    return True


# ------------------------------------------------------------------------------ patterns

# Checked with re.search, compiled by re's own cache when a pack is first compiled (not at import).
_UNSAFE = (
    (r"\\[1-9]|\(\?P=|\\k<", "backreferences are not allowed"),
    (r"\(\?[=!<]", "lookaround is not allowed"),
    (r"\)\s*[*+?{]", "a group may not be repeated (it can backtrack exponentially)"),
)
PATTERN_LENGTH_LIMIT = 500
# How many ways a pattern may try to match at one position: one open-ended repeat (which can
# take up to MATCH_INPUT_LIMIT lengths) times a few optional parts. `a*a*b` would be n**2 ways.
PATTERN_WAYS_LIMIT = 4 * MATCH_INPUT_LIMIT


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a `matches` pattern after refusing constructs that can backtrack catastrophically.

    Groups may not carry quantifiers (star height at most one), and the number of ways the
    pattern can match at one position (the product of its repeats' ranges and alternatives)
    is bounded, so Python's backtracking engine does at most PATTERN_WAYS_LIMIT tries per start
    position; with input capped at MATCH_INPUT_LIMIT characters every search is bounded.
    """
    if len(pattern) > PATTERN_LENGTH_LIMIT:
        raise ConditionError(f"pattern longer than {PATTERN_LENGTH_LIMIT} characters")
    for check, why in _UNSAFE:
        if re.search(check, pattern):
            raise ConditionError(
                f"unsafe pattern '{pattern}': {why}",
                hint="use `mentions` with a list of words or phrases for free text",
            )
    try:
        compiled = re.compile(pattern)
        parsed = _sre_parse.parse(pattern)
    except re.error as exc:
        raise ConditionError(f"invalid pattern '{pattern}': {exc}") from None
    if _ways(parsed) > PATTERN_WAYS_LIMIT:
        raise ConditionError(
            f"unsafe pattern '{pattern}': its repeats can overlap and backtrack "
            "(more than one open-ended repeat such as * + {n,}, or too many optional parts)",
            hint="use one open-ended repeat at most, or `mentions` for free text",
        )
    return compiled


def _ways(parsed: Any) -> int:
    """Upper bound on the ways a parsed pattern can match at one position (capped, never huge)."""
    ways = 1
    for op, av in parsed:
        name = str(op)
        if name.endswith("REPEAT"):
            low, high, inner = av
            span = min(high, MATCH_INPUT_LIMIT) - low + 1
            ways *= max(span, 1) * _ways(inner)
        elif name == "BRANCH":
            ways *= sum(_ways(alternative) for alternative in av[1])
        elif name == "SUBPATTERN":
            ways *= _ways(av[-1])
        elif name == "ATOMIC_GROUP":
            ways *= _ways(av)
        ways = min(ways, PATTERN_WAYS_LIMIT + 1)
    return ways


# ------------------------------------------------------------------------------ compiled form


# Compiled nodes are NamedTuples, not dataclasses: a dataclass costs about 0.5 ms at import and
# the CLI's cold start is a feature.
class Test(NamedTuple):
    fact: str
    op: str
    test: Callable[[Any, Any], bool]
    arg: Any
    arg_fact: str | None = None


class All(NamedTuple):
    parts: tuple[Any, ...]


class AnyOf(NamedTuple):
    parts: tuple[Any, ...]


class Not(NamedTuple):
    part: Any


class Known(NamedTuple):
    """A part already decided by `specialise`: its value, and the reads deciding it made.

    Evaluating it replays those reads, so the evidence and the missing facts of a finding are
    exactly those of evaluating the original part.
    """

    value: bool | None
    used: tuple[tuple[str, Any], ...]  # (path, value) recorded only if not recorded before
    matched: tuple[tuple[str, Any], ...]  # (path, {"matched": [...]}) recorded over any earlier value
    missing: tuple[str, ...]


Condition = Test | All | AnyOf | Not | Known


def compile_condition(raw: Any, known_fact: Callable[[str], bool], path: tuple[Any, ...] = ()) -> Condition:
    """Turn a schema-valid condition mapping into its compiled form, checking facts and arguments."""
    if "all" in raw:
        return All(
            tuple(compile_condition(c, known_fact, path + ("all", i)) for i, c in enumerate(raw["all"]))
        )
    if "any" in raw:
        return AnyOf(
            tuple(compile_condition(c, known_fact, path + ("any", i)) for i, c in enumerate(raw["any"]))
        )
    if "not" in raw:
        return Not(compile_condition(raw["not"], known_fact, path + ("not",)))
    fact = raw["fact"]
    if not known_fact(fact):
        raise ConditionError(f"unknown fact '{fact}'", path + ("fact",), _fact_hint(fact, known_fact))
    (op,) = [k for k in raw if k != "fact"]
    operator = OPERATORS[op]
    arg = raw[op]
    where = path + (op,)
    arg_fact = None
    if isinstance(arg, dict):
        if set(arg) != {"fact"} or not isinstance(arg["fact"], str):
            raise ConditionError("a mapping argument must be {fact: PATH}", where)
        if operator.argument not in ("scalar", "ordered", "text"):
            raise ConditionError(f"'{op}' cannot take another fact as its argument", where)
        if not known_fact(arg["fact"]):
            raise ConditionError(f"unknown fact '{arg['fact']}'", where, _fact_hint(arg["fact"], known_fact))
        arg_fact = arg["fact"]
        return Test(fact, op, operator.test, None, arg_fact)
    arg = _check_argument(op, operator.argument, arg, where)
    return Test(fact, op, operator.test, arg, None)


def _fact_hint(fact: str, known_fact: Callable[[str], bool]) -> str | None:
    names = getattr(known_fact, "names", None)
    if names:
        from licensecheck.errors import did_you_mean

        return did_you_mean(fact, sorted(names)) or "see `licensecheck schema usecase` and rules/README.md"
    return None


def _check_argument(op: str, kind: str, arg: Any, where: tuple[Any, ...]) -> Any:
    scalar = (str, int, float, bool)
    if kind == "scalar" and (arg is None or isinstance(arg, scalar)):
        return arg
    if kind == "ordered" and isinstance(arg, (str, int, float)) and not isinstance(arg, bool):
        return arg
    if kind == "text" and isinstance(arg, str):
        return arg
    if kind == "list" and isinstance(arg, list) and all(isinstance(a, scalar) for a in arg):
        return tuple(arg)
    if kind == "flag" and arg is True:
        return True
    if kind == "pattern" and isinstance(arg, str):
        try:
            return compile_pattern(arg)
        except ConditionError as exc:
            raise ConditionError(str(exc), where, exc.hint) from None
    if kind == "phrases" and isinstance(arg, list) and arg and all(isinstance(a, str) for a in arg):
        try:
            return phrase_set(tuple(arg))
        except ConditionError as exc:
            raise ConditionError(str(exc), where) from None
    wanted = {
        "scalar": "a single value",
        "ordered": "a number or a date",
        "text": "a string",
        "list": "a list of values",
        "flag": "true",
        "pattern": "a regular expression string",
        "phrases": "a non-empty list of words or phrases",
    }[kind]
    raise ConditionError(f"'{op}' needs {wanted}", where)


# ------------------------------------------------------------------------------ cached form


class PhraseTable:
    """The phrase lists of a cache entry, each stored once: a library list is used by many rules
    of many packs. A list is unmarshalled when a search first reads it."""

    __slots__ = ("_index", "_made", "stored")

    def __init__(self, stored: Iterable[bytes] = ()) -> None:
        self.stored = list(stored)  # each list's _stored_form
        self._index: dict[tuple[str, ...], int] = {}
        self._made: dict[int, PhraseSet] = {}

    def add(self, phrases: PhraseSet) -> int:
        found = self._index.get(phrases.phrases)
        if found is None:
            found = self._index[phrases.phrases] = len(self.stored)
            self.stored.append(_stored_form(phrases))
        return found

    def get(self, i: int) -> PhraseSet:
        made = self._made.get(i)
        if made is None:  # a race makes the same list twice
            made = self._made[i] = _StoredPhraseSet(self.stored[i])
        return made


def _stored_form(phrases: PhraseSet) -> bytes:
    """A phrase list as the cache keeps it: the words a match can start with (first words, the
    first STEM_KEY letters of longer stems, shorter stems), then the list itself, marshalled."""
    keys = frozenset(stem[:STEM_KEY] for stem, _ in phrases.prefixed if len(stem) >= STEM_KEY)
    short = tuple(stem for stem, _ in phrases.prefixed if len(stem) < STEM_KEY)
    whole = marshal.dumps((phrases.phrases, phrases.by_first, phrases.prefixed))
    return marshal.dumps((frozenset(phrases.by_first), keys, short, whole))


class _StoredPhraseSet(PhraseSet):
    """A phrase list as a cache entry holds it, unmarshalled (no phrase split again) when first
    read: the packs a run decodes name some 100 lists, and it searches fewer than half of them.
    A search reads the words a match can start with first, and the list itself only when the
    text has one of them: most texts have none (a one-file evaluate searched 41 lists and
    unmarshalled all of them, some 4M instructions with their stem indexes)."""

    def __init__(self, stored: bytes) -> None:
        self._stored = stored
        self._stems = None
        self._last = None
        self._opened: tuple[Any, ...] | None = None  # (first words, stem keys, short stems, list)

    def _open(self) -> tuple[Any, ...]:
        opened = self._opened
        if opened is None:  # a race opens it twice, the same
            opened = self._opened = marshal.loads(self._stored)
        return opened

    def __getattr__(self, name: str) -> Any:  # only while the list is still marshalled
        if name not in ("phrases", "by_first", "prefixed") or "_stored" not in self.__dict__:
            raise AttributeError(name)
        self.phrases, self.by_first, self.prefixed = marshal.loads(self._open()[3])
        return getattr(self, name)

    def _search(self, text: str) -> list[str]:
        if "by_first" not in self.__dict__:
            firsts, keys, short, _ = self._open()
            if not any(t in firsts or t[:STEM_KEY] in keys or t.startswith(short) for t in words(text)):
                return []  # no word of the text can start a match
        return super()._search(text)


def encode(cond: Condition, phrases: PhraseTable) -> Any:
    """A compiled condition as plain data for the cache (marshal): decode() rebuilds it, unchecked.
    Phrase lists go in `phrases`, the condition names them by number."""
    if isinstance(cond, Test):
        arg = cond.arg
        if isinstance(arg, PhraseSet):
            arg = ("phrases", phrases.add(arg))
        elif isinstance(arg, re.Pattern):
            arg = ("pattern", arg.pattern)
        return ("test", cond.fact, cond.op, arg, cond.arg_fact)
    if isinstance(cond, (All, AnyOf)):
        return ("all" if isinstance(cond, All) else "any", tuple(encode(p, phrases) for p in cond.parts))
    if isinstance(cond, Not):
        return ("not", encode(cond.part, phrases))
    raise ValueError("a prepared condition is not cached")


def decode(data: Any, phrases: PhraseTable) -> Condition:
    """The condition encode() wrote: trusted, since it was compiled (and checked) before it was stored.

    The records are made as tuples of their fields (the fields are complete): the classes'
    argument-binding constructor made decoding the packs of a one-file run 9.5M instructions, now 6.4M."""
    kind = data[0]
    if kind == "test":
        _, fact, op, arg, arg_fact = data
        if isinstance(arg, tuple) and arg and arg[0] == "phrases":
            arg = phrases.get(arg[1])
        elif isinstance(arg, tuple) and arg and arg[0] == "pattern":
            arg = re.compile(arg[1])
        return _new(Test, (fact, op, OPERATORS[op].test, arg, arg_fact))  # type: ignore[return-value]
    if kind == "not":
        return _new(Not, (decode(data[1], phrases),))  # type: ignore[return-value]
    parts = tuple([decode(p, phrases) for p in data[1]])
    return _new(All if kind == "all" else AnyOf, (parts,))  # type: ignore[return-value]


_new = tuple.__new__


# ------------------------------------------------------------------------------ evaluation


class Lookup:
    """What evaluation needs from the facts: values, plus a record of what was read."""

    __slots__ = ("get", "matched", "missing", "used")

    def __init__(self, get: Callable[[str], Any]) -> None:
        self.get = get
        self.used: dict[str, Any] = {}
        self.missing: list[str] = []
        self.matched: set[str] = set()  # paths whose record is a phrase match, not the value

    def value(self, path: str) -> Any:
        value = self.get(path)
        if value is None:
            if path not in self.missing:
                self.missing.append(path)
        else:
            self.used.setdefault(path, value)
        return value

    def match(self, path: str, found: list[str]) -> None:
        # A signature needs several lists (an act and a qualifier): the evidence shows every word matched.
        before = self.used.get(path) if path in self.matched else None
        seen = list(before["matched"]) if isinstance(before, dict) else []
        self.used[path] = {"matched": seen + [m for m in found if m not in seen]}
        self.matched.add(path)

    def replay(self, known: Known) -> None:
        for path, value in known.used:
            self.used.setdefault(path, value)
        for path, value in known.matched:
            self.match(path, list(value["matched"]) if isinstance(value, dict) else [])
        for path in known.missing:
            if path not in self.missing:
                self.missing.append(path)


def evaluate(cond: Condition, facts: Lookup) -> bool | None:
    """Three-valued evaluation: True, False or UNKNOWN (None)."""
    if isinstance(cond, Test):
        if cond.op in ("present", "missing"):
            value = facts.get(cond.fact)
            if value is not None:
                facts.used.setdefault(cond.fact, value)
            return (value is not None) is (cond.op == "present")
        value = facts.value(cond.fact)
        arg = cond.arg
        if cond.arg_fact is not None:
            arg = facts.value(cond.arg_fact)
            if arg is None:
                return UNKNOWN
        if value is None:
            return UNKNOWN
        try:
            result: bool | None = cond.test(value, arg)
        except TypeError:
            return UNKNOWN
        if result and cond.op == "mentions":
            facts.match(cond.fact, arg.find(value))
        return result
    if isinstance(cond, All):
        seen_unknown = False
        for part in cond.parts:
            result = evaluate(part, facts)
            if result is False:
                return False
            if result is UNKNOWN:
                seen_unknown = True
        return UNKNOWN if seen_unknown else True
    if isinstance(cond, AnyOf):
        seen_unknown = False
        for part in cond.parts:
            result = evaluate(part, facts)
            if result is True:
                return True
            if result is UNKNOWN:
                seen_unknown = True
        return UNKNOWN if seen_unknown else False
    if isinstance(cond, Known):
        facts.replay(cond)
        return cond.value
    result = evaluate(cond.part, facts)
    return UNKNOWN if result is UNKNOWN else not result


def specialise(
    cond: Condition,
    get: Callable[[str], Any],
    decided: Callable[[str], bool],
    reads: Iterable[str] | None = None,
) -> Condition:
    """Partial evaluation: `cond` with every part that reads only decided facts evaluated now.

    `decided(path)` says a fact's value is already final (`get` gives it); the other facts are
    read later, when the result is evaluated. For any values of those later facts, evaluating
    the result gives the same value, and records the same used and missing facts, as evaluating
    `cond` on all facts at once (a property test checks it). A shortlist uses this to decide the
    use case's own tests once for thousands of models.

    `reads`, when the caller has it, is facts_of(cond) (a Rule's `facts`, listed as its pack was
    compiled): most rules read only the use case's facts, and are then decided without a walk.
    """
    if isinstance(cond, Known):
        return cond
    if all(map(decided, reads)) if reads is not None else _reads_decided(cond, decided):
        return _known(cond, get)
    if isinstance(cond, Test):
        return cond
    if isinstance(cond, Not):
        return Not(specialise(cond.part, get, decided))
    decisive = cond.__class__ is AnyOf  # AnyOf stops at the first True part, All at the first False
    parts: list[Condition] = []
    for i, part in enumerate(cond.parts):
        done = specialise(part, get, decided)
        parts.append(done)
        if isinstance(done, Known) and done.value is decisive and all(isinstance(p, Known) for p in parts):
            # Evaluation never gets past this part: the whole is decided by the parts so far.
            return _known(cond.__class__(cond.parts[: i + 1]), get)
    return cond.__class__(tuple(parts))


def _reads_decided(cond: Condition, decided: Callable[[str], bool]) -> bool:
    """Whether every fact `cond` reads is decided: all() over facts_of(cond), stopping at the
    first undecided fact without building the list (specialise asks it of every node, on the
    way down, so each fact of a rule is asked once per node above it)."""
    if isinstance(cond, Test):
        return decided(cond.fact) and (not cond.arg_fact or decided(cond.arg_fact))
    if isinstance(cond, Known):
        return True
    if isinstance(cond, Not):
        return _reads_decided(cond.part, decided)
    # a loop rather than all() over a generator, whose frame for each node cost more than the
    # walk saved (prepare of all packs measured no faster with it)
    for part in cond.parts:  # noqa: SIM110
        if not _reads_decided(part, decided):
            return False
    return True


def _known(cond: Condition, get: Callable[[str], Any]) -> Known:
    lookup = Lookup(get)
    value = evaluate(cond, lookup)
    if not lookup.matched:  # most tests: no phrase matched, every record is a value
        return Known(value, tuple(lookup.used.items()), (), tuple(lookup.missing))
    used = tuple((p, v) for p, v in lookup.used.items() if p not in lookup.matched)
    matched = tuple((p, v) for p, v in lookup.used.items() if p in lookup.matched)
    return Known(value, used, matched, tuple(lookup.missing))


def facts_of(cond: Condition) -> list[str]:
    """Every fact path a condition reads, in order."""
    if isinstance(cond, Test):
        return [cond.fact] + ([cond.arg_fact] if cond.arg_fact else [])
    if isinstance(cond, Known):
        return []
    if isinstance(cond, Not):
        return facts_of(cond.part)
    out: list[str] = []
    for part in cond.parts:
        for fact in facts_of(part):
            if fact not in out:
                out.append(fact)
    return out


# ------------------------------------------------------------------------------ compiled checks

Check = Callable[[Any], "bool | None"]  # facts -> the value evaluate() gives, nothing recorded


def compile_check(cond: Condition, reader: Callable[[str], Callable[[Any], Any]]) -> Check:
    """`cond` as one closure over a facts object: the value evaluate() returns, read in the same
    order, without the record of what was read (evidence, missing facts).

    `reader(path)` gives the function that reads one fact from the facts object. A caller that
    evaluates a condition for thousands of models compiles it once: no node is dispatched on its
    type and no path is parsed per model, and a false result (most of them) needs nothing more.
    A property test checks it agrees with evaluate(). Nothing is compiled from text: the closures
    are built from the condition's data.
    """
    if isinstance(cond, Test):
        return _test_check(cond, reader)
    if isinstance(cond, Known):
        value = cond.value
        return lambda facts: value
    if isinstance(cond, Not):
        part = compile_check(cond.part, reader)

        def negate(facts: Any) -> bool | None:
            result = part(facts)
            return UNKNOWN if result is UNKNOWN else not result

        return negate
    decisive = cond.__class__ is AnyOf  # the value that ends the walk: True for any, False for all
    checks: list[Check] = []
    unknown = False  # a part already decided unknown
    for part in cond.parts:
        if isinstance(part, Known):
            if part.value is decisive:  # evaluation stops here whatever the parts before it give
                checks.append(lambda facts: decisive)
                break
            unknown = unknown or part.value is UNKNOWN
            continue  # the other value neither stops the walk nor changes the result
        checks.append(compile_check(part, reader))
    if len(checks) == 1 and not unknown:
        return checks[0]  # one part: the whole gives what the part gives
    final = UNKNOWN if unknown else not decisive
    if len(checks) == 2:  # the common case, without the loop (the route's rules are mostly pairs)
        first, second = checks

        def pair(facts: Any) -> bool | None:
            value = first(facts)
            if value is decisive:
                return decisive
            other = second(facts)
            if other is decisive:
                return decisive
            return UNKNOWN if value is UNKNOWN or other is UNKNOWN else final

        return pair
    parts = tuple(checks)

    def walk(facts: Any) -> bool | None:
        result = final
        for check in parts:
            value = check(facts)
            if value is decisive:
                return decisive
            if value is UNKNOWN:
                result = UNKNOWN
        return result

    return walk


class Constant:
    """A reader (for compile_check) of a fact whose value is the same for every facts object the
    check will see (a use-case fact, for a rule set prepared for that use case): a test comparing
    with it is compiled as one comparing with a written value."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, facts: Any) -> Any:
        return self.value


# The ordered operators, and the classes whose values they compare directly with an argument of
# the same kind (a bool is neither: _ordered refuses it).
_ORDERED: "dict[Callable[[Any, Any], bool], Callable[[Any, Any], bool]]" = {  # (quoted: not built at import)
    _lt: operator.lt,
    _le: operator.le,
    _gt: operator.gt,
    _ge: operator.ge,
}
_SAME_KIND = {int: (int, float), float: (int, float), str: (str,)}


def _test_check(cond: Test, reader: Callable[[str], Callable[[Any], Any]]) -> Check:
    read = reader(cond.fact)
    if cond.op in ("present", "missing"):
        wanted = cond.op == "present"
        return lambda facts: (read(facts) is not None) is wanted
    test = cond.test
    read_arg = reader(cond.arg_fact) if cond.arg_fact is not None else None
    if isinstance(read_arg, Constant) and read_arg.value is not None:
        cond, read_arg = cond._replace(arg=read_arg.value, arg_fact=None), None
    if read_arg is not None:

        def against_fact(facts: Any) -> bool | None:
            value = read(facts)
            arg = read_arg(facts)
            if arg is None or value is None:
                return UNKNOWN
            try:
                return test(value, arg)
            except TypeError:
                return UNKNOWN

        return against_fact
    arg = cond.arg
    if test is _eq or test is _ne:
        folded = _fold(arg)
        same = test is _eq
        if not isinstance(folded, str):  # no text equals it, folded or not: compare as read

            def equals_value(facts: Any) -> bool | None:
                value = read(facts)
                return UNKNOWN if value is None else (value == folded) is same

            return equals_value

        def equals(facts: Any) -> bool | None:
            value = read(facts)
            if value is None:
                return UNKNOWN
            if value == folded:  # folded already (casefold is idempotent): most of a route's values
                return same
            if isinstance(value, str):
                value = value.casefold()
            return (value == folded) is same

        return equals
    if test is _in or test is _not_in:
        members = [_fold(a) for a in arg]  # folded once, not for every model (a list: _in's == semantics)
        inside = test is _in

        def member(facts: Any) -> bool | None:
            value = read(facts)
            if value is None:
                return UNKNOWN
            if isinstance(value, str):
                value = value.casefold()
            try:
                return (value in members) is inside
            except TypeError:
                return UNKNOWN

        return member
    compare = _ORDERED.get(test)
    kinds = _SAME_KIND.get(arg.__class__)
    if compare is not None and kinds is not None:

        def ordered(facts: Any) -> bool | None:
            value = read(facts)
            if value is None:
                return UNKNOWN
            if value.__class__ in kinds:  # what _ordered lets through, compared at once: a bool already
                return compare(value, arg)
            try:
                return test(value, arg)
            except TypeError:
                return UNKNOWN

        return ordered

    def against_value(facts: Any) -> bool | None:
        value = read(facts)
        if value is None:
            return UNKNOWN
        try:
            return test(value, arg)
        except TypeError:
            return UNKNOWN

    return against_value
