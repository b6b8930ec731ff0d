"""NearMiss 1, 2 and 3 (Mani and Zhang, 2003)."""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from ..base import _STRATEGY_CONSTRAINT
from ..exceptions import NotEnoughSamplesError, SmotelabWarning
from ..exceptions import fmt_label as _label
from ..neighbors import resolve_neighbors
from ..utils._compat import HasMethods, Interval
from ._base import BaseUnderSampler

__all__ = ["NearMiss"]


class NearMiss(BaseUnderSampler):
    """Keep the samples of each class that are nearest to (or farthest from) the minority.

    * version 1: keep the samples whose ``n_neighbors`` nearest minority samples are
      nearest on average;
    * version 2: keep the samples whose ``n_neighbors`` *farthest* minority samples are
      nearest on average;
    * version 3: first keep, for every minority sample, its ``n_neighbors_ver3`` nearest
      samples of the class; among those, keep the ones whose ``n_neighbors`` nearest
      minority samples are *farthest* on average.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to keep per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        minority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    version : {1, 2, 3}, default=1
        Which NearMiss.
    n_neighbors : int or object, default=3
        Number of minority samples whose distances are averaged, or an object with
        ``fit``/``kneighbors`` (e.g. ``NearestNeighbors``) whose ``n_neighbors`` gives
        that number and whose search finds them (the queries are other samples, so
        nothing counts the query itself).
    n_neighbors_ver3 : int or object, default=3
        Version 3: samples of the class pre-selected around each minority sample; an int
        or a neighbours object as for ``n_neighbors``.
    n_jobs : int or None, default=None
        Threads of the neighbour searches: ``None`` the library's default, ``-1`` every
        core, a positive number a cap (``1``: one core, BLAS included).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples kept per class named by the plan.
    sample_indices_ : ndarray
        Row indices (into X) of the kept rows, in input order.
    nn_ : object
        The ``n_neighbors`` search: the given object (cloned), or the exact search.
    nn_ver3_ : object
        Version 3's pre-selection search, likewise.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    Notes
    -----
    Versions 1 and 3 use the exact neighbour search (see :mod:`smotelab.neighbors`);
    version 2 needs the distance to every minority sample and computes them, block by
    block, with the matrix-product formula scikit-learn also uses. Equal averages keep
    the input order. Version 3 can pre-select fewer samples than the plan asks for; it then keeps
    them all and warns, as imbalanced-learn does.

    References
    ----------
    I. Mani, I. Zhang, "kNN approach to unbalanced data distributions: a case study
    involving information extraction", ICML 2003 workshop on learning from imbalanced
    datasets.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.under_sampling import NearMiss
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = NearMiss(version=2).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 102), (np.int64(1), 102)]
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "version": [Interval(Integral, 1, 3, closed="both")],
        "n_neighbors": [Interval(Integral, 1, None, closed="left"),
                        HasMethods(["kneighbors", "fit"])],
        "n_neighbors_ver3": [Interval(Integral, 1, None, closed="left"),
                             HasMethods(["kneighbors", "fit"])],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", version=1, n_neighbors=3,
                 n_neighbors_ver3=3, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.version = version
        self.n_neighbors = n_neighbors
        self.n_neighbors_ver3 = n_neighbors_ver3
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, *, plan, streams) -> tuple[Any, Any]:
        Xn = self._numeric(X)
        classes, counts, inverse = y.encoded()
        minority = int(np.argmin(counts))
        Xm = Xn[np.flatnonzero(inverse == minority)]
        self.nn_ = _CrossSearch(self.n_neighbors, "n_neighbors")
        if self.nn_.estimator is None:
            self.nn_.fit(Xm)  # fitted on the minority, as imbalanced-learn's nn_ (version 2)
        self.nn_ver3_ = _CrossSearch(self.n_neighbors_ver3, "n_neighbors_ver3")
        k = self.nn_.n_neighbors
        n_min = Xm.shape[0]
        if k > n_min:
            raise NotEnoughSamplesError(
                f"NearMiss: n_neighbors={k} but the minority class "
                f"{_label(classes[minority])} has only {n_min} samples; use "
                f"n_neighbors<={n_min}."
            )
        keep = [np.flatnonzero(~plan.in_plan(inverse))]
        for label, n_keep in plan.counts.items():
            members = np.flatnonzero(inverse == plan.class_position(label))
            keep.append(members[self._choose(Xn, Xm, members, n_keep, k, label)])
        return self._select(X, y, np.concatenate(keep))

    def _choose(self, Xn: Any, Xm: Any, members: np.ndarray, n_keep: int, k: int,
                label: Any) -> np.ndarray:
        """Positions (in ``members``) of the rows kept for one class."""
        if self.version == 1:
            score = self.nn_.search(Xm, k, Xn[members])[0].sum(axis=1)
            return np.argsort(score, kind="stable")[:n_keep]
        if self.version == 2:
            if self.nn_.estimator is None:
                score = _farthest_sum(Xm, Xn[members], k)
            else:  # the object's distances to every minority sample, the k largest
                d = self.nn_.search(Xm, Xm.shape[0], Xn[members])[0]
                score = d[:, -k:].sum(axis=1)
            return np.argsort(score, kind="stable")[:n_keep]
        k3 = min(self.nn_ver3_.n_neighbors, len(members))
        near = np.unique(self.nn_ver3_.search(Xn[members], k3, Xm)[1])
        if len(near) < n_keep:
            warnings.warn(
                f"NearMiss(version=3): only {len(near)} samples of class {_label(label)} are "
                f"among the {k3} nearest of a minority sample, fewer than the {n_keep} "
                "the plan asks for; all of them are kept.",
                SmotelabWarning,
                stacklevel=4,
            )
        score = self.nn_.search(Xm, k, Xn[members[near]])[0].sum(axis=1)
        return near[np.argsort(-score, kind="stable")[:n_keep]]


def _farthest_sum(Xm: Any, Q: Any, k: int) -> np.ndarray:
    """For each query row, the sum of its ``k`` largest distances to the rows of ``Xm``.

    Sparse rows are densified block by block (the minority set as a whole).
    """
    if sp.issparse(Xm):
        Xm = Xm.toarray()
    Xm = np.asarray(Xm, dtype=np.float64)
    n_q = Q.shape[0]
    out = np.empty(n_q)
    nm = np.einsum("ij,ij->i", Xm, Xm)
    step = max(1, (1 << 22) // max(Xm.shape[0], 1))
    for a in range(0, n_q, step):
        q = Q[a : a + step]
        q = np.asarray(q.toarray() if sp.issparse(q) else q, dtype=np.float64)
        d2 = np.einsum("ij,ij->i", q, q)[:, None] + nm[None, :] - 2.0 * (q @ Xm.T)
        np.maximum(d2, 0, out=d2)
        top = np.partition(d2, d2.shape[1] - k, axis=1)[:, -k:]
        out[a : a + step] = np.sqrt(top).sum(axis=1)
    return out


class _CrossSearch:
    """Neighbours among reference rows of query rows of *other* classes, by the search
    ``resolve_neighbors`` makes of an int or a ``fit``/``kneighbors`` object. A query is
    never among the references, so the object's ``n_neighbors`` is the count as it is.

    Exposed as ``nn_``/``nn_ver3_``, it reads like imbalanced-learn's ``NearestNeighbors``
    there: ``n_neighbors``, ``fit`` and ``kneighbors(X, n_neighbors, return_distance)``
    against the rows it was last fitted on.
    """

    def __init__(self, spec: Any, param: str) -> None:
        self.backend = resolve_neighbors(spec, param=param)
        self.n_neighbors = int(spec if isinstance(spec, Integral) else spec.n_neighbors)

    @property
    def estimator(self) -> Any:
        """The given neighbours object (cloned), or ``None`` for the exact search."""
        return getattr(self.backend, "estimator", None)

    def fit(self, X: Any, y: Any = None) -> _CrossSearch:
        """Fit the search on the reference rows."""
        self.backend.fit(X)
        return self

    def kneighbors(self, X: Any, n_neighbors: int | None = None,
                   return_distance: bool = True) -> Any:
        """Sorted distances and indices (into the fitted rows) of each query's nearest."""
        k = self.n_neighbors if n_neighbors is None else int(n_neighbors)
        dist, ind = self.backend.kneighbors(X, k)
        return (dist, ind) if return_distance else ind

    def search(self, R: Any, k: int, Q: Any) -> tuple[np.ndarray, np.ndarray]:
        """Fit on ``R`` and return the ``k`` nearest of each query of ``Q``."""
        return self.fit(R).kneighbors(Q, k)
