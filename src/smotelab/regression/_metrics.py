"""Errors that weigh the rare targets: SERA and relevance-weighted errors.

The mean squared error of a model for a skewed target is dominated by the common values;
these metrics weigh each error by the relevance ``phi`` of the true target, so a model
is judged on the values that matter. They are plain functions of ``(y_true, y_pred)``,
so ``sklearn.metrics.make_scorer(sera, greater_is_better=False)`` makes a scorer.

SERA (Ribeiro and Moniz, 2020) integrates, over relevance thresholds ``t`` in [0, 1],
the squared error of the rows whose relevance is at least ``t``. A row counts for every
``t <= phi_i``, so the integral is exactly ``sum_i phi_i (y_pred_i - y_true_i)^2``;
smotelab computes that sum (the reference R package, IRon, approximates the integral on
a grid of ``t``, which converges to it).

>>> import numpy as np
>>> y_true = np.array([1.0, 2.0, 3.0, 10.0])
>>> y_pred = np.array([1.5, 2.0, 3.0, 6.0])
>>> phi = lambda y: (y > 5).astype(float)      # only the 10 matters
>>> float(sera(y_true, y_pred, relevance=phi))
16.0
>>> float(relevance_weighted_mae(y_true, y_pred, relevance=phi))
4.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..exceptions import DataValidationError
from ._relevance import _Relevance, _targets, resolve_relevance

__all__ = ["relevance_weighted_mae", "relevance_weighted_mse", "sera"]


def _phi_and_errors(y_true: Any, y_pred: Any, relevance: Any, sample_weight: Any,
                    caller: str) -> tuple[np.ndarray, np.ndarray]:
    """The relevance of every true target (weighted) and every error."""
    t = _targets(y_true, caller)
    p = _targets(y_pred, caller)
    if len(t) != len(p):
        raise DataValidationError(f"{caller}: y_true has {len(t)} values and y_pred "
                                  f"{len(p)}; they must match.")
    if isinstance(relevance, _Relevance) and hasattr(relevance, "_curve"):
        phi = relevance(t)  # fitted already (e.g. on the training targets)
    else:
        phi = resolve_relevance(relevance, t)(t)
    if sample_weight is not None:
        w = np.asarray(sample_weight, dtype=np.float64).ravel()
        if len(w) != len(t) or not np.isfinite(w).all() or (w < 0).any():
            raise DataValidationError(f"{caller}: sample_weight must hold {len(t)} "
                                      "finite non-negative values.")
        phi = phi * w
    return phi, p - t


def sera(y_true: Any, y_pred: Any, *, relevance: Any = "extremes",
         sample_weight: Any = None) -> float:
    """Squared error-relevance area: the squared errors weighted by the true targets'
    relevance (lower is better).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted targets.
    relevance : 'extremes', relevance object, table or callable, default='extremes'
        The relevance function: fitted on ``y_true`` unless it is a fitted relevance
        object (fit it on the training targets to judge every fold alike).
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the rows.

    Returns
    -------
    sera : float
        ``sum_i phi(y_true_i) (y_pred_i - y_true_i)^2``, the exact area.
    """
    phi, err = _phi_and_errors(y_true, y_pred, relevance, sample_weight, "sera")
    return float(np.sum(phi * err * err))


def _weighted_mean(values: np.ndarray, phi: np.ndarray, caller: str) -> float:
    total = phi.sum()
    if total <= 0:
        raise DataValidationError(
            f"{caller}: no true target has a positive relevance, so the weighted mean is "
            "undefined; check the relevance function (or use a plain error).")
    return float(np.sum(phi * values) / total)


def relevance_weighted_mse(y_true: Any, y_pred: Any, *, relevance: Any = "extremes",
                           sample_weight: Any = None) -> float:
    """Mean squared error, each row weighted by its true target's relevance.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted targets.
    relevance : 'extremes', relevance object, table or callable, default='extremes'
        As for :func:`sera`.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the rows (multiplying the relevance).

    Returns
    -------
    mse : float
        ``sum_i phi_i e_i^2 / sum_i phi_i``.
    """
    phi, err = _phi_and_errors(y_true, y_pred, relevance, sample_weight,
                               "relevance_weighted_mse")
    return _weighted_mean(err * err, phi, "relevance_weighted_mse")


def relevance_weighted_mae(y_true: Any, y_pred: Any, *, relevance: Any = "extremes",
                           sample_weight: Any = None) -> float:
    """Mean absolute error, each row weighted by its true target's relevance.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted targets.
    relevance : 'extremes', relevance object, table or callable, default='extremes'
        As for :func:`sera`.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the rows (multiplying the relevance).

    Returns
    -------
    mae : float
        ``sum_i phi_i |e_i| / sum_i phi_i``.
    """
    phi, err = _phi_and_errors(y_true, y_pred, relevance, sample_weight,
                               "relevance_weighted_mae")
    return _weighted_mean(np.abs(err), phi, "relevance_weighted_mae")
