"""The sampler base class: one template method, ``fit_resample``.

``BaseSampler.fit_resample`` does the shared work exactly once, in this order:

1. validate the parameters (declared as data in ``_parameter_constraints``);
2. capture the input containers and check ``X`` and ``y`` together;
3. build the :class:`~smotelab._strategy.SamplingPlan` (``sampling_strategy_``);
4. build the fit's random streams, once;
5. call the subclass's ``_fit_resample(X, y, plan=..., streams=...)``;
6. hand back the output in the caller's container types.

A subclass implements only ``_fit_resample``. Think twice before adding anything here.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import _num_samples

from ._legacy import fit_resample_arrays, takes_arrays
from ._strategy import SamplingPlan, as_kind
from .exceptions import DataValidationError, MetadataResamplingError
from .utils._compat import Interval, StrOptions
from .utils._containers import XContainer, YContainer, restore_output
from .utils._memory import check_output_memory
from .utils._metadata import (
    check_per_row,
    register_fit_resample,
    resample_params,
    resample_params_lazy,
)
from .utils._random import RandomStreams
from .utils._tags import SamplerTags, sampler_tags_of, set_needs_numeric
from .utils._threads import thread_limit
from .utils._validation import check_X_y, numeric_values

__all__ = ["BaseSampler", "FunctionSampler", "SamplerMixin", "is_sampler"]

register_fit_resample()  # metadata routing may now name fit_resample, as with imbalanced-learn

_STRATEGY_CONSTRAINT = [
    Interval(Real, 0, 1, closed="right"),
    StrOptions({"auto", "majority", "not minority", "not majority", "all", "minority"}),
    Mapping,
    callable,
]


def _is_dask(obj: Any) -> bool:
    # Without importing Dask: its collections carry a task graph.
    return callable(getattr(obj, "__dask_graph__", None))


def is_sampler(estimator: Any) -> bool:
    """Whether ``estimator`` resamples (has ``fit_resample``), as the Pipeline sees it."""
    return hasattr(estimator, "fit_resample")


class SamplerMixin:
    """What makes an estimator a sampler: ``fit``, ``fit_resample`` and the sampler tags.

    Mix it in before ``BaseEstimator`` (``class S(SamplerMixin, BaseEstimator)``), as
    with imbalanced-learn's mixin, or subclass :class:`BaseSampler`. Subclasses set
    ``_sampling_type`` (``"over-sampling"``, ``"under-sampling"``, ``"clean-sampling"``
    or ``"bypass"``) and implement ``_fit_resample`` in either form:

    * imbalanced-learn's, ``_fit_resample(self, X, y, **params)``: it receives validated
      arrays and returns ``(X_res, y_res)``; pandas/polars containers are restored around
      it, as imbalanced-learn does;
    * smotelab's, ``_fit_resample(self, X, y, *, plan, streams)``: captured containers,
      the sampling plan and the fit's random streams (what smotelab's samplers use).
    """

    _estimator_type = "sampler"

    _sampling_type: ClassVar[str] = "bypass"

    if TYPE_CHECKING:  # what BaseEstimator and the subclass provide
        sampling_strategy: Any

        def _validate_params(self) -> None: ...
    _parameter_constraints: ClassVar[dict] = {"sampling_strategy": _STRATEGY_CONSTRAINT}

    def fit(self, X: Any, y: Any) -> Any:
        """Check the inputs and compute ``sampling_strategy_`` without resampling.

        Use :meth:`fit_resample` to get the resampled data.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Data.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
            The sampler.
        """
        Xc, yc, _ = self._prepare(X, y)
        if self._validates_input():
            self._check_contents(Xc, yc)
        return self

    def _check_contents(self, Xc: XContainer, yc: YContainer) -> None:
        """What ``fit_resample`` refuses in X's values, refused by ``fit`` too."""
        tags = self.__sklearn_tags__()
        if tags.sampler_tags.needs_numeric and not tags.input_tags.categorical:
            self._numeric(Xc)  # non-numeric columns, NaN, infinity

    def fit_resample(self, X: Any, y: Any, **params: Any) -> tuple[Any, ...]:
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Data. pandas and polars DataFrames come back as the same library's frames.
        y : array-like or Series of shape (n_samples,)
            Class labels (ints, strings, booleans, categoricals), or a one-vs-all
            indicator matrix.
        **params : dict
            Per-row metadata to resample with the rows (``sample_weight``, ``groups``,
            any array of length ``n_samples``): kept and copied rows keep their values,
            a synthetic row takes its parent's. Other values pass unchanged.

        Returns
        -------
        X_resampled : same container as X, of shape (n_samples_new, n_features)
            The input rows first, unchanged and in order, then any new rows.
        y_resampled : same container as y, of shape (n_samples_new,)
            The corresponding labels.
        params_resampled : dict
            Only when ``params`` were given: the same names, per-row values resampled.
        """
        if _is_dask(X) or _is_dask(y):  # lazy Dask output from the same class
            out = self._fit_resample_dask(X, y)
            if not params:
                return out
            n = X.shape[0]
            if not isinstance(n, (int, np.integer)) or n != n:  # a Dask DataFrame
                n = int(X.shape[0].compute())
            return (*out[:2], resample_params_lazy(self, params, int(n)))
        if params:  # one value per row, or nothing is fitted
            check_per_row(params, _rows(X), f"{type(self).__name__}.fit_resample")
        Xc, yc, plan = self._prepare(X, y)
        if takes_arrays(type(self)):  # a subclass written for imbalanced-learn
            return fit_resample_arrays(self, Xc, yc, params)
        streams = RandomStreams.from_random_state(getattr(self, "random_state", None))
        with thread_limit(getattr(self, "n_jobs", None)):
            out = self._fit_resample(Xc, yc, plan=plan, streams=streams)
        self._n_samples_fit_ = _num_samples(X)
        # lists in, lists out; pandas sparse columns in, pandas sparse columns out
        out = (restore_output(out[0], X), restore_output(out[1], y), *out[2:])
        if not params:
            return out
        return (*out[:2], resample_params(self, params, self._n_samples_fit_))

    def _fit_resample_dask(self, X: Any, y: Any) -> tuple[Any, Any]:
        """The engine hook for Dask input: the Dask engine runs the declared plan (a
        combination overrides this to run its steps, each taking this route)."""
        from .dask import fit_resample as dask_fit_resample

        return dask_fit_resample(self, X, y)

    def _plan_spec(self) -> Any:
        """The values the plan declared in the tags reads, as one frozen value of
        :mod:`smotelab._plan` (``Selection``, ``Editing``), so an engine reads no
        parameter by name; None where the plan reads none beyond the sampling strategy
        and ``random_state``."""
        return None

    def _output_sources(self, n_samples: int) -> np.ndarray:
        """Input row behind every output row of the last ``fit_resample``.

        Kept and copied rows are their own source; a synthetic row's is its parent.
        """
        indices = getattr(self, "sample_indices_", None)
        if indices is not None:
            return np.asarray(indices, dtype=np.intp)
        provenance = getattr(self, "provenance_", None)
        if provenance is not None:
            return np.concatenate([np.arange(n_samples, dtype=np.intp),
                                   np.asarray(provenance["parent"], dtype=np.intp)])
        raise MetadataResamplingError(
            f"{type(self).__name__} does not record which input row each output row comes "
            "from, so per-row metadata cannot follow its rows."
        )

    def _prepare(self, X: Any, y: Any) -> tuple[XContainer, YContainer, SamplingPlan | None]:
        self._validate_params()
        if self._sampling_type == "bypass":
            # as imbalanced-learn: a bypassing sampler's strategy is its parameter
            self.sampling_strategy_ = getattr(self, "sampling_strategy", "auto")
        if not self._validates_input():
            return XContainer(native=X, kind="raw"), YContainer(native=y, kind="raw",
                                                                labels=np.empty(0)), None
        self._check_input_type(X)
        Xc, yc = check_X_y(X, y)
        if getattr(getattr(Xc.native, "dtype", None), "kind", None) == "c":
            raise DataValidationError(
                "Complex data not supported: X holds complex numbers and samplers need "
                "real values. Take the real part, the modulus or both as separate columns."
            )
        self._record_input(Xc.n_features, Xc.columns)
        plan = None
        if self._sampling_type != "bypass":
            classes, counts, _ = yc.encoded()
            plan = SamplingPlan.build(self.sampling_strategy, yc.labels,
                                      as_kind(self._sampling_type), encoded=(classes, counts))
            self.sampling_strategy_ = plan.as_ordered_dict()
            if self._sampling_type == "over-sampling" and plan.n_total:
                dtype = getattr(Xc.native, "dtype", None)
                itemsize = 4 if getattr(dtype, "itemsize", 8) == 4 else 8
                growing = [kv for kv in plan.counts.items() if kv[1]]
                biggest = max(growing, key=lambda kv: kv[1]) if len(growing) > 1 else None
                check_output_memory(type(self).__name__, Xc.n_rows, plan.n_total,
                                    Xc.n_features, itemsize, biggest)
        return Xc, yc, plan

    def _validates_input(self) -> bool:
        return True

    def _check_input_type(self, X: Any) -> None:
        """Hook for samplers that refuse some input types (e.g. sparse) up front."""

    def _fit_resample(
        self, X: XContainer, y: YContainer, *, plan: Any, streams: Any
    ) -> tuple[Any, Any]:
        """The algorithm: ``plan`` is the ``SamplingPlan`` (None for a bypassing sampler
        or a combination, whose steps plan), ``streams`` the fit's ``RandomStreams``."""
        raise NotImplementedError

    def _record_input(self, n_features: int, columns: Any) -> None:
        """``n_features_in_`` and ``feature_names_in_`` (string column names only), set
        here for every engine and every sampler, and nowhere else."""
        self.n_features_in_ = int(n_features)
        if columns is not None and all(isinstance(c, str) for c in columns):
            self.feature_names_in_ = np.asarray(list(columns), dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_

    def _numeric(self, Xc: XContainer) -> Any:
        """``X`` as a finite floating array for numeric algorithms, or a specific error."""
        return numeric_values(Xc, caller=type(self).__name__, hint=self._numeric_hint())

    def _numeric_hint(self) -> str | None:
        """What to do about non-numeric columns (None: encode them)."""
        if self._sampling_type == "over-sampling":
            return ("It interpolates between samples: encode them, or use SMOTENC (mixed "
                    "numeric and categorical columns) or SMOTEN (only categorical columns).")
        return None

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.required = True
        tags = sampler_tags_of(tags, SamplerTags(sampling_type=self._sampling_type))
        return set_needs_numeric(tags, True)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Output feature names: a sampler keeps the columns it was given.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Names to check against ``feature_names_in_`` (or to use when it is absent).

        Returns
        -------
        feature_names_out : ndarray of str objects
            The input feature names.
        """
        from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

        check_is_fitted(self, "n_features_in_")
        return _check_feature_names_in(self, input_features)


class BaseSampler(SamplerMixin, BaseEstimator):
    """Base class of every sampler (see :class:`SamplerMixin` for what a subclass writes).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        As in imbalanced-learn's ``BaseSampler``, for subclasses that call
        ``super().__init__()``.
    """

    def __init__(self, sampling_strategy="auto"):
        self.sampling_strategy = sampling_strategy


class FunctionSampler(BaseSampler):
    """Wrap any function ``(X, y) -> (X_resampled, y_resampled)`` as a sampler.

    Parameters
    ----------
    func : callable, default=None
        The resampling function, called as ``func(X, y, **kw_args)``. ``None`` returns
        the data unchanged.
    accept_sparse : bool, default=True
        Whether sparse ``X`` is accepted when ``validate=True``.
    kw_args : dict, default=None
        Extra keyword arguments for ``func``.
    validate : bool, default=True
        Check ``X`` and ``y`` (shapes, lengths, target type) before calling ``func``.
        The function always receives the objects that were passed in, unconverted.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab import FunctionSampler
    >>> def keep_first_half(X, y):
    ...     return X[: len(X) // 2], y[: len(y) // 2]
    >>> X, y = np.arange(20.0).reshape(10, 2), np.array([0, 1] * 5)
    >>> Xr, yr = FunctionSampler(func=keep_first_half).fit_resample(X, y)
    >>> Xr.shape
    (5, 2)
    """

    _parameter_constraints: ClassVar[dict] = {
        "func": [callable, None],
        "accept_sparse": ["boolean"],
        "kw_args": [dict, None],
        "validate": ["boolean"],
    }

    def __init__(self, *, func=None, accept_sparse=True, kw_args=None, validate=True):
        self.func = func
        self.accept_sparse = accept_sparse
        self.kw_args = kw_args
        self.validate = validate

    def _validates_input(self) -> bool:
        return bool(self.validate)

    def _check_input_type(self, X: Any) -> None:
        import scipy.sparse as sp

        from .exceptions import SparseInputError

        if sp.issparse(X) and not self.accept_sparse:
            raise SparseInputError(
                "X is sparse but FunctionSampler(accept_sparse=False): dense data is "
                "required; pass a dense array (X.toarray()) or set accept_sparse=True."
            )

    def _fit_resample(self, X, y, *, plan, streams):
        out = (X.native, y.native) if self.func is None else self.func(
            X.native, y.native, **(self.kw_args or {}))
        self._n_samples_out_ = _num_samples(out[0])
        return out

    def _output_sources(self, n_samples: int) -> np.ndarray:
        # A function that keeps the number of rows is taken to keep them in place (it
        # edits values); one that changes it does not say which rows it kept or made.
        if self._n_samples_out_ == n_samples:
            return np.arange(n_samples, dtype=np.intp)
        raise MetadataResamplingError(
            f"FunctionSampler's function turned {n_samples} rows into "
            f"{self._n_samples_out_}, so smotelab cannot tell which input row each output "
            "row comes from and per-row metadata cannot follow them; resample the metadata "
            "inside the function (e.g. as a column of X), or use a smotelab sampler."
        )


def _rows(X: Any) -> int | None:
    """Number of rows of ``X``, ``None`` where it has none (validation says why later)."""
    try:
        return int(_num_samples(X))
    except TypeError:
        return None
