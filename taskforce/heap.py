"""Keep the garbage collector's full passes short in a long-running worker.

A worker holds Django, the application and their modules: about a hundred thousand
objects that live as long as the process. Python's collector walks all of them on each
full (oldest-generation) collection, and a request that happened to trigger one took
100-500 ms instead of 40-50 ms: the p95 spikes of the API lists (docs/PERFORMANCE.md).
Freezing what exists once the application is loaded moves those objects out of the
collector's way; objects made by requests are collected as before.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect once, then leave every object alive now out of later collections."""
    gc.collect()
    gc.freeze()
