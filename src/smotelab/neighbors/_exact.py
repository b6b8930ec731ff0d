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

Step 2, the whole cost of a large search, runs in the compiled loop of :mod:`._fused`
for dense rows of up to 126 features: the products stay in registers (or cache-sized
tiles) and only the pairs that pass are written, never the tile itself.

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

import contextlib
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import numpy as np
import scipy.sparse as sp

from smotelab.utils._blas import single_threaded_blas
from smotelab.utils._memory import check_table_memory
from smotelab.utils._subsets import evenly_spaced
from smotelab.utils._threads import worker_count

from ._fused import emit_pairs, use_fused
from ._symmetric import Tiles, _search_symmetric
from ._tiling import (  # noqa: F401 - _U32, _centred32, _flat_true: the search's helpers
    _U32,
    _centred32,
    _decide,
    _DenseFilter,
    _flat_true,
    _kth_smallest,
    _round_up,
    _SparseFilter,
)

__all__ = ["exact_kneighbors"]

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
    n_query = n_ref if Q is None else (Q.shape[0] if Q_rows is None else len(Q_rows))
    check_table_memory(n_query, k)  # before anything of that size is allocated
    scale = _power_of_two_scale(R, Q)
    if scale != 1.0:
        return _rescaled_search(R, k, Q, R_rows, Q_rows, scale)
    if sp.issparse(R) or (Q is not None and sp.issparse(Q)):
        R = R if R_rows is None else R[R_rows]
        Q = Q if Q is None or Q_rows is None else Q[Q_rows]
        return _search(_SparseFilter(R, Q), k, self_query)
    F = _DenseFilter(R, Q, R_rows, Q_rows, col_block=_COL_BLOCK)
    if self_query and n_ref >= _SYMMETRIC_MIN:
        return _search_symmetric(F, k, Tiles(
            row_block=_ROW_BLOCK, band_blocks=_BAND_BLOCKS, prune_min=_PRUNE_MIN,
            prune_per_row=_PRUNE_PER_ROW, groups_per_k=_GROUPS_PER_K,
            subset_factor=_SYMMETRIC_SUBSET_FACTOR, n_workers=_n_workers))
    return _search(F, k, self_query)


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
    # (a reference set within one subset is searched in one product: nothing to filter)
    fused = isinstance(F, _DenseFilter) and len(subset) < n_r and use_fused(F.width)
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
        # (The compiled loop needs none.)
        tile, mask = (None, None) if fold and fused else buffers(nb, col_block, fold)
        if fold and fused:
            # the same products and test in the compiled loop, no tile in memory (_fused)
            r_, c_, v_ = emit_pairs(Qf, cast(_DenseFilter, F).Ra, 0, n_r,
                                    expect=2 * nb * (k * n_r // s + k))
            cand_r.append(r_)
            cand_c.append(c_)
            cand_v.append(v_.astype(np.float64) + thr[r_])
        tiled = range(0) if fold and fused else range(0, n_r, col_block)
        for c0 in tiled:
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
        # the fused kernel's products are small: a threaded BLAS only adds its start-up
        with single_threaded_blas() if fused else contextlib.nullcontext():
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
    return worker_count(work, 1 << 28)
