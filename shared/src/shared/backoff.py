"""One exponential backoff for every retry loop of the project."""

from __future__ import annotations


def backoff(attempt: int, base: float = 0.05, cap: float = 5.0) -> float:
    """The delay before retry number `attempt` (1, 2, ...): doubling from `base`, at most `cap`.

    The exponent is bounded, so an outage of any length never overflows the arithmetic.
    """
    return min(cap, base * 2 ** min(max(attempt, 0), 32))
