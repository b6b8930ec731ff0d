"""numba kernel of :mod:`._fused` (imported only when the fused path runs)."""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["emit"]


@numba.njit(nogil=True, cache=True, boundscheck=False)
def emit(Q, R, c0, c1, i0, upper, cols, tile, out_i, out_j, out_v, state):  # noqa: ANN001, ANN201
    """Pairs with ``Q[r] . R[j] <= 0``, for ``c0 <= j < c1``, written to the outputs.

    Each tile of ``cols`` columns is one BLAS product into ``tile`` (kept in cache),
    tested at once. ``Q``'s rows are the rows ``i0, i0 + 1, ...`` of the search; with
    ``upper`` only pairs ``j > i`` count. Returns the number of pairs written; when the
    outputs are full, -1, with ``state`` holding the pairs written before the tile that
    did not fit and that tile's first column, to resume from.
    """
    nq = Q.shape[0]
    cap = out_i.shape[0]
    n = 0
    for b0 in range(c0, c1, cols):
        b1 = min(c1, b0 + cols)
        if upper and b1 - 1 <= i0:
            continue  # every column j <= i: no pair of the upper triangle
        m = b1 - b0
        T = tile[: nq * m].reshape((nq, m))
        np.dot(Q, R[b0:b1].T, T)
        start = n
        for r in range(nq):
            a = T[r]
            hits = 0
            for j in range(m):
                hits += a[j] <= 0.0
            if hits == 0:
                continue
            if n + hits > cap:
                state[0] = start
                state[1] = b0
                return -1
            i = i0 + r
            for j in range(m):
                if a[j] <= 0.0 and (not upper or b0 + j > i):
                    out_i[n] = r
                    out_j[n] = b0 + j
                    out_v[n] = a[j]
                    n += 1
    return n
