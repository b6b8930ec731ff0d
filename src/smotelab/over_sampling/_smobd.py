"""SMOBD: over-sampling by the density distribution of the class (Cao and Wang, 2011)."""

from __future__ import annotations

import warnings
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np

from ..neighbors import ExactNeighbors
from ..utils._compat import Interval
from ._base import BaseSMOTE, ClassPlan, ClassTask

__all__ = ["SMOBD"]


def density_weights(Xc: np.ndarray, min_samples: int, max_eps: float, eta: float,
                    noise_factor: float) -> tuple[np.ndarray, np.ndarray]:
    """SMOBD's seed weights of the samples of one class, and their noise flags.

    OPTICS (``min_samples``, ``max_eps``) gives each sample a core distance and a
    reachability; a sample whose both exceed ``noise_factor`` times their class means is
    noise (weight 0). The weight of the others is ``eta`` times the core distance plus
    ``1 - eta`` times the number of samples within ``max_eps``, each scaled to a maximum
    of 1. Infinite core distances (fewer than ``min_samples`` within ``max_eps``) count
    as 1.1 times the largest finite one.
    """
    from sklearn.cluster import OPTICS
    from sklearn.neighbors import NearestNeighbors

    n = len(Xc)
    if n < 3:  # OPTICS needs two neighbours: no density to speak of
        return np.ones(n), np.zeros(n, dtype=bool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # OPTICS warns about unreachable points
        optics = OPTICS(min_samples=min(n - 1, min_samples), max_eps=max_eps).fit(Xc)
    core = np.asarray(optics.core_distances_, dtype=np.float64)
    reach = np.asarray(optics.reachability_, dtype=np.float64)
    noise = np.zeros(n, dtype=bool)
    if np.isfinite(core).any() and np.isfinite(reach).any():
        noise = ((core > noise_factor * core[np.isfinite(core)].mean())
                 & (reach > noise_factor * reach[np.isfinite(reach)].mean()))
    finite = np.isfinite(core)
    core = np.where(finite, core, 1.1 * core[finite].max() if finite.any() else 1.0)
    within = NearestNeighbors(radius=max_eps).fit(Xc).radius_neighbors(
        Xc, return_distance=False)
    count = np.array([len(w) for w in within], dtype=np.float64)
    weight = (eta * core / max(core.max(), 1e-8)
              + (1 - eta) * count / max(count.max(), 1e-8))
    weight[noise] = 0.0
    if not weight.any():
        weight = np.ones(n)
    return weight, noise


class SMOBD(BaseSMOTE):
    """SMOBD: SMOTE seeded by the class's density distribution, noise left out.

    OPTICS, run on the samples of the class, finds the noise (core distance and
    reachability both far above the class's average) and describes each sample's
    neighbourhood; the rows are spread over the samples in proportion to a weight that
    mixes its core distance (sparser gets more) with how many samples of the class lie
    within ``max_eps`` (exact integer counts), and made as SMOTE makes them, toward one of
    the ``min_samples`` nearest samples of the class.

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
    eta : float, default=0.5
        Share of the core distance in the weight (``eta1`` in the paper and in
        smote-variants); the rest is the neighbour count.
    noise_factor : float, default=1.8
        A sample is noise when its core distance and reachability both exceed this many
        times the class's means (``t``).
    min_samples : int, default=5
        OPTICS's ``min_samples``, and the number of nearest samples of the class to
        interpolate toward (at most the class size - 1).
    max_eps : float, default=1.0
        OPTICS's ``max_eps``, and the radius of the neighbour count.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    noise_ : dict of ndarray
        Per class, whether each of its samples (in input order) was found noise.
    provenance_ : dict of ndarray
        One entry per synthetic row, in output order: ``parent`` and ``neighbor`` (row
        indices in the input X), ``step`` and ``class``.
    nn_ : object
        The within-class neighbour search used.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    ADASYN : Weights the seeds by the other classes around them.

    Notes
    -----
    The noise test averages the finite core distances and reachabilities (smote-variants
    averages all of them, and any unreachable sample makes its mean infinite, so its
    filter never fires). ``max_eps`` is a distance in the units of X: scale the features
    first. The densities are the class's own, so on Dask it plans on the gathered class
    and equals the in-memory output.

    References
    ----------
    Q. Cao, S. Wang, "Applying over-sampling technique based on data density and
    cost-sensitive SVM to imbalanced learning", ICICIP 2011.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.over_sampling import SMOBD
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = SMOBD(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 898), (np.int64(1), 898)]
    """

    _k_param: ClassVar[str] = "min_samples"
    _k_attr: ClassVar[str] = "nn_"
    _per_class_attrs: ClassVar[tuple[str, ...]] = ("noise_",)
    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": BaseSMOTE._parameter_constraints["sampling_strategy"],
        "random_state": BaseSMOTE._parameter_constraints["random_state"],
        "eta": [Interval(Real, 0, 1, closed="both")],
        "noise_factor": [Interval(Real, 0, None, closed="neither")],
        "min_samples": [Interval(Integral, 2, None, closed="left")],
        "max_eps": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, eta=0.5,
                 noise_factor=1.8, min_samples=5, max_eps=1.0):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.eta = eta
        self.noise_factor = noise_factor
        self.min_samples = min_samples
        self.max_eps = max_eps

    def _check_class_size(self, label: Any, n_class: int, k: int) -> None:
        super()._check_class_size(label, n_class, 1)  # two samples; fewer neighbours below

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        members = task.members
        Xc = X[members]
        Xc = np.asarray(Xc.toarray() if hasattr(Xc, "toarray") else Xc, dtype=np.float64)
        weight, noise = density_weights(Xc, self.min_samples, self.max_eps, self.eta,
                                        self.noise_factor)
        k = min(self.min_samples, len(members) - 1)
        return self._weighted_plan(X, task, weight, ExactNeighbors(k), noise_=noise)
