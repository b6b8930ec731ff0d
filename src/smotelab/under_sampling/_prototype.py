"""Prototype selection: condensed nearest neighbours (Hart, 1968) and one-sided selection
(Kubat and Matwin, 1997).

Both start, for each class to under-sample, from a store ``C`` holding the whole minority
class and ``n_seeds_S`` random samples of the class, and classify the class's samples by
their ``n_neighbors`` nearest samples in ``C``:

* **CNN** walks through the class in input order and adds to ``C`` every sample the
  current store misclassifies (one pass, as imbalanced-learn does); the class keeps what
  ended in ``C``.
* **OSS** classifies the class once with the initial store, keeps the seeds and the
  misclassified samples, then removes Tomek links among what is kept.

CNN's walk is sequential by definition, but its cost is not: distances are computed a
block of the walk at a time against the store (one matrix product), and within a block
each addition updates the remaining rows' nearest distances in one vector step.

``n_neighbors`` may also be a classifier, as in imbalanced-learn. A
``KNeighborsClassifier`` with Euclidean distances and uniform weights votes as the fast
path does, which then runs with its ``n_neighbors``; any other classifier is fitted on
the store and asked to predict, as imbalanced-learn does (CNN refits it after each
addition, so that path costs what imbalanced-learn's does).
"""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone
from sklearn.neighbors import KNeighborsClassifier
from sklearn.utils import check_random_state

from ..exceptions import NotEnoughSamplesError
from ..neighbors import exact_kneighbors, tomek_link_mask
from ..utils._compat import HasMethods, Interval
from ._base import BaseCleaningSampler
from ._clean import _CLEAN_STRATEGY

__all__ = ["CondensedNearestNeighbour", "OneSidedSelection"]

_WALK_BLOCK = 512


def _minority_position(counts: np.ndarray, inverse: np.ndarray) -> int:
    """The smallest class; among equals, the one seen first in y (imbalanced-learn's rule)."""
    smallest = np.flatnonzero(counts == counts.min())
    if len(smallest) == 1:
        return int(smallest[0])
    first_seen = [int(np.argmax(inverse == c)) for c in smallest]
    return int(smallest[int(np.argmin(first_seen))])


def _sq_dist(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Squared Euclidean distances between rows of A and B (float64, clipped at 0)."""
    D = np.einsum("ij,ij->i", A, A)[:, None] + np.einsum("ij,ij->i", B, B)[None, :]
    D -= 2.0 * (A @ B.T)
    np.maximum(D, 0.0, out=D)
    return D


def _k_smallest_sq(A: np.ndarray, B: np.ndarray, nB: np.ndarray, k: int) -> np.ndarray:
    """Per row of A, the k smallest squared distances to rows of B, ascending (inf-padded).

    The row's own norm does not change which are smallest, so it is added after the
    selection: ``-2 A`` times ``B`` plus ``|B|^2`` is one product and one pass.
    """
    if B.shape[0] == 0:
        return np.full((len(A), k), np.inf)
    G = np.matmul(A * -2.0, B.T)
    G += nB[None, :]
    if k == 1:
        G = G.min(axis=1, keepdims=True)
    else:
        if G.shape[1] > k:
            G = np.partition(G, k - 1, axis=1)[:, :k]
        G = np.sort(G, axis=1)
    G += np.einsum("ij,ij->i", A, A)[:, None]
    np.maximum(G, 0.0, out=G)
    if G.shape[1] < k:
        G = np.pad(G, ((0, 0), (0, k - G.shape[1])), constant_values=np.inf)
    return G


def _outvoted(n_t: np.ndarray, n_voters: int, m: int, t: int) -> np.ndarray:
    """Rows of class ``t`` that ``n_t`` of ``n_voters`` store votes do not classify as ``t``
    (the rest vote minority ``m``); a tied vote goes to the class sorted first, as in
    scikit-learn's KNeighborsClassifier."""
    if m == t:
        return np.zeros(len(n_t), dtype=bool)
    n_m = n_voters - n_t
    return ~((n_t > n_m) | ((n_t == n_m) & (t < m)))


def _wrong(dM: np.ndarray, dT: np.ndarray, k: int, m: int, t: int) -> np.ndarray:
    """Rows whose k nearest in ``C`` (minority distances ``dM``, class ``dT``, both sorted)
    vote for another class than ``t``. Equal distances rank minority samples first (they
    come first in ``C``)."""
    both = np.concatenate([dM, dT], axis=1)
    order = np.argsort(both, axis=1, kind="stable")[:, :k]
    return _outvoted(np.count_nonzero(order >= dM.shape[1], axis=1), k, m, t)


class _PrototypeSelection(BaseCleaningSampler):
    """Shared parameters, validation and seeding of CNN and OSS."""

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _CLEAN_STRATEGY,
        "random_state": ["random_state"],
        "n_neighbors": [Interval(Integral, 1, None, closed="left"),
                        HasMethods(["fit", "predict"]), None],
        "n_seeds_S": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [None, Integral],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=None,
                 n_seeds_S=1, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.n_jobs = n_jobs

    def _estimator(self) -> tuple[Any, int | None]:
        """The store's classifier, and ``k`` when the fast Euclidean vote is the same."""
        if self.n_neighbors is None or isinstance(self.n_neighbors, Integral):
            k = 1 if self.n_neighbors is None else int(self.n_neighbors)
            return KNeighborsClassifier(n_neighbors=k, n_jobs=self.n_jobs), k
        est = clone(self.n_neighbors)
        if isinstance(est, KNeighborsClassifier) and est.weights == "uniform" and (
                est.metric == "euclidean" or (est.metric == "minkowski" and est.p == 2)
        ) and not est.metric_params:
            return est, int(est.n_neighbors)
        return est, None

    def _fit_resample(self, X, y, *, plan, streams) -> tuple[Any, Any]:
        Xn = self._numeric(X)
        if hasattr(Xn, "toarray"):
            Xn = Xn.toarray()
        Xraw = np.asarray(Xn, dtype=np.float64)
        Xn = Xraw - Xraw.mean(axis=0)
        classes, counts, inverse = y.encoded()
        est, k_fast = self._estimator()
        k = k_fast if k_fast is not None else 1
        m = _minority_position(counts, inverse)
        minority = np.flatnonzero(inverse == m)
        if k > len(minority) + self.n_seeds_S:
            raise NotEnoughSamplesError(
                f"{type(self).__name__}: n_neighbors={k} but the store starts with the "
                f"{len(minority)} minority samples and n_seeds_S={self.n_seeds_S} seeds; use "
                f"n_neighbors<={len(minority) + self.n_seeds_S}.")
        # Seeds drawn as imbalanced-learn draws them (one RandomState, classes in sorted
        # order), so an int random_state selects the same seeds.
        rs = check_random_state(self.random_state)
        keep = []
        self.estimators_ = []
        for t in range(len(classes)):
            members = np.flatnonzero(inverse == t)
            if not plan.in_plan(np.array([t]))[0]:
                keep.append(members)
                continue
            picks = rs.randint(low=0, high=len(members), size=self.n_seeds_S)
            if k_fast is not None:
                chosen = self._select_class(Xn, members, picks, minority, k, m, t)
            else:
                chosen = self._select_with(est, Xraw, members, picks, minority, inverse)
            keep.append(chosen)
            # the classifier of the class's final store (imbalanced-learn's estimators_)
            store = np.concatenate([minority, self._store_rows(chosen, members, picks)])
            self.estimators_.append(clone(est).fit(Xraw[store], inverse[store]))
        kept = np.unique(np.concatenate(keep))
        return self._select(X, y, self._finish(Xn, inverse, kept, plan))

    def _finish(self, Xn, inverse, kept, plan) -> np.ndarray:
        return kept

    def _select_class(self, Xn, members, picks, minority, k, m, t) -> np.ndarray:
        raise NotImplementedError

    def _select_with(self, est, X, members, picks, minority, inverse) -> np.ndarray:
        """``_select_class`` for any classifier: fitted on the store, asked to predict."""
        raise NotImplementedError

    def _store_rows(self, chosen, members, picks) -> np.ndarray:
        """The class's rows in its final store."""
        return chosen


class CondensedNearestNeighbour(_PrototypeSelection):
    """Under-sample with Hart's condensed nearest neighbour rule.

    For each class to under-sample: the store starts with every minority sample and
    ``n_seeds_S`` random samples of the class; the class's samples are visited in input
    order and each one the store's ``n_neighbors``-nearest-neighbour vote misclassifies
    is added to the store. The class keeps the samples in the store; other classes are
    kept whole.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Which classes may lose samples: ``'majority'``, ``'not minority'``, ``'not
        majority'``, ``'all'`` or ``'auto'`` (= ``'not minority'``), a list of classes,
        or a callable ``y -> dict`` whose keys are the classes.
    random_state : int, RandomState or None, default=None
        Seed of the seeds' draw (the same seeds as imbalanced-learn for an int).
    n_neighbors : int, classifier or None, default=None
        Neighbours of the vote (None means 1), or the classifier that votes (e.g. a
        ``KNeighborsClassifier``; see the module notes).
    n_seeds_S : int, default=1
        Samples of the class the store starts with.
    n_jobs : int or None, default=None
        Threads of the searches (``None`` the library's default, ``-1`` every core, a
        positive number a cap; ``1``: one core, BLAS included) and of the
        ``KNeighborsClassifier`` made from an int ``n_neighbors``.

    Attributes
    ----------
    sample_indices_ : ndarray
        Kept rows, in input order.
    sampling_strategy_ : OrderedDict
        The classes under-sampled.
    estimators_ : list of classifiers
        For each class under-sampled, the classifier fitted on its final store.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.under_sampling import CondensedNearestNeighbour
    >>> X, y = make_classification(n_samples=500, weights=[0.8], class_sep=2, random_state=0)
    >>> X_res, y_res = CondensedNearestNeighbour(random_state=0).fit_resample(X, y)
    >>> Counter(y_res.tolist())[1] == Counter(y.tolist())[1] > Counter(y_res.tolist())[0]
    True
    """

    def _select_class(self, Xn, members, picks, minority, k, m, t) -> np.ndarray:
        seeds = np.unique(members[picks])
        S = Xn[members]
        n_s = len(members)
        # minority part of the store is fixed: each sample's k nearest minority distances
        kk = min(k, len(minority))
        dM2, _ = exact_kneighbors(Xn[minority], kk, S)
        dM2 = dM2 ** 2
        if kk < k:
            dM2 = np.pad(dM2, ((0, 0), (0, k - kk)), constant_values=np.inf)
        in_store = np.zeros(n_s, dtype=bool)
        in_store[np.searchsorted(members, seeds)] = True
        nS = np.einsum("ij,ij->i", S, S)
        # the store's class part, grown in place (its order does not matter to distances)
        buf = np.empty_like(S)
        nbuf = np.empty(n_s)
        size = 0

        def push(rows: np.ndarray) -> None:
            nonlocal size
            buf[size : size + len(rows)] = S[rows]
            nbuf[size : size + len(rows)] = nS[rows]
            size += len(rows)

        push(np.flatnonzero(in_store))
        for a in range(0, n_s, _WALK_BLOCK):
            b = min(n_s, a + _WALK_BLOCK)
            dT = _k_smallest_sq(S[a:b], buf[:size], nbuf[:size], k)
            added = []
            P = None
            pos = 0
            while pos < b - a:
                wrong = _wrong(dM2[a + pos : b], dT[pos:], k, m, t) & ~in_store[a + pos : b]
                hit = np.flatnonzero(wrong)
                if not len(hit):
                    break
                j = pos + int(hit[0])
                in_store[a + j] = True
                added.append(a + j)
                if P is None:
                    P = _sq_dist(S[a:b], S[a:b])
                rest = P[j + 1 :, j]
                if k == 1:
                    np.minimum(dT[j + 1 :, 0], rest, out=dT[j + 1 :, 0])
                else:
                    dT[j + 1 :] = np.sort(np.concatenate([dT[j + 1 :], rest[:, None]], axis=1),
                                          axis=1)[:, :k]
                pos = j + 1
            push(np.asarray(added, dtype=np.intp))
        return members[in_store]


    def _select_with(self, est, X, members, picks, minority, inverse) -> np.ndarray:
        store = list(np.concatenate([minority, np.unique(members[picks])]))
        in_store = set(store)
        est.fit(X[store], inverse[store])
        for row in members:
            if row in in_store:
                continue
            if est.predict(X[row : row + 1])[0] != inverse[row]:
                store.append(row)
                in_store.add(row)
                est.fit(X[store], inverse[store])
        return np.intersect1d(members, np.asarray(store, dtype=np.intp))


class OneSidedSelection(_PrototypeSelection):
    """Under-sample with one-sided selection: a one-shot condensing, then Tomek links.

    For each class to under-sample, the store holds every minority sample and
    ``n_seeds_S`` random samples of the class; the class keeps its seeds and the samples
    the store's ``n_neighbors``-nearest-neighbour vote misclassifies. Tomek links among
    the kept samples then remove their members from the classes being under-sampled.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Which classes may lose samples: ``'majority'``, ``'not minority'``, ``'not
        majority'``, ``'all'`` or ``'auto'`` (= ``'not minority'``), a list of classes,
        or a callable ``y -> dict`` whose keys are the classes.
    random_state : int, RandomState or None, default=None
        Seed of the seeds' draw (the same seeds as imbalanced-learn for an int).
    n_neighbors : int, classifier or None, default=None
        Neighbours of the vote (None means 1), or the classifier that votes (e.g. a
        ``KNeighborsClassifier``; see the module notes).
    n_seeds_S : int, default=1
        Samples of the class the store starts with.
    n_jobs : int or None, default=None
        Threads of the searches (``None`` the library's default, ``-1`` every core, a
        positive number a cap; ``1``: one core, BLAS included) and of the
        ``KNeighborsClassifier`` made from an int ``n_neighbors``.

    Attributes
    ----------
    sample_indices_ : ndarray
        Kept rows, in input order.
    sampling_strategy_ : OrderedDict
        The classes under-sampled.
    estimators_ : list of classifiers
        For each class under-sampled, the classifier fitted on its final store.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.under_sampling import OneSidedSelection
    >>> X, y = make_classification(n_samples=500, weights=[0.8], random_state=0)
    >>> X_res, y_res = OneSidedSelection(random_state=0).fit_resample(X, y)
    >>> Counter(y_res.tolist())[0] < Counter(y.tolist())[0]
    True
    """

    def _select_class(self, Xn, members, picks, minority, k, m, t) -> np.ndarray:
        seeds = members[picks]
        rest = np.delete(members, np.unique(picks))
        if not len(rest):
            return np.unique(seeds)
        store = np.concatenate([minority, seeds])
        label = np.where(np.arange(len(store)) < len(minority), m, t)
        _, nn = exact_kneighbors(Xn[store], min(k, len(store)), Xn[rest])
        votes = label[nn]
        wrong = _outvoted(np.count_nonzero(votes == t, axis=1), votes.shape[1], m, t)
        return np.unique(np.concatenate([seeds, rest[wrong]]))

    def _select_with(self, est, X, members, picks, minority, inverse) -> np.ndarray:
        seeds = members[picks]
        rest = np.delete(members, np.unique(picks))
        if not len(rest):
            return np.unique(seeds)
        store = np.concatenate([minority, seeds])
        wrong = est.fit(X[store], inverse[store]).predict(X[rest]) != inverse[rest]
        return np.unique(np.concatenate([seeds, rest[wrong]]))

    def _store_rows(self, chosen, members, picks) -> np.ndarray:
        return members[picks]  # OSS classifies once, with the initial store

    def _finish(self, Xn, inverse, kept, plan) -> np.ndarray:
        labels = inverse[kept]
        if len(np.unique(labels)) < 2:
            return kept
        link = tomek_link_mask(Xn[kept], labels)
        return kept[~(link & plan.in_plan(labels))]
