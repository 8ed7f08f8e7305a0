"""A parsed input file: its plain data, the line and column of each value, and located errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from licensecheck.errors import InputError, InputErrors

Path = tuple[Any, ...]


class Document:
    """Plain data from one file plus the 1-based (line, column) of each value (when known)."""

    __slots__ = ("data", "key_marks", "marks", "name", "nodes")

    def __init__(
        self,
        name: str,
        data: Any,
        marks: dict[Path, tuple[int, int]] | None = None,
        key_marks: dict[Path, tuple[int, int]] | None = None,
        nodes: int = 0,
    ) -> None:
        self.name = name
        self.data = data
        self.marks = marks if marks is not None else {}
        self.key_marks = key_marks if key_marks is not None else {}
        self.nodes = nodes  # YAML nodes built, aliases counted each time they are used

    def where(self, path: Path) -> tuple[int, int]:
        """Position of the node at `path`, or of its nearest ancestor that exists."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))

    def error(self, path: Path, message: str, hint: str | None = None, at_key: bool = False) -> InputError:
        """An InputError at the value of `path` (or at its key, for unknown or misplaced keys)."""
        line, col = self.key_marks.get(tuple(path)) or self.where(path) if at_key else self.where(path)
        return InputError(self.name, line, col, message, hint)

    def check(self, schema: str, hint: Callable[[Path], str | None] | None = None) -> None:
        """Raise every error of the data against a bundled JSON Schema (up to a cap), in file order.

        `hint` gives a hint for an error the schema has none for (by the error's path).
        """
        from licensecheck.schema import validate

        found = [
            self.error(e.path, e.message, e.hint or (hint(e.path) if hint else None), e.at_key)
            for e in validate(self.data, schema)
        ]
        if found:
            found.sort(key=lambda e: (e.line or 0, e.col or 0))
            raise found[0] if len(found) == 1 else InputErrors(found)

    def sub(self, prefix: Path, data: Any) -> Document:
        """The document of a value inside this one (a pack test's use case), with its positions."""
        n = len(prefix)
        marks = {k[n:]: v for k, v in self.marks.items() if k[:n] == prefix}
        key_marks = {k[n:]: v for k, v in self.key_marks.items() if k[:n] == prefix}
        return Document(self.name, data, marks, key_marks)

    def with_data(self, data: Any) -> Document:
        """The same file and positions with other data (a use case with --model's folder)."""
        return Document(self.name, data, self.marks, self.key_marks)


def dotted(path: Path) -> str:
    """`('model', 'training_data', 0, 'license')` -> `model.training_data[0].license`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
