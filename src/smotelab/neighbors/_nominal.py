"""Exact neighbours under the distances of SMOTE-NC and SMOTE-N, never one-hot encoding the data.

SMOTE-NC (Chawla et al., 2002) measures the squared distance between two rows as the
squared Euclidean distance of their continuous parts plus a penalty ``p`` (the squared
median standard deviation of the class's continuous features) for every categorical
feature on which they differ. SMOTE-N uses the Value Difference Metric: a sum over
features of ``D_f[a, b]``, a table of distances between the feature's values ``a`` and
``b`` learnt from how the classes use them.

Both run through the float32 product filter of :mod:`._exact`, which stays exact: rows
are written as vectors whose product gives the distance up to a per-query constant, and
the float64 decision recomputes the true distance of the few candidates.

* Continuous columns (and SMOTE-N's two-class embedding) enter as in the Euclidean search.
* A categorical feature enters through its *values*: the reference row carries a one-hot
  column per value and the query row the value's distances (SMOTE-N), or minus the
  penalty for its own value (SMOTE-NC). Only values shared by many rows get a column.
* SMOTE-NC's rare values get none: the product then sees every pair as differing there,
  which overstates the distance of pairs that share a rare value. Those pairs are few
  (a rare value is shared by few rows), so they are enumerated group by group, given
  their exact value, and added to the candidates.

>>> import numpy as np
>>> cont = np.array([[0.0], [0.1], [0.2], [5.0]])
>>> codes = np.array([[0], [1], [0], [0]])
>>> nc_kneighbors(cont, codes, penalty=1.0, k=1)[1].ravel().tolist()
[2, 0, 0, 2]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._exact import _COL_BLOCK, _power_of_two_scale, _search
from ._tiling import _U32, _DenseFilter

__all__ = ["nc_kneighbors", "vdm_kneighbors", "vdm_pairwise", "vdm_tables"]

# A value gets its own product column when its share of the class's rows exceeds this.
# A column costs a little for every pair; enumerating a value's pairs ~45 ns per pair
# sharing it (share^2 of all pairs). Measured at 10k rows x 10 continuous columns with
# 5-1000 values per feature, shares from 1/150 to 1/60 are equally fast; 1/40 is 2x
# slower (a 50-value feature enumerated) and 1/1000 3x slower (1000 columns).
_RARE_SHARE = 1.0 / 100
# Budget for the product part of the filter (SMOTE-N with many values and classes).
_PRODUCT_BYTES = 2 << 30


class _MixedFilter(_DenseFilter):
    """The float32 filter of :func:`._exact._search` over an embedding of mixed rows.

    Shares the dense filter's products (``block``, ``folded``); only the rows differ.

    ``E`` is the Euclidean part (float64, n x de), ``Pq``/``Pr`` the product part
    (float32, n x w), ``tq`` an upper bound of each query's product-part sum of absolute
    terms, ``offset_const`` the constant the filter values are shifted by (SMOTE-NC's
    penalties of embedded-away features) and ``exact`` the true squared distance of
    ``(query, reference)`` index pairs.
    """

    # exact candidates found outside the products (pairs sharing a rare value), if any
    extra_candidates: Any = None

    def __init__(self, E: np.ndarray, Pq: np.ndarray, Pr: np.ndarray, tq: np.ndarray | float,
                 exact: Callable, offset_const: float = 0.0) -> None:
        # (the dense filter's own set-up is not run: the rows are built here)
        n, de = E.shape
        w = Pq.shape[1]
        width = de + w + 2
        mu = E.mean(axis=0) if de else np.zeros(0)
        self.Ra = np.empty((n, width), dtype=np.float32)
        np.subtract(E, mu, out=self.Ra[:, :de], casting="unsafe")
        Ec = self.Ra[:, :de]
        nE = np.einsum("ij,ij->i", Ec, Ec, dtype=np.float64)
        self.Ra[:, de : de + w] = Pr
        self.Ra[:, de + w] = nE
        self.Ra[:, de + w + 1] = 1.0
        self.Qa = np.empty_like(self.Ra)
        np.multiply(Ec, np.float32(-2.0), out=self.Qa[:, :de])
        self.Qa[:, de : de + w] = Pq
        self.Qa[:, de + w] = 1.0
        self.Qa[:, de + w + 1] = 0.0
        self.nR = nE
        self.nQ = nE + tq
        # filter value = true - offset (per query): |q - mu|^2 and the constant
        self.offset = nE + offset_const
        self.bound_coef = (width + 12) * _U32 * 1.01
        self.width = width
        self.dtype = np.float32
        self.n_query = self.n_ref = n
        self.col_block = _COL_BLOCK
        self.folds = True
        self._exact = exact

    def exact_sq(self, qi: np.ndarray, rj: np.ndarray) -> np.ndarray:
        """True squared distances of the ``(query, reference)`` index pairs."""
        return self._exact(qi, rj)


def _chunked(fn: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Callable:
    def run(qi: np.ndarray, rj: np.ndarray) -> np.ndarray:
        out = np.empty(len(qi))
        step = 1 << 15
        for a in range(0, len(qi), step):
            out[a : a + step] = fn(qi[a : a + step], rj[a : a + step])
        return out
    return run


class _SharedValuePairs:
    """Pairs of rows that share a rare value of some feature, query block by query block."""

    def __init__(self, codes: np.ndarray, rare: list[np.ndarray]) -> None:
        self.codes = codes
        self.features = []
        for f, rare_f in enumerate(rare):
            if not rare_f.any():
                continue
            col = codes[:, f]
            order = np.argsort(col, kind="stable")
            counts = np.bincount(col, minlength=len(rare_f))
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
            self.features.append((f, rare_f, order, counts, starts))

    def __call__(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = [], []
        for f, rare_f, order, counts, starts in self.features:
            q = self.codes[a:b, f]
            qs = np.flatnonzero(rare_f[q])
            g = counts[q[qs]]
            total = int(g.sum())
            if not total:
                continue
            rr = np.repeat(qs, g)
            within = np.arange(total) - np.repeat(np.cumsum(g) - g, g)
            cc = order[np.repeat(starts[q[qs]], g) + within]
            rows.append(rr)
            cols.append(cc)
        if not rows:
            return np.empty(0, np.intp), np.empty(0, np.intp)
        return np.concatenate(rows), np.concatenate(cols)


def nc_kneighbors(cont: np.ndarray, codes: np.ndarray, penalty: float | None, k: int, *,
                  spread: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact ``k`` nearest rows of each row under SMOTE-NC's distance (self excluded).

    Parameters
    ----------
    cont : ndarray of shape (n, d_cont)
        Continuous columns (float).
    codes : ndarray of shape (n, d_cat)
        Categorical columns as integer codes ``0 .. n_values - 1``.
    penalty : float or None
        Added to the squared distance for each categorical feature that differs.
    spread : float, optional
        Instead of ``penalty``: its square root (SMOTE-NC's median standard deviation),
        squared after any rescaling of extreme magnitudes.
    k : int
        Number of neighbours.

    Returns
    -------
    dist, ind : ndarray of shape (n, k)
        Distances (square root of the squared distance above), ascending, and row
        indices, ties broken by the smaller index.
    """
    n, F = codes.shape
    if not 1 <= k < n:
        raise ValueError(f"k={k} neighbours requested but only {n - 1} are available.")
    cont = np.asarray(cont, dtype=np.float64)
    # extreme magnitudes: search at a power-of-two scale (exact), distances scaled back;
    # a spread is squared only after the scaling, so it cannot overflow
    scale = _power_of_two_scale(cont, None)
    if scale != 1.0:
        scaled = None if spread is None else spread * scale
        dist, ind = nc_kneighbors(cont * scale, codes, None if scaled is not None
                                  else float(penalty or 0.0) * scale * scale, k,
                                  spread=scaled)
        return dist / scale, ind
    p = float(spread) ** 2 if spread is not None else float(penalty or 0.0)
    rare, cols = [], []
    for f in range(F):
        counts = np.bincount(codes[:, f])
        frequent = counts > _RARE_SHARE * n if p > 0 else np.zeros(len(counts), bool)
        rare.append(~frequent & (counts > 0) & (p > 0))
        cols.append(np.flatnonzero(frequent))
    w = sum(len(c) for c in cols)
    Pq = np.zeros((n, w), dtype=np.float32)
    Pr = np.zeros((n, w), dtype=np.float32)
    start = 0
    for f, freq in enumerate(cols):
        if len(freq):
            slot = np.full(int(codes[:, f].max()) + 1, -1)
            slot[freq] = start + np.arange(len(freq))
            s = slot[codes[:, f]]
            hit = np.flatnonzero(s >= 0)
            Pr[hit, s[hit]] = 1.0
            Pq[hit, s[hit]] = -p
        start += len(freq)

    def exact(qi: np.ndarray, rj: np.ndarray) -> np.ndarray:
        diff = cont[qi] - cont[rj]
        d = np.einsum("ij,ij->i", diff, diff)
        if p:
            d += p * np.count_nonzero(codes[qi] != codes[rj], axis=1)
        return d

    exact_c = _chunked(exact)
    # filter value = |r|^2 - 2 q.r - p * (shared frequent values) = true - |q|^2 - p F
    # when no rare value is shared; tq bounds the product part's absolute terms.
    F_ = _MixedFilter(cont, Pq, Pr, p * F, exact_c, offset_const=p * F)
    pairs = _SharedValuePairs(codes, rare)
    if pairs.features:
        def extra(a: int, b: int, thr: np.ndarray) -> tuple:
            rr, cc = pairs(a, b)
            v = exact_c(rr + a, cc) - F_.offset[rr + a]
            keep = v <= thr[rr]
            return rr[keep], cc[keep], v[keep]
        F_.extra_candidates = extra
    dist, ind = _search(F_, k, True)
    return dist, ind


def vdm_tables(codes: np.ndarray, n_values: list[int], inverse: np.ndarray, n_classes: int
               ) -> list[np.ndarray]:
    """Per feature, ``P[value, class]``: the share of the value's rows in each class.

    The Value Difference Metric (Stanfill and Waltz, 1986; k=1, r=2 as in
    imbalanced-learn) between values ``a`` and ``b`` is ``(sum_c |P[a,c] - P[b,c]|)^2``.
    """
    out = []
    for f, L in enumerate(n_values):
        # one bincount over (value, class) pairs
        counts = np.bincount(codes[:, f] * n_classes + inverse,
                             minlength=L * n_classes).reshape(L, n_classes).astype(np.float64)
        tot = counts.sum(axis=1, keepdims=True)
        out.append(np.divide(counts, tot, out=np.zeros_like(counts), where=tot > 0))
    return out


def vdm_kneighbors(codes: np.ndarray, probas: list[np.ndarray], k: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Exact ``k`` nearest rows of each row under the Value Difference Metric.

    Parameters
    ----------
    codes : ndarray of shape (n, d)
        Rows as integer codes per feature.
    probas : list of ndarray of shape (n_values_f, n_classes)
        :func:`vdm_tables` of each feature (learnt on all classes).
    k : int
        Number of neighbours.

    Returns
    -------
    dist, ind : ndarray of shape (n, k)
        Square roots of the VDM values, ascending, and row indices (self excluded,
        ties by index).
    """
    n, F = codes.shape
    if not 1 <= k < n:
        raise ValueError(f"k={k} neighbours requested but only {n - 1} are available.")
    @_chunked
    def exact(qi: np.ndarray, rj: np.ndarray) -> np.ndarray:
        d = np.zeros(len(qi))
        for f, P in enumerate(probas):
            s = np.abs(P[codes[qi, f]] - P[codes[rj, f]]).sum(axis=1)
            d += s * s
        return d

    two_class = all(P.shape[1] == 2 for P in probas)
    if two_class:
        # With two classes |P[a,0]-P[b,0]| + |P[a,1]-P[b,1]| = 2 |P[a,0]-P[b,0]|, so the
        # metric is the squared Euclidean distance of the values 2 P[., 0]: one column
        # per feature, whatever the number of values.
        # The decision still uses the metric's own formula, so ties are the metric's.
        E = np.column_stack([2.0 * P[codes[:, f], 0] for f, P in enumerate(probas)])
        filt = _MixedFilter(E, np.zeros((n, 0), np.float32), np.zeros((n, 0), np.float32),
                            0.0, exact)
    else:
        widths = [P.shape[0] for P in probas]
        need = 2 * n * (sum(widths) + 2) * 4
        if need > _PRODUCT_BYTES:
            raise MemoryError(
                f"The exact Value Difference Metric search over {n} rows with "
                f"{sum(widths)} distinct values would need {need / 2**30:.1f} GiB; merge "
                "rare values into one (e.g. OneHotEncoder's min_frequency logic applied "
                "beforehand), or pass k_neighbors=NearestNeighbors(...) to use your own "
                "search on the precomputed distances."
            )
        Pq = np.empty((n, sum(widths)), dtype=np.float32)
        Pr = np.zeros((n, sum(widths)), dtype=np.float32)
        start = 0
        for f, P in enumerate(probas):
            L = P.shape[0]
            col = codes[:, f]
            # distances from each row's value to every value of the feature
            for a in range(0, n, 4096):
                blk = np.abs(P[col[a : a + 4096], None, :] - P[None, :, :]).sum(axis=2)
                Pq[a : a + 4096, start : start + L] = blk * blk
            Pr[np.arange(n), start + col] = 1.0
            start += L
        filt = _MixedFilter(np.zeros((n, 0)), Pq, Pr, 4.0 * F, exact)
    return _search(filt, k, True)


def vdm_pairwise(codes: np.ndarray, probas: list[np.ndarray]) -> np.ndarray:
    """The full VDM distance matrix of ``codes`` (for a user's precomputed search)."""
    n = codes.shape[0]
    D = np.zeros((n, n))
    for f, P in enumerate(probas):
        Pf = P[codes[:, f]]
        for a in range(0, n, 1024):
            s = np.abs(Pf[a : a + 1024, None, :] - Pf[None, :, :]).sum(axis=2)
            D[a : a + 1024] += s * s
    return D
