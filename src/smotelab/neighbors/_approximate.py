"""Approximate nearest neighbours that measure and report their own recall.

Opt-in only: every sampler searches exactly unless given this object (in place of an
int ``k_neighbors`` / ``n_neighbors``). In 20 or more full-rank dimensions no exact
index beats a full scan, so a cleaner on a million balanced rows costs about ``n**2``
distances (tens of minutes here); this search trades a measured loss of recall for
about ``n_cells / n_probe`` times less work.

The method is an inverted file (Jegou, Douze and Schmid, 2011; faiss's ``IVF-Flat``):

1. ``fit`` runs a few k-means iterations on a sample of the rows to place ``n_cells``
   centres, and files every row under its nearest centre.
2. Each query looks only in the ``n_probe`` cells whose centres are nearest: one float32
   matrix product per cell, the ``k`` best kept. The distances of the final ``k`` are
   recomputed in float64 from the rows' differences and sorted (ties by row index).
3. A random sample of the queries (``recall_sample`` of them) is also searched exactly;
   ``recall_`` is the fraction of their true ``k`` nearest that were found. A neighbour
   returned counts as found when it is no farther than the true ``k``-th, so a tie with
   another row at the same distance is not a miss. ``recall_`` covers every query made
   since ``fit``; ``min_recall`` turns a low estimate into an error.

>>> import numpy as np
>>> X = np.random.default_rng(0).normal(size=(2000, 8))
>>> nn = ApproximateNeighbors(n_neighbors=4, n_cells=20, n_probe=20).fit(X)
>>> dist, ind = nn.kneighbors(X[:5])
>>> ind[:, 0].tolist()                        # each row is its own nearest here
[0, 1, 2, 3, 4]
>>> nn.recall_                                # every cell probed: all found
1.0
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state

from ..exceptions import DataValidationError, LowRecallError
from ..utils._blas import single_threaded_blas
from ..utils._compat import Interval
from ..utils._validation import check_finite
from ._backends import ExactNeighbors
from ._exact import _n_workers, exact_kneighbors
from ._tiling import _centred32

__all__ = ["ApproximateNeighbors"]

# Rows per centre in the k-means sample, and its Lloyd iterations.
_TRAIN_PER_CELL = 32
_TRAIN_ITER = 10
# Largest float32 block of distances computed at once (elements), and queries handled
# together (their cell lists are sorted at once; a worker thread takes whole chunks).
_BLOCK = 1 << 20
_CHUNK = 1 << 16


class ApproximateNeighbors(BaseEstimator):
    """Approximate k-nearest neighbours (an inverted file) that report their recall.

    Pass it wherever a sampler takes a neighbours object, e.g.
    ``EditedNearestNeighbours(n_neighbors=ApproximateNeighbors(n_neighbors=4))``. As with
    any neighbours object there (and in imbalanced-learn), ``n_neighbors`` counts the
    sample itself: 4 gives ENN's 3 voting neighbours, 6 SMOTE's 5. The sampler's ``nn_``
    (or ``nn_k_``, ``nn_m_``) then exposes ``recall_``.

    Parameters
    ----------
    n_neighbors : int, default=5
        Neighbours returned by :meth:`kneighbors` when it is not told otherwise.
    n_cells : int or None, default=None
        Number of k-means cells the rows are filed under; ``None`` takes
        ``round(sqrt(n_samples))``.
    n_probe : int, default=16
        Cells searched per query, nearest centres first. More is slower and finds more
        (all cells: every neighbour, at more than the cost of a full scan).
    recall_sample : int, default=1000
        Queries per call that are also searched exactly to measure the recall (all of
        them when there are fewer). Each costs one exact query against every row.
    min_recall : float or None, default=None
        Raise :class:`LowRecallError` when the measured recall is below this.
    random_state : int, RandomState instance or None, default=0
        Seeds the k-means sample and start and the queries checked for recall.

    Attributes
    ----------
    recall_ : float
        Fraction of the true nearest neighbours found, on the queries checked since
        ``fit`` (1.0 before any query).
    n_recall_queries_ : int
        Number of queries checked.
    n_cells_ : int
        Number of cells used.
    n_samples_fit_ : int
        Number of rows fitted.

    Notes
    -----
    Distances are true Euclidean distances of the neighbours returned; the returned set
    may miss some true neighbours (that is what ``recall_`` measures), never returns a
    row twice, and, on the fitted rows (``kneighbors()`` without ``X``), never returns the
    row itself.
    """

    _parameter_constraints: ClassVar[dict] = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "n_cells": [Interval(Integral, 1, None, closed="left"), None],
        "n_probe": [Interval(Integral, 1, None, closed="left")],
        "recall_sample": [Interval(Integral, 1, None, closed="left")],
        "min_recall": [Interval(Real, 0, 1, closed="both"), None],
        "random_state": ["random_state"],
    }

    def __init__(self, n_neighbors=5, *, n_cells=None, n_probe=16, recall_sample=1000,
                 min_recall=None, random_state=0):
        self.n_neighbors = n_neighbors
        self.n_cells = n_cells
        self.n_probe = n_probe
        self.recall_sample = recall_sample
        self.min_recall = min_recall
        self.random_state = random_state

    # -- fitting -----------------------------------------------------------------

    def fit(self, X: Any, y: Any = None) -> ApproximateNeighbors:
        """Place the cells' centres and file every row of ``X`` under its nearest."""
        self._validate_params()
        X = _dense_float(X, "fit")
        n, d = X.shape
        if n == 0:
            raise DataValidationError("ApproximateNeighbors.fit needs at least one row.")
        rng = check_random_state(self.random_state)
        self._X = X
        self._mu = X.mean(axis=0, dtype=np.float64)
        Xc = _centred32(X, self._mu)
        n_cells = round(math.sqrt(n)) if self.n_cells is None else int(self.n_cells)
        n_cells = max(1, min(n_cells, n))
        C = _kmeans(Xc, n_cells, rng)
        cell = _nearest(Xc, C, 1)[:, 0]
        order = np.argsort(cell, kind="stable")
        self._starts = np.concatenate(([0], np.cumsum(np.bincount(cell, minlength=len(C)))))
        self._order = order
        self._where = np.empty(n, dtype=np.intp)  # position of each row in the filed order
        self._where[order] = np.arange(n)
        # rows filed by cell as [x - mu, |x - mu|^2]: against queries [-2 (q - mu), 1] one
        # product gives |x|^2 - 2 q.x, the squared distance less the query's constant
        self._Xs = np.empty((n, d + 1), dtype=np.float32)
        self._Xs[:, :d] = Xc[order]
        del Xc
        self._Xs[:, d] = np.einsum("ij,ij->i", self._Xs[:, :d], self._Xs[:, :d])
        self._C = C
        self.n_cells_ = len(C)
        self.n_samples_fit_ = n
        self.n_features_in_ = d
        self._rng = rng
        self._found = 0
        self._asked = 0
        self.recall_ = 1.0
        self.n_recall_queries_ = 0
        return self

    # -- queries -----------------------------------------------------------------

    def kneighbors(self, X: Any = None, n_neighbors: int | None = None,
                   return_distance: bool = True) -> Any:
        """The (approximately) nearest fitted rows of each row of ``X``.

        With ``X=None`` the queries are the fitted rows, and a row is never its own
        neighbour (excluded by index), as in scikit-learn.
        """
        self._check_fitted()
        if X is None:
            dist, ind = self.kneighbors_rows(np.arange(self.n_samples_fit_), n_neighbors)
        else:
            Q = _dense_float(X, "kneighbors")
            if Q.shape[1] != self.n_features_in_:
                raise DataValidationError(
                    f"X has {Q.shape[1]} features but ApproximateNeighbors was fitted on "
                    f"{self.n_features_in_}."
                )
            k = self._k(n_neighbors, self.n_samples_fit_)
            dist, ind = self._query(Q, None, k)
        return (dist, ind) if return_distance else ind

    def kneighbors_rows(self, rows: Any, n_neighbors: int | None = None
                        ) -> tuple[np.ndarray, np.ndarray]:
        """Neighbours of the fitted rows ``rows``, each excluded from its own (by index)."""
        self._check_fitted()
        rows = np.asarray(rows, dtype=np.intp)
        k = self._k(n_neighbors, self.n_samples_fit_ - 1)
        n = self.n_samples_fit_
        every = len(rows) == n and (n == 0 or (rows[0] == 0 and (np.diff(rows) == 1).all()))
        return self._query(self._X if every else self._X[rows], rows, k)

    def _k(self, n_neighbors: int | None, available: int) -> int:
        k = self.n_neighbors if n_neighbors is None else int(n_neighbors)
        if not 1 <= k <= available:
            raise ValueError(f"n_neighbors={k} requested but only {available} are available.")
        return k

    def _check_fitted(self) -> None:
        if not hasattr(self, "_X"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("ApproximateNeighbors is not fitted yet; call fit(X) first.")

    def _query(self, Q: np.ndarray, rows: np.ndarray | None, k: int) -> tuple:
        nq = len(Q)
        if nq == 0:
            return np.empty((0, k)), np.empty((0, k), dtype=np.intp)
        p = min(int(self.n_probe), self.n_cells_)
        best_d = np.full((nq, k), np.inf, dtype=np.float32)
        best_i = np.full((nq, k), -1, dtype=np.intp)
        own = None if rows is None else self._where[rows]
        work = nq * p * (self.n_samples_fit_ // self.n_cells_ + 1) * (self.n_features_in_ + 1)
        chunks = range(0, nq, _CHUNK)

        def scan(a: int) -> None:
            b = min(nq, a + _CHUNK)
            Qc = _centred32(Q[a:b], self._mu, extra=1)
            probes = _nearest(Qc[:, :-1], self._C, p)
            Qc[:, :-1] *= np.float32(-2.0)
            Qc[:, -1] = 1.0
            self._scan(Qc, probes, None if own is None else own[a:b], best_d[a:b],
                       best_i[a:b])

        workers = min(_n_workers(work), len(chunks))
        if workers == 1:
            for a in chunks:
                scan(a)
        else:
            with single_threaded_blas(), ThreadPoolExecutor(workers) as pool:
                list(pool.map(scan, chunks))
        short = np.flatnonzero((best_i < 0).any(axis=1))
        ind = self._order[np.maximum(best_i, 0)]
        if len(short):  # the probed cells held fewer than k rows: search those exactly
            ind[short] = self._exact(Q[short], None if rows is None else rows[short], k)[1]
        dist, ind = _sorted_exact(Q, self._X, ind)
        self._measure(Q, rows, k, dist)
        return dist, ind

    def _scan(self, Qm2: np.ndarray, probes: np.ndarray, own: np.ndarray | None,
              best_d: np.ndarray, best_i: np.ndarray) -> None:
        """Search the probed cells of these queries, keeping the ``k`` best (in place).

        Each query's nearest cell comes first and fills its ``k`` best; in the other
        cells only the values below its current ``k``-th are candidates, which a
        comparison finds without partitioning the block's rows.
        """
        for rank in (0, 1):
            flat = probes[:, 0] if rank == 0 else probes[:, 1:].ravel()
            width = 1 if rank == 0 else probes.shape[1] - 1
            if not len(flat):
                break
            by_cell = np.argsort(flat, kind="stable")
            qof = by_cell // width
            edges = np.searchsorted(flat[by_cell], np.arange(self.n_cells_ + 1))
            for j in np.flatnonzero(np.diff(edges)):  # a loop over cells, not samples
                a0, a1 = self._starts[j], self._starts[j + 1]
                s = a1 - a0
                if s == 0:
                    continue
                queries = qof[edges[j] : edges[j + 1]]
                step = max(1, _BLOCK // s)
                for b in range(0, len(queries), step):
                    qs = queries[b : b + step]
                    D = Qm2[qs] @ self._Xs[a0:a1].T
                    if own is not None:
                        at = np.flatnonzero((own[qs] >= a0) & (own[qs] < a1))
                        D[at, own[qs[at]] - a0] = np.inf
                    if rank == 0:  # the best start as the k smallest (ties included)
                        kk = min(best_d.shape[1], s)
                        thr = np.partition(D, kk - 1, axis=1)[:, kk - 1]
                        _merge(D, D <= thr[:, None], qs, a0, best_d, best_i)
                    else:
                        below = D < best_d[qs, -1][:, None]
                        _merge(D, below, qs, a0, best_d, best_i)
        # the query's own row (set to inf) may have been kept when a cell was short
        best_i[~np.isfinite(best_d)] = -1

    def _exact(self, Q: np.ndarray, rows: np.ndarray | None, k: int) -> tuple:
        """The exact answer for these queries (for fitted ``rows``: never the row itself)."""
        if rows is None:
            return exact_kneighbors(self._X, k, Q)
        return ExactNeighbors(k).fit(self._X).kneighbors_rows(rows, k)

    def _measure(self, Q: np.ndarray, rows: np.ndarray | None, k: int, dist: np.ndarray
                 ) -> None:
        """Check a random sample of the queries exactly and update ``recall_``."""
        nq = len(Q)
        m = min(nq, int(self.recall_sample))
        pick = np.sort(self._rng.choice(nq, m, replace=False)) if m < nq else np.arange(nq)
        true_d, _ = self._exact(Q[pick], None if rows is None else rows[pick], k)
        kth = true_d[:, -1:]
        found = np.minimum(np.count_nonzero(dist[pick] <= kth * (1 + 1e-12), axis=1), k)
        self._found += int(found.sum())
        self._asked += m * k
        self.recall_ = self._found / self._asked
        self.n_recall_queries_ += m
        if self.min_recall is not None and self.recall_ < self.min_recall:
            raise LowRecallError(
                f"ApproximateNeighbors found {self.recall_:.3f} of the true nearest "
                f"neighbours on {self.n_recall_queries_} checked queries, below "
                f"min_recall={self.min_recall}. Raise n_probe (now {self.n_probe}, of "
                f"{self.n_cells_} cells) or use the exact search (an int)."
            )


def _merge(D: np.ndarray, mask: np.ndarray, qs: np.ndarray, a0: int, best_d: np.ndarray,
           best_i: np.ndarray) -> None:
    """Merge the values of ``D`` where ``mask`` holds into the best of queries ``qs``."""
    k = best_d.shape[1]
    pos = np.flatnonzero(mask)  # row-major: grouped by row already
    if not len(pos):
        return
    r, c = np.divmod(pos, D.shape[1])
    first = np.flatnonzero(np.diff(r, prepend=-1))
    hit = r[first]
    q = qs[hit]
    # each hit row's current best, then its new candidates, sorted by value within row
    row = np.concatenate((np.repeat(np.arange(len(hit)), k),
                          np.repeat(np.arange(len(hit)), np.diff(np.append(first, len(r))))))
    val = np.concatenate((best_d[q].ravel(), D.ravel()[pos]))
    idx = np.concatenate((best_i[q].ravel(), c + a0))
    order = np.lexsort((val, row))
    start = np.searchsorted(row[order], np.arange(len(hit)))
    take = order[start[:, None] + np.arange(k)]  # every row has at least its k best
    best_d[q] = val[take]
    best_i[q] = idx[take]


def _dense_float(X: Any, where: str) -> np.ndarray:
    if sp.issparse(X):
        raise TypeError(f"ApproximateNeighbors.{where} takes dense arrays only; "
                        "use the exact search (an int) for sparse data.")
    X = np.asarray(X)
    if X.ndim != 2:
        raise DataValidationError(f"ApproximateNeighbors.{where} needs a 2-d array; got "
                                  f"{X.ndim} dimension(s).")
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    check_finite(X)
    return X


def _nearest(Qc: np.ndarray, C: np.ndarray, p: int) -> np.ndarray:
    """The ``p`` centres nearest to each row of ``Qc`` (float32 products), nearest first."""
    nC = np.einsum("ij,ij->i", C, C)
    out = np.empty((len(Qc), p), dtype=np.intp)
    step = max(1, _BLOCK // max(1, len(C)))
    for a in range(0, len(Qc), step):
        D = Qc[a : a + step] @ C.T
        D *= np.float32(-2.0)
        D += nC
        out[a : a + step] = _smallest(D, p)
    return out


def _smallest(D: np.ndarray, p: int) -> np.ndarray:
    """Columns of the ``p`` smallest values of each row of ``D``, the smallest first.

    The rest are in no particular order. A value partition and a comparison find them
    (several times faster than ``argpartition``); rows with ties at the ``p``-th value
    take ``argpartition``'s choice.
    """
    nearest = D.argmin(axis=1)
    if p == 1:
        return nearest[:, None]
    if p >= D.shape[1]:
        part = np.tile(np.arange(D.shape[1]), (len(D), 1))
    else:
        thr = np.partition(D, p - 1, axis=1)[:, p - 1]
        mask = D <= thr[:, None]
        tied = np.flatnonzero(np.count_nonzero(mask, axis=1) != p)
        mask[tied] = False
        mask[tied[:, None], np.argpartition(D[tied], p - 1, axis=1)[:, :p]] = True
        part = (np.flatnonzero(mask) % D.shape[1]).reshape(len(D), p)
    # the nearest goes to the first column (swapped with whatever stood there)
    at = np.argmax(part == nearest[:, None], axis=1)
    rows = np.arange(len(D))
    part[rows, at] = part[:, 0]
    part[:, 0] = nearest
    return part


def _kmeans(Xc: np.ndarray, n_cells: int, rng: np.random.RandomState) -> np.ndarray:
    """``n_cells`` centres by Lloyd's iterations on a sample, started from sample rows."""
    n = len(Xc)
    m = min(n, n_cells * _TRAIN_PER_CELL)
    S = Xc[np.sort(rng.choice(n, m, replace=False))] if m < n else Xc
    if n_cells == 1:
        return S.mean(axis=0, dtype=np.float64, keepdims=True).astype(np.float32)
    C = S[np.sort(rng.choice(m, n_cells, replace=False))].astype(np.float32)
    for _ in range(_TRAIN_ITER):
        assign = _nearest(S, C, 1)[:, 0]
        counts = np.bincount(assign, minlength=n_cells)
        sums = np.stack([np.bincount(assign, weights=S[:, c], minlength=n_cells)
                         for c in range(S.shape[1])], axis=1)  # a loop over features
        filled = counts > 0  # an empty cell keeps its centre
        C[filled] = (sums[filled] / counts[filled, None]).astype(np.float32)
    return C


def _sorted_exact(Q: np.ndarray, X: np.ndarray, ind: np.ndarray) -> tuple:
    """float64 distances of ``Q``'s rows to ``X[ind]``, each row sorted by (distance, index)."""
    nq, k = ind.shape
    dist = np.empty((nq, k))
    step = max(1, (1 << 18) // max(1, k * X.shape[1]))
    for a in range(0, nq, step):
        diff = np.subtract(Q[a : a + step, None, :], X[ind[a : a + step]], dtype=np.float64)
        dist[a : a + step] = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    by_ind = np.argsort(ind, axis=1, kind="stable")
    ind = np.take_along_axis(ind, by_ind, axis=1)
    dist = np.take_along_axis(dist, by_ind, axis=1)
    by_dist = np.argsort(dist, axis=1, kind="stable")
    return np.take_along_axis(dist, by_dist, axis=1), np.take_along_axis(ind, by_dist, axis=1)
