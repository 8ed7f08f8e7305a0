"""Progress of a long run on standard error, when it is a terminal: done/total, rate and time left."""

from __future__ import annotations

import time
from typing import TextIO

REFRESH_SECONDS = 0.5


class Progress:
    """One line, rewritten in place at most twice a second; nothing when the stream is not a terminal."""

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None and _is_terminal(stream) else None
        self.start = time.monotonic()
        self.shown = 0.0
        self.width = 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.stream is None:
            return
        now = time.monotonic()
        if now - self.shown >= REFRESH_SECONDS or self.done == self.total:
            self.shown = now
            self._show(line(self.done, self.total, now - self.start))

    def close(self) -> None:
        if self.stream is not None and self.width:
            self.stream.write("\n")
            self.stream.flush()

    def _show(self, text: str) -> None:
        assert self.stream is not None
        padded = text.ljust(self.width)
        self.width = len(text)
        self.stream.write("\r" + padded)
        self.stream.flush()


def line(done: int, total: int, seconds: float) -> str:
    """`1,234/100,000 repositories  45.2/s  about 36m 12s left`."""
    rate = done / seconds if seconds > 0 else 0.0
    text = f"{done:,}/{total:,} repositories  {rate:,.1f}/s"
    if 0 < done < total and rate > 0:
        text += f"  about {duration((total - done) / rate)} left"
    return text


def duration(seconds: float) -> str:
    """`2h 05m`, `36m 12s`, `8s`."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
