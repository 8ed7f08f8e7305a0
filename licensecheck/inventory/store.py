"""The output folder: partitioned records, the state that lets a later run skip what is unchanged.

DIR/records/part-NN.jsonl  the records, sorted; written when a run ends
DIR/state.json             the policy, and per repository the stamp, --as-of and waiver expiries
DIR/.work/                 results of the run under way, one line per repository as it finishes
                           (an interrupted run leaves it; the next run with the same policy
                           keeps those results and goes on)
Every file is replaced atomically; the records of a repository the run did not scan again are
kept from the last run, those of a repository no longer listed are dropped.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from licensecheck.errors import InputError
from licensecheck.inventory import records
from licensecheck.inventory.host import INVENTORY_FORMAT
from licensecheck.inventory.model import RepositoryResult
from licensecheck.output import write_report

STATE = "state.json"
WORK = ".work"
_FRESH_HINT = "give a new or empty folder, or add --fresh to inventory every repository again"


@dataclass(frozen=True)
class Kept:
    """What the output folder knows about a repository's last result."""

    stamp: str | None
    as_of: str
    expiries: tuple[str, ...]

    def valid_on(self, as_of: str) -> bool:
        """Whether its verdicts hold on `as_of`: no waiver it met expires between the two dates."""
        return all((e < self.as_of) == (e < as_of) for e in self.expiries)


class OutputFolder:
    """The folder a run writes; open() reads what an earlier run left there."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.kept: dict[str, Kept] = {}
        self._handles: dict[int, IO[str]] = {}

    def check(self) -> None:
        """InputError unless the folder is new, empty or an inventory's (nothing written)."""
        path = self.path
        if os.path.lexists(path) and not os.path.isdir(path):
            raise InputError(path, None, None, "--output must be a folder", _FRESH_HINT)
        if os.path.isdir(path):
            entries = set(os.listdir(path))
            if entries and not entries & {STATE, WORK}:
                raise InputError(
                    path,
                    None,
                    None,
                    "this folder is not empty and holds no inventory (no state.json): "
                    "an inventory writes only into a new, empty or inventory folder",
                    "give a new or empty folder",
                )

    def open(self, policy: str, fresh: bool) -> dict[str, Kept]:
        """Check the folder, read the last results' state; returns what is still valid under `policy`."""
        self.check()
        path = self.path
        os.makedirs(os.path.join(path, WORK), exist_ok=True)
        state = {} if fresh else self._state(policy)
        work = os.path.join(path, WORK)
        if fresh or _read_text(os.path.join(work, "policy")) != policy:
            shutil.rmtree(work)
            os.makedirs(work)
            _write(os.path.join(work, "policy"), policy)
        else:
            for index in range(records.PARTITIONS):
                for entry in self._work_entries(index):
                    state[entry["repository"]] = entry["kept"]
        self.kept = state
        return state

    def _state(self, policy: str) -> dict[str, Kept]:
        file = os.path.join(self.path, STATE)
        text = _read_text(file)
        if text is None:
            return {}
        try:
            data = json.loads(text)
            if data["inventory_format"] != INVENTORY_FORMAT or data["policy"] != policy:
                return {}  # another version, other rule packs or catalog: everything again
            return {str(name): _kept(value) for name, value in data["repositories"].items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            raise InputError(file, None, None, "not an inventory state file", _FRESH_HINT) from None

    def _work_file(self, index: int) -> str:
        return os.path.join(self.path, WORK, f"part-{index:02d}.jsonl")

    def _work_entries(self, index: int) -> Iterator[dict[str, Any]]:
        """The results kept in a work file: repository, kept (its state) and records."""
        file = self._work_file(index)
        for number, text in enumerate(_lines(file, complete=True), start=1):
            try:
                entry = json.loads(text)
                if not isinstance(entry["repository"], str) or not isinstance(entry["records"], list):
                    raise TypeError("not a result")
                yield {"repository": entry["repository"], "kept": _kept(entry), "records": entry["records"]}
            except (ValueError, KeyError, TypeError):
                raise InputError(file, number, 1, "not an inventory work file", _FRESH_HINT) from None

    def append(self, result: RepositoryResult) -> None:
        """Keep a finished repository's result (flushed: a run stopped later does not lose it)."""
        index = records.partition(result.name)
        handle = self._handles.get(index)
        if handle is None:
            # kept open for the run's other results of this partition; close() closes it
            handle = self._handles[index] = open(self._work_file(index), "a", encoding="utf-8")  # noqa: SIM115
        entry = {
            "repository": result.name,
            "stamp": result.stamp,
            "as_of": result.as_of,
            "expiries": list(result.expiries),
            "records": list(result.records),
        }
        handle.write(records.line(entry) + "\n")
        handle.flush()

    def close(self) -> None:
        for handle in self._handles.values():
            with contextlib.suppress(OSError):
                handle.close()
        self._handles.clear()

    def finish(self, names: set[str], unchanged: set[str], each: Callable[[list[str]], None]) -> list[str]:
        """Write every partition (sorted), then the state; `each` sees each partition's lines in order.

        A repository's records: its newest result of this (or the interrupted) run, else, when
        this run found it unchanged, its records of the last run. Returns the files written.
        """
        self.close()
        written = []
        state: dict[str, Any] = {}
        for index in range(records.PARTITIONS):
            fresh: dict[str, list[str]] = {}
            for entry in self._work_entries(index):
                name = entry["repository"]
                if name in names:
                    fresh[name] = [records.line(r) for r in entry["records"]]
                    state[name] = entry["kept"]
            lines = [text for rows in fresh.values() for text in rows]
            target = os.path.join(self.path, records.partition_file(index))
            for number, text in enumerate(_lines(target), start=1):
                try:
                    name = json.loads(text)["repository"]
                except (ValueError, KeyError, TypeError):
                    raise InputError(target, number, 1, "not an inventory record", _FRESH_HINT) from None
                if name in unchanged and name not in fresh:
                    lines.append(text)
                    state[name] = self.kept[name]
            ordered = records.sorted_lines(lines)
            each(ordered)
            if ordered:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                write_report(target, "".join(text + "\n" for text in ordered))
                written.append(records.partition_file(index))
            elif os.path.lexists(target):
                os.unlink(target)
        data = {
            "inventory_format": INVENTORY_FORMAT,
            "policy": _read_text(os.path.join(self.path, WORK, "policy")),
            "repositories": {name: _state_entry(state[name]) for name in sorted(state)},
        }
        write_report(os.path.join(self.path, STATE), json.dumps(data, indent=1, ensure_ascii=True) + "\n")
        shutil.rmtree(os.path.join(self.path, WORK), ignore_errors=True)
        return written


def _kept(value: Any) -> Kept:
    stamp = value["stamp"]
    expiries = value["expiries"]
    if not (stamp is None or isinstance(stamp, str)) or not isinstance(value["as_of"], str):
        raise TypeError("a stamp is a string")
    if not isinstance(expiries, list) or not all(isinstance(e, str) for e in expiries):
        raise TypeError("expiries are strings")
    return Kept(stamp, value["as_of"], tuple(expiries))


def _state_entry(kept: Kept) -> dict[str, Any]:
    return {"stamp": kept.stamp, "as_of": kept.as_of, "expiries": list(kept.expiries)}


def _lines(path: str, complete: bool = False) -> Iterator[str]:
    """The lines of a file the inventory wrote; `complete`: a last line without its newline (a
    run stopped while writing it) is left out."""
    try:
        with open(path, encoding="utf-8") as handle:
            for text in handle:
                if complete and not text.endswith("\n"):
                    return
                if text.strip():
                    yield text.rstrip("\n")
    except FileNotFoundError:
        return
    except UnicodeDecodeError:
        raise InputError(path, None, None, "not UTF-8: not a file the inventory wrote", _FRESH_HINT) from None


def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, None, None, f"cannot be read: {exc}", _FRESH_HINT) from None


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
