"""Jupyter notebooks: code cells as one Python module, `!` lines and `%%bash` cells as shell."""

# Names flow between cells, as they do when the notebook runs. Each finding is placed at the line
# of the .ipynb file that holds its source line, and names its cell and the line in the cell.

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from licensecheck.scan import python, shell
from licensecheck.scan.found import Found, Problem

_SHELL_MAGICS = ("%%bash", "%%sh", "%%script bash", "%%script sh", "%%shell")
_PYTHON_MAGICS = ("%%time", "%%timeit", "%%capture", "%%prun")
_TIMED_LINE = re.compile(r"^%(?:time|timeit|prun|memit)\s+(?:-\S+\s+)*")
_MAGIC_LINE = re.compile(r"^(\s*)(?:[\w.\[\], ]+=\s*)?[!%]")


@dataclass(frozen=True)
class _Cell:
    index: int  # position among all cells of the file
    lines: list[str]


def find(text: str) -> tuple[list[Found], list[Problem]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Problem(exc.lineno, exc.colno, f"not read as a notebook: {exc.msg}")]
    except (RecursionError, MemoryError):
        return [], [Problem(1, 1, "not read as a notebook: nested too deeply")]
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        return [], [Problem(1, 1, "not read as a notebook: no `cells` list")]
    places = _source_places(text, len(cells))
    code: list[_Cell] = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if isinstance(source, str):
            code.append(_Cell(index, source.split("\n")))
    found: list[Found] = []
    python_cells: list[_Cell] = []
    for cell in code:
        first = cell.lines[0].strip() if cell.lines else ""
        if first.startswith(_SHELL_MAGICS):
            script = "\n".join(cell.lines)
            found.extend(
                _place(replace(f, kind="notebook:shell"), cell.index, f.line, 0, places, text)
                for f in shell.find(script, "sh")
            )
            continue
        if first.startswith("%%") and not first.startswith(_PYTHON_MAGICS):
            continue  # another language or %%writefile: not this cell's Python
        python_cells.append(cell)
        for number, line in enumerate(cell.lines, 1):
            for item in _bang(line):
                found.append(_place(replace(item, line=number), cell.index, number, 0, places, text))
    items, problems = _python(python_cells, places, text)
    if problems and len(python_cells) > 1:
        # cells that do not parse together are read one by one (names then do not flow between them)
        items, problems = [], []
        for cell in python_cells:
            more, trouble = _python([cell], places, text)
            items += more
            problems += trouble
    return found + items, problems


_Origin = tuple[int, int, int]  # cell index, line in the cell, columns removed from the line


def _python(cells: list[_Cell], places: dict[int, list[int]], text: str) -> tuple[list[Found], list[Problem]]:
    """The cells' Python as one module; findings and problems placed in the .ipynb file."""
    lines: list[str] = []
    origin: list[_Origin] = []
    for cell in cells:
        for number, line in enumerate(cell.lines, 1):
            code, shift = _python_line(line)
            lines.append(code)
            origin.append((cell.index, number, shift))
    items, trouble = python.find("\n".join(lines))

    def where(line: int) -> _Origin:
        return origin[line - 1] if 0 < line <= len(origin) else (cells[0].index if cells else 0, 1, 0)

    found = []
    for item in items:
        cell_index, number, shift = where(item.line)
        used = None
        if item.used is not None:
            used_cell, used_number, used_shift = where(item.used[0])
            used = _file_position(places, used_cell, used_number, item.used[1] + used_shift, text)
        placed = _place(item, cell_index, number, shift, places, text)
        found.append(replace(placed, used=used))
    problems = []
    for problem in trouble:
        cell_index, number, shift = where(problem.line)
        at_line, at_col = _file_position(places, cell_index, number, problem.col + shift, text)
        problems.append(Problem(at_line, at_col, f"cell {cell_index + 1}: {problem.message}"))
    return found, problems


def _python_line(line: str) -> tuple[str, int]:
    """IPython syntax (`!cmd`, `%magic`, `x = !cmd`) becomes `pass`, keeping the indentation;
    `%time statement` keeps its statement. Returns the line and how many columns were removed."""
    timed = _TIMED_LINE.match(line)
    if timed:
        return line[timed.end() :], timed.end()
    magic = _MAGIC_LINE.match(line)
    if magic:
        return magic.group(1) + "pass", 0
    return line, 0


def _bang(line: str) -> list[Found]:
    """A `!command` line (or `x = !command`): read as shell."""
    magic = _MAGIC_LINE.match(line)
    if magic is None or line[magic.end() - 1] != "!":
        return []
    words = shell.tokens(line, magic.end())
    return shell.command_references(words, shell.Positions(line), {}, "notebook:shell")


def _place(item: Found, cell: int, number: int, shift: int, places: dict[int, list[int]], text: str) -> Found:
    line, col = _file_position(places, cell, number, item.col + shift, text)
    return replace(item, line=line, col=col, cell=cell, cell_line=number)


def _file_position(
    places: dict[int, list[int]], cell: int, number: int, col: int, text: str
) -> tuple[int, int]:
    """The .ipynb line and column of a cell's source line (its JSON string), or the cell's start."""
    starts = places.get(cell)
    if not starts:
        return 1, 1
    index = min(number, len(starts)) - 1
    offset = starts[index]
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    try:
        written = json.loads(text[offset : _string_end(text, offset)])
    except ValueError:
        return line, column + col
    if len(starts) == 1 and number > 1:  # one string holds the whole cell: find the line in it
        before = "\n".join(written.split("\n")[: number - 1]) + "\n"
        return line, column + len(json.dumps(before, ensure_ascii=False)) - 2 + col
    prefix = written[: col - 1] if isinstance(written, str) else ""
    # the opening quote, then the line as JSON writes it (escapes take more characters)
    return line, column + len(json.dumps(prefix, ensure_ascii=False)) - 1


def _source_places(text: str, count: int) -> dict[int, list[int]]:
    """For each cell (by index): the offsets of the JSON strings holding its source lines.

    Jupyter writes `"source": [` with one string per line; the i-th `"source"` key belongs to
    the i-th cell. When the counts disagree (a hand-made file), no places are known.
    """
    keys = [m.end() for m in re.finditer(r'"source"\s*:\s*', text)]
    if len(keys) != count:
        return {}
    places: dict[int, list[int]] = {}
    for cell, start in enumerate(keys):
        offsets: list[int] = []
        if text.startswith("[", start):
            position = start + 1
            while True:
                while position < len(text) and text[position] in " \t\r\n,":
                    position += 1
                if position >= len(text) or text[position] != '"':
                    break
                offsets.append(position)
                position = _string_end(text, position)
        elif text.startswith('"', start):
            offsets.append(start)
        places[cell] = offsets
    return places


def _string_end(text: str, start: int) -> int:
    position = start + 1
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == '"':
            return position + 1
        position += 1
    return position
