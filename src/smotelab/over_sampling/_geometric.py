"""Geometric SMOTE (Douzas and Bacao, 2019)."""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from ..neighbors import resolve_neighbors
from ..utils._compat import Interval, StrOptions
from ._base import BaseSMOTE, ClassPlan, ClassTask, PlanNeeds

__all__ = ["GeometricSMOTE", "geometric_points"]


def _norms(v: np.ndarray) -> np.ndarray:
    """Row norms without overflow: each row scaled by its largest entry first."""
    top = np.abs(v).max(axis=1)
    scale = np.where(top > 0, top, 1.0)
    return top * np.linalg.norm(v / scale[:, None], axis=1)


def geometric_points(center: np.ndarray, surface: np.ndarray, normal: np.ndarray,
                     u: np.ndarray, truncation: float, deformation: float) -> np.ndarray:
    """Points of G-SMOTE's truncated, deformed hyperspheres, one per row.

    The sphere of row ``i`` is centred on ``center[i]`` and passes through
    ``surface[i]``. ``normal`` (standard normal draws) and ``u`` (uniform in ``[0, 1)``)
    give a point uniform in the unit ball; it is reflected into the kept part of the
    ball (``truncation`` > 0 keeps the side of the surface point, < 0 the other side;
    1 keeps a half-ball), then squeezed toward the center-surface axis by
    ``deformation`` (1: onto the axis, a SMOTE segment).
    """
    d = center.shape[1]
    axis = surface - center
    radius = _norms(axis)
    unit = np.divide(axis, radius[:, None], out=np.zeros_like(axis), where=radius[:, None] > 0)
    norms = _norms(normal)
    sphere = np.divide(normal, norms[:, None], out=np.zeros_like(normal),
                       where=norms[:, None] > 0)
    point = sphere * (u ** (1.0 / d))[:, None]
    along = np.einsum("ij,ij->i", point, unit)
    if truncation > 0:
        flip = along < truncation - 1
    elif truncation < 0:
        flip = along > truncation + 1
    else:
        flip = np.zeros(len(along), dtype=bool)
    point[flip] -= 2 * along[flip, None] * unit[flip]
    along = np.where(flip, -along, along)
    parallel = along[:, None] * unit
    point = parallel + (1.0 - deformation) * (point - parallel)
    return center + radius[:, None] * point


class GeometricSMOTE(BaseSMOTE):
    """Geometric SMOTE: new rows inside hyperspheres around the samples, not on segments.

    For each new row, a sample of the class is the *center*; the *surface point* is one
    of its ``k_neighbors`` nearest samples of the class (``selection_strategy=
    'minority'``), its nearest sample of another class (``'majority'``), or the closer of
    the two (``'combined'``). The row is drawn uniformly in the hypersphere through the
    surface point, then truncated (``truncation_factor``: 1 keeps the half toward the
    surface point, 0 the whole sphere, -1 the half away from it) and deformed toward
    the center-surface axis (``deformation_factor``: 1 is a SMOTE segment). The sphere
    never reaches past the nearest other-class sample under ``'majority'`` and
    ``'combined'``, so rows stay in the class's own region.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to add per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        majority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams; each class and each block of rows draws from
        its own stream, so one class's rows never depend on another's.
    truncation_factor : float, default=1.0
        In ``[-1, 1]``: which part of the sphere is kept (see above).
    deformation_factor : float, default=0.0
        In ``[0, 1]``: how far the sphere is flattened onto the center-surface axis.
    selection_strategy : {'combined', 'minority', 'majority'}, default='combined'
        Where the surface point comes from (see above).
    k_neighbors : int or object, default=5
        Nearest same-class samples a surface point is drawn from, or an object with
        ``fit``/``kneighbors`` whose ``n_neighbors`` counts the sample itself.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    provenance_ : dict of ndarray
        One entry per synthetic row, in output order: ``parent`` (the center) and
        ``neighbor`` (the surface point; of another class where it was the nearest
        other-class sample), row indices in the input X; ``step`` is the row's distance
        from its center as a share of the radius; ``class``.
    nn_k_ : object
        The within-class neighbour search used.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTE : Rows on segments between two samples of the class.

    Notes
    -----
    The defaults are the paper's and its reference implementation's. On Dask each
    sample's nearest other-class row is searched in every partition and brought to the
    gathered rows; the output equals the in-memory one.

    References
    ----------
    G. Douzas, F. Bacao, "Geometric SMOTE a geometrically enhanced drop-in replacement
    for SMOTE", Information Sciences 501, 118-135, 2019.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.over_sampling import GeometricSMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = GeometricSMOTE(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 898), (np.int64(1), 898)]
    """

    _parameter_constraints: ClassVar[dict] = {
        **BaseSMOTE._parameter_constraints,
        "truncation_factor": [Interval(Real, -1, 1, closed="both")],
        "deformation_factor": [Interval(Real, 0, 1, closed="both")],
        "selection_strategy": [StrOptions({"combined", "minority", "majority"})],
    }

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.sampler_tags.neighbor_scope = "sphere"
        return tags

    def __init__(self, *, sampling_strategy="auto", random_state=None, truncation_factor=1.0,
                 deformation_factor=0.0, selection_strategy="combined", k_neighbors=5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.truncation_factor = truncation_factor
        self.deformation_factor = deformation_factor
        self.selection_strategy = selection_strategy
        self.k_neighbors = k_neighbors

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        members = task.members
        # columns: the k nearest of the class, then the nearest row of another class
        table = self._within_class(X, members, task.backend)
        others = np.flatnonzero(task.inverse != task.position)
        nearest = resolve_neighbors(1, param="k_neighbors").fit(X[others])
        _, other = nearest.kneighbors(X[members], n_neighbors=1)
        return ClassPlan(seeds=members, neighbors=np.column_stack([table, others[other[:, 0]]]))

    def _own_rows(self) -> bool:
        return True

    def _plan_needs(self) -> PlanNeeds:
        return PlanNeeds(other_rows=1)  # each sample's nearest row of another class

    def _block_rows(self, Xn: Any, spec: dict, rng: np.random.Generator, start: int,
                    size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        seeds, table = spec["seeds"], spec["neighbors"]
        k = table.shape[1] - 1
        seed = rng.integers(0, len(seeds), size=size)
        col = rng.integers(0, k, size=size)
        normal = rng.standard_normal((size, Xn.shape[1]))
        u = rng.random(size)
        center_rows, own, other = seeds[seed], table[seed, col], table[seed, k]
        center = _dense(Xn, center_rows)
        if self.selection_strategy == "minority":
            surface_rows, surface = own, _dense(Xn, own)
        elif self.selection_strategy == "majority":
            surface_rows, surface = other, _dense(Xn, other)
        else:  # the closer of the two, each gathered once
            x_own, x_other = _dense(Xn, own), _dense(Xn, other)
            mine = _norms(x_own - center) <= _norms(x_other - center)
            surface_rows = np.where(mine, own, other)
            surface = np.where(mine[:, None], x_own, x_other)
        rows = geometric_points(center, surface, normal, u, self.truncation_factor,
                                self.deformation_factor)
        radius = _norms(surface - center)
        # the step recorded: how far out the row lies, as a share of the radius
        share = np.divide(_norms(rows - center), radius, out=np.zeros(size),
                          where=radius > 0)
        return rows, center_rows, surface_rows, share


def _dense(X: Any, rows: np.ndarray) -> np.ndarray:
    """Rows of X as a dense float64 array."""
    part = X[rows]
    return np.asarray(part.toarray() if sp.issparse(part) else part, dtype=np.float64)
