"""licensecheck.collector.paused: the cycle collector off for a block, and as it was after it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from licensecheck.collector import paused


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_in_the_block_and_on_again_after_it_even_on_an_error() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), paused():
        assert not gc.isenabled()
        raise RuntimeError("stop")
    assert gc.isenabled()


def test_a_nested_pause_leaves_it_off_until_the_outer_block_ends() -> None:
    gc.enable()
    with paused():
        with paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_resume_turns_it_back_on_early_and_only_if_it_was_on() -> None:
    gc.enable()
    with paused() as resume:
        resume()
        assert gc.isenabled()
    gc.disable()
    with paused() as resume:
        resume()
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_what_a_lasting_block_made_ends_in_the_oldest_generation_unwalked_and_still_collectable() -> None:
    gc.enable()
    with paused(lasting=True):
        made = [[i] for i in range(1000)]
        node = _Node()
        node.next = node  # a cycle: only the collector can free it
    assert gc.get_count()[0] < 100, "the young generation starts empty again"
    assert gc.get_freeze_count() == 0
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(made) in oldest and id(node) in oldest
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is None, "a cycle made in the block is still collected"
    assert len(made) == 1000


class _Node:
    next: object = None


def test_objects_the_program_froze_itself_stay_frozen() -> None:
    gc.enable()
    kept = [object()]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused(lasting=True):
            _ = [[i] for i in range(100)]
        assert gc.get_freeze_count() == frozen > 0
    finally:
        gc.unfreeze()
    assert kept
