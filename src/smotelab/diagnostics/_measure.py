"""The measurements behind a diagnosis: sample difficulty and subgroups."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._kernels.labels import other_class_counts
from ..neighbors import ExactNeighbors, kneighbors_of_rows, power_of_two_scale
from ..utils._subsets import evenly_spaced

__all__ = ["difficulty", "standardised", "subgroups"]

SILHOUETTE = 0.6         # subgroups are reported when they separate this well


def standardised(X: Any) -> np.ndarray:
    """Columns centred and scaled to unit spread (constant columns left at 0), computed
    at a power-of-two scale so that values near the float limits do not overflow."""
    if hasattr(X, "toarray"):
        X = X.toarray()
    X = np.asarray(X, dtype=np.float64)
    X = X * power_of_two_scale(X, None)  # exact; the standardised values are unchanged
    sd = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def difficulty(Z: np.ndarray, inverse: np.ndarray, labels: list, k: int, max_queries: int
                ) -> dict:
    picked = []
    for i in range(len(labels)):
        members = np.flatnonzero(inverse == i)
        picked.append(members[evenly_spaced(len(members), max_queries)])
    rows = np.concatenate(picked)
    _, graph = kneighbors_of_rows(ExactNeighbors(k), Z, rows, k)
    same = k - other_class_counts(graph, inverse, inverse[rows])
    share = same / k
    kind = np.select([share > 0.7, share >= 0.3, share > 0], [0, 1, 2], 3)
    out = {}
    for i, c in enumerate(labels):
        mine = inverse[rows] == i
        tally = np.bincount(kind[mine], minlength=4) / max(int(mine.sum()), 1)
        out[c] = dict(zip(("safe", "borderline", "rare", "outlier"), map(float, tally),
                          strict=True))
    return out


def subgroups(Zc: np.ndarray, random_state: int | None) -> int:
    """Well-separated clusters in one class: best silhouette over 2..6 clusters, if >= 0.6."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    if len(Zc) < 20:
        return 1
    if len(Zc) > 2000:
        Zc = Zc[evenly_spaced(len(Zc), 2000)]
    # the class's own scale: a thin strip of the whole data is not two groups
    Zc = standardised(Zc)
    best, best_k = SILHOUETTE, 1
    for k in range(2, min(6, len(Zc) // 10) + 1):
        lab = KMeans(n_clusters=k, n_init=3, random_state=random_state).fit_predict(Zc)
        if len(np.unique(lab)) < 2:
            continue
        s = silhouette_score(Zc, lab)
        if s > best:
            best, best_k = s, k
    return best_k

