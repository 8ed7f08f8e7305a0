"""The cyclic garbage collector paused while licensecheck builds large structures without cycles."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def paused() -> Iterator[Callable[[], None]]:
    """The cycle collector off for the block, and as it was once the block ends; the block may call
    what it is given to turn it back on early (a long run that leaves garbage behind).

    The loaded context (some 100,000 objects), a shortlist's candidates (some 30 objects each of
    10,000), a format's import and rendering after them, and a large file's syntax tree hold no
    cycles: the collector's passes over them find nothing, and cost up to a fifth of a run.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield gc.enable if collecting else _nothing
    finally:
        if collecting:
            gc.enable()


def _nothing() -> None:
    return None
