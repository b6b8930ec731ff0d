"""``balanced_batch_generator``: resample once, then yield shuffled mini-batches forever."""

from __future__ import annotations

from collections.abc import Iterator
from numbers import Integral
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.utils import _safe_indexing, check_random_state

__all__ = ["balanced_batch_generator", "resample_once"]


def resample_once(X: Any, y: Any, sample_weight: Any, sampler: Any,
                  rng: np.random.RandomState) -> tuple:
    """``(fitted sampler, X_res, y_res, weights_res)``: ``sampler`` (a clone; a
    ``RandomUnderSampler`` seeded from ``rng`` when None) fitted once, weights following
    their rows."""
    if sampler is None:
        from ..under_sampling import RandomUnderSampler

        fitted = RandomUnderSampler(random_state=rng.randint(np.iinfo(np.int32).max))
    else:
        fitted = clone(sampler)
    if sample_weight is None:
        X_res, y_res = fitted.fit_resample(X, y)[:2]
        return fitted, X_res, y_res, None
    X_res, y_res, params = fitted.fit_resample(X, y, sample_weight=sample_weight)
    return fitted, X_res, y_res, params["sample_weight"]


def balanced_batch_generator(X: Any, y: Any, *, sample_weight: Any = None, sampler: Any = None,
                             batch_size: int = 32, keep_sparse: bool = False,
                             random_state: Any = None) -> tuple[Iterator[tuple], int]:
    """Mini-batches of a resampled data set, for a training loop (e.g. ``model.fit``).

    The data are resampled once by ``sampler``; the resampled rows are shuffled and
    cut into batches, epoch after epoch. Any smotelab sampler works, over-samplers
    included (imbalanced-learn's needs one with ``sample_indices_``); sample weights
    follow their rows (a synthetic row takes its parent's weight).

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The imbalanced data.
    y : array-like of shape (n_samples,) or (n_samples, n_classes)
        Labels, or a one-vs-all indicator matrix.
    sample_weight : array-like of shape (n_samples,), default=None
        Per-row weights, yielded with each batch.
    sampler : sampler, default=None
        Cloned and fitted once; ``None`` means ``RandomUnderSampler``.
    batch_size : int, default=32
        Rows per batch.
    keep_sparse : bool, default=False
        Keep sparse batches sparse (they are densified otherwise).
    random_state : int, RandomState or None, default=None
        Seeds the shuffle and the default sampler.

    Returns
    -------
    generator : generator of tuple
        Yields ``(X_batch, y_batch)``, or ``(X_batch, y_batch, sample_weight_batch)``.
    steps_per_epoch : int
        Number of full batches in one pass over the resampled rows.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.over_sampling import SMOTE
    >>> from smotelab.tensorflow import balanced_batch_generator
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(100, 3)), np.array([0] * 90 + [1] * 10)
    >>> gen, steps = balanced_batch_generator(X, y, sampler=SMOTE(random_state=0),
    ...                                       batch_size=20, random_state=0)
    >>> steps
    9
    >>> X_batch, y_batch = next(gen)
    >>> X_batch.shape
    (20, 3)
    """
    if not isinstance(batch_size, Integral) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int; got {batch_size!r}.")
    rng = check_random_state(random_state)
    _, X_res, y_res, w_res = resample_once(X, y, sample_weight, sampler, rng)
    order = rng.permutation(len(y_res))  # samplers group rows by class: mix them

    def batches() -> Iterator[tuple]:
        while True:
            for start in range(0, len(order), batch_size):
                rows = order[start : start + batch_size]
                X_batch = _safe_indexing(X_res, rows)
                if sp.issparse(X_batch) and not keep_sparse:
                    X_batch = X_batch.toarray()
                y_batch = _safe_indexing(y_res, rows)
                if w_res is None:
                    yield X_batch, y_batch
                else:
                    yield X_batch, y_batch, _safe_indexing(w_res, rows)

    return batches(), len(order) // batch_size
