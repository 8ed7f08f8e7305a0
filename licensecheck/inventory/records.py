"""Records as JSON Lines: one line each, a fixed order, and the partition a repository's records go to."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from licensecheck.inventory import host
from licensecheck.inventory.model import RECORD_TYPES, Record

PARTITIONS = 32  # records/part-00.jsonl .. part-31.jsonl; a repository's records share one
_TYPE_RANK = {t: i for i, t in enumerate(RECORD_TYPES)}


def partition(repository: str) -> int:
    """The partition of a repository's records: from a hash of its name, the same on every run."""
    digest = hashlib.sha256(repository.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:4], "big") % PARTITIONS


def partition_file(index: int) -> str:
    return f"records/part-{index:02d}.jsonl"


def line(record: Record) -> str:
    return host.json_line(record)


def sort_key(record: Record, text: str) -> tuple[Any, ...]:
    """Repository, then record type, then file and position; the line itself breaks ties."""
    return (
        record["repository"],
        _TYPE_RANK.get(record["type"], len(_TYPE_RANK)),
        record.get("file") or "",
        record.get("line") or 0,
        record.get("col") or 0,
        text,
    )


def sorted_lines(lines: list[str]) -> list[str]:
    """JSON Lines in the order of sort_key (the order every engine's output is written in)."""
    return sorted(lines, key=lambda text: sort_key(json.loads(text), text))
