"""The neighbourhood cleaning rule (Laurikkala, 2001): edited nearest neighbours, then the
neighbours that out-vote minority samples."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone

from ..exceptions import too_few_samples
from ..neighbors import FittedNeighbors, kneighbors_of_rows, resolve_neighbors
from ..utils._compat import HasMethods, Interval
from ._base import BaseCleaningSampler
from ._clean import _CLEAN_STRATEGY, EditedNearestNeighbours

__all__ = ["NeighbourhoodCleaningRule"]


class NeighbourhoodCleaningRule(BaseCleaningSampler):
    """Neighbourhood cleaning rule: edited nearest neighbours, plus the neighbours that
    out-vote minority samples (Laurikkala, 2001).

    Removes (1) the samples edited nearest neighbours (``kind_sel='mode'``) removes, and
    (2) among the ``n_neighbors`` nearest neighbours of every minority sample that its
    neighbourhood misclassifies, those of a class to clean. A class is cleaned when the
    plan names it and it has more than ``threshold_cleaning`` times the minority's
    samples.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Which classes may lose samples: ``'majority'``, ``'not minority'``, ``'not
        majority'``, ``'all'`` or ``'auto'`` (= ``'not minority'``), a list of classes,
        or a callable ``y -> dict`` whose keys are the classes.
    edited_nearest_neighbours : sampler or None, default=None
        The first step; default ``EditedNearestNeighbours(sampling_strategy=...,
        n_neighbors=n_neighbors, kind_sel='mode')``.
    n_neighbors : int or object, default=3
        Size of the neighbourhood that votes on each minority sample (the sample itself
        included, as a k-nearest-neighbours classifier fitted on the data votes), or an
        object with ``fit``/``kneighbors`` (e.g. ``NearestNeighbors``) whose
        ``n_neighbors`` counts the same way; it also serves the default first step.
    threshold_cleaning : float, default=0.5
        A class is cleaned in step (2) only when it has more than this many times the
        minority's samples.
    n_jobs : int or None, default=None
        Threads of the neighbour searches: ``None`` the library's default, ``-1`` every
        core, a positive number a cap (``1``: one core, BLAS included).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        The classes that may be cleaned.
    classes_to_clean_ : list
        The classes step (2) cleans.
    nn_ : neighbour search
        The search of step (2).
    edited_nearest_neighbours_ : sampler
        The fitted first step.
    sample_indices_ : ndarray
        Row indices (into X) of the kept rows, in input order.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    References
    ----------
    J. Laurikkala, "Improving identification of difficult small classes by balancing
    class distribution", AIME 2001, LNCS 2101, 63-66.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.under_sampling import NeighbourhoodCleaningRule
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> ncr = NeighbourhoodCleaningRule()
    >>> X_res, y_res = ncr.fit_resample(X, y)
    >>> ncr.classes_to_clean_
    [np.int64(0)]
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _CLEAN_STRATEGY,
        "edited_nearest_neighbours": [HasMethods(["fit_resample"]), None],
        "n_neighbors": [Interval(Integral, 1, None, closed="left"),
                        HasMethods(["kneighbors", "fit"])],
        "threshold_cleaning": [Interval(Real, 0, None, closed="neither")],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", edited_nearest_neighbours=None,
                 n_neighbors=3, threshold_cleaning=0.5, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.edited_nearest_neighbours = edited_nearest_neighbours
        self.n_neighbors = n_neighbors
        self.threshold_cleaning = threshold_cleaning
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, *, plan, streams) -> tuple[Any, Any]:
        Xn = self._numeric(X)
        classes, counts, inverse = y.encoded()
        # an int or an object's n_neighbors: the neighbourhood, the sample itself included
        nn = resolve_neighbors(self.n_neighbors, param="n_neighbors")
        self.nn_ = FittedNeighbors(nn)
        k = (int(self.n_neighbors) if isinstance(self.n_neighbors, Integral)
             else int(nn.n_neighbors) + 1)
        if k >= len(inverse):
            raise too_few_samples(type(self).__name__, "n_neighbors", k, len(inverse))
        enn = (EditedNearestNeighbours(sampling_strategy=self.sampling_strategy,
                                       n_neighbors=self.n_neighbors, kind_sel="mode")
               if self.edited_nearest_neighbours is None
               else clone(self.edited_nearest_neighbours))
        enn.fit_resample(Xn, y.labels)
        self.edited_nearest_neighbours_ = enn
        removed = np.ones(len(inverse), dtype=bool)
        removed[enn.sample_indices_] = False
        minority = int(np.argmin(counts))
        clean = [c for c in plan.positions()
                 if counts[c] > counts[minority] * self.threshold_cleaning]
        self.classes_to_clean_ = [classes[c] for c in clean]
        rows = np.flatnonzero(inverse == minority)
        _, graph = kneighbors_of_rows(nn, Xn, rows, k)
        # the k-nearest-neighbours vote on a training sample counts the sample itself
        voters = np.hstack([rows[:, None], graph[:, : k - 1]])
        votes = np.stack([np.count_nonzero(inverse[voters] == c, axis=1)
                          for c in range(len(classes))], axis=1)
        missed = votes.argmax(axis=1) != minority
        around = np.unique(graph[missed])
        removed[around[np.isin(inverse[around], clean)]] = True
        return self._select(X, y, np.flatnonzero(~removed))
