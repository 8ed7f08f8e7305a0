"""The one error type for bad input: a located message with a hint, mapped to exit code 2."""

from __future__ import annotations

from typing import Any


class InputError(Exception):
    """Invalid input (use case, rule pack, catalog, waiver file) at a known place."""

    def __init__(
        self,
        file: str,
        line: int | None,
        col: int | None,
        message: str,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.col = col
        self.message = message
        self.hint = hint

    def __reduce__(self) -> tuple[Any, ...]:  # picklable: worker processes send errors back
        return (InputError, (self.file, self.line, self.col, self.message, self.hint))

    def location(self) -> str:
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.col or 1}"

    def render(self) -> str:
        """The message for a terminal: file names, messages and hints echo input, so each part is
        cleaned (no escape sequences, no line breaks of its own, hidden characters shown)."""
        from licensecheck.text import terminal

        text = f"{terminal(self.location())}: error: {terminal(self.message)}"
        if self.hint:
            text += f"\n  help: {terminal(self.hint)}"
        return text

    def __str__(self) -> str:
        return self.render()


def did_you_mean(word: str, choices: list[str] | tuple[str, ...], limit: int = 3) -> str | None:
    """A 'did you mean' hint naming the closest choices, or None when nothing is close."""
    import difflib

    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=limit, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + " or ".join(f"'{lowered[c]}'" for c in close) + "?"


class InputErrors(InputError):
    """Several problems at once (in one file or in several inputs of a run): every located message.

    It is an InputError about the first of them, so code that handles one handles these too.
    """

    errors: list[InputError]

    def __init__(self, errors: list[InputError]) -> None:
        flat = [e for error in errors for e in (error.errors if isinstance(error, InputErrors) else [error])]
        first = flat[0]
        super().__init__(first.file, first.line, first.col, first.message, first.hint)
        self.errors = flat

    def render(self) -> str:
        return "\n".join(e.render() for e in self.errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return (InputErrors, (self.errors,))
