"""Evenly spread subsets: the deterministic sample every search and diagnosis takes.

>>> evenly_spaced(10, 4).tolist()
[0, 3, 6, 9]
>>> evenly_spaced(3, 8).tolist()
[0, 1, 2]
"""

from __future__ import annotations

import numpy as np

__all__ = ["evenly_spaced"]


def evenly_spaced(n: int, size: int) -> np.ndarray:
    """At most ``size`` positions spread evenly over ``0..n-1`` (ends included), sorted."""
    if n <= 0 or size <= 0:
        return np.empty(0, dtype=np.intp)
    return np.unique(np.linspace(0, n - 1, min(n, size)).astype(np.intp))
