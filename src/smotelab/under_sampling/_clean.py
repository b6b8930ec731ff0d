"""Cleaning under-samplers built on neighbour labels: Tomek links, edited nearest neighbours."""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone

from .._kernels.labels import edited_keep, edited_keep_exact
from .._plan import Editing
from ..base import _STRATEGY_CONSTRAINT
from ..exceptions import NotEnoughSamplesError, too_few_samples
from ..neighbors import (
    FittedNeighbors,
    kneighbors_of_rows,
    resolve_neighbors,
    tomek_link_mask,
)
from ..utils._compat import HasMethods, Interval, StrOptions
from ..utils._tags import own_plan
from ._base import BaseCleaningSampler

__all__ = [
    "AllKNN",
    "EditedNearestNeighbours",
    "RepeatedEditedNearestNeighbours",
    "TomekLinks",
]

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
        Threads of the neighbour searches: ``None`` the library's default, ``-1`` every
        core, a positive number a cap (``1``: one core, BLAS included).

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

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.sampler_tags.distributed_plan = own_plan(self, TomekLinks, "tomek-links")
        return tags


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
        in_link = tomek_link_mask(Xn, inverse)
        return self._select(X, y, np.flatnonzero(~(in_link & plan.in_plan(inverse))))


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
        imbalanced-learn). On very large data,
        :class:`~smotelab.neighbors.ApproximateNeighbors` trades exactness for speed
        and reports its recall as ``nn_.recall_``.
    kind_sel : {'all', 'mode'}, default='all'
        ``'all'`` keeps a sample only when all its neighbours share its class; ``'mode'``
        when its class is the most common among them.
    n_jobs : int or None, default=None
        Threads of the neighbour searches: ``None`` the library's default, ``-1`` every
        core, a positive number a cap (``1``: one core, BLAS included).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        The classes that may be cleaned.
    sample_indices_ : ndarray
        Row indices (into X) of the kept rows, in input order.
    nn_ : object
        The neighbour search used; with a neighbours object, ``nn_.recall_`` is its
        measured recall (``None`` for an object that does not measure one).
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

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.sampler_tags.distributed_plan = own_plan(self, EditedNearestNeighbours, "edited")
        return tags

    def _plan_spec(self) -> Editing:
        """What the editing plan reads, for every engine (an int ``n_neighbors``)."""
        return Editing(k=int(self.n_neighbors), param="n_neighbors", attr="nn_",
                       rule=self.kind_sel)

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
        nn = resolve_neighbors(self.n_neighbors, param="n_neighbors")
        self.nn_ = FittedNeighbors(nn)
        k = int(nn.n_neighbors)
        keep = _enn_pass(Xn, inverse, plan.positions(), nn, k, self.kind_sel,
                         type(self).__name__)
        return self._select(X, y, np.flatnonzero(keep))


def _enn_pass(Xn: Any, labels: np.ndarray, positions: Any, backend: Any, k: int,
              kind_sel: str, caller: str) -> np.ndarray:
    """One edited-nearest-neighbours pass: the mask of kept rows.

    ``labels`` are the rows' class positions, ``positions`` those of the classes to clean.
    """
    rows = np.flatnonzero(np.isin(labels, positions))
    keep = np.ones(len(labels), dtype=bool)
    if not len(rows):
        return keep
    if k >= len(labels):
        raise too_few_samples(caller, "n_neighbors", k, len(labels), " (after any earlier pass)")
    if backend.exact:
        keep[rows] = edited_keep_exact(Xn, labels, rows, k, kind_sel)
    else:
        _, graph = kneighbors_of_rows(backend, Xn, rows, k)
        keep[rows] = edited_keep(graph, labels, labels[rows], kind_sel)
    return keep


class _RepeatedEditing(BaseCleaningSampler):
    """Shared loop of RENN and AllKNN: edit, check the stopping rules, repeat."""

    def _passes(self) -> Any:
        """``(k or None, stop when a pass removes nothing)`` for each pass."""
        raise NotImplementedError

    def _k_param(self, k: int) -> Any:
        """``n_neighbors`` for ``k`` neighbours, of the kind the user gave (int or object,
        whose own count includes the sample itself)."""
        if isinstance(self.n_neighbors, Integral):
            return k
        return clone(self.n_neighbors).set_params(n_neighbors=k + 1)

    def _fit_resample(self, X, y, *, plan, streams) -> tuple[Any, Any]:
        Xn = self._numeric(X)
        classes, counts, inverse = y.encoded()
        minority = int(np.argmin(counts))
        self.nn_ = FittedNeighbors(resolve_neighbors(self.n_neighbors, param="n_neighbors"))
        idx = np.arange(len(inverse))
        n_iter = 0
        for k, stop_if_unchanged in self._passes():
            n_iter += 1
            # each pass is an EditedNearestNeighbours (kept as enn_, as imbalanced-learn
            # does); its plan is re-read on the rows still kept
            self.enn_ = EditedNearestNeighbours(
                sampling_strategy=self.sampling_strategy, kind_sel=self.kind_sel,
                n_neighbors=self.n_neighbors if k is None else self._k_param(k))
            try:
                self.enn_.fit_resample(Xn[idx], y.labels[idx])
            except NotEnoughSamplesError as err:
                raise NotEnoughSamplesError(
                    f"{type(self).__name__}, pass {n_iter}: {err}") from None
            keep = np.zeros(len(idx), dtype=bool)
            keep[self.enn_.sample_indices_] = True
            unchanged = bool(keep.all())
            idx = idx[keep]
            after = np.bincount(inverse[idx], minlength=len(classes))
            others = np.delete(after, minority)
            minority_overtaken = bool((others[others > 0] < counts[minority]).any())
            if getattr(self, "allow_minority", False):
                minority_overtaken = False
            class_gone = bool((after == 0).any())
            if (stop_if_unchanged and unchanged) or minority_overtaken or class_gone:
                break
        self.n_iter_ = n_iter
        return self._select(X, y, idx)


class RepeatedEditedNearestNeighbours(_RepeatedEditing):
    """Apply edited nearest neighbours again and again until nothing changes (Tomek, 1976).

    Stops when a pass removes nothing, after ``max_iter`` passes, when a class other
    than the original minority falls below the minority's original count, or when a
    class disappears (imbalanced-learn's rules).

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Which classes may lose samples: ``'majority'``, ``'not minority'``, ``'not
        majority'``, ``'all'`` or ``'auto'`` (= ``'not minority'``), a list of classes,
        or a callable ``y -> dict`` whose keys are the classes.
    n_neighbors : int or object, default=3
        Number of nearest neighbours that vote, or an object with ``fit``/``kneighbors``
        whose ``n_neighbors`` counts the sample itself.
    max_iter : int, default=100
        Largest number of passes.
    kind_sel : {'all', 'mode'}, default='all'
        Voting rule of each pass (see :class:`EditedNearestNeighbours`).
    n_jobs : int or None, default=None
        Threads of the neighbour searches: ``None`` the library's default, ``-1`` every
        core, a positive number a cap (``1``: one core, BLAS included).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        The classes that may be cleaned (on the input).
    sample_indices_ : ndarray
        Row indices (into X) of the kept rows, in input order.
    n_iter_ : int
        Number of passes run.
    enn_ : EditedNearestNeighbours
        The last pass, fitted on the rows it was given.
    nn_ : object
        The neighbour search used.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.under_sampling import RepeatedEditedNearestNeighbours
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> renn = RepeatedEditedNearestNeighbours()
    >>> X_res, y_res = renn.fit_resample(X, y)
    >>> int((y == 0).sum() - (y_res == 0).sum()) >= 132
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        **EditedNearestNeighbours._parameter_constraints,
        "max_iter": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, max_iter=100,
                 kind_sel="all", n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.max_iter = max_iter
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _passes(self) -> Any:
        return ((None, True) for _ in range(self.max_iter))


class AllKNN(_RepeatedEditing):
    """Edited nearest neighbours with 1, 2, ..., ``n_neighbors`` neighbours in turn (Tomek, 1976).

    Stops early when a class other than the original minority falls below the
    minority's original count (unless ``allow_minority``) or when a class disappears
    (imbalanced-learn's rules).

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Which classes may lose samples: ``'majority'``, ``'not minority'``, ``'not
        majority'``, ``'all'`` or ``'auto'`` (= ``'not minority'``), a list of classes,
        or a callable ``y -> dict`` whose keys are the classes.
    n_neighbors : int or object, default=3
        Largest number of voting neighbours, or an object with ``fit``/``kneighbors``
        whose ``n_neighbors`` counts the sample itself.
    kind_sel : {'all', 'mode'}, default='all'
        Voting rule of each pass (see :class:`EditedNearestNeighbours`).
    allow_minority : bool, default=False
        Keep going even when a class falls below the original minority's count.
    n_jobs : int or None, default=None
        Threads of the neighbour searches: ``None`` the library's default, ``-1`` every
        core, a positive number a cap (``1``: one core, BLAS included).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        The classes that may be cleaned (on the input).
    sample_indices_ : ndarray
        Row indices (into X) of the kept rows, in input order.
    n_iter_ : int
        Number of passes run.
    enn_ : EditedNearestNeighbours
        The last pass, fitted on the rows it was given.
    nn_ : object
        The neighbour search used.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.under_sampling import AllKNN
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> s = AllKNN()
    >>> X_res, y_res = s.fit_resample(X, y)
    >>> s.n_iter_
    3
    """

    _parameter_constraints: ClassVar[dict] = {
        **EditedNearestNeighbours._parameter_constraints,
        "allow_minority": ["boolean"],
    }

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all",
                 allow_minority=False, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.allow_minority = allow_minority
        self.n_jobs = n_jobs

    def _passes(self) -> Any:
        return ((k, False) for k in range(1, int(self.nn_.backend.n_neighbors) + 1))
