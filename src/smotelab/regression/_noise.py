"""Noise for regression: Gaussian-noise over-sampling (UBL's GaussNoiseRegress) and
SMOGN (Branco, Torgo and Ribeiro, 2017), which interpolates toward near neighbours and
adds noise where the neighbour is far."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np

from .._plan import ClassPlan, ClassTask
from ..neighbors import (
    FittedNeighbors,
    kneighbors_of_rows,
    power_of_two_scale,
    resolve_neighbors,
)
from ..utils._compat import HasMethods, Interval
from ._base import BaseRegressionSampler
from ._samplers import _BumpPlanSampler, fill_doc

__all__ = ["SMOGN", "GaussianNoiseSampler", "half_median_distances"]


def half_median_distances(Xb: np.ndarray, working_memory: int = 64) -> np.ndarray:
    """Half the median distance from each row of ``Xb`` to every row of ``Xb`` (itself,
    at 0, included, as UBL's ``summary(DM[i, ])[3] / 2``), in chunks of rows: the
    ``n x n`` matrix is never held."""
    from sklearn.metrics import pairwise_distances_chunked

    scale = power_of_two_scale(Xb, None)  # exact: extreme magnitudes neither overflow
    parts = [np.median(chunk, axis=1) for chunk in pairwise_distances_chunked(
        Xb * scale, working_memory=working_memory)]  # nor underflow when squared
    return np.concatenate(parts) / (2 * scale) if parts else np.empty(0)


def rows_seeds(ends: np.ndarray, start: int, size: int) -> np.ndarray:
    """The seed (position among the plan's seeds) of each of a block's rows ``start`` to
    ``start + size``, where seed ``i`` makes the rows up to ``ends[i]`` (the running total
    of the seeds' counts): rows go to the seeds in order, whatever the block."""
    return np.searchsorted(ends, np.arange(start, start + size), side="right")


def spread(A: np.ndarray, ddof: int) -> Any:
    """Standard deviation along the rows (``ddof`` as R's ``sd`` with 1), computed at a
    power-of-two scale so that values near the float limits do not overflow."""
    scale = power_of_two_scale(A if A.ndim == 2 else A[:, None], None)
    return (A * scale).std(axis=0, ddof=ddof) / scale


class GaussianNoiseSampler(_BumpPlanSampler):
    """Gaussian-noise over-sampling of bumps (UBL's GaussNoiseRegress; Branco, Torgo and
    Ribeiro 2016).

    Bumps get SMOTER's rates (UBL's rules). Each new row of a grown bump is one of its
    samples with independent normal noise added to every feature and to the target,
    each with a standard deviation of ``perturbation`` times that column's standard
    deviation within the bump; shrunk bumps keep a random share of their rows.

    Parameters
    ----------
    sampling_strategy : {'balance', 'extreme'}, float or list of float, default='balance'
        As for :class:`SMOTER` (``'extreme'`` rates rounded to 4 decimals, as UBL).
    {common}random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams (one per bump, one per block of rows).
    perturbation : float, default=0.1
        The noise's standard deviation, as a share of each column's within the bump.
    {replacement}
    Attributes
    ----------
    {bump_attrs}    rates_ : ndarray
        The rate of every bump.
    sample_indices_ : ndarray
        The input rows kept, in input order (they come first in the output).
    provenance_ : dict of ndarray
        One entry per synthetic row: ``parent`` (the sample it perturbs; ``neighbor``
        is -1 and ``step`` 0), ``target`` and ``bump``.
    {input_attrs}
    Notes
    -----
    The standard deviations are the sample ones (``n - 1``), as R's ``sd``; a bump of one
    row gets copies of it.

    References
    ----------
    P. Branco, L. Torgo, R. P. Ribeiro, "A Survey of Predictive Modeling on Imbalanced
    Domains", ACM Computing Surveys 49(2), 2016; UBL's GaussNoiseRegress.
    """

    _rate_digits: ClassVar[int] = 4
    _parameter_constraints: ClassVar[dict] = {
        **BaseRegressionSampler._parameter_constraints,
        "perturbation": [Interval(Real, 0, None, closed="left")],
        "replacement": ["boolean"],
    }

    def __init__(self, *, sampling_strategy="balance", relevance="extremes", threshold=0.5,
                 random_state=None, perturbation=0.1, replacement=False):
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.threshold = threshold
        self.random_state = random_state
        self.perturbation = perturbation
        self.replacement = replacement

    def _own_rows(self) -> bool:
        return True

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        members = task.members
        counts = self._seed_counts(task)
        seed_pos = np.flatnonzero(counts)
        t = task.targets
        assert t is not None  # the needs say targets
        ddof = 1 if len(members) > 1 else 0
        scale = float(self.perturbation)
        data = {"sd": spread(np.asarray(X[members], np.float64), ddof) * scale,
                "sd_target": float(spread(t[members], ddof)) * scale, "targets": t,
                "ends": np.cumsum(counts[seed_pos])}
        return ClassPlan(seeds=members[seed_pos], neighbors=members[seed_pos, None],
                         seed_counts=counts[seed_pos], data=data)

    def _block_rows(self, Xn: Any, spec: dict, rng: np.random.Generator, start: int,
                    size: int) -> tuple[np.ndarray, ...]:
        parent = spec["seeds"][rows_seeds(spec["data"]["ends"], start, size)]
        data = spec["data"]
        rows = Xn[parent] + rng.standard_normal((size, Xn.shape[1])) * data["sd"]
        target = data["targets"][parent] + rng.standard_normal(size) * data["sd_target"]
        return rows, parent, np.full(size, -1, np.intp), np.zeros(size), target


class SMOGN(_BumpPlanSampler):
    """SMOGN: SMOTER toward near neighbours, Gaussian noise where the neighbour is far.

    Bumps get SMOTER's rates (UBL's rules) and shrunk bumps keep a random share. For a
    new row of a grown bump, a sample and one of its ``k_neighbors`` nearest samples of
    the bump are drawn; if the neighbour is closer than ``maxD``, half the median
    distance from the sample to the rows of its bump, the row is SMOTER's (on the
    segment, its target the same step between theirs); otherwise it is the sample plus
    normal noise on every feature and the target, with a standard deviation of
    ``min(maxD, perturbation)`` times the column's within the bump.

    Parameters
    ----------
    sampling_strategy : {'balance', 'extreme'}, float or list of float, default='balance'
        As for :class:`SMOTER`.
    {common}random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams (one per bump, one per block of rows).
    k_neighbors : int or object, default=5
        Nearest samples of the bump to choose from (fewer where a bump is smaller), or
        an object with ``fit``/``kneighbors`` whose ``n_neighbors`` counts the sample.
    perturbation : float, default=0.02
        The largest noise share (the paper's and UBL's 0.02).
    {replacement}
    Attributes
    ----------
    {bump_attrs}    rates_ : ndarray
        The rate of every bump.
    sample_indices_ : ndarray
        The input rows kept, in input order (they come first in the output).
    provenance_ : dict of ndarray
        One entry per synthetic row: ``parent``, ``neighbor`` (-1 for a noisy row),
        ``step`` (0 for a noisy row), ``target`` and ``bump``.
    nn_k_ : object
        The neighbour search used.
    {input_attrs}
    Notes
    -----
    ``maxD`` needs every distance within a grown bump; they are computed in chunks of
    rows, never as one ``n x n`` matrix. Distances are Euclidean on the features, as UBL's
    default. Targets of interpolated rows follow the paper (see :class:`SMOTER`).

    References
    ----------
    P. Branco, L. Torgo, R. P. Ribeiro, "SMOGN: a Pre-processing Approach for
    Imbalanced Regression", LIDTA 2017, PMLR 74, 36-50.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.regression import SMOGN
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 4)); y = np.exp(X[:, 0] + 0.3 * rng.normal(size=300))
    >>> sampler = SMOGN(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> noisy = sampler.provenance_["neighbor"] == -1
    >>> bool(noisy.any() and (~noisy).any())
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        **BaseRegressionSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left"),
                        HasMethods(["kneighbors", "fit"])],
        "perturbation": [Interval(Real, 0, None, closed="left")],
        "replacement": ["boolean"],
    }

    def __init__(self, *, sampling_strategy="balance", relevance="extremes", threshold=0.5,
                 random_state=None, k_neighbors=5, perturbation=0.02, replacement=False):
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.threshold = threshold
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.perturbation = perturbation
        self.replacement = replacement

    def _search(self) -> Any:
        backend = resolve_neighbors(self.k_neighbors, param="k_neighbors")
        self.nn_k_ = FittedNeighbors(backend)
        return backend

    def _own_rows(self) -> bool:
        return True

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        members, n = task.members, len(task.members)
        counts = self._seed_counts(task)
        seed_pos = np.flatnonzero(counts)
        t = task.targets
        assert t is not None  # the needs say targets
        Xb = np.asarray(X[members], dtype=np.float64)
        k = min(int(task.backend.n_neighbors), n - 1)
        if k >= 1:
            dist, nn = kneighbors_of_rows(task.backend, Xb, seed_pos, k)
            table = members[nn]
        else:  # one sample: only noise around it (maxD is 0: copies)
            dist, table = np.full((len(seed_pos), 1), np.inf), members[seed_pos, None]
        max_d = half_median_distances(Xb)[seed_pos]
        ddof = 1 if n > 1 else 0
        data = {"dist": dist, "max_d": max_d, "targets": t,
                "sd": spread(Xb, ddof), "sd_target": float(spread(t[members], ddof)),
                "pert": np.minimum(max_d, float(self.perturbation)),
                "ends": np.cumsum(counts[seed_pos])}
        return ClassPlan(seeds=members[seed_pos], neighbors=table,
                         seed_counts=counts[seed_pos], data=data)

    def _block_rows(self, Xn: Any, spec: dict, rng: np.random.Generator, start: int,
                    size: int) -> tuple[np.ndarray, ...]:
        seeds, table, data = spec["seeds"], spec["neighbors"], spec["data"]
        seed = rows_seeds(data["ends"], start, size)
        col = rng.integers(0, table.shape[1], size=size)
        step = rng.random(size)
        noise = rng.standard_normal((size, Xn.shape[1]))
        noise_t = rng.standard_normal(size)
        parent, neighbor = seeds[seed], table[seed, col]
        near = data["dist"][seed, col] < data["max_d"][seed]
        t = data["targets"]
        scale = data["pert"][seed]
        rows = np.where(near[:, None],
                        Xn[parent] + step[:, None] * (Xn[neighbor] - Xn[parent]),
                        Xn[parent] + noise * data["sd"] * scale[:, None])
        target = np.where(near, t[parent] + step * (t[neighbor] - t[parent]),
                          t[parent] + noise_t * data["sd_target"] * scale)
        return (rows, parent, np.where(near, neighbor, -1), np.where(near, step, 0.0),
                target)


for _cls in (GaussianNoiseSampler, SMOGN):
    fill_doc(_cls)
