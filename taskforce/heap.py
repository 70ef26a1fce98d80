"""Keep the garbage collector's full passes short in a long-running worker.

A worker holds Django, the application and their modules: a great many objects that
live as long as the process. Python's collector walks all of them on each full
(oldest-generation) collection, and a request that happened to trigger one took several
times as long as the others: the p95 spikes of the API lists (figures in
docs/PERFORMANCE.md).
Freezing what exists once the application is loaded moves those objects out of the
collector's way; objects made by requests are collected as before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def settle() -> None:
    """Collect once, then leave every object alive now out of later collections."""
    gc.collect()
    gc.freeze()


@contextmanager
def paused() -> Iterator[None]:
    """No collection while a large structure without cycles is built (a kept report's cells).

    Collections are set off by allocations, not by garbage: building tens of thousands of
    objects runs the collector again and again over objects that are all alive. The
    collector is enabled again afterwards (unless it was off before) and collects as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
