"""Neighbour-label statistics, in one place for every sampler that needs them.

Borderline-SMOTE's danger and noise sets, SVM-SMOTE's split of its support vectors,
ADASYN's seed weights and the edited-nearest-neighbour votes all start from the same table: for each query row, how many of
its ``m`` nearest neighbours (among all rows) belong to another class. This module
computes that table from a neighbour graph and turns it into the sets and counts the
papers define. Everything is vectorised; nothing loops over samples in Python.

>>> import numpy as np
>>> labels = np.array([0, 0, 0, 1, 1])          # class positions of the rows of X
>>> graph = np.array([[0, 1, 2], [3, 0, 1]])     # 3 nearest neighbours of rows 3 and 4
>>> n_other = other_class_counts(graph, labels, labels[[3, 4]])
>>> n_other.tolist()
[3, 2]
>>> danger, noise = danger_and_noise(n_other, 3)
>>> danger.tolist(), noise.tolist()
([False, True], [True, False])
>>> apportion(np.array([0.5, 0.3, 0.2]), 7).tolist()
[4, 2, 1]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..neighbors import ExactNeighbors, certify_same_class, kneighbors_of_rows

__all__ = [
    "NeighbourLabels",
    "apportion",
    "danger_and_noise",
    "edited_keep",
    "edited_keep_votes",
    "edited_keep_exact",
    "other_class_counts",
]


def other_class_counts(graph: np.ndarray, labels: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Number of neighbours of each query row whose label differs from the row's own.

    Parameters
    ----------
    graph : ndarray of shape (n_query, m)
        Neighbour indices into ``labels``.
    labels : ndarray of shape (n,)
        Label (e.g. class position) of every row.
    own : ndarray of shape (n_query,)
        Label of each query row.
    """
    return np.count_nonzero(labels[graph] != own[:, None], axis=1)


def danger_and_noise(n_other: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Han et al.'s sets from the other-class counts among ``m`` neighbours.

    A row is *noise* when all ``m`` neighbours belong to other classes, and in *danger*
    when at least half but not all of them do (``m/2 <= n_other < m``).
    """
    noise = n_other == m
    danger = (2 * n_other >= m) & ~noise
    return danger, noise


def edited_keep(graph: np.ndarray, labels: np.ndarray, own: np.ndarray, kind_sel: str
                ) -> np.ndarray:
    """Wilson's editing rule: which query rows agree with their neighbours.

    ``kind_sel='all'`` keeps a row whose neighbours all share its label; ``'mode'`` one
    whose label is the most common among its neighbours (ties go to the smallest label,
    as ``scipy.stats.mode`` decides).
    """
    return edited_keep_votes(labels[graph], own, kind_sel)


def edited_keep_votes(nb: np.ndarray, own: np.ndarray, kind_sel: str) -> np.ndarray:
    """:func:`edited_keep` given the neighbours' labels ``nb`` (rows x k) directly."""
    if kind_sel == "all":
        return (nb == own[:, None]).all(axis=1)
    n_labels = int(max(nb.max(initial=0), own.max(initial=0))) + 1
    votes = np.zeros((len(nb), n_labels), dtype=np.int32)
    for c in range(n_labels):  # a loop over classes, not samples
        votes[:, c] = np.count_nonzero(nb == c, axis=1)
    return votes.argmax(axis=1) == own




def edited_keep_exact(X: Any, labels: np.ndarray, rows: np.ndarray, k: int, kind_sel: str
                      ) -> np.ndarray:
    """:func:`edited_keep` for ``rows`` with the exact search, most rows certified cheaply.

    A row whose ``k`` nearest neighbours all share its class is kept by either rule. That
    is certain when ``k`` rows of its class, taken from a fixed subset of the class, are
    nearer than every row of any other class (:func:`_certified`: one query against the
    subset and the other classes, the small side for the majority, decides most rows;
    denser subsets decide most of the rest); only the remaining rows get a full
    neighbour query and a vote. The answer is the one a full query would give.
    """
    keep = np.ones(len(rows), dtype=bool)
    for c in np.unique(labels[rows]):  # a loop over classes, not samples
        at = np.flatnonzero(labels[rows] == c)
        R = rows[at]
        other = np.flatnonzero(labels != c)
        members = np.flatnonzero(labels == c)
        if not len(other):
            continue
        certified = np.zeros(len(R), dtype=bool)
        if len(members) > k + 1:
            certified = certify_same_class(X, labels, c, R, members, other, k)
        todo = at[~certified]
        if len(todo):
            _, graph = kneighbors_of_rows(ExactNeighbors(k), X, rows[todo], k)
            keep[todo] = edited_keep(graph, labels, labels[rows[todo]], kind_sel)
    return keep


def apportion(weights: np.ndarray, total: int) -> np.ndarray:
    """Integer counts proportional to ``weights`` that add up to exactly ``total``.

    The largest-remainder method: every entry gets the floor of its share, and the
    rows still missing go to the largest fractional parts (ties to the lower index).
    """
    weights = np.asarray(weights, dtype=np.float64)
    if total == 0 or weights.size == 0:
        return np.zeros(weights.size, dtype=np.int64)
    s = weights.sum()
    if not np.isfinite(s) or s <= 0 or (weights < 0).any():
        raise ValueError("apportion needs non-negative weights with a positive sum.")
    share = weights / s * total
    counts = np.floor(share).astype(np.int64)
    missing = int(total - counts.sum())
    if missing > 0:
        order = np.lexsort((np.arange(weights.size), -(share - counts)))
        counts[order[:missing]] += 1
    return counts


class NeighbourLabels:
    """Other-class counts among the ``m`` nearest neighbours of a set of rows.

    Computed once per fit, for the rows of every class that gets resampled, with one
    neighbour query of those rows against all rows (a row is never its own neighbour),
    then looked up class by class. The graph itself is kept (``graph``, row indices
    into X, nearest first) so a sampler can reuse it instead of searching again.

    Parameters
    ----------
    backend : neighbour backend
        Search to use (its ``n_neighbors`` is ``m``).
    X : array of shape (n, d)
        All rows.
    rows : ndarray of int
        Rows to query, sorted.
    labels : ndarray of shape (n,)
        Class position of every row.
    """

    def __init__(self, backend: Any, X: Any, rows: np.ndarray, labels: np.ndarray) -> None:
        self.m = int(backend.n_neighbors)
        self.exact = bool(backend.exact)  # an exact graph: its rows tie-break by index
        self.rows = np.asarray(rows, dtype=np.intp)
        if len(self.rows):
            _, self.graph = kneighbors_of_rows(backend, X, self.rows, self.m)
            self.n_other = other_class_counts(self.graph, labels, labels[self.rows])
        else:
            self.graph = np.empty((0, self.m), dtype=np.intp)
            self.n_other = np.empty(0, dtype=np.intp)

    def counts(self, rows: np.ndarray) -> np.ndarray:
        """Other-class counts of ``rows`` (each must be one of the queried rows)."""
        return self.n_other[np.searchsorted(self.rows, rows)]

    def neighbors(self, rows: np.ndarray) -> np.ndarray:
        """The ``m`` nearest neighbours of ``rows`` among all rows (row indices)."""
        return self.graph[np.searchsorted(self.rows, rows)]

    def nearest(self, rows: np.ndarray, k: int) -> np.ndarray | None:
        """The ``k`` nearest neighbours of ``rows`` from the graph; None if it holds fewer."""
        return self.neighbors(rows)[:, :k] if k <= self.m else None
