# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""Compiled loops of :mod:`._fused`, with the GIL released: the filter's products in
registers with the sign test fused in (``_fused_simd.h``, AVX-512 or AVX2, chosen at run
time), or else BLAS products on cache-sized tiles (the BLAS scipy links,
``scipy.linalg.cython_blas``), each tested while it is still in cache; and the
symmetric search's group minima on such tiles."""

from libc.math cimport INFINITY
from libc.stdlib cimport free, malloc
from scipy.linalg.cython_blas cimport sgemm


cdef extern from "_fused_simd.h" nogil:
    int smotelab_simd_level()
    Py_ssize_t smotelab_emit_simd(int level, const float *Q, Py_ssize_t nq, int w,
                                  const float *R, Py_ssize_t c0, Py_ssize_t c1,
                                  Py_ssize_t i0, int upper, float *P, Py_ssize_t cap,
                                  Py_ssize_t *out_i, Py_ssize_t *out_j, float *out_v,
                                  Py_ssize_t *state)
    void smotelab_minima_simd(int level, const float *Q, Py_ssize_t nq, int w,
                              const float *RS, Py_ssize_t per, Py_ssize_t n_groups,
                              Py_ssize_t i0, const Py_ssize_t *subset, float *P, float *out)
    int SMOTELAB_CHUNK


def simd_level():
    """2 where this CPU runs the AVX-512 loop, 1 for AVX2, 0 for the BLAS tiles only."""
    return smotelab_simd_level()


cdef Py_ssize_t _emit(const float[:, ::1] Q, const float[:, ::1] R, Py_ssize_t c0,
                      Py_ssize_t c1, Py_ssize_t i0, bint upper, int cols, float* T,
                      Py_ssize_t[::1] out_i, Py_ssize_t[::1] out_j, float[::1] out_v,
                      Py_ssize_t[::1] state) noexcept nogil:
    cdef int nq = <int>Q.shape[0]
    cdef int w = <int>Q.shape[1]
    cdef int m
    cdef Py_ssize_t cap = out_i.shape[0]
    cdef Py_ssize_t n = 0
    cdef Py_ssize_t start, b0, b1, r, j, i, hits
    cdef float one = 1.0
    cdef float zero = 0.0
    cdef const float* a
    cdef char tn = b'T'
    cdef char nn = b'N'
    b0 = c0
    while b0 < c1:
        b1 = min(c1, b0 + cols)
        if upper and b1 - 1 <= i0:
            b0 = b1
            continue  # every column j <= i: no pair of the upper triangle
        m = <int>(b1 - b0)
        # T (C order, nq x m) = Q R[b0:b1]^T; in the BLAS's column-major terms that is
        # T^T (m x nq) = R_blk Q^T, both operands read as stored
        sgemm(&tn, &nn, &m, &nq, &w, &one, <float*>&R[b0, 0], &w, <float*>&Q[0, 0], &w,
              &zero, T, &m)
        start = n
        for r in range(nq):
            a = T + r * m
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
        b0 = b1
    return n


def emit(const float[:, ::1] Q, const float[:, ::1] R, Py_ssize_t c0, Py_ssize_t c1,
         Py_ssize_t i0, bint upper, int cols, float[::1] tile, Py_ssize_t[::1] out_i,
         Py_ssize_t[::1] out_j, float[::1] out_v, Py_ssize_t[::1] state, int level=0):
    """Pairs with ``Q[r] . R[j] <= 0``, ``c0 <= j < c1``, written to the outputs.

    With ``level`` 1 or 2 (see :func:`simd_level`) the products stay in registers
    (``_fused_simd.h``); with 0 each tile of ``cols`` columns is one BLAS product into
    ``tile`` (at least ``len(Q) * cols`` long), tested at once. ``Q``'s rows are the
    rows ``i0, i0 + 1, ...`` of the search; with ``upper`` only pairs ``j > i`` count.
    Returns the number of pairs written; when the outputs are full, -1, with ``state``
    holding the pairs written before the tile that did not fit and that tile's first
    column.
    """
    cdef Py_ssize_t n
    cdef float* P
    if Q.shape[0] == 0 or c1 <= c0:
        return 0
    if (Q.shape[1] != R.shape[1] or tile.shape[0] < Q.shape[0] * cols or c0 < 0
            or c1 > R.shape[0] or out_i.shape[0] == 0 or out_j.shape[0] < out_i.shape[0]
            or out_v.shape[0] < out_i.shape[0] or state.shape[0] < 2):
        raise ValueError("emit: Q and R differ in width, or a buffer is too small.")
    if level > 0:
        P = <float*>malloc(Q.shape[1] * (Q.shape[0] + SMOTELAB_CHUNK) * sizeof(float))
        if P == NULL:
            raise MemoryError("emit: no memory for the packed query rows.")
        try:
            with nogil:
                n = smotelab_emit_simd(level, &Q[0, 0], Q.shape[0], <int>Q.shape[1],
                                       &R[0, 0], c0, c1, i0, upper, P, out_i.shape[0],
                                       &out_i[0], &out_j[0], &out_v[0], &state[0])
        finally:
            free(P)
        return n
    with nogil:
        n = _emit(Q, R, c0, c1, i0, upper, cols, &tile[0], out_i, out_j, out_v, state)
    return n


cdef void _group_minima(const float[:, ::1] Q, const float[:, ::1] RS, Py_ssize_t per,
                        Py_ssize_t i0, const Py_ssize_t[::1] subset, float* T, int cols,
                        float* mn, float[:, ::1] out) noexcept nogil:
    cdef int nq = <int>Q.shape[0]
    cdef int w = <int>Q.shape[1]
    cdef int m
    cdef Py_ssize_t g, b0, b1, p, r, j
    cdef float one = 1.0
    cdef float zero = 0.0
    cdef float v
    cdef const float* t
    cdef char tn = b'T'
    cdef char nn = b'N'
    for g in range(out.shape[1]):
        for r in range(nq):
            mn[r] = INFINITY
        b0 = g * per
        while b0 < (g + 1) * per:
            b1 = min((g + 1) * per, b0 + cols)
            m = <int>(b1 - b0)
            # T (C order, m x nq) = RS[b0:b1] Q^T; column-major: T^T (nq x m) = Q RS_blk^T
            sgemm(&tn, &nn, &nq, &m, &w, &one, <float*>&Q[0, 0], &w,
                  <float*>&RS[b0, 0], &w, &zero, T, &nq)
            for p in range(b0, b1):
                r = subset[p] - i0
                if 0 <= r < nq:
                    T[(p - b0) * nq + r] = INFINITY  # the row itself
            for j in range(m):
                t = T + j * nq
                for r in range(nq):  # element-wise over a contiguous row: vectorises
                    v = t[r]
                    mn[r] = v if v < mn[r] else mn[r]
            b0 = b1
        for r in range(nq):
            out[r, g] = mn[r]


def group_minima(const float[:, ::1] Q, const float[:, ::1] RS, Py_ssize_t per,
                 Py_ssize_t i0, const Py_ssize_t[::1] subset, float[::1] tile,
                 float[::1] scratch, float[:, ::1] out, int level=0):
    """``out[r, g]``: the least product of ``Q[r]`` with rows ``g * per`` to
    ``(g + 1) * per - 1`` of ``RS``, leaving out the row itself (``subset[p] == i0 + r``).

    With ``level`` 1 or 2 the products stay in registers (``_fused_simd.h``); with 0
    they are made by the BLAS transposed (reference rows by query rows) on tiles, so the
    minima are element-wise over contiguous rows of the tile. ``scratch`` holds
    ``len(Q)`` floats.
    """
    cdef int cols
    cdef float* P
    if Q.shape[0] == 0 or out.shape[1] == 0:
        return
    if (Q.shape[1] != RS.shape[1] or per < 1 or RS.shape[0] < per * out.shape[1]
            or out.shape[0] != Q.shape[0] or scratch.shape[0] < Q.shape[0]
            or subset.shape[0] < RS.shape[0]):
        raise ValueError("group_minima: inconsistent shapes.")
    if level > 0:
        P = <float*>malloc((Q.shape[1] + 1) * (Q.shape[0] + SMOTELAB_CHUNK) * sizeof(float))
        if P == NULL:
            raise MemoryError("group_minima: no memory for the packed query rows.")
        try:
            with nogil:
                smotelab_minima_simd(level, &Q[0, 0], Q.shape[0], <int>Q.shape[1],
                                     &RS[0, 0], per, out.shape[1], i0, &subset[0], P,
                                     &out[0, 0])
        finally:
            free(P)
        return
    cols = <int>(tile.shape[0] // Q.shape[0])
    if cols < 1:
        raise ValueError("group_minima: the tile is too small.")
    with nogil:
        _group_minima(Q, RS, per, i0, subset, &tile[0], cols, &scratch[0], out)
