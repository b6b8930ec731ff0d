"""Random over- and under-sampling of bumps, and SMOTER (Torgo, Ribeiro, Pfahringer and
Branco, 2013), each with UBL's rule for how many rows a bump gets."""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import Any, ClassVar

import numpy as np

from .._kernels.generate import generate, generate_own
from .._plan import (
    ClassPlan,
    ClassTask,
    Facts,
    MemorySink,
    PlanNeeds,
    RowsView,
    concat_blocks,
    run_plan,
)
from ..exceptions import DataValidationError, SmotelabWarning
from ..neighbors import FittedNeighbors, kneighbors_of_rows, resolve_neighbors
from ..utils._compat import HasMethods, Interval
from ..utils._random import RandomStreams
from ._base import BaseRegressionSampler, Bumps
from ._bumps import over_rates, smoter_rates, under_rates

__all__ = ["SMOTER", "RegressionRandomOverSampler", "RegressionRandomUnderSampler"]

_COMMON_DOC = """relevance : 'extremes', relevance object, table or callable, default='extremes'
        How rare each target value is (``phi(y)`` in [0, 1]): UBL's automatic box-plot
        extremes (:class:`ExtremesRelevance`), any relevance object
        (:class:`ControlPointsRelevance`, :class:`SigmoidRelevance`), a table of control
        points ``(y, phi[, slope])``, or a function ``y -> phi``.
    threshold : float, default=0.5
        Relevance from which a target is rare; the sorted targets are cut into bumps
        where their relevance crosses it.
    """


_BUMP_ATTRS_DOC = """relevance_ : relevance object
        The fitted relevance function.
    bumps_ : list of ndarray
        The input rows of each bump, in sorted target order.
    bump_relevance_ : ndarray
        Each bump's mean relevance.
    rare_bumps_ : ndarray of bool
        Which bumps are rare.
"""
_INPUT_ATTRS_DOC = """n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.
"""
_REPLACEMENT_DOC = """replacement : bool, default=False
        Whether the rows kept of a shrunk bump are drawn with replacement.
"""


def fill_doc(cls: type, common: str = _COMMON_DOC) -> type:
    """The class's docstring with the shared parameter and attribute entries filled in."""
    cls.__doc__ = (cls.__doc__ or "").replace("{common}", common).replace(
        "{bump_attrs}", _BUMP_ATTRS_DOC).replace("{input_attrs}", _INPUT_ATTRS_DOC).replace(
        "{replacement}", _REPLACEMENT_DOC)
    return cls


def _picks(rng: np.random.Generator, rows: np.ndarray, n: int, replace: bool,
           caller: str, what: str) -> np.ndarray:
    """``n`` of ``rows`` drawn by ``rng``; a clear error when more than the bump holds
    are asked for without replacement."""
    if not replace and n > len(rows):
        raise DataValidationError(
            f"{caller}: {what} asks for {n} rows of a bump of {len(rows)} without "
            "replacement; set replacement=True or give a smaller sampling_strategy.")
    return rows[rng.choice(len(rows), size=n, replace=replace)]


class RegressionRandomOverSampler(BaseRegressionSampler):
    """Random over-sampling of the rare bumps of a continuous target (UBL's RandOver).

    The sorted targets are cut into bumps where their relevance crosses ``threshold``;
    a bump whose mean relevance reaches it is rare. Each rare bump gains copies of its
    own rows, drawn at random, as many as ``rate x size`` (truncated).

    Parameters
    ----------
    sampling_strategy : {'balance', 'extreme'}, float or list of float, default='balance'
        The rate of every rare bump: ``'balance'`` gives each rare bump the normal rows'
        total shared among the rare bumps; ``'extreme'`` the mean normal bump's size
        squared over its own (UBL's rules); a number (all rare bumps) or one per rare
        bump, in sorted order.
    {common}random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams (one per bump).
    replacement : bool, default=True
        Whether copies are drawn with replacement (UBL's default).

    Attributes
    ----------
    {bump_attrs}    sample_indices_ : ndarray
        The input row behind every output row (the copies follow the input rows).
    {input_attrs}
    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.regression import RegressionRandomOverSampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3)); y = np.exp(rng.normal(size=200))
    >>> X_res, y_res = RegressionRandomOverSampler(random_state=0).fit_resample(X, y)
    >>> len(y_res) > len(y)
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        **BaseRegressionSampler._parameter_constraints,
        "replacement": ["boolean"],
    }

    def __init__(self, *, sampling_strategy="balance", relevance="extremes", threshold=0.5,
                 random_state=None, replacement=True):
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.threshold = threshold
        self.random_state = random_state
        self.replacement = replacement

    def _resample(self, Xn: np.ndarray, y: np.ndarray, bumps: Bumps,
                  streams: RandomStreams) -> tuple[np.ndarray, Any, dict | None]:
        rates = self.rates_ = self._rates(bumps)
        extra = []
        for b in np.flatnonzero(rates > 0):
            n = int(rates[b] * bumps.sizes[b])
            extra.append(_picks(streams.for_class(int(b)), bumps.rows[b], n,
                                bool(self.replacement), type(self).__name__, "a rate"))
        copies = np.concatenate(extra) if extra else np.empty(0, np.intp)
        self._check_memory(len(y), len(copies), Xn.shape[1])
        return np.concatenate([np.arange(len(y)), copies]), None, None

    def _rates(self, bumps: Bumps) -> np.ndarray:
        return over_rates(bumps.sizes, bumps.rare, self.sampling_strategy)

    def _planned_rows(self, bumps: Bumps) -> tuple[np.ndarray, np.ndarray]:
        rates = self._rates(bumps)
        return bumps.sizes.copy(), (rates * bumps.sizes).astype(np.int64)


class RegressionRandomUnderSampler(BaseRegressionSampler):
    """Random under-sampling of the normal bumps of a continuous target (UBL's RandUnder).

    Rare bumps are kept whole; each normal bump keeps ``rate x size`` (truncated) of its
    rows, drawn at random. The kept rows stay in input order.

    Parameters
    ----------
    sampling_strategy : {'balance', 'extreme'}, float or list of float, default='balance'
        The share of every normal bump kept: ``'balance'`` shares the rare rows' total
        among the normal bumps; ``'extreme'`` keeps the mean rare bump's size squared
        over its own (UBL's rules); a number (all normal bumps) or one per normal bump,
        in sorted order.
    {common}random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams (one per bump).
    replacement : bool, default=False
        Whether rows are drawn with replacement.

    Attributes
    ----------
    {bump_attrs}    sample_indices_ : ndarray
        The input rows kept, in input order.
    {input_attrs}    """

    _parameter_constraints: ClassVar[dict] = {
        **BaseRegressionSampler._parameter_constraints,
        "replacement": ["boolean"],
    }

    def __init__(self, *, sampling_strategy="balance", relevance="extremes", threshold=0.5,
                 random_state=None, replacement=False):
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.threshold = threshold
        self.random_state = random_state
        self.replacement = replacement

    def _resample(self, Xn: np.ndarray, y: np.ndarray, bumps: Bumps,
                  streams: RandomStreams) -> tuple[np.ndarray, Any, dict | None]:
        rates = self.rates_ = self._rates(bumps)
        keep = []
        for b, rows in enumerate(bumps.rows):
            if bumps.rare[b] or rates[b] == 1:
                keep.append(rows)
                continue
            n = int(rates[b] * bumps.sizes[b])
            keep.append(_picks(streams.for_class(b), rows, n, bool(self.replacement),
                               type(self).__name__, "a rate"))
        return np.sort(np.concatenate(keep)), None, None

    def _rates(self, bumps: Bumps) -> np.ndarray:
        return under_rates(bumps.sizes, bumps.rare, self.sampling_strategy)

    def _planned_rows(self, bumps: Bumps) -> tuple[np.ndarray, np.ndarray]:
        rates = self._rates(bumps)
        kept = np.where(bumps.rare | (rates == 1), bumps.sizes,
                        (rates * bumps.sizes).astype(np.int64))
        return kept, np.zeros(len(rates), np.int64)


class _BumpPlanSampler(BaseRegressionSampler):
    """What SMOTER and Gaussian noise share: UBL's ``SmoteRegress`` rates, shrunk bumps
    drawn at random, grown bumps through the plan protocol's driver (bumps for
    classes, the rows' targets declared as a need)."""

    _rate_digits: ClassVar[int] = 1
    _synthesises: ClassVar[bool] = True

    def _resample(self, Xn: np.ndarray, y: np.ndarray, bumps: Bumps,
                  streams: RandomStreams) -> tuple[np.ndarray, Any, dict | None]:
        kept, grow = self._bump_plan(bumps, streams)
        n_new = sum(n for _, _, n in grow)
        self._check_memory(len(kept), n_new, Xn.shape[1])
        sink = MemorySink(tail=np.empty((n_new, Xn.shape[1]), dtype=Xn.dtype))
        view = RowsView(Xn, bumps.of_row, Facts(), targets=y)
        run_plan(self, self._plan_needs(), view, grow, sink, plan=None, streams=streams,
                 backend=self._search())
        prov = concat_blocks(sink.provenance, np.intp)
        prov["bump"] = prov.pop("class")
        return kept, sink.tail, prov

    def _bump_plan(self, bumps: Bumps, streams: RandomStreams
                   ) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
        """The input rows kept (shrunk bumps drawn at random, the others whole) and the
        ``(bump, bump, rows to add)`` of every grown bump, for the driver; every engine
        calls this, so the draws are the same everywhere."""
        rates = self.rates_ = self._rates(bumps)
        self._bump_rates = rates
        keep, grow = [], []
        for b, rows in enumerate(bumps.rows):
            if rates[b] < 1:
                n = int(rates[b] * bumps.sizes[b])
                keep.append(_picks(streams.for_class(b), rows, n, bool(self.replacement),
                                   type(self).__name__, "a rate"))
                continue
            keep.append(rows)
            nexs = int(rates[b] - 1)
            extra = int(bumps.sizes[b] * (rates[b] - 1 - nexs))
            if nexs * bumps.sizes[b] + extra:
                grow.append((b, b, int(nexs * bumps.sizes[b] + extra)))
        return np.sort(np.concatenate(keep)), grow

    def _rates(self, bumps: Bumps) -> np.ndarray:
        return smoter_rates(bumps.sizes, self.sampling_strategy, self._rate_digits)

    def _planned_rows(self, bumps: Bumps) -> tuple[np.ndarray, np.ndarray]:
        rates = self._rates(bumps)
        sizes = bumps.sizes
        nexs = np.maximum(rates - 1, 0).astype(np.int64)
        extra = (sizes * np.maximum(rates - 1 - nexs, 0)).astype(np.int64)
        kept = np.where(rates < 1, (rates * sizes).astype(np.int64), sizes)
        return kept, np.where(rates > 1, nexs * sizes + extra, 0)

    def _search(self) -> Any:
        """The neighbour search the plans use (none by default)."""
        return _NoSearch()

    def _seed_counts(self, task: ClassTask) -> np.ndarray:
        """Rows per sample of a grown bump: ``int(rate - 1)`` each, and one more for
        ``int(size x (rate - 1 - int(rate - 1)))`` samples drawn at random (UBL)."""
        n = len(task.members)
        rate = float(self._bump_rates[task.position])
        nexs = int(rate - 1)
        counts = np.full(n, nexs, dtype=np.int64)
        extra = int(n * (rate - 1 - nexs))
        if extra:
            rng = task.streams.for_class(task.position)
            counts[rng.choice(n, size=extra, replace=False)] += 1
        return counts

    # the plan protocol (smotelab._plan), as a SMOTE variant writes it: bumps for classes
    def _plan_needs(self) -> PlanNeeds:
        return PlanNeeds(targets=True)

    def _start_fitted(self) -> None:
        """No per-bump fitted values beyond ``rates_``."""

    def _check_class_size(self, label: Any, n_class: int, k: int) -> None:
        """Any bump can grow (fewer neighbours, or copies, where it is small)."""

    def _fit_context(self, X: Any, *, inverse: np.ndarray, plan: Any, streams: Any) -> Any:
        return None

    def _own_rows(self) -> bool:
        return False

    def _generate(self, Xn: Any, task: ClassTask, kwargs: dict,
                  out: np.ndarray | None = None) -> Any:
        if self._own_rows():
            return generate_own(self._block_rows, Xn, kwargs, out)
        return generate(Xn, out=out, **kwargs)

    _generate.whole_rows = False  # type: ignore[attr-defined]

    def _block_rows(self, Xn: Any, spec: dict, rng: np.random.Generator, start: int,
                    size: int) -> tuple[np.ndarray, ...]:
        raise NotImplementedError


class _NoSearch:
    """The search of a plan that reads no neighbours."""

    n_neighbors = 0
    exact = True


class SMOTER(_BumpPlanSampler):
    """SMOTE for regression: synthetic rows, and their targets, inside the rare bumps.

    The sorted targets are cut into bumps where their relevance crosses ``threshold``.
    Each bump gets a rate (UBL's ``SmoteRegress`` rules): above 1 the bump grows to
    ``rate`` times its size, every sample making ``int(rate - 1)`` new rows and
    ``int(size x (rate - 1 - int(rate - 1)))`` samples drawn at random one more; below 1
    the bump keeps that share of its rows (at random); at 1 it is left. A new row is
    ``x + step * (x_nn - x)`` with ``x_nn`` one of the ``k_neighbors`` nearest samples
    of the same bump and ``step`` uniform in ``[0, 1)``; its target is the parents'
    targets weighted by the inverse of their distances to it, which for a row on the
    segment is ``y + step * (y_nn - y)``.

    Parameters
    ----------
    sampling_strategy : {'balance', 'extreme'}, float or list of float, default='balance'
        ``'balance'``: every bump toward ``round(n / n_bumps)`` rows; ``'extreme'``: the
        rates inverted so small (rare) bumps end larger than large ones; a number (every
        bump) or one rate per bump, in sorted order.
    {common}random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams (one per bump, one per block of rows).
    k_neighbors : int or object, default=5
        Nearest samples of the bump to interpolate with (fewer where a bump is smaller,
        with a warning), or an object with ``fit``/``kneighbors`` whose ``n_neighbors``
        counts the sample itself.
    {replacement}
    Attributes
    ----------
    {bump_attrs}    rates_ : ndarray
        The rate of every bump.
    sample_indices_ : ndarray
        The input rows kept, in input order (they come first in the output).
    provenance_ : dict of ndarray
        One entry per synthetic row, in output order: ``parent`` and ``neighbor`` (input
        rows), ``step``, ``target`` and ``bump``.
    nn_k_ : object
        The neighbour search used.
    {input_attrs}
    Notes
    -----
    With numeric features a synthetic row lies on the segment between its parents, at
    distances ``step x D`` and ``(1 - step) x D`` from them, so the inverse-distance
    weighted mean of the paper is exactly ``y + step * (y_nn - y)``; UBL's code adds
    only the last feature's distance and smogn's reads an unset value (see
    ``docs/differences.md``). A bump of one sample is replicated.

    References
    ----------
    L. Torgo, R. P. Ribeiro, B. Pfahringer, P. Branco, "SMOTE for Regression", EPIA
    2013, LNCS 8154, 378-389.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.regression import SMOTER
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 4)); y = np.exp(X[:, 0] + 0.3 * rng.normal(size=300))
    >>> sampler = SMOTER(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> p = sampler.provenance_
    >>> bool(np.allclose(y_res[len(sampler.sample_indices_):],
    ...                  y[p["parent"]] + p["step"] * (y[p["neighbor"]] - y[p["parent"]])))
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        **BaseRegressionSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left"),
                        HasMethods(["kneighbors", "fit"])],
        "replacement": ["boolean"],
    }

    def __init__(self, *, sampling_strategy="balance", relevance="extremes", threshold=0.5,
                 random_state=None, k_neighbors=5, replacement=False):
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.threshold = threshold
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.replacement = replacement

    def _search(self) -> Any:
        backend = resolve_neighbors(self.k_neighbors, param="k_neighbors")
        self.nn_k_ = FittedNeighbors(backend)
        return backend

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        members, n = task.members, len(task.members)
        counts = self._seed_counts(task)
        k = int(task.backend.n_neighbors)
        seed_pos = np.flatnonzero(counts)
        if n == 1:
            warnings.warn(f"SMOTER: bump {task.position} has a single sample; its new "
                          "rows are copies of it.", SmotelabWarning, stacklevel=6)
            table = members[:, None]
        else:
            if k >= n:
                warnings.warn(f"SMOTER: bump {task.position} has {n} samples, fewer than "
                              f"k_neighbors + 1 = {k + 1}; its rows use its {n - 1} "
                              "nearest.", SmotelabWarning, stacklevel=6)
                k = n - 1
            _, nn = kneighbors_of_rows(task.backend, X[members], seed_pos, k)
            table = members[nn]
        t = task.targets
        assert t is not None  # the needs say targets

        def target_of(parent: np.ndarray, neighbor: np.ndarray, step: np.ndarray
                      ) -> np.ndarray:
            return t[parent] + step * (t[neighbor] - t[parent])

        return ClassPlan(seeds=members[seed_pos], neighbors=table,
                         seed_counts=counts[seed_pos], target_of=target_of)


for _cls in (RegressionRandomOverSampler, RegressionRandomUnderSampler, SMOTER):
    fill_doc(_cls)
