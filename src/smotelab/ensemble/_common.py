"""What the balanced ensembles share: member seeds, strategies on encoded labels, checks.

Every ensemble fits its members on labels encoded as ``0..n_classes-1`` (scikit-learn's
ensembles average the members' ``predict_proba`` columns by position), so a
``sampling_strategy`` given with the user's labels is translated once per fit.

Randomness: one ``random_state`` gives the fit's root stream; member ``i`` takes the seed
of its own child stream, so the seed of a member depends only on the root and on ``i``
(a ``warm_start`` fit that adds members gives the members a fit from scratch would).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from numbers import Integral
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.utils import assert_all_finite
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from ..under_sampling import RandomUnderSampler
from ..utils._random import RandomStreams

__all__ = ["EncodedStrategy", "encode_target", "member_seeds", "members_to_add",
           "set_member_random_states"]

MAX_INT = np.iinfo(np.int32).max


def member_seeds(streams: RandomStreams, start: int, stop: int) -> np.ndarray:
    """Seeds (int32 range) of members ``start..stop-1``, each from its own stream."""
    return np.array([streams.member_seed(i) for i in range(start, stop)], dtype=np.int64)


def members_to_add(n_estimators: int, n_fitted: int) -> int:
    """How many members a (warm-start) fit adds; scikit-learn's error and warning."""
    if n_estimators < n_fitted:
        raise ValueError(f"n_estimators={n_estimators} must be larger or equal to "
                         f"len(estimators_)={n_fitted} when warm_start==True")
    if n_estimators == n_fitted:
        warnings.warn("Warm-start fitting without increasing n_estimators does not fit new "
                      "trees.", UserWarning, stacklevel=3)
    return n_estimators - n_fitted


def set_member_random_states(estimator: Any, seed: int) -> None:
    """Give every ``random_state`` of ``estimator`` (nested ones too) its own int.

    The ints are drawn in the sorted order of the parameter names from ``seed``, so a
    member is the same whatever the order its steps were declared in.
    """
    rng = np.random.RandomState(int(seed))
    params = estimator.get_params(deep=True)
    found = {key: int(rng.randint(MAX_INT)) for key in sorted(params)
             if key == "random_state" or key.endswith("__random_state")}
    if found:
        estimator.set_params(**found)


def encode_target(y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(y, classes, y_encoded)`` of a 1-D classification target.

    A column vector ``(n, 1)`` is raveled with scikit-learn's ``DataConversionWarning``;
    continuous or multi-output targets are refused.
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] != 1:
        raise ValueError(
            f"y has {y.shape[1]} columns; the balanced ensembles take one column of class "
            "labels (multi-output targets are not supported).")
    y = column_or_1d(y, warn=True)
    if y.dtype.kind == "f":
        assert_all_finite(y, input_name="y")
    check_classification_targets(y)
    if y.size == 0:
        raise ValueError("y is empty: there are no rows to learn from (0 samples).")
    classes, y_encoded = np.unique(y, return_inverse=True)
    if classes.size < 2:
        raise ValueError(
            f"y has one class ({classes[0]!r}); a classifier needs at least two.")
    return y, classes, y_encoded.astype(np.intp, copy=False)


class EncodedStrategy:
    """A user's dict or callable ``sampling_strategy`` read on encoded labels.

    Members see ``y`` as positions in ``classes``; a dict keyed by the user's labels is
    re-keyed, and a callable is called with the user's labels (the positions are turned
    back into them first), so the function sees what the user passed to ``fit``.
    """

    def __init__(self, strategy: Mapping | Callable, classes: np.ndarray) -> None:
        self.strategy = strategy
        self.classes = classes

    def _encode(self, counts: Mapping) -> dict:
        encoded = {}
        for label, n in counts.items():
            where = np.flatnonzero(self.classes == label)
            if where.size == 0:
                raise ValueError(
                    f"sampling_strategy names class {label!r}, which is not in y (classes: "
                    f"{self.classes.tolist()}).")
            encoded[int(where[0])] = n
        return encoded

    def __call__(self, y_encoded: Any, **kwargs: Any) -> dict:
        assert callable(self.strategy)
        labels = self.classes[np.asarray(y_encoded, dtype=np.intp)]
        return self._encode(self.strategy(labels, **kwargs))

    def resolve(self) -> Any:
        """A dict re-keyed now, or this object standing for the callable."""
        if isinstance(self.strategy, Mapping):
            return self._encode(self.strategy)
        return self

    def __repr__(self) -> str:
        return f"EncodedStrategy({self.strategy!r})"


def encoded_strategy(strategy: Any, classes: np.ndarray) -> Any:
    """``strategy`` to give a member sampler that sees encoded labels."""
    if isinstance(strategy, Mapping) or callable(strategy):
        return EncodedStrategy(strategy, classes).resolve()
    return strategy


def balancing_sampler(sampler: Any, sampling_strategy: Any, replacement: bool,
                      classes: np.ndarray | None) -> Any:
    """The sampler a member uses: a clone of ``sampler``, or a random under-sampler.

    As in imbalanced-learn, the ensemble's ``sampling_strategy`` is set on the sampler
    (unless the sampler has none, such as a ``FunctionSampler``); ``classes`` is None
    before a fit (for routing and tags), when no strategy needs translating.
    """
    strategy = sampling_strategy if classes is None else encoded_strategy(
        sampling_strategy, classes)
    if sampler is None:
        return RandomUnderSampler(sampling_strategy=strategy, replacement=replacement)
    sampler = clone(sampler)
    if "sampling_strategy" in sampler.get_params(deep=False) and classes is not None:
        sampler.set_params(sampling_strategy=strategy)
    return sampler


def n_drawn(n_samples: int, max_samples: Any, sample_weight: np.ndarray | None,
            bootstrap: bool) -> int:
    """Rows each member draws, scikit-learn's rule (a float is a share of the weight)."""
    if max_samples is None:
        drawn = n_samples
    elif isinstance(max_samples, Integral):
        drawn = int(max_samples)
    else:
        total = n_samples if sample_weight is None else float(sample_weight.sum())
        drawn = max(int(max_samples * total), 1)
    if not bootstrap and drawn > n_samples:
        raise ValueError(
            f"Effective max_samples={drawn} must be <= n_samples={n_samples} to be able to "
            "sample without replacement.")
    return drawn


def n_features_drawn(n_features: int, max_features: Any) -> int:
    """Features each member draws, scikit-learn's rule."""
    drawn = (int(max_features) if isinstance(max_features, Integral)
             else int(max_features * n_features))
    if drawn > n_features:
        raise ValueError(f"max_features must be <= n_features ({n_features}); got {drawn}.")
    return max(1, drawn)


def rows_with_length(params: Mapping, n_samples: int, rows: np.ndarray) -> dict:
    """Per-row parameters (length ``n_samples``) taken at ``rows``; others as they are."""
    out = {}
    for key, value in params.items():
        if hasattr(value, "__len__") and not isinstance(value, str | bytes | Mapping) \
                and len(value) == n_samples:
            out[key] = (value.iloc[rows] if hasattr(value, "iloc")
                        else np.asarray(value)[rows] if not hasattr(value, "tocsr")
                        else value.tocsr()[rows])
        else:
            out[key] = value
    return out
