"""Shell-like text: scripts, Dockerfiles, Makefiles, workflow `run:` steps and .env files."""

# Commands that fetch or serve a model (`huggingface-cli download`, `hf download`, `ollama
# pull|run`, `vllm serve`, a `--model ...` flag, a huggingface.co URL) and assignments of
# `*_MODEL` variables. `$VAR` is followed to an assignment in the same file; anything else that
# is computed (`$(...)`, `${{ inputs.model }}`) is an unresolved reference. Nothing is run.

from __future__ import annotations

import re
from dataclasses import dataclass

from licensecheck.scan.found import Found, literal, unresolved

MODEL_FLAGS = frozenset(
    {
        "--model",
        "--model-id",
        "--model_id",
        "--model-name",
        "--model_name",
        "--model-name-or-path",
        "--model_name_or_path",
        "--pretrained_model_name_or_path",
        "--pretrained-model-name-or-path",
        "--base-model",
        "--base_model",
        "--model-path",
        "--model_path",
        "--hf-repo",
        "-hf",
        "-hfr",
    }
)
# `*_MODEL`, `MODEL`, `LLM_MODEL_NAME`, `EMBEDDING_MODEL_ID`: a variable that holds a model name.
ENV_KEY = re.compile(r"^(?:[A-Za-z0-9_]*_)?MODEL(?:_NAME|_ID)?$", re.IGNORECASE)
_ASSIGN = {
    "sh": re.compile(r"^\s*(?:export\s+|local\s+|declare\s+(?:-\w+\s+)?|readonly\s+)?([A-Za-z_]\w*)=(\S*)"),
    "make": re.compile(r"^\s*(?:export\s+|override\s+)?([A-Za-z_]\w*)\s*[:?+!]?=\s*(\S*)"),
    "env": re.compile(r"^\s*(?:export\s+)?([A-Za-z_][\w.]*)\s*=\s*(.*?)\s*$"),
}
_DOCKER_ASSIGN = re.compile(r"^\s*(?:ENV|ARG)\s+(.*)$", re.IGNORECASE)
_DOCKER_PAIR = re.compile(r"([A-Za-z_]\w*)(?:=|\s+)(\"[^\"]*\"|'[^']*'|\S*)")
_VARIABLE = re.compile(r"^\$(?:\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\(([A-Za-z_]\w*)\)|([A-Za-z_]\w*))$")
_HF_URL = re.compile(r"(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/([\w.-]+/[\w.-]+)")
_SEPARATORS = frozenset(";|&()<>")


@dataclass(frozen=True)
class Token:
    text: str
    offset: int  # of its first character in the text


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words of a command line, quote-aware, each with its offset; `$(...)`/`${...}` stay whole."""
    out: list[Token] = []
    end = len(text) if end is None else end
    i = start
    while i < end:
        char = text[i]
        if char in " \t\r\n" or char in _SEPARATORS:
            i += 1
            continue
        if char == "#":
            while i < end and text[i] != "\n":
                i += 1
            continue
        begin = -1
        word: list[str] = []
        while i < end and text[i] not in " \t\r\n" and text[i] not in _SEPARATORS:
            char = text[i]
            if char in "'\"":
                close = text.find(char, i + 1, end)
                close = end if close < 0 else close
                if begin < 0:
                    begin = i + 1
                word.append(text[i + 1 : close])
                i = close + 1
                continue
            if char == "\\" and i + 1 < end:
                if text[i + 1] == "\n":
                    i += 2
                    continue
                word.append(text[i + 1])
                begin = i if begin < 0 else begin
                i += 2
                continue
            if char == "$" and i + 1 < end and text[i + 1] in "({":
                pair = {"(": ")", "{": "}"}[text[i + 1]]
                close = text.find(pair, i + 2, end)
                close = end - 1 if close < 0 else close
                word.append(text[i : close + 1])
                begin = i if begin < 0 else begin
                i = close + 1
                continue
            word.append(char)
            begin = i if begin < 0 else begin
            i += 1
        if begin >= 0:
            out.append(Token("".join(word), begin))
    return out


class Positions:
    """Offsets of a text -> 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def find(text: str, flavor: str) -> list[Found]:
    """References in a shell script (`sh`), Dockerfile (`docker`), Makefile (`make`) or .env (`env`)."""
    where = Positions(text)
    found: list[Found] = []
    variables = _variables(text, flavor, where, found)
    if flavor == "env":
        return found
    for start, end in _logical_lines(text):
        words = tokens(text, start, end)
        if flavor == "docker" and words and words[0].text.upper() in ("ENV", "ARG", "LABEL", "FROM"):
            continue
        words = [_unbracket(w) for w in words] if flavor == "docker" else words
        found.extend(command_references(words, where, variables, f"shell:{flavor}"))
    return found


def _unbracket(word: Token) -> Token:
    """Dockerfile exec form `CMD ["vllm", "serve", "x"]`: drop the JSON brackets and commas."""
    text, offset = word.text, word.offset
    while text[:1] in ("[", '"'):
        text, offset = text[1:], offset + 1
    return Token(text.rstrip('",]'), offset)


def _logical_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of lines, a backslash-newline continuing a line."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"(?<!\\)\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _variables(text: str, flavor: str, where: Positions, found: list[Found]) -> dict[str, str | None]:
    """Variables assigned in the file (None: assigned something not literal); `*_MODEL` ones found."""
    values: dict[str, str | None] = {}
    offset = 0
    for line in text.split("\n"):
        pairs: list[tuple[str, str, int]] = []
        if flavor == "docker":
            match = _DOCKER_ASSIGN.match(line)
            if match:
                for pair in _DOCKER_PAIR.finditer(match.group(1)):
                    pairs.append((pair.group(1), pair.group(2), match.start(1) + pair.start(2)))
        else:
            match = _ASSIGN["sh" if flavor not in _ASSIGN else flavor].match(line)
            if match:
                pairs.append((match.group(1), match.group(2), match.start(2)))
        for name, raw, column in pairs:
            value, shift = _unquote(raw, flavor)
            literal_value = value if value and "$" not in value and "`" not in value else None
            values[name] = literal_value
            if not ENV_KEY.match(name) or not value:
                continue
            line_no, col = where.at(offset + column + shift)
            kind = "env" if flavor == "env" else f"shell:{flavor}"
            if literal_value is None:
                target = _variable(value, values)
                if target:
                    item = literal(line_no, col, target, kind, via=f"variable in {value}")
                elif flavor == "env":
                    item = unresolved(line_no, col, value, kind, "a variable set at run time")
                else:  # a script's parameter: reported where a command uses it
                    continue
            else:
                item = literal(line_no, col, literal_value, kind, via=f"{name}=")
            if item is not None:
                found.append(item)
        offset += len(line) + 1
    return values


def _unquote(raw: str, flavor: str) -> tuple[str, int]:
    """A value as the shell would read it; and how many characters the quote moved it."""
    raw = raw.strip()
    if raw[:1] in ("'", '"'):
        close = raw.find(raw[0], 1)
        return (raw[1:close] if close > 0 else raw[1:]), 1
    if flavor == "env":
        raw = re.split(r"\s+#", raw, maxsplit=1)[0]
    return raw.strip(), 0


def _variable(word: str, variables: dict[str, str | None]) -> str | None:
    """`$NAME`, `${NAME}`, `${NAME:-default}`, `$(NAME)` -> its literal value in this file, if any."""
    match = _VARIABLE.match(word)
    if not match:
        return None
    name = match.group(1) or match.group(3) or match.group(4)
    value = variables.get(name)
    if value is None and match.group(2):
        default = match.group(2)
        return default if "$" not in default else None
    return value


def command_references(
    words: list[Token], where: Positions, variables: dict[str, str | None], kind: str
) -> list[Found]:
    """Model references in the words of one command line."""
    out: list[Found] = []
    texts = [w.text for w in words]
    for i, word in enumerate(words):
        text = word.text
        base = text.rsplit("/", 1)[-1]
        target: Token | None = None
        provider: str | None = None
        what = ""
        if base in ("huggingface-cli", "hf") and i + 1 < len(words) and texts[i + 1] == "download":
            if _not_model_repo(texts[i + 2 :]):
                continue
            target, what = _operand(words, i + 2), "download"
        elif (
            base == "ollama" and i + 1 < len(words) and texts[i + 1] in ("pull", "run", "push", "show", "cp")
        ):
            target, provider, what = _operand(words, i + 2), "ollama", f"ollama {texts[i + 1]}"
        elif base == "vllm" and i + 1 < len(words) and texts[i + 1] == "serve":
            operand = _operand(words, i + 2)
            target, what = (
                (operand, "vllm serve")
                if operand is not None and not operand.text.startswith("-")
                else (None, "")
            )
        elif text in MODEL_FLAGS and i + 1 < len(words):
            target, what = words[i + 1], text
        elif "=" in text and text.split("=", 1)[0] in MODEL_FLAGS:
            name, _, value = text.partition("=")
            target, what = Token(value, word.offset + len(name) + 1), name
        else:
            url = _HF_URL.search(text)
            if url and not url.group(1).startswith(("datasets/", "spaces/", "docs/", "blog/")):
                line, col = where.at(word.offset + url.start(1))
                item = literal(line, col, url.group(1), kind, via="huggingface.co URL")
                if item is not None:
                    out.append(item)
            continue
        if target is None or not target.text:
            continue
        out.extend(_value(target, where, variables, kind, provider, what))
    return out


def _operand(words: list[Token], start: int) -> Token | None:
    """The first word from `start` that is not an option."""
    for word in words[start:]:
        if not word.text.startswith("-"):
            return word
    return None


def _not_model_repo(rest: list[str]) -> bool:
    for i, text in enumerate(rest):
        name, _, value = text.partition("=")
        if name in ("--repo-type", "--repo_type"):
            kind = value or (rest[i + 1] if i + 1 < len(rest) else "")
            return kind not in ("", "model")
    return False


def _value(
    word: Token,
    where: Positions,
    variables: dict[str, str | None],
    kind: str,
    provider: str | None,
    what: str,
) -> list[Found]:
    line, col = where.at(word.offset)
    text = word.text
    if "$" in text or "`" in text:
        target = _variable(text, variables)
        name = _VARIABLE.match(text)
        if target is not None and name is not None:
            variable = name.group(1) or name.group(3) or name.group(4)
            if ENV_KEY.match(variable) and variables.get(variable) is not None:
                return []  # reported where it is assigned
            item = literal(line, col, target, kind, via=f"{what} {text}", provider=provider)
            return [item] if item is not None else []
        return [unresolved(line, col, text, kind, "a variable or expression set at run time")]
    item = literal(line, col, text, kind, via=what, provider=provider)
    return [item] if item is not None else []
