"""licensecheck.collector.paused: the cycle collector off for a block, and as it was after it."""

from __future__ import annotations

import gc
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
