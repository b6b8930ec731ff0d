"""What every resampler of a continuous target shares: the checks, the relevance, the
bumps, the output.

``BaseRegressionSampler.fit_resample`` validates ``X`` and ``y`` (a continuous target),
fits the relevance function, cuts the sorted targets into bumps at the threshold, and
hands them to the subclass's ``_resample``, which returns the input rows it keeps and,
for an over-sampler, the synthetic rows with their targets. The output keeps the
caller's containers: the kept input rows in input order, then the new rows.
"""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator

from ..base import SamplerMixin, _is_dask, _rows
from ..exceptions import DataValidationError
from ..utils._compat import Interval, StrOptions
from ..utils._containers import XContainer, YContainer, capture_X, capture_y
from ..utils._memory import check_output_memory
from ..utils._metadata import check_per_row, resample_params, resample_params_lazy
from ..utils._random import RandomStreams
from ..utils._threads import thread_limit
from ._bumps import bump_runs
from ._relevance import _Relevance, resolve_relevance

__all__ = ["BaseRegressionSampler", "Bumps"]


class Bumps:
    """The bumps of one fit: each one's input rows (sorted by target), its mean
    relevance and whether it is rare."""

    def __init__(self, y: np.ndarray, phi: np.ndarray, threshold: float) -> None:
        order = np.argsort(y, kind="stable")
        runs = bump_runs(phi[order], threshold)
        self.rows = [order[r] for r in runs]
        self.relevance = np.array([phi[r].mean() for r in self.rows])
        self.rare = self.relevance >= threshold
        self.sizes = np.array([len(r) for r in self.rows])
        self.of_row = np.empty(len(y), dtype=np.intp)
        for b, r in enumerate(self.rows):
            self.of_row[r] = b


def check_regression_target(yc: YContainer, caller: str) -> np.ndarray:
    """The target as float64 values, or a specific error (classification labels, an
    integer target, NaN or infinity, a constant target)."""
    values = np.asarray(yc.labels)
    if yc.kind == "onehot" or values.ndim != 1:
        raise DataValidationError(f"{caller} resamples a continuous target (one column of "
                          "numbers); y is an indicator matrix of classes. Use a "
                          "classification sampler (smotelab.over_sampling).")
    if values.dtype.kind in "bOUSc" or str(values.dtype) in ("category",):
        kinds = "booleans" if values.dtype.kind == "b" else "labels"
        raise DataValidationError(
            f"{caller} resamples a continuous target, but y holds {kinds} "
            f"({values.dtype}): a classification target. Use a classification sampler "
            "(smotelab.over_sampling, e.g. SMOTE), or convert y to numbers.")
    if values.dtype.kind in "iu":
        raise DataValidationError(
            f"{caller} resamples a continuous target, but y holds integers, which smotelab "
            "reads as class labels. If y is a quantity (a count, a price), pass it as "
            "floats (y.astype(float)); if it is classes, use a classification sampler "
            "(smotelab.over_sampling).")
    if values.dtype.kind != "f":
        raise DataValidationError(f"{caller}: y must be numeric; got {values.dtype}.")
    values = values.astype(np.float64, copy=False)
    bad = ~np.isfinite(values)
    if bad.any():
        raise DataValidationError(
            f"{caller}: y holds {int(bad.sum())} NaN or infinite value(s) (first at row "
            f"{int(np.flatnonzero(bad)[0])}); drop or impute those rows before resampling.")
    if len(values) and values.min() == values.max():
        raise DataValidationError(f"{caller}: y is constant ({values[0]!r}); no value is rarer than "
                          "another, so there is nothing to resample.")
    return values


class BaseRegressionSampler(SamplerMixin, BaseEstimator):
    """Base of the samplers of a continuous target (not for direct use).

    A subclass implements ``_resample(X, Xc, y, bumps, streams)`` and returns ``(keep,
    new_rows, provenance)``: the input rows kept (sorted indices, repeats allowed), the
    synthetic rows (numeric, or None) and their provenance (``parent``, ``neighbor``,
    ``step``, ``target``).
    """

    _sampling_type: ClassVar[str] = "regression"

    _parameter_constraints: ClassVar[dict] = {
        "relevance": [StrOptions({"extremes"}), _Relevance, callable, "array-like"],
        "threshold": [Interval(Real, 0, 1, closed="both")],
        "sampling_strategy": [StrOptions({"balance", "extreme"}), "array-like",
                              Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state", np.random.Generator],
    }

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.target_tags.single_output = True
        tags.target_tags.one_d_labels = False
        tags.regressor_tags = None
        return tags

    def fit(self, X: Any, y: Any) -> BaseRegressionSampler:
        """Check the inputs and find the bumps, without resampling.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Data.
        y : array-like or Series of shape (n_samples,)
            Continuous target.

        Returns
        -------
        self : object
            The sampler, with ``relevance_`` and ``bumps_``.
        """
        self._prepare_regression(X, y)
        return self

    def fit_resample(self, X: Any, y: Any, **params: Any) -> tuple[Any, ...]:
        """Resample the data set: the bumps of rare targets grown, or the others shrunk.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Data (numeric). pandas and polars frames come back as the same library's.
        y : array-like or Series of shape (n_samples,)
            Continuous target (floats).
        **params : dict
            Per-row metadata to resample with the rows (``sample_weight``, ``groups``):
            kept and copied rows keep their values, a synthetic row takes its parent's.

        Returns
        -------
        X_resampled : same container as X
            The kept input rows in input order, then the new rows.
        y_resampled : same container as y
            Their targets.
        params_resampled : dict
            Only when ``params`` were given: the same names, per-row values resampled.
        """
        if _is_dask(X) or _is_dask(y):
            out = self._fit_resample_dask(X, y)
            if not params:
                return out
            return (*out, resample_params_lazy(self, params, self._n_samples_fit_))
        if params:
            check_per_row(params, _rows(X), f"{type(self).__name__}.fit_resample")
        Xc, yc, Xn, values, bumps = self._prepare_regression(X, y)
        streams = RandomStreams.from_random_state(self.random_state)
        with thread_limit(getattr(self, "n_jobs", None)):
            keep, new, prov = self._resample(Xn, values, bumps, streams)
        self.sample_indices_ = np.asarray(keep, dtype=np.intp)
        self.provenance_ = prov
        n_new = 0 if new is None else len(new)
        X_out = _rows_then_new(Xc, Xn, self.sample_indices_, new)
        y_out = _targets_then_new(yc, self.sample_indices_,
                                  prov["target"] if n_new and prov is not None else None)
        self._n_samples_fit_ = Xc.n_rows
        if not params:
            return X_out, y_out
        return X_out, y_out, resample_params(self, params, self._n_samples_fit_)

    def _fit_resample_dask(self, X: Any, y: Any) -> tuple[Any, Any]:
        """Dask input: the Dask engine runs the sampler's own steps (the targets come to
        the client; rows are selected in their partitions, and the grown bumps'
        rows gathered for the synthetic ones)."""
        from ..dask import regression_fit_resample

        return regression_fit_resample(self, X, y)

    def _lazy_output_sources(self) -> Any:
        """The input row behind every output row of a fit on Dask: the kept rows, then
        each synthetic row's parent (lazy)."""
        import dask.array as da

        parts = [da.from_array(np.asarray(self.sample_indices_, dtype=np.intp))]
        if self.provenance_ is not None:
            parts.append(self.provenance_["parent"])
        return da.concatenate(parts)

    def _output_sources(self, n_samples: int) -> np.ndarray:
        parents = self.provenance_["parent"] if self.provenance_ is not None else []
        return np.concatenate([self.sample_indices_, np.asarray(parents, dtype=np.intp)])

    def _prepare_regression(self, X: Any, y: Any) -> tuple:
        """Parameters, containers, numeric X, the target, the relevance and the bumps."""
        self._validate_params()
        name = type(self).__name__
        Xc = capture_X(X)
        yc = capture_y(y)
        if Xc.n_rows != len(yc.labels):
            raise DataValidationError(f"{name}: X has {Xc.n_rows} rows but y has "
                                      f"{len(yc.labels)}; they must match.")
        if Xc.kind == "sparse":
            raise DataValidationError(f"{name} takes dense X; pass X.toarray().")
        values = check_regression_target(yc, name)
        Xn = self._numeric(Xc)
        self._record_input(Xc.n_features, Xc.columns)
        return (Xc, yc, Xn, *self._fit_target(values))

    def _checked_target(self, y: Any) -> np.ndarray:
        """``y`` (any container) as checked float64 targets (what every engine reads)."""
        return check_regression_target(capture_y(y), type(self).__name__)

    def _fit_target(self, values: np.ndarray) -> tuple[np.ndarray, Bumps | None]:
        """The relevance fitted on the (checked) targets and their bumps, recorded as
        ``relevance_``, ``bumps_``, ``bump_relevance_`` and ``rare_bumps_``; every engine
        calls this on the whole target."""
        name = type(self).__name__
        self.relevance_ = resolve_relevance(self.relevance, values)
        phi = self.relevance_(values)
        if self.threshold is None:  # a sampler that weighs rows by relevance, no bumps
            if (phi >= 1).all() or (phi <= 0).all():
                raise DataValidationError(
                    f"{name}: every target has relevance {int(phi[0])}, so no row is rarer "
                    "than another; pass a relevance that marks only the rare values.")
            self.bumps_, self.bump_relevance_ = [], np.empty(0)  # no bumps: rows weighed
            self.rare_bumps_ = np.empty(0, dtype=bool)
            return values, None
        thr = float(self.threshold)
        if (phi >= thr).all() or (phi < thr).all():
            side = "at or above" if (phi >= thr).all() else "below"
            raise DataValidationError(
                f"{name}: every target has relevance {side} the threshold {thr}, so there "
                "is one bump and nothing to balance; lower or raise threshold, or pass a "
                "relevance that marks only the rare values.")
        bumps = Bumps(values, phi, thr)
        self.bumps_ = bumps.rows
        self.bump_relevance_ = bumps.relevance
        self.rare_bumps_ = bumps.rare
        return values, bumps

    def _numeric(self, Xc: XContainer) -> Any:
        from ..utils._validation import numeric_values

        return numeric_values(Xc, caller=type(self).__name__, hint=(
            "Encode them first (e.g. OrdinalEncoder or OneHotEncoder)."))

    def _resample(self, Xn: np.ndarray, y: np.ndarray, bumps: Bumps,
                  streams: RandomStreams) -> tuple[np.ndarray, Any, dict | None]:
        raise NotImplementedError

    def _rates(self, bumps: Bumps) -> np.ndarray:
        """The rate of every bump, by the method's own rule."""
        raise NotImplementedError

    def _planned_rows(self, bumps: Bumps) -> tuple[np.ndarray, np.ndarray] | None:
        """Rows each bump will keep and gain, from the rates alone (None where the
        counts are themselves drawn at random)."""
        raise NotImplementedError

    def _estimate(self, X: Any, y: Any) -> Any:
        """``smotelab.utils.estimate_resampling`` for a continuous target: the bumps,
        the rows each keeps and gains, the output's size, without resampling."""
        from ..utils._memory import ResamplingEstimate, available_memory, output_bytes

        Xc, _, _, values, bumps = self._prepare_regression(X, y)
        planned = None if bumps is None else self._planned_rows(bumps)
        d = Xc.n_features
        itemsize = 4 if getattr(getattr(Xc.native, "dtype", None), "itemsize", 8) == 4 else 8
        if bumps is None or planned is None:  # counts drawn at random: bound them
            n_new = int(getattr(self, "over", 0) * len(values))
            counts = {"all rows": (len(values), len(values) + n_new)}
            return ResamplingEstimate(
                sampler=type(self).__name__, counts=counts, rows_to_add=0,
                n_rows_out=len(values) + n_new, n_features=d,
                output_bytes=output_bytes(len(values) + n_new, 0, d, itemsize),
                available_bytes=available_memory(), exact=False, unit="bump")
        kept, new = planned
        counts = {}
        for b, rows in enumerate(bumps.rows):
            key = (f"bump {b} ({'rare' if bumps.rare[b] else 'normal'}, targets "
                   f"{values[rows].min():.4g} to {values[rows].max():.4g})")
            counts[key] = (len(rows), int(kept[b] + new[b]))
        made = int(new.sum()) if self._synthesises else 0
        n_out = int(kept.sum() + new.sum())
        grown = bumps.sizes[new > 0].astype(np.int64)
        work = int((grown * grown).sum()) * d if made else 0
        return ResamplingEstimate(
            sampler=type(self).__name__, counts=counts, rows_to_add=made, n_rows_out=n_out,
            n_features=d, output_bytes=output_bytes(n_out, made, d, itemsize),
            available_bytes=available_memory(), exact=True, pair_features=work, unit="bump")

    # whether the new rows are synthetic (with provenance) rather than copies
    _synthesises: ClassVar[bool] = False

    def _check_memory(self, n_kept: int, n_new: int, d: int) -> None:
        """Refuse, before allocating, an output that cannot fit in memory."""
        check_output_memory(type(self).__name__, n_kept, n_new, d, 8, None)


def _rows_then_new(Xc: XContainer, Xn: np.ndarray, keep: np.ndarray,
                   new: np.ndarray | None) -> Any:
    """The kept input rows in the input's container, then the new rows."""
    if new is None or not len(new):
        return Xc.take(keep)
    kept = capture_X(Xc.take(keep))
    buffer, tail = kept.new_rows_buffer(Xn[keep], len(new))
    tail[:] = new
    return kept.append(buffer)


def _targets_then_new(yc: YContainer, keep: np.ndarray, targets: np.ndarray | None) -> Any:
    """The kept targets in y's container, then the new rows' targets."""
    kept = yc.take(keep)
    if targets is None:
        return kept
    return capture_y(kept).append(targets)
