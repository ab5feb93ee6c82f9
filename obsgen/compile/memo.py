"""Memoise a compiler helper per model object, by identity.

Model values are frozen, so a result cannot go stale; they are keyed by identity
because hashing a frozen dataclass hashes everything it holds (a System: the whole
fleet), which would make every lookup as dear as the work it saves.
"""

from __future__ import annotations

import functools
from typing import Callable, Hashable, TypeVar

R = TypeVar("R")

LIMIT = 4096  # entries kept per helper; the cache starts over beyond it


def per_object(fn: Callable[..., R]) -> Callable[..., R]:
    """Memoise by the identity of every argument (a system and one of its SLOs)."""
    cache: dict[tuple[int, ...], tuple[tuple, R]] = {}

    @functools.wraps(fn)
    def memo(*objs):
        key = tuple(map(id, objs))
        hit = cache.get(key)
        if hit is None or any(a is not b for a, b in zip(hit[0], objs)):  # the objects are held, so no id is reused while cached
            if len(cache) >= LIMIT:
                cache.clear()
            hit = cache[key] = (objs, fn(*objs))
        return hit[1]

    return memo


VALUE_LIMIT = 1024  # results kept per helper memoised by value


def by_key(key: Callable[..., Hashable]) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Memoise by what a helper reads of its arguments, not by the arguments: an SLO's shape
    (kind of SLI, tiers, budget), not its names and selectors, so a fleet of SLOs alike in
    shape replays the SLO model once, not once per SLO. `key` must cover everything the
    helper reads; arguments whose key cannot be hashed are computed."""

    def wrap(fn: Callable[..., R]) -> Callable[..., R]:
        cache: dict[Hashable, R] = {}

        @functools.wraps(fn)
        def memo(*args):
            try:
                found = key(*args)
                hit = cache.get(found, cache)
            except TypeError:
                return fn(*args)
            if hit is cache:
                if len(cache) >= VALUE_LIMIT:
                    cache.clear()
                hit = cache[found] = fn(*args)
            return hit

        return memo

    return wrap


def per_value(fn: Callable[..., R]) -> Callable[..., R]:
    """Memoise a pure helper by equal arguments, for work whose inputs are small model
    values (one SLO, one scenario) while the work is dear (the SLO model replayed minute by
    minute): the same SLO compiled again in one process (both sides of a diff, a test
    suite's many compiles) costs a lookup. Arguments that cannot be hashed are computed.
    Equal means equal in the compared fields: a memoised helper must not read the ones
    left out of equality (defined_at, provenance)."""
    return by_key(lambda *args: args)(fn)
