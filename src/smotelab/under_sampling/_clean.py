"""Cleaning under-samplers built on neighbour labels: Tomek links, edited nearest neighbours."""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

import numpy as np

from .._kernels.labels import edited_keep, edited_keep_exact, tomek_link_mask
from ..base import _STRATEGY_CONSTRAINT
from ..exceptions import NotEnoughSamplesError
from ..neighbors import ExactNeighbors, kneighbors_of_rows, resolve_neighbors
from ..utils._compat import HasMethods, Interval, StrOptions
from ._base import BaseCleaningSampler

__all__ = ["EditedNearestNeighbours", "TomekLinks"]

_CLEAN_STRATEGY = [*_STRATEGY_CONSTRAINT, list]


class TomekLinks(BaseCleaningSampler):
    """Remove the samples of Tomek links: pairs of mutual nearest neighbours of different classes.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Which classes may lose samples: ``'majority'``, ``'not minority'``, ``'not
        majority'``, ``'all'`` or ``'auto'`` (= ``'not minority'``), a list of classes,
        or a callable ``y -> dict`` whose keys are the classes.
    n_jobs : int or None, default=None
        Accepted for compatibility with imbalanced-learn; has no effect (the search
        chooses its own threads).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        The classes that may be cleaned.
    sample_indices_ : ndarray
        Row indices (into X) of the kept rows, in input order.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    EditedNearestNeighbours : Remove samples that disagree with their neighbours.

    Notes
    -----
    Only the rows outside the largest class are searched against all rows (every link
    has such an end), then the partners they found: about ``2 m n`` distance
    evaluations for ``m`` rows outside the largest class, not ``n ** 2``. The search
    is exact; ties between equally near neighbours go to the lower row index.

    References
    ----------
    I. Tomek, "Two modifications of CNN", IEEE Transactions on Systems, Man, and
    Cybernetics 6(11), 769-772, 1976.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.under_sampling import TomekLinks
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> tl = TomekLinks()
    >>> X_res, y_res = tl.fit_resample(X, y)
    >>> int((y == 0).sum() - (y_res == 0).sum()), int((y == 1).sum() - (y_res == 1).sum())
    (13, 0)
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _CLEAN_STRATEGY,
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, *, plan, streams) -> tuple[Any, Any]:
        Xn = self._numeric(X)
        _, _, inverse = y.encoded()
        in_link = tomek_link_mask(Xn, inverse, lambda: ExactNeighbors(1))
        cleanable = np.isin(inverse, [plan.class_position(c) for c in plan.counts])
        return self._select(X, y, np.flatnonzero(~(in_link & cleanable)))


class EditedNearestNeighbours(BaseCleaningSampler):
    """Remove the samples whose nearest neighbours disagree with their class (Wilson's editing).

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Which classes may lose samples: ``'majority'``, ``'not minority'``, ``'not
        majority'``, ``'all'`` or ``'auto'`` (= ``'not minority'``), a list of classes,
        or a callable ``y -> dict`` whose keys are the classes.
    n_neighbors : int or object, default=3
        Number of nearest neighbours (among all samples) that vote, or an object with
        ``fit``/``kneighbors`` whose ``n_neighbors`` counts the sample itself (as in
        imbalanced-learn).
    kind_sel : {'all', 'mode'}, default='all'
        ``'all'`` keeps a sample only when all its neighbours share its class; ``'mode'``
        when its class is the most common among them.
    n_jobs : int or None, default=None
        Accepted for compatibility with imbalanced-learn; has no effect.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        The classes that may be cleaned.
    sample_indices_ : ndarray
        Row indices (into X) of the kept rows, in input order.
    nn_ : object
        The neighbour search used.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    TomekLinks : Remove only mutual nearest neighbours of different classes.

    Notes
    -----
    With an int ``n_neighbors`` most samples are decided without a full neighbour query:
    a sample is certainly kept when ``n_neighbors`` samples of its class (from a fixed
    subset) are nearer than the nearest sample of any other class; only the others get
    the full query and the vote. The result is exactly the full query's. A sample is
    never its own neighbour (excluded by index, so a duplicate of it still votes).

    References
    ----------
    D. L. Wilson, "Asymptotic properties of nearest neighbor rules using edited data",
    IEEE Transactions on Systems, Man, and Cybernetics 2(3), 408-421, 1972.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.under_sampling import EditedNearestNeighbours
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> X_res, y_res = EditedNearestNeighbours().fit_resample(X, y)
    >>> int((y == 0).sum() - (y_res == 0).sum()), int((y == 1).sum() - (y_res == 1).sum())
    (132, 0)
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _CLEAN_STRATEGY,
        "n_neighbors": [Interval(Integral, 1, None, closed="left"),
                        HasMethods(["kneighbors", "fit"])],
        "kind_sel": [StrOptions({"all", "mode"})],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all",
                 n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, *, plan, streams) -> tuple[Any, Any]:
        Xn = self._numeric(X)
        _, _, inverse = y.encoded()
        self.nn_ = resolve_neighbors(self.n_neighbors, param="n_neighbors")
        k = int(self.nn_.n_neighbors)
        if k >= len(inverse):
            raise NotEnoughSamplesError(
                f"EditedNearestNeighbours: n_neighbors={k} but the data have only "
                f"{len(inverse)} samples; use n_neighbors<={len(inverse) - 1}."
            )
        rows = np.flatnonzero(np.isin(inverse, [plan.class_position(c) for c in plan.counts]))
        keep = np.ones(len(inverse), dtype=bool)
        if len(rows) and isinstance(self.nn_, ExactNeighbors):
            keep[rows] = edited_keep_exact(Xn, inverse, rows, k, self.kind_sel)
        elif len(rows):
            _, graph = kneighbors_of_rows(self.nn_, Xn, rows, k)
            keep[rows] = edited_keep(graph, inverse, inverse[rows], self.kind_sel)
        return self._select(X, y, np.flatnonzero(keep))
