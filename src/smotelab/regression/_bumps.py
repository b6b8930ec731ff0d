"""Bumps and how many rows each gets, following UBL's definitions.

The targets are sorted and cut wherever the relevance crosses the threshold: each run of
consecutive sorted targets on one side is a *bump* (Torgo, Branco, Ribeiro and
Pfahringer 2013, 2015). A bump whose mean relevance reaches the threshold is *rare*,
the others *normal*. Each method of UBL turns ``sampling_strategy`` into a rate per bump
its own way; the functions here are those rules, named after the method.

>>> import numpy as np
>>> phi = np.array([0.0, 0.0, 0.2, 0.9, 1.0, 0.1, 0.0])  # relevance of sorted targets
>>> [b.tolist() for b in bump_runs(phi, 0.5)]
[[0, 1, 2], [3, 4], [5, 6]]
>>> smoter_rates([3, 2, 2], "balance").tolist()   # B = round(7 / 3) = 2
[0.6666666666666666, 1.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..exceptions import DataValidationError

__all__ = ["bump_runs", "over_rates", "smoter_rates", "under_rates"]


def bump_runs(phi_sorted: np.ndarray, threshold: float) -> list[np.ndarray]:
    """Positions (in sorted order) of each bump: runs on one side of ``threshold``."""
    rare = np.asarray(phi_sorted) >= threshold
    cuts = np.flatnonzero(rare[1:] != rare[:-1]) + 1
    return np.split(np.arange(len(rare)), cuts)


def _explicit(strategy: Any, n: int, what: str) -> np.ndarray | None:
    """User rates: a number for every bump concerned, or one per bump."""
    if isinstance(strategy, str):
        return None
    rates = np.atleast_1d(np.asarray(strategy, dtype=np.float64))
    if len(rates) == 1 and n > 1:
        rates = np.repeat(rates, n)
    if len(rates) != n or not np.isfinite(rates).all() or (rates < 0).any():
        raise DataValidationError(
            f"sampling_strategy gives {len(rates)} rate(s) but there are {n} {what}; give "
            "one non-negative rate per bump (or one for all), or 'balance' or 'extreme'.")
    return rates


def smoter_rates(sizes: Sequence[int] | np.ndarray, strategy: Any, digits: int = 1) -> np.ndarray:
    """SMOTER's rate for every bump (UBL's ``SmoteRegress``): > 1 over-samples the bump
    to that many times its size, < 1 keeps that share of it, 1 leaves it.

    ``'balance'``: every bump toward ``B = round(n / n_bumps)`` rows (rate ``B / size``);
    ``'extreme'``: the rates inverted around ``B``, so small bumps end larger than large
    ones (UBL's rounding to 2 then ``digits`` decimals kept: 1 for SMOTER, 4 for
    Gaussian noise).
    """
    sizes_a = np.asarray(sizes, dtype=np.float64)
    rates = _explicit(strategy, len(sizes_a), "bumps")
    if rates is not None:
        return rates
    b = np.round(sizes_a.sum() / len(sizes_a))
    if strategy == "balance":
        return b / sizes_a
    rescale = len(sizes_a) * b / np.sum(b * b / sizes_a)
    obj = np.round(b * b / sizes_a * rescale, 2)
    return np.round(obj / sizes_a, digits)


def over_rates(sizes: Sequence[int] | np.ndarray, rare: np.ndarray, strategy: Any) -> np.ndarray:
    """Random over-sampling's rates (UBL's ``RandOverRegress``): how many copies, as a
    share of its size, each rare bump gains; normal bumps 0.

    ``'balance'``: each rare bump gains the normal rows' total shared among the rare
    bumps; ``'extreme'``: the mean normal bump's size squared over the bump's size.
    """
    sizes_a = np.asarray(sizes, dtype=np.float64)
    rare = np.asarray(rare, dtype=bool)
    out = np.zeros(len(sizes_a))
    rates = _explicit(strategy, int(rare.sum()), "rare bumps")
    if rates is None:
        normal = sizes_a[~rare]
        if strategy == "balance":
            obj = normal.sum() / rare.sum()
        else:
            obj = (normal.sum() / len(normal)) ** 2 / sizes_a[rare]
        rates = np.round(obj / sizes_a[rare], 5)
    out[rare] = rates
    return out


def under_rates(sizes: Sequence[int] | np.ndarray, rare: np.ndarray, strategy: Any) -> np.ndarray:
    """Random under-sampling's rates (UBL's ``RandUnderRegress``): the share of each
    normal bump kept; rare bumps 1.

    ``'balance'``: each normal bump keeps the rare rows' total shared among the normal
    bumps; ``'extreme'``: the mean rare bump's size squared over the bump's size.
    """
    sizes_a = np.asarray(sizes, dtype=np.float64)
    rare = np.asarray(rare, dtype=bool)
    out = np.ones(len(sizes_a))
    rates = _explicit(strategy, int((~rare).sum()), "normal bumps")
    if rates is None:
        big = sizes_a[rare]
        if strategy == "balance":
            obj = big.sum() / (~rare).sum()
        else:
            obj = (big.sum() / len(big)) ** 2 / sizes_a[~rare]
        rates = np.round(obj / sizes_a[~rare], 5)
    out[~rare] = rates
    return out
