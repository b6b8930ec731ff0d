"""ADASYN: adaptive synthetic sampling (He, Bai, Garcia and Li, 2008)."""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import Any, ClassVar

import numpy as np

from ..exceptions import SmotelabWarning
from ..exceptions import fmt_label as _label
from ..neighbors import resolve_neighbors
from ..utils._compat import HasMethods, Interval
from ._base import BaseSMOTE, ClassPlan, ClassTask, GraphNeed, PlanNeeds

__all__ = ["ADASYN"]


class ADASYN(BaseSMOTE):
    """Adaptive Synthetic sampling: more synthetic rows where the class is harder to learn.

    Each sample ``x_i`` of a class being over-sampled gets the weight
    ``r_i = (other-class samples among its n_neighbors nearest) / n_neighbors``; the
    weights are normalised and the requested number of rows is split between the
    samples in proportion to them, as integers that add up exactly to the request
    (largest remainders). Each row of ``x_i`` is ``x_i + step * (x_nn - x_i)`` with
    ``x_nn`` one of its ``n_neighbors`` nearest same-class neighbours and ``step``
    uniform in ``[0, 1)``.

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
    n_neighbors : int or object, default=5
        Number of nearest neighbours, both for the weights (among all samples) and for
        the interpolation (within the class); or an object with ``fit``/``kneighbors``
        whose ``n_neighbors`` counts the sample itself (as in imbalanced-learn).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    provenance_ : dict of ndarray
        One entry per synthetic row, in output order (grouped by parent): ``parent``
        and ``neighbor`` (row indices in the input X), ``step`` and ``class``.
    nn_ : object
        The neighbour search used.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTE : Every sample of the class is an equally likely seed.
    BorderlineSMOTE : Seeds only from samples in danger.

    Notes
    -----
    Where no sample of a class has a neighbour of another class, every weight is zero;
    imbalanced-learn raises there, smotelab falls back to equal weights (plain SMOTE)
    with a warning.

    References
    ----------
    H. He, Y. Bai, E. A. Garcia, S. Li, "ADASYN: Adaptive Synthetic Sampling Approach
    for Imbalanced Learning", IJCNN 2008, 1322-1328.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.over_sampling import ADASYN
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = ADASYN(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 898), (np.int64(1), 898)]
    """

    _k_param: ClassVar[str] = "n_neighbors"
    _k_attr: ClassVar[str] = "nn_"
    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": BaseSMOTE._parameter_constraints["sampling_strategy"],
        "random_state": BaseSMOTE._parameter_constraints["random_state"],
        "n_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "fit"]),
        ],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors

    def _plan_needs(self) -> PlanNeeds:
        # the same search as the within-class one, counted over all rows
        return PlanNeeds(graph=GraphNeed(resolve_neighbors(self.n_neighbors,
                                                           param="n_neighbors"),
                                         "n_neighbors"))

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        members, labels = task.members, task.facts.graph
        ratio = labels.counts(members) / labels.m
        if not ratio.any():
            warnings.warn(
                f"ADASYN: no sample of class {_label(task.label)} has a neighbour of "
                f"another class among its {labels.m} nearest, so every weight is zero; its new "
                "rows are spread evenly over its samples, as plain SMOTE would.",
                SmotelabWarning,
                stacklevel=5,
            )
            ratio = np.ones(len(members))
        return self._weighted_plan(X, task, ratio)
