"""Pairwise distances for categorical data: the Value Difference Metric."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_array, check_consistent_length, check_is_fitted

from ..exceptions import DataValidationError
from ..neighbors._nominal import vdm_tables
from ..utils._compat import Interval, StrOptions

__all__ = ["ValueDifferenceMetric"]

_BLOCK = 1 << 22  # output entries computed per block


class ValueDifferenceMetric(BaseEstimator):
    r"""The Value Difference Metric between rows of ordinal-encoded categories.

    Two values of a feature are close when the classes are shared alike among the rows
    holding them (Stanfill and Waltz, 1986). With ``p(c | v)`` the share of class ``c``
    among the rows whose feature ``f`` has value ``v``, the distance between rows ``x``
    and ``y`` is

    .. math::
       \Delta(x, y) = \sum_f \Big(\big(\sum_c |p(c|x_f) - p(c|y_f)|^k\big)^{1/k}\Big)^r

    as imbalanced-learn computes it (``k=1, r=2``: SMOTEN's metric, whose tables this
    class shares). Each feature's value-to-value distances form a small table computed
    once; a pairwise matrix is then one lookup per feature and entry.

    Parameters
    ----------
    n_categories : "auto" or array-like of shape (n_features,), default="auto"
        Values per feature (codes ``0 .. n - 1``); ``"auto"``: one more than the
        largest code seen by ``fit``.
    k : int, default=1
        Exponent of the class-share differences.
    r : int, default=2
        Exponent of each feature's distance.

    Attributes
    ----------
    n_categories_ : ndarray of shape (n_features,)
        Values per feature.
    proba_per_class_ : list of ndarray of shape (n_categories, n_classes)
        Per feature, the share of each class among the rows holding each value (zeros
        for a value no row holds).
    classes_ : ndarray
        The classes, sorted.
    n_features_in_ : int
        Number of features seen.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.metrics.pairwise import ValueDifferenceMetric
    >>> X = np.array([0] * 10 + [1] * 10 + [2] * 10).reshape(-1, 1)
    >>> y = [1] * 8 + [0] * 5 + [1] * 7 + [0] * 9 + [1]
    >>> vdm = ValueDifferenceMetric().fit(X, y)
    >>> vdm.pairwise(np.array([[0], [1], [2]]))
    array([[0.  , 0.04, 1.96],
           [0.04, 0.  , 1.44],
           [1.96, 1.44, 0.  ]])
    """

    _parameter_constraints: dict = {
        "n_categories": [StrOptions({"auto"}), "array-like"],
        "k": [Interval(Integral, 1, None, closed="left")],
        "r": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, n_categories: Any = "auto", k: int = 1, r: int = 2) -> None:
        self.n_categories = n_categories
        self.k = k
        self.r = r

    def fit(self, X: Any, y: Any) -> ValueDifferenceMetric:
        """Learn each value's class shares.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Integer codes (e.g. from ``OrdinalEncoder``), non-negative.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : ValueDifferenceMetric
            Fitted.
        """
        self._validate_params()
        codes = self._codes(X, reset=True)
        check_consistent_length(codes, y)
        self.classes_, inverse = np.unique(np.asarray(y), return_inverse=True)
        seen = codes.max(axis=0) + 1 if len(codes) else np.zeros(codes.shape[1], int)
        if isinstance(self.n_categories, str):
            self.n_categories_ = seen
        else:
            given = np.asarray(self.n_categories, dtype=np.int64)
            if given.shape != (codes.shape[1],):
                raise ValueError(
                    f"The length of n_categories is not consistent with the number of "
                    f"features: {given.size} entries for {codes.shape[1]} features; give one "
                    "count per feature.")
            if (given < seen).any():
                f = int(np.flatnonzero(given < seen)[0])
                raise DataValidationError(
                    f"feature {f} holds code {seen[f] - 1} but n_categories[{f}]="
                    f"{given[f]}; codes must be below the counts.")
            self.n_categories_ = given
        self.proba_per_class_ = vdm_tables(codes, [int(n) for n in self.n_categories_],
                                           inverse.reshape(-1), len(self.classes_))
        self._tables: list[np.ndarray] | None = None
        return self

    def _codes(self, X: Any, *, reset: bool) -> np.ndarray:
        codes = _integer_codes(X)
        if codes.size and codes.min() < 0:
            f = int(np.flatnonzero((codes < 0).any(axis=0))[0])
            raise DataValidationError(
                f"feature {f} holds a negative code ({int(codes[:, f].min())}); the metric "
                "takes ordinal codes 0, 1, 2... (e.g. OrdinalEncoder's output).")
        if reset:
            self.n_features_in_ = codes.shape[1]
        elif codes.shape[1] != self.n_features_in_:
            raise DataValidationError(
                f"X has {codes.shape[1]} features but the metric was fitted on "
                f"{self.n_features_in_}.")
        else:
            over = codes >= self.n_categories_[None, :]
            if over.any():
                f = int(np.flatnonzero(over.any(axis=0))[0])
                raise DataValidationError(
                    f"feature {f} holds code {int(codes[:, f].max())}, unseen by fit "
                    f"(codes 0..{self.n_categories_[f] - 1}); encode with the fitted "
                    "encoder's categories.")
        return codes

    def _value_tables(self) -> list[np.ndarray]:
        """Per feature, the distance between every two values (``n_values x n_values``)."""
        cached = getattr(self, "_tables", None)
        if cached is None:
            tables = []
            for P in self.proba_per_class_:
                diff = np.abs(P[:, None, :] - P[None, :, :])
                d = diff.sum(axis=2) if self.k == 1 else (diff ** self.k).sum(axis=2) ** (
                    1.0 / self.k)
                tables.append(d ** self.r)
            self._tables = cached = tables
        return cached

    def pairwise(self, X: Any, Y: Any = None) -> np.ndarray:
        """Distances between the rows of ``X`` and those of ``Y`` (or of ``X``).

        Parameters
        ----------
        X : array-like of shape (n_samples_X, n_features)
            Integer codes, as given to ``fit``.
        Y : array-like of shape (n_samples_Y, n_features), default=None
            Integer codes; ``None`` means ``X``.

        Returns
        -------
        distance_matrix : ndarray of shape (n_samples_X, n_samples_Y)
            The Value Difference Metric between every two rows.
        """
        check_is_fitted(self, "proba_per_class_")
        A = self._codes(X, reset=False)
        B = A if Y is None else self._codes(Y, reset=False)
        tables = self._value_tables()
        out = np.zeros((A.shape[0], B.shape[0]))
        step = max(1, _BLOCK // max(B.shape[0], 1))
        for a in range(0, A.shape[0], step):
            block = out[a : a + step]
            for f, T in enumerate(tables):
                block += T[A[a : a + step, f][:, None], B[:, f][None, :]]
        return out


def _integer_codes(X: Any) -> np.ndarray:
    """``X`` as int64 codes, or a clear error where its values are not integer codes."""
    raw = check_array(X, dtype=None, ensure_all_finite=False)
    if raw.dtype.kind in "biu":
        return raw.astype(np.int64, copy=False)
    where = "the metric takes integer codes 0, 1, 2... per feature"
    todo = ("encode the categories first (sklearn.preprocessing.OrdinalEncoder), or use "
            "SMOTEN, which takes categories as they are")
    if raw.dtype.kind == "f":
        bad = ~np.isfinite(raw) | (raw != np.round(np.nan_to_num(raw)))
        if not bad.any():
            return raw.astype(np.int64)
        row, f = (int(v[0]) for v in np.nonzero(bad))
        raise DataValidationError(
            f"ValueDifferenceMetric: feature {f} holds {float(raw[row, f])!r} (row {row}), not an "
            f"integer code; {where}: {todo}.")
    for f in range(raw.shape[1]):
        for row, v in enumerate(raw[:, f]):
            if not (isinstance(v, (int, np.integer)) and not isinstance(v, bool)):
                try:
                    ok = float(v) == int(v)
                except (TypeError, ValueError, OverflowError):
                    ok = False
                if not ok:
                    what = "a string" if isinstance(v, str) else f"a {type(v).__name__}"
                    raise DataValidationError(
                        f"ValueDifferenceMetric: feature {f} holds {str(v)!r} (row {row}, "
                        f"{what}), not an integer code; {where}: {todo}.")
    return raw.astype(np.int64)
