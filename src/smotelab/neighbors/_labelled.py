"""Searches whose answer depends on the labels: same-class certificates, Tomek links.

Both are exact and cheaper than a full neighbour query of every row: they search from
the small side and decide most rows with a query against a subset.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..utils._subsets import evenly_spaced
from ._backends import ExactNeighbors, drop_self, kneighbors_of_rows
from ._exact import exact_kneighbors

__all__ = ["certify_same_class", "tomek_link_mask"]

# Size of the per-class subset whose k-th neighbour certifies a sample as "kept".
_CERTIFY_SUBSET = 4096
_CERTIFY_GROWTH = 4


def certify_same_class(X: Any, labels: np.ndarray, c: int, R: np.ndarray, members: np.ndarray,
               other: np.ndarray, k: int) -> np.ndarray:
    """Which rows ``R`` of class ``c`` surely have ``k`` nearest neighbours of class ``c``.

    First one search against a subset ``S`` of the class together with every row of the
    other classes (sorted by index, so ties break as in a full query): a row is certain
    when its ``k`` nearest there are all in ``S``. Every row outside ``S`` that is
    nearer is of class ``c`` too, so the full query's ``k`` nearest are then all of
    class ``c``. The rows left get their nearest other-class distance and subsets
    growing 4x, each tried on the rows the last one left (rows near the border need a
    denser subset), up to half the class, beyond which the full query costs no more.
    """
    s = min(len(members), _CERTIFY_SUBSET)
    S = members[evenly_spaced(len(members), s)]
    T = np.union1d(S, other)
    dT, iT = exact_kneighbors(X, k + 1, X, R_rows=T, Q_rows=R)
    _, nb = drop_self(dT, T[iT], R)
    certified = (labels[nb] == c).all(axis=1)
    left = np.flatnonzero(~certified)
    s *= _CERTIFY_GROWTH
    if not len(left) or 2 * s > len(members):
        return certified
    r_other = exact_kneighbors(X, 1, X, R_rows=other, Q_rows=R[left])[0][:, 0]
    while len(left) and 2 * s <= len(members):
        S = members[evenly_spaced(len(members), s)]
        dS, iS = exact_kneighbors(X, k + 1, X, R_rows=S, Q_rows=R[left])
        dS, _ = drop_self(dS, S[iS], R[left])
        ok = dS[:, k - 1] < r_other
        certified[left[ok]] = True
        left, r_other, s = left[~ok], r_other[~ok], s * _CERTIFY_GROWTH
    return certified


def tomek_link_mask(X: Any, labels: np.ndarray) -> np.ndarray:
    """Rows that belong to a Tomek link: mutual nearest neighbours of different classes.

    Starts from the small side: every link has an end outside the largest class, so only
    those rows are queried against all rows (one nearest neighbour each); the partners
    of the other-class answers are then queried to check that the choice is mutual.
    Cost ``~(n - n_largest) * n`` distance evaluations instead of ``n * n``.
    """
    n = len(labels)
    largest = int(np.bincount(labels).argmax())
    rows = np.flatnonzero(labels != largest)
    mask = np.zeros(n, dtype=bool)
    if not len(rows):
        return mask
    _, nn = kneighbors_of_rows(ExactNeighbors(1), X, rows, 1)
    nn = nn[:, 0]
    cross = labels[nn] != labels[rows]
    rows, nn = rows[cross], nn[cross]
    if not len(rows):
        return mask
    partners = np.unique(nn)
    _, back = kneighbors_of_rows(ExactNeighbors(1), X, partners, 1)
    back = back[:, 0]
    mutual = back[np.searchsorted(partners, nn)] == rows
    mask[rows[mutual]] = True
    mask[nn[mutual]] = True
    return mask
