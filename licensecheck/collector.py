"""The cyclic garbage collector paused while licensecheck builds large structures without cycles."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def paused(lasting: bool = False) -> Iterator[Callable[[], None]]:
    """The cycle collector off for the block, and as it was once the block ends; the block may call
    what it is given to turn it back on early (a long run that leaves garbage behind). `lasting`:
    what the block made is kept until the process ends (a command's whole run), so it goes to the
    oldest generation unwalked (_age); a block that leaves garbage in cycles (a syntax tree) must
    not say so, or the garbage waits for a full collection.

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
            if lasting:
                _age()
            gc.enable()


def _age() -> None:
    """Move every object the collector tracks to its oldest generation without walking them.

    With the collector off, all the block made stays young: the first collection after it would
    walk it all (a 10,000-model shortlist: some 300,000 objects, a sixth of the run) and find
    nothing. freeze() moves them out of the generations and resets the young count, unfreeze()
    puts them in the oldest one, which a full collection still visits later, so garbage in a cycle
    is collected as ever. Skipped when the program froze objects itself (a server before a fork,
    say): unfreeze() would release those too.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _nothing() -> None:
    return None
