"""Relevance functions: how rare, and so how important, each target value is.

A relevance function maps a continuous target to ``phi(y)`` in ``[0, 1]`` (Ribeiro,
2011): 1 for the values a model must get right (the rare extremes), 0 for the common
ones. The resampling methods for regression (SMOTER, SMOGN, random over- and
under-sampling) split the sorted targets into *bumps* at a relevance threshold and
resample them as a classifier's sampler resamples classes.

The automatic method is UBL's ``"extremes"``: control points at the box-plot whiskers
(relevance 1, where the tail has outliers beyond them) and at the median (relevance 0),
joined by the monotone piecewise cubic Hermite interpolation of Ribeiro's ``uba``/UBL
(Fritsch and Carlson's slope adjustment of the given slopes, linear beyond the end
points). With the slopes UBL gives (all zero) this is not scipy's PCHIP, whose end and
inner slopes are its own.

>>> import numpy as np
>>> y = np.r_[np.arange(20.0), 60.0]      # median 10, upper whisker 19, 60 beyond it
>>> phi = ExtremesRelevance(tails="high").fit(y)
>>> [round(float(v), 3) for v in phi(np.array([10.0, 14.5, 19.0, 60.0]))]
[0.0, 0.5, 1.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Real
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator

from ..exceptions import DataValidationError
from ..utils._compat import Interval, StrOptions

__all__ = [
    "ControlPointsRelevance",
    "ExtremesRelevance",
    "SigmoidRelevance",
    "boxplot_stats",
    "resolve_relevance",
]


def _fivenum(y: np.ndarray) -> np.ndarray:
    """Tukey's five numbers (R's ``fivenum``): minimum, lower hinge, median, upper
    hinge, maximum; the hinges are medians of the lower and upper halves."""
    s = np.sort(y)
    n = len(s)
    n4 = np.floor((n + 3) / 2) / 2
    d = np.array([1, n4, (n + 1) / 2, n + 1 - n4, n]) - 1  # 0-based positions
    return 0.5 * (s[np.floor(d).astype(np.intp)] + s[np.ceil(d).astype(np.intp)])


def boxplot_stats(y: np.ndarray, coef: float = 1.5, hinges: str = "tukey"
                  ) -> tuple[np.ndarray, np.ndarray]:
    """R's ``boxplot.stats``: the five statistics (lower whisker, lower hinge, median,
    upper hinge, upper whisker) and the values beyond the whiskers.

    ``hinges='tukey'`` takes R's hinges (``fivenum``); ``'quantiles'`` numpy's midpoint
    quartiles (what smogn and ImbalancedLearningRegression use). The whiskers are the most extreme values within
    ``coef`` interquartile ranges of the hinges.
    """
    y = np.asarray(y, dtype=np.float64)
    if hinges == "tukey":
        stats = _fivenum(y)
    else:
        stats = np.r_[y.min(), np.quantile(y, [0.25, 0.5, 0.75], method="midpoint"), y.max()]
    iqr = stats[3] - stats[1]
    out = (y < stats[1] - coef * iqr) | (y > stats[3] + coef * iqr)
    if coef > 0 and out.any():
        inside = y[~out]
        stats[0], stats[4] = inside.min(), inside.max()
    return stats, y[out] if coef > 0 else y[:0]


def _monotone_slopes(x: np.ndarray, f: np.ndarray, m: np.ndarray) -> np.ndarray:
    """The given slopes adjusted by Fritsch and Carlson's rule, pair of points by pair
    of points, as UBL's ``pchipSlopeMonoFC`` does (a flat segment flattens both ends;
    slopes against the secant are reversed; slopes outside the monotonicity region are
    scaled onto its circle)."""
    m = np.array(m, dtype=np.float64)
    delta = (np.diff(f) / np.diff(x)).tolist()  # Python floats: a huge ratio is inf, quietly
    for k, sk in enumerate(delta):
        if sk == 0:
            m[k] = m[k + 1] = 0.0
            continue
        mk, mk1 = float(m[k]), float(m[k + 1])
        alpha, beta = mk / sk, mk1 / sk
        if mk != 0 and alpha < 0:
            mk = -mk
            alpha = mk / sk
        if mk1 != 0 and beta < 0:
            mk1 = -mk1
            beta = mk1 / sk
        a2b3, ab23 = 2 * alpha + beta - 3, alpha + 2 * beta - 3
        if a2b3 > 0 and ab23 > 0 and alpha * (a2b3 + ab23) < a2b3 * a2b3:
            tau = 3 * sk / (alpha * alpha + beta * beta) ** 0.5
            mk, mk1 = tau * alpha, tau * beta
        m[k], m[k + 1] = mk, mk1
    return m


class _Hermite:
    """The piecewise cubic through control points ``(x, f)`` with slopes ``m`` (after
    :func:`_monotone_slopes`), linear beyond the end points; values clipped to [0, 1].

    It is computed on ``x`` rescaled to [0, 1] (slopes scaled alike), in the Hermite
    basis of each interval: the same curve as UBL's coefficients, without their
    overflow for targets of extreme magnitude (``1 / h**2`` for intervals of 1e-200).
    """

    def __init__(self, x: np.ndarray, f: np.ndarray, m: np.ndarray) -> None:
        x = np.asarray(x, np.float64)
        self.x0, self.span = float(x[0]), float(x[-1] - x[0]) or 1.0
        self.x = (x - self.x0) / self.span
        self.a = np.asarray(f, np.float64)
        self.b = _monotone_slopes(self.x, self.a, np.asarray(m, np.float64) * self.span)

    def __call__(self, y: np.ndarray) -> np.ndarray:
        v = (np.asarray(y, dtype=np.float64) - self.x0) / self.span
        x, a, b = self.x, self.a, self.b
        n = len(x)
        i = np.searchsorted(x, v, side="right") - 1  # x[i] <= v < x[i + 1]
        out = np.empty_like(v)
        before, after = i < 0, i >= n - 1
        out[before] = a[0] + b[0] * (v[before] - x[0])
        out[after] = a[-1] + b[-1] * (v[after] - x[-1])
        inner = ~(before | after)
        j = i[inner]
        h = x[j + 1] - x[j]
        t = (v[inner] - x[j]) / h
        t2, t3 = t * t, t * t * t
        out[inner] = ((2 * t3 - 3 * t2 + 1) * a[j] + (t3 - 2 * t2 + t) * h * b[j]
                      + (-2 * t3 + 3 * t2) * a[j + 1] + (t3 - t2) * h * b[j + 1])
        with np.errstate(invalid="ignore"):
            return np.clip(np.nan_to_num(out, nan=0.0), 0.0, 1.0)


class _Relevance(BaseEstimator):
    """What every relevance function does: ``fit(y)`` then ``phi(y)`` (or call it)."""

    def fit(self, y: Any) -> _Relevance:
        """Fit the relevance function on the training targets ``y``.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Continuous target values.

        Returns
        -------
        self : object
            The fitted relevance function.
        """
        self._fit(_targets(y, type(self).__name__))
        return self

    def _fit(self, y: np.ndarray) -> None:
        raise NotImplementedError

    def phi(self, y: Any) -> np.ndarray:
        """The relevance of each target value, in ``[0, 1]``.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Target values.

        Returns
        -------
        phi : ndarray of shape (n_samples,)
            Their relevance.
        """
        if not hasattr(self, "_curve"):
            raise AttributeError(f"{type(self).__name__} is not fitted; call fit(y) first.")
        return self._curve(np.asarray(y, dtype=np.float64).ravel())

    __call__ = phi


def _targets(y: Any, caller: str) -> np.ndarray:
    """``y`` as finite float64 values, or a specific error."""
    arr = np.asarray(y)
    if arr.ndim != 1:
        arr = arr.ravel() if arr.ndim == 2 and 1 in arr.shape else arr
    if arr.ndim != 1:
        raise DataValidationError(f"{caller}: the target must be one column; got shape "
                                  f"{np.shape(y)}.")
    if arr.dtype.kind not in "iuf":
        raise DataValidationError(f"{caller}: the target must be numeric; got {arr.dtype}.")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise DataValidationError(
            f"{caller}: the target holds {int((~np.isfinite(arr)).sum())} NaN or infinite "
            "value(s); drop or impute those rows first.")
    return arr


class ExtremesRelevance(_Relevance):
    """UBL's automatic relevance: the box-plot extremes are rare (relevance 1).

    Control points are placed at the lower whisker (relevance 1) when the lower tail has
    values beyond it, else at the minimum (relevance 0); at the median (0); and at the
    upper whisker (1) when the upper tail has values beyond it, else at the maximum (0);
    all with slope 0. They are joined by the monotone cubic Hermite interpolation of UBL
    (constant beyond the end points).

    Parameters
    ----------
    tails : {'both', 'high', 'low'}, default='both'
        Which tails may be rare.
    coef : float, default=1.5
        Whisker length in interquartile ranges (3 for extreme outliers only).
    hinges : {'tukey', 'quantiles'}, default='tukey'
        R's box-plot hinges (``fivenum``, as UBL), or numpy's midpoint quartiles (as
        smogn and ImbalancedLearningRegression).

    Attributes
    ----------
    control_points_ : ndarray of shape (n_points, 3)
        The ``(y, phi, slope)`` control points found.
    """

    _parameter_constraints: ClassVar[dict] = {
        "tails": [StrOptions({"both", "high", "low"})],
        "coef": [Interval(Real, 0, None, closed="neither")],
        "hinges": [StrOptions({"tukey", "quantiles"})],
    }

    def __init__(self, tails="both", coef=1.5, hinges="tukey"):
        self.tails = tails
        self.coef = coef
        self.hinges = hinges

    def _fit(self, y: np.ndarray) -> None:
        self._validate_params()
        stats, out = boxplot_stats(y, float(self.coef), self.hinges)
        lo, hi = float(y.min()), float(y.max())
        points = []
        if self.tails in ("both", "low") and (out < stats[0]).any():
            points.append((stats[0], 1.0, 0.0))
        else:
            points.append((lo, 0.0, 0.0))
        if stats[2] != lo:
            points.append((stats[2], 0.0, 0.0))
        if self.tails in ("both", "high") and (out > stats[4]).any():
            points.append((stats[4], 1.0, 0.0))
        elif stats[2] != hi:
            points.append((hi, 0.0, 0.0))
        cp = np.array(points, dtype=np.float64)
        if not (cp[:, 1] > 0).any():
            which = {"both": "either tail", "high": "the upper tail",
                     "low": "the lower tail"}[self.tails]
            raise DataValidationError(
                f"ExtremesRelevance: the target has no box-plot outlier in {which} (no "
                f"value beyond {self.coef} interquartile ranges of the quartiles), so no "
                "value is rare. Pass control points for the values that matter "
                "(ControlPointsRelevance([[y0, 0, 0], [y1, 1, 0]])), a "
                "SigmoidRelevance(high=...), a smaller coef, or a callable.")
        self.control_points_ = cp
        self._curve = _Hermite(cp[:, 0], cp[:, 1], cp[:, 2])


class ControlPointsRelevance(_Relevance):
    """UBL's ``"range"`` relevance: the user's control points ``(y, phi[, slope])``.

    Parameters
    ----------
    points : array-like of shape (n_points, 2) or (n_points, 3)
        Control points with strictly increasing ``y`` and ``phi`` in ``[0, 1]``.
        Without slopes, UBL's are used: 0 at the ends, the mean of the two adjacent
        secants inside.

    Attributes
    ----------
    control_points_ : ndarray of shape (n_points, 3)
        The ``(y, phi, slope)`` control points, sorted.
    """

    _parameter_constraints: ClassVar[dict] = {"points": ["array-like"]}

    def __init__(self, points=None):
        self.points = points

    def _fit(self, y: np.ndarray) -> None:
        self._validate_params()
        cp = np.asarray(self.points, dtype=np.float64)
        if cp.ndim != 2 or cp.shape[1] not in (2, 3) or len(cp) < 2:
            raise DataValidationError(
                "ControlPointsRelevance: points must be a table of at least two rows "
                "(y, phi) or (y, phi, slope); got shape "
                f"{np.shape(self.points)}.")
        cp = cp[np.argsort(cp[:, 0], kind="stable")]
        if not np.isfinite(cp).all() or (np.diff(cp[:, 0]) <= 0).any():
            raise DataValidationError("ControlPointsRelevance: the y of the points must be "
                                      "finite and strictly increasing (no repeats).")
        if ((cp[:, 1] < 0) | (cp[:, 1] > 1)).any():
            raise DataValidationError("ControlPointsRelevance: relevance values (the second "
                                      "column) must lie in [0, 1].")
        if cp.shape[1] == 2:
            secant = np.diff(cp[:, 1]) / np.diff(cp[:, 0])
            slopes = np.r_[0.0, (secant[1:] + secant[:-1]) / 2, 0.0]
            cp = np.column_stack([cp, slopes])
        self.control_points_ = cp
        self._curve = _Hermite(cp[:, 0], cp[:, 1], cp[:, 2])


class SigmoidRelevance(_Relevance):
    """Relevance rising smoothly past a cut-off (as resreg's sigmoid relevance).

    ``phi(y) = 1 / (1 + exp(-(y - high) / scale))`` above, and likewise below ``low``
    (the larger of the two where both are given): exactly 0.5 at the cut-offs.

    Parameters
    ----------
    high, low : float or None, default=None
        Cut-offs of the upper and lower rare tails (at least one).
    scale : float or None, default=None
        Width of the rise; None: a tenth of the targets' interquartile range (or of their
        range, if that is 0).

    Attributes
    ----------
    scale_ : float
        The width used.
    """

    _parameter_constraints: ClassVar[dict] = {
        "high": [Real, None],
        "low": [Real, None],
        "scale": [Interval(Real, 0, None, closed="neither"), None],
    }

    def __init__(self, high=None, low=None, scale=None):
        self.high = high
        self.low = low
        self.scale = scale

    def _fit(self, y: np.ndarray) -> None:
        self._validate_params()
        if self.high is None and self.low is None:
            raise DataValidationError("SigmoidRelevance needs a cut-off: high=, low= or both.")
        if self.scale is None:
            spread = float(np.subtract(*np.quantile(y, [0.75, 0.25])))
            spread = spread if spread > 0 else float(np.ptp(y))
            self.scale_ = spread / 10 if spread > 0 else 1.0
        else:
            self.scale_ = float(self.scale)
        high, low, scale = self.high, self.low, self.scale_

        def curve(v: np.ndarray) -> np.ndarray:
            out = np.zeros_like(v)
            if high is not None:
                out = np.maximum(out, 1 / (1 + np.exp(-(v - high) / scale)))
            if low is not None:
                out = np.maximum(out, 1 / (1 + np.exp(-(low - v) / scale)))
            return out

        self._curve = curve


class _CallableRelevance(_Relevance):
    """A user's function ``y -> phi`` as a relevance function (values checked)."""

    def __init__(self, func: Callable[[np.ndarray], Any] | None = None):
        self.func = func

    def _fit(self, y: np.ndarray) -> None:
        func = self.func
        assert func is not None

        def curve(v: np.ndarray) -> np.ndarray:
            out = np.asarray(func(v), dtype=np.float64).ravel()
            if out.shape != v.shape or not np.isfinite(out).all() or (
                    (out < 0) | (out > 1)).any():
                raise DataValidationError(
                    "The relevance function must return one finite value in [0, 1] per "
                    f"target value; it returned shape {out.shape} for {v.shape} values"
                    + ("" if out.shape != v.shape else
                       f", range [{out.min():.3g}, {out.max():.3g}]") + ".")
            return out

        self._curve = curve


def resolve_relevance(relevance: Any, y: np.ndarray) -> _Relevance:
    """``relevance`` (``'extremes'``, a relevance object, a table of control points or a
    callable) fitted on ``y``."""
    from sklearn.base import clone

    if isinstance(relevance, str):
        if relevance != "extremes":
            raise DataValidationError(
                f"relevance={relevance!r} is not known; use 'extremes', a relevance "
                "object (ExtremesRelevance, ControlPointsRelevance, SigmoidRelevance), a "
                "table of control points or a callable.")
        return ExtremesRelevance().fit(y)
    if isinstance(relevance, _Relevance):
        return clone(relevance).fit(y)
    if callable(relevance):
        return _CallableRelevance(relevance).fit(y)
    return ControlPointsRelevance(relevance).fit(y)
