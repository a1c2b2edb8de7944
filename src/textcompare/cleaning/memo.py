"""Per-page memoisation of the cleaner's pure text predicates.

The cleaner asks the same questions about the same line many times: word
counts from several rules, line labels again in every idempotence pass.
Functions decorated with :func:`memo` must be pure functions of hashable
arguments returning immutable values, so a cached answer is always the
answer.  :func:`clear_memos` is called at the start and end of every
``clean_text`` call, so nothing is reused across pages (timings stay honest
and memory stays flat).  ``functools.lru_cache`` does the work.
"""
from __future__ import annotations

import functools
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)

MAX_ENTRIES = 16384
_CACHED: list = []


def memo(func: F) -> F:
    """Cache a pure function's results until the next :func:`clear_memos`."""
    cached = functools.lru_cache(maxsize=MAX_ENTRIES)(func)
    _CACHED.append(cached)
    return cached  # type: ignore[return-value]


def clear_memos() -> None:
    """Forget every cached answer."""
    for cached in _CACHED:
        cached.cache_clear()


__all__ = ["memo", "clear_memos", "MAX_ENTRIES"]
