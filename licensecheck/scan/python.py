"""Python: model references found in the syntax tree (the code is parsed, never imported or run)."""

# A call is a model reference by what it calls (`from_pretrained` on any class, `pipeline`,
# `SentenceTransformer`, the OpenAI/Anthropic/Google/LangChain/LiteLLM/Ollama/vLLM APIs: the
# tables below) and which argument names the model. A name passed to it is followed to the
# constants, defaults and loops of the same file; what cannot be followed is reported as an
# unresolved reference, never dropped. Only statements on lines holding a trigger word are
# visited (found with str.find: a superset of the lines any call in the tables can be on), so a
# large file costs little more than its parse, and a file without one is not parsed at all.

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from licensecheck.collector import paused
from licensecheck.scan.found import Found, Problem, literal, shorten, unresolved

# Library roots whose calls take a model by keyword (a client made by one counts too).
AI_LIBRARIES = frozenset(
    {
        "openai",
        "anthropic",
        "google",
        "vertexai",
        "llama_index",
        "litellm",
        "ollama",
        "mistralai",
        "cohere",
        "groq",
        "together",
        "fireworks",
        "transformers",
        "sentence_transformers",
        "vllm",
        "diffusers",
        "huggingface_hub",
        "peft",
        "optimum",
        "dspy",
        "haystack",
        "pydantic_ai",
        "autogen",
        "autogen_ext",
        "autogen_agentchat",
        "crewai",
        "smolagents",
        "instructor",
        "guidance",
        "outlines",
        "semantic_kernel",
        "agents",
        "replicate",
        "boto3",
        "sglang",
        "mlx_lm",
        "llama_cpp",
        "ctransformers",
        "gpt4all",
        "txtai",
        "voyageai",
        "jina",
        "fastembed",
        "spacy_llm",
        "chromadb",
        "timm",
        "open_clip",
    }
)
LANGCHAIN_PREFIX = "langchain"
MODEL_KEYWORDS = frozenset(
    {
        "model",
        "model_name",
        "model_id",
        "model_name_or_path",
        "pretrained_model_name_or_path",
        "azure_deployment",
        "deployment_name",
        "deployment_id",
        "modelId",
        "base_model",
    }
)
# Methods of provider SDK clients whose `model=` names the model (matched as a suffix of the
# attribute chain, so `client.beta.chat.completions.parse` matches too), and the provider.
API_METHODS: dict[tuple[str, ...], str] = {
    ("chat", "completions", "create"): "openai",
    ("chat", "completions", "parse"): "openai",
    ("chat", "completions", "stream"): "openai",
    ("completions", "create"): "openai",
    ("responses", "create"): "openai",
    ("responses", "parse"): "openai",
    ("responses", "stream"): "openai",
    ("embeddings", "create"): "openai",
    ("images", "generate"): "openai",
    ("images", "edit"): "openai",
    ("audio", "speech", "create"): "openai",
    ("audio", "transcriptions", "create"): "openai",
    ("audio", "translations", "create"): "openai",
    ("moderations", "create"): "openai",
    ("messages", "create"): "anthropic",
    ("messages", "stream"): "anthropic",
    ("messages", "count_tokens"): "anthropic",
    ("models", "generate_content"): "google",
    ("models", "generate_content_stream"): "google",
    ("models", "embed_content"): "google",
    ("models", "count_tokens"): "google",
    ("models", "generate_images"): "google",
    ("chats", "create"): "google",
    ("chat", "complete"): "mistral",
    ("chat", "stream"): "mistral",
    ("fim", "complete"): "mistral",
}
# Calls whose first positional argument is the model, whatever they are imported from.
POSITIONAL_SINKS: dict[str, str] = {
    "from_pretrained": "python:from_pretrained",
    "SentenceTransformer": "python:sentence-transformers",
    "CrossEncoder": "python:sentence-transformers",
    "SparseEncoder": "python:sentence-transformers",
    "hf_hub_download": "python:huggingface_hub",
    "snapshot_download": "python:huggingface_hub",
    "hf_hub_url": "python:huggingface_hub",
    "GenerativeModel": "python:google",
    "init_chat_model": "python:langchain",
}
# Calls of a given library whose first positional argument is the model.
LIBRARY_POSITIONAL: dict[str, frozenset[str]] = {
    "vllm": frozenset({"LLM"}),
    "ollama": frozenset({"chat", "generate", "pull", "push", "embed", "embeddings", "show", "create"}),
    "litellm": frozenset({"completion", "acompletion", "embedding", "aembedding", "text_completion"}),
    "dspy": frozenset({"LM"}),
    "pydantic_ai": frozenset({"Agent"}),
    "smolagents": frozenset({"HfApiModel", "InferenceClientModel", "LiteLLMModel", "TransformersModel"}),
    "huggingface_hub": frozenset({"InferenceClient", "model_info"}),
    "crewai": frozenset({"LLM"}),
    "timm": frozenset({"create_model"}),
}
BEDROCK_METHODS = frozenset(
    {"invoke_model", "converse", "converse_stream", "invoke_model_with_response_stream"}
)
DICT_KEYS = frozenset(
    {"model", "model_name", "model_id", "model_name_or_path", "pretrained_model_name_or_path", "base_model"}
)
_CHAT_CLASS = re.compile(r"^Chat[A-Z]\w+$")
# A variable named for a model: MODEL, DEFAULT_MODEL, openai_model, embedding_model_name, model_id.
MODEL_NAME = re.compile(r"^(?:\w*_)?model(?:_name|_id)?$", re.IGNORECASE)
# Command-line options that take a model: their default is one (argparse, click).
MODEL_OPTIONS = frozenset(
    {
        "--model",
        "--model-id",
        "--model_id",
        "--model-name",
        "--model_name",
        "--model-name-or-path",
        "--model_name_or_path",
        "--pretrained_model_name_or_path",
        "--base-model",
        "--base_model",
    }
)
# Names that look like they hold a model name (not a model object): for `pipeline(model=x)`.
_NAME_LIKE = re.compile(r"name|_id$|^id$|path|repo|checkpoint|ckpt|hub", re.IGNORECASE)
# Lines that can hold a reference: every sink above puts one of these words (lower-cased) in its
# call's text; a name imported `as` another name is added as a word of its own.
_TRIGGERS = (
    "pretrained",
    "pipeline(",
    "sentencetransformer",
    "crossencoder",
    "sparseencoder",
    "download",
    "hf_hub",
    "lm(",
    "ollama",
    "completion",
    "agent(",
    "create_model",
    "generativemodel",
    "init_chat_model",
    "from_model_id",
    "model_info",
    "hfapimodel",
    "clientmodel",
    "transformersmodel",
    "litellmmodel",
    "inferenceclient",
    "repo_id",
    "deployment",
)
# "model" is everywhere in ML code (self.model, BertModel); it triggers only as a keyword or
# assignment (`model=`, `openai_model: str =`), a dict key (`"model"`) or an option (`--model`).
_MODEL_AT = re.compile(r"model\w*\s*(?:=(?!=)|:[^=\n]*=(?!=))")
# Names that may be imported under another name (`from transformers import pipeline as make`).
_ALIASED = frozenset(
    {
        "SentenceTransformer",
        "CrossEncoder",
        "SparseEncoder",
        "pipeline",
        "LLM",
        "LM",
        "Agent",
        "hf_hub_download",
        "snapshot_download",
        "init_chat_model",
        "completion",
        "acompletion",
        "chat",
        "generate",
        "pull",
        "InferenceClient",
    }
)
_WORD_BEFORE = re.compile(r"(\w+)\s*$")
_WORD = re.compile(r"\s*([A-Za-z_]\w*)")
_DEPTH = 12  # how far a name is followed through other names
_NOWHERE = ast.Pass()  # the node of a value that has no place of its own (the use site is shown)


@dataclass
class _Binding:
    """One way a name gets its value in a scope."""

    kind: str  # value | iter | param | import | object
    node: ast.expr | None = None
    scope: _Scope | None = None
    name: str = ""
    line: int = 0
    klass: ast.ClassDef | None = None  # a class defined here, for its attributes' defaults


@dataclass
class _Scope:
    node: ast.AST
    parent: _Scope | None
    names: dict[str, list[_Binding]] | None = None
    attrs: dict[str, list[_Binding]] | None = None  # self.X of a class, from its methods

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, ast.ClassDef)


@dataclass(frozen=True)
class _Value:
    """What an expression evaluates to: a string, something unknowable, or an object."""

    kind: str  # str | dynamic | object
    text: str
    node: ast.AST
    via: str = ""
    reason: str = ""


@dataclass
class _Module:
    source: str
    lines: list[str]
    aliases: frozenset[str] = frozenset()
    triggers: list[int] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    seen: dict[tuple[int, int, str | None], int] = field(default_factory=dict)  # -> index in found


def find(source: str) -> tuple[list[Found], list[Problem]]:
    """Model references in Python source text; a file that does not parse gives a Problem.

    The cyclic garbage collector is paused meanwhile: a syntax tree has no cycles, and the
    collector's passes over the million objects a large file builds cost a third of the parse.
    """
    with paused():
        return _find(source)


def _find(source: str) -> tuple[list[Found], list[Problem]]:
    aliases = _aliases(source)
    lines = _trigger_lines(source, aliases)
    if not lines:
        return [], []
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        line = exc.lineno or 1
        return [], [Problem(line, max(exc.offset or 1, 1), f"not parsed as Python: {exc.msg}")]
    except (RecursionError, MemoryError):
        return [], [Problem(1, 1, "not parsed as Python: nested too deeply")]
    except ValueError as exc:  # NUL bytes and the like
        return [], [Problem(1, 1, f"not parsed as Python: {exc}")]
    module = _Module(source, re.split(r"\r\n|\r|\n", source), aliases, lines)
    try:
        _visit(tree, lines, module)
    except RecursionError:
        return module.found, [Problem(1, 1, "partly scanned: an expression is nested too deeply")]
    return module.found, []


def _aliases(source: str) -> frozenset[str]:
    """Names given by `import X as NAME` to a call that names a model (found by str.find: fast)."""
    out = set()
    at = source.find(" as ")
    while at >= 0:
        before = _WORD_BEFORE.search(source, max(0, at - 60), at)
        if before and (before.group(1) in _ALIASED or before.group(1).endswith("Model")):
            after = _WORD.match(source, at + 4)
            if after:
                out.add(after.group(1))
        at = source.find(" as ", at + 4)
    return frozenset(out)


def _trigger_lines(source: str, aliases: frozenset[str]) -> list[int]:
    """Sorted line numbers holding a trigger word (str.find on the lower-cased text: a regular
    expression with many alternatives costs as much as the parse)."""
    lowered = source.lower()
    positions: list[int] = []
    for word in _TRIGGERS:
        at = lowered.find(word)
        while at >= 0:
            positions.append(at)
            at = lowered.find(word, at + len(word))
    at = lowered.find("model")
    while at >= 0:
        if (at and lowered[at - 1] in "\"'-") or _MODEL_AT.match(lowered, at):
            positions.append(at)
        at = lowered.find("model", at + 5)
    for alias in aliases:
        positions.extend(m.start() for m in re.finditer(rf"\b{re.escape(alias)}\b", source))
    positions.sort()
    found: list[int] = []
    line, previous = 1, 0
    for at in positions:
        line += source.count("\n", previous, at)
        previous = at
        if not found or found[-1] != line:
            found.append(line)
    return found


def _touches(node: ast.AST, lines: list[int]) -> bool:
    start = getattr(node, "lineno", None)
    if start is None:
        return True
    end = getattr(node, "end_lineno", None) or start
    i = bisect.bisect_left(lines, start)
    return i < len(lines) and lines[i] <= end


_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _visit(tree: ast.Module, lines: list[int], module: _Module) -> None:
    """Visit statements that touch a trigger line (iteratively: deep code must not recurse)."""
    root = _Scope(tree, None)
    stack: list[tuple[ast.AST, _Scope]] = [(stmt, root) for stmt in reversed(tree.body)]
    while stack:
        node, scope = stack.pop()
        if not _touches(node, lines):
            continue
        compound = any(isinstance(getattr(node, name, None), list) for name in _BODIES)
        if not compound:
            _expressions(node, scope, module)
            continue
        inner = scope
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = _Scope(node, scope)
            for part in (*node.decorator_list, *_heads(node)):
                _expressions(part, scope, module)
        children: list[ast.AST] = []
        for name, value in ast.iter_fields(node):
            if name in _BODIES and isinstance(value, list):
                children.extend(value)
            elif name not in ("decorator_list", "args", "bases", "keywords", "returns", "type_params"):
                for part in value if isinstance(value, list) else [value]:
                    if isinstance(part, ast.AST):
                        _expressions(part, scope, module)
        stack.extend((child, inner) for child in reversed(children))


def _heads(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> list[ast.expr]:
    if isinstance(node, ast.ClassDef):
        return [*node.bases, *(k.value for k in node.keywords)]
    args = node.args
    return [d for d in (*args.defaults, *args.kw_defaults) if d is not None]


def _expressions(node: ast.AST, scope: _Scope, module: _Module) -> None:
    for sub in _walk(node, module.triggers):
        if isinstance(sub, ast.Call):
            _call(sub, scope, module)
        elif isinstance(sub, ast.Dict):
            _dict(sub, scope, module)
        elif isinstance(sub, (ast.Assign, ast.AnnAssign)):
            _assignment(sub, scope, module)


def _assignment(node: ast.Assign | ast.AnnAssign, scope: _Scope, module: _Module) -> None:
    """`DEFAULT_MODEL = "..."`, `openai_model: str = "..."`: a variable named for a model holds one
    (a generic place: the value counts only if it looks like a model)."""
    for target, value in _targets(node):
        name = (
            target.id
            if isinstance(target, ast.Name)
            else target.attr
            if isinstance(target, ast.Attribute)
            else ""
        )
        if value is not None and MODEL_NAME.match(name):
            _sink(value, node, "python:assignment", None, scope, module, generic=True)


def _walk(node: ast.AST, lines: list[int]) -> Iterator[ast.AST]:
    """The nodes of an expression (iteratively), leaving out multi-line parts on no trigger line."""
    stack = [node]
    while stack:
        current = stack.pop()
        end = getattr(current, "end_lineno", None)
        if end is not None and end != current.lineno and not _touches(current, lines):  # type: ignore[attr-defined]
            continue
        yield current
        for name in current._fields:
            value = getattr(current, name, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST))


# --- calls -------------------------------------------------------------------------------------


def _chain(func: ast.expr) -> tuple[ast.expr, list[str]]:
    """`a.b.c` -> (Name a, ["b", "c"]); `OpenAI().chat.create` -> (Call OpenAI(), ["chat", "create"])."""
    attrs: list[str] = []
    while isinstance(func, ast.Attribute):
        attrs.append(func.attr)
        func = func.value
    attrs.reverse()
    return func, attrs


def _origin(root: ast.expr, scope: _Scope, depth: int = 0) -> str | None:
    """The module a call's root name comes from (`openai` for `client` made by `OpenAI()`)."""
    if depth > _DEPTH:
        return None
    if isinstance(root, ast.Call):
        base, _ = _chain(root.func)
        return _origin(base, scope, depth + 1)
    if (
        isinstance(root, ast.Attribute)
        and isinstance(root.value, ast.Name)
        and root.value.id in ("self", "cls")
    ):
        for binding in _self_bindings(root.attr, scope):
            if binding.kind == "value" and isinstance(binding.node, ast.Call):
                base, _ = _chain(binding.node.func)
                return _origin(base, binding.scope or scope, depth + 1)
        return None
    if not isinstance(root, ast.Name):
        return None
    for binding in _lookup(root.id, scope):
        if binding.kind == "import":
            return binding.name
        if binding.kind == "value" and isinstance(binding.node, ast.Call):
            base, _ = _chain(binding.node.func)
            found = _origin(base, binding.scope or scope, depth + 1)
            if found:
                return found
    return None


def _library(origin: str | None) -> str | None:
    if origin is None:
        return None
    top = origin.split(".", 1)[0]
    if top.startswith(LANGCHAIN_PREFIX):
        return "langchain"
    return top if top in AI_LIBRARIES else None


_POSITIONAL_NAMES = frozenset(
    {
        *POSITIONAL_SINKS,
        "pipeline",
        "from_model_id",
        *(n for names in LIBRARY_POSITIONAL.values() for n in names),
    }
)
# `repo_id=` names any Hub repository (datasets, spaces, kernels, upload targets): it names a
# model only for the Hub download calls above and LangChain's Hugging Face classes.
_KEYWORD_NAMES = MODEL_KEYWORDS | {"engine", "repo_id"}


def _call(call: ast.Call, scope: _Scope, module: _Module) -> None:
    root, attrs = _chain(call.func)
    if attrs:
        last = attrs[-1]
    elif isinstance(root, ast.Name):
        last = root.id
        if last in module.aliases:  # `from transformers import pipeline as make`: make() is pipeline()
            imported = next((b.name for b in _lookup(last, scope) if b.kind == "import"), None)
            last = imported.rsplit(".", 1)[-1] if imported else last
    else:
        return
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    if last in ("add_argument", "option") and "default" in keywords:
        flags = {a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
        if flags & MODEL_OPTIONS:
            _sink(keywords["default"], call, "python:option default", None, scope, module)
        return
    if last not in _POSITIONAL_NAMES and not any(k in _KEYWORD_NAMES for k in keywords):
        return
    origin = _origin(root, scope)
    library = _library(origin)
    if last in ("from_pretrained", "from_model_id"):
        owner = attrs[-2] if len(attrs) >= 2 else (root.id if isinstance(root, ast.Name) else "")
        if owner.startswith(("Peft", "AutoPeft")):
            arg = _arg(call, 1, keywords, ("model_id",))
        else:
            arg = _arg(call, 0, keywords, ("pretrained_model_name_or_path", "model_id", "model_name"))
        _sink(arg, call, "python:from_pretrained", None, scope, module)
        return
    if last in POSITIONAL_SINKS:
        if last in ("hf_hub_download", "snapshot_download", "hf_hub_url") and _not_model_repo(keywords):
            return
        names = (
            ("repo_id",) if "hub" in POSITIONAL_SINKS[last] else ("model_name_or_path", "model_name", "model")
        )
        provider = _keyword_text(keywords.get("model_provider"))
        _sink(_arg(call, 0, keywords, names), call, POSITIONAL_SINKS[last], provider, scope, module)
        return
    if last == "pipeline" and (origin is None or library in ("transformers", "optimum")):
        _sink(_arg(call, 1, keywords, ("model",)), call, "python:pipeline", None, scope, module, objects=True)
        return
    if library is not None and last in LIBRARY_POSITIONAL.get(library, ()):
        if library == "timm" and not _true(keywords.get("pretrained")):
            return  # an architecture without weights
        provider = "ollama" if library == "ollama" else None
        names = ("model", "model_id", "model_name")
        _sink(_arg(call, 0, keywords, names), call, f"python:{library}", provider, scope, module)
        return
    if last in BEDROCK_METHODS and "modelId" in keywords:
        _sink(keywords["modelId"], call, "python:bedrock", None, scope, module)
        return
    for suffix, provider in API_METHODS.items():
        if len(attrs) >= len(suffix) and tuple(attrs[-len(suffix) :]) == suffix:
            if "model" in keywords:
                kind = library if library in ("openai", "anthropic", "google", "mistralai") else provider
                hint = "ollama" if library == "ollama" else None
                _sink(keywords["model"], call, f"python:{kind}", hint, scope, module)
            return
    given = [
        k
        for k in keywords
        if k in MODEL_KEYWORDS
        or (k == "engine" and library == "openai")
        or (k == "repo_id" and library == "langchain")
    ]
    if not given:
        return
    if library is not None or _CHAT_CLASS.match(last):
        kind = f"python:{library or 'langchain'}"
        provider = "ollama" if library == "ollama" or last.startswith(("ChatOllama", "Ollama")) else None
        # `model=` of a framework class often takes a model object (Trainer, CodeAgent): a name
        # that does not read as a model's name is taken for one.
        objects = given[0] == "model"
        _sink(keywords[given[0]], call, kind, provider, scope, module, objects=objects)
        return
    for key in given:  # an unknown function with a `model=` keyword: a model only if it looks like one
        _sink(keywords[key], call, "python:model keyword", None, scope, module, generic=True)


def _arg(
    call: ast.Call, index: int, keywords: dict[str, ast.expr], names: tuple[str, ...]
) -> ast.expr | None:
    for name in names:
        if name in keywords:
            return keywords[name]
    positional = [a for a in call.args if not isinstance(a, ast.Starred)]
    if len(positional) == len(call.args) and index < len(positional):
        return positional[index]
    return None


def _keyword_text(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.casefold()
    return None


def _true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _not_model_repo(keywords: dict[str, ast.expr]) -> bool:
    kind = _keyword_text(keywords.get("repo_type"))
    return kind is not None and kind != "model"


def _dict(node: ast.Dict, scope: _Scope, module: _Module) -> None:
    for key, value in zip(node.keys, node.values):
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value in DICT_KEYS:
            _sink(value, node, "python:dict key", None, scope, module, generic=True)


def _sink(
    arg: ast.expr | None,
    call: ast.AST,
    kind: str,
    provider: str | None,
    scope: _Scope,
    module: _Module,
    *,
    objects: bool = False,
    generic: bool = False,
) -> None:
    """Report what `arg` names. `objects`: the call also takes a model object (pipeline(model=m)),
    so a name that holds an object is no reference. `generic`: only literal names count."""
    if arg is None:
        return
    used = _position(arg, module)
    for value in _evaluate(arg, scope, module, 0):
        if value.kind == "str":
            where = _position(value.node, module)
            found = literal(
                *where,
                value.text,
                kind,
                via=value.via,
                provider=provider,
                used=used if where != used else None,
                generic=generic,
            )
        elif value.kind == "object" or generic or (objects and not _NAME_LIKE.search(value.text)):
            continue
        else:
            found = unresolved(*used, value.text, kind, value.reason)
        if found is None:
            continue
        key = (found.line, found.col, found.value)
        index = module.seen.get(key)
        if index is None:
            module.seen[key] = len(module.found)
            module.found.append(found)
        elif module.found[index].generic and not found.generic:  # a call says more than a name
            module.found[index] = found


def _position(node: ast.AST, module: _Module) -> tuple[int, int]:
    """1-based line and character column (the parser counts UTF-8 bytes)."""
    line = getattr(node, "lineno", 1)
    offset = getattr(node, "col_offset", 0)
    text = module.lines[line - 1] if 0 < line <= len(module.lines) else ""
    if not text.isascii():
        offset = len(text.encode("utf-8")[:offset].decode("utf-8", "replace"))
    return line, offset + 1


def _segment(node: ast.AST, module: _Module) -> str:
    """The source text of an expression (its first line), as written."""
    line = getattr(node, "lineno", 1)
    text = module.lines[line - 1] if 0 < line <= len(module.lines) else ""
    raw = text.encode("utf-8")
    start = getattr(node, "col_offset", 0)
    end = getattr(node, "end_col_offset", None) if getattr(node, "end_lineno", line) == line else None
    return shorten(raw[start:end].decode("utf-8", "replace"))


# --- values ------------------------------------------------------------------------------------


def _evaluate(node: ast.expr, scope: _Scope, module: _Module, depth: int) -> list[_Value]:
    """The strings an expression can be, as far as this file tells; dynamic parts say why not."""
    if depth > _DEPTH:
        return [_Value("dynamic", _segment(node, module), node, reason="followed too many names")]
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return [_Value("str", node.value, node)]
        return [_Value("object", "", node)]
    if isinstance(node, ast.JoinedStr):
        return [_joined(node, scope, module, depth)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _evaluate(node.left, scope, module, depth + 1)
        right = _evaluate(node.right, scope, module, depth + 1)
        if len(left) == 1 == len(right) and left[0].kind == right[0].kind == "str":
            return [_Value("str", left[0].text + right[0].text, node, "concatenated strings")]
        return [_Value("dynamic", _segment(node, module), node, reason="built from parts at run time")]
    if isinstance(node, ast.IfExp):
        return _evaluate(node.body, scope, module, depth + 1) + _evaluate(
            node.orelse, scope, module, depth + 1
        )
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return [v for part in node.values for v in _evaluate(part, scope, module, depth + 1)]
    if isinstance(node, ast.Call):
        return _call_value(node, scope, module, depth)
    if isinstance(node, ast.Name):
        return _name(node, scope, module, depth)
    if isinstance(node, ast.Attribute):
        return _attribute(node, scope, module, depth)
    if isinstance(node, ast.Subscript):
        return _subscript(node, scope, module, depth)
    if isinstance(node, (ast.Lambda, ast.ListComp, ast.DictComp, ast.SetComp, ast.List, ast.Tuple, ast.Dict)):
        return [_Value("object", "", node)]
    return [_Value("dynamic", _segment(node, module), node, reason="an expression evaluated at run time")]


def _joined(node: ast.JoinedStr, scope: _Scope, module: _Module, depth: int) -> _Value:
    text = ""
    for part in node.values:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            text += part.value
            continue
        if isinstance(part, ast.FormattedValue) and part.format_spec is None and part.conversion == -1:
            values = _evaluate(part.value, scope, module, depth + 1)
            if len(values) == 1 and values[0].kind == "str":
                text += values[0].text
                continue
        return _Value(
            "dynamic", _segment(node, module), node, reason="an f-string with a part known at run time"
        )
    return _Value("str", text, node, "f-string of constants")


_ENV_GETTERS = {("os", "getenv"), ("os", "environ", "get"), ("environ", "get"), ("getenv",)}


def _call_value(node: ast.Call, scope: _Scope, module: _Module, depth: int) -> list[_Value]:
    root, attrs = _chain(node.func)
    chain = ((root.id,) if isinstance(root, ast.Name) else ()) + tuple(attrs)
    if chain in _ENV_GETTERS and node.args:
        key = node.args[0]
        name = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else "?"
        default = (
            node.args[1]
            if len(node.args) > 1
            else next((k.value for k in node.keywords if k.arg == "default"), None)
        )
        if default is not None:
            out = []
            for value in _evaluate(default, scope, module, depth + 1):
                if value.kind == "str":
                    out.append(
                        _Value("str", value.text, value.node, f"default of environment variable {name}")
                    )
            if out:
                return out
        return [_Value("dynamic", _segment(node, module), node, reason=f"environment variable {name}")]
    return [_Value("dynamic", _segment(node, module), node, reason="computed by a call at run time")]


def _subscript(node: ast.Subscript, scope: _Scope, module: _Module, depth: int) -> list[_Value]:
    base = node.value
    if (
        isinstance(base, ast.Attribute)
        and isinstance(base.value, ast.Name)
        and (base.value.id, base.attr) == ("os", "environ")
        and isinstance(node.slice, ast.Constant)
    ):
        key_name = node.slice.value if isinstance(node.slice.value, str) else "?"
        return [_Value("dynamic", _segment(node, module), node, reason=f"environment variable {key_name}")]
    key = node.slice
    if isinstance(node.value, ast.Name):
        for binding in _lookup(node.value.id, scope):
            if binding.kind != "value" or not isinstance(binding.node, (ast.Dict, ast.List, ast.Tuple)):
                continue
            where = binding.scope or scope
            items: list[ast.expr]
            if isinstance(binding.node, ast.Dict):
                if isinstance(key, ast.Constant):
                    for k, v in zip(binding.node.keys, binding.node.values):
                        if isinstance(k, ast.Constant) and k.value == key.value:
                            return _evaluate(v, where, module, depth + 1)
                items = binding.node.values
            else:
                items = binding.node.elts
            # a key known only at run time: any of the literal's items
            values = [v for item in items for v in _evaluate(item, where, module, depth + 1)]
            if values and all(v.kind == "str" for v in values):
                return values
    return [_Value("dynamic", _segment(node, module), node, reason="an item looked up at run time")]


def _name(node: ast.Name, scope: _Scope, module: _Module, depth: int) -> list[_Value]:
    bindings = _lookup(node.id, scope)
    if not bindings:
        return [_Value("dynamic", node.id, node, reason=f"'{node.id}' is not assigned in this file")]
    out: list[_Value] = []
    for binding in bindings:
        out.extend(_bound(node.id, binding, scope, module, depth))
    return out


def _bound(name: str, binding: _Binding, scope: _Scope, module: _Module, depth: int) -> list[_Value]:
    where = binding.scope or scope
    if binding.kind == "import":
        return [_Value("dynamic", name, _NOWHERE, reason=f"imported from {binding.name}")]
    if binding.kind == "object" or binding.node is None:
        if binding.kind == "param":
            return [_Value("dynamic", name, _NOWHERE, reason=f"parameter '{name}' of a function")]
        return [_Value("object", "", _NOWHERE)]
    if binding.kind == "iter":
        values = _iterated(binding.node, where, module, depth)
    else:
        values = _evaluate(binding.node, where, module, depth + 1)
    label = {
        "value": f"constant {name}",
        "iter": f"loop over {shorten(_segment(binding.node, module))}",
        "param": f"default of parameter {name}",
    }[binding.kind]
    out = []
    for value in values:
        if value.kind == "str":
            out.append(_Value("str", value.text, value.node, value.via or label))
        elif value.kind == "dynamic":
            out.append(_Value("dynamic", name, value.node, reason=value.reason))
        else:
            out.append(value)
    return out


def _iterated(node: ast.expr, scope: _Scope, module: _Module, depth: int) -> list[_Value]:
    """The items of a loop's iterable: a literal list/tuple/set or a name bound to one."""
    if isinstance(node, ast.Name):
        for binding in _lookup(node.id, scope):
            if binding.kind == "value" and binding.node is not None:
                return _iterated(binding.node, binding.scope or scope, module, depth + 1)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [v for item in node.elts for v in _evaluate(item, scope, module, depth + 1)]
    if isinstance(node, ast.Dict):
        return [
            v for item in node.keys if item is not None for v in _evaluate(item, scope, module, depth + 1)
        ]
    return [_Value("dynamic", _segment(node, module), node, reason="items of a loop known at run time")]


def _attribute(node: ast.Attribute, scope: _Scope, module: _Module, depth: int) -> list[_Value]:
    out: list[_Value] = []
    if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
        for binding in _self_bindings(node.attr, scope):
            out.extend(_bound(f"self.{node.attr}", binding, scope, module, depth))
    elif isinstance(node.value, ast.Name):
        out = _class_attribute(node.value.id, node.attr, scope, module, depth)
    if out:
        return out
    return [_Value("dynamic", _segment(node, module), node, reason="an attribute set at run time")]


def _class_attribute(name: str, attr: str, scope: _Scope, module: _Module, depth: int) -> list[_Value]:
    """`Config.MODEL`, or `cfg.model` with `cfg = Config(...)`: a class of this file, its default
    (or the keyword the instance was made with)."""
    for binding in _lookup(name, scope):
        where = binding.scope or scope
        made: ast.Call | None = None
        klass = binding.klass
        if (
            binding.kind == "value"
            and isinstance(binding.node, ast.Call)
            and isinstance(binding.node.func, ast.Name)
        ):
            made = binding.node
            klass = next((b.klass for b in _lookup(binding.node.func.id, where) if b.klass), None)
        if klass is None:
            continue
        if made is not None:
            given = next((k.value for k in made.keywords if k.arg == attr), None)
            if given is not None:
                return _evaluate(given, where, module, depth + 1)
        inner = _Scope(klass, where)
        label = f"{klass.name}.{attr}"
        values = [v for b in _names(inner).get(attr, []) for v in _bound(label, b, inner, module, depth)]
        if values:
            return values
    return []


# --- scopes ------------------------------------------------------------------------------------


def _lookup(name: str, scope: _Scope) -> list[_Binding]:
    """Bindings of `name` in the innermost scope that has one (class bodies only for themselves)."""
    current: _Scope | None = scope
    first = True
    while current is not None:
        if first or not current.is_class:
            found = _names(current).get(name)
            if found:
                return found
        first = False
        current = current.parent
    return []


def _self_bindings(attr: str, scope: _Scope) -> list[_Binding]:
    current: _Scope | None = scope
    while current is not None and not current.is_class:
        current = current.parent
    if current is None:
        return []
    direct = _names(current).get(attr, [])
    if current.attrs is None:
        current.attrs = {}
        assert isinstance(current.node, ast.ClassDef)
        for stmt in current.node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                method = _Scope(stmt, current)
                for sub in _own_nodes(stmt.body):
                    targets = _targets(sub)
                    for target, value in targets:
                        if (
                            isinstance(target, ast.Attribute)
                            and isinstance(target.value, ast.Name)
                            and target.value.id in ("self", "cls")
                        ):
                            current.attrs.setdefault(target.attr, []).append(
                                _Binding("value", value, method, line=getattr(value, "lineno", 0))
                            )
    return direct + current.attrs.get(attr, [])


def _targets(node: ast.AST) -> list[tuple[ast.expr, ast.expr | None]]:
    if isinstance(node, ast.Assign):
        return [(t, node.value) for t in node.targets]
    if isinstance(node, ast.AnnAssign):
        return [(node.target, node.value)]
    return []


def _names(scope: _Scope) -> dict[str, list[_Binding]]:
    if scope.names is not None:
        return scope.names
    names: dict[str, list[_Binding]] = {}
    scope.names = names
    node = scope.node
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(
            args.defaults
        )
        for arg, default in [*zip(positional, defaults), *zip(args.kwonlyargs, args.kw_defaults)]:
            names.setdefault(arg.arg, []).append(_Binding("param", default, scope, line=arg.lineno))
        for rest in (args.vararg, args.kwarg):
            if rest is not None:
                names.setdefault(rest.arg, []).append(_Binding("object", None, scope))
    body = getattr(node, "body", [])
    for sub in _own_nodes(body):
        _bind(sub, scope, names)
    return names


def _own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """The statements of a scope's body, nested blocks included, not nested functions' or classes'
    bodies (names bound inside expressions, by `:=` or comprehensions, are not followed)."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in _BODIES:
            block = getattr(node, name, None)
            if isinstance(block, list):
                stack.extend(reversed(block))


def _bind(node: ast.AST, scope: _Scope, names: dict[str, list[_Binding]]) -> None:
    def add(target: ast.expr, binding: _Binding) -> None:
        if isinstance(target, ast.Name):
            names.setdefault(target.id, []).append(binding)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for item in target.elts:
                add(item, _Binding("object", None, scope))

    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        for target, value in _targets(node):
            if value is None:
                continue
            if (
                isinstance(target, (ast.Tuple, ast.List))
                and isinstance(value, (ast.Tuple, ast.List))
                and len(target.elts) == len(value.elts)
            ):
                for t, v in zip(target.elts, value.elts):
                    add(t, _Binding("value", v, scope, line=v.lineno))
                continue
            add(target, _Binding("value", value, scope, line=value.lineno))
    elif isinstance(node, ast.AugAssign):
        add(node.target, _Binding("object", None, scope))
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        if isinstance(node.target, ast.Name):
            names.setdefault(node.target.id, []).append(
                _Binding("iter", node.iter, scope, line=node.iter.lineno)
            )
        else:
            add(node.target, _Binding("object", None, scope))
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None:
                add(item.optional_vars, _Binding("object", None, scope))
    elif isinstance(node, ast.Import):
        for alias in node.names:
            local = alias.asname or alias.name.split(".", 1)[0]
            module = alias.name if alias.asname else alias.name.split(".", 1)[0]
            names.setdefault(local, []).append(_Binding("import", None, scope, name=module))
    elif isinstance(node, ast.ImportFrom):
        base = "." * node.level + (node.module or "")
        for alias in node.names:
            names.setdefault(alias.asname or alias.name, []).append(
                _Binding("import", None, scope, name=f"{base}.{alias.name}")
            )
    elif (
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler))
        and node.name
    ):
        # a def, a class, `except E as name`: objects, not model names
        klass = node if isinstance(node, ast.ClassDef) else None
        names.setdefault(node.name, []).append(_Binding("object", None, scope, klass=klass))
