"""Any over-sampler followed by any cleaner, with the over-sampler's provenance kept readable."""

from __future__ import annotations

from numbers import Number
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone

from ..base import BaseSampler
from ..utils._compat import HasMethods
from ..utils._containers import XContainer, YContainer

__all__ = ["OverThenClean"]


class OverThenClean(BaseSampler):
    """Over-sample, then clean the result: the general form of SMOTE-ENN and SMOTE-Tomek.

    Parameters
    ----------
    over_sampler : sampler or None, default=None
        Any over-sampler (``SMOTE``, ``ADASYN``, ``SVMSMOTE``, ``BorderlineSMOTE``,
        ``KMeansSMOTE``, ``RandomOverSampler``, ...); it is cloned. Default ``SMOTE()``.
    cleaner : sampler or None, default=None
        Any cleaner or under-sampler run on the over-sampled data (``TomekLinks``,
        ``EditedNearestNeighbours``, ...); it is cloned. Default
        ``EditedNearestNeighbours(sampling_strategy='all')``.

    Attributes
    ----------
    over_sampler_ : sampler
        The fitted over-sampler.
    cleaner_ : sampler
        The fitted cleaner.
    sample_indices_ : ndarray
        Row indices (into X) of the input rows that survived the cleaning, in order. They
        come first in the output.
    provenance_ : dict of ndarray
        The over-sampler's provenance restricted to the synthetic rows that survived, in
        output order: ``X_res[len(sample_indices_) + r]`` came from ``parent[r]``,
        ``neighbor[r]`` and ``step[r]``. Present when the over-sampler records provenance.
    synthetic_kept_ : ndarray of bool
        For each row the over-sampler made, whether it survived the cleaning.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.combine import OverThenClean
    >>> from smotelab.over_sampling import ADASYN
    >>> from smotelab.under_sampling import TomekLinks
    >>> X, y = make_classification(n_samples=500, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> s = OverThenClean(ADASYN(random_state=0), TomekLinks(sampling_strategy="all"))
    >>> X_res, y_res = s.fit_resample(X, y)
    >>> n = len(s.sample_indices_)
    >>> p = s.provenance_
    >>> import numpy as np
    >>> bool(np.allclose(X_res[n:], X[p["parent"]] + p["step"][:, None] * (
    ...     X[p["neighbor"]] - X[p["parent"]])))
    True
    """

    _sampling_type: ClassVar[str] = "bypass"
    _parameter_constraints: ClassVar[dict] = {
        "over_sampler": [HasMethods(["fit_resample"]), None],
        "cleaner": [HasMethods(["fit_resample"]), None],
    }

    def __init__(self, over_sampler=None, cleaner=None):
        self.over_sampler = over_sampler
        self.cleaner = cleaner

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        # read by the common checks: counts, row order and streams are those of a
        # cleaner applied after an over-sampler
        tags.sampler_tags.combines = True
        tags.sampler_tags.sample_indices = True  # the input rows that survived the cleaning
        return tags


    def _validates_input(self) -> bool:
        return False  # each step validates its own input

    def fit(self, X: Any, y: Any) -> OverThenClean:
        """Check the inputs as the over-sampler does, without resampling.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Data.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
            The sampler, with ``sampling_strategy_`` and ``n_features_in_`` (those of
            its over-sampler).
        """
        self._validate_params()
        over, _ = self._steps()
        over.fit(X, y)
        self.sampling_strategy_ = self._strategy_attribute(over)
        self._record_input(over.n_features_in_, getattr(over, "feature_names_in_", None))
        return self

    def _steps(self) -> tuple[Any, Any]:
        from ..over_sampling import SMOTE
        from ..under_sampling import EditedNearestNeighbours

        over = SMOTE() if self.over_sampler is None else clone(self.over_sampler)
        cleaner = (EditedNearestNeighbours(sampling_strategy="all") if self.cleaner is None
                   else clone(self.cleaner))
        return over, cleaner

    def _fit_resample_dask(self, X: Any, y: Any) -> tuple[Any, Any]:
        # the steps take the Dask route themselves
        self._validate_params()
        return self._fit_resample(
            XContainer(native=X, kind="raw"),
            YContainer(native=y, kind="raw", labels=np.empty(0)),
            plan=None, streams=None)

    def _fit_resample(self, X, y, *, plan, streams) -> tuple[Any, Any]:
        over, cleaner = self._steps()
        X_mid, y_mid = over.fit_resample(X.native, y.native)
        X_res, y_res = cleaner.fit_resample(X_mid, y_mid)
        self.over_sampler_, self.cleaner_ = over, cleaner
        if hasattr(over, "sampling_strategy_"):
            self.sampling_strategy_ = self._strategy_attribute(over)
        self._record_steps(over, cleaner)
        if hasattr(X_mid, "__dask_graph__"):  # Dask steps: the same bookkeeping, lazily
            self._record_lazy(X, over, cleaner)
            return X_res, y_res
        kept = np.asarray(getattr(cleaner, "sample_indices_", []), dtype=np.intp)
        if hasattr(over, "provenance_") and hasattr(cleaner, "sample_indices_"):
            # an over-sampler: the input rows first, then its synthetic rows
            n = _n_rows(X.native)
            self.sample_indices_ = kept[kept < n]
            self.synthetic_kept_ = np.zeros(len(over.provenance_["parent"]), dtype=bool)
            self.synthetic_kept_[kept[kept >= n] - n] = True
            self.provenance_ = {k: v[self.synthetic_kept_] for k, v in over.provenance_.items()}
        elif hasattr(over, "sample_indices_") and hasattr(cleaner, "sample_indices_"):
            # a selection first: the kept rows are a selection of a selection
            self.sample_indices_ = np.asarray(over.sample_indices_)[kept]
            self.synthetic_kept_ = np.zeros(0, dtype=bool)
        if hasattr(over, "n_features_in_"):
            self._record_input(over.n_features_in_, getattr(over, "feature_names_in_", None))
        return X_res, y_res

    def _output_sources(self, n_samples: int) -> np.ndarray:
        # the cleaner's output rows are rows of the over-sampler's output
        from ..utils._metadata import row_sources

        over = row_sources(self.over_sampler_, n_samples)
        return over[row_sources(self.cleaner_, len(over))]

    def _record_lazy(self, X: Any, over: Any, cleaner: Any) -> None:
        """``sample_indices_``, ``synthetic_kept_`` and ``provenance_`` as Dask arrays."""
        import dask.array as da

        kept = cleaner.sample_indices_
        n: Any = getattr(X.native, "shape", (None,))[0]
        if not isinstance(n, Number) or np.isnan(float(n)):  # type: ignore[arg-type]
            # a Dask DataFrame: its length is one more small computation
            n = X.native.shape[0].compute()
        n = int(n)
        if hasattr(over, "provenance_"):
            self.sample_indices_ = kept[kept < n]
            n_syn = over.provenance_["parent"].shape[0]
            self.synthetic_kept_ = da.isin(da.arange(n_syn) + n, kept)
            self.provenance_ = {k: v[self.synthetic_kept_] for k, v in over.provenance_.items()}
        for attr in ("n_features_in_", "feature_names_in_"):
            if hasattr(over, attr):
                setattr(self, attr, getattr(over, attr))
        if hasattr(over, "sampling_strategy_"):
            self.sampling_strategy_ = self._strategy_attribute(over)

    def _strategy_attribute(self, over: Any) -> Any:
        """``sampling_strategy_``: the over-sampler's counts."""
        return over.sampling_strategy_

    def _record_steps(self, over: Any, cleaner: Any) -> None:
        """Hook for the imbalanced-learn attribute names (``smote_``, ``enn_``...)."""


def _n_rows(X: Any) -> int:
    shape = getattr(X, "shape", None)
    return int(shape[0]) if shape is not None else len(X)
