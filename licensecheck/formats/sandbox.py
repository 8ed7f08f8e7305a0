"""The Jinja2 sandbox every report template renders in: no Python internals, bounded sizes and time.

Jinja's ImmutableSandboxedEnvironment refuses underscore attributes (`''.__class__`,
`cycler.__init__.__globals__`), unsafe callables and changes to lists and dicts; `range` is
capped at 100,000 items. On top of it this module bounds what a hostile template could still
ask for: repeat counts and powers (`'x' * 10**9`, `9**9**9`), widths in `%` and `str.format`
formatting and in filter and string-method arguments, the size of the output, and the CPU time
and memory of one render (whatever builds a huge string another way, `join` or `replace`). Templates and the files they include are read only from the template's own
folder, as regular files, not through a symlink leading out of it. `lipsum` is not offered.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import stat
import string
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

SIZE_LIMIT = 100_000  # the largest width, repeat count or argument a template may pass
REPEAT_LIMIT = 1_000_000  # the longest string or list a `*` may build
INT_BITS_LIMIT = 100_000  # the largest integer `*` or `**` may build (about 30,000 digits)
OUTPUT_LIMIT = 32 * 1024 * 1024  # characters one render may produce
CPU_SECONDS = 10.0  # CPU time one render may use
MEMORY_BYTES = 512 * 1024 * 1024  # address space one render may add
TEMPLATE_BYTES = 2 * 1024 * 1024  # the largest template file read


class TemplateRefused(Exception):
    """A render stopped by a limit of this module (output size, CPU time)."""


class _Loader(jinja2.FileSystemLoader):
    """Regular files inside the folder only: no symlink out of it, no FIFO or device, no huge file."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        root = os.path.realpath(self.searchpath[0])
        real = os.path.realpath(os.path.join(root, *jinja2.loaders.split_template_path(template)))
        if os.path.commonpath([root, real]) != root:
            raise jinja2.TemplateNotFound(f"{template} (it leads out of the template's folder)")
        try:
            info = os.stat(real)
        except OSError:
            raise jinja2.TemplateNotFound(template) from None
        if not stat.S_ISREG(info.st_mode):
            raise jinja2.TemplateNotFound(f"{template} (not a regular file)")
        if info.st_size > TEMPLATE_BYTES:
            raise jinja2.TemplateNotFound(f"{template} (larger than {TEMPLATE_BYTES:,} bytes)")
        return super().get_source(environment, template)


# a conversion: an optional mapping key (`%(name)`), flags, width and precision
_PRINTF_WIDTH = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_size(value: Any, what: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > SIZE_LIMIT:
        raise SecurityError(f"{what}: {value} is larger than the template limit of {SIZE_LIMIT:,}")


def _check_printf(text: str) -> None:
    for match in _PRINTF_WIDTH.finditer(text):
        for part in match.groups():
            if part == "*":
                raise SecurityError("a '*' width in % formatting is not allowed in a template")
            if part is not None:
                _check_size(int(part), "a width in % formatting")


def _check_format_string(text: str) -> None:
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return  # str.format will say what is wrong
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise SecurityError("a nested {} in a format spec is not allowed in a template")
        for digits in re.findall(r"\d+", spec):
            _check_size(int(digits), "a width in a format spec")


def _int_bits(value: Any) -> int:
    return value.bit_length() if isinstance(value, int) and not isinstance(value, bool) else 0


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _int_bits(left) and isinstance(right, int) and right > 0:
            if _int_bits(left) * right > INT_BITS_LIMIT:
                raise SecurityError(f"{left} ** {right} is larger than a template may compute")
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                repeats = isinstance(seq, (str, list, tuple)) and isinstance(count, int)
                if repeats and len(seq) * count > REPEAT_LIMIT:
                    raise SecurityError(
                        f"repeating {len(seq):,} items {count:,} times is longer than a template may build"
                    )
            if _int_bits(left) + _int_bits(right) > INT_BITS_LIMIT:
                raise SecurityError("the product is larger than a template may compute")
        elif operator == "%" and isinstance(left, str):
            _check_printf(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # str methods taking a size (center, ljust, zfill, expandtabs, ...): no huge sizes
        if isinstance(getattr(__obj, "__self__", None), str):
            for arg in (*args, *kwargs.values()):
                _check_size(arg, f"an argument of {getattr(__obj, '__name__', 'a string method')}")
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and getattr(value, "__name__", "") in ("format", "format_map"):
            _check_format_string(owner)
        return super().wrap_str_format(value)


def _guard_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose size arguments (not the value it filters) are checked first."""
    skip = 2 if getattr(function, "jinja_pass_arg", None) is not None else 1

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        for arg in (*args[skip:], *kwargs.values()):
            _check_size(arg, f"an argument of the filter '{name}'")
        if name == "format" and len(args) >= skip and isinstance(args[skip - 1], str):
            _check_printf(args[skip - 1])
        return function(*args, **kwargs)

    return guarded


def sandbox_environment(directory: Path, **options: Any) -> jinja2.Environment:
    """A sandboxed environment loading templates from `directory` (see the module docstring)."""
    env = _Sandbox(loader=_Loader(str(directory)), **options)
    env.filters = {name: _guard_filter(name, f) for name, f in env.filters.items()}
    env.globals.pop("lipsum", None)
    return env


def load_bounded(env: jinja2.Environment, name: str) -> jinja2.Template:
    """Compile the template `name` within the render's CPU and memory budgets.

    Compiling runs template code too: Jinja folds constant expressions, so a filter with literal
    arguments (`{{ ('y' * 10000)|replace('y', 'z' * 100000) }}`) is evaluated then.
    """
    try:
        with _cpu_budget(CPU_SECONDS), _memory_budget(MEMORY_BYTES):
            return env.get_template(name)
    except MemoryError as error:
        raise TemplateRefused(f"it needs more than {MEMORY_BYTES // 2**20:,} MB of memory") from error


def render_bounded(template: jinja2.Template, data: Mapping[str, object]) -> str:
    """Render `template`, stopping it past OUTPUT_LIMIT characters or CPU_SECONDS of CPU time."""
    parts: list[str] = []
    size = 0
    try:
        with _cpu_budget(CPU_SECONDS), _memory_budget(MEMORY_BYTES):
            for chunk in template.generate(data):
                size += len(chunk)
                if size > OUTPUT_LIMIT:
                    raise TemplateRefused(f"its output is larger than {OUTPUT_LIMIT:,} characters")
                parts.append(chunk)
    except MemoryError as error:
        parts.clear()
        # chained: the MemoryError's traceback holds the template line
        raise TemplateRefused(f"it needs more than {MEMORY_BYTES // 2**20:,} MB of memory") from error
    return "".join(parts)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def _cpu_budget(seconds: float) -> Iterator[None]:
    """Raise TemplateRefused in the render once the process has used `seconds` more CPU time.

    A profiling timer needs the main thread of a POSIX process; elsewhere (a library user's
    worker thread) the sandbox's other limits still hold.
    """
    if not (hasattr(signal, "setitimer") and _in_main_thread()):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TemplateRefused(f"it used more than {seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@contextlib.contextmanager
def _memory_budget(extra: int) -> Iterator[None]:
    """Let the process map at most `extra` more bytes while the render runs (Linux, main thread).

    A failed allocation is a MemoryError, which render_bounded turns into a refusal; the limit is
    restored afterwards, and an already tighter limit is kept.
    """
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as handle:
            mapped = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        mapped = None
    if mapped is None or not _in_main_thread():
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mapped + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
