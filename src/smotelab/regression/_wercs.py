"""WERCS: rows copied and dropped at random, weighted by relevance (Branco, Torgo and
Ribeiro, 2019; UBL's WERCSRegress)."""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import numpy as np

from ..exceptions import DataValidationError
from ..utils._compat import Interval
from ..utils._random import RandomStreams
from ._base import BaseRegressionSampler, Bumps
from ._bumps import smoter_rates
from ._samplers import _COMMON_DOC, fill_doc

__all__ = ["WERCS"]


def _weighted(rng: np.random.Generator, rows: np.ndarray, n: int, weights: np.ndarray,
              caller: str, what: str) -> np.ndarray:
    """``n`` of ``rows`` drawn with replacement, with probabilities in proportion to
    ``weights``; a clear error where every weight is 0."""
    total = float(weights.sum())
    if n and total <= 0:
        raise DataValidationError(
            f"{caller}: {what} has no row with a positive weight to draw from; use "
            "threshold=None (weights over all rows) or another relevance.")
    if not n:
        return rows[:0]
    return rows[rng.choice(len(rows), size=n, replace=True, p=weights / total)]


class WERCS(BaseRegressionSampler):
    """WEighted Relevance-based Combination Strategy: copies drawn in proportion to
    relevance, drops in proportion to its complement.

    Without a threshold (the default), ``int(over x n)`` rows are drawn with replacement
    with probability proportional to ``phi`` and copied, and ``int(under x n)`` rows are
    drawn with replacement among those with ``phi < 1``, with probability proportional
    to ``1 - phi``, and dropped (each drawn row once). With a ``threshold``, the targets
    are cut into bumps and every bump is replaced by ``int(rate x size)`` of its rows
    drawn with replacement in proportion to ``phi`` (SMOTER's rates).

    Parameters
    ----------
    sampling_strategy : {'balance', 'extreme'}, float or list of float, default='balance'
        The bumps' rates, with a ``threshold`` (as for :class:`SMOTER`).
    {common}random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams.
    over : float, default=0.5
        Without a threshold: rows copied, as a share of the rows.
    under : float, default=0.5
        Without a threshold: rows drawn for dropping, as a share of the rows.

    Attributes
    ----------
    relevance_ : relevance object
        The fitted relevance function.
    bumps_ : list of ndarray
        With a threshold: the input rows of each bump, in sorted target order (empty
        without one; likewise ``bump_relevance_`` and ``rare_bumps_``).
    rates_ : ndarray
        With a threshold: the rate of every bump.
    sample_indices_ : ndarray
        The input row behind every output row (without a threshold: the rows kept, in
        input order, then the copies in draw order; with one, in input order).
    {input_attrs}
    Notes
    -----
    The copies are drawn among all rows, so a row may be dropped and copied, as in UBL.

    References
    ----------
    P. Branco, L. Torgo, R. P. Ribeiro, "Pre-processing approaches for imbalanced
    distributions in regression", Neurocomputing 343, 76-99, 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.regression import WERCS
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3)); y = np.exp(rng.normal(size=300))
    >>> X_res, y_res = WERCS(random_state=0).fit_resample(X, y)
    >>> bool(np.median(y_res) > np.median(y))
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        **BaseRegressionSampler._parameter_constraints,
        "threshold": [Interval(Real, 0, 1, closed="both"), None],
        "over": [Interval(Real, 0, None, closed="left")],
        "under": [Interval(Real, 0, 1, closed="both")],
    }

    def __init__(self, *, sampling_strategy="balance", relevance="extremes", threshold=None,
                 random_state=None, over=0.5, under=0.5):
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.threshold = threshold
        self.random_state = random_state
        self.over = over
        self.under = under

    def _resample(self, Xn: np.ndarray, y: np.ndarray, bumps: Bumps | None,
                  streams: RandomStreams) -> tuple[np.ndarray, Any, dict | None]:
        name = type(self).__name__
        phi = self.relevance_(y)
        n = len(y)
        if bumps is None:
            rows = np.arange(n)
            copies = _weighted(streams.for_class(0), rows, int(self.over * n), phi, name,
                               "over-sampling")
            rest = rows[phi < 1]
            drops = _weighted(streams.for_class(1), rest, int(self.under * n),
                              1 - phi[rest], name, "under-sampling")
            kept = np.setdiff1d(rows, drops)
            self._check_memory(len(kept), len(copies), Xn.shape[1])
            return np.concatenate([kept, copies]), None, None
        rates = self.rates_ = self._rates(bumps)
        parts = []
        for b, rows in enumerate(bumps.rows):
            if rates[b] == 1:
                parts.append(rows)
                continue
            parts.append(_weighted(streams.for_class(b), rows, int(rates[b] * len(rows)),
                                   phi[rows], name, f"bump {b}"))
        keep = np.sort(np.concatenate(parts))
        self._check_memory(len(keep), 0, Xn.shape[1])
        return keep, None, None

    def _rates(self, bumps: Bumps) -> np.ndarray:
        return smoter_rates(bumps.sizes, self.sampling_strategy)

    def _planned_rows(self, bumps: Bumps | None) -> tuple[np.ndarray, np.ndarray] | None:
        if bumps is None:  # the drops are drawn with replacement: their count is random
            return None
        rates = self._rates(bumps)
        kept = np.where(rates == 1, bumps.sizes, (rates * bumps.sizes).astype(np.int64))
        return kept, np.zeros(len(rates), np.int64)


fill_doc(WERCS, _COMMON_DOC.replace(
    """    threshold : float, default=0.5
        Relevance from which a target is rare; the sorted targets are cut into bumps
        where their relevance crosses it.""", """    threshold : float or None, default=None
        None: rows weighed by relevance over all the data (UBL's default); a float:
        the relevance from which a target is rare, the sorted targets cut into bumps
        where their relevance crosses it."""))
