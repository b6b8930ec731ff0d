"""SMOTE (Chawla et al., 2002)."""

from __future__ import annotations

from typing import Any

from ._base import BaseSMOTE, ClassPlan, ClassTask

__all__ = ["SMOTE"]


class SMOTE(BaseSMOTE):
    """Synthetic Minority Over-sampling TEchnique.

    Each synthetic row is ``x_i + step * (x_nn - x_i)``, with ``x_i`` a sample of the
    class being over-sampled, ``x_nn`` one of its ``k_neighbors`` nearest neighbours
    within that class, and ``step`` uniform in ``[0, 1)``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to add per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        majority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams; each class and each block of rows draws from
        its own stream, so one class's rows never depend on another's.
    k_neighbors : int or object, default=5
        Number of nearest same-class neighbours to interpolate with, or an object with
        ``fit``/``kneighbors`` (such as ``NearestNeighbors(n_neighbors=6)``, whose
        ``n_neighbors`` counts the sample itself, as in imbalanced-learn). An int uses
        smotelab's exact search (ties broken by index).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    provenance_ : dict of ndarray
        One entry per synthetic row, in output order: ``parent`` and ``neighbor`` (row
        indices in the input X), ``step`` and ``class``.
    nn_k_ : object
        The neighbour search used.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    RandomOverSampler : Duplicate samples, optionally with a smoothed bootstrap.

    References
    ----------
    N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE: Synthetic Minority
    Over-sampling Technique", JAIR 16, 321-357, 2002.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.over_sampling import SMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 898), (np.int64(1), 898)]
    >>> bool((X_res[:1000] == X).all())
    True
    """

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        return ClassPlan(seeds=task.members,
                         neighbors=self._within_class(X, task.members, task.backend))
