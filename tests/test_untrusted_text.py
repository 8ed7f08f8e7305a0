"""Text from input shown safely everywhere: no terminal escapes, nothing hidden, no mentions (issue 11)."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_cli
from hypothesis import example, given
from hypothesis import strategies as st

from licensecheck import text
from licensecheck.cli import cli
from licensecheck.errors import InputError

# An OSC title sequence and a CSI colour (7-bit and 8-bit), a carriage return that would
# overwrite the line, a right-to-left override, a zero-width joiner and an invisible tag letter.
HOSTILE = "A\x1b]0;PWNED\x07B\x1b[31mC\x9b31mD\rE\u202eF\u200dG\U000e0041H"
IN_YAML = "A\\e]0;PWNED\\aB\\e[31mC\\x9b31mD\\rE\\u202eF\\u200dG\\U000E0041H"
RAW = ("\x1b", "\x07", "\x9b", "\r", "\u202e", "\u200d", "\U000e0041")
USECASE = f"""name: "Case {IN_YAML}"
organization: {{name: "Org {IN_YAML}", type: company, country: US, monthly_active_users: 10}}
model: {{id: llama-3.1-8b-instruct, modification: none}}
use: {{commercial: true, distribution: internal, purpose: "Purpose {IN_YAML}"}}
waivers: [{{rule: LLAMA31-BUILT-WITH-LLAMA, reason: "Reason {IN_YAML}", approved_by: legal@acme.example, expires: 2030-01-01}}]
"""
PACK = f"""pack: {{id: acme-policy, name: "Acme {IN_YAML}", kind: policy, scope: every-model, version: '1', source: https://acme.example/p}}
rules:
  - id: ACME-REVIEW-ALL
    title: "Title {IN_YAML}"
    category: acceptable-use
    outcome: review
    severity: warning
    confidence: P
    clause: "§1 {IN_YAML}"
    when: {{fact: use.commercial, eq: true}}
    message: "Message {IN_YAML}"
"""
CATALOG = f"""catalog: {{name: acme}}
models:
  - {{id: acme-7b, name: "Acme {IN_YAML}", provider: "Prov {IN_YAML}", license: mit, weights: open,
     modalities: [text], sources: {{basics: ['https://acme.example']}}, notes: "Notes {IN_YAML}"}}
"""


def assert_clean(out: str) -> None:
    for char in RAW:
        assert char not in out, f"{char!r} reached the output"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "uc.yaml").write_text(USECASE, encoding="utf-8")
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "acme.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "acme.yaml").write_text(CATALOG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def test_terminal_text_drops_controls_and_shows_hidden_characters() -> None:
    shown = text.terminal(HOSTILE + "\nI\ud800")
    assert shown == "A]0;PWNEDB[31mC31mD E<U+202E>F<U+200D>G<U+E0041>H I\ufffd"
    assert text.terminal("a\nb\tc", lines=True) == "a\nb\tc"


def test_every_hidden_character_is_shown_even_in_otherwise_plain_text() -> None:
    # printable text is taken as it is without the regular expression, except these characters
    hidden = re.compile(f"[{text._INVISIBLE}]")
    listed = [chr(c) for c in range(0x110000) if hidden.match(chr(c))]
    assert len(listed) > 200 and set(listed) >= text._PRINTABLE_UNSAFE
    for char in listed:
        assert text.terminal(f"a{char}b") == f"a<U+{ord(char):04X}>b"


def _unsafe(char: str, lines: bool) -> bool:
    if char == "\t":
        return False
    if char == "\n":
        return not lines
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")


@given(st.text(alphabet=st.characters(), max_size=60) | st.sampled_from(list(RAW) + [HOSTILE, "\u2028"]))
def test_no_cleaned_text_keeps_a_control_format_or_surrogate_character(value: str) -> None:
    for out, lines in ((text.terminal(value), False), (text.html(value), True), (text.plain(value), True)):
        assert not [c for c in out if _unsafe(c, lines)], repr(out)
    shown = text.markdown(value)
    assert not [c for c in shown if _unsafe(c, False)], repr(shown)
    # no mention or reference is left outside <code>, entities (&#60;) aside
    bare = re.sub(r"&#[0-9]+;|<code>(@|#|GH)</code>", " ", shown, flags=re.IGNORECASE)
    assert not re.search(
        r"(?<![A-Za-z0-9_])@[A-Za-z0-9]|#[0-9]|(?<![A-Za-z0-9_])GH-[0-9]", bare, re.IGNORECASE
    )
    dumped = text.json_dumps({"v": value})
    assert json.loads(dumped) == {"v": value}
    assert not [c for c in dumped if _unsafe(c, True) or "\x7f" <= c <= "\x9f"], repr(dumped)


@given(
    st.lists(
        st.text(alphabet=st.characters(), max_size=12)
        | st.sampled_from(list(RAW) + [HOSTILE, "\u2028", "a\r\nb", "\u00a0"]),
        max_size=6,
    )
)
def test_values_tested_together_are_cleaned_as_each_alone(values: list[str]) -> None:
    """terminal_each and table test their values joined for the common case (safe as it is): the
    text is the same as a terminal() call on each value."""
    assert list(text.terminal_each(values)) == [text.terminal(v) for v in values]
    rows = [values, values[::-1]]
    assert text.table(rows) == text.table([[text.terminal(v) for v in row] for row in rows])
    assert not [c for c in text.table(rows) if c != "\n" and _unsafe(c, False)]


_JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(), max_size=20)
    | st.sampled_from(list(RAW) + [HOSTILE, "\x7f", "\u2028"])
)
_JSON_KEYS = (
    st.text(alphabet=st.characters(), max_size=8) | st.integers() | st.floats() | st.booleans() | st.none()
)
_JSON_DATA = st.recursive(
    _JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(_JSON_KEYS, inner, max_size=4)
    ),
    max_leaves=30,
)


@given(_JSON_DATA)
@example(
    {
        "a": [float("-inf"), float("inf"), float("nan"), -0.0, 10**20],
        1.5: (),
        True: {},
        None: [[]],
        2: HOSTILE,
    }
)
def test_json_dumps_writes_what_the_json_module_writes_with_the_escapes(data: object) -> None:
    """json_dumps writes its own indented text: byte for byte json.dumps(indent=2), then the escapes."""
    expected = json.dumps(data, indent=2, ensure_ascii=False)
    expected = re.sub(text._JSON_UNSAFE, lambda m: json.dumps(m.group())[1:-1], expected)
    assert text.json_dumps(data) == expected


def test_json_dumps_rejects_what_the_json_module_rejects() -> None:
    loop: list[object] = []
    loop.append(loop)
    for data, error in (({"a": object()}, TypeError), ({(1, 2): 1}, TypeError), (loop, ValueError)):
        with pytest.raises(error):
            text.json_dumps(data)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "html", "markdown"])
def test_every_format_shows_input_without_escapes_or_hidden_characters(folder: Path, fmt: str) -> None:
    code, out, _ = invoke("evaluate", "uc.yaml", "--rules", "own", "--format", fmt, "--fail-on", "never")
    assert code == 0
    assert_clean(out)
    if fmt in ("json", "sarif"):
        # the data stays exact: the characters are written as \uXXXX escapes, never raw
        assert "\\u202e" in out and "\\u001b" in out
        if fmt == "json":
            assert json.loads(out)["reports"][0]["usecase"]["name"] == "Case " + HOSTILE
    elif fmt == "html":
        assert "&lt;U+202E&gt;" in out
    elif fmt == "markdown":
        # a backslash keeps <U+202E> from reading as HTML; in the <summary> line (an HTML block) an entity
        assert "\\<U+202E>" in out and "&lt;U+202E&gt;" in out
    elif fmt != "junit":
        assert "<U+202E>" in out


def test_error_messages_echo_no_escape_sequences(folder: Path) -> None:
    (folder / "bad.yaml").write_text(f'name: x\nmodel: {{id: "m-{IN_YAML}"}}\n', encoding="utf-8")
    code, out, err = invoke("evaluate", "bad.yaml")
    assert code == 2 and out == ""
    assert_clean(err)
    assert err.startswith("bad.yaml:2:13: error: ")
    rendered = InputError(f"f{HOSTILE}.yaml", 1, 1, f"bad {HOSTILE}", f"hint {HOSTILE}").render()
    assert_clean(rendered)
    assert rendered.count("\n") == 1  # a line break in input cannot start a line of its own


def test_file_names_in_messages_are_cleaned(folder: Path) -> None:
    code, _, err = invoke("evaluate", f"no{HOSTILE}.yaml")
    assert code == 2
    assert_clean(err)
    assert "<U+202E>" in err


def test_rules_output_is_cleaned(folder: Path) -> None:
    for args in (("rules", "list"), ("rules", "show", "acme-policy"), ("rules", "show", "ACME-REVIEW-ALL")):
        code, out, _ = invoke(*args, "--rules", "own")
        assert code == 0, args
        assert_clean(out)
        assert "<U+202E>" in out


def test_models_output_is_cleaned(folder: Path) -> None:
    for args in (("models", "list"), ("models", "show", "acme-7b"), ("models", "list", "--format", "json")):
        code, out, _ = invoke(*args, "--catalog", "cat")
        assert code == 0, args
        assert_clean(out)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_shortlist_output_is_cleaned(folder: Path, fmt: str) -> None:
    (folder / "pick.yaml").write_text(
        f'name: "Pick {IN_YAML}"\nuse: {{commercial: true, distribution: internal}}\n', encoding="utf-8"
    )
    code, out, _ = invoke("shortlist", "pick.yaml", "--catalog", "cat", "--format", fmt)
    assert code in (0, 1)
    assert_clean(out)


# Two models whose one route (named with the hostile text) shut down: both are excluded with the
# same reason, which quotes the route's name (the formats clean each distinct reason once).
RETIRED = """catalog: {name: acme}
models:
""" + "".join(
    f"""  - {{id: acme-{n}, name: "Acme {n}", license: mit, weights: closed, modalities: [text],
     sources: {{basics: ['https://acme.example']}},
     routes: [{{provider: other, name: "Route {IN_YAML}", model_ids: [acme-{n}],
       lifecycle: {{status: retired, status_on: '2026-01-01', shutdown_on: '2025-12-01',
         sources: ['https://acme.example/{IN_YAML}'], read: '2026-01-01', confidence: P}}}}]}}
"""
    for n in (1, 2)
)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_shortlist_reasons_quoting_a_catalog_are_cleaned(folder: Path, fmt: str) -> None:
    (folder / "retired").mkdir()
    (folder / "retired" / "acme.yaml").write_text(RETIRED, encoding="utf-8")
    (folder / "pick.yaml").write_text("name: pick\nuse: {commercial: true, distribution: internal}\n")
    args = ("shortlist", "pick.yaml", "--catalog", "retired", "--as-of", "2026-06-01", "--format", fmt)
    code, out, _ = invoke(*args)
    assert code in (0, 1)
    assert_clean(out)
    shown = {"json": "\\u202e", "html": "&lt;U+202E&gt;", "markdown": "\\<U+202E>"}.get(fmt, "<U+202E>")
    # both models' reasons (in HTML also in the rows' tooltips)
    assert out.count(shown) >= {"html": 4}.get(fmt, 2), out


def test_click_errors_that_echo_input_are_cleaned(tmp_path: Path) -> None:
    """click's own messages (an unknown command or option) go through the entry point's cleaning."""
    for args in (
        [f"ev{HOSTILE}"],
        ["evaluate", "x.yaml", f"--{HOSTILE}"],
        ["evaluate", "-o", str(tmp_path), "x"],
    ):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert_clean(result.stderr)


MENTIONS = "ping @octocat and @acme/legal, see #12, acme/repo#34 and GH-5; mail legal@acme.example"
LINKED = MENTIONS + ", log in at https://evil.example/login"


def test_markdown_neutralises_mentions_and_issue_references() -> None:
    out = text.markdown(MENTIONS)
    assert out == (
        "ping <code>@</code>octocat and <code>@</code>acme/legal, see <code>#</code>12,"
        " acme/repo<code>#</code>34 and <code>GH</code>-5; mail legal@acme.example"
    )
    assert text.markdown("#1 first") == "<code>#</code>1 first"  # nor a heading


LINKS = "see https://evil.example/login, www.evil.example and HTTP://WWW.EVIL.EXAMPLE"


def test_markdown_does_not_let_input_make_a_link() -> None:
    """Red team: GitHub links bare addresses in a comment, so input could plant a phishing link."""
    out = text.markdown(LINKS)
    assert out == (
        "see https<code>:</code>//evil.example/login, <code>www.</code>evil.example and"
        " HTTP<code>:</code>//<code>WWW.</code>EVIL.EXAMPLE"
    )
    assert not re.search(r"https?://|(?<![/>])www\.", out, re.IGNORECASE)
    # the text of a link the report makes itself is not linked a second time
    assert text.markdown("https://a.example/x", in_link=True) == "https://a.example/x"


def test_markdown_report_and_shortlist_do_not_mention_anyone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("uc.yaml").write_text(
        f'name: "{LINKED}"\nmodel: {{id: llama-3.1-8b-instruct}}\n'
        f'use: {{commercial: true, distribution: internal, purpose: "{LINKED}"}}\n',
        encoding="utf-8",
    )
    Path("pick.yaml").write_text(f'name: "{LINKED}"\nuse: {{commercial: true}}\n', encoding="utf-8")
    for args in (
        ("evaluate", "uc.yaml", "--format", "markdown"),
        ("shortlist", "pick.yaml", "--format", "markdown"),
    ):
        _, out, _ = invoke(*args, "--fail-on", "never") if args[0] == "evaluate" else invoke(*args)
        assert "<code>@</code>octocat" in out, args
        assert "https<code>:</code>//evil.example/login" in out, args
        assert not re.search(r"@(octocat|acme/legal)|(?<!&)#(12|34)\b|GH-5", out), args


def _escaped_by_the_expression(part: str, html_block: bool) -> str:
    if html_block:
        return part.translate(text._HTML_SYNTAX)
    out = re.sub(text._SYNTAX, lambda m: "\\" + m.group(), part)
    return out.replace("$", "\\$") if out.count("$") > 1 else out


def _markdown_by_the_expressions(value: str, html_block: bool, in_link: bool) -> str:
    """text.markdown as written before its shortcuts: every expression applied to every value."""
    flat = re.sub(text._SPACES, " ", text.terminal(value)).strip()
    parts, start = [], 0
    for match in re.finditer(text._IN_LINK if in_link else text._REFERENCE, flat, re.IGNORECASE):
        parts += [
            _escaped_by_the_expression(flat[start : match.start()], html_block),
            f"<code>{match.group()}</code>",
        ]
        start = match.end()
    out = "".join([*parts, _escaped_by_the_expression(flat[start:], html_block)])
    return out if html_block else re.sub(text._LINE_START, lambda m: m.group(1) + "\\" + m.group(2), out)


_SHORTCUT_CASES = [
    "www.",
    "WwW.",
    "gH-1",
    "h-",
    "w.",
    "://",
    "  ",
    "\t",
    "\n",
    "\u00a0",
    "\u2003",
    "\xe9",
    "1.",
]


@given(
    st.lists(st.sampled_from([*"ab1 _*`[]()<>!|~&#;$\\-+=.:@/", "GH-1", "&#64;", *_SHORTCUT_CASES])).map(
        "".join
    )
)
def test_markdown_shortcuts_change_no_output(value: str) -> None:
    """The scans that skip an expression where it cannot match give what the expressions give."""
    for html_block in (False, True):
        for in_link in (False, True):
            expected = _markdown_by_the_expressions(value, html_block, in_link)
            assert text.markdown(value, html_block, in_link) == expected
        flat = re.sub(text._SPACES, " ", text.terminal(value)).strip()
        assert (
            text.markdown_code(value, html_block)
            == f"<code>{_escaped_by_the_expression(flat, html_block)}</code>"
        )


_MARKDOWN_SYNTAX = list("ab1 _*`[]()<>!|~&#;$\\-+=.:'\"@/\t") + ["GH-1", "&amp;", "&#64;", "http://x"]


@given(st.lists(st.sampled_from(_MARKDOWN_SYNTAX), max_size=30).map("".join))
def test_markdown_renders_exactly_as_typed(value: str) -> None:
    """A CommonMark parser (with GitHub's tables and strikethrough) shows the text as typed: no
    emphasis, link, code span, HTML or entity, only the <code> around a mention's first character."""
    from html import unescape

    from markdown_it import MarkdownIt

    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text.markdown(value))
    inner = page.removeprefix("<p>").removesuffix("</p>\n")
    assert not re.search(r"<(?!/?code>)", inner), page
    assert unescape(inner.replace("<code>", "").replace("</code>", "")) == " ".join(value.split()), page
