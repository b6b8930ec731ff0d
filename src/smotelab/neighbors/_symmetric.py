"""The symmetric self-search: each pair of rows is computed once (see its docstring)."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from smotelab.utils._blas import single_threaded_blas
from smotelab.utils._subsets import evenly_spaced

from ._fused import emit_pairs, group_minima, use_fused
from ._tiling import (
    _U32,
    _decide,
    _DenseFilter,
    _flat_true,
    _joined,
    _kth_smallest,
    _round_down,
)

__all__ = ["Tiles", "_search_symmetric"]


@dataclass(frozen=True)
class Tiles:
    """The search's tunables, read by the caller when the search starts."""

    row_block: int
    band_blocks: int
    prune_min: int
    prune_per_row: int
    groups_per_k: int
    subset_factor: float
    n_workers: Any  # work -> worker threads


def _search_symmetric(F: _DenseFilter, k: int, tiles: Tiles) -> tuple:
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
    s = min(n, max(256, k + 1, min(int(tiles.subset_factor * math.sqrt(k * n)), n // 8)))
    subset = evenly_spaced(n, s)
    rb, cb = tiles.row_block, F.col_block
    band = tiles.band_blocks * rb
    t = np.empty(n)

    # The subset in groups: the k-th smallest of the groups' minima is the distance to
    # one of k distinct rows, so it bounds the k-th neighbour as well; minima are far
    # cheaper than a partition over the whole subset.
    n_groups = min(len(subset), tiles.groups_per_k * k)
    per = len(subset) // n_groups
    subset = subset[: n_groups * per]
    RaS = F.Ra[subset]
    fused = use_fused(F.width)

    def bound(a: int) -> None:
        b = min(n, a + rb)
        rows = np.arange(a, b)
        if fused:  # the same minima, tile by tile in cache (see _fused)
            mins = group_minima(Qs[a:b], RaS, per, a, subset)
        else:
            DS = Qs[a:b] @ RaS.T
            pos = np.minimum(np.searchsorted(subset, rows), len(subset) - 1)
            hit = subset[pos] == rows
            DS[np.flatnonzero(hit), pos[hit]] = np.inf
            mins = DS.reshape(b - a, n_groups, per).min(axis=2)
        # true k-th <= the k-th of these k distinct rows' true values <= computed + E
        t[a:b] = np.partition(mins, k - 1, axis=1)[:, k - 1] + E[a:b]

    n_workers = tiles.n_workers(n * n * F.width // 2)
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

            def passing(a: int, b: int) -> Iterator[tuple]:
                # pairs i < j of rows a:b and later rows whose folded product is <= 0
                nb = b - a
                if fused:  # in the compiled loop, no tile in memory (see _fused)
                    i, j, v32 = emit_pairs(Qp[a:b], Rp, a, n, i0=a, upper=True,
                                           expect=4 * nb * k)
                    yield i + a, j, v32
                    return
                if getattr(local, "tile", None) is None:
                    local.tile = np.empty(rb * cb, np.float32)
                    local.mask = np.empty(rb * cb, dtype=bool)
                for c0 in range(a, n, cb):
                    c1 = min(n, c0 + cb)
                    w = c1 - c0
                    D = np.matmul(Qp[a:b], Rp[c0:c1].T, out=local.tile[: nb * w].reshape(nb, w))
                    if c0 == a:  # pairs j <= i are another block's (or no pair at all)
                        D[:, :nb][below_diagonal[:nb, :nb]] = np.inf
                    flat = _flat_true(np.less_equal(D, 0, out=local.mask[: nb * w].reshape(nb, w)))
                    i, j = np.divmod(flat, w)
                    yield i + a, j + c0, D.ravel()[flat]

            def pairs(a: int) -> list:
                qs, rs, vs = [], [], []
                for i, j, folded in passing(a, min(n, a + rb)):
                    v = folded + f[j]  # the computed squared distance, within G
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
            prune_at = max(tiles.prune_min, tiles.prune_per_row * k * n)
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
