"""Neighbour backends: the default exact search, and adapters for user objects.

The contract every backend meets (scikit-learn's ``kneighbors`` semantics, tightened):

* ``fit(X)`` remembers the reference rows; ``kneighbors(X=None, n_neighbors=k)`` returns
  ``(dist, ind)`` of shape ``(n_query, k)``, sorted by ascending true Euclidean distance;
* with ``X=None`` the queries are the fitted rows and a row is never its own neighbour,
  excluded *by index* (a duplicate of the row is still a neighbour, at distance 0);
* ``exact`` says whether the sets are exact; exact backends break ties by index.
"""

from __future__ import annotations

import numbers
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ._exact import exact_kneighbors

__all__ = [
    "EstimatorNeighbors",
    "FittedNeighbors",
    "ExactNeighbors",
    "NeighborsBackend",
    "drop_self",
    "kneighbors_of_rows",
    "resolve_neighbors",
]


@runtime_checkable
class NeighborsBackend(Protocol):
    """What a sampler needs from a neighbour search."""

    exact: bool
    n_neighbors: int

    def fit(self, X: Any) -> NeighborsBackend: ...

    def kneighbors(self, X: Any = None, n_neighbors: int | None = None) -> tuple: ...

    def kneighbors_rows(self, rows: np.ndarray, k: int) -> tuple: ...


class ExactNeighbors:
    """The default backend: exact search by :func:`~smotelab.neighbors.exact_kneighbors`.

    Parameters
    ----------
    n_neighbors : int
        Number of neighbours returned (a row is never counted as its own neighbour).
    """

    exact = True

    def __init__(self, n_neighbors: int) -> None:
        self.n_neighbors = n_neighbors

    def fit(self, X: Any) -> ExactNeighbors:
        """Remember the reference rows."""
        self._X = X
        return self

    def kneighbors(self, X: Any = None, n_neighbors: int | None = None) -> tuple:
        """Distances and indices of the nearest fitted rows."""
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        return exact_kneighbors(self._X, k, X)

    def kneighbors_rows(self, rows: np.ndarray, k: int) -> tuple:
        """The ``k`` nearest fitted rows to each of the fitted rows ``rows``, never itself.

        The queries are read from the fitted rows, not copied.
        """
        dist, ind = exact_kneighbors(self._X, k + 1, self._X, Q_rows=rows)
        return drop_self(dist, ind, rows)


class EstimatorNeighbors:
    """Adapter for any object with scikit-learn's ``fit``/``kneighbors`` (e.g. ``NearestNeighbors``).

    As in imbalanced-learn, the object's own ``n_neighbors`` counts the query row itself,
    so ``NearestNeighbors(n_neighbors=6)`` yields 5 neighbours. Unlike imbalanced-learn,
    the row itself is removed by index rather than by dropping the first column, which
    is wrong when duplicates tie with it at distance 0.
    """

    exact = False

    def __init__(self, estimator: Any) -> None:
        self.estimator = estimator
        n = getattr(estimator, "n_neighbors", None)
        if not isinstance(n, numbers.Integral) or n < 2:
            raise ValueError(
                f"The neighbours object {estimator!r} must have an integer n_neighbors >= 2 "
                "(it counts the sample itself, as in imbalanced-learn)."
            )
        self.n_neighbors = int(n) - 1

    def fit(self, X: Any) -> EstimatorNeighbors:
        """Fit the wrapped estimator on the reference rows."""
        self.estimator.fit(X)
        self._X = X
        self._n = X.shape[0]
        return self

    def kneighbors(self, X: Any = None, n_neighbors: int | None = None) -> tuple:
        """Neighbours from the wrapped estimator, normalised to the contract."""
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        if X is not None:
            dist, ind = self.estimator.kneighbors(X, n_neighbors=k)
            return np.asarray(dist, dtype=np.float64), np.asarray(ind, dtype=np.intp)
        return self.kneighbors_rows(np.arange(self._n), k)

    def kneighbors_rows(self, rows: np.ndarray, k: int) -> tuple:
        """The ``k`` nearest fitted rows to each of the fitted rows ``rows``, never itself.

        An estimator with its own ``kneighbors_rows`` (such as
        :class:`~smotelab.neighbors.ApproximateNeighbors`) answers directly; any other
        is asked for one neighbour more and the row itself is removed by index.
        """
        own = getattr(self.estimator, "kneighbors_rows", None)
        if own is not None:
            dist, ind = own(rows, k)
            return np.asarray(dist, dtype=np.float64), np.asarray(ind, dtype=np.intp)
        dist, ind = self.estimator.kneighbors(self._X[rows], n_neighbors=k + 1)
        return drop_self(dist, ind, rows)

    @property
    def recall_(self) -> float | None:
        """The wrapped search's measured recall (``None`` when it does not measure one)."""
        return getattr(self.estimator, "recall_", None)


class FittedNeighbors:
    """A sampler's fitted neighbour search, as scikit-learn's ``NearestNeighbors`` shows it.

    Samplers expose their searches (``nn_k_``, ``nn_m_``, ``nn_``) through this view, so
    code written for imbalanced-learn's attributes keeps working: ``n_neighbors`` counts
    the sample itself (``k_neighbors=5`` gives ``nn_k_.n_neighbors == 6``), and
    ``kneighbors`` / ``kneighbors_graph`` follow scikit-learn: without ``X`` the queries
    are the fitted rows and a row is not its own neighbour; with ``X`` every fitted row
    counts. Anything else (``recall_``, ``estimator``, ``exact``) is the search's own.

    Parameters
    ----------
    backend : neighbour backend
        The search the sampler ran (its ``n_neighbors`` excludes the sample itself).
    """

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    def __getattr__(self, name: str) -> Any:
        if name == "backend":  # not set yet (e.g. while unpickling)
            raise AttributeError(name)
        return getattr(self.backend, name)

    def __repr__(self) -> str:
        return f"FittedNeighbors(n_neighbors={self.n_neighbors}, backend={self.backend!r})"

    @property
    def n_neighbors(self) -> int:
        """Neighbours of a sample, the sample itself included (scikit-learn's count)."""
        return int(self.backend.n_neighbors) + 1

    @property
    def n_samples_fit_(self) -> int:
        """Number of rows the search was last fitted on."""
        return int(self.backend._X.shape[0])

    def fit(self, X: Any, y: Any = None) -> FittedNeighbors:
        """Fit the search on ``X`` (``y`` is ignored)."""
        self.backend.fit(X)
        return self

    def kneighbors(self, X: Any = None, n_neighbors: int | None = None,
                   return_distance: bool = True) -> Any:
        """Distances and indices of the nearest fitted rows, as ``NearestNeighbors``.

        Parameters
        ----------
        X : array-like or None, default=None
            Queries; ``None`` queries the fitted rows, each excluded from its own list.
        n_neighbors : int or None, default=None
            How many; ``None`` means ``self.n_neighbors``.
        return_distance : bool, default=True
            Return ``(dist, ind)``, or ``ind`` only.

        Returns
        -------
        dist, ind : ndarray of shape (n_queries, n_neighbors)
            Sorted by distance.
        """
        k = self.n_neighbors if n_neighbors is None else int(n_neighbors)
        dist, ind = self.backend.kneighbors(X, k)
        return (dist, ind) if return_distance else ind

    def kneighbors_graph(self, X: Any = None, n_neighbors: int | None = None,
                         mode: str = "connectivity") -> Any:
        """The neighbours as a sparse matrix of shape (n_queries, n_samples_fit_).

        Parameters
        ----------
        X : array-like or None, default=None
            Queries, as for :meth:`kneighbors`.
        n_neighbors : int or None, default=None
            How many, as for :meth:`kneighbors`.
        mode : {'connectivity', 'distance'}, default='connectivity'
            Ones, or the distances.

        Returns
        -------
        graph : scipy.sparse.csr_matrix
            Row ``i`` holds query ``i``'s neighbours.
        """
        import scipy.sparse as sp

        if mode not in ("connectivity", "distance"):
            raise ValueError(f"mode must be 'connectivity' or 'distance'; got {mode!r}.")
        dist, ind = self.kneighbors(X, n_neighbors)
        n_q, k = ind.shape
        data = np.ones(n_q * k) if mode == "connectivity" else dist.ravel()
        return sp.csr_matrix((data, ind.ravel(), np.arange(0, n_q * k + 1, k)),
                             shape=(n_q, self.n_samples_fit_))


def drop_self(dist: Any, ind: Any, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """From ``k + 1`` neighbours of ``rows``, the ``k`` that are not the row itself.

    The row is removed by index where it appears, otherwise the farthest of the
    ``k + 1`` is (with exact ties broken by index, a row missing from its own list has
    at least ``k + 1`` duplicates before it, so the first ``k`` are its neighbours).
    """
    dist = np.asarray(dist, dtype=np.float64)
    ind = np.asarray(ind, dtype=np.intp)
    n, k1 = ind.shape
    is_self = ind == np.asarray(rows)[:, None]
    drop = np.where(is_self.any(axis=1), is_self.argmax(axis=1), k1 - 1)
    keep = np.ones(ind.shape, dtype=bool)
    keep[np.arange(n), drop] = False
    return dist[keep].reshape(n, k1 - 1), ind[keep].reshape(n, k1 - 1)


def kneighbors_of_rows(backend: Any, X: Any, rows: np.ndarray, k: int) -> tuple:
    """The ``k`` nearest rows of ``X`` to each of ``X[rows]``, never the row itself.

    Fits ``backend`` on all of ``X`` and queries only ``rows`` (the small side: e.g.
    the minority against every row), asking for one extra neighbour and removing the
    row itself by index.

    Returns
    -------
    dist, ind : ndarray of shape (len(rows), k)
        Distances and row indices into ``X``.
    """
    n = X.shape[0]
    if k >= n:
        raise ValueError(f"k={k} neighbours requested but only {n - 1} are available.")
    backend.fit(X)
    if hasattr(backend, "kneighbors_rows"):  # the queries read in place, self dropped
        return backend.kneighbors_rows(rows, k)
    dist, ind = backend.kneighbors(X[rows], n_neighbors=k + 1)
    return drop_self(dist, ind, rows)


def resolve_neighbors(value: Any, *, param: str) -> ExactNeighbors | EstimatorNeighbors:
    """Turn a ``k_neighbors``-style parameter (an int or an object) into a backend."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return ExactNeighbors(int(value))
    if hasattr(value, "kneighbors") and hasattr(value, "fit"):
        from sklearn.base import clone

        return EstimatorNeighbors(clone(value))
    raise TypeError(
        f"{param} must be an int or an object with fit and kneighbors methods (such as "
        f"sklearn.neighbors.NearestNeighbors); got {type(value).__name__}."
    )
