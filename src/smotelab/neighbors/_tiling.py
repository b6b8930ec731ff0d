"""The tiles of the exact search: filters over float32 (or sparse) products, and the
float64 decision every search ends with.

A filter turns query and reference rows into augmented matrices whose product gives
each pair's squared distance up to a known bound; the searches keep the pairs whose
filtered value can still be among the k nearest, then decide them exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["_DenseFilter", "_SparseFilter"]

_U32 = float(np.finfo(np.float32).eps) / 2
_U64 = float(np.finfo(np.float64).eps) / 2


class _DenseFilter:
    """float32 matrix-product filter over dense rows."""

    def __init__(self, R: np.ndarray, Q: np.ndarray | None, R_rows: np.ndarray | None = None,
                 Q_rows: np.ndarray | None = None, *, col_block: int = 4096) -> None:
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
        self.col_block = col_block
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
