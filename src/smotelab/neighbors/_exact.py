"""Exact k-nearest-neighbour search: a float32 matrix-product filter, a float64 decision.

The contract (see :mod:`smotelab.neighbors`): for every query, the ``k`` reference rows
with the smallest true Euclidean distance, sorted ascending, ties broken by the smaller
row index; when the queries *are* the reference set, a row is never its own neighbour
(excluded by index, so duplicates of a row still count as neighbours at distance 0).

How it stays exact while doing the heavy work in float32
--------------------------------------------------------
Squared distances are computed block by block as ``|r|^2 - 2 q.r`` with one float32
matrix product (the ``|q|^2`` term is constant per query and dropped). Each value is off
from the true value by at most ``B = (d + 12) * u * 1.01 * (|q|^2 + 2 max|r|^2)`` (``u``
the float32 unit round-off; the data are centred first so the norms are small): the
standard forward error bound ``gamma_K * sum|x_i y_i|`` of a dot product of ``K = d + 2``
terms, whose absolute products add up to at most ``|q|^2 + 2|r|^2``, plus the rounding of
the inputs to float32. It holds whatever order the BLAS sums in.

1. A deterministic subset ``S`` of reference rows gives each query an upper bound of its
   k-th distance (the k-th smallest over a subset is never smaller than over all rows).
2. A pass over all reference rows keeps every row whose float32 value is within that
   bound plus the error bounds: a small candidate set (about ``k * n / |S|`` rows) that
   provably holds every true neighbour, ties included. The bound goes into the product
   itself (one more column: ``|r|^2 - 2 q.r - bound``), so the test is a sign test, and
   the sign mask is scanned eight bytes at a time.
3. Among the candidates, the k-th smallest float32 value ``T`` tightens the filter to
   ``T`` plus twice their error bound; the survivors (usually exactly ``k``) get their distance recomputed in
   float64 from the differences of the original rows, and are sorted by (distance, index).

Sparse input follows the same steps with a float64 sparse product as the filter.

A dense self-search of at least ``_SYMMETRIC_MIN`` rows makes each pair's product once
and lets it serve both rows (:func:`_search_symmetric`): half the matrix products,
the same answer.

>>> import numpy as np
>>> X = np.array([[0.0], [1.0], [1.0], [3.0], [10.0]])
>>> dist, ind = exact_kneighbors(X, 2)
>>> ind.tolist()
[[1, 2], [2, 0], [1, 0], [1, 2], [3, 1]]
>>> dist[1].tolist()
[0.0, 1.0]
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import numpy as np
import scipy.sparse as sp

from smotelab.utils._blas import single_threaded_blas
from smotelab.utils._subsets import evenly_spaced
from smotelab.utils._threads import available_cores, max_threads

__all__ = ["exact_kneighbors"]

_U32 = float(np.finfo(np.float32).eps) / 2
_U64 = float(np.finfo(np.float64).eps) / 2
# Tile of the distance matrix handled at once: small enough to stay in cache.
_ROW_BLOCK = 256
_COL_BLOCK = 4096
# Size of the subset that bounds each query's k-th distance, as a multiple of sqrt(k n):
# it balances the subset's own cost against the candidates it lets through (~k n / s);
# 6 measured best from 2k to 300k reference rows (3 and 10 cost 5-15 % more).
_SUBSET_FACTOR = 6.0
# Self-searches from this many rows on compute each pair once (``_search_symmetric``);
# below, its bookkeeping costs more than the products it saves.
_SYMMETRIC_MIN = 16384
# Row blocks per band of the symmetric search (see ``_search_symmetric``).
_BAND_BLOCKS = 24
# Waiting candidates of the symmetric search are pruned from this many on (and from
# this many per row and neighbour).
_PRUNE_MIN = 1 << 22
_PRUNE_PER_ROW = 4
# Groups of the subset per neighbour asked for (see ``_search_symmetric``'s bound).
_GROUPS_PER_K = 4
# The symmetric search's subset is larger: its groups' minima cost little next to a
# partition, and each candidate it saves costs far more than a subset column.
_SYMMETRIC_SUBSET_FACTOR = 12.0


def exact_kneighbors(
    R: np.ndarray | sp.spmatrix,
    k: int,
    Q: np.ndarray | sp.spmatrix | None = None,
    *,
    R_rows: np.ndarray | None = None,
    Q_rows: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest reference rows of each query row, exactly.

    Parameters
    ----------
    R : ndarray or sparse matrix of shape (n_ref, d)
        Reference rows.
    k : int
        Number of neighbours.
    Q : ndarray or sparse matrix of shape (n_query, d), default=None
        Query rows. ``None`` means the reference rows themselves, each excluded from
        its own neighbours by index.
    R_rows, Q_rows : ndarray of int, default=None
        Search ``R[R_rows]`` and ask for ``Q[Q_rows]`` (``Q_rows`` needs ``Q``), as if
        those were passed, without copying them (dense rows are read block by block).

    Returns
    -------
    dist : ndarray of shape (n_query, k), float64
        True Euclidean distances, ascending.
    ind : ndarray of shape (n_query, k), intp
        Row indices into ``R`` (positions in ``R_rows`` when given); ties are broken by
        the smaller index.
    """
    self_query = Q is None
    if self_query and Q_rows is not None:
        raise ValueError("Q_rows needs Q: pass the rows' array as Q as well.")
    n_ref = R.shape[0] if R_rows is None else len(R_rows)
    available = n_ref - 1 if self_query else n_ref
    if not 1 <= k <= available:
        raise ValueError(f"k={k} neighbours requested but only {available} are available.")
    scale = _power_of_two_scale(R, Q)
    if scale != 1.0:
        return _rescaled_search(R, k, Q, R_rows, Q_rows, scale)
    if sp.issparse(R) or (Q is not None and sp.issparse(Q)):
        R = R if R_rows is None else R[R_rows]
        Q = Q if Q is None or Q_rows is None else Q[Q_rows]
        return _search(_SparseFilter(R, Q), k, self_query)
    F = _DenseFilter(R, Q, R_rows, Q_rows)
    if self_query and n_ref >= _SYMMETRIC_MIN:
        return _search_symmetric(F, k)
    return _search(F, k, self_query)


class _DenseFilter:
    """float32 matrix-product filter over dense rows."""

    def __init__(self, R: np.ndarray, Q: np.ndarray | None, R_rows: np.ndarray | None = None,
                 Q_rows: np.ndarray | None = None) -> None:
        # float32 data stay float32 (no float64 copy); the float64 decision upcasts the
        # few candidate rows it needs. Row subsets stay indices into the caller's arrays.
        R64 = _float(R)
        Q64 = R64 if Q is None else _float(Q)
        if Q is None:
            Q_rows = R_rows
        self.R_rows = None if R_rows is None else np.asarray(R_rows, dtype=np.intp)
        self.Q_rows = None if Q_rows is None else np.asarray(Q_rows, dtype=np.intp)
        mu = _mean(R64, self.R_rows)
        self.R64, self.Q64 = R64, Q64
        d = R64.shape[1]
        # References as rows [r - mu, |r - mu|^2, 1] and queries as [-2 (q - mu), 1, 0]:
        # one product gives |r|^2 - 2 q.r directly (centred), and the last column (0
        # here, minus the threshold in the filtering pass) pairs with the ones. Written
        # straight into float32 buffers: no float64 temporaries of the data's size.
        self.Ra = _augmented(R64, mu, last=1.0, rows=self.R_rows)
        Rc = self.Ra[:, :d]
        self.nR = np.einsum("ij,ij->i", Rc, Rc, dtype=np.float64)
        self.Ra[:, d] = self.nR
        if Q is None:
            self.nQ = self.nR
            self.Qa = np.empty_like(self.Ra)
            np.multiply(Rc, np.float32(-2.0), out=self.Qa[:, :d])
        else:
            self.Qa = _augmented(Q64, mu, last=0.0, rows=self.Q_rows)
            Qc = self.Qa[:, :d]
            self.nQ = np.einsum("ij,ij->i", Qc, Qc, dtype=np.float64)
            self.Qa[:, :d] *= np.float32(-2.0)
        self.Qa[:, d] = 1.0
        self.Qa[:, d + 1] = 0.0
        self.bound_coef = (d + 12) * _U32 * 1.01
        self.width = d + 2
        self.dtype = np.float32
        self.n_query, self.n_ref = len(self.Qa), len(self.Ra)
        self.col_block = _COL_BLOCK
        self.folds = True

    def block(self, rows: slice, cols: np.ndarray | slice, out: np.ndarray | None = None
              ) -> np.ndarray:
        return np.matmul(self.Qa[rows], self.Ra[cols].T, out=out)

    def folded(self, rows: slice, thr: np.ndarray) -> np.ndarray:
        """Query rows whose product with a reference column is ``value - thr``."""
        Qf = self.Qa[rows].copy()
        Qf[:, -1] = -thr
        return Qf

    def exact_sq(self, qi: np.ndarray, rj: np.ndarray) -> np.ndarray:
        out = np.empty(len(qi))
        step = 1 << 16
        if self.Q_rows is not None:
            qi = self.Q_rows[qi]
        if self.R_rows is not None:
            rj = self.R_rows[rj]
        for a in range(0, len(qi), step):
            diff = np.subtract(self.Q64[qi[a : a + step]], self.R64[rj[a : a + step]],
                               dtype=np.float64)
            out[a : a + step] = np.einsum("ij,ij->i", diff, diff)
        return out


def _float(X: np.ndarray) -> np.ndarray:
    """``X`` as float32 or float64 (other dtypes become float64), without copying floats."""
    X = np.asarray(X)
    return X if X.dtype in (np.float32, np.float64) else X.astype(np.float64)


def _mean(X: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """Column means of ``X[rows]`` in float64, gathering a block at a time."""
    if rows is None:
        return X.mean(axis=0, dtype=np.float64)
    total = np.zeros(X.shape[1])
    step = 1 << 15
    for a in range(0, len(rows), step):
        total += X[rows[a : a + step]].sum(axis=0, dtype=np.float64)
    return total / max(len(rows), 1)


def _centred32(X: np.ndarray, mu: np.ndarray, extra: int = 0,
               rows: np.ndarray | None = None) -> np.ndarray:
    """float32 ``X - mu`` (or ``X[rows] - mu``) with ``extra`` more columns, left unset.

    Written a block at a time: no float64 temporary of the data's size.
    """
    n = X.shape[0] if rows is None else len(rows)
    d = X.shape[1]
    out = np.empty((n, d + extra), dtype=np.float32)
    step = 1 << 15
    for a in range(0, n, step):
        block = X[a : a + step] if rows is None else X[rows[a : a + step]]
        np.subtract(block, mu, out=out[a : a + step, :d], casting="unsafe")
    return out


def _augmented(X: np.ndarray, mu: np.ndarray, last: float, rows: np.ndarray | None = None
               ) -> np.ndarray:
    """float32 rows ``[x - mu, 0, last]`` of ``X`` (or ``X[rows]``)."""
    out = _centred32(X, mu, extra=2, rows=rows)
    d = X.shape[1]
    out[:, d] = 0.0
    out[:, d + 1] = last
    return out


class _SparseFilter:
    """float64 sparse-product filter over sparse rows."""

    def __init__(self, R: sp.spmatrix, Q: sp.spmatrix | None) -> None:
        self.R = sp.csr_matrix(R, dtype=np.float64)
        self.Q = self.R if Q is None else sp.csr_matrix(Q, dtype=np.float64)
        self.nR = np.asarray(self.R.multiply(self.R).sum(axis=1)).ravel()
        self.nQ = self.nR if Q is None else np.asarray(self.Q.multiply(self.Q).sum(axis=1)).ravel()
        self.RT = self.R.T.tocsc()
        self.bound_coef = (self.R.shape[1] + 12) * _U64 * 1.01
        self.width = max(1, self.R.nnz // max(self.R.shape[0], 1))
        self.folds = False
        self.dtype = np.float64
        self.n_query, self.n_ref = self.Q.shape[0], self.R.shape[0]
        self.col_block = self.n_ref

    def block(self, rows: slice, cols: np.ndarray | slice, out: np.ndarray | None = None
              ) -> np.ndarray:
        G = (self.Q[rows] @ self.RT[:, cols]).toarray()
        G *= -2.0
        G += self.nR[cols]
        return G

    def exact_sq(self, qi: np.ndarray, rj: np.ndarray) -> np.ndarray:
        out = np.empty(len(qi))
        step = 1 << 14
        for a in range(0, len(qi), step):
            diff = self.Q[qi[a : a + step]] - self.R[rj[a : a + step]]
            out[a : a + step] = np.asarray(diff.multiply(diff).sum(axis=1)).ravel()
        return out


def _round_up(thr: np.ndarray, dtype: Any) -> np.ndarray:
    """Cast thresholds to the filter dtype without ever rounding them down."""
    t: np.ndarray = thr.astype(dtype)
    return np.where(t < thr, np.nextafter(t, dtype(np.inf)), t)


def _round_down(x: np.ndarray, dtype: Any) -> np.ndarray:
    """Cast to ``dtype`` without ever rounding up."""
    t: np.ndarray = x.astype(dtype)
    return np.where(t > x, np.nextafter(t, dtype(-np.inf)), t)


def _search(F: _DenseFilter | _SparseFilter, k: int, self_query: bool) -> tuple:
    n_q, n_r = F.n_query, F.n_ref
    out_ind = np.empty((n_q, k), dtype=np.intp)
    out_dist = np.empty((n_q, k), dtype=np.float64)
    # sum of |x_i y_i| of each product is at most |q|^2 + 2|r|^2 (see the module notes)
    scale = F.nQ + 2 * F.nR.max()
    bound = F.bound_coef * scale
    s = min(n_r, max(256, int(_SUBSET_FACTOR * math.sqrt(k * n_r))))
    subset = evenly_spaced(n_r, s)
    row_block = _ROW_BLOCK
    if isinstance(F, _SparseFilter):
        row_block = max(1, min(_ROW_BLOCK, (1 << 22) // max(n_r, 1)))
    starts = range(0, n_q, row_block)
    # Tile buffers, one pair per worker thread, reused by every block it handles: fresh
    # multi-megabyte allocations cost page faults each time.
    local = threading.local()

    def buffers(nb: int, col_block: int, fold: bool) -> tuple:
        # Flat buffers: a tile of any shape (nb, w) is a contiguous view of their start.
        key = (col_block, fold)
        if getattr(local, "key", None) != key:
            size = min(row_block, n_q) * col_block
            local.tile = np.empty(size, F.dtype) if fold else None
            local.mask = np.empty(size, dtype=bool)
            local.key = key
        return local.tile, local.mask

    def run(a: int) -> None:
        b = min(n_q, a + row_block)
        nb = b - a
        rows = np.arange(a, b)
        B = bound[a:b]
        # 1. an upper bound of each query's k-th value from the subset
        whole = len(subset) == n_r  # small reference set: one block serves both passes
        first = F.block(slice(a, b), slice(0, n_r) if whole else subset)
        DS = first.copy() if whole else first
        if self_query:
            pos = np.minimum(np.searchsorted(subset, rows), len(subset) - 1)
            hit = subset[pos] == rows
            DS[np.flatnonzero(hit), pos[hit]] = np.inf
        DS.partition(k - 1, axis=1)
        # exact k-th value <= subset's k-th exact value <= computed + B
        kth = DS[:, k - 1].astype(np.float64) + B
        fold = F.folds and not whole
        if fold:
            # The filtering pass computes value - thr in one product: its terms' absolute
            # values now add up to at most scale + |thr|, hence its own bound Bf.
            Bf = F.bound_coef * 1.01 * (scale[a:b] + np.abs(kth) + 2 * B)
            thr = _round_up(kth + Bf, F.dtype)
            Bv = F.bound_coef * (scale[a:b] + np.abs(thr))
            Qf = cast(_DenseFilter, F).folded(slice(a, b), thr)  # only dense filters fold
        else:
            thr = _round_up(kth + B, F.dtype)
            Bv = B
        # 2. every reference row under that bound, tile by tile
        cand_r, cand_c, cand_v = [], [], []
        # Smaller reference sets get narrower tiles: buffers touched for the first
        # time cost page faults, which dominate small searches.
        col_block = n_r if whole else min(F.col_block, max(1024, n_r // 64 * 8))
        # Reused tile buffers: the filter's passes then stay in memory already touched.
        tile, mask = buffers(nb, col_block, fold)
        for c0 in range(0, n_r, col_block):
            c1 = min(n_r, c0 + col_block)
            w = c1 - c0
            if whole:
                D = first
            elif fold:
                D = np.matmul(Qf, cast(_DenseFilter, F).Ra[c0:c1].T,
                              out=tile[: nb * w].reshape(nb, w))
            else:
                D = F.block(slice(a, b), slice(c0, c1))
            m = mask[: nb * w].reshape(nb, w)
            if fold:
                flat = _flat_true(np.less_equal(D, 0, out=m))
                vals = D.ravel()[flat].astype(np.float64)
                r_, c_ = np.divmod(flat, w)
                vals += thr[r_]
            else:
                flat = _flat_true(np.less_equal(D, thr[:, None], out=m))
                vals = D.ravel()[flat]
                r_, c_ = np.divmod(flat, w)
            cand_r.append(r_)
            cand_c.append(c_ + c0)
            cand_v.append(vals)
        extra = getattr(F, "extra_candidates", None)
        if extra is not None:
            # Pairs the product cannot see at their true value (see _nominal): found
            # another way, with their exact value; a pair found twice keeps the smaller.
            er, ec, ev = extra(a, b, thr)
            cand_r.append(er)
            cand_c.append(ec)
            cand_v.append(ev)
        r = np.concatenate(cand_r)
        c = np.concatenate(cand_c)
        v = np.concatenate(cand_v).astype(np.float64)
        if extra is not None and len(r):
            order = np.lexsort((v, c, r))
            r, c, v = r[order], c[order], v[order]
            first_of_pair = np.ones(len(r), dtype=bool)
            first_of_pair[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
            r, c, v = r[first_of_pair], c[first_of_pair], v[first_of_pair]
        if self_query:
            keep = c != r + a
            r, c, v = r[keep], c[keep], v[keep]
        # 3. tighten with the k-th smallest candidate, then decide in float64
        T = _kth_smallest(r, v, nb, k)
        keep = v <= T[r] + 2 * Bv[r]
        _decide(F, r[keep], c[keep], k, rows, out_dist, out_ind)

    n_workers = _n_workers(n_q * n_r * F.width)
    if n_workers == 1:
        for a in starts:
            run(a)
    else:
        # Each worker handles whole row blocks with a single-threaded BLAS, so the
        # element-wise filtering (single-threaded in numpy) runs on every core too.
        with single_threaded_blas(), ThreadPoolExecutor(
            n_workers
        ) as ex:
            list(ex.map(run, starts))
    return out_dist, out_ind


def _kth_smallest(r: np.ndarray, v: np.ndarray, nb: int, k: int) -> np.ndarray:
    """Per row ``0 <= r < nb``, the ``k``-th smallest of its values ``v`` (inf if fewer)."""
    order = np.argsort(r.astype(np.int16) if nb <= 32767 else r, kind="stable")
    rs, vs = r[order], v[order]
    cnt = np.bincount(r, minlength=nb)
    start = np.zeros(nb + 1, dtype=np.intp)
    np.cumsum(cnt, out=start[1:])
    T = np.full(nb, np.inf)
    # padded (rows, most candidates) matrices, a few million entries at a time
    step = max(1, (1 << 22) // max(1, int(cnt.max(initial=0))))
    for r0 in range(0, nb, step):
        r1 = min(nb, r0 + step)
        width = int(cnt[r0:r1].max())
        if width < k:
            continue
        seg = slice(start[r0], start[r1])
        rr = rs[seg]
        P = np.full((r1 - r0, width), np.inf)
        P[rr - r0, np.arange(start[r0], start[r1]) - start[rr]] = vs[seg]
        T[r0:r1] = np.partition(P, k - 1, axis=1)[:, k - 1]
    return T


def _decide(F: _DenseFilter | _SparseFilter, r: np.ndarray, c: np.ndarray, k: int,
            rows: np.ndarray, out_dist: np.ndarray, out_ind: np.ndarray) -> None:
    """The float64 decision: the ``k`` nearest of each query among its candidates.

    ``r`` holds positions into ``rows`` (the queries' own row numbers), ``c`` the
    candidate reference rows; every query has at least ``k`` candidates, all of its
    true neighbours among them. Ties go to the smaller reference row.
    """
    dd = F.exact_sq(rows[r], c)
    order = np.lexsort((c, dd, r))
    r, c, dd = r[order], c[order], dd[order]
    first = np.searchsorted(r, np.arange(len(rows)))
    sel = first[:, None] + np.arange(k)
    out_ind[rows] = c[sel]
    out_dist[rows] = np.sqrt(dd[sel])


def _search_symmetric(F: _DenseFilter, k: int) -> tuple:
    """Self-search over dense rows that computes each pair of rows once.

    The distance from ``i`` to ``j`` is the distance from ``j`` to ``i``: the product
    for a pair is made once, in the row block of the earlier row, and the pair becomes
    a candidate of either row whose threshold it meets, so the matrix products (the
    whole cost of a large search) are halved.

    1. The subset gives ``t_i``, an upper bound of row ``i``'s true ``k``-th squared
       distance (queries ``[-2 r, 1, |r|^2]`` against references ``[r, |r|^2, 1]``
       give the squared distance itself, its terms' absolute values adding up to at
       most ``2 (|r_i|^2 + |r_j|^2)``).
    2. Rows are put in ascending order of ``t``, so for a pair ``i < j`` the larger
       threshold is ``t_j``: the column's threshold goes into the product
       (``|r_j|^2 - f_j`` in place of ``|r_j|^2``, ``f_j = t_j + G``) and the test is
       a sign test; ``G`` bounds the error of every computed value, the fold and its
       rounding included. (``f`` keeps these first values: tightened thresholds
       below serve the per-candidate tests only, so the order argument holds.)
    3. Row blocks are handled a band at a time. A candidate found for a later row
       waits in that row's band (every pair of a row has been seen once its own band
       is done); when many wait, each waiting row keeps the candidates within its
       current ``k``-th value plus ``2 G``, and that value tightens its ``t``.
    4. Each band's rows are decided in float64 as in :func:`_search`.
    """
    n = F.n_ref
    d = F.width - 2
    nR = F.nR
    E = F.bound_coef * 2 * (nR + nR.max())
    Qs = F.Qa  # the filter is private to this search: reuse its buffers
    Qs[:, d + 1] = nR
    # (at most an eighth of the rows: a quarter of what the halved pass itself costs)
    s = min(n, max(256, k + 1, min(int(_SYMMETRIC_SUBSET_FACTOR * math.sqrt(k * n)), n // 8)))
    subset = evenly_spaced(n, s)
    rb, cb = _ROW_BLOCK, F.col_block
    band = _BAND_BLOCKS * rb
    t = np.empty(n)

    # The subset in groups: the k-th smallest of the groups' minima is the distance to
    # one of k distinct rows, so it bounds the k-th neighbour as well; minima are far
    # cheaper than a partition over the whole subset.
    n_groups = min(len(subset), _GROUPS_PER_K * k)
    per = len(subset) // n_groups
    subset = subset[: n_groups * per]
    RaS = F.Ra[subset]

    def bound(a: int) -> None:
        b = min(n, a + rb)
        rows = np.arange(a, b)
        DS = Qs[a:b] @ RaS.T
        pos = np.minimum(np.searchsorted(subset, rows), len(subset) - 1)
        hit = subset[pos] == rows
        DS[np.flatnonzero(hit), pos[hit]] = np.inf
        mins = DS.reshape(b - a, n_groups, per).min(axis=2)
        # true k-th <= the k-th of these k distinct rows' true values <= computed + E
        t[a:b] = np.partition(mins, k - 1, axis=1)[:, k - 1] + E[a:b]

    n_workers = _n_workers(n * n * F.width // 2)
    ex = ThreadPoolExecutor(n_workers) if n_workers > 1 else None

    def run_all(f, xs) -> list:  # noqa: ANN001
        return list(ex.map(f, xs)) if ex is not None else [f(x) for x in xs]

    out_ind = np.empty((n, k), dtype=np.intp)
    out_dist = np.empty((n, k), dtype=np.float64)
    try:
        with single_threaded_blas():
            run_all(bound, range(0, n, rb))
            perm = np.argsort(t, kind="stable")
            Qp, Rp = Qs[perm], F.Ra[perm]
            # only the float64 rows are needed from here on
            Qs = F.Qa = F.Ra = cast(Any, None)
            tp, nRp = t[perm], nR[perm]
            top = float(tp.max())
            G = 1.02 * F.bound_coef * (4 * float(nR.max()) + top) + 4 * _U32 * (
                float(nR.max()) + top)
            # each column's threshold goes into the product, as first bounded: with rows
            # in ascending order of it, it is at least every earlier row's threshold
            f = tp + G
            Rp[:, d] = _round_down(nRp - f, np.float32)
            below_diagonal = np.tril(np.ones((rb, rb), dtype=bool))
            local = threading.local()

            def pairs(a: int) -> list:
                b = min(n, a + rb)
                nb = b - a
                if getattr(local, "tile", None) is None:
                    local.tile = np.empty(rb * cb, np.float32)
                    local.mask = np.empty(rb * cb, dtype=bool)
                qs, rs, vs = [], [], []
                for c0 in range(a, n, cb):
                    c1 = min(n, c0 + cb)
                    w = c1 - c0
                    D = np.matmul(Qp[a:b], Rp[c0:c1].T, out=local.tile[: nb * w].reshape(nb, w))
                    if c0 == a:  # pairs j <= i are another block's (or no pair at all)
                        D[:, :nb][below_diagonal[:nb, :nb]] = np.inf
                    flat = _flat_true(np.less_equal(D, 0, out=local.mask[: nb * w].reshape(nb, w)))
                    i, j = np.divmod(flat, w)
                    i += a
                    j += c0
                    v = D.ravel()[flat] + f[j]  # the computed squared distance, within G
                    row_side = v <= tp[i] + G
                    col_side = v <= tp[j] + G
                    qs += [i[row_side], j[col_side]]
                    rs += [j[row_side], i[col_side]]
                    vs += [v[row_side], v[col_side]]
                q, r, v = np.concatenate(qs), np.concatenate(rs), np.concatenate(vs)
                # handed over grouped by the band whose rows they are candidates of
                dest = q // band
                order = np.argsort(dest.astype(np.int32), kind="stable")
                q, r, v, dest = q[order], r[order], v[order], dest[order]
                cuts = np.flatnonzero(np.diff(dest)) + 1
                starts = np.concatenate(([0], cuts))
                ends = np.concatenate((cuts, [len(q)]))
                return [(int(dest[a0]), (q[a0:a1], r[a0:a1], v[a0:a1]))
                        for a0, a1 in zip(starts, ends, strict=True) if a1 > a0]

            def settle(job: tuple) -> None:
                # every pair of these rows has been seen: decide them
                A, B, parts = job
                q, r, v = prune(A, *_joined(parts))
                _decide(F, q - A, perm[r], k, perm[A:B], out_dist, out_ind)

            def prune(A: int, q: np.ndarray, r: np.ndarray, v: np.ndarray) -> tuple:
                # keep what can still be among the k nearest; tighten those rows' t
                T = _kth_smallest(q - A, v, min(band, n - A), k)
                keep = v <= T[q - A] + 2 * G
                full = np.flatnonzero(np.isfinite(T))
                tp[A + full] = np.minimum(tp[A + full], T[full] + G)
                return q[keep], r[keep], v[keep]

            n_bands = -(-n // band)
            waiting: list[list] = [[] for _ in range(n_bands)]
            n_waiting = 0
            prune_at = max(_PRUNE_MIN, _PRUNE_PER_ROW * k * n)
            ready = None
            for bi in range(n_bands):
                A, B = bi * band, min(n, (bi + 1) * band)
                tasks: list[tuple[Any, Any]] = [(pairs, a) for a in range(A, B, rb)]
                if ready is not None:  # the previous band is decided meanwhile
                    tasks.append((settle, ready))
                for out in run_all(lambda task: task[0](task[1]), tasks):
                    for bj, part in out or ():
                        waiting[bj].append(part)
                        n_waiting += len(part[0])
                mine = waiting[bi]
                waiting[bi] = []
                n_waiting -= sum(len(x[0]) for x in mine)
                ready = (A, B, mine)
                if n_waiting > prune_at:
                    n_waiting = 0
                    for bj in range(bi + 1, n_bands):
                        if waiting[bj]:
                            parts = prune(bj * band, *_joined(waiting[bj]))
                            waiting[bj] = [parts]
                            n_waiting += len(parts[0])
                    prune_at = max(prune_at, 2 * n_waiting)
            if ready is not None:
                settle(ready)
    finally:
        if ex is not None:
            ex.shutdown()
    return out_dist, out_ind


def _joined(parts: list[tuple]) -> tuple:
    """Candidate triples ``(query, reference, value)`` from several parts, as one."""
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))


def _flat_true(mask: np.ndarray) -> np.ndarray:
    """``np.flatnonzero`` of a sparse C-contiguous boolean mask, eight bytes at a time.

    Candidates are rare, so most 8-byte words of the mask are zero: find the non-zero
    words first, then the true bytes inside them only.
    """
    flat = mask.reshape(-1)
    n8 = flat.size // 8 * 8
    hot = np.flatnonzero(flat[:n8].view(np.uint64) != 0)
    wr, byte = np.nonzero(flat[:n8].reshape(-1, 8)[hot])
    found = hot[wr] * 8 + byte
    if n8 < flat.size:  # the last few bytes, when the size is not a multiple of 8
        found = np.concatenate([found, n8 + np.flatnonzero(flat[n8:])])
    return found


# Magnitudes the search handles as they are: beyond, squared distances (and the float32
# proposal's bounds) would overflow or lose the small ones to underflow.
_BIG, _SMALL = 2.0 ** 60, 2.0 ** -60


def _max_abs(A: Any) -> float:
    data = A.data if sp.issparse(A) else A
    if not np.size(data):
        return 0.0
    return float(max(np.max(data), -np.min(data)))


def _power_of_two_scale(R: Any, Q: Any) -> float:
    """1.0 for ordinary magnitudes; else the power of two that brings the largest to ~1.

    Multiplying by a power of two is exact in floating point, so the scaled search
    finds the same neighbours, and its distances divided back are the true ones.
    """
    m = max(_max_abs(R), 0.0 if Q is None else _max_abs(Q))
    if _SMALL <= m <= _BIG or m == 0.0 or not np.isfinite(m):
        return 1.0
    # (denormal data: scaled up only so far, to stay a finite float)
    return math.ldexp(1.0, min(-math.frexp(m)[1], 1000))


def _rescaled_search(R: Any, k: int, Q: Any, R_rows: Any, Q_rows: Any, scale: float
                     ) -> tuple[np.ndarray, np.ndarray]:
    from ..exceptions import DataValidationError

    def scaled(A: Any, rows: Any) -> Any:
        A = A if rows is None else A[rows]
        return A * scale if sp.issparse(A) else np.asarray(A, dtype=np.float64) * scale

    Qs = None if Q is None else scaled(Q, Q_rows)
    dist, ind = exact_kneighbors(scaled(R, R_rows), k, Qs)
    with np.errstate(over="ignore"):
        dist = dist / scale
    if not np.isfinite(dist).all():
        largest = max(_max_abs(R), 0.0 if Q is None else _max_abs(Q))
        raise DataValidationError(
            "distances between rows exceed the largest float64 (X holds values as large "
            f"as {largest:.2e}); rescale X first, e.g. sklearn.preprocessing."
            "StandardScaler in the pipeline before the sampler.")
    return dist, ind


def _n_workers(work: int) -> int:
    # Small searches (work = pairs x width) stay serial: thread start-up, the BLAS
    # controller and contention cost more than they save. A sampler's n_jobs caps the
    # threads (and lifts the default cap of 8).
    limit = max_threads()
    if work < 1 << 28 or limit == 1:
        return 1
    cores = available_cores()
    return max(1, min(cores, 8) if limit is None else min(cores, limit))
